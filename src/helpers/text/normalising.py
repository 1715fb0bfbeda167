"""Text normalisation for matching: Unicode, Turkic casing, links, tokens, stopwords, input coercion.

The base of :mod:`helpers.text` (the module is `normalising`; its main function is :func:`normalise`); see the
package docstring for the conventions."""
from __future__ import annotations

import functools
import math
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

UNDETERMINED = "und"

# --------------------------------------------------------------------------------------------------
# Normalisation and tokenising
# --------------------------------------------------------------------------------------------------

URL_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[\w.-]+@[\w-]+(?:\.[\w-]+)+\b"  # e-mail addresses
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|ru|az|io|info|biz|me|co|uk|de|tr|gov|edu|app|ly|gl)\b(?:/\S*)?",
    re.IGNORECASE,
)
MENTION_RE = re.compile(r"(?<!\w)@\w+")
# A word: letters/digits, optionally joined by internal apostrophes or hyphens (don't, что-то, e-mail).
WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
LETTER_RE = re.compile(r"[^\W\d_]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-"})
_APOSTROPHE_CHARS = frozenset(chr(c) for c in _APOSTROPHES)
# Languages whose dotted/dotless i pair differs from English casing: I -> ı and İ -> i.
TURKIC = frozenset({"az", "tr"})
_AZ_LETTERS_RE = re.compile(r"[əƏ]")


def normalise(text: str, language: str | None = None) -> str:
    """Unicode-normalise and lower-case ``text`` for matching (not for display).

    NFC, unified apostrophes/hyphens, casefold with Turkic rules for ``az``/``tr`` (``I``→``ı``,
    ``İ``→``i``; also applied when ``language`` is None and the text contains ``ə``), Russian ``ё``→``е``,
    stray combining marks (e.g. stress accents) removed. Azerbaijani ``ə`` and ``ı`` stay distinct
    from ``e`` and ``i``.
    """
    text = unicodedata.normalize("NFC", text)
    if not _APOSTROPHE_CHARS.isdisjoint(text):
        text = text.translate(_APOSTROPHES)
    turkic = (language in TURKIC) if language else bool(_AZ_LETTERS_RE.search(text))
    if turkic:
        text = text.replace("I", "ı").replace("İ", "i")
    else:
        text = text.replace("İ", "i")
    text = text.casefold().replace("ё", "е")
    if not text.isascii():
        marks = _nonspacing_marks()
        if not marks.isdisjoint(text):
            text = "".join(ch for ch in text if ch not in marks)
    return text


@functools.lru_cache(maxsize=1)
def _nonspacing_marks() -> frozenset[str]:
    """Every Unicode ``Mn`` (non-spacing mark) character of this Python's unicodedata, collected once per process
    (~0.2 s): ``isdisjoint`` checks a text in one C-level pass instead of a category lookup per character."""
    return frozenset(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn")


def strip_links(text: str) -> str:
    """Remove URLs, e-mail addresses and @mentions (they are not words of any language)."""
    return MENTION_RE.sub(" ", URL_RE.sub(" ", text))


def _keep_token(token: str, min_length: int) -> bool:
    if len(token) < min_length:
        return False
    letters = sum(1 for ch in token if ch.isalpha())
    if letters == 0:
        return False
    # numbers with a short unit/ordinal attached (12th, 5km, 4g, mp3) are numbers, not words
    return letters == len(token.replace("-", "").replace("'", "")) or letters >= 3


def raw_tokens(text: Any, language: str | None, min_length: int = 2) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    norm = normalise(strip_links(text), language)
    return [t for t in WORD_RE.findall(norm) if _keep_token(t, min_length)]


def tokenize(text: str, language: str | None = None, *, drop_stopwords: bool = False) -> list[str]:
    """Split ``text`` into lower-cased word tokens (offline, regex-based, Unicode-aware).

    Args:
        text: raw message text; non-strings (None/NaN) give ``[]``.
        language: ISO 639-1 code of the text, if known. ``"az"`` (and ``"tr"``) lower-case ``I`` to
            dotless ``ı`` and ``İ`` to ``i``; with ``None`` this happens when the text contains ``ə``.
        drop_stopwords: also drop the function words in :data:`STOPWORDS` for ``language`` (all
            languages' lists when ``language`` is None or unknown).

    Returns:
        Tokens of at least 2 characters, in text order. URLs, e-mail addresses, @mentions, numbers
        (also with short unit suffixes such as ``5km``/``12th``) and punctuation are dropped; internal
        apostrophes and hyphens are kept (``don't``, ``что-то``); ``#hashtag`` becomes ``hashtag``;
        Russian ``ё`` is folded to ``е``.
    """
    tokens = raw_tokens(text, language)
    if drop_stopwords:
        stop = stopwords_for(language)
        tokens = [t for t in tokens if t not in stop]
    return tokens


# Hand-written function-word lists (no NLTK). Written naturally; normalised with normalise below.
_STOPWORDS_RAW: dict[str, str] = {
    "en": """
        a about above after again against ago all almost along already also although always am among an
        and another any anybody anyone anything anyway anywhere are aren't around as at away be because
        been before being below besides between both but by can can't cannot cant could couldn't did didn't
        didnt do does doesn't doesnt doing don't dont done down during each either else enough etc even ever
        every everyone everything few for from further get gets getting go goes going gone got gotten had
        hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
        how how's however i i'd i'll i'm i've id if im in into is isn't isnt it it'd it'll it's its itself ive
        just least less let let's lets many may maybe me might mine more most much must mustn't my myself
        neither never no nobody none nor not nothing now of off often oh ok okay on once one only onto or
        other others otherwise ought our ours ourselves out over own per perhaps quite rather really same
        say says shall shan't she she'd she'll she's should shouldn't since so some somebody someone
        something sometimes somewhere still such than that that's thats the their theirs them themselves
        then there there's these they they'd they'll they're they've thing this those though through thus
        till to too toward towards under until up upon us very via was wasn't we we'd we'll we're we've well
        were weren't what what's whatever when when's whenever where where's whether which while who who's
        whoever whole whom whose why why's will with within without won't wont would wouldn't yeah yes yet
        you you'd you'll you're you've youre your yours yourself yourselves
    """,
    "ru": """
        а ага без более больше будем будет будете будто буду будут бы был была были было быть в вам вами вас
        ваш ваша ваше ваши вдруг ведь весь во вон вот впрочем все всё всегда всего всем всеми всех всю вся
        вы где где-то да даже для до его ее её ей ему если есть еще ещё же за зачем здесь и из или им ими
        именно иногда их к как как-то какая какие каким каких какой какую ко когда кого ком кому который кто
        кто-то куда ли либо лишь между меня мне много может можно мой моя мою мои мы на над надо наконец нам
        нами нас наш наша наше наши не него нее неё ней нельзя нем нём нет ни ним ними них но ну нужно о об
        однако он она они оно от откуда очень по под пока после потом потому почему почти при про раз разве
        с сам сама сами само свое своё свой свою своя свои своих себе себя сейчас сколько со совсем так
        также такие такой там те тебе тебя тем теперь то тогда того тоже той только том тот ту туда тут ты
        у уж уже хоть хотя чего чей чем через что что-то чтоб чтобы чуть чья эта эти этим этих это этого
        этой этом этот эту я являются вообще всё-таки пусть сюда нибудь кое
    """,
    "az": """
        amma ancaq artıq arasında axı az barədə bax bəli bəlkə bəri bəs bəzi bəzən biri birisi birdən bir biz
        bizdən bizə bizi bizim bu buna bundan bunlar bunları bunu bunun burada bura buradan bütün çox çünki da
        də daha deyil digər doğru elə eləcə ən əgər əslində əvvəl görə ha habelə hamı hamısı harada hansı hə
        hələ həm həmçinin həmin hər hətta heç idi imiş indi ilə isə kim kimi kimsə ki lakin lap mən məndən
        mənə məni mənim mı mi mu mü nə nəsə necə neçə niyə o olan olar olaraq olduqca oldu olmaq olub olur on
        ona onda ondan onlar onlara onları onların onu onun ora orada oradan öz özü özüm özümüz özün özünüz
        özləri qarşı qədər sadəcə sanki sarı sən səndən sənə səni sənin siz sizdən sizə sizi sizin sonra şey
        tək təbii tərəfindən üçün üzrə və vardır var ya yalnız yaxud yenə yenidən yəni yox yoxdur edir edən
        etdi etmək həmişə hələlik hansısa haqqında içində üstündə altında yanında belə guya fəqət onsuz
    """,
}

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(normalise(w, lang) for w in words.split()) for lang, words in _STOPWORDS_RAW.items()
}
"""Hand-written function words per language (ru ~190, az ~170, en ~280 incl. contractions), normalised
the way :func:`tokenize` normalises tokens (lower case, ``ё``→``е``)."""

_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())


def stopwords_for(language: str | None) -> frozenset[str]:
    return STOPWORDS.get(language or "", _ALL_STOPWORDS)

# --------------------------------------------------------------------------------------------------
# Input coercion and progress bars
# --------------------------------------------------------------------------------------------------


def as_texts(texts: Sequence[Any] | pd.Series | np.ndarray) -> tuple[list[Any], pd.Index]:
    """(values, index): the index of a Series, else a RangeIndex."""
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    if isinstance(texts, pd.Series):
        return texts.tolist(), texts.index
    values = list(texts)
    return values, pd.RangeIndex(len(values))


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_text(value: Any) -> str:
    return "" if is_missing(value) else str(value)


def as_languages(languages: Sequence[Any] | str | None, n: int, name: str = "languages") -> list[str | None]:
    """Per-text language codes (lower-cased; missing/"und" → None); a single string applies to all."""
    if languages is None:
        return [None] * n
    if isinstance(languages, str):
        values: list[Any] = [languages] * n
    else:
        values = languages.tolist() if isinstance(languages, pd.Series) else list(languages)
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} values but texts has {n}; they must be aligned")
    out: list[str | None] = []
    for v in values:
        code = None if is_missing(v) else str(v).strip().lower()
        out.append(None if not code or code == UNDETERMINED else code)
    return out

# --------------------------------------------------------------------------------------------------
# Display
# --------------------------------------------------------------------------------------------------


def truncate_for_display(text: str, max_chars: int = 200) -> str:
    """Collapse whitespace and shorten ``text`` to at most ``max_chars`` characters, ending in "…".

    Cuts at a word boundary when one lies in the last 30 % of the allowed length. Non-strings (None/NaN)
    give ``""``. The result is plain text: escape it before putting it into HTML.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    clean = " ".join(as_text(text).split())
    if len(clean) <= max_chars:
        return clean
    cut = clean[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= int((max_chars - 1) * 0.7):
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"
