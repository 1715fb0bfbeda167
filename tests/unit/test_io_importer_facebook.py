"""Facebook readers: Graph API posts/comments JSON (facebook_graph) and DYI comments JSON (facebook_dyi)."""
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
from helpers.io.importer.platforms.facebook import DYI_READER, GRAPH_READER, READERS, repair_mojibake

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "facebook"
FORMATS = Path("/work/shared/formats")
PAGE = "104857392011234"
POST = f"{PAGE}_122150876543210987"


def source(name: str, folder: Path = FIXTURES) -> SourceFile:
    """A fixture file as the importer hands it to readers."""
    path = folder / name
    return SourceFile(path=path, name=name, data=path.read_bytes())


def raw_source(name: str, data: bytes) -> SourceFile:
    """In-memory bytes as a SourceFile."""
    return SourceFile(path=Path(name), name=name, data=data)


def graph(name: str, **options) -> PlatformRecords:
    return GRAPH_READER.read(source(name), ReaderOptions(**options))


def dyi(name: str, **options) -> PlatformRecords:
    return DYI_READER.read(source(name), ReaderOptions(**options))


# ------------------------------------------------------------------ sniffing

EXAMPLES = sorted(p.name for p in FORMATS.glob("*.example.*")) if FORMATS.exists() else []
OWN = {"facebook_graph": {"facebook_graph_comments.example.json", "facebook_graph_posts.example.json"},
       "facebook_dyi": {"facebook_dyi_comments.example.json"}}


@pytest.mark.skipif(not EXAMPLES, reason="shared format examples not present")
@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.name)
@pytest.mark.parametrize("example", EXAMPLES)
def test_sniff_claims_only_its_own_examples(reader, example):
    assert reader.sniff(source(example, FORMATS)) is (example in OWN[reader.name])


@pytest.mark.parametrize("name,expected", [
    ("graph_posts.json", "facebook_graph"), ("graph_comments_stream.json", "facebook_graph"),
    ("graph_feed_nested.json", "facebook_graph"), ("graph_comments_concatenated.json", "facebook_graph"),
    ("graph_comments_list_of_pages.json", "facebook_graph"), ("dyi_comments_v2.json", "facebook_dyi"),
    ("dyi_comments_old.json", "facebook_dyi"), ("bad_truncated.json", None), ("bad_html.json", None),
    ("business_suite_posts.csv", None), ("business_suite_page_views_utf16.csv", None),
])
def test_sniff_fixtures(name, expected):
    assert [r.name for r in READERS if r.sniff(source(name))] == ([expected] if expected else [])


def test_sniff_never_raises_on_odd_bytes():
    for data in (b"", b"\xff\xfe\x00", b"[1, 2", b'{"data": 5}', b'{"data": [1, "x", null]}', b"null"):
        for reader in READERS:
            assert reader.sniff(raw_source("odd.json", data)) is False


# ------------------------------------------------------------------ Graph: comments


def test_comments_stream_ids_parents_and_brand():
    records = graph("graph_comments_stream.json")
    frame = records.frame
    assert records.preset == "facebook_graph" and len(frame) == 7 and records.skipped == {}
    assert frame["reason"].isna().all() and records.warnings == []
    assert frame["message_id"].iloc[0] == "122150876543210987_1187766554433221"
    # top-level comments point to the post as the posts file names it (page id from the permalinks)
    assert list(frame["parent_id"]) == [POST, "122150876543210987_1187766554433221", POST,
                                        "122150876543210987_3322110099887766", "122150876543210987_3322110099887766",
                                        POST, "122150876543210987_904455667788990"]
    assert list(frame["author_role"]) == ["member", "brand", "member", "brand", "member", "member", "brand"]
    assert set(frame.loc[frame.author_role == "brand", "author_id"]) == {PAGE}
    assert set(frame["brand"]) == {"Baku Culture Centre"} and set(frame["channel"]) == {"facebook"}
    assert list(frame["reactions"]) == [3, 1, 5, 2, 0, 0, 1]
    assert frame["shares"].isna().all() and frame["thread_id"].isna().all()
    assert frame["created_at"].iloc[0] == pd.Timestamp("2024-03-12T06:14:07Z")
    assert str(frame["created_at"].dt.tz) == "UTC"
    assert frame["where"].iloc[3] == "data[3]"
    assert list(frame["x_reply_count"])[:3] == [1, 0, 2]
    assert "Leyla Məmmədova" not in frame.to_csv()   # no author names anywhere


def test_comments_in_concatenated_pages_match_one_page():
    one = graph("graph_comments_stream.json").frame
    two = graph("graph_comments_concatenated.json").frame
    cols = ["message_id", "parent_id", "author_id", "author_role", "created_at", "text", "reactions"]
    pd.testing.assert_frame_equal(one[cols], two[cols])
    assert list(two["where"])[3:5] == ["#1.data[3]", "#2.data[0]"]


def test_list_of_pages_without_page_uses_bare_post_id_and_warns():
    records = graph("graph_comments_list_of_pages.json")
    frame = records.frame
    assert len(frame) == 7 and frame["reason"].isna().all()
    assert list(frame["parent_id"])[:3] == ["122150876543210987", "122150876543210987_1187766554433221",
                                            "122150876543210987"]
    assert (frame["author_role"] == "member").all()          # the file cannot tell the page apart
    assert len(records.warnings) == 1 and "3 top-level comments" in records.warnings[0]
    assert frame["where"].iloc[4] == "[1].data[1]"


def test_page_found_from_can_hide_false_comments():
    data = json.loads(source("graph_comments_list_of_pages.json").data)
    for page in data:
        for comment in page["data"]:
            comment["can_hide"] = comment["from"]["id"] != PAGE
    records = GRAPH_READER.read(raw_source("probe.json", json.dumps(data).encode()), ReaderOptions())
    assert records.warnings == [] and records.frame["parent_id"].iloc[0] == POST
    assert (records.frame["author_role"] == "brand").sum() == 3


def test_brand_author_option_marks_the_page_by_id_or_name():
    for value in (PAGE, "@baku culture centre", "BAKU CULTURE CENTRE"):
        frame = graph("graph_comments_list_of_pages.json", brand_authors=(value,)).frame
        assert (frame["author_role"] == "brand").sum() == 3, value


# ------------------------------------------------------------------ Graph: posts and nested comments


def test_posts_reactions_shares_media():
    frame = graph("graph_posts.json").frame
    assert list(frame["message_id"]) == [POST, f"{PAGE}_122150811122233344"]
    assert list(frame["reactions"]) == [96, 18]
    assert list(frame["shares"]) == [14, 0]                   # Graph leaves shares out at 0
    assert frame["media"].iloc[0] == "photo" and pd.isna(frame["media"].iloc[1])    # status_type added_photos
    assert (frame["author_role"] == "brand").all() and frame["parent_id"].isna().all()
    assert list(frame["x_kind"]) == ["post", "post"]
    assert frame["text"].iloc[1].startswith("Muzeyimiz bazar ertəsi")


def test_feed_with_nested_comments_and_replies():
    records = graph("graph_feed_nested.json")
    frame = records.frame
    assert len(frame) == 13 and records.skipped == {}
    assert frame["reason"].value_counts().to_dict() == {"no date": 1, "no id": 1}
    assert (frame["author_role"] == "brand").sum() == 5       # 2 page posts + 3 page replies
    assert list(frame["x_kind"]).count("post") == 3
    replies = frame[frame["where"].str.count("comments") == 2]
    assert len(replies) == 4
    assert list(replies["parent_id"]) == ["122150876543210987_1187766554433221",
                                          "122150876543210987_3322110099887766",
                                          "122150876543210987_3322110099887766",
                                          "122150876543210987_904455667788990"]
    tops = frame[frame["where"].str.count("comments") == 1]
    assert len(tops) == 6 and set(tops["parent_id"]) == {POST}
    sticker = frame[frame["message_id"] == "122150876543210987_5550001112223334"].iloc[0]
    assert sticker["text"] == "" and sticker["media"] == "sticker" and pd.isna(sticker["author_id"])
    assert sticker["where"] == "data[0].comments.data[3]"
    assert frame["media"].iloc[0] == "photo"                 # attachments.data[0].type
    visitor = frame[frame["message_id"] == f"{PAGE}_122150999988877766"].iloc[0]
    assert visitor["author_role"] == "member" and visitor["reactions"] == 6    # reactions_* aliases summed
    quarantined = frame[frame["reason"].notna()]
    assert quarantined["raw"].notna().all() and json.loads(quarantined["raw"].iloc[1])["message"]


# ------------------------------------------------------------------ Graph: bad files


@pytest.mark.parametrize("name,needle", [
    ("bad_truncated.json", "not valid JSON"), ("bad_html.json", "HTML page"),
    ("bad_message_type.json", "data[2].message"), ("bad_from_type.json", "data[1].from"),
    ("bad_data_type.json", "data should be a list"), ("business_suite_page_views_utf16.csv", "not UTF-8"),
])
def test_graph_bad_files_raise_naming_file(name, needle):
    with pytest.raises(ImportInputError) as err:
        graph(name)
    assert name in str(err.value) and needle in str(err.value)


@pytest.mark.parametrize("name", ["dyi_comments_v2.json", "business_suite_posts.csv"])
def test_graph_read_of_other_formats_is_not_mine(name):
    with pytest.raises(ImportInputError, match="not a facebook_graph export"):
        graph(name)


@pytest.mark.skipif(not EXAMPLES, reason="shared format examples not present")
@pytest.mark.parametrize("example", ["instagram_graph_comments.example.json", "vk_wall_get.example.json",
                                     "twitter_v2_search_conversation.example.json", "telegram_group.example.json"])
def test_graph_read_of_other_platforms_is_not_mine(example):
    with pytest.raises(ImportInputError, match=f"{example}: not a facebook_graph export"):
        GRAPH_READER.read(source(example, FORMATS), ReaderOptions())


def test_graph_ids_read_as_text_never_float():
    doc = {"data": [{"id": "122150876543210987_9007199254740993", "created_time": "2024-03-12T06:00:00+0000",
                     "message": "x", "from": {"id": 9007199254740993, "name": "A"}, "like_count": "3"}]}
    frame = GRAPH_READER.read(raw_source("big.json", json.dumps(doc).encode()), ReaderOptions()).frame
    assert frame["message_id"].iloc[0].endswith("9007199254740993")
    assert frame["author_id"].iloc[0] == "9007199254740993" and frame["reactions"].iloc[0] == 3


def test_graph_empty_page_gives_no_rows_and_a_warning():
    records = GRAPH_READER.read(raw_source("empty.json", b'{"data": [], "paging": {}}'), ReaderOptions())
    assert len(records.frame) == 0 and len(records.warnings) == 1


# ------------------------------------------------------------------ DYI


def test_dyi_repairs_mojibake_in_azerbaijani_and_russian():
    frame = dyi("dyi_comments_v2.json").frame
    assert len(frame) == 5 and frame["reason"].isna().all()
    assert frame["text"].iloc[0] == "Bəli, əlbəttə! Uşaqlar üçün ayrıca guşə olacaq 🙂"
    assert frame["text"].iloc[1].startswith("Игорь, добрый день!")
    assert frame["text"].iloc[2] == "Çox gözəl çıxış idi 👏"
    assert frame["text"].iloc[4] == "Sorry Aysel! Fixed now — please try again. Linki yenilədik 🙏"
    assert set(frame["author_id"]) == {"Nigar Hüseynova"}      # the job pseudonymises it
    assert list(frame["x_action"]) == ["reply", "reply", "comment on post", "comment on photo", "reply"]


def test_dyi_photo_only_comment_kept_with_media():
    row = dyi("dyi_comments_v2.json").frame.iloc[3]
    assert row["text"] == "" and row["media"] == "photo" and row["created_at"] == pd.Timestamp(1709956980,
                                                                                             unit="s", tz="UTC")


def test_dyi_old_key_all_letters_duplicates_and_no_date():
    records = dyi("dyi_comments_old.json")
    frame = records.frame
    assert len(frame) == 5 and records.skipped == {}
    assert frame["reason"].value_counts().to_dict() == {"no date": 1}
    assert frame["text"].iloc[0] == "İlham müəllim, ağ rəngli göz oxşayan dekor 😍"
    texts = "".join(frame["text"].dropna()) + "".join(dyi("dyi_comments_v2.json").frame["text"])
    for letter in "əğışçöüİŞÇ":
        assert letter in texts, letter
    assert frame["text"].iloc[2] == "Без даты — Щедрый вечер, ёлка"
    assert frame["text"].iloc[4] == "Already correct: Şəki, İsmayıllı"   # correct text left alone
    assert frame["message_id"].iloc[1] == frame["message_id"].iloc[0] + "-2"
    assert frame["media"].iloc[3] == "video"
    assert (frame["author_role"] == "brand").all()


def test_dyi_ids_stable_across_reexports():
    first = dyi("dyi_comments_v2.json").frame["message_id"]
    data = json.loads(source("dyi_comments_v2.json").data)
    data["comments_v2"].reverse()
    again = DYI_READER.read(raw_source("again.json", json.dumps(data).encode()), ReaderOptions()).frame
    assert sorted(again["message_id"]) == sorted(first) and all(i.startswith("fbdyi_") for i in first)


def test_dyi_brand_author_naming_someone_else_gives_member():
    records = dyi("dyi_comments_v2.json", brand_authors=("Baku Culture Centre",))
    assert (records.frame["author_role"] == "member").all() and len(records.warnings) == 2
    own = dyi("dyi_comments_v2.json", brand_authors=("nigar hüseynova",)).frame
    assert (own["author_role"] == "brand").all()


def test_repair_mojibake_guarded():
    assert repair_mojibake("Ð\u009fÑ\u0080Ð¸Ð²ÐµÑ\u0082") == "Привет"
    assert repair_mojibake("Hüseynova") == "Hüseynova"          # not UTF-8 bytes: left as it is
    assert repair_mojibake("ə already") == "ə already"


@pytest.mark.parametrize("name,needle", [("dyi_bad_types.json", "comments_v2[0].comment.comment"),
                                         ("bad_truncated.json", "not valid JSON"),
                                         ("bad_html.json", "not a facebook_dyi export"),
                                         ("graph_posts.json", "not a facebook_dyi export")])
def test_dyi_bad_files_raise_naming_file(name, needle):
    with pytest.raises(ImportInputError) as err:
        dyi(name)
    assert name in str(err.value) and needle in str(err.value)


# ------------------------------------------------------------------ robustness

JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                       lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                           st.sampled_from(["data", "id", "message", "from", "created_time", "comments", "parent",
                                            "like_count", "attachment", "attachments", "comments_v2", "comment",
                                            "timestamp", "author", "title", "name", "paging", "shares"]),
                           kids, max_size=5), max_leaves=20)


def _mutations(doc):
    """Every path into ``doc`` (for dropping a key or replacing a value)."""
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append(path + (key,))
                walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                paths.append(path + (i,))
                walk(value, path + (i,))
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


def _reads_or_input_error(reader, doc):
    try:
        out = reader.read(raw_source("fuzz.json", json.dumps(doc).encode()), ReaderOptions())
    except ImportInputError as err:
        assert "fuzz.json" in str(err)
    else:
        assert isinstance(out, PlatformRecords)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=JSONISH)
def test_random_json_reads_or_raises_input_error(doc):
    for reader in READERS:
        _reads_or_input_error(reader, doc)
        _reads_or_input_error(reader, {"data": [doc]})
        _reads_or_input_error(reader, {"comments_v2": [doc]})


_FEED = json.loads((FIXTURES / "graph_feed_nested.json").read_text(encoding="utf-8"))
_DYI = json.loads((FIXTURES / "dyi_comments_v2.json").read_text(encoding="utf-8"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), replacement=JSONISH, drop=st.booleans())
def test_mutated_fixtures_read_or_raise_input_error(data, replacement, drop):
    for reader, doc in ((GRAPH_READER, _FEED), (DYI_READER, _DYI)):
        path = data.draw(st.sampled_from(_mutations(doc)))
        _reads_or_input_error(reader, _mutated(doc, path, replacement, drop))
