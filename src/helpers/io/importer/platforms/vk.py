"""VK (VKontakte) API JSON: ``wall.get`` (posts) and ``wall.getComments`` (comments) responses.

Accepted shapes: ``{"response": {"count", "items", ["profiles", "groups"]}}`` (also a bare ``{"count",
"items"}`` and ``{"response": [items]}`` from ``wall.getById``), several such pages in a JSON list, or pages
concatenated / one per line. ``{"error": {...}}`` responses raise :class:`ImportInputError` quoting VK's error.

Ids (VK ids are unique only on one wall; posts and comments share that wall's id space):

- posts: ``<owner_id>_<id>`` (VK's own ``wall-1_2`` naming), e.g. ``-218765432_3456``;
- comments: also ``<owner_id>_<id>`` — unique on the wall because comments share the id space with posts, and
  stable across re-exports without needing the post id;
- parent_id: ``reply_to_comment`` (the real parent, possibly another reply), else ``parents_stack[-1]``, else
  (a top-level comment) the post ``<owner_id>_<post_id>``; thread_id: the post, when known.
- The wall owner comes from the item's ``owner_id``, else any other item of the file, else a file name like
  ``wall-218765432_3456…`` (which also gives the post of a getComments file). When the owner is not knowable
  the rows are kept with reason ``no owner_id (wall unknown)`` (quarantined): bare ids would collide across
  walls. When only the post is unknown, top-level comments get no parent (a warning says so) and replies keep
  ``parents_stack[0]`` as their thread.

Brand: ``from_id == owner_id`` (a community replying as itself has the negative community id; on a user's
wall the owner), or ``from_id``/screen name in ``--brand-author``. A different community (another negative
``from_id``) is a member. ``brand`` is the community's name from ``groups`` (else its screen name, else
``club<id>`` / ``id<id>``). Dates are Unix seconds, UTC. ``likes.count`` → reactions, ``reposts.count`` →
shares and ``views.count`` → reach (posts). Mentions ``[id1|Name]`` become ``Name``. Deleted comments are
skipped (counted).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import (PlatformRecords, Reader, ReaderOptions, SourceFile, epoch_utc,
                                                json_documents, json_text, normalise_id, not_mine, records_frame,
                                                whole_count)
from helpers.io.importer.values import handle_key

__all__ = ["READER"]

_EXPECTED = "VK API JSON from wall.get or wall.getComments: {\"response\": {\"items\": [...]}}"
_MENTION = re.compile(r"\[(?:id|club|public|event)\d+\|([^\]\[]*)\]")
_WALL_NAME = re.compile(r"wall(-?\d+)_(\d+)")
_WALL_OWNER = re.compile(r"wall(-?\d+)")
_MEDIA = {"photo": "photo", "posted_photo": "photo", "album": "photo", "video": "video", "clip": "video",
          "audio": "audio", "audio_message": "voice", "doc": "file", "sticker": "sticker", "graffiti": "sticker",
          "link": "link", "article": "link", "poll": "poll", "market": "link", "podcast": "audio"}
_EXTRA = ("x_repost_of",)


@dataclass
class _Page:
    """One response page: its items, the ``profiles``/``groups`` lists, and where its items sit."""

    items: list[Any]
    prefix: str
    groups: list[Any] = field(default_factory=list)
    profiles: list[Any] = field(default_factory=list)


@dataclass
class _Context:
    """What every item of the file shares: file name, the wall (owner, post) guessed from the file, names."""

    name: str
    options: ReaderOptions
    file_owner: str | None
    file_post: str | None
    names: dict[str, str]          #: VK id (as text, negative for communities) → community name / screen name
    handles: dict[str, str]        #: VK id → screen name (for --brand-author matching)
    brand_keys: frozenset[str]


# ---------------------------------------------------------------- documents


def _documents(source: SourceFile) -> list[Any]:
    """Every JSON document in the file: one whole document, or several concatenated / one per line.

    Raises ImportInputError for text that is not JSON (naming the position)."""
    if source.json is not None:
        return [source.json]
    text = source.text
    if text is None:
        raise ImportInputError(f"{source.name}: not UTF-8 text; a VK API response is UTF-8 JSON")
    if text.lstrip()[:1] == "<":
        raise ImportInputError(f"{source.name}: an HTML page, not VK API JSON (saved an error or login page?)")
    if text.lstrip()[:1] not in ("[", "{"):
        raise not_mine(source, "VK", _EXPECTED)
    return json_documents(source, text)


def _first_document(source: SourceFile) -> Any:
    """The first JSON document of the file (for sniffing), or None."""
    if source.json is not None:
        return source.json
    if source.json_lines:
        return source.json_lines[0]
    text = (source.text or "").lstrip()
    if not text.startswith("{"):
        return None
    try:
        return json.JSONDecoder().raw_decode(text)[0]
    except ValueError:
        return None


def _is_vk_item(item: Any) -> bool:
    """Whether ``item`` looks like a VK post or comment (int ``date``, ``from_id``, wall fields)."""
    return (isinstance(item, dict) and "from_id" in item and isinstance(item.get("date"), int)
            and not isinstance(item.get("date"), bool)
            and any(k in item for k in ("owner_id", "post_id", "parents_stack", "post_type", "thread")))


def _looks_vk(doc: Any) -> bool:
    """Whether one JSON document is a VK response page, error, or list of pages."""
    if isinstance(doc, list):
        return bool(doc) and _looks_vk(doc[0])
    if not isinstance(doc, dict):
        return False
    error = doc.get("error")
    if isinstance(error, dict) and "error_code" in error and "error_msg" in error:
        return True
    body = doc.get("response", doc)
    if isinstance(body, list):
        return bool(body) and _is_vk_item(body[0])
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return False
    items = body["items"]
    if not items:
        return "response" in doc and isinstance(body.get("count"), int)
    return _is_vk_item(items[0])


def sniff(source: SourceFile) -> bool:
    """Whether the file is a VK wall.get / wall.getComments response (never raises)."""
    try:
        return _looks_vk(_first_document(source))
    except Exception:  # a sniffer must never raise
        return False


# ---------------------------------------------------------------- pages


def _vk_error(source: SourceFile, error: Any) -> ImportInputError:
    """The ImportInputError for a saved VK ``{"error": {...}}`` response, quoting code and message."""
    if not isinstance(error, dict):
        return ImportInputError(f"{source.name}: VK returned an error instead of data: {json_text(error)[:200]}")
    method = next((p.get("value") for p in error.get("request_params") or []
                   if isinstance(p, dict) and p.get("key") == "method"), None)
    return ImportInputError(f"{source.name}: VK returned error {error.get('error_code')} "
                            f"\"{error.get('error_msg')}\"" + (f" for {method}" if method else "")
                            + " instead of data; fix the request (token, owner_id, access) and export again")


def _page(source: SourceFile, doc: Any, prefix: str) -> _Page:
    """One response document as a :class:`_Page`; raises for errors and documents that are not VK pages."""
    if not isinstance(doc, dict):
        if isinstance(doc, list) and all(_is_vk_item(i) for i in doc[:1]):
            return _Page(items=doc, prefix=prefix)
        raise not_mine(source, "VK", _EXPECTED)
    if "error" in doc and "response" not in doc:
        raise _vk_error(source, doc["error"])
    body = doc.get("response", doc)
    where = _join(prefix, "response") if "response" in doc else prefix
    if isinstance(body, list):
        return _Page(items=body, prefix=where)
    if not isinstance(body, dict) or "items" not in body:
        raise not_mine(source, "VK", _EXPECTED)
    items = body["items"]
    if not isinstance(items, list):
        raise ImportInputError(f"{source.name}: {_join(where, 'items')} is "
                               f"{type(items).__name__}, not a list of VK posts/comments")
    return _Page(items=items, prefix=_join(where, "items"),
                 groups=_list_or_empty(body.get("groups")), profiles=_list_or_empty(body.get("profiles")))


def _list_or_empty(value: Any) -> list[Any]:
    """``value`` when it is a list, else []."""
    return value if isinstance(value, list) else []


def _envelope(doc: Any) -> bool:
    """Whether ``doc`` (or the first of a list of pages) is VK's ``{"response": …}`` envelope — broken
    contents inside are then errors of a VK file, not another format."""
    if isinstance(doc, list) and doc:
        doc = doc[0]
    return isinstance(doc, dict) and "response" in doc and "data" not in doc


def _join(prefix: str, key: str) -> str:
    """A location ``prefix`` (``""``, ``line 2: ``, ``[1]``) followed by ``key``."""
    return prefix + ("." if prefix and prefix[-1] not in " :" else "") + key


def _doc_label(source: SourceFile, index: int, count: int) -> str:
    """``line N: `` (JSON lines) or ``document N: `` (concatenated documents) for a file of several, else ""."""
    if count <= 1:
        return ""
    return f"{'line' if source.json_lines is not None else 'document'} {index + 1}: "


def _pages(source: SourceFile) -> list[_Page]:
    """Every response page of the file; raises not_mine when a document is not VK."""
    docs = _documents(source)
    if not docs or not (_looks_vk(docs[0]) or _envelope(docs[0])):
        raise not_mine(source, "VK", _EXPECTED)
    pages: list[_Page] = []
    for d, doc in enumerate(docs):
        label = _doc_label(source, d, len(docs))
        if isinstance(doc, list) and doc and isinstance(doc[0], dict) and not _is_vk_item(doc[0]):
            pages.extend(_page(source, sub, f"{label}[{i}]") for i, sub in enumerate(doc))
        else:
            pages.append(_page(source, doc, label))
    return pages


# ---------------------------------------------------------------- typed fields


def _int_field(item: dict[str, Any], key: str, where: str, name: str) -> int | None:
    """``item[key]`` as an int (digit strings accepted); None when absent; raises for other types."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:   # an id that went through a float
        return int(value)
    raise ImportInputError(f"{name}: {where}.{key} is {type(value).__name__} {json_text(value)[:60]}, "
                           "not a VK id (a whole number)")


def _str_field(item: dict[str, Any], key: str, where: str, name: str) -> str:
    """``item[key]`` as text ("" when absent); raises for dicts/lists."""
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ImportInputError(f"{name}: {where}.{key} is {type(value).__name__}, not text")
    return str(value)


def _count(item: dict[str, Any], key: str, where: str, name: str) -> int | None:
    """``item[key]["count"]`` (VK counters ``{"count": n}``) as a whole number, None when absent."""
    box = item.get(key)
    if box is None:
        return None
    if isinstance(box, (int, str)) and not isinstance(box, bool):   # ``likes_count``-style flat values
        return _sane(whole_count(box))
    if not isinstance(box, dict):
        raise ImportInputError(f"{name}: {where}.{key} is {type(box).__name__}, not a VK counter {{\"count\": n}}")
    value = box.get("count")
    if isinstance(value, (dict, list)):
        raise ImportInputError(f"{name}: {where}.{key}.count is {type(value).__name__}, not a count")
    return _sane(whole_count(value))


def _sane(count: int | None) -> int | None:
    """A count, None when absurdly large (≥ 2**53: no real counter; Int64 columns cannot always hold it)."""
    return count if count is not None and count < 2**53 else None


def _media(item: dict[str, Any], where: str, name: str) -> str | None:
    """The kind of the item's first attachment (``photo``, ``video``, ``sticker`` …), or None."""
    attachments = item.get("attachments")
    if attachments is None or attachments == []:
        return None
    if not isinstance(attachments, list):
        raise ImportInputError(f"{name}: {where}.attachments is {type(attachments).__name__}, not a list")
    first = attachments[0]
    kind = first.get("type") if isinstance(first, dict) else None
    if not isinstance(kind, str) or not kind:
        return "file"
    if kind == "doc" and isinstance(first.get("doc"), dict) and first["doc"].get("ext") == "gif":
        return "animation"
    return _MEDIA.get(kind, kind)


def _text(raw: str) -> str:
    """Message text with VK mention markup ``[id123|Name]`` shown as ``Name``."""
    return _MENTION.sub(lambda m: m.group(1), raw).strip()


# ---------------------------------------------------------------- the file's wall and names


def _walk(page: _Page) -> list[tuple[Any, str]]:
    """Every item of a page with its location, replies nested in ``thread.items`` after their comment."""
    out: list[tuple[Any, str]] = []
    for i, item in enumerate(page.items):
        where = f"{page.prefix}[{i}]"
        out.append((item, where))
        thread = item.get("thread") if isinstance(item, dict) else None
        if isinstance(thread, dict) and isinstance(thread.get("items"), list):
            out.extend((reply, f"{where}.thread.items[{j}]") for j, reply in enumerate(thread["items"]))
    return out


def _file_wall(source: SourceFile, items: list[tuple[Any, str]]) -> tuple[str | None, str | None]:
    """The wall owner (any item's ``owner_id``, else the file name ``wall<owner>_<post>``) and the post of
    the file as far as the file name tells, as normalised id texts (None when not knowable)."""
    owner = next((normalise_id(i["owner_id"]) for i, _ in items if isinstance(i, dict)
                  and isinstance(i.get("owner_id"), (int, str)) and not isinstance(i.get("owner_id"), bool)), None)
    base = source.path.name if source.path else source.name
    named = _WALL_NAME.search(base)
    if named:
        return owner or named.group(1), named.group(2)
    named_owner = _WALL_OWNER.search(base)
    return owner or (named_owner.group(1) if named_owner else None), None


def _names(pages: list[_Page]) -> tuple[dict[str, str], dict[str, str]]:
    """From ``groups``/``profiles`` (``extended=1``): VK id → display name for communities (users: their
    screen name only, never a person's name), and VK id → screen name; community ids negative."""
    names: dict[str, str] = {}
    handles: dict[str, str] = {}
    for page in pages:
        for sign, entries in (("-", page.groups), ("", page.profiles)):
            for entry in entries:
                if not isinstance(entry, dict) or not isinstance(entry.get("id"), int):
                    continue
                key = f"{sign}{abs(entry['id'])}"
                screen = entry.get("screen_name")
                if isinstance(screen, str) and screen:
                    handles[key] = screen
                label = entry.get("name") if sign else None
                if isinstance(label, str) and label:
                    names[key] = label
                elif isinstance(screen, str) and screen:
                    names[key] = screen
    return names, handles


def _brand_name(owner: str | None, ctx: _Context) -> str | None:
    """The wall's name: community name, else screen name, else ``club<id>`` / ``id<id>``."""
    if owner is None:
        return None
    if owner in ctx.names:
        return ctx.names[owner]
    return f"club{owner[1:]}" if owner.startswith("-") else f"id{owner}"


def _is_brand(from_id: int | None, owner: str | None, ctx: _Context) -> bool:
    """Whether the author is the wall owner (the community posting as itself) or a ``--brand-author``."""
    if from_id is None:
        return False
    if owner is not None and str(from_id) == owner:
        return True
    if not ctx.brand_keys:
        return False
    keys = {str(from_id), ctx.handles.get(str(from_id), ""), ctx.names.get(str(from_id), "")}
    keys |= {str(-from_id), f"club{-from_id}", f"public{-from_id}"} if from_id < 0 else {f"id{from_id}"}
    return any(handle_key(k) in ctx.brand_keys for k in keys if k)


# ---------------------------------------------------------------- rows


def _is_comment(item: dict[str, Any]) -> bool:
    """Whether a VK item is a comment (``post_id``/``parents_stack``/``thread``), not a wall post."""
    return any(k in item for k in ("post_id", "parents_stack", "thread", "reply_to_comment"))


def _wall_id(owner: str | None, local: int | None) -> str | None:
    """``<owner_id>_<id>`` for an id on a wall, None when either part is unknown."""
    return None if owner is None or local is None else normalise_id(f"{owner}_{local}")


def _comment_links(item: dict[str, Any], owner: str | None, post: str | None, where: str,
                   name: str) -> tuple[str | None, str | None]:
    """(parent_id, thread_id) of a comment: ``reply_to_comment``, else the last of ``parents_stack``, else
    the post; the thread is the post, else ``parents_stack[0]`` when the post is unknown."""
    stack = item.get("parents_stack")
    if stack is not None and not isinstance(stack, list):
        raise ImportInputError(f"{name}: {where}.parents_stack is {type(stack).__name__}, not a list of ids")
    stack = [s for s in (stack or []) if isinstance(s, int) and not isinstance(s, bool)]
    reply_to = _int_field(item, "reply_to_comment", where, name)
    parent_local = reply_to if reply_to is not None else (stack[-1] if stack else None)
    post_id = _wall_id(owner, int(post)) if post is not None else None
    parent = _wall_id(owner, parent_local) if parent_local is not None else post_id
    thread = post_id if post_id is not None else (_wall_id(owner, stack[0]) if stack else None)
    return parent, thread


def _row(item: Any, where: str, ctx: _Context) -> dict[str, Any] | None:
    """One VK post or comment as a record row; None for a deleted comment. Raises for wrong field types."""
    name = ctx.name
    if not isinstance(item, dict):
        raise ImportInputError(f"{name}: {where} is {type(item).__name__}, not a VK post/comment object")
    if item.get("deleted") or item.get("is_deleted"):
        return None
    local = _int_field(item, "id", where, name)
    item_owner = _int_field(item, "owner_id", where, name)
    owner = normalise_id(item_owner) if item_owner is not None else ctx.file_owner
    from_id = _int_field(item, "from_id", where, name)
    comment = _is_comment(item)
    row: dict[str, Any] = {"message_id": _wall_id(owner, local), "channel": "vk", "brand": _brand_name(owner, ctx),
                           "author_id": normalise_id(from_id), "created_at": epoch_utc(item.get("date")),
                           "text": _text(_str_field(item, "text", where, name)), "media": _media(item, where, name),
                           "reactions": _count(item, "likes", where, name), "where": where, "raw": json_text(item)}
    row["author_role"] = "brand" if _is_brand(from_id, owner, ctx) else "member"
    if comment:
        post = _int_field(item, "post_id", where, name)
        post_text = str(post) if post is not None else ctx.file_post
        row["parent_id"], row["thread_id"] = _comment_links(item, owner, post_text, where, name)
    else:
        row["shares"] = _count(item, "reposts", where, name)
        row["reach"] = _count(item, "views", where, name)
        row["x_repost_of"] = _repost_of(item)
        row["media"] = row["media"] or ("link" if row["x_repost_of"] else None)
    row["reason"] = _reason(row, local, owner, item)
    return row


def _repost_of(item: dict[str, Any]) -> str | None:
    """``<owner_id>_<id>`` of the post a repost (``copy_history``) shares, or None."""
    history = item.get("copy_history")
    if not isinstance(history, list) or not history or not isinstance(history[0], dict):
        return None
    src = history[0]
    ok = all(isinstance(src.get(k), int) and not isinstance(src.get(k), bool) for k in ("owner_id", "id"))
    return f"{src['owner_id']}_{src['id']}" if ok else None


def _reason(row: dict[str, Any], local: int | None, owner: str | None, item: dict[str, Any]) -> str | None:
    """Why a row must be quarantined (no id, no owner, no date), or None."""
    if local is None:
        return "no id"
    if owner is None:
        return "no owner_id (wall unknown)"
    if row["created_at"] is None:
        return "no date" if item.get("date") is None else "date not a Unix time"
    return None


# ---------------------------------------------------------------- read


def _context(source: SourceFile, options: ReaderOptions, pages: list[_Page],
             items: list[tuple[Any, str]]) -> _Context:
    """The file-wide :class:`_Context`."""
    owner, post = _file_wall(source, items)
    names, handles = _names(pages)
    keys = frozenset(handle_key(a) for a in options.brand_authors if isinstance(a, str) and a.strip())
    return _Context(name=source.name, options=options, file_owner=owner, file_post=post, names=names,
                    handles=handles, brand_keys=keys)


def _warnings(rows: list[dict[str, Any]], items: list[tuple[Any, str]], ctx: _Context) -> list[str]:
    """Warnings for the file: comments without their post, replies VK left out of ``thread.items``."""
    out = []
    orphans = sum(1 for r in rows if "shares" not in r and r.get("parent_id") is None and r["reason"] is None)
    if orphans:
        out.append(f"{ctx.name}: {orphans} top-level comment(s) without post_id: not linked to their post; "
                   "name the file wall<owner_id>_<post_id>.json or export with a recent API version")
    missing = 0
    for item, _ in items:
        thread = item.get("thread") if isinstance(item, dict) else None
        if isinstance(thread, dict) and isinstance(thread.get("items"), list):
            count = whole_count(thread.get("count"))
            missing += max(0, (count or 0) - len(thread["items"]))
    if missing:
        out.append(f"{ctx.name}: {missing} repl(y/ies) not in the file (thread_items_count limits thread.items; "
                   "fetch the rest with wall.getComments comment_id=…)")
    if any(r["reason"] == "no owner_id (wall unknown)" for r in rows):
        out.append(f"{ctx.name}: the wall owner is unknown (no owner_id): those records are quarantined; name the "
                   "file wall<owner_id>_<post_id>.json to import them")
    return out


def read(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """The VK posts and comments of one wall.get / wall.getComments file as PlatformRecords (one row per post
    or comment; deleted comments skipped and counted). Raises ImportInputError for VK errors and broken files."""
    pages = _pages(source)
    items = [pair for page in pages for pair in _walk(page)]
    ctx = _context(source, options, pages, items)
    records = PlatformRecords(frame=records_frame([]), preset="vk")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item, where in items:
        row = _row(item, where, ctx)
        if row is None:
            records.skip("deleted comment")
        elif row["message_id"] is not None and row["reason"] is None and row["message_id"] in seen:
            records.skip("duplicate (same id twice in the file)")
        else:
            seen.add(row["message_id"])
            rows.append(row)
    records.frame = records_frame(rows, extra_columns=_EXTRA)
    records.warnings.extend(_warnings(rows, items, ctx))
    records.info["pages"] = len(pages)
    return records


READER = Reader(name="vk", label="VK API JSON (wall.get / wall.getComments)", sniff=sniff, read=read)
