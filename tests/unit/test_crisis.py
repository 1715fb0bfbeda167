"""Units for helpers.crisis (constructed series and conversations) and the planted crises of helpers.synth."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import crisis, synth
from helpers import views
from helpers.io import Dataset, empty_table
from helpers.synth import IncidentSpec, SynthOptions

T0 = pd.Timestamp("2025-03-01", tz="UTC")


def _series_data(rates: np.ndarray, negative: np.ndarray, seed: int = 0) -> crisis.CrisisData:
    """Member messages with Poisson counts per hour (``rates``) and a negative share per hour; all scored."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rates)
    hours = np.repeat(np.arange(len(rates)), counts)
    secs = rng.integers(0, 3600, len(hours))
    neg = rng.random(len(hours)) < negative[hours]
    created = T0 + pd.to_timedelta(hours * 3600 + secs, unit="s")
    df = pd.DataFrame({"message_id": [f"m{i}" for i in range(len(hours))], "parent_id": None,
                       "author_id": [f"a{i % 500}" for i in range(len(hours))], "author_role": "member",
                       "created_at": created, "text": "x", "label": np.where(neg, -1.0, 0.0)})
    df = df.sort_values("created_at").reset_index(drop=True)
    return crisis.CrisisData(dataset=None, messages=df, timezone="UTC", languages=["en"],  # type: ignore[arg-type]
                             sentiment_backend="textblob", data_dir=Path("."))


def _daily(n_hours: int, level: float) -> np.ndarray:
    h = np.arange(n_hours)
    return level * (1 + 0.6 * np.sin(2 * np.pi * (h % 24 - 6) / 24))


def test_a_step_is_detected_at_its_start():
    n = 45 * 24
    rates, neg = _daily(n, 4.0), np.full(n, 0.2)
    start = 30 * 24 + 7
    rates[start:start + 96] += 12.0
    neg[start:start + 96] = 0.7
    found = crisis.detect_candidates(_series_data(rates, neg))
    assert len(found) == 1
    assert abs((found["onset_at"][0] - (T0 + pd.Timedelta(hours=start))).total_seconds()) <= 3600
    assert found["negativity"][0] == "negative"
    assert found["excess_messages"][0] == pytest.approx(96 * 12, rel=0.2)


def test_a_busy_hour_before_the_onset_does_not_pass_for_it():
    n = 40 * 24
    rates, neg = _daily(n, 20.0), np.full(n, 0.2)
    start = 30 * 24 + 12
    rates[start - 3:start] += 40.0  # an ordinary post draws many comments with the usual share of negatives
    rates[start:start + 72] += 40.0
    neg[start:start + 72] = 0.7
    found = crisis.detect_candidates(_series_data(rates, neg, seed=4))
    assert len(found) == 1
    assert abs((found["onset_at"][0] - (T0 + pd.Timedelta(hours=start))).total_seconds()) <= 3600


def test_a_spike_is_detected_at_the_spike():
    n = 40 * 24
    rates, neg = _daily(n, 3.0), np.full(n, 0.2)
    spike = 25 * 24 + 15
    rates[spike] += 80
    neg[spike] = 0.9
    found = crisis.detect_candidates(_series_data(rates, neg, seed=1))
    assert len(found) == 1
    assert abs((found["onset_at"][0] - (T0 + pd.Timedelta(hours=spike))).total_seconds()) <= 2 * 3600
    assert found["negativity"][0] == "negative"


def test_a_slow_drift_is_not_a_crisis():
    n = 60 * 24
    rates = _daily(n, 3.0) * np.linspace(1.0, 3.0, n)
    neg = np.linspace(0.2, 0.35, n)
    assert crisis.detect_candidates(_series_data(rates, neg, seed=2)).empty


def test_a_busy_day_without_negativity_is_not_a_crisis():
    n = 40 * 24
    rates, neg = _daily(n, 4.0), np.full(n, 0.2)
    rates[28 * 24:29 * 24] *= 5
    found = crisis.detect_candidates(_series_data(rates, neg, seed=3))
    assert len(found) == 1 and found["negativity"][0] == "not negative"


def test_recovery_band_and_share():
    share = np.array([0.6] * 10 + [0.2] * 40)
    assert crisis.recovery_position(share, 0.3, 0) == 10
    share[20] = 0.5
    assert crisis.recovery_position(share, 0.3, 0) == 21
    assert crisis.recovery_position(share[:30], 0.3, 0) is None
    with_gaps = np.array([0.6] * 5 + [np.nan] * 30)
    assert crisis.recovery_position(with_gaps, 0.3, 0) == 5  # nothing scored is not "negative"
    assert crisis.band_upper(0.2, 1e6) == pytest.approx(0.2 + crisis.BAND_MIN)
    assert crisis.band_upper(0.2, 10) == pytest.approx(0.2 + 2 * math.sqrt(0.016))
    s = crisis.smoothed_share([0, 0, 0, 0], [0, 0, 0, 0], window=2)
    assert np.isnan(s).all()
    s = crisis.smoothed_share([2] * 48, [1] * 48)
    assert np.allclose(s, 0.5)


def _conversation() -> pd.DataFrame:
    t = pd.Timestamp("2025-05-01 10:00", tz="UTC")
    rows = [  # id, parent, author, role, minutes, label
        ("A", None, "u1", "member", 0, -1.0),      # complaint (opener)
        ("B", "A", "u2", "member", 10, 1.0),       # another member defends: a defending message
        ("C", "A", "u1", "member", 20, 1.0),       # the author answering themself: not defending
        ("N", "A", "u3", "member", 25, math.nan),  # not scored: ignored
        ("R", "A", "b", "brand", 30, math.nan),    # the organisation replies
        ("E", "A", "u4", "member", 40, -1.0),      # after the reply
        ("F", "R", "u1", "member", 50, 1.0),       # answering the reply is part of the conversation
        ("X", None, "u5", "member", 5, -1.0),      # a lone complaint with a reply: no discussion before
        ("Y", "X", "b", "brand", 60, math.nan),
        ("Z", "X", "u5", "member", 70, 1.0),
    ]
    return pd.DataFrame({"message_id": [r[0] for r in rows], "parent_id": [r[1] for r in rows],
                         "author_id": [r[2] for r in rows], "author_role": [r[3] for r in rows],
                         "created_at": [t + pd.Timedelta(minutes=r[4]) for r in rows],
                         "label": [r[5] for r in rows]})


def test_defending_messages_and_groups():
    df = _conversation()
    flags = crisis.defence_flags(df)
    assert flags.tolist() == [False, True, False, False, False, False, False, False, False, False]
    t = df["created_at"].min()
    s = crisis.defence_summary(df, onset=t, start=t, end=t + pd.Timedelta(hours=2), established={"u2"})
    assert s["all"].value == pytest.approx(1 / 7) and s["all"].n == 7
    assert s["established"].value == 1.0 and s["newcomers"].value == 0.0


def test_established_members():
    onset = pd.Timestamp("2025-06-01", tz="UTC")
    rows = [("old", onset - pd.Timedelta(days=d)) for d in (40, 20, 5)] + \
        [("new", onset - pd.Timedelta(days=d)) for d in (10, 5, 1)] + [("few", onset - pd.Timedelta(days=50))]
    df = pd.DataFrame({"author_id": [r[0] for r in rows], "created_at": [r[1] for r in rows], "author_role": "member"})
    assert crisis.established_authors(df, onset) == {"old"}


def test_reply_pairs_by_conversation():
    df = _conversation()
    t = df["created_at"].min()
    pairs = crisis.reply_pairs(df, t, t + pd.Timedelta(hours=3))
    assert pairs["opener_id"].tolist() == ["A"]  # X has one message before its reply: not a discussion
    row = pairs.iloc[0]
    assert row["reply_id"] == "R" and row["n_before"] == 3 and row["n_after"] == 2
    assert row["before_mean"] == pytest.approx(1 / 3) and row["after_mean"] == pytest.approx(0.0)
    assert row["diff"] == pytest.approx(-1 / 3)
    assert crisis.reply_pairs(df, t, t + pd.Timedelta(hours=3), min_before=1)["opener_id"].tolist() == ["A", "X"]
    assert crisis.reply_pairs(df, t + pd.Timedelta(hours=5), t + pd.Timedelta(hours=6)).empty


def test_scct_strategies_and_lessons_for_no_crisis():
    for kind in ("victim", "accidental", "preventable"):
        assert len(crisis.scct_strategies(kind)) >= 3
    assert crisis.scct_strategies(None).empty
    none = crisis.Crisis(detected=False, reason="nothing")
    assert "No crisis detected" in views.crisis.detection_markdown(none, "UTC")
    assert crisis.phase_findings(none)["crisis_detected"] is False
    assert set(crisis.FINDINGS_KEYS) <= set(crisis.phase_findings(none))
    assert "No crisis detected" in views.crisis.lessons(none, {}, {}, {}, 0.5)


# --------------------------------------------------------------------------------------------------
# planted crises in the generator


def _incident(iid: str = "I01", day: int = 45, listed: float = 1.0, **effects: float) -> IncidentSpec:
    eff = {"volume_multiplier": 8.0, "half_life_days": 1.0, "duration_days": 5.0, "negative_share": 0.7,
           "listed": listed, "reply_threads": 40, "defender_rate": 1.0, "resolved_negative_share": 0.15}
    eff.update(effects)
    return IncidentSpec(iid, "Outage", "queue", day, 10.0, 4.0, 3.0, "high", "accidental", effects=eff)


def _options(incidents: list[IncidentSpec]) -> SynthOptions:
    return SynthOptions(language_mix={"en": 0.6, "ru": 0.25, "az": 0.15}, campaigns=[], incidents=incidents)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crisis")
    truth = synth.write_synthetic(folder, seed=5, n_messages=8000, start="2025-03-01", months=2,
                                  options=_options([_incident(listed=0.0)]))
    return folder, truth


def test_truth_has_the_findings_keys_per_crisis(planted):
    _, truth = planted
    assert truth["crisis_detected"] is True and truth["largest_crisis"] == "I01"
    c = truth["crises"]["I01"]
    for key in crisis.FINDINGS_KEYS:
        if not key.startswith("reply_effect_ci") and not key.startswith("its_level_change_ci"):
            assert c[key] is not None, key
    assert c["listed"] is False
    assert c["first_response_hours"] == 4.0
    assert 0 < c["recovery_hours"] < 14 * 24
    assert c["peak_negative_share"] > c["baseline_band_upper"] > c["baseline_negative_share"]
    assert c["defender_share_established"] > c["defender_share_newcomers"]
    assert c["defenders_planted"] > 0 and c["calm_threads_planted"] > 0
    assert truth["onset_at"] == c["onset_at"]


def test_unlisted_crisis_has_no_incident_row_but_a_statement(planted):
    folder, truth = planted
    inc = pd.read_csv(folder / "incidents.csv")
    assert inc.empty
    msgs = pd.read_csv(folder / "messages.csv", dtype=str)
    onset = pd.Timestamp(truth["crises"]["I01"]["onset_at"])
    brand = msgs[(msgs["author_role"] == "brand") & msgs["parent_id"].isna()]
    times = pd.to_datetime(brand["created_at"], utc=True)
    statements = brand[(times >= onset) & brand["text"].str.contains("statement", case=False)]
    first = pd.to_datetime(statements["created_at"], utc=True).min()
    assert (first - onset).total_seconds() / 3600 == pytest.approx(4.0, abs=0.05)


def test_reply_effect_truth_follows_the_planted_direction():
    calm = synth.generate(seed=8, n_messages=8000, start="2025-03-01", months=2,
                          options=_options([_incident(deescalate_share=1.0)]))[1]
    angry = synth.generate(seed=8, n_messages=8000, start="2025-03-01", months=2,
                           options=_options([_incident(deescalate_share=0.0, reply_threads=60)]))[1]
    assert calm["crises"]["I01"]["reply_effect"] > 0.3
    assert angry["crises"]["I01"]["reply_effect"] < 0


def test_no_crisis_option():
    _, truth = synth.generate(seed=9, n_messages=3000, start="2025-03-01", months=2, options=_options([]))
    assert truth["crisis_detected"] is False and truth["crises"] == {} and truth["largest_crisis"] is None


def test_locate_on_planted_data_and_clear_errors(planted):
    folder, truth = planted
    data = crisis.prepare(folder, progress=False)
    cr = crisis.locate(data)
    assert cr.detected and cr.incident_id is None
    onset = pd.Timestamp(truth["crises"]["I01"]["onset_at"])
    assert abs((cr.onset_at - onset).total_seconds()) <= 3 * 3600
    assert cr.first_response_source.startswith("first organisation statement")
    assert abs(cr.hours_after_onset(cr.first_response_at) - 4.0) <= 1.0
    with pytest.raises(crisis.CrisisError, match="incidents"):
        crisis.locate(data, incident_id="I99")
    with pytest.raises(crisis.CrisisError, match="crisis_type"):
        crisis.locate(data, crisis_type="bad")
    with pytest.raises(crisis.CrisisError, match="baseline_days"):
        crisis.locate(data, baseline_days=0)
    with pytest.raises(crisis.CrisisError, match="sentiment"):
        crisis.prepare(folder, sentiment_backend="nonsense", progress=False)


def _planted_step(base_rate: float) -> tuple[crisis.CrisisData, int]:
    """45 days at ``base_rate`` messages an hour (20 % negative) with a planted step from day 30, 07:00: 12 extra
    messages an hour, 70 % negative, for 96 h; returns the data and the step's first hour."""
    n = 45 * 24
    rates, neg = _daily(n, base_rate), np.full(n, 0.2)
    start = 30 * 24 + 7
    rates[start:start + 96] += 12.0
    neg[start:start + 96] = 0.7
    return _series_data(rates, neg), start


def _step_crisis(read_share: float) -> tuple[crisis.CrisisData, crisis.Crisis]:
    """A planted step (12 extra messages an hour, 70 % negative) where the scorer read ``read_share`` of them."""
    data, start = _planted_step(6.0)
    statement = pd.DataFrame({"message_id": ["s1"], "parent_id": None, "author_id": ["org"], "author_role": ["brand"],
                              "created_at": [T0 + pd.Timedelta(hours=start + 4)],
                              "text": ["We apologise for the outage: an update follows"], "label": [0.0]})
    msgs = pd.concat([data.messages, statement]).sort_values("created_at", kind="stable").reset_index(drop=True)
    data.messages = msgs.assign(channel="facebook", language="en", brand="Org", thread_id=msgs["message_id"])
    data.dataset = Dataset(data.messages, *(empty_table(t) for t in ("campaigns", "incidents", "audience")))
    unread = np.random.default_rng(1).random(len(data.messages)) >= read_share
    data.messages.loc[unread, "label"] = np.nan
    return data, crisis.locate(data)


@pytest.mark.parametrize("read_share", [1.0, 0.3])
def test_sentiment_figures_carry_their_reliability(read_share):
    """Issue 14 item 2: below half of the messages read, every sentiment figure says it is not reliable."""
    data, cr = _step_crisis(read_share)
    assert cr.detected and cr.sentiment_coverage == pytest.approx(read_share, abs=0.03)
    reliable = read_share >= 0.5
    f = crisis.phase_findings(cr)
    assert f["crisis_sentiment_coverage"] == pytest.approx(cr.sentiment_coverage)
    for key in crisis.PHASE_SENTIMENT_KEYS:
        assert f[f"{key}_reliable"] is reliable
        assert (f[f"{key}_reliable_reason"] is None) is reliable
    its, defence, effect = (crisis.interrupted_time_series(cr), crisis.community_defence(data, cr),
                            crisis.reply_effect(data, cr))
    s = crisis.section_findings(its=its, defence=defence, effect=effect)
    for key in ("its_level_change", "its_slope_change", "defender_share", "reply_effect"):
        assert s[f"{key}_reliable"] is reliable, key
    if not reliable:
        assert "read 30% of the member messages" in f["recovery_hours_reliable_reason"]
        assert "not measured reliably" in views.crisis.lessons(cr, its, defence, effect, cr.sentiment_coverage)
        assert "**Not measured reliably:**" in views.crisis.its_markdown(its) or pd.isna(its["its_level_change"])
        assert "**Not measured reliably:**" in views.crisis.detection_markdown(cr, "UTC")
    else:
        assert "reliably" not in views.crisis.detection_markdown(cr, "UTC")


def test_unread_figures_trigger_no_recommendation():
    from helpers.publish.recommend import FindingsView, load_targets, recommend
    data, cr = _step_crisis(0.3)
    f = {**crisis.phase_findings(cr), "recovery_hours": 300.0, "first_response_hours": 9.0}
    fired = {rec.rule for rec in recommend(FindingsView(f), load_targets())}
    assert "crisis_slow_recovery" not in fired and "crisis_slow_response" in fired  # response time needs no scorer
    f.update(crisis.phase_findings(_step_crisis(1.0)[1]), recovery_hours=300.0)
    assert "crisis_slow_recovery" in {rec.rule for rec in recommend(FindingsView(f), load_targets())}


# --------------------------------------------------------------------------------------------------
# shapes real exports have (issue 14, item 7)


def test_members_only_export_locates_a_crisis_without_a_first_response():
    """No organisation message at all: locating works (no KeyError on the empty statements), the first
    response and reply effect are unknown, and the page says why instead of advising statements."""
    data, start = _planted_step(4.0)
    data.messages["channel"], data.messages["language"] = "facebook", "en"
    data.dataset = Dataset(messages=data.messages, campaigns=empty_table("campaigns"),
                           incidents=empty_table("incidents"), audience=empty_table("audience"))
    cr = crisis.locate(data)
    assert cr.detected and cr.organisation_messages == 0
    assert cr.statements.empty and list(cr.statements.columns) == ["message_id", "channel", "created_at",
                                                                  "language", "text"]
    assert crisis.phase_findings(cr)["first_response_hours"] is None or math.isnan(
        crisis.phase_findings(cr)["first_response_hours"])
    assert "No brand messages in this export" in views.crisis.detection_markdown(cr, "UTC")
    effect = crisis.reply_effect(data, cr)
    assert effect["organisation_messages"] == 0 and math.isnan(effect["reply_effect"])
    assert crisis.section_findings(effect=effect)["organisation_messages"] == 0
    assert "No brand messages in this export" in views.crisis.reply_markdown(effect)
    its = crisis.interrupted_time_series(cr)
    lessons = views.crisis.lessons(cr, its, crisis.community_defence(data, cr), effect, 1.0)
    assert "No official statement" not in lessons


def test_a_period_shorter_than_the_baseline_cannot_tell_whether_there_was_a_crisis():
    short = _series_data(_daily(5 * 24, 4.0), np.full(5 * 24, 0.2))
    cr = crisis.locate(short, baseline_days=14)
    assert not cr.detected and not cr.detectable
    assert crisis.phase_findings(cr)["crisis_detected"] is None
    assert "cannot be computed" in views.crisis.detection_markdown(cr, "UTC")
    assert "No crisis detected" not in views.crisis.lessons(cr, {}, {}, {}, 1.0)
    # long enough for its baseline: a quiet period is a real "no crisis"
    quiet = crisis.locate(_series_data(_daily(40 * 24, 4.0), np.full(40 * 24, 0.2)), baseline_days=14)
    assert quiet.detectable and crisis.phase_findings(quiet)["crisis_detected"] is False


def test_unknown_recovery_gives_no_lesson_when_nothing_was_scored():
    cr = crisis.Crisis(detected=True, reason="", onset_at=T0, organisation_messages=5)
    assert "had not recovered" not in views.crisis.lessons(cr, {}, {}, {}, 0.0)
    scored = crisis.Crisis(detected=True, reason="", onset_at=T0, organisation_messages=5,
                           peak_negative_share=0.5, band_upper=0.3)
    assert "had not recovered" in views.crisis.lessons(scored, {}, {}, {}, 0.9)
