"""The annotation cache of a dataset folder: ``DATA_DIR/.cache/annotations/``, a machine file, always safe to delete.

Annotating a message (language, sentiment, question flag) is the slow step of every notebook. The cache
keeps each annotation once, as Parquet, one file per *annotator key* — everything the result depends on
besides the text (the language set, the scorer and the fingerprint of its model, package and rule versions).
The key is stored inside the file and checked on reading, so a file is never reused for another annotator;
a changed key simply starts another file. Rows are keyed by ``message_id`` and a 64-bit hash of the text
(and of whatever else the row's result depends on, e.g. its language): a changed text misses, and its new
annotation replaces the old row of that message.

* Writing takes the folder's cache lock (``.cache/annotations/.lock``), re-reads the file, merges and replaces
  it atomically: concurrent runs never corrupt it, and readers never see half a file.
* A file that cannot be read (corrupt, truncated, another format) is ignored with a log line and rebuilt.
* A folder that cannot be written (a read-only shared copy) is used as it is: existing files are read, nothing
  is written, and a warning is logged once per folder. Nothing here ever raises for the cache's sake.
* The cache never touches the team's files: it lives in its own folder, which imports leave alone.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io.files import atomic_write

__all__ = ["CACHE_DIR", "CACHE_FORMAT", "AnnotationCache", "CacheCounts", "row_hashes", "file_fingerprint"]

log = logging.getLogger("helpers.cache")

CACHE_DIR = Path(".cache") / "annotations"
"""Where a dataset folder's annotations are cached (relative to the folder)."""

CACHE_FORMAT = 1
"""Layout version of the cache files; part of every key, so a new layout never reads an old file."""

_KEY_META = b"helpers_annotation_key"
_LOCK_NAME = ".lock"
_ID, _HASH = "message_id", "row_hash"
_warned_read_only: set[Path] = set()


def row_hashes(*columns: Sequence[Any]) -> np.ndarray:
    """A 64-bit hash (uint64) per row of the aligned ``columns`` (texts, languages …; missing values hash as
    empty text). Stable across runs and processes: pandas' SipHash with its fixed key."""
    frame = pd.DataFrame({f"c{i}": pd.Series(list(col), dtype=object).map(_as_str) for i, col in enumerate(columns)})
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


def _as_str(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def file_fingerprint(*paths: str | os.PathLike) -> str:
    """sha256 (hex) of the files' names and bytes, in the order given; a missing file counts as absent."""
    digest = hashlib.sha256()
    for path in paths:
        p = Path(path)
        digest.update(p.name.encode() + b"\0")
        if p.is_file():
            with p.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class CacheCounts:
    """Per annotation kind: rows found in the cache (``hits``) and rows annotated afresh (``annotated``)."""

    hits: dict[str, int] = field(default_factory=dict)
    annotated: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, hits: int, annotated: int) -> None:
        self.hits[kind] = self.hits.get(kind, 0) + hits
        self.annotated[kind] = self.annotated.get(kind, 0) + annotated


class AnnotationCache:
    """The annotation cache of one dataset folder (see the module docstring).

    ``lookup`` finds the cached rows of messages whose hash matches; ``store`` adds or replaces rows.
    ``counts`` tells what the lookups found (tests and benchmarks read it).
    """

    def __init__(self, data_dir: str | os.PathLike) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / CACHE_DIR
        self.counts = CacheCounts()

    # -- files ------------------------------------------------------------------------------------------------

    def path_for(self, kind: str, key: Mapping[str, Any]) -> Path:
        """The file of annotator ``key`` (a JSON-able mapping) for ``kind`` (``language``, ``sentiment`` …)."""
        return self.folder / f"{kind}-{_key_digest(kind, key)}.parquet"

    def _read(self, kind: str, key: Mapping[str, Any]) -> pd.DataFrame | None:
        path = self.path_for(kind, key)
        if not path.is_file():
            return None
        import pyarrow.parquet as pq  # third-party, imported on first use (start-up speed)

        try:
            table = pq.read_table(path)
            stored = (table.schema.metadata or {}).get(_KEY_META)
            if stored is None or json.loads(stored) != _key_payload(kind, key):
                log.warning("annotation cache %s belongs to another annotator: ignored (it is rebuilt)", path.name)
                return None
            frame = table.to_pandas()
            if _ID not in frame.columns or _HASH not in frame.columns:
                raise ValueError("missing key columns")
            return frame
        except Exception as exc:  # corrupt, truncated, another format: never an error for the cache's sake
            log.warning("annotation cache %s cannot be read (%s): ignored, it is rebuilt", path.name,
                        type(exc).__name__)
            return None

    # -- lookup / store ---------------------------------------------------------------------------------------

    def lookup(self, kind: str, key: Mapping[str, Any], ids: Sequence[Any], hashes: np.ndarray,
               columns: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
        """Cached ``columns`` for the rows ``(ids[i], hashes[i])``: a boolean hit mask aligned with ``ids`` and
        a frame with one row per hit, in order (on a RangeIndex)."""
        ids_ = pd.Index(pd.array(list(ids), dtype="string"))
        hit = np.zeros(len(ids_), dtype=bool)
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        cached = self._read(kind, key)
        if cached is None or cached.empty or not set(columns) <= set(cached.columns):
            self.counts.add(kind, 0, 0)
            return hit, empty
        index = pd.Index(cached[_ID].astype("string"))
        if not index.is_unique:  # written by this module it always is; anything else is not trusted
            log.warning("annotation cache %s has repeated message ids: ignored", self.path_for(kind, key).name)
            return hit, empty
        pos = index.get_indexer(ids_)
        found = pos >= 0
        cached_hash = cached[_HASH].to_numpy(dtype=np.uint64)
        hit[found] = cached_hash[pos[found]] == np.asarray(hashes, dtype=np.uint64)[found]
        hit &= ~ids_.isna()
        rows = cached.iloc[pos[hit]][list(columns)].reset_index(drop=True)
        self.counts.add(kind, int(hit.sum()), 0)
        return hit, rows

    def store(self, kind: str, key: Mapping[str, Any], ids: Sequence[Any], hashes: np.ndarray,
              values: pd.DataFrame) -> bool:
        """Add (or replace, by message id) the rows ``(ids, hashes) → values``; False when nothing could be
        written (read-only folder). Rows without a message id are not stored."""
        self.counts.add(kind, 0, len(values))
        if len(values) == 0:
            return True
        new = values.reset_index(drop=True).copy()
        new.insert(0, _HASH, np.asarray(hashes, dtype=np.uint64))
        new.insert(0, _ID, pd.array(list(ids), dtype="string"))
        new = new[new[_ID].notna()].drop_duplicates(_ID, keep="last")
        try:
            with self._lock():
                old = self._read(kind, key)
                if old is not None and not old.empty and set(new.columns) == set(old.columns):
                    old = old[~old[_ID].astype("string").isin(new[_ID])]
                    merged = pd.concat([old[list(new.columns)], new], ignore_index=True)
                else:
                    merged = new
                self._write(self.path_for(kind, key), kind, key, merged)
            return True
        except OSError as exc:
            self._warn_read_only(exc)
            return False

    def _write(self, path: Path, kind: str, key: Mapping[str, Any], frame: pd.DataFrame) -> None:
        import pyarrow as pa  # third-party, imported on first use (start-up speed)
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               _KEY_META: json.dumps(_key_payload(kind, key)).encode()})
        atomic_write(path, lambda tmp: pq.write_table(table, tmp))

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / _LOCK_NAME).open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _warn_read_only(self, exc: OSError) -> None:
        if self.folder not in _warned_read_only:
            _warned_read_only.add(self.folder)
            log.warning("annotation cache: %s cannot be written (%s); annotating without caching",
                        self.folder, exc.strerror or type(exc).__name__)


def _key_payload(kind: str, key: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps({"kind": kind, "format": CACHE_FORMAT, **key}, sort_keys=True, default=str))


def _key_digest(kind: str, key: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(_key_payload(kind, key), sort_keys=True).encode()).hexdigest()[:16]
