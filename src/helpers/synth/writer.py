"""Writing a synthetic dataset folder: tables, ``ground_truth.json``, ``gold_sentiment.csv`` and labels.

The sentiment-loop extras (:mod:`helpers.synth.sentiment`) use their own random streams, so the rest of the
data is the same with or without them.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from helpers.io import resolve_path, write_dataset
from helpers.sentiment import write_labels
from helpers.synth.options import SynthOptions
from helpers.synth.pipeline import synthesize
from helpers.synth.sentiment import harden_english, sample_labels
from helpers.synth.state import SynthResult

__all__ = ["write_result", "write_synthetic", "sentiment_extras", "write_sentiment_labels"]


def _json_safe(value: Any) -> Any:
    """NaN/inf become null so ground_truth.json stays strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def write_result(result: SynthResult, out_dir: str | Path, fmt: str = "csv") -> Path:
    """Write the dataset (helpers.io.write_dataset), ground_truth.json and gold_sentiment.csv; returns the
    folder."""
    out = write_dataset(result.dataset, out_dir, fmt=fmt)
    truth_text = json.dumps(_json_safe(result.truth), ensure_ascii=False, indent=2, default=_json_default,
                            allow_nan=False) + "\n"
    (out / "ground_truth.json").write_text(truth_text, encoding="utf-8")
    result.gold.to_csv(out / "gold_sentiment.csv", index=False, encoding="utf-8", lineterminator="\n")
    return out


def write_synthetic(out_dir: str | Path, seed: int = 7, n_messages: int = 12000, start: str = "2025-01-01",
                    months: int = 12, options: SynthOptions | None = None, fmt: str = "csv",
                    labels: int = 0, lexicon_hard_share: float = 0.0) -> dict[str, Any]:
    """Generate and write a canonical dataset folder plus ``ground_truth.json`` and ``gold_sentiment.csv``.

    Returns the ground truth. ``fmt`` is ``csv`` or ``parquet`` (tables only; the JSON and gold CSV are
    always written as such). Relative ``out_dir`` resolves like every helper path (:func:`helpers.io.resolve_path`).
    Sentiment loop (:mod:`helpers.synth.sentiment`, own random streams, the rest of the data is unchanged):
    ``labels`` > 0 also writes a ``labels`` table of that many gold labels (as if a person had labelled
    them); ``lexicon_hard_share`` (0–1) rewrites that share of English member messages with texts lexicon
    scorers misread (sarcasm, complaints without negative words), gold sentiment unchanged.
    """
    result = synthesize(seed=seed, n_messages=n_messages, start=start, months=months, options=options)
    sentiment_extras(result, seed, labels, lexicon_hard_share)
    out = write_result(result, resolve_path(out_dir), fmt=fmt)
    write_sentiment_labels(result, out, seed, labels)
    return result.truth


def sentiment_extras(result: SynthResult, seed: int, labels: int, lexicon_hard_share: float) -> None:
    """Issue 7 options, in place: lexicon-hard English texts (``lexicon_hard_share`` 0–1, before writing) and
    the labels count (``labels`` >= 0) in the truth."""
    if labels < 0:
        raise ValueError(f"labels must be >= 0, got {labels}")
    hardened = harden_english(result, lexicon_hard_share, seed)
    if lexicon_hard_share:
        result.truth["lexicon_hard_english_messages"] = hardened
    if labels:
        result.truth["sentiment_labels"] = min(int(labels), len(result.gold))


def write_sentiment_labels(result: SynthResult, out: Path, seed: int, labels: int) -> None:
    """Write a labels table of ``labels`` gold labels into the dataset folder ``out`` (nothing when 0)."""
    if labels:
        write_labels(sample_labels(result.gold, labels, seed), out)
