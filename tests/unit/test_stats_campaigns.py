"""helpers.stats campaign models (issue 3) on small constructed data with known answers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import stats


def _days(n: int) -> pd.DatetimeIndex:
    return pd.date_range("2025-01-06", periods=n, freq="D")  # a Monday


# -- rate ratios (negative binomial) ---------------------------------------------------------------

def _posts(ratio_b: float, n: int = 1500, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.choice(["organic", "b", "c"], size=n, p=[0.6, 0.2, 0.2])
    channel = rng.choice(["x", "y"], size=n)
    weekday = rng.integers(0, 7, n)
    mu = 4.0 * np.where(group == "b", ratio_b, 1.0) * np.where(channel == "y", 2.0, 1.0) * (1 + 0.1 * (weekday == 0))
    y = rng.negative_binomial(5, 5 / (5 + mu))  # NB2 with mean mu, alpha 0.2
    return pd.DataFrame({"comments": y, "group": group, "channel": channel, "weekday": weekday,
                         "t": rng.random(n)})


def test_rate_ratios_recover_a_planted_ratio():
    rr = stats.rate_ratios(_posts(2.0), "comments", "group", "organic", controls=("channel", "weekday"),
                           numeric_controls=("t",)).set_index("group")
    assert rr.loc["b", "ci_low"] < 2.0 < rr.loc["b", "ci_high"]
    assert rr.loc["b", "rate_ratio"] == pytest.approx(2.0, rel=0.1)
    assert rr.loc["c", "ci_low"] < 1.0 < rr.loc["c", "ci_high"]  # no effect planted for c
    assert rr.loc["b", "model"] == "negative binomial"
    assert rr.loc["b", "n"] + rr.loc["c", "n"] + rr.loc["b", "n_reference"] == 1500


def test_rate_ratios_confounded_by_channel_without_control():
    df = _posts(1.0, seed=1)
    df.loc[df["group"] == "b", "channel"] = "y"  # b posts only on the busy channel
    df["comments"] = np.random.default_rng(2).poisson(4.0 * np.where(df["channel"] == "y", 2.0, 1.0))
    raw = stats.rate_ratios(df, "comments", "group", "organic").set_index("group")
    adjusted = stats.rate_ratios(df, "comments", "group", "organic", controls=("channel",)).set_index("group")
    assert raw.loc["b", "ci_low"] > 1.2  # 8 vs a mix of 4 and 8: about 1.33 when not controlled
    assert adjusted.loc["b", "ci_low"] < 1.0 < adjusted.loc["b", "ci_high"]


def test_rate_ratios_without_reference_or_levels_are_empty():
    df = _posts(1.5)
    assert stats.rate_ratios(df[df["group"] != "organic"], "comments", "group", "organic").empty
    assert stats.rate_ratios(df[df["group"] == "organic"], "comments", "group", "organic").empty


# -- counterfactual lift -----------------------------------------------------------------------------

def _series(lift: float, seed: int, n_pre: int = 28, n_win: int = 21,
            trend: float = 0.0) -> tuple[pd.Series, pd.Timestamp]:
    rng = np.random.default_rng(seed)
    idx = _days(n_pre + n_win)
    week = np.array([1.2, 1.1, 1.0, 1.0, 1.0, 0.8, 0.7])[idx.day_of_week]
    lam = 12.0 * week * (1 + trend * np.arange(len(idx)))
    lam[n_pre:] *= 1 + lift
    return pd.Series(rng.poisson(lam).astype(float), index=idx), idx[n_pre]


def test_counterfactual_lift_covers_planted_lift():
    covered = []
    for seed in range(20):
        y, w0 = _series(0.5, seed)
        est = stats.counterfactual_lift(y, w0, w0 + pd.Timedelta(days=21), pre_period_days=28)
        covered.append(est.rel_ci_low <= 0.5 <= est.rel_ci_high)
        assert est.n_pre_days == 28 and est.n_days == 21
        assert est.abs_lift == pytest.approx(est.observed - est.predicted)
    assert sum(covered) >= 17  # nominal 95 %


def test_counterfactual_lift_without_effect_includes_zero_and_is_deterministic():
    y, w0 = _series(0.0, 3)
    a = stats.counterfactual_lift(y, w0, w0 + pd.Timedelta(days=21))
    b = stats.counterfactual_lift(y, w0, w0 + pd.Timedelta(days=21))
    assert a.rel_ci_low < 0 < a.rel_ci_high
    assert a.rel_lift == b.rel_lift and a.rel_ci_low == b.rel_ci_low
    assert set(a.series["period"]) == {"pre", "window"} and len(a.series) == 49


def test_counterfactual_lift_of_a_constant_series_is_exact():
    idx = _days(49)
    y = pd.Series(10.0, index=idx)
    y[28:] = 15.0
    est = stats.counterfactual_lift(y, idx[28], idx[-1] + pd.Timedelta(days=1))
    assert est.predicted == pytest.approx(210.0, rel=1e-3)
    assert est.rel_lift == pytest.approx(0.5, rel=1e-3)


def test_counterfactual_lift_masks_excluded_days_and_needs_enough_pre_days():
    y, w0 = _series(0.0, 5)
    spiked = y.copy()
    spiked.iloc[10:14] += 200  # an incident in the pre-period
    mask = pd.Series(False, index=y.index)
    mask.iloc[10:14] = True
    clean = stats.counterfactual_lift(spiked, w0, w0 + pd.Timedelta(days=21), exclude=mask)
    dirty = stats.counterfactual_lift(spiked, w0, w0 + pd.Timedelta(days=21))
    assert clean.n_pre_days == 24
    assert clean.rel_ci_low < 0 < clean.rel_ci_high
    assert dirty.rel_lift < clean.rel_lift - 0.3  # the spike inflates the baseline
    with pytest.raises(ValueError, match="pre-period"):
        stats.counterfactual_lift(y, y.index[10], y.index[20], pre_period_days=28)


def test_naive_lift_is_biased_by_trend():
    y, w0 = _series(0.0, 7, trend=0.02)
    naive = stats.naive_lift(y, w0, w0 + pd.Timedelta(days=21))
    assert naive > 0.3  # no effect planted, but the trend looks like one
    idx = _days(10)
    flat = pd.Series([2.0] * 5 + [3.0] * 5, index=idx)
    assert stats.naive_lift(flat, idx[5], idx[-1] + pd.Timedelta(days=1), pre_period_days=5) == pytest.approx(0.5)


# -- counts, costs, proportions ------------------------------------------------------------------------

def test_poisson_count_ci_known_values():
    assert stats.poisson_count_ci(0) == (0.0, pytest.approx(3.6889, abs=1e-4))
    low, high = stats.poisson_count_ci(10)
    assert low == pytest.approx(4.7954, abs=1e-3) and high == pytest.approx(18.3904, abs=1e-3)


def test_ratio_per_count():
    est = stats.ratio_per_count(1000.0, 10)
    assert est.value == 100.0 and est.n == 10
    assert est.ci_low == pytest.approx(1000 / 18.3904, rel=1e-3)
    assert est.ci_high == pytest.approx(1000 / 4.7954, rel=1e-3)
    assert math.isnan(stats.ratio_per_count(1000.0, 0).value)


def test_two_proportion_diff_matches_newcombe():
    # Newcombe (1998), example (a): 56/70 vs 48/80 -> 0.2000, 95 % CI 0.0524 to 0.3339
    d = stats.two_proportion_diff(56, 70, 48, 80)
    assert d.value == pytest.approx(0.2)
    assert d.ci_low == pytest.approx(0.0524, abs=5e-4) and d.ci_high == pytest.approx(0.3339, abs=5e-4)
    assert math.isnan(stats.two_proportion_diff(1, 0, 1, 2).value)


def test_retention_share_uses_wilson():
    est = stats.Estimate.proportion(30, 100)
    assert (est.ci_low, est.ci_high) == pytest.approx(stats.wilson_ci(30, 100))
    assert est.ci_low == pytest.approx(0.2189, abs=1e-3)


# -- survival ------------------------------------------------------------------------------------------

def test_kaplan_meier_without_censoring_is_one_minus_ecdf():
    km = stats.kaplan_meier([1, 2, 3, 4, 5], [True] * 5)
    assert km["survival"].tolist() == pytest.approx([1.0, 0.8, 0.6, 0.4, 0.2, 0.0])
    assert (km["ci_low"] <= km["survival"] + 1e-12).all() and (km["ci_high"] >= km["survival"] - 1e-12).all()
    assert stats.survival_at(km, 2.5) == pytest.approx(0.6)
    assert stats.survival_at(km, 0.5) == 1.0


def test_kaplan_meier_with_censoring():
    # times 1 (event), 2 (censored), 3 (event), 4 (event): S(1)=3/4, S(3)=3/4*1/2, S(4)=0
    km = stats.kaplan_meier([1, 2, 3, 4], [True, False, True, True])
    assert stats.survival_at(km, 1) == pytest.approx(0.75)
    assert stats.survival_at(km, 3) == pytest.approx(0.375)
    assert stats.survival_at(km, 4) == pytest.approx(0.0)
    assert stats.kaplan_meier([], []).empty
