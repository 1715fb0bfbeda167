"""Platform readers, one module per platform, registered in :data:`READERS` (detection order).

:func:`detect` picks the reader whose ``sniff`` recognises a file; :func:`reader_named` is ``--preset``.
Every reader returns :class:`~helpers.io.importer.platforms.base.PlatformRecords` (see :mod:`.base`).
"""
from __future__ import annotations

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms import facebook, instagram, meta_suite, telegram, vk, x
from helpers.io.importer.platforms.base import (RECORD_COLUMNS, PlatformRecords, Reader, ReaderOptions,
                                                SourceFile)

__all__ = ["READERS", "RECORD_COLUMNS", "PlatformRecords", "Reader", "ReaderOptions", "SourceFile", "detect",
           "reader_named", "known_formats"]

#: every platform reader, in the order files are tried
READERS: tuple[Reader, ...] = (
    telegram.READER, *facebook.READERS, *instagram.READERS, meta_suite.READER, vk.READER, *x.READERS,
)


def detect(source: SourceFile) -> Reader | None:
    """The reader that recognises ``source`` from its content, or None."""
    for reader in READERS:
        try:
            if reader.sniff(source):
                return reader
        except Exception:  # a sniffer must never break detection; treat it as "not mine"
            continue
    return None


def reader_named(name: str) -> Reader:
    """The reader of ``--preset NAME``; an unknown name raises :class:`ImportInputError` listing the presets."""
    for reader in READERS:
        if reader.name == name:
            return reader
    raise ImportInputError(f"--preset {name!r} is not a known format; presets: "
                           f"{', '.join(r.name for r in READERS)} (or give --map MAP.yml for any other file)")


def known_formats() -> str:
    """The formats read without a map, for messages (``telegram (Telegram Desktop export), …``)."""
    return "; ".join(f"{r.name} ({r.label})" for r in READERS)
