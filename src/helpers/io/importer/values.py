"""Turning export cells into canonical values: timestamps, counts, sentiment labels, handles, thread roots."""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.io.schema import isin

__all__ = ["parse_timestamps", "parse_counts", "normalise_sentiment", "sentiment_scale", "describe_sentiment_mapping",
           "SentimentColumn", "map_sentiment_column", "NOT_RELEVANT", "SENTIMENT_SCALES", "handle_key", "thread_roots"]


_EPOCH_SECONDS = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_EPOCH_MILLIS = re.compile(r"^\d{13}$")
_HAS_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"
_DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})\b")
_MONTH_NAME = re.compile(r"[A-Za-z]{3}")


def _ns_range(values: pd.Series) -> pd.Series:
    """Timestamps outside what ``datetime64[ns]`` holds (years 1678–2261) become NaT (they are not dates a
    social-media export can mean; the row is quarantined as unparseable)."""
    lo, hi = pd.Timestamp("1678-01-01"), pd.Timestamp("2262-01-01")
    if getattr(values.dt, "tz", None) is not None:
        lo, hi = lo.tz_localize("UTC"), hi.tz_localize("UTC")
    return values.mask(((values < lo) | (values > hi)).fillna(False))


def _localize(naive: pd.Series, tz: str, notes: list[str]) -> pd.Series:
    """Naive wall-clock times in ``tz`` → UTC. Times that occur twice (DST end) are read as the first
    occurrence; times that do not exist (DST start) are moved forward; both are counted in a warning."""
    naive = _ns_range(naive).astype("datetime64[ns]")
    strict = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    odd = strict.isna() & naive.notna()
    if odd.any():
        lenient = naive.dt.tz_localize(tz, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward")
        strict = strict.where(~odd, lenient)
        notes.append(f"{int(odd.sum())} timestamp(s) fell into a daylight-saving change in {tz}; ambiguous ones "
                     "were read as the first occurrence, missing ones moved forward")
    return strict.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")


def _to_utc(parsed: pd.Series, tz: str, notes: list[str]) -> pd.Series:
    if getattr(parsed.dt, "tz", None) is not None:
        return _ns_range(parsed.dt.tz_convert("UTC")).astype("datetime64[ns, UTC]")
    return _localize(parsed, tz, notes)


def _dayfirst(values: Iterable[str], notes: list[str]) -> bool:
    """Whether ``01.02.2024``-style dates put the day first, judged over the whole column."""
    firsts, seconds, seps, examples = [], [], set(), []
    for v in values:
        m = _DMY.match(v)
        if m:
            examples.append(v)
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(3)))
            seps.add(m.group(2))
    if not firsts:
        return False
    if any(f > 12 for f in firsts):
        return True
    if any(s > 12 for s in seconds):
        return False
    dayfirst = seps == {"."}
    notes.append(f"{len(firsts)} date(s) such as {examples[0]!r} could be day/month or month/day; "
                 f"read as {'day.month' if dayfirst else 'month/day'} — set timestamp_format in the map to be sure")
    return dayfirst


def _lenient_one(value: str, dayfirst: bool) -> pd.Timestamp | None:
    from dateutil import parser as dateparser

    digits = re.findall(r"\d+", value)
    if len(digits) < 3 and not (_MONTH_NAME.search(value) and len(digits) >= 2):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # day-first only applies to dd.mm.yyyy-like values; "2024-03-01" stays year-month-day
            return pd.Timestamp(dateparser.parse(value, dayfirst=dayfirst and bool(_DMY.match(value))))
    except (ValueError, OverflowError, TypeError):
        return None


def parse_timestamps(values: pd.Series, timestamp_format: str | None = None, timezone: str = "UTC",
                     timezone_declared: bool = True) -> tuple[pd.Series, list[str]]:
    """Parse export timestamps to tz-aware UTC (``datetime64[ns, UTC]``); unparseable or empty → NaT.

    With ``timestamp_format`` (strptime, e.g. ``%d-%m-%Y %H.%M``) every value must match it. Otherwise:
    Unix epoch seconds (9–11 digits) or milliseconds (13 digits), ISO-8601 with or without a UTC offset,
    and other common forms (``05.01.2024 10:00``, ``Tue Feb 24 11:35:52 +0000 2015``) with day/month order
    judged over the whole column. Values without an offset are wall-clock times in ``timezone``. Returns the
    parsed Series (same index) and warnings.
    """
    notes: list[str] = []
    text = values.astype("string").str.strip()
    text = text.mask(text.eq("").fillna(False))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    present = text.notna()
    if timestamp_format:
        with_offset = "%z" in timestamp_format or "%Z" in timestamp_format
        parsed = pd.to_datetime(text, format=timestamp_format, errors="coerce", utc=with_offset)
        return _to_utc(parsed, timezone, notes), notes
    seconds = present & text.str.fullmatch(_EPOCH_SECONDS.pattern).fillna(False)
    millis = present & text.str.fullmatch(_EPOCH_MILLIS.pattern).fillna(False)
    if seconds.any():
        epoch = pd.to_numeric(text[seconds].astype(object), errors="coerce")
        epoch = epoch.where(epoch < 9_000_000_000)  # after 2255: not a date (and beyond datetime64[ns])
        out[seconds] = pd.to_datetime(epoch, unit="s", utc=True)
    if millis.any():
        out[millis] = pd.to_datetime(text[millis].astype("int64"), unit="ms", utc=True)
    rest = present & ~seconds & ~millis
    aware = rest & text.str.contains(_HAS_OFFSET, regex=True).fillna(False)
    naive = rest & ~aware
    if aware.any():
        out[aware] = _ns_range(pd.to_datetime(text[aware], utc=True, errors="coerce", format="ISO8601"))
    if naive.any():
        parsed = pd.to_datetime(text[naive], errors="coerce", format="ISO8601")
        if parsed.notna().any() and not timezone_declared:
            notes.append(f"{int(parsed.notna().sum())} timestamp(s) had no UTC offset and the map declares no "
                         "timezone; read as UTC — add 'timezone' to the map if they are local times")
        out[naive] = _localize(parsed, timezone, notes)
    left = present & out.isna()
    if left.any():
        leftovers = list(dict.fromkeys(text[left].tolist()))
        dayfirst = _dayfirst(leftovers, notes)
        parsed_one = {v: _lenient_one(v, dayfirst) for v in leftovers}
        aware_vals = {v: t.tz_convert("UTC") for v, t in parsed_one.items() if t is not None and t.tzinfo}
        naive_vals = {v: t for v, t in parsed_one.items() if t is not None and not t.tzinfo}
        if aware_vals:
            mask = left & isin(text, aware_vals)
            out[mask] = _ns_range(pd.to_datetime(text[mask].map(aware_vals), utc=True))
        if naive_vals:
            mask = left & isin(text, naive_vals)
            local = pd.to_datetime(text[mask].map(naive_vals))
            if not timezone_declared:
                notes.append(f"{int(mask.sum())} timestamp(s) had no UTC offset and the map declares no "
                             "timezone; read as UTC — add 'timezone' to the map if they are local times")
            out[mask] = _localize(local, timezone, notes)
    return out.astype("datetime64[ns, UTC]"), notes


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Counts like ``12``, ``1,234``, ``1 234``, ``12.0``, ``1.2K``, ``3M`` → ``Int64`` (empty → missing).

    Returns (counts, invalid mask) where invalid marks present values that are not whole numbers ≥ 0."""
    text = values.astype("string").str.strip()
    text = text.mask(text.eq("").fillna(False))
    clean = text.str.replace(r"[\s\u00a0\u202f_']", "", regex=True)
    grouped = clean.str.fullmatch(r"\d{1,3}(?:,\d{3})+").fillna(False)
    clean = clean.mask(grouped, clean.str.replace(",", "", regex=False))
    parts = clean.str.extract(r"^(\d+(?:[.,]\d+)?)([kKmM])$")
    scale = parts[1].str.lower().map({"k": 1_000, "m": 1_000_000})
    scaled = pd.to_numeric(parts[0].str.replace(",", ".", regex=False), errors="coerce") * scale.astype(float)
    number = pd.to_numeric(clean, errors="coerce", dtype_backend="numpy_nullable").astype("Float64")
    number = number.mask(scaled.notna(), scaled.round())
    invalid = text.notna() & (number.isna() | (number < 0) | (number != number.round())).fillna(True)
    counts = number.mask(invalid).astype("Int64")
    return counts, invalid.fillna(False).astype(bool)


_SENTIMENT_WORDS = {
    "negative": {"negative", "neg", "negativ", "bad", "very negative", "-1", "-", "−1", "–1", "негатив",
                 "негативный", "негативная", "негативное", "негативно", "нег", "отрицательный", "отрицательная",
                 "отрицательное", "отрицательно", "плохо", "mənfi", "menfi", "neqativ", "pis", "мәнфи"},
    "neutral": {"neutral", "neu", "neut", "neutr", "0", "нейтральный", "нейтральная", "нейтральное",
                "нейтрально", "нейтрал", "нейтр", "neytral", "нейтраль"},
    "positive": {"positive", "pos", "pozitiv", "good", "very positive", "1", "+1", "+", "позитив", "позитивный",
                 "позитивная", "позитивное", "позитивно", "поз", "положительный", "положительная",
                 "положительное", "положительно", "хорошо", "müsbət", "musbet", "müsbet", "musbət", "yaxşı",
                 "yaxsi", "мүсбәт"},
}
_SENTIMENT_LOOKUP = {word: label for label, words in _SENTIMENT_WORDS.items() for word in words}
_NOT_RELEVANT = frozenset({
    "not_relevant", "not relevant", "notrelevant", "irrelevant", "not-relevant", "n/a", "na", "none", "skip",
    "spam", "off-topic", "off topic", "offtopic", "нерелевантно", "нерелевантный", "не относится",
    "не по теме", "пропустить", "пропуск", "спам", "aid deyil", "əlaqəsiz", "elaqesiz", "keç", "kec",
})
"""Values meaning "this message is not about us / cannot be judged": dropped and counted, never an error."""
NOT_RELEVANT = "not relevant"
"""What :func:`normalise_sentiment` returns for a :data:`_NOT_RELEVANT`-style value when asked to."""
SENTIMENT_SCALES = {
    "signed": {-1.0: "negative", 0.0: "neutral", 1.0: "positive"},
    "stars": {1.0: "negative", 2.0: "negative", 3.0: "neutral", 4.0: "positive", 5.0: "positive"},
}
"""Numeric label encodings: ``signed`` −1/0/1 and ``stars`` 1–5 (1–2 negative, 3 neutral, 4–5 positive)."""


def _number(text: str) -> float | None:
    try:
        return float(text.replace("−", "-").replace("–", "-").replace(",", "."))
    except ValueError:
        return None


def _clean_label(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = " ".join(str(value).strip().casefold().replace("ё", "е").split())
    if text.count("★") and not text.strip("★☆ "):
        return str(text.count("★"))  # ★★★☆☆ → 3 stars
    for suffix in (" stars", " star", " звезды", " звезда", " звезд", " ulduz"):
        if text.endswith(suffix) and _number(text[: -len(suffix)]) is not None:
            return text[: -len(suffix)].strip()
    return text or None


def sentiment_scale(values: Iterable[Any]) -> str:
    """The numeric encoding of a whole label column: ``stars`` (1–5) when its numbers are whole values in
    1–5 and include a 2, 3, 4 or 5 but no −1 or 0; otherwise ``signed`` (−1/0/1)."""
    numbers = {n for v in values if (t := _clean_label(v)) is not None and t not in _SENTIMENT_LOOKUP
               and (n := _number(t)) is not None}
    numbers |= {n for v in values if (t := _clean_label(v)) in {"1", "0", "-1", "+1", "−1"}
                and (n := _number(t)) is not None}
    if numbers and numbers <= set(SENTIMENT_SCALES["stars"]) and numbers & {2.0, 3.0, 4.0, 5.0}:
        return "stars"
    return "signed"


def normalise_sentiment(value: Any, scale: str = "signed", not_relevant: bool = False) -> str | None:
    """A hand label as ``negative``/``neutral``/``positive``; None when it is not recognisable.

    Words in English, Russian and Azerbaijani (``Negative``, ``neg``, ``позитив``, ``müsbət``, ``menfi`` …),
    and numbers on ``scale``: ``signed`` (−1/0/1, the default) or ``stars`` (1–2 negative, 3 neutral, 4–5
    positive; also ``4 stars``, ``★★★★☆``) — :func:`sentiment_scale` judges a whole column. With
    ``not_relevant`` a not-relevant-style value (``not_relevant``, ``irrelevant``, ``spam``, ``n/a``,
    ``нерелевантно``, ``aid deyil`` …) returns :data:`NOT_RELEVANT` instead of None.
    """
    text = _clean_label(value)
    if text is None:
        return None
    if text in _NOT_RELEVANT:
        return NOT_RELEVANT if not_relevant else None
    number = _number(text)
    if number is not None:
        return SENTIMENT_SCALES[scale].get(number)
    return _SENTIMENT_LOOKUP.get(text)


def describe_sentiment_mapping(scale: str) -> str:
    """The stated mapping for a scale, for messages: e.g. ``1–2 → negative, 3 → neutral, 4–5 → positive``."""
    numbers = ("−1 → negative, 0 → neutral, 1 → positive" if scale == "signed"
               else "1–2 → negative, 3 → neutral, 4–5 → positive (stars)")
    return (f"{numbers}; negative/neg/негатив/mənfi → negative, neutral/neu/нейтрально/neytral → neutral, "
            "positive/pos/позитив/müsbət → positive; not_relevant/irrelevant/spam/n/a/нерелевантно/aid deyil → "
            "dropped")


@dataclass(frozen=True)
class SentimentColumn:
    """A whole hand-label column read by :func:`map_sentiment_column` (all Series share the input's index).

    ``sentiment``: negative/neutral/positive, missing where blank, not relevant or unmappable; ``given``:
    the cell is not blank; ``not_relevant``: a not-relevant-style value (dropped, counted); ``unmapped``: a
    value that is none of these; ``scale``: ``signed`` or ``stars``; ``mapping``: the stated mapping."""

    sentiment: pd.Series
    given: pd.Series
    not_relevant: pd.Series
    unmapped: pd.Series
    scale: str
    mapping: str

    def unmapped_listing(self, values: pd.Series, places: pd.Series, place: str = "row", limit: int = 10) -> str:
        """Distinct unmappable ``values`` with their count and first ``places`` (row numbers, same index):
        ``'meh' (3×, rows 4, 9, 12)``."""
        bad = self.unmapped
        parts = []
        for value, group in places[bad].groupby(values[bad].to_numpy(), sort=False):
            shown = ", ".join(map(str, group.iloc[:3]))
            more = ", …" if len(group) > 3 else ""
            parts.append(f"{value!r} ({len(group)}×, {place}{'s' if len(group) > 1 else ''} {shown}{more})")
        extra = f"; and {len(parts) - limit} more value(s)" if len(parts) > limit else ""
        return "; ".join(parts[:limit]) + extra

    def problem(self, column: str, values: pd.Series, places: pd.Series, place: str = "row") -> str | None:
        """The message for the unmappable values of ``column`` (None when there are none): how many, which
        (with their ``places``) and the accepted mapping."""
        if not self.unmapped.any():
            return None
        return (f"column {column!r}: {int(self.unmapped.sum())} value(s) could not be mapped to a sentiment — "
                f"{self.unmapped_listing(values, places, place)}. Accepted: {self.mapping}")


def map_sentiment_column(values: pd.Series) -> SentimentColumn:
    """Map a whole column of hand labels to sentiments — the one reading used by a labels file
    (``sentiment import``) and by an import map's ``label_column``.

    Blank cells are not labelled; the numeric encoding is judged over the whole column
    (:func:`sentiment_scale`: 1–5 stars or −1/0/1); each value goes through :func:`normalise_sentiment`
    with not-relevant values recognised (dropped and counted, never an error).
    """
    text = values.astype("string").str.strip()
    given = (text.notna() & text.ne("")).fillna(False).astype(bool)
    scale = sentiment_scale(text[given].tolist())
    norm = text.map(lambda v: normalise_sentiment(v, scale, not_relevant=True) if isinstance(v, str) else None)
    irrelevant = (given & norm.eq(NOT_RELEVANT).fillna(False)).astype(bool)
    unmapped = (given & norm.isna()).astype(bool)
    sentiment = norm.where(given & ~irrelevant & ~unmapped).astype("string")
    return SentimentColumn(sentiment=sentiment, given=given, not_relevant=irrelevant, unmapped=unmapped,
                           scale=scale, mapping=describe_sentiment_mapping(scale))


def handle_key(value: str) -> str:
    """How author handles are compared: stripped, without a leading ``@``, case-folded."""
    return value.strip().lstrip("@").casefold()


def thread_roots(ids: list[str], parents: list[Any]) -> list[str]:
    """Root of each message's parent chain (its own id when it has no parent); cycles stop at the repeat."""
    parent_of = {i: p for i, p in zip(ids, parents) if isinstance(p, str)}
    memo: dict[str, str] = {}
    roots = []
    for start in ids:
        path = []
        seen = set()
        node = start
        while node not in memo:
            path.append(node)
            seen.add(node)
            nxt = parent_of.get(node)
            if nxt is None or nxt in seen:
                memo[node] = node
                break
            node = nxt
        root = memo[node]
        for n in path:
            memo[n] = root
        roots.append(memo[start])
    return roots
