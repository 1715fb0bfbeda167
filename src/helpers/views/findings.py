"""The recorded findings as a readable table, for the "Key numbers" section every notebook ends with."""
from __future__ import annotations

from typing import Any, Literal

import pandas as pd

__all__ = ["findings_table", "NOT_SHOWN"]

#: findings kept in findings.json but left out of the table: when the model was trained changes with every
#: retraining of the same labels, and says nothing about the audience
NOT_SHOWN = ("sentiment_scorer_trained_at",)


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
    for notebooks whose per-item values are in their own tables. Keys in :data:`NOT_SHOWN` stay in findings.json
    only.
    """
    if nested not in ("inline", "count"):
        raise ValueError(f"nested must be 'inline' or 'count', got {nested!r}")
    rows = [(key, _shown(value, nested)) for key, value in findings.values.items() if key not in NOT_SHOWN]
    return pd.DataFrame(rows, columns=["finding", "value"]).set_index("finding")
