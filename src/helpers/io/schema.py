"""Canonical dataset schema (see ../shared/DESIGN.md): table names, columns and dtypes.

The pandera schemas that validate a loaded dataset are built from these constants
(:func:`build_schema`); :func:`validate_dataset` runs them plus the cross-table checks and returns every
problem, and :class:`DatasetError` turns those problems into one readable message.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.io.paths import display_path

__all__ = [
    "TABLES", "MEDIA_COLUMN", "REQUIRED_TABLES", "OPTIONAL_TABLES", "AUTHOR_ROLES", "CAMPAIGN_KINDS", "CRISIS_TYPES", "SENTIMENTS",
    "NULLABLE", "PANDAS_DTYPES", "ID_COLUMNS", "UNIQUE_COLUMNS", "NON_NEGATIVE", "ALLOWED_VALUES",
    "ORDERED_COLUMNS", "REFERENCES", "MAX_EXAMPLES", "DatasetError", "format_problems", "make_problem",
    "one_line", "build_schema", "get_schema", "dtype_matches", "isin", "table_file", "check_timezone",
    "validate_dataset", "coerce_table",
]

#: table name -> {column: pandas dtype}. "datetime" means tz-aware UTC timestamps.
TABLES: dict[str, dict[str, str]] = {
    "messages": {
        "message_id": "string",
        "thread_id": "string",
        "parent_id": "string",      # nullable
        "channel": "string",
        "brand": "string",
        "author_id": "string",
        "author_role": "string",    # brand | member | moderator
        "created_at": "datetime",
        "text": "string",
        "language": "string",       # nullable, ISO 639-1
        "reactions": "Int64",
        "shares": "Int64",
        "reach": "Int64",           # nullable
        "campaign_id": "string",    # nullable
    },
    "campaigns": {
        "campaign_id": "string",
        "brand": "string",
        "name": "string",
        "kind": "string",           # paid_campaign | community_programme
        "channel": "string",
        "start": "datetime",
        "end": "datetime",
        "budget": "Float64",
        "currency": "string",
        "objective": "string",
    },
    "incidents": {
        "incident_id": "string",
        "brand": "string",
        "title": "string",
        "started_at": "datetime",
        "first_response_at": "datetime",   # nullable
        "resolved_at": "datetime",         # nullable
        "severity": "string",
        "crisis_type": "string",           # victim | accidental | preventable
    },
    "audience": {
        "date": "date",
        "brand": "string",
        "channel": "string",
        "followers": "Int64",
    },
    "labels": {
        "message_id": "string",
        "sentiment": "string",      # negative | neutral | positive
    },
}

#: the optional messages column naming a message's attachment (photo, video, sticker, voice …); a message
#: with media may have an empty text (read as ""), every other message needs one
MEDIA_COLUMN = "x_media"

REQUIRED_TABLES = ("messages", "campaigns", "incidents", "audience")
OPTIONAL_TABLES = ("labels",)

AUTHOR_ROLES = ("brand", "member", "moderator")
CAMPAIGN_KINDS = ("paid_campaign", "community_programme")
CRISIS_TYPES = ("victim", "accidental", "preventable")
SENTIMENTS = ("negative", "neutral", "positive")

#: columns of `messages` that may be null
NULLABLE = {
    "messages": {"parent_id", "language", "reach", "campaign_id"},
    "campaigns": {"budget", "currency", "objective", "channel"},
    "incidents": {"first_response_at", "resolved_at", "severity", "crisis_type"},
    "audience": set(),
    "labels": set(),
}

# ---------------------------------------------------------------------------------------------------------
# Validation: pandera schemas built from the constants above, cross-table checks, one readable error.
# ---------------------------------------------------------------------------------------------------------
#: pandas dtype each schema type string stands for once a table is loaded
PANDAS_DTYPES: dict[str, Any] = {
    "string": pd.StringDtype(),
    "datetime": pd.DatetimeTZDtype("ns", "UTC"),
    "date": "datetime64[ns]",
    "Int64": pd.Int64Dtype(),
    "Float64": pd.Float64Dtype(),
}

#: columns that hold identifiers (must never come from a float)
ID_COLUMNS: dict[str, set[str]] = {
    "messages": {"message_id", "thread_id", "parent_id", "campaign_id"},
    "campaigns": {"campaign_id"},
    "incidents": {"incident_id"},
    "audience": set(),
    "labels": {"message_id"},
}

#: columns whose values must be unique within their table
UNIQUE_COLUMNS: dict[str, set[str]] = {
    "messages": {"message_id"},
    "campaigns": {"campaign_id"},
    "incidents": {"incident_id"},
    "audience": set(),
    "labels": set(),
}

#: non-negative count columns
NON_NEGATIVE: dict[str, set[str]] = {
    "messages": {"reactions", "shares", "reach"},
    "campaigns": {"budget"},
    "audience": {"followers"},
}

#: allowed values of categorical columns
ALLOWED_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("messages", "author_role"): AUTHOR_ROLES,
    ("campaigns", "kind"): CAMPAIGN_KINDS,
    ("incidents", "crisis_type"): CRISIS_TYPES,
    ("labels", "sentiment"): SENTIMENTS,
}

#: (table, later column, earlier column): later must be >= earlier where both are present
ORDERED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("campaigns", "end", "start"),
    ("incidents", "first_response_at", "started_at"),
    ("incidents", "resolved_at", "started_at"),
)

#: (table, column, referenced table, referenced column): foreign keys checked across tables (nulls allowed)
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("messages", "parent_id", "messages", "message_id"),
    ("messages", "campaign_id", "campaigns", "campaign_id"),
    ("labels", "message_id", "messages", "message_id"),
)

MAX_EXAMPLES = 5
_EXAMPLE_CHARS = 60


class DatasetError(ValueError):
    """A canonical dataset is not valid; the message lists every problem found, not only the first.

    ``problems`` holds one dict per problem: ``file`` (path of the table file, or the folder), ``table``,
    ``column`` (or None), ``check`` (what is wrong, in words), ``count`` (rows affected) and ``examples``
    (up to 5 ``{"row": n, "value": "..."}``; rows count data rows from 1, the header being row 0).
    """

    def __init__(self, problems: list[dict[str, Any]], source: str | os.PathLike | None = None):
        self.problems = list(problems)
        self.source = None if source is None else str(source)
        super().__init__(format_problems(self.problems, self.source))

    def __reduce__(self):  # keep problems when pickled (multiprocessing, papermill workers)
        return (type(self), (self.problems, self.source))


def format_problems(problems: list[dict[str, Any]], source: str | None = None) -> str:
    """Render problem dicts (see :class:`DatasetError`) as one readable multi-line message."""
    where = f" {source}" if source else ""
    n = len(problems)
    lines = [f"invalid dataset{where}: {n} problem{'s' if n != 1 else ''} "
             "(row numbers count data rows from 1; the header is row 0)"]
    for p in problems:
        col = f", column {p['column']}" if p.get("column") else ""
        detail = ""
        count = p.get("count")
        if count:
            shown = []
            for ex in p.get("examples", [])[:MAX_EXAMPLES]:
                row = ex.get("row")
                value = ex.get("value")
                part = f"row {row}" if row is not None else ""
                if value is not None:
                    part = f"{part}: {value}" if part else str(value)
                shown.append(part)
            detail = f" — {count} row{'s' if count != 1 else ''}"
            if shown:
                detail += ", e.g. " + "; ".join(shown)
        lines.append(f"  - {p['file']}{col}: {p['check']}{detail}")
    return "\n".join(lines)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) collapsed to one space, for one-line messages."""
    return " ".join(str(text).split())


def _show(value: Any) -> str | None:
    """A short, readable rendering of one offending value (None for nulls)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) > _EXAMPLE_CHARS:
        text = text[: _EXAMPLE_CHARS - 1] + "…"
    return text


def make_problem(file: str, table: str, column: str | None, check: str,
                 rows: Iterable[tuple[int | None, Any]] = (), count: int | None = None) -> dict[str, Any]:
    """Build one problem dict. ``rows`` are (0-based position or None, offending value) pairs."""
    rows = list(rows)
    examples = [{"row": None if pos is None else int(pos) + 1, "value": _show(val)} for pos, val in rows[:MAX_EXAMPLES]]
    return {"file": file, "table": table, "column": column, "check": check,
            "count": len(rows) if count is None else count, "examples": examples}


def build_schema(table: str, dtypes: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of one canonical table: dtypes, non-null, uniqueness, allowed values, ranges.

    Columns beyond the canonical ones (e.g. ``x_*`` kept by the importer) are allowed. ``dtypes=False``
    leaves dtypes out (:func:`validate_dataset` checks them itself: pandera's dtype checks are slow on
    Arrow-backed strings).
    """
    columns: dict[str, pa.Column] = {}
    for col, kind in TABLES[table].items():
        checks: list[pa.Check] = []
        allowed = ALLOWED_VALUES.get((table, col))
        if allowed:
            checks.append(pa.Check.isin(list(allowed), error=f"must be one of {', '.join(allowed)}"))
        if col in NON_NEGATIVE.get(table, set()):
            checks.append(pa.Check.ge(0, error="must be >= 0"))
        columns[col] = pa.Column(
            PANDAS_DTYPES[kind] if dtypes else None,
            checks=checks,
            nullable=col in NULLABLE.get(table, set()),
            unique=col in UNIQUE_COLUMNS.get(table, set()),
            required=True,
        )
    frame_checks = []
    for tab, later, earlier in ORDERED_COLUMNS:
        if tab != table:
            continue
        frame_checks.append(pa.Check(
            lambda df, a=later, b=earlier: ~(df[a].notna() & df[b].notna() & (df[a] < df[b])),
            error=f"{later} must not be before {earlier}",
        ))
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False, name=table)


_SCHEMAS: dict[tuple[str, bool], pa.DataFrameSchema] = {}


def get_schema(table: str, dtypes: bool = True) -> pa.DataFrameSchema:
    """Cached :func:`build_schema`."""
    key = (table, dtypes)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = build_schema(table, dtypes)
    return _SCHEMAS[key]


def dtype_matches(dtype: Any, kind: str) -> bool:
    """Whether a pandas dtype is the canonical one for schema type ``kind`` (see :data:`PANDAS_DTYPES`)."""
    if kind == "string":  # pandas' "string" (missing = NA) or pandas 3's default "str" (missing = NaN)
        return isinstance(dtype, pd.StringDtype)
    return dtype == PANDAS_DTYPES[kind]


def _dtype_problems(table: str, df: pd.DataFrame, file: str) -> list[dict[str, Any]]:
    problems = []
    for col, kind in TABLES[table].items():
        if col in df.columns and not dtype_matches(df[col].dtype, kind):
            problems.append(make_problem(file, table, col, f"wrong dtype (expected {kind}), found {df[col].dtype}",
                                         count=0))
    return problems


def _check_label(check: str, table: str, column: str | None) -> str:
    """Turn pandera's check identifiers into words."""
    if check == "not_nullable":
        return "must not be empty (null values found)"
    if check == "field_uniqueness":
        return "duplicate values (must be unique)"
    if check == "column_in_dataframe":
        return "required column missing"
    return check


def _ordered_check_column(check: str) -> str | None:
    for _, later, earlier in ORDERED_COLUMNS:
        if check == f"{later} must not be before {earlier}":
            return later
    return None


def _schema_problems(table: str, df: pd.DataFrame, file: str) -> list[dict[str, Any]]:
    """Run the table's pandera schema lazily and convert every failure into problem dicts."""
    problems: list[dict[str, Any]] = _dtype_problems(table, df, file)
    try:
        get_schema(table, dtypes=False).validate(df, lazy=True)
        return problems
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    # keep one entry per (column, check), in the order pandera reported them
    groups: dict[tuple[str | None, str], list[tuple[int | None, Any]]] = {}
    for rec in fc.to_dict("records"):
        check = str(rec["check"])
        column = rec["column"] if isinstance(rec["column"], str) else None
        value = rec["failure_case"]
        if check == "column_in_dataframe":
            column, value = str(value), None
        frame_col = _ordered_check_column(check)
        if frame_col is not None:
            if column != frame_col:
                continue  # pandera repeats a frame-level failure once per column; keep the relevant one
        idx = rec["index"]
        pos = None if idx is None or (isinstance(idx, float) and math.isnan(idx)) else int(idx)
        groups.setdefault((column, check), []).append((pos, value))
    for (column, check), rows in groups.items():
        label = _check_label(check, table, column)
        if check == "column_in_dataframe":
            problems.append(make_problem(file, table, column, label, count=0))
        else:
            rows.sort(key=lambda r: (r[0] is None, r[0] or 0))
            problems.append(make_problem(file, table, column, label, rows))
    return problems


def isin(values: pd.Series, pool: Iterable[Any]) -> np.ndarray:
    """Boolean array: which ``values`` occur in ``pool`` (missing values never do).

    Same as ``Series.isin`` but fast for large pools on pandas' Arrow-backed strings (pandas 3 converts every
    pool element to an Arrow scalar there)."""
    plain = pd.Series(values.to_numpy(dtype=object, na_value=None), dtype=object)
    return (plain.isin(list(pool)) & plain.notna()).to_numpy(dtype=bool)


def _reference_problems(tables: Mapping[str, pd.DataFrame], files: Mapping[str, str]) -> list[dict[str, Any]]:
    problems = []
    for table, column, ref_table, ref_column in REFERENCES:
        df, ref = tables.get(table), tables.get(ref_table)
        if df is None or ref is None or column not in df.columns or ref_column not in ref.columns:
            continue
        values = df[column]
        known = set(ref[ref_column].dropna().astype(str))
        present = values.notna().to_numpy()
        dangling = present & ~isin(values.astype("string"), known)
        if dangling.any():
            positions = dangling.nonzero()[0]
            rows = [(int(p), values.iloc[p]) for p in positions]
            problems.append(make_problem(
                files[table], table, column, f"refers to a {ref_column} that is not in {ref_table}", rows))
    return problems


def table_file(source_dir: str | os.PathLike | None, table: str) -> str:
    """How problems name a table's file: ``<dir>/<table>.parquet`` if that exists, else ``<dir>/<table>.csv``."""
    if source_dir is None:
        return f"<{table}>"
    base = Path(source_dir)
    path = base / f"{table}.parquet"
    if not path.exists():
        path = base / f"{table}.csv"
    return display_path(path)




def check_timezone(name: Any) -> str | None:
    """None when ``name`` is a valid IANA timezone name (e.g. ``"Asia/Baku"``), else why not (one line)."""
    if not isinstance(name, str) or not name:
        return f"timezone must be an IANA name such as 'Asia/Baku', got {name!r}"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown timezone {name!r} (use an IANA name such as 'Asia/Baku')"
    return None


def validate_dataset(tables: Mapping[str, pd.DataFrame | None], source_dir: str | os.PathLike | None = None,
                     files: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Validate canonical tables (already in canonical dtypes) and return every problem found (empty = valid).

    Per table: dtypes, non-null, unique ids, allowed categorical values, counts >= 0, time order
    (campaign end >= start; incident response/resolution not before start). Across tables: ``parent_id``
    refers to an existing ``message_id``, ``campaign_id`` in messages exists in campaigns, labelled messages
    exist. Tables that are None or absent are skipped (the loader reports missing files). ``files`` maps a
    table to the file name shown in problems; by default it is derived from ``source_dir``.
    Row numbers in problems are positions (1-based), so pass frames in file order.
    """
    names = dict(files or {})
    present: dict[str, pd.DataFrame] = {}
    for table, df in tables.items():
        if df is None or table not in TABLES:
            continue
        present[table] = df.reset_index(drop=True)
        names.setdefault(table, table_file(source_dir, table))
    problems: list[dict[str, Any]] = []
    for table in TABLES:
        if table in present:
            problems.extend(_schema_problems(table, present[table], names[table]))
    problems.extend(_reference_problems(present, names))
    return problems


def _blank_to_na(values: pd.Series) -> pd.Series:
    """Strings that are empty mean "missing" in canonical files (CSV cannot tell them apart)."""
    out = values.astype("string")
    return out.mask(out.eq("").fillna(False))


def coerce_table(table: str, df: pd.DataFrame, file: str | None = None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Bring one table read from disk to canonical dtypes (:data:`TABLES`), reporting values that do not fit.

    IDs and text become pandas ``string`` (empty strings become missing), timestamps tz-aware
    ``datetime64[ns, UTC]`` (naive values are taken as UTC), ``date`` a midnight-normalised naive
    ``datetime64[ns]``, counts ``Int64``, amounts ``Float64``. A value that cannot be converted becomes
    missing and is reported (the schema's non-null check may report the same row again — that is intended:
    the first message says why). Canonical columns come first, in contract order; other columns follow as
    ``string`` when they hold text. Missing columns are left for the schema to report.
    """
    file = file or f"<{table}>"
    problems: list[dict[str, Any]] = []
    df = df.reset_index(drop=True)
    out: dict[str, pd.Series] = {}
    spec = TABLES[table]

    def report(column: str, check: str, bad: pd.Series, source: pd.Series) -> None:
        mask = bad.fillna(False).to_numpy(dtype=bool)
        if mask.any():
            positions = mask.nonzero()[0]
            problems.append(make_problem(file, table, column, check, [(int(p), source.iloc[p]) for p in positions]))

    for col, kind in spec.items():
        if col not in df.columns:
            continue
        raw = df[col]
        if kind == "string":
            if pd.api.types.is_float_dtype(raw.dtype) and col in ID_COLUMNS.get(table, set()):
                report(col, "ids must be written as text, not floats", raw.notna(), raw)
            out[col] = _blank_to_na(raw)
        elif kind in ("datetime", "date"):
            if isinstance(raw.dtype, pd.DatetimeTZDtype):
                parsed = raw.dt.tz_convert("UTC")
            elif pd.api.types.is_datetime64_dtype(raw.dtype):
                parsed = raw.dt.tz_localize("UTC")
            else:
                text = _blank_to_na(raw)
                parsed = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
                what = "an ISO-8601 date (YYYY-MM-DD)" if kind == "date" else "an ISO-8601 timestamp"
                report(col, f"not {what}", text.notna() & parsed.isna(), raw)
            lo, hi = pd.Timestamp("1678-01-01", tz="UTC"), pd.Timestamp("2262-01-01", tz="UTC")
            outside = parsed.notna() & ((parsed < lo) | (parsed > hi))
            report(col, "outside the years 1678–2261", outside, raw)
            parsed = parsed.mask(outside.fillna(False)).astype("datetime64[ns, UTC]")
            if kind == "date":
                parsed = parsed.dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
            out[col] = parsed
        else:  # Int64 / Float64
            if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
                number = raw.astype("Float64") if kind == "Float64" or pd.api.types.is_float_dtype(raw.dtype) \
                    else raw.astype("Int64")
            else:
                text = _blank_to_na(raw).str.strip()
                number = pd.to_numeric(text, errors="coerce", dtype_backend="numpy_nullable")
                report(col, "not a number", text.notna() & number.isna(), raw)
            if kind == "Int64":
                if pd.api.types.is_float_dtype(number.dtype):
                    fractional = number.notna() & (number != number.round())
                    report(col, "not a whole number", fractional, raw)
                    number = number.mask(fractional.fillna(False)).round()
                number = number.astype("Int64")
            else:
                number = number.astype("Float64")
            out[col] = number
    for col in df.columns:
        if col in spec:
            continue
        raw = df[col]
        if pd.api.types.is_object_dtype(raw.dtype) or pd.api.types.is_string_dtype(raw.dtype):
            out[col] = _blank_to_na(raw)
        else:
            out[col] = raw
    if table == "messages" and "text" in out and MEDIA_COLUMN in out:
        # media without a caption (a photo, sticker, voice message): empty text, kept as ""
        caption_less = out["text"].isna() & out[MEDIA_COLUMN].astype("string").notna()
        out["text"] = out["text"].mask(caption_less.to_numpy(dtype=bool), "")
    return pd.DataFrame(out, index=df.index), problems
