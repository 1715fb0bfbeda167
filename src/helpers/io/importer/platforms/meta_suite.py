"""Meta Business Suite / Meta Insights "Content" post export CSV (``meta_business_suite``), Facebook and
Instagram variants.

One row per brand post with lifetime totals (reach, reactions/likes, shares); no comment texts, so the records
are ``fills_only``: beside another source's messages they fill those posts' reach, alone they are the brand's
posts.

- ids: Facebook ``Post ID`` is the bare post id; the record id is ``<Page ID>_<Post ID>``, the form the Graph
  API gives the same post (an id already holding ``_`` is kept). Instagram ``Post ID`` is the IG media id, as
  the Instagram Graph reader names the post. A ``Post ID`` a spreadsheet turned into ``1.22158E+17`` has lost
  its digits: the text is kept as it is (no page prefix) and a warning says so.
- author: ``Page ID`` / ``Account ID``, role brand; ``brand`` = ``Page name`` (FB) or ``Account username`` (IG,
  the handle the Instagram readers use).
- ``Publish time`` ``MM/DD/YYYY HH:MM[:SS]`` is read in ``--timezone`` (UTC with a warning when not given).
- caption: the longer of ``Title`` and ``Description``; counts with thousands separators; blank = None.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import (
    PlatformRecords, Reader, ReaderOptions, SourceFile, json_text, normalise_id, not_mine, records_frame,
    whole_count,
)

__all__ = ["READER", "sniff", "read"]

_NAME = "meta_business_suite"
_SCI_ID = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DIGITS = re.compile(r"^\d+$")
_TIME_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")
_POST_TYPES = {"photos": "photo", "photo": "photo", "videos": "video", "video": "video", "reels": "video",
               "reel": "video", "links": "link", "link": "link", "ig image": "photo", "ig carousel": "photo",
               "ig reel": "video", "ig video": "video", "ig story": "photo", "albums": "photo", "text": None,
               "status": None}
_EXTRA = ("x_post_type", "x_views", "x_comments", "x_permalink")


def _header(source: SourceFile) -> list[str] | None:
    """The CSV header's column names (first record of the text), or None."""
    head = source.head
    if not head:
        return None
    try:
        return [c.strip() for c in next(csv.reader(io.StringIO(head, newline="")))]
    except (csv.Error, StopIteration):
        return None


def sniff(source: SourceFile) -> bool:
    """True for a Business Suite post export: header with ``Post ID`` and ``Publish time`` and ``Page ID``
    or ``Account ID``."""
    try:
        header = _header(source)
        return bool(header) and {"Post ID", "Publish time"} <= set(header) and \
            bool({"Page ID", "Account ID"} & set(header))
    except Exception:  # a sniffer never raises
        return False


def _rows(source: SourceFile) -> tuple[list[str], list[list[str]]]:
    """``(header, data rows)`` of the CSV (quoted fields may hold \\r or \\n); not_mine without the header."""
    text = source.text
    if text is None:
        raise ImportInputError(f"{source.name}: not UTF-8 (Business Suite's page-level exports are UTF-16; "
                               "export the post-level Content CSV)")
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportInputError(f"{source.name}: not a readable CSV: {exc}") from None
    if not table or not sniff(source):
        raise not_mine(source, _NAME, "CSV with Post ID, Publish time and Page ID / Account ID columns")
    return [c.strip() for c in table[0]], [r for r in table[1:] if any(cell.strip() for cell in r)]


def _publish_time(value: str, timezone: str | None) -> pd.Timestamp | None:
    """``MM/DD/YYYY HH:MM[:SS]`` in ``timezone`` (UTC when None) as UTC; None when unparseable."""
    for fmt in _TIME_FORMATS:
        try:
            ts = pd.to_datetime(value.strip(), format=fmt)
        except (ValueError, TypeError):
            continue
        try:
            return ts.tz_localize(timezone or "UTC", ambiguous=True, nonexistent="shift_forward").tz_convert("UTC")
        except Exception:  # unknown zone names are checked before reading
            return None
    return None


def _post_id(row: Mapping[str, str], instagram: bool) -> tuple[str | None, bool]:
    """``(record id, digits lost)``: FB ``<Page ID>_<Post ID>``, IG the media id; a spreadsheet float id kept
    as text."""
    post = normalise_id(row.get("Post ID"))
    if post is None:
        return None, False
    if _SCI_ID.match(post):
        return post, True
    owner = normalise_id(row.get("Page ID"))
    if instagram or "_" in post or owner is None or not _DIGITS.match(owner) or not _DIGITS.match(post):
        return post, False
    return f"{owner}_{post}", False


def _caption(row: Mapping[str, str]) -> str:
    """The caption: the longer of ``Title`` and ``Description`` ("" when both are empty)."""
    return max((row.get("Title") or "", row.get("Description") or ""), key=len)


def _record(row: Mapping[str, str], where: str, instagram: bool, timezone: str | None) -> tuple[dict, bool]:
    """One CSV row as a record, and whether its Post ID lost digits."""
    message_id, lost = _post_id(row, instagram)
    published = (row.get("Publish time") or "").strip()
    created = _publish_time(published, timezone) if published else None
    post_type = (row.get("Post type") or "").strip()
    reason = "no id" if message_id is None else "no date" if not published else \
        "bad date" if created is None else None
    record = {
        "message_id": message_id, "thread_id": message_id, "channel": "instagram" if instagram else "facebook",
        "brand": (row.get("Account username") or row.get("Account name")) if instagram else row.get("Page name"),
        "author_id": normalise_id(row.get("Account ID" if instagram else "Page ID")), "author_role": "brand",
        "created_at": created, "text": _caption(row), "media": _POST_TYPES.get(post_type.lower(), post_type or None),
        "reactions": whole_count(row.get("Likes" if instagram else "Reactions")),
        "shares": whole_count(row.get("Shares")), "reach": whole_count(row.get("Reach")), "where": where,
        "reason": reason, "raw": json_text(dict(row)) if reason else None, "x_post_type": post_type or None,
        "x_views": whole_count(row.get("Views")), "x_comments": whole_count(row.get("Comments")),
        "x_permalink": row.get("Permalink") or None,
    }
    return record, lost


def _check_timezone(source: SourceFile, timezone: str | None) -> None:
    """Raise ImportInputError for a --timezone that is not an IANA zone name."""
    if timezone is None:
        return
    try:
        pd.Timestamp("2024-01-01").tz_localize(timezone)
    except Exception:
        raise ImportInputError(f"{source.name}: --timezone {timezone!r} is not a time zone name "
                               "(e.g. Asia/Baku)") from None


def _named(header: list[str], cells: list[str]) -> dict[str, Any]:
    """A data row as ``{column: cell}`` (missing cells None, surplus cells dropped)."""
    return {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header) if name}


def read(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """Read a Business Suite post export: one brand record per post, ``fills_only``."""
    header, table = _rows(source)
    _check_timezone(source, options.timezone)
    instagram = "Account ID" in header and "Page ID" not in header
    rows, lost = [], 0
    for i, cells in enumerate(table):
        record, digits_lost = _record(_named(header, cells), f"row {i + 2}", instagram, options.timezone)
        rows.append(record)
        lost += digits_lost
    frame = records_frame(rows, _EXTRA)
    for column in ("x_views", "x_comments"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    records = PlatformRecords(frame=frame, preset=_NAME, fills_only=True)
    records.info["variant"] = "instagram" if instagram else "facebook"
    if lost:
        records.warnings.append(f"{source.name}: {lost} Post IDs look like 1.22158E+17 (a spreadsheet saved them "
                                "as numbers and lost digits): they cannot be matched exactly; export the CSV "
                                "again and do not re-save it in a spreadsheet")
    if options.timezone is None and rows:
        records.warnings.append(f"{source.name}: Publish time has no time zone; read as UTC — pass --timezone "
                                "(e.g. --timezone Asia/Baku) with the zone Business Suite is set to")
    return records


READER = Reader(name=_NAME, label="Meta Business Suite post export CSV (Facebook / Instagram)", sniff=sniff,
                read=read)
