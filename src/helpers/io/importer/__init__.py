"""Importing one raw export into a canonical dataset (``python -m helpers import``).

* :mod:`~helpers.io.importer.mapfile` — the map YAML (:class:`ImportMap`, :func:`read_import_map`).
* :mod:`~helpers.io.importer.readers` — any supported export read as text cells (:func:`read_export`).
* :mod:`~helpers.io.importer.values` — cells to canonical values (timestamps, counts, labels, threads).
* :mod:`~helpers.io.importer.job` — the whole job (:func:`import_export`) and its CLI (:func:`import_cli`).
"""
from __future__ import annotations

from helpers.io.importer.job import import_cli, import_export, summary_line
from helpers.io.importer.mapfile import ImportInputError, ImportMap, read_import_map
from helpers.io.importer.readers import UNPARSED, RawExport, read_export
from helpers.io.importer.values import handle_key, normalise_sentiment, parse_counts, parse_timestamps, thread_roots

__all__ = [
    "ImportInputError", "ImportMap", "read_import_map", "UNPARSED", "RawExport", "read_export",
    "parse_timestamps", "parse_counts", "normalise_sentiment", "handle_key", "thread_roots",
    "import_export", "summary_line", "import_cli",
]
