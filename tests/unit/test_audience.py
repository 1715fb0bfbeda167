"""helpers.audience: the notebook's preparation step and its plain-language summaries."""
from __future__ import annotations

import pytest

from helpers import audience, metrics
from helpers import views


@pytest.fixture(scope="module")
def data_dir(shared_dataset):
    return shared_dataset[0]


@pytest.fixture(scope="module")
def data(shared_audience):
    return shared_audience


def test_prepare_annotates_every_message(data):
    m = data.messages
    assert {"language", "score", "sentiment", "scored", "is_question"} <= set(m.columns)
    assert set(m["language"].unique()) <= {"ru", "az", "en", "und"}
    assert data.timezone == "Asia/Baku"  # from dataset.json


def test_other_languages_are_not_scored_never_neutral(data):
    m = data.messages
    other = m[m["language"].isin(["ru", "az"])]
    assert len(other) > 100
    assert not other["scored"].any() and other["sentiment"].isna().all()
    english = m[m["language"].eq("en")]
    assert english["scored"].all()


def test_questions_are_member_messages_only(data):
    m = data.messages
    assert m["is_question"].any()
    assert m.loc[m["is_question"], "author_role"].eq("member").all()


def test_empty_period_says_so(data_dir):
    empty = audience.prepare(data_dir, start="2030-01-01", end="2030-01-31", progress=False)
    assert empty.is_empty
    assert "No messages" in views.audience.overview_markdown(empty)
    assert views.audience.overview_table(empty).empty


def test_overview_counts_add_up(data):
    table = views.audience.overview_table(data)
    assert int(table[["brand", "member", "moderator"]].to_numpy().sum()) == len(data.messages)
    assert f"{len(data.messages):,} messages" in views.audience.overview_markdown(data)


def test_summaries_carry_n_and_ci(data):
    fr = metrics.first_responses(data.messages)
    resp = metrics.responsiveness(fr, data.timezone)
    text = views.audience.responsiveness_markdown(resp)
    assert f"{resp['n_openers']:,} conversation openers" in text and "95 % CI" in text
    part = views.audience.participation_table(metrics.participation(data.messages, data.dataset.audience))
    assert "95 % CI" in part.loc["active members as a share of followers", "value"]
    ugc = views.audience.ugc_markdown(metrics.ugc_summary(data.messages))
    assert "95 % CI" in ugc


def test_missed_questions_newest_first_in_local_time(data):
    m = data.messages
    fr = metrics.first_responses(m)
    missed = metrics.unanswered_questions(fr, m.set_index("message_id")["is_question"], 24,
                                          as_of=m["created_at"].max())
    table = views.audience.missed_questions_table(missed, m, data.timezone, n=5)
    assert len(table) == min(5, len(missed))
    assert list(table["asked_at"]) == sorted(table["asked_at"], reverse=True)
    assert table["text"].map(len).max() <= 161


def test_sentiment_markdown_states_what_is_not_scored():
    text = views.audience.sentiment_markdown("textblob", 0.2, "0.21 (n = 10)", 50)
    assert "80 % are not scored" in text and "en" in text
