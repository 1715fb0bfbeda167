"""Units for the crisis models in helpers.stats: robust z-scores, change points, ITS, log-odds, paired CIs."""
from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import stats


def test_robust_z_flags_a_step_not_noise():
    rng = np.random.default_rng(1)
    x = rng.poisson(20, 600).astype(float)
    x[400:] += 40
    z = stats.robust_zscores(x, window=200, poisson_floor=True)
    assert np.nanmax(z[:400]) < 5
    assert z[400] > 5


def test_robust_z_ignores_a_slow_drift():
    rng = np.random.default_rng(2)
    trend = np.linspace(20, 40, 2000)
    z = stats.robust_zscores(rng.poisson(trend).astype(float), window=300, poisson_floor=True)
    assert np.nanmax(z) < 5


def test_robust_z_needs_history_and_a_floor():
    z = stats.robust_zscores([5.0] * 10 + [6.0], window=10, floor=1.0)
    assert math.isnan(z[0]) and z[-1] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        stats.robust_zscores([1.0, 2.0], window=1)


def test_poisson_changepoint_finds_the_start():
    rng = np.random.default_rng(3)
    mu = np.full(500, 0.5)
    x = rng.poisson(mu).astype(float)
    x[317:] += rng.poisson(2.0, 500 - 317)
    assert abs(stats.poisson_changepoint(x, mu) - 317) <= 3


def test_poisson_changepoint_without_excess_is_zero():
    mu = np.full(100, 2.0)
    assert stats.poisson_changepoint(np.zeros(100), mu) == 0
    with pytest.raises(ValueError):
        stats.poisson_changepoint([1.0, 2.0], [1.0])


def test_segmented_regression_recovers_level_and_slope_change():
    rng = np.random.default_rng(4)
    t = np.arange(400) / 24.0
    y = 0.2 + 0.001 * t + np.where(t >= 10, -0.15 - 0.02 * (t - 10), 0.0) + rng.normal(0, 0.03, t.size)
    table = stats.segmented_regression(t, y, [("response", 10.0, True)], maxlags=24)
    lv, sl = table.loc["level_response"], table.loc["slope_response"]
    assert abs(lv["coef"] + 0.15) < 0.02 and lv["ci_low"] < lv["coef"] < lv["ci_high"] < 0
    assert abs(sl["coef"] + 0.02) < 0.005 and sl["ci_high"] < 0
    assert int(table["n"].iloc[0]) == 400


def test_segmented_regression_refuses_too_little_data():
    with pytest.raises(ValueError):
        stats.segmented_regression([0, 1, 2], [0.1, 0.2, 0.3], [("r", 1.0, True)])
    with pytest.raises(ValueError, match="one side"):
        stats.segmented_regression(np.arange(20.0), np.ones(20), [("r", 100.0, True)])


def test_weighted_log_odds_ranks_and_shrinks():
    a = {"queue": 120, "doctor": 50, "rare": 2}
    b = {"queue": 10, "doctor": 50, "rare": 0}
    table = stats.weighted_log_odds(a, b).set_index("term")
    assert table.loc["queue", "z"] > 3
    assert table.loc["rare", "z"] < table.loc["queue", "z"]  # two mentions cannot top the list
    assert abs(table.loc["doctor", "z"]) < table.loc["queue", "z"]
    flipped = stats.weighted_log_odds(b, a).set_index("term")
    assert flipped.loc["queue", "z"] == pytest.approx(-table.loc["queue", "z"])
    assert stats.weighted_log_odds({}, {"a": 1}).empty


def test_paired_mean_difference():
    est = stats.paired_mean_difference([0, 0, 0, 1], [1, 1, 0.5, 1])
    assert est.value == pytest.approx(0.625) and est.n == 4
    assert est.ci_low < est.value < est.ci_high
    assert math.isnan(stats.paired_mean_difference([], []).value)
    one = stats.paired_mean_difference([0.0, math.nan], [1.0, 2.0])
    assert one.n == 1 and one.value == 1.0 and math.isnan(one.ci_low)
    with pytest.raises(ValueError):
        stats.paired_mean_difference([1.0], [1.0, 2.0])
