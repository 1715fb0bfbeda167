"""Facebook readers: Graph API page posts / comments JSON (``facebook_graph``) and the "Download your
information" comments JSON (``facebook_dyi``).

Graph API (``/{page}/posts``, ``/{page}/feed`` with nested ``comments.data`` and replies, ``/{post}/comments``):

- a file holds one response page ``{"data": [...], "paging": {...}}``, several pages one after another
  (concatenated JSON documents) or a JSON list of pages; every page's ``data[]`` is read.
- ids are Facebook's own and globally unique, kept as text: posts ``<pageid>_<postid>``, comments
  ``<postid>_<commentid>`` (a reply's id is keyed to the post, its parent is in ``parent.id``). No
  namespacing is needed. A top-level comment's parent is the enclosing post, or, in a flat comments file, the
  post named by its id prefix written as ``<pageid>_<postid>`` (the form the posts file and Meta Business
  Suite give), the page id taken from the file's post ids, else a ``facebook.com/<pageid>/posts/``
  permalink, else the author of ``can_hide: false`` comments (the Page's own); when the file does not name the
  page the bare post id is used and a warning says so. A replies file fetched per comment
  (``/{comment-id}/comments`` without ``parent``) cannot be told from top-level comments: its items point to
  the post.
- brand: ``from.id`` equals the page id, or ``from.id`` / ``from.name`` is one of ``--brand-author``; a post
  without ``from`` (``/posts`` without the ``from`` field) is the page's. ``brand`` = the page's name.
  Comments without ``from`` (no permission) get author None.

DYI (``comments_v2`` / ``comments`` / ``group_comments_v2``): only the exporting profile's own comments, with
Facebook's latin-1 mojibake repaired. There are no ids: message_id = ``fbdyi_`` + the first 16 hex digits of
SHA-1 over ``<epoch seconds>\\n<text>`` (the attachment's uri for attachment-only comments); the same
comment gives the same id in every re-export; a repeat within the file gets ``-2``, ``-3`` … No parents (none
in the export). author_role ``brand`` (the file is the exporter's side of conversations), ``member`` when
``--brand-author`` is given and names someone else.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ftfy
import pandas as pd

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import (
    PlatformRecords, Reader, ReaderOptions, SourceFile, epoch_utc, iso_utc, json_documents, json_text,
    normalise_id, not_mine, records_frame, whole_count,
)

__all__ = ["READERS", "GRAPH_READER", "DYI_READER", "graph_pages", "repair_mojibake", "brand_keys",
           "field_text", "field_id", "content_hash_id"]

_GRAPH = "facebook_graph"
_DYI = "facebook_dyi"
_FB_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+0000$")
_PAIR_ID = re.compile(r"^(\d+)_(\d+)$")
_PERMALINK_PAGE = re.compile(r"facebook\.com/(\d+)/posts/")
_COMMENT_KEYS = frozenset({"parent", "like_count", "comment_count", "can_hide", "is_hidden", "attachment",
                           "can_remove", "can_like", "user_likes"})
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")
_DYI_KEY = re.compile(r"^(group_)?comments(_v\d+)?$")
_MEDIA_KINDS = {"photo": "photo", "album": "photo", "cover_photo": "photo", "profile_media": "photo",
                "sticker": "sticker", "animated_image_share": "animation", "animated_image_video": "animation",
                "animated_image_autoplay": "animation", "share": "link", "link": "link", "note": "link",
                "video": "video", "video_inline": "video", "video_autoplay": "video", "video_share_youtube": "video",
                "file_upload": "file", "poll": "poll", "event": "link", "question": "poll"}
_STATUS_MEDIA = {"added_photos": "photo", "added_video": "video", "shared_story": "link"}
_GRAPH_EXTRA = ("x_kind", "x_permalink", "x_reply_count", "x_hidden")


# ---------------------------------------------------------------- shared pieces (also used by instagram.py)

def graph_pages(source: SourceFile, reader: str = _GRAPH) -> list[tuple[str, Any]]:
    """The JSON documents of a Graph API file as ``(where-prefix, document)``: one document, a JSON list of
    response pages (prefix ``[i].``), or concatenated documents (prefix ``#n.``). Raises ImportInputError for
    text that is not JSON (HTML error page, truncated file; not_mine of ``reader`` for other text)."""
    text = source.text
    if text is None:
        raise ImportInputError(f"{source.name}: not UTF-8 text, so not a Graph API JSON export")
    data = source.json
    if data is not None:
        if isinstance(data, list) and data and all(isinstance(p, dict) and "data" in p for p in data):
            return [(f"[{i}].", page) for i, page in enumerate(data)]
        return [("", data)]
    stripped = text.strip()
    if stripped[:1] == "<":
        raise ImportInputError(f"{source.name}: an HTML page, not JSON (an error page saved as .json?)")
    if stripped[:1] not in ("{", "["):
        raise not_mine(source, reader, "Graph API JSON")
    return _concatenated(source, stripped)


def _concatenated(source: SourceFile, text: str) -> list[tuple[str, Any]]:
    """Concatenated JSON documents (``{…}{…}`` or one per line) as ``(prefix #n., document)``; raises
    ImportInputError naming the document that does not parse (truncated JSON)."""
    docs = [(f"#{k + 1}.", doc) for k, doc in enumerate(json_documents(source, text, " \t\r\n,"))]
    if not docs:
        raise ImportInputError(f"{source.name}: empty file")
    if len(docs) == 1:
        return [("", docs[0][1])]
    return docs


def repair_mojibake(value: str) -> str:
    """Meta's DYI mojibake repaired: UTF-8 bytes written one ``\\u00XX`` each (``Ð\\x9f`` → ``П``). Text that
    is not mojibake (any character ≥ U+0100, or bytes that are not UTF-8) is left as it is, except that a
    string mixing both is handed to ftfy's encoding fixer."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    if _MOJIBAKE.search(value):
        return ftfy.fix_encoding(value)
    return value


def brand_keys(options: ReaderOptions) -> frozenset[str]:
    """``--brand-author`` values as comparison keys: stripped, lower case, a leading @ dropped."""
    return frozenset(k for k in (str(a).strip().lstrip("@").strip().lower() for a in options.brand_authors) if k)


def field_text(item: dict, key: str, where: str, source: SourceFile) -> str | None:
    """``item[key]`` as text (None when absent or null); raises ImportInputError when it is not a string."""
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ImportInputError(f"{source.name}: {where}.{key} should be text, found {type(value).__name__}")


def field_id(item: dict, key: str, where: str, source: SourceFile) -> str | None:
    """``item[key]`` as a normalised id (text or whole number); raises ImportInputError for other types
    (a float id has lost digits)."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ImportInputError(f"{source.name}: {where}.{key} should be an id (text), found "
                               f"{type(value).__name__}")
    return normalise_id(value)


def field_object(item: dict, key: str, where: str, source: SourceFile) -> dict:
    """``item[key]`` as an object ({} when absent or null); raises ImportInputError for other types."""
    value = item.get(key)
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise ImportInputError(f"{source.name}: {where}.{key} should be an object, found {type(value).__name__}")


def field_list(item: dict, key: str, where: str, source: SourceFile) -> list:
    """``item[key]`` as a list ([] when absent or null); raises ImportInputError for other types."""
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise ImportInputError(f"{source.name}: {where}.{key} should be a list, found {type(value).__name__}")


def content_hash_id(prefix: str, seconds: Any, content: str, seen: Counter) -> str:
    """A stable id for a record without one: ``prefix`` + 16 hex digits of SHA-1 over ``seconds\\ncontent``;
    the n-th repeat within a file (counted in ``seen``) gets ``-n``."""
    digest = hashlib.sha1(f"{seconds}\n{content}".encode("utf-8")).hexdigest()[:16]
    seen[digest] += 1
    return f"{prefix}{digest}" if seen[digest] == 1 else f"{prefix}{digest}-{seen[digest]}"


# ---------------------------------------------------------------- Graph API


def _first_items(source: SourceFile) -> list[Any]:
    """The first few ``data[]`` items of the file's first document ([] when there are none); never raises."""
    try:
        pages = graph_pages(source)
    except ImportInputError:
        return []
    doc = pages[0][1]
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        return doc["data"][:5]
    return []


def _looks_facebook(item: Any) -> bool:
    """A Graph data item of Facebook (not Instagram): ``created_time`` like ``…+0000`` and a ``from`` object
    or a ``<digits>_<digits>`` id."""
    if not isinstance(item, dict) or "username" in item or "timestamp" in item:
        return False
    created = item.get("created_time")
    if not isinstance(created, str) or not _FB_TIME.match(created):
        return False
    return isinstance(item.get("from"), dict) or bool(_PAIR_ID.match(str(item.get("id", ""))))


def sniff_graph(source: SourceFile) -> bool:
    """True for a Facebook Graph API posts/comments JSON file (from its first data items)."""
    try:
        return any(_looks_facebook(item) for item in _first_items(source))
    except Exception:  # a sniffer never raises
        return False


def _graph_items(source: SourceFile, pages: list[tuple[str, Any]]) -> list[tuple[str, dict]]:
    """Every page's top-level ``data[]`` items as ``(where, item)``; not_mine when the file is not a Graph
    response, ImportInputError for items that are not objects."""
    items: list[tuple[str, dict]] = []
    for prefix, doc in pages:
        if isinstance(doc, list):
            doc = {"data": doc}
        if not isinstance(doc, dict) or "data" not in doc:
            raise not_mine(source, _GRAPH, "Graph API JSON with data[]")
        data = field_list(doc, "data", prefix.rstrip(".") or "file", source)
        for i, item in enumerate(data):
            if not isinstance(item, dict):
                raise ImportInputError(f"{source.name}: {prefix}data[{i}] should be an object, found "
                                       f"{type(item).__name__}")
            items.append((f"{prefix}data[{i}]", item))
    if items and not any(isinstance(it.get("created_time"), str) for _, it in items):
        raise not_mine(source, _GRAPH, "Graph API JSON whose data[] items have created_time")
    if any("username" in it or "timestamp" in it for _, it in items[:5]):
        raise not_mine(source, _GRAPH, "Facebook items, not Instagram ones")
    return items


def _is_comment(item: dict) -> bool:
    """Whether a Graph data item is a comment (comment-only fields, a comment permalink) rather than a post."""
    permalink = item.get("permalink_url")
    return bool(_COMMENT_KEYS & item.keys()) or (isinstance(permalink, str) and "comment_id=" in permalink)


@dataclass
class _Page:
    """What the file says about the page: its id and name, the brand keys, and warnings to give once."""

    page_id: str | None
    name: str | None
    keys: frozenset[str]
    bare_post_parents: int = 0
    warnings: list[str] = field(default_factory=list)


def _page_of(items: list[tuple[str, dict]], options: ReaderOptions) -> _Page:
    """The page the file belongs to: id from the posts' ``<pageid>_`` prefix, else from a permalink, else the
    author of ``can_hide: false`` comments; name from ``from.name`` of an item the page wrote."""
    prefixes: Counter = Counter()
    for _, item in items:
        match = _PAIR_ID.match(str(item.get("id", "")))
        if match and not _is_comment(item):
            prefixes[match.group(1)] += 1
    if not prefixes:
        for _, item in items:
            match = _PERMALINK_PAGE.search(str(item.get("permalink_url", "")))
            if match:
                prefixes[match.group(1)] += 1
    if not prefixes:
        prefixes.update(_own_comment_authors(items))
    page_id = prefixes.most_common(1)[0][0] if prefixes else None
    name = None
    for _, item in _walk_all(items):
        author = item.get("from")
        if isinstance(author, dict) and page_id and str(author.get("id")) == page_id:
            name = author.get("name") if isinstance(author.get("name"), str) else None
            break
    return _Page(page_id, name, brand_keys(options))


def _own_comment_authors(items: list[tuple[str, dict]]) -> Counter:
    """``from.id`` of comments with ``can_hide: false`` (the Page's own comments, which it cannot hide)."""
    found: Counter = Counter()
    for _, item in _walk_all(items):
        author = item.get("from")
        if item.get("can_hide") is False and isinstance(author, dict) and isinstance(author.get("id"), str):
            found[author["id"]] += 1
    return found


def _walk_all(items: list[tuple[str, dict]]) -> Iterator[tuple[str, dict]]:
    """Top-level items and their nested comments/replies (objects only), depth first; never raises."""
    stack = list(reversed(items))
    while stack:
        where, item = stack.pop()
        yield where, item
        comments = item.get("comments")
        nested = comments.get("data") if isinstance(comments, dict) else None
        if isinstance(nested, list):
            stack.extend(reversed([(f"{where}.comments.data[{j}]", c) for j, c in enumerate(nested)
                                   if isinstance(c, dict)]))


def _author(item: dict, where: str, source: SourceFile, page: _Page, is_post: bool) -> tuple[str | None, str]:
    """``(author_id, author_role)`` of a Graph item: ``from.id``; brand for the page or a --brand-author."""
    author = field_object(item, "from", where, source)
    author_id = field_id(author, "id", f"{where}.from", source)
    name = author.get("name") if isinstance(author.get("name"), str) else None
    if not author and is_post:
        return page.page_id, "brand"
    keys = {k.lower() for k in (author_id, name) if k}
    brand = (author_id is not None and author_id == page.page_id) or bool(keys & page.keys)
    return author_id, "brand" if brand else "member"


def _media(item: dict, where: str, source: SourceFile) -> str | None:
    """The attachment kind of a Graph item: ``attachment.type`` (comments), ``attachments.data[0].type``
    (posts), else the post's ``status_type`` (``added_photos`` → photo)."""
    attachment = field_object(item, "attachment", where, source)
    if not attachment:
        first = field_list(field_object(item, "attachments", where, source), "data", f"{where}.attachments",
                           source)
        attachment = first[0] if first and isinstance(first[0], dict) else {}
    kind = attachment.get("media_type") or attachment.get("type")
    if isinstance(kind, str) and kind:
        return _MEDIA_KINDS.get(kind, kind)
    if attachment:
        return "file"
    status = item.get("status_type")
    return _STATUS_MEDIA.get(status) if isinstance(status, str) else None


def _summary_total(item: dict, key: str) -> int | None:
    """``item[key].summary.total_count`` as a whole number, or None."""
    edge = item.get(key)
    summary = edge.get("summary") if isinstance(edge, dict) else None
    return whole_count(summary.get("total_count")) if isinstance(summary, dict) else None


def _reactions(item: dict, is_post: bool) -> int | None:
    """Reactions of a post (``reactions`` total, else the ``reactions_*`` aliases summed, else legacy
    ``likes``) or a comment (``like_count``)."""
    if not is_post:
        return whole_count(item.get("like_count"))
    total = _summary_total(item, "reactions")
    if total is not None:
        return total
    kinds = [_summary_total(item, k) for k in item if k.startswith("reactions_")]
    kinds = [k for k in kinds if k is not None]
    return sum(kinds) if kinds else _summary_total(item, "likes")


def _shares(item: dict, is_post: bool) -> int | None:
    """``shares.count`` of a post (0 when absent but engagement was requested: Graph drops it at 0)."""
    if not is_post:
        return None
    shares = item.get("shares")
    if isinstance(shares, dict):
        return whole_count(shares.get("count"))
    return 0 if ("reactions" in item or "comments" in item) else None


def _post_parent(message_id: str | None, page: _Page) -> str | None:
    """The post a top-level comment of a flat comments file belongs to (``<pageid>_<postid>``, or the bare
    post id when the page is unknown)."""
    match = _PAIR_ID.match(message_id or "")
    if not match:
        return None
    if page.page_id:
        return f"{page.page_id}_{match.group(1)}"
    page.bare_post_parents += 1
    return match.group(1)


def _graph_row(item: dict, where: str, source: SourceFile, page: _Page, parent: str | None,
               is_post: bool) -> dict:
    """One Graph item (post or comment) as a record; ``parent`` = the enclosing item's id (None at top
    level)."""
    message_id = field_id(item, "id", where, source)
    created_text = field_text(item, "created_time", where, source)
    created = iso_utc(created_text)
    parent_obj = field_object(item, "parent", where, source)
    parent_id = field_id(parent_obj, "id", f"{where}.parent", source) or parent
    if parent_id is None and not is_post:
        parent_id = _post_parent(message_id, page)
    author_id, role = _author(item, where, source, page, is_post)
    reason = "no id" if message_id is None else "no date" if created_text is None else \
        "bad date" if created is None else None
    return {"message_id": message_id, "parent_id": parent_id, "channel": "facebook", "brand": page.name,
            "author_id": author_id, "author_role": role, "created_at": created,
            "text": field_text(item, "message", where, source) or "", "media": _media(item, where, source),
            "reactions": _reactions(item, is_post), "shares": _shares(item, is_post), "where": where,
            "reason": reason, "raw": json_text(item) if reason else None,
            "x_kind": "post" if is_post else "comment", "x_permalink": _permalink(item),
            "x_reply_count": whole_count(item.get("comment_count")),
            "x_hidden": item.get("is_hidden") if isinstance(item.get("is_hidden"), bool) else None}


def _permalink(item: dict) -> str | None:
    """``permalink_url`` when it is text."""
    value = item.get("permalink_url")
    return value if isinstance(value, str) else None


def _rows_of(item: dict, where: str, source: SourceFile, page: _Page, parent: str | None,
             is_post: bool) -> Iterator[dict]:
    """The record of ``item`` and of its nested ``comments.data`` (replies of replies too), in file order."""
    row = _graph_row(item, where, source, page, parent, is_post)
    yield row
    edge = field_object(item, "comments", where, source)
    for j, child in enumerate(field_list(edge, "data", f"{where}.comments", source)):
        child_where = f"{where}.comments.data[{j}]"
        if not isinstance(child, dict):
            raise ImportInputError(f"{source.name}: {child_where} should be an object, found "
                                   f"{type(child).__name__}")
        yield from _rows_of(child, child_where, source, page, row["message_id"], False)


def read_graph(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """Read a Facebook Graph API posts/comments file: one record per post, comment and reply."""
    items = _graph_items(source, graph_pages(source, _GRAPH))
    page = _page_of(items, options)
    rows: list[dict] = []
    for where, item in items:
        rows.extend(_rows_of(item, where, source, page, None, not _is_comment(item)))
    frame = records_frame(rows, _GRAPH_EXTRA)
    frame["x_reply_count"] = pd.to_numeric(frame["x_reply_count"]).astype("Int64")
    records = PlatformRecords(frame=frame, preset=_GRAPH)
    if page.bare_post_parents:
        records.warnings.append(f"{source.name}: the file does not name the page, so {page.bare_post_parents} "
                                "top-level comments point to their post by the bare post id (posts files "
                                "name posts <pageid>_<postid>)")
    if not rows:
        records.warnings.append(f"{source.name}: no posts or comments in the file")
    records.info["page_id"] = page.page_id
    return records


# ---------------------------------------------------------------- Download your information


def _dyi_list(data: Any) -> tuple[str, list] | None:
    """``(key, records)`` of a DYI comments file (``comments_v2``, ``comments``, ``group_comments_v2`` …), or
    None."""
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        if _DYI_KEY.match(key) and isinstance(value, list):
            return key, value
    return None


def sniff_dyi(source: SourceFile) -> bool:
    """True for a Facebook DYI comments JSON (top key ``comments_v2``/``comments`` holding records with
    ``timestamp``/``data``/``title``)."""
    try:
        found = _dyi_list(source.json)
        if found is None:
            return False
        first = [r for r in found[1][:5] if isinstance(r, dict)]
        return any({"timestamp", "data", "title"} & r.keys() and "string_map_data" not in r for r in first) \
            or not found[1]
    except Exception:  # a sniffer never raises
        return False


_TITLE_ACTION = re.compile(r"\b(replied to|commented on)\b.*\b(comment|post|photo|video|reel|link|status|"
                           r"album|event|note)\b")


def _dyi_comment(record: dict, where: str, source: SourceFile) -> dict:
    """The ``comment`` object of a DYI record (from its one-key ``data[]`` objects), {} when absent."""
    for j, entry in enumerate(field_list(record, "data", where, source)):
        if isinstance(entry, dict) and "comment" in entry:
            return field_object(entry, "comment", f"{where}.data[{j}]", source)
    return {}


def _dyi_media(record: dict, where: str, source: SourceFile) -> tuple[str | None, str]:
    """``(kind, uri)`` of a DYI record's first attachment (kind from the file extension), (None, "")."""
    for attachment in field_list(record, "attachments", where, source):
        entries = attachment.get("data") if isinstance(attachment, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            media = entry.get("media") if isinstance(entry, dict) else None
            if isinstance(media, dict):
                uri = str(media.get("uri") or "")
                ext = uri.rsplit(".", 1)[-1].lower()
                kind = "video" if ext in ("mp4", "mov") else "animation" if ext == "gif" else "photo"
                return kind, uri
            if isinstance(entry, dict) and "external_context" in entry:
                return "link", str(entry.get("external_context"))
    return None, ""


def _dyi_action(title: str | None) -> str | None:
    """What an English DYI title says the comment was (``reply`` to a comment, ``comment`` on a post …)."""
    match = _TITLE_ACTION.search(repair_mojibake(title or ""))
    if not match:
        return None
    return "reply" if match.group(1) == "replied to" else f"comment on {match.group(2)}"


def _dyi_row(record: dict, where: str, source: SourceFile, seen: Counter) -> dict:
    """One DYI comment record as a record (id from timestamp + text hash; author = the repaired name)."""
    comment = _dyi_comment(record, where, source)
    text = repair_mojibake(field_text(comment, "comment", f"{where}.comment", source) or "")
    author = field_text(comment, "author", f"{where}.comment", source)
    seconds = comment.get("timestamp", record.get("timestamp"))
    created = epoch_utc(seconds) if not isinstance(seconds, bool) else None
    media, uri = _dyi_media(record, where, source)
    message_id = None if seconds is None or (not text and not uri) else \
        content_hash_id("fbdyi_", seconds, text if text else uri, seen)
    reason = "no date" if seconds is None else "bad date" if created is None else \
        "no text or attachment" if message_id is None else None
    return {"message_id": message_id, "channel": "facebook", "author_id": repair_mojibake(author) if author
            else None, "created_at": created, "text": text, "media": media, "where": where, "reason": reason,
            "raw": json_text(record) if reason else None,
            "x_action": _dyi_action(field_text(record, "title", where, source))}


def _dyi_roles(rows: list[dict], options: ReaderOptions, source: SourceFile) -> list[str]:
    """Role and brand for DYI rows: brand, unless --brand-author is given and names neither the author;
    the author of attachment-only records is the file's author. Returns warnings."""
    keys = brand_keys(options)
    owners = Counter(r["author_id"] for r in rows if r["author_id"])
    owner = owners.most_common(1)[0][0] if owners else None
    warnings = []
    for row in rows:
        row["author_id"] = row["author_id"] or owner
        member = bool(keys) and (row["author_id"] or "").lower() not in keys
        row["author_role"] = "member" if member else "brand"
        row["brand"] = row["author_id"] if not member and keys else None
    if keys and any(r["author_role"] == "member" for r in rows):
        warnings.append(f"{source.name}: the DYI export's author is not one of --brand-author, so its comments "
                        "are read as a member's")
    return warnings


def read_dyi(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """Read a Facebook DYI comments file: one record per own comment, text repaired."""
    if source.json is None and (source.text or "").lstrip()[:1] in ("{", "["):
        raise ImportInputError(f"{source.name}: not valid JSON (truncated?)")
    found = _dyi_list(source.json)
    if found is None:
        raise not_mine(source, _DYI, "JSON with a comments_v2 list")
    key, records_in = found
    rows: list[dict] = []
    seen: Counter = Counter()
    for i, record in enumerate(records_in):
        where = f"{key}[{i}]"
        if not isinstance(record, dict):
            raise ImportInputError(f"{source.name}: {where} should be an object, found {type(record).__name__}")
        rows.append(_dyi_row(record, where, source, seen))
    warnings = _dyi_roles(rows, options, source)
    records = PlatformRecords(frame=records_frame(rows, ("x_action",)), preset=_DYI, warnings=warnings)
    records.warnings.append(f"{source.name}: a DYI export has only the exporter's own comments, with no post "
                            "or parent ids (replies are not linked to what they answer)")
    return records


GRAPH_READER = Reader(name=_GRAPH, label="Facebook Graph API JSON (page posts / comments)", sniff=sniff_graph,
                      read=read_graph)
DYI_READER = Reader(name=_DYI, label="Facebook 'Download your information' comments JSON", sniff=sniff_dyi,
                    read=read_dyi)
READERS = [GRAPH_READER, DYI_READER]
