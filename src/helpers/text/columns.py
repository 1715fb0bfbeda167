"""Whole text columns at once: :mod:`helpers.text.normalising`'s per-text results for a year of messages.

``normalise(strip_links(text), language)`` and :func:`helpers.text.normalising.raw_tokens` cost a few
microseconds per message in Python; a million messages make that the slowest part of a warm notebook run.
Here the texts of a column are joined by :data:`TEXT_SEPARATOR` and each step (the link regexes, NFC,
apostrophes, Turkic casing, casefolding, ё→е, combining marks, the word regex) runs once over the joined string,
in C. The separator (U+001E) is whitespace to the regexes and not a word character, NFC and casefolding leave it
alone and never combine it with a neighbour, so every match and every step stays inside its own text: the
results are the per-text ones, string for string (``tests/unit/test_text.py`` compares them on random Unicode
and on the synthetic organisation). A column in which some text holds the separator itself is done text by text.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.text.normalising import (
    MENTION_RE,
    TURKIC,
    URL_RE,
    WORD_RE,
    is_missing,
    normalise,
    raw_tokens,
    strip_links,
)

__all__ = ["TEXT_SEPARATOR", "normalise_many", "TokenTable", "token_table"]

TEXT_SEPARATOR = "\x1e"
"""Joins the texts of a column (see the module docstring)."""

# The steps of normalising.normalise, in its order (tests compare the two on random text, so they cannot drift)
_APOSTROPHE_PAIRS = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("´", "'"), ("‐", "-"), ("‑", "-"))
_AZ_LETTERS_RE = re.compile(r"[əƏ]")
_LINK_HINT_RE = re.compile(r"@|://|\.\S")  # every URL_RE and MENTION_RE match holds one of these
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_WORD_OR_SEPARATOR_RE = re.compile(WORD_RE.pattern + "|" + TEXT_SEPARATOR)
_TOKEN_CHUNK = 200_000  # texts tokenised per pass (bounds the token strings alive at once)


def normalise_many(texts: Sequence[str], languages: Sequence[str | None]) -> list[str]:
    """``normalise(strip_links(text), language)`` of each text (``str``; ``languages`` aligned, None = unknown)."""
    n = len(texts)
    if len(languages) != n:
        raise ValueError(f"languages has {len(languages)} values but texts has {n}; they must be aligned")
    if n == 0:
        return []
    joined = TEXT_SEPARATOR.join(texts)
    if joined.count(TEXT_SEPARATOR) != n - 1:  # a text holds the separator itself
        return [normalise(strip_links(t), lang) for t, lang in zip(texts, languages)]
    joined = unicodedata.normalize("NFC", TEXT_SEPARATOR.join(_strip_links_many(texts, joined)))
    for old, new in _APOSTROPHE_PAIRS:  # str.translate goes character by character: slower than seven replaces
        joined = joined.replace(old, new)
    parts = joined.split(TEXT_SEPARATOR)
    turkic = np.array([(lang in TURKIC) if lang else bool(_AZ_LETTERS_RE.search(p))
                       for p, lang in zip(parts, languages)], dtype=bool)
    for flag in (True, False):
        pos = np.flatnonzero(turkic == flag)
        if not len(pos):
            continue
        chunk = TEXT_SEPARATOR.join(parts) if len(pos) == n else TEXT_SEPARATOR.join([parts[i] for i in pos])
        chunk = chunk.replace("I", "ı").replace("İ", "i") if flag else chunk.replace("İ", "i")
        folded = _drop_marks(chunk.casefold().replace("ё", "е")).split(TEXT_SEPARATOR)
        if len(pos) == n:
            return folded
        for i, t in zip(pos.tolist(), folded):
            parts[i] = t
    return parts


def _strip_links_many(texts: Sequence[str], joined: str) -> list[str]:
    """:func:`strip_links` of each text (``joined``: the texts joined by the separator). Only a text with an ``@``,
    ``://`` or a dot before a non-space can hold a link, an address or a mention; those go through the regexes in
    one joined pass, the others are kept as they are."""
    out = list(texts)
    hints = [m.start() for m in _LINK_HINT_RE.finditer(joined)]
    if not hints:
        return out
    ends = np.cumsum(np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))) - 1
    pos = np.unique(np.searchsorted(ends, np.asarray(hints, dtype=np.int64), side="left")).tolist()
    stripped = strip_links(TEXT_SEPARATOR.join([texts[i] for i in pos])).split(TEXT_SEPARATOR)
    for i, t in zip(pos, stripped):
        out[i] = t
    return out


def _drop_marks(text: str) -> str:
    """``text`` without nonspacing marks (Unicode category Mn): a compiled class below U+10000, and the few
    characters beyond it (emoji, mostly) looked up one by one."""
    text = _bmp_marks().sub("", text)
    if _ASTRAL_RE.search(text):
        for ch in {c for c in _ASTRAL_RE.findall(text) if unicodedata.category(c) == "Mn"}:
            text = text.replace(ch, "")
    return text


@functools.cache
def _bmp_marks() -> re.Pattern[str]:
    """A character class of every nonspacing mark (Mn) below U+10000 in this Python's Unicode database (built on
    first use, ~0.05 s; below U+10000 the regex engine keeps it as a bitmap)."""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if unicodedata.category(chr(cp)) == "Mn":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]")


@dataclass(frozen=True)
class TokenTable:
    """The :func:`~helpers.text.normalising.raw_tokens` of a column of texts as arrays, in text order: token ``k``
    is ``vocab[code[k]]`` of text ``doc[k]`` (its position in the column); ``n_docs`` texts."""

    doc: np.ndarray
    code: np.ndarray
    vocab: np.ndarray
    n_docs: int

    def tokens_of(self, i: int) -> list[str]:
        """The tokens of text ``i`` (what ``raw_tokens`` gives for it)."""
        return self.vocab[self.code[self.doc == i]].tolist()

    def member_of(self, languages: Sequence[str | None], sets_for: Callable[[str | None], Any]) -> np.ndarray:
        """Per token: whether it is in ``sets_for(language of its text)`` (a set of words, e.g.
        :func:`~helpers.text.normalising.stopwords_for`); each distinct language's set is asked once per word."""
        codes, uniques = pd.factorize(pd.Series(list(languages), dtype=object), use_na_sentinel=False)
        table = np.zeros((len(uniques), len(self.vocab)), dtype=bool)
        words = self.vocab.tolist()
        for j, lang in enumerate(uniques):
            found = sets_for(None if is_missing(lang) else lang)
            table[j] = [w in found for w in words]
        return table[codes[self.doc], self.code] if len(self.doc) else np.zeros(0, dtype=bool)


def token_table(texts: Sequence[Any], languages: Sequence[str | None], min_length: int = 2) -> TokenTable:
    """``raw_tokens(text, language, min_length)`` of every text (non-strings have none) as one :class:`TokenTable`:
    one word-regex pass over each chunk of the normalised, joined column; whether a word is kept (length, letters,
    numbers with units) is decided once per distinct word, by ``raw_tokens`` itself."""
    values = [t if isinstance(t, str) else "" for t in texts]
    langs = list(languages)
    if len(langs) != len(values):
        raise ValueError(f"languages has {len(langs)} values but texts has {len(values)}; they must be aligned")
    vocab: dict[str, int] = {}
    keep: list[bool] = []
    docs, codes = [], []
    for lo in range(0, len(values), _TOKEN_CHUNK):
        norms = normalise_many(values[lo:lo + _TOKEN_CHUNK], langs[lo:lo + _TOKEN_CHUNK])
        if any(TEXT_SEPARATOR in t for t in norms):  # only when a text holds the separator itself
            words = [w for i, t in enumerate(norms) for w in [TEXT_SEPARATOR] * bool(i) + WORD_RE.findall(t)]
        else:
            words = _WORD_OR_SEPARATOR_RE.findall(TEXT_SEPARATOR.join(norms))
        local, uniques = pd.factorize(np.asarray(words, dtype=object))
        del words
        ids = np.empty(len(uniques), dtype=np.int64)
        for j, word in enumerate(uniques.tolist()):
            if word not in vocab:
                vocab[word] = len(vocab)
                # a word of normalised text is its own normal form: raw_tokens keeps it alone or drops it
                keep.append(word != TEXT_SEPARATOR and raw_tokens(word, None, min_length) == [word])
            ids[j] = vocab[word]
        glob = ids[local]
        doc = lo + np.cumsum(glob == vocab.get(TEXT_SEPARATOR, -1))
        kept = np.asarray(keep, dtype=bool)[glob]
        docs.append(doc[kept])
        codes.append(glob[kept])
    keep_arr = np.asarray(keep, dtype=bool)
    words_arr = np.empty(len(vocab), dtype=object)
    words_arr[:] = list(vocab)
    if not docs:
        return TokenTable(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), words_arr[keep_arr], 0)
    return TokenTable(doc=np.concatenate(docs), code=(np.cumsum(keep_arr) - 1)[np.concatenate(codes)],
                      vocab=words_arr[keep_arr], n_docs=len(values))
