"""The import map file: which export column is which canonical column, plus constants and reading options.

See DESIGN.md "Importing a real export". :func:`read_import_map` checks everything up front and raises
:class:`ImportInputError` naming the map file and the key.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers.io.paths import display_path, resolve_path
from helpers.io.schema import AUTHOR_ROLES, TABLES, check_timezone, one_line

__all__ = ["ImportInputError", "ImportMap", "read_import_map"]


class ImportInputError(ValueError):
    """Unusable import input (missing/unreadable/empty file, missing column, bad map). One line, naming the
    file and, where it applies, the column. The CLI exits 2 with this message."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


_MAP_KEYS = {"columns", "constants", "timestamp_format", "timezone", "extra_columns", "label_column",
             "brand_authors", "name", "languages", "sheet", "encoding", "delimiter"}
_REQUIRED_COLUMNS = ("message_id", "created_at", "text")
_NO_CONSTANT = {"message_id", "created_at", "text", "parent_id"}


@dataclass
class ImportMap:
    """A parsed, checked map file (see DESIGN.md "Importing a real export")."""

    path: Path
    columns: dict[str, list[str]]   #: canonical name -> export column(s); several = the first non-empty one
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
    raw = _load_map_yaml(map_path, where)
    columns = _checked_columns(raw, where)
    constants = _checked_constants(raw, columns, where)
    options = _checked_options(raw, where)
    return ImportMap(
        path=map_path, columns=columns, constants=constants,
        timestamp_format=options["timestamp_format"], timezone=options["timezone"] or "UTC",
        timezone_declared=options["timezone"] is not None,
        extra_columns=_str_list(raw.get("extra_columns"), "extra_columns", where),
        label_column=options["label_column"],
        brand_authors=_str_list(raw.get("brand_authors"), "brand_authors", where),
        name=options["name"],
        languages=None if options["languages"] is None else _str_list(options["languages"], "languages", where),
        sheet=options["sheet"], encoding=options["encoding"], delimiter=options["delimiter"],
    )


def _load_map_yaml(map_path: Path, where: str) -> dict[Any, Any]:
    """The map file parsed as a YAML mapping whose keys are all known."""
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
    return raw


def _checked_columns(raw: dict[Any, Any], where: str) -> dict[str, list[str]]:
    """``columns``: canonical messages column -> export column, or a list of them (the first non-empty one
    counts, e.g. ``parent_id: [parent_id, status_id]``); the required ones present."""
    canonical = {**TABLES["messages"], "media": "string"}   # media: the attachment kind (optional)
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise ImportInputError(f"{where}: 'columns' must map canonical names to export columns")
    out: dict[str, list[str]] = {}
    for key, value in columns.items():
        if key not in canonical:
            raise ImportInputError(f"{where}: columns.{key} is not a messages column "
                                   f"(allowed: {', '.join(canonical)})")
        names = value if isinstance(value, list) else [value]
        if not names or any(not isinstance(v, (str, int)) or isinstance(v, bool) or str(v) == "" for v in names):
            raise ImportInputError(f"{where}: columns.{key} must name a column of the export (or a list of "
                                   "columns: the first non-empty one counts)")
        out[str(key)] = [str(v) for v in names]
    missing = [c for c in _REQUIRED_COLUMNS if c not in out]
    if missing:
        raise ImportInputError(f"{where}: columns.{missing[0]} is required (map it to a column of the export)")
    return out


def _checked_constants(raw: dict[Any, Any], columns: dict[str, list[str]], where: str) -> dict[str, str]:
    """``constants``: canonical messages column -> one value for every row; an author source present."""
    canonical = TABLES["messages"]
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
    if role is not None and role not in AUTHOR_ROLES:
        raise ImportInputError(f"{where}: constants.author_role must be one of {', '.join(AUTHOR_ROLES)}")
    if "author_id" not in columns and "author_id" not in constants:
        raise ImportInputError(f"{where}: columns.author_id is required (the column holding the author handle)")
    return constants


def _checked_options(raw: dict[Any, Any], where: str) -> dict[str, Any]:
    """The reading options (timestamp_format, timezone, label_column, name, languages, sheet, encoding,
    delimiter), checked; absent ones are None. ``languages`` is returned raw (checked by the caller)."""
    fmt = raw.get("timestamp_format")
    if fmt is not None and (not isinstance(fmt, str) or "%" not in fmt):
        raise ImportInputError(f"{where}: timestamp_format must be a strptime format such as '%d-%m-%Y %H.%M'")
    tz = raw.get("timezone")
    if tz is not None:
        problem = check_timezone(tz)
        if problem:
            raise ImportInputError(f"{where}: {problem}")
    label = raw.get("label_column")
    if label is not None and (not isinstance(label, (str, int)) or isinstance(label, bool)):
        raise ImportInputError(f"{where}: label_column must name a column of the export")
    name = raw.get("name")
    if name is not None and not isinstance(name, (str, int)):
        raise ImportInputError(f"{where}: name must be text")
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
    return {"timestamp_format": fmt, "timezone": tz, "label_column": None if label is None else str(label),
            "name": None if name is None else str(name), "languages": raw.get("languages"), "sheet": sheet,
            "encoding": None if encoding is None else str(encoding), "delimiter": delimiter}
