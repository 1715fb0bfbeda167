"""Scheduled runs: execute notebooks from a YAML run config with papermill, in parallel, and render them.

``python -m helpers run CONFIG.yml [--as-of DATE] [--jobs N]`` expands the config's grid (notebooks ×
parameter sets), resolves relative periods against the as-of date, validates every parameter against the
notebook's ``parameters`` cell *before anything runs*, then executes the runs in separate worker processes
(``--jobs`` at a time, each with a whole-notebook timeout) and writes::

    <output>/<config-name>/<as-of>/            one folder per invocation (built as a hidden .partial folder,
        manifest.json                           renamed when complete: a killed run never looks complete)
        index.html
        <run-id>/  <notebook>.ipynb  report.html  findings.json  log.txt

``<output>/latest`` and ``<output>/<config-name>/latest`` point at the newest complete run.
Exit status: 0 every run ok, 1 some runs failed (listed at the end), 2 the config (or --as-of, or the
--retry-failed folder) is invalid. ``--retry-failed DIR`` reruns only the failed runs of an earlier folder.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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

from helpers.io import atomic_write_text, resolve_path, workbook_root
from helpers.report import render_notebook_html, to_jsonable, write_index
from helpers.runconfig import (  # noqa: F401 - re-exported: helpers.run is the public entry
    DEFAULT_TIMEOUT_SECONDS, ConfigError, RunConfig, RunSpec, describe_parameters, load_config,
    notebook_parameters,
)

log = logging.getLogger("helpers.run")

DEFAULT_HEADLINE = 5
_WORKER_FLAG = "--worker"


# ---------------------------------------------------------------------------------------------------------
# One run (executed in a worker process)
# ---------------------------------------------------------------------------------------------------------

def _error_details(exc: BaseException) -> dict[str, Any]:
    """The failing cell and the exception of a notebook failure (papermill's PapermillExecutionError)."""
    source = getattr(exc, "source", None)
    return {
        "cell_index": getattr(exc, "cell_index", None),
        "execution_count": getattr(exc, "exec_count", None),
        "ename": getattr(exc, "ename", type(exc).__name__),
        "evalue": str(getattr(exc, "evalue", str(exc)))[:2000],
        "source": "\n".join(str(source).splitlines()[:8]) if source else None,
    }


def _error_summary(exc: BaseException | dict[str, Any]) -> str:
    """One line: the failing cell (its index and the first line of its code) and the exception."""
    d = exc if isinstance(exc, dict) else _error_details(exc)
    where = ""
    if d.get("cell_index") is not None:
        first = (d.get("source") or "").strip().splitlines()[:1]
        where = f"cell {d['cell_index']}" + (f" (In [{d['execution_count']}])" if d.get("execution_count") else "")
        where += f" `{first[0][:80]}`: " if first else ": "
    return f"{where}{d.get('ename')}: {d.get('evalue')}".strip()[:2000]


def _format_finding(key: str, value: float) -> str:
    """A finding in the unit its key names: shares and rates as %, hours as h, counts with separators."""
    if key.endswith(("_share", "_rate", "_coverage")) or key in {"sentiment_coverage", "response_rate"}:
        return f"{value * 100:.1f} %"
    if key.endswith("_hours"):
        return f"{value:.1f} h"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3g}"


def _headline(findings: dict[str, Any], keys: list[str]) -> dict[str, str]:
    """A few findings formatted for the index page, with their 95 % CI and n where recorded."""
    if not keys:
        keys = [k for k, v in findings.items() if not k.startswith("_") and isinstance(v, (int, float))
                and not k.endswith(("_ci_low", "_ci_high", "_n"))][:DEFAULT_HEADLINE]
    out: dict[str, str] = {}
    for key in keys:
        value = findings.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        text = _format_finding(key, value)
        low, high = findings.get(f"{key}_ci_low"), findings.get(f"{key}_ci_high")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)):
            text += f" (95 % CI {_format_finding(key, low)}–{_format_finding(key, high)})"
        n = findings.get(f"{key}_n")
        if isinstance(n, int):
            text += f", n = {n:,}"
        out[key.replace("_", " ")] = text
    return out


_NO_DATA_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
.note{background:#f3f5f9;border-left:4px solid #5b6475;padding:.8rem 1rem}</style></head>
<body><h1>{{ title }}</h1>
<p class="note"><strong>No data in the window.</strong> {{ message }}</p>
<p>Window: {{ window }}. Nothing was analysed, so this page has no findings. Check the period, the brand,
or whether the latest export has been imported into <code>{{ data_dir }}</code>.</p>
</body></html>
"""


def _write_no_data_page(path: Path, title: str, message: str, params: dict[str, Any]) -> Path:
    from jinja2 import Environment

    window = f"{params.get('start') or '…'} – {params.get('end') or '…'}"
    html = Environment(autoescape=True).from_string(_NO_DATA_PAGE).render(
        title=title, message=message, window=window, data_dir=params.get("data_dir", ""))
    return atomic_write_text(path, html)


def _is_no_data(ename: str | None) -> bool:
    return bool(ename) and ename.split(".")[-1] in {"NoDataError", "NoData", "EmptyWindowError"}


def _findings_empty(findings: dict[str, Any]) -> bool:
    """True when the notebook ran but its window held nothing (it records that it analysed 0 messages)."""
    return findings.get("no_data") is True or findings.get("messages_analysed") == 0


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
    record = _base_record(spec)
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
    record["started_at"] = _now()
    try:
        pm.execute_notebook(
            str(spec.notebook), str(executed), parameters=params, kernel_name=kernel_name,
            cwd=str(workbook_root()), progress_bar=False, log_output=True, execution_timeout=timeout,
        )
    except Exception as exc:  # papermill raises PapermillExecutionError for a failing cell
        details = _error_details(exc)
        if _is_no_data(details["ename"]):
            record["status"], record["no_data"] = "no_data", True
            record["error"] = None
            record["no_data_message"] = details["evalue"]
        else:
            record["status"] = "failed"
            record["error"] = _error_summary(details)
            record["error_detail"] = details
            log.error("%s failed: %s", spec.id, record["error"])
    finally:
        if handler is not None:
            pm_logger.removeHandler(handler)
            pm_logger.propagate = propagate
            handler.close()
    record["duration_seconds"] = round(time.monotonic() - start, 2)
    record["ended_at"] = _now()
    _finish_record(record, spec, out_dir)
    return record


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _repo_path(p: Path) -> str:
    root = workbook_root()
    return str(p.relative_to(root)) if p.is_relative_to(root) else str(p)


def _base_record(spec: RunSpec) -> dict[str, Any]:
    return {
        "id": spec.id, "name": spec.title, "notebook": _repo_path(spec.notebook), "entry": spec.entry,
        "grid": to_jsonable(spec.grid), "period": spec.period, "parameters": to_jsonable(spec.parameters),
        "status": "ok", "error": None, "error_detail": None, "timed_out": False, "no_data": False,
        "html": None, "executed": None, "findings": None, "log": f"{spec.id}/log.txt",
        "timeout_seconds": spec.timeout_seconds, "headline": {},
    }


def _finish_record(record: dict[str, Any], spec: RunSpec, out_dir: Path) -> None:
    """Render the executed notebook (or the no-data page), read findings, fill html/findings/headline."""
    executed = out_dir / spec.notebook.name
    if executed.exists():
        record["executed"] = f"{spec.id}/{executed.name}"
    if record["status"] == "no_data":
        _write_no_data_page(out_dir / "report.html", spec.title,
                            record.get("no_data_message") or "The window holds no data.", spec.parameters)
        record["html"] = f"{spec.id}/report.html"
    elif executed.exists():
        try:
            render_notebook_html(executed, out_dir / "report.html", title=spec.title)
            record["html"] = f"{spec.id}/report.html"
        except Exception as exc:  # rendering problems must not hide the run's own status
            log.error("%s: could not render HTML: %s", spec.id, exc)
            record["status"] = "failed"
            record["error"] = (record["error"] or "") + f" | rendering failed: {exc}"
    findings_path = out_dir / "findings.json"
    findings: dict[str, Any] = {}
    if findings_path.exists():
        with contextlib.suppress(ValueError, OSError):
            findings = json.loads(findings_path.read_text(encoding="utf-8"))
        record["findings"] = f"{spec.id}/findings.json"
    if record["status"] == "ok" and _findings_empty(findings):
        record["no_data"] = True
    if record["no_data"]:
        window = f"{spec.parameters.get('start') or '…'} – {spec.parameters.get('end') or '…'}"
        record["headline"] = {"no data": f"nothing to analyse in this window ({window})"}
    else:
        record["headline"] = _headline(findings, spec.headline)


def _worker_main(job_path: str) -> int:
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
    """Runs done / running / failed: one redrawn status line on a terminal, plain log lines otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None, enabled: bool = True):
        self.total, self.stream, self.enabled = total, stream or sys.stderr, enabled
        self.tty = self.stream.isatty() if tty is None else tty
        self.done = self.failed = self.running = 0
        self.t0 = time.monotonic()
        self._last_draw = 0.0

    def counts(self) -> str:
        queued = self.total - self.done - self.running
        return (f"{self.done}/{self.total} done, {self.running} running, {self.failed} failed, "
                f"{queued} queued")

    def _line(self, text: str) -> None:
        if not self.enabled:
            return
        stamp = time.strftime("%H:%M:%S")
        if self.tty:
            self.stream.write("\r\x1b[K")
        self.stream.write(f"{stamp} {text}\n")
        self._draw(force=True)
        self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        if not (self.enabled and self.tty):
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.5:
            return
        self._last_draw = now
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (width - filled)}] {self.counts()} "
                          f"· {now - self.t0:.0f} s")
        self.stream.flush()

    def started(self, spec: RunSpec) -> None:
        self.running += 1
        self._line(f"start {spec.id} ({spec.notebook.name})   [{self.counts()}]")

    def finished(self, record: dict[str, Any]) -> None:
        self.running -= 1
        self.done += 1
        if record["status"] == "failed":
            self.failed += 1
        extra = f": {record['error']}" if record["status"] == "failed" else (" (no data in the window)"
                                                                               if record.get("no_data") else "")
        self._line(f"{record['status']:<7} {record['id']} in {record.get('duration_seconds') or 0:.0f} s{extra}"
                   f"   [{self.counts()}]")

    def tick(self) -> None:
        self._draw()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


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
                        out[_repo_path(f)] = _sha256(f)
        elif key.endswith(("_file", "_path")):
            f = resolve_path(value)
            if f.is_file():
                out[_repo_path(f)] = _sha256(f)
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


def _start_worker(spec: RunSpec, run_dir: Path, config: RunConfig) -> _Active:
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
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers", "run", _WORKER_FLAG, str(job_path)], stdout=log_fh,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(workbook_root()), env=env,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    return _Active(spec, proc, log_fh, time.monotonic(), _now(), inputs)


def _collect(active: _Active, run_dir: Path, timed_out: bool) -> dict[str, Any]:
    """The record of a finished (or killed) worker; the parent's clock gives start, end and duration."""
    spec, out_dir = active.spec, run_dir / active.spec.id
    record_path = out_dir / ".record.json"
    record: dict[str, Any] | None = None
    if not timed_out and record_path.exists():
        with contextlib.suppress(ValueError, OSError):
            record = json.loads(record_path.read_text(encoding="utf-8"))
    if record is None:
        record = _base_record(spec)
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
        record["error"], record["error_detail"] = _error_summary(details), details
        with contextlib.suppress(Exception):
            _finish_record(record, spec, out_dir)
    for leftover in (record_path, out_dir / ".job.json"):
        leftover.unlink(missing_ok=True)
    record["started_at"] = active.started_at
    record["ended_at"] = _now()
    record["duration_seconds"] = round(time.monotonic() - active.started, 2)
    record["inputs"] = active.inputs
    record["parameters"] = to_jsonable(spec.parameters)
    return record


def execute_all(config: RunConfig, specs: list[RunSpec], run_dir: Path, jobs: int | None = None,
                progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run ``specs`` into ``run_dir`` with at most ``jobs`` worker processes at a time.

    Each run gets its own process (and kernel); a failing or hung notebook never stops the others. A run
    that exceeds its ``timeout_seconds`` is killed with its kernel and recorded as failed. Returns the
    records in the order of ``specs``.
    """
    jobs = max(1, min(jobs or config.jobs or os.cpu_count() or 1, len(specs) or 1))
    progress = progress or Progress(len(specs), enabled=False)
    queue = list(specs)
    active: list[_Active] = []
    records: dict[str, dict[str, Any]] = {}
    try:
        while queue or active:
            while queue and len(active) < jobs:
                spec = queue.pop(0)
                active.append(_start_worker(spec, run_dir, config))
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


# ---------------------------------------------------------------------------------------------------------
# Run folders: atomic build, manifest, pages, latest
# ---------------------------------------------------------------------------------------------------------

def _lock(folder: Path) -> Any:
    """Hold an exclusive lock on ``folder/.lock`` while this process builds the folder."""
    fh = open(folder / ".lock", "w")  # noqa: SIM115 - held until the folder is complete
    with contextlib.suppress(ImportError):
        import fcntl

        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fh


def _is_stale(folder: Path) -> bool:
    """True when no live process holds the folder's lock (its builder was killed)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock: treat folders older than a day as stale
        return time.time() - folder.stat().st_mtime > 86400
    lock = folder / ".lock"
    if not lock.exists():
        return time.time() - folder.stat().st_mtime > 60
    with open(lock, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def clean_stale(base: Path) -> list[Path]:
    """Remove hidden ``.partial`` / ``.old`` folders under ``base`` left by killed runs; returns them."""
    removed = []
    if not base.is_dir():
        return removed
    for folder in sorted(base.glob(".*")):
        if folder.is_dir() and (folder.name.endswith(".partial") or ".old-" in folder.name) and _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
            log.warning("removed %s, left by a run that did not finish (never shown as complete)", folder.name)
    return removed


def complete_runs(base: Path) -> list[Path]:
    """Complete run folders of one config (non-hidden, with a manifest.json), oldest as-of first."""
    found = []
    if not base.is_dir():
        return found
    for folder in base.iterdir():
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            continue
        with contextlib.suppress(ValueError, OSError, KeyError, TypeError):
            data = json.loads(manifest.read_text(encoding="utf-8"))
            moment = dt.datetime.fromisoformat(data.get("as_of_moment") or data["as_of"])
            if moment.tzinfo is None:  # a manifest without the full moment: read its as-of as UTC
                moment = moment.replace(tzinfo=dt.timezone.utc)
            found.append((moment, data.get("completed_at") or "", folder))
    return [f for _, _, f in sorted(found, key=lambda t: (t[0], t[1]))]


def _point_latest(link: Path, target: Path) -> None:
    """Atomically point the ``latest`` symlink at ``target`` (relative link, so the folder can move)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, link.parent), tmp)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(tmp, link)


def _update_latest(config: RunConfig, finished: Path) -> bool:
    """Point ``<config>/latest`` at the newest complete run, and ``<output>/latest`` at it when that is the
    run just finished (a backfill with an older --as-of does not move it). Returns whether it moved."""
    base = config.output / config.name
    runs = complete_runs(base)
    if not runs:
        return False
    newest = runs[-1]
    _point_latest(base / "latest", newest)
    if newest.resolve() == finished.resolve():
        _point_latest(config.output / "latest", newest)
        return True
    return False


def _write_pages(run_dir: Path, manifest: dict[str, Any]) -> Path:
    """Render the run folder's pages: the playbook edition (``edition/<language>/index.html``: executive
    summary, notebook pages, playbooks with recommendations) and ``index.html`` (run status, linking it).

    A failure to render the edition is logged and recorded in the manifest (``edition_error``); the run's own
    status is not changed by it."""
    from helpers.playbook import render_edition

    edition = None
    try:
        page = render_edition(run_dir, manifest)
        edition = page.relative_to(run_dir).as_posix()
        manifest["edition"] = edition
    except Exception as exc:  # the notebooks' own pages and findings stay usable
        log.error("could not render the playbook edition: %s", exc)
        manifest["edition_error"] = f"{type(exc).__name__}: {exc}"[:2000]
    return write_index(run_dir, manifest["runs"], manifest["title"], edition=edition)


def _manifest(config: RunConfig, records: list[dict[str, Any]], started_at: str, duration: float,
              jobs: int) -> dict[str, Any]:
    from helpers import __version__

    failed = [r["id"] for r in records if r["status"] == "failed"]
    return {
        "config": config.name, "title": config.title,
        "config_path": _repo_path(config.path) if config.path else None,
        "as_of": config.as_of_label, "as_of_moment": config.as_of.isoformat(), "timezone": config.timezone,
        "status": "failed" if failed else "ok", "package_version": __version__,
        "language": config.language, "targets": _repo_path(config.targets) if config.targets else None,
        "started_at": started_at, "completed_at": _now(), "duration_seconds": round(duration, 2), "jobs": jobs,
        "counts": {"total": len(records), "ok": sum(r["status"] == "ok" for r in records),
                   "no_data": sum(bool(r.get("no_data")) for r in records), "failed": len(failed)},
        "failed": failed, "runs": records, "retries": [],
    }


def _finalise(folder: Path, manifest: dict[str, Any]) -> None:
    _write_pages(folder, manifest)
    atomic_write_text(folder / "manifest.json", json.dumps(to_jsonable(manifest), ensure_ascii=False, indent=2))


def _swap_in(new: Path, final: Path) -> None:
    """Rename ``new`` to ``final``; an existing ``final`` is moved aside first and deleted afterwards."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run_config(config: RunConfig, as_of: dt.datetime | None = None, jobs: int | None = None,
               progress: bool | Progress = False) -> tuple[Path, list[dict[str, Any]]]:
    """Execute every run of a config; returns the finished run folder and one record per run.

    The folder is assembled as a hidden ``.<as-of>.<pid>.partial`` (locked while this process lives) and
    renamed to ``<output>/<config>/<as-of>/`` when complete, so a crash or kill never leaves a folder that
    looks finished; stale partial folders of killed runs are removed at the next start.
    """
    if as_of is not None:
        config.as_of = as_of
    base = config.output / config.name
    base.mkdir(parents=True, exist_ok=True)
    clean_stale(base)
    partial = base / f".{config.folder}.{os.getpid()}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    lock = _lock(partial)
    started_at, t0 = _now(), time.monotonic()
    n_jobs = max(1, min(jobs or config.jobs or os.cpu_count() or 1, len(config.runs)))
    prog = progress if isinstance(progress, Progress) else Progress(len(config.runs), enabled=bool(progress))
    try:
        records = execute_all(config, config.runs, partial, n_jobs, prog)
        manifest = _manifest(config, records, started_at, time.monotonic() - t0, n_jobs)
        _finalise(partial, manifest)
        final = base / config.folder
        (partial / ".lock").unlink(missing_ok=True)
        _swap_in(partial, final)
    finally:
        lock.close()
    _update_latest(config, final)
    return final, records


def retry_failed(folder: str | os.PathLike, config_path: str | os.PathLike | None = None,
                 jobs: int | None = None, progress: bool | Progress = False) -> tuple[Path, list[dict[str, Any]]]:
    """Rerun only the failed runs of an earlier run folder and update its manifest and index atomically.

    The config (``config_path``, else the one recorded in the manifest) is read again — so a fixed parameter
    takes effect — with the folder's own as-of, so relative periods resolve to the same windows. Each rerun
    is built in a hidden folder and swapped in when done; the manifest is rewritten atomically at the end.
    Returns the folder and the records of the reruns. Raises ConfigError when the folder or config is unusable.
    """
    run_folder = resolve_path(folder)
    manifest_path = run_folder / "manifest.json"
    if not manifest_path.is_file():
        raise ConfigError(f"{folder}: not a complete run folder (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    cfg_path = config_path or manifest.get("config_path")
    if not cfg_path:
        raise ConfigError(f"{manifest_path}: no config_path recorded; pass the config")
    config = load_config(cfg_path, output=run_folder.parent.parent, as_of=manifest.get("as_of"))
    if config.name != run_folder.parent.name:
        raise ConfigError(f"config {cfg_path} is named {config.name!r}, but {folder} belongs to "
                          f"{run_folder.parent.name!r}")
    failed_ids = [r["id"] for r in manifest["runs"] if r.get("status") == "failed"]
    by_id = {s.id: s for s in config.runs}
    gone = [i for i in failed_ids if i not in by_id]
    if gone:
        raise ConfigError(f"failed run(s) {', '.join(gone)} are no longer in {cfg_path}; their ids come from the "
                          f"grid values — restore them or run the config afresh")
    if not failed_ids:
        return run_folder, []
    specs = [by_id[i] for i in failed_ids]
    base = run_folder.parent
    clean_stale(base)
    partial = base / f".{run_folder.name}.retry-{os.getpid()}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    lock = _lock(partial)
    started_at = _now()
    n_jobs = max(1, min(jobs or config.jobs or os.cpu_count() or 1, len(specs)))
    prog = progress if isinstance(progress, Progress) else Progress(len(specs), enabled=bool(progress))
    try:
        new_records = execute_all(config, specs, partial, n_jobs, prog)
        for rec in new_records:  # swap each rerun folder in (old one moved aside, then deleted)
            old_rec = next(r for r in manifest["runs"] if r["id"] == rec["id"])
            rec["attempts"] = int(old_rec.get("attempts") or 1) + 1
            _swap_in(partial / rec["id"], run_folder / rec["id"])
        new_by_id = {r["id"]: r for r in new_records}
        manifest["runs"] = [new_by_id.get(r["id"], r) for r in manifest["runs"]]
        failed = [r["id"] for r in manifest["runs"] if r["status"] == "failed"]
        manifest["status"] = "failed" if failed else "ok"
        manifest["failed"] = failed
        runs = manifest["runs"]
        manifest["counts"] = {"total": len(runs), "ok": sum(r["status"] == "ok" for r in runs),
                              "no_data": sum(bool(r.get("no_data")) for r in runs), "failed": len(failed)}
        manifest.setdefault("retries", []).append({
            "started_at": started_at, "completed_at": _now(), "runs": failed_ids,
            "still_failed": [i for i in failed_ids if new_by_id[i]["status"] == "failed"],
            "config_path": _repo_path(config.path) if config.path else None,
        })
        _finalise(run_folder, manifest)
    finally:
        lock.close()
        shutil.rmtree(partial, ignore_errors=True)
    _update_latest(config, run_folder)
    return run_folder, new_records


# ---------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------

def _shown(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def cli(argv: list[str] | None = None) -> int:
    """``python -m helpers run CONFIG [--as-of DATE] [--jobs N] [--retry-failed DIR]``: exit 0/1/2."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [_WORKER_FLAG] and len(argv) == 2:
        return _worker_main(argv[1])
    parser = argparse.ArgumentParser(
        prog="python -m helpers run", description=__doc__.splitlines()[0],
        epilog="exit status: 0 every run ok, 1 some runs failed (listed), 2 invalid config")
    parser.add_argument("config", nargs="?", help="run config YAML, e.g. config/report.yml (optional with "
                                                  "--retry-failed: the manifest names it)")
    parser.add_argument("--output", help="output folder (default: the config's 'output', else reports/)")
    parser.add_argument("--as-of", dest="as_of", help="date (YYYY-MM-DD) or ISO timestamp that relative periods "
                                                      "resolve against (default: now in the config's timezone)")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help=f"notebooks run in parallel (default: the config's jobs, else {os.cpu_count()} cores)")
    parser.add_argument("--retry-failed", dest="retry", metavar="DIR",
                        help="rerun only the failed runs of an earlier run folder (reports/<config>/<as-of>)")
    parser.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--list", action="store_true", help="validate and list the runs, run nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("papermill").setLevel(logging.WARNING)  # reading parameters cells is not news
    if args.jobs is not None and args.jobs < 1:
        print("--jobs: expected a whole number ≥ 1", file=sys.stderr)
        return 2
    if not args.config and not args.retry:
        parser.print_usage(sys.stderr)
        print("python -m helpers run: give a run config (or --retry-failed DIR)", file=sys.stderr)
        return 2
    progress = not args.no_progress
    with contextlib.suppress(ValueError):  # SIGTERM (e.g. a scheduler's timeout) unwinds: workers are stopped
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        if args.retry:
            folder, records = retry_failed(args.retry, args.config, jobs=args.jobs, progress=progress)
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if not records:
                print(f"nothing to retry: no failed runs in {folder}")
                return 0
            all_records = manifest["runs"]
            print(f"retried {len(records)} run(s): "
                  f"{sum(r['status'] != 'failed' for r in records)} now ok")
        else:
            config = load_config(args.config, args.output, as_of=args.as_of)
            if args.list:
                for spec in config.runs:
                    print(f"{spec.id}\t{_repo_path(spec.notebook)}\t{json.dumps(to_jsonable(spec.parameters))}")
                return 0
            folder, all_records = run_config(config, jobs=args.jobs, progress=progress)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    failed = [r for r in all_records if r["status"] == "failed"]
    for r in failed:
        print(f"FAILED {r['id']} ({r['notebook']}): {r['error']}  -> {_shown(folder / r['id'])}", file=sys.stderr)
    if failed:
        print(f"rerun only these with: python -m helpers run --retry-failed {_shown(folder)}", file=sys.stderr)
    latest = folder.parent.parent / "latest"
    index = latest / "index.html" if latest.resolve() == folder.resolve() else folder / "index.html"
    print(f"{len(all_records) - len(failed)} of {len(all_records)} runs ok; report: {_shown(folder / 'index.html')}")
    print(_shown(index))
    return 1 if failed else 0
