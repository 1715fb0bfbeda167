"""helpers.io: paths, loading/writing canonical datasets, period cuts, spreadsheet safety, pseudonyms."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers import io as hio
from helpers.io import (Dataset, empty_table, filter_period, load_dataset, pseudonymise, resolve_path,
                        spreadsheet_safe, workbook_root, write_dataset, write_spreadsheet_csv)
from helpers.io.schema import DatasetError, TABLES

ROOT = Path(__file__).resolve().parents[2]

TRICKY_TEXTS = [
    "plain",
    'comma, "quotes" and\nnewlines\r\nand a lone \r carriage return',
    "<script>alert('x')</script><b>bold</b> &amp;",
    "=HYPERLINK(\"http://evil\")",
    "+7 999", "-minus", "@mention", "\tleading tab",
    "  surrounding spaces  ",
    "NA", "null", "None", "#N/A",
    "Привет, мир! Salam, dünya! 🙂",
    "x" * 100_000,
]


def s(*values):
    return pd.array(list(values), dtype="string")


def utc(*values):
    return pd.Series(pd.to_datetime(list(values), utc=True)).astype("datetime64[ns, UTC]")


def make_dataset(texts=None, meta=None) -> Dataset:
    """A small valid dataset (brand acme and beta) in canonical dtypes."""
    texts = list(texts or ["Hello", "Привет", "Salam", "Hi beta"])
    n = len(texts)
    ids = [f"m{k:03d}" for k in range(n)]
    created = [f"2024-01-0{1 + k % 3}T{10 + k % 12:02d}:00:00.{k:03d}Z" for k in range(n)]
    messages = pd.DataFrame({
        "message_id": s(*ids),
        "thread_id": s(*[ids[0]] * n),
        "parent_id": s(None, *[ids[0]] * (n - 1)),
        "channel": s(*["facebook"] * n),
        "brand": s(*(["acme"] * (n - 1) + ["beta"])),
        "author_id": s(*[f"m_{k:012x}" for k in range(n)]),
        "author_role": s(*(["brand"] + ["member"] * (n - 1))),
        "created_at": utc(*created),
        "text": s(*texts),
        "language": s(*(["en"] + [None] * (n - 1))),
        "reactions": pd.array(list(range(n)), dtype="Int64"),
        "shares": pd.array([0] * n, dtype="Int64"),
        "reach": pd.array([None] * (n - 1) + [10**12], dtype="Int64"),
        "campaign_id": s(*(["c-1"] + [None] * (n - 1))),
    })
    messages["x_extra"] = s(*(["=SUM(A1)"] + [None] * (n - 1)))
    campaigns = pd.DataFrame({
        "campaign_id": s("c-1", "c-2"), "brand": s("acme", "acme"), "name": s("Spring", "Ambassadors"),
        "kind": s("paid_campaign", "community_programme"), "channel": s("facebook", None),
        "start": utc("2023-12-20T00:00:00Z", "2024-02-01T00:00:00Z"),
        "end": utc("2024-01-01T20:30:00Z", "2024-03-01T00:00:00Z"),
        "budget": pd.array([1500.5, None], dtype="Float64"), "currency": s("AZN", None), "objective": s("reach", None),
    })
    incidents = pd.DataFrame({
        "incident_id": s("i-1", "i-2"), "brand": s("acme", "beta"), "title": s("Outage", "Recall"),
        "started_at": utc("2024-01-01T21:00:00Z", "2024-01-03T05:00:00Z"),
        "first_response_at": utc("2024-01-01T22:30:00.123456789Z", None),
        "resolved_at": utc(None, None),
        "severity": s("high", None), "crisis_type": s("accidental", None),
    })
    audience = pd.DataFrame({
        "date": pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])).astype("datetime64[ns]"),
        "brand": s("acme", "acme", "beta"), "channel": s("facebook", "facebook", "facebook"),
        "followers": pd.array([100, 101, 7], dtype="Int64"),
    })
    labels = pd.DataFrame({"message_id": s(ids[1]), "sentiment": s("negative")})
    return Dataset(messages, campaigns, incidents, audience, labels,
                   meta=meta or {"name": "t", "timezone": "Asia/Baku", "languages": ["ru", "az", "en"]})


def assert_same(a: Dataset, b: Dataset) -> None:
    for name, df in a.tables().items():
        other = b.tables()[name]
        if df is None:
            assert other is None
            continue
        assert_frame_equal(df.reset_index(drop=True), other, check_exact=True)
    assert b.meta == {**{"timezone": "UTC"}, **a.meta}


# ----------------------------------------------------------------------------------------------- paths

def test_resolve_path_prefers_cwd_then_the_workbook_root(tmp_path, monkeypatch):
    root = tmp_path / "wb"
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "sample").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    assert resolve_path(tmp_path) == tmp_path                                   # absolute: unchanged
    monkeypatch.chdir(root / "notebooks")
    assert workbook_root() == root
    assert resolve_path("data/sample") == root / "data" / "sample"             # not in cwd -> workbook root
    assert resolve_path("reports/new") == root / "reports" / "new"             # new output: root-relative
    (root / "notebooks" / "data" / "sample").mkdir(parents=True)
    assert resolve_path("data/sample") == root / "notebooks" / "data" / "sample"  # cwd wins when it exists
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert resolve_path("brand-new") == outside / "brand-new"                  # outside a workbook: cwd


@pytest.mark.skipif(not (ROOT / "notebooks").is_dir(), reason="needs the repository's notebooks/ folder")
def test_resolve_path_finds_the_workbook_from_the_package_location(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert workbook_root() == ROOT
    assert resolve_path("pyproject.toml") == ROOT / "pyproject.toml"


# ----------------------------------------------------------------------------------------------- load/write

@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_then_load_round_trips_exactly(tmp_path, fmt):
    ds = make_dataset(TRICKY_TEXTS)
    out = write_dataset(ds, tmp_path / "d", fmt=fmt)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.{fmt}" for t in TABLES] + ["dataset.json"])
    back = load_dataset(out)
    assert back.path == out
    assert_same(ds, back)
    assert back.messages["text"].tolist() == TRICKY_TEXTS
    for table, columns in TABLES.items():
        assert list(back.tables()[table].columns)[: len(columns)] == list(columns)


def test_a_bare_carriage_return_survives_csv(tmp_path):
    """Real tweets hold a lone "\r" with no "\n" (../shared/data, Apple tweets): csv leaves such a field
    unquoted and the reader split the row in two. Quoted, it reads back verbatim."""
    texts = ["first line\rsecond line", "plain", "tab\tand \r\n both"]
    write_dataset(make_dataset(texts), tmp_path / "cr")
    assert load_dataset(tmp_path / "cr").messages["text"].tolist() == texts
    write_dataset(make_dataset(["plain", "no breaks"]), tmp_path / "plain")
    header = (tmp_path / "plain" / "messages.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("message_id,")  # files without a carriage return keep minimal quoting


def test_canonical_csv_is_utf8_iso_utc_and_verbatim(tmp_path):
    ds = make_dataset(TRICKY_TEXTS)
    write_dataset(ds, tmp_path)
    raw = (tmp_path / "messages.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "2024-01-01T10:00:00Z" in text and "2024-01-02T11:00:00.001Z" in text
    assert '"=HYPERLINK(""http://evil"")"' in text and "'=" not in text  # data, not neutralised
    assert "Привет, мир!" in text
    assert "2024-01-01T22:30:00.123456789Z" in (tmp_path / "incidents.csv").read_text(encoding="utf-8")
    assert (tmp_path / "audience.csv").read_text(encoding="utf-8").splitlines()[1].startswith("2024-01-01,")
    assert json.loads((tmp_path / "dataset.json").read_text(encoding="utf-8"))["timezone"] == "Asia/Baku"


def test_loaded_dtypes_and_ids_never_floats(tmp_path):
    write_dataset(make_dataset(), tmp_path)
    for name in ("messages.csv", "labels.csv"):
        path = tmp_path / name
        text = path.read_text(encoding="utf-8").replace("m000", "5.70306E+17").replace("m001", "000123")
        path.write_text(text, encoding="utf-8")
    ds = load_dataset(tmp_path)
    m = ds.messages
    assert m["message_id"].tolist()[:2] == ["5.70306E+17", "000123"]
    assert m["parent_id"].tolist()[1] == "5.70306E+17"
    for col, kind in TABLES["messages"].items():
        expected = {"string": "string", "datetime": "datetime64[ns, UTC]", "Int64": "Int64"}[kind]
        assert str(m[col].dtype) == expected, col
    assert str(ds.audience["date"].dtype) == "datetime64[ns]"
    assert str(ds.campaigns["budget"].dtype) == "Float64"
    assert ds.labels is not None and ds.meta["languages"] == ["ru", "az", "en"]


def test_optional_labels_meta_default_and_parquet_preferred(tmp_path):
    ds = make_dataset()
    ds.labels = None
    ds.meta = {}
    write_dataset(ds, tmp_path, fmt="csv")
    (tmp_path / "dataset.json").unlink()
    loaded = load_dataset(tmp_path)
    assert loaded.labels is None and loaded.meta == {"timezone": "UTC"} and loaded.timezone == "UTC"
    # a parquet next to the csv wins
    other = make_dataset(["only", "parquet", "here", "now"])
    other.messages.to_parquet(tmp_path / "messages.parquet", index=False)
    assert load_dataset(tmp_path).messages["text"].tolist() == ["only", "parquet", "here", "now"]


def test_write_dataset_removes_stale_files(tmp_path):
    write_dataset(make_dataset(), tmp_path, fmt="parquet")
    ds = make_dataset(["a", "b", "c", "d"])
    ds.labels = None
    write_dataset(ds, tmp_path, fmt="csv")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([f"{t}.csv" for t in TABLES if t != "labels"] + ["dataset.json"])
    assert load_dataset(tmp_path).messages["text"].tolist() == ["a", "b", "c", "d"]


def test_load_dataset_missing_folder_and_missing_table(tmp_path):
    with pytest.raises(FileNotFoundError, match="dataset folder not found: .*nowhere"):
        load_dataset(tmp_path / "nowhere")
    write_dataset(make_dataset(), tmp_path)
    (tmp_path / "campaigns.csv").unlink()
    with pytest.raises(DatasetError, match="required table campaigns missing") as info:
        load_dataset(tmp_path)
    assert info.value.problems[0]["table"] == "campaigns"
    with pytest.raises(DatasetError):
        load_dataset(tmp_path, validate=False)


def test_load_without_validation_skips_schema_checks(tmp_path):
    write_dataset(make_dataset(), tmp_path)
    path = tmp_path / "messages.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",member,", ",admin,"), encoding="utf-8")
    with pytest.raises(DatasetError, match="author_role"):
        load_dataset(tmp_path)
    assert "admin" in load_dataset(tmp_path, validate=False).messages["author_role"].tolist()


def test_empty_table_has_canonical_dtypes():
    df = empty_table("incidents")
    assert list(df.columns) == list(TABLES["incidents"]) and len(df) == 0
    assert str(df["started_at"].dtype) == "datetime64[ns, UTC]"


# ----------------------------------------------------------------------------------------------- filter_period

def test_filter_period_uses_whole_days_in_the_dataset_timezone():
    ds = make_dataset(["a", "b", "c", "d", "e", "f"])
    # Asia/Baku is UTC+4: 2024-01-01T21:00Z is already 2 January locally
    ds.messages["created_at"] = utc("2023-12-31T19:59:59Z", "2023-12-31T20:00:00Z", "2024-01-01T19:59:59Z",
                                    "2024-01-01T20:00:00Z", "2024-01-02T19:59:59Z", "2024-01-02T20:00:00Z")
    cut = filter_period(ds, start="2024-01-01", end="2024-01-01")
    assert cut.messages["text"].tolist() == ["b", "c"]
    cut = filter_period(ds, start="2024-01-02")
    assert cut.messages["text"].tolist() == ["d", "e", "f"]
    cut = filter_period(ds, end="2024-01-02")
    assert cut.messages["text"].tolist() == ["a", "b", "c", "d", "e"]
    assert filter_period(ds).messages.equals(ds.messages)


def test_filter_period_cuts_every_table():
    ds = make_dataset()
    cut = filter_period(ds, start="2024-01-02", end="2024-01-02")   # Baku days
    # campaign c-1 ends 2024-01-01T20:30Z = 2 Jan 00:30 in Baku -> overlaps; c-2 starts in February
    assert cut.campaigns["campaign_id"].tolist() == ["c-1"]
    # incident i-1 started 2024-01-01T21:00Z = 2 Jan 01:00 in Baku
    assert cut.incidents["incident_id"].tolist() == ["i-1"]
    assert cut.audience["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02"]
    assert set(cut.labels["message_id"]) <= set(cut.messages["message_id"])
    beta = filter_period(ds, brand="beta")
    assert set(beta.messages["brand"]) == {"beta"} and beta.campaigns.empty
    assert beta.incidents["incident_id"].tolist() == ["i-2"] and beta.labels.empty
    assert beta.meta == ds.meta and ds.messages["brand"].nunique() == 2  # the input is untouched


def test_filter_period_rejects_bad_input():
    ds = make_dataset()
    with pytest.raises(ValueError, match="start .*2024-02-01.* is after end .*2024-01-01"):
        filter_period(ds, start="2024-02-01", end="2024-01-01")
    with pytest.raises(ValueError, match="start: cannot read 'last week' as an ISO date"):
        filter_period(ds, start="last week")
    with pytest.raises(ValueError, match="end: cannot read '2024-13-45'"):
        filter_period(ds, end="2024-13-45")
    with pytest.raises(ValueError, match="brand 'gamma' does not occur in this dataset .brands: acme, beta"):
        filter_period(ds, brand="gamma")


# ----------------------------------------------------------------------------------------------- spreadsheets

def test_spreadsheet_safe_prefixes_formula_starts_only():
    df = pd.DataFrame({"t": s("=1+1", "+7", "-x", "@a", "\tx", "\rx", "ok", "a=b", None), "n": [-1] * 9})
    df["=col"] = "v"
    safe = spreadsheet_safe(df)
    assert safe["t"].tolist()[:8] == ["'=1+1", "'+7", "'-x", "'@a", "'\tx", "'\rx", "ok", "a=b"]
    assert safe["t"].isna().tolist()[-1] and safe["n"].tolist() == [-1] * 9
    assert list(safe.columns) == ["t", "n", "'=col"]
    assert df["t"].iloc[0] == "=1+1"    # the input is not modified


def test_write_spreadsheet_csv_has_bom_and_neutralised_cells(tmp_path):
    df = pd.DataFrame({"text": ["=cmd|' /C calc'!A0", "Привет"]})
    path = write_spreadsheet_csv(df, tmp_path / "sub" / "t.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == ["text", "'=cmd|' /C calc'!A0", "Привет"]


def test_pseudonymise_is_stable_salted_and_keeps_nulls():
    values = pd.Series(["alice", None, "bob", "alice"], index=[5, 6, 7, 8])
    out = pseudonymise(values, "salt")
    import hashlib
    assert out.iloc[0] == "m_" + hashlib.sha256(b"saltalice").hexdigest()[:12]
    assert out.iloc[0] == out.iloc[3] != out.iloc[2] and pd.isna(out.iloc[1])
    assert list(out.index) == [5, 6, 7, 8] and str(out.dtype) == "string"
    assert pseudonymise(values, "other").iloc[0] != out.iloc[0]
    assert hio.pseudonymise(values, "salt").equals(out)
