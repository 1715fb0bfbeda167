"""The recorded findings as a readable table, for the "Key numbers" section every notebook ends with."""
from __future__ import annotations

from typing import Any, Literal

import pandas as pd

__all__ = ["findings_table"]


def _shown(value: Any, nested: str) -> Any:
    if nested == "count" and isinstance(value, (dict, list)):
        return f"{len(value)} entries (see findings.json)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.4g}"
    return value


def findings_table(findings: Any, nested: Literal["inline", "count"] = "inline") -> pd.DataFrame:
    """The recorded findings (a :class:`helpers.report.Findings`) as a two-column table ``finding`` → ``value``.

    Floats show 4 significant digits. ``nested="inline"`` writes an object such as ``language_mix`` compactly
    (``ru 0.412, az 0.301``); ``nested="count"`` writes objects and lists as "N entries (see findings.json)",
    for notebooks whose per-item values are in their own tables.
    """
    if nested not in ("inline", "count"):
        raise ValueError(f"nested must be 'inline' or 'count', got {nested!r}")
    rows = [(key, _shown(value, nested)) for key, value in findings.values.items()]
    return pd.DataFrame(rows, columns=["finding", "value"]).set_index("finding")
