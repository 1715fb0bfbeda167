"""Fewer labels for the same quality: learning curves of random vs model-chosen labels on real tweets, and the
cross-validated macro-F1 of the model's text preparation before/after the real-text features.

Usage: python benchmarks/bench_labels.py [--repetitions 5] [--batch 25] [--start 50] [--data ../shared/data]
       [--out benchmarks/results] [--skip-cv]

Data: the real labelled collections of ``../shared/data`` (read by helpers.sentiment.corpora): English tweets
about Apple (1/3/5 labels, not_relevant dropped, duplicate texts collapsed) and Russian telecom tweets
(SentiRuEval-2016, tweets whose operators disagree dropped). Nothing is copied into the project.

Protocol (helpers.sentiment.curves.strategy_curves): per language and repetition r (seed r) a stratified 30 %
test split is fixed; the other 70 % is the pool. Random = the first N of one shuffle of the pool; chosen =
``--start`` labels stratified random (no model yet), then rounds of ``--batch``: train, choose the next batch
with the model (uncertainty with diversity, balanced towards the sentiments the labels lack), reveal the gold
labels. Each point trains helpers.sentiment.build_pipeline on the labels so far and scores the test split
(macro-F1 of 3 classes; F1 of positive and negative averaged). Sizes 100, 200, 300, 500.

Cross-validation (before/after): stratified 5-fold CV (seed 0) over every labelled text of each language,
macro-F1 of the out-of-fold predictions; "before" is the pipeline as it was (links/mentions stripped, NFC,
casefold, ё→е; word 1–2 + char_wb 2–5 TF-IDF; C = 4), "after" is helpers.sentiment.build_pipeline.

Writes ``OUT/label_curves.csv`` (every point), ``OUT/label_curves.md`` and ``OUT/features_cv.csv``; prints the
tables and the wall time.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import helpers.sentiment  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from helpers.sentiment import corpora, curves  # noqa: E402
from helpers.sentiment.model import build_pipeline, prepare_text  # noqa: E402
from helpers.sentiment.store import one_thread  # noqa: E402


def pipeline_before(seed: int = 0):
    """The model as it was before the real-text features (for the before/after comparison)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("word", TfidfVectorizer(preprocessor=prepare_text, analyzer="word", ngram_range=(1, 2), min_df=1,
                                 sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
        ("char", TfidfVectorizer(preprocessor=prepare_text, analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                 sublinear_tf=True)),
    ])
    return Pipeline([("features", features),
                     ("clf", LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=seed))])


def cross_validated(frame: pd.DataFrame, make) -> tuple[float, float]:
    """(macro-F1, F1 pos/neg) of stratified 5-fold out-of-fold predictions."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    x = frame["text"].astype(str).to_numpy(dtype=object)
    y = frame["sentiment"].to_numpy(dtype=object)
    pred = np.empty(len(y), dtype=object)
    with one_thread():
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
            pred[test] = make(0).fit(list(x[train]), y[train]).predict(list(x[test]))
    return (float(f1_score(y, pred, average="macro")),
            float(f1_score(y, pred, labels=["negative", "positive"], average="macro")))


def markdown(frame: pd.DataFrame, index: bool = True) -> str:
    """A pipe table (numbers with 3 decimals) without extra dependencies."""
    frame = frame.reset_index() if index else frame
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in frame.itertuples(index=False)]
    head = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--start", type=int, default=50)
    parser.add_argument("--data", default=None, help="folder with the real labelled files (default ../shared/data)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--skip-cv", action="store_true", help="learning curves only")
    args = parser.parse_args()
    started = time.perf_counter()
    data = corpora.load_corpora(args.data)
    if not data:
        print(f"no real labelled data in {args.data or corpora.shared_data_dir()}: nothing measured", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for lang, frame in data.items():
        dropped = ", ".join(f"{k}: {v}" for k, v in frame.attrs.get("dropped", {}).items())
        counts = ", ".join(f"{k} {v}" for k, v in frame["sentiment"].value_counts().items())
        print(f"{lang}: {len(frame)} labelled texts ({counts}; left out: {dropped})")

    if not args.skip_cv:
        rows = []
        for lang, frame in data.items():
            t = time.perf_counter()
            before = cross_validated(frame, pipeline_before)
            after = cross_validated(frame, build_pipeline)
            rows.append({"language": lang, "n": len(frame), "macro_f1_before": before[0], "macro_f1_after": after[0],
                         "f1_pos_neg_before": before[1], "f1_pos_neg_after": after[1],
                         "seconds": time.perf_counter() - t})
        cv = pd.DataFrame(rows)
        cv.to_csv(out / "features_cv.csv", index=False, float_format="%.4f")
        print("\nCross-validated (stratified 5-fold, seed 0) before/after the real-text features:")
        print(markdown(cv, index=False))

    parts = []
    for lang, frame in data.items():
        t = time.perf_counter()
        parts.append(curves.strategy_curves(frame, repetitions=args.repetitions, batch=args.batch, start=args.start,
                                            report=lambda line: print("  " + line, flush=True)))
        print(f"  {lang}: {time.perf_counter() - t:.0f} s")
    long = pd.concat(parts, ignore_index=True)
    long.to_csv(out / "label_curves.csv", index=False, float_format="%.4f")
    table = curves.label_strategy_table(long)
    elapsed = time.perf_counter() - started
    text = (f"Learning curves, random vs chosen labels (macro-F1 on a fixed 30 % test split per repetition, "
            f"mean ± sd over {args.repetitions} repetitions; start {args.start}, rounds of {args.batch}):\n\n"
            + markdown(table) + "\n\n" + "\n".join(curves.label_strategy_lines(long))
            + f"\n\nwall time {elapsed:.0f} s\n")
    (out / "label_curves.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
