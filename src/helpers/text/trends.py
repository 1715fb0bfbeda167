"""Trending terms: words whose share rose in the recent window against the period before."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.text.language import detect_languages
from helpers.text.columns import TokenTable, token_table
from helpers.text.normalising import (
    UNDETERMINED,
    as_languages,
    as_texts,
    stopwords_for,
)

# --------------------------------------------------------------------------------------------------
# Trending terms
# --------------------------------------------------------------------------------------------------

_TREND_COLUMNS = ["term", "language", "count_recent", "count_before", "share_recent", "share_before", "lift"]


@dataclass(frozen=True)
class _Terms:
    """Term occurrences of a column of texts: unigrams (content words, i.e. not stopwords of the text's language)
    and bigrams (two adjacent tokens, both content words). Term ``j`` is ``keys[j]`` (in order of first
    occurrence): a token code below ``V`` (a unigram) or ``V + a·V + b`` (the bigram of tokens ``a`` and ``b``)."""

    tokens: TokenTable
    keys: np.ndarray
    count_recent: np.ndarray  # occurrences in recent texts, per term
    count_before: np.ndarray
    docs_recent: np.ndarray  # recent texts holding the term
    words_recent: int  # content words of recent texts
    words_before: int
    pair_term: np.ndarray  # (text, term) pairs, each once
    pair_lang: np.ndarray  # language (code into lang_names) of the pair's text
    lang_names: list[str]

    def term(self, j: int) -> str:
        key, v = int(self.keys[j]), len(self.tokens.vocab)
        if key < v:
            return str(self.tokens.vocab[key])
        a, b = divmod(key - v, v)
        return f"{self.tokens.vocab[a]} {self.tokens.vocab[b]}"

    def recent_counts_of(self, words: Sequence[str]) -> dict[str, int]:
        """Recent occurrences of each unigram in ``words`` (0 for a word that is none)."""
        words = list(words)
        codes = pd.Index(self.tokens.vocab).get_indexer(words) if len(self.tokens.vocab) else np.full(len(words), -1)
        j = pd.Index(self.keys).get_indexer(codes) if len(self.keys) else np.full(len(words), -1)
        j[codes < 0] = -1
        return {w: int(self.count_recent[i]) if i >= 0 else 0 for w, i in zip(words, j.tolist())}

    def languages(self, terms: np.ndarray) -> list[str]:
        """Per term: the language of most of the texts holding it (ties: the first code in sort order)."""
        if not len(terms):
            return []
        wanted = np.zeros(len(self.keys), dtype=bool)
        wanted[terms] = True
        sel = wanted[self.pair_term]
        frame = pd.DataFrame({"term": self.pair_term[sel], "lang": self.pair_lang[sel]})
        counts = frame.value_counts(["term", "lang"]).rename("n").reset_index()
        counts["name"] = np.asarray(self.lang_names, dtype=object)[counts["lang"].to_numpy()]
        best = counts.sort_values(["term", "n", "name"], ascending=[True, False, True], kind="stable") \
            .drop_duplicates("term")
        return best.set_index("term")["name"].reindex(terms).astype(object).tolist()


def _term_occurrences(texts: list[Any], languages: list[str | None], recent: np.ndarray) -> _Terms:
    """The unigram and bigram counts of ``texts`` (``recent``: per text, whether it is in the recent part)."""
    tt = token_table(texts, languages)
    v = len(tt.vocab)
    stop = tt.member_of(languages, stopwords_for)
    content = ~stop
    doc, code = tt.doc, tt.code
    pair = np.flatnonzero((doc[:-1] == doc[1:]) & content[:-1] & content[1:]) if len(doc) > 1 else np.zeros(0, int)
    keys = np.concatenate([code[content], v + code[pair] * v + code[pair + 1]])
    key_doc = np.concatenate([doc[content], doc[pair]])
    inv, uniq = pd.factorize(keys)  # hashing: numpy's unique is several times slower on ten million keys
    in_recent = recent[key_doc] if len(key_doc) else np.zeros(0, dtype=bool)
    n_terms = len(uniq)
    pairs = pd.unique(key_doc.astype(np.int64) * max(n_terms, 1) + inv)
    pair_doc, pair_term = np.divmod(pairs, max(n_terms, 1))
    lang_codes, lang_names = pd.factorize(pd.Series([lang or UNDETERMINED for lang in languages], dtype=object))
    words_recent = int((content & recent[doc]).sum()) if len(doc) else 0
    return _Terms(
        tokens=tt, keys=uniq,
        count_recent=np.bincount(inv[in_recent], minlength=n_terms),
        count_before=np.bincount(inv[~in_recent], minlength=n_terms),
        docs_recent=np.bincount(pair_term[recent[pair_doc]], minlength=n_terms) if len(pairs) else
        np.zeros(n_terms, dtype=np.int64),
        words_recent=words_recent, words_before=int(content.sum()) - words_recent,
        pair_term=pair_term, pair_lang=lang_codes[pair_doc] if len(pairs) else np.zeros(0, dtype=np.int64),
        lang_names=[str(x) for x in lang_names])


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
    stamps = timestamps if isinstance(timestamps, pd.Series) else list(timestamps)
    if len(stamps) != n:
        raise ValueError(f"timestamps has {len(stamps)} values but texts has {n}")
    empty = pd.DataFrame({c: pd.Series(dtype=object if c in {"term", "language"} else
                                       ("int64" if c.startswith("count") else "float64")) for c in _TREND_COLUMNS})
    if n == 0:
        return empty
    if isinstance(timestamps, pd.Series) and str(timestamps.dtype) == "datetime64[ns, UTC]":
        times = timestamps.reset_index(drop=True)  # what parsing its values gives, without parsing a million
    else:
        times = pd.to_datetime(pd.Series(list(stamps), dtype=object), utc=True, errors="coerce", format="mixed")
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
    pos = np.flatnonzero(valid)
    terms = _term_occurrences([values[i] for i in pos], [langs[i] for i in pos], is_recent[pos])
    if terms.words_recent == 0 or terms.words_before == 0:
        return empty
    c_recent, c_before, docs_recent = terms.count_recent, terms.count_before, terms.docs_recent
    w_recent, w_before = terms.words_recent, terms.words_before
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = ((c_recent + 0.5) / w_recent) / ((c_before + 0.5) / w_before)
    chosen = np.flatnonzero((c_recent > 0) & (c_recent >= min_count) & (docs_recent >= 2)
                            & (lift >= min_lift) & (lift > 1))
    rows = []
    languages_of = terms.languages(chosen)
    for j, language in zip(chosen.tolist(), languages_of):
        c_r, c_b = int(c_recent[j]), int(c_before[j])
        rows.append((terms.term(j), language, c_r, c_b, c_r / w_recent, c_b / w_before, float(lift[j])))
    if not rows:
        return empty
    frame = pd.DataFrame(rows, columns=_TREND_COLUMNS)
    frame = frame.sort_values(["lift", "count_recent", "term"], ascending=[False, False, True])
    bigram_counts = {t: c for t, c in zip(frame["term"], frame["count_recent"]) if " " in t}
    unigram_counts = terms.recent_counts_of({part for bigram in bigram_counts for part in bigram.split(" ")})
    explained = set()
    for bigram, c in bigram_counts.items():
        for part in bigram.split(" "):
            if c >= 0.8 * unigram_counts[part]:
                explained.add(part)
    frame = frame[~frame["term"].isin(explained)].head(top_n).reset_index(drop=True)
    return frame.astype({"count_recent": "int64", "count_before": "int64"})

