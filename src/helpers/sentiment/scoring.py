"""Using a scorer on a dataset: every message's score, and what a findings.json records about the scorer.

Above :mod:`helpers.sentiment.backends` (it scores) and :mod:`helpers.sentiment.labels` (message
languages); :mod:`helpers.sentiment.store` stays below both, so the model backend can load models.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from helpers.io import Dataset
from helpers.sentiment.backends import SENTIMENT_BACKENDS, score_sentiment
from helpers.sentiment.choice import choose_backend
from helpers.sentiment.labels import dataset_languages, message_languages
from helpers.sentiment.store import load_model, resolve_model_path

__all__ = ["scorer_info", "score_dataset"]


def scorer_info(backend: str, data_dir: str | os.PathLike | None = None) -> dict[str, Any]:
    """What a findings.json records about the sentiment scorer: name, languages and validation score.

    Keys: ``sentiment_scorer`` (backend string), ``sentiment_scorer_languages`` (list),
    ``sentiment_scorer_cv_macro_f1`` (0–1, cross-validated on the organisation's labels; None for the
    lexicon scorers, which were never validated on this audience), ``sentiment_scorer_cv_macro_f1_ci_low``,
    ``_ci_high``, ``sentiment_scorer_labels`` (labels behind the score). Never raises: problems go to
    ``sentiment_scorer_error``.
    """
    info: dict[str, Any] = {"sentiment_scorer": str(backend), "sentiment_scorer_languages": None,
                            "sentiment_scorer_cv_macro_f1": None, "sentiment_scorer_cv_macro_f1_ci_low": None,
                            "sentiment_scorer_cv_macro_f1_ci_high": None, "sentiment_scorer_labels": None}
    try:
        name = str(backend).strip()
        if name.lower().startswith("model:"):
            model = load_model(resolve_model_path(name, data_dir))
            overall = (model.metadata.get("cv") or {}).get("overall") or {}
            info.update({
                "sentiment_scorer_languages": list(model.languages),
                "sentiment_scorer_cv_macro_f1": overall.get("macro_f1"),
                "sentiment_scorer_cv_macro_f1_ci_low": overall.get("macro_f1_ci_low"),
                "sentiment_scorer_cv_macro_f1_ci_high": overall.get("macro_f1_ci_high"),
                "sentiment_scorer_labels": model.metadata.get("n_labels"),
                "sentiment_scorer_cv_macro_f1_by_language": {
                    k: v.get("macro_f1") for k, v in ((model.metadata.get("cv") or {}).get("by_language") or {}).items()},
                "sentiment_scorer_trained_at": model.metadata.get("created_at"),
            })
        elif name.lower() in SENTIMENT_BACKENDS:
            info["sentiment_scorer_languages"] = sorted(SENTIMENT_BACKENDS[name.lower()])
            info["sentiment_scorer_validation"] = ("none on this audience: an English-only lexicon scorer "
                                                   "(train a model on your own labels in notebook 04)")
        else:
            info["sentiment_scorer_error"] = f"unknown sentiment backend {backend!r}"
    except Exception as exc:  # recording metadata must never stop a notebook
        info["sentiment_scorer_error"] = str(exc)
    return info


def score_dataset(ds: Dataset, backend: str, languages: Sequence[str] | None = None,
                  progress: bool = False) -> pd.DataFrame:
    """Score every message of ``ds``: message_id, language, sentiment (negative/neutral/positive or empty
    when not scored), score (−1..1 or empty). ``backend="auto"`` runs what :func:`choose_backend` picks."""
    msgs = ds.messages
    langs = message_languages(msgs, dataset_languages(ds, languages), progress)
    spec = choose_backend(backend, ds.path, langs.tolist()).backend
    if spec.strip().lower().startswith("model:"):
        spec = "model:" + str(resolve_model_path(spec, ds.path))
    scores = score_sentiment(msgs["text"].tolist(), langs.tolist(), backend=spec, progress=progress)
    return pd.DataFrame({"message_id": msgs["message_id"].to_numpy(), "language": langs.to_numpy(),
                         "sentiment": scores["sentiment"].to_numpy(), "score": scores["score"].to_numpy()})
