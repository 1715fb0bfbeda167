"""Meta Business Suite post export CSV reader (meta_business_suite), Facebook and Instagram variants."""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.io.importer.mapfile import ImportInputError
from helpers.io.importer.platforms.base import PlatformRecords, ReaderOptions, SourceFile
from helpers.io.importer.platforms.facebook import GRAPH_READER
from helpers.io.importer.platforms.instagram import GRAPH_READER as IG_GRAPH_READER
from helpers.io.importer.platforms.meta_suite import READER

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
FB = EXPORTS / "facebook"
IG = EXPORTS / "instagram"
FORMATS = Path("/work/shared/formats")


def source(path: Path) -> SourceFile:
    return SourceFile(path=path, name=path.name, data=path.read_bytes())


def raw_source(name: str, data: bytes) -> SourceFile:
    return SourceFile(path=Path(name), name=name, data=data)


def read(path: Path, **options) -> PlatformRecords:
    return READER.read(source(path), ReaderOptions(**options))


EXAMPLES = sorted(FORMATS.glob("*.example.*")) if FORMATS.exists() else []
OWN = {"meta_business_suite_fb_posts.example.csv", "meta_business_suite_ig_posts.example.csv"}


@pytest.mark.skipif(not EXAMPLES, reason="shared format examples not present")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_sniff_claims_only_business_suite_examples(example):
    assert READER.sniff(source(example)) is (example.name in OWN)


def test_sniff_fixtures_and_odd_bytes():
    assert READER.sniff(source(FB / "business_suite_variants.csv"))
    assert not READER.sniff(source(FB / "business_suite_page_views_utf16.csv"))
    for data in (b"", b"\xff\xfe", b'"Post ID",x\n', b"{}", b'"unterminated'):
        assert READER.sniff(raw_source("odd.csv", data)) is False


def test_facebook_posts_ids_match_graph_and_counts():
    records = read(FB / "business_suite_posts.csv", timezone="Asia/Baku")
    frame = records.frame
    assert records.preset == "meta_business_suite" and records.fills_only is True
    assert len(frame) == 3 and frame["reason"].isna().all() and records.skipped == {} and records.warnings == []
    graph = GRAPH_READER.read(source(FB / "graph_posts.json"), ReaderOptions()).frame
    assert list(frame["message_id"])[:2] == list(graph["message_id"])          # <pageid>_<postid>
    assert frame["created_at"].iloc[0] == pd.Timestamp("2024-03-12T06:00:00Z")  # 10:00 Baku
    assert list(frame["reach"]) == [3207, 884, 9330]
    assert list(frame["reactions"]) == [96, 18, 377]
    assert list(frame["shares"]) == [14, 0, 13]
    assert list(frame["x_views"]) == [4812, 1020, 12650]
    assert frame["media"].iloc[0] == "photo" and pd.isna(frame["media"].iloc[1])
    assert frame["media"].iloc[2] == "video"
    assert (frame["author_role"] == "brand").all() and set(frame["author_id"]) == {"104857392011234"}
    assert set(frame["brand"]) == {"Baku Culture Centre"} and set(frame["channel"]) == {"facebook"}
    assert frame["text"].iloc[2].startswith("Novruz hazırlıqları")              # caption in Description
    assert frame["text"].iloc[0].count("\n") == 2                               # multi-line caption
    assert list(frame["where"]) == ["row 2", "row 3", "row 4"]


def test_instagram_posts_ids_match_instagram_graph():
    frame = read(IG / "business_suite_posts.csv", timezone="Asia/Baku").frame
    assert len(frame) == 2 and set(frame["channel"]) == {"instagram"}
    assert list(frame["message_id"]) == ["18034567890123456", "18045678901234567"]
    comments = IG_GRAPH_READER.read(source(IG / "graph_comments.json"), ReaderOptions()).frame
    assert frame["message_id"].iloc[0] in set(comments["parent_id"])           # media id = comments' parent
    assert list(frame["reactions"]) == [388, 1104] and list(frame["reach"]) == [4902, 15020]
    assert list(frame["shares"]) == [41, 260] and list(frame["media"]) == ["photo", "video"]
    assert set(frame["brand"]) == {"bakuculturecentre"} and set(frame["author_id"]) == {"17841400123456789"}


def test_no_timezone_reads_utc_and_warns():
    records = read(FB / "business_suite_posts.csv")
    assert records.frame["created_at"].iloc[0] == pd.Timestamp("2024-03-12T10:00:00Z")
    assert len(records.warnings) == 1 and "--timezone" in records.warnings[0]


def test_bad_timezone_raises():
    with pytest.raises(ImportInputError, match="business_suite_posts.csv: --timezone 'Mars/Olympus'"):
        read(FB / "business_suite_posts.csv", timezone="Mars/Olympus")


def test_variants_float_id_bare_cr_blank_reach_seconds_and_quarantine():
    records = read(FB / "business_suite_variants.csv", timezone="Asia/Baku")
    frame = records.frame
    assert len(frame) == 5 and records.skipped == {}
    assert frame["reason"].value_counts().to_dict() == {"no date": 1, "no id": 1, "bad date": 1}
    assert frame["text"].iloc[0] == "Novruz bayramı konserti\rВход свободный\r\nFree entry"   # longer than Title
    assert frame["created_at"].iloc[0] == pd.Timestamp("2024-03-12T06:00:00Z")               # with :SS
    assert frame["message_id"].iloc[1] == "1.22158E+17"                                        # text kept
    assert pd.isna(frame["reach"].iloc[1]) and frame["reactions"].iloc[1] == 18                # blank = None
    assert frame["text"].iloc[1] == "Ötən həftənin yekunları 𝐍𝐨𝐯𝐫𝐮𝐳"
    assert len(records.warnings) == 1 and "1.22158E+17" in records.warnings[0]
    assert frame.loc[frame["reason"].notna(), "raw"].notna().all()


@pytest.mark.parametrize("name,needle", [
    ("business_suite_page_views_utf16.csv", "not UTF-8"), ("graph_posts.json", "not a meta_business_suite"),
    ("bad_html.json", "not a meta_business_suite"), ("dyi_comments_v2.json", "not a meta_business_suite"),
])
def test_bad_and_foreign_files_raise_naming_file(name, needle):
    with pytest.raises(ImportInputError) as err:
        read(FB / name)
    assert name in str(err.value) and needle in str(err.value)


def test_ragged_rows_are_read_without_error():
    text = '\ufeff"Post ID","Page ID","Publish time",Reach\n1,2,"03/12/2024 10:00","1,234",extra\n3\n'
    frame = READER.read(raw_source("ragged.csv", text.encode()), ReaderOptions(timezone="UTC")).frame
    assert list(frame["message_id"]) == ["2_1", "3"] and frame["reach"].iloc[0] == 1234
    assert list(frame["reason"].fillna("")) == ["", "no date"]


_FIXTURE = (FB / "business_suite_posts.csv").read_text(encoding="utf-8-sig")
_TABLE = list(csv.reader(io.StringIO(_FIXTURE, newline="")))
CELL = st.text(max_size=12) | st.sampled_from(["", "1.22158E+17", "1,234", "13/45/2024 99:99", "N/A", "\r", '"'])


def _reads_or_input_error(data: bytes):
    try:
        out = READER.read(raw_source("fuzz.csv", data), ReaderOptions())
    except ImportInputError as err:
        assert "fuzz.csv" in str(err)
    else:
        assert isinstance(out, PlatformRecords)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), cell=CELL, drop_column=st.booleans())
def test_mutated_fixture_reads_or_raises_input_error(seed, cell, drop_column):
    rng = random.Random(seed)
    table = [list(row) for row in _TABLE]
    r, c = rng.randrange(len(table)), rng.randrange(len(table[0]))
    if drop_column:
        for row in table:
            del row[c:c + 1]
    else:
        table[r][c] = cell
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(table)
    _reads_or_input_error(("\ufeff" + buf.getvalue()).encode())


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_random_text_reads_or_raises_input_error(text):
    _reads_or_input_error(('"Post ID","Page ID","Publish time"\n' + text).encode("utf-8", "surrogatepass"))
