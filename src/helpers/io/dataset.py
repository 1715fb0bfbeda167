"""A canonical dataset in memory and on disk, and cutting it to a brand and a period (see DESIGN.md).

* :class:`Dataset`, :func:`load_dataset`, :func:`write_dataset` — a canonical dataset folder in memory and on
  disk (CSV or Parquet). Loading fixes dtypes (IDs ``string``, timestamps tz-aware UTC, counts ``Int64``) and
  validates; every problem is raised at once in one :class:`~helpers.io.schema.DatasetError`.
* :func:`empty_table` — a canonical table with no rows.
* :func:`filter_period` — one brand and/or a span of whole days in the organisation's timezone.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import schema
from helpers.io.files import atomic_write
from helpers.io.paths import display_path, resolve_path, workbook_root
from helpers.io.schema import DatasetError, coerce_table, validate_dataset

__all__ = ["FORMATS", "Dataset", "empty_table", "load_dataset", "write_dataset", "filter_period"]

#: table file formats a dataset folder may use
FORMATS = ("csv", "parquet")


# ---------------------------------------------------------------------------------------------------------
# The dataset
# ---------------------------------------------------------------------------------------------------------

def _default_meta() -> dict[str, Any]:
    return {"timezone": "UTC"}


@dataclass
class Dataset:
    """A canonical dataset in memory (tables in canonical dtypes, see :data:`helpers.io.schema.TABLES`).

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


def load_dataset(data_dir: str | os.PathLike, validate: bool = True) -> Dataset:
    """Load a canonical dataset folder (see :func:`resolve_path` for relative paths).

    Each table comes from ``<name>.parquet`` or ``<name>.csv`` (Parquet wins when both exist); ``labels`` is
    optional (None when absent); ``dataset.json`` is optional (meta defaults to ``{"timezone": "UTC"}``).
    Dtypes are fixed per :data:`helpers.io.schema.TABLES`. With ``validate`` (default) the tables are checked
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
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else schema.one_line(str(exc))
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
                                             f"unreadable dataset.json: {schema.one_line(str(exc))}", count=0))
        else:
            tz_problem = schema.check_timezone(meta.get("timezone"))
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


def _has_carriage_return(df: pd.DataFrame) -> bool:
    """A bare carriage return in a text cell (real exports have them): written unquoted, it splits the row."""
    for col in df.columns:
        values = df[col]
        if (values.dtype == object or pd.api.types.is_string_dtype(values)) and \
                values.astype("string").str.contains("\r", regex=False).fillna(False).any():
            return True
    return False


def _write_frame(df: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        # csv quotes a field holding "\n" but not one holding a bare "\r": then quote every text field
        quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(df) else csv.QUOTE_MINIMAL
        atomic_write(path, lambda p: df.to_csv(p, index=False, encoding="utf-8", lineterminator="\n",
                                               quoting=quoting))
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
    tz_problem = schema.check_timezone(tz)
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
