"""The model: word + character n-gram TF-IDF and a logistic regression, trained and checked honestly.

:func:`train` fits :func:`build_pipeline` (scikit-learn, offline, a few seconds) on the labels and
cross-validates it (:func:`cross_validate`): macro-F1 and per-class F1 per language with bootstrap 95 % CIs
(:func:`score_report`), next to TextBlob and VADER on the same labelled messages (:func:`compare_scorers`),
a learning curve (:func:`learning_curve`) and a confusion matrix (:func:`confusion_matrix`). The fitted
:class:`~helpers.sentiment.store.SentimentModel` is saved with :func:`helpers.sentiment.store.save_model`.

A model only scores languages it had labels for (at least ``min_labels_per_language``); messages in other
languages stay *not scored*, never neutral.
"""
from __future__ import annotations

import datetime as dt
import math
import platform
import warnings
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import Dataset, display_path
from helpers.sentiment.backends import score_sentiment
from helpers.sentiment.features import WORD_TOKEN_PATTERN, lexicon_features, prepare_chars, prepare_words
from helpers.sentiment.labels import LabelError, allocate, labelled_messages
from helpers.sentiment.store import FORMAT_VERSION, NOT_SCORED, SENTIMENTS, SentimentModel, one_thread
from helpers.text import UNDETERMINED, as_text, normalise, strip_links

__all__ = [
    "prepare_text", "build_pipeline", "train", "cross_validate", "score_report", "compare_scorers",
    "learning_curve", "confusion_matrix", "format_score",
]


def prepare_text(value: Any) -> str:
    """Normalise a text for the vectorisers of models saved before the real-text features: links/mentions
    out, NFC, Turkic-aware casefold, ё→е.

    Kept unchanged because those saved pipelines reference it by name (``helpers.sentiment.model.prepare_text``);
    new models use :func:`helpers.sentiment.features.prepare_words` and ``prepare_chars``.
    """
    return normalise(strip_links(as_text(value)))


def format_score(v: Any) -> str:
    """A score 0–1 (F1, macro-F1, a CI bound) with two decimals; "n/a" when missing."""
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def build_pipeline(seed: int = 0, C: float = 1.0) -> Any:
    """Word (1–2-gram) + character (2–5-gram, within word boundaries) TF-IDF, VADER's three lexicon scores,
    and a logistic regression.

    The texts are prepared for real social text by :mod:`helpers.sentiment.features` (links, mentions,
    emoticons and emoji as tokens, negation marks, repeated letters, ё/е, Azerbaijani letters as ASCII).
    Sublinear tf; class weights balanced so a rare class is not drowned out; ``C`` 1.0 (inverse
    regularisation) measured best on the real English and Russian tweets (see benchmarks/bench_labels.py).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer  # third-party, imported on first use (start-up speed)
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    features = FeatureUnion([
        ("word", TfidfVectorizer(preprocessor=prepare_words, analyzer="word", ngram_range=(1, 2), min_df=1,
                                 sublinear_tf=True, token_pattern=WORD_TOKEN_PATTERN, lowercase=False)),
        ("char", TfidfVectorizer(preprocessor=prepare_chars, analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                 sublinear_tf=True, lowercase=False)),
        ("lexicon", FunctionTransformer(lexicon_features)),
    ])
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


def _f1s(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Per-class F1 and macro-F1 over the three sentiments (a class absent from gold and pred is skipped)."""
    g = np.asarray(gold, dtype=object)
    p = np.asarray(pred, dtype=object)
    out: dict[str, float] = {}
    present = []
    for c in SENTIMENTS:
        tp = int(np.sum((g == c) & (p == c)))
        fp = int(np.sum((g != c) & (p == c)))
        fn = int(np.sum((g == c) & (p != c)))
        if tp + fp + fn == 0:
            out[f"f1_{c}"] = float("nan")
            continue
        present.append(c)
        out[f"f1_{c}"] = 2 * tp / (2 * tp + fp + fn)
    out["macro_f1"] = float(np.mean([out[f"f1_{c}"] for c in present])) if present else float("nan")
    return out


def score_report(gold: Sequence[str], pred: Sequence[str], n_boot: int = 1000, seed: int = 0,
                 level: float = 0.95) -> dict[str, float]:
    """Macro-F1, per-class F1 and accuracy (0–1) with percentile bootstrap CIs (resampling messages).

    ``pred`` may contain "not scored"/None: it counts as a wrong answer for every class except that, to
    give English-only scorers the most favourable honest reading, callers usually map not scored to
    "neutral" first (see :func:`compare_scorers`). Keys: n, macro_f1, macro_f1_ci_low, macro_f1_ci_high,
    f1_<class> (+ _ci_low/_ci_high), accuracy.
    """
    g = np.asarray([str(x) for x in gold], dtype=object)
    p = np.asarray([NOT_SCORED if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)
                    for x in pred], dtype=object)
    n = len(g)
    out: dict[str, float] = {"n": n}
    point = _f1s(g, p)
    out["accuracy"] = float(np.mean(g == p)) if n else float("nan")
    if n == 0:
        for k in point:
            out[k] = float("nan")
            out[f"{k}_ci_low"] = out[f"{k}_ci_high"] = float("nan")
        return out
    codes = {c: k for k, c in enumerate(SENTIMENTS)}
    gi = np.array([codes.get(x, 3) for x in g])
    pi = np.array([codes.get(x, 3) for x in p])
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    per_class: list[np.ndarray] = []
    for start in range(0, n_boot, 200):  # chunks keep memory at 200 × n
        idx = rng.integers(0, n, (min(200, n_boot - start), n))
        gb, pb = gi[idx], pi[idx]
        f1 = np.full((len(idx), 3), np.nan)
        for k in range(3):
            tp = np.sum((gb == k) & (pb == k), axis=1)
            fp = np.sum((gb != k) & (pb == k), axis=1)
            fn = np.sum((gb == k) & (pb != k), axis=1)
            den = 2 * tp + fp + fn
            with np.errstate(invalid="ignore", divide="ignore"):
                f1[:, k] = np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), np.nan)
        per_class.append(f1)
    boot = np.vstack(per_class)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        macro = np.nanmean(boot, axis=1)
    samples = {f"f1_{c}": boot[:, k] for k, c in enumerate(SENTIMENTS)}
    samples["macro_f1"] = macro
    for k, v in point.items():
        arr = samples[k][~np.isnan(samples[k])]
        out[k] = v
        out[f"{k}_ci_low"] = float(np.quantile(arr, alpha)) if len(arr) else float("nan")
        out[f"{k}_ci_high"] = float(np.quantile(arr, 1 - alpha)) if len(arr) else float("nan")
    return out


def cross_validate(texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 0) -> np.ndarray:
    """Out-of-fold predictions of :func:`build_pipeline` (stratified ``folds``-fold, shuffled with ``seed``).

    Each message is predicted by a model that never saw it. ``folds`` shrinks to the smallest class size
    (at least 2).
    """
    from sklearn.model_selection import StratifiedKFold  # third-party, imported on first use (start-up speed)

    y = np.asarray(labels, dtype=object)
    x = np.asarray([as_text(t) for t in texts], dtype=object)
    smallest = min(pd.Series(y).value_counts().min(), folds)
    k = max(2, int(smallest))
    pred = np.empty(len(y), dtype=object)
    with one_thread():
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y):
            model = build_pipeline(seed).fit(list(x[train_idx]), y[train_idx])
            pred[test_idx] = model.predict(list(x[test_idx]))
    return pred


def _check_trainable(lab: pd.DataFrame) -> None:
    counts = lab["sentiment"].value_counts()
    if len(lab) < 10 or len(counts) < 2 or counts.min() < 2:
        raise LabelError(f"too few labels to train: {len(lab)} label(s) "
                         f"({', '.join(f'{k}: {v}' for k, v in counts.items()) or 'none'}); label at least ~30 "
                         "messages per language with at least two of each sentiment you want it to learn")


def train(ds: Dataset, labels: pd.DataFrame | None = None, *, max_labels: int | None = None, seed: int = 0,
          folds: int = 5, languages: Sequence[str] | None = None, min_labels_per_language: int = 20,
          n_boot: int = 1000) -> tuple[SentimentModel, pd.DataFrame]:
    """Train a model on the dataset's labels and cross-validate it.

    Args:
        ds: the dataset (its messages give the texts of the labelled ids).
        labels: message_id, sentiment; None uses the dataset's labels table.
        max_labels: use at most this many labels (a stratified random subset by sentiment × language, seeded).
        seed: seed for the subset, the CV folds, the bootstrap and the classifier.
        folds: CV folds.
        languages: languages the detector may choose from (default dataset.json's, else ru/az/en).
        min_labels_per_language: a language needs this many labels to be scored by the model; labels of
            smaller languages (and "und") still help training but the model will not score that language.
        n_boot: bootstrap resamples for the CIs.

    Returns:
        (model, labelled) — ``labelled`` is the labelled messages used, with the out-of-fold prediction
        ``cv_prediction``. ``model.metadata["cv"]`` holds overall and per-language scores with CIs.
    """
    import sklearn  # third-party, imported on first use (start-up speed)

    lab = labelled_messages(ds, labels, languages)
    if max_labels is not None and len(lab) > max_labels:
        strata = lab.groupby(["sentiment", "language"]).indices
        alloc = allocate({k: len(v) for k, v in strata.items()}, int(max_labels))
        rng = np.random.default_rng(seed)
        keep: list[int] = []
        for key in sorted(strata, key=str):
            if alloc[key]:
                keep.extend(rng.choice(strata[key], size=alloc[key], replace=False).tolist())
        lab = lab.iloc[sorted(keep)].reset_index(drop=True)
    _check_trainable(lab)
    counts = lab["language"].value_counts()
    model_langs = tuple(sorted(str(code) for code, c in counts.items()
                               if c >= min_labels_per_language and code != UNDETERMINED))
    if not model_langs:
        raise LabelError(f"no language has {min_labels_per_language} labels yet "
                         f"({', '.join(f'{k}: {v}' for k, v in counts.items())}); label more messages")
    lab["cv_prediction"] = cross_validate(lab["text"].tolist(), lab["sentiment"].tolist(), folds, seed)
    with one_thread():
        pipeline = build_pipeline(seed).fit(lab["text"].astype(str).tolist(), lab["sentiment"].to_numpy(dtype=object))
    cv: dict[str, Any] = {"folds": folds, "method": f"stratified {folds}-fold cross-validation, bootstrap "
                          f"{n_boot} resamples of the out-of-fold predictions for 95 % CIs"}
    in_scope = lab["language"].isin(model_langs)
    cv["overall"] = score_report(lab.loc[in_scope, "sentiment"], lab.loc[in_scope, "cv_prediction"], n_boot, seed)
    cv["by_language"] = {code: score_report(lab.loc[lab["language"].eq(code), "sentiment"],
                                            lab.loc[lab["language"].eq(code), "cv_prediction"], n_boot, seed)
                         for code in model_langs}
    meta = {
        "format_version": FORMAT_VERSION,
        "kind": "tfidf-word-char+vader+logistic-regression",
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "languages": list(model_langs),
        "languages_without_enough_labels": {str(k): int(v) for k, v in counts.items() if str(k) not in model_langs},
        "min_labels_per_language": min_labels_per_language,
        "n_labels": int(len(lab)),
        "label_counts": {str(k): int(v) for k, v in lab["sentiment"].value_counts().items()},
        "labels_by_language": {str(k): int(v) for k, v in counts.items()},
        "label_message_ids": lab["message_id"].astype(str).tolist(),
        "dataset": {"name": ds.meta.get("name"),
                    "path": display_path(ds.path, relative_to="root") if ds.path else None},
        "seed": seed,
        "max_labels": max_labels,
        "cv": cv,
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__, "pandas": pd.__version__, "helpers": _helpers_version()},
    }
    return SentimentModel(pipeline, model_langs, meta), lab


def _helpers_version() -> str:
    try:
        return version("community-workbook")
    except Exception:
        return "unknown"


def _lexicon_predictions(texts: Sequence[str], langs: Sequence[str], backend: str) -> tuple[np.ndarray, np.ndarray]:
    out = score_sentiment(list(texts), list(langs), backend=backend, progress=False)
    labels = out["sentiment"].astype(object).where(out["scored"], None).to_numpy()
    return labels, out["scored"].to_numpy()


def compare_scorers(labelled: pd.DataFrame, scorers: Sequence[str] = ("textblob", "vader"), n_boot: int = 1000,
                    seed: int = 0, model_languages: Sequence[str] | None = None) -> pd.DataFrame:
    """The trained model's cross-validated scores next to TextBlob's and VADER's, per language.

    ``labelled`` is the frame :func:`train` returns (gold ``sentiment``, out-of-fold ``cv_prediction``).
    Lexicon scorers know English only: on other languages they score nothing (coverage 0) and their
    macro-F1 is computed with *not scored counted as neutral* — the best an unscored message could do, and
    what a report that silently called them neutral would claim. The model row only covers
    ``model_languages`` (other languages: coverage 0, not scored as neutral too).

    Returns one row per language (plus "all") × scorer: language, scorer, n, coverage (0–1), macro_f1 with
    ci_low/ci_high, f1_negative, f1_neutral, f1_positive.
    """
    rows = []
    langs = labelled["language"].astype(str).to_numpy()
    gold = labelled["sentiment"].astype(str).to_numpy()
    preds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    covered = np.isin(langs, list(model_languages)) if model_languages is not None else np.ones(len(langs), bool)
    model_pred = np.where(covered, labelled["cv_prediction"].astype(object).to_numpy(), None)
    preds["model (cross-validated)"] = (model_pred, covered)
    for s in scorers:
        preds[s] = _lexicon_predictions(labelled["text"].tolist(), langs.tolist(), s)
    groups = [("all", np.ones(len(langs), bool))] + [(code, langs == code) for code in sorted(set(langs))]
    for code, mask in groups:
        if not mask.any():
            continue
        for name, (pred, scored) in preds.items():
            p = np.where(scored[mask], pred[mask], "neutral")
            rep = score_report(gold[mask], p, n_boot, seed)
            rows.append({"language": code, "scorer": name, "n": int(mask.sum()),
                         "coverage": float(scored[mask].mean()), "macro_f1": rep["macro_f1"],
                         "ci_low": rep["macro_f1_ci_low"], "ci_high": rep["macro_f1_ci_high"],
                         "f1_negative": rep["f1_negative"], "f1_neutral": rep["f1_neutral"],
                         "f1_positive": rep["f1_positive"]})
    return pd.DataFrame(rows)


def learning_curve(labelled: pd.DataFrame, sizes: Sequence[int] | None = None, folds: int = 5,
                   seed: int = 0) -> pd.DataFrame:
    """Cross-validated macro-F1 when training on fewer labels: does labelling more help?

    For each fold, the model is trained on the first ``size`` labels of a shuffled training part and
    scored on the held-out part. Returns n_labels, macro_f1 (mean over folds), sd, folds. A curve still
    rising at the right end means more labels will pay off.
    """
    from sklearn.metrics import f1_score  # third-party, imported on first use (start-up speed)
    from sklearn.model_selection import StratifiedKFold

    y = labelled["sentiment"].astype(str).to_numpy()
    x = labelled["text"].astype(str).to_numpy()
    smallest = int(pd.Series(y).value_counts().min())
    k = max(2, min(folds, smallest))
    n_train = int(len(y) * (k - 1) / k)
    if sizes is None:
        sizes = sorted({int(s) for s in np.unique(np.geomspace(30, max(n_train, 31), 6).astype(int)) if s <= n_train})
    rng = np.random.default_rng(seed)
    scores: dict[int, list[float]] = {int(s): [] for s in sizes}
    with one_thread():
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y):
            order = rng.permutation(train_idx)
            for s in scores:
                sub = order[:s]
                if len(set(y[sub])) < 2:
                    continue
                model = build_pipeline(seed).fit(list(x[sub]), y[sub])
                scores[s].append(f1_score(y[test_idx], model.predict(list(x[test_idx])), average="macro",
                                          labels=[c for c in SENTIMENTS if c in set(y)], zero_division=0))
    return pd.DataFrame([{"n_labels": s, "macro_f1": float(np.mean(v)) if v else float("nan"),
                          "sd": float(np.std(v, ddof=1)) if len(v) > 1 else float("nan"), "folds": len(v)}
                         for s, v in scores.items()])


def confusion_matrix(gold: Sequence[str], pred: Sequence[Any]) -> pd.DataFrame:
    """Counts of gold (rows) × predicted (columns) over negative/neutral/positive (+ "not scored" column
    when some predictions are missing)."""
    g = pd.Series([str(x) for x in gold], name="gold")
    p = pd.Series([NOT_SCORED if x is None or x is pd.NA else str(x) for x in pred], name="predicted")
    cols = list(SENTIMENTS) + ([NOT_SCORED] if (p == NOT_SCORED).any() else [])
    table = pd.crosstab(g, p).reindex(index=list(SENTIMENTS), columns=cols, fill_value=0)
    table.index.name, table.columns.name = "gold", "predicted"
    return table.astype("int64")

