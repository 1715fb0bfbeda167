"""Sentiment scorers: the English-only lexicons (TextBlob, VADER) and trained models, one result frame.

English-only scorers never score other languages: those messages are *not scored* (NaN / <NA>), never
"neutral"."""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import display_path
from helpers.parallel import map_chunks
from helpers.progress import progress_bar
from helpers.sentiment.store import load_model, resolve_model_path
from helpers.text import LETTER_RE, as_languages, as_text, as_texts, detect_languages

__all__ = ["SENTIMENT_BACKENDS", "SENTIMENT_LABELS", "Backend", "vader_analyzer", "resolve_backend", "score_sentiment",
           "sentiment_frame"]

# --------------------------------------------------------------------------------------------------
# Sentiment
# --------------------------------------------------------------------------------------------------

SENTIMENT_BACKENDS: dict[str, frozenset[str]] = {
    "textblob": frozenset({"en"}),
    "vader": frozenset({"en"}),
}
"""Sentiment backends and the languages (ISO 639-1) each one can score. Other languages are not scored."""


@dataclass(frozen=True)
class Backend:
    """A sentiment scorer: raw score per text (−1..1) plus its negative/positive thresholds (inclusive)."""

    name: str
    languages: frozenset[str]
    score: Callable[[str], float] | None
    negative_at_most: float
    positive_at_least: float
    # batch scorer for trained models: texts -> (scores −1..1, labels); labels come from the model itself
    predict: Callable[[list[str]], tuple[np.ndarray, list[str]]] | None = None


@functools.lru_cache(maxsize=1)
def vader_analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _textblob_polarity(text: str) -> float:
    from textblob import TextBlob

    # .sentiment uses PatternAnalyzer: lexicon inside the package, no NLTK corpora.
    return float(TextBlob(text).sentiment.polarity)


def _vader_compound(text: str) -> float:
    return float(vader_analyzer().polarity_scores(text)["compound"])


def _lexicon_scores(name: str, texts: Sequence[str]) -> list[float]:
    """Raw scores of ``texts`` by the lexicon scorer ``name`` (module level: it runs in pool processes too)."""
    score = resolve_backend(name).score
    assert score is not None
    return [score(text) for text in texts]


def _model_scores(name: str, docs: Sequence[str]) -> list[tuple[float, str]]:
    """(score, label) of each of ``docs`` by the model backend ``name`` (module level: it runs in pool
    processes too, each loading the model once)."""
    predict = resolve_backend(name).predict
    assert predict is not None
    scores, labels = predict(list(docs))
    return list(zip(scores.tolist(), labels))


def _model_backend(backend: str) -> Backend:
    """A trained model (``"model:PATH"``, see :mod:`helpers.sentiment`) as a scorer of its own languages only."""
    model = load_model(resolve_model_path(backend))

    def predict(docs: list[str]) -> tuple[np.ndarray, list[str]]:
        return model.predict_raw(docs)  # score_sentiment passes only texts in model.languages

    return Backend(f"model:{model.path}", frozenset(model.languages), None, -1.0, 1.0, predict)


def resolve_backend(backend: str) -> Backend:
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
    if name.lower() == "auto":
        raise ValueError("sentiment backend 'auto' is chosen per dataset: use helpers.annotate(..., data_dir=DIR) "
                         "or helpers.sentiment.choose_backend('auto', DIR, languages) first, or name a backend "
                         f"({', '.join(sorted(SENTIMENT_BACKENDS))} or model:PATH)")
    name = name.lower()
    if name == "textblob":
        return Backend("textblob", SENTIMENT_BACKENDS["textblob"], _textblob_polarity, -0.1, 0.1)
    if name == "vader":
        return Backend("vader", SENTIMENT_BACKENDS["vader"], _vader_compound, -0.05, 0.05)
    raise ValueError(
        f"unknown sentiment backend {backend!r}; valid: {', '.join(sorted(SENTIMENT_BACKENDS))} "
        "or model:PATH (a model trained with python -m helpers sentiment train)"
    )


SENTIMENT_LABELS = ("negative", "neutral", "positive")


def _shown(name: str) -> str:
    """A backend name as people read it: a model's folder from the workbook root (no machine paths)."""
    return f"model:{display_path(name[len('model:'):], relative_to='root')}" if name.startswith("model:") else name


def score_sentiment(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None,
    backend: str = "textblob",
    progress: bool = True,
    *,
    workers: int | None = 1,
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
        workers: processes for large inputs (:func:`helpers.parallel.map_chunks`, only from
            ``helpers.parallel.POOL_MIN_ITEMS`` texts, where a pool pays; None = the ``workers`` setting,
            1 = this process): the lexicon scorers' distinct texts, a trained model's texts (each process
            loads the model once and scores with one BLAS thread). The scores do not depend on it.

    Returns:
        DataFrame on the texts' index with columns

        * ``score`` (float, −1..1): TextBlob polarity or VADER compound; NaN when not scored;
        * ``sentiment`` (string): ``"negative"`` / ``"neutral"`` / ``"positive"``; ``<NA>`` when not
          scored. TextBlob: ≤ −0.1 negative, ≥ 0.1 positive; VADER: ≤ −0.05 / ≥ 0.05;
        * ``scored`` (bool): the backend supports the text's language and the text has letters.
          Unsupported languages (Russian, Azerbaijani, "und") are never treated as neutral.
    """
    scorer = resolve_backend(backend)
    values, index = as_texts(texts)
    if languages is None:
        langs = as_languages(detect_languages(values, progress=progress).tolist(), len(values))
    else:
        langs = as_languages(languages, len(values))
    scores = np.full(len(values), np.nan)
    todo = [i for i, (t, lang) in enumerate(zip(values, langs))
            if lang in scorer.languages and LETTER_RE.search(as_text(t))]
    if scorer.predict is not None:
        labels = np.array([pd.NA] * len(values), dtype=object)
        docs = [as_text(values[i]) for i in todo]
        distinct = list(dict.fromkeys(docs))
        with progress_bar(len(distinct), f"sentiment ({_shown(scorer.name)})", progress) as bar:
            scored = dict(zip(distinct, map_chunks(functools.partial(_model_scores, scorer.name), distinct, workers,
                                                   done=bar.update)))
        if todo:
            found = [scored[d] for d in docs]
            scores[todo] = [s for s, _ in found]
            labels[todo] = [lab for _, lab in found]
        return sentiment_frame(scores, labels, index)
    distinct = list(dict.fromkeys(as_text(values[i]) for i in todo))
    with progress_bar(len(distinct), f"sentiment ({_shown(scorer.name)})", progress) as bar:
        found = dict(zip(distinct, map_chunks(functools.partial(_lexicon_scores, scorer.name), distinct, workers,
                                              done=bar.update)))
    for i in todo:
        scores[i] = found[as_text(values[i])]
    labels = np.where(scores <= scorer.negative_at_most, "negative",
                      np.where(scores >= scorer.positive_at_least, "positive", "neutral")).astype(object)
    return sentiment_frame(scores, labels, index)


def sentiment_frame(scores: np.ndarray, labels: np.ndarray, index: pd.Index) -> pd.DataFrame:
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

