"""Annotation once: cold vs warm vs "+1 week" with the annotation cache, and serial vs parallel annotation.

Usage: python benchmarks/bench_cache.py [--messages 100000] [--workers 2] [--skip-parallel] [--skip-plain]
[--out FILE.md]

Texts are real tweets (``../shared/data``: the Apple tweets and SentiRuEval-2016, English and Russian), cycled
with small variations (a number, an emoji, punctuation) so that about 95 % of the messages are distinct (the
other 5 % repeat a text exactly, as retweets and copy-pasted complaints do). Languages are left for detection.

* cache: ``annotate_with_scorer`` (TextBlob) into an empty folder (cold), the same messages again (warm), then
  the messages plus a week more (7 % new, 1 % edited) — and the cold run without the cache, for its overhead;
* parallel: the same annotation without the cache with ``workers=1`` and ``workers=N``, and the lexicon scorer
  alone on 5,000–50,000 distinct texts (where a process pool starts to pay: ``helpers.parallel.POOL_MIN_ITEMS``).

Prints a Markdown table (and writes it to ``--out``); the machine may be shared, so the load average is printed
with it: compare ratios.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import helpers  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402

from helpers import parallel  # noqa: E402
from helpers import sentiment as S  # noqa: E402
from helpers.annotate import annotate_with_scorer  # noqa: E402
from helpers.io import AnnotationCache  # noqa: E402

VARIATIONS = ["", "!", " 🙏", "?", " 😡", "!!", " 👍", "..."]


def real_texts() -> list[str]:
    pool: list[str] = []
    for read in (S.read_apple_tweets, S.read_sentirueval):
        try:
            pool.extend(read()["text"].tolist())
        except OSError:
            pass
    if not pool:
        raise SystemExit("no real texts: ../shared/data is missing")
    return pool


def messages(n: int, pool: list[str], start: int = 0) -> pd.DataFrame:
    """n messages (ids from ``start``): ~95 % distinct texts, 5 % exact repeats; 60 % members."""
    texts = []
    for k in range(start, start + n):
        base = pool[k % len(pool)]
        texts.append(base if k % 20 == 0 else f"{base}{VARIATIONS[k % len(VARIATIONS)]} #{k // len(pool)}-{k % 97}")
    roles = ["member" if k % 5 < 3 else "brand" for k in range(start, start + n)]
    return pd.DataFrame({"message_id": pd.array([f"m{k}" for k in range(start, start + n)], dtype="string"),
                         "text": pd.array(texts, dtype="string"),
                         "author_role": pd.array(roles, dtype="string"),
                         "language": pd.array([pd.NA] * n, dtype="string")})


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def annotate(msgs: pd.DataFrame, folder: Path, cache: bool, workers: int) -> tuple[float, AnnotationCache]:
    store = AnnotationCache(folder)
    seconds, _ = timed(lambda: annotate_with_scorer(msgs, ["ru", "az", "en"], "textblob", data_dir=folder,
                                                    cache=store if cache else False, progress=False,
                                                    workers=workers))
    return seconds, store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=parallel.cpu_cores())
    parser.add_argument("--skip-parallel", action="store_true")
    parser.add_argument("--skip-plain", action="store_true", help="no run without the cache (saves a cold run)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    pool = real_texts()
    n = args.messages
    base = messages(n, pool)
    week = pd.concat([base, messages(int(n * 0.07), pool, start=n)], ignore_index=True)
    edited = week.index[: int(n * 0.01)]
    week.loc[edited, "text"] = week.loc[edited, "text"] + " (edited)"
    distinct = base["text"].nunique() / n
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"# Annotation cache and workers ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
             f"{n:,} messages of real tweets ({len(pool):,} Apple + SentiRuEval texts cycled, {distinct:.0%} "
             f"distinct), TextBlob, languages ru/az/en detected; {parallel.cpu_cores()} cores "
             f"({platform.machine()}), load average {load:.1f} at the start (shared machine).", ""]
    tmp = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    try:
        annotate(base.head(2000), tmp / "warmup", cache=False, workers=args.workers)  # lingua models, imports
        plain = float("nan") if args.skip_plain else annotate(base, tmp / "plain", cache=False, workers=args.workers)[0]
        cold, _ = annotate(base, tmp / "ds", cache=True, workers=args.workers)
        warm, store = annotate(base, tmp / "ds", cache=True, workers=args.workers)
        assert store.counts.annotated["language"] == 0
        later, store = annotate(week, tmp / "ds", cache=True, workers=args.workers)
        size = sum(p.stat().st_size for p in (tmp / "ds").rglob("*.parquet"))
        lines += ["| run | messages | annotated afresh | seconds | of cold |", "|---|---:|---:|---:|---:|",
                  f"| without cache | {n:,} | {n:,} | {plain:.1f} | {plain / cold:.0%} |",
                  f"| cold (empty cache) | {n:,} | {n:,} | {cold:.1f} | 100% |",
                  f"| warm (same messages) | {n:,} | 0 | {warm:.1f} | {warm / cold:.0%} |",
                  f"| +1 week (7 % new, 1 % edited) | {len(week):,} | {store.counts.annotated['language']:,} | "
                  f"{later:.1f} | {later / cold:.0%} |", "",
                  f"warm/cold = {warm / cold:.2f}; cache files {size / 1e6:.1f} MB.", ""]
        print("\n".join(lines), flush=True)
        if not args.skip_parallel:
            serial, _ = annotate(base, tmp / "p1", cache=False, workers=1)
            par, _ = annotate(base, tmp / "p2", cache=False, workers=args.workers)
            rows = [f"| step | items | workers=1 s | workers={args.workers} s | speed-up |",
                    "|---|---:|---:|---:|---:|",
                    f"| annotate (detect + TextBlob + questions) | {n:,} | {serial:.1f} | {par:.1f} | "
                    f"{serial / par:.2f}× |"]
            en = [t for t in dict.fromkeys(base["text"].tolist())]
            for m in (5_000, 20_000, 50_000):
                texts = en[:m]
                langs = ["en"] * len(texts)
                old = parallel.POOL_MIN_ITEMS
                parallel.POOL_MIN_ITEMS = 0
                try:
                    one, _ = timed(lambda: S.score_sentiment(texts, langs, "textblob", progress=False, workers=1))
                    many, _ = timed(lambda: S.score_sentiment(texts, langs, "textblob", progress=False,
                                                              workers=args.workers))
                finally:
                    parallel.POOL_MIN_ITEMS = old
                rows.append(f"| TextBlob scoring, pool forced | {len(texts):,} | {one:.2f} | {many:.2f} | "
                            f"{one / many:.2f}× |")
            load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            rows += ["", f"load average {load_end:.1f} at the end."]
            lines += rows
            print("\n".join(rows), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
