"""Executing runs: one worker process (and kernel) per run, whole-notebook timeouts, and progress lines.

:func:`execute_all` starts ``python -m helpers run --worker JOB`` for each run (at most ``jobs`` at a time),
kills a run with its kernel when it exceeds ``timeout_seconds`` and collects each worker's record;
:func:`execute_run` is what a worker does: execute one notebook with papermill and render it.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from helpers.io import atomic_write_text, resolve_path, to_jsonable, workbook_root
from helpers.parallel import worker_environment, workers_for_jobs
from helpers.run.config import RunConfig, RunSpec
from helpers.run.records import (
    base_record, error_details, error_summary, finish_record, is_no_data, repo_path, utc_now,
)

__all__ = ["WORKER_FLAG", "execute_run", "worker_main", "Progress", "input_hashes", "execute_all"]

log = logging.getLogger("helpers.run")

WORKER_FLAG = "--worker"  # python -m helpers run --worker JOB: the command line of a worker process


# ---------------------------------------------------------------------------------------------------------
# One run (executed in a worker process)
# ---------------------------------------------------------------------------------------------------------

def execute_run(spec: RunSpec, run_dir: Path, kernel_name: str = "python3", timeout: float | None = None,
                log_to_file: bool = True) -> dict[str, Any]:
    """Execute one notebook into ``run_dir/<id>/`` and render it; never raises for notebook errors.

    ``timeout`` is papermill's per-cell limit in seconds (the whole-notebook limit is enforced by the
    parent process, see :func:`run_config`). Returns the run's manifest record.
    """
    import papermill as pm

    out_dir = run_dir / spec.id
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / spec.notebook.name
    params = dict(spec.parameters)
    params["output_dir"] = str(out_dir)
    record = base_record(spec)
    handler = None
    pm_logger = logging.getLogger("papermill")
    propagate = pm_logger.propagate
    if log_to_file:
        handler = logging.FileHandler(out_dir / "log.txt", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        pm_logger.addHandler(handler)
        pm_logger.propagate = False  # cell output goes to log.txt, not the console
    pm_logger.setLevel(logging.INFO)
    start = time.monotonic()
    record["started_at"] = utc_now()
    try:
        pm.execute_notebook(
            str(spec.notebook), str(executed), parameters=params, kernel_name=kernel_name,
            cwd=str(workbook_root()), progress_bar=False, log_output=True, execution_timeout=timeout,
        )
    except Exception as exc:  # papermill raises PapermillExecutionError for a failing cell
        details = error_details(exc)
        if is_no_data(details["ename"]):
            record["status"], record["no_data"] = "no_data", True
            record["error"] = None
            record["no_data_message"] = details["evalue"]
        else:
            record["status"] = "failed"
            record["error"] = error_summary(details)
            record["error_detail"] = details
            log.error("%s failed: %s", spec.id, record["error"])
    finally:
        if handler is not None:
            pm_logger.removeHandler(handler)
            pm_logger.propagate = propagate
            handler.close()
    record["duration_seconds"] = round(time.monotonic() - start, 2)
    record["ended_at"] = utc_now()
    finish_record(record, spec, out_dir)
    return record


def worker_main(job_path: str) -> int:
    """Entry point of a worker process: run one job file written by the parent, write its record."""
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    _watch_parent(int(job["parent_pid"]))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    spec = RunSpec(id=job["id"], notebook=Path(job["notebook"]), parameters=job["parameters"], title=job["title"],
                   headline=job["headline"], timeout_seconds=job["timeout_seconds"], entry=job["entry"],
                   grid=job["grid"], period=job["period"])
    record = execute_run(spec, Path(job["run_dir"]), job["kernel_name"], job["cell_timeout_seconds"],
                         log_to_file=False)
    atomic_write_text(Path(job["run_dir"]) / spec.id / ".record.json", json.dumps(to_jsonable(record)))
    return 0


def _watch_parent(parent_pid: int) -> None:
    """Exit this worker as soon as the scheduler that started it is gone (its kernel then follows)."""
    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(3)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: ask the kernel to SIGKILL the worker when the scheduler dies (no orphaned notebooks)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# ---------------------------------------------------------------------------------------------------------
# Many runs: worker processes, timeouts, progress
# ---------------------------------------------------------------------------------------------------------

class Progress:
    """Runs done / running / failed: a tqdm bar on a terminal (with a line per start and end above it), plain
    timestamped log lines otherwise (cron, Airflow, CI logs)."""

    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None, enabled: bool = True):
        self.total, self.stream, self.enabled = total, stream or sys.stderr, enabled
        self.tty = bool(self.stream.isatty()) if tty is None else tty
        self.done = self.failed = self.running = 0
        self.t0 = time.monotonic()
        self.bar = None
        if self.enabled and self.tty:
            from tqdm.std import tqdm  # plain tqdm: text only, no widgets

            self.bar = tqdm(total=total, desc="runs", unit="run", file=self.stream, leave=False, mininterval=0.5,
                            bar_format="{desc} {bar:24} {n_fmt}/{total_fmt} done{postfix} · {elapsed}", ascii=" #", dynamic_ncols=False,
                            ncols=100)
            self.bar.set_postfix_str(self._others(), refresh=True)

    def _others(self) -> str:
        return f"{self.running} running, {self.failed} failed, {self.total - self.done - self.running} queued"

    def counts(self) -> str:
        queued = self.total - self.done - self.running
        return (f"{self.done}/{self.total} done, {self.running} running, {self.failed} failed, "
                f"{queued} queued")

    def _line(self, text: str) -> None:
        if not self.enabled:
            return
        line = f"{time.strftime('%H:%M:%S')} {text}"
        if self.bar is not None:
            self.bar.set_postfix_str(self._others(), refresh=False)
            self.bar.write(line, file=self.stream)  # above the bar, which is redrawn below it
            self.bar.refresh()
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def started(self, spec: RunSpec) -> None:
        self.running += 1
        self._line(f"start {spec.id} ({spec.notebook.name})   [{self.counts()}]")

    def finished(self, record: dict[str, Any]) -> None:
        self.running -= 1
        self.done += 1
        if record["status"] == "failed":
            self.failed += 1
        if self.bar is not None:
            self.bar.update(1)
        extra = f": {record['error']}" if record["status"] == "failed" else (" (no data in the window)"
                                                                               if record.get("no_data") else "")
        self._line(f"{record['status']:<7} {record['id']} in {record.get('duration_seconds') or 0:.0f} s{extra}"
                   f"   [{self.counts()}]")

    def tick(self) -> None:
        if self.bar is not None:
            self.bar.refresh()  # the elapsed time moves on while notebooks run

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@dataclass
class _Active:
    spec: RunSpec
    proc: subprocess.Popen
    log: Any
    started: float
    started_at: str
    inputs: dict[str, str]


_HASH_CACHE: dict[tuple[str, int, float], str] = {}


def _sha256(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime)
    if key not in _HASH_CACHE:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _HASH_CACHE[key] = h.hexdigest()
    return _HASH_CACHE[key]


def input_hashes(parameters: dict[str, Any]) -> dict[str, str]:
    """sha256 of every input dataset file of a run: files under ``*data_dir`` folders and ``*_file``/``*_path``.

    Keys are paths relative to the workbook root (absolute outside it); hidden files are skipped.
    """
    out: dict[str, str] = {}
    for key, value in parameters.items():
        if not isinstance(value, str) or key == "output_dir":
            continue
        if key.endswith("data_dir"):
            folder = resolve_path(value)
            if folder.is_dir():
                for f in sorted(folder.rglob("*")):
                    if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts):
                        out[repo_path(f)] = _sha256(f)
        elif key.endswith(("_file", "_path")):
            f = resolve_path(value)
            if f.is_file():
                out[repo_path(f)] = _sha256(f)
    return out


def _children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (Linux /proc; empty elsewhere)."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                kids.append(int(stat.parent.name))
    return kids


def _kill_run(proc: subprocess.Popen) -> None:
    """Kill a worker and its kernel (the kernel runs in its own session, so kill that group too)."""
    for kid in _children(proc.pid):
        with contextlib.suppress(OSError):
            os.killpg(kid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(kid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _running_cell(executed: Path) -> dict[str, Any] | None:
    """The cell papermill marked as running in a (partially) executed notebook, for timeout messages."""
    with contextlib.suppress(Exception):
        nb = json.loads(executed.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("metadata", {}).get("papermill", {}).get("status") == "running":
                return {"cell_index": i, "execution_count": cell.get("execution_count"),
                        "source": "\n".join("".join(cell.get("source", "")).splitlines()[:8])}
    return None


def _start_worker(spec: RunSpec, run_dir: Path, config: RunConfig, workers: int = 1) -> _Active:
    out_dir = run_dir / spec.id
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    job = {
        "id": spec.id, "notebook": str(spec.notebook), "parameters": to_jsonable(spec.parameters),
        "title": spec.title, "headline": spec.headline, "timeout_seconds": spec.timeout_seconds,
        "entry": spec.entry, "grid": to_jsonable(spec.grid), "period": spec.period, "run_dir": str(run_dir),
        "kernel_name": config.kernel_name, "cell_timeout_seconds": config.cell_timeout_seconds,
        "parent_pid": os.getpid(),
    }
    job_path = out_dir / ".job.json"
    atomic_write_text(job_path, json.dumps(job))
    inputs = input_hashes(spec.parameters)  # what the notebook is about to read
    log_fh = open(out_dir / "log.txt", "ab")  # noqa: SIM115 - closed when the worker ends
    # the notebook's share of the cores: its language detection, scorer pool and BLAS (helpers.parallel)
    env = dict(worker_environment(workers), PYTHONUNBUFFERED="1")
    src = str(Path(__file__).resolve().parents[2])  # src/, holding the helpers package
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers", "run", WORKER_FLAG, str(job_path)], stdout=log_fh,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(workbook_root()), env=env,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    return _Active(spec, proc, log_fh, time.monotonic(), utc_now(), inputs)


def _collect(active: _Active, run_dir: Path, timed_out: bool) -> dict[str, Any]:
    """The record of a finished (or killed) worker; the parent's clock gives start, end and duration."""
    spec, out_dir = active.spec, run_dir / active.spec.id
    record_path = out_dir / ".record.json"
    record: dict[str, Any] | None = None
    if not timed_out and record_path.exists():
        with contextlib.suppress(ValueError, OSError):
            record = json.loads(record_path.read_text(encoding="utf-8"))
    if record is None:
        record = base_record(spec)
        record["status"] = "failed"
        if timed_out:
            cell = _running_cell(out_dir / spec.notebook.name) or {}
            details = {**{"cell_index": None, "execution_count": None, "source": None}, **cell,
                       "ename": "Timeout",
                       "evalue": f"the notebook did not finish within timeout_seconds = {spec.timeout_seconds:g} s; "
                                 f"its kernel was stopped"}
            record["timed_out"] = True
        else:
            details = {"cell_index": None, "execution_count": None, "source": None, "ename": "WorkerDied",
                       "evalue": f"the worker process exited with status {active.proc.returncode} without a "
                                 f"result (see {spec.id}/log.txt)"}
        record["error"], record["error_detail"] = error_summary(details), details
        with contextlib.suppress(Exception):
            finish_record(record, spec, out_dir)
    for leftover in (record_path, out_dir / ".job.json"):
        leftover.unlink(missing_ok=True)
    record["started_at"] = active.started_at
    record["ended_at"] = utc_now()
    record["duration_seconds"] = round(time.monotonic() - active.started, 2)
    record["inputs"] = active.inputs
    record["parameters"] = to_jsonable(spec.parameters)
    return record


def execute_all(config: RunConfig, specs: list[RunSpec], run_dir: Path, jobs: int | None = None,
                progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run ``specs`` into ``run_dir`` with at most ``jobs`` worker processes at a time.

    Each run gets its own process (and kernel); a failing or hung notebook never stops the others. A run
    that exceeds its ``timeout_seconds`` is killed with its kernel and recorded as failed. Returns the
    records in the order of ``specs``. Each notebook gets ``max(1, cores // jobs)`` workers
    (:func:`helpers.parallel.workers_for_jobs`): the notebooks together never oversubscribe the cores.
    """
    jobs = max(1, min(jobs or config.jobs or os.cpu_count() or 1, len(specs) or 1))
    workers = workers_for_jobs(jobs)
    progress = progress or Progress(len(specs), enabled=False)
    queue = list(specs)
    active: list[_Active] = []
    records: dict[str, dict[str, Any]] = {}
    try:
        while queue or active:
            while queue and len(active) < jobs:
                spec = queue.pop(0)
                active.append(_start_worker(spec, run_dir, config, workers))
                progress.started(spec)
            time.sleep(0.1)
            progress.tick()
            for a in list(active):
                timed_out = False
                if a.proc.poll() is None:
                    limit = a.spec.timeout_seconds
                    if limit is None or time.monotonic() - a.started < limit:
                        continue
                    _kill_run(a.proc)
                    timed_out = True
                a.log.close()
                active.remove(a)
                rec = _collect(a, run_dir, timed_out)
                records[a.spec.id] = rec
                progress.finished(rec)
    finally:  # interrupted (Ctrl-C, SIGTERM): leave no worker or kernel behind
        for a in active:
            _kill_run(a.proc)
            a.log.close()
        progress.close()
    return [records[s.id] for s in specs]


