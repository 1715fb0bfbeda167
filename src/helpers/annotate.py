"""The one load → cut → annotate step behind every analysis's ``prepare()``.

:func:`load_period` reads a canonical dataset folder and cuts it to a brand and a period; :func:`annotate`
adds to messages what every analysis reads: detected language, sentiment with coverage, and the question
flag. Notebooks 01–03 and the campaign windows all call these two, so a message is annotated the same way
wherever it is analysed.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from helpers import sentiment, text
from helpers.io import (AnnotationCache, Dataset, file_fingerprint, filter_period, load_dataset, resolve_path,
                        row_hashes)
from helpers.parallel import release_freed_memory
from helpers.sentiment import backends as sentiment_backends
from helpers.sentiment import features as sentiment_features
from helpers.sentiment import model as sentiment_model
from helpers.sentiment import store as sentiment_store
from helpers.text import language as text_language
from helpers.text import normalising as text_normalising
from helpers.text import questions as text_questions

log = logging.getLogger("helpers.annotate")

__all__ = ["ANNOTATOR_VERSION", "ANNOTATION_COLUMNS", "PeriodError", "PeriodCut", "load_period", "annotate", "annotate_with_scorer"]

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
                         questions: bool = True, progress: bool = True, cache: bool | AnnotationCache = True,
                         workers: int | None = None) -> tuple[pd.DataFrame, sentiment.BackendChoice]:
    """:func:`annotate`, plus the scorer that ran and why (:class:`helpers.sentiment.BackendChoice`).

    ``sentiment_backend="auto"`` is decided here, after language detection, from the languages the messages
    have (:func:`helpers.sentiment.choose_backend`: ``data_dir``'s own validated model when it reads them,
    else TextBlob for English).

    With ``data_dir`` and ``cache`` (the default), annotations are kept in ``DATA_DIR/.cache/annotations/``
    (:class:`helpers.io.AnnotationCache`, keyed by message id and a hash of the text, per language set, scorer,
    model fingerprint and annotator version): a rerun annotates only new or changed messages, with the same
    result as without the cache. ``cache=False`` neither reads nor writes it; an :class:`AnnotationCache` is
    used as given (its ``counts`` tell what was found). ``workers`` (None = the ``workers`` setting,
    :func:`helpers.parallel.default_workers`) is shared by language detection, the lexicon scorers and the
    question rules.
    """
    out = messages.copy()
    wanted = {k: v for k, v in ANNOTATION_COLUMNS.items() if questions or k != "is_question"}
    if out.empty:
        for col, dtype in wanted.items():
            out[col] = pd.Series(dtype=dtype)
        return out, sentiment.choose_backend(sentiment_backend, data_dir, list(languages))
    store = _cache_for(out, data_dir, cache)
    texts = out["text"].tolist()
    ids = out["message_id"].tolist() if store is not None else []
    out["language"] = _languages(texts, out["language"].tolist(), languages, ids, store, progress, workers)
    langs = out["language"].tolist()
    choice = sentiment.choose_backend(sentiment_backend, data_dir, langs)
    hashes = row_hashes(texts, langs) if store is not None else np.zeros(0, dtype=np.uint64)
    scores = _sentiment(texts, langs, choice.backend, languages, ids, hashes, store, progress, workers)
    for col in ("score", "sentiment", "scored"):
        out[col] = scores[col].to_numpy()
    if questions:
        member = out["author_role"].eq("member").to_numpy(dtype=bool)
        out["is_question"] = _questions(texts, langs, member, ids, hashes, store, workers)
    if store is not None:
        log.info("annotation cache %s: %s", store.folder, ", ".join(
            f"{kind} {store.counts.annotated.get(kind, 0)} annotated / {store.counts.hits.get(kind, 0)} cached"
            for kind in store.counts.hits))
    del texts, ids, langs, hashes, scores
    release_freed_memory()
    return out, choice


ANNOTATOR_VERSION = 1
"""Bump when an annotation changes for a reason the cache keys cannot see (they include the package versions
and a fingerprint of the annotating modules' source, so a changed rule already starts a new cache file)."""


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=16)
def _source_fingerprint(*modules: ModuleType) -> str:
    """sha256 of the modules' source, read once per process: the code that was imported is the code that runs."""
    return file_fingerprint(*(str(m.__file__) for m in modules))


def _cache_for(messages: pd.DataFrame, data_dir: str | Path | None,
               cache: bool | AnnotationCache) -> AnnotationCache | None:
    """The cache to use: none without a data_dir, message ids, or with ``cache=False``."""
    if isinstance(cache, AnnotationCache):
        return cache
    if not cache or data_dir is None or "message_id" not in messages.columns:
        return None
    return AnnotationCache(resolve_path(data_dir))


def _language_set(languages: Sequence[str]) -> list[str]:
    return sorted(text.check_languages(languages))  # raises for an unknown code, as detection does


def _language_key(languages: Sequence[str]) -> dict[str, Any]:
    return {"languages": _language_set(languages), "annotator": ANNOTATOR_VERSION,
            "lingua": _package_version("lingua-language-detector"),
            "code": _source_fingerprint(text_language, text_normalising)}


def _languages(texts: list[Any], known: list[Any], languages: Sequence[str], ids: list[Any],
               store: AnnotationCache | None, progress: bool, workers: int | None) -> np.ndarray:
    """The language column: the export's own codes where given, else detected (cached rows reused)."""
    if store is None:
        return text.detect_languages(texts, languages=list(languages), known=known, progress=progress,
                                     workers=workers).to_numpy()
    result = ["" if text.is_missing(k) else str(k) for k in known]
    need = [i for i, k in enumerate(result) if not k.strip()]
    key = _language_key(languages)
    need_texts = [texts[i] for i in need]
    need_ids = [ids[i] for i in need]
    hashes = row_hashes(need_texts)
    hit, rows = store.lookup("language", key, need_ids, hashes, ["language"])
    for i, code in zip((i for i, h in zip(need, hit) if h), rows["language"].tolist()):
        result[i] = str(code)
    miss = np.flatnonzero(~hit)
    if len(miss):
        found = text.detect_languages([need_texts[j] for j in miss], languages=list(languages), progress=progress,
                                      workers=workers).tolist()
        store.store("language", key, [need_ids[j] for j in miss], hashes[miss], pd.DataFrame({"language": found}))
        for j, code in zip(miss, found):
            result[need[j]] = code
    return pd.Series(result, name="language", dtype="str").to_numpy()


def _sentiment_key(backend: str, languages: Sequence[str]) -> dict[str, Any]:
    key: dict[str, Any] = {"backend": backend.strip(), "annotator": ANNOTATOR_VERSION,
                           "languages": _language_set(languages)}
    if backend.strip().lower().startswith("model:"):
        folder = sentiment.resolve_model_path(backend)
        # the model's bytes, not its path: a dataset folder copied with its models/ keeps its cache
        key.update(backend="model", model=file_fingerprint(folder / sentiment.MODEL_FILE,
                                                            folder / sentiment.METADATA_FILE),
                   sklearn=_package_version("scikit-learn"),
                   code=_source_fingerprint(sentiment_backends, sentiment_features, sentiment_model, sentiment_store))
    else:
        key.update(backend=backend.strip().lower(), textblob=_package_version("textblob"),
                   vader=_package_version("vadersentiment"), code=_source_fingerprint(sentiment_backends))
    return key


def _sentiment(texts: list[Any], langs: list[str], backend: str, languages: Sequence[str], ids: list[Any],
               hashes: np.ndarray, store: AnnotationCache | None, progress: bool,
               workers: int | None) -> pd.DataFrame:
    """score / sentiment / scored of every message (cached rows reused)."""
    if store is None:
        return sentiment.score_sentiment(texts, langs, backend=backend, progress=progress, workers=workers)
    key = _sentiment_key(backend, languages)
    columns = ["score", "sentiment", "scored"]
    hit, rows = store.lookup("sentiment", key, ids, hashes, columns)
    score = np.full(len(texts), np.nan)
    label = np.full(len(texts), pd.NA, dtype=object)
    score[hit] = rows["score"].to_numpy(dtype="float64")
    label[hit] = pd.array(rows["sentiment"], dtype="string").to_numpy(dtype=object, na_value=pd.NA)
    miss = np.flatnonzero(~hit)
    if len(miss):
        found = sentiment.score_sentiment([texts[i] for i in miss], [langs[i] for i in miss], backend=backend,
                                          progress=progress, workers=workers).reset_index(drop=True)
        store.store("sentiment", key, [ids[i] for i in miss], hashes[miss], found[columns])
        score[miss] = found["score"].to_numpy(dtype="float64")
        label[miss] = found["sentiment"].to_numpy(dtype=object, na_value=pd.NA)
    return sentiment_backends.sentiment_frame(score, label, pd.RangeIndex(len(texts)))


def _questions(texts: list[Any], langs: list[str], member: np.ndarray, ids: list[Any], hashes: np.ndarray,
               store: AnnotationCache | None, workers: int | None) -> np.ndarray:
    """is_question of member messages (False for the others; cached rows reused)."""
    if store is None:
        return text.is_question(texts, langs, workers=workers).to_numpy() & member
    flags = np.zeros(len(texts), dtype=bool)
    rows_of = np.flatnonzero(member)
    key = {"annotator": ANNOTATOR_VERSION, "code": _source_fingerprint(text_questions, text_normalising)}
    hit, rows = store.lookup("questions", key, [ids[i] for i in rows_of], hashes[rows_of], ["is_question"])
    flags[rows_of[hit]] = rows["is_question"].to_numpy(dtype=bool)
    miss = rows_of[~hit]
    if len(miss):
        found = text.is_question([texts[i] for i in miss], [langs[i] for i in miss], workers=workers).to_numpy()
        store.store("questions", key, [ids[i] for i in miss], hashes[miss], pd.DataFrame({"is_question": found}))
        flags[miss] = found
    return flags


def annotate(messages: pd.DataFrame, languages: Sequence[str] = text.DEFAULT_LANGUAGES,
             sentiment_backend: str = sentiment.AUTO, *, data_dir: str | Path | None = None,
             questions: bool = True, progress: bool = True, cache: bool | AnnotationCache = True,
             workers: int | None = None) -> pd.DataFrame:
    """A copy of ``messages`` with ``language``, ``score``, ``sentiment``, ``scored`` and ``is_question``.

    * ``language``: detected among ``languages`` (ISO 639-1; "und" when unsure), keeping a language the
      export already gave;
    * ``score`` (−1..1, NaN when not scored), ``sentiment`` (negative/neutral/positive, NA when not scored),
      ``scored`` (bool): from ``sentiment_backend``, which reads only its own languages — others stay
      "not scored", never "neutral". ``"auto"`` (the default) runs ``data_dir``'s own validated model when it
      reads the languages present, else TextBlob (see :func:`annotate_with_scorer` for which ran);
    * ``is_question`` (bool, member messages only; skipped with ``questions=False``).

    An unknown backend raises ``ValueError`` naming the valid ones. Empty input gets the typed empty columns.
    ``cache`` and ``workers``: see :func:`annotate_with_scorer`.
    """
    return annotate_with_scorer(messages, languages, sentiment_backend, data_dir=data_dir, questions=questions,
                                progress=progress, cache=cache, workers=workers)[0]
