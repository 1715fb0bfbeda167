"""Text preparation for the sentiment model, tuned on real tweets (English and Russian, ``../shared/data``).

What real social text carries that templates do not, and what each step keeps as signal:

* **links and @mentions** become the tokens ``xxurl`` / ``xxuser`` (a link-only tweet is usually news,
  i.e. neutral; a reply to a handle is a conversation) instead of disappearing;
* **emoticons and emoji** become tokens (``:)`` → ``xxsmile``, ``:(`` → ``xxfrown``, each emoji its own
  token, ``👍`` and ``😀`` kept as themselves) — the word tokenizer would otherwise drop them;
* **repeated letters** are shortened to two (``sooooo`` → ``soo``, ``ооочень`` → ``оочень``) and runs of
  ``!``/``?`` to ``!!``/``??`` (kept as tokens ``xxexcl``/``xxquest``);
* **negation**: the words after ``not``/``no``/``never``/``n't``, ``не``/``нет``/``ни``, ``deyil``/``yox``/
  ``heç`` up to the next punctuation get the prefix ``not_`` (``not good`` → ``not not_good``), so "good"
  and "not good" are different features;
* **Russian ё/е** are one letter (``ё`` → ``е``), via :func:`helpers.text.normalise`;
* **Azerbaijani letters typed as their nearest ASCII** (``ə ı ş ç ğ ö ü`` → ``e i s c g o u``): ``müsbət``
  and ``musbet`` are one word; words written in Azerbaijani Cyrillic letters (``ә ө ү ғ ҹ һ ј ҝ``, typed on
  a Cyrillic keyboard) are transliterated to the same ASCII form.

:func:`prepare_words` feeds the word n-grams (all of the above), :func:`prepare_chars` the character
n-grams (the same without negation marks), :func:`lexicon_features` three VADER scores (its emoji and
emoticon lexicon reads them in any language; English words too). Saved models reference these functions
by name.
"""
from __future__ import annotations

import functools
import operator
import re
import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from helpers.sentiment.backends import vader_analyzer
from helpers.text import as_text, normalise
from helpers.text.normalising import MENTION_RE, URL_RE

__all__ = ["EMOTICONS", "NEGATORS", "POST_NEGATORS", "WORD_TOKEN_PATTERN", "prepare_chars", "prepare_words", "prepare_many",
           "fold_azerbaijani", "lexicon_features"]

EMOTICONS: dict[str, str] = {
    "xxsmile": r"(?<![\w/]):-?\)+|(?<![\w/])[=:;]-?(?:[)\]]|[dp](?!\w))|\^_?\^|(?<!\w):3\b|\)\)+",
    "xxfrown": r"(?<![\w/]):-?\(+|(?<![\w/])[=:;]-?[(\[/\\]|:'\(|\(\(+",
    "xxheart": r"<3+",
}
"""Emoticon token → regular expression (``))`` and ``((`` are the Russian smiley and frown)."""
_EMOTICON_RES = [(tok, re.compile(rx, re.IGNORECASE)) for tok, rx in EMOTICONS.items()]
NEGATORS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "cannot", "cant", "dont", "doesnt", "didnt", "isnt",
    "wasnt", "wont", "aint", "arent", "shouldnt", "wouldnt", "couldnt", "havent", "hasnt", "without",
    "не", "нет", "ни", "нисколько", "никогда", "ничего", "ничем", "без",
    "yox", "hec",
})
"""Words (after ASCII folding of Azerbaijani and removing apostrophes) that negate the words after them."""
POST_NEGATORS = frozenset({"deyil", "deyl", "yoxdur", "olmaz"})
"""Azerbaijani negators that follow the word they negate (``yaxşı deyil`` = not good)."""
# emoji and pictographs (one token each), then words
_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]"
WORD_TOKEN_PATTERN = r"(?u)" + _EMOJI + r"|\b\w+\b"
"""Token pattern for the word vectoriser: each emoji is a token, words are runs of word characters."""
_EMOJI_RE = re.compile(_EMOJI)
_REPEAT_RE = re.compile(r"(\w)\1{2,}")
_PUNCT_RUN = {"!": (re.compile(r"!{2,}"), " xxexcl "), "?": (re.compile(r"\?{2,}"), " xxquest ")}
_CLAUSE_END = re.compile(r"[.,;:!?()\n\"«»]")
_TOKEN_RE = re.compile(r"(?u)" + _EMOJI + r"|\b\w+\b")
_AZ_ASCII = str.maketrans({"ə": "e", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u"})
_AZ_ASCII_CHARS = frozenset(chr(c) for c in _AZ_ASCII)
_AZ_SCHWA_RE = re.compile(r"[əƏ]")
# Azerbaijani Cyrillic (the letters Russian has not) → the ASCII spelling of the Latin alphabet
_AZ_CYRILLIC_LETTERS = re.compile(r"[әөүғҹһјҝ]")
_AZ_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "q", "ғ": "g", "д": "d", "е": "e", "ә": "e", "ж": "j", "з": "z",
    "и": "i", "ы": "i", "ј": "y", "к": "k", "ҝ": "g", "л": "l", "м": "m", "н": "n", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "x", "һ": "h", "ч": "c",
    "ҹ": "c", "ш": "s", "й": "y", "ь": "", "ъ": "", "ю": "yu", "я": "ya", "ц": "ts", "щ": "s", "э": "e",
})


def fold_azerbaijani(text: str) -> str:
    """Azerbaijani letters to their nearest ASCII (``ə``→``e``, ``ş``→``s`` …) and Azerbaijani Cyrillic words
    to the same ASCII spelling; Russian words (no ``ә ө ү ғ ҹ һ ј ҝ``) are left alone. Expects lower case."""
    if _AZ_CYRILLIC_LETTERS.search(text):
        text = re.sub(r"(?u)\w*[әөүғҹһјҝ]\w*", lambda m: m.group(0).translate(_AZ_CYRILLIC), text)
    return text if _AZ_ASCII_CHARS.isdisjoint(text) else text.translate(_AZ_ASCII)


def _placeholders(text: str) -> str:
    """Links, @mentions and emoticons replaced by their tokens (the first step of the preparation)."""
    text = URL_RE.sub(" xxurl ", text)
    text = MENTION_RE.sub(" xxuser ", text)
    for token, rx in _EMOTICON_RES:
        text = rx.sub(f" {token} ", text)
    return text


def _base(value: Any, turkic: bool | None = None) -> str:
    """The preparation both outputs share. ``turkic`` forces :func:`normalise`'s Turkic casing (``I`` → ``ı``)
    on or off; None decides it from the text (an ``ə`` in it), as :func:`normalise` does."""
    text = _placeholders(as_text(value))
    text = normalise(text, None if turkic is None else ("az" if turkic else "en"))
    text = fold_azerbaijani(text)
    text = _REPEAT_RE.sub(r"\1\1", text)
    text = _EMOJI_RE.sub(lambda m: f" {m.group(0)} " if m.group(0) != "\ufe0f" else " ", text)
    text = text.replace("'", "").replace("#", " ")
    return text


def _mark_negation(text: str) -> str:
    """Tokens joined by spaces; within a clause, words after a negator (and the word before an Azerbaijani
    post-negator) get the prefix ``not_``; placeholder tokens (``xx…``) and emoji are never marked."""
    out: list[str] = []
    for clause in _CLAUSE_END.split(text):
        negated = False
        marked: list[str] = []
        for w in _TOKEN_RE.findall(clause):
            plain = w.startswith("xx") or _EMOJI_RE.fullmatch(w) is not None
            if w in POST_NEGATORS and marked and not marked[-1].startswith(("xx", "not_")):
                marked[-1] = "not_" + marked[-1]
            marked.append("not_" + w if negated and not plain else w)
            negated = (negated and not w.startswith("xx")) or w in NEGATORS
        out.extend(marked)
    return " ".join(out)


def _punctuation_runs(base: str) -> str:
    for _, (rx, token) in _PUNCT_RUN.items():
        base = rx.sub(token, base)
    return base


@functools.lru_cache(maxsize=200_000)
def _prepared(text: str) -> tuple[str, str]:
    """(words, chars) preparation of one text, cached: cross-validation and the labelling loop prepare the
    same texts many times."""
    base = _base(text)
    return _mark_negation(_punctuation_runs(base)), " ".join(base.split())


# --------------------------------------------------------------------------------------------------
# Many texts at once: each whitespace-separated piece prepared once
# --------------------------------------------------------------------------------------------------
#
# Every step of ``_base`` and the punctuation runs is a regular expression whose matches never contain
# whitespace and whose look-arounds and ``\b`` see whitespace as they see the start or end of a text, or a
# character-by-character mapping (NFC, casefold, ё→е, marks, ASCII folding) that maps no whitespace to
# non-whitespace. So a text prepares piece by piece — the pieces between its runs of whitespace — with two
# things decided for the whole text: the Turkic casing (an ``ə`` anywhere once links, mentions and emoticons
# are tokens) and the negation marks, which run across a clause (clauses also end at a newline). Pieces repeat
# across a million texts far more than texts do; texts without any negator need no marking at all (the marks
# only start at a negator or a post-negator), the others are marked by ``_mark_negation`` itself.

_WHITESPACE_SPLIT = re.compile(r"(\s+)")
_MAX_CACHED_PIECES = 1_000_000
_NEGATING = NEGATORS | POST_NEGATORS


_pieces: dict[bool, dict[str, tuple[str, str, str, bool, str]]] = {False: {}, True: {}}
"""Turkic casing → piece → (base, words before negation, its tokens joined by spaces, has a negator, chars)."""
_schwa_after_placeholders: dict[str, bool] = {}
_HAS_NEGATOR = operator.itemgetter(3)
_CHARS = operator.itemgetter(4)
_TOKENS = operator.itemgetter(2)


def _piece(piece: str, turkic: bool) -> tuple[str, str, str, bool, str]:
    cache = _pieces[turkic]
    if len(cache) > _MAX_CACHED_PIECES:
        cache.clear()
    base = _base(piece, turkic)
    words = _punctuation_runs(base)
    tokens = _TOKEN_RE.findall(words)
    found = cache[piece] = (base, words, " ".join(tokens), not _NEGATING.isdisjoint(tokens), " ".join(base.split()))
    return found


def _turkic(parts: list[str]) -> bool:
    """Whether :func:`normalise` applies Turkic casing to the text of ``parts``: an ``ə``/``Ə`` in it after the
    placeholders (a link or a mention may hold one)."""
    cache = _schwa_after_placeholders
    if len(cache) > _MAX_CACHED_PIECES:
        cache.clear()
    for part in parts[::2]:
        if "ə" in part or "Ə" in part:
            found = cache.get(part)
            if found is None:
                found = cache[part] = _AZ_SCHWA_RE.search(_placeholders(part)) is not None
            if found:
                return True
    return False


def prepare_many(values: Sequence[Any]) -> tuple[list[str], list[str]]:
    """(:func:`prepare_words`, :func:`prepare_chars`) of every text, the same strings, each piece between
    whitespace prepared once (see the comment above): ~4× faster than text by text on a million messages."""
    words_out: list[str] = []
    chars_out: list[str] = []
    for value in values:
        text = as_text(value)
        parts = _WHITESPACE_SPLIT.split(text)
        pieces = parts[::2]
        turkic = ("ə" in text or "Ə" in text) and _turkic(parts)
        prepared = list(map(_pieces[turkic].get, pieces))
        if None in prepared:
            prepared = [found or _piece(p, turkic) for p, found in zip(pieces, prepared)]
        chars_out.append(" ".join(filter(None, map(_CHARS, prepared))))
        if any(map(_HAS_NEGATOR, prepared)):
            words = [p[1] for p in prepared]
            words[:-1] = [w + s for w, s in zip(words, parts[1::2])]
            words_out.append(_mark_negation("".join(words)))
        else:
            words_out.append(" ".join(filter(None, map(_TOKENS, prepared))))
    return words_out, chars_out


def prepare_words(value: Any) -> str:
    """A text for the word n-grams: links/mentions/emoticons as tokens, casefolded, ё→е, Azerbaijani folded to
    ASCII, repeated letters shortened, ``!!``/``??`` as tokens, negated words prefixed ``not_``."""
    return _prepared(as_text(value))[0]


def prepare_chars(value: Any) -> str:
    """A text for the character n-grams: as :func:`prepare_words` without negation marks and punctuation
    tokens (characters already see ``!!`` and ``не``)."""
    return _prepared(as_text(value))[1]


def _prepare_batch(values: Sequence[Any]) -> dict[Any, list[str]]:
    """{prepare_words: …, prepare_chars: …} of many texts (:func:`prepare_many`): the ``batch`` both functions
    carry, which :mod:`helpers.sentiment.vectorise` calls once for a batch instead of each function per text."""
    words, chars = prepare_many(values)
    return {prepare_words: words, prepare_chars: chars}


prepare_words.batch = prepare_chars.batch = _prepare_batch  # type: ignore[attr-defined]


def lexicon_features(texts: Any) -> Any:
    """VADER's positive share, negative share and compound score (−1..1) per text, a sparse n × 3 matrix.

    VADER knows English words, emoticons and emoji; on a Russian or Azerbaijani text only the emoji,
    emoticons and English words count (the rest scores 0), so the column is signal, never a verdict.
    """
    from scipy import sparse  # third-party, imported on first use (start-up speed)

    rows = [_vader_row(as_text(t)) for t in texts]
    return sparse.csr_matrix(np.asarray(rows, dtype=float).reshape(-1, 3))


@functools.lru_cache(maxsize=200_000)
def _vader_row(text: str) -> tuple[float, float, float]:
    analyzer = vader_analyzer()
    if _vader_silent(text, analyzer):
        return (0.0, 0.0, 0.0)
    s = analyzer.polarity_scores(text)
    return (s["pos"], s["neg"], s["compound"])


@functools.lru_cache(maxsize=1)
def _vader_emoji_chars(analyzer: Any) -> frozenset[str]:
    """The characters VADER replaces by their descriptions (it looks at one character at a time)."""
    return frozenset(k for k in analyzer.emojis if len(k) == 1)


def _vader_silent(text: str, analyzer: Any) -> bool:
    """Whether VADER gives (0, 0, 0) without reading the rules: no emoji it describes and no item of its
    lexicon among its words — VADER's own items (whitespace tokens, punctuation stripped unless that leaves
    ≤ 2 characters, lower-cased). Every rule VADER has only scales the valence of lexicon items, so such a
    text scores 0 everywhere; most Russian and Azerbaijani texts are such texts."""
    if not _vader_emoji_chars(analyzer).isdisjoint(text):
        return False
    tokens = text.split()
    silent = _silent_tokens
    if silent.issuperset(tokens):  # most texts: every token already known to be no lexicon item
        return True
    if len(silent) > _MAX_CACHED_PIECES:
        silent.clear()
    lexicon = analyzer.lexicon
    for token in tokens:
        if token in silent:
            continue
        stripped = token.strip(string.punctuation)
        item = token if len(stripped) <= 2 else stripped
        if item.lower() in lexicon:
            return False
        silent.add(token)
    return True


_silent_tokens: set[str] = set()
"""Whitespace tokens of texts that are no item of VADER's lexicon (its lexicon never changes in a process)."""
