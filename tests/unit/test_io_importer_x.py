"""The X readers (platforms/x.py): archive tweets.js, API v2 JSON / JSON lines, API v1.1 JSON."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms import x
from helpers.io.importer.platforms.base import RECORD_COLUMNS, PlatformRecords, ReaderOptions, SourceFile

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "exports" / "x"
FORMATS = HERE.parents[2] / "shared" / "formats"
if not FORMATS.is_dir():
    FORMATS = Path("/work/shared/formats")
READERS = {r.name: r for r in x.READERS}
BRAND_ID = "1512345678901234567"
ROOT = "1767456789012345601"
MINE = {
    "x_archive": ["tweets.js", "tweet.js", "twitter_archive_tweets.example.js"],
    "x_api": ["v2_conversation.json", "v2_pages.json", "v2_pages.jsonl", "v2_pages_concatenated.json",
              "v2_tweets.jsonl", "v2_error.json", "twitter_v2_search_conversation.example.json"],
    "x_v1": ["v1_search.json", "v1_stream.jsonl"],
}


def path_of(name: str) -> Path:
    """A fixture, or a shared example file."""
    return FIXTURES / name if (FIXTURES / name).exists() else FORMATS / name


def source(path: Path) -> SourceFile:
    """A SourceFile for a file on disk."""
    return SourceFile(path=path, name=path.name, data=path.read_bytes())


def source_of(data: Any, name: str = "x.json") -> SourceFile:
    """A SourceFile holding ``data`` (JSON-dumped unless bytes/str)."""
    raw = data if isinstance(data, bytes) else (data.encode() if isinstance(data, str)
                                                  else json.dumps(data, ensure_ascii=False).encode())
    return SourceFile(path=Path("/nonexistent") / name, name=name, data=raw)


def read(preset: str, src: str | SourceFile, *brand: str) -> PlatformRecords:
    """Read a fixture (by name) or a SourceFile with one preset and ``--brand-author`` values."""
    src = source(path_of(src)) if isinstance(src, str) else src
    return READERS[preset].read(src, ReaderOptions(brand_authors=brand))


def by_id(records: PlatformRecords) -> dict[str, dict[str, Any]]:
    """The records' rows keyed by message_id."""
    return {r["message_id"]: r for r in records.frame.to_dict("records")}


# ---------------------------------------------------------------- sniffing

_ALL = sorted(FORMATS.glob("*.example.*")) + sorted(FIXTURES.glob("*")) + sorted(
    (HERE.parent / "fixtures" / "exports" / "vk").glob("*"))


@pytest.mark.parametrize("path", _ALL, ids=lambda p: p.name)
def test_each_file_is_claimed_by_at_most_its_own_reader(path: Path) -> None:
    claimed = [name for name, reader in READERS.items() if reader.sniff(source(path))]
    owner = [name for name, files in MINE.items() if path.name in files]
    assert claimed == owner


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b"", b"<html>Error</html>", b"[]", b'{"data": 5}',
                                  b'{"data": [1]}', b"window.YTD.tweets.part0 = [", b"window.YTD.like.part0 = []",
                                  b'{"statuses": [{}]}'])
def test_sniffers_never_raise(data: bytes) -> None:
    src = source_of(data)
    assert [r.sniff(src) for r in x.READERS][1:] == [False, False]


def test_reader_names() -> None:
    assert list(READERS) == ["x_archive", "x_api", "x_v1"]


# ---------------------------------------------------------------- archive


def test_archive_tweets() -> None:
    records = read("x_archive", "tweets.js")
    frame = records.frame
    assert list(frame.columns) == list(RECORD_COLUMNS) + ["x_quoted_id", "x_edited"]
    assert len(frame) == 6
    assert records.skipped == {"retweet (not the account's own text)": 1, "earlier version of an edited tweet": 1}
    assert (frame["reason"] == "no date").sum() == 1 and frame["reason"].notna().sum() == 1
    assert set(frame["author_role"]) == {"brand"} and set(frame["author_id"]) == {"archive-owner"}
    assert any("--brand-author" in w for w in records.warnings)
    rows = by_id(records)
    root = rows[ROOT]
    assert root["created_at"] == pd.Timestamp("2024-03-12 06:00", tz="UTC")
    assert root["reactions"] == 52 and root["shares"] == 11 and pd.isna(root["reach"])
    assert pd.isna(root["language"])                                    # lang "und"
    assert rows["1767471234567890123"]["parent_id"] == "1767460011122233344"
    assert frame["thread_id"].isna().all()
    media = rows["1767600000000000001"]
    assert media["text"] == "" and media["media"] == "video"
    edited = rows["1767600000000000004"]
    assert edited["text"] == "Bilet qiyməti: 5 AZN & uşaqlar pulsuz" and edited["x_edited"] == "true"
    assert edited["language"] == "az" and "1767600000000000003" not in rows
    assert frame["where"].tolist()[0] == "[0].tweet"


def test_archive_owner_from_brand_author() -> None:
    records = read("x_archive", "tweets.js", "@BakuCultureCtr")
    assert set(records.frame["author_id"]) == {"BakuCultureCtr"}
    assert set(records.frame["brand"]) == {"BakuCultureCtr"} and records.warnings == []


def test_archive_user_id_when_present() -> None:
    text = (FIXTURES / "tweets.js").read_text()
    data = json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))
    for item in data:
        item["tweet"]["user_id_str"] = BRAND_ID
    records = read("x_archive", source_of("window.YTD.tweets.part0 = " + json.dumps(data), "tweets.js"))
    assert set(records.frame["author_id"]) == {BRAND_ID} and records.warnings == []


def test_old_archive_tweet_js_without_wrappers() -> None:
    records = read("x_archive", "tweet.js")
    assert records.frame["message_id"].tolist() == [ROOT, "1767471234567890123"]
    assert records.frame["where"].tolist() == ["[0]", "[1]"]


def test_shared_archive_example() -> None:
    records = read("x_archive", "twitter_archive_tweets.example.js")
    assert len(records.frame) == 3 and records.skipped == {} and records.frame["reason"].isna().all()


def test_archive_without_prefix_is_accepted() -> None:
    text = (FORMATS / "twitter_archive_tweets.example.js").read_text().split("=", 1)[1]
    src = source_of(text, "tweets.json")
    assert READERS["x_archive"].sniff(src)
    assert len(read("x_archive", src).frame) == 3


# ---------------------------------------------------------------- API v2


def test_v2_conversation() -> None:
    records = read("x_api", "v2_conversation.json", "@bakuculturectr")
    frame = records.frame
    assert len(frame) == 5 and records.skipped == {} and records.warnings == []
    assert frame["reason"].isna().all()
    assert set(frame["thread_id"]) == {ROOT}
    assert frame.loc[frame["author_id"] == BRAND_ID, "author_role"].tolist() == ["brand", "brand"]
    assert (frame["author_role"] == "member").sum() == 3
    assert set(frame["brand"]) == {"BakuCultureCtr"}
    rows = by_id(records)
    first = rows["1767460011122233344"]
    assert first["parent_id"] == ROOT and first["reactions"] == 3 and first["shares"] == 0
    assert first["reach"] == 210 and pd.isna(first["language"])
    assert first["created_at"] == pd.Timestamp("2024-03-12 06:14:07", tz="UTC")
    assert rows["1767481112223334445"]["parent_id"] == "1767479876543210987"


def test_v2_brand_by_id_and_no_brand_warning() -> None:
    assert (read("x_api", "v2_conversation.json", BRAND_ID).frame["author_role"] == "brand").sum() == 2
    records = read("x_api", "v2_conversation.json")
    assert set(records.frame["author_role"]) == {"member"}
    assert any("--brand-author" in w for w in records.warnings)


@pytest.mark.parametrize("name, prefix", [("v2_pages.json", "[1]."), ("v2_pages.jsonl", "line 2: "),
                                          ("v2_pages_concatenated.json", "document 2: ")])
def test_v2_pages(name: str, prefix: str) -> None:
    records = read("x_api", name, "BakuCultureCtr")
    frame = records.frame
    assert len(frame) == 8
    assert records.skipped == {"retweet (not the account's own text)": 1,
                               "not returned by X (errors[]: deleted or protected)": 1}
    assert (frame["reason"] == "no date").sum() == 1 and frame["reason"].notna().sum() == 1
    rows = by_id(records)
    root = rows[ROOT]                          # only in includes.tweets: the conversation's root
    assert root["where"].endswith("includes.tweets[0]") and root["author_role"] == "brand"
    assert root["text"] == "🎉 Novruz bayramı konserti https://t.co/AbCdEf1234" and root["media"] == "photo"
    assert (root["reactions"], root["shares"], root["reach"], root["language"]) == (52, 14, 9000, "az")
    assert "999" not in rows                   # a quoted tweet from elsewhere is not a message here
    quote = rows["1767490000000000002"]
    assert quote["x_quoted_id"] == ROOT and pd.isna(quote["parent_id"]) and quote["x_edited"] == "true"
    assert quote["text"] == "Gedirik! <3 https://t.co/q" and pd.isna(quote["language"])       # "qme"
    assert rows["1767490000000000003"]["language"] == "ru"
    assert rows["1767479876543210987"]["where"] == f"{prefix}data[0]"


def test_v2_json_lines_of_tweets() -> None:
    records = read("x_api", "v2_tweets.jsonl", "bakuculturectr")
    frame = records.frame
    assert len(frame) == 5 and (frame["author_role"] == "brand").sum() == 2
    assert frame["where"].tolist() == [f"line {i}" for i in range(1, 6)]


def test_v2_single_tweet_lookup_and_long_text() -> None:
    tweet = json.loads((FIXTURES / "v2_conversation.json").read_text())["data"][0]
    tweet["note_tweet"] = {"text": "a long text " * 30}
    records = read("x_api", source_of({"data": tweet}))
    assert records.frame["text"].tolist() == [("a long text " * 30).strip()]
    assert records.frame["where"].tolist() == ["data"]


def test_v2_empty_page() -> None:
    records = read("x_api", source_of({"meta": {"result_count": 0}}))
    assert len(records.frame) == 0


def test_v2_error_response_is_quoted() -> None:
    with pytest.raises(ImportInputError, match=r"v2_error\.json: X returned an error .*Unauthorized"):
        read("x_api", "v2_error.json")


# ---------------------------------------------------------------- API v1.1


def test_v1_search_and_stream() -> None:
    for name, skipped in (("v1_search.json", {"retweet (not the account's own text)": 1}),
                          ("v1_stream.jsonl", {"stream notice (delete)": 1, "stream notice (limit)": 1})):
        records = read("x_v1", name, "@BakuCultureCtr")
        assert records.skipped == skipped, name
        rows = by_id(records)
        assert list(rows) == ["1767460011122233344", "1767471234567890123"]
        reply = rows["1767471234567890123"]
        assert reply["author_id"] == BRAND_ID and reply["author_role"] == "brand" and reply["shares"] == 2
        assert reply["parent_id"] == "1767460011122233344" and reply["brand"] == "BakuCultureCtr"
        assert rows["1767460011122233344"]["author_role"] == "member"
        assert rows["1767460011122233344"]["created_at"] == pd.Timestamp("2024-03-12 06:14:07", tz="UTC")


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize("preset, name", [("x_archive", "tweets.js"), ("x_api", "v2_pages.json"),
                                          ("x_v1", "v1_search.json")])
def test_truncated_json(preset: str, name: str) -> None:
    text = (FIXTURES / name).read_text()[:-200]
    with pytest.raises(ImportInputError, match=rf"cut_{name}: (not valid JSON|after window)"):
        read(preset, source_of(text, f"cut_{name}"))


@pytest.mark.parametrize("preset", list(READERS))
def test_html_page_saved_as_json(preset: str) -> None:
    with pytest.raises(ImportInputError, match=r"page\.json: an HTML page"):
        read(preset, source_of("<!DOCTYPE html><html><body>Rate limit</body></html>", "page.json"))


@pytest.mark.parametrize("preset", list(READERS))
@pytest.mark.parametrize("path", _ALL, ids=lambda p: p.name)
def test_other_files_are_not_mine(preset: str, path: Path) -> None:
    if path.name in MINE[preset]:
        return
    with pytest.raises(ImportInputError, match=rf"{path.name}: not a X "):
        READERS[preset].read(source(path), ReaderOptions())


def _v2_with(change) -> dict[str, Any]:
    data = json.loads((FIXTURES / "v2_conversation.json").read_text())
    change(data)
    return data


@pytest.mark.parametrize("change, field", [
    (lambda d: d["data"].__setitem__(1, "tweet"), "data[1]"),
    (lambda d: d["data"][0].__setitem__("id", {"a": 1}), "data[0].id"),
    (lambda d: d["data"][0].__setitem__("text", ["t"]), "data[0].text"),
    (lambda d: d["data"][0].__setitem__("public_metrics", [1]), "data[0].public_metrics"),
    (lambda d: d["data"][0].__setitem__("referenced_tweets", {"type": "replied_to"}), "data[0].referenced_tweets"),
    (lambda d: d["data"][0].__setitem__("referenced_tweets", ["x"]), "data[0].referenced_tweets[0]"),
    (lambda d: d["data"][0].__setitem__("author_id", [5]), "data[0].author_id"),
    (lambda d: d.__setitem__("includes", []), "includes"),
    (lambda d: d["data"][0].__setitem__("attachments", "photo"), "data[0].attachments"),
])
def test_v2_wrong_field_types(change, field: str) -> None:
    with pytest.raises(ImportInputError) as info:
        read("x_api", source_of(_v2_with(change), "typed.json"))
    assert str(info.value).startswith("typed.json: ") and field in str(info.value)


@pytest.mark.parametrize("key, value", [("full_text", {"a": 1}), ("id_str", ["1"]), ("entities", "x"),
                                        ("in_reply_to_status_id_str", {"id": 1})])
def test_archive_wrong_field_types(key: str, value: Any) -> None:
    text = (FORMATS / "twitter_archive_tweets.example.js").read_text()
    data = json.loads(text.split("=", 1)[1])
    data[1]["tweet"][key] = value
    with pytest.raises(ImportInputError) as info:
        read("x_archive", source_of("window.YTD.tweets.part0 = " + json.dumps(data), "tweets.js"))
    assert str(info.value).startswith("tweets.js: ") and "[1].tweet" in str(info.value)


# ---------------------------------------------------------------- random input

_json = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
                     | st.text(max_size=8),
                     lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                         st.sampled_from(["id", "id_str", "text", "full_text", "created_at", "author_id", "data",
                                          "includes", "users", "tweets", "meta", "tweet", "user", "errors",
                                          "public_metrics", "referenced_tweets", "type", "conversation_id",
                                          "entities", "media", "attachments", "media_keys", "statuses"]),
                         kids, max_size=5), max_leaves=20)
_FIXTURES = {"x_api": json.loads((FIXTURES / "v2_pages.json").read_text()),
             "x_archive": json.loads((FIXTURES / "tweets.js").read_text().split("=", 1)[1].rstrip().rstrip(";")),
             "x_v1": json.loads((FIXTURES / "v1_search.json").read_text())}


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every key path inside a JSON value."""
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, path + (i,))
    return out


_PATHS = {k: _paths(v) for k, v in _FIXTURES.items()}


def _mutate(doc: Any, path: tuple, value: Any, drop: bool) -> Any:
    """``doc`` with the node at ``path`` replaced by ``value`` (or dropped)."""
    if not path:
        return value
    doc = copy.deepcopy(doc)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


def _check(preset: str, text: str) -> None:
    src = source_of(text, "random.json")
    for reader in x.READERS:
        reader.sniff(src)
    try:
        result = READERS[preset].read(src, ReaderOptions(brand_authors=("BakuCultureCtr",)))
    except ImportInputError as exc:
        assert "random.json" in str(exc)
    else:
        assert isinstance(result, PlatformRecords)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(READERS)), _json, st.booleans())
def test_random_structures_never_crash(preset: str, data: Any, prefixed: bool) -> None:
    text = json.dumps(data)
    _check(preset, ("window.YTD.tweets.part0 = " + text) if prefixed else text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(READERS)), st.data())
def test_mutated_fixtures_never_crash(preset: str, data: st.DataObject) -> None:
    doc = _FIXTURES[preset]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_PATHS[preset]))
        try:
            doc = _mutate(doc, path, data.draw(_json), data.draw(st.booleans()) and bool(path))
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(doc)
    _check(preset, ("window.YTD.tweets.part0 = " + text) if preset == "x_archive" else text)


def test_v2_root_repeated_in_includes_is_one_row() -> None:
    pages = json.loads((FIXTURES / "v2_pages.json").read_text())
    pages[1]["includes"]["tweets"] = copy.deepcopy(pages[0]["includes"]["tweets"])
    records = read("x_api", source_of(pages), "BakuCultureCtr")
    assert len(records.frame) == 8 and "duplicate (same tweet twice in the file)" not in records.skipped
    pages[1]["data"].append(copy.deepcopy(pages[0]["data"][0]))        # overlapping pages
    records = read("x_api", source_of(pages), "BakuCultureCtr")
    assert len(records.frame) == 8 and records.skipped["duplicate (same tweet twice in the file)"] == 1


def test_absurd_counts_and_odd_screen_names() -> None:
    data = json.loads((FIXTURES / "v1_search.json").read_text())
    data["statuses"][0]["favorite_count"] = 2**64
    data["statuses"][1]["user"]["screen_name"] = ["BakuCultureCtr"]
    records = read("x_v1", source_of(data), "nobody")
    assert pd.isna(records.frame.loc[0, "reactions"]) and len(records.frame) == 2
