"""Writing files safely: atomic writes, formula-injection-safe spreadsheet CSVs, JSON-ready values."""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io.paths import resolve_path

__all__ = ["atomic_write", "atomic_write_text", "spreadsheet_safe", "write_spreadsheet_csv", "to_jsonable"]


def atomic_write(path: str | os.PathLike, write: Any) -> Path:
    """Write ``path`` via ``write(tmp_path)`` on a unique temporary sibling, then rename over ``path``.

    Readers never see half a file, and two writers of the same folder never share a temporary name. The
    file gets the usual permissions (0666 less the umask). Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) starting with ``= + - @``, tab or CR are prefixed
    with ``'``, so spreadsheets show them as text instead of running them as formulas. Numbers, timestamps
    and missing values are untouched. Use for files meant for spreadsheets, never for canonical data."""
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            out[col] = values.map(_neutralise, na_action="ignore")
    out.columns = [_neutralise(c) for c in out.columns]
    return out


def write_spreadsheet_csv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` as a CSV for spreadsheets: :func:`spreadsheet_safe` cells, UTF-8 with BOM (so Excel reads
    Cyrillic), no index. Creates parent folders; returns the path written."""
    target = resolve_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    safe = spreadsheet_safe(df)
    atomic_write(target, lambda p: safe.to_csv(p, index=False, encoding="utf-8-sig", lineterminator="\n"))
    return target


def to_jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain JSON types (NaN and NA become ``None``).

    Timestamps and dates become ISO-8601 text; a ``pd.Timedelta`` becomes a float number of hours.
    """
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        return [to_jsonable(v) for v in list(value)]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds() / 3600.0
    return str(value) if not isinstance(value, str) else value
