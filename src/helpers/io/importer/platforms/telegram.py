"""Telegram Desktop "Export chat history" JSON (``result.json``) → PlatformRecords (preset ``telegram``).

Layouts: a single-chat export (the root object is the chat: ``name``, ``type``, ``id``, ``messages``) and a
full-account export (``chats.list[]``, also ``left_chats.list[]``; the chat is picked with ``--chat NAME|ID``,
or taken when the file holds only one). Message versions: current (``date_unixtime``, string ``from_id`` such
as ``user123``), 2021 (string ``from_id``, only the exporter-local ``date``: read in ``--timezone``, UTC with a
warning when not given) and older (``from_id`` a plain number: tdesktop's 64-bit peer id, user = the bare id,
basic group = 2^32 + id, channel = 2^33 + id — inferred from tdesktop's pre-2022 PeerId layout and a real
``10083966286``; decoded to ``user…``/``chat…``/``channel…``, as current exports write them).

Ids. Telegram message ids are only unique inside one chat, so every message id is namespaced by the chat's
bare id: ``<chat id>/<message id>`` (``2012345678/5003``). The chat id is what the export writes (bare, e.g.
``1987654321`` for ``-1001987654321``), so next week's export of the same chat gives the same ids. A channel
and its discussion group are different chats with different id spaces; their posts are not linked (the export
has no ``saved_from_msg_id``). ``reply_to_message_id`` becomes ``<chat id>/<reply id>``; a cross-chat reply
(``reply_to_peer_id``) is namespaced by that peer's bare id. thread_id is left to the job (reply chains).

Forum topics and service messages. A reply to a ``topic_created`` service message is top-level in that topic:
parent None, ``x_topic_id`` = ``<chat id>/<topic id>``; replies further down the chain inherit the topic. A
reply to any other service message (a pin …) is top-level too (its target is not a message). Service and
``unsupported`` items are skipped and counted.

Brand. In a channel (``*_channel``) every post is the brand's. In a group, senders counted as the brand are:
the group itself (``channel<group id>``/``chat<group id>``: anonymous admins), the linked channel(s) — a
``channel…`` sender with at least one automatic copy in the file (``forwarded_from``/``saved_from`` equal to
its own name) — and ``options.brand_authors`` (``user123``, bare ``123``, ``-100123`` for a channel, or a display
name; case-insensitive, a leading ``@`` ignored). When the file shows no linked channel at all, every
``channel…`` sender is taken as the brand posting as its channel (warned); when it does, other channels (people
posting as their own channel) are members (warned, with how to add them). ``brand`` = the chat's name.

Authors: author_id is ``from_id`` (``from`` only when no id is given); ``"from": null`` (deleted account) →
author_id None. Forward names are personal data: only ``x_forwarded`` (true/false) is kept. ``x_edited`` is
"touched" (Telegram writes ``edited`` even after a reaction), not a reliable edit flag.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import (PlatformRecords, Reader, ReaderOptions, SourceFile, epoch_utc,
                                                 iso_utc, json_text, normalise_id, not_mine, records_frame,
                                                 whole_count)
from helpers.io.schema import check_timezone

__all__ = ["READER", "sniff", "read"]

PRESET = "telegram"
CHANNEL_TYPES = frozenset({"public_channel", "private_channel"})
CHAT_TYPES = frozenset({"personal_chat", "bot_chat", "saved_messages", "replies", "verification_codes",
                        "private_group", "private_supergroup", "public_supergroup", "public_channel",
                        "private_channel"}) | CHANNEL_TYPES
ITEM_TYPES = frozenset({"message", "service", "unsupported"})
EXTRA_COLUMNS = ("x_edited", "x_forwarded", "x_topic_id")
_EXPECTED = "a Telegram Desktop JSON export: an object with messages[] or chats.list[]"
_PEER = re.compile(r"^(user|channel|chat)(\d+)$", re.IGNORECASE)
_CHANNEL_SHIFT = 0x200000000   # tdesktop PeerId before 64-bit ids: channel = 2^33 + bare id
_CHAT_SHIFT = 0x100000000      # basic group = 2^32 + bare id
_MEDIA_TYPES = {"sticker": "sticker", "video_message": "video", "voice_message": "voice",
                "animation": "animation", "video_file": "video", "audio_file": "audio"}
_OTHER_MEDIA = (("photo", "photo"), ("poll", "poll"), ("location_information", "location"),
                ("place_name", "location"), ("contact_information", "contact"), ("game_title", "game"),
                ("invoice_information", "invoice"), ("file", "file"))
_LISTED_CHATS = 40
_MAX_COUNT = 10**12            # a reaction count above this is not a count (and would overflow Int64)


# ---------------------------------------------------------------------------------------------- sniffing
def _is_one_of(value: Any, names: frozenset[str]) -> bool:
    """True when ``value`` is one of the strings ``names`` (False for any other value, hashable or not)."""
    return isinstance(value, str) and value in names


def _message_like(item: Any) -> bool:
    """True when ``item`` looks like a Telegram export message (id + type message/service/unsupported)."""
    return isinstance(item, dict) and "id" in item and _is_one_of(item.get("type"), ITEM_TYPES)


def _chat_like(obj: Any) -> bool:
    """True when ``obj`` looks like one exported chat: ``messages`` list plus a chat type or Telegram items."""
    if not isinstance(obj, dict) or not isinstance(obj.get("messages"), list):
        return False
    if _is_one_of(obj.get("type"), CHAT_TYPES):
        return True
    return any(_message_like(m) for m in obj["messages"][:20])


def _account_like(obj: Any) -> bool:
    """True when ``obj`` looks like a full-account export: ``chats.list`` of chats."""
    if not isinstance(obj, dict) or not isinstance(obj.get("chats"), dict):
        return False
    chats = obj["chats"].get("list")
    if not isinstance(chats, list):
        return False
    if chats:
        return any(_chat_like(c) for c in chats[:20])
    return "personal_information" in obj


def sniff(source: SourceFile) -> bool:
    """Is ``source`` a Telegram Desktop JSON export (single chat or full account)? Never raises."""
    try:
        root = source.json
        return _chat_like(root) or _account_like(root)
    except Exception:  # a sniffer must never raise
        return False


# ---------------------------------------------------------------------------------------------- loading
def _fail(source: SourceFile, where: str, what: str) -> ImportInputError:
    """The error for a broken Telegram file, naming the file and the item/field."""
    return ImportInputError(f"{source.name}: {where}: {what} (Telegram Desktop JSON export)")


def _load_root(source: SourceFile) -> dict[str, Any]:
    """The parsed root object; raises for non-JSON/truncated files and ``not_mine`` for other formats."""
    root = source.json
    if root is None:
        text = source.text
        if text is None:
            raise ImportInputError(f"{source.name}: not UTF-8 text, so not a Telegram Desktop JSON export")
        stripped = text.lstrip()
        if not stripped:
            raise ImportInputError(f"{source.name}: the file is empty (a Telegram Desktop JSON export expected)")
        if stripped[:1] == "<":
            raise ImportInputError(f"{source.name}: an HTML/XML page, not JSON (a web page saved as .json?); "
                                   "export the chat again from Telegram Desktop as 'Machine-readable JSON'")
        if stripped[:1] in "{[":
            try:
                json.loads(stripped)
            except ValueError as exc:
                raise ImportInputError(f"{source.name}: invalid or truncated JSON ({exc}); export the chat "
                                       "again (the export may not have finished)") from None
        raise not_mine(source, PRESET, _EXPECTED)
    if _chat_like(root) or _account_like(root):
        return root
    if isinstance(root, dict) and (("messages" in root and ("id" in root or "type" in root))
                                   or (isinstance(root.get("chats"), dict) and "list" in root["chats"])):
        return root   # a Telegram export with broken fields: the reading names them
    raise not_mine(source, PRESET, _EXPECTED)


def _bare_chat_id(value: Any) -> str | None:
    """A chat's bare id as text (``1987654321``; ``-1001987654321``/``channel1987654321`` → the bare id)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    text = str(value).strip()
    peer = _PEER.match(text)
    if peer:
        return peer.group(2)
    if re.fullmatch(r"-100\d+", text):
        return text[4:]
    if re.fullmatch(r"-?\d+", text):
        return text.lstrip("-")
    return None


def _chat_summary(chat: Mapping[str, Any]) -> str:
    """One chat for the chooser: name, id, type and message count."""
    messages = chat.get("messages")
    count = sum(1 for m in messages if isinstance(m, dict) and m.get("type", "message") == "message") \
        if isinstance(messages, list) else 0
    counted = f"{count} message" + ("" if count == 1 else "s")
    return f"'{chat.get('name') or '(no name)'}' (id {chat.get('id')}, {chat.get('type')}, {counted})"


def _chat_list(source: SourceFile, root: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every chat of a full-account export with its location (``chats.list[3]``, ``left_chats.list[0]``)."""
    out = []
    for key in ("chats", "left_chats"):
        section = root.get(key)
        if section is None:
            continue
        chats = section.get("list") if isinstance(section, dict) else None
        if not isinstance(chats, list):
            raise _fail(source, f"{key}.list", "not a list of chats")
        for i, chat in enumerate(chats):
            if not isinstance(chat, dict):
                raise _fail(source, f"{key}.list[{i}]", "not a chat object")
            out.append((f"{key}.list[{i}]", chat))
    return out


def _matches_chat(chat: Mapping[str, Any], wanted: str) -> bool:
    """Does ``--chat`` (a name, case-insensitive, or an id in any Telegram form) name this chat?"""
    name = chat.get("name")
    if isinstance(name, str) and name.strip().casefold() == wanted.strip().casefold():
        return True
    bare = _bare_chat_id(wanted)
    return bare is not None and bare == _bare_chat_id(chat.get("id"))


def _chooser(chats: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The listing of chats (at most :data:`_LISTED_CHATS`) and how to pick one."""
    shown = "; ".join(_chat_summary(c) for _, c in chats[:_LISTED_CHATS])
    more = f"; … and {len(chats) - _LISTED_CHATS} more" if len(chats) > _LISTED_CHATS else ""
    return f"{shown}{more}. Pick one with --chat NAME|ID"


def _pick_chat(source: SourceFile, root: dict[str, Any],
               options: ReaderOptions) -> tuple[str, dict[str, Any], list[str]]:
    """The chat to read: (``where`` prefix, chat, warnings). A single-chat export is its own chat."""
    if "messages" in root:
        warnings = []
        if options.chat and not _matches_chat(root, options.chat):
            warnings.append(f"{source.name}: a single-chat export of {_chat_summary(root)}; --chat "
                            f"{options.chat!r} does not name it and was ignored")
        return "", root, warnings
    chats = _chat_list(source, root)
    if not chats:
        raise _fail(source, "chats.list", "the account export holds no chats")
    if options.chat:
        found = [(w, c) for w, c in chats if _matches_chat(c, options.chat)]
        if len(found) == 1:
            return f"{found[0][0]}.", found[0][1], []
        what = "several chats are" if found else "no chat is"
        raise ImportInputError(f"{source.name}: {what} named {options.chat!r} in this account export: "
                               + _chooser(found or chats))
    if len(chats) == 1:
        return f"{chats[0][0]}.", chats[0][1], []
    raise ImportInputError(f"{source.name}: a full Telegram account export with {len(chats)} chats: "
                           + _chooser(chats))


# ---------------------------------------------------------------------------------------------- fields
def _item_id(source: SourceFile, value: Any, where: str, key: str) -> str | None:
    """A per-chat message id (int or digits) as text; None when absent; raises for other types."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and value.isascii():
        return normalise_id(value)
    if isinstance(value, str) and not value.strip():
        return None
    raise _fail(source, f"{where}.{key}", f"not a message id: {str(value)[:40]!r}")


def _peer_from_number(number: int) -> str:
    """An integer peer id as ``user…``/``chat…``/``channel…`` (old tdesktop encoding; Bot API negatives)."""
    text = str(number)
    if number < 0:
        return f"channel{text[4:]}" if text.startswith("-100") else f"chat{text[1:]}"
    if _CHANNEL_SHIFT <= number < _CHANNEL_SHIFT + _CHAT_SHIFT:
        return f"channel{number - _CHANNEL_SHIFT}"
    if _CHAT_SHIFT <= number < _CHANNEL_SHIFT:
        return f"chat{number - _CHAT_SHIFT}"
    return f"user{number}"


def _peer(source: SourceFile, value: Any, where: str, key: str) -> str | None:
    """A sender/peer id as ``user123``/``channel123``/``chat123`` (None when absent); raises for wrong types."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return _peer_from_number(value)
    if not isinstance(value, str):
        raise _fail(source, f"{where}.{key}", f"not a peer id: {str(value)[:40]!r}")
    text = value.strip()
    match = _PEER.match(text)
    if match:
        return match.group(1).lower() + match.group(2)
    if re.fullmatch(r"-?\d+", text):
        return _peer_from_number(int(text))
    return text or None


def _string(source: SourceFile, item: Mapping[str, Any], key: str, where: str) -> str | None:
    """``item[key]`` when a string, None when absent/null; raises when of another type."""
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _fail(source, f"{where}.{key}", f"expected text, got {type(value).__name__}")


def _flatten(source: SourceFile, parts: list[Any], where: str) -> str:
    """A list of plain strings and entity objects (``{"type","text"}``) as one text."""
    out = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text", ""), str):
            out.append(part.get("text", ""))
        else:
            raise _fail(source, f"{where}[{i}]", "not a text part (a string or an object with text)")
    return "".join(out)


def _text(source: SourceFile, item: Mapping[str, Any], where: str) -> str:
    """The message text: ``text_entities`` flattened when present, else ``text`` (string or list); "" if none."""
    entities = item.get("text_entities")
    if isinstance(entities, list):
        return _flatten(source, entities, f"{where}.text_entities")
    if entities is not None:
        raise _fail(source, f"{where}.text_entities", "not a list")
    text = item.get("text")
    if text is None or isinstance(text, str):
        return text or ""
    if isinstance(text, list):
        return _flatten(source, text, f"{where}.text")
    raise _fail(source, f"{where}.text", f"expected text or a list of parts, got {type(text).__name__}")


def _media(item: Mapping[str, Any]) -> str | None:
    """The attachment kind (``photo``, ``video``, ``voice``, ``sticker``, ``file``, ``poll``, ``location`` …)."""
    kind = item.get("media_type")
    if isinstance(kind, str) and kind:
        return _MEDIA_TYPES.get(kind, kind)
    for key, name in _OTHER_MEDIA:
        if item.get(key) is not None:
            return name
    return None


def _reactions(source: SourceFile, item: Mapping[str, Any], where: str, known: bool) -> int | None:
    """Reactions summed over kinds (emoji, custom_emoji, paid); 0 when the file has reactions but this
    message none, None when the export has no reactions at all (``known`` False)."""
    reactions = item.get("reactions")
    if reactions is None:
        return 0 if known else None
    if not isinstance(reactions, list):
        raise _fail(source, f"{where}.reactions", "not a list")
    total = 0
    for i, reaction in enumerate(reactions):
        if not isinstance(reaction, dict):
            raise _fail(source, f"{where}.reactions[{i}]", "not a reaction object")
        count = whole_count(reaction.get("count"))
        total += count if count is not None and count <= _MAX_COUNT else 0
    return total


def _created(source: SourceFile, item: Mapping[str, Any], where: str,
             timezone: str | None) -> tuple[pd.Timestamp | None, bool]:
    """(UTC time, read from the local ``date``?): ``date_unixtime`` when usable, else ``date`` in ``timezone``."""
    unix = item.get("date_unixtime")
    if isinstance(unix, bool) or (unix is not None and not isinstance(unix, (str, int))):
        raise _fail(source, f"{where}.date_unixtime", "not epoch seconds")
    ts = epoch_utc(unix) if unix is not None else None
    if ts is not None:
        return ts, False
    local = _string(source, item, "date", where)
    if local is None:
        return None, False
    return iso_utc(local, timezone), True


# ---------------------------------------------------------------------------------------------- one chat
@dataclass
class _Scan:
    """What a first pass over one chat's messages finds (ids are bare per-chat message ids)."""

    services: set[str] = field(default_factory=set)        #: service/unsupported item ids
    topics: set[str] = field(default_factory=set)          #: ids of topic_created service messages
    replies: dict[str, str] = field(default_factory=dict)  #: message id → same-chat reply target
    copy_channels: set[str] = field(default_factory=set)   #: channel senders of automatic copies
    channel_senders: set[str] = field(default_factory=set)
    has_reactions: bool = False


def _scan(source: SourceFile, messages: list[Any], prefix: str) -> _Scan:
    """The first pass: service ids, topic ids, the same-chat reply graph, channel senders, reactions."""
    scan = _Scan()
    for i, item in enumerate(messages):
        where = f"{prefix}messages[{i}]"
        if not isinstance(item, dict):
            raise _fail(source, where, "not a message object")
        mid = _item_id(source, item.get("id"), where, "id")
        if item.get("type", "message") != "message":
            if mid is not None:
                scan.services.add(mid)
                if item.get("action") == "topic_created":
                    scan.topics.add(mid)
            continue
        target = _item_id(source, item.get("reply_to_message_id"), where, "reply_to_message_id")
        if mid is not None and target is not None and item.get("reply_to_peer_id") is None:
            scan.replies[mid] = target
        scan.has_reactions = scan.has_reactions or item.get("reactions") is not None
        sender = _peer(source, item.get("from_id"), where, "from_id")
        if sender and sender.startswith("channel"):
            scan.channel_senders.add(sender)
            name = item.get("from")
            if isinstance(name, str) and name in (item.get("forwarded_from"), item.get("saved_from")):
                scan.copy_channels.add(sender)
    return scan


def _topic_of(scan: _Scan, mid: str, memo: dict[str, str | None]) -> str | None:
    """The forum topic (id of its topic_created message) a message sits in, walking its reply chain."""
    path, cur, topic = [], mid, None
    while cur not in memo:
        path.append(cur)
        target = scan.replies.get(cur)
        if target is None or target in path:
            break
        if target in scan.topics:
            topic = target
            break
        cur = target
    else:
        topic = memo[cur]
    for node in path:
        memo[node] = topic
    return topic


@dataclass
class _Brand:
    """Who is the brand in one chat: everyone (a channel), fixed peers, any channel sender, named authors."""

    everyone: bool
    peers: set[str]
    any_channel: bool
    wanted: set[str]

    def role(self, peer: str | None, name: str | None) -> str:
        """``brand`` or ``member`` for a sender (peer id like ``user123`` and display name)."""
        if self.everyone or (peer and (peer in self.peers or (self.any_channel and peer.startswith("channel")))):
            return "brand"
        keys = set()
        if peer:
            keys.add(peer.casefold())
            match = _PEER.match(peer)
            if match:
                keys.add(match.group(2))
        if name:
            keys.add(name.strip().lstrip("@").casefold())
        return "brand" if keys & self.wanted else "member"


def _wanted(values: Iterable[str]) -> set[str]:
    """``--brand-author`` values as match keys (case-folded, ``@`` dropped; ``-100123`` → ``channel123``)."""
    keys = set()
    for value in values:
        key = str(value).strip().lstrip("@").casefold()
        keys.add(key)
        if re.fullmatch(r"-100\d+", key):
            keys.add(f"channel{key[4:]}")
        elif re.fullmatch(r"-\d+", key):
            keys.add(f"chat{key[1:]}")
    return keys


def _brand(source: SourceFile, chat_id: str, chat_type: Any, scan: _Scan,
           options: ReaderOptions) -> tuple[_Brand, list[str]]:
    """The chat's brand rule and the warnings it needs (see the module docstring)."""
    own = {f"channel{chat_id}", f"chat{chat_id}"}
    everyone = _is_one_of(chat_type, CHANNEL_TYPES)
    linked = scan.copy_channels - own
    brand = _Brand(everyone, own | linked, not everyone and not linked, _wanted(options.brand_authors))
    others = sorted(peer for peer in scan.channel_senders - own - linked
                    if brand.any_channel or brand.role(peer, None) != "brand")
    warnings = []
    if not everyone and others and not linked:
        warnings.append(f"{source.name}: no posts of a linked channel in this chat, so every sender posting as a "
                        f"channel ({', '.join(others[:5])}) is counted as the brand")
    elif not everyone and others:
        warnings.append(f"{source.name}: {len(others)} channel(s) other than the linked one post here "
                        f"({', '.join(others[:5])}); counted as members — add --brand-author channel<id> "
                        "for any that is yours")
    return brand, warnings


@dataclass
class _Context:
    """One chat being read: the file, the chat's id/name, the first pass, the brand rule, the time zone."""

    source: SourceFile
    chat_id: str
    brand_name: str
    scan: _Scan
    brand: _Brand
    timezone: str | None
    seen: set[str] = field(default_factory=set)
    topics: dict[str, str | None] = field(default_factory=dict)
    local_dates: int = 0


def _parent(ctx: _Context, item: Mapping[str, Any], where: str,
            mid: str | None) -> tuple[str | None, str | None]:
    """(parent_id, x_topic_id) of a message: ``<chat>/<reply id>``; replies to service messages are top-level."""
    target = _item_id(ctx.source, item.get("reply_to_message_id"), where, "reply_to_message_id")
    peer = item.get("reply_to_peer_id")
    if target is not None and peer is not None:
        other = _bare_chat_id(_peer(ctx.source, peer, where, "reply_to_peer_id"))
        return (f"{other}/{target}" if other else None), None
    topic = _topic_of(ctx.scan, mid, ctx.topics) if mid is not None else (
        target if target in ctx.scan.topics else None)
    topic_id = f"{ctx.chat_id}/{topic}" if topic else None
    if target is None or target in ctx.scan.services:
        return None, topic_id
    return f"{ctx.chat_id}/{target}", topic_id


def _author(ctx: _Context, item: Mapping[str, Any], where: str) -> tuple[str | None, str]:
    """(author_id, author_role): ``from_id`` (the name only when no id is given); None for deleted accounts."""
    name = _string(ctx.source, item, "from", where)
    peer = _peer(ctx.source, item.get("from_id"), where, "from_id")
    deleted = "from" in item and name is None
    return (None if deleted else peer or name), ctx.brand.role(peer, name)


def _reason(ctx: _Context, message_id: str | None, created: pd.Timestamp | None) -> str | None:
    """Why a message must be quarantined (``no id``, ``duplicate id``, ``no date``), None when usable."""
    if message_id is None:
        return "no id"
    if message_id in ctx.seen:
        return "duplicate id"
    ctx.seen.add(message_id)
    return "no date" if created is None else None


def _message_row(ctx: _Context, item: Mapping[str, Any], where: str) -> dict[str, Any]:
    """One message as a record row (canonical columns + ``x_*``)."""
    mid = _item_id(ctx.source, item.get("id"), where, "id")
    message_id = f"{ctx.chat_id}/{mid}" if mid is not None else None
    created, local = _created(ctx.source, item, where, ctx.timezone)
    ctx.local_dates += int(local and created is not None)
    parent_id, topic_id = _parent(ctx, item, where, mid)
    author_id, role = _author(ctx, item, where)
    reason = _reason(ctx, message_id, created)
    return {
        "message_id": message_id, "parent_id": parent_id, "thread_id": None, "channel": "telegram",
        "brand": ctx.brand_name, "author_id": author_id, "author_role": role, "created_at": created,
        "text": _text(ctx.source, item, where), "media": _media(item),
        "reactions": _reactions(ctx.source, item, where, ctx.scan.has_reactions), "shares": None, "reach": None,
        "language": None, "where": where, "reason": reason,
        "raw": json_text(item) if reason else None,   # only quarantined items need their JSON
        "x_edited": item.get("edited") is not None or item.get("edited_unixtime") is not None,
        "x_forwarded": "forwarded_from" in item or item.get("saved_from") is not None,
        "x_topic_id": topic_id,
    }


_SKIPPED = {"service": "service message", "unsupported": "unsupported message"}


def _chat_header(source: SourceFile, chat: Mapping[str, Any], prefix: str) -> tuple[str, str, list[Any]]:
    """(bare chat id, brand name, messages) of a chat; raises when the id or messages are unusable."""
    chat_id = _bare_chat_id(chat.get("id"))
    if chat_id is None:
        raise _fail(source, f"{prefix}id", "the chat has no usable id (needed to namespace message ids)")
    messages = chat.get("messages")
    if not isinstance(messages, list):
        raise _fail(source, f"{prefix}messages", "not a list of messages")
    for key in ("name", "type"):
        if chat.get(key) is not None and not isinstance(chat.get(key), str):
            raise _fail(source, f"{prefix}{key}", f"expected text, got {type(chat.get(key)).__name__}")
    name = chat.get("name")
    return chat_id, (name or "").strip() or f"Telegram chat {chat_id}", messages


def _read_chat(source: SourceFile, chat: Mapping[str, Any], prefix: str,
               options: ReaderOptions) -> PlatformRecords:
    """One chat's messages as PlatformRecords (service/unsupported items counted as skipped)."""
    chat_id, brand_name, messages = _chat_header(source, chat, prefix)
    scan = _scan(source, messages, prefix)
    brand, warnings = _brand(source, chat_id, chat.get("type"), scan, options)
    ctx = _Context(source, chat_id, brand_name, scan, brand, options.timezone)
    records = PlatformRecords(frame=pd.DataFrame(), preset=PRESET, warnings=warnings,
                              info={"chat_id": chat_id, "chat_name": brand_name, "chat_type": chat.get("type")})
    rows = []
    for i, item in enumerate(messages):
        kind = item.get("type", "message")
        if not isinstance(kind, str):
            raise _fail(source, f"{prefix}messages[{i}].type", "not text")
        if kind != "message":
            records.skip(_SKIPPED.get(kind, "unknown item type"))
            continue
        rows.append(_message_row(ctx, item, f"{prefix}messages[{i}]"))
    records.frame = _frame(rows)
    if ctx.local_dates and options.timezone is None:
        records.warnings.append(
            f"{source.name}: {ctx.local_dates} message(s) carry only the exporting PC's local time (no "
            "date_unixtime: an older export); read as UTC — pass --timezone with that PC's zone "
            "(e.g. --timezone Asia/Baku) to read them right")
    return records


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The records frame with ``x_edited``/``x_forwarded`` as booleans."""
    frame = records_frame(rows, EXTRA_COLUMNS)   # replaces lone surrogates in text columns
    for col in ("x_edited", "x_forwarded"):
        frame[col] = pd.array([bool(r[col]) for r in rows], dtype="boolean")
    return frame


def read(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """Read a Telegram Desktop JSON export (one chat, or the ``--chat`` of a full-account export).

    Returns one row per message; raises ImportInputError for broken files, a bad ``--timezone``, an account
    export with several chats and no ``--chat``, and (``not_mine``) files of other formats."""
    if options.timezone is not None:
        problem = check_timezone(options.timezone)
        if problem:
            raise ImportInputError(f"{source.name}: {problem}")
    root = _load_root(source)
    prefix, chat, warnings = _pick_chat(source, root, options)
    records = _read_chat(source, chat, prefix, options)
    records.warnings[:0] = warnings
    return records


READER = Reader(name=PRESET, label="Telegram Desktop JSON export", sniff=sniff, read=read)
