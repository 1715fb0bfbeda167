"""Instagram readers: Graph API comments JSON (``instagram_graph``) and "Download your information"
post comments JSON (``instagram_dyi``).

Graph API (``/{ig-media-id}/comments`` with nested ``replies.data``; also ``/{ig-user}/media`` with nested
``comments.data``): one response page, several pages (JSON list or concatenated documents) as for Facebook.

- ids: Instagram comment and media ids are global, kept as text (no namespacing). A top-level comment's
  parent is ``media.id`` (the media id the Business Suite CSV calls ``Post ID``), or the enclosing media node;
  a reply's parent is ``parent_id`` or the enclosing comment.
- author_id = ``from.id`` (``username`` when ``from`` is missing); brand = the own account: the media owner's
  ``username`` where the file has media nodes, or ``--brand-author`` (username or id). ``brand`` = that
  username. Without either, every comment is a member's and a warning says how to name the account.

DYI (``post_comments_1.json``: a top-level list of ``string_map_data`` objects, localized keys; or
``{"comments_reels_comments": [...]}``): the exporting account's own comments, latin-1 mojibake repaired.
No ids exist: message_id = ``igdyi_`` + 16 hex digits of SHA-1 over ``<epoch seconds>\\n<text>`` (repeats in
the file get ``-2`` …), stable across re-exports. author_id = the first ``--brand-author`` (None when not
given: the file names no author); role always brand (the file names no author to compare); ``brand`` =
``Media Owner`` (whose post it was). The newer ``label_values`` layout is not read.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import (
    PlatformRecords, Reader, ReaderOptions, SourceFile, epoch_utc, iso_utc, json_text, not_mine,
    records_frame, whole_count,
)
from helpers.io.importer.platforms.facebook import (
    brand_keys, content_hash_id, field_id, field_list, field_object, field_text, graph_pages, repair_mojibake,
)

__all__ = ["READERS", "GRAPH_READER", "DYI_READER"]

_GRAPH = "instagram_graph"
_DYI = "instagram_dyi"
_IG_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:\+0000|Z)$")
_MEDIA_TYPES = {"IMAGE": "photo", "CAROUSEL_ALBUM": "photo", "VIDEO": "video", "REELS": "video"}
_GRAPH_EXTRA = ("x_kind", "x_hidden", "x_media_product_type")
_COMMENT_NAMES = {"comment", "kommentar", "commentaire", "comentario", "commento", "reactie", "комментарий",
                  "şərh", "komentarz", "yorum"}
_OWNER_NAMES = {"media owner", "владелец медиафайла", "propriétaire du média", "medieninhaber",
                "eigenaar van media", "media sahibi"}
_TIME_NAMES = {"time", "tijd", "zeit", "heure", "время", "vaxt", "zaman", "hora", "ora", "czas"}
_DYI_WRAPPERS = ("comments_reels_comments", "comments_media_comments", "comments_post_comments")


# ---------------------------------------------------------------- Graph API


def _is_media(item: dict) -> bool:
    """Whether a Graph data item is a media node (post) rather than a comment."""
    return bool({"media_type", "caption", "comments_count", "permalink", "media_url"} & item.keys()) \
        and "text" not in item


def _looks_instagram(item: Any) -> bool:
    """An IG Graph data item: ``timestamp`` like ``…+0000`` with a ``username`` (or ``from.username``)."""
    if not isinstance(item, dict):
        return False
    stamp = item.get("timestamp")
    author = item.get("from")
    has_user = isinstance(item.get("username"), str) or (isinstance(author, dict) and "username" in author)
    return isinstance(stamp, str) and bool(_IG_TIME.match(stamp)) and has_user


def sniff_graph(source: SourceFile) -> bool:
    """True for an Instagram Graph API comments (or media with comments) JSON file."""
    try:
        doc = graph_pages(source)[0][1]
        data = doc.get("data") if isinstance(doc, dict) else None
        return isinstance(data, list) and any(_looks_instagram(item) for item in data[:5])
    except Exception:  # a sniffer never raises
        return False


def _graph_items(source: SourceFile) -> list[tuple[str, dict]]:
    """Every page's top-level ``data[]`` items as ``(where, item)``; not_mine for other files."""
    items: list[tuple[str, dict]] = []
    for prefix, doc in graph_pages(source, _GRAPH):
        if not isinstance(doc, dict) or "data" not in doc:
            raise not_mine(source, _GRAPH, "Graph API JSON with data[]")
        for i, item in enumerate(field_list(doc, "data", prefix.rstrip(".") or "file", source)):
            if not isinstance(item, dict):
                raise ImportInputError(f"{source.name}: {prefix}data[{i}] should be an object, found "
                                       f"{type(item).__name__}")
            items.append((f"{prefix}data[{i}]", item))
    if items and not any(isinstance(it.get("timestamp"), str) for _, it in items):
        raise not_mine(source, _GRAPH, "Instagram Graph JSON whose data[] items have timestamp")
    return items


@dataclass
class _Account:
    """The own account: its username (``brand``), its id where the file shows it, and the keys (usernames /
    ids) that mark brand authors."""

    username: str | None
    account_id: str | None
    keys: frozenset[str]


def _authors(items: list[tuple[str, dict]]) -> Iterator[tuple[str | None, str]]:
    """``(from.id, username)`` of every comment and reply in the file (objects only); never raises."""
    stack = [it for _, it in items]
    while stack:
        item = stack.pop()
        author = item.get("from") if isinstance(item.get("from"), dict) else {}
        username = item.get("username") or author.get("username")
        author_id = author.get("id")
        if isinstance(username, str):
            yield (str(author_id) if isinstance(author_id, (str, int)) and not isinstance(author_id, bool)
                   else None), username
        for edge in ("comments", "replies"):
            nested = item.get(edge).get("data") if isinstance(item.get(edge), dict) else None
            stack.extend(c for c in (nested if isinstance(nested, list) else []) if isinstance(c, dict))


def _owner_id(items: list[tuple[str, dict]], username: str | None) -> str | None:
    """The own account's id: a media node's ``owner.id``, else the ``from.id`` of a comment written under the
    owner's username; None when the file does not show it."""
    for _, item in items:
        owner = item.get("owner")
        if _is_media(item) and isinstance(owner, dict) and isinstance(owner.get("id"), (str, int)):
            return str(owner["id"])
    if username is None:
        return None
    return next((i for i, name in _authors(items) if i and name.lower() == username.lower()), None)


def _account_of(items: list[tuple[str, dict]], options: ReaderOptions) -> _Account:
    """The own account: a media node's ``username`` (the owner), else the first non-numeric --brand-author
    (spelt as the file spells it)."""
    keys = set(brand_keys(options))
    owner = next((it["username"] for _, it in items if _is_media(it) and isinstance(it.get("username"), str)),
                 None)
    named = [a.strip().lstrip("@") for a in options.brand_authors if not a.strip().lstrip("@").isdigit()]
    username = owner or (named[0] if named else None)
    if username and not owner:
        username = next((n for _, n in _authors(items) if n.lower() == username.lower()), username)
    account_id = _owner_id(items, username)
    keys.update(k.lower() for k in (owner, account_id) if k)
    return _Account(username, account_id, frozenset(keys))


def _author(item: dict, where: str, source: SourceFile, account: _Account, is_media: bool) \
        -> tuple[str | None, str]:
    """``(author_id, role)``: ``from.id`` (else ``username``; a media node: the own account's id); brand when
    the id or username is the own account's, and for media nodes."""
    author = field_object(item, "from", where, source)
    author_id = field_id(author, "id", f"{where}.from", source)
    username = field_text(item, "username", where, source) or field_text(author, "username", f"{where}.from",
                                                                          source)
    if is_media:
        return account.account_id or username, "brand"
    keys = {k.lower() for k in (author_id, username) if k}
    return author_id or username, "brand" if keys & account.keys else "member"


def _graph_row(item: dict, where: str, source: SourceFile, account: _Account, parent: str | None,
               is_media: bool) -> dict:
    """One IG Graph item (comment, reply or media node) as a record; ``parent`` = the enclosing item's id."""
    message_id = field_id(item, "id", where, source)
    stamp = field_text(item, "timestamp", where, source)
    created = iso_utc(stamp)
    media = field_object(item, "media", where, source)
    parent_id = None if is_media else (field_id(item, "parent_id", where, source) or parent
                                       or field_id(media, "id", f"{where}.media", source))
    author_id, role = _author(item, where, source, account, is_media)
    reason = "no id" if message_id is None else "no date" if stamp is None else \
        "bad date" if created is None else None
    text = field_text(item, "caption" if is_media else "text", where, source) or ""
    kind = field_text(item, "media_type", where, source) if is_media else None
    product = field_text(item if is_media else media, "media_product_type", where, source)
    return {"message_id": message_id, "parent_id": parent_id, "channel": "instagram", "brand": account.username,
            "author_id": author_id, "author_role": role, "created_at": created, "text": text,
            "media": _MEDIA_TYPES.get(kind or "", kind.lower() if kind else None),
            "reactions": whole_count(item.get("like_count")), "where": where, "reason": reason,
            "raw": json_text(item) if reason else None, "x_kind": "post" if is_media else "comment",
            "x_hidden": item.get("hidden") if isinstance(item.get("hidden"), bool) else None,
            "x_media_product_type": product}


def _rows_of(item: dict, where: str, source: SourceFile, account: _Account, parent: str | None,
             is_media: bool) -> Iterator[dict]:
    """The record of ``item`` and of its nested ``comments.data`` (media) or ``replies.data`` (comments)."""
    row = _graph_row(item, where, source, account, parent, is_media)
    yield row
    edge_name = "comments" if is_media else "replies"
    edge = field_object(item, edge_name, where, source)
    for j, child in enumerate(field_list(edge, "data", f"{where}.{edge_name}", source)):
        child_where = f"{where}.{edge_name}.data[{j}]"
        if not isinstance(child, dict):
            raise ImportInputError(f"{source.name}: {child_where} should be an object, found "
                                   f"{type(child).__name__}")
        yield from _rows_of(child, child_where, source, account, row["message_id"], False)


def read_graph(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """Read an Instagram Graph API comments / media file: one record per media node, comment and reply."""
    items = _graph_items(source)
    account = _account_of(items, options)
    rows: list[dict] = []
    for where, item in items:
        rows.extend(_rows_of(item, where, source, account, None, _is_media(item)))
    records = PlatformRecords(frame=records_frame(rows, _GRAPH_EXTRA), preset=_GRAPH)
    if not account.keys:
        records.warnings.append(f"{source.name}: the file does not say which account is yours, so no comment "
                                "is read as the brand's: pass --brand-author <your username>")
    if not rows:
        records.warnings.append(f"{source.name}: no comments in the file")
    return records


# ---------------------------------------------------------------- Download your information


def _dyi_list(data: Any) -> tuple[str, list] | None:
    """``(where-prefix, records)`` of an IG DYI comments file (a top-level list, or a ``comments_*`` wrapper)."""
    if isinstance(data, list):
        return "", data
    if isinstance(data, dict):
        for key in _DYI_WRAPPERS:
            if isinstance(data.get(key), list):
                return key, data[key]
    return None


def sniff_dyi(source: SourceFile) -> bool:
    """True for an IG DYI comments file: a list (or wrapper) of objects with ``string_map_data``."""
    try:
        found = _dyi_list(source.json)
        return found is not None and any(isinstance(r, dict) and isinstance(r.get("string_map_data"), dict)
                                         for r in found[1][:5])
    except Exception:  # a sniffer never raises
        return False


def _dyi_fields(smd: dict) -> tuple[Any, Any, Any]:
    """``(comment, media owner, seconds)`` from ``string_map_data`` with English or localized keys: known
    names first, else the first ``value`` entry is the comment and the second the owner; the time is the
    entry with a ``timestamp``."""
    comment = owner = seconds = None
    values = []
    for key, entry in smd.items():
        if not isinstance(entry, dict):
            continue
        name = repair_mojibake(str(key)).strip().lower()
        if seconds is None and (name in _TIME_NAMES or ("timestamp" in entry and "value" not in entry)):
            seconds = entry.get("timestamp")
        elif "value" in entry:
            if name in _COMMENT_NAMES:
                comment = entry.get("value")
            elif name in _OWNER_NAMES:
                owner = entry.get("value")
            else:
                values.append(entry.get("value"))
    if comment is None and values:
        comment = values.pop(0)
    if owner is None and values:
        owner = values.pop(0)
    return comment, owner, seconds


def _dyi_row(record: dict, where: str, source: SourceFile, seen: Counter, author: str | None) -> dict:
    """One IG DYI comment as a record (id from timestamp + text hash)."""
    smd = field_object(record, "string_map_data", where, source)
    comment, owner, seconds = _dyi_fields(smd)
    for name, value in (("Comment", comment), ("Media Owner", owner)):
        if value is not None and not isinstance(value, str):
            raise ImportInputError(f"{source.name}: {where}.string_map_data.{name}.value should be text, found "
                                   f"{type(value).__name__}")
    text = repair_mojibake(comment or "")
    created = epoch_utc(seconds) if not isinstance(seconds, bool) and seconds is not None else None
    media = "photo" if not text and field_list(record, "media_list_data", where, source) else None
    message_id = None if seconds is None or not (text or media) else content_hash_id("igdyi_", seconds, text, seen)
    reason = "no date" if seconds is None else "bad date" if created is None else \
        "no text" if message_id is None else None
    return {"message_id": message_id, "channel": "instagram", "brand": repair_mojibake(owner) if owner else None,
            "author_id": author, "author_role": "brand", "created_at": created, "text": text, "media": media,
            "where": where, "reason": reason, "raw": json_text(record) if reason else None}


def read_dyi(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """Read an IG DYI post/reels comments file: one brand record per own comment, text repaired."""
    if source.json is None and (source.text or "").lstrip()[:1] in ("{", "["):
        raise ImportInputError(f"{source.name}: not valid JSON (truncated?)")
    found = _dyi_list(source.json)
    if found is None or (found[1] and not sniff_dyi(source)):
        raise not_mine(source, _DYI, "a JSON list of string_map_data comments")
    prefix, items = found
    author = next((a.strip().lstrip("@") for a in options.brand_authors if a.strip().lstrip("@")), None)
    rows, seen = [], Counter()
    for i, record in enumerate(items):
        where = f"{prefix}[{i}]"
        if not isinstance(record, dict):
            raise ImportInputError(f"{source.name}: {where} should be an object, found {type(record).__name__}")
        rows.append(_dyi_row(record, where, source, seen, author))
    records = PlatformRecords(frame=records_frame(rows), preset=_DYI)
    records.warnings.append(f"{source.name}: an Instagram DYI export has only your own comments, with no comment, "
                            "post or parent ids (replies are not linked to what they answer)")
    if author is None and rows:
        records.warnings.append(f"{source.name}: the DYI file names no author: pass --brand-author <your "
                                "username> to name it")
    return records


GRAPH_READER = Reader(name=_GRAPH, label="Instagram Graph API comments JSON", sniff=sniff_graph, read=read_graph)
DYI_READER = Reader(name=_DYI, label="Instagram 'Download your information' comments JSON", sniff=sniff_dyi,
                    read=read_dyi)
READERS = [GRAPH_READER, DYI_READER]
