"""The import job: ``python -m helpers import SOURCE --map MAP.yml --out DIR``.

:func:`import_export` turns one raw export into a canonical dataset folder; every input row is either kept
or quarantined with a reason. It runs as named steps: check the paths and mapped columns, parse the fields
(flagging rows to quarantine), make message ids unique, build the messages / labels / quarantine tables,
validate, write. :func:`import_cli` is the command line around it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io.dataset import FORMATS, Dataset, empty_table, write_dataset
from helpers.io.files import atomic_write, write_spreadsheet_csv
from helpers.io.importer.mapfile import ImportInputError, ImportMap, read_import_map
from helpers.io.importer.readers import RawExport, read_export
from helpers.io.importer.values import handle_key, normalise_sentiment, parse_counts, parse_timestamps, thread_roots
from helpers.io.paths import display_path, resolve_path
from helpers.io.pseudonyms import SALT_FILE, pseudonymise, salt_for
from helpers.io.schema import AUTHOR_ROLES, TABLES, DatasetError, isin, validate_dataset

__all__ = ["import_export", "summary_line", "import_cli"]

_FLOAT_ID = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_REASON_ORDER = ("empty message_id", "empty created_at", "unparseable created_at", "empty text",
                 "invalid author_role", "invalid reactions", "invalid shares", "invalid reach",
                 "duplicate message_id")
_OUTPUT_NAMES = {f"{t}.{ext}" for t in TABLES for ext in FORMATS} | {
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


def _authors(values: pd.Series, salt: str | None) -> pd.Series:
    """Author handles as ``string``: pseudonymised with ``salt``, or as they are when ``salt`` is None."""
    values = values.astype("string")
    return values if salt is None else pseudonymise(values, salt)


class _Reasons:
    """The quarantine reason of each input row (None = kept so far); the first reason found for a row wins."""

    def __init__(self, initial: Sequence[str | None]):
        self.reasons: list[str | None] = list(initial)

    def flag(self, mask: pd.Series | np.ndarray, reason: str) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            if self.reasons[i] is None:
                self.reasons[i] = reason

    def kept(self) -> np.ndarray:
        return np.array([r is None for r in self.reasons], dtype=bool)


@dataclass
class _Fields:
    """The mapped fields of every input row, parsed (same index as the raw frame)."""

    ids: pd.Series
    created: pd.Series
    text: pd.Series
    author_raw: pd.Series
    role: pd.Series
    counts: dict[str, pd.Series]


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
    _check_paths(src, out, src_name)
    export = read_export(src, m)
    raw = export.frame
    notes: list[str] = list(export.warnings)
    _check_mapped_columns(export, m, src_name, notes)

    rows = _Reasons(export.rejected)
    fields = _parse_fields(raw, m, rows, notes)
    final_ids = _unique_ids(fields.ids, rows, notes)
    kept = rows.kept()

    out.mkdir(parents=True, exist_ok=True)
    salt = None if keep_author_ids else salt_for(out)
    msg = _messages_table(raw, m, fields, final_ids, kept, salt, notes)
    labels = _labels_table(raw, m, msg, kept, notes)
    quarantine = _quarantine_table(raw, m, rows.reasons, kept, salt)
    counts_by_reason, rows_kept, rows_quarantined = _reason_counts(rows.reasons, kept, len(raw))

    ds = _checked_dataset(msg, labels, m, src, src_name, out, fmt)
    write_dataset(ds, out, fmt)
    write_spreadsheet_csv(quarantine, out / "quarantine.csv")
    report = {
        "source": src_name,
        "map": display_path(m.path),
        "out": display_path(out),
        "format": fmt,
        "rows_read": len(raw),
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


# --- step 1: inputs ---------------------------------------------------------------------------------------

def _check_paths(src: Path, out: Path, src_name: str) -> None:
    """``out`` must be a folder (or not exist yet) and must not be where the import would overwrite ``src``."""
    if out.exists() and not out.is_dir():
        raise ImportInputError(f"{display_path(out)}: --out must be a folder, but it is a file")
    if src.exists() and src.resolve().parent == out.resolve() and src.name in _OUTPUT_NAMES:
        raise ImportInputError(f"{src_name}: the output folder {display_path(out)} would overwrite the source; "
                               "choose another --out")


def _check_mapped_columns(export: RawExport, m: ImportMap, src_name: str, notes: list[str]) -> None:
    """Every export column the map names must exist; an export without data rows gets a warning."""
    wanted = [(canonical, col) for canonical, col in m.columns.items()]
    wanted += [("extra_columns", col) for col in m.extra_columns]
    if m.label_column is not None:
        wanted.append(("label_column", m.label_column))
    missing = [(what, col) for what, col in wanted if col not in export.columns]
    if missing:
        listed = ", ".join(f"{col!r} (mapped to {what})" for what, col in missing)
        raise ImportInputError(f"{src_name}: column {listed} not found in the export; its columns are: "
                               f"{', '.join(export.columns) or '(none)'}")
    if len(export.frame) == 0:
        notes.append(f"{src_name} has a header but no data rows")


# --- step 2: fields, flagging rows to quarantine -------------------------------------------------------------

def _parse_fields(raw: pd.DataFrame, m: ImportMap, rows: _Reasons, notes: list[str]) -> _Fields:
    """Parse message_id, created_at, text, authors, roles and counts; flag rows whose values are unusable."""
    ids = _stripped(raw[m.columns["message_id"]])
    rows.flag(ids.isna(), "empty message_id")
    created_raw = _stripped(raw[m.columns["created_at"]])
    created, ts_notes = parse_timestamps(created_raw, m.timestamp_format, m.timezone, m.timezone_declared)
    notes.extend(ts_notes)
    rows.flag(created_raw.isna(), "empty created_at")
    rows.flag(created.isna(), "unparseable created_at")
    text = raw[m.columns["text"]].astype(object)
    rows.flag(_stripped(text).isna(), "empty text")
    author_raw, role = _authors_and_roles(raw, m, rows, notes)
    counts = _counts(raw, m, rows)
    return _Fields(ids=ids, created=created, text=text, author_raw=author_raw, role=role, counts=counts)


def _authors_and_roles(raw: pd.DataFrame, m: ImportMap, rows: _Reasons,
                       notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """Raw author handles (missing → ``unknown``) and roles (``brand_authors`` win, default ``member``)."""
    author_raw = _stripped(_column_or_constant(raw, m, "author_id"))
    no_author = author_raw.isna()
    if no_author.any():
        notes.append(f"{int(no_author.sum())} row(s) had no author; their author_id is 'unknown'")
    author_raw = author_raw.fillna("unknown")
    keys = {handle_key(h) for h in m.brand_authors}
    is_brand = author_raw.map(lambda v: handle_key(v) in keys).astype(bool)
    if m.brand_authors and not is_brand.any():
        notes.append("none of the brand_authors in the map occur in the export; no message is marked brand")
    role_values = _column_or_constant(raw, m, "author_role")
    if role_values is None:
        role = pd.Series("member", index=raw.index, dtype="string")
    else:
        role = _stripped(role_values).str.lower().fillna("member")
    role = role.mask(is_brand, "brand")  # brand_authors win over the export's own role column
    rows.flag(~role.isin(AUTHOR_ROLES).fillna(False), "invalid author_role")
    return author_raw, role


def _counts(raw: pd.DataFrame, m: ImportMap, rows: _Reasons) -> dict[str, pd.Series]:
    """reactions and shares (missing → 0) and reach (missing stays missing) as ``Int64``."""
    counts: dict[str, pd.Series] = {}
    for col in ("reactions", "shares", "reach"):
        values = _column_or_constant(raw, m, col)
        if values is None:
            counts[col] = pd.Series(0 if col != "reach" else pd.NA, index=raw.index, dtype="Int64")
            continue
        parsed, invalid = parse_counts(values)
        rows.flag(invalid, f"invalid {col}")
        counts[col] = parsed.fillna(0) if col != "reach" else parsed
    return counts


def _unique_ids(ids: pd.Series, rows: _Reasons, notes: list[str]) -> pd.Series:
    """Message ids among the rows still kept, made unique: a repeated float-looking id (digits lost in a
    spreadsheet) gets a ``-dupN`` suffix, any other repeat is quarantined as ``duplicate message_id``."""
    reasons = rows.reasons
    float_like = ids.str.fullmatch(_FLOAT_ID.pattern).fillna(False).astype(bool)
    id_list: list[Any] = ids.astype(object).tolist()
    float_list: list[bool] = float_like.tolist()
    collided = 0
    seen: dict[str, int] = {}
    taken = {v for v, r in zip(id_list, reasons) if r is None}
    for i in range(len(ids)):
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
    n_float = int(float_like.sum())
    if n_float:
        notes.append(f"{n_float} message id(s) looked like spreadsheet floats (e.g. {ids[float_like].iloc[0]!r}: "
                     f"digits were lost when the export went through a spreadsheet); {collided} of them collided "
                     "and were made unique with -dup1, -dup2… suffixes. Re-export without a spreadsheet to "
                     "recover the real ids")
    return pd.Series(id_list, index=ids.index, dtype="string")


# --- step 3: the tables -----------------------------------------------------------------------------------

def _messages_table(raw: pd.DataFrame, m: ImportMap, fields: _Fields, final_ids: pd.Series, kept: np.ndarray,
                    salt: str | None, notes: list[str]) -> pd.DataFrame:
    """The canonical messages table of the kept rows, followed by the ``x_*`` columns."""
    k_index = raw.index[kept]
    msg = pd.DataFrame(index=k_index)
    msg["message_id"] = final_ids[kept].astype("string")
    parent, x_parent = _parents(raw, m, kept, msg["message_id"], notes)
    msg["thread_id"] = _threads(raw, m, kept, msg["message_id"], parent)
    msg["parent_id"] = parent.astype("string")
    for col in ("channel", "brand"):
        msg[col] = _known_or_unknown(raw, m, col, kept, notes)
    msg["author_id"] = _authors(fields.author_raw[kept], salt)
    msg["author_role"] = fields.role[kept].astype("string")
    msg["created_at"] = fields.created[kept]
    msg["text"] = fields.text[kept].astype("string")
    msg["language"] = _languages(raw, m, kept, k_index)
    for col in ("reactions", "shares", "reach"):
        msg[col] = fields.counts[col][kept].astype("Int64")
    msg["campaign_id"] = pd.Series(pd.NA, index=k_index, dtype="string")
    x_columns = _x_columns(raw, m, kept, x_parent, salt, notes)
    msg = msg[list(TABLES["messages"])]
    for name, values in x_columns.items():
        msg[name] = values
    return msg.reset_index(drop=True)


def _parents(raw: pd.DataFrame, m: ImportMap, kept: np.ndarray, message_ids: pd.Series,
             notes: list[str]) -> tuple[pd.Series, pd.Series | None]:
    """parent_id of the kept rows (self-replies dropped; parents not among the kept rows emptied) and, when
    some were emptied, the original values for ``x_parent_id``."""
    parent = _stripped(raw[m.columns["parent_id"]]) if "parent_id" in m.columns else \
        pd.Series(pd.NA, index=raw.index, dtype="string")
    parent = parent[kept]
    parent = parent.mask((parent == message_ids).fillna(False))
    dangling = parent.notna() & ~isin(parent, message_ids.dropna())
    if not dangling.any():
        return parent, None
    x_parent = parent.copy()
    parent = parent.mask(dangling)
    notes.append(f"{int(dangling.sum())} message(s) answer a message that is not among the imported ones "
                 "(not in the export, or quarantined); their parent_id is left empty and the original kept "
                 "in x_parent_id")
    return parent, x_parent


def _threads(raw: pd.DataFrame, m: ImportMap, kept: np.ndarray, message_ids: pd.Series,
             parent: pd.Series) -> pd.Series:
    """thread_id of the kept rows: the mapped value, else the root of the message's parent chain."""
    thread_values = _column_or_constant(raw, m, "thread_id")
    roots = pd.Series(thread_roots(message_ids.tolist(), parent.astype(object).where(parent.notna(), None)
                                   .tolist()), index=message_ids.index, dtype="string")
    if thread_values is not None:
        thread = _stripped(thread_values)[kept].fillna(roots)
    else:
        thread = roots
    return thread.astype("string")


def _known_or_unknown(raw: pd.DataFrame, m: ImportMap, col: str, kept: np.ndarray,
                      notes: list[str]) -> pd.Series:
    """``channel`` or ``brand`` of the kept rows; missing values become ``unknown`` (with a warning)."""
    values = _column_or_constant(raw, m, col)
    values = (pd.Series(pd.NA, index=raw.index, dtype="string") if values is None else _stripped(values))[kept]
    unknown = int(values.isna().sum())
    if unknown:
        why = "no value" if col in m.columns else f"no {col} column or constant in the map"
        notes.append(f"{unknown} message(s) have {why}; {col} set to 'unknown'")
    return values.fillna("unknown").astype("string")


def _languages(raw: pd.DataFrame, m: ImportMap, kept: np.ndarray, k_index: pd.Index) -> pd.Series:
    """Language codes of the kept rows, lower-cased and without region (``en-GB`` → ``en``)."""
    language = _column_or_constant(raw, m, "language")
    if language is None:
        return pd.Series(pd.NA, index=k_index, dtype="string")
    lang = _stripped(language)[kept].str.lower().str.split(r"[-_]", n=1, regex=True).str[0]
    return lang.astype("string")


def _x_columns(raw: pd.DataFrame, m: ImportMap, kept: np.ndarray, x_parent: pd.Series | None,
               salt: str | None, notes: list[str]) -> dict[str, pd.Series]:
    """The ``x_*`` columns kept beside the canonical ones: x_campaign_id, x_parent_id, then extra_columns
    (the raw author column pseudonymised like author_id)."""
    x_columns: dict[str, pd.Series] = {}
    campaign = _column_or_constant(raw, m, "campaign_id")
    if campaign is not None:
        named = _stripped(campaign)[kept]
        if named.notna().any():
            x_columns["x_campaign_id"] = named.astype("string")
            notes.append(f"{int(named.notna().sum())} message(s) name a campaign_id, but an import has no "
                         "campaigns table: kept in x_campaign_id (campaign_id left empty) — add campaigns.csv "
                         "to the dataset and move them back to link them")
    if x_parent is not None:
        x_columns["x_parent_id"] = x_parent.astype("string")
    author_col = m.columns.get("author_id")
    for col in m.extra_columns:
        values = _stripped(raw[col])[kept] if col != author_col else _authors(_stripped(raw[col])[kept], salt)
        x_columns[f"x_{col}"] = values.astype("string")
    return x_columns


def _labels_table(raw: pd.DataFrame, m: ImportMap, msg: pd.DataFrame, kept: np.ndarray,
                  notes: list[str]) -> pd.DataFrame | None:
    """Hand labels of the kept messages (None when the map has no ``label_column``)."""
    if m.label_column is None:
        return None
    label_raw = raw[m.label_column][kept]
    sentiment = label_raw.map(normalise_sentiment)
    unknown = label_raw[sentiment.isna() & _stripped(label_raw).notna()]
    if len(unknown):
        examples = ", ".join(repr(v) for v in list(dict.fromkeys(unknown.tolist()))[:3])
        notes.append(f"{len(unknown)} value(s) of {m.label_column} are not a sentiment label "
                     f"(e.g. {examples}); those messages have no label")
    has = sentiment.notna().to_numpy()
    return pd.DataFrame({
        "message_id": pd.array(msg["message_id"][has].tolist(), dtype="string"),
        "sentiment": pd.array(sentiment[has].tolist(), dtype="string"),
    })


def _quarantine_table(raw: pd.DataFrame, m: ImportMap, reasons: list[str | None], kept: np.ndarray,
                      salt: str | None) -> pd.DataFrame:
    """Quarantined rows: 1-based data row, reason, the original columns (author column pseudonymised), in
    file order."""
    q_mask = ~kept
    quarantine = raw[q_mask].copy()
    author_col = m.columns.get("author_id")
    if author_col is not None and author_col in quarantine.columns and salt is not None:
        quarantine[author_col] = _authors(_stripped(quarantine[author_col]), salt).astype(object)
    quarantine.insert(0, "reason", [reasons[i] for i in np.flatnonzero(q_mask)])
    quarantine.insert(0, "row", (np.flatnonzero(q_mask) + 1).astype(int))
    return quarantine.reset_index(drop=True)


# --- step 4: accounting, validation ------------------------------------------------------------------------

def _reason_counts(reasons: list[str | None], kept: np.ndarray, n: int) -> tuple[dict[str, int], int, int]:
    """Rows quarantined per reason (in :data:`_REASON_ORDER`), rows kept, rows quarantined."""
    counts_by_reason: dict[str, int] = {}
    for r in reasons:
        if r is not None:
            counts_by_reason[r] = counts_by_reason.get(r, 0) + 1
    order = {r: i for i, r in enumerate(_REASON_ORDER)}
    counts_by_reason = dict(sorted(counts_by_reason.items(), key=lambda kv: (order.get(kv[0], -1), kv[0])))
    rows_kept, rows_quarantined = int(kept.sum()), int((~kept).sum())
    assert n == rows_kept + rows_quarantined, "every row is either kept or quarantined"
    return counts_by_reason, rows_kept, rows_quarantined


def _checked_dataset(msg: pd.DataFrame, labels: pd.DataFrame | None, m: ImportMap, src: Path, src_name: str,
                     out: Path, fmt: str) -> Dataset:
    """The imported dataset, validated: an invalid one is a bug in the importer, never written."""
    meta: dict[str, Any] = {"name": m.name or src.stem, "timezone": m.timezone}
    if m.languages is not None:
        meta["languages"] = m.languages
    meta["source"] = src.name
    ds = Dataset(messages=msg, campaigns=empty_table("campaigns"), incidents=empty_table("incidents"),
                 audience=empty_table("audience"), labels=labels, meta=meta, path=out)
    problems = validate_dataset(ds.tables(), out, files={t: display_path(out / f"{t}.{fmt}") for t in TABLES})
    if problems:  # a bug in the importer, not in the input: never write an invalid dataset
        raise DatasetError(problems, f"{display_path(out)} (import of {src_name})")
    return ds


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
