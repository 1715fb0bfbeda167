"""The Telegram Desktop JSON reader (preset ``telegram``): layouts, versions, threads, brand, bad files."""
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
from helpers.io.importer.platforms.base import RECORD_COLUMNS, PlatformRecords, ReaderOptions, SourceFile
from helpers.io.importer.platforms.telegram import READER

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "telegram"
FORMATS = Path("/work/shared/formats")
#: a Facebook Messenger DYI thread: also a ``messages`` list, not Telegram
MESSENGER = {"participants": [{"name": "A"}], "title": "A", "thread_type": "Regular",
             "messages": [{"sender_name": "A", "timestamp_ms": 1710223200000, "content": "hi", "type": "Generic"}]}
OTHER_EXAMPLES = sorted(p for p in FORMATS.glob("*.example.*") if not p.name.startswith("telegram"))


def source(name: str) -> SourceFile:
    """A fixture file as the importer hands it to readers."""
    path = FIXTURES / name
    return SourceFile(path=path, name=name, data=path.read_bytes())


def raw_source(data: bytes | str | Any, name: str = "result.json") -> SourceFile:
    """A SourceFile from bytes, text or a JSON value."""
    if not isinstance(data, (bytes, str)):
        data = json.dumps(data)   # ASCII escapes: lone surrogates survive
    if isinstance(data, str):
        data = data.encode("utf-8")
    return SourceFile(path=Path(name), name=name, data=data)


def read(name: str, **options: Any) -> PlatformRecords:
    """Read a fixture with ReaderOptions(**options)."""
    return READER.read(source(name), ReaderOptions(**options))


def by_id(records: PlatformRecords) -> pd.DataFrame:
    """The records indexed by message id."""
    return records.frame.set_index("message_id")


def fixture_json(name: str) -> Any:
    """A fixture's parsed JSON (to vary it in a test)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- sniffing
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_sniff_accepts_every_telegram_fixture(name: str) -> None:
    assert READER.sniff(source(name))


@pytest.mark.parametrize("path", sorted(FORMATS.glob("telegram_*.example.json")), ids=lambda p: p.name)
def test_sniff_accepts_the_shared_examples(path: Path) -> None:
    assert READER.sniff(SourceFile(path=path, name=path.name, data=path.read_bytes()))


@pytest.mark.parametrize("path", OTHER_EXAMPLES, ids=lambda p: p.name)
def test_sniff_rejects_and_read_refuses_other_platforms(path: Path) -> None:
    other = SourceFile(path=path, name=path.name, data=path.read_bytes())
    assert not READER.sniff(other)
    with pytest.raises(ImportInputError, match=rf"{path.name}: not a telegram export"):
        READER.read(other, ReaderOptions())


def test_other_examples_are_there() -> None:
    assert len(OTHER_EXAMPLES) >= 10


@pytest.mark.parametrize("data", [json.dumps(MESSENGER).encode(), b"", b"\xff\xfe\x00",
                                  b"<html><body>502</body></html>", b"{\"messages\": [",
                                  b"[1, 2]", b"{\"data\": []}", b"null", b"{\"messages\": 3}"])
def test_sniff_never_raises_and_rejects_non_exports(data: bytes) -> None:
    assert READER.sniff(raw_source(data)) is False


# ---------------------------------------------------------------------------------------------- channel
def test_channel_export() -> None:
    records = read("channel.json")
    frame = by_id(records)
    assert records.preset == "telegram"
    assert list(records.frame.columns[:len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
    assert list(frame.index) == ["1987654321/1201", "1987654321/1202", "1987654321/1203"]
    assert records.skipped == {"service message": 1}
    assert records.warnings == []
    assert frame["reason"].isna().all()
    assert set(frame["author_role"]) == {"brand"}
    assert set(frame["author_id"]) == {"channel1987654321"}
    assert set(frame["brand"]) == {"Baku Culture Centre | Bakı Mədəniyyət Mərkəzi"}
    assert set(frame["channel"]) == {"telegram"}
    assert frame["parent_id"].isna().all() and frame["thread_id"].isna().all()
    assert list(frame["reactions"]) == [56, 0, 12]          # emoji + custom_emoji; emoji + paid
    assert frame["shares"].isna().all() and frame["reach"].isna().all()
    assert list(frame["media"].fillna("-")) == ["photo", "-", "-"]
    assert list(frame["x_forwarded"]) == [False, True, False]
    assert list(frame["x_edited"]) == [False, False, True]
    assert frame.loc["1987654321/1201", "created_at"] == pd.Timestamp("2024-03-12 06:00", tz="UTC")
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    assert frame.loc["1987654321/1201", "text"] == (
        "🎉 Novruz bayramı konserti 20 mart saat 18:00-da!\nВход свободный, нужна регистрация.\n"
        "Free entry — register here: https://example.org/novruz\n#Novruz2024")
    assert frame.loc["1987654321/1203", "text"] == (
        "Registration is closed — all seats are taken, спасибо всем! Canlı yayım olacaq.")
    assert list(frame["where"]) == ["messages[1]", "messages[2]", "messages[3]"]
    assert pd.isna(frame.loc["1987654321/1202", "raw"])   # the JSON is kept only for quarantined items


def test_no_author_names_in_any_column() -> None:
    frame = read("group_variants.json").frame
    text = frame.drop(columns=["raw", "text", "brand"]).astype(str).to_string()
    for name in ("Nigar", "Leyla", "Игорь", "Rəşad", "Aysel", "Анна", "Kitab klubu", "Big Id"):
        assert name not in text


# ---------------------------------------------------------------------------------------------- group
def test_discussion_group_threads_and_brand() -> None:
    records = read("group.json")
    frame = by_id(records)
    assert len(frame) == 7
    assert records.skipped == {"service message": 2}
    assert frame["reason"].isna().all()
    assert frame.loc["2012345678/5003", "parent_id"] == "2012345678/5002"
    assert frame.loc["2012345678/5007", "parent_id"] == "2012345678/5006"
    assert pd.isna(frame.loc["2012345678/5002", "parent_id"])
    brand = set(frame.index[frame["author_role"] == "brand"])
    assert brand == {"2012345678/5002", "2012345678/5004"}     # auto-copy and channel-as-sender reply
    assert set(frame["brand"]) == {"Baku Culture Centre — chat / обсуждение"}
    assert frame.loc["2012345678/5002", "x_forwarded"]
    assert frame.loc["2012345678/5003", "reactions"] == 2
    assert frame.loc["2012345678/5006", "text"].startswith("Игорь, добрый день!")
    assert frame.loc["2012345678/5008", "media"] == "photo"   # file not included: still a photo
    assert records.warnings == []


@pytest.mark.parametrize("author", ["user944556677", "944556677", "@USER944556677", "rəşad əliyev",
                                    " Rəşad Əliyev "])
def test_brand_authors_by_id_bare_id_or_name(author: str) -> None:
    frame = by_id(read("group.json", brand_authors=(author,)))
    assert frame.loc["2012345678/5006", "author_role"] == "brand"
    assert (frame["author_role"] == "brand").sum() == 3


def test_group_as_part_of_an_account_export_gives_the_same_ids() -> None:
    single = read("group.json").frame
    inside = read("account.json", chat="2012345678").frame
    assert list(single["message_id"]) == list(inside["message_id"])
    assert list(single["parent_id"].fillna("")) == list(inside["parent_id"].fillna(""))
    assert inside["where"].iloc[0] == "chats.list[2].messages[1]"


# ---------------------------------------------------------------------------------------------- versions
def test_2021_export_local_dates_without_timezone_warn_and_read_utc() -> None:
    records = read("group_2021.json")
    frame = by_id(records)
    assert len(frame) == 7 and records.skipped == {"service message": 2}
    assert frame.loc["2012345678/5002", "created_at"] == pd.Timestamp("2024-03-12 10:00", tz="UTC")
    assert len(records.warnings) == 1
    assert "7 message(s)" in records.warnings[0] and "--timezone" in records.warnings[0]
    assert frame["reactions"].isna().all()                    # that export has no reactions at all
    assert frame.loc["2012345678/5002", "text"].endswith("#Novruz2024")   # text as a list, no text_entities


def test_2021_export_with_timezone_matches_the_current_export() -> None:
    records = read("group_2021.json", timezone="Asia/Baku")
    assert records.warnings == []
    current = read("group.json").frame
    assert list(records.frame["created_at"]) == list(current["created_at"])
    assert list(records.frame["author_role"]) == list(current["author_role"])


@pytest.mark.parametrize("name, current", [("group_2020.json", "group.json"),
                                           ("channel_2020.json", "channel.json")])
def test_old_export_integer_from_id_decoded(name: str, current: str) -> None:
    old = read(name, timezone="Asia/Baku").frame
    new = read(current).frame
    assert list(old["author_id"]) == list(new["author_id"])   # 2^33 + id → channel<id>, users as user<id>
    assert list(old["author_role"]) == list(new["author_role"])
    assert list(old["message_id"]) == list(new["message_id"])
    assert list(old["created_at"]) == list(new["created_at"])


def test_local_date_used_when_date_unixtime_unusable() -> None:
    chat = fixture_json("group.json")
    chat["messages"][1]["date_unixtime"] = "not a number"
    records = READER.read(raw_source(chat), ReaderOptions(timezone="Asia/Baku"))
    assert records.frame["created_at"].iloc[0] == pd.Timestamp("2024-03-12 06:00", tz="UTC")


# ---------------------------------------------------------------------------------------------- variants
def test_group_variants_media_forwards_cross_chat_and_quarantine() -> None:
    records = read("group_variants.json")
    frame = records.frame
    assert len(frame) == 20
    assert records.skipped == {"service message": 2}
    assert frame["reason"].value_counts().to_dict() == {"no date": 1, "no id": 1, "duplicate id": 1}
    quarantined = frame[frame["reason"].notna()]
    assert list(quarantined["where"]) == ["messages[18]", "messages[19]", "messages[20]"]
    assert all(json.loads(r)["text"] for r in quarantined["raw"])
    usable = frame[frame["reason"].isna()].set_index("message_id")
    media = usable["media"].dropna().to_dict()
    assert media == {"2012345678/5008": "photo", "2012345678/5011": "video", "2012345678/5012": "animation",
                     "2012345678/5013": "file", "2012345678/5014": "poll", "2012345678/5015": "location",
                     "2012345678/5016": "contact", "2012345678/5021": "photo"}
    assert usable.loc["2012345678/5012", "text"] == ""
    assert usable.loc["2012345678/5017", "x_forwarded"]       # forwarded from a person: only the flag
    assert usable.loc["2012345678/5018", "parent_id"] == "1987654321/1201"   # reply into the channel
    assert usable.loc["2012345678/5018", "author_id"] == "user9007199254740993"  # > 2^53, exact
    assert usable.loc["2012345678/5021", "reactions"] == 6    # "3" + 1 custom + 2 paid


def test_other_channel_posting_in_the_group_is_a_member_unless_named() -> None:
    records = read("group_variants.json")
    frame = by_id(records)
    assert frame.loc["2012345678/5010", "author_role"] == "member"
    assert len(records.warnings) == 1 and "channel5550001" in records.warnings[0]
    named = read("group_variants.json", brand_authors=("channel5550001",))
    assert by_id(named).loc["2012345678/5010", "author_role"] == "brand"
    assert named.warnings == []


def test_without_a_linked_channel_any_channel_sender_is_the_brand() -> None:
    chat = fixture_json("group.json")
    chat["messages"] = [m for m in chat["messages"] if m["id"] != 5002]   # no auto-copy in this export
    records = READER.read(raw_source(chat), ReaderOptions())
    frame = by_id(records)
    assert frame.loc["2012345678/5004", "author_role"] == "brand"
    assert len(records.warnings) == 1 and "channel1987654321" in records.warnings[0]


@pytest.mark.parametrize("author", ["-1001987654321", "channel1987654321", "1987654321"])
def test_brand_authors_negative_and_prefixed_channel_ids(author: str) -> None:
    chat = fixture_json("group.json")
    chat["type"] = "private_group"
    for m in chat["messages"]:
        m.pop("forwarded_from", None), m.pop("saved_from", None)
        if m.get("from_id") == "channel1987654321":
            m["from_id"] = "user1"                              # brand only through --brand-author now
    chat["messages"][3]["from_id"] = "channel1987654321"
    frame = by_id(READER.read(raw_source(chat), ReaderOptions(brand_authors=(author,))))
    assert frame.loc["2012345678/5004", "author_role"] == "brand"
    assert frame.loc["2012345678/5002", "author_role"] == "member"


def test_negative_integer_from_id() -> None:
    chat = fixture_json("group.json")
    chat["messages"][3]["from_id"] = -1001987654321
    chat["messages"][4]["from_id"] = "-555"
    frame = by_id(READER.read(raw_source(chat), ReaderOptions()))
    assert frame.loc["2012345678/5004", "author_id"] == "channel1987654321"
    assert frame.loc["2012345678/5004", "author_role"] == "brand"
    assert frame.loc["2012345678/5005", "author_id"] == "chat555"


def test_forum_topics_deleted_account_unsupported() -> None:
    records = read("forum.json")
    frame = by_id(records)
    assert len(frame) == 8
    assert records.skipped == {"service message": 3, "unsupported message": 1}
    assert frame["reason"].isna().all()
    assert pd.isna(frame.loc["2099887766/11", "parent_id"])    # reply to topic_created: top-level
    assert frame.loc["2099887766/12", "parent_id"] == "2099887766/11"
    topics = frame["x_topic_id"].fillna("-").to_dict()
    assert topics == {"2099887766/11": "2099887766/10", "2099887766/12": "2099887766/10",
                      "2099887766/13": "2099887766/10", "2099887766/15": "-", "2099887766/21": "2099887766/20",
                      "2099887766/23": "2099887766/20", "2099887766/25": "2099887766/20", "2099887766/30": "-"}
    assert pd.isna(frame.loc["2099887766/15", "parent_id"])    # reply to a pin service message
    assert pd.isna(frame.loc["2099887766/21", "author_id"])    # "from": null, a deleted account
    assert frame.loc["2099887766/12", "author_role"] == "brand"  # anonymous admin = the group itself
    assert (frame["author_role"] == "brand").sum() == 1
    assert frame.loc["2099887766/13", "media"] == "sticker" and frame.loc["2099887766/13", "text"] == ""
    assert frame.loc["2099887766/23", "media"] == "voice"
    assert frame.loc["2099887766/23", "reactions"] == 5
    assert frame.loc["2099887766/25", "x_edited"]
    assert frame.loc["2099887766/11", "created_at"] == pd.Timestamp(1710240011, unit="s", tz="UTC")


def test_empty_chat_gives_an_empty_frame() -> None:
    records = READER.read(raw_source({"name": "x", "type": "private_supergroup", "id": 5, "messages": []}),
                          ReaderOptions())
    assert records.frame.empty and list(records.frame.columns[:len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)


def test_only_a_name_means_the_name_is_the_author_id() -> None:
    chat = fixture_json("group.json")
    del chat["messages"][2]["from_id"]
    frame = by_id(READER.read(raw_source(chat), ReaderOptions()))
    assert frame.loc["2012345678/5003", "author_id"] == "Leyla Məmmədova"


# ---------------------------------------------------------------------------------------------- account
def test_account_export_without_chat_lists_the_chats() -> None:
    with pytest.raises(ImportInputError) as info:
        read("account.json")
    message = str(info.value)
    assert message.startswith("account.json:") and "4 chats" in message and "--chat NAME|ID" in message
    for part in ("id 611223344, personal_chat, 2 messages", "id 1987654321, public_channel, 3 messages",
                 "id 2012345678, public_supergroup, 7 messages", "id 3344556677, private_group, 1 message)"):
        assert part in message


@pytest.mark.parametrize("chat", ["1987654321", "-1001987654321", "channel1987654321",
                                  "baku culture centre | bakı mədəniyyət mərkəzi"])
def test_account_export_pick_by_id_or_name(chat: str) -> None:
    records = read("account.json", chat=chat)
    assert len(records.frame) == 3 and records.skipped == {"service message": 1}
    assert records.frame["where"].iloc[0] == "chats.list[1].messages[1]"
    assert records.info["chat_id"] == "1987654321"


def test_account_export_left_chat_and_personal_chat() -> None:
    left = read("account.json", chat="Old volunteers")
    assert list(left.frame["message_id"]) == ["3344556677/2"]
    assert left.frame["where"].iloc[0] == "left_chats.list[0].messages[1]"
    personal = read("account.json", chat="611223344")
    assert list(personal.frame["author_role"]) == ["member", "member"]


def test_account_export_unknown_or_ambiguous_chat() -> None:
    with pytest.raises(ImportInputError, match=r"account.json: no chat is named 'Nope'.*--chat"):
        read("account.json", chat="Nope")
    with pytest.raises(ImportInputError, match=r"several chats .*id 1,.*id 2,"):
        read("account_same_names.json", chat="Baku Culture Centre — chat / обсуждение")
    assert len(read("account_same_names.json", chat="2").frame) == 7


def test_account_export_with_one_chat_needs_no_chat_option() -> None:
    records = read("account_one_chat.json")
    assert len(records.frame) == 7


def test_chat_option_on_a_single_chat_export_is_ignored_with_a_warning() -> None:
    records = read("group.json", chat="something else")
    assert len(records.frame) == 7 and "ignored" in records.warnings[0]
    assert read("group.json", chat="2012345678").warnings == []


# ---------------------------------------------------------------------------------------------- bad files
def mutate(path: list[Any], value: Any, base: str = "group.json") -> SourceFile:
    """The fixture with the value at ``path`` replaced (``...`` as value deletes it)."""
    data = fixture_json(base)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return raw_source(data, "broken.json")


@pytest.mark.parametrize("path, value, where", [
    (["messages"], {"a": 1}, "messages"),
    (["messages", 2], "text", r"messages\[2\]"),
    (["messages", 2, "text_entities"], {"type": "plain"}, r"messages\[2\].text_entities"),
    (["messages", 2, "text_entities", 0], 5, r"messages\[2\].text_entities\[0\]"),
    (["messages", 2, "from_id"], {"id": 1}, r"messages\[2\].from_id"),
    (["messages", 2, "from"], ["x"], r"messages\[2\].from"),
    (["messages", 2, "reactions"], {"count": 2}, r"messages\[2\].reactions"),
    (["messages", 2, "reactions", 0], "👍", r"messages\[2\].reactions\[0\]"),
    (["messages", 2, "id"], {"x": 1}, r"messages\[2\].id"),
    (["messages", 2, "reply_to_message_id"], [5002], r"messages\[2\].reply_to_message_id"),
    (["messages", 2, "date_unixtime"], [1], r"messages\[2\].date_unixtime"),
    (["messages", 2, "type"], 3, r"messages\[2\].type"),
    (["id"], ..., r": id"),
    (["id"], {"x": 1}, r": id"),
    (["name"], 12, r": name"),
])
def test_wrong_types_raise_naming_file_and_field(path: list[Any], value: Any, where: str) -> None:
    with pytest.raises(ImportInputError, match=rf"broken.json.*{where}"):
        READER.read(mutate(path, value), ReaderOptions())


def test_text_as_a_dict_raises() -> None:
    src = mutate(["messages", 2, "text"], {"a": 1})
    data = json.loads(src.data)
    del data["messages"][2]["text_entities"]
    with pytest.raises(ImportInputError, match=r"broken.json: messages\[2\].text"):
        READER.read(raw_source(data, "broken.json"), ReaderOptions())


def test_account_export_with_broken_chat_list() -> None:
    with pytest.raises(ImportInputError, match=r"acc.json: chats.list"):
        READER.read(raw_source({"chats": {"list": {"a": 1}}}, "acc.json"), ReaderOptions())
    with pytest.raises(ImportInputError, match=r"acc.json: chats.list\[0\]"):
        READER.read(raw_source({"chats": {"list": ["x"]}}, "acc.json"), ReaderOptions())
    with pytest.raises(ImportInputError, match=r"acc.json: chats.list.*no chats"):
        READER.read(raw_source({"chats": {"list": []}}, "acc.json"), ReaderOptions())


def test_truncated_json_raises() -> None:
    data = (FIXTURES / "group.json").read_bytes()[:1500]
    with pytest.raises(ImportInputError, match=r"result.json: invalid or truncated JSON"):
        READER.read(raw_source(data), ReaderOptions())


def test_html_page_saved_as_json_raises() -> None:
    page = "<!DOCTYPE html><html><head><title>Telegram</title></head><body>Error</body></html>"
    with pytest.raises(ImportInputError, match=r"result.json: an HTML/XML page"):
        READER.read(raw_source(page), ReaderOptions())


def test_empty_file_raises() -> None:
    with pytest.raises(ImportInputError, match=r"result.json: the file is empty"):
        READER.read(raw_source(b"  \n"), ReaderOptions())


def test_not_utf8_raises() -> None:
    with pytest.raises(ImportInputError, match=r"result.json: not UTF-8"):
        READER.read(raw_source("{\"messages\": []}".encode("utf-16")), ReaderOptions())


@pytest.mark.parametrize("value", [[1, 2], {"data": []}, "hello", 3, MESSENGER, {"chats": []}])
def test_other_json_is_not_mine(value: Any) -> None:
    with pytest.raises(ImportInputError, match=r"result.json: not a telegram export"):
        READER.read(raw_source(value), ReaderOptions())


def test_bad_timezone_raises() -> None:
    with pytest.raises(ImportInputError, match=r"group_2021.json: unknown timezone 'Mars/Base'"):
        read("group_2021.json", timezone="Mars/Base")


def test_lone_surrogates_and_absurd_counts_are_survived() -> None:
    chat = {"id": 1, "type": "public_supergroup", "messages": [
        {"id": 2**70, "type": "message", "date_unixtime": "1710223200", "text": "a\ud800b", "from_id": 2**80,
         "reactions": [{"count": 2**70}, {"count": "4"}]}]}
    frame = READER.read(raw_source(chat), ReaderOptions()).frame
    assert frame["text"].iloc[0] == "a\ufffdb"
    assert frame["reactions"].iloc[0] == 4
    assert frame["message_id"].iloc[0] == f"1/{2**70}"


# ---------------------------------------------------------------------------------------------- fuzzing
JSON_LEAF = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=True)
             | st.text(st.characters(exclude_categories=()), max_size=8)
             | st.from_regex(r"(user|channel)-?\d{1,20}", fullmatch=True))
JSON_VALUE = st.recursive(JSON_LEAF, lambda kids: st.lists(kids, max_size=4)
                          | st.dictionaries(st.sampled_from(["id", "type", "text", "from_id", "from", "date",
                                                             "date_unixtime", "messages", "reactions", "count",
                                                             "reply_to_message_id", "chats", "list", "name",
                                                             "text_entities", "media_type", "reply_to_peer_id"])
                                            | st.text(max_size=5), kids, max_size=5), max_leaves=25)
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("*.json"))


def _check(src: SourceFile, options: ReaderOptions) -> None:
    """read() returns PlatformRecords or raises ImportInputError, nothing else; sniff never raises."""
    READER.sniff(src)
    try:
        result = READER.read(src, options)
    except ImportInputError:
        return
    assert isinstance(result, PlatformRecords)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON_VALUE, wrap=st.sampled_from(["bare", "chat", "message", "account"]))
def test_random_json_never_crashes(value: Any, wrap: str) -> None:
    doc = {"bare": value, "chat": {"id": 1, "type": "public_supergroup", "messages": value},
           "message": {"id": 1, "messages": [value]}, "account": {"chats": {"list": [value]}}}[wrap]
    _check(raw_source(doc), ReaderOptions())


def _mutations(doc: Any) -> list[tuple[list[Any], Any]]:
    """Every (path, value) pair under ``doc``, for picking a place to mutate."""
    out: list[tuple[list[Any], Any]] = []
    stack: list[tuple[list[Any], Any]] = [([], doc)]
    while stack:
        path, node = stack.pop()
        out.append((path, node))
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend((path + [k], v) for k, v in children)
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FIXTURE_NAMES), data=st.data(), chat=st.sampled_from([None, "2012345678", "x"]))
def test_mutated_fixtures_never_crash(name: str, data: st.DataObject, chat: str | None) -> None:
    doc = copy.deepcopy(fixture_json(name))
    for _ in range(data.draw(st.integers(1, 3))):
        places = [(p, v) for p, v in _mutations(doc) if p]
        if not places:
            break
        path, _ = data.draw(st.sampled_from(places))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON_LEAF | st.just({}) | st.just([]) | st.just({"text": 1}))
    _check(raw_source(doc, name), ReaderOptions(chat=chat, brand_authors=("user1",)))
