"""helpers.metrics on small constructed `messages` tables with known answers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import metrics as m
from helpers.stats import Estimate

T0 = pd.Timestamp("2024-03-04 09:00", tz="UTC")  # a Monday

COLUMNS = ["message_id", "thread_id", "parent_id", "channel", "brand", "author_id", "author_role", "created_at",
           "text", "language", "reactions", "shares", "reach", "campaign_id"]


def make_messages(rows: list[dict]) -> pd.DataFrame:
    """A canonical messages table. Row keys: id, role, h (hours after T0), parent, author, channel, + extras."""
    recs = []
    for r in rows:
        rec = {
            "message_id": r["id"], "thread_id": r.get("thread", r["id"]), "parent_id": r.get("parent"),
            "channel": r.get("channel", "facebook"), "brand": "acme",
            "author_id": r.get("author", "brand" if r["role"] == "brand" else f"a_{r['id']}"),
            "author_role": r["role"],
            "created_at": r["at"] if "at" in r else T0 + pd.Timedelta(hours=r.get("h", 0)),
            "text": r.get("text", "hello"), "language": r.get("language", "en"),
            "reactions": 0, "shares": 0, "reach": None, "campaign_id": None,
        }
        for k in ("sentiment", "scored", "is_question"):
            if k in r:
                rec[k] = r[k]
        recs.append(rec)
    df = pd.DataFrame(recs)
    for c in ("message_id", "thread_id", "parent_id", "channel", "brand", "author_id", "author_role", "text",
              "language", "campaign_id"):
        df[c] = df[c].astype("string")
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    for c in ("reactions", "shares", "reach"):
        df[c] = df[c].astype("Int64")
    if "sentiment" in df:
        df["sentiment"] = df["sentiment"].astype("string")
    return df


@pytest.fixture
def conversation() -> pd.DataFrame:
    """Three openers answered after 1 h (brand), 2 h (moderator) and never, plus distractors."""
    return make_messages([
        {"id": "B1", "role": "brand", "h": -5},
        # O1: comment under a brand post, brand answers after 1 h; a member reply earlier does not count
        {"id": "O1", "role": "member", "h": 0, "parent": "B1", "author": "u1", "is_question": True},
        {"id": "R1m", "role": "member", "h": 0.5, "parent": "O1", "author": "u2"},
        {"id": "R1", "role": "brand", "h": 1, "parent": "O1"},
        {"id": "R1b", "role": "brand", "h": 3, "parent": "O1"},
        # O2: own post (UGC), a "reply" timestamped before it is ignored, moderator answers after 2 h
        {"id": "O2", "role": "member", "h": 10, "author": "u2", "channel": "instagram", "is_question": True},
        {"id": "R2early", "role": "brand", "h": 9, "parent": "O2"},
        {"id": "R2", "role": "moderator", "h": 12, "parent": "O2", "author": "mod1"},
        {"id": "R2b", "role": "brand", "h": 15, "parent": "O2"},
        # O3: only members reply -> unanswered
        {"id": "O3", "role": "member", "h": 20, "author": "u3", "is_question": False},
        {"id": "R3m", "role": "member", "h": 21, "parent": "O3", "author": "u1"},
        # member reply whose parent is not in the table: not an opener
        {"id": "X", "role": "member", "h": 22, "parent": "gone", "author": "u4"},
    ])


# ---------------------------------------------------------------- definitions


def test_member_messages_and_openers(conversation):
    assert set(m.member_messages(conversation)["message_id"]) == {"O1", "R1m", "O2", "O3", "R3m", "X"}
    assert list(m.openers(conversation)["message_id"]) == ["O1", "O2", "O3"]
    assert m.openers(conversation.iloc[0:0]).empty


def test_is_ugc(conversation):
    ugc = conversation.loc[m.is_ugc(conversation), "message_id"]
    assert set(ugc) == {"O2", "O3"}  # B1 has no parent but is a brand post


def test_works_with_default_str_dtype_and_nan_parents(conversation):
    plain = conversation.astype({c: "str" for c in ("message_id", "parent_id", "author_role", "author_id",
                                                     "channel")})
    plain["parent_id"] = conversation["parent_id"].astype(object).where(conversation["parent_id"].notna(), np.nan)
    fr = m.first_responses(plain)
    assert list(fr["answered"]) == [True, True, False]


# ---------------------------------------------------------------- responses


def test_first_responses(conversation):
    fr = m.first_responses(conversation)
    assert list(fr.columns) == ["message_id", "channel", "created_at", "author_id", "answered",
                                "first_response_at", "response_hours"]
    fr = fr.set_index("message_id")
    assert fr.loc["O1", "response_hours"] == pytest.approx(1.0)  # brand, not the member reply at 0.5 h
    assert fr.loc["O2", "response_hours"] == pytest.approx(2.0)  # moderator; reply "before" ignored
    assert fr.loc["O2", "first_response_at"] == T0 + pd.Timedelta(hours=12)
    assert not fr.loc["O3", "answered"] and math.isnan(fr.loc["O3", "response_hours"])
    assert pd.isna(fr.loc["O3", "first_response_at"])
    assert fr["answered"].dtype == bool
    assert str(fr["created_at"].dtype).startswith("datetime64") and str(fr["created_at"].dt.tz) == "UTC"


def test_first_responses_index_aligns_with_messages(conversation):
    fr = m.first_responses(conversation)
    assert list(conversation.loc[fr.index, "message_id"]) == list(fr["message_id"])


def test_first_responses_empty():
    fr = m.first_responses(make_messages([{"id": "B", "role": "brand"}]))
    assert fr.empty and "response_hours" in fr


def test_responsiveness(conversation):
    r = m.responsiveness(m.first_responses(conversation), "UTC")
    assert r["median_first_response_hours"] == pytest.approx(1.5)
    assert r["response_rate"] == pytest.approx(2 / 3)
    assert (r["n_openers"], r["n_answered"]) == (3, 2)
    assert r["p90_first_response_hours"] == pytest.approx(1.9)
    assert r["response_rate_ci_low"] < 2 / 3 < r["response_rate_ci_high"]
    assert 1.0 <= r["median_first_response_hours_ci_low"] <= 1.5 <= r["median_first_response_hours_ci_high"] <= 2.0


def test_responsiveness_nothing_answered_or_no_openers(conversation):
    # the organisation posts but answers nobody: a measured 0
    org = conversation["author_role"].isin(["brand", "moderator"])
    no_answers = conversation[~org | conversation["parent_id"].isna()]
    r = m.responsiveness(m.first_responses(no_answers))
    assert r["organisation_messages"] > 0
    assert r["response_rate"] == 0 and math.isnan(r["median_first_response_hours"])
    # nobody from the organisation in the data at all: unknown, not 0 (test_no_organisation_messages_…)
    assert math.isnan(m.responsiveness(m.first_responses(conversation[~org]))["response_rate"])
    empty = m.responsiveness(m.first_responses(conversation.iloc[0:0]))
    assert empty["n_openers"] == 0 and math.isnan(empty["response_rate"])


def test_responsiveness_by_channel_and_local_hour(conversation):
    fr = m.first_responses(conversation)
    by_channel = m.responsiveness_by(fr, "channel")
    assert by_channel.loc["facebook", "n"] == 2 and by_channel.loc["facebook", "answered"] == 1
    assert by_channel.loc["instagram", "median_hours"] == pytest.approx(2.0)
    assert by_channel.index[0] == "facebook"  # most openers first
    by_hour = m.responsiveness_by(fr, "hour", timezone="Asia/Baku")  # UTC+4
    assert list(by_hour.index) == list(range(24)) and by_hour["n"].sum() == 3
    assert by_hour.loc[13, "n"] == 1 and by_hour.loc[13, "median_hours"] == pytest.approx(1.0)  # O1 09:00 UTC
    assert by_hour.loc[23, "median_hours"] == pytest.approx(2.0)  # O2 19:00 UTC
    assert by_hour.loc[9, "n"] == 1 and by_hour.loc[9, "response_rate"] == 0  # O3 05:00 UTC, unanswered
    assert by_hour.loc[10, "n"] == 0 and math.isnan(by_hour.loc[10, "response_rate"])
    with pytest.raises(ValueError):
        m.responsiveness_by(fr, "weekday")


# ---------------------------------------------------------------- unanswered questions / SLA


@pytest.fixture
def questions() -> pd.DataFrame:
    return make_messages([
        {"id": "q1", "role": "member", "h": 0, "is_question": True},          # never answered
        {"id": "q2", "role": "member", "h": 1, "is_question": True},          # answered after 5 h: late
        {"id": "r2", "role": "brand", "h": 6, "parent": "q2"},
        {"id": "q3", "role": "member", "h": 2, "is_question": True},          # answered after 1 h: fine
        {"id": "r3", "role": "brand", "h": 3, "parent": "q3"},
        {"id": "q4", "role": "member", "h": 8, "is_question": True},          # too young at as_of
        {"id": "q5", "role": "member", "h": 0, "is_question": False},         # not a question
        {"id": "q6", "role": "member", "h": 3, "is_question": True},          # answered after as_of
        {"id": "r6", "role": "brand", "h": 20, "parent": "q6"},
    ])


def test_unanswered_questions_sla(questions):
    fr = m.first_responses(questions)
    as_of = T0 + pd.Timedelta(hours=10)
    flags = questions.set_index("message_id")["is_question"]
    out = m.unanswered_questions(fr, flags, sla_hours=4, as_of=as_of)
    assert list(out.columns) == ["message_id", "channel", "created_at", "waited_hours", "answered_late"]
    got = out.set_index("message_id")
    assert set(got.index) == {"q1", "q2", "q6"}
    assert got.loc["q1", "waited_hours"] == pytest.approx(10) and not got.loc["q1", "answered_late"]
    assert got.loc["q2", "waited_hours"] == pytest.approx(5) and got.loc["q2", "answered_late"]
    assert got.loc["q6", "waited_hours"] == pytest.approx(7) and not got.loc["q6", "answered_late"]
    assert list(out["message_id"]) == ["q1", "q6", "q2"]  # longest wait first


def test_unanswered_questions_aligned_flags_and_naive_as_of(questions):
    fr = m.first_responses(questions)
    out = m.unanswered_questions(fr, questions["is_question"], sla_hours=4, as_of="2024-03-04 19:00")
    assert set(out["message_id"]) == {"q1", "q2", "q6"}
    # later as_of: q4 is old enough now and q6's answer (late, 17 h) is known
    later = m.unanswered_questions(fr, questions["is_question"], sla_hours=4, as_of=T0 + pd.Timedelta(hours=30))
    got = later.set_index("message_id")
    assert set(got.index) == {"q1", "q2", "q4", "q6"}
    assert got.loc["q6", "answered_late"] and got.loc["q6", "waited_hours"] == pytest.approx(17)


def test_unanswered_questions_edges(questions):
    fr = m.first_responses(questions)
    with pytest.raises(ValueError):
        m.unanswered_questions(fr, questions["is_question"], sla_hours=0, as_of=T0)
    empty = m.unanswered_questions(fr.iloc[0:0], questions["is_question"], sla_hours=4, as_of=T0)
    assert empty.empty and "waited_hours" in empty


# ---------------------------------------------------------------- time patterns


def test_weekday_hour_matrix_converts_timezone():
    msgs = make_messages([
        {"id": "a", "role": "member", "at": pd.Timestamp("2024-03-10 22:30", tz="UTC")},  # Sunday UTC
        {"id": "b", "role": "brand", "at": pd.Timestamp("2024-03-10 22:30", tz="UTC")},   # brand: ignored
    ])
    baku = m.weekday_hour_matrix(msgs, "Asia/Baku")  # UTC+4 -> Monday 02:30
    assert baku.shape == (7, 24) and list(baku.index) == list(m.WEEKDAYS) and list(baku.columns) == list(range(24))
    assert baku.loc["Mon", 2] == 1 and baku.to_numpy().sum() == 1
    utc = m.weekday_hour_matrix(msgs, "UTC")
    assert utc.loc["Sun", 22] == 1
    ny = m.weekday_hour_matrix(msgs, "America/New_York")  # EDT starts 2024-03-10: UTC-4 -> Sunday 18:30
    assert ny.loc["Sun", 18] == 1
    assert m.weekday_hour_matrix(msgs.iloc[0:0], "UTC").to_numpy().sum() == 0


def test_activity_by_channel_weeks_roles_and_gaps():
    msgs = make_messages([
        {"id": "a", "role": "member", "h": 0},
        {"id": "b", "role": "brand", "h": 1},
        {"id": "c", "role": "member", "h": 2, "channel": "instagram"},
        {"id": "d", "role": "member", "h": 24 * 14},  # two weeks later
    ])
    allroles = m.activity_by_channel(msgs)
    assert list(allroles.index) == list(pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-18"]))
    assert list(allroles.columns) == ["facebook", "instagram"]
    assert allroles.loc["2024-03-04", "facebook"] == 2 and allroles.loc["2024-03-11"].sum() == 0
    members = m.activity_by_channel(msgs, role="member")
    assert members.loc["2024-03-04", "facebook"] == 1
    daily = m.activity_by_channel(msgs, freq="D")
    assert len(daily) == 15
    # local weeks: Monday 01:00 in Baku is still Sunday in UTC
    sunday = make_messages([{"id": "s", "role": "member", "at": pd.Timestamp("2024-03-10 21:30", tz="UTC")}])
    assert m.activity_by_channel(sunday, timezone="Asia/Baku").index[0] == pd.Timestamp("2024-03-11")
    assert m.activity_by_channel(sunday).index[0] == pd.Timestamp("2024-03-04")
    assert m.activity_by_channel(msgs.iloc[0:0]).empty


# ---------------------------------------------------------------- participation and levels


@pytest.fixture
def community() -> pd.DataFrame:
    rows = [{"id": "B1", "role": "brand", "h": 0}]
    h = 1

    def add(author, parent="B1", n=1):
        nonlocal h
        ids = []
        for _ in range(n):
            mid = f"m{h}"
            rows.append({"id": mid, "role": "member", "h": h, "parent": parent, "author": author})
            ids.append(mid)
            h += 1
        return ids

    add("pa")                      # 1 message -> participant
    add("pb", n=2)                 # 2 -> participant
    add("co", n=3)                 # 3 comments under a brand post -> contributor
    own = add("ug", parent=None)   # own post (UGC) ...
    add("ug", n=2)                 # ... + 2 comments -> advocate
    first = add("se", n=1)         # self-replies do not count as replies to members
    add("se", parent=first[0], n=2)  # -> contributor
    add("rp", parent=own[0], n=3)  # 3 replies to another member -> advocate
    add("hv", n=15)                # 15 messages -> advocate
    return make_messages(rows)


def test_member_levels(community):
    lv = m.member_levels(community).set_index("author_id")
    assert list(m.member_levels(community).columns) == ["author_id", "messages", "replies_to_members", "ugc", "level"]
    assert lv["level"].to_dict() == {
        "co": "contributor", "hv": "advocate", "pa": "participant", "pb": "participant", "rp": "advocate",
        "se": "contributor", "ug": "advocate",
    }
    assert lv.loc["rp", "replies_to_members"] == 3 and lv.loc["se", "replies_to_members"] == 0
    assert lv.loc["ug", "ugc"] == 1 and lv.loc["hv", "messages"] == 15
    assert "observer" in m.LEVEL_RULES and "advocate" in m.LEVEL_RULES
    assert m.member_levels(community.iloc[0:0]).empty


def test_participation(community):
    audience = pd.DataFrame({
        "date": list(pd.date_range("2024-02-25", periods=10).date) * 2,
        "brand": "acme",
        "channel": ["facebook"] * 10 + ["instagram"] * 10,
        # facebook 100..109, instagram 10 every day -> daily totals 110..119; last 7 days 113..119 -> mean 116
        "followers": list(range(100, 110)) + [10] * 10,
    })
    p = m.participation(community, audience)
    assert p["members_active"] == 7
    assert p["followers"] == pytest.approx(116)
    assert p["active_member_share"] == pytest.approx(7 / 116)
    assert p["active_member_share_ci_low"] < 7 / 116 < p["active_member_share_ci_high"]
    assert p["n_member_messages"] == 30
    counts = [1, 2, 3, 3, 3, 3, 15]
    assert p["top1pct_message_share"] == pytest.approx(15 / 30)
    assert p["top10pct_message_share"] == pytest.approx(15 / 30)
    assert 0 < p["participation_gini"] < 1
    from helpers.stats import gini
    assert p["participation_gini"] == pytest.approx(gini(counts))
    assert p["observers"] == pytest.approx(116 - 7)


def test_participation_ignores_audience_after_the_period(community):
    audience = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", "2024-03-04", "2024-04-30"]),
                             "brand": "acme", "channel": "facebook", "followers": [100, 200, 9999]})
    assert m.participation(community, audience)["followers"] == pytest.approx(150)


def test_participation_without_audience(community):
    p = m.participation(community, pd.DataFrame(columns=["date", "brand", "channel", "followers"]))
    assert math.isnan(p["followers"]) and math.isnan(p["active_member_share"])
    assert p["members_active"] == 7
    assert math.isnan(m.participation(community, None)["active_member_share_ci_low"])


def test_level_transitions():
    split = T0 + pd.Timedelta(days=10)
    rows = [{"id": "B1", "role": "brand", "h": 0}]
    k = 0

    def add(author, day, n=1):
        nonlocal k
        for _ in range(n):
            k += 1
            rows.append({"id": f"m{k}", "role": "member", "h": 24 * day + k, "parent": "B1", "author": author})

    add("stay", 1)
    add("stay", 12)          # participant -> participant
    add("gone", 2, n=3)      # contributor -> observer
    add("new", 15, n=1)      # observer -> participant
    add("grow", 3)
    add("grow", 13, n=3)     # participant -> contributor
    msgs = make_messages(rows)
    ct = m.level_transitions(msgs, followers=100, split_at=split)
    assert list(ct.index) == list(m.LEVELS) and list(ct.columns) == list(m.LEVELS)
    assert ct.loc["participant", "participant"] == 1
    assert ct.loc["contributor", "observer"] == 1
    assert ct.loc["observer", "participant"] == 1
    assert ct.loc["participant", "contributor"] == 1
    assert ct.loc["observer", "observer"] == 100 - 4
    assert int(ct.sum().sum()) == 100
    unknown = m.level_transitions(msgs, split_at=split)
    assert pd.isna(unknown.loc["observer", "observer"])
    # default split = midpoint of the time range
    auto = m.level_transitions(msgs)
    lo, hi = msgs["created_at"].min(), msgs["created_at"].max()
    assert auto.attrs["split_at"] == lo + (hi - lo) / 2


# ---------------------------------------------------------------- UGC, contributors, language


def test_ugc_summary(community):
    u = m.ugc_summary(community)
    assert (u["n_ugc"], u["n_member_messages"]) == (1, 30)
    assert u["ugc_share"] == pytest.approx(1 / 30)
    assert u["ugc_share_ci_low"] < 1 / 30 < u["ugc_share_ci_high"]
    assert math.isnan(m.ugc_summary(community.iloc[0:0])["ugc_share"])


def test_top_contributors(community):
    top = m.top_contributors(community, n=3)
    assert list(top.columns) == ["author_id", "messages", "ugc", "replies_to_members", "share_of_member_messages",
                                 "level"]
    assert list(top["author_id"]) == ["hv", "co", "rp"]  # ties broken by author_id
    assert top.loc[0, "share_of_member_messages"] == pytest.approx(0.5)
    assert m.top_contributors(community.iloc[0:0]).empty


def test_language_mix():
    msgs = make_messages([
        {"id": "1", "role": "member", "language": "ru"}, {"id": "2", "role": "brand", "language": "ru"},
        {"id": "3", "role": "member", "language": "az"}, {"id": "4", "role": "member", "language": None},
    ])
    assert m.language_mix(msgs) == {"ru": 0.5, "az": 0.25, "und": 0.25}
    assert m.language_mix(msgs.iloc[0:0]) == {}


# ---------------------------------------------------------------- sentiment


@pytest.fixture
def scored() -> pd.DataFrame:
    return make_messages([
        {"id": "1", "role": "member", "language": "en", "sentiment": "negative", "scored": True},
        {"id": "2", "role": "member", "language": "en", "sentiment": "negative", "scored": True},
        {"id": "3", "role": "member", "language": "en", "sentiment": "neutral", "scored": True},
        {"id": "4", "role": "member", "language": "en", "sentiment": "positive", "scored": True},
        {"id": "5", "role": "member", "language": "ru", "sentiment": None, "scored": False},
        {"id": "6", "role": "member", "language": "ru", "sentiment": None, "scored": False},
        # a neutral label on an unscored row must not count as neutral
        {"id": "7", "role": "member", "language": "az", "sentiment": "neutral", "scored": False},
        {"id": "8", "role": "brand", "language": "en", "sentiment": "negative", "scored": True},
    ])


def test_sentiment_table_coverage_and_shares(scored):
    members = m.member_messages(scored)
    t = m.sentiment_table(members, ["language"]).set_index("language")
    assert list(t.columns) == ["n", "n_scored", "coverage", "negative_share", "neutral_share", "positive_share"]
    assert t.loc["en", "n"] == 4 and t.loc["en", "coverage"] == 1.0
    assert t.loc["en", "negative_share"] == pytest.approx(0.5)
    assert t.loc["en", "neutral_share"] == pytest.approx(0.25)
    assert t.loc["ru", "n_scored"] == 0 and t.loc["ru", "coverage"] == 0.0
    assert math.isnan(t.loc["ru", "negative_share"]) and math.isnan(t.loc["ru", "neutral_share"])
    assert math.isnan(t.loc["az", "neutral_share"])
    overall = m.sentiment_table(members, None)
    assert len(overall) == 1 and overall.loc[0, "n"] == 7
    assert overall.loc[0, "coverage"] == pytest.approx(4 / 7)
    assert overall.loc[0, "negative_share"] == pytest.approx(2 / 4)  # among scored, not among all
    assert overall.loc[0, "neutral_share"] == pytest.approx(1 / 4)


def test_sentiment_table_multiple_keys_and_empty(scored):
    t = m.sentiment_table(scored, ["author_role", "language"])
    assert t["n"].sum() == 8 and set(t.columns) >= {"author_role", "language", "coverage"}
    assert m.sentiment_table(scored.iloc[0:0], ["language"]).empty


def test_negative_share_and_coverage(scored):
    est = m.negative_share(scored)
    assert isinstance(est, Estimate)
    assert est.value == pytest.approx(0.5) and est.n == 4  # brand's negative message excluded
    assert est.ci_low < 0.5 < est.ci_high
    cov = m.sentiment_coverage(scored)
    assert cov.value == pytest.approx(5 / 8) and cov.n == 8
    none_scored = m.negative_share(scored[scored["language"] == "ru"])
    assert math.isnan(none_scored.value) and none_scored.n == 0


# --------------------------------------------------------------------------------------------------
# an export without organisation messages (issue 14, item 7): response figures are unknown, not 0


@pytest.fixture
def members_only() -> pd.DataFrame:
    """Member posts and member replies only: nobody from the organisation in the export."""
    return make_messages([
        {"id": "O1", "role": "member", "h": 0, "author": "u1", "is_question": True},
        {"id": "O2", "role": "member", "h": 40, "author": "u2", "is_question": True},
        {"id": "O3", "role": "member", "h": 50, "author": "u3", "is_question": False},
        {"id": "M1", "role": "member", "h": 60, "parent": "O1", "author": "u2"},
    ])


def test_organisation_messages_counts_brand_and_moderators(conversation, members_only):
    roles = conversation["author_role"]
    assert m.organisation_messages(conversation) == int(roles.isin(["brand", "moderator"]).sum()) > 0
    assert m.organisation_messages(members_only) == 0
    assert m.organisation_messages(members_only.iloc[0:0]) == 0


def test_no_organisation_messages_leave_response_figures_absent(members_only):
    fr = m.first_responses(members_only)
    assert len(fr) == 3 and fr.attrs["organisation_messages"] == 0
    resp = m.responsiveness(fr)
    assert resp["n_openers"] == 3 and resp["organisation_messages"] == 0
    assert resp["n_answered"] is None
    for key in ("response_rate", "response_rate_ci_low", "response_rate_ci_high", "median_first_response_hours"):
        assert math.isnan(resp[key]), key
    by_channel = m.responsiveness_by(fr, by="channel")
    assert by_channel["n"].sum() == 3 and by_channel["response_rate"].isna().all()
    missed = m.unanswered_questions(fr, members_only.set_index("message_id")["is_question"], 24,
                                    as_of=T0 + pd.Timedelta(hours=100))
    assert missed.empty and m.unanswered_count(missed) is None


def test_with_organisation_messages_response_figures_stay_measured(conversation):
    fr = m.first_responses(conversation)
    resp = m.responsiveness(fr)
    assert resp["organisation_messages"] == m.organisation_messages(conversation)
    assert resp["n_answered"] == int(fr["answered"].sum()) and 0 < resp["response_rate"] <= 1
    missed = m.unanswered_questions(fr, conversation.set_index("message_id")["is_question"], 24,
                                    as_of=T0 + pd.Timedelta(hours=200))
    assert m.unanswered_count(missed) == len(missed)
    # an empty period: nothing to answer, and nothing unknown either
    none = m.first_responses(conversation.iloc[0:0])
    assert m.unanswered_count(m.unanswered_questions(none, None, 24)) == 0
