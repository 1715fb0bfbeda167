"""Trending terms: words whose share rose in the recent window against the period before."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.text.language import detect_languages
from helpers.text.normalising import (
    UNDETERMINED,
    as_languages,
    as_texts,
    raw_tokens,
    stopwords_for,
)

# --------------------------------------------------------------------------------------------------
# Trending terms
# --------------------------------------------------------------------------------------------------

_TREND_COLUMNS = ["term", "language", "count_recent", "count_before", "share_recent", "share_before", "lift"]


def _terms(text: Any, language: str | None) -> tuple[list[str], int]:
    """Unigrams and bigrams (both words non-stopwords, adjacent in the text) + content-token count."""
    stop = stopwords_for(language)
    tokens = raw_tokens(text, language)
    unigrams = [t for t in tokens if t not in stop]
    bigrams = [f"{a} {b}" for a, b in zip(tokens, tokens[1:]) if a not in stop and b not in stop]
    return unigrams + bigrams, len(unigrams)


def trending_terms(
    texts: Sequence[str],
    timestamps: Sequence[Any],
    languages: Sequence[str | None] | str | None = None,
    recent_share: float = 1 / 3,
    top_n: int = 15,
    min_count: int = 5,
    *,
    min_lift: float = 1.5,
) -> pd.DataFrame:
    """Terms whose share of words rose most in the latest part of the time range.

    The period ``[first, last]`` timestamp is split at ``last − recent_share × (last − first)``: texts
    after the cut are *recent*, the others *before*. Terms are word unigrams and bigrams after stopword
    removal (bigrams of two adjacent content words). Shares are term occurrences / content words of the
    period; ``lift = ((count_recent + 0.5) / words_recent) / ((count_before + 0.5) / words_before)``.
    Only terms with ``count_recent ≥ min_count``, seen in at least 2 recent texts, and ``lift ≥ min_lift``
    are kept (default 1.5: the share rose by half or more; terms that merely held steady are not "trending");
    a single word is dropped when a listed bigram containing it explains ≥ 80 % of its recent count.

    Args:
        texts: message texts.
        timestamps: one per text (anything ``pd.to_datetime(utc=True)`` parses); texts without a valid
            timestamp are ignored.
        languages: per-text codes; ``None`` detects them. Used for stopwords and the ``language`` column.
        recent_share: share (0–1, exclusive) of the time range that counts as recent.
        top_n: rows returned at most.
        min_count: minimum occurrences in the recent period.
        min_lift: minimum lift (ratio > 1) for a term to count as rising.

    Returns:
        DataFrame with columns term, language (where the term occurs most), count_recent, count_before,
        share_recent, share_before (0–1), lift (ratio), sorted by lift then count_recent, descending.
        Empty input, a single instant or an empty period give an empty frame with these columns.
    """
    if not 0 < recent_share < 1:
        raise ValueError(f"recent_share must be between 0 and 1 (exclusive), got {recent_share}")
    values, _ = as_texts(texts)
    n = len(values)
    stamps = list(timestamps.tolist() if isinstance(timestamps, pd.Series) else timestamps)
    if len(stamps) != n:
        raise ValueError(f"timestamps has {len(stamps)} values but texts has {n}")
    empty = pd.DataFrame({c: pd.Series(dtype=object if c in {"term", "language"} else
                                       ("int64" if c.startswith("count") else "float64")) for c in _TREND_COLUMNS})
    if n == 0:
        return empty
    times = pd.to_datetime(pd.Series(stamps, dtype=object), utc=True, errors="coerce", format="mixed")
    valid = times.notna().to_numpy()
    if not valid.any():
        return empty
    if languages is None:
        langs = [None] * n
        pos = np.flatnonzero(valid)
        detected = detect_languages([values[i] for i in pos], progress=False).tolist()
        for p, code in zip(pos, detected):
            langs[p] = None if code == UNDETERMINED else code
    else:
        langs = as_languages(languages, n)
    first, last = times[valid].min(), times[valid].max()
    if first == last:
        return empty
    cut = last - (last - first) * recent_share
    is_recent = (times > cut).to_numpy()
    counts = {True: Counter(), False: Counter()}
    docs_recent: Counter[str] = Counter()
    words = {True: 0, False: 0}
    term_lang: dict[str, Counter[str]] = defaultdict(Counter)
    for i in np.flatnonzero(valid):
        recent = bool(is_recent[i])
        terms, n_words = _terms(values[i], langs[i])
        counts[recent].update(terms)
        words[recent] += n_words
        lang = langs[i] or UNDETERMINED
        for term in set(terms):
            term_lang[term][lang] += 1
        if recent:
            docs_recent.update(set(terms))
    if words[True] == 0 or words[False] == 0:
        return empty
    rows = []
    for term, c_recent in counts[True].items():
        if c_recent < min_count or docs_recent[term] < 2:
            continue
        c_before = counts[False].get(term, 0)
        share_recent = c_recent / words[True]
        share_before = c_before / words[False]
        lift = ((c_recent + 0.5) / words[True]) / ((c_before + 0.5) / words[False])
        if lift < min_lift or lift <= 1:
            continue
        language = sorted(term_lang[term].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        rows.append((term, language, c_recent, c_before, share_recent, share_before, lift))
    if not rows:
        return empty
    frame = pd.DataFrame(rows, columns=_TREND_COLUMNS)
    frame = frame.sort_values(["lift", "count_recent", "term"], ascending=[False, False, True])
    bigram_counts = {t: c for t, c in zip(frame["term"], frame["count_recent"]) if " " in t}
    explained = set()
    for bigram, c in bigram_counts.items():
        for part in bigram.split(" "):
            if c >= 0.8 * counts[True].get(part, 0):
                explained.add(part)
    frame = frame[~frame["term"].isin(explained)].head(top_n).reset_index(drop=True)
    return frame.astype({"count_recent": "int64", "count_before": "int64"})

