"""The VK reader (platforms/vk.py): wall.get and wall.getComments responses to PlatformRecords."""
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
from helpers.io.importer.platforms import vk
from helpers.io.importer.platforms.base import RECORD_COLUMNS, PlatformRecords, ReaderOptions, SourceFile

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "exports" / "vk"
FORMATS = HERE.parents[2] / "shared" / "formats"
if not FORMATS.is_dir():
    FORMATS = Path("/work/shared/formats")
OWNER = "-218765432"
SHARED_VK = ("vk_wall_get.example.json", "vk_wall_getComments.example.json")


def source(path: Path, name: str | None = None) -> SourceFile:
    """A SourceFile for a file on disk."""
    return SourceFile(path=path, name=name or path.name, data=path.read_bytes())


def source_of(data: Any, name: str = "vk.json", tmp: Path | None = None) -> SourceFile:
    """A SourceFile holding ``data`` (JSON-dumped unless bytes/str)."""
    if isinstance(data, bytes):
        raw = data
    elif isinstance(data, str):
        raw = data.encode()
    else:
        raw = json.dumps(data, ensure_ascii=False).encode()
    return SourceFile(path=(tmp or Path("/nonexistent")) / name, name=name, data=raw)


def read(path_or_source: Path | SourceFile, **options: Any) -> PlatformRecords:
    """vk.read on a fixture path or a SourceFile."""
    src = path_or_source if isinstance(path_or_source, SourceFile) else source(path_or_source)
    return vk.read(src, ReaderOptions(**options))


def by_id(records: PlatformRecords) -> dict[str, dict[str, Any]]:
    """The records' rows keyed by message_id."""
    return {r["message_id"]: r for r in records.frame.to_dict("records")}


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*")) + [FORMATS / n for n in SHARED_VK],
                         ids=lambda p: p.name)
def test_sniff_accepts_vk_files(path: Path) -> None:
    assert vk.READER.sniff(source(path))


@pytest.mark.parametrize("path", [p for p in sorted(FORMATS.glob("*.example.*")) if p.name not in SHARED_VK]
                         + sorted((HERE.parent / "fixtures" / "exports" / "x").glob("*")), ids=lambda p: p.name)
def test_sniff_rejects_other_platforms(path: Path) -> None:
    assert not vk.READER.sniff(source(path))


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b"", b"<html><body>Error</body></html>", b"[]",
                                  b'{"response": 5}', b'{"response": {"items": [1, 2]}}', b'{"error": "x"}'])
def test_sniff_never_raises_and_rejects_junk(data: bytes) -> None:
    assert not vk.READER.sniff(source_of(data))


def test_reader_names() -> None:
    assert vk.READER.name == "vk"
    assert vk.READER.read is vk.read


# ---------------------------------------------------------------- wall.get


def test_wall_get_posts() -> None:
    records = read(FIXTURES / "wall_get.json")
    frame = records.frame
    assert list(frame.columns) == list(RECORD_COLUMNS) + ["x_repost_of"]
    assert len(frame) == 5
    assert records.skipped == {}
    assert frame["reason"].notna().sum() == 1
    rows = by_id(records)
    post = rows[f"{OWNER}_3456"]
    assert post["author_role"] == "brand" and post["author_id"] == OWNER
    assert post["brand"] == "Baku Culture Centre | Бакинский культурный центр"
    assert (post["reactions"], post["shares"], post["reach"]) == (88, 9, 5400)
    assert post["created_at"] == pd.Timestamp("2024-03-12 06:00", tz="UTC")
    assert pd.isna(post["parent_id"]) and post["channel"] == "vk" and post["where"] == "response.items[0]"
    photo = rows[f"{OWNER}_3470"]
    assert photo["text"] == "" and photo["media"] == "photo"
    repost = rows[f"{OWNER}_3471"]
    assert repost["x_repost_of"] == "-1111_901" and repost["media"] == "link"
    member = rows[f"{OWNER}_3472"]
    assert member["author_role"] == "member" and member["author_id"] == "512345678" and member["media"] == "video"
    undated = rows[f"{OWNER}_3473"]
    assert undated["reason"] == "no date" and pd.isna(undated["created_at"])
    assert json.loads(undated["raw"])["text"] == "no date here"
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"


def test_shared_example_wall_get() -> None:
    records = read(FORMATS / "vk_wall_get.example.json")
    assert len(records.frame) == 1 and records.frame["reason"].isna().all()
    assert records.frame.loc[0, "brand"] == "club218765432"     # no groups list: the community's id as its name


@pytest.mark.parametrize("author", ["leyla.mammadova", "@Leyla.Mammadova", "512345678", "id512345678"])
def test_brand_authors_mark_members_as_brand(author: str) -> None:
    rows = by_id(read(FIXTURES / "wall_get.json", brand_authors=(author,)))
    assert rows[f"{OWNER}_3472"]["author_role"] == "brand"
    assert rows[f"{OWNER}_3456"]["author_role"] == "brand"


def test_pages_as_list_and_json_lines() -> None:
    for name, prefix in (("wall_get_pages.json", "[1].response.items[0]"),
                         ("wall_get_pages.jsonl", "line 2: response.items[0]")):
        records = read(FIXTURES / name)
        assert len(records.frame) == 2, name
        assert records.frame["message_id"].tolist() == [f"{OWNER}_3456", f"{OWNER}_3470"]
        assert records.frame["where"].tolist()[1] == prefix
        assert records.info["pages"] == 2


def test_concatenated_pages_and_duplicates(tmp_path: Path) -> None:
    page = json.loads((FIXTURES / "wall_get_pages.json").read_text())[0]
    text = json.dumps(page, indent=1) + json.dumps(page, indent=1)
    records = read(source_of(text, tmp=tmp_path))
    assert len(records.frame) == 1
    assert records.skipped == {"duplicate (same id twice in the file)": 1}
    assert records.frame.loc[0, "where"] == "document 1: response.items[0]"


def test_wall_get_by_id_list_response() -> None:
    post = json.loads((FIXTURES / "wall_get.json").read_text())["response"]["items"][0]
    records = read(source_of({"response": [post]}))
    assert records.frame["message_id"].tolist() == [f"{OWNER}_3456"]
    assert records.frame.loc[0, "where"] == "response[0]"


# ---------------------------------------------------------------- wall.getComments


def test_wall_get_comments() -> None:
    records = read(FIXTURES / "wall_getComments.json")
    frame = records.frame
    assert len(frame) == 8
    assert records.skipped == {"deleted comment": 1}
    assert frame["reason"].isna().all()
    assert any("2 repl" in w for w in records.warnings)
    rows = by_id(records)
    post = f"{OWNER}_3456"
    assert rows[f"{OWNER}_3457"]["parent_id"] == post
    assert rows[f"{OWNER}_3460"]["parent_id"] == f"{OWNER}_3457"
    assert rows[f"{OWNER}_3462"]["parent_id"] == f"{OWNER}_3461"     # reply to a reply: reply_to_comment
    assert set(frame["thread_id"]) == {post}
    assert rows[f"{OWNER}_3460"]["author_role"] == "brand"
    assert rows[f"{OWNER}_3460"]["text"].startswith("Leyla, bəli")        # [id…|Name] shown as Name
    assert rows[f"{OWNER}_3464"]["author_role"] == "member"              # another community
    assert rows[f"{OWNER}_3464"]["author_id"] == "-3333"
    sticker = rows[f"{OWNER}_3465"]
    assert sticker["text"] == "" and sticker["media"] == "sticker"
    assert sticker["where"] == "response.items[2].thread.items[0]"
    assert pd.isna(sticker["shares"]) and pd.isna(sticker["reach"]) and sticker["reactions"] == 0
    assert (frame["author_role"] == "brand").sum() == 3


def test_shared_example_comments() -> None:
    records = read(FORMATS / "vk_wall_getComments.example.json")
    assert len(records.frame) == 6 and records.skipped == {} and records.warnings == []
    assert records.frame["reason"].isna().all()


def test_post_and_owner_from_file_name() -> None:
    records = read(FIXTURES / "wall-218765432_3456_comments.json")
    assert records.frame["message_id"].tolist() == [f"{OWNER}_3457", f"{OWNER}_3460"]
    assert records.frame["parent_id"].tolist() == [f"{OWNER}_3456", f"{OWNER}_3457"]
    assert records.frame["thread_id"].tolist() == [f"{OWNER}_3456"] * 2
    assert records.frame["author_role"].tolist() == ["member", "brand"]
    assert records.frame["reason"].isna().all() and records.warnings == []


def test_unknown_wall_is_quarantined_with_a_warning() -> None:
    records = read(FIXTURES / "comments_unknown_wall.json")
    assert len(records.frame) == 2
    assert records.frame["reason"].tolist() == ["no owner_id (wall unknown)"] * 2
    assert any("wall<owner_id>_<post_id>" in w for w in records.warnings)


def test_owner_known_post_unknown(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "comments_unknown_wall.json").read_text())
    for item in (data["response"]["items"][0], data["response"]["items"][0]["thread"]["items"][0]):
        item["owner_id"] = -218765432
    records = read(source_of(data, tmp=tmp_path))
    rows = by_id(records)
    assert pd.isna(rows[f"{OWNER}_3457"]["parent_id"]) and pd.isna(rows[f"{OWNER}_3457"]["thread_id"])
    assert rows[f"{OWNER}_3460"]["parent_id"] == f"{OWNER}_3457"
    assert rows[f"{OWNER}_3460"]["thread_id"] == f"{OWNER}_3457"
    assert any("without post_id" in w for w in records.warnings)


def test_ids_given_as_text() -> None:
    data = json.loads((FIXTURES / "wall_getComments.json").read_text())
    item = data["response"]["items"][0]
    item.update(id="3457", owner_id="-218765432", from_id="512345678", post_id="3456")
    rows = by_id(read(source_of(data)))
    assert rows[f"{OWNER}_3457"]["parent_id"] == f"{OWNER}_3456"


def test_missing_id_is_kept_with_reason() -> None:
    data = json.loads((FIXTURES / "wall_get.json").read_text())
    del data["response"]["items"][1]["id"]
    records = read(source_of(data))
    assert len(records.frame) == 5
    assert (records.frame["reason"] == "no id").sum() == 1


def test_empty_response() -> None:
    records = read(source_of({"response": {"count": 0, "items": []}}))
    assert len(records.frame) == 0 and list(records.frame.columns)[:len(RECORD_COLUMNS)] == list(RECORD_COLUMNS)


# ---------------------------------------------------------------- bad files


def test_vk_error_response_is_quoted() -> None:
    with pytest.raises(ImportInputError, match=r"error\.json: VK returned error 15 \"Access denied"):
        read(FIXTURES / "error.json")


def test_truncated_json(tmp_path: Path) -> None:
    text = (FIXTURES / "wall_getComments.json").read_text()[:-300]
    with pytest.raises(ImportInputError, match=r"cut\.json: not valid JSON"):
        read(source_of(text, "cut.json", tmp_path))


def test_html_page_saved_as_json() -> None:
    with pytest.raises(ImportInputError, match=r"page\.json: an HTML page"):
        read(source_of("<!DOCTYPE html><html><body>429 Too Many Requests</body></html>", "page.json"))


def test_not_utf8() -> None:
    with pytest.raises(ImportInputError, match=r"bin\.json: not UTF-8"):
        read(source_of(b"\xff\xfe{\x00", "bin.json"))


@pytest.mark.parametrize("name", [p.name for p in sorted(FORMATS.glob("*.example.*")) if p.name not in SHARED_VK])
def test_another_platforms_file_is_not_mine(name: str) -> None:
    with pytest.raises(ImportInputError, match=rf"{name}: not a VK export"):
        read(FORMATS / name)


def _comments_with(change) -> dict[str, Any]:
    data = json.loads((FIXTURES / "wall_getComments.json").read_text())
    change(data["response"])
    return data


@pytest.mark.parametrize("change, field", [
    (lambda r: r.update(items={"a": 1}), "response.items"),
    (lambda r: r["items"].__setitem__(0, "text"), "response.items[0]"),
    (lambda r: r["items"][0].__setitem__("id", {"x": 1}), "response.items[0].id"),
    (lambda r: r["items"][0].__setitem__("from_id", [1]), "response.items[0].from_id"),
    (lambda r: r["items"][0].__setitem__("text", ["a"]), "response.items[0].text"),
    (lambda r: r["items"][0].__setitem__("likes", [3]), "response.items[0].likes"),
    (lambda r: r["items"][0].__setitem__("parents_stack", "3457"), "response.items[0].parents_stack"),
    (lambda r: r["items"][0].__setitem__("attachments", {"type": "photo"}), "response.items[0].attachments"),
    (lambda r: r["items"][1]["thread"]["items"][0].__setitem__("reply_to_comment", 3.5),
     "response.items[1].thread.items[0].reply_to_comment"),
])
def test_wrong_field_types(change, field: str) -> None:
    with pytest.raises(ImportInputError) as info:
        read(source_of(_comments_with(change), "typed.json"))
    assert str(info.value).startswith("typed.json: ") and field in str(info.value)


# ---------------------------------------------------------------- random input

_json = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
                     | st.text(max_size=8),
                     lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                         st.sampled_from(["id", "from_id", "date", "text", "owner_id", "post_id", "items",
                                          "response", "thread", "parents_stack", "likes", "count", "error",
                                          "attachments", "reply_to_comment", "groups", "profiles", "type"]),
                         kids, max_size=5), max_leaves=20)
_FIXTURE = json.loads((FIXTURES / "wall_getComments.json").read_text())


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


def _mutate(doc: Any, path: tuple, value: Any, drop: bool) -> Any:
    """``doc`` with the node at ``path`` replaced by ``value`` (or dropped)."""
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


def _check(data: Any) -> None:
    src = source_of(data, "random.json")
    vk.READER.sniff(src)
    try:
        result = vk.read(src, ReaderOptions())
    except ImportInputError as exc:
        assert "random.json" in str(exc)
    else:
        assert isinstance(result, PlatformRecords)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_json, _json.map(lambda v: {"response": {"count": 1, "items": v if isinstance(v, list) else [v]}})))
def test_random_structures_never_crash(data: Any) -> None:
    _check(data)


_ALL_PATHS = _paths(_FIXTURE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_ALL_PATHS), _json, st.booleans()), min_size=1, max_size=3))
def test_mutated_fixture_never_crashes(changes: list[tuple[tuple, Any, bool]]) -> None:
    doc = _FIXTURE
    for path, value, drop in changes:
        try:
            doc = _mutate(doc, path, value, drop and bool(path))
        except (KeyError, IndexError, TypeError):
            continue
    _check(doc)


def test_whole_float_ids_are_read() -> None:
    data = json.loads((FIXTURES / "wall_getComments.json").read_text())
    data["response"]["items"][0].update(id=3457.0, post_id=3456.0)
    rows = by_id(read(source_of(data)))
    assert rows[f"{OWNER}_3457"]["parent_id"] == f"{OWNER}_3456"
