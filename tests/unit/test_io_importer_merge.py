"""Re-imports that lose nothing: merging into a dataset folder, links across files, the atomic install.

Each test writes its own small exports (CSV through a map) into tmp_path; the platform readers' own merge
behaviour is tested with their fixtures in test_io_importer_platforms.py.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.io import ImportInputError, import_cli, import_sources, load_dataset

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["id", "created", "text", "user", "parent", "likes"]
MAP = {"columns": {"message_id": "id", "created_at": "created", "text": "text", "author_id": "user",
                   "parent_id": "parent", "reactions": "likes"},
       "constants": {"channel": "facebook", "brand": "clinic"}}


def write_csv(path: Path, data: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(data)
    return path


def write_map(tmp_path: Path, spec: dict | None = None) -> Path:
    path = tmp_path / "map.yml"
    path.write_text(yaml.safe_dump(spec or MAP), encoding="utf-8")
    return path


def week(n: int, start: int = 0, likes: int = 0) -> list[list[str]]:
    """n messages: id start.., a post every 5th, the others answering the post before them."""
    out = []
    for k in range(start, start + n):
        parent = "" if k % 5 == 0 else str(k - k % 5)
        created = (pd.Timestamp("2024-03-01T00:00:00Z") + pd.Timedelta(minutes=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append([str(k), created, f"message {k}", f"user{k % 7}", parent, str(likes)])
    return out


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def team_files(out: Path) -> dict[str, str]:
    """What a team adds to a dataset folder by hand."""
    labels = pd.DataFrame({"message_id": [str(k) for k in range(0, 50)],
                           "sentiment": ["negative", "neutral", "positive"] * 16 + ["neutral", "neutral"]})
    labels.to_csv(out / "labels.csv", index=False)
    (out / "campaigns.csv").write_text(
        "campaign_id,brand,name,kind,channel,start,end,budget,currency,objective\n"
        "spring,clinic,Spring open days,community_programme,facebook,2024-03-01,2024-03-20,1500,AZN,awareness\n",
        encoding="utf-8")
    (out / "models").mkdir(exist_ok=True)
    (out / "models" / "note.txt").write_text("the team's model notes", encoding="utf-8")
    (out / "notes.md").write_text("# our notes\n", encoding="utf-8")
    names = ["labels.csv", "campaigns.csv", "incidents.csv", "audience.csv", "dataset.json", ".pseudonym_salt",
             "models/note.txt", "notes.md"]
    return {name: sha(out / name) for name in names}


def totals(report: dict) -> tuple[int, ...]:
    t = report["totals"]
    return t["read"], t["added"], t["updated"], t["unchanged"], t["skipped"], t["quarantined"]


def test_next_weeks_export_merges_and_the_teams_files_are_untouched(tmp_path):
    out = tmp_path / "clinic"
    first = import_sources([write_csv(tmp_path / "w1.csv", week(100))], out, map_path=write_map(tmp_path))
    assert totals(first) == (100, 100, 0, 0, 0, 0)
    before = team_files(out)
    # next week: 40 messages seen again (10 edited, 10 with new likes), 60 new; 60 of last week's are not in it
    rows = week(40, start=60)
    for r in rows[:10]:
        r[2] += " (edited)"
    for r in rows[10:20]:
        r[5] = "7"
    rows += week(60, start=100)
    second = import_sources([write_csv(tmp_path / "w2.csv", rows)], out, map_path=write_map(tmp_path))
    assert totals(second) == (100, 60, 20, 20, 0, 0)
    ds = load_dataset(out)
    m = ds.messages.set_index("message_id")
    assert len(m) == 160 and m.index.is_unique                        # nothing duplicated, nothing removed
    assert m.loc["60", "text"] == "message 60 (edited)" and m.loc["70", "reactions"] == 7
    assert m.loc["0", "text"] == "message 0"                           # absent from the new export: kept
    assert m.loc["101", "parent_id"] == "100" and m.loc["101", "thread_id"] == "100"
    assert {name: sha(out / name) for name in before} == before        # labels, campaigns, models … as they were
    assert len(ds.labels) == 50 and ds.campaigns["campaign_id"].tolist() == ["spring"]
    log = [json.loads(line) for line in (out / "imports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [entry["totals"]["added"] for entry in log] == [100, 60]
    assert log[1]["sources"][0]["sha256"] == sha(tmp_path / "w2.csv") and log[1]["messages_before"] == 100


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    out = tmp_path / "clinic"
    source = write_csv(tmp_path / "w1.csv", week(60))
    import_sources([source], out, map_path=write_map(tmp_path))
    team = team_files(out)
    table = sha(out / "messages.csv")
    again = import_sources([source], out, map_path=write_map(tmp_path))
    assert totals(again) == (60, 0, 0, 60, 0, 0)
    assert sha(out / "messages.csv") == table and {n: sha(out / n) for n in team} == team


def test_replace_starts_the_messages_afresh_but_keeps_the_teams_files(tmp_path):
    out = tmp_path / "clinic"
    import_sources([write_csv(tmp_path / "w1.csv", week(60))], out, map_path=write_map(tmp_path))
    team = team_files(out)
    report = import_sources([write_csv(tmp_path / "w2.csv", week(60, start=0) + week(10, start=200))], out,
                            map_path=write_map(tmp_path), replace=True)
    assert report["messages_before"] == 60 and report["messages_after"] == 70 and report["replace"] is True
    assert totals(report)[1] == 70                                     # all added again, none "seen"
    assert {n: sha(out / n) for n in team} == team
    # a replacement that would orphan the team's labels is refused before anything is written
    table = sha(out / "messages.csv")
    code = import_cli([str(write_csv(tmp_path / "w3.csv", week(5, start=300))), "--map", str(write_map(tmp_path)),
                       "--out", str(out), "--replace"])
    assert code == 2 and sha(out / "messages.csv") == table


def test_parents_resolve_across_files_and_against_the_dataset(tmp_path):
    out = tmp_path / "clinic"
    posts = write_csv(tmp_path / "posts.csv", [["p1", "2024-03-01T10:00:00Z", "post", "page", "", "0"]])
    replies = write_csv(tmp_path / "replies.csv", [["c1", "2024-03-01T11:00:00Z", "reply", "u1", "p1", "0"],
                                                   ["c2", "2024-03-01T12:00:00Z", "reply to reply", "u2", "c1", "0"],
                                                   ["c9", "2024-03-01T12:00:00Z", "answer to later", "u3", "p2", "0"]])
    report = import_sources([replies, posts], out, map_path=write_map(tmp_path))   # reply file first on purpose
    m = load_dataset(out).messages.set_index("message_id")
    assert m.loc["c2", "parent_id"] == "c1" and m.loc["c2", "thread_id"] == "p1"
    assert pd.isna(m.loc["c9", "parent_id"]) and m.loc["c9", "x_parent_id"] == "p2"
    assert any("x_parent_id" in w for w in report["warnings"])
    # next import brings p2: the waiting reply links up
    import_sources([write_csv(tmp_path / "later.csv", [["p2", "2024-03-01T09:00:00Z", "post 2", "page", "", "0"]])],
                   out, map_path=write_map(tmp_path))
    m = load_dataset(out).messages.set_index("message_id")
    assert m.loc["c9", "parent_id"] == "p2" and "x_parent_id" not in m.columns   # none is waiting any more
    assert m.loc["c9", "thread_id"] == "p2"


def test_float_written_parent_ids_link_like_message_ids(tmp_path):
    """Found on real customer-care tweets: in_response_to_tweet_id arrives as 3.0, tweet ids as 3."""
    data = [["1", "2024-03-01T10:00:00Z", "my order is late", "u1", "", "0"],
            ["2", "2024-03-01T10:05:00Z", "sorry, DM us", "care", "1.0", "0"],
            ["3", "2024-03-01T10:06:00Z", "done", "u1", "2.0", "0"]]
    import_sources([write_csv(tmp_path / "care.csv", data)], tmp_path / "o", map_path=write_map(tmp_path))
    m = load_dataset(tmp_path / "o").messages.set_index("message_id")
    assert m["parent_id"].to_dict() == {"1": None, "2": "1", "3": "2"} or \
        (pd.isna(m.loc["1", "parent_id"]) and m.loc["2", "parent_id"] == "1" and m.loc["3", "parent_id"] == "2")
    assert set(m["thread_id"]) == {"1"}


def test_map_column_list_takes_the_first_non_empty(tmp_path):
    """A scraper's comments file whose top-level comments answer the post: parent_id: [parent_id, status_id]."""
    header = ["comment_id", "created", "text", "user", "parent_id", "status_id"]
    data = [["s1", "2024-03-01T09:00:00Z", "the post", "page", "", ""],
            ["c1", "2024-03-01T10:00:00Z", "top-level comment", "u1", "", "s1"],
            ["c2", "2024-03-01T10:30:00Z", "reply", "u2", "c1", "s1"]]
    spec = {"columns": {"message_id": "comment_id", "created_at": "created", "text": "text", "author_id": "user",
                        "parent_id": ["parent_id", "status_id"]}, "constants": {"channel": "facebook"}}
    import_sources([write_csv(tmp_path / "c.csv", data, header)], tmp_path / "o", map_path=write_map(tmp_path, spec))
    m = load_dataset(tmp_path / "o").messages.set_index("message_id")
    assert m.loc["c1", "parent_id"] == "s1" and m.loc["c2", "parent_id"] == "c1"


def test_a_folder_of_exports_is_read_file_by_file(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv(folder / "a.csv", week(10))
    write_csv(folder / "b.csv", week(10, start=10))
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / ".hidden.csv").write_text("not read", encoding="utf-8")
    code = import_cli([str(folder), "--map", str(write_map(tmp_path)), "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert code == 0
    lines = captured.out.strip().splitlines()
    assert [line.split(" (")[0] for line in lines[:2]] == ["a.csv", "b.csv"]
    assert lines[2].startswith("total: 20 read, 20 added") and "(20 messages)" in lines[2]
    assert "1 other file(s)" in captured.err


def test_unrecognised_file_without_a_map_exits_2_naming_it_and_the_way_in(tmp_path, capsys):
    source = write_csv(tmp_path / "scraped.csv", week(3))
    code = import_cli([str(source), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "scraped.csv" in err and "--map" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o" / "messages.csv").exists()


def test_unknown_preset_lists_the_presets(tmp_path):
    with pytest.raises(ImportInputError, match="not a known format"):
        import_sources([write_csv(tmp_path / "x.csv", week(1))], tmp_path / "o", preset="myspace")


def test_a_dataset_that_fails_the_check_is_never_installed(tmp_path, monkeypatch):
    out = tmp_path / "clinic"
    import_sources([write_csv(tmp_path / "w1.csv", week(20))], out, map_path=write_map(tmp_path))
    table = sha(out / "messages.csv")
    import helpers.io.importer.install as install
    from helpers.io.schema import DatasetError

    def broken(folder, *args, **kwargs):
        raise DatasetError([{"file": "x", "table": "messages", "column": "text", "check": "planted",
                                     "count": 1, "examples": []}], "staging")

    monkeypatch.setattr(install, "load_dataset", broken)
    with pytest.raises(Exception, match="planted"):
        import_sources([write_csv(tmp_path / "w2.csv", week(20, start=20))], out, map_path=write_map(tmp_path))
    assert sha(out / "messages.csv") == table and not list(out.glob(".import-staging-*"))


def _import_process(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "helpers", "import", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.slow
def test_a_killed_import_leaves_the_previous_dataset_exactly_as_it_was(tmp_path):
    out = tmp_path / "clinic"
    map_path = write_map(tmp_path)
    import_sources([write_csv(tmp_path / "w1.csv", week(2000))], out, map_path=map_path)
    team_files(out)
    old = (out / "messages.csv").read_bytes()
    big = write_csv(tmp_path / "big.csv", week(60_000, start=2000))
    # the finished result, for comparison: the same import into a copy
    done = tmp_path / "done"
    import shutil
    shutil.copytree(out, done)
    import_sources([big], done, map_path=map_path)
    new = (done / "messages.csv").read_bytes()
    outcomes = []
    for delay in (0.5, 1.5, 2.5, 3.5, 5.0, 7.0):
        proc = _import_process([str(big), "--map", str(map_path), "--out", str(out)])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = (out / "messages.csv").read_bytes()
        assert now in (old, new), f"killed after {delay} s: messages.csv is neither the old nor the new table"
        outcomes.append("new" if now == new else "old")
        load_dataset(out)                                             # and the folder loads
        if now == new:
            (out / "messages.csv").write_bytes(old)                   # back to the old state for the next kill
    print("kill outcomes:", outcomes)
    assert "old" in outcomes, outcomes                                # at least one kill landed mid-import


@pytest.mark.slow
def test_two_imports_at_once_into_one_folder_both_land(tmp_path):
    out = tmp_path / "clinic"
    map_path = write_map(tmp_path)
    import_sources([write_csv(tmp_path / "w0.csv", week(10))], out, map_path=map_path)
    a = write_csv(tmp_path / "a.csv", week(20_000, start=1000))
    b = write_csv(tmp_path / "b.csv", week(20_000, start=50_000))
    procs = [_import_process([str(p), "--map", str(map_path), "--out", str(out)]) for p in (a, b)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert len(load_dataset(out).messages) == 40_010


def test_long_imports_log_plain_progress_lines_off_a_terminal(tmp_path, capsys):
    files = [write_csv(tmp_path / f"w{k}.csv", week(5, start=10 * k)) for k in range(3)]
    assert import_cli([*map(str, files), "--map", str(write_map(tmp_path)), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert [line.split(" (")[0] for line in err.splitlines() if line.startswith("import: reading")] == [
        f"import: reading {k + 1}/3 {files[k]}" for k in range(3)] or err.count("import: reading") == 3
