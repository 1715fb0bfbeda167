"""How many workers a per-message step may use, and a process pool that never oversubscribes the machine.

One setting, ``workers``, decides it everywhere: lingua's multi-threaded language detection
(:func:`helpers.text.detect_languages`), the process pool of the lexicon scorers
(:func:`helpers.sentiment.score_sentiment` with TextBlob / VADER) and of the question rules
(:func:`helpers.text.is_question`). ``None`` means :func:`default_workers`: the ``HELPERS_WORKERS``
environment variable when set, else the machine's cores. ``python -m helpers run --jobs N`` runs N notebooks at
once and gives each one ``max(1, cores // N)`` workers (:func:`workers_for_jobs`, :func:`worker_environment`),
so N notebooks × their workers never exceed the cores. Every pool process keeps BLAS/OpenMP to one thread.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["WORKERS_ENV", "THREAD_ENV_VARS", "POOL_MIN_ITEMS", "cpu_cores", "default_workers", "resolve_workers",
           "workers_for_jobs", "worker_environment", "limit_native_threads", "map_chunks", "release_freed_memory"]

WORKERS_ENV = "HELPERS_WORKERS"
"""Environment variable holding the workers of this process (set by ``helpers run`` for each notebook)."""

THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                   "NUMEXPR_NUM_THREADS")
"""The native thread pools (OpenMP, BLAS) limited per worker."""

POOL_MIN_ITEMS = 50_000
"""Below this many items a process pool costs more than it saves. With 2 workers on this shared 2-core machine
TextBlob's speed-up was 0.74× at 5,000 distinct texts, 0.85–1.25× at 20,000 and 0.82–1.44× at 50,000
(``benchmarks/bench_cache.py``, results/cache.md): a pool pays only on large inputs and free cores."""


def cpu_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """``HELPERS_WORKERS`` when it holds a whole number ≥ 1, else :func:`cpu_cores`."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    return cpu_cores()


def resolve_workers(workers: int | None) -> int:
    """``workers`` itself (at least 1), or :func:`default_workers` for None."""
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise ValueError(f"workers: expected a whole number ≥ 1 or None, got {workers!r}")
    return max(1, workers)


def workers_for_jobs(jobs: int, cores: int | None = None) -> int:
    """Workers of each of ``jobs`` notebooks running at once: ``max(1, cores // jobs)``."""
    return max(1, (cores or cpu_cores()) // max(1, jobs))


def worker_environment(workers: int, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``environ`` (default ``os.environ``) plus ``HELPERS_WORKERS``, lingua's ``RAYON_NUM_THREADS`` and the
    BLAS/OpenMP thread counts set to ``workers`` — for a process started to run one notebook of several.
    Thread counts the user set explicitly are kept."""
    env = dict(os.environ if environ is None else environ)
    env[WORKERS_ENV] = str(workers)
    for var in ("RAYON_NUM_THREADS", *THREAD_ENV_VARS):
        env.setdefault(var, str(workers))
    return env


def limit_native_threads() -> None:
    """One BLAS/OpenMP thread in this process (the initializer of every pool process): env vars for libraries
    loaded later, threadpoolctl for those already loaded."""
    for var in THREAD_ENV_VARS:
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits  # third-party, imported on first use (start-up speed)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(limits=1)


def release_freed_memory() -> None:
    """Hand memory that Python and pandas have freed back to the operating system.

    After annotating a million texts the interpreter's heap is full of freed blocks that glibc keeps for reuse,
    so the kernel's resident memory stays gigabytes above what it holds, and the notebook's next steps add to
    that. ``gc.collect()`` then glibc's ``malloc_trim(0)`` (Linux; a no-op elsewhere) returns them.
    """
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)


def _context(preload: str | None = None) -> Any:
    """forkserver where the system has it, else spawn.

    Not fork: a forked child starts as a copy of the whole parent, and a notebook annotating a million messages
    is gigabytes — every child counted that again in resident memory (issue 13: 6.6 GB at 1,000,000 messages),
    and forking a process running lingua's threads is unsafe. The fork server is a small fresh interpreter that
    imports ``preload`` (the module of the mapped function) once; pool processes fork from it in milliseconds.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    if preload:
        ctx.set_forkserver_preload([preload])  # takes effect when the server starts (first pool of the process)
    return ctx


def map_chunks(fn: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], workers: int | None = None,
               *, chunk_size: int = 2000, min_items: int | None = None,
               done: Callable[[int], Any] | None = None) -> list[Any]:
    """``fn`` over ``items`` in chunks, results concatenated in order (``fn`` returns one result per item).

    With ``workers`` > 1 and at least ``min_items`` items (None = :data:`POOL_MIN_ITEMS`), the chunks run in a
    pool of ``workers`` processes (each with one BLAS thread, forked from a small fork server, not from this
    process: see ``_context``); otherwise in this process — below ``min_items``
    starting a pool costs more than it saves. ``fn`` must be a module-level function (it is pickled to the
    pool). ``done(n)`` is called as each chunk of ``n`` items is finished (a progress bar's ``update``).
    """
    n_workers = resolve_workers(workers)
    items = list(items)
    size = max(1, min(chunk_size, -(-len(items) // n_workers)))
    parts = [items[i:i + size] for i in range(0, len(items), size)]
    out: list[Any] = []
    if n_workers <= 1 or len(items) < max(POOL_MIN_ITEMS if min_items is None else min_items, 2):
        for part in parts:
            out.extend(fn(part))
            if done is not None:
                done(len(part))
        return out
    with ProcessPoolExecutor(max_workers=min(n_workers, len(parts)), mp_context=_context(_module_of(fn)),
                             initializer=limit_native_threads) as pool:
        for part, result in zip(parts, pool.map(fn, parts)):
            out.extend(result)
            if done is not None:
                done(len(part))
    return out


def _module_of(fn: Callable[..., Any]) -> str | None:
    """The module a (possibly partial) function comes from, for the fork server to import first."""
    inner = getattr(fn, "func", fn)
    module = getattr(inner, "__module__", None)
    return module if isinstance(module, str) and module != "__main__" else None
