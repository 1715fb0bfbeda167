"""Relative reporting windows (helpers.periods) resolved against an as-of date."""
from __future__ import annotations

import datetime as dt

import pytest

from helpers.run.periods import parse_as_of, resolve_period

D = dt.date


@pytest.mark.parametrize("name, as_of, start, end", [
    ("last_7_days", D(2026, 11, 23), D(2026, 11, 16), D(2026, 11, 22)),       # complete days before as-of
    ("last_30_days", D(2026, 3, 1), D(2026, 1, 30), D(2026, 2, 28)),
    ("yesterday", D(2026, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ("last_week", D(2026, 11, 25), D(2026, 11, 16), D(2026, 11, 22)),         # Wednesday -> previous Mon–Sun
    ("last_week", D(2026, 11, 23), D(2026, 11, 16), D(2026, 11, 22)),         # Monday -> the week just ended
    ("last_2_weeks", D(2026, 11, 23), D(2026, 11, 9), D(2026, 11, 22)),
    ("week_to_date", D(2026, 11, 25), D(2026, 11, 23), D(2026, 11, 25)),
    ("last_month", D(2026, 3, 15), D(2026, 2, 1), D(2026, 2, 28)),
    ("last_month", D(2024, 3, 1), D(2024, 2, 1), D(2024, 2, 29)),             # leap year
    ("last_month", D(2026, 1, 10), D(2025, 12, 1), D(2025, 12, 31)),          # across the year
    ("last_3_months", D(2026, 2, 10), D(2025, 11, 1), D(2026, 1, 31)),
    ("month_to_date", D(2026, 11, 1), D(2026, 11, 1), D(2026, 11, 1)),
    ("previous_quarter", D(2026, 1, 5), D(2025, 10, 1), D(2025, 12, 31)),
    ("previous_quarter", D(2026, 5, 31), D(2026, 1, 1), D(2026, 3, 31)),
    ("quarter_to_date", D(2026, 8, 2), D(2026, 7, 1), D(2026, 8, 2)),
    ("previous_year", D(2026, 6, 1), D(2025, 1, 1), D(2025, 12, 31)),
    ("year_to_date", D(2026, 6, 1), D(2026, 1, 1), D(2026, 6, 1)),
    ("2025-02", D(2030, 1, 1), D(2025, 2, 1), D(2025, 2, 28)),
    ("2025-Q4", D(2030, 1, 1), D(2025, 10, 1), D(2025, 12, 31)),
    (2025, D(2030, 1, 1), D(2025, 1, 1), D(2025, 12, 31)),
    ("2025-01-05..2025-01-09", D(2030, 1, 1), D(2025, 1, 5), D(2025, 1, 9)),
    ("2025-01-05..", D(2030, 1, 1), D(2025, 1, 5), None),
    ("all", D(2030, 1, 1), None, None),
])
def test_periods_resolve_to_whole_days(name, as_of, start, end):
    p = resolve_period(name, as_of)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("spec, fragment", [
    ("last_fortnight", "unknown period"),
    ("last_0_days", "at least 1"),
    ("2025-13", "does not exist"),
    ("2025-02-30..2025-03-01", "not a real date"),
    ("2025-03-01..2025-02-01", "after it ends"),
])
def test_bad_periods_say_why(spec, fragment):
    with pytest.raises(ValueError, match=fragment):
        resolve_period(spec, D(2026, 1, 1))


def test_as_of_is_taken_in_the_configured_timezone():
    # 22:30 UTC on the 22nd is already the 23rd in Baku (UTC+4): the windows move with it
    moment, is_date = parse_as_of("2026-11-22T22:30:00+00:00", "Asia/Baku")
    assert moment.date() == D(2026, 11, 23) and not is_date
    assert resolve_period("yesterday", moment.date()).start == D(2026, 11, 22)
    day, is_date = parse_as_of("2026-11-23", "Asia/Baku")
    assert is_date and day.utcoffset() == dt.timedelta(hours=4)
    now, _ = parse_as_of(None, "Asia/Baku")
    assert abs((now - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 5
    with pytest.raises(ValueError, match="as-of"):
        parse_as_of("next tuesday", "UTC")
    with pytest.raises(ValueError, match="not a real date"):
        parse_as_of("2026-02-30", "UTC")
    with pytest.raises(ValueError, match="unknown timezone"):
        parse_as_of(None, "Mars/Olympus")
