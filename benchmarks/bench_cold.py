"""Cold ``prepare()`` stage by stage: wall time and peak resident memory of each annotation step.

Runs :func:`helpers.audience.prepare` (what notebook 01's first cell runs) once on a dataset folder with its
annotation cache deleted first, in this process, and times the steps it goes through by wrapping them:
reading and cutting the dataset, language detection, choosing the scorer, row hashes, sentiment scoring,
the question rules, and the cache's lookups and writes. Resident memory (this process and its pool
children, summed) is sampled every 0.1 s; each stage reports the largest sample taken while it ran.
A stage called inside another (e.g. a cache write inside detection) is counted in both. CPU time is this
process's (lingua's threads included) and, separately, the pool processes' (as last sampled, so up to 0.1 s
of each pool process's end is missed): run with ``--workers 1`` to compare code
on a loaded machine, where wall time mostly measures the neighbours.

    .venv/bin/python benchmarks/bench_cold.py DATA_DIR [--warm] [--workers N]

The folder's ``.cache`` is deleted unless ``--warm``. The machine may be shared: the load average is printed.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import os
import shutil
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

# (module, attribute) → stage name; the attribute is replaced by a timed wrapper where it is looked up
STAGES: list[tuple[str, str, str]] = [
    ("helpers.annotate", "load_dataset", "read dataset"),
    ("helpers.annotate", "filter_period", "cut period"),
    ("helpers.text", "detect_languages", "language detection"),
    ("helpers.sentiment", "choose_backend", "choose scorer"),
    ("helpers.annotate", "row_hashes", "row hashes"),
    ("helpers.sentiment", "score_sentiment", "sentiment"),
    ("helpers.text", "is_question", "question flags"),
    ("helpers.io.cache", "AnnotationCache.lookup", "cache lookup"),
    ("helpers.io.cache", "AnnotationCache.store", "cache write"),
]


class Sampler:
    """Summed RSS of this process and its children every ``every`` s; the peak per open stage."""

    def __init__(self, every: float = 0.1) -> None:
        self.proc = psutil.Process()
        self.every = every
        self.open: set[str] = set()
        self.peak: dict[str, int] = defaultdict(int)
        self.overall = 0
        self.child_cpu: dict[int, float] = {}  # pool process → its CPU seconds when last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
                if p.pid != self.proc.pid:
                    times = p.cpu_times()
                    self.child_cpu[p.pid] = times.user + times.system
        return total

    def children_cpu(self) -> float:
        """CPU seconds of the pool processes (and the fork server) seen so far (last sample of each)."""
        return sum(self.child_cpu.values())

    def _run(self) -> None:
        while not self._stop.is_set():
            now = self.rss()
            self.overall = max(self.overall, now)
            for name in list(self.open):
                self.peak[name] = max(self.peak[name], now)
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _wrap(fn: Callable[..., Any], name: str, seconds: dict[str, float], calls: dict[str, int],
          sampler: Sampler) -> Callable[..., Any]:
    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        sampler.open.add(name)
        sampler.rss()
        began, cpu, child = time.perf_counter(), time.process_time(), sampler.children_cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[name] += time.perf_counter() - began
            seconds[name + " cpu"] += time.process_time() - cpu
            seconds[name + " pool cpu"] += sampler.children_cpu() - child
            calls[name] += 1
            sampler.open.discard(name)
    return timed


@contextlib.contextmanager
def instrumented(sampler: Sampler) -> Iterator[tuple[dict[str, float], dict[str, int]]]:
    seconds: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    undo: list[tuple[Any, str, Any]] = []
    for module_name, attr, name in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, leaf = attr.split(".")
        for part in path:
            owner = getattr(owner, part)
        if not hasattr(owner, leaf):
            continue
        original = getattr(owner, leaf)
        undo.append((owner, leaf, original))
        setattr(owner, leaf, _wrap(original, name, seconds, calls, sampler))
        if module_name in ("helpers.text", "helpers.sentiment"):  # also where helpers.annotate looks them up
            annotate = importlib.import_module("helpers.annotate")
            if getattr(annotate, leaf, None) is original:
                undo.append((annotate, leaf, original))
                setattr(annotate, leaf, getattr(owner, leaf))
    try:
        yield seconds, calls
    finally:
        for owner, leaf, original in reversed(undo):
            setattr(owner, leaf, original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--warm", action="store_true", help="keep the folder's annotation cache")
    parser.add_argument("--workers", type=int, help="HELPERS_WORKERS for this run")
    args = parser.parse_args()
    if args.workers:
        os.environ["HELPERS_WORKERS"] = str(args.workers)
    if not args.warm:
        shutil.rmtree(args.data_dir / ".cache", ignore_errors=True)
    from helpers import audience

    sampler = Sampler()
    before = sampler.rss()
    load0 = os.getloadavg()[0]
    with instrumented(sampler) as (seconds, calls):
        began = time.perf_counter()
        data = audience.prepare(args.data_dir, progress=False)
        total = time.perf_counter() - began
    sampler.stop()
    load1 = os.getloadavg()[0]
    print(f"{args.data_dir} ({len(data.messages):,} messages, {'warm' if args.warm else 'cold'}, "
          f"scorer {data.sentiment_backend}): prepare {total:.1f} s, peak RSS {sampler.overall / 1e9:.2f} GB "
          f"(before {before / 1e9:.2f} GB); load average {load0:.1f} → {load1:.1f}")
    print("| stage | calls | wall s | CPU s (this process) | CPU s (pool processes) | peak GB |\n"
          "|---|---|---|---|---|---|")
    for _, _, name in STAGES:
        if calls.get(name):
            print(f"| {name} | {calls[name]} | {seconds[name]:.1f} | {seconds[name + ' cpu']:.1f} | "
                  f"{seconds[name + ' pool cpu']:.1f} | {sampler.peak.get(name, 0) / 1e9:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
