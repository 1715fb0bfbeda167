"""A trained sentiment model and its folder: :class:`SentimentModel`, save, load, resolve.

The bottom of :mod:`helpers.sentiment`: it imports no other module of the room, so the scorers
(:mod:`helpers.sentiment.backends`) can load models at module level. A model folder holds ``model.joblib``
(the scikit-learn pipeline, a pickle: load only models you trained yourself) and ``metadata.json`` (the
ids of the labels used, languages, cross-validated scores, date, package versions).
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import atomic_write, atomic_write_text, display_path, resolve_path, to_jsonable
from helpers.sentiment.vectorise import fast_features, predict_proba
from helpers.text import LETTER_RE, as_languages, as_text, as_texts

__all__ = [
    "FORMAT_VERSION", "SENTIMENTS", "NOT_SCORED", "MODEL_FILE", "METADATA_FILE", "DEFAULT_MODEL_NAME", "ModelError",
    "PREVIOUS_DIR", "SentimentModel", "one_thread", "default_model_dir", "save_model", "archive_model",
    "previous_models", "load_model", "resolve_model_path",
]

FORMAT_VERSION = 1
"""Version of the saved-model layout (``metadata.json`` + ``model.joblib``); :func:`load_model` refuses others."""
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
"""The three labels a person gives and a model predicts."""
NOT_SCORED = "not scored"
"""What a message reads as when no scorer could judge it (never "neutral")."""
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
DEFAULT_MODEL_NAME = "sentiment"
PREVIOUS_DIR = "previous"
"""Where :func:`save_model` keeps the models it replaces: ``MODELS/previous/NAME-<trained at>/`` beside
``MODELS/NAME`` (never deleted by the workbook)."""
_UNCHANGED_IGNORES = ("created_at", "versions")


class ModelError(ValueError):
    """A model folder that cannot be used (missing, unknown format version, unreadable)."""


def one_thread() -> Any:
    """BLAS limited to one thread while fitting: these problems are small, and on a shared machine
    multithreaded L-BFGS spends its time waiting (measured 40× slower on 2 busy cores).

    A context manager (``with one_thread(): …``).
    """
    from threadpoolctl import threadpool_limits  # third-party, imported on first use (start-up speed)

    return threadpool_limits(limits=1)


@dataclass
class SentimentModel:
    """A trained scorer: the scikit-learn pipeline plus its metadata (see :func:`save_model`).

    ``languages`` are the ISO 639-1 codes it had enough labels for; it never scores any other language.
    """

    pipeline: Any
    languages: tuple[str, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    replaced: Path | None = None
    """Set by :func:`save_model`: where the model this one replaced was kept (None: nothing replaced)."""
    _features: Any = field(default=None, init=False, repr=False, compare=False)  # FastFeatures, False: none

    def predict(self, texts: Sequence[Any], languages: Sequence[Any] | str | None) -> pd.DataFrame:
        """Score texts: columns score (P(positive) − P(negative), −1..1), sentiment, scored (bool).

        Texts in languages outside :attr:`languages`, and texts without letters, are not scored (NaN / <NA>).
        """
        values, index = as_texts(texts)
        langs = as_languages(languages, len(values))
        ok = [i for i, (t, lang) in enumerate(zip(values, langs))
              if lang in self.languages and LETTER_RE.search(as_text(t))]
        score = np.full(len(values), np.nan)
        label = np.array([pd.NA] * len(values), dtype=object)
        if ok:
            s, lab = self.predict_raw([as_text(values[i]) for i in ok])
            score[ok] = s
            label[ok] = lab
        return pd.DataFrame({"score": pd.Series(score, index=index, dtype="float64"),
                             "sentiment": pd.Series(label, index=index, dtype="string"),
                             "scored": pd.Series(~np.isnan(score), index=index, dtype=bool)}, index=index)

    def predict_raw(self, docs: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """Scores (P(positive) − P(negative), −1..1) and labels for ``docs``, ignoring language: callers must
        pass only texts in :attr:`languages` (:meth:`predict` and :func:`helpers.sentiment.score_sentiment` do)."""
        if len(docs) == 0:
            return np.zeros(0), []
        if self._features is None:
            self._features = fast_features(self.pipeline) or False
        with one_thread():
            proba = predict_proba(self.pipeline, docs, self._features or None)
        classes = list(self.pipeline.classes_)
        p = {c: proba[:, classes.index(c)] if c in classes else np.zeros(len(docs)) for c in SENTIMENTS}
        labels = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
        return p["positive"] - p["negative"], [str(x) for x in labels]

    @property
    def cv_macro_f1(self) -> float | None:
        """Cross-validated macro-F1 (0–1) over all labelled languages, from the metadata."""
        return (self.metadata.get("cv") or {}).get("overall", {}).get("macro_f1")


# --------------------------------------------------------------------------------------------------
# Save / load / resolve
# --------------------------------------------------------------------------------------------------


def default_model_dir(data_dir: str | os.PathLike, name: str = DEFAULT_MODEL_NAME) -> Path:
    """Where models of a dataset live by default: ``DATA_DIR/models/NAME``."""
    return resolve_path(data_dir) / "models" / name


def save_model(model: SentimentModel, model_dir: str | os.PathLike, *, keep_previous: bool = True) -> Path:
    """Write ``model.joblib`` and ``metadata.json`` (human-readable) into ``model_dir``; returns the folder.

    A different model already in ``model_dir`` is kept, not overwritten: it moves to
    ``previous/NAME-<its training time>/`` beside the folder (:func:`archive_model`; ``model.replaced`` says
    where). The same model retrained on the same labels (equal metadata apart from the training time and
    package versions) is simply replaced. ``keep_previous=False`` replaces whatever is there.
    """
    import joblib  # third-party, imported on first use (start-up speed)

    folder = resolve_path(model_dir)
    model.replaced = archive_model(folder, unless_same_as=model) if keep_previous else None
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / MODEL_FILE, lambda p: joblib.dump(
        {"format_version": FORMAT_VERSION, "pipeline": model.pipeline, "languages": list(model.languages)}, p))
    atomic_write_text(folder / METADATA_FILE, json.dumps(to_jsonable(model.metadata), ensure_ascii=False, indent=2))
    model.path = folder
    _load_cached.cache_clear()
    return folder


def archive_model(model_dir: str | os.PathLike, *, unless_same_as: SentimentModel | None = None) -> Path | None:
    """Move the model folder ``model_dir`` (when it holds a model) to ``previous/NAME-<trained at>/`` beside it
    and return the new place; None when there is nothing to keep, or when it holds the same model as
    ``unless_same_as`` (equal metadata apart from training time and package versions)."""
    folder = resolve_path(model_dir)
    meta_path = folder / METADATA_FILE
    if not folder.is_dir() or not ((folder / MODEL_FILE).is_file() or meta_path.is_file()):
        return None
    try:
        old = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    except (ValueError, UnicodeDecodeError):
        old = {}
    old = old if isinstance(old, dict) else {}
    if unless_same_as is not None and old:
        new = json.loads(json.dumps(to_jsonable(unless_same_as.metadata), ensure_ascii=False))
        if _comparable(old) == _comparable(new):
            return None
    stamp = "".join(ch for ch in str(old.get("created_at") or "") if ch.isalnum())[:15] or "undated"
    archive = folder.parent / PREVIOUS_DIR
    archive.mkdir(parents=True, exist_ok=True)
    target, n = archive / f"{folder.name}-{stamp}", 1
    while target.exists():
        n += 1
        target = archive / f"{folder.name}-{stamp}-{n}"
    os.replace(folder, target)
    _load_cached.cache_clear()
    return target


def previous_models(model_dir: str | os.PathLike) -> list[Path]:
    """The models :func:`save_model` kept when it replaced the one in ``model_dir``, oldest first."""
    folder = resolve_path(model_dir)
    archive = folder.parent / PREVIOUS_DIR
    if not archive.is_dir():
        return []
    return sorted((p for p in archive.iterdir() if p.is_dir() and p.name.startswith(folder.name + "-")),
                  key=lambda p: p.name)


def _comparable(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k not in _UNCHANGED_IGNORES}


def load_model(model_dir: str | os.PathLike) -> SentimentModel:
    """Load a model saved by :func:`save_model`. ModelError when the folder or its files are missing, or the
    format version is not :data:`FORMAT_VERSION` (retrain with ``python -m helpers sentiment train``)."""
    folder = resolve_path(model_dir)
    meta_path = folder / METADATA_FILE
    stat = meta_path.stat().st_mtime_ns if meta_path.is_file() else 0
    return _load_cached(str(folder), stat)


@functools.lru_cache(maxsize=4)
def _load_cached(folder_s: str, _mtime: int) -> SentimentModel:
    import joblib  # third-party, imported on first use (start-up speed)

    folder = Path(folder_s)
    shown = display_path(folder)
    if not folder.is_dir():
        raise ModelError(f"model folder not found: {shown} (train one with: python -m helpers sentiment train "
                         "DATA_DIR --out MODEL_DIR)")
    meta_path, model_path = folder / METADATA_FILE, folder / MODEL_FILE
    for p in (meta_path, model_path):
        if not p.is_file():
            raise ModelError(f"{shown}: {p.name} missing — not a sentiment model folder")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{display_path(meta_path)}: unreadable metadata ({exc})") from None
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if version != FORMAT_VERSION:
        raise ModelError(f"{display_path(meta_path)}: model format version {version!r} is not supported (this "
                         f"workbook reads version {FORMAT_VERSION}); retrain: python -m helpers sentiment train")
    try:
        bundle = joblib.load(model_path)
    except Exception as exc:
        raise ModelError(f"{display_path(model_path)}: cannot load the model ({type(exc).__name__}: {exc}); "
                         "retrain it with this workbook's scikit-learn") from None
    if not isinstance(bundle, dict) or bundle.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{display_path(model_path)}: model format version "
                         f"{bundle.get('format_version') if isinstance(bundle, dict) else None!r} is not supported "
                         f"(expected {FORMAT_VERSION}); retrain it")
    return SentimentModel(bundle["pipeline"], tuple(bundle["languages"]), meta, folder)


def resolve_model_path(spec: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """The model folder named by ``spec`` (``"model:PATH"`` or ``PATH``).

    Absolute paths are used as given. A relative PATH is tried against the current directory and the
    workbook root (:func:`helpers.io.resolve_path`) and, when ``data_dir`` is given, against ``data_dir``
    and ``data_dir/models`` (so ``model:sentiment`` finds ``DATA_DIR/models/sentiment``). The first folder
    that exists wins; otherwise the workbook-root reading is returned (and loading reports it missing).
    """
    raw = str(spec)
    if raw.lower().startswith("model:"):
        raw = raw[len("model:"):]
    raw = raw.strip()
    if not raw:
        raise ModelError("model backend needs a folder: model:PATH (e.g. model:data/sample/models/sentiment)")
    path = Path(raw).expanduser()
    if path.is_absolute():
        return path
    candidates = [resolve_path(path)]
    if data_dir is not None:
        base = resolve_path(data_dir)
        candidates += [base / path, base / "models" / path]
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


