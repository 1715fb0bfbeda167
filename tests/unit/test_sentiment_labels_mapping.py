"""Units for the label encodings ``sentiment import`` accepts (helpers.io.importer.values + read_label_file)."""
from __future__ import annotations

import pytest

from helpers import sentiment as S
from helpers.io.importer.values import (NOT_RELEVANT, describe_sentiment_mapping, normalise_sentiment,
                                        sentiment_scale)


@pytest.mark.parametrize("value, expected", [
    ("negative", "negative"), ("NEG", "negative"), ("-1", "negative"), ("−1", "negative"), ("-1.0", "negative"),
    ("neutral", "neutral"), ("neu", "neutral"), ("0", "neutral"), ("positive", "positive"), ("Pos", "positive"),
    ("1", "positive"), ("+1", "positive"), ("Негатив", "negative"), ("отрицательно", "negative"),
    ("нейтрально", "neutral"), ("Позитивно", "positive"), ("положительный", "positive"), ("mənfi", "negative"),
    ("menfi", "negative"), ("neytral", "neutral"), ("müsbət", "positive"), ("musbet", "positive"),
    ("  Very   Negative ", "negative"), ("meh", None), ("2", None), ("", None), (None, None),
])
def test_words_and_signed_numbers(value, expected):
    assert normalise_sentiment(value) == expected


def test_stars_scale_and_column_judgement():
    assert [normalise_sentiment(v, "stars") for v in ["1", "2", "3", "4", "5", "5.0", "4 stars", "★★☆☆☆", "0"]] == \
        ["negative", "negative", "neutral", "positive", "positive", "positive", "positive", "negative", None]
    assert sentiment_scale(["1", "3", "5", "3", "not_relevant"]) == "stars"  # a 3 or 5 among whole 1–5 values
    assert sentiment_scale(["-1", "0", "1"]) == "signed"
    assert sentiment_scale(["1", "1", "0"]) == "signed"  # 0 is no star rating
    assert sentiment_scale(["1", "positive"]) == "signed"  # only 1s: the −1/0/1 reading
    assert sentiment_scale(["1", "5", "-1"]) == "signed"  # mixed: not stars (the 5 is then unmappable)


def test_not_relevant_values_are_recognised_only_on_request():
    for v in ["not_relevant", "Not relevant", "irrelevant", "spam", "N/A", "нерелевантно", "aid deyil"]:
        assert normalise_sentiment(v) is None
        assert normalise_sentiment(v, not_relevant=True) == NOT_RELEVANT
    assert "1–2 → negative" in describe_sentiment_mapping("stars")
    assert "−1 → negative" in describe_sentiment_mapping("signed")


def test_label_file_in_stars_drops_and_counts_not_relevant(tmp_path):
    path = tmp_path / "crowd.csv"
    path.write_text("message_id,sentiment\nm1,1\nm2,3\nm3,5\nm4,not_relevant\nm5,4\nm6,\nm7,Not Relevant\n",
                    encoding="utf-8")
    read = S.read_label_file(path)
    assert dict(zip(read["message_id"], read["sentiment"])) == {"m1": "negative", "m2": "neutral", "m3": "positive",
                                                                "m5": "positive"}
    assert read.attrs["scale"] == "stars" and read.attrs["not_relevant"] == 2
    assert "(stars)" in read.attrs["mapping"]


def test_unmappable_values_are_listed_with_counts_and_rows(tmp_path):
    path = tmp_path / "mixed.csv"
    rows = ["m1,positive", "m2,meh", "m3,meh", "m4,meh", "m5,meh", "m6,mixed", "m7,neg"]
    path.write_text("message_id,sentiment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(S.LabelError) as err:
        S.read_label_file(path)
    msg = str(err.value)
    assert "mixed.csv" in msg and "5 value(s) could not be mapped" in msg
    assert "'meh' (4×, rows 3, 4, 5, …)" in msg and "'mixed' (1×, row 7)" in msg
    assert "Accepted:" in msg and "not_relevant" in msg


def test_import_reports_mapping_and_dropped(tmp_path, shared_dataset, capsys):
    from builders import copy_dataset
    from helpers.io import load_dataset

    folder = copy_dataset(shared_dataset[0], tmp_path / "ds")
    ids = load_dataset(folder).messages["message_id"].head(3).tolist()
    path = tmp_path / "stars.csv"
    path.write_text(f"message_id,sentiment\n{ids[0]},5\n{ids[1]},1\n{ids[2]},spam\n", encoding="utf-8")
    code = S.cli(["import", str(path), str(folder)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "1 not-relevant value(s) dropped" in out.out and "1–2 → negative" in out.out
    labels = load_dataset(folder).labels.set_index("message_id")["sentiment"]
    assert labels[ids[0]] == "positive" and labels[ids[1]] == "negative" and ids[2] not in labels.index


def _import_with_labels(tmp_path, values):
    from helpers.io import import_export, load_dataset

    src = tmp_path / "export.csv"
    lines = [f"{i},u{i},2025-01-01 10:{i:02d},text {i},{v}" for i, v in enumerate(values, start=1)]
    src.write_text("id,who,created,text,stars\n" + "\n".join(lines) + "\n", encoding="utf-8")
    mp = tmp_path / "map.yml"
    mp.write_text("columns: {message_id: id, author_id: who, created_at: created, text: text}\n"
                  "constants: {channel: x, author_role: member, brand: b}\nlabel_column: stars\n", encoding="utf-8")
    report = import_export(src, mp, tmp_path / "ds")
    labels = load_dataset(tmp_path / "ds").labels
    got = {} if labels is None else dict(zip(labels["message_id"], labels["sentiment"]))
    return report, got


def test_map_label_column_reads_stars_like_sentiment_import(tmp_path):
    values = ["1", "3", "5", "not_relevant", "4", "", "2", "spam"]
    report, got = _import_with_labels(tmp_path, values)
    assert got == {"1": "negative", "2": "neutral", "3": "positive", "5": "positive", "7": "negative"}
    # the same reading as a labels file of the same values (one mapping function)
    path = tmp_path / "same.csv"
    path.write_text("message_id,sentiment\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values, start=1)),
                    encoding="utf-8")
    read = S.read_label_file(path)
    assert dict(zip(read["message_id"], read["sentiment"])) == got
    warnings = " | ".join(report["warnings"])
    assert "2 not-relevant value(s) dropped" in warnings and "star ratings" in warnings
    assert report["labels"] == 5


def test_map_label_column_names_unmappable_values_with_records_and_mapping(tmp_path):
    report, got = _import_with_labels(tmp_path, ["positive", "meh", "-1", "meh", "0", "so-so"])
    assert got == {"1": "positive", "3": "negative", "5": "neutral"}
    warnings = " | ".join(report["warnings"])
    assert "column 'stars': 3 value(s) could not be mapped to a sentiment" in warnings
    assert "'meh' (2×, records 2, 4)" in warnings and "'so-so' (1×, record 6)" in warnings
    assert "Accepted: −1 → negative" in warnings and "star ratings" not in warnings
