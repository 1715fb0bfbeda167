"""Multilingual text helpers: tokenising, language detection, sentiment, questions, clusters, trends.

The workbook's audiences write Russian (Cyrillic), Azerbaijani (Latin script with ə ı ş ç ğ ö ü) and
English. Everything here is offline: lingua ships its models in its wheel, TextBlob's ``.sentiment``
(PatternAnalyzer) and VADER ship their lexicons; NLTK corpora are never touched (no ``.words``,
``.sentences``, ``.noun_phrases`` or ``.tags``).

Conventions

* Language codes are ISO 639-1 strings (``"ru"``, ``"az"``, ``"en"``); ``"und"`` means undetermined
  (empty text, no letters, or the detector could not decide).
* Functions that take ``texts`` accept any sequence (list, tuple, ``pd.Series``, NumPy array). Missing
  values (None/NaN/NA) count as empty text. Results that are per text come back as a ``pd.Series`` /
  ``pd.DataFrame`` on the index of ``texts`` when it is a Series, otherwise on a ``RangeIndex``.
* ``languages`` arguments are per-text codes aligned with ``texts`` (a single string applies to all).
* English-only scorers never score other languages: those messages are *not scored* (NaN / <NA>),
  never "neutral".
"""
from __future__ import annotations

import functools
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_LANGUAGES",
    "STOPWORDS",
    "SENTIMENT_BACKENDS",
    "tokenize",
    "detect_languages",
    "language_mix",
    "score_sentiment",
    "is_question",
    "cluster_questions",
    "cluster_summary",
    "trending_terms",
    "truncate_for_display",
]

DEFAULT_LANGUAGES: tuple[str, ...] = ("ru", "az", "en")
"""The languages the seed organisation's audience writes (ISO 639-1)."""

UNDETERMINED = "und"

# --------------------------------------------------------------------------------------------------
# Normalisation and tokenising
# --------------------------------------------------------------------------------------------------

_URL_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[\w.-]+@[\w-]+(?:\.[\w-]+)+\b"  # e-mail addresses
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|ru|az|io|info|biz|me|co|uk|de|tr|gov|edu|app|ly|gl)\b(?:/\S*)?",
    re.IGNORECASE,
)
_MENTION_RE = re.compile(r"(?<!\w)@\w+")
# A word: letters/digits, optionally joined by internal apostrophes or hyphens (don't, что-то, e-mail).
_WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_LETTER_RE = re.compile(r"[^\W\d_]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-"})
# Languages whose dotted/dotless i pair differs from English casing: I -> ı and İ -> i.
_TURKIC = frozenset({"az", "tr"})
_AZ_LETTERS_RE = re.compile(r"[əƏ]")


def _normalise(text: str, language: str | None = None) -> str:
    """Unicode-normalise and lower-case ``text`` for matching (not for display).

    NFC, unified apostrophes/hyphens, casefold with Turkic rules for ``az``/``tr`` (``I``→``ı``,
    ``İ``→``i``; also applied when ``language`` is None and the text contains ``ə``), Russian ``ё``→``е``,
    stray combining marks (e.g. stress accents) removed. Azerbaijani ``ə`` and ``ı`` stay distinct
    from ``e`` and ``i``.
    """
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    turkic = (language in _TURKIC) if language else bool(_AZ_LETTERS_RE.search(text))
    if turkic:
        text = text.replace("I", "ı").replace("İ", "i")
    else:
        text = text.replace("İ", "i")
    text = text.casefold().replace("ё", "е")
    if any(unicodedata.category(ch) == "Mn" for ch in text):
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text


def _strip_links(text: str) -> str:
    """Remove URLs, e-mail addresses and @mentions (they are not words of any language)."""
    return _MENTION_RE.sub(" ", _URL_RE.sub(" ", text))


def _keep_token(token: str, min_length: int) -> bool:
    if len(token) < min_length:
        return False
    letters = sum(1 for ch in token if ch.isalpha())
    if letters == 0:
        return False
    # numbers with a short unit/ordinal attached (12th, 5km, 4g, mp3) are numbers, not words
    return letters == len(token.replace("-", "").replace("'", "")) or letters >= 3


def _raw_tokens(text: Any, language: str | None, min_length: int = 2) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    norm = _normalise(_strip_links(text), language)
    return [t for t in _WORD_RE.findall(norm) if _keep_token(t, min_length)]


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
    tokens = _raw_tokens(text, language)
    if drop_stopwords:
        stop = _stopwords_for(language)
        tokens = [t for t in tokens if t not in stop]
    return tokens


# Hand-written function-word lists (no NLTK). Written naturally; normalised with _normalise below.
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
    lang: frozenset(_normalise(w, lang) for w in words.split()) for lang, words in _STOPWORDS_RAW.items()
}
"""Hand-written function words per language (ru ~190, az ~170, en ~280 incl. contractions), normalised
the way :func:`tokenize` normalises tokens (lower case, ``ё``→``е``)."""

_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())


def _stopwords_for(language: str | None) -> frozenset[str]:
    return STOPWORDS.get(language or "", _ALL_STOPWORDS)


# --------------------------------------------------------------------------------------------------
# Input coercion and progress bars
# --------------------------------------------------------------------------------------------------


def _as_texts(texts: Sequence[Any] | pd.Series | np.ndarray) -> tuple[list[Any], pd.Index]:
    """(values, index): the index of a Series, else a RangeIndex."""
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    if isinstance(texts, pd.Series):
        return texts.tolist(), texts.index
    values = list(texts)
    return values, pd.RangeIndex(len(values))


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_text(value: Any) -> str:
    return "" if _is_missing(value) else str(value)


def _as_languages(languages: Sequence[Any] | str | None, n: int, name: str = "languages") -> list[str | None]:
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
        code = None if _is_missing(v) else str(v).strip().lower()
        out.append(None if not code or code == UNDETERMINED else code)
    return out


def _in_notebook_kernel() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except Exception:
        return False
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


_PROGRESS_MIN_ITEMS = 1000


def _progress(total: int, desc: str, enabled: bool) -> Any:
    """A tqdm bar on stderr, or a no-op, for ``total`` items.

    Shown only when ``enabled`` and there is enough work (≥ 1,000 items) and someone can watch it: a
    terminal or a Jupyter kernel (papermill included). Plain ``tqdm.std`` is used on purpose: it needs no
    ipywidgets and renders as text in executed notebooks.
    """
    from tqdm.std import tqdm

    watchable = _in_notebook_kernel() or bool(getattr(sys.stderr, "isatty", lambda: False)())
    show = enabled and total >= _PROGRESS_MIN_ITEMS and watchable
    return tqdm(total=total, desc=desc, unit="msg", disable=not show, file=sys.stderr, mininterval=0.5,
                leave=False)


def _chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


# --------------------------------------------------------------------------------------------------
# Language detection
# --------------------------------------------------------------------------------------------------


def _lingua_language(code: str) -> Any:
    """lingua ``Language`` for an ISO 639-1 code; ValueError naming the code when lingua lacks it."""
    from lingua import IsoCode639_1, Language

    clean = str(code).strip().lower()
    try:
        iso = IsoCode639_1.from_str(clean)
        return Language.from_iso_code_639_1(iso)
    except (ValueError, AttributeError, TypeError):
        raise ValueError(
            f"language {code!r} is not supported by lingua (expected an ISO 639-1 code such as "
            f"{', '.join(DEFAULT_LANGUAGES)})"
        ) from None


def _validate_languages(languages: Iterable[str]) -> tuple[str, ...]:
    if isinstance(languages, str):
        languages = [languages]
    codes: list[str] = []
    for code in languages:
        clean = str(code).strip().lower()
        _lingua_language(clean)  # raises for unsupported codes
        if clean not in codes:
            codes.append(clean)
    if not codes:
        raise ValueError("languages is empty: give at least one ISO 639-1 code, e.g. ('ru', 'az', 'en')")
    return tuple(codes)


@functools.lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> Any:
    """A lingua detector for ``codes`` (sorted tuple) with preloaded models; built once per set."""
    from lingua import LanguageDetectorBuilder

    langs = [_lingua_language(c) for c in codes]
    return LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


_DETECT_CHUNK = 2000


def detect_languages(
    texts: Sequence[str],
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    known: Sequence[str | None] | None = None,
    progress: bool = True,
    *,
    min_confidence: float = 0.7,
) -> pd.Series:
    """Detect the language of each text with lingua, restricted to ``languages``.

    Args:
        texts: message texts.
        languages: ISO 639-1 codes the audience is expected to write (e.g. ``dataset.json``'s
            ``languages``). Restricting the set makes short texts far more reliable. A code lingua does
            not know raises ``ValueError`` naming it. With a single code, texts are still checked against
            :data:`DEFAULT_LANGUAGES` so that, e.g., Russian text in an English-only setup becomes
            ``"und"`` instead of ``"en"``.
        known: optional per-text codes (e.g. the export's ``language`` column); non-null, non-empty values
            are kept exactly as given and not re-detected.
        progress: show a progress bar for large inputs (≥ 1,000 texts, terminal or notebook only).
        min_confidence: for texts of one or two words ("ok", "lol", "Salam"), lingua's confidence
            (0–1, shared among the configured languages) the best language needs; below it the detector
            is unsure and the text gets ``"und"``. Longer texts take lingua's best guess (ties → "und").

    Returns:
        ``pd.Series`` (name ``"language"``) of ISO 639-1 codes, ``"und"`` for empty text, text without
        letters (emoji, numbers, links only) and texts lingua is unsure about. URLs, e-mails and @mentions
        are ignored for detection. Identical texts are detected once.
    """
    values, index = _as_texts(texts)
    requested = _validate_languages(languages)
    det_codes = requested
    if len(requested) == 1:
        det_codes = tuple(dict.fromkeys(requested + DEFAULT_LANGUAGES))
    detector = _detector(tuple(sorted(det_codes)))
    known_values: list[Any] = [None] * len(values)
    if known is not None:
        known_values = known.tolist() if isinstance(known, pd.Series) else list(known)
        if len(known_values) != len(values):
            raise ValueError(f"known has {len(known_values)} values but texts has {len(values)}")

    result: list[str] = [UNDETERMINED] * len(values)
    todo: dict[str, list[int]] = defaultdict(list)  # cleaned text -> positions
    for i, (raw, given) in enumerate(zip(values, known_values)):
        if not _is_missing(given) and str(given).strip():
            result[i] = given
            continue
        cleaned = " ".join(_strip_links(_as_text(raw)).split())
        if _LETTER_RE.search(cleaned):
            todo[cleaned].append(i)

    unique = list(todo)
    with _progress(len(unique), "detecting languages", progress) as bar:
        for chunk in _chunks(unique, _DETECT_CHUNK):
            confidences = detector.compute_language_confidence_values_in_parallel(list(chunk))
            for text, values_ in zip(chunk, confidences):
                code = UNDETERMINED
                needed = min_confidence if len(_WORD_RE.findall(text)) < 3 else 0.0
                top = values_[0].value if values_ else 0.0
                tie = len(values_) > 1 and values_[1].value >= top
                if top > 0 and top >= needed and not tie:
                    code = values_[0].language.iso_code_639_1.name.lower()
                    if code not in requested:
                        code = UNDETERMINED
                for i in todo[text]:
                    result[i] = code
            bar.update(len(chunk))
    return pd.Series([str(code) for code in result], index=index, name="language", dtype="str")


def language_mix(codes: pd.Series | Sequence[str | None]) -> dict[str, float]:
    """Share (0–1) of texts per language code, sorted by share descending (ties by code).

    Missing codes count as ``"und"``. Shares sum to 1; an empty input gives ``{}``.
    """
    values = [UNDETERMINED if _is_missing(c) or not str(c).strip() else str(c) for c in
              (codes.tolist() if isinstance(codes, pd.Series) else list(codes))]
    if not values:
        return {}
    counts = Counter(values)
    total = len(values)
    return {code: n / total for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


# --------------------------------------------------------------------------------------------------
# Sentiment
# --------------------------------------------------------------------------------------------------

SENTIMENT_BACKENDS: dict[str, frozenset[str]] = {
    "textblob": frozenset({"en"}),
    "vader": frozenset({"en"}),
}
"""Sentiment backends and the languages (ISO 639-1) each one can score. Other languages are not scored."""


@dataclass(frozen=True)
class _Backend:
    """A sentiment scorer: raw score per text (−1..1) plus its negative/positive thresholds (inclusive)."""

    name: str
    languages: frozenset[str]
    score: Callable[[str], float] | None
    negative_at_most: float
    positive_at_least: float
    # batch scorer for trained models: texts -> (scores −1..1, labels); labels come from the model itself
    predict: Callable[[list[str]], tuple[np.ndarray, list[str]]] | None = None


@functools.lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _textblob_polarity(text: str) -> float:
    from textblob import TextBlob

    # .sentiment uses PatternAnalyzer: lexicon inside the package, no NLTK corpora.
    return float(TextBlob(text).sentiment.polarity)


def _vader_compound(text: str) -> float:
    return float(_vader().polarity_scores(text)["compound"])


def _model_backend(backend: str) -> _Backend:
    """A trained model (``"model:PATH"``, see :mod:`helpers.sentiment`) as a scorer of its own languages only."""
    from helpers.sentiment import load_model, resolve_model_path

    model = load_model(resolve_model_path(backend))

    def predict(docs: list[str]) -> tuple[np.ndarray, list[str]]:
        return model.predict_raw(docs)  # score_sentiment passes only texts in model.languages

    return _Backend(f"model:{model.path}", frozenset(model.languages), None, -1.0, 1.0, predict)


def _resolve_backend(backend: str) -> _Backend:
    """Turn a backend string into a scorer.

    ``"textblob"`` and ``"vader"`` are English-only lexicon scorers. ``"model:PATH"`` loads a model trained on
    the organisation's own labels (:mod:`helpers.sentiment`); a relative PATH resolves against the current
    directory, then the workbook root (e.g. ``model:data/sample/models/sentiment``). The model scores only
    the languages it had labels for.
    """
    if not isinstance(backend, str):
        raise ValueError(f"unknown sentiment backend {backend!r}; valid: {', '.join(sorted(SENTIMENT_BACKENDS))} "
                         "or model:PATH")
    name = backend.strip()
    if name.lower().startswith("model:"):
        return _model_backend(name)
    name = name.lower()
    if name == "textblob":
        return _Backend("textblob", SENTIMENT_BACKENDS["textblob"], _textblob_polarity, -0.1, 0.1)
    if name == "vader":
        return _Backend("vader", SENTIMENT_BACKENDS["vader"], _vader_compound, -0.05, 0.05)
    raise ValueError(
        f"unknown sentiment backend {backend!r}; valid: {', '.join(sorted(SENTIMENT_BACKENDS))} "
        "or model:PATH (a model trained with python -m helpers sentiment train)"
    )


_SENTIMENT_LABELS = ("negative", "neutral", "positive")


def score_sentiment(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None,
    backend: str = "textblob",
    progress: bool = True,
) -> pd.DataFrame:
    """Score sentiment with an English-only lexicon scorer, leaving other languages unscored.

    Args:
        texts: message texts.
        languages: per-text ISO 639-1 codes aligned with ``texts`` (e.g. from :func:`detect_languages`);
            a single string applies to all; ``None`` detects them with :func:`detect_languages`.
        backend: ``"textblob"`` (PatternAnalyzer polarity), ``"vader"`` (compound score) or
            ``"model:PATH"`` (a model trained on the organisation's labels, :mod:`helpers.sentiment`: it scores
            only the languages it had labels for; score = P(positive) − P(negative), the label is the model's
            most likely class). Anything else raises ``ValueError`` listing the valid names; a missing or
            incompatible model folder raises :class:`helpers.sentiment.ModelError`.
        progress: progress bar for large inputs (≥ 1,000 texts).

    Returns:
        DataFrame on the texts' index with columns

        * ``score`` (float, −1..1): TextBlob polarity or VADER compound; NaN when not scored;
        * ``sentiment`` (string): ``"negative"`` / ``"neutral"`` / ``"positive"``; ``<NA>`` when not
          scored. TextBlob: ≤ −0.1 negative, ≥ 0.1 positive; VADER: ≤ −0.05 / ≥ 0.05;
        * ``scored`` (bool): the backend supports the text's language and the text has letters.
          Unsupported languages (Russian, Azerbaijani, "und") are never treated as neutral.
    """
    scorer = _resolve_backend(backend)
    values, index = _as_texts(texts)
    if languages is None:
        langs = _as_languages(detect_languages(values, progress=progress).tolist(), len(values))
    else:
        langs = _as_languages(languages, len(values))
    scores = np.full(len(values), np.nan)
    todo = [i for i, (t, lang) in enumerate(zip(values, langs))
            if lang in scorer.languages and _LETTER_RE.search(_as_text(t))]
    if scorer.predict is not None:
        labels = np.array([pd.NA] * len(values), dtype=object)
        with _progress(len(todo), f"sentiment ({scorer.name})", progress) as bar:
            for chunk in _chunks(todo, 2000):
                s, lab = scorer.predict([_as_text(values[i]) for i in chunk])
                scores[list(chunk)] = s
                labels[list(chunk)] = lab
                bar.update(len(chunk))
        return _sentiment_frame(scores, labels, index)
    cache: dict[str, float] = {}
    with _progress(len(todo), f"sentiment ({scorer.name})", progress) as bar:
        for chunk in _chunks(todo, 500):
            for i in chunk:
                text = _as_text(values[i])
                if text not in cache:
                    cache[text] = scorer.score(text)
                scores[i] = cache[text]
            bar.update(len(chunk))
    labels = np.where(scores <= scorer.negative_at_most, "negative",
                      np.where(scores >= scorer.positive_at_least, "positive", "neutral")).astype(object)
    return _sentiment_frame(scores, labels, index)


def _sentiment_frame(scores: np.ndarray, labels: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The scoring result: ``score`` (NaN when not scored), ``sentiment`` (NA when not scored), ``scored``."""
    scored = ~np.isnan(scores)
    labels = labels.copy()
    labels[~scored] = pd.NA
    return pd.DataFrame(
        {
            "score": pd.Series(scores, index=index, dtype="float64"),
            "sentiment": pd.Series(labels, index=index, dtype="string"),
            "scored": pd.Series(scored, index=index, dtype=bool),
        },
        index=index,
    )


# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------

_QMARK_RE = re.compile(r"[?？¿؟]")
_SENTENCE_SPLIT_RE = re.compile(r"[.!;…\n\r]+|:\s")
_Q_TOKEN_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*|,")

# Leading words that do not start the "real" clause: greetings, vocatives, interjections, politeness.
_LEAD_IN = frozenset(_normalise(w) for w in """
    hi hello hey heya dear team guys folks all everyone everybody friends admin admins good morning afternoon
    evening day greetings sir madam please pls plz sorry excuse me thanks thank you ok okay so well also and
    but btw yes no hmm oh um quick question hallo hiya
    здравствуйте здраствуйте привет приветствую добрый доброе доброго день вечер утро уважаемые уважаемый
    уважаемая друзья ребята коллеги админ админы администрация извините простите пожалуйста спасибо ну так
    а и всем всех девочки народ вопрос хм да нет слушайте кстати вопросик
    salam salamlar hörmətli əziz dostlar uşaqlar komanda admin sabahınız axşamınız günortanız xeyir
    zəhmət olmasa təşəkkür sağ olun bağışlayın üzr sual yaxşı bəs hə
""".split())

# Words after "how"/"what a"/"как"/"nə" that make an exclamation, not a question.
_EXCLAIM = frozenset(_normalise(w, lang) for lang, words in {
    "en": """great nice cool lovely beautiful wonderful amazing awesome sweet kind fun good sad awful terrible
             cute lucky exciting brilliant fantastic gorgeous delicious perfect proud happy glad thoughtful
             generous fast quick inspiring touching weird funny crazy""",
    "ru": """здорово красиво классно приятно круто хорошо прекрасно замечательно чудесно отлично жаль мило вкусно
             весело грустно обидно стыдно ужасно радостно трогательно чудно странно смешно же я мы это""",
    "az": """gözəl yaxşı əla qəşəng şirin maraqlı dəhşət pis böyük xoş əcəb möhtəşəm gözəldir yaxşıdır
             əladır qəşəngdir dəhşətdir də""",
}.items() for w in words.split())

_EN_WH = frozenset("how what when where why who whom whose which".split())
_EN_WH_CONTRACTED = frozenset("how's what's when's where's why's who's".split())
_EN_AUX = frozenset("""do does did is are was were am can could will would should shall may might must
                       has have had""".split())
_EN_SUBJECTS = frozenset("""i you we they he she it there anyone anybody someone somebody everyone""".split())
_EN_DETERMINERS = frozenset("the a an this that these those my your our their his her its any".split())
_EN_NOT_AFTER_AUX = frozenset("not n't so very really just such too always never also".split())
_EN_PHRASES = tuple(re.compile(p) for p in (
    r"\b(?:can|could|may) (?:i|we|you|someone|somebody|anyone)\b",
    r"\b(?:would|will) you\b",
    r"\bis it possible\b", r"\b(?:is|are) there (?:any|a|an|some)\b",
    r"\bdo you (?:have|know|offer|sell|ship|deliver|accept|open|work|provide|plan)\b",
    r"\b(?:does|did|do) (?:anyone|anybody|someone|somebody)\b",
    r"\b(?:anyone|anybody|somebody|someone) (?:knows?|has|have|tried|got)\b",
    r"\bany (?:idea|ideas|news|update|updates|info|information)\b",
    r"\bi (?:was )?wonder(?:ing)?\b", r"\bwondering (?:if|whether|when|how|where|why|what)\b",
    r"\b(?:i'd|i would|we'd|we would) like to know\b", r"\b(?:want|wanted|need) to know\b",
    r"\bplease (?:tell|advise|explain|let (?:me|us) know|clarify|confirm)\b",
    r"\bhow (?:do|does|did|can|could) (?:i|we|you|they|one)\b",
))
_RU_WH = frozenset(_normalise(w) for w in """как какой какая какое какие каких каким какую каком какого какому
    когда где куда откуда что чего чем чему почему зачем сколько кто кого кому кем чей чья чье чьи который
    которая которое которые разве неужели можно подскажите скажите""".split())
_RU_NOT_AFTER_WH = frozenset(_normalise(w) for w in "я мы ж касается бы ни".split())
_RU_PREPOSITIONS = frozenset(_normalise(w) for w in "в во на с со к ко по до от для о об обо у за из про".split())
_RU_PHRASES = tuple(re.compile(p) for p in (
    r"(?<!\w)(?<!вряд )(?<!едва )(?<!то )ли(?!\w)",
    r"(?<!\w)(?:подскажите|подскажете|скажите|посоветуйте|объясните|уточните)(?!\w)",
    r"(?<!\w)не (?:знаете|подскажете|скажете)(?!\w)",
    r"(?<!\w)(?:кто(?:-нибудь|-то)?|кто нибудь) (?:знает|подскажет|сталкивался|пробовал)(?!\w)",
    r"(?<!\w)(?:хочу|хотел бы|хотела бы|хотелось бы|хотим) (?:узнать|уточнить|спросить)(?!\w)",
    r"(?<!\w)(?:интересует|интересно), (?:как|когда|где|что|сколько|можно|будет|есть)(?!\w)",
))
_AZ_WH_EXACT = frozenset(_normalise(w, "az") for w in """necə necədir niyə nəçin hara harada haradan haraya
    haradadır haralı neçə neçəyə neçədə neçədir neçənci neçəyədək hansı hansını hansına hansında hansından
    hansılar hansıdır kim kimə kimin kimdən kimdir kimlər nə nəyə nədən nəyi nədir nəyin nədə
    mı mi mu mü""".split())
_AZ_WH_PREFIX_RE = re.compile(r"^(?:neçə|hara|hansı|niyə|necəd)\w*$")  # neçəyədir, haradadır, hansınız
_AZ_PARTICLE_SUFFIX_RE = re.compile(
    r"(?:var|yox|dır|dir|dur|dür|tır|tir|tur|tür|ar|ər|ır|ir|ur|ür|acaq|əcək|dı|di|du|dü|tı|ti|tu|tü|"
    r"ıq|ik|uq|ük|sınız|siniz|sunuz|sünüz|san|sən|am|əm|yam|yəm|ıq|olar|mümkün|açıq|lazım|pulsuz)"
    r"(?:mı|mi|mu|mü)(?:dır|dir|dur|dür)?$"
)
_AZ_PARTICLE_FALSE = frozenset(_normalise(w, "az") for w in "iyirmi ermi sərmi kimi ilkini".split())
_AZ_WH_BLOCKERS = {  # (wh word, next word) pairs that are not questions
    ("necə", "ki"), ("necə", "də"), ("hansı", "ki"), ("kim", "ki"), ("nə", "isə"), ("nə", "ki"),
}
_AZ_PHRASES = tuple(re.compile(p) for p in (
    r"(?<!\w)bilmək istə(?:yirəm|yirik|rdim|rdik)(?!\w)",
    r"(?<!\w)(?:deyə|kömək edə|məlumat verə|izah edə) bilərsiniz(?!\w)",
    r"(?<!\w)zəhmət olmasa (?:deyin|bildirin|izah edin|məlumat verin)(?!\w)",
    r"(?<!\w)(?:bilən var|kimsə bilir)(?!\w)",
    r"(?<!\w)maraqlıdır(?:,)? (?:necə|nə|niyə|harada|hansı|neçə)(?!\w)",
))


def _clause_words(clause: str) -> list[str]:
    """Words of a clause with leading greetings/vocatives/commas removed."""
    words = [w for w in _Q_TOKEN_RE.findall(clause)]
    # drop lead-in words and commas at the start ("Hi team, how ...", "Добрый день, когда ...")
    i = 0
    while i < len(words) and (words[i] == "," or words[i] in _LEAD_IN):
        i += 1
    return [w for w in words[i:] if w != ","]


def _en_question(clauses: list[list[str]], norm: str) -> bool:
    if any(p.search(norm) for p in _EN_PHRASES):
        return True
    for words in clauses:
        if not words:
            continue
        first, nxt = words[0], (words[1] if len(words) > 1 else "")
        if first in _EN_WH_CONTRACTED:
            return True
        if first in _EN_WH:
            if first == "how" and nxt in _EXCLAIM:
                continue  # "how great is that"
            if (first, nxt) in {("what", "a"), ("what", "an"), ("who", "knew"), ("who", "cares")}:
                continue  # "what a day"
            if first == "which" and nxt == "is" and len(words) > 2 and words[2] == "why":
                continue
            if nxt in _EN_SUBJECTS or nxt in _EN_DETERMINERS:
                continue  # "when I arrived, ...", "what the ..."
            return True
        if first in _EN_AUX:
            allowed = _EN_SUBJECTS if first in {"has", "have", "had"} else _EN_SUBJECTS | _EN_DETERMINERS
            if nxt in allowed:
                return True
            # "Are tickets refundable", "Does parking cost extra" (but not "Is so good", "Do not …")
            if first in {"is", "are", "does", "did"} and nxt and nxt not in _EN_NOT_AFTER_AUX:
                return True
    return False


def _ru_question(clauses: list[list[str]], norm: str) -> bool:
    if any(p.search(norm) for p in _RU_PHRASES):
        return True
    for words in clauses:
        if not words:
            continue
        if len(words) > 1 and words[0] in _RU_PREPOSITIONS:
            words = words[1:]  # "во сколько", "до скольки", "на какой адрес"
        first, nxt = words[0], (words[1] if len(words) > 1 else "")
        if first in _RU_WH or first in {"скольки", "скольких"}:
            if first in {"как", "что"} and nxt in _EXCLAIM:
                continue  # "как здорово", "как же круто"
            if nxt in _RU_NOT_AFTER_WH:
                continue  # "когда мы пришли, ...", "что касается ..."
            if first == "можно" and nxt in {"было", "сказать"}:
                continue
            if first == "что" and nxt == "за":
                continue  # "что за прекрасный день" (exclamation without "?")
            return True
    return False


def _az_question(clauses: list[list[str]], norm: str) -> bool:
    if any(p.search(norm) for p in _AZ_PHRASES):
        return True
    for words in clauses:
        if words.count("nə") >= 2:  # "nə ... nə ..." = neither ... nor
            words = [w for w in words if w != "nə"]
        for k, w in enumerate(words):
            nxt = words[k + 1] if k + 1 < len(words) else ""
            parts = w.split("-")
            if any(p in {"mı", "mi", "mu", "mü"} for p in parts[1:]):
                return True  # "var-mı"
            if w in _AZ_WH_EXACT or (_AZ_WH_PREFIX_RE.match(w) and not w.endswith(("sa", "sə"))):
                if ((w, nxt) in _AZ_WH_BLOCKERS or (k > 0 and words[k - 1] == "heç")
                        or nxt.endswith(("sa", "sə"))):  # "nə vaxtsa", "kim gəlsə" (whoever comes)
                    continue
                if w in {"nə", "necə"} and (nxt in _EXCLAIM or (nxt == "qədər" and k + 2 < len(words)
                                                                and words[k + 2] in _EXCLAIM)):
                    continue  # "nə gözəl!", "nə qədər gözəldir"
                return True
            if len(w) >= 5 and w not in _AZ_PARTICLE_FALSE and _AZ_PARTICLE_SUFFIX_RE.search(w):
                return True  # "varmı", "olarmı", "mümkündürmü", "açılırmı"
    return False


_QUESTION_RULES: dict[str, Callable[[list[list[str]], str], bool]] = {
    "en": _en_question,
    "ru": _ru_question,
    "az": _az_question,
}


def _is_question_one(text: str, language: str | None) -> bool:
    if not text:
        return False
    plain = _strip_links(text)
    if _QMARK_RE.search(plain):
        return True
    norm = " ".join(_normalise(plain, language).split())
    clauses = [_clause_words(c) for c in _SENTENCE_SPLIT_RE.split(norm)]
    if language in _QUESTION_RULES:
        rules = [_QUESTION_RULES[language]]
    elif language in _TURKIC:  # Turkish shares the Azerbaijani particles and most interrogatives
        rules = [_az_question]
    else:  # unknown / undetermined: any language's cues
        rules = list(_QUESTION_RULES.values())
    return any(rule(clauses, norm) for rule in rules)


def is_question(texts: Sequence[str], languages: Sequence[str | None] | str | None = None) -> pd.Series:
    """Whether each text asks something, using multilingual cues, not only "?".

    Cues: a question mark (``?``, ``？``, ``¿``, ``؟``; ignored inside URLs); English wh-words and
    auxiliary inversion at the start of a sentence ("How do I…", "Is there…", "Can I…") and request
    phrases anywhere ("could you", "anyone know", "is it possible"); Russian interrogatives at the start
    of a sentence (как, когда, где, сколько…), the particle ``ли`` (можно ли, есть ли) and request verbs
    (подскажите, скажите, не подскажете); Azerbaijani interrogatives anywhere (necə, nə vaxt, harada,
    neçə, hansı…), the particle ``mı/mi/mu/mü`` as a word or suffix (varmı, olarmı, mümkündürmü) and
    request phrases (bilmək istəyirəm, deyə bilərsiniz). Greetings at the start ("Hi team, …",
    "Добрый день, …", "Salam, …") are skipped. Exclamations ("How great is that!", "Как здорово!",
    "Nə gözəl!") and subordinate clauses ("When I arrived, …") do not count.

    Args:
        texts: message texts.
        languages: per-text ISO 639-1 codes (a single string applies to all). ``None``/``"und"``/other
            codes use the cues of all three languages.

    Returns:
        Boolean ``pd.Series`` named ``"is_question"`` on the texts' index.
    """
    values, index = _as_texts(texts)
    langs = _as_languages(languages, len(values))
    flags = [_is_question_one(_as_text(t), lang) for t, lang in zip(values, langs)]
    return pd.Series(flags, index=index, name="is_question", dtype=bool)


# --------------------------------------------------------------------------------------------------
# Question clusters
# --------------------------------------------------------------------------------------------------

# Words that say *that* something is asked or who is addressed, not *what* is asked about.
_CUE_WORDS = frozenset(_normalise(w, lang) for lang, words in {
    "en": """hi hello hey dear team guys folks everyone friends admin admins good morning afternoon evening
             greetings please pls plz thanks thank thx sorry excuse question quick anyone anybody somebody
             someone know tell wonder wondering possible advise help let like would want wanted need
             hey hiya regards cheers tried ask asking info information""",
    "ru": """здравствуйте здраствуйте привет приветствую добрый доброе доброго день вечер утро уважаемые
             уважаемый уважаемая друзья ребята коллеги админ админы администрация извините простите пожалуйста
             спасибо заранее подскажите подскажете скажите знаете знает вопрос вопросик хочу хотел хотела
             хотелось узнать уточнить спросить интересует интересно возможно всем народ девочки""",
    "az": """salam salamlar hörmətli əziz dostlar uşaqlar komanda admin sabahınız axşamınız günortanız xeyir
             zəhmət olmasa təşəkkür təşəkkürlər sağ olun bağışlayın üzr sual deyə deyin bilərsiniz bilərsinizmi
             bilmək istəyirəm istərdim mümkündür mümkündürmü mümkünmü olarmı varmı bilən kimsə bilir
             məlumat xahiş edirəm necədir nədir""",
}.items() for w in words.split())

_CLUSTER_THRESHOLD = 0.88  # cosine distance for average linkage on char n-gram TF-IDF (tuned on templated sets)
_CLUSTER_MAX_EXACT = 4000  # unique texts per language clustered exactly; more are sampled + assigned


def _clean_for_cluster(text: Any, language: str | None) -> list[str]:
    """Content words of a question: no stopwords, greetings, question cues or numbers."""
    stop = _stopwords_for(language)
    return [t for t in _raw_tokens(text, language) if t not in stop and t not in _CUE_WORDS
            and t not in _AZ_WH_EXACT and t not in _RU_WH]


def _cluster_group(docs: list[str], threshold: float, random_state: int) -> np.ndarray:
    """Labels (−1 = none) for the unique cleaned docs of one language: average-linkage clustering of
    char_wb 3–5-gram TF-IDF vectors at a cosine-distance threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(docs)
    if n == 0:
        return np.empty(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1,
                                 dtype=np.float32)
    matrix = vectorizer.fit_transform(docs)  # rows are L2-normalised
    if n <= _CLUSTER_MAX_EXACT:
        base = np.arange(n)
    else:
        rng = np.random.default_rng(random_state)
        base = np.sort(rng.choice(n, size=_CLUSTER_MAX_EXACT, replace=False))
    sub = matrix[base]
    dist = (sub @ sub.T).toarray()  # cosine similarity (float32)
    np.subtract(1.0, dist, out=dist)  # -> cosine distance, in place to keep memory at n² float32
    np.clip(dist, 0.0, 2.0, out=dist)
    iu = np.triu_indices(len(base), k=1)
    tree = linkage(dist[iu].astype(np.float64), method="average")
    base_labels = fcluster(tree, t=threshold, criterion="distance") - 1
    if len(base) == n:
        return base_labels
    # assign the rest to the nearest cluster centroid when close enough
    labels = np.full(n, -1, dtype=int)
    labels[base] = base_labels
    k = base_labels.max() + 1
    centroids = np.zeros((k, matrix.shape[1]), dtype=np.float64)
    members_of: dict[int, list[int]] = defaultdict(list)
    for pos, lab in enumerate(base_labels):
        members_of[int(lab)].append(pos)
    for lab, members in members_of.items():
        centroids[lab] = np.asarray(sub[members].mean(axis=0)).ravel()
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    centroids /= np.where(norms == 0, 1, norms)
    rest = np.setdiff1d(np.arange(n), base)
    for chunk in _chunks(rest, 2000):
        sim = np.asarray(matrix[chunk] @ centroids.T)
        best = sim.argmax(axis=1)
        ok = sim[np.arange(len(chunk)), best] >= 1.0 - threshold
        labels[chunk] = np.where(ok, best, -1)
    return labels


def cluster_questions(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None = None,
    min_cluster_size: int = 5,
    random_state: int = 0,
    *,
    distance_threshold: float = _CLUSTER_THRESHOLD,
) -> pd.Series:
    """Group recurring questions (same topic, different wording) within each language.

    Method: each text is reduced to its content words (stopwords, greetings, question cue words, numbers,
    URLs removed), vectorised as TF-IDF over character 3–5-grams inside word boundaries
    (``char_wb``, sublinear tf: robust to inflection, Azerbaijani suffixes and typos) separately per
    language (n-grams do not bridge scripts), and grouped by average-linkage agglomerative clustering
    on cosine distance cut at ``distance_threshold``. Identical cleaned texts are clustered once. Fully
    deterministic; for more than 4,000 distinct texts in one language a ``random_state`` sample of 4,000
    is clustered and the rest join the nearest cluster centroid within the threshold.

    Args:
        texts: question texts (e.g. member messages where :func:`is_question` is True).
        languages: per-text ISO 639-1 codes; ``None`` detects them (:func:`detect_languages`).
        min_cluster_size: clusters with fewer texts become −1 (noise).
        random_state: seed for the sampling of very large inputs.
        distance_threshold: cosine distance (0–1) at which clusters stop merging; lower = tighter.

    Returns:
        Int ``pd.Series`` named ``"cluster"`` on the texts' index: cluster ids ``0..k-1`` unique across
        languages, numbered by size (largest first), −1 for noise, empty or content-free texts.
    """
    values, index = _as_texts(texts)
    n = len(values)
    if n == 0:
        return pd.Series([], index=index, name="cluster", dtype="int64")
    if languages is None:
        langs = _as_languages(detect_languages(values, progress=False).tolist(), n)
    else:
        langs = _as_languages(languages, n)

    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)  # language -> cleaned doc -> positions
    for i, (text, lang) in enumerate(zip(values, langs)):
        words = _clean_for_cluster(text, lang)
        if not words:
            continue
        groups[lang or UNDETERMINED].setdefault(" ".join(words), []).append(i)

    raw = np.full(n, -1, dtype=np.int64)
    next_id = 0
    for lang in sorted(groups):
        docs = list(groups[lang])
        labels = _cluster_group(docs, distance_threshold, random_state)
        for doc, lab in zip(docs, labels):
            if lab >= 0:
                raw[groups[lang][doc]] = next_id + lab
        next_id += int(labels.max()) + 1 if len(labels) else 0

    # drop small clusters, renumber by size (then first occurrence) for stable, readable ids
    ids, first, counts = np.unique(raw[raw >= 0], return_index=True, return_counts=True)
    first_pos = np.flatnonzero(raw >= 0)[first]
    keep = [(c, f, i) for i, f, c in zip(ids, first_pos, counts) if c >= max(1, min_cluster_size)]
    keep.sort(key=lambda x: (-x[0], x[1]))
    mapping = {old: new for new, (_, _, old) in enumerate(keep)}
    out = np.array([mapping.get(x, -1) if x >= 0 else -1 for x in raw], dtype=np.int64)
    return pd.Series(out, index=index, name="cluster", dtype="int64")


def cluster_summary(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None,
    clusters: Sequence[int] | pd.Series,
    top_terms: int = 5,
    examples: int = 3,
) -> pd.DataFrame:
    """One row per question cluster (noise −1 excluded), largest first.

    Columns: ``cluster`` (id), ``label`` (the ``top_terms`` most distinctive content words of the cluster
    versus the other questions of its language, joined by " / "), ``language`` (most common code in the
    cluster, "und" when unknown), ``n`` (texts in the cluster), ``examples`` (list of up to ``examples``
    distinct texts, most typical first, truncated to 120 characters for display).
    """
    values, _ = _as_texts(texts)
    n = len(values)
    langs = _as_languages(languages, n)
    labels = list(clusters.tolist() if isinstance(clusters, pd.Series) else clusters)
    if len(labels) != n:
        raise ValueError(f"clusters has {len(labels)} values but texts has {n}")
    columns = ["cluster", "label", "language", "n", "examples"]
    words = [set(_clean_for_cluster(t, lang)) for t, lang in zip(values, langs)]
    doc_freq: dict[str, Counter[str]] = defaultdict(Counter)
    lang_docs: Counter[str] = Counter()
    for ws, lang in zip(words, langs):
        doc_freq[lang or UNDETERMINED].update(ws)
        lang_docs[lang or UNDETERMINED] += 1
    members: dict[int, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        if not _is_missing(lab) and int(lab) >= 0:
            members[int(lab)].append(i)
    rows = []
    for cid, idx in members.items():
        language = Counter(langs[i] or UNDETERMINED for i in idx).most_common(1)[0][0]
        in_cluster: Counter[str] = Counter()
        for i in idx:
            in_cluster.update(words[i])
        total = lang_docs[language] or len(idx)
        df = doc_freq[language]

        def weight(term: str) -> float:
            return (in_cluster[term] / len(idx)) * math.log(1 + total / max(df[term], 1))

        terms = sorted(in_cluster, key=lambda t: (-weight(t), -in_cluster[t], t))[:top_terms]
        term_set = set(terms)
        ranked = sorted(idx, key=lambda i: (-len(words[i] & term_set), i))
        shown: list[str] = []
        seen: set[tuple[str, ...]] = set()
        for i in ranked:
            if len(shown) >= examples:
                break
            text = _as_text(values[i]).strip()
            key = tuple(_raw_tokens(text, langs[i]))  # "What time…?" and "what time… 🙏" are one example
            if text and key not in seen:
                seen.add(key)
                shown.append(text)
        rows.append({
            "cluster": cid,
            "label": " / ".join(terms),
            "language": language,
            "n": len(idx),
            "examples": [truncate_for_display(t, 120) for t in shown],
        })
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object if c in {"label", "language", "examples"} else "int64")
                             for c in columns})
    out = pd.DataFrame(rows, columns=columns).sort_values(["n", "cluster"], ascending=[False, True])
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Trending terms
# --------------------------------------------------------------------------------------------------

_TREND_COLUMNS = ["term", "language", "count_recent", "count_before", "share_recent", "share_before", "lift"]


def _terms(text: Any, language: str | None) -> tuple[list[str], int]:
    """Unigrams and bigrams (both words non-stopwords, adjacent in the text) + content-token count."""
    stop = _stopwords_for(language)
    tokens = _raw_tokens(text, language)
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
    values, _ = _as_texts(texts)
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
        langs = _as_languages(languages, n)
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
    clean = " ".join(_as_text(text).split())
    if len(clean) <= max_chars:
        return clean
    cut = clean[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= int((max_chars - 1) * 0.7):
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"
