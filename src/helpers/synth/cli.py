"""``python -m helpers synth``: write a synthetic dataset and print a one-line summary."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import pandas as pd

from helpers.io import resolve_path
from helpers.synth.options import SynthOptions
from helpers.synth.pipeline import synthesize
from helpers.synth.writer import sentiment_extras, write_result, write_sentiment_labels

__all__ = ["cli"]


def cli(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers synth --out DIR --seed N [--messages N] [--start YYYY-MM-DD] [--months M]
    [--format csv|parquet]``: write a synthetic dataset and print a one-line summary.

    Exit status: 0 written, 1 writing failed, 2 invalid arguments.
    """
    parser = argparse.ArgumentParser(prog="python -m helpers synth",
                                     description="Generate a synthetic canonical dataset with planted ground truth.")
    parser.add_argument("--out", required=True, help="output folder (a canonical dataset)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--messages", type=int, default=12000, help="target number of messages (default 12000)")
    parser.add_argument("--start", default="2025-01-01", help="first day, YYYY-MM-DD (default 2025-01-01)")
    parser.add_argument("--months", type=int, default=12, help="length of the period in months (default 12)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="table format (default csv)")
    parser.add_argument("--labels", type=int, default=0,
                        help="also write a labels table of N gold sentiment labels (default 0: none)")
    parser.add_argument("--lexicon-hard-share", type=float, default=0.0,
                        help="share 0-1 of English member texts rewritten so lexicon scorers misread them (default 0)")
    parser.add_argument("--no-incidents", action="store_true",
                        help="plant no incident: a period without any crisis (default: the two default incidents)")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        pd.Timestamp(args.start)
    except ValueError:
        print(f"error: --start must be a date YYYY-MM-DD, got {args.start!r}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        result = synthesize(seed=args.seed, n_messages=args.messages, start=args.start, months=args.months,
                            options=SynthOptions(incidents=[]) if args.no_incidents else None)
        sentiment_extras(result, args.seed, args.labels, args.lexicon_hard_share)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        out = write_result(result, resolve_path(args.out), fmt=args.format)
        write_sentiment_labels(result, out, args.seed, args.labels)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    t = result.truth
    print(f"wrote {t['messages_analysed']} messages ({t['member_messages']} by {t['members_active']} members, "
          f"{t['brand_posts']} brand posts, {len(t['campaigns'])} campaigns, {len(t['incidents'])} incidents; "
          f"response rate {t['response_rate']:.2f}, median first response {t['median_first_response_hours']:.1f} h) "
          f"to {out} in {time.perf_counter() - began:.1f}s (seed {args.seed})")
    return 0
