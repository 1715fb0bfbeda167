"""Rules over findings: findings in, recommendations out (constructed findings dicts, no notebook runs)."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

from helpers.publish import recommend as r
from builders import audience
from helpers.publish.recommend import FindingsView, fmt_date, fmt_hours, fmt_int, fmt_number, fmt_share, recommend

ROOT = Path(__file__).resolve().parents[2]
TARGETS = r.load_targets(r.DEFAULT_TARGETS)


def rules_fired(findings, language="en") -> dict[str, r.Recommendation]:
    return {rec.rule: rec for rec in recommend(FindingsView(findings), TARGETS, language)}


# ---------------------------------------------------------------------------------------- shift rule


def test_evening_gap_names_its_findings_in_both_languages():
    en = rules_fired(audience())["response_gap_by_shift"]
    assert en.severity == "red"  # 12.7 h is beyond the amber bound of 8 h
    assert "12.7 hr against a 2.0 hr target" in en.text
    assert "evening (18:00–23:59)" in en.text and "15.9 hr" in en.text and "4.7 hr" in en.text
    assert "staff the evening shift" in en.text
    assert en.findings == ["median_first_response_hours", "median_first_response_hours_evening",
                           "median_first_response_hours_day"]
    assert en.evidence[1] == "median_first_response_hours_evening = 15.9 hr"
    assert en.section == "response-standards"
    ru = rules_fired(audience(), "ru")["response_gap_by_shift"]
    assert "12,7 ч" in ru.text and "вечером (18:00–23:59)" in ru.text and "вечернюю смену" in ru.text
    assert "n = 1\u00a0302" in ru.text


def test_shift_rule_replaces_the_generic_slow_response_rule():
    fired = rules_fired(audience())
    assert "response_gap_by_shift" in fired and "slow_first_response" not in fired


def test_no_shift_gap_gives_the_generic_rule():
    flat = audience(median_first_response_hours_evening=5.0, median_first_response_hours_evening_ci_low=4.6,
                    median_first_response_hours_evening_ci_high=5.4, median_first_response_hours_night=5.1,
                    median_first_response_hours_night_ci_low=4.7, median_first_response_hours_night_ci_high=5.5)
    fired = rules_fired(flat)
    assert "response_gap_by_shift" not in fired
    generic = fired["slow_first_response"]
    assert generic.findings == ["median_first_response_hours"]
    assert "95 % CI 12.2 hr–13.1 hr, n = 4,146" in generic.text


def test_overlapping_shift_intervals_do_not_fire():
    # evening is 1.6x the day median but the intervals overlap: not a clear gap
    f = audience(median_first_response_hours_day=6.0, median_first_response_hours_day_ci_low=4.0,
                 median_first_response_hours_day_ci_high=12.0, median_first_response_hours_evening=10.0,
                 median_first_response_hours_evening_ci_low=8.0, median_first_response_hours_evening_ci_high=14.0,
                 median_first_response_hours_night=None)
    assert "response_gap_by_shift" not in rules_fired(f)


def test_night_gap_suggests_on_call_or_acknowledgement():
    f = audience(median_first_response_hours_evening=5.0, median_first_response_hours_evening_ci_low=4.6,
                 median_first_response_hours_evening_ci_high=5.4, median_first_response_hours_night=14.0,
                 median_first_response_hours_night_ci_low=13.0, median_first_response_hours_night_ci_high=15.0)
    rec = rules_fired(f)["response_gap_by_shift"]
    assert "night (00:00–07:59)" in rec.text and "on-call" in rec.text
    assert "median_first_response_hours_night" in rec.findings


def test_shift_rule_falls_back_to_the_hour_table():
    base = {k: v for k, v in audience().items() if "_hours_" not in k or k.endswith("_ci_low") is False}
    base = {k: v for k, v in base.items() if not any(s in k for s in ("_night", "_day", "_evening"))}
    by_hour = {str(h): {"n": 100, "answered": 80, "median_hours": 3.0 if 8 <= h < 18 else 16.0 if h >= 18 else 6.0}
               for h in range(24)}
    rec = rules_fired({**base, "first_response_by_hour": by_hour})["response_gap_by_shift"]
    assert rec.findings == ["median_first_response_hours", "first_response_by_hour"]
    assert "16.0 hr" in rec.text and "3.0 hr" in rec.text


def test_fast_median_fires_no_response_rule():
    fired = rules_fired(audience(median_first_response_hours=1.5))
    assert "response_gap_by_shift" not in fired and "slow_first_response" not in fired


# ---------------------------------------------------------------------------------------- other rules


def test_response_rate_rule_counts_unanswered():
    rec = rules_fired(audience())["low_response_rate"]
    assert rec.severity == "amber" and rec.findings == ["response_rate", "n_openers"]
    assert "1,613 of 5,759" in rec.text
    assert "low_response_rate" not in rules_fired(audience(response_rate=0.9))


def test_missed_questions_uses_the_derived_share():
    rec = rules_fired(audience())["missed_questions"]
    assert rec.findings[:3] == ["unanswered_question_share", "unanswered_questions", "questions"]
    assert "367 of 1,266" in rec.text and "29%" in rec.text
    assert "missed_questions" not in rules_fired(audience(unanswered_questions=20))  # 1.6 % < 5 %


def test_negative_share_rule_says_when_the_whole_interval_is_above_target():
    assert "whole interval" not in rules_fired(audience())["high_negative_share"].text
    sure = rules_fired(audience(negative_share=0.35, negative_share_ci_low=0.31, negative_share_ci_high=0.39))
    assert sure["high_negative_share"].severity == "red"
    assert "whole interval is above the target" in sure["high_negative_share"].text


def test_low_coverage_and_languages():
    fired = rules_fired(audience())
    assert "20%" in fired["low_sentiment_coverage"].text
    assert "ru 44%, az 35%, en 20%" in fired["multilingual_audience"].text
    mono = rules_fired(audience(language_mix={"en": 0.97, "und": 0.03}, sentiment_coverage=0.95))
    assert "multilingual_audience" not in mono and "low_sentiment_coverage" not in mono


def test_campaign_rules():
    f = {"retention_community": 0.42, "retention_community_ci_low": 0.37, "retention_community_ci_high": 0.47,
         "retention_paid": 0.18, "retention_paid_ci_low": 0.14, "retention_paid_ci_high": 0.22,
         "cost_per_retained_member_paid": 41.0, "cost_per_retained_member_community": 9.5,
         "initiatives": {"C01": {"kind": "paid_campaign", "engagement_lift": 0.05, "engagement_lift_ci_low": -0.1,
                                 "engagement_lift_ci_high": 0.2},
                         "C02": {"kind": "community_programme", "engagement_lift": 0.6,
                                 "engagement_lift_ci_low": 0.4, "engagement_lift_ci_high": 0.8},
                         "C03": "not a mapping"}}
    fired = rules_fired(f)
    assert "42%" in fired["community_retains_better"].text and "18%" in fired["community_retains_better"].text
    assert fired["paid_retains_worse_cost"].findings == ["cost_per_retained_member_paid",
                                                         "cost_per_retained_member_community"]
    assert "(C01)" in fired["initiatives_without_lift"].text and "C02" not in fired["initiatives_without_lift"].text
    overlap = dict(f, retention_community_ci_low=0.2)  # intervals overlap: no claim
    assert "community_retains_better" not in rules_fired(overlap)


def test_crisis_rules():
    f = {"crisis_detected": True, "onset_at": "2025-05-10T18:00:00+00:00", "first_response_hours": 6.5,
         "recovery_hours": 200.0, "defender_share": 0.04, "defender_share_established": 0.09,
         "reply_effect": 0.12, "reply_effect_ci_low": 0.05, "reply_effect_ci_high": 0.2}
    fired = rules_fired(f)
    assert fired["crisis_slow_response"].severity == "red" and "6.5 hr" in fired["crisis_slow_response"].text
    assert fired["crisis_slow_recovery"].severity == "red"
    assert fired["crisis_defenders"].findings == ["defender_share"] and "4.0%" in fired["crisis_defenders"].text
    # reply_effect: member sentiment after − before a reply on −1..+1; > 0 means calmer
    assert fired["crisis_reply_effect"].severity == "info" and "calmed" in fired["crisis_reply_effect"].text
    assert "+0.12 on a −1…+1 scale (95 % CI +0.05 to +0.20)" in fired["crisis_reply_effect"].text
    worse = rules_fired(dict(f, reply_effect=-0.1, reply_effect_ci_low=-0.2, reply_effect_ci_high=-0.03))
    assert worse["crisis_reply_effect"].severity == "red" and "-0.10" in worse["crisis_reply_effect"].text
    assert "−0,10" in rules_fired(dict(f, reply_effect=-0.1, reply_effect_ci_low=-0.2, reply_effect_ci_high=-0.03),
                                   "ru")["crisis_reply_effect"].text
    unclear = rules_fired(dict(f, reply_effect_ci_low=-0.02))
    assert "crisis_reply_effect" not in unclear
    assert "crisis_scct_strategy" not in fired
    scct = rules_fired(dict(f, crisis_type="Preventable"))["crisis_scct_strategy"]
    assert scct.findings == ["crisis_type"] and "full apology" in scct.text and scct.section == "strategies"
    assert scct.evidence == ["crisis_type = Preventable"]
    assert "«предотвратимый»" in rules_fired(dict(f, crisis_type="preventable"), "ru")["crisis_scct_strategy"].text
    assert "crisis_scct_strategy" not in rules_fired(dict(f, crisis_type="<b>odd</b>"))
    none = rules_fired(dict(f, crisis_detected=False, crisis_type="victim"))
    assert not any(k.startswith("crisis_") for k in none)
    ru = rules_fired(f, "ru")
    assert "6,5 ч" in ru["crisis_slow_response"].text


# ---------------------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("findings", [
    {},
    {"_meta": {"notebook": "x"}},
    {"median_first_response_hours": None, "response_rate": "n/a", "language_mix": "ru", "initiatives": [1, 2],
     "questions": float("nan"), "question_clusters": True, "first_response_by_hour": {"3": "x", "4": None}},
])
def test_missing_or_odd_findings_give_no_recommendations(findings):
    for lang in ("en", "ru"):
        assert recommend(FindingsView(findings), TARGETS, lang) == []
        assert r.headline_numbers(FindingsView(findings), TARGETS, lang) == []


def test_every_recommendation_names_present_findings_and_fills_its_template():
    everything = {**audience(), "crisis_detected": True, "first_response_hours": 9.0, "recovery_hours": 300.0,
                  "defender_share": 0.02, "reply_effect": -0.1, "reply_effect_ci_low": -0.2,
                  "reply_effect_ci_high": -0.05, "retention_community": 0.4, "retention_community_ci_low": 0.35,
                  "retention_community_ci_high": 0.45, "retention_paid": 0.1, "retention_paid_ci_low": 0.05,
                  "retention_paid_ci_high": 0.15}
    view = FindingsView(everything)
    for lang in ("en", "ru"):
        recs = recommend(view, TARGETS, lang)
        assert len(recs) >= 12
        severities = [x.severity for x in recs]
        assert severities == sorted(severities, key={"red": 0, "amber": 1, "info": 2}.get)
        for rec in recs:
            assert rec.findings, rec.rule
            assert all(k in view for k in rec.findings), (rec.rule, rec.findings)
            assert not re.search(r"[{}]|\bNone\b|\bnan\b|n/a|н/д", rec.text), (rec.rule, rec.text)
            assert len(rec.evidence) == len(rec.findings)


def test_rules_run_on_an_empty_targets_file():
    assert all(rec.rule in {"recurring_questions", "multilingual_audience", "concentrated_participation"}
               for rec in recommend(FindingsView(audience()), {}, "en"))


# ---------------------------------------------------------------------------------------- targets and lights


def test_lights_follow_the_stated_rule():
    t = TARGETS["median_first_response_hours"]
    assert [t.light(v) for v in (1.0, 2.0, 2.01, 8.0, 8.01, None)] == ["green", "green", "amber", "amber", "red", "none"]
    rate = TARGETS["response_rate"]
    assert [rate.light(v) for v in (0.9, 0.8, 0.7, 0.6, 0.59)] == ["green", "green", "amber", "amber", "red"]
    assert t.rule_text("en") == "green ≤ 2.0 hr; amber ≤ 8.0 hr; red above"
    assert rate.rule_text("ru") == "зелёный ≥ 80\u00a0%; жёлтый ≥ 60\u00a0%; красный — ниже"


def test_config_targets_file_matches_the_defaults():
    from_file = r.load_targets(ROOT / "config" / "targets.yml")
    assert from_file == r.load_targets(r.DEFAULT_TARGETS)


def test_bad_targets_name_the_file_and_key(tmp_path):
    bad = tmp_path / "t.yml"
    bad.write_text(yaml.safe_dump({"targets": {"response_rate": {"direction": "up", "target": 0.8}}}))
    with pytest.raises(ValueError, match=r"t\.yml.*response_rate"):
        r.load_targets(bad)
    bad.write_text(yaml.safe_dump({"targets": {"response_rate": {"direction": "min", "target": 0.8, "amber": 0.9}}}))
    with pytest.raises(ValueError, match="stricter"):
        r.load_targets(bad)
    with pytest.raises(ValueError, match="not found"):
        r.load_targets(tmp_path / "missing.yml")


def test_assess_reports_uncertainty_when_the_ci_crosses_the_target():
    statuses = {s.key: s for s in r.assess(FindingsView(audience()), TARGETS)}
    assert statuses["negative_share"].light == "amber" and statuses["negative_share"].uncertain
    assert statuses["median_first_response_hours"].light == "red" and not statuses["median_first_response_hours"].uncertain
    assert "first_response_hours" not in statuses  # crisis notebook not run: no light


def test_headlines_carry_n_and_ci():
    rows = r.headline_numbers(FindingsView(audience()), TARGETS, "en")
    assert 5 <= len(rows) <= 8
    first = rows[0]
    assert first["key"] == "median_first_response_hours" and first["n"] == "4,146"
    assert first["ci"] == "12.2 hr – 13.1 hr" and first["light"] == "red"
    assert all(row["n"] for row in rows if row["key"] != "messages_analysed")


# ---------------------------------------------------------------------------------------- formatting


def test_locale_formatting():
    # every separator, sign, unit and month name is Babel's (CLDR), for en, ru and az
    assert fmt_number(12010.5, "en") == "12,010.5"
    assert fmt_number(12010.5, "ru") == "12\u00a0010,5" and fmt_number(12010.5, "az") == "12.010,5"
    assert fmt_int(1234, "ru") == "1\u00a0234" and fmt_int(1234, "en") == "1,234" and fmt_int(1234, "az") == "1.234"
    assert fmt_number(-3.25, "ru", 2) == "−3,25" and fmt_number(12.65, "en") == "12.7"  # half away from zero
    assert fmt_share(0.0776, "en") == "7.8%" and fmt_share(0.72, "ru") == "72\u00a0%" and fmt_share(0.72, "az") == "72%"
    assert fmt_hours(7.5, "ru") == "7,5 ч" and fmt_hours(7.5, "az") == "7,5 saat" and fmt_hours(math.nan, "en") == "n/a"
    assert fmt_date("2026-03-01T10:00:00+00:00", "ru") == "1 марта 2026\u202fг."
    assert fmt_date("2026-11-25", "en") == "November 25, 2026" and fmt_date("2026-11-25", "az") == "25 noyabr 2026"
    assert r.fmt_datetime("2025-05-10T21:30:00+03:00", "en") == "May 10, 2025, 18:30 UTC"
    assert fmt_date("garbage", "ru") == "н/д" and fmt_date("garbage", "az") == "m/y"
    with pytest.raises(ValueError):
        fmt_number(1, "de")


# ---------------------------------------------------------------------------------------- the shift findings


def test_shift_responsiveness_on_constructed_openers():
    import numpy as np
    import pandas as pd

    from helpers import metrics

    # local (Asia/Baku, UTC+4) hours: 3 night openers, 4 day openers, 3 evening openers (one unanswered)
    local = ["2025-03-03 02:00", "2025-03-03 05:00", "2025-03-03 07:59", "2025-03-03 08:00", "2025-03-03 10:00",
             "2025-03-03 12:00", "2025-03-03 17:59", "2025-03-03 18:00", "2025-03-03 20:00", "2025-03-03 23:30"]
    created = pd.to_datetime(local).tz_localize("Asia/Baku").tz_convert("UTC")
    hours = [7.0, 4.0, 1.0, 0.5, 1.5, 2.5, 3.0, 14.0, np.nan, 10.0]
    fr = pd.DataFrame({"message_id": [f"m{i}" for i in range(10)], "channel": "facebook", "created_at": created,
                       "author_id": "a", "answered": [not np.isnan(h) for h in hours],
                       "first_response_at": pd.NaT, "response_hours": hours})
    out = metrics.shift_responsiveness(fr, "Asia/Baku")
    assert out["median_first_response_hours_night"] == 4.0 and out["median_first_response_hours_night_n"] == 3
    assert out["median_first_response_hours_day"] == 2.0 and out["median_first_response_hours_day_n"] == 4
    assert out["median_first_response_hours_evening"] == 12.0 and out["median_first_response_hours_evening_n"] == 2
    assert out["openers_evening"] == 3
    assert out["median_first_response_hours_day_ci_low"] <= 2.0 <= out["median_first_response_hours_day_ci_high"]
    empty = metrics.shift_responsiveness(fr.iloc[:0], "UTC")
    assert math.isnan(empty["median_first_response_hours_day"]) and empty["openers_day"] == 0
    # in UTC the same openers fall into other shifts: the timezone is honoured
    assert metrics.shift_responsiveness(fr, "UTC")["openers_night"] != out["openers_night"]


# ---------------------------------------------------------------------------------------- reliability


def test_unreliable_figures_get_no_light_and_no_recommendation():
    """Issue 14 item 2: a figure marked ``_reliable: false`` shows "not measured reliably", triggers nothing."""
    shaky = audience(negative_share=0.4, negative_share_ci_low=0.35, negative_share_ci_high=0.45,
                     negative_share_reliable=False,
                     negative_share_reliable_reason="the sentiment scorer read 20% of the member messages")
    assert "high_negative_share" in rules_fired(audience(negative_share=0.4, negative_share_ci_low=0.35,
                                                         negative_share_ci_high=0.45))
    assert "high_negative_share" not in rules_fired(shaky)
    statuses = {s.key: s for s in r.assess(FindingsView(shaky), TARGETS)}
    assert statuses["negative_share"].light == "unreliable"
    for lang, words in (("en", "not measured reliably"), ("ru", "не измерено надёжно"), ("az", "etibarlı ölçülməyib")):
        row = {h["key"]: h for h in r.headline_numbers(FindingsView(shaky), TARGETS, lang)}["negative_share"]
        assert row["light"] == "unreliable" and not row["reliable"] and row["reliable_reason"] == words
        assert row["value"]  # the number itself is still shown, with the caveat instead of a light
    # a figure marked reliable (or never marked) keeps its light
    assert {s.key: s for s in r.assess(FindingsView(dict(shaky, negative_share_reliable=True)), TARGETS)
            }["negative_share"].light in ("green", "amber", "red")
