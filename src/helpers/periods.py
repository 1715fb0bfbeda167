"""The old path of reporting windows, kept so ``helpers.periods.NoDataError`` keeps working.

DEVELOPERS.md and users' notebooks raise ``helpers.periods.NoDataError``; the code lives in
:mod:`helpers.run.periods`, where new code should import it from.
"""
from __future__ import annotations

from helpers.run.periods import (
    PERIOD_NAMES, NoDataError, Period, parse_as_of, parse_date, resolve_period, zone,
)

__all__ = ["Period", "NoDataError", "resolve_period", "parse_as_of", "PERIOD_NAMES", "parse_date", "zone"]
