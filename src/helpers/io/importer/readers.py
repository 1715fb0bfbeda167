"""Reading any supported raw export (CSV/TSV, Excel, JSON lines, Parquet) as text cells, never losing data."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io.importer.mapfile import ImportInputError, ImportMap
from helpers.io.paths import display_path
from helpers.io.schema import one_line

__all__ = ["UNPARSED", "RawExport", "read_export"]


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
        raise ImportInputError(f"{name}: cannot read as Parquet: {one_line(str(exc))}") from None
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
