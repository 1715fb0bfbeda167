"""Reporting windows: relative periods (``last_7_days``, ``last_month`` …) resolved against an as-of date.

Scheduled runs name their window instead of hard-coding dates, so the same config works every week::

    resolve_period("last_7_days", date(2026, 11, 23))  ->  Period("last_7_days", 2026-11-16, 2026-11-22)

Every window is a closed interval of whole days, ``start`` and ``end`` inclusive, in the organisation's
timezone (the as-of date is taken in that timezone). "last …" windows are the *complete* days, weeks, months
before the as-of day; "… to date" windows run up to and including the as-of day (which may be partial).

Names: ``today``, ``yesterday``, ``last_N_days`` (N ≥ 1, e.g. ``last_7_days``, ``last_30_days``),
``last_week`` / ``last_N_weeks`` (ISO weeks, Monday–Sunday), ``week_to_date``, ``last_month`` /
``last_N_months`` (calendar months), ``month_to_date``, ``previous_quarter`` (alias ``last_quarter``),
``quarter_to_date``, ``previous_year`` (alias ``last_year``), ``year_to_date``, ``all`` (no limits).
Fixed windows are written ``2025-03`` (a month), ``2025-Q1`` (a quarter), ``2025`` (a year) or
``2025-01-01..2025-03-31`` (either side may be empty for an open end).

:class:`NoDataError` is what helpers raise when a window holds nothing to analyse; scheduled runs turn it
into a page that says so instead of a failed run.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Period", "NoDataError", "resolve_period", "parse_as_of", "PERIOD_NAMES", "parse_date", "zone"]

PERIOD_NAMES = (
    "today", "yesterday", "last_N_days", "last_week", "last_N_weeks", "week_to_date", "last_month",
    "last_N_months", "month_to_date", "previous_quarter", "last_quarter", "quarter_to_date", "previous_year",
    "last_year", "year_to_date", "all", "YYYY-MM", "YYYY-Qn", "YYYY", "YYYY-MM-DD..YYYY-MM-DD",
)

_LAST_N = re.compile(r"^last_(\d+)_(day|week|month)s?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class NoDataError(LookupError):
    """The analysed window (brand, start–end) holds no data; a scheduled run shows a 'no data' page."""


@dataclass(frozen=True)
class Period:
    """A window of whole days, both ends inclusive (``None`` = open end)."""

    name: str
    start: dt.date | None
    end: dt.date | None

    def as_dict(self) -> dict[str, str | None]:
        """``{"name", "start", "end"}`` with ISO dates (None for open ends)."""
        return {"name": self.name, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None}

    def label(self) -> str:
        """'2026-11-16 – 2026-11-22' (open ends shown as '…')."""
        return f"{self.start or '…'} – {self.end or '…'}"


def parse_date(value: object) -> dt.date:
    """An ISO date (``"2025-01-31"`` or a ``date``); raises ValueError naming an impossible date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", value.strip()):
            raise ValueError(f"{value!r} is not a real date") from None
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _month_start(d: dt.date, back: int = 0) -> dt.date:
    """First day of the month ``back`` months before ``d``'s month."""
    index = d.year * 12 + d.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _quarter_start(d: dt.date) -> dt.date:
    return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def resolve_period(spec: object, as_of: dt.date) -> Period:
    """Resolve a period name or fixed window against the as-of day ``as_of`` (local date).

    Raises ValueError with the list of known names when ``spec`` is not a period, and when a fixed window
    has an impossible date or starts after it ends.
    """
    if isinstance(spec, dt.datetime):
        spec = spec.date()
    if isinstance(spec, dt.date):
        return Period(spec.isoformat(), spec, spec)
    if isinstance(spec, int) and not isinstance(spec, bool):
        spec = str(spec)
    if isinstance(spec, dict):
        unknown = set(spec) - {"start", "end"}
        if unknown:
            raise ValueError(f"period mapping takes only start and end, not {', '.join(sorted(unknown))}")
        start = parse_date(spec["start"]) if spec.get("start") is not None else None
        end = parse_date(spec["end"]) if spec.get("end") is not None else None
        return _checked(Period(f"{start or ''}..{end or ''}", start, end))
    if spec is None:
        return Period("all", None, None)
    if not isinstance(spec, str):
        raise ValueError(f"period {spec!r} is not a name or a window; known: {', '.join(PERIOD_NAMES)}")
    relative = _relative_period(spec, as_of)
    return relative if relative is not None else _fixed_period(spec)


def _relative_period(spec: str, d: dt.date) -> Period | None:
    """A named window relative to the as-of day ``d`` (``last_7_days``, ``month_to_date`` …), else None."""
    name = spec.strip()
    if name == "all":
        return Period(name, None, None)
    if name == "today":
        return Period(name, d, d)
    if name == "yesterday":
        y = d - dt.timedelta(days=1)
        return Period(name, y, y)
    if name == "last_week":
        name = "last_1_weeks"
    if name == "last_month":
        name = "last_1_months"
    m = _LAST_N.match(name)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if n < 1:
            raise ValueError(f"period {spec!r}: the number of {unit}s must be at least 1")
        if unit == "day":
            return Period(spec, d - dt.timedelta(days=n), d - dt.timedelta(days=1))
        if unit == "week":
            monday = d - dt.timedelta(days=d.weekday())
            return Period(spec, monday - dt.timedelta(days=7 * n), monday - dt.timedelta(days=1))
        this_month = _month_start(d)
        return Period(spec, _month_start(d, n), this_month - dt.timedelta(days=1))
    if name == "week_to_date":
        return Period(name, d - dt.timedelta(days=d.weekday()), d)
    if name == "month_to_date":
        return Period(name, _month_start(d), d)
    if name in {"previous_quarter", "last_quarter"}:
        this_q = _quarter_start(d)
        return Period(name, _month_start(this_q, 3), this_q - dt.timedelta(days=1))
    if name == "quarter_to_date":
        return Period(name, _quarter_start(d), d)
    if name in {"previous_year", "last_year"}:
        return Period(name, dt.date(d.year - 1, 1, 1), dt.date(d.year - 1, 12, 31))
    if name == "year_to_date":
        return Period(name, dt.date(d.year, 1, 1), d)
    return None


def _fixed_period(spec: str) -> Period:
    """A fixed window: ``2025-03``, ``2025-Q1``, ``2025`` or ``START..END``; ValueError for anything else."""
    name = spec.strip()
    if m := _MONTH.match(name):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"period {spec!r}: month {month} does not exist")
        first = dt.date(year, month, 1)
        return Period(name, first, _month_start(first, -1) - dt.timedelta(days=1))
    if m := _QUARTER.match(name):
        year, q = int(m.group(1)), int(m.group(2))
        first = dt.date(year, 3 * q - 2, 1)
        return Period(name, first, _month_start(first, -3) - dt.timedelta(days=1))
    if m := _YEAR.match(name):
        year = int(m.group(1))
        return Period(name, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if ".." in name:
        left, right = (part.strip() for part in name.split("..", 1))
        start = parse_date(left) if left else None
        end = parse_date(right) if right else None
        return _checked(Period(name, start, end))
    raise ValueError(f"unknown period {spec!r}; known: {', '.join(PERIOD_NAMES)}")


def _checked(period: Period) -> Period:
    if period.start and period.end and period.start > period.end:
        raise ValueError(f"period {period.name!r} starts ({period.start}) after it ends ({period.end})")
    return period


def zone(name: str | None) -> ZoneInfo:
    """``ZoneInfo(name)`` (UTC for None); raises ValueError for an unknown IANA timezone name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as 'Europe/Berlin' or 'UTC')") from None


def parse_as_of(value: object, timezone: str | None = "UTC") -> tuple[dt.datetime, bool]:
    """The as-of moment in ``timezone`` and whether it was given as a plain date.

    ``None`` means now. A date (``2026-11-23``) means that day (periods resolve against it); a naive
    timestamp (``2026-11-23T06:00``) is read in ``timezone``; an aware one is converted to it.
    Raises ValueError for anything else, naming the value.
    """
    tz = zone(timezone)
    if value is None:
        return dt.datetime.now(tz).replace(microsecond=0), False
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz), True
    elif isinstance(value, str):
        text = value.strip()
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            d = parse_date(text)
            return dt.datetime(d.year, d.month, d.day, tzinfo=tz), True
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"--as-of {value!r}: expected a date (YYYY-MM-DD) or an ISO timestamp") from None
    else:
        raise ValueError(f"--as-of {value!r}: expected a date (YYYY-MM-DD) or an ISO timestamp")
    moment = moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    return moment.replace(microsecond=0), False
