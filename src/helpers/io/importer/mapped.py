"""The map path: a flat export (CSV, TSV, Excel, JSON lines, Parquet) read with a map YAML, as records.

:func:`mapped_records` applies an :class:`~helpers.io.importer.mapfile.ImportMap` to a
:class:`~helpers.io.importer.readers.RawExport` and returns the same
:class:`~helpers.io.importer.platforms.base.PlatformRecords` a platform reader returns, so the import job
treats both alike. Rows whose values are unusable get a ``reason`` (the job quarantines them) and keep their
original cells for ``quarantine.csv``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.io.importer.mapfile import ImportInputError, ImportMap
from helpers.io.importer.platforms.base import RECORD_COLUMNS, PlatformRecords
from helpers.io.importer.readers import RawExport
from helpers.io.importer.values import handle_key, map_sentiment_column, parse_counts, parse_timestamps
from helpers.io.schema import AUTHOR_ROLES

__all__ = ["mapped_records", "normalise_ids", "LABEL_COLUMN"]

#: the records column that carries a map's ``label_column`` (hand labels) to the job
LABEL_COLUMN = "label"


def _stripped(values: pd.Series) -> pd.Series:
    out = values.astype("string").str.strip()
    return out.mask(out.eq("").fillna(False))


def normalise_ids(values: pd.Series) -> pd.Series:
    """Ids as canonical text, vectorised (see :func:`~helpers.io.importer.platforms.base.normalise_id`):
    stripped, ``3.0`` → ``3``, empty → missing."""
    text = _stripped(values)
    return text.str.replace(r"^([+-]?\d+)\.0*$", r"\1", regex=True).astype("string")


def _first_non_empty(raw: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    """The first non-empty of several export columns, row by row (one column: that column)."""
    out = _stripped(raw[names[0]])
    for name in names[1:]:
        out = out.fillna(_stripped(raw[name]))
    return out


def _column_or_constant(raw: pd.DataFrame, m: ImportMap, name: str) -> pd.Series | None:
    if name in m.columns:
        return _first_non_empty(raw, m.columns[name])
    if name in m.constants:
        return pd.Series(m.constants[name], index=raw.index, dtype="string")
    return None


class _Reasons:
    """The quarantine reason of each input row (None = usable so far); the first reason found for a row wins."""

    def __init__(self, initial: Sequence[str | None]):
        self.reasons: list[str | None] = list(initial)

    def flag(self, mask: pd.Series | np.ndarray, reason: str) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            if self.reasons[i] is None:
                self.reasons[i] = reason


def check_mapped_columns(export: RawExport, m: ImportMap, src_name: str, notes: list[str]) -> None:
    """Every export column the map names must exist; an export without data rows gets a warning."""
    wanted = [(canonical, col) for canonical, cols in m.columns.items() for col in cols]
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


def mapped_records(export: RawExport, m: ImportMap, src_name: str) -> PlatformRecords:
    """The rows of ``export`` as records in canonical names, with a ``reason`` for unusable ones.

    Raises :class:`ImportInputError` when a mapped column is missing."""
    notes: list[str] = list(export.warnings)
    check_mapped_columns(export, m, src_name, notes)
    raw = export.frame
    rows = _Reasons(export.rejected)
    rec = pd.DataFrame(index=raw.index)
    rec["message_id"] = normalise_ids(_first_non_empty(raw, m.columns["message_id"]))
    rows.flag(rec["message_id"].isna(), "empty message_id")
    created_raw = _first_non_empty(raw, m.columns["created_at"])
    created, ts_notes = parse_timestamps(created_raw, m.timestamp_format, m.timezone, m.timezone_declared)
    notes.extend(ts_notes)
    rows.flag(created_raw.isna(), "empty created_at")
    rows.flag(created.isna(), "unparseable created_at")
    rec["created_at"] = created
    text = _first_non_empty(raw, m.columns["text"]) if len(m.columns["text"]) > 1 \
        else raw[m.columns["text"][0]].astype("string")
    rec["text"] = text.fillna("")   # empty text is quarantined by the job unless the row has media
    media = _column_or_constant(raw, m, "media")
    rec["media"] = media if media is not None else pd.Series(pd.NA, index=raw.index, dtype="string")
    for col in ("parent_id", "thread_id"):
        values = _column_or_constant(raw, m, col)
        rec[col] = normalise_ids(values) if values is not None else pd.Series(pd.NA, index=raw.index, dtype="string")
    for col in ("channel", "brand"):
        rec[col] = _known_or_unknown(raw, m, col, notes)
    rec["author_id"], rec["author_role"] = _authors_and_roles(raw, m, rows, notes)
    for col, values in _counts(raw, m, rows).items():
        rec[col] = values
    rec["language"] = _languages(raw, m)
    rec["where"] = pd.array([str(i + 1) for i in range(len(raw))], dtype="string")
    rec["raw"] = pd.array([None] * len(raw), dtype="string")
    extras = _extra_columns(raw, m, notes)
    rec["reason"] = pd.array(rows.reasons, dtype="string")
    frame = rec[list(RECORD_COLUMNS)].copy()
    for name, values in extras.items():
        frame[name] = values
    records = PlatformRecords(frame=frame.reset_index(drop=True), preset="map", warnings=notes)
    records.info.update(original=raw.reset_index(drop=True), author_columns=m.columns.get("author_id", []),
                        encoding=export.encoding, delimiter=export.delimiter)
    return records


def _authors_and_roles(raw: pd.DataFrame, m: ImportMap, rows: _Reasons,
                       notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """Raw author handles (missing → ``unknown``) and roles (``brand_authors`` win, default ``member``)."""
    author_raw = _column_or_constant(raw, m, "author_id")
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
        role = role_values.str.lower().fillna("member")
    role = role.mask(is_brand, "brand")  # brand_authors win over the export's own role column
    rows.flag(~role.isin(AUTHOR_ROLES).fillna(False), "invalid author_role")
    return author_raw.astype("string"), role.astype("string")


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


def _known_or_unknown(raw: pd.DataFrame, m: ImportMap, col: str, notes: list[str]) -> pd.Series:
    """``channel`` or ``brand``; missing values become ``unknown`` (with a warning)."""
    values = _column_or_constant(raw, m, col)
    values = pd.Series(pd.NA, index=raw.index, dtype="string") if values is None else values
    unknown = int(values.isna().sum())
    if unknown:
        why = "no value" if col in m.columns else f"no {col} column or constant in the map"
        notes.append(f"{unknown} message(s) have {why}; {col} set to 'unknown'")
    return values.fillna("unknown").astype("string")


def _languages(raw: pd.DataFrame, m: ImportMap) -> pd.Series:
    """Language codes, lower-cased and without region (``en-GB`` → ``en``)."""
    language = _column_or_constant(raw, m, "language")
    if language is None:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return language.str.lower().str.split(r"[-_]", n=1, regex=True).str[0].astype("string")


def _extra_columns(raw: pd.DataFrame, m: ImportMap, notes: list[str]) -> dict[str, pd.Series]:
    """The columns kept beside the canonical ones: x_campaign_id, the hand labels (:data:`LABEL_COLUMN`),
    then ``x_<col>`` for each of extra_columns (raw author columns are pseudonymised by the job)."""
    extras: dict[str, pd.Series] = {}
    campaign = _column_or_constant(raw, m, "campaign_id")
    if campaign is not None and campaign.notna().any():
        extras["x_campaign_id"] = campaign.astype("string")
        notes.append(f"{int(campaign.notna().sum())} message(s) name a campaign_id, but an import has no "
                     "campaigns table: kept in x_campaign_id (campaign_id left empty) — add campaigns.csv "
                     "to the dataset and move them back to link them")
    if m.label_column is not None:
        label_raw = raw[m.label_column]
        column = map_sentiment_column(label_raw)
        records = pd.Series([str(i + 1) for i in range(len(raw))], index=raw.index)  # as in ``where``
        unmapped = column.problem(m.label_column, label_raw.astype("string").str.strip(), records, "record")
        if unmapped:
            notes.append(f"{unmapped}; those messages have no label")
        if column.not_relevant.any():
            notes.append(f"column {m.label_column!r}: {int(column.not_relevant.sum())} not-relevant value(s) "
                         "dropped (those messages have no label)")
        if column.scale == "stars":
            notes.append(f"column {m.label_column!r} read as star ratings: {column.mapping}")
        extras[LABEL_COLUMN] = column.sentiment
    for col in m.extra_columns:
        extras[f"x_{col}"] = _stripped(raw[col])
    return extras
