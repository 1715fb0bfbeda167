"""Platform exports through the whole import: detection, one command for several files, merge, bad files.

The readers' own details are tested per platform (test_io_importer_<platform>.py) on fixtures composed from
the example files in ../shared/formats; these tests feed those fixtures through ``python -m helpers import``
as a community manager would.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.io import import_cli, import_sources, load_dataset
from helpers.io.importer.platforms import READERS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "exports"
FORMATS = ROOT.parent / "shared" / "formats"


def fixture(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"fixture {path} missing")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def example_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".json", ".js", ".csv", ".jsonl"))


def test_every_fixture_is_recognised_by_exactly_one_reader():
    from helpers.io.importer.platforms import SourceFile
    files = example_files()
    assert files
    for path in files:
        if "bad" in path.name or "broken" in path.name:
            continue
        source = SourceFile(path=path, name=path.name, data=path.read_bytes())
        claimed = [r.name for r in READERS if r.sniff(source)]
        assert len(claimed) <= 1, f"{path.name} claimed by {claimed}"


def test_facebook_posts_comments_and_business_suite_in_one_command(tmp_path, capsys):
    posts, comments = fixture("facebook", "graph_posts.json"), fixture("facebook", "graph_comments_stream.json")
    suite = fixture("facebook", "business_suite_posts.csv")
    out = tmp_path / "clinic"
    code = import_cli([str(posts), str(comments), str(suite), "--out", str(out), "--timezone", "Asia/Baku"])
    printed = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert [line.split(":")[0] for line in printed] == [
        "graph_posts.json (facebook_graph)", "graph_comments_stream.json (facebook_graph)",
        "business_suite_posts.csv (meta_business_suite)", "total"]
    m = load_dataset(out).messages.set_index("message_id")
    posts_ids = m.index[m["parent_id"].isna() & m["author_role"].eq("brand")]
    replies = m[m["parent_id"].notna()]
    assert len(replies) and replies["thread_id"].isin(posts_ids).all()      # every comment is in a post's thread
    assert m.loc[posts_ids, "reach"].notna().all()                           # Business Suite filled the reach


def test_the_same_exports_twice_change_nothing_and_a_new_week_merges(tmp_path):
    out = tmp_path / "clinic"
    files = [fixture("facebook", "graph_posts.json"), fixture("facebook", "graph_comments_stream.json")]
    first = import_sources(files, out)
    table = sha(out / "messages.csv")
    again = import_sources(files, out)
    assert again["totals"]["added"] == again["totals"]["updated"] == 0
    assert again["totals"]["unchanged"] == first["totals"]["added"] + first["totals"]["updated"]
    assert sha(out / "messages.csv") == table
    # next week's comments file: one comment edited, one with more likes, one new
    data = json.loads(files[1].read_text(encoding="utf-8"))
    items = data["data"]
    items[0]["message"] = items[0]["message"] + " (edited)"
    newer = json.loads(json.dumps(items[1]))
    newer["id"] = newer["id"].rsplit("_", 1)[0] + "_999000111222"
    newer["message"] = "A new question about tickets?"
    items.append(newer)
    week2 = tmp_path / "comments_week2.json"
    week2.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    third = import_sources([week2], out)
    assert (third["totals"]["added"], third["totals"]["updated"]) == (1, 1)
    assert len(load_dataset(out).messages) == first["messages_after"] + 1


def test_dyi_mojibake_is_repaired_in_cyrillic_and_azerbaijani(tmp_path):
    source = fixture("facebook", "dyi_comments_v2.json")
    import_sources([source], tmp_path / "o")
    text = " ".join(load_dataset(tmp_path / "o").messages["text"])
    assert any(ch in text for ch in "əğışçöüİ") and any("а" <= ch <= "я" for ch in text)
    assert "Ã" not in text and "Ð" not in text


@pytest.mark.parametrize("content, expected", [
    (b"<!DOCTYPE html><html><body>Sorry, this content isn't available right now</body></html>", "not an export"),
    (b'{"data": [{"id": "1_2", "message": "cut off', "not an export"),
])
def test_bad_files_exit_2_naming_the_file(tmp_path, capsys, content, expected):
    bad = tmp_path / "fb_comments.json"
    bad.write_bytes(content)
    code = import_cli([str(bad), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "fb_comments.json" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o" / "messages.csv").exists()


def test_a_file_of_another_platform_with_the_wrong_preset_exits_2(tmp_path, capsys):
    source = fixture("facebook", "graph_posts.json")
    code = import_cli([str(source), "--preset", "instagram_graph", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "graph_posts.json" in err


def test_examples_in_shared_formats_import_without_a_map(tmp_path):
    """The example files composed in each platform's real structure (../shared/formats), as they are."""
    if not FORMATS.is_dir():
        pytest.skip("../shared/formats not beside the repository")
    known = [p for p in sorted(FORMATS.glob("*.example.*"))
             if not p.name.startswith(("brandwatch", "exportcomments"))]   # third-party tools: the map path
    folder = tmp_path / "exports"
    folder.mkdir()
    for p in known:
        shutil.copy(p, folder / p.name)
    report = import_sources([folder], tmp_path / "o", options=None)
    names = {Path(s["source"]).name: s["preset"] for s in report["sources"]}
    assert len(names) == len(known)
    t = report["totals"]
    assert t["read"] == t["added"] + t["updated"] + t["unchanged"] + t["skipped"] + t["quarantined"]
    m = load_dataset(tmp_path / "o").messages
    assert set(m["channel"]) >= {"facebook", "instagram"}
    assert m["message_id"].is_unique and pd.api.types.is_string_dtype(m["message_id"])


def test_telegram_channel_and_its_group_under_one_brand_with_media_kept(tmp_path, capsys):
    channel, group = fixture("telegram", "channel.json"), fixture("telegram", "group.json")
    out = tmp_path / "culture"
    code = import_cli([str(channel), str(group), "--out", str(out), "--brand", "Baku Culture Centre"])
    printed = capsys.readouterr().out
    assert code == 0 and "skipped (service message:" in printed
    m = load_dataset(out).messages
    assert set(m["brand"]) == {"Baku Culture Centre"} and set(m["channel"]) == {"telegram"}
    photos = m[m["x_media"].eq("photo").fillna(False)]
    assert len(photos) >= 1 and (photos["text"].eq("") | photos["text"].notna()).all()
    replies = m[m["parent_id"].notna()]
    assert len(replies) and replies["parent_id"].isin(m["message_id"]).all()


def test_telegram_account_export_needs_a_chat_and_lists_them(tmp_path, capsys):
    account = fixture("telegram", "account.json")
    code = import_cli([str(account), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "--chat" in err and "account.json" in err
    assert not (tmp_path / "o" / "messages.csv").exists()


def test_telegram_export_without_utc_times_warns_unless_a_timezone_is_given(tmp_path, capsys):
    old = fixture("telegram", "group_2021.json")
    assert import_cli([str(old), "--out", str(tmp_path / "a")]) == 0
    assert "--timezone" in capsys.readouterr().err
    assert import_cli([str(old), "--out", str(tmp_path / "b"), "--timezone", "Asia/Baku"]) == 0
    a = load_dataset(tmp_path / "a").messages["created_at"]
    b = load_dataset(tmp_path / "b").messages["created_at"]
    assert ((a - b) == pd.Timedelta(hours=4)).all()                        # Baku is UTC+4


def test_counts_and_ids_are_ascii_digits_only():
    """Found by fuzzing: "²".isdigit() is True but int("²") fails."""
    from helpers.io.importer.platforms.base import normalise_id, whole_count
    assert whole_count("²") is None and whole_count("١٢") is None and whole_count("1,234") == 1234
    assert whole_count(" 12 ") == 12 and whole_count(-1) is None and whole_count(True) is None
    assert normalise_id("3.0") == "3" and normalise_id(" 570306133677760513 ") == "570306133677760513"
