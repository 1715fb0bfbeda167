"""Reading, writing, cutting and importing canonical datasets (see DESIGN.md, "Canonical dataset").

The bottom layer of the helpers: it imports no other helpers room.

* :mod:`~helpers.io.paths` — :func:`workbook_root`, :func:`resolve_path`, :func:`display_path`.
* :mod:`~helpers.io.files` — :func:`atomic_write`, :func:`atomic_write_text`, formula-injection-safe CSVs
  (:func:`spreadsheet_safe`, :func:`write_spreadsheet_csv`) and :func:`to_jsonable`.
* :mod:`~helpers.io.schema` — the canonical tables, validation and :class:`DatasetError`.
* :mod:`~helpers.io.dataset` — :class:`Dataset`, :func:`load_dataset`, :func:`write_dataset`,
  :func:`empty_table`, :func:`filter_period`.
* :mod:`~helpers.io.cache` — :class:`AnnotationCache`: ``DATA_DIR/.cache/annotations/``, annotations kept
  once per message and annotator (a machine folder, always safe to delete).
* :mod:`~helpers.io.pseudonyms` — :func:`pseudonymise` and the per-dataset salt.
* :mod:`~helpers.io.importer` — ``python -m helpers import SOURCE --map MAP.yml --out DIR`` turns one raw
  export into a canonical dataset; every input row is either kept or quarantined with a reason.
"""
from __future__ import annotations

from helpers.io import schema
from helpers.io.cache import CACHE_DIR, AnnotationCache, CacheCounts, file_fingerprint, row_hashes
from helpers.io.dataset import FORMATS, Dataset, empty_table, filter_period, load_dataset, write_dataset
from helpers.io.files import atomic_write, atomic_write_text, spreadsheet_safe, to_jsonable, write_spreadsheet_csv
from helpers.io.importer import (UNPARSED, ImportInputError, ImportMap, RawExport, import_cli, import_export,
                                 import_sources, normalise_sentiment, parse_timestamps, read_export, read_import_map,
                                 summary_line)
from helpers.io.paths import display_path, resolve_path, workbook_root
from helpers.io.pseudonyms import SALT_FILE, pseudonymise, salt_for
from helpers.io.schema import DatasetError, coerce_table, validate_dataset

__all__ = [
    "schema", "Dataset", "DatasetError", "ImportInputError", "empty_table", "workbook_root", "resolve_path",
    "display_path", "load_dataset", "write_dataset", "filter_period", "spreadsheet_safe", "write_spreadsheet_csv",
    "pseudonymise", "salt_for", "parse_timestamps", "normalise_sentiment", "import_export", "import_cli",
    "summary_line", "import_sources", "atomic_write", "atomic_write_text", "to_jsonable", "coerce_table", "validate_dataset",
    "FORMATS", "SALT_FILE", "CACHE_DIR", "AnnotationCache", "CacheCounts", "file_fingerprint", "row_hashes", "ImportMap", "read_import_map", "UNPARSED", "RawExport", "read_export",
]
