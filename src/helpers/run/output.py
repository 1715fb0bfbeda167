"""Run folders: built hidden and swapped in atomically, with the manifest, the pages and the ``latest`` links.

:func:`run_config` executes a whole config into ``<output>/<config>/<as-of>/``; :func:`retry_failed` reruns the
failed runs of such a folder in place. A folder is assembled as a hidden ``.partial`` (locked while its builder
lives) and renamed when complete, so a killed run never looks finished.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpers import __version__
from helpers.io import atomic_write_text, resolve_path, to_jsonable
from helpers.publish.pages import write_index
from helpers.publish.playbook import render_edition
from helpers.run.config import ConfigError, RunConfig, load_config
from helpers.run.records import repo_path, utc_now
from helpers.run.workers import Progress, execute_all

__all__ = ["RunBusy", "config_lock", "clean_stale", "complete_runs", "run_config", "retry_failed", "LOCK_FILE"]

log = logging.getLogger("helpers.run")

#: held (flock) by the one process running a config: ``<output>/<config name>/.run.lock``
LOCK_FILE = ".run.lock"


class RunBusy(RuntimeError):
    """Another run of the same config holds its lock (and the caller chose not to wait)."""


@contextlib.contextmanager
def config_lock(base: Path, name: str, wait: bool = True) -> Iterator[None]:
    """Hold ``base/.run.lock`` while a run of config ``name`` builds its folder and moves ``latest``.

    A second run of the same config waits for the first (``wait``, logging once who holds the lock) or raises
    :class:`RunBusy` naming the holder. The lock is an OS file lock: it is released when its process ends,
    so a killed run never blocks the next one.
    """
    import fcntl

    base.mkdir(parents=True, exist_ok=True)
    fh = open(base / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if not wait:
                raise RunBusy(f"another run of config {name!r} is in progress ({holder}; lock "
                              f"{base / LOCK_FILE}); not starting (--no-wait). Run again later, or without "
                              "--no-wait to wait for it.") from None
            log.warning("another run of config %r is in progress (%s): waiting for it to finish…", name, holder)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {utc_now()}\n")
        fh.flush()
        yield
    finally:
        fh.close()


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
    """The run folder's ``manifest.json`` content: the config, the as-of, counts and one record per run."""
    failed = [r["id"] for r in records if r["status"] == "failed"]
    return {
        "config": config.name, "title": config.title,
        "config_path": repo_path(config.path) if config.path else None,
        "as_of": config.as_of_label, "as_of_moment": config.as_of.isoformat(), "timezone": config.timezone,
        "status": "failed" if failed else "ok", "package_version": __version__,
        "language": config.language, "targets": repo_path(config.targets) if config.targets else None,
        "started_at": started_at, "completed_at": utc_now(), "duration_seconds": round(duration, 2), "jobs": jobs,
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
               progress: bool | Progress = False, wait: bool = True) -> tuple[Path, list[dict[str, Any]]]:
    """Execute every run of a config under its lock (:func:`config_lock`: a second run of the same config waits,
    or raises :class:`RunBusy` when ``wait`` is False); see :func:`_run_config`."""
    if as_of is not None:
        config.as_of = as_of
    with config_lock(config.output / config.name, config.name, wait):
        return _run_config(config, jobs, progress)


def _run_config(config: RunConfig, jobs: int | None, progress: bool | Progress) -> tuple[Path, list[dict[str, Any]]]:
    """Execute every run of a config; returns the finished run folder and one record per run.

    The folder is assembled as a hidden ``.<as-of>.<pid>.partial`` (locked while this process lives) and
    renamed to ``<output>/<config>/<as-of>/`` when complete, so a crash or kill never leaves a folder that
    looks finished; stale partial folders of killed runs are removed at the next start.
    """
    base = config.output / config.name
    base.mkdir(parents=True, exist_ok=True)
    clean_stale(base)
    partial = base / f".{config.folder}.{os.getpid()}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    lock = _lock(partial)
    started_at, t0 = utc_now(), time.monotonic()
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
                 jobs: int | None = None, progress: bool | Progress = False,
                 wait: bool = True) -> tuple[Path, list[dict[str, Any]]]:
    """Rerun only the failed runs of an earlier run folder and update its manifest and index atomically.

    The config (``config_path``, else the one recorded in the manifest) is read again — so a fixed parameter
    takes effect — with the folder's own as-of, so relative periods resolve to the same windows. Each rerun
    is built in a hidden folder and swapped in when done; the manifest is rewritten atomically at the end.
    Returns the folder and the records of the reruns. Raises ConfigError when the folder or config is unusable.
    """
    run_folder, _, config, _ = _retry_plan(folder, config_path)
    with config_lock(run_folder.parent, config.name, wait):
        return _retry_failed(folder, config_path, jobs, progress)


def _retry_failed(folder: str | os.PathLike, config_path: str | os.PathLike | None, jobs: int | None,
                  progress: bool | Progress) -> tuple[Path, list[dict[str, Any]]]:
    """:func:`retry_failed` under the lock: the plan is read again, after any run it waited for."""
    run_folder, manifest, config, failed_ids = _retry_plan(folder, config_path)
    if not failed_ids:
        return run_folder, []
    by_id = {s.id: s for s in config.runs}
    specs = [by_id[i] for i in failed_ids]
    base = run_folder.parent
    clean_stale(base)
    partial = base / f".{run_folder.name}.retry-{os.getpid()}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    lock = _lock(partial)
    started_at = utc_now()
    n_jobs = max(1, min(jobs or config.jobs or os.cpu_count() or 1, len(specs)))
    prog = progress if isinstance(progress, Progress) else Progress(len(specs), enabled=bool(progress))
    try:
        new_records = execute_all(config, specs, partial, n_jobs, prog)
        for rec in new_records:  # swap each rerun folder in (old one moved aside, then deleted)
            old_rec = next(r for r in manifest["runs"] if r["id"] == rec["id"])
            rec["attempts"] = int(old_rec.get("attempts") or 1) + 1
            _swap_in(partial / rec["id"], run_folder / rec["id"])
        _merge_retry(manifest, new_records, failed_ids, started_at, config)
        _finalise(run_folder, manifest)
    finally:
        lock.close()
        shutil.rmtree(partial, ignore_errors=True)
    _update_latest(config, run_folder)
    return run_folder, new_records


def _retry_plan(folder: str | os.PathLike,
                config_path: str | os.PathLike | None) -> tuple[Path, dict[str, Any], RunConfig, list[str]]:
    """The run folder, its manifest, its config read again and the ids of its failed runs (still in the config).

    Raises ConfigError when the folder has no manifest, the config is unusable or belongs to another folder,
    or a failed run is no longer in the config."""
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
    known = {s.id for s in config.runs}
    gone = [i for i in failed_ids if i not in known]
    if gone:
        raise ConfigError(f"failed run(s) {', '.join(gone)} are no longer in {cfg_path}; their ids come from the "
                          f"grid values — restore them or run the config afresh")
    return run_folder, manifest, config, failed_ids


def _merge_retry(manifest: dict[str, Any], new_records: list[dict[str, Any]], failed_ids: list[str],
                 started_at: str, config: RunConfig) -> None:
    """Replace the rerun records in ``manifest``, recount its status and append the retry to ``retries``."""
    new_by_id = {r["id"]: r for r in new_records}
    manifest["runs"] = [new_by_id.get(r["id"], r) for r in manifest["runs"]]
    failed = [r["id"] for r in manifest["runs"] if r["status"] == "failed"]
    manifest["status"] = "failed" if failed else "ok"
    manifest["failed"] = failed
    runs = manifest["runs"]
    manifest["counts"] = {"total": len(runs), "ok": sum(r["status"] == "ok" for r in runs),
                          "no_data": sum(bool(r.get("no_data")) for r in runs), "failed": len(failed)}
    manifest.setdefault("retries", []).append({
        "started_at": started_at, "completed_at": utc_now(), "runs": failed_ids,
        "still_failed": [i for i in failed_ids if new_by_id[i]["status"] == "failed"],
        "config_path": repo_path(config.path) if config.path else None,
    })
