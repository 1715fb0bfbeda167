"""helpers.schema: pandera schemas, cross-table checks and the one-error-lists-everything DatasetError."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.io import schema
from helpers.io import load_dataset, write_dataset, Dataset
from helpers.io.schema import DatasetError, validate_dataset


def ts(*values: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True)).astype("datetime64[ns, UTC]")


def valid_tables() -> dict[str, pd.DataFrame]:
    """A tiny valid dataset in canonical dtypes."""
    s = lambda *v: pd.array(list(v), dtype="string")  # noqa: E731
    i = lambda *v: pd.array(list(v), dtype="Int64")  # noqa: E731
    messages = pd.DataFrame({
        "message_id": s("p1", "c1", "c2"),
        "thread_id": s("p1", "p1", "p1"),
        "parent_id": s(None, "p1", "c1"),
        "channel": s("facebook", "facebook", "facebook"),
        "brand": s("acme", "acme", "acme"),
        "author_id": s("m_brand", "m_a", "m_brand"),
        "author_role": s("brand", "member", "moderator"),
        "created_at": ts("2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z", "2024-01-01T12:00:00Z"),
        "text": s("Hello", "Привет", "Salam"),
        "language": s("en", "ru", None),
        "reactions": i(3, 0, 1),
        "shares": i(0, 0, 0),
        "reach": i(100, None, None),
        "campaign_id": s("c-1", None, None),
    })
    campaigns = pd.DataFrame({
        "campaign_id": s("c-1"), "brand": s("acme"), "name": s("Spring"), "kind": s("paid_campaign"),
        "channel": s("facebook"), "start": ts("2024-01-01T00:00:00Z"), "end": ts("2024-01-31T00:00:00Z"),
        "budget": pd.array([1500.0], dtype="Float64"), "currency": s("AZN"), "objective": s("awareness"),
    })
    incidents = pd.DataFrame({
        "incident_id": s("i-1"), "brand": s("acme"), "title": s("Outage"),
        "started_at": ts("2024-01-02T00:00:00Z"), "first_response_at": ts("2024-01-02T03:00:00Z"),
        "resolved_at": pd.Series([pd.NaT], dtype="datetime64[ns, UTC]"),
        "severity": s("high"), "crisis_type": s("accidental"),
    })
    audience = pd.DataFrame({
        "date": pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"])).astype("datetime64[ns]"),
        "brand": s("acme", "acme"), "channel": s("facebook", "facebook"), "followers": i(100, 105),
    })
    labels = pd.DataFrame({"message_id": s("c1"), "sentiment": s("positive")})
    return {"messages": messages, "campaigns": campaigns, "incidents": incidents, "audience": audience,
            "labels": labels}


def test_valid_tables_have_no_problems():
    assert validate_dataset(valid_tables(), "data/x") == []


def test_every_table_has_a_schema_with_every_column():
    for table, columns in schema.TABLES.items():
        built = schema.build_schema(table)
        assert set(built.columns) == set(columns)
        for col, column in built.columns.items():
            assert column.nullable == (col in schema.NULLABLE[table])


def test_checks_report_file_column_check_and_examples():
    tables = valid_tables()
    m = tables["messages"]
    m.loc[1, "author_role"] = "admin"
    m.loc[2, "message_id"] = "p1"            # duplicate id
    m.loc[0, "reactions"] = -5               # negative count
    m.loc[1, "text"] = pd.NA                 # null in a non-null column
    c = tables["campaigns"]
    c.loc[0, "kind"] = "influencer"
    c.loc[0, "end"] = pd.Timestamp("2023-12-01", tz="UTC")   # ends before it starts
    tables["incidents"].loc[0, "crisis_type"] = "acts of god"
    tables["labels"].loc[0, "sentiment"] = "meh"
    tables["audience"].loc[0, "followers"] = -1
    problems = validate_dataset(tables, "data/x")
    found = {(p["file"], p["column"], p["check"]) for p in problems}
    assert ("data/x/messages.csv", "author_role", "must be one of brand, member, moderator") in found
    assert ("data/x/messages.csv", "message_id", "duplicate values (must be unique)") in found
    assert ("data/x/messages.csv", "reactions", "must be >= 0") in found
    assert ("data/x/messages.csv", "text", "must not be empty (null values found)") in found
    assert ("data/x/campaigns.csv", "kind", "must be one of paid_campaign, community_programme") in found
    assert ("data/x/campaigns.csv", "end", "end must not be before start") in found
    assert ("data/x/incidents.csv", "crisis_type", "must be one of victim, accidental, preventable") in found
    assert ("data/x/labels.csv", "sentiment", "must be one of negative, neutral, positive") in found
    assert ("data/x/audience.csv", "followers", "must be >= 0") in found
    role = next(p for p in problems if p["column"] == "author_role")
    assert role["count"] == 1 and role["examples"] == [{"row": 2, "value": "'admin'"}]
    dup = next(p for p in problems if p["column"] == "message_id")
    assert [e["row"] for e in dup["examples"]] == [1, 3]


def test_crisis_type_is_nullable_and_missing_columns_are_reported():
    tables = valid_tables()
    tables["incidents"].loc[0, "crisis_type"] = pd.NA
    tables["audience"] = tables["audience"].drop(columns=["followers"])
    problems = validate_dataset(tables, "d")
    assert [(p["column"], p["check"]) for p in problems] == [("followers", "required column missing")]


def test_wrong_dtype_is_reported():
    tables = valid_tables()
    tables["messages"]["reactions"] = tables["messages"]["reactions"].astype("float64")
    problems = validate_dataset(tables, "d")
    assert problems and problems[0]["column"] == "reactions" and "wrong dtype (expected Int64)" in problems[0]["check"]


def test_cross_table_references():
    tables = valid_tables()
    m = tables["messages"]
    m.loc[2, "parent_id"] = "gone"
    m.loc[1, "campaign_id"] = "c-404"
    tables["labels"].loc[0, "message_id"] = "nope"
    problems = validate_dataset(tables, "d")
    checks = {(p["table"], p["column"], p["check"]) for p in problems}
    assert checks == {
        ("messages", "parent_id", "refers to a message_id that is not in messages"),
        ("messages", "campaign_id", "refers to a campaign_id that is not in campaigns"),
        ("labels", "message_id", "refers to a message_id that is not in messages"),
    }
    parent = next(p for p in problems if p["column"] == "parent_id")
    assert parent["examples"] == [{"row": 3, "value": "'gone'"}]


def test_examples_are_capped_at_five_and_long_values_shortened():
    tables = valid_tables()
    m = pd.concat([tables["messages"]] * 4, ignore_index=True)
    m["message_id"] = pd.array([f"id{k}" for k in range(len(m))], dtype="string")
    m["parent_id"] = pd.array([None] * len(m), dtype="string")
    m["author_role"] = pd.array(["x" * 500] * len(m), dtype="string")
    tables["messages"] = m
    problems = validate_dataset(tables, "d")
    role = next(p for p in problems if p["column"] == "author_role")
    assert role["count"] == 12 and len(role["examples"]) == 5
    assert all(len(e["value"]) <= 60 for e in role["examples"])


def test_dataset_error_message_lists_every_problem():
    problems = [
        schema.make_problem("data/x/messages.csv", "messages", "author_role", "must be one of brand, member",
                            [(2, "admin"), (6, "bot")]),
        schema.make_problem("data/x/audience.csv", "audience", None, "required table audience missing", count=0),
    ]
    err = DatasetError(problems, "data/x")
    text = str(err)
    assert isinstance(err, ValueError) and err.problems == problems
    assert text.splitlines()[0].startswith("invalid dataset data/x: 2 problems")
    assert "data/x/messages.csv, column author_role: must be one of brand, member — 2 rows, e.g. row 3: 'admin'; " \
           "row 7: 'bot'" in text
    assert "data/x/audience.csv: required table audience missing" in text


def test_coerce_table_reports_values_that_do_not_convert():
    raw = pd.DataFrame({"date": ["2024-01-01", "yesterday"], "brand": ["a", "a"], "channel": ["x", ""],
                        "followers": ["10", "1.5"]}, dtype=object)
    df, problems = schema.coerce_table("audience", raw, "d/audience.csv")
    assert str(df["date"].dtype) == "datetime64[ns]" and str(df["followers"].dtype) == "Int64"
    assert df["channel"].isna().tolist() == [False, True]
    checks = {(p["column"], p["check"]) for p in problems}
    assert checks == {("date", "not an ISO-8601 date (YYYY-MM-DD)"), ("followers", "not a whole number")}


def test_load_dataset_on_a_broken_dataset_raises_one_error_listing_everything(tmp_path):
    """Bad role, duplicate id, negative reactions, dangling parent_id, an unparseable timestamp — one error."""
    tables = valid_tables()
    write_dataset(Dataset(**{k: tables[k] for k in ("messages", "campaigns", "incidents", "audience")},
                          labels=tables["labels"]), tmp_path / "broken")
    path = tmp_path / "broken" / "messages.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[1] = lines[1].replace(",brand,", ",superuser,").replace(",3,0,100,", ",-3,0,100,")
    lines[3] = lines[3].replace("c2,p1,c1,", "c1,p1,ghost,").replace("2024-01-01T12:00:00Z", "noon")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path / "broken")
    err = info.value
    message = str(err)
    by_column = {p["column"]: p for p in err.problems}
    assert {"author_role", "message_id", "reactions", "parent_id", "created_at"} <= set(by_column)
    for column in ("author_role", "message_id", "reactions", "parent_id", "created_at"):
        assert by_column[column]["file"].endswith("broken/messages.csv")
        assert f"messages.csv, column {column}:" in message
    assert "'superuser'" in message and "'ghost'" in message and "-3" in message and "'noon'" in message
    assert message.count("\n  - ") == len(err.problems) >= 5


def test_load_dataset_names_missing_tables_and_unreadable_meta(tmp_path):
    folder = tmp_path / "d"
    tables = valid_tables()
    write_dataset(Dataset(**{k: tables[k] for k in ("messages", "campaigns", "incidents", "audience")}), folder)
    (folder / "incidents.csv").unlink()
    (folder / "audience.csv").write_bytes(b"")
    (folder / "dataset.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    message = str(info.value)
    assert "required table incidents missing (expected incidents.csv or incidents.parquet)" in message
    assert "audience.csv: file is empty" in message
    assert "unreadable dataset.json" in message
