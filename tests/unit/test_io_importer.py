"""`python -m helpers import`: raw exports of every supported kind become canonical datasets.

Fixtures are written per test into tmp_path, so each test shows the bytes it feeds the importer.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.io import (ImportInputError, import_cli, import_export, load_dataset, normalise_sentiment,
                        parse_timestamps)

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["id", "created", "text", "user", "page"]
HANDLE = "alice_secret_handle"

BASE_MAP = {
    "columns": {"message_id": "id", "created_at": "created", "text": "text", "author_id": "user", "brand": "page"},
    "constants": {"channel": "facebook"},
}


def rows(n: int = 3) -> list[list[str]]:
    return [[str(100 + k), f"2024-03-0{1 + k % 9}T10:00:00+03:00", f"message {k}", HANDLE if k == 0 else f"user{k}",
             "acme"] for k in range(n)]


def write_csv(path: Path, data: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(data)
    return path


def write_map(tmp_path: Path, **changes) -> Path:
    spec = json.loads(json.dumps(BASE_MAP))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(spec.get(key), dict):
            spec[key].update(value)
        else:
            spec[key] = value
    path = tmp_path / "map.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def run(tmp_path: Path, source: Path, out: str = "out", **map_changes) -> tuple[dict, Path]:
    out_dir = tmp_path / out
    report = import_export(source, write_map(tmp_path, **map_changes), out_dir)
    assert report["rows_read"] == report["rows_kept"] + report["rows_quarantined"]
    return report, out_dir


def messages(out_dir: Path) -> pd.DataFrame:
    return load_dataset(out_dir).messages


def quarantine(out_dir: Path) -> pd.DataFrame:
    return pd.read_csv(out_dir / "quarantine.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "helpers", "import", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------------------------- formats

def test_utf8_csv_becomes_a_complete_loadable_dataset(tmp_path):
    source = write_csv(tmp_path / "export.csv", rows(3))
    report, out = run(tmp_path, source)
    assert (report["rows_read"], report["rows_kept"], report["rows_quarantined"]) == (3, 3, 0)
    assert report["reasons"] == {} and report["warnings"] == [] and report["encoding"] == "utf-8"
    assert report["source"].endswith("export.csv") and report["map"].endswith("map.yml")
    ds = load_dataset(out)
    m = ds.messages
    assert m["message_id"].tolist() == ["100", "101", "102"]
    assert m["thread_id"].tolist() == m["message_id"].tolist() and m["parent_id"].isna().all()
    assert set(m["channel"]) == {"facebook"} and set(m["author_role"]) == {"member"}
    assert m["reactions"].tolist() == [0, 0, 0] and m["reach"].isna().all() and m["language"].isna().all()
    assert m["created_at"].iloc[0] == pd.Timestamp("2024-03-01T07:00:00Z")
    assert ds.campaigns.empty and ds.incidents.empty and ds.audience.empty and ds.labels is None
    assert ds.meta == {"timezone": "UTC", "name": "export", "source": "export.csv"}
    assert quarantine(out).columns.tolist() == ["source", "row", "reason", *HEADER] and quarantine(out).empty
    written = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
    assert written == report


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251"])
def test_bom_and_cp1251_semicolon_exports_read_as_readable_russian(tmp_path, encoding):
    data = [["1", "2024-03-01 10:00", "Привет, как дела? Ёлка «ёж»", "Пётр", "Магазин"],
            ["2", "2024-03-01 11:00", "Спасибо за ответ", "Анна", "Магазин"]]
    source = write_csv(tmp_path / "export.csv", data, encoding=encoding, delimiter=";")
    report, out = run(tmp_path, source, timezone="Europe/Moscow")
    assert report["encoding"] == encoding and report["delimiter"] == ";"
    m = messages(out)
    assert m["text"].tolist() == ["Привет, как дела? Ёлка «ёж»", "Спасибо за ответ"]
    assert m["brand"].tolist() == ["Магазин", "Магазин"]
    assert m["created_at"].iloc[0] == pd.Timestamp("2024-03-01T07:00:00Z")


def test_latin1_is_the_last_resort_with_a_warning(tmp_path):
    source = write_csv(tmp_path / "export.csv", [["1", "2024-03-01", "café crème brûlée", "u", "acme"]],
                       encoding="cp1252")
    report, out = run(tmp_path, source)
    assert messages(out)["text"].tolist() == ["café crème brûlée"]
    assert any("not UTF-8" in w for w in report["warnings"])


def test_tsv_uses_tabs_even_when_text_has_commas(tmp_path):
    data = [["1", "2024-03-01T10:00:00Z", "one, two; three", "u1", "acme"]]
    source = write_csv(tmp_path / "export.tsv", data, delimiter="\t")
    report, out = run(tmp_path, source)
    assert report["delimiter"] == "\t"
    assert messages(out)["text"].tolist() == ["one, two; three"]


def test_excel_xlsx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER + ["likes"])
    sheet.append([5.70306e17, dt.datetime(2024, 3, 1, 10, 0), "=not a formula in data", HANDLE, "acme", 12])
    sheet.append([12345, "2024-03-01T12:00:00Z", "Привет из Excel", "user2", "acme", 3.0])
    sheet.append([None, None, None, None, None, None])  # blank row: skipped, not a record
    sheet["C2"].data_type = "s"  # a text cell that starts with "=" (openpyxl would store a formula)
    book.save(tmp_path / "export.xlsx")
    report, out = run(tmp_path, tmp_path / "export.xlsx", columns={"reactions": "likes"}, timezone="Asia/Baku")
    m = messages(out)
    assert report["rows_read"] == 2 and report["rows_kept"] == 2
    assert m["message_id"].tolist() == ["5.70306e+17", "12345"]
    assert m["created_at"].tolist() == [pd.Timestamp("2024-03-01T06:00:00Z"), pd.Timestamp("2024-03-01T12:00:00Z")]
    assert m["text"].tolist() == ["=not a formula in data", "Привет из Excel"]
    assert m["reactions"].tolist() == [12, 3]
    assert any("spreadsheet floats" in w for w in report["warnings"])


def test_json_lines_with_nested_fields_and_a_broken_line(tmp_path):
    lines = [
        json.dumps({"id": 570306133677760513, "created": "2024-03-01T10:00:00Z", "text": "hi",
                    "user": {"screen_name": HANDLE}, "page": "acme", "likes": 2}),
        "{broken json",
        json.dumps({"id": "2", "created": 1709287200, "text": "Salam 🙂", "user": {"screen_name": "x"},
                    "page": "acme"}, ensure_ascii=False),
    ]
    source = tmp_path / "export.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, out = run(tmp_path, source, columns={"author_id": "user.screen_name", "reactions": "likes"})
    m = messages(out)
    assert m["message_id"].tolist() == ["570306133677760513", "2"]   # big ints exact, never floats
    assert m["created_at"].iloc[1] == pd.Timestamp("2024-03-01T10:00:00Z")
    assert m["reactions"].tolist() == [2, 0]
    assert report["reasons"] == {"malformed JSON record": 1}
    q = quarantine(out)
    assert q["row"].tolist() == ["2"] and q["_unparsed"].tolist() == ["{broken json"]


def test_parquet_export(tmp_path):
    df = pd.DataFrame({
        "id": pd.array([570306133677760513, 2], dtype="Int64"),
        "created": pd.to_datetime(["2024-03-01T10:00:00+01:00", "2024-03-01T11:00:00+01:00"], utc=True),
        "text": ["a", "b"], "user": [HANDLE, "u2"], "page": ["acme", "acme"],
    })
    df.to_parquet(tmp_path / "export.parquet", index=False)
    report, out = run(tmp_path, tmp_path / "export.parquet")
    m = messages(out)
    assert m["message_id"].tolist() == ["570306133677760513", "2"]
    assert m["created_at"].tolist() == [pd.Timestamp("2024-03-01T09:00:00Z"), pd.Timestamp("2024-03-01T10:00:00Z")]


# ----------------------------------------------------------------------------------------------- timestamps

def test_timestamp_forms():
    values = pd.Series(["2024-03-01T10:00:00+03:00", "2024-03-01 10:00:00Z", "2024-07-01 10:00",
                        "1709287200", "1709287200000", "Tue Feb 24 11:35:52 -0800 2015", "soon", "", None, "12"])
    parsed, notes = parse_timestamps(values, timezone="America/New_York")
    expected = ["2024-03-01T07:00:00Z", "2024-03-01T10:00:00Z", "2024-07-01T14:00:00Z",   # EDT = UTC-4
                "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "2015-02-24T19:35:52Z"]
    assert parsed.iloc[:6].tolist() == [pd.Timestamp(e) for e in expected]
    assert parsed.iloc[6:].isna().all() and str(parsed.dtype) == "datetime64[ns, UTC]"
    assert notes == []


def test_more_timestamp_forms_and_out_of_range_values():
    values = pd.Series(["2024-03-01 10:00:00 UTC", "March 5, 2024 10:00 PM", "2024/03/05 10:00",
                        "9999-01-01T00:00:00Z", "99999999999"])
    parsed, _ = parse_timestamps(values, timezone="Asia/Baku")
    assert parsed.iloc[:3].tolist() == [pd.Timestamp("2024-03-01T10:00:00Z"), pd.Timestamp("2024-03-05T18:00:00Z"),
                                        pd.Timestamp("2024-03-05T06:00:00Z")]
    assert parsed.iloc[3:].isna().all()
    parsed, _ = parse_timestamps(pd.Series(["2024-03-01 10:00:00 +0300", "2024-03-01 10:00:00 -0100", "x"]),
                                 "%Y-%m-%d %H:%M:%S %z")
    assert parsed.tolist()[:2] == [pd.Timestamp("2024-03-01T07:00:00Z"), pd.Timestamp("2024-03-01T11:00:00Z")]
    assert pd.isna(parsed.iloc[2])


def test_naive_times_without_declared_timezone_are_utc_with_a_warning():
    parsed, notes = parse_timestamps(pd.Series(["2024-03-01 10:00"]), timezone_declared=False)
    assert parsed.iloc[0] == pd.Timestamp("2024-03-01T10:00:00Z") and "declares no timezone" in notes[0]


def test_day_month_order_is_judged_over_the_column():
    parsed, _ = parse_timestamps(pd.Series(["05.01.2024 10:00", "25.01.2024 10:00"]))
    assert parsed.dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-01-25"]
    parsed, notes = parse_timestamps(pd.Series(["05/01/2024 10:00"]))
    assert parsed.iloc[0] == pd.Timestamp("2024-05-01T10:00:00Z") and "timestamp_format" in notes[0]


def test_daylight_saving_gaps_and_repeats_are_resolved_with_a_warning():
    parsed, notes = parse_timestamps(pd.Series(["2024-03-10 02:30", "2024-11-03 01:30"]), timezone="America/New_York")
    assert parsed.notna().all() and "daylight-saving" in notes[0]


def test_declared_format_timezone_and_epoch_in_an_import(tmp_path):
    data = [["1", "01-03-2024 10.30", "local time", "u1", "acme"],
            ["2", "2024-03-01 10:30", "does not match the format", "u2", "acme"]]
    source = write_csv(tmp_path / "export.csv", data)
    report, out = run(tmp_path, source, timestamp_format="%d-%m-%Y %H.%M", timezone="Asia/Baku")
    assert messages(out)["created_at"].tolist() == [pd.Timestamp("2024-03-01T06:30:00Z")]
    assert report["reasons"] == {"unparseable created_at": 1}
    assert load_dataset(out).meta["timezone"] == "Asia/Baku"


# ----------------------------------------------------------------------------------------------- ids and rows

def test_float_mangled_ids_keep_every_row_and_become_unique(tmp_path):
    data = [["5.70306E+17", "2024-03-01T10:00:00Z", f"tweet {k}", f"u{k}", "acme"] for k in range(3)]
    data.append(["5.70307E+17", "2024-03-01T10:00:00Z", "other", "u9", "acme"])
    source = write_csv(tmp_path / "export.csv", data)
    report, out = run(tmp_path, source)
    m = messages(out)
    assert m["message_id"].tolist() == ["5.70306E+17", "5.70306E+17-dup1", "5.70306E+17-dup2", "5.70307E+17"]
    assert report["rows_kept"] == 4
    assert any("4 message id(s) looked like spreadsheet floats" in w and "2 of them collided" in w
               for w in report["warnings"])


def test_real_duplicates_are_quarantined(tmp_path):
    data = [["7", "2024-03-01T10:00:00Z", "first", "u", "acme"], ["7", "2024-03-01T10:00:00Z", "again", "u", "acme"]]
    report, out = run(tmp_path, write_csv(tmp_path / "export.csv", data))
    assert messages(out)["text"].tolist() == ["first"] and report["reasons"] == {"duplicate message_id": 1}


def test_bad_rows_are_quarantined_with_reasons_and_original_columns(tmp_path):
    data = [
        ["1", "2024-03-01T10:00:00Z", "fine", "u1", "acme"],
        ["2", "31/31/2024 25:61", "bad date", "u2", "acme"],
        ["3", "2024-03-01T10:00:00Z", "   \n ", "u3", "acme"],
        ["", "2024-03-01T10:00:00Z", "no id", "u4", "acme"],
        ["5", "", "no date", "u5", "acme"],
        ["6", "yesterday", "=HYPERLINK(\"http://x\")", HANDLE, "acme"],
        ["7", "2024-03-01T10:00:00Z", "", "u7", "acme"],
        ["8", "2024-03-01T10:00:00Z", "too", "many", "fields", "here"],
        ["9", "2024-03-01T10:00:00Z", "short row"],
    ]
    report, out = run(tmp_path, write_csv(tmp_path / "export.csv", data))
    assert report["reasons"] == {"malformed row (more fields than the header)": 1, "empty message_id": 1,
                                 "empty created_at": 1, "unparseable created_at": 2, "empty text": 2}
    assert report["rows_read"] == 9 and report["rows_kept"] == 2 and report["rows_quarantined"] == 7
    kept = messages(out)
    assert kept["message_id"].tolist() == ["1", "9"] and kept["brand"].tolist() == ["acme", "unknown"]
    q = quarantine(out)
    assert q["row"].tolist() == ["2", "3", "4", "5", "6", "7", "8"]
    assert q.columns.tolist() == ["source", "row", "reason", *HEADER, "_unparsed"]
    by_row = q.set_index("row")
    assert by_row.loc["6", "text"] == "'=HYPERLINK(\"http://x\")"      # neutralised for spreadsheets
    assert by_row.loc["6", "reason"] == "unparseable created_at"
    assert by_row.loc["8", "_unparsed"] == "here"
    assert any("fewer fields" in w for w in report["warnings"])


def test_text_is_kept_verbatim(tmp_path):
    texts = ["=1+1", "+7 999 123", "-minus", "@everyone", "<script>alert(1)</script>", "<b>bold</b> &amp; 'q'",
             'multi\nline, "quoted"\r\ntext', "  padded  ", "x" * 100_000]
    data = [[str(k), "2024-03-01T10:00:00Z", t, f"u{k}", "acme"] for k, t in enumerate(texts)]
    report, out = run(tmp_path, write_csv(tmp_path / "export.csv", data))
    assert report["rows_kept"] == len(texts)
    assert messages(out)["text"].tolist() == texts
    raw = (out / "messages.csv").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in raw and "'=1+1" not in raw


# ----------------------------------------------------------------------------------------------- authors

def test_pseudonyms_are_stable_and_raw_handles_never_written(tmp_path):
    data = rows(3) + [["200", "not a date", "quarantined", HANDLE, "acme"]]
    source = write_csv(tmp_path / "export.csv", data)
    _, out = run(tmp_path, source, extra_columns=["user"])
    first = messages(out)
    salt = (out / ".pseudonym_salt").read_text(encoding="utf-8")
    _, out2 = run(tmp_path, source, extra_columns=["user"])
    assert out2 == out and (out / ".pseudonym_salt").read_text(encoding="utf-8") == salt
    second = messages(out)
    assert first["author_id"].tolist() == second["author_id"].tolist()
    assert first["author_id"].str.fullmatch(r"m_[0-9a-f]{12}").all()
    assert first["author_id"].iloc[0] == "m_" + hashlib.sha256((salt.strip() + HANDLE).encode()).hexdigest()[:12]
    assert first["x_user"].tolist() == first["author_id"].tolist()
    for path in out.rglob("*"):
        if path.is_file() and path.name != ".pseudonym_salt":
            content = path.read_bytes()
            assert HANDLE.encode() not in content, path.name
            assert salt.strip().encode() not in content, path.name
    # another dataset gets another salt
    _, other = run(tmp_path, source, out="other")
    assert messages(other)["author_id"].iloc[0] != first["author_id"].iloc[0]


def test_keep_author_ids(tmp_path, capsys):
    source = write_csv(tmp_path / "export.csv", rows(2))
    code = import_cli([str(source), "--map", str(write_map(tmp_path)), "--out", str(tmp_path / "o"),
                       "--keep-author-ids"])
    assert code == 0
    assert messages(tmp_path / "o")["author_id"].tolist() == [HANDLE, "user1"]
    assert not (tmp_path / "o" / ".pseudonym_salt").exists()


def test_brand_authors_roles_and_mapped_columns(tmp_path):
    header = ["id", "created", "text", "user", "page", "parent", "role", "lang", "likes", "reposts", "views",
              "camp", "label"]
    data = [
        ["p1", "2024-03-01T10:00:00Z", "post", "@AcmeOfficial", "acme", "", "", "", "1,234", "2", "12.5K", "spring",
         "Positive"],
        ["c1", "2024-03-01T11:00:00Z", "reply", "u1", "acme", "p1", "member", "RU", "0", "", "", "", "neg"],
        ["c2", "2024-03-01T12:00:00Z", "answer", "u2", "acme", "c1", "Moderator", "en-US", "", "", "", "", "-1"],
        ["c3", "2024-03-01T12:00:00Z", "orphan", "u3", "acme", "gone", "", "az", "3", "", "", "", "meh"],
        ["c4", "2024-03-01T12:00:00Z", "bad role", "u4", "acme", "", "admin", "", "", "", "", "", ""],
        ["c5", "2024-03-01T12:00:00Z", "bad count", "u5", "acme", "", "", "", "-3", "", "", "", ""],
    ]
    source = write_csv(tmp_path / "export.csv", data, header=header)
    report, out = run(tmp_path, source, brand_authors=["acmeofficial"], name="Acme FB", languages=["ru", "az", "en"],
                      columns={"parent_id": "parent", "author_role": "role", "language": "lang", "reactions": "likes",
                               "shares": "reposts", "reach": "views", "campaign_id": "camp"},
                      label_column="label")
    ds = load_dataset(out)
    m = ds.messages.set_index("message_id")
    assert m["author_role"].to_dict() == {"p1": "brand", "c1": "member", "c2": "moderator", "c3": "member"}
    # a reply whose parent is in no file keeps it as its thread: it belongs to that conversation
    assert m["thread_id"].to_dict() == {"p1": "p1", "c1": "p1", "c2": "p1", "c3": "gone"}
    assert m["parent_id"].isna().tolist() == [True, False, False, True] and m.loc["c3", "x_parent_id"] == "gone"
    assert m["language"].tolist() == [None, "ru", "en", "az"] or m["language"].isna().iloc[0]
    assert m.loc["p1", "reactions"] == 1234 and m.loc["p1", "shares"] == 2 and m.loc["p1", "reach"] == 12500
    assert m["campaign_id"].isna().all() and m.loc["p1", "x_campaign_id"] == "spring"
    assert report["reasons"] == {"invalid author_role": 1, "invalid reactions": 1}
    assert ds.labels.set_index("message_id")["sentiment"].to_dict() == {"p1": "positive", "c1": "negative",
                                                                       "c2": "negative"}
    assert ds.meta["name"] == "Acme FB" and ds.meta["languages"] == ["ru", "az", "en"]
    warnings = " | ".join(report["warnings"])
    assert "x_parent_id" in warnings and "x_campaign_id" in warnings and "'meh'" in warnings
    assert report["labels"] == 3


def test_sentiment_normalisation():
    assert [normalise_sentiment(v) for v in ["Negative", "neg", "-1", "NEUTRAL", "0", "1.0", "+1", "Позитивный",
                                             "müsbət", "meh", "", None]] == \
        ["negative", "negative", "negative", "neutral", "neutral", "positive", "positive", "positive", "positive",
         None, None, None]


def test_unknown_brand_and_channel_default_with_warnings(tmp_path):
    source = write_csv(tmp_path / "export.csv", rows(2))
    spec = {"columns": {"message_id": "id", "created_at": "created", "text": "text", "author_id": "user"}}
    (tmp_path / "m.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    report = import_export(source, tmp_path / "m.yml", tmp_path / "o")
    m = messages(tmp_path / "o")
    assert set(m["brand"]) == {"unknown"} and set(m["channel"]) == {"unknown"}
    assert sum("set to 'unknown'" in w for w in report["warnings"]) == 2


def test_parquet_output_and_reimport_keeps_or_switches_the_format(tmp_path):
    source = write_csv(tmp_path / "export.csv", rows(2))
    out = tmp_path / "o"
    assert import_cli([str(source), "--map", str(write_map(tmp_path)), "--out", str(out), "--format", "parquet"]) == 0
    assert (out / "messages.parquet").exists() and not (out / "messages.csv").exists()
    assert import_cli([str(source), "--map", str(write_map(tmp_path)), "--out", str(out)]) == 0
    assert (out / "messages.parquet").exists() and not (out / "messages.csv").exists()   # the folder's format
    assert import_cli([str(source), "--map", str(write_map(tmp_path)), "--out", str(out), "--format", "csv"]) == 0
    assert not (out / "messages.parquet").exists() and (out / "messages.csv").exists()   # a stale table removed
    assert len(messages(out)) == 2


# ----------------------------------------------------------------------------------------------- CLI

def test_cli_success_prints_one_line_and_never_touches_the_source(tmp_path):
    data = rows(4) + [["9", "not a date", "x", "u", "acme"], ["10", "2024-03-01T10:00:00Z", "", "u", "acme"]]
    source = write_csv(tmp_path / "export.csv", data)
    before = (sha256(source), source.stat().st_mtime_ns)
    result = cli("export.csv", "--map", str(write_map(tmp_path)), "--out", "data/processed/x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "export.csv (map): 6 read, 4 added, 0 updated, 0 unchanged, 0 skipped, 2 quarantined "
        "(unparseable created_at: 1, empty text: 1)",
        "total: 6 read, 4 added, 0 updated, 0 unchanged, 0 skipped, 2 quarantined "
        "(unparseable created_at: 1, empty text: 1) -> data/processed/x (4 messages)"]
    assert (sha256(source), source.stat().st_mtime_ns) == before
    assert len(load_dataset(tmp_path / "data/processed/x").messages) == 4


def test_empty_file_exits_2(tmp_path, capsys):
    (tmp_path / "export.csv").write_bytes(b"")
    code = import_cli([str(tmp_path / "export.csv"), "--map", str(write_map(tmp_path)), "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "export.csv" in captured.err and "empty (0 bytes)" in captured.err


def test_cli_missing_mapped_column_exits_2_naming_file_column_and_columns(tmp_path):
    source = write_csv(tmp_path / "export.csv", rows(1))
    map_path = write_map(tmp_path, columns={"created_at": "tweet_created"})
    result = cli(str(source), "--map", str(map_path), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "export.csv" in message and "'tweet_created' (mapped to created_at)" in message
    assert "id, created, text, user, page" in message
    assert not (tmp_path / "o").exists()


def test_header_only_file_is_not_an_error(tmp_path, capsys):
    source = write_csv(tmp_path / "export.csv", [])
    code = import_cli([str(source), "--map", str(write_map(tmp_path)), "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert code == 0
    assert "0 read, 0 added, 0 updated, 0 unchanged, 0 skipped, 0 quarantined" in captured.out and "no data rows" in captured.err
    assert load_dataset(tmp_path / "o").messages.empty


@pytest.mark.parametrize("case, expected", [
    ("missing source", "nope.csv: file not found"),
    ("bad yaml", "map.yml: invalid YAML"),
    ("unknown key", "unknown key(s) colums"),
    ("no text", "columns.text is required"),
    ("bad timezone", "unknown timezone 'Mars/Olympus'"),
    ("bad extra", "'ghost' (mapped to extra_columns)"),
    ("bad label", "'sentiment' (mapped to label_column)"),
    ("bad xlsx", "export.xlsx: cannot read as an Excel workbook"),
    ("blank lines", "no header row"),
])
def test_unusable_input_exits_2_with_one_line(tmp_path, capsys, case, expected):
    source = write_csv(tmp_path / "export.csv", rows(1))
    map_path = write_map(tmp_path)
    if case == "missing source":
        source = tmp_path / "nope.csv"
    elif case == "bad yaml":
        map_path.write_text("columns: [unclosed\n  text: x", encoding="utf-8")
    elif case == "unknown key":
        map_path.write_text(map_path.read_text(encoding="utf-8") + "colums: {}\n", encoding="utf-8")
    elif case == "no text":
        map_path = write_map(tmp_path, columns={"text": None})
        spec = yaml.safe_load(map_path.read_text(encoding="utf-8"))
        del spec["columns"]["text"]
        map_path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    elif case == "bad timezone":
        map_path = write_map(tmp_path, timezone="Mars/Olympus")
    elif case == "bad extra":
        map_path = write_map(tmp_path, extra_columns=["ghost"])
    elif case == "bad label":
        map_path = write_map(tmp_path, label_column="sentiment")
    elif case == "bad xlsx":
        source = tmp_path / "export.xlsx"
        source.write_bytes(b"this is not a zip file")
    elif case == "blank lines":
        source.write_text("\n\n  \n", encoding="utf-8")
    code = import_cli([str(source), "--map", str(map_path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and expected in err, err


def test_refuses_to_overwrite_its_own_source(tmp_path):
    source = write_csv(tmp_path / "messages.csv", rows(1))
    with pytest.raises(ImportInputError, match="would overwrite the source"):
        import_export(source, write_map(tmp_path), tmp_path)


def test_cli_usage_errors_and_help(capsys):
    assert import_cli(["--help"]) == 0
    assert "--keep-author-ids" in capsys.readouterr().out
    assert import_cli(["only-source.csv"]) == 2


# ------------------------------------------------------------------------------------------ real data

APPLE = ROOT.parent / "shared" / "data" / "apple_twitter_sentiment_dfe.csv"


@pytest.mark.skipif(not APPLE.is_file(), reason="../shared/data/apple_twitter_sentiment_dfe.csv is not here")
def test_real_tweets_import_and_load_back_with_every_row_and_line_break(tmp_path):
    """3,886 real crowd-labelled tweets (latin-1, spreadsheet-spoiled ids, line breaks inside tweets)."""
    spec = {"columns": {"message_id": "_unit_id", "created_at": "date", "text": "text",
                        "author_id": "_trusted_judgments"},
            "constants": {"channel": "x", "author_role": "member", "brand": "apple"},
            "timestamp_format": "%a %b %d %H:%M:%S %z %Y", "extra_columns": ["sentiment"]}
    map_path = tmp_path / "apple.yml"
    map_path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    report = import_export(APPLE, map_path, tmp_path / "apple")
    assert report["rows_read"] == report["rows_kept"] == 3886
    m = load_dataset(tmp_path / "apple").messages  # validates; a split row would fail here
    raw = pd.read_csv(APPLE, encoding="latin-1", dtype=str)
    assert len(m) == 3886 and set(m["message_id"]) == set(raw["_unit_id"])
    with_cr = raw.loc[raw["text"].str.contains("\r", regex=False), "_unit_id"]
    assert len(with_cr) > 0
    texts = m.set_index("message_id")["text"]
    assert all("\r" in texts[i] for i in with_cr)
