"""Which files an import reads, and each file read as records (a platform reader, or the map path).

:func:`expand_sources` turns the command line's files and folders into the export files to read;
:func:`read_source` reads one of them with ``--preset``, the reader that recognises its content, or the map.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.io.importer.mapfile import ImportInputError, ImportMap
from helpers.io.importer.mapped import mapped_records
from helpers.io.importer.platforms import ReaderOptions, SourceFile, detect, known_formats, reader_named
from helpers.io.importer.platforms.base import PlatformRecords
from helpers.io.importer.readers import read_export
from helpers.io.paths import display_path, resolve_path

__all__ = ["EXPORT_SUFFIXES", "ReadSource", "expand_sources", "read_source"]

#: file name endings read from a folder (anything else there — media, notes — is left alone and counted)
EXPORT_SUFFIXES = (".json", ".js", ".jsonl", ".ndjson", ".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm",
                   ".parquet", ".gz")


@dataclass
class ReadSource:
    """One source file of an import, read: its records and what identifies the file."""

    path: Path
    name: str
    sha256: str
    size: int
    records: PlatformRecords


def expand_sources(sources: Sequence[str | os.PathLike], out: Path,
                   notes: list[str]) -> list[Path]:
    """The export files to read: files as given, folders searched (recursively, in name order) for files
    ending in :data:`EXPORT_SUFFIXES`; hidden files and the output folder's own files are left out. A path that
    does not exist, or a folder without export files, raises :class:`ImportInputError`."""
    files: list[Path] = []
    for given in sources:
        path = resolve_path(given)
        if not path.exists():
            raise ImportInputError(f"{display_path(path)}: file not found")
        if path.is_file():
            files.append(path)
            continue
        found, others = _folder_files(path, out)
        if not found:
            raise ImportInputError(f"{display_path(path)}: the folder holds no export files (looked for "
                                   f"{', '.join(EXPORT_SUFFIXES)})")
        if others:
            notes.append(f"{display_path(path)}: {others} other file(s) (media, notes …) left alone")
        files.extend(found)
    unique: list[Path] = []
    for f in files:
        if f.resolve() not in {u.resolve() for u in unique}:
            unique.append(f)
    return unique


def _folder_files(folder: Path, out: Path) -> tuple[list[Path], int]:
    """Export files under ``folder`` (not hidden, not inside ``out``) and how many other files it holds."""
    found: list[Path] = []
    others = 0
    out_resolved = out.resolve()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if out_resolved == path.resolve().parent or out_resolved in path.resolve().parents:
            continue
        if path.name.lower().endswith(EXPORT_SUFFIXES):
            found.append(path)
        else:
            others += 1
    return found, others


def read_source(path: Path, import_map: ImportMap | None, preset: str | None,
                options: ReaderOptions) -> ReadSource:
    """Read one export file as records: with the map when given, else with ``--preset`` or the reader that
    recognises the content. The file is only read. Raises :class:`ImportInputError` for files that cannot be
    used, naming the file (an unrecognised one also names the formats known and the map way in)."""
    name = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportInputError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    if not data:
        raise ImportInputError(f"{name}: file is empty (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    if import_map is not None:
        records = mapped_records(read_export(path, import_map), import_map, name)
    else:
        source = SourceFile(path=path, name=name, data=data)
        reader = reader_named(preset) if preset else detect(source)
        if reader is None:
            raise ImportInputError(
                f"{name}: not an export format the workbook recognises. Read without a map: {known_formats()}. "
                "For any other file (CSV, TSV, Excel, JSON lines, Parquet) describe its columns in a map and "
                "pass --map MAP.yml (README: 'Import your own export')")
        records = reader.read(source, options)
    return ReadSource(path=path, name=name, sha256=digest, size=len(data), records=records)
