"""X / Twitter: the account archive's ``tweets.js``, API v2 JSON (pages or JSON lines) and API v1.1 JSON.

Three presets (:data:`READERS`):

- ``x_archive`` — ``data/tweets.js`` / ``tweet.js`` (``window.YTD.tweets.part0 = [{"tweet": {…}}, …]``, counts
  as strings, v1.1 ``created_at``). Every tweet is the account owner's (author_role ``brand``). The owner's id
  is in ``account.js``, not in this file: author_id is the tweet's ``user_id_str``/``user.id_str`` where an
  archive has one, else the first ``--brand-author`` (``@`` dropped), else the placeholder ``archive-owner``
  (a warning says how to pass ``--brand-author``, so the id matches the account's tweets in API files).
- ``x_api`` — API v2: ``{"data": [...], "includes": {"users", "tweets", "media"}, "meta": {...}}``, several
  pages as a JSON list, concatenated, or one per line; JSON lines of single tweet objects too. ``conversation_id``
  → thread_id, ``referenced_tweets`` ``replied_to`` → parent_id (``quoted`` → ``x_quoted_id``; retweets are
  skipped), ``public_metrics``: like_count → reactions, retweet_count + quote_count → shares, impression_count
  → reach. Replied-to / root tweets found only in ``includes.tweets`` are rows too (``where`` says so).
- ``x_v1`` — API v1.1 tweet objects (``id_str``, embedded ``user``) as a list, ``{"statuses": [...]}``, or one per
  line (stream notices such as ``{"delete": …}`` skipped).

Ids: tweet ids are global, kept as text (``id_str``; never through a float) — no namespacing. Brand (v2, v1.1):
the author id or username matches ``--brand-author`` (case-insensitive, ``@`` ignored); ``brand`` is that
account's username, else the first ``--brand-author``, else the author of the conversation's root tweet when
the file has it. Retweets (``RT @…``, ``retweeted_status``, ``retweeted`` references) are not the account's
own text: skipped and counted. Text: ``&amp;``/``&lt;``/``&gt;`` unescaped and the t.co link of attached media
removed (media without a caption → text ""). ``lang`` → language only for ISO 639-1 codes (``und``, ``qme``,
``zxx`` … → None).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import (PlatformRecords, Reader, ReaderOptions, SourceFile, iso_utc,
                                                json_documents, json_text, normalise_id, not_mine, records_frame,
                                                whole_count)
from helpers.io.importer.values import handle_key

__all__ = ["READERS"]

_ARCHIVE_PREFIX = re.compile(r"^\s*window\.YTD\.tweets?\.part\d+\s*=\s*")
_ANY_YTD = re.compile(r"^\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")
_V1_TIME = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$")
_V2_KEYS = ("author_id", "edit_history_tweet_ids", "conversation_id", "public_metrics", "referenced_tweets")
_MEDIA = {"photo": "photo", "video": "video", "animated_gif": "animation"}
_LEGACY_LANG = {"in": "id", "iw": "he", "ji": "yi"}
_EXTRA = ("x_quoted_id", "x_edited")
_ARCHIVE_OWNER = "archive-owner"
_EXPECTED_ARCHIVE = "an X archive data/tweets.js starting window.YTD.tweets.part0 = ["
_EXPECTED_V2 = "X API v2 JSON {\"data\": [...], \"includes\": {...}} or JSON lines of tweets"
_EXPECTED_V1 = "X API v1.1 tweet JSON (id_str, user, created_at)"


@dataclass
class _Context:
    """What every tweet of a file shares: the file name, brand keys, users by id, the account name."""

    name: str
    brand_keys: frozenset[str]
    brand_name: str | None
    usernames: dict[str, str] = field(default_factory=dict)      #: user id → username (v2 includes.users)
    media: dict[str, str] = field(default_factory=dict)          #: media_key → kind (v2 includes.media)
    root_authors: dict[str, str] = field(default_factory=dict)   #: conversation id → its root author's username


# ---------------------------------------------------------------- documents and small parsers


def _documents(source: SourceFile, expected: str, reader: str) -> list[Any]:
    """Every JSON document of the file (one, several concatenated, or one per line), an X archive's
    ``window.YTD… =`` prefix and trailing ``;`` dropped. Raises ImportInputError for broken text."""
    if source.json is not None:
        return [source.json]
    text = source.text
    if text is None:
        raise ImportInputError(f"{source.name}: not UTF-8 text; X exports are UTF-8 JSON")
    text = _ANY_YTD.sub("", text, count=1).rstrip().rstrip(";")
    if text.lstrip()[:1] == "<":
        raise ImportInputError(f"{source.name}: an HTML page, not {reader} JSON (saved an error or login page?)")
    if text.lstrip()[:1] not in ("[", "{"):
        raise not_mine(source, reader, expected)
    return json_documents(source, text)


def _doc_label(source: SourceFile, index: int, count: int) -> str:
    """``line N: `` (JSON lines) or ``document N: `` (concatenated documents) for a file of several, else ""."""
    if count <= 1:
        return ""
    return f"{'line' if source.json_lines is not None else 'document'} {index + 1}: "


def _first_document(source: SourceFile) -> Any:
    """The first JSON document of the file for sniffing (archive prefix dropped), or None; never raises."""
    if source.json is not None:
        return source.json
    if source.json_lines:
        return source.json_lines[0]
    text = _ANY_YTD.sub("", source.head, count=1).lstrip()
    if not text.startswith("{"):
        return None
    try:
        return json.JSONDecoder().raw_decode(source.text or "", (source.text or "").find("{"))[0]
    except ValueError:
        return None


def _field(tweet: dict[str, Any], key: str, where: str, name: str, kind: type | tuple[type, ...]) -> Any:
    """``tweet[key]`` when it is of ``kind`` (None when absent); raises ImportInputError for another type."""
    value = tweet.get(key)
    if value is None or isinstance(value, kind):
        return value
    kinds = kind if isinstance(kind, tuple) else (kind,)
    raise ImportInputError(f"{name}: {where}.{key} is {type(value).__name__}, not "
                           f"{' or '.join(k.__name__ for k in kinds)}")


def _id(value: Any, where: str, name: str) -> str | None:
    """A tweet/user id as normalised text (strings or exact ints, never floats); raises for dicts/lists."""
    if value is None:
        return None
    if isinstance(value, (dict, list)) or isinstance(value, bool):
        raise ImportInputError(f"{name}: {where} is {type(value).__name__} {json_text(value)[:60]}, not an id")
    return normalise_id(value)


def _v1_time(value: Any) -> pd.Timestamp | None:
    """``Tue Mar 12 06:00:00 +0000 2024`` (v1.1 / archive) — or ISO-8601 — as UTC; None when unparseable."""
    if not isinstance(value, str):
        return None
    if _V1_TIME.match(value.strip()):
        try:
            return pd.Timestamp(datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y")).tz_convert("UTC")
        except ValueError:
            return None
    return iso_utc(value)


def _count_of(value: Any) -> int | None:
    """A count (ints, digit strings) as a whole number ≥ 0, None when absent, not a count, or absurdly large
    (≥ 2**53, which no real counter reaches and Int64 columns cannot always hold)."""
    count = whole_count(value)
    return count if count is not None and count < 2**53 else None


def _language(value: Any) -> str | None:
    """X's ``lang`` as ISO 639-1 (``az``, ``ru``; legacy ``in`` → ``id``), None for ``und``/``qme``/``zxx`` …"""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().split("-")[0]
    code = _LEGACY_LANG.get(code, code)
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _clean_text(text: str, media_urls: list[str]) -> str:
    """Tweet text with X's HTML escapes undone and the t.co links of attached media removed."""
    for url in media_urls:
        if url:
            text = text.replace(url, "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def _is_brand(author_id: str | None, username: str | None, ctx: _Context) -> bool:
    """Whether the author id or username is one of ``--brand-author``."""
    return any(isinstance(k, str) and handle_key(k) in ctx.brand_keys for k in (author_id, username))


def _brand_keys(options: ReaderOptions) -> frozenset[str]:
    """``--brand-author`` values as comparison keys (case-folded, ``@`` dropped)."""
    return frozenset(handle_key(a) for a in options.brand_authors if isinstance(a, str) and a.strip())


def _first_brand(options: ReaderOptions) -> str | None:
    """The first ``--brand-author`` without a leading ``@``, or None."""
    given = [a.strip().lstrip("@") for a in options.brand_authors if isinstance(a, str) and a.strip()]
    return given[0] if given else None


# ---------------------------------------------------------------- v1.1 and archive tweets


def _v1_media(tweet: dict[str, Any], where: str, name: str) -> tuple[str | None, list[str]]:
    """(kind of the first attached medium, the t.co links of the media) from ``extended_entities`` /
    ``entities.media``."""
    for box_key in ("extended_entities", "entities"):
        box = _field(tweet, box_key, where, name, dict) or {}
        media = _field(box, "media", f"{where}.{box_key}", name, list) or []
        media = [m for m in media if isinstance(m, dict)]
        if media:
            kind = media[0].get("type")
            urls = [m["url"] for m in media if isinstance(m.get("url"), str)]
            return _MEDIA.get(kind, "photo") if isinstance(kind, str) else "photo", urls
    return None, []


def _v1_text(tweet: dict[str, Any], where: str, name: str) -> str:
    """The full text: ``extended_tweet.full_text`` (stream), ``full_text`` (archive, extended mode), ``text``."""
    extended = _field(tweet, "extended_tweet", where, name, dict) or {}
    for box, key, at in ((extended, "full_text", f"{where}.extended_tweet"), (tweet, "full_text", where),
                         (tweet, "text", where)):
        value = _field(box, key, at, name, str)
        if value is not None:
            return value
    return ""


def _edit_chain(tweet: dict[str, Any]) -> list[str]:
    """The ids of all versions of an edited tweet (``edit_info`` of the archive, ``edit_history_tweet_ids``)."""
    info = tweet.get("edit_info")
    chain: Any = None
    if isinstance(info, dict):
        part = info.get("initial") if isinstance(info.get("initial"), dict) else info.get("edit")
        chain = part.get("editTweetIds") if isinstance(part, dict) else None
    if chain is None:
        chain = tweet.get("edit_history_tweet_ids")
    return [str(c) for c in chain if isinstance(c, (str, int))] if isinstance(chain, list) else []


def _v1_counts(tweet: dict[str, Any]) -> dict[str, int | None]:
    """reactions (favourites) and shares (retweets + quotes) of a v1.1 / archive tweet (counts may be text)."""
    likes = _count_of(tweet.get("favorite_count"))
    retweets, quotes = _count_of(tweet.get("retweet_count")), _count_of(tweet.get("quote_count"))
    shares = None if retweets is None and quotes is None else (retweets or 0) + (quotes or 0)
    return {"reactions": likes, "shares": shares}


def _v1_row(tweet: Any, where: str, ctx: _Context, owner: str | None) -> dict[str, Any] | str:
    """One v1.1 / archive tweet as a record row, or the reason it is skipped. ``owner``: the archive owner's
    id (every tweet is the brand's), None for v1.1 (brand from ``--brand-author``)."""
    name = ctx.name
    if not isinstance(tweet, dict):
        raise ImportInputError(f"{name}: {where} is {type(tweet).__name__}, not a tweet object")
    text = _v1_text(tweet, where, name)
    if "retweeted_status" in tweet or text.startswith("RT @"):
        return "retweet (not the account's own text)"
    kind, urls = _v1_media(tweet, where, name)
    user = _field(tweet, "user", where, name, dict) or {}
    author = _id(user.get("id_str", user.get("id")), f"{where}.user.id_str", name)
    username = user.get("screen_name") if isinstance(user.get("screen_name"), str) else None
    if owner is not None:
        author = author or _id(tweet.get("user_id_str", tweet.get("user_id")), f"{where}.user_id_str", name) or owner
    message_id = _id(tweet.get("id_str", tweet.get("id")), f"{where}.id_str", name)
    created = _v1_time(tweet.get("created_at"))
    brand = owner is not None or _is_brand(author, username, ctx)
    row = {"message_id": message_id, "channel": "x", "author_id": author,
           "brand": ctx.brand_name or (username if brand else None),
           "author_role": "brand" if brand else "member", "created_at": created,
           "parent_id": _id(tweet.get("in_reply_to_status_id_str", tweet.get("in_reply_to_status_id")),
                            f"{where}.in_reply_to_status_id_str", name),
           "text": _clean_text(text, urls), "media": kind, "language": _language(tweet.get("lang")),
           "x_quoted_id": _id(tweet.get("quoted_status_id_str"), f"{where}.quoted_status_id_str", name),
           "x_edited": "true" if len(_edit_chain(tweet)) > 1 else None, "where": where, "raw": json_text(tweet),
           "reason": "no id" if message_id is None else ("no date" if created is None else None)}
    return row | _v1_counts(tweet)


# ---------------------------------------------------------------- collecting rows


def _collect(pairs: list[tuple[Any, str]], make: Callable[[Any, str], dict[str, Any] | str],
             records: PlatformRecords) -> list[dict[str, Any]]:
    """Rows of ``(item, where)`` pairs made by ``make``; skip reasons counted, repeated ids skipped."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item, where in pairs:
        row = make(item, where)
        if isinstance(row, str):
            records.skip(row)
        elif row["message_id"] is not None and row["message_id"] in seen:
            records.skip("duplicate (same tweet twice in the file)")
        else:
            seen.add(row["message_id"])
            rows.append(row)
    return rows


def _drop_superseded(rows: list[dict[str, Any]], tweets: dict[str, Any], records: PlatformRecords
                     ) -> list[dict[str, Any]]:
    """Rows without the earlier versions of edited tweets whose latest version is in the file."""
    ids = {r["message_id"] for r in rows}
    kept = []
    for row in rows:
        chain = _edit_chain(tweets.get(row["where"], {}))
        if chain and chain[-1] != row["message_id"] and chain[-1] in ids:
            records.skip("earlier version of an edited tweet")
        else:
            kept.append(row)
    return kept


# ---------------------------------------------------------------- x_archive


def _archive_items(source: SourceFile) -> list[tuple[Any, str]]:
    """The archive's tweets with their location (``[3].tweet``); not_mine for files of another kind."""
    prefixed = bool(_ARCHIVE_PREFIX.match(source.head))
    if not prefixed and _ANY_YTD.match(source.head):
        raise not_mine(source, "X archive", _EXPECTED_ARCHIVE)
    docs = _documents(source, _EXPECTED_ARCHIVE, "X archive")
    if len(docs) != 1 or not isinstance(docs[0], list):
        if prefixed:
            raise ImportInputError(f"{source.name}: after window.YTD.tweets.part… = expected a JSON list of tweets")
        raise not_mine(source, "X archive", _EXPECTED_ARCHIVE)
    items = docs[0]
    if not prefixed and not (items and isinstance(items[0], dict) and isinstance(items[0].get("tweet"), dict)):
        raise not_mine(source, "X archive", _EXPECTED_ARCHIVE)
    out = []
    for i, item in enumerate(items):
        wrapped = isinstance(item, dict) and set(item) == {"tweet"}
        out.append((item["tweet"], f"[{i}].tweet") if wrapped else (item, f"[{i}]"))
    return out


def _archive_sniff(source: SourceFile) -> bool:
    """Whether the file is an X archive ``tweets.js`` (the ``window.YTD.tweets.part`` prefix, or its list of
    ``{"tweet": {…}}`` items with the prefix removed). Never raises."""
    try:
        if _ARCHIVE_PREFIX.match(source.head):
            return True
        if _ANY_YTD.match(source.head):
            return False
        doc = source.json
        return (isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict) and set(doc[0]) == {"tweet"}
                and isinstance(doc[0]["tweet"], dict) and "created_at" in doc[0]["tweet"])
    except Exception:  # a sniffer must never raise
        return False


def _archive_read(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """The account's own tweets and replies of an archive ``tweets.js`` as PlatformRecords (all brand)."""
    pairs = _archive_items(source)
    records = PlatformRecords(frame=records_frame([]), preset="x_archive")
    owner = _first_brand(options)
    if owner is None:
        has_user = any(isinstance(t, dict) and (t.get("user_id_str") or isinstance(t.get("user"), dict))
                       for t, _ in pairs)
        if not has_user:
            records.warnings.append(f"{source.name}: the archive does not name its account: its tweets get the "
                                    f"author id '{_ARCHIVE_OWNER}'; pass --brand-author <account id or @handle> "
                                    "(see data/account.js) so they match the account in other files")
    ctx = _Context(name=source.name, brand_keys=_brand_keys(options), brand_name=owner or "X archive owner")
    rows = _collect(pairs, lambda t, w: _v1_row(t, w, ctx, owner or _ARCHIVE_OWNER), records)
    rows = _drop_superseded(rows, {w: t for t, w in pairs if isinstance(t, dict)}, records)
    records.frame = records_frame(rows, extra_columns=_EXTRA)
    return records


# ---------------------------------------------------------------- x_api (v2)


def _is_v2_tweet(item: Any) -> bool:
    """Whether ``item`` looks like an API v2 tweet object (text ``id``, ``text``, a v2-only field)."""
    return (isinstance(item, dict) and isinstance(item.get("id"), str) and "text" in item and "id_str" not in item
            and any(k in item for k in _V2_KEYS))


def _is_problem(doc: Any) -> bool:
    """Whether ``doc`` is an API v2 error (problem) response."""
    if not isinstance(doc, dict) or "data" in doc:
        return False
    kind = doc.get("type")
    errors = doc.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else None
    kinds = [kind, first.get("type") if isinstance(first, dict) else None]
    return any(isinstance(k, str) and re.match(r"https://api\.(twitter|x)\.com/2/problems/", k) for k in kinds)


def _is_v2_page(doc: Any) -> bool:
    """Whether ``doc`` is an API v2 response page (tweets in ``data``, or an empty page / problem)."""
    if not isinstance(doc, dict):
        return False
    data = doc.get("data")
    if isinstance(data, list):
        return bool(data) and _is_v2_tweet(data[0])
    if isinstance(data, dict):
        return _is_v2_tweet(data)
    meta = doc.get("meta")
    return _is_problem(doc) or (isinstance(meta, dict) and "result_count" in meta and data is None)


def _v2_envelope(doc: Any) -> bool:
    """Whether ``doc`` has the v2 envelope (``data`` with ``includes``/``meta``, or any v2 tweet in ``data``):
    broken tweets inside are then errors of an X file, not another format."""
    if not isinstance(doc, dict) or "data" not in doc:
        return False
    data = doc["data"]
    return ("includes" in doc or "meta" in doc or (isinstance(data, list) and any(_is_v2_tweet(t) for t in data)))


def _v2_sniff(source: SourceFile) -> bool:
    """Whether the file is X API v2 JSON (pages, a list of pages, or JSON lines of pages/tweets)."""
    try:
        doc = _first_document(source)
        if isinstance(doc, list):
            doc = doc[0] if doc else None
        return _is_v2_page(doc) or _is_v2_tweet(doc)
    except Exception:  # a sniffer must never raise
        return False


def _v2_pages(source: SourceFile) -> list[tuple[dict[str, Any], str]]:
    """Every page of the file as (page, location prefix); a bare tweet object becomes a one-tweet page.
    Raises not_mine / ImportInputError (quoting X's error) for documents that are not pages."""
    docs = _documents(source, _EXPECTED_V2, "X API v2")
    flat: list[tuple[Any, str]] = []
    for d, doc in enumerate(docs):
        line = _doc_label(source, d, len(docs))
        flat.extend(((sub, f"{line}[{i}].") for i, sub in enumerate(doc)) if isinstance(doc, list)
                    else [(doc, line)])
    if not flat or not (_is_v2_page(flat[0][0]) or _is_v2_tweet(flat[0][0]) or _v2_envelope(flat[0][0])):
        raise not_mine(source, "X API v2", _EXPECTED_V2)
    pages = []
    for doc, prefix in flat:
        if _is_problem(doc) or (isinstance(doc, dict) and "errors" in doc and "data" not in doc
                                and ("title" in doc or "detail" in doc)):
            raise ImportInputError(f"{source.name}: {prefix}X returned an error instead of tweets: "
                                   f"{_problem_text(doc)}")
        if _is_v2_tweet(doc):
            pages.append(({"data": doc, "_bare": True}, prefix))
        elif isinstance(doc, dict) and ("data" in doc or "meta" in doc or "errors" in doc):
            pages.append((doc, prefix))
        else:
            raise ImportInputError(f"{source.name}: {prefix or 'the file'} is not an X API v2 page or tweet "
                                   f"({json_text(doc)[:80]})")
    return pages


def _problem_text(doc: dict[str, Any]) -> str:
    """The title and detail of an X API problem (or of its first error), shortened."""
    first = doc.get("errors")[0] if isinstance(doc.get("errors"), list) and doc["errors"] else {}
    first = first if isinstance(first, dict) else {}
    parts = [doc.get("title") or first.get("title"), doc.get("detail") or first.get("detail")
             or first.get("message")]
    return " — ".join(str(p) for p in parts if p)[:200] or json_text(doc)[:200]


def _v2_includes(pages: list[tuple[dict[str, Any], str]], ctx: _Context, name: str) -> None:
    """Fill ``ctx`` with the users' usernames and the media kinds from every page's ``includes``."""
    for page, prefix in pages:
        includes = _field(page, "includes", prefix.rstrip("."), name, dict) or {}
        for user in includes.get("users") or []:
            if isinstance(user, dict) and isinstance(user.get("id"), str) and isinstance(user.get("username"), str):
                ctx.usernames[normalise_id(user["id"]) or ""] = user["username"]
        for medium in includes.get("media") or []:
            if isinstance(medium, dict) and isinstance(medium.get("media_key"), str):
                kind = medium.get("type")
                ctx.media[medium["media_key"]] = _MEDIA.get(kind, "photo") if isinstance(kind, str) else "photo"


def _v2_tweets(pages: list[tuple[dict[str, Any], str]], name: str) -> list[tuple[Any, str]]:
    """(tweet, where) for every tweet in ``data``, then the ``includes.tweets`` that are a data tweet's
    replied-to parent or conversation root (other included tweets — quoted ones — are left out)."""
    data: list[tuple[Any, str]] = []
    for page, prefix in pages:
        items = page.get("data")
        if isinstance(items, dict):
            data.append((items, prefix.rstrip(": .") or "tweet" if page.get("_bare") else f"{prefix}data"))
        elif isinstance(items, list):
            data.extend((t, f"{prefix}data[{i}]") for i, t in enumerate(items))
        elif items is not None:
            raise ImportInputError(f"{name}: {prefix}data is {type(items).__name__}, not a list of tweets")
    wanted = {_id(t.get("conversation_id"), "conversation_id", name) for t, _ in data if isinstance(t, dict)}
    for tweet, where in data:
        wanted |= {ref[1] for ref in _references(tweet, where, name) if ref[0] == "replied_to"}
    seen = {t.get("id") for t, _ in data if isinstance(t, dict) and isinstance(t.get("id"), str)}
    extra = []
    for page, prefix in pages:
        includes = page.get("includes") if isinstance(page.get("includes"), dict) else {}
        tweets = includes.get("tweets") if isinstance(includes.get("tweets"), list) else []
        for i, tweet in enumerate(tweets):
            tweet_id = tweet.get("id") if isinstance(tweet, dict) else None
            if isinstance(tweet_id, str) and tweet_id in wanted and tweet_id not in seen:
                seen.add(tweet_id)
                extra.append((tweet, f"{prefix}includes.tweets[{i}]"))
    return data + extra


def _references(tweet: Any, where: str, name: str) -> list[tuple[str, str]]:
    """``referenced_tweets`` as (type, id) pairs; raises when it is not a list of objects."""
    if not isinstance(tweet, dict):
        return []
    refs = _field(tweet, "referenced_tweets", where, name, list) or []
    out = []
    for r, ref in enumerate(refs):
        if not isinstance(ref, dict):
            raise ImportInputError(f"{name}: {where}.referenced_tweets[{r}] is {type(ref).__name__}, not an object")
        ref_id = _id(ref.get("id"), f"{where}.referenced_tweets[{r}].id", name)
        if isinstance(ref.get("type"), str) and ref_id:
            out.append((ref["type"], ref_id))
    return out


def _v2_metrics(tweet: dict[str, Any], where: str, name: str) -> dict[str, int | None]:
    """reactions (like_count), shares (retweet_count + quote_count) and reach (impression_count)."""
    metrics = _field(tweet, "public_metrics", where, name, dict) or {}
    retweets, quotes = _count_of(metrics.get("retweet_count")), _count_of(metrics.get("quote_count"))
    return {"reactions": _count_of(metrics.get("like_count")),
            "shares": None if retweets is None and quotes is None else (retweets or 0) + (quotes or 0),
            "reach": _count_of(metrics.get("impression_count"))}


def _v2_media(tweet: dict[str, Any], where: str, ctx: _Context) -> tuple[str | None, list[str]]:
    """(kind of the first attachment — from ``includes.media``, ``poll`` for polls —, t.co links of media)."""
    attachments = _field(tweet, "attachments", where, ctx.name, dict) or {}
    keys = _field(attachments, "media_keys", f"{where}.attachments", ctx.name, list) or []
    entities = _field(tweet, "entities", where, ctx.name, dict) or {}
    urls = [u["url"] for u in (entities.get("urls") if isinstance(entities.get("urls"), list) else [])
            if isinstance(u, dict) and u.get("media_key") and isinstance(u.get("url"), str)]
    if keys:
        return ctx.media.get(keys[0], "photo") if isinstance(keys[0], str) else "photo", urls
    if attachments.get("poll_ids"):
        return "poll", urls
    return None, urls


def _v2_text(tweet: dict[str, Any], where: str, name: str) -> str:
    """The full text: ``note_tweet.text`` for long tweets, else ``text``."""
    note = _field(tweet, "note_tweet", where, name, dict) or {}
    text = _field(note, "text", f"{where}.note_tweet", name, str)
    return text if text is not None else (_field(tweet, "text", where, name, str) or "")


def _v2_row(tweet: Any, where: str, ctx: _Context) -> dict[str, Any] | str:
    """One API v2 tweet as a record row, or the reason it is skipped (retweets)."""
    name = ctx.name
    if not isinstance(tweet, dict):
        raise ImportInputError(f"{name}: {where} is {type(tweet).__name__}, not a tweet object")
    refs = _references(tweet, where, name)
    if any(kind == "retweeted" for kind, _ in refs):
        return "retweet (not the account's own text)"
    author = _id(tweet.get("author_id"), f"{where}.author_id", name)
    embedded = tweet.get("author") if isinstance(tweet.get("author"), dict) else {}
    username = ctx.usernames.get(author or "") or (embedded.get("username") if isinstance(
        embedded.get("username"), str) else None)
    message_id = _id(tweet.get("id"), f"{where}.id", name)
    thread = _id(tweet.get("conversation_id"), f"{where}.conversation_id", name)
    created = iso_utc(tweet.get("created_at"))
    kind, urls = _v2_media(tweet, where, ctx)
    brand = _is_brand(author, username, ctx)
    row = {"message_id": message_id, "thread_id": thread, "channel": "x", "author_id": author,
           "brand": ctx.brand_name or ctx.root_authors.get(thread or ""),
           "author_role": "brand" if brand else "member", "created_at": created,
           "parent_id": next((i for k, i in refs if k == "replied_to"), None),
           "text": _clean_text(_v2_text(tweet, where, name), urls), "media": kind,
           "language": _language(tweet.get("lang")),
           "x_quoted_id": next((i for k, i in refs if k == "quoted"), None),
           "x_edited": "true" if len(_edit_chain(tweet)) > 1 else None, "where": where, "raw": json_text(tweet),
           "reason": "no id" if message_id is None else ("no date" if created is None else None)}
    return row | _v2_metrics(tweet, where, name)


def _v2_brand_name(ctx: _Context, options: ReaderOptions) -> str | None:
    """The brand account's username (a ``--brand-author`` matched in includes.users), else the first
    ``--brand-author``, else None (rows then use their conversation root's author)."""
    for user_id, username in ctx.usernames.items():
        if _is_brand(user_id, username, ctx):
            return username
    return _first_brand(options)


def _v2_roots(tweets: list[tuple[Any, str]], ctx: _Context) -> None:
    """Fill ``ctx.root_authors``: conversation id → username (else id) of its root tweet's author."""
    for tweet, _ in tweets:
        if isinstance(tweet, dict) and tweet.get("id") and tweet.get("id") == tweet.get("conversation_id"):
            author = tweet.get("author_id")
            if isinstance(author, str):
                ctx.root_authors[tweet["id"]] = ctx.usernames.get(author, author)


def _v2_read(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """The tweets of an X API v2 file as PlatformRecords (one row per tweet; retweets skipped)."""
    pages = _v2_pages(source)
    ctx = _Context(name=source.name, brand_keys=_brand_keys(options), brand_name=None)
    _v2_includes(pages, ctx, source.name)
    ctx.brand_name = _v2_brand_name(ctx, options)
    tweets = _v2_tweets(pages, source.name)
    _v2_roots(tweets, ctx)
    records = PlatformRecords(frame=records_frame([]), preset="x_api")
    for page, _ in pages:
        errors = page.get("errors")
        if isinstance(errors, list) and errors:
            records.skip("not returned by X (errors[]: deleted or protected)", len(errors))
    rows = _collect(tweets, lambda t, w: _v2_row(t, w, ctx), records)
    if not ctx.brand_keys:
        records.warnings.append(f"{source.name}: no --brand-author given: no tweet is marked as the brand's; pass "
                                "--brand-author <@handle or id> of your account")
    records.frame = records_frame(rows, extra_columns=_EXTRA)
    records.info["pages"] = len(pages)
    return records


# ---------------------------------------------------------------- x_v1 (API v1.1)


def _is_v1_tweet(item: Any) -> bool:
    """Whether ``item`` is an API v1.1 tweet (``id_str``, embedded ``user``, v1.1 ``created_at``)."""
    return (isinstance(item, dict) and "id_str" in item and isinstance(item.get("user"), dict)
            and isinstance(item.get("created_at"), str) and bool(_V1_TIME.match(item["created_at"].strip())))


def _v1_sniff(source: SourceFile) -> bool:
    """Whether the file is X API v1.1 tweet JSON (a tweet, a list, ``{"statuses": [...]}``, JSON lines)."""
    try:
        if _ANY_YTD.match(source.head):
            return False
        doc = _first_document(source)
        if isinstance(doc, dict) and isinstance(doc.get("statuses"), list):
            doc = doc["statuses"]
        if isinstance(doc, list):
            doc = doc[0] if doc else None
        return _is_v1_tweet(doc)
    except Exception:  # a sniffer must never raise
        return False


def _v1_items(source: SourceFile) -> list[tuple[Any, str]]:
    """(tweet, where) of every v1.1 tweet; stream notices (``delete``, ``limit`` …) as (None, notice kind)."""
    if _ANY_YTD.match(source.head):
        raise not_mine(source, "X API v1.1", _EXPECTED_V1)
    docs = _documents(source, _EXPECTED_V1, "X API v1.1")
    out: list[tuple[Any, str]] = []
    for d, doc in enumerate(docs):
        line = _doc_label(source, d, len(docs))
        if isinstance(doc, dict) and isinstance(doc.get("statuses"), list):
            out.extend((t, f"{line}statuses[{i}]") for i, t in enumerate(doc["statuses"]))
        elif isinstance(doc, list):
            out.extend((t, f"{line}[{i}]") for i, t in enumerate(doc))
        elif isinstance(doc, dict) and "id_str" not in doc and "id" not in doc and len(doc) == 1:
            out.append((None, f"stream notice ({next(iter(doc))})"))
        else:
            out.append((doc, line.rstrip(": ") or "tweet"))
    first = next((t for t, _ in out if t is not None), None)
    if first is None or not _is_v1_tweet(first):
        raise not_mine(source, "X API v1.1", _EXPECTED_V1)
    return out


def _v1_read(source: SourceFile, options: ReaderOptions) -> PlatformRecords:
    """The tweets of an X API v1.1 file as PlatformRecords (retweets and stream notices skipped)."""
    pairs = _v1_items(source)
    ctx = _Context(name=source.name, brand_keys=_brand_keys(options), brand_name=None)
    for tweet, _ in pairs:
        user = tweet.get("user") if isinstance(tweet, dict) else None
        if isinstance(user, dict) and _is_brand(normalise_id(user.get("id_str")), user.get("screen_name"), ctx):
            ctx.brand_name = str(user.get("screen_name") or user.get("id_str"))
            break
    ctx.brand_name = ctx.brand_name or _first_brand(options)
    records = PlatformRecords(frame=records_frame([]), preset="x_v1")
    rows = _collect(pairs, lambda t, w: w if t is None else _v1_row(t, w, ctx, None), records)
    records.frame = records_frame(rows, extra_columns=_EXTRA)
    return records


READERS = [
    Reader(name="x_archive", label="X archive tweets.js", sniff=_archive_sniff, read=_archive_read),
    Reader(name="x_api", label="X API v2 JSON", sniff=_v2_sniff, read=_v2_read),
    Reader(name="x_v1", label="X API v1.1 JSON", sniff=_v1_sniff, read=_v1_read),
]
