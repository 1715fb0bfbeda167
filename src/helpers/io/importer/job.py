"""The import job: ``python -m helpers import SOURCE... --out DIR`` (see DESIGN.md "Importing a real export").

:func:`import_sources` reads every source (a platform reader recognised from the content, ``--preset``, or
``--map``), turns each into canonical messages (ids normalised, authors pseudonymised, unusable rows
quarantined with a reason), merges them into the dataset the folder already holds (or starts one), resolves
reply links across all files and the dataset, and installs the result atomically after loading it back.
Every item read is accounted for: added, updated, unchanged, skipped (with a reason) or quarantined (with a
reason). :func:`import_cli` is the command line around it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.std import tqdm

from helpers.io.dataset import FORMATS, load_dataset
from helpers.io.files import write_spreadsheet_csv
from helpers.io.importer.install import (existing_format, import_lock, install_messages, append_import_log,
                                         write_json)
from helpers.io.importer.mapfile import ImportInputError, read_import_map
from helpers.io.importer.mapped import LABEL_COLUMN
from helpers.io.importer.merge import (DANGLING_PARENT, MergeCounts, merge_messages, prepare_state,
                                       resolve_links, unique_within_source)
from helpers.io.importer.platforms import ReaderOptions
from helpers.io.importer.sources import ReadSource, expand_sources, read_source
from helpers.io.paths import display_path, resolve_path
from helpers.io.pseudonyms import SALT_FILE, pseudonymise, salt_for
from helpers.io.schema import AUTHOR_ROLES, MEDIA_COLUMN, TABLES, DatasetError, check_timezone, validate_dataset

__all__ = ["import_sources", "import_export", "summary_line", "summary_lines", "import_cli"]

_REASON_ORDER = ("empty message_id", "empty created_at", "unparseable created_at", "no date", "empty text",
                 "invalid author_role", "invalid reactions", "invalid shares", "invalid reach",
                 "duplicate message_id", "message_id used by another channel")
_OUTPUT_NAMES = {f"{t}.{ext}" for t in TABLES for ext in FORMATS} | {
    "quarantine.csv", "import_report.json", "dataset.json", "imports.jsonl", SALT_FILE}


@dataclass
class _SourceResult:
    """One source's accounting and its canonical messages (before merging)."""

    read: ReadSource
    messages: pd.DataFrame
    labels: pd.DataFrame
    reasons: list[str | None]
    warnings: list[str]
    counts: MergeCounts = field(default_factory=MergeCounts)

    def quarantined(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.reasons:
            if r is not None:
                out[r] = out.get(r, 0) + 1
        order = {r: i for i, r in enumerate(_REASON_ORDER)}
        return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))

    def line(self) -> dict[str, Any]:
        rec = self.read.records
        quarantined = self.quarantined()
        report = {
            "source": self.read.name, "preset": rec.preset, "sha256": self.read.sha256, "bytes": self.read.size,
            "read": len(rec.frame) + sum(rec.skipped.values()),
            "added": self.counts.added, "updated": self.counts.updated, "unchanged": self.counts.unchanged,
            "skipped": sum(rec.skipped.values()), "skipped_reasons": dict(rec.skipped),
            "quarantined": sum(quarantined.values()), "quarantined_reasons": quarantined,
            "warnings": self.warnings,
        }
        assert report["read"] == (report["added"] + report["updated"] + report["unchanged"] + report["skipped"]
                                  + report["quarantined"]), "every item is accounted for"
        return report


def import_sources(sources: Sequence[str | os.PathLike], out_dir: str | os.PathLike, *,
                   map_path: str | os.PathLike | None = None, preset: str | None = None,
                   options: ReaderOptions | None = None, replace: bool = False, keep_author_ids: bool = False,
                   fmt: str | None = None, brand: str | None = None) -> dict[str, Any]:
    """Import export files (and folders of them) into the dataset folder ``out_dir``; return the report.

    Without ``map_path`` each file is read by the platform reader that recognises it (or ``preset``); with it,
    every file is read through the map. When ``out_dir`` already holds a dataset the messages are merged into
    it (``replace`` starts the messages afresh); nothing else in the folder is rewritten. ``fmt`` (csv or
    parquet) defaults to the folder's current format, else csv. Writes ``quarantine.csv``,
    ``import_report.json`` and a line of ``imports.jsonl``. ``brand`` names the brand of every message
    imported (e.g. one name for a Telegram channel and its discussion group, whose chat titles differ). Raises :class:`ImportInputError` for unusable
    input (the CLI exits 2) and :class:`DatasetError` when the result would not load (nothing is installed).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ImportInputError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if map_path is not None and preset is not None:
        raise ImportInputError("give either --map (a flat file described by a map) or --preset, not both")
    options = options or ReaderOptions()
    if options.timezone is not None and check_timezone(options.timezone):
        raise ImportInputError(f"--timezone: {check_timezone(options.timezone)}")
    out = resolve_path(out_dir)
    if out.exists() and not out.is_dir():
        raise ImportInputError(f"{display_path(out)}: --out must be a folder, but it is a file")
    import_map = read_import_map(map_path) if map_path is not None else None
    notes: list[str] = []
    paths = expand_sources(sources, out, notes)
    _check_not_overwriting(paths, out)
    read = _read_all(paths, import_map, preset, options)
    with import_lock(out):
        return _import_locked(read, out, import_map, preset, replace, keep_author_ids, fmt, notes, brand)


_LONG_IMPORT_BYTES = 20_000_000


def _read_all(paths: Sequence[Path], import_map: Any, preset: str | None,
              options: ReaderOptions) -> list[ReadSource]:
    """Every source read, with progress for long imports (several files, or one over 20 MB): a tqdm bar on a
    terminal, plain log lines on stderr otherwise (cron, CI, Airflow logs)."""
    sizes = [p.stat().st_size for p in paths]
    long_import = len(paths) > 1 or sum(sizes) > _LONG_IMPORT_BYTES
    terminal = bool(getattr(sys.stderr, "isatty", lambda: False)())
    bar = tqdm(total=len(paths), desc="reading exports", unit="file", file=sys.stderr, leave=False,
               disable=not (long_import and terminal))
    read = []
    for k, (path, size) in enumerate(zip(paths, sizes), start=1):
        if long_import and not terminal:
            print(f"import: reading {k}/{len(paths)} {display_path(path)} ({size / 1e6:.1f} MB)", file=sys.stderr)
        read.append(read_source(path, import_map, preset, options))
        bar.update(1)
    bar.close()
    return read


def _check_not_overwriting(paths: Sequence[Path], out: Path) -> None:
    for src in paths:
        if src.resolve().parent == out.resolve() and src.name in _OUTPUT_NAMES:
            raise ImportInputError(f"{display_path(src)}: the output folder {display_path(out)} would overwrite "
                                   "the source; choose another --out")


def _existing(out: Path) -> Any:
    """The dataset the folder holds (None when it holds none); one that does not load is unusable input."""
    if existing_format(out) is None:
        return None
    try:
        return load_dataset(out)
    except DatasetError as exc:
        raise ImportInputError(f"{display_path(out)} holds a dataset that does not load, so the import cannot "
                               f"merge into it: {exc}") from None


def _import_locked(read: list[ReadSource], out: Path, import_map: Any, preset: str | None, replace: bool,
                   keep_author_ids: bool, fmt: str | None, notes: list[str], brand: str | None) -> dict[str, Any]:
    existing = _existing(out)
    fmt = fmt or existing_format(out) or "csv"
    salt = None if keep_author_ids else salt_for(out)
    results = [_canonical(r, salt, brand) for r in read]
    before = 0 if existing is None else len(existing.messages)
    state = prepare_state(None if existing is None or replace else existing.messages)
    for result in sorted(results, key=lambda r: r.read.records.fills_only):   # completing sources last
        state, result.counts = merge_messages(state, result.messages, fills_only=result.read.records.fills_only)
        kept_positions = np.flatnonzero([r is None for r in result.reasons])
        for pos in result.counts.collisions:
            result.reasons[int(kept_positions[pos])] = "message_id used by another channel"
    messages, dangling = resolve_links(state)
    messages["reactions"] = messages["reactions"].fillna(0).astype("Int64")
    messages["shares"] = messages["shares"].fillna(0).astype("Int64")
    if dangling:
        notes.append(f"{dangling} message(s) answer a message that is in no file of this import nor in the "
                     f"dataset; their parent_id is left empty and the original kept in {DANGLING_PARENT} (it "
                     "links again when a later import brings the parent)")
    labels = _labels(results, messages, existing, notes)
    meta = _meta(existing, import_map, read)
    _check(messages, existing, labels, out, fmt, replace)
    created = install_messages(out, messages, fmt, meta, labels if existing is None or existing.labels is None
                               else None)
    report = _report(results, out, fmt, import_map, preset, replace, keep_author_ids, notes, before,
                     len(messages), created)
    write_spreadsheet_csv(_quarantine(results, salt), out / "quarantine.csv")
    write_json(out / "import_report.json", report)
    append_import_log(out, {k: report[k] for k in ("time", "sources", "preset", "map", "replace", "totals",
                                                   "messages_before", "messages_after")})
    return report


# --- one source: canonical messages, quarantine reasons ------------------------------------------------------

def _canonical(read: ReadSource, salt: str | None, brand: str | None = None) -> _SourceResult:
    """One source's usable records as canonical messages (author ids pseudonymised) and the reasons of the
    rest (a list over all records: None = kept)."""
    rec = read.records
    frame = rec.frame
    warnings = list(rec.warnings)
    reasons: list[str | None] = [None if pd.isna(r) else str(r) for r in frame["reason"]]
    _flag(reasons, frame["message_id"].isna(), "empty message_id")
    _flag(reasons, frame["created_at"].isna(), "no date")
    no_text = frame["text"].fillna("").str.strip().eq("") & frame["media"].isna()
    _flag(reasons, no_text, "empty text")
    role = frame["author_role"].fillna("member").str.lower()
    _flag(reasons, ~role.isin(AUTHOR_ROLES).fillna(False), "invalid author_role")
    ids = unique_within_source(frame["message_id"].astype("string"), reasons, warnings)
    kept = np.array([r is None for r in reasons], dtype=bool)
    msg = _messages(frame[kept], ids[kept], role[kept], salt, rec.info.get("author_columns", []), warnings)
    if brand:
        msg["brand"] = pd.Series(brand, index=msg.index, dtype="string")
    labels = pd.DataFrame({"message_id": pd.Series(dtype="string"), "sentiment": pd.Series(dtype="string")})
    if LABEL_COLUMN in frame.columns:
        has = frame[LABEL_COLUMN][kept].notna().to_numpy()
        labels = pd.DataFrame({"message_id": msg["message_id"][has].astype("string").to_numpy(),
                               "sentiment": frame[LABEL_COLUMN][kept][has].astype("string").to_numpy()})
    return _SourceResult(read=read, messages=msg, labels=labels, reasons=reasons, warnings=warnings)


def _flag(reasons: list[str | None], mask: pd.Series, reason: str) -> None:
    for i in np.flatnonzero(np.asarray(mask.fillna(False), dtype=bool)):
        if reasons[i] is None:
            reasons[i] = reason


def _messages(frame: pd.DataFrame, ids: pd.Series, role: pd.Series, salt: str | None,
              author_columns: Sequence[str], warnings: list[str]) -> pd.DataFrame:
    """Canonical message columns (plus ``x_media`` and the reader's ``x_*`` columns) of usable records."""
    out = pd.DataFrame(index=frame.index)
    out["message_id"] = ids.astype("string")
    out["thread_id"] = frame["thread_id"].astype("string")
    out["parent_id"] = frame["parent_id"].astype("string")
    out["channel"] = frame["channel"].fillna("unknown").astype("string")
    out["brand"] = frame["brand"].fillna("unknown").astype("string")
    no_author = frame["author_id"].isna()
    if no_author.any():
        warnings.append(f"{int(no_author.sum())} message(s) have no author (a deleted account, or hidden by the "
                        "platform); their author_id is 'unknown'")
    authors = frame["author_id"].fillna("unknown").astype("string")
    out["author_id"] = authors if salt is None else pseudonymise(authors, salt)
    out["author_role"] = role.astype("string")
    out["created_at"] = frame["created_at"]
    out["text"] = frame["text"].fillna("").astype("string")
    out["language"] = frame["language"].astype("string")
    for col in ("reactions", "shares", "reach"):
        out[col] = frame[col].astype("Int64")
    out["campaign_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    if frame["media"].notna().any():
        out[MEDIA_COLUMN] = frame["media"].astype("string")
    pseudonymised = {f"x_{c}" for c in author_columns}
    for col in frame.columns:
        if col.startswith("x_"):
            values = frame[col].astype("string")
            out[col] = pseudonymise(values, salt) if col in pseudonymised and salt is not None else values
    return out.reset_index(drop=True)


# --- the dataset around the messages ----------------------------------------------------------------------

def _labels(results: Sequence[_SourceResult], messages: pd.DataFrame, existing: Any,
            notes: list[str]) -> pd.DataFrame | None:
    """Hand labels an import brings (a map's label_column); written only into a folder without labels."""
    labels = pd.concat([r.labels for r in results], ignore_index=True) if results else None
    if labels is None or labels.empty:
        return None
    labels = labels.drop_duplicates("message_id", keep="last")
    labels = labels[labels["message_id"].isin(set(messages["message_id"]))].reset_index(drop=True)
    if existing is not None and existing.labels is not None:
        notes.append(f"{len(labels)} label(s) in the export were not written: the folder's labels table is the "
                     "team's and is left as it is (merge them by hand, or with `helpers sentiment import`)")
        return None
    return labels


def _meta(existing: Any, import_map: Any, read: Sequence[ReadSource]) -> dict[str, Any]:
    """dataset.json for a new folder (an existing one is the team's and kept)."""
    if existing is not None:
        return dict(existing.meta)
    first = read[0].path if read else Path("import")
    meta: dict[str, Any] = {"name": (import_map.name if import_map is not None and import_map.name else first.stem),
                            "timezone": import_map.timezone if import_map is not None else "UTC"}
    if import_map is not None and import_map.languages is not None:
        meta["languages"] = import_map.languages
    meta["source"] = first.name if len(read) == 1 else f"{len(read)} files"
    return meta


def _check(messages: pd.DataFrame, existing: Any, labels: pd.DataFrame | None, out: Path, fmt: str,
           replace: bool) -> None:
    """The merged messages against the folder's other tables, before anything is written: an import may not
    orphan the team's labels (``--replace``) or produce an invalid table (a bug, reported as such)."""
    tables: dict[str, pd.DataFrame | None] = {"messages": messages}
    if existing is not None:
        tables.update(campaigns=existing.campaigns, labels=existing.labels if existing.labels is not None else labels)
    else:
        tables["labels"] = labels
    problems = validate_dataset(tables, out, files={t: display_path(out / f"{t}.{fmt}") for t in TABLES})
    orphaned = [p for p in problems if p["table"] == "labels" and p["column"] == "message_id"]
    if orphaned and replace:
        raise ImportInputError(f"--replace would orphan {orphaned[0]['count']} of the team's labels in "
                               f"{display_path(out)}/labels.csv (their messages are not in the new export); "
                               "import without --replace to merge, or move labels.csv aside first")
    if problems:
        raise DatasetError(problems, f"{display_path(out)} (import)")


def _quarantine(results: Sequence[_SourceResult], salt: str | None) -> pd.DataFrame:
    """Quarantined records of every source: source, row (or place in the file), reason, then the original
    columns (map path; author columns pseudonymised) or the original item as JSON (platform readers)."""
    parts = []
    for result in results:
        frame = result.read.records.frame
        mask = np.array([r is not None for r in result.reasons], dtype=bool)
        original = result.read.records.info.get("original")
        if original is not None:
            part = original[mask].copy()
            for col in result.read.records.info.get("author_columns", []):
                if col in part.columns and salt is not None:
                    part[col] = pseudonymise(part[col].astype("string").str.strip(), salt).astype(object)
        else:
            part = pd.DataFrame({"raw": frame["raw"][mask].astype(object).to_numpy()})
        part = part.reset_index(drop=True)
        part.insert(0, "reason", [r for r in result.reasons if r is not None])
        part.insert(0, "row", frame["where"][mask].astype(object).to_numpy())
        part.insert(0, "source", Path(result.read.name).name)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["source", "row", "reason"])
    return pd.concat(parts, ignore_index=True)


def _report(results: Sequence[_SourceResult], out: Path, fmt: str, import_map: Any, preset: str | None,
            replace: bool, keep_author_ids: bool, notes: list[str], before: int, after: int,
            created: list[str]) -> dict[str, Any]:
    """import_report.json: per-source accounting, totals, and the figures earlier versions reported."""
    lines = [r.line() for r in results]
    totals = {k: sum(line[k] for line in lines) for k in ("read", "added", "updated", "unchanged", "skipped",
                                                         "quarantined")}
    for key in ("skipped_reasons", "quarantined_reasons"):
        merged: dict[str, int] = {}
        for line in lines:
            for reason, n in line[key].items():
                merged[reason] = merged.get(reason, 0) + n
        totals[key] = merged
    warnings = list(notes) + [w for line in lines for w in line["warnings"]]
    first = results[0].read.records.info if results else {}
    return {
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "out": display_path(out), "format": fmt, "sources": lines, "totals": totals,
        "preset": preset, "map": None if import_map is None else display_path(import_map.path),
        "replace": replace, "messages_before": before, "messages_after": after, "created": created,
        "source": lines[0]["source"] if len(lines) == 1 else f"{len(lines)} files",
        "rows_read": totals["read"], "rows_kept": totals["added"] + totals["updated"] + totals["unchanged"],
        "rows_skipped": totals["skipped"], "rows_quarantined": totals["quarantined"],
        "reasons": totals["quarantined_reasons"], "warnings": warnings,
        "labels": sum(len(r.labels) for r in results),
        "author_ids": "kept" if keep_author_ids else "pseudonymised",
        "encoding": first.get("encoding"), "delimiter": first.get("delimiter"),
    }


# --- the single-file form and the command line -------------------------------------------------------------

def import_export(source: str | os.PathLike, map_path: str | os.PathLike | None, out_dir: str | os.PathLike,
                  keep_author_ids: bool = False, fmt: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """Import one export file (with a map, or ``map_path=None`` to detect the platform); see
    :func:`import_sources`."""
    return import_sources([source], out_dir, map_path=map_path, keep_author_ids=keep_author_ids, fmt=fmt, **kwargs)


def _counts_text(line: Mapping[str, Any]) -> str:
    def reasons(key: str) -> str:
        items = line[key]
        return f" ({', '.join(f'{k}: {v}' for k, v in items.items())})" if items else ""

    return (f"{line['read']} read, {line['added']} added, {line['updated']} updated, {line['unchanged']} "
            f"unchanged, {line['skipped']} skipped{reasons('skipped_reasons')}, {line['quarantined']} "
            f"quarantined{reasons('quarantined_reasons')}")


def summary_lines(report: Mapping[str, Any]) -> list[str]:
    """The accounting the CLI prints: one line per source, then the total and where it went."""
    lines = [f"{Path(str(s['source'])).name} ({s['preset']}): {_counts_text(s)}" for s in report["sources"]]
    replaced = f", replaced {report['messages_before']}" if report.get("replace") else ""
    lines.append(f"total: {_counts_text(report['totals'])} -> {report['out']} "
                 f"({report['messages_after']} messages{replaced})")
    return lines


def summary_line(report: Mapping[str, Any]) -> str:
    """The total line of :func:`summary_lines`."""
    return summary_lines(report)[-1]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers import",
        description="Turn platform exports (Telegram, Facebook, Instagram, Meta Business Suite, VK, X; detected "
                    "from the content) or any flat file described by a map into a canonical dataset; into a "
                    "folder that holds one, the messages are merged.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="export files or folders (never modified)")
    parser.add_argument("--out", required=True, dest="out_dir", help="the dataset folder (created or merged into)")
    parser.add_argument("--map", dest="map_path", help="map YAML for a flat file (CSV, TSV, Excel, JSON lines, "
                                                       "Parquet): columns, constants, timezone …")
    parser.add_argument("--preset", help="force a platform reader instead of detecting it")
    parser.add_argument("--chat", help="Telegram full-account export: the chat to import (name or id)")
    parser.add_argument("--brand-author", action="append", default=[], dest="brand_authors", metavar="ID|NAME",
                        help="an author whose messages are the brand's (repeatable)")
    parser.add_argument("--brand", help="the brand name for every imported message (default: the page, "
                                        "channel or account name the export gives)")
    parser.add_argument("--timezone", help="IANA timezone of exports whose times carry no offset "
                                           "(e.g. Asia/Baku)")
    parser.add_argument("--replace", action="store_true",
                        help="start the messages afresh instead of merging (labels and the rest are kept)")
    parser.add_argument("--keep-author-ids", action="store_true",
                        help="keep raw author ids instead of salted pseudonyms")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="table file format (default: the folder's current one, else csv)")
    return parser


def import_cli(argv: Sequence[str]) -> int:
    """``python -m helpers import SOURCE... --out DIR [--map MAP.yml | --preset NAME] [...]``.

    Prints one accounting line per source and a total (exit 0; warnings go to stderr). Unusable input exits 2
    with one message on stderr naming the file and the field; a failure while writing exits 1.
    """
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return int(exc.code or 0)
    options = ReaderOptions(brand_authors=tuple(args.brand_authors), chat=args.chat, timezone=args.timezone)
    try:
        report = import_sources(args.sources, args.out_dir, map_path=args.map_path, preset=args.preset,
                                options=options, replace=args.replace, keep_author_ids=args.keep_author_ids,
                                fmt=args.format, brand=args.brand)
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
    for line in summary_lines(report):
        print(line)
    return 0
