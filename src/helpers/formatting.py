"""How numbers and charts read for people: shares as percentages, durations in hours, local times, and
the plain-language description (alt text) of a chart.

One home for the small formatters the Markdown views and the charts share. Locale-aware formatting for the
playbook editions (decimal comma, month names) lives in :mod:`helpers.publish.recommend`.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["MISSING", "is_missing_number", "pct", "hours", "local_time", "describe"]

MISSING = "n/a"
"""What a missing number reads as."""


def is_missing_number(value: Any) -> bool:
    """True for None, NaN, NA and NaT."""
    return value is None or bool(pd.isna(value))


def pct(share: float | None, digits: int = 0, *, signed: bool = False) -> str:
    """A share 0–1 as a percentage for prose, e.g. ``pct(0.123, 1)`` → ``"12.3 %"`` (``"n/a"`` when missing).

    ``signed`` writes the sign of a change (``"+12 %"``).
    """
    if is_missing_number(share):
        return MISSING
    return f"{share * 100:+.{digits}f} %" if signed else f"{share * 100:.{digits}f} %"


def hours(value: float | None, *, days_from: float | None = None) -> str:
    """A duration in hours as ``"5.2 h"`` (``"n/a"`` when missing).

    With ``days_from`` (hours), durations at or above it are written in days instead (``"3.5 days"``).
    """
    if is_missing_number(value):
        return MISSING
    if days_from is not None and value >= days_from:
        return f"{value / 24:.1f} days"
    return f"{value:.1f} h"


def local_time(ts: pd.Timestamp | None, timezone: str) -> str:
    """A UTC time as ``YYYY-MM-DD HH:MM`` in ``timezone`` ("n/a" when missing)."""
    return MISSING if is_missing_number(ts) else f"{ts.tz_convert(timezone):%Y-%m-%d %H:%M}"


def describe(fig: Any) -> str:
    """The plain-language description of a chart (its alt text, set by :func:`helpers.plots.base.finish`);
    falls back to the axes' titles, then "Chart". Needs no matplotlib import of its own."""
    text = getattr(fig, "_alt_text", None)
    if text:
        return str(text)
    titles = [ax.get_title(loc="left") or ax.get_title() for ax in getattr(fig, "axes", [])]
    return "; ".join(t for t in titles if t) or "Chart"
