"""Installing an import into a dataset folder without ever leaving it half-written.

* :func:`import_lock` — one import at a time per folder (a second waits for the first).
* :func:`install_messages` — the new messages table is written into a staging folder beside the team's
  files (hard links to them, never copies or edits), loaded back with :func:`~helpers.io.dataset.load_dataset`
  exactly as a notebook will load it, and only then moved over the old table with one rename: a killed
  import leaves the previous dataset as it was, and a dataset that does not load is never installed.
* :func:`append_import_log` — ``imports.jsonl``, one line per import.

The team's files (``labels``, ``campaigns``, ``incidents``, ``audience``, ``dataset.json``, ``models/``, the
pseudonym salt, anything else) are only ever created when absent, never rewritten.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.io.dataset import Dataset, empty_table, load_dataset, write_dataset
from helpers.io.files import atomic_write_text
from helpers.io.paths import display_path
from helpers.io.schema import REQUIRED_TABLES, TABLES

__all__ = ["LOCK_FILE", "IMPORT_LOG", "STAGING_PREFIX", "import_lock", "existing_format", "install_messages",
           "append_import_log", "write_json"]

LOCK_FILE = ".import.lock"
IMPORT_LOG = "imports.jsonl"
STAGING_PREFIX = ".import-staging-"


@contextlib.contextmanager
def import_lock(out: Path) -> Iterator[None]:
    """Hold the folder's import lock; when another import holds it, say so on stderr and wait."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / LOCK_FILE).open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting: another import into {display_path(out)} is running", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            _remove_stale_staging(out)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale_staging(out: Path) -> None:
    """Staging folders left by an import that was killed (the lock is ours, so none is in use)."""
    for path in out.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)


def existing_format(out: Path) -> str | None:
    """``parquet`` or ``csv`` for the messages table the folder holds (Parquet wins, as in loading), or None."""
    for fmt in ("parquet", "csv"):
        if (out / f"messages.{fmt}").is_file():
            return fmt
    return None


def _table_path(folder: Path, table: str) -> Path | None:
    for fmt in ("parquet", "csv"):
        if (folder / f"{table}.{fmt}").is_file():
            return folder / f"{table}.{fmt}"
    return None


def install_messages(out: Path, messages: pd.DataFrame, fmt: str, meta: Mapping[str, Any],
                     labels: pd.DataFrame | None) -> list[str]:
    """Write ``messages`` as the folder's messages table, verified and atomically; create the other required
    tables (header-only), ``labels`` (when given) and ``dataset.json`` (``meta``) only where absent.

    Returns the files created. Raises :class:`DatasetError` when the staged dataset does not load (nothing
    installed then)."""
    staging = out / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        created = _stage(out, staging, messages, fmt, meta, labels)
        load_dataset(staging)  # the check: exactly what a notebook will load
        for name in created:   # absent before: installing them changes no existing dataset
            os.replace(staging / name, out / name)
        os.replace(staging / f"messages.{fmt}", out / f"messages.{fmt}")   # the commit point
        other = out / f"messages.{'csv' if fmt == 'parquet' else 'parquet'}"
        other.unlink(missing_ok=True)  # a stale table of the other format would win on loading
        return created
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(out: Path, staging: Path, messages: pd.DataFrame, fmt: str, meta: Mapping[str, Any],
           labels: pd.DataFrame | None) -> list[str]:
    """Fill ``staging``: the new messages table, hard links to the folder's other tables and dataset.json,
    and the files the folder lacks. Returns the names of those new files."""
    tables: dict[str, pd.DataFrame | None] = {t: None for t in TABLES}
    tables["messages"] = messages
    created: list[str] = []
    links: list[Path] = []
    for table in TABLES:
        if table == "messages":
            continue
        existing = _table_path(out, table)
        if existing is not None:
            links.append(existing)
        elif table in REQUIRED_TABLES or (table == "labels" and labels is not None):
            tables[table] = labels if table == "labels" else empty_table(table)
            created.append(f"{table}.{fmt}")
    ds = Dataset(messages=tables["messages"], campaigns=tables["campaigns"], incidents=tables["incidents"],
                 audience=tables["audience"], labels=tables["labels"], meta=dict(meta), path=staging)
    write_dataset(ds, staging, fmt)
    for existing in links:
        _link(existing, staging / existing.name)
    meta_path = out / "dataset.json"
    if meta_path.is_file():
        (staging / "dataset.json").unlink()
        _link(meta_path, staging / "dataset.json")
    else:
        created.append("dataset.json")
    return created


def _link(source: Path, target: Path) -> None:
    """A hard link (the team's file itself, read-only use), or a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def append_import_log(out: Path, entry: Mapping[str, Any]) -> None:
    """Append one JSON line to ``out/imports.jsonl`` (created on the first import)."""
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with (out / IMPORT_LOG).open("a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    """A JSON report, atomically."""
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")

