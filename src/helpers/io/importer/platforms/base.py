"""What every platform reader returns, and the pieces readers share.

A platform reader turns one export file of a known platform (Telegram Desktop JSON, Facebook Graph JSON …)
into :class:`PlatformRecords`: one row per message in canonical field names (:data:`RECORD_COLUMNS`), plus
the items it skipped (service messages …) counted by reason. The import job does everything that is the same
for every platform: id normalisation, parents across files and against the dataset already in the folder,
thread roots, pseudonyms, quarantine, merge, the atomic write.

A reader is a :class:`Reader`: a preset name, a label for messages, ``sniff`` (is this file mine? — cheap,
from content, never raising) and ``read``. Readers raise :class:`~helpers.io.importer.mapfile.ImportInputError`
naming the file and the field for files they cannot use.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.io.importer.mapfile import ImportInputError

__all__ = ["RECORD_COLUMNS", "ReaderOptions", "SourceFile", "PlatformRecords", "Reader", "records_frame",
           "normalise_id", "epoch_utc", "iso_utc", "whole_count", "json_text", "not_mine", "json_documents"]

#: the columns of :attr:`PlatformRecords.frame`, in canonical names
#:
#: - message_id, parent_id, thread_id: platform ids as text, normalised by :func:`normalise_id`; parent_id
#:   may name a message outside this file (the job resolves it across files and the existing dataset);
#:   thread_id None = the job derives it from the parent chain
#: - channel: ``telegram``, ``facebook``, ``instagram``, ``vk``, ``x``; brand: the account / page / chat the
#:   conversation belongs to (its title or handle)
#: - author_id: the raw platform author id or handle (the job pseudonymises it); author_role: ``brand`` or
#:   ``member`` (``moderator`` where a platform says so)
#: - created_at: tz-aware UTC ``pd.Timestamp`` (NaT when missing or unparseable: the job quarantines it)
#: - text: the message text ("" for media without a caption); media: None, or the kind of attachment
#:   (``photo``, ``video``, ``sticker``, ``voice``, ``audio``, ``animation``, ``file``, ``poll``, ``link`` …)
#: - reactions, shares, reach: whole numbers ≥ 0, or None where the export does not say
#: - language: ISO 639-1 when the platform gives it, else None
#: - where: where the item sits in the file, for messages (``messages[12]``, ``data[3].comments.data[1]``)
#: - reason: None for a usable record, else why it must be quarantined (``no id``, ``no date`` …)
#: - raw: the original item as JSON text (written to quarantine.csv for quarantined records)
RECORD_COLUMNS: tuple[str, ...] = (
    "message_id", "parent_id", "thread_id", "channel", "brand", "author_id", "author_role", "created_at",
    "text", "media", "reactions", "shares", "reach", "language", "where", "reason", "raw",
)


@dataclass(frozen=True)
class ReaderOptions:
    """What the user said on the command line that readers need.

    ``brand_authors``: author ids or names (``--brand-author``, repeatable) whose messages are the brand's;
    ``chat``: which chat of a full Telegram account export (``--chat NAME|ID``); ``timezone``: IANA name for
    exports whose times carry no offset (``--timezone``; None = not given: readers warn and read UTC).
    """

    brand_authors: tuple[str, ...] = ()
    chat: str | None = None
    timezone: str | None = None


_YTD_PREFIX = re.compile(r"^\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")


@dataclass
class SourceFile:
    """One export file, read once; its text and JSON parsed on first use (shared by every reader's sniff)."""

    path: Path
    name: str          #: how messages name the file (relative to the current folder)
    data: bytes

    @cached_property
    def text(self) -> str | None:
        """The file as text (UTF-8, a BOM dropped), or None when it is not UTF-8."""
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None

    @cached_property
    def json(self) -> Any:
        """The whole file as one JSON value (an X archive's ``window.YTD… =`` prefix dropped), or None."""
        text = self.text
        if text is None:
            return None
        stripped = _YTD_PREFIX.sub("", text, count=1).strip()
        if not stripped or stripped[0] not in "[{":
            return None
        try:
            return json.loads(stripped)
        except ValueError:
            return None

    @cached_property
    def json_lines(self) -> list[Any] | None:
        """Every non-blank line parsed as JSON (JSON lines), or None when the file is not JSON lines (or is
        a single JSON document)."""
        text = self.text
        if text is None or self.json is not None:
            return None
        out = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                return None
        return out or None

    @cached_property
    def head(self) -> str:
        """The first 4,000 characters of the text (for cheap sniffing of CSV headers and prefixes)."""
        return (self.text or "")[:4000]


@dataclass
class PlatformRecords:
    """What a reader found in one file: the records (columns :data:`RECORD_COLUMNS`, plus ``x_*`` columns
    a reader keeps beside them), skipped items by reason, warnings, and the preset that read it.

    ``fills_only``: the records only complete messages another source brings (e.g. Meta Business Suite's reach
    for posts whose comments come from the Graph API); alone, they are imported as they are.
    """

    frame: pd.DataFrame
    preset: str
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    fills_only: bool = False
    info: dict[str, Any] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` items skipped for ``reason`` (service messages, deleted comments …)."""
        self.skipped[reason] = self.skipped.get(reason, 0) + n


@dataclass(frozen=True)
class Reader:
    """A platform reader: ``--preset`` name, a label naming the format, and its two functions."""

    name: str
    label: str
    sniff: Callable[[SourceFile], bool]
    read: Callable[[SourceFile, ReaderOptions], PlatformRecords]


def records_frame(rows: Iterable[Mapping[str, Any]], extra_columns: Sequence[str] = ()) -> pd.DataFrame:
    """Reader rows (dicts keyed by :data:`RECORD_COLUMNS`, missing keys = None) as the records frame, with the
    canonical dtypes: ids and text as ``string``, created_at as UTC timestamps, counts as ``Int64``."""
    columns = list(RECORD_COLUMNS) + [c for c in extra_columns if c not in RECORD_COLUMNS]
    rows = list(rows)
    data: dict[str, Any] = {}
    for col in columns:
        values = [row.get(col) for row in rows]
        if col == "created_at":
            stamps = pd.to_datetime(pd.Series(values, dtype=object), utc=True, errors="coerce")
            data[col] = stamps.astype("datetime64[ns, UTC]")
        elif col in ("reactions", "shares", "reach"):
            data[col] = pd.array([_count_or_none(v) for v in values], dtype="Int64")
        else:
            data[col] = _text_array(values)
    frame = pd.DataFrame(data, columns=columns)
    return frame


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_COUNT = 2**62


def _count_or_none(value: Any) -> int | None:
    """A count cell: None for missing, negative or absurd values (beyond what Int64 holds)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    number = int(value)
    return number if 0 <= number < _MAX_COUNT else None


def _text_or_none(value: Any) -> str | None:
    """A text cell: None for missing; lone surrogates (a JSON ``\\ud800`` escape) replaced by U+FFFD, since
    no file format can store them."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _LONE_SURROGATE.sub("\ufffd", str(value))


def _text_array(values: list[Any]) -> Any:
    """A text column: the fast path when every value is text or missing, else cell by cell."""
    if all(v is None or type(v) is str for v in values):
        try:
            return pd.array(values, dtype="string")
        except UnicodeEncodeError:   # a lone surrogate somewhere
            pass
    return pd.array([_text_or_none(v) for v in values], dtype="string")


_WHOLE_FLOAT = re.compile(r"^([+-]?\d+)\.0*$")


def normalise_id(value: Any) -> str | None:
    """An id as canonical text: stripped; ``3.0`` → ``3`` (an id that went through a float); None/"" → None.

    The import applies it to message, parent and thread ids alike, so links survive exports that wrote
    some ids as floats. Scientific notation (``1.22158E+17``: digits already lost) is left as it is."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value).strip()
    if not text:
        return None
    whole = _WHOLE_FLOAT.match(text)
    return whole.group(1) if whole else text


def epoch_utc(value: Any) -> pd.Timestamp | None:
    """Unix epoch seconds (int, or digits as text) as a UTC timestamp; None when not an epoch."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not 0 <= seconds < 9_000_000_000:
        return None
    return pd.Timestamp(seconds, unit="s", tz="UTC")


def iso_utc(value: Any, timezone: str | None = None) -> pd.Timestamp | None:
    """An ISO-8601 time (``2024-03-12T06:00:00+0000``, ``…000Z``, ``2024-03-12T10:00:00``) as UTC; one without
    an offset is read in ``timezone`` (UTC when None). None when unparseable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        ts = pd.Timestamp(value.strip())
    except (ValueError, TypeError, OverflowError):
        return None
    if ts is pd.NaT:
        return None
    if ts.tzinfo is None:
        try:
            ts = ts.tz_localize(timezone or "UTC", ambiguous=True, nonexistent="shift_forward")
        except Exception:  # pytz/zoneinfo raise several kinds for odd local times
            return None
    return ts.tz_convert("UTC")


def whole_count(value: Any) -> int | None:
    """A count as a whole number ≥ 0: ints, digit strings (``"1234"``, ``"1,234"``), None when absent or
    not a count."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value == value and value.is_integer() and value >= 0 else None
    text = re.sub(r"[\s\u00a0\u202f,']", "", str(value))
    return int(text) if text.isascii() and text.isdigit() else None   # "²".isdigit() is True


def json_text(item: Any) -> str:
    """An export item as compact JSON text (for quarantine.csv)."""
    try:
        return json.dumps(item, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(item)


def not_mine(source: SourceFile, reader: str, expected: str) -> ImportInputError:
    """The error for a file forced through ``--preset`` that is not of that format."""
    return ImportInputError(f"{source.name}: not a {reader} export ({expected}); drop --preset to detect the "
                            "format, or check the file")


def json_documents(source: SourceFile, text: str, separators: str = " \t\r\n") -> list[Any]:
    """Every JSON document in ``text``, one after another (``{…}{…}``, one per line, or a single one), as API
    pages saved into one file are. Raises :class:`ImportInputError` naming the file, the document and the
    line where one does not parse (a truncated download)."""
    decoder = json.JSONDecoder()
    docs: list[Any] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in separators:
            pos += 1
        if pos >= len(text):
            return docs
        try:
            doc, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            raise ImportInputError(f"{source.name}: not valid JSON (truncated download?) in document "
                                   f"{len(docs) + 1} at line {text.count(chr(10), 0, pos) + 1}: {exc.msg}") from None
        docs.append(doc)
