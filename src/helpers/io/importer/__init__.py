"""Importing raw exports into a canonical dataset (``python -m helpers import``).

* :mod:`~helpers.io.importer.platforms` — one reader per platform export (Telegram, Facebook, …), detected from
  the content; :mod:`~helpers.io.importer.platforms.base` is what they share.
* :mod:`~helpers.io.importer.mapfile` — the map YAML for flat files (:class:`ImportMap`, :func:`read_import_map`).
* :mod:`~helpers.io.importer.readers` — a flat export read as text cells (:func:`read_export`).
* :mod:`~helpers.io.importer.mapped` — a flat export with its map, as records.
* :mod:`~helpers.io.importer.values` — cells to canonical values (timestamps, counts, labels, threads).
* :mod:`~helpers.io.importer.sources` — which files an import reads, each read as records.
* :mod:`~helpers.io.importer.merge` — records merged into the dataset's messages; links resolved.
* :mod:`~helpers.io.importer.install` — the lock, the verified atomic install, ``imports.jsonl``.
* :mod:`~helpers.io.importer.job` — the whole job (:func:`import_sources`) and its CLI (:func:`import_cli`).
"""
from __future__ import annotations

from helpers.io.importer.job import import_cli, import_export, import_sources, summary_line, summary_lines
from helpers.io.importer.mapfile import ImportInputError, ImportMap, read_import_map
from helpers.io.importer.platforms import READERS, ReaderOptions
from helpers.io.importer.readers import UNPARSED, RawExport, read_export
from helpers.io.importer.values import handle_key, normalise_sentiment, parse_counts, parse_timestamps, thread_roots

__all__ = [
    "ImportInputError", "ImportMap", "read_import_map", "UNPARSED", "RawExport", "read_export",
    "parse_timestamps", "parse_counts", "normalise_sentiment", "handle_key", "thread_roots",
    "import_sources", "import_export", "summary_line", "summary_lines", "import_cli", "READERS", "ReaderOptions",
]
