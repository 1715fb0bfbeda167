"""Reading, writing, cutting and importing canonical datasets (see DESIGN.md, "Canonical dataset").

* :class:`Dataset`, :func:`load_dataset`, :func:`write_dataset` — a canonical dataset folder in memory and on
  disk (CSV or Parquet). Loading fixes dtypes (IDs ``string``, timestamps tz-aware UTC, counts ``Int64``) and
  validates; every problem is raised at once in one :class:`~helpers.schema.DatasetError`.
* :func:`filter_period` — one brand and/or a span of whole days in the organisation's timezone.
* :func:`spreadsheet_safe`, :func:`write_spreadsheet_csv` — formula-injection-safe CSVs for spreadsheets.
* :func:`pseudonymise` — salted, stable author pseudonyms.
* :func:`import_export`, :func:`import_cli` — ``python -m helpers import SOURCE --map MAP.yml --out DIR``
  turns one raw export into a canonical dataset; every input row is either kept or quarantined with a reason.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import math
import os
import re
import secrets
import sys
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import yaml

from helpers import schema
from helpers.schema import DatasetError, coerce_table, display_path, validate_dataset

__all__ = [
    "Dataset", "DatasetError", "ImportInputError", "empty_table", "workbook_root", "resolve_path",
    "load_dataset", "write_dataset", "filter_period", "spreadsheet_safe", "write_spreadsheet_csv",
    "pseudonymise", "parse_timestamps", "normalise_sentiment", "import_export", "import_cli",
    "atomic_write", "atomic_write_text",
]

SALT_FILE = ".pseudonym_salt"
FORMATS = ("csv", "parquet")


# ---------------------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------------------

def _is_workbook_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "notebooks").is_dir()


def _find_root_above(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if _is_workbook_root(folder):
            return folder
    return None


def workbook_root() -> Path:
    """The workbook folder (holding ``pyproject.toml`` and ``notebooks/``).

    Searched upwards from the current directory first, then from this file's location; falls back to the
    current directory when neither lies inside a workbook (e.g. the package installed elsewhere).
    """
    cwd = Path.cwd().resolve()
    return _find_root_above(cwd) or _find_root_above(Path(__file__).resolve().parent) or cwd


def resolve_path(p: str | os.PathLike) -> Path:
    """Resolve a path the way every helper does, so notebooks work from the repo root or from ``notebooks/``.

    Absolute paths (after ``~`` expansion) are returned unchanged. A relative path is taken relative to the
    current directory when it exists there; otherwise relative to the workbook root (:func:`workbook_root`)
    when it exists there, or when the current directory lies inside the workbook (so a new output folder
    such as ``reports/x`` lands in the workbook, not in ``notebooks/``). Otherwise it stays relative to the
    current directory. The result is absolute.
    """
    path = Path(p).expanduser()
    if path.is_absolute():
        return path
    cwd = Path.cwd()
    here = cwd / path
    if here.exists():
        return here
    root = workbook_root()
    there = root / path
    if there.exists():
        return there
    inside = _find_root_above(cwd.resolve())
    if inside is not None:
        return inside / path
    return here


# ---------------------------------------------------------------------------------------------------------
# The dataset
# ---------------------------------------------------------------------------------------------------------

def _default_meta() -> dict[str, Any]:
    return {"timezone": "UTC"}


@dataclass
class Dataset:
    """A canonical dataset in memory (tables in canonical dtypes, see :data:`helpers.schema.TABLES`).

    ``meta`` is the content of ``dataset.json`` (always has ``timezone``, default ``"UTC"``); ``path`` is the
    folder it was loaded from, if any.
    """

    messages: pd.DataFrame
    campaigns: pd.DataFrame
    incidents: pd.DataFrame
    audience: pd.DataFrame
    labels: pd.DataFrame | None = None
    meta: dict[str, Any] = field(default_factory=_default_meta)
    path: Path | None = None

    @property
    def timezone(self) -> str:
        """The organisation's IANA timezone name (``meta["timezone"]``, default UTC)."""
        return str(self.meta.get("timezone") or "UTC")

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """All tables by canonical name (``labels`` may be None)."""
        return {"messages": self.messages, "campaigns": self.campaigns, "incidents": self.incidents,
                "audience": self.audience, "labels": self.labels}


def empty_table(name: str) -> pd.DataFrame:
    """A table with the canonical columns and dtypes of ``name`` and no rows."""
    return pd.DataFrame({col: pd.Series(dtype=schema.PANDAS_DTYPES[kind])
                         for col, kind in schema.TABLES[name].items()})


def _read_table_file(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    # every column as text: ids are never floats, text like "NA" stays text; only empty fields are missing
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")


def _check_timezone(name: Any) -> str | None:
    """None when ``name`` is a valid IANA timezone, else why not."""
    if not isinstance(name, str) or not name:
        return f"timezone must be an IANA name such as 'Asia/Baku', got {name!r}"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown timezone {name!r} (use an IANA name such as 'Asia/Baku')"
    return None


def load_dataset(data_dir: str | os.PathLike, validate: bool = True) -> Dataset:
    """Load a canonical dataset folder (see :func:`resolve_path` for relative paths).

    Each table comes from ``<name>.parquet`` or ``<name>.csv`` (Parquet wins when both exist); ``labels`` is
    optional (None when absent); ``dataset.json`` is optional (meta defaults to ``{"timezone": "UTC"}``).
    Dtypes are fixed per :data:`helpers.schema.TABLES`. With ``validate`` (default) the tables are checked
    against the schema and across tables, and every problem — missing tables, unreadable files, values
    that do not convert, schema violations — is raised together in one :class:`DatasetError`. With
    ``validate=False`` only missing or unreadable tables raise.

    Raises FileNotFoundError (NotADirectoryError) when ``data_dir`` does not exist (is not a folder).
    """
    folder = resolve_path(data_dir)
    if not folder.exists():
        raise FileNotFoundError(
            f"dataset folder not found: {data_dir} (looked in {Path.cwd()} and in the workbook root "
            f"{workbook_root()})")
    if not folder.is_dir():
        raise NotADirectoryError(f"not a dataset folder: {folder}")
    shown = display_path(folder)
    fatal: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    tables: dict[str, pd.DataFrame | None] = {}
    files: dict[str, str] = {}
    raw_missing: dict[tuple[str, str], pd.Series] = {}  # columns where some values did not convert

    for name in schema.TABLES:
        candidates = [folder / f"{name}.parquet", folder / f"{name}.csv"]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            if name in schema.REQUIRED_TABLES:
                fatal.append(schema.make_problem(
                    display_path(candidates[1]), name, None,
                    f"required table {name} missing (expected {name}.csv or {name}.parquet)", count=0))
            tables[name] = None
            continue
        files[name] = display_path(path)
        try:
            raw = _read_table_file(path)
        except pd.errors.EmptyDataError:
            fatal.append(schema.make_problem(files[name], name, None, "file is empty (no header row)", count=0))
            continue
        except (UnicodeDecodeError, ValueError, OSError, ImportError) as exc:
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else _one_line(str(exc))
            fatal.append(schema.make_problem(files[name], name, None, f"unreadable file: {reason}", count=0))
            continue
        tables[name], coerce_problems = coerce_table(name, raw, files[name])
        problems.extend(coerce_problems)
        for p in coerce_problems:
            raw_missing[(name, p["column"])] = raw[p["column"]].isna() | raw[p["column"]].astype("string").eq("")

    meta = _default_meta()
    meta_path = folder / "dataset.json"
    if meta_path.is_file():
        try:
            loaded = json.loads(meta_path.read_text(encoding="utf-8-sig"))
            if not isinstance(loaded, dict):
                raise ValueError("expected a JSON object")
            meta.update(loaded)
        except (ValueError, UnicodeDecodeError) as exc:
            fatal.append(schema.make_problem(display_path(meta_path), "dataset.json", None,
                                             f"unreadable dataset.json: {_one_line(str(exc))}", count=0))
        else:
            tz_problem = _check_timezone(meta.get("timezone"))
            if tz_problem:
                problems.append(schema.make_problem(display_path(meta_path), "dataset.json", "timezone",
                                                    tz_problem, count=0))
    if validate:
        problems.extend(_without_repeats(validate_dataset(tables, folder, files=files), raw_missing))
        if fatal or problems:
            raise DatasetError(fatal + problems, shown)
    elif fatal:
        raise DatasetError(fatal, shown)
    return Dataset(
        messages=tables["messages"], campaigns=tables["campaigns"], incidents=tables["incidents"],
        audience=tables["audience"], labels=tables.get("labels"), meta=meta, path=folder,
    )


def _without_repeats(problems: list[dict[str, Any]],
                     raw_missing: Mapping[tuple[str, str], pd.Series]) -> list[dict[str, Any]]:
    """Drop "must not be empty" reports for values already reported as not convertible: only rows that
    were empty in the file stay in that problem."""
    out = []
    for p in problems:
        missing = raw_missing.get((p["table"], p["column"]))
        if missing is None or not p["check"].startswith("must not be empty"):
            out.append(p)
            continue
        rows = [(int(i), None) for i in np.flatnonzero(missing.fillna(True).to_numpy(dtype=bool))]
        if rows:
            out.append(schema.make_problem(p["file"], p["table"], p["column"], p["check"], rows))
    return out


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _iso_utc(values: pd.Series) -> pd.Series:
    """Timestamps as ISO-8601 UTC strings (``2024-05-01T09:30:00Z``; fractions of a second only when present,
    to the nanosecond). Naive values are taken as UTC. Missing values stay missing."""
    ts = pd.to_datetime(values)
    if getattr(ts.dt, "tz", None) is None:
        ts = ts.dt.tz_localize("UTC")
    ts = ts.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    base = ts.dt.strftime("%Y-%m-%dT%H:%M:%S")
    nanos = (ts.dt.microsecond * 1000 + ts.dt.nanosecond).astype("Int64")
    frac = nanos.map(lambda n: "" if n is pd.NA or n == 0 else "." + f"{int(n):09d}".rstrip("0"),
                     na_action=None)
    out = (base + frac.astype("string") + "Z").astype("string")
    return out.mask(ts.isna())


def _to_canonical_file_frame(name: str, df: pd.DataFrame, fmt: str) -> pd.DataFrame:
    out = df.reset_index(drop=True).copy()
    spec = schema.TABLES.get(name, {})
    for col, kind in spec.items():
        if col not in out.columns:
            continue
        if kind == "datetime":
            if fmt == "csv":
                out[col] = _iso_utc(out[col])
            else:
                ts = pd.to_datetime(out[col])
                if getattr(ts.dt, "tz", None) is None:
                    ts = ts.dt.tz_localize("UTC")
                out[col] = ts.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
        elif kind == "date":
            day = pd.to_datetime(out[col])
            if getattr(day.dt, "tz", None) is not None:
                day = day.dt.tz_localize(None)
            day = day.dt.normalize().astype("datetime64[ns]")
            out[col] = day.dt.strftime("%Y-%m-%d").astype("string").mask(day.isna()) if fmt == "csv" else day
    return out


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


def _write_frame(df: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        atomic_write(path, lambda p: df.to_csv(p, index=False, encoding="utf-8", lineterminator="\n"))
    else:
        atomic_write(path, lambda p: df.to_parquet(p, index=False, engine="pyarrow"))


def write_dataset(ds: Dataset, out_dir: str | os.PathLike, fmt: str = "csv") -> Path:
    """Write ``ds`` as a canonical dataset folder and return the folder.

    Each table goes to ``<name>.csv`` (UTF-8, text verbatim — no formula neutralisation, these are data;
    timestamps ISO-8601 UTC like ``2024-05-01T09:30:00Z``; dates ``YYYY-MM-DD``) or ``<name>.parquet``;
    ``meta`` goes to ``dataset.json``. A canonical file of the other format left from an earlier write is
    removed so :func:`load_dataset` cannot pick up stale data; ``labels.*`` is removed when ``ds.labels``
    is None. Empty strings read back as missing values. Round-trips exactly with :func:`load_dataset`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    out = resolve_path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in ds.tables().items():
        if df is None:
            for ext in FORMATS:
                (out / f"{name}.{ext}").unlink(missing_ok=True)
            continue
        _write_frame(_to_canonical_file_frame(name, df, fmt), out / f"{name}.{fmt}", fmt)
        for ext in FORMATS:
            if ext != fmt:
                (out / f"{name}.{ext}").unlink(missing_ok=True)
    meta = {**_default_meta(), **(ds.meta or {})}
    text = json.dumps(meta, ensure_ascii=False, indent=2, default=str) + "\n"
    atomic_write(out / "dataset.json", lambda p: p.write_text(text, encoding="utf-8"))
    return out


# ---------------------------------------------------------------------------------------------------------
# Cutting a dataset
# ---------------------------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _parse_day(value: Any, what: str, tz: str) -> dt.date | None:
    """An ISO date (``YYYY-MM-DD``; a longer ISO timestamp counts by its day) or None for "no bound"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return (value.tz_convert(tz) if value.tzinfo else value).date()
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value).tz_convert(tz).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if not _ISO_DAY.match(text):
        raise ValueError(f"{what}: cannot read {value!r} as an ISO date (expected YYYY-MM-DD)")
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{what}: cannot read {value!r} as an ISO date (expected YYYY-MM-DD): {exc}") from None
    return (stamp.tz_convert(tz) if stamp.tzinfo else stamp).date()


def _local_midnight_utc(day: dt.date, tz: str) -> pd.Timestamp:
    return (pd.Timestamp(day).tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
            .tz_convert("UTC"))


def filter_period(ds: Dataset, brand: str | Sequence[str] | None = None,
                  start: str | dt.date | None = None, end: str | dt.date | None = None) -> Dataset:
    """Cut ``ds`` to one brand (or several) and to the whole days ``start``–``end``, both inclusive.

    Days are calendar days in the dataset's timezone (``meta["timezone"]``). Messages are kept by
    ``created_at``, campaigns when they overlap the period, incidents when they started in it, audience rows
    by ``date``, labels when their message is kept. None/empty bounds mean "no limit". Raises ValueError for
    unparseable dates, ``start`` after ``end``, an invalid timezone, or a brand that occurs nowhere in the data.
    """
    tz = ds.timezone
    tz_problem = _check_timezone(tz)
    if tz_problem:
        raise ValueError(f"dataset.json: {tz_problem}")
    first = _parse_day(start, "start", tz)
    last = _parse_day(end, "end", tz)
    if first and last and first > last:
        raise ValueError(f"start ({first}) is after end ({last}): the period would be empty")
    lo = _local_midnight_utc(first, tz) if first else None
    hi = _local_midnight_utc(last + dt.timedelta(days=1), tz) if last else None

    brands: list[str] | None = None
    if brand is not None and not (isinstance(brand, str) and not brand.strip()):
        brands = [brand] if isinstance(brand, str) else [str(b) for b in brand]
        known: set[str] = set()
        for df in (ds.messages, ds.campaigns, ds.incidents, ds.audience):
            if "brand" in df.columns:
                known.update(df["brand"].dropna().astype(str).unique())
        missing = [b for b in brands if b not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "none"
            raise ValueError(f"brand {', '.join(map(repr, missing))} does not occur in this dataset "
                             f"(brands: {listed})")

    def keep(df: pd.DataFrame, mask: pd.Series | np.ndarray | None) -> pd.DataFrame:
        if brands is not None and "brand" in df.columns:
            by_brand = df["brand"].isin(brands).fillna(False).to_numpy(dtype=bool)
            mask = by_brand if mask is None else (np.asarray(mask, dtype=bool) & by_brand)
        if mask is None:
            return df.copy()
        return df.loc[np.asarray(mask, dtype=bool)].reset_index(drop=True)

    def within(values: pd.Series) -> np.ndarray:
        mask = values.notna()
        if lo is not None:
            mask &= values >= lo
        if hi is not None:
            mask &= values < hi
        return mask.fillna(False).to_numpy(dtype=bool)

    timed = lo is not None or hi is not None
    messages = keep(ds.messages, within(ds.messages["created_at"]) if timed else None)
    if timed:
        c = ds.campaigns
        overlap = pd.Series(True, index=c.index)
        if hi is not None:
            overlap &= c["start"] < hi
        if lo is not None:
            overlap &= c["end"].isna() | (c["end"] >= lo)
        campaigns = keep(c, overlap.fillna(False).to_numpy(dtype=bool))
        incidents = keep(ds.incidents, within(ds.incidents["started_at"]))
        days = ds.audience["date"]
        in_days = days.notna()
        if first:
            in_days &= days >= pd.Timestamp(first)
        if last:
            in_days &= days <= pd.Timestamp(last)
        audience = keep(ds.audience, in_days.fillna(False).to_numpy(dtype=bool))
    else:
        campaigns, incidents, audience = keep(ds.campaigns, None), keep(ds.incidents, None), keep(ds.audience, None)
    labels = None
    if ds.labels is not None:
        ids = set(messages["message_id"].dropna())
        labels = ds.labels.loc[schema.isin(ds.labels["message_id"], ids)]
        labels = labels.reset_index(drop=True)
    return Dataset(messages=messages, campaigns=campaigns, incidents=incidents, audience=audience,
                   labels=labels, meta=dict(ds.meta), path=ds.path)


# ---------------------------------------------------------------------------------------------------------
# Spreadsheet-safe output and pseudonyms
# ---------------------------------------------------------------------------------------------------------

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


def pseudonymise(values: pd.Series, salt: str) -> pd.Series:
    """Salted pseudonyms: ``"m_"`` + the first 12 hex digits of sha256(salt + value) (UTF-8).

    Stable for the same salt and value; missing values stay missing. Returns a ``string`` Series with the
    same index."""
    cache: dict[str, str] = {}

    def one(value: Any) -> str:
        text = str(value)
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = "m_" + hashlib.sha256((salt + text).encode("utf-8")).hexdigest()[:12]
        return hit

    return values.map(one, na_action="ignore").astype("string")


def _salt_for(out_dir: Path) -> str:
    """The dataset's pseudonym salt from ``out_dir/.pseudonym_salt``, created (random, 0600) on first use."""
    path = out_dir / SALT_FILE
    if path.is_file():
        salt = path.read_text(encoding="utf-8").strip()
        if salt:
            return salt
    salt = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(salt + "\n")
    return salt


# ---------------------------------------------------------------------------------------------------------
# Import: the map file
# ---------------------------------------------------------------------------------------------------------

class ImportInputError(ValueError):
    """Unusable import input (missing/unreadable/empty file, missing column, bad map). One line, naming the
    file and, where it applies, the column. The CLI exits 2 with this message."""

    def __init__(self, message: str):
        super().__init__(_one_line(message))


_MAP_KEYS = {"columns", "constants", "timestamp_format", "timezone", "extra_columns", "label_column",
             "brand_authors", "name", "languages", "sheet", "encoding", "delimiter"}
_REQUIRED_COLUMNS = ("message_id", "created_at", "text")
_NO_CONSTANT = {"message_id", "created_at", "text", "parent_id"}


@dataclass
class ImportMap:
    """A parsed, checked map file (see DESIGN.md "Importing a real export")."""

    path: Path
    columns: dict[str, str]
    constants: dict[str, str]
    timestamp_format: str | None = None
    timezone: str = "UTC"
    timezone_declared: bool = False
    extra_columns: list[str] = field(default_factory=list)
    label_column: str | None = None
    brand_authors: list[str] = field(default_factory=list)
    name: str | None = None
    languages: list[str] | None = None
    sheet: str | int | None = None
    encoding: str | None = None
    delimiter: str | None = None


def _str_list(raw: Any, key: str, where: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in raw):
        raise ImportInputError(f"{where}: {key} must be a list of names")
    return [str(v) for v in raw]


def read_import_map(path: str | os.PathLike) -> ImportMap:
    """Read and check a map YAML; raises :class:`ImportInputError` naming the map file and the key."""
    map_path = resolve_path(path)
    where = display_path(map_path)
    if not map_path.is_file():
        raise ImportInputError(f"{where}: map file not found")
    try:
        raw = yaml.safe_load(map_path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ImportInputError(f"{where}: invalid YAML: {exc}") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ImportInputError(f"{where}: cannot read the map file: {exc}") from None
    if not isinstance(raw, dict):
        raise ImportInputError(f"{where}: expected a mapping with at least 'columns', got {type(raw).__name__}")
    unknown = sorted(set(map(str, raw)) - _MAP_KEYS)
    if unknown:
        raise ImportInputError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_MAP_KEYS))}")
    canonical = schema.TABLES["messages"]

    columns = raw.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise ImportInputError(f"{where}: 'columns' must map canonical names to export columns")
    for key, value in columns.items():
        if key not in canonical:
            raise ImportInputError(f"{where}: columns.{key} is not a messages column "
                                   f"(allowed: {', '.join(canonical)})")
        if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value) == "":
            raise ImportInputError(f"{where}: columns.{key} must name a column of the export")
    columns = {str(k): str(v) for k, v in columns.items()}
    missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportInputError(f"{where}: columns.{missing[0]} is required (map it to a column of the export)")

    constants = raw.get("constants") or {}
    if not isinstance(constants, dict):
        raise ImportInputError(f"{where}: 'constants' must map canonical names to values")
    for key, value in constants.items():
        if key not in canonical or key in _NO_CONSTANT:
            raise ImportInputError(f"{where}: constants.{key} is not allowed (constants may set "
                                   f"{', '.join(c for c in canonical if c not in _NO_CONSTANT)})")
        if key in columns:
            raise ImportInputError(f"{where}: {key} is both in columns and constants; keep one")
        if value is None or isinstance(value, (dict, list)):
            raise ImportInputError(f"{where}: constants.{key} must be a single value")
    constants = {str(k): str(v) for k, v in constants.items()}
    role = constants.get("author_role")
    if role is not None and role not in schema.AUTHOR_ROLES:
        raise ImportInputError(f"{where}: constants.author_role must be one of {', '.join(schema.AUTHOR_ROLES)}")
    if "author_id" not in columns and "author_id" not in constants:
        raise ImportInputError(f"{where}: columns.author_id is required (the column holding the author handle)")

    fmt = raw.get("timestamp_format")
    if fmt is not None and (not isinstance(fmt, str) or "%" not in fmt):
        raise ImportInputError(f"{where}: timestamp_format must be a strptime format such as '%d-%m-%Y %H.%M'")
    tz = raw.get("timezone")
    if tz is not None:
        problem = _check_timezone(tz)
        if problem:
            raise ImportInputError(f"{where}: {problem}")
    label = raw.get("label_column")
    if label is not None and (not isinstance(label, (str, int)) or isinstance(label, bool)):
        raise ImportInputError(f"{where}: label_column must name a column of the export")
    name = raw.get("name")
    if name is not None and not isinstance(name, (str, int)):
        raise ImportInputError(f"{where}: name must be text")
    languages = raw.get("languages")
    sheet = raw.get("sheet")
    if sheet is not None and (not isinstance(sheet, (str, int)) or isinstance(sheet, bool)):
        raise ImportInputError(f"{where}: sheet must be a sheet name or a 0-based index")
    encoding = raw.get("encoding")
    if encoding is not None:
        try:
            "".encode(str(encoding))
        except LookupError:
            raise ImportInputError(f"{where}: unknown encoding {encoding!r}") from None
    delimiter = raw.get("delimiter")
    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(str(delimiter), str(delimiter))
        if len(delimiter) != 1:
            raise ImportInputError(f"{where}: delimiter must be one character (or 'tab')")
    return ImportMap(
        path=map_path, columns=columns, constants=constants,
        timestamp_format=fmt, timezone=tz or "UTC", timezone_declared=tz is not None,
        extra_columns=_str_list(raw.get("extra_columns"), "extra_columns", where),
        label_column=None if label is None else str(label),
        brand_authors=_str_list(raw.get("brand_authors"), "brand_authors", where),
        name=None if name is None else str(name),
        languages=None if languages is None else _str_list(languages, "languages", where),
        sheet=sheet, encoding=None if encoding is None else str(encoding), delimiter=delimiter,
    )


# ---------------------------------------------------------------------------------------------------------
# Import: reading any export as text
# ---------------------------------------------------------------------------------------------------------

UNPARSED = "_unparsed"


@dataclass
class RawExport:
    """An export read as text: one row per record (all cells ``str``, missing = ""), in file order.

    ``row`` numbers the records from 1 (the header not counted; blank lines skipped). ``rejected`` gives a
    read-time quarantine reason per row (None when readable); text that did not fit the header (surplus
    fields, a broken JSON line) is kept in column :data:`UNPARSED`."""

    frame: pd.DataFrame
    columns: list[str]
    rejected: list[str | None]
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[str] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    """One cell of a typed export (Excel, JSON, Parquet) as text, never losing what the file holds.

    Whole floats below 1e15 print as integers (``12.0`` → ``12``); larger floats keep scientific notation
    (they are precision-damaged ids, e.g. ``5.70306e+17``); timestamps as ISO-8601; nested values as JSON.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
        return "" if value is pd.NaT else value.isoformat()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, np.ndarray):
        return json.dumps(value.tolist(), ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _unique_names(names: Iterable[Any]) -> list[str]:
    """Header cells as column names: stripped, blanks named ``Unnamed: i``, repeats suffixed ``.1``, ``.2``."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        text = _cell_text(name).strip() or f"Unnamed: {i}"
        if text in seen:
            seen[text] += 1
            text = f"{text}.{seen[text]}"
            while text in seen:
                text += "_"
        seen.setdefault(text, 0)
        out.append(text)
    return out


def _looks_cyrillic(data: bytes) -> bool:
    """Bytes ≥ 0x80 that mostly stand next to each other read like Cyrillic words in cp1251 (Latin-1 text has
    single accented letters between ASCII ones)."""
    high = [i for i, b in enumerate(data[:200_000]) if b >= 0x80]
    if not high:
        return False
    marks = set(high)
    paired = sum(1 for i in high if i - 1 in marks or i + 1 in marks)
    return paired / len(high) >= 0.5


def _decode(data: bytes, name: str, forced: str | None) -> tuple[str, str, list[str]]:
    """Decode an export: a declared encoding, else UTF-16 (BOM), UTF-8 (with or without BOM), cp1251,
    cp1252, latin-1 — the last two with a warning. Returns text, encoding name, warnings."""
    if forced:
        try:
            return data.decode(forced), forced, []
        except UnicodeDecodeError as exc:
            raise ImportInputError(f"{name}: not readable as {forced} (the map's encoding): {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), []
    except UnicodeDecodeError:
        pass
    if _looks_cyrillic(data):
        try:
            return data.decode("cp1251"), "cp1251", []
        except UnicodeDecodeError:
            pass
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, enc, [f"{name} is not UTF-8 and does not look like Windows Cyrillic (cp1251); read as "
                           f"{enc} — check accented letters, or set 'encoding' in the map"]
    raise ImportInputError(f"{name}: cannot decode the file")  # unreachable: latin-1 decodes any bytes


def _sniff_delimiter(text: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line (comma on a tie)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _frame_from_records(columns: list[str], records: list[list[str]], extra: list[str | None]) -> pd.DataFrame:
    data = {col: [r[i] for r in records] for i, col in enumerate(columns)}
    frame = pd.DataFrame(data, columns=columns, dtype=object)
    if any(e is not None for e in extra):
        name = UNPARSED
        while name in frame.columns:
            name = "_" + name
        frame[name] = [e or "" for e in extra]
    return frame


def _read_delimited(data: bytes, name: str, suffix: str, import_map: ImportMap) -> RawExport:
    text, encoding, notes = _decode(data, name, import_map.encoding)
    delimiter = import_map.delimiter or ("\t" if suffix in (".tsv", ".tab") else _sniff_delimiter(text))
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[list[str]] = []
    extra: list[str | None] = []
    rejected: list[str | None] = []
    short = 0
    try:
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # blank line
            if header is None:
                header = _unique_names(fields)
                continue
            n = len(header)
            surplus: str | None = None
            reason: str | None = None
            if len(fields) < n:
                short += 1
                fields = fields + [""] * (n - len(fields))
            elif len(fields) > n:
                if any(f.strip() for f in fields[n:]):
                    surplus = delimiter.join(fields[n:])
                    reason = "malformed row (more fields than the header)"
                fields = fields[:n]
            records.append(fields)
            extra.append(surplus)
            rejected.append(reason)
    except csv.Error as exc:
        raise ImportInputError(f"{name}: cannot parse as delimited text near data row {len(records) + 1}: "
                               f"{exc}") from None
    if header is None:
        raise ImportInputError(f"{name}: no header row (the file holds only blank lines)")
    if short:
        notes.append(f"{short} row(s) had fewer fields than the header; the missing fields were read as empty")
    return RawExport(_frame_from_records(header, records, extra), header, rejected, encoding, delimiter, notes)


def _flatten(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested JSON objects as dotted keys (``user.screen_name``); lists stay whole (as JSON text)."""
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _read_json(data: bytes, name: str, import_map: ImportMap) -> RawExport:
    text, encoding, notes = _decode(data, name, import_map.encoding)
    text = text.lstrip("\ufeff")
    items: list[tuple[dict[str, Any] | None, str]] = []
    stripped = text.strip()
    whole: Any = None
    if stripped.startswith("["):
        try:
            whole = json.loads(stripped)
        except ValueError:
            whole = None
    if isinstance(whole, list):
        for item in whole:
            items.append((item if isinstance(item, dict) else None, json.dumps(item, ensure_ascii=False)))
    else:
        for line in text.split("\n"):
            line = line.rstrip("\r")
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            items.append((obj if isinstance(obj, dict) else None, line))
    if not items:
        raise ImportInputError(f"{name}: no JSON records found")
    flats = [(_flatten(obj) if obj is not None else None, line) for obj, line in items]
    columns: dict[str, None] = {}
    for flat, _ in flats:
        if flat is not None:
            columns.update(dict.fromkeys(map(str, flat)))
    header = list(columns)
    records, extra, rejected = [], [], []
    for flat, line in flats:
        if flat is None:
            records.append([""] * len(header))
            extra.append(line)
            rejected.append("malformed JSON record")
        else:
            values = {str(k): v for k, v in flat.items()}
            records.append([_cell_text(values.get(col)) for col in header])
            extra.append(None)
            rejected.append(None)
    if not header:
        raise ImportInputError(f"{name}: no JSON object records found")
    return RawExport(_frame_from_records(header, records, extra), header, rejected, encoding, None, notes)


def _read_excel(path: Path, name: str, import_map: ImportMap) -> RawExport:
    if path.suffix.lower() == ".xls":
        raise ImportInputError(f"{name}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for broken workbooks
        raise ImportInputError(f"{name}: cannot read as an Excel workbook: {exc}") from None
    try:
        sheet = import_map.sheet
        if sheet is None:
            ws = book.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(book.worksheets):
                raise ImportInputError(f"{name}: no sheet number {sheet} (the workbook has {len(book.worksheets)})")
            ws = book.worksheets[sheet]
        else:
            if sheet not in book.sheetnames:
                raise ImportInputError(f"{name}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
            ws = book[sheet]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    rows = [r for r in rows if any(v is not None and _cell_text(v).strip() for v in r)]
    if not rows:
        raise ImportInputError(f"{name}: the sheet is empty (no header row)")
    width = max(len(r) for r in rows)
    header_cells = rows[0] + [None] * (width - len(rows[0]))
    # drop trailing columns without a header and without data
    while width > 0 and header_cells[width - 1] is None and all(
            len(r) < width or r[width - 1] is None for r in rows[1:]):
        width -= 1
    header = _unique_names(header_cells[:width])
    records = [[_cell_text(v) for v in (r + [None] * (width - len(r)))[:width]] for r in rows[1:]]
    return RawExport(_frame_from_records(header, records, [None] * len(records)), header,
                     [None] * len(records), None, None, [])


def _read_parquet(path: Path, name: str) -> RawExport:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several error types for broken files
        raise ImportInputError(f"{name}: cannot read as Parquet: {_one_line(str(exc))}") from None
    header = _unique_names(df.columns)
    frame = pd.DataFrame({new: df[old].map(_cell_text, na_action=None).astype(object)
                          for new, old in zip(header, df.columns)}, columns=header, dtype=object)
    frame = frame.reset_index(drop=True)
    return RawExport(frame, header, [None] * len(frame), None, None, [])


def read_export(path: Path, import_map: ImportMap) -> RawExport:
    """Read a raw export of any supported kind as text cells. The file is opened read-only.

    CSV/TSV/TXT (encoding and delimiter sniffed, gzip allowed), ``.xlsx``, ``.jsonl``/``.ndjson``/``.json``,
    ``.parquet``; an unknown suffix is recognised by its first bytes. Raises :class:`ImportInputError` for
    missing, empty or unreadable files.
    """
    name = display_path(path)
    if not path.exists():
        raise ImportInputError(f"{name}: file not found")
    if not path.is_file():
        raise ImportInputError(f"{name}: not a file")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ImportInputError(f"{name}: file is empty (0 bytes)")
        suffix = path.suffix.lower()
        with path.open("rb") as fh:
            head = fh.read(8)
        if suffix in (".xlsx", ".xlsm", ".xls") or (head.startswith(b"PK\x03\x04") and suffix not in (".parquet",)):
            return _read_excel(path, name, import_map)
        if suffix == ".parquet" or head.startswith(b"PAR1"):
            return _read_parquet(path, name)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportInputError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ImportInputError(f"{name}: broken gzip file: {exc}") from None
        suffix = Path(path.stem).suffix.lower() or ".csv"
        if not data:
            raise ImportInputError(f"{name}: file is empty (0 bytes after decompression)")
    if suffix in (".jsonl", ".ndjson", ".json") or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return _read_json(data, name, import_map)
    return _read_delimited(data, name, suffix, import_map)


# ---------------------------------------------------------------------------------------------------------
# Import: values
# ---------------------------------------------------------------------------------------------------------

_EPOCH_SECONDS = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_EPOCH_MILLIS = re.compile(r"^\d{13}$")
_HAS_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"
_DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})\b")
_MONTH_NAME = re.compile(r"[A-Za-z]{3}")
_FLOAT_ID = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")


def _ns_range(values: pd.Series) -> pd.Series:
    """Timestamps outside what ``datetime64[ns]`` holds (years 1678–2261) become NaT (they are not dates a
    social-media export can mean; the row is quarantined as unparseable)."""
    lo, hi = pd.Timestamp("1678-01-01"), pd.Timestamp("2262-01-01")
    if getattr(values.dt, "tz", None) is not None:
        lo, hi = lo.tz_localize("UTC"), hi.tz_localize("UTC")
    return values.mask(((values < lo) | (values > hi)).fillna(False))


def _localize(naive: pd.Series, tz: str, notes: list[str]) -> pd.Series:
    """Naive wall-clock times in ``tz`` → UTC. Times that occur twice (DST end) are read as the first
    occurrence; times that do not exist (DST start) are moved forward; both are counted in a warning."""
    naive = _ns_range(naive).astype("datetime64[ns]")
    strict = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    odd = strict.isna() & naive.notna()
    if odd.any():
        lenient = naive.dt.tz_localize(tz, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward")
        strict = strict.where(~odd, lenient)
        notes.append(f"{int(odd.sum())} timestamp(s) fell into a daylight-saving change in {tz}; ambiguous ones "
                     "were read as the first occurrence, missing ones moved forward")
    return strict.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")


def _to_utc(parsed: pd.Series, tz: str, notes: list[str]) -> pd.Series:
    if getattr(parsed.dt, "tz", None) is not None:
        return _ns_range(parsed.dt.tz_convert("UTC")).astype("datetime64[ns, UTC]")
    return _localize(parsed, tz, notes)


def _dayfirst(values: Iterable[str], notes: list[str]) -> bool:
    """Whether ``01.02.2024``-style dates put the day first, judged over the whole column."""
    firsts, seconds, seps, examples = [], [], set(), []
    for v in values:
        m = _DMY.match(v)
        if m:
            examples.append(v)
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(3)))
            seps.add(m.group(2))
    if not firsts:
        return False
    if any(f > 12 for f in firsts):
        return True
    if any(s > 12 for s in seconds):
        return False
    dayfirst = seps == {"."}
    notes.append(f"{len(firsts)} date(s) such as {examples[0]!r} could be day/month or month/day; "
                 f"read as {'day.month' if dayfirst else 'month/day'} — set timestamp_format in the map to be sure")
    return dayfirst


def _lenient_one(value: str, dayfirst: bool) -> pd.Timestamp | None:
    from dateutil import parser as dateparser

    digits = re.findall(r"\d+", value)
    if len(digits) < 3 and not (_MONTH_NAME.search(value) and len(digits) >= 2):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # day-first only applies to dd.mm.yyyy-like values; "2024-03-01" stays year-month-day
            return pd.Timestamp(dateparser.parse(value, dayfirst=dayfirst and bool(_DMY.match(value))))
    except (ValueError, OverflowError, TypeError):
        return None


def parse_timestamps(values: pd.Series, timestamp_format: str | None = None, timezone: str = "UTC",
                     timezone_declared: bool = True) -> tuple[pd.Series, list[str]]:
    """Parse export timestamps to tz-aware UTC (``datetime64[ns, UTC]``); unparseable or empty → NaT.

    With ``timestamp_format`` (strptime, e.g. ``%d-%m-%Y %H.%M``) every value must match it. Otherwise:
    Unix epoch seconds (9–11 digits) or milliseconds (13 digits), ISO-8601 with or without a UTC offset,
    and other common forms (``05.01.2024 10:00``, ``Tue Feb 24 11:35:52 +0000 2015``) with day/month order
    judged over the whole column. Values without an offset are wall-clock times in ``timezone``. Returns the
    parsed Series (same index) and warnings.
    """
    notes: list[str] = []
    text = values.astype("string").str.strip()
    text = text.mask(text.eq("").fillna(False))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    present = text.notna()
    if timestamp_format:
        with_offset = "%z" in timestamp_format or "%Z" in timestamp_format
        parsed = pd.to_datetime(text, format=timestamp_format, errors="coerce", utc=with_offset)
        return _to_utc(parsed, timezone, notes), notes
    seconds = present & text.str.fullmatch(_EPOCH_SECONDS.pattern).fillna(False)
    millis = present & text.str.fullmatch(_EPOCH_MILLIS.pattern).fillna(False)
    if seconds.any():
        epoch = pd.to_numeric(text[seconds].astype(object), errors="coerce")
        epoch = epoch.where(epoch < 9_000_000_000)  # after 2255: not a date (and beyond datetime64[ns])
        out[seconds] = pd.to_datetime(epoch, unit="s", utc=True)
    if millis.any():
        out[millis] = pd.to_datetime(text[millis].astype("int64"), unit="ms", utc=True)
    rest = present & ~seconds & ~millis
    aware = rest & text.str.contains(_HAS_OFFSET, regex=True).fillna(False)
    naive = rest & ~aware
    if aware.any():
        out[aware] = _ns_range(pd.to_datetime(text[aware], utc=True, errors="coerce", format="ISO8601"))
    if naive.any():
        parsed = pd.to_datetime(text[naive], errors="coerce", format="ISO8601")
        if parsed.notna().any() and not timezone_declared:
            notes.append(f"{int(parsed.notna().sum())} timestamp(s) had no UTC offset and the map declares no "
                         "timezone; read as UTC — add 'timezone' to the map if they are local times")
        out[naive] = _localize(parsed, timezone, notes)
    left = present & out.isna()
    if left.any():
        leftovers = list(dict.fromkeys(text[left].tolist()))
        dayfirst = _dayfirst(leftovers, notes)
        parsed_one = {v: _lenient_one(v, dayfirst) for v in leftovers}
        aware_vals = {v: t.tz_convert("UTC") for v, t in parsed_one.items() if t is not None and t.tzinfo}
        naive_vals = {v: t for v, t in parsed_one.items() if t is not None and not t.tzinfo}
        if aware_vals:
            mask = left & schema.isin(text, aware_vals)
            out[mask] = _ns_range(pd.to_datetime(text[mask].map(aware_vals), utc=True))
        if naive_vals:
            mask = left & schema.isin(text, naive_vals)
            local = pd.to_datetime(text[mask].map(naive_vals))
            if not timezone_declared:
                notes.append(f"{int(mask.sum())} timestamp(s) had no UTC offset and the map declares no "
                             "timezone; read as UTC — add 'timezone' to the map if they are local times")
            out[mask] = _localize(local, timezone, notes)
    return out.astype("datetime64[ns, UTC]"), notes


def _parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Counts like ``12``, ``1,234``, ``1 234``, ``12.0``, ``1.2K``, ``3M`` → ``Int64`` (empty → missing).

    Returns (counts, invalid mask) where invalid marks present values that are not whole numbers ≥ 0."""
    text = values.astype("string").str.strip()
    text = text.mask(text.eq("").fillna(False))
    clean = text.str.replace(r"[\s\u00a0\u202f_']", "", regex=True)
    grouped = clean.str.fullmatch(r"\d{1,3}(?:,\d{3})+").fillna(False)
    clean = clean.mask(grouped, clean.str.replace(",", "", regex=False))
    parts = clean.str.extract(r"^(\d+(?:[.,]\d+)?)([kKmM])$")
    scale = parts[1].str.lower().map({"k": 1_000, "m": 1_000_000})
    scaled = pd.to_numeric(parts[0].str.replace(",", ".", regex=False), errors="coerce") * scale.astype(float)
    number = pd.to_numeric(clean, errors="coerce", dtype_backend="numpy_nullable").astype("Float64")
    number = number.mask(scaled.notna(), scaled.round())
    invalid = text.notna() & (number.isna() | (number < 0) | (number != number.round())).fillna(True)
    counts = number.mask(invalid).astype("Int64")
    return counts, invalid.fillna(False).astype(bool)


_SENTIMENT_WORDS = {
    "negative": {"negative", "neg", "-1", "-", "−1", "негатив", "негативный", "негативная", "негативное",
                 "отрицательный", "отрицательная", "отрицательное", "mənfi", "menfi"},
    "neutral": {"neutral", "neu", "0", "нейтральный", "нейтральная", "нейтральное", "нейтрально", "нейтрал",
                "neytral"},
    "positive": {"positive", "pos", "1", "+1", "+", "позитив", "позитивный", "позитивная", "позитивное",
                 "положительный", "положительная", "положительное", "müsbət", "musbet"},
}
_SENTIMENT_LOOKUP = {word: label for label, words in _SENTIMENT_WORDS.items() for word in words}


def normalise_sentiment(value: Any) -> str | None:
    """A hand label as ``negative``/``neutral``/``positive`` (``Negative``, ``neg``, ``-1``, ``1.0``,
    Russian and Azerbaijani words…); None when it is not recognisable."""
    if value is None or value is pd.NA:
        return None
    text = str(value).strip().casefold()
    if not text:
        return None
    hit = _SENTIMENT_LOOKUP.get(text)
    if hit:
        return hit
    try:
        number = float(text.replace("−", "-"))
    except ValueError:
        return None
    return {-1.0: "negative", 0.0: "neutral", 1.0: "positive"}.get(number)


def _handle_key(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def _thread_roots(ids: list[str], parents: list[Any]) -> list[str]:
    """Root of each message's parent chain (its own id when it has no parent); cycles stop at the repeat."""
    parent_of = {i: p for i, p in zip(ids, parents) if isinstance(p, str)}
    memo: dict[str, str] = {}
    roots = []
    for start in ids:
        path = []
        seen = set()
        node = start
        while node not in memo:
            path.append(node)
            seen.add(node)
            nxt = parent_of.get(node)
            if nxt is None or nxt in seen:
                memo[node] = node
                break
            node = nxt
        root = memo[node]
        for n in path:
            memo[n] = root
        roots.append(memo[start])
    return roots


# ---------------------------------------------------------------------------------------------------------
# Import: the whole job
# ---------------------------------------------------------------------------------------------------------

_REASON_ORDER = ("empty message_id", "empty created_at", "unparseable created_at", "empty text",
                 "invalid author_role", "invalid reactions", "invalid shares", "invalid reach",
                 "duplicate message_id")
_OUTPUT_NAMES = {f"{t}.{ext}" for t in schema.TABLES for ext in FORMATS} | {
    "quarantine.csv", "import_report.json", "dataset.json", SALT_FILE}


def _column_or_constant(raw: pd.DataFrame, m: ImportMap, name: str) -> pd.Series | None:
    if name in m.columns:
        return raw[m.columns[name]].astype(object)
    if name in m.constants:
        return pd.Series(m.constants[name], index=raw.index, dtype=object)
    return None


def _stripped(values: pd.Series) -> pd.Series:
    out = values.astype("string").str.strip()
    return out.mask(out.eq("").fillna(False))


def import_export(source: str | os.PathLike, map_path: str | os.PathLike, out_dir: str | os.PathLike,
                  keep_author_ids: bool = False, fmt: str = "csv") -> dict[str, Any]:
    """Import one raw export into the canonical dataset folder ``out_dir`` and return the import report.

    Writes ``messages`` (+ ``labels`` when the map has ``label_column``), header-only ``campaigns``,
    ``incidents`` and ``audience`` (so the folder loads with :func:`load_dataset`), ``dataset.json``,
    ``quarantine.csv`` (1-based data row, reason, the original columns; spreadsheet-safe) and
    ``import_report.json`` (rows_read = rows_kept + rows_quarantined, reasons, warnings, source, map).
    ``author_id`` is pseudonymised with the salt in ``out_dir/.pseudonym_salt`` (created once, reused so
    pseudonyms stay stable across re-imports) unless ``keep_author_ids``; the raw author column is
    pseudonymised in every output. The source file is only read.

    Raises :class:`ImportInputError` for unusable input (the CLI exits 2).
    """
    if fmt not in FORMATS:
        raise ImportInputError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    m = read_import_map(map_path)
    src = resolve_path(source)
    out = resolve_path(out_dir)
    src_name = display_path(src)
    if out.exists() and not out.is_dir():
        raise ImportInputError(f"{display_path(out)}: --out must be a folder, but it is a file")
    if src.exists() and src.resolve().parent == out.resolve() and src.name in _OUTPUT_NAMES:
        raise ImportInputError(f"{src_name}: the output folder {display_path(out)} would overwrite the source; "
                               "choose another --out")
    export = read_export(src, m)
    raw = export.frame
    notes: list[str] = list(export.warnings)
    n = len(raw)

    wanted = [(canonical, col) for canonical, col in m.columns.items()]
    wanted += [("extra_columns", col) for col in m.extra_columns]
    if m.label_column is not None:
        wanted.append(("label_column", m.label_column))
    missing = [(what, col) for what, col in wanted if col not in export.columns]
    if missing:
        listed = ", ".join(f"{col!r} (mapped to {what})" for what, col in missing)
        raise ImportInputError(f"{src_name}: column {listed} not found in the export; its columns are: "
                               f"{', '.join(export.columns) or '(none)'}")
    if n == 0:
        notes.append(f"{src_name} has a header but no data rows")

    reasons: list[str | None] = list(export.rejected)

    def flag(mask: pd.Series | np.ndarray, reason: str) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            if reasons[i] is None:
                reasons[i] = reason

    # message_id, created_at, text
    ids = _stripped(raw[m.columns["message_id"]])
    flag(ids.isna(), "empty message_id")
    created_raw = _stripped(raw[m.columns["created_at"]])
    created, ts_notes = parse_timestamps(created_raw, m.timestamp_format, m.timezone, m.timezone_declared)
    notes.extend(ts_notes)
    flag(created_raw.isna(), "empty created_at")
    flag(created.isna(), "unparseable created_at")
    text = raw[m.columns["text"]].astype(object)
    flag(_stripped(text).isna(), "empty text")

    # authors and roles
    author_raw = _stripped(_column_or_constant(raw, m, "author_id"))
    no_author = author_raw.isna()
    if no_author.any():
        notes.append(f"{int(no_author.sum())} row(s) had no author; their author_id is 'unknown'")
    author_raw = author_raw.fillna("unknown")
    keys = {_handle_key(h) for h in m.brand_authors}
    is_brand = author_raw.map(lambda v: _handle_key(v) in keys).astype(bool)
    if m.brand_authors and not is_brand.any():
        notes.append("none of the brand_authors in the map occur in the export; no message is marked brand")
    role_values = _column_or_constant(raw, m, "author_role")
    if role_values is None:
        role = pd.Series("member", index=raw.index, dtype="string")
    else:
        role = _stripped(role_values).str.lower().fillna("member")
    role = role.mask(is_brand, "brand")  # brand_authors win over the export's own role column
    flag(~role.isin(schema.AUTHOR_ROLES).fillna(False), "invalid author_role")

    # counts
    counts: dict[str, pd.Series] = {}
    for col in ("reactions", "shares", "reach"):
        values = _column_or_constant(raw, m, col)
        if values is None:
            counts[col] = pd.Series(0 if col != "reach" else pd.NA, index=raw.index, dtype="Int64")
            continue
        parsed, invalid = _parse_counts(values)
        flag(invalid, f"invalid {col}")
        counts[col] = parsed.fillna(0) if col != "reach" else parsed

    # id collisions among the rows still kept
    float_like = ids.str.fullmatch(_FLOAT_ID.pattern).fillna(False).astype(bool)
    id_list: list[Any] = ids.astype(object).tolist()
    float_list: list[bool] = float_like.tolist()
    collided = 0
    seen: dict[str, int] = {}
    taken = {v for v, r in zip(id_list, reasons) if r is None}
    for i in range(n):
        if reasons[i] is not None:
            continue
        value = id_list[i]
        if value not in seen:
            seen[value] = 0
            continue
        if float_list[i]:
            collided += 1
            k = seen[value]
            while True:
                k += 1
                candidate = f"{value}-dup{k}"
                if candidate not in taken:
                    break
            seen[value] = k
            taken.add(candidate)
            id_list[i] = candidate
        else:
            reasons[i] = "duplicate message_id"
    final_ids = pd.Series(id_list, index=raw.index, dtype="string")
    n_float = int(float_like.sum())
    if n_float:
        notes.append(f"{n_float} message id(s) looked like spreadsheet floats (e.g. {ids[float_like].iloc[0]!r}: "
                     f"digits were lost when the export went through a spreadsheet); {collided} of them collided "
                     "and were made unique with -dup1, -dup2… suffixes. Re-export without a spreadsheet to "
                     "recover the real ids")

    kept = np.array([r is None for r in reasons], dtype=bool)
    k_index = raw.index[kept]

    out.mkdir(parents=True, exist_ok=True)
    salt = None if keep_author_ids else _salt_for(out)

    def authors(values: pd.Series) -> pd.Series:
        values = values.astype("string")
        return values if keep_author_ids else pseudonymise(values, salt or "")

    msg = pd.DataFrame(index=k_index)
    msg["message_id"] = final_ids[kept].astype("string")
    parent = _stripped(raw[m.columns["parent_id"]]) if "parent_id" in m.columns else \
        pd.Series(pd.NA, index=raw.index, dtype="string")
    parent = parent[kept]
    parent = parent.mask((parent == msg["message_id"]).fillna(False))
    dangling = parent.notna() & ~schema.isin(parent, msg["message_id"].dropna())
    if dangling.any():
        msg_x_parent = parent.copy()
        parent = parent.mask(dangling)
        notes.append(f"{int(dangling.sum())} message(s) answer a message that is not among the imported ones "
                     "(not in the export, or quarantined); their parent_id is left empty and the original kept "
                     "in x_parent_id")
    else:
        msg_x_parent = None
    thread_values = _column_or_constant(raw, m, "thread_id")
    roots = pd.Series(_thread_roots(msg["message_id"].tolist(), parent.astype(object).where(parent.notna(), None)
                                    .tolist()), index=k_index, dtype="string")
    if thread_values is not None:
        thread = _stripped(thread_values)[kept].fillna(roots)
    else:
        thread = roots
    msg["thread_id"] = thread.astype("string")
    msg["parent_id"] = parent.astype("string")
    for col in ("channel", "brand"):
        values = _column_or_constant(raw, m, col)
        values = (pd.Series(pd.NA, index=raw.index, dtype="string") if values is None else _stripped(values))[kept]
        unknown = int(values.isna().sum())
        if unknown:
            why = "no value" if col in m.columns else f"no {col} column or constant in the map"
            notes.append(f"{unknown} message(s) have {why}; {col} set to 'unknown'")
        msg[col] = values.fillna("unknown").astype("string")
    msg["author_id"] = authors(author_raw[kept])
    msg["author_role"] = role[kept].astype("string")
    msg["created_at"] = created[kept]
    msg["text"] = text[kept].astype("string")
    language = _column_or_constant(raw, m, "language")
    if language is None:
        msg["language"] = pd.Series(pd.NA, index=k_index, dtype="string")
    else:
        lang = _stripped(language)[kept].str.lower().str.split(r"[-_]", n=1, regex=True).str[0]
        msg["language"] = lang.astype("string")
    for col in ("reactions", "shares", "reach"):
        msg[col] = counts[col][kept].astype("Int64")
    campaign = _column_or_constant(raw, m, "campaign_id")
    msg["campaign_id"] = pd.Series(pd.NA, index=k_index, dtype="string")
    x_columns: dict[str, pd.Series] = {}
    if campaign is not None:
        named = _stripped(campaign)[kept]
        if named.notna().any():
            x_columns["x_campaign_id"] = named.astype("string")
            notes.append(f"{int(named.notna().sum())} message(s) name a campaign_id, but an import has no "
                         "campaigns table: kept in x_campaign_id (campaign_id left empty) — add campaigns.csv "
                         "to the dataset and move them back to link them")
    if msg_x_parent is not None:
        x_columns["x_parent_id"] = msg_x_parent.astype("string")
    author_col = m.columns.get("author_id")
    for col in m.extra_columns:
        values = _stripped(raw[col])[kept] if col != author_col else authors(_stripped(raw[col])[kept])
        x_columns[f"x_{col}"] = values.astype("string")
    msg = msg[list(schema.TABLES["messages"])]
    for name, values in x_columns.items():
        msg[name] = values
    msg = msg.reset_index(drop=True)

    labels = None
    if m.label_column is not None:
        label_raw = raw[m.label_column][kept]
        sentiment = label_raw.map(normalise_sentiment)
        unknown = label_raw[sentiment.isna() & _stripped(label_raw).notna()]
        if len(unknown):
            examples = ", ".join(repr(v) for v in list(dict.fromkeys(unknown.tolist()))[:3])
            notes.append(f"{len(unknown)} value(s) of {m.label_column} are not a sentiment label "
                         f"(e.g. {examples}); those messages have no label")
        has = sentiment.notna().to_numpy()
        labels = pd.DataFrame({
            "message_id": pd.array(msg["message_id"][has].tolist(), dtype="string"),
            "sentiment": pd.array(sentiment[has].tolist(), dtype="string"),
        })

    # quarantine: original columns (author column pseudonymised), in file order
    q_mask = ~kept
    quarantine = raw[q_mask].copy()
    if author_col is not None and author_col in quarantine.columns and not keep_author_ids:
        quarantine[author_col] = authors(_stripped(quarantine[author_col])).astype(object)
    quarantine.insert(0, "reason", [reasons[i] for i in np.flatnonzero(q_mask)])
    quarantine.insert(0, "row", (np.flatnonzero(q_mask) + 1).astype(int))
    quarantine = quarantine.reset_index(drop=True)

    counts_by_reason: dict[str, int] = {}
    for r in reasons:
        if r is not None:
            counts_by_reason[r] = counts_by_reason.get(r, 0) + 1
    order = {r: i for i, r in enumerate(_REASON_ORDER)}
    counts_by_reason = dict(sorted(counts_by_reason.items(), key=lambda kv: (order.get(kv[0], -1), kv[0])))
    rows_kept, rows_quarantined = int(kept.sum()), int(q_mask.sum())
    assert n == rows_kept + rows_quarantined, "every row is either kept or quarantined"

    meta: dict[str, Any] = {"name": m.name or src.stem, "timezone": m.timezone}
    if m.languages is not None:
        meta["languages"] = m.languages
    meta["source"] = src.name
    ds = Dataset(messages=msg, campaigns=empty_table("campaigns"), incidents=empty_table("incidents"),
                 audience=empty_table("audience"), labels=labels, meta=meta, path=out)
    problems = validate_dataset(ds.tables(), out, files={t: display_path(out / f"{t}.{fmt}") for t in schema.TABLES})
    if problems:  # a bug in the importer, not in the input: never write an invalid dataset
        raise DatasetError(problems, f"{display_path(out)} (import of {src_name})")
    write_dataset(ds, out, fmt)
    write_spreadsheet_csv(quarantine, out / "quarantine.csv")
    report = {
        "source": src_name,
        "map": display_path(m.path),
        "out": display_path(out),
        "format": fmt,
        "rows_read": n,
        "rows_kept": rows_kept,
        "rows_quarantined": rows_quarantined,
        "reasons": counts_by_reason,
        "warnings": notes,
        "labels": 0 if labels is None else len(labels),
        "author_ids": "kept" if keep_author_ids else "pseudonymised",
        "encoding": export.encoding,
        "delimiter": export.delimiter,
    }
    payload = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    atomic_write(out / "import_report.json", lambda p: p.write_text(payload, encoding="utf-8"))
    return report


def summary_line(report: Mapping[str, Any]) -> str:
    """The one-line accounting printed by the CLI."""
    reasons = report.get("reasons") or {}
    detail = f" ({', '.join(f'{k}: {v}' for k, v in reasons.items())})" if reasons else ""
    return (f"imported {Path(str(report['source'])).name}: {report['rows_read']} rows read, "
            f"{report['rows_kept']} kept, {report['rows_quarantined']} quarantined{detail} -> {report['out']}")


def import_cli(argv: Sequence[str]) -> int:
    """``python -m helpers import SOURCE --map MAP.yml --out DIR [--keep-author-ids] [--format csv|parquet]``.

    Prints one accounting line on success (exit 0; warnings go to stderr). Unusable input exits 2 with one
    message on stderr naming the file and the column; a failure while writing exits 1.
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers import",
        description="Turn one raw export (CSV, TSV, Excel .xlsx, JSON lines, Parquet) into a canonical dataset.",
    )
    parser.add_argument("source", help="the raw export file (never modified)")
    parser.add_argument("--map", required=True, dest="map_path", help="map YAML: columns, constants, timezone …")
    parser.add_argument("--out", required=True, dest="out_dir", help="output folder (a canonical dataset)")
    parser.add_argument("--keep-author-ids", action="store_true",
                        help="keep raw author handles instead of salted pseudonyms")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="table file format (default csv)")
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return int(exc.code or 0)
    try:
        report = import_export(args.source, args.map_path, args.out_dir,
                               keep_author_ids=args.keep_author_ids, fmt=args.format)
    except ImportInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DatasetError as exc:
        print(f"error: the import produced an invalid dataset (please report this):\n{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {exc.filename or args.out_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for note in report["warnings"]:
        print(f"warning: {note}", file=sys.stderr)
    print(summary_line(report))
    return 0
