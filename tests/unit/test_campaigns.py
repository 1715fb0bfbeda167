"""helpers.campaigns and the campaign truth of helpers.synth: definitions, edge cases, planted options."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import campaigns as cp
from helpers import synth
from helpers import plots, views
from helpers.synth import CampaignSpec, SynthOptions


@pytest.fixture(scope="module")
def sample(shared_dataset):
    return shared_dataset


@pytest.fixture(scope="module")
def data(sample):
    return cp.prepare(sample[0])


@pytest.fixture(scope="module")
def cohorts(data):
    return cp.member_cohorts(data)


def test_prepare_lists_initiatives_without_notes(data, sample):
    _, truth = sample
    assert list(data.initiatives["campaign_id"]) == list(truth["initiatives"])
    assert set(data.initiatives["short"]) == {"paid", "community"}
    assert data.initiatives["lift_ok"].all() and data.notes == [] and data.overlaps == []
    assert (data.initiatives["days"] == [truth["initiatives"][c]["window_days"]
                                        for c in data.initiatives["campaign_id"]]).all()
    assert "No edge cases" in views.campaigns.status_markdown(data)


def test_retention_and_costs_use_the_documented_definitions(data, cohorts, sample):
    _, truth = sample
    ret = cp.retention_table(cohorts, data.retention_days).set_index("cohort")
    for short in ("paid", "community", "organic"):
        assert ret.loc[short, "retention"] == pytest.approx(truth[f"retention_{short}"], abs=1e-9)
        assert ret.loc[short, "n"] == truth[f"retention_{short}_n"]
        assert ret.loc[short, "ci_low"] < ret.loc[short, "retention"] < ret.loc[short, "ci_high"]
    ladder = cp.ladder_table(data, cohorts)
    costs = cp.cost_table(data, ladder, cohorts).set_index(["kind", "per"])
    for short in ("paid", "community"):
        for per in ("engaged", "retained"):
            assert costs.loc[(short, f"{per} member"), "cost"] == pytest.approx(
                truth[f"cost_per_{per}_member_{short}"], rel=1e-9)


def test_planted_retention_ordering(sample):
    _, truth = sample
    assert truth["retention_paid"] < truth["retention_organic"] < truth["retention_community"]


def test_ladder_is_tidy_and_complete(data, cohorts):
    ladder = cp.ladder_table(data, cohorts)
    assert list(ladder.columns) == ["campaign_id", "kind", "level", "metric", "value", "ci_low", "ci_high", "n",
                                    "unit"]
    assert set(ladder["level"]) == {"output", "out-take", "outcome"}
    per = ladder.groupby("campaign_id")["metric"].nunique()
    assert (per == per.iloc[0]).all() and len(per) == len(data.initiatives)
    posts = ladder[ladder["metric"] == "posts"].set_index("campaign_id")["value"]
    for cid, n in posts.items():
        msgs = data.messages
        assert n == (msgs["campaign_id"].eq(cid).fillna(False) & msgs["author_role"].eq("brand")).sum()
    wide = views.campaigns.ladder_wide(ladder)
    assert list(wide.columns) == list(data.initiatives["campaign_id"])


def test_post_table_and_rate_ratios(data, sample):
    _, truth = sample
    posts = cp.post_table(data)
    assert set(posts["group"]) == {"paid", "community", "organic"}
    assert posts["comments"].ge(0).all() and posts["hour"].between(0, 23).all()
    rr = cp.engagement_rate_ratios(posts).set_index("group")
    for short in ("paid", "community"):
        assert rr.loc[short, "rate_ratio"] > 1  # planted factors are > 1
    for short in ("paid", "community"):
        # one small dataset (8,000 messages, ~50 community posts): close, not exact; coverage is checked on
        # fresh seeds by tests/notebooks/test_notebook_campaigns.py
        assert rr.loc[short, "rate_ratio"] == pytest.approx(truth[f"engagement_rate_ratio_{short}"], rel=0.25)
    assert rr.loc["community", "ci_low"] > 1


def test_lifts_and_findings_values(data, cohorts, sample):
    _, truth = sample
    lift = cp.lifts(data)
    tab = cp.lift_table(data, lift)
    assert len(tab) == 3 * len(data.initiatives) and tab["note"].eq("").all()
    ret = cp.retention_table(cohorts, data.retention_days)
    rr = cp.engagement_rate_ratios(cp.post_table(data))
    costs = cp.cost_table(data, cp.ladder_table(data, cohorts), cohorts)
    found = cp.findings_values(data, lift, ret, rr, costs)
    for key in ("retention_paid", "retention_community", "retention_organic", "engagement_rate_ratio_paid",
                "engagement_rate_ratio_community", "cost_per_retained_member_paid",
                "cost_per_retained_member_community", "retention_paid_ci_low", "retention_paid_ci_high"):
        assert key in found and key in truth or key.endswith(("_ci_low", "_ci_high"))
    for cid, entry in found["initiatives"].items():
        assert entry["kind"] == truth["initiatives"][cid]["kind"]
        assert entry["engagement_lift"] > 0
        assert entry["engagement_lift_ci_low"] < entry["engagement_lift"] < entry["engagement_lift_ci_high"]
    text = views.campaigns.verdict(data, ret, costs, rr, tab)
    assert "Caveats" in text and "retained" in text


# -- edge cases: a clear message, never a traceback ---------------------------------------------------

def test_no_campaigns_in_range(sample):
    folder, _ = sample
    data = cp.prepare(folder, start="2025-01-05", end="2025-02-20")  # before the first campaign (day 60)
    assert not data.has_initiatives
    assert any("No paid campaign or community programme" in n for n in data.notes)
    cohorts = cp.member_cohorts(data)
    ret = cp.retention_table(cohorts, data.retention_days)
    ladder = cp.ladder_table(data, cohorts)
    costs = cp.cost_table(data, ladder, cohorts)
    rr = cp.engagement_rate_ratios(cp.post_table(data))
    lift = cp.lifts(data)
    tab = cp.lift_table(data, lift)
    assert ladder.empty and costs.empty and rr.empty and lift == {} and tab.empty
    assert views.campaigns.verdict(data, ret, costs, rr, tab).startswith("**No verdict.**")
    assert "no initiative" in views.campaigns.lift_note(data, lift).lower()
    found = cp.findings_values(data, lift, ret, rr, costs)
    assert found["initiatives"] == {} and found["notes"] and found["engagement_rate_ratio_paid"] is None


def test_short_pre_period_is_skipped_with_reason(sample):
    folder, _ = sample
    data = cp.prepare(folder, start="2025-02-20", campaign_ids=["C01", "C02"])  # C01 starts 2025-03-02
    row = data.initiatives.set_index("campaign_id").loc["C01"]
    assert not row["lift_ok"] and row["pre_days_available"] == 10
    assert any("C01" in n and "fewer than pre_period_days" in n for n in data.notes)
    lift = cp.lifts(data)
    assert lift["C01"]["skipped"] and "engagement" not in lift["C01"]
    assert lift["C02"]["engagement"] is not None
    assert "C01 skipped" in views.campaigns.lift_note(data, lift)


def test_unknown_campaign_ids_are_noted(sample):
    folder, _ = sample
    data = cp.prepare(folder, campaign_ids=["C02", "NOPE"])
    assert list(data.initiatives["campaign_id"]) == ["C02"]
    assert any("'NOPE' is not in the campaigns table" in n for n in data.notes)


def test_overlapping_windows_are_flagged(tmp_path):
    camps = [
        CampaignSpec("P1", "Paid one", "paid_campaign", "facebook", 50, 20, 1000.0, "reach"),
        CampaignSpec("K1", "Club", "community_programme", "facebook", 60, 21, 200.0, "ugc"),
        CampaignSpec("P2", "Early", "paid_campaign", "instagram", 10, 14, 500.0, "reach"),
    ]
    synth.write_synthetic(tmp_path, seed=9, n_messages=3000, months=6,
                          options=SynthOptions(campaigns=camps, incidents=[]))
    data = cp.prepare(tmp_path)
    text = " ".join(data.overlaps)
    assert "P1 and K1 overlap in time on the same channel" in text
    assert "pre-period of K1 contains P1" in text
    assert not data.initiatives.set_index("campaign_id").loc["P2", "lift_ok"]
    cohorts = cp.member_cohorts(data)
    assert (cohorts["cohort"] == "overlap").any()
    assert "overlap(s) flagged" in views.campaigns.verdict(data, cp.retention_table(cohorts, 60), pd.DataFrame(
        columns=["kind", "per"]), pd.DataFrame(), cp.lift_table(data, cp.lifts(data)))


@pytest.mark.parametrize("kwargs, match", [
    ({"pre_period_days": 5}, "pre_period_days"),
    ({"retention_days": 0}, "retention_days"),
    ({"start": "2025-06-01", "end": "2025-05-01"}, "after end"),
    ({"brand": "Nobody"}, "does not occur"),
])
def test_invalid_parameters_raise_campaign_error(sample, kwargs, match):
    with pytest.raises(cp.CampaignError, match=match):
        cp.prepare(sample[0], **kwargs)


# -- generator options -----------------------------------------------------------------------------------

def test_effects_are_options_and_change_the_truth():
    def truth_for(**effects):
        spec = CampaignSpec("X1", "Test", "community_programme", "facebook", 60, 21, 100.0, "ugc", effects=effects)
        _, t = synth.generate(seed=4, n_messages=3000, months=5, options=SynthOptions(campaigns=[spec], incidents=[]))
        return t["initiatives"]["X1"]

    none = truth_for(comment_multiplier=1.0, ugc_multiplier=1.0, reply_multiplier=1.0, extra_posts_per_day=0.0,
                     reach_multiplier=1.0)
    big = truth_for(comment_multiplier=3.0, ugc_multiplier=3.0, reply_multiplier=1.0, extra_posts_per_day=0.0,
                    reach_multiplier=1.5, tag_share=1.0)
    assert none["engagement_lift"] == pytest.approx(0.0, abs=1e-9)
    assert none["reach_lift"] == pytest.approx(0.0, abs=1e-3)
    assert big["engagement_lift"] == pytest.approx(2.0, abs=1e-6)  # every expected message ×3
    assert big["reach_lift"] == pytest.approx(0.5, abs=1e-3)  # every post on the channel tagged, ×1.5


def test_generator_version_bumped_and_truth_keys_present(sample):
    _, truth = sample
    assert tuple(int(x) for x in synth.GENERATOR_VERSION.split(".")[:2]) >= (1, 1)  # campaign effects: 1.1
    for key in ("initiatives", "retention_paid", "retention_community", "retention_organic",
                "engagement_rate_ratio_paid", "engagement_rate_ratio_community", "cost_per_retained_member_paid",
                "cost_per_retained_member_community", "retention_days"):
        assert key in truth
    assert all(not math.isnan(v["engagement_lift"]) for v in truth["initiatives"].values())


# -- charts ----------------------------------------------------------------------------------------------

def test_campaign_charts_have_titles_units_and_alt_text(data, cohorts):
    lift = cp.lifts(data, metrics=("engagement",))
    figs = [fig for _, fig in plots.lift_figures(data, lift)]
    ret = cp.retention_table(cohorts, data.retention_days)
    costs = cp.cost_table(data, cp.ladder_table(data, cohorts), cohorts)
    figs += [plots.rate_ratio_forest(cp.engagement_rate_ratios(cp.post_table(data))),
             plots.retention_bars(ret, data.retention_days),
             plots.survival_curves_plot(cp.survival_curves(cohorts), data.retention_days),
             plots.cost_per_member_bars(costs)]
    assert len(figs) == len(data.initiatives) + 4
    for fig in figs:
        ax = fig.axes[0]
        assert ax.get_title(loc="left") and ax.get_ylabel()
        assert len(plots.describe(fig)) > 40
    assert "%" in plots.describe(figs[-3])  # retention shares in the alt text
    empty = [plots.rate_ratio_forest(pd.DataFrame()), plots.retention_bars(ret.iloc[0:0], 60),
             plots.survival_curves_plot(pd.DataFrame(), 60), plots.cost_per_member_bars(costs.iloc[0:0]),
             plots.lift_observed_vs_predicted(pd.DataFrame(), "t", "messages")]
    assert all("no data" in plots.describe(f) for f in empty)
