"""``python -m helpers sentiment {train,score,export,import} …``: the labelling loop for schedulers."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from helpers.io import DatasetError, atomic_write, display_path, load_dataset, resolve_path
from helpers.sentiment.backends import SENTIMENT_BACKENDS
from helpers.sentiment.choice import choose_backend, is_auto
from helpers.sentiment.labels import LabelError, export_labelling_sample, import_labels, labelling_sample
from helpers.sentiment.model import train
from helpers.sentiment.scoring import score_dataset
from helpers.sentiment.store import ModelError, default_model_dir, load_model, resolve_model_path, save_model
from helpers.sentiment.study import cv_summary_lines
from helpers.text import UNDETERMINED

__all__ = ["cli"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers sentiment",
                                     description="Train and use a sentiment model on your own labels.")
    sub = parser.add_subparsers(dest="action", required=True)
    p_train = sub.add_parser("train", help="train on the dataset's labels table and print CV scores")
    p_train.add_argument("data_dir")
    p_train.add_argument("--out", default=None, help="model folder (default DATA_DIR/models/sentiment)")
    p_train.add_argument("--max-labels", type=int, default=None, help="use at most N labels")
    p_train.add_argument("--seed", type=int, default=0)
    p_train.add_argument("--folds", type=int, default=5)
    p_score = sub.add_parser("score", help="score every message: message_id, language, sentiment, score")
    p_score.add_argument("data_dir")
    p_score.add_argument("--backend", default="auto",
                         help="auto (default: the dataset's own model in DATA_DIR/models/sentiment when it reads the "
                              "languages present, else textblob), textblob, vader or model:MODEL_DIR")
    p_score.add_argument("--out", required=True, help="output CSV")
    p_exp = sub.add_parser("export", help="write a stratified sample to label (.xlsx or .csv)")
    p_exp.add_argument("data_dir")
    p_exp.add_argument("--out", required=True)
    p_exp.add_argument("--n", type=int, default=300)
    p_exp.add_argument("--seed", type=int, default=0)
    p_exp.add_argument("--backend", default="textblob", help="lexicon whose label stratifies the random part")
    p_exp.add_argument("--strategy", default="auto", choices=["auto", "model", "random"],
                       help="auto (default): chosen by DATA_DIR/models/sentiment's uncertainty with diversity when "
                            "that model exists, else stratified random; model: require the model; random: ignore it")
    p_imp = sub.add_parser("import", help="merge a filled labelling file into DATA_DIR's labels table")
    p_imp.add_argument("file")
    p_imp.add_argument("data_dir")
    p_imp.add_argument("--encoding", default=None, help="CSV encoding (default: UTF-8, else cp1251)")
    return parser


def _train(args: argparse.Namespace) -> None:
    if args.max_labels is not None and args.max_labels < 10:
        raise LabelError(f"--max-labels must be at least 10, got {args.max_labels}")
    ds = load_dataset(args.data_dir)
    model, _ = train(ds, max_labels=args.max_labels, seed=args.seed, folds=args.folds)
    out = save_model(model, args.out or default_model_dir(args.data_dir))
    print(f"trained on {model.metadata['n_labels']} labels ({', '.join(model.languages)}); "
          f"{args.folds}-fold cross-validated scores:")
    for line in cv_summary_lines(model):
        print("  " + line)
    print(f"saved to {display_path(out)} — notebooks 01–03 run it by themselves when it is DATA_DIR/models/sentiment "
          f"(sentiment_backend=\"auto\"); elsewhere use sentiment_backend=\"model:{display_path(out)}\"")
    if model.replaced is not None:
        print(f"the model it replaced is kept in {display_path(model.replaced)}")


def _score(args: argparse.Namespace) -> None:
    ds = load_dataset(args.data_dir)
    scores = score_dataset(ds, args.backend)
    choice = choose_backend(args.backend, ds.path, scores["language"].tolist())
    if is_auto(args.backend):
        print(f"scorer: {choice.backend} ({choice.explanation})")
    args.backend = choice.backend
    target = resolve_path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda p: scores.to_csv(p, index=False, encoding="utf-8", lineterminator="\n",
                                                float_format="%.4f"))
    if str(args.backend).strip().lower().startswith("model:"):
        model = load_model(resolve_model_path(args.backend, ds.path))
        covered = set(model.languages)
    else:
        covered = set(SENTIMENT_BACKENDS.get(str(args.backend).strip().lower(), ()))
    outside = scores.loc[~scores["language"].isin(covered | {UNDETERMINED}), "language"].value_counts()
    for code, count in outside.items():
        print(f"warning: {args.backend} has no labels/knowledge for language {code!r}: its {count} "
              "message(s) are not scored (label some to add it)", file=sys.stderr)
    n_scored = int(scores["sentiment"].notna().sum())
    print(f"scored {n_scored} of {len(scores)} messages with {args.backend} "
          f"({len(scores) - n_scored} not scored: language not supported or no letters) -> "
          f"{display_path(target)}")


def _export(args: argparse.Namespace) -> None:
    ds = load_dataset(args.data_dir)
    sample = labelling_sample(ds, n=args.n, seed=args.seed, backend=args.backend, strategy=args.strategy)
    path = export_labelling_sample(sample, args.out)
    how = sample["selection"].value_counts() if len(sample) else pd.Series(dtype=int)
    chosen = ", ".join(f"{v} by {k}" for k, v in how.items()) or "none"
    print(f"wrote {len(sample)} messages to label to {display_path(path)} ({chosen}); fill the sentiment column, "
          f"then: python -m helpers sentiment import {display_path(path)} {args.data_dir}")


def _import(args: argparse.Namespace) -> None:
    rep = import_labels(args.file, args.data_dir, encoding=args.encoding)
    dropped = f"; {rep['not_relevant']} not-relevant value(s) dropped" if rep["not_relevant"] else ""
    print(f"imported {rep['labels_read']} labels from {rep['file']} ({rep['added']} new, {rep['changed']} "
          f"changed{dropped}); the labels table {rep['path']} now holds {rep['total']}")
    print(f"label values read as: {rep['mapping']}")


_ACTIONS = {"train": _train, "score": _score, "export": _export, "import": _import}


def cli(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers sentiment {train,score,export,import} …`` (exit 0 ok, 1 failed writing, 2 bad input)."""
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        _ACTIONS[args.action](args)
    except (LabelError, ModelError, DatasetError, FileNotFoundError, NotADirectoryError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
