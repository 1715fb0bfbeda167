"""Parameters given to a notebook directly (papermill ``-p``/``-y``, Airflow's PapermillOperator, JupyterLab),
checked in the notebook's first cell with the same rules as run configs (:func:`helpers.run.config.check_value`).

``papermill … -p languages '["en"]'`` hands the notebook the *string* ``'["en"]'``: a value that spells the
list (or number, or true/false) its parameter takes is read as that value; anything else stops the notebook in
its first cell with a message naming the parameter, the value and how to pass it (``-y 'languages: [en]'``),
instead of failing deep inside an analysis.
"""
from __future__ import annotations

import ast
import contextlib
from collections.abc import Mapping
from typing import Any

import yaml

from helpers.io import workbook_root
from helpers.run.config import check_value, expected_kind, is_date_parameter, notebook_parameters
from helpers.run.periods import parse_date

__all__ = ["ParameterError", "checked_parameters", "coerce_value"]

_KINDS = {"bool": bool, "int": int, "float": (int, float), "list": (list, tuple), "dict": dict}


class ParameterError(ValueError):
    """A notebook parameter that does not fit (wrong type, impossible date, missing folder …)."""


def coerce_value(name: str, value: Any, info: Mapping[str, Any]) -> Any:
    """``value`` read as the kind its parameter takes when it is a string that spells one (``'["en"]'`` →
    ``["en"]``, ``"24"`` → 24); every other value is returned unchanged."""
    kind = expected_kind(name, dict(info))
    if not isinstance(value, str) or kind not in _KINDS:
        return value
    for parse in (ast.literal_eval, yaml.safe_load):
        with contextlib.suppress(ValueError, SyntaxError, TypeError, MemoryError, RecursionError, yaml.YAMLError):
            parsed = parse(value)
            if isinstance(parsed, _KINDS[kind]) and not (kind in ("int", "float") and isinstance(parsed, bool)):
                return list(parsed) if isinstance(parsed, tuple) else parsed
    return value


def _items(text: str) -> str:
    return ", ".join(x.strip().strip("\"'") for x in text.strip().strip("[]()").split(",") if x.strip().strip("\"'"))


def _how(name: str, kind: str | None, default: Any, value: Any = None) -> str:
    if kind == "list":
        items = (_items(value) if isinstance(value, str) else "") or (
            _items(default) if isinstance(default, str) and default.startswith("[") else "") or "C01, C02"
        return f"pass a list with papermill -y '{name}: [{items}]' (or in a run config: {name}: [{items}])"
    if kind in ("int", "float"):
        return f"pass a number, e.g. papermill -p {name} {default if default not in (None, 'None') else 1}"
    if is_date_parameter(name):
        return f"pass an ISO date, e.g. papermill -p {name} 2025-01-31"
    return f"see papermill --help-notebook for {name}"


def checked_parameters(notebook: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's parameters from ``values`` (its namespace), checked and, where a string spells the
    expected list or number, read as that; raises :class:`ParameterError` listing every problem.

    ``notebook`` is the notebook's name in the workbook's ``notebooks/`` folder (``"01_audience_research"``);
    its ``parameters`` cell says which parameters exist and what kind each takes. Use it in the first cell:
    ``globals().update(checked_parameters("01_audience_research", globals()))``.
    """
    path = workbook_root() / "notebooks" / f"{notebook.removesuffix('.ipynb')}.ipynb"
    declared = notebook_parameters(path)
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, info in declared.items():
        if name not in values:
            continue
        value = coerce_value(name, values[name], info)
        why = check_value(name, value, info)
        if why:
            problems.append(f"{why}; {_how(name, expected_kind(name, info), info.get('default'), value)}")
        out[name] = value
    start, end = out.get("start"), out.get("end")
    if start and end and not any(p.startswith(("start:", "end:")) for p in problems):
        if parse_date(start) > parse_date(end):
            problems.append(f"start {start} is after end {end}: the period would be empty")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise ParameterError(f"{notebook}: {len(problems)} parameter problem{'s' if len(problems) > 1 else ''}:\n"
                             f"{listed}\n(the notebook's parameters: papermill --help-notebook {path.name})")
    return out
