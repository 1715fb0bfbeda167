"""The one load → cut → annotate step behind every analysis's ``prepare()``.

:func:`load_period` reads a canonical dataset folder and cuts it to a brand and a period; :func:`annotate`
adds to messages what every analysis reads: detected language, sentiment with coverage, and the question
flag. Notebooks 01–03 and the campaign windows all call these two, so a message is annotated the same way
wherever it is analysed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import sentiment, text
from helpers.io import Dataset, filter_period, load_dataset, resolve_path

__all__ = ["ANNOTATION_COLUMNS", "PeriodError", "PeriodCut", "load_period", "annotate", "annotate_with_scorer"]

ANNOTATION_COLUMNS: dict[str, str] = {
    "language": "string", "score": "float64", "sentiment": "string", "scored": "bool", "is_question": "bool",
}
"""The columns :func:`annotate` adds, with their dtypes."""


class PeriodError(ValueError):
    """The brand or period asked for cannot be cut from the dataset (e.g. start after end)."""


@dataclass(frozen=True)
class PeriodCut:
    """A dataset folder read and cut: ``path`` (resolved), ``full`` (every row), ``cut`` (brand and period),
    ``timezone`` (the asked one, else the dataset's own, else UTC)."""

    path: Path
    full: Dataset
    cut: Dataset
    timezone: str


def load_period(data_dir: str | Path, brand: str | None = None, start: str | None = None,
                end: str | None = None, timezone: str | None = None) -> PeriodCut:
    """Read ``data_dir`` and keep ``brand`` and the days ``start``–``end`` (ISO dates, inclusive; None = all).

    Raises the dataset's validation error (listing every problem) for a folder that is not a valid canonical
    dataset, and :class:`PeriodError` for an impossible period.
    """
    path = resolve_path(data_dir)
    ds = load_dataset(path)
    tz = timezone or ds.meta.get("timezone") or "UTC"
    try:
        cut = filter_period(ds, brand=brand, start=start, end=end)
    except ValueError as exc:
        raise PeriodError(str(exc)) from exc
    return PeriodCut(path=path, full=ds, cut=cut, timezone=tz)


def annotate_with_scorer(messages: pd.DataFrame, languages: Sequence[str] = text.DEFAULT_LANGUAGES,
                         sentiment_backend: str = sentiment.AUTO, *, data_dir: str | Path | None = None,
                         questions: bool = True, progress: bool = True
                         ) -> tuple[pd.DataFrame, sentiment.BackendChoice]:
    """:func:`annotate`, plus the scorer that ran and why (:class:`helpers.sentiment.BackendChoice`).

    ``sentiment_backend="auto"`` is decided here, after language detection, from the languages the messages
    have (:func:`helpers.sentiment.choose_backend`: ``data_dir``'s own validated model when it reads them,
    else TextBlob for English).
    """
    out = messages.copy()
    wanted = {k: v for k, v in ANNOTATION_COLUMNS.items() if questions or k != "is_question"}
    if out.empty:
        for col, dtype in wanted.items():
            out[col] = pd.Series(dtype=dtype)
        return out, sentiment.choose_backend(sentiment_backend, data_dir, list(languages))
    texts = out["text"].tolist()
    out["language"] = text.detect_languages(texts, languages=list(languages), known=out["language"].tolist(),
                                            progress=progress).to_numpy()
    choice = sentiment.choose_backend(sentiment_backend, data_dir, out["language"].tolist())
    scores = sentiment.score_sentiment(texts, out["language"].tolist(), backend=choice.backend,
                                       progress=progress)
    for col in ("score", "sentiment", "scored"):
        out[col] = scores[col].to_numpy()
    if questions:
        member = out["author_role"].eq("member").to_numpy()
        out["is_question"] = text.is_question(texts, out["language"].tolist()).to_numpy() & member
    return out, choice


def annotate(messages: pd.DataFrame, languages: Sequence[str] = text.DEFAULT_LANGUAGES,
             sentiment_backend: str = sentiment.AUTO, *, data_dir: str | Path | None = None,
             questions: bool = True, progress: bool = True) -> pd.DataFrame:
    """A copy of ``messages`` with ``language``, ``score``, ``sentiment``, ``scored`` and ``is_question``.

    * ``language``: detected among ``languages`` (ISO 639-1; "und" when unsure), keeping a language the
      export already gave;
    * ``score`` (−1..1, NaN when not scored), ``sentiment`` (negative/neutral/positive, NA when not scored),
      ``scored`` (bool): from ``sentiment_backend``, which reads only its own languages — others stay
      "not scored", never "neutral". ``"auto"`` (the default) runs ``data_dir``'s own validated model when it
      reads the languages present, else TextBlob (see :func:`annotate_with_scorer` for which ran);
    * ``is_question`` (bool, member messages only; skipped with ``questions=False``).

    An unknown backend raises ``ValueError`` naming the valid ones. Empty input gets the typed empty columns.
    """
    return annotate_with_scorer(messages, languages, sentiment_backend, data_dir=data_dir, questions=questions,
                                progress=progress)[0]
