"""Instagram readers: Graph API comments JSON (instagram_graph) and DYI post comments JSON (instagram_dyi)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import PlatformRecords, ReaderOptions, SourceFile
from helpers.io.importer.platforms.instagram import DYI_READER, GRAPH_READER, READERS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "instagram"
FORMATS = Path("/work/shared/formats")
MEDIA = "18034567890123456"
OWN_ID = "17841400123456789"


def source(name: str, folder: Path = FIXTURES) -> SourceFile:
    path = folder / name
    return SourceFile(path=path, name=name, data=path.read_bytes())


def raw_source(name: str, data: bytes) -> SourceFile:
    return SourceFile(path=Path(name), name=name, data=data)


def graph(name: str, **options) -> PlatformRecords:
    return GRAPH_READER.read(source(name), ReaderOptions(**options))


def dyi(name: str, **options) -> PlatformRecords:
    return DYI_READER.read(source(name), ReaderOptions(**options))


EXAMPLES = sorted(p.name for p in FORMATS.glob("*.example.*")) if FORMATS.exists() else []
OWN = {"instagram_graph": {"instagram_graph_comments.example.json"},
       "instagram_dyi": {"instagram_dyi_post_comments_1.example.json"}}


@pytest.mark.skipif(not EXAMPLES, reason="shared format examples not present")
@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.name)
@pytest.mark.parametrize("example", EXAMPLES)
def test_sniff_claims_only_its_own_examples(reader, example):
    assert reader.sniff(source(example, FORMATS)) is (example in OWN[reader.name])


@pytest.mark.parametrize("name,expected", [
    ("graph_comments.json", "instagram_graph"), ("graph_media_pages.json", "instagram_graph"),
    ("graph_comments_list_of_pages.json", "instagram_graph"), ("dyi_post_comments_1.json", "instagram_dyi"),
    ("dyi_reels_comments_ru.json", "instagram_dyi"), ("bad_truncated.json", None), ("bad_html.json", None),
    ("business_suite_posts.csv", None),
])
def test_sniff_fixtures(name, expected):
    assert [r.name for r in READERS if r.sniff(source(name))] == ([expected] if expected else [])


def test_sniff_never_raises_on_odd_bytes():
    for data in (b"", b"\xff\xfe\x00", b"[1, 2", b'{"data": 5}', b'[{"string_map_data": 3}]', b"null"):
        for reader in READERS:
            assert reader.sniff(raw_source("odd.json", data)) is False


# ------------------------------------------------------------------ Graph


def test_comments_with_replies_parents_and_brand_author():
    records = graph("graph_comments.json", brand_authors=("@BakuCultureCentre",))
    frame = records.frame
    assert records.preset == "instagram_graph" and len(frame) == 7 and records.skipped == {}
    assert frame["reason"].isna().all() and records.warnings == []
    assert list(frame["parent_id"]) == [MEDIA, "17990011223344550", MEDIA, "17990011223344560",
                                        "17990011223344560", MEDIA, "17990011223344570"]
    assert list(frame["author_role"]) == ["member", "brand", "member", "brand", "member", "member", "brand"]
    assert set(frame.loc[frame.author_role == "brand", "author_id"]) == {OWN_ID}
    assert set(frame["brand"]) == {"bakuculturecentre"} and set(frame["channel"]) == {"instagram"}
    assert list(frame["reactions"]) == [3, 1, 5, 2, 0, 0, 1]
    assert frame["where"].iloc[1] == "data[0].replies.data[0]"
    assert frame["created_at"].iloc[0] == pd.Timestamp("2024-03-12T06:14:07Z")
    assert set(frame["x_media_product_type"]) == {"FEED"}
    assert "leyla.mammadova" not in set(frame["author_id"])          # ids, not handles, where the file has them


def test_brand_author_by_id_works_too():
    frame = graph("graph_comments.json", brand_authors=(OWN_ID,)).frame
    assert (frame["author_role"] == "brand").sum() == 3


def test_without_own_account_all_members_and_a_warning():
    records = graph("graph_comments.json")
    assert (records.frame["author_role"] == "member").all() and len(records.warnings) == 1
    assert "--brand-author" in records.warnings[0]


def test_media_nodes_with_nested_comments_in_concatenated_pages():
    records = graph("graph_media_pages.json")
    frame = records.frame
    assert len(frame) == 8 and frame["reason"].isna().all() and records.warnings == []
    assert list(frame["x_kind"]).count("post") == 2
    assert (frame["author_role"] == "brand").sum() == 4               # 2 media + 2 owner replies
    posts = frame[frame["x_kind"] == "post"]
    assert list(posts["message_id"]) == [MEDIA, "18045678901234567"] and set(posts["author_id"]) == {OWN_ID}
    assert list(posts["media"]) == ["photo", "video"] and list(posts["reactions"]) == [388, 1104]
    assert posts["text"].iloc[1] == ""                                # reel without caption kept
    # replies without parent_id get the enclosing comment; comments the enclosing media
    assert list(frame["parent_id"])[1:3] == [MEDIA, "17990011223344550"]
    assert frame["parent_id"].iloc[7] == "18045678901234567" and frame["author_id"].iloc[7] == "aysel_q"
    assert frame["where"].iloc[7] == "#2.data[0].comments.data[0]"


def test_list_of_pages_with_quarantined_comments():
    frame = graph("graph_comments_list_of_pages.json").frame
    assert len(frame) == 9
    assert frame["reason"].value_counts().to_dict() == {"no date": 1, "no id": 1}
    assert frame["where"].iloc[2] == "[1].data[0]"
    assert frame.loc[frame["reason"].notna(), "raw"].notna().all()


@pytest.mark.parametrize("name,needle", [
    ("bad_truncated.json", "not valid JSON"), ("bad_html.json", "HTML page"),
    ("bad_replies_type.json", "data[0].replies should be an object"),
    ("business_suite_posts.csv", "not a instagram_graph export"),
    ("dyi_post_comments_1.json", "not a instagram_graph export"),
])
def test_graph_bad_and_foreign_files_raise_naming_file(name, needle):
    with pytest.raises(ImportInputError) as err:
        graph(name)
    assert name in str(err.value) and needle in str(err.value)


@pytest.mark.skipif(not EXAMPLES, reason="shared format examples not present")
@pytest.mark.parametrize("example", ["facebook_graph_comments.example.json", "facebook_graph_posts.example.json",
                                     "vk_wall_getComments.example.json", "twitter_v2_search_conversation.example.json"])
def test_graph_read_of_other_platforms_is_not_mine(example):
    with pytest.raises(ImportInputError, match=f"{example}: not a instagram_graph export"):
        GRAPH_READER.read(source(example, FORMATS), ReaderOptions())


# ------------------------------------------------------------------ DYI


def test_dyi_repaired_text_owner_as_brand_and_stable_ids():
    records = dyi("dyi_post_comments_1.json", brand_authors=("@bakuculturecentre",))
    frame = records.frame
    assert records.preset == "instagram_dyi" and len(frame) == 3 and frame["reason"].isna().all()
    assert frame["text"].iloc[0] == "@leyla.mammadova Bəli, əlbəttə! Uşaqlar üçün ayrıca guşə olacaq 🙂"
    assert frame["text"].iloc[1].startswith("@igor.petrov_baku добрый день!")
    assert frame["text"].iloc[2] == "Təbriklər! Congratulations on the opening 🎉"
    assert list(frame["brand"]) == ["bakuculturecentre", "bakuculturecentre", "baku_jazz_festival"]
    assert (frame["author_role"] == "brand").all() and set(frame["author_id"]) == {"bakuculturecentre"}
    assert frame["created_at"].iloc[0] == pd.Timestamp(1710225100, unit="s", tz="UTC")
    assert all(i.startswith("igdyi_") for i in frame["message_id"])
    again = dyi("dyi_post_comments_1.json").frame
    assert list(again["message_id"]) == list(frame["message_id"])
    assert len(records.warnings) == 1


def test_dyi_without_brand_author_warns():
    records = dyi("dyi_post_comments_1.json")
    assert records.frame["author_id"].isna().all() and len(records.warnings) == 2


def test_dyi_reels_wrapper_localized_keys():
    records = dyi("dyi_reels_comments_ru.json")
    frame = records.frame
    assert len(frame) == 3 and records.skipped == {}
    assert frame["reason"].value_counts().to_dict() == {"no date": 1}
    assert frame["text"].iloc[0] == "Çox sağ olun! İzlədiyiniz üçün təşəkkürlər 🙏"
    assert frame["text"].iloc[1] == "Спасибо, ждём вас снова"
    assert set(frame["brand"]) == {"bakuculturecentre"}
    assert frame["where"].iloc[2] == "comments_reels_comments[2]"


@pytest.mark.parametrize("data,needle", [
    (b'[{"string_map_data": {"Comment": {"value": 5}, "Time": {"timestamp": 1}}}]', "Comment.value"),
    (b'[{"string_map_data": {"Time": {"timestamp": 1}}}, {"string_map_data": ["x"]}]',
     "[1].string_map_data should be an object"),
    (b'[{"string_map_data": {}}, 3]', "[1] should be an object"),
    (b'[{"string_map_data": {}', "not valid JSON"),
    (b'{"data": []}', "not a instagram_dyi export"),
])
def test_dyi_bad_files_raise_naming_file(data, needle):
    with pytest.raises(ImportInputError) as err:
        DYI_READER.read(raw_source("bad_dyi.json", data), ReaderOptions())
    assert "bad_dyi.json" in str(err.value) and needle in str(err.value)


# ------------------------------------------------------------------ robustness

JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                       lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                           st.sampled_from(["data", "id", "text", "from", "timestamp", "username", "replies",
                                            "parent_id", "media", "like_count", "caption", "comments", "owner",
                                            "string_map_data", "Comment", "value", "Media Owner", "Time"]),
                           kids, max_size=5), max_leaves=20)


def _paths(doc):
    paths = []

    def walk(node, path):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            paths.append(path + (key,))
            walk(value, path + (key,))
    walk(doc, ())
    return paths


def _mutated(doc, path, replacement, drop):
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = replacement
    return doc


def _reads_or_input_error(reader, doc, options=ReaderOptions()):
    try:
        out = reader.read(raw_source("fuzz.json", json.dumps(doc).encode()), options)
    except ImportInputError as err:
        assert "fuzz.json" in str(err)
    else:
        assert isinstance(out, PlatformRecords)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=JSONISH)
def test_random_json_reads_or_raises_input_error(doc):
    for reader in READERS:
        _reads_or_input_error(reader, doc)
        _reads_or_input_error(reader, {"data": [doc]}, ReaderOptions(brand_authors=("x",)))
        _reads_or_input_error(reader, [{"string_map_data": doc}])


_MEDIA = json.loads((FIXTURES / "graph_media_pages.json").read_text(encoding="utf-8").splitlines()[0])
_DYI = json.loads((FIXTURES / "dyi_reels_comments_ru.json").read_text(encoding="utf-8"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), replacement=JSONISH, drop=st.booleans())
def test_mutated_fixtures_read_or_raise_input_error(data, replacement, drop):
    for reader, doc in ((GRAPH_READER, _MEDIA), (DYI_READER, _DYI)):
        path = data.draw(st.sampled_from(_paths(doc)))
        _reads_or_input_error(reader, _mutated(doc, path, replacement, drop))
