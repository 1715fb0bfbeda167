"""How numbers and charts read for people: shares as percentages, durations in hours, dates, local times,
and the plain-language description (alt text) of a chart.

Two kinds of formatter live here:

* the notebooks' English prose formatters (``pct``, ``hours``, ``local_time``): what researchers read in the
  notebooks and what nbval compares;
* the edition formatters (``fmt_number``, ``fmt_share``, ``fmt_hours``, ``fmt_date``, ``fmt_date_range`` …) for
  ``en``, ``ru`` and ``az``: every digit group, decimal sign, percent sign, unit, month name and date range comes
  from Babel's CLDR locale data, plural forms from the gettext catalogs (:mod:`helpers.i18n`), and
  :func:`localise_numbers` re-writes the English numbers of a finished text in an edition's format.
"""
from __future__ import annotations

import copy
import datetime as dt
import decimal
import functools
import math
import re
from typing import Any

import pandas as pd

from helpers.i18n import N_, NP_, check_language, gettext, ngettext

__all__ = ["MISSING", "is_missing_number", "pct", "hours", "local_time", "language_shares", "describe", "missing",
           "fmt_number",
           "fmt_int", "fmt_share", "fmt_hours", "fmt_date", "fmt_datetime", "fmt_date_range", "fmt_count",
           "localise_numbers", "as_number", "parse_when"]

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


def language_shares(codes: Any, top: int = 3) -> str:
    """The most frequent language codes with their shares, for prose: ``"de (100 %)"``, ``"ru (60 %), en (40 %)"``.

    ``codes`` is a sequence of ISO 639-1 codes (missing counted as "und"); at most ``top`` are named. "" when empty.
    """
    values = pd.Series(list(codes), dtype=object).fillna("und").astype(str)
    if values.empty:
        return ""
    shares = values.value_counts(normalize=True, sort=True).head(top)
    return ", ".join(f"{code} ({pct(share)})" for code, share in shares.items())


def describe(fig: Any) -> str:
    """The plain-language description of a chart (its alt text, set by :func:`helpers.plots.base.finish`);
    falls back to the axes' titles, then "Chart". Needs no matplotlib import of its own."""
    text = getattr(fig, "_alt_text", None)
    if text:
        return str(text)
    titles = [ax.get_title(loc="left") or ax.get_title() for ax in getattr(fig, "axes", [])]
    return "; ".join(t for t in titles if t) or "Chart"


# --------------------------------------------------------------------------------------------------
# edition formatters: Babel's locale data for en, ru, az
# --------------------------------------------------------------------------------------------------


def missing(language: str = "en") -> str:
    """What a missing number reads as in ``language`` ("n/a", "н/д", "m/y")."""
    return gettext(N_("n/a"), language)


def as_number(value: Any) -> float | None:
    """A finite float, or None for missing/NaN/non-numeric/bool values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


@functools.lru_cache(maxsize=None)
def _locale(language: str):
    from babel import Locale

    return Locale.parse(check_language(language))


@functools.lru_cache(maxsize=None)
def _percent_pattern(language: str, digits: int):
    pattern = copy.copy(_locale(language).percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def _rounded(f: float, digits: int) -> decimal.Decimal:
    """``f`` rounded half away from zero to ``digits`` decimals (12.65 → 12.7, as people round)."""
    return decimal.Decimal(repr(f)).quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP)


def _decimal(f: float, language: str, digits: int) -> str:
    from babel.numbers import format_decimal

    text = format_decimal(_rounded(f, digits), format="#,##0" + ("." + "0" * digits if digits else ""), locale=_locale(language))
    return text.replace("-", "\u2212") if language != "en" else text


def fmt_number(value: Any, language: str = "en", digits: int = 1) -> str:
    """A number for prose in the edition's format (Babel): en ``12,010.5``, ru ``12 010,5``, az ``12.010,5``.

    Missing values give "n/a" / "н/д" / "m/y"."""
    f = as_number(value)
    return missing(language) if f is None else _decimal(f, language, digits)


def fmt_int(value: Any, language: str = "en") -> str:
    """A count: en ``12,010``, ru ``12 010``, az ``12.010``."""
    f = as_number(value)
    return fmt_number(round(f) if f is not None else None, language, 0)


def fmt_share(value: Any, language: str = "en", digits: int | None = None) -> str:
    """A share 0–1 as a percentage in the locale's percent pattern: en ``72%``, ru ``72 %``, az ``72%``
    (1 decimal below 10 %, e.g. ``7.8%`` / ``7,8 %``)."""
    f = as_number(value)
    if f is None:
        return missing(language)
    if digits is None:
        digits = 1 if abs(f) < 0.1 else 0
    text = _percent_pattern(language, digits).apply(_rounded(f, digits + 2), _locale(language))
    return text.replace("-", "\u2212") if language != "en" else text


def fmt_hours(value: Any, language: str = "en", digits: int = 1) -> str:
    """Hours with the locale's short unit (Babel/CLDR): en ``7.5 hr``, ru ``7,5 ч``, az ``7,5 saat``."""
    from babel.units import format_unit

    f = as_number(value)
    if f is None:
        return missing(language)
    return format_unit(_rounded(f, digits), "duration-hour", length="short", format="#,##0" + ("." + "0" * digits if digits else ""),
                       locale=_locale(language))


def parse_when(value: Any) -> dt.datetime | dt.date | None:
    """A date or datetime from an ISO string, a date or a datetime (None when it is none of them)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None


def fmt_date(value: Any, language: str = "en") -> str:
    """A date in the locale's long format: en ``November 25, 2026``, ru ``25 ноября 2026 г.``,
    az ``25 noyabr 2026``."""
    from babel.dates import format_date

    when = parse_when(value)
    if when is None:
        return missing(language)
    day = when.date() if isinstance(when, dt.datetime) else when
    return format_date(day, format="long", locale=_locale(language))


def fmt_datetime(value: Any, language: str = "en") -> str:
    """A moment: the long date and the 24-hour time in UTC (converted when it carries a timezone)."""
    when = parse_when(value)
    if when is None:
        return missing(language)
    if not isinstance(when, dt.datetime):
        return fmt_date(when, language)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return f"{fmt_date(when, language)}, {when:%H:%M} UTC"


def fmt_date_range(start: Any, end: Any, language: str = "en") -> str:
    """A range of days in the locale's interval format (Babel): en ``Nov 1 – 25, 2026``,
    ru ``1—25 нояб. 2026 г.``, az ``1 – 25 noy 2026``; one end missing gives the other date alone."""
    from babel.dates import format_interval

    a, b = parse_when(start), parse_when(end)
    a = a.date() if isinstance(a, dt.datetime) else a
    b = b.date() if isinstance(b, dt.datetime) else b
    if a is None or b is None:
        return fmt_date(a or b, language)
    if a == b:
        return fmt_date(a, language)
    return format_interval(a, b, skeleton="yMMMd", locale=_locale(language))


def fmt_count(n: Any, forms: tuple[str, str], language: str = "en") -> str:
    """A count with its noun in the plural form the language needs (catalog plurals, Babel's rules):
    ``fmt_count(5, NP_("{n} message", "{n} messages"), "ru")`` → ``5 сообщений``."""
    f = as_number(n)
    count = 0 if f is None else int(round(f))
    return ngettext(forms[0], forms[1], count, language, n=fmt_int(count, language))


# an English number as the notebooks write it: 1,234 / 12.5 / 1,234.5 (not part of a date, id or version)
_EN_NUMBER = re.compile(r"(?<![\w.,\-/:])([−-]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\w.,]\d|\w)")
_EN_PERCENT = re.compile(r"(?<![\w.,\-/:])([+−-]?)(\d+(?:\.\d+)?)\s?%")
_EN_HOURS = re.compile(r"(?<![\w.,\-/:])(\d[\d,]*(?:\.\d+)?) h\b")
_EN_DAYS = re.compile(r"(?<![\w.,\-/:])(\d+(?:\.\d+)?) days\b")


def localise_numbers(text: str, language: str) -> str:
    """Re-write the English-formatted numbers of a finished text in ``language``'s format (Babel).

    Percentages (``12.3 %``), hours (``5.2 h``), days (``3.5 days``), grouped counts (``1,234``) and decimals
    (``0.42``) are converted; plain integers, dates, times, ids and every other character stay as they are;
    "n/a" becomes the language's word. English text is returned unchanged.
    """
    if check_language(language) == "en" or not text:
        return text

    def digits_of(number: str) -> int:
        return len(number.split(".")[1]) if "." in number else 0

    def to_float(number: str) -> float:
        return float(number.replace(",", ""))

    def percent(m: re.Match) -> str:
        sign, number = m.group(1), m.group(2)
        out = fmt_share(to_float(number) / 100, language, digits_of(number))
        return ("+" if sign == "+" else "\u2212" if sign in "−-" and sign else "") + out

    text = _EN_PERCENT.sub(percent, text)
    text = _EN_HOURS.sub(lambda m: fmt_hours(to_float(m.group(1)), language, digits_of(m.group(1))), text)
    text = _EN_DAYS.sub(lambda m: fmt_count(to_float(m.group(1)), NP_("{n} day", "{n} days"), language)
                        if "." not in m.group(1) else
                        gettext(N_("{n} days (fractional)"), language,
                                n=fmt_number(to_float(m.group(1)), language, digits_of(m.group(1)))), text)
    text = _EN_NUMBER.sub(lambda m: ("\u2212" if m.group(1) else "")
                          + fmt_number(to_float(m.group(2)), language, digits_of(m.group(2))), text)
    return re.sub(r"(?<!\w)n/a(?!\w)", missing(language), text)
