"""Which messages to label next: stratified random before a model exists, uncertainty with diversity after.

* :func:`allocate` spreads ``n`` draws over strata (language × channel …) proportionally, at least one each;
* :func:`uncertainty` — how unsure a model is about each message (1 − the margin between its two most
  likely labels, 0–1);
* :func:`pick_uncertain_diverse` — from the most uncertain messages, a greedy pick that also keeps away from
  messages already picked or labelled (cosine similarity of the model's own features), so a batch is not
  twenty copies of the same retweet;
* :func:`class_weights` / :func:`informativeness` / :func:`choose_by_model` — a batch for one stratum: each
  message scores uncertainty × the expected weight of its label (a sentiment the labels lack weighs most:
  the minority classes are what macro-F1 rewards), and the batch is picked greedily by that score with
  diversity;
* :func:`proba_and_features` — the model's probabilities and feature rows from one pass of its features;
* :func:`select_sample` — the whole choice for a frame of candidate messages: strata (language × channel)
  the model scores get :func:`choose_by_model`, the others (and every stratum when there is no model) a
  random draw stratified by the current lexicon score.

Measured on real tweets (benchmarks/bench_labels.py, start 50 random, rounds of 25): see
benchmarks/results/label_curves.md; the variants tried on a faster protocol (k-means clusters of the features
with the most informative message per cluster, a density weight, per-class quotas, a squared class weight,
rounds of 10 before 150 labels) are in benchmarks/results/label_strategy_trials.md.

The model's guess is used only to choose; it is never returned, so it cannot anchor the labeller.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.sentiment.store import SentimentModel, one_thread

__all__ = ["RANDOM", "UNCERTAINTY", "allocate", "uncertainty", "pick_uncertain_diverse", "proba_and_features",
           "class_weights", "informativeness", "choose_by_model", "select_sample"]

EXPLORE = 0.0
"""Share (0–1) of a model-chosen batch still drawn at random."""
RANDOM = "stratified random"
UNCERTAINTY = "uncertainty + diversity"
"""The two values of :func:`select_sample`'s ``selection`` column."""


def allocate(sizes: Mapping[Any, int], n: int) -> dict[Any, int]:
    """Proportional allocation of ``n`` draws (a count) over strata of ``sizes`` (counts): at least one per
    non-empty stratum when n allows, largest remainders, never more than a stratum holds."""
    total = sum(sizes.values())
    if total == 0 or n <= 0:
        return {k: 0 for k in sizes}
    if n >= total:
        return dict(sizes)
    keys = sorted(sizes, key=lambda k: (-sizes[k], str(k)))
    alloc = {k: 0 for k in keys}
    if n >= len(keys):
        for k in keys:
            alloc[k] = 1
    rest = n - sum(alloc.values())
    quota = {k: rest * sizes[k] / total for k in keys}
    for k in keys:
        alloc[k] += min(int(math.floor(quota[k])), sizes[k] - alloc[k])
    left = n - sum(alloc.values())
    order = sorted(keys, key=lambda k: (-(quota[k] - math.floor(quota[k])), -sizes[k], str(k)))
    while left > 0:
        progressed = False
        for k in order:
            if left and alloc[k] < sizes[k]:
                alloc[k] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    return alloc


def uncertainty(proba: np.ndarray) -> np.ndarray:
    """1 − (highest − second highest class probability) per row of ``proba`` (n × classes), 0–1: 1 when the
    model cannot tell its two best labels apart, 0 when it is sure."""
    p = np.asarray(proba, dtype=float)
    if p.ndim != 2 or p.shape[1] < 2:
        return np.ones(len(p))
    top2 = np.sort(p, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def proba_and_features(model: SentimentModel, texts: Sequence[str]) -> tuple[np.ndarray, Any]:
    """The model's class probabilities (n × classes) and its L2-normalised feature rows of ``texts``, from one
    pass of the feature steps (the costly part)."""
    from sklearn.preprocessing import normalize  # third-party, imported on first use (start-up speed)

    with one_thread():
        x = model.pipeline[:-1].transform(list(texts))
        return np.asarray(model.pipeline[-1].predict_proba(x), dtype=float), normalize(x)


def pick_uncertain_diverse(scores: np.ndarray, vectors: Any, k: int, *, labelled: Any = None,
                           candidates: int | None = None, seed: int = 0) -> np.ndarray:
    """Positions of ``k`` items, greedily: most uncertain first, each next one weighted down by its cosine
    similarity to those already picked (and to ``labelled`` vectors), score = uncertainty × (1 − similarity).

    Args:
        scores: uncertainty per item (0–1).
        vectors: L2-normalised feature rows of the items (sparse or dense), dot product = cosine.
        k: how many to pick.
        labelled: feature rows of messages already labelled (optional): near-copies of them are avoided too.
        candidates: look only at this many most uncertain items (default max(5·k, k + 50)).
        seed: breaks ties between equal scores.
    """
    scores = np.asarray(scores, dtype=float)
    n = len(scores)
    k = min(int(k), n)
    if k <= 0:
        return np.array([], dtype=int)
    rng = np.random.default_rng(seed)
    jitter = rng.random(n) * 1e-9
    m = min(n, candidates or max(5 * k, k + 50))
    pool = np.argsort(-(scores + jitter), kind="stable")[:m]
    x = vectors[pool]
    closest = np.zeros(m)
    if labelled is not None and labelled.shape[0]:
        sim = x @ labelled.T
        closest = np.asarray(sim.max(axis=1).todense() if hasattr(sim, "todense") else sim.max(axis=1)).ravel()
    base = scores[pool] + jitter[pool]
    taken = np.zeros(m, dtype=bool)
    picked: list[int] = []
    for _ in range(k):
        gain = np.where(taken, -np.inf, base * (1.0 - np.clip(closest, 0.0, 1.0)))
        j = int(np.argmax(gain))
        taken[j] = True
        picked.append(j)
        sim = x @ x[j].T
        sim = np.asarray(sim.todense() if hasattr(sim, "todense") else sim).ravel()
        closest = np.maximum(closest, sim)
    return pool[np.array(picked, dtype=int)]


def class_weights(label_counts: Mapping[str, int], classes: Sequence[str]) -> np.ndarray:
    """Weight per class (in ``classes`` order, largest 1): inversely proportional to its label count + 1, so
    a sentiment the labels lack weighs most (towards equal counts, what macro-F1 rewards)."""
    counts = np.array([label_counts.get(c, 0) for c in classes], dtype=float) + 1.0
    w = 1.0 / counts
    return w / w.max()


def informativeness(proba: np.ndarray, classes: Sequence[str],
                    label_counts: Mapping[str, int] | None = None) -> np.ndarray:
    """How much labelling each message should teach the model, 0–1: :func:`uncertainty` times the expected
    :func:`class_weights` of its label under the model (Σ P(class) · weight), so an unsure message that is
    probably of a rare sentiment comes first."""
    p = np.asarray(proba, dtype=float)
    return uncertainty(p) * (p @ class_weights(dict(label_counts or {}), list(classes)))


def choose_by_model(proba: np.ndarray, classes: Sequence[str], vectors: Any, k: int, *,
                    label_counts: Mapping[str, int] | None = None, labelled: Any = None,
                    seed: int = 0) -> np.ndarray:
    """Positions of ``k`` messages to label next, chosen by a model's probabilities (n × classes, columns
    in ``classes`` order): the most informative (:func:`informativeness`, balanced against
    ``label_counts``), picked with diversity (:func:`pick_uncertain_diverse`, away from ``labelled``
    vectors too)."""
    proba = np.asarray(proba, dtype=float)
    k = min(int(k), len(proba))
    if k <= 0:
        return np.array([], dtype=int)
    return pick_uncertain_diverse(informativeness(proba, classes, label_counts), vectors, k, labelled=labelled,
                                  seed=seed)


def select_sample(candidates: pd.DataFrame, n: int, *, seed: int = 0, model: SentimentModel | None = None,
                  labelled: pd.DataFrame | None = None, explore: float = EXPLORE) -> pd.DataFrame:
    """Choose ``n`` rows of ``candidates`` to label.

    ``candidates`` has text, language, channel and current_score (a lexicon's label or "not scored": the
    stratum before a model exists). Strata are language × channel for languages the ``model`` scores (their
    rows chosen by :func:`choose_by_model`, balanced against the ``labelled`` counts of that language and
    away from the labelled texts) and language × channel × current_score otherwise (a seeded random draw);
    rows are allocated proportionally over all strata (:func:`allocate`). ``labelled`` has text, sentiment
    and, optionally, language. In a model stratum a share ``explore`` (0–1) of the rows is still drawn at
    random, so the labels stay representative of the whole stream.

    Returns the chosen rows (original index, in candidate order) with a ``selection`` column
    (:data:`UNCERTAINTY` or :data:`RANDOM`); nothing of the model's guess is added.
    """
    if n <= 0 or candidates.empty:
        return candidates.iloc[:0].assign(selection=pd.Series(dtype="str"))
    frame = candidates.reset_index(drop=True)
    covered = frame["language"].isin(model.languages) if model is not None else pd.Series(False, index=frame.index)
    score_key = frame["current_score"].astype(str).where(~covered, "")
    strata = frame.assign(_score_key=score_key).groupby(["language", "channel", "_score_key"], sort=True).indices
    alloc = allocate({key: len(pos) for key, pos in strata.items()}, n)
    rng = np.random.default_rng(seed)
    picked: list[int] = []
    how: dict[int, str] = {}
    labelled_vectors = None
    if model is not None and covered.any() and labelled is not None and len(labelled):
        labelled_vectors = proba_and_features(model, labelled["text"].astype(str).tolist())[1]
    for key in sorted(strata, key=str):
        pos = np.asarray(strata[key])
        k = alloc.get(key, 0)
        if not k:
            continue
        if model is not None and key[0] in model.languages:
            texts = frame["text"].iloc[pos].astype(str).tolist()
            proba, vectors = proba_and_features(model, texts)
            counts: dict[str, int] = {}
            if labelled is not None and len(labelled):
                same = labelled if "language" not in labelled else labelled[labelled["language"].eq(key[0])]
                counts = {str(c): int(v) for c, v in same["sentiment"].value_counts().items()}
            k_random = int(round(explore * k))
            by_model = pos[choose_by_model(proba, [str(c) for c in model.pipeline.classes_],
                                           vectors, k - k_random, label_counts=counts,
                                           labelled=labelled_vectors, seed=seed)]
            rest = np.setdiff1d(pos, by_model)
            randomly = rng.choice(rest, size=min(k_random, len(rest)), replace=False)
            how.update({int(i): UNCERTAINTY for i in by_model})
            how.update({int(i): RANDOM for i in randomly})
            chosen = np.concatenate([by_model, randomly])
        else:
            chosen = rng.choice(pos, size=k, replace=False)
            how.update({int(i): RANDOM for i in chosen})
        picked.extend(int(i) for i in chosen)
    order = sorted(picked)
    out = candidates.iloc[order].copy()
    out["selection"] = [how[i] for i in order]
    return out
