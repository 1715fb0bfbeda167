"""Learning curves of two ways to choose labels — random versus the model's choice — on real labelled text.

:func:`strategy_curves` is the protocol ``benchmarks/bench_labels.py`` runs on the real tweets of
``../shared/data`` (see :mod:`helpers.sentiment.corpora`); notebook 04 shows the committed result through
:func:`label_strategy_table`.

Protocol, per language and repetition ``r`` (seed ``seed + r``):

1. a stratified held-out test split (``test_share`` of the labelled texts, by sentiment) is fixed; the rest
   is the *pool* a labeller would be shown;
2. **random**: the first N texts of one seeded shuffle of the pool (nested: 200 contains the 100);
3. **chosen**: the first ``start`` texts by :func:`helpers.sentiment.selection.select_sample` without a
   model (stratified random by language × channel × current lexicon score, as before a model exists), then
   rounds of ``batch``: train on the labels so far, choose the next ``batch`` from the rest of the pool
   with the model (:func:`~helpers.sentiment.selection.choose_by_model`), reveal their gold labels;
4. at every size the model (:func:`helpers.sentiment.model.build_pipeline`) is trained on the labels
   chosen so far and scored on the test split: macro-F1 over the three classes and the mean F1 of
   positive and negative (SentiRuEval's measure), both 0–1.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import workbook_root
from helpers.sentiment.backends import score_sentiment
from helpers.sentiment.model import build_pipeline
from helpers.sentiment.selection import select_sample
from helpers.sentiment.store import NOT_SCORED, SENTIMENTS, SentimentModel, one_thread

__all__ = ["SIZES", "STRATEGIES", "LABEL_CURVES_FILE", "strategy_curves", "summarise_curves", "read_label_curves",
           "label_strategy_table", "label_strategy_lines", "label_strategy_results"]

SIZES: tuple[int, ...] = (100, 200, 300, 500)
"""Label counts the curves are measured at."""
STRATEGIES = ("random", "chosen")
LABEL_CURVES_FILE = "benchmarks/results/label_curves.csv"
"""Where ``benchmarks/bench_labels.py`` writes the curves (relative to the workbook root, committed)."""


def _macro_f1s(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import f1_score  # third-party, imported on first use (start-up speed)

    present = [c for c in SENTIMENTS if c in set(gold)]
    macro = f1_score(gold, pred, labels=present, average="macro", zero_division=0)
    pn = f1_score(gold, pred, labels=[c for c in ("negative", "positive") if c in present], average="macro",
                  zero_division=0)
    return float(macro), float(pn)


def _fit_score(train: pd.DataFrame, test: pd.DataFrame, seed: int) -> tuple[object, float, float]:
    with one_thread():
        pipe = build_pipeline(seed).fit(train["text"].astype(str).tolist(), train["sentiment"].to_numpy(dtype=object))
        pred = pipe.predict(test["text"].astype(str).tolist())
    return (pipe, *_macro_f1s(test["sentiment"].to_numpy(dtype=object), np.asarray(pred, dtype=object)))


def _split(frame: pd.DataFrame, test_share: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    pool, test = train_test_split(frame, test_size=test_share, stratify=frame["sentiment"], random_state=seed)
    return pool, test


def strategy_curves(frame: pd.DataFrame, sizes: Sequence[int] = SIZES, *, repetitions: int = 5,
                    test_share: float = 0.3, start: int = 50, batch: int = 25, seed: int = 0,
                    explore: float | None = None, report: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Macro-F1 by number of labels for random and model-chosen labels (the protocol in the module doc).

    Args:
        frame: labelled texts of one language: text, language, channel, sentiment (e.g.
            :func:`helpers.sentiment.corpora.read_apple_tweets`).
        sizes: label counts to measure at (the largest must fit in the pool).
        repetitions: independent repetitions (test split, shuffle and first sample change with each).
        test_share: share (0–1) of ``frame`` held out for testing.
        start: labels chosen before a model exists (stratified random).
        batch: labels per round after that.
        seed: base seed (repetition r uses seed + r).
        report: called with one line per finished repetition (progress).

    Returns one row per language × strategy × repetition × size: language, strategy (random/chosen),
    repetition, n_labels, macro_f1, f1_pos_neg (0–1), positives, negatives (labels of those classes used),
    pool, test (counts).
    """
    sizes = sorted(int(s) for s in sizes)
    language = str(frame["language"].iloc[0]) if len(frame) else "und"
    data = frame.reset_index(drop=True).copy()
    if "current_score" not in data:
        lex = score_sentiment(data["text"].astype(str).tolist(), data["language"].astype(str).tolist(),
                              backend="textblob", progress=False)
        data["current_score"] = lex["sentiment"].astype(object).fillna(NOT_SCORED).to_numpy()
    rows: list[dict[str, object]] = []

    def record(strategy: str, r: int, labels: pd.DataFrame, macro: float, pn: float, pool: int, test: int) -> None:
        counts = labels["sentiment"].value_counts()
        rows.append({"language": language, "strategy": strategy, "repetition": r, "n_labels": len(labels),
                     "macro_f1": macro, "f1_pos_neg": pn, "positives": int(counts.get("positive", 0)),
                     "negatives": int(counts.get("negative", 0)), "pool": pool, "test": test})

    for r in range(repetitions):
        s = seed + r
        pool, test = _split(data, test_share, s)
        if sizes[-1] > len(pool):
            raise ValueError(f"{language}: {sizes[-1]} labels asked for but the pool holds {len(pool)}")
        shuffled = pool.sample(frac=1.0, random_state=s)
        for n in sizes:
            _, macro, pn = _fit_score(shuffled.iloc[:n], test, s)
            record("random", r, shuffled.iloc[:n], macro, pn, len(pool), len(test))
        labels = select_sample(pool, min(start, sizes[-1]), seed=s).drop(columns="selection")
        while True:
            pipe, macro, pn = _fit_score(labels, test, s)
            if len(labels) in sizes:
                record("chosen", r, labels, macro, pn, len(pool), len(test))
            if len(labels) >= sizes[-1]:
                break
            step = min(batch, sizes[-1] - len(labels), *[n - len(labels) for n in sizes if n > len(labels)])
            model = SentimentModel(pipe, (language,), {})
            rest = pool.drop(index=labels.index)
            nxt = select_sample(rest, step, seed=s, model=model, labelled=labels,
                                **({} if explore is None else {"explore": explore}))
            labels = pd.concat([labels, nxt.drop(columns="selection")])
        if report is not None:
            done = pd.DataFrame(rows[-2 * len(sizes):])
            figures = ", ".join(f"{t.strategy} {t.n_labels}: {t.macro_f1:.3f}" for t in done.itertuples())
            report(f"{language} repetition {r + 1}/{repetitions}: {figures}")
    return pd.DataFrame(rows)


def summarise_curves(curves: pd.DataFrame) -> pd.DataFrame:
    """Mean and sd (over repetitions) of macro-F1 and F1(pos, neg) per language × strategy × n_labels."""
    grouped = curves.groupby(["language", "strategy", "n_labels"], sort=True)
    out = grouped.agg(macro_f1=("macro_f1", "mean"), macro_f1_sd=("macro_f1", "std"),
                      f1_pos_neg=("f1_pos_neg", "mean"), f1_pos_neg_sd=("f1_pos_neg", "std"),
                      positives=("positives", "mean"), repetitions=("repetition", "nunique"))
    return out.reset_index()


def read_label_curves(path: str | os.PathLike | None = None) -> pd.DataFrame | None:
    """The committed curves (:data:`LABEL_CURVES_FILE` under the workbook root); None when absent."""
    src = Path(path) if path is not None else workbook_root() / LABEL_CURVES_FILE
    if not src.is_file():
        return None
    return pd.read_csv(src)


def label_strategy_table(curves: pd.DataFrame) -> pd.DataFrame:
    """A readable table: per language and label count, random and chosen macro-F1 as "mean ± sd" and the
    difference chosen − random (0–1), plus chosen minus random at 500 labels (the issue's reference)."""
    summary = summarise_curves(curves)
    keyed = summary.set_index(["language", "n_labels", "strategy"])
    wide = keyed["macro_f1"].unstack("strategy")
    sd = keyed["macro_f1_sd"].unstack("strategy")
    reps = summary.groupby(["language", "n_labels"])["repetitions"].min()
    largest = int(summary["n_labels"].max())
    ref = wide.xs(largest, level="n_labels")["random"]
    table = pd.DataFrame({
        "random macro-F1": [f"{m:.3f} ± {s:.3f}" for m, s in zip(wide["random"], sd["random"])],
        "chosen macro-F1": [f"{m:.3f} ± {s:.3f}" for m, s in zip(wide["chosen"], sd["chosen"])],
        "chosen − random": (wide["chosen"] - wide["random"]).round(3).to_numpy(),
        f"chosen − random at {largest}": [round(c - ref[lang], 3) for (lang, _), c in wide["chosen"].items()],
        "repetitions": reps.reindex(wide.index).to_numpy(),
    }, index=wide.index)
    return table


def label_strategy_lines(curves: pd.DataFrame, at: int = 300, reference: int = 500) -> list[str]:
    """Plain-text lines: per language, chosen labels at ``at`` and ``reference`` against random at
    ``reference`` (macro-F1 0–1, mean over repetitions, with the number of repetitions)."""
    summary = summarise_curves(curves).set_index(["language", "strategy", "n_labels"])
    lines = []
    for lang in sorted(summary.index.get_level_values("language").unique()):
        try:
            rnd = summary.loc[(lang, "random", reference)]
            c_at = summary.loc[(lang, "chosen", at)]
            c_ref = summary.loc[(lang, "chosen", reference)]
        except KeyError:
            continue
        lines.append(f"{lang}: {at} chosen labels reach macro-F1 {c_at['macro_f1']:.3f}, {reference} chosen "
                     f"{c_ref['macro_f1']:.3f}, {reference} random {rnd['macro_f1']:.3f} "
                     f"(differences {c_at['macro_f1'] - rnd['macro_f1']:+.3f} and "
                     f"{c_ref['macro_f1'] - rnd['macro_f1']:+.3f}; mean of {int(rnd['repetitions'])} repetitions)")
    return lines


def label_strategy_results(path: str | os.PathLike | None = None) -> tuple[pd.DataFrame, list[str]]:
    """What notebook 04 shows: (:func:`label_strategy_table`, :func:`label_strategy_lines` + the protocol)
    from the committed curves; an empty table and a line saying how to measure them when the file is absent."""
    src = Path(path) if path is not None else workbook_root() / LABEL_CURVES_FILE
    curves = read_label_curves(src)
    if curves is None or curves.empty:
        return (pd.DataFrame(), [f"No measured learning curves in {src.name}: run python benchmarks/bench_labels.py "
                                 "(needs the real labelled tweets in ../shared/data)."])
    reps = int(curves["repetition"].nunique())
    test = curves.groupby("language")["test"].first()
    pool = curves.groupby("language")["pool"].first()
    protocol = ("Real tweets, one fixed stratified test split per repetition (" +
                ", ".join(f"{lang}: test {int(test[lang])}, pool {int(pool[lang])}" for lang in test.index) +
                f"); macro-F1 over the three sentiments, mean ± sd over {reps} repetitions (seeds 0–{reps - 1}).")
    return label_strategy_table(curves), [protocol, *label_strategy_lines(curves)]
