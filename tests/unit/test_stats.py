"""helpers.stats: intervals, concentration and Estimate, on inputs with known answers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.stats import Estimate, bootstrap_ci, format_number, gini, top_share, wilson_ci


# ---------------------------------------------------------------- wilson_ci


def test_wilson_known_value():
    # textbook: 8 of 10, 95 % -> 0.490 – 0.943
    low, high = wilson_ci(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3)
    assert high == pytest.approx(0.9433, abs=1e-3)


def test_wilson_edges_and_empty():
    assert wilson_ci(0, 10)[0] == 0.0
    assert wilson_ci(10, 10)[1] == 1.0
    assert all(math.isnan(v) for v in wilson_ci(0, 0))
    assert all(math.isnan(v) for v in wilson_ci(np.nan, 10))


def test_wilson_level_widens_and_validates():
    l95, h95 = wilson_ci(30, 100)
    l99, h99 = wilson_ci(30, 100, level=0.99)
    assert l99 < l95 < 0.3 < h95 < h99
    with pytest.raises(ValueError):
        wilson_ci(11, 10)
    with pytest.raises(ValueError):
        wilson_ci(1, 10, level=1.5)


# ---------------------------------------------------------------- bootstrap_ci


def test_bootstrap_deterministic_and_brackets_median():
    values = np.arange(1, 101, dtype=float)
    a = bootstrap_ci(values)
    b = bootstrap_ci(values)
    assert a == b
    assert a[0] < 50.5 < a[1]
    assert bootstrap_ci(values, random_state=1) != a


def test_bootstrap_empty_single_and_nan():
    assert all(math.isnan(v) for v in bootstrap_ci([]))
    assert all(math.isnan(v) for v in bootstrap_ci([np.nan, None]))
    assert bootstrap_ci([3.0]) == (3.0, 3.0)
    assert bootstrap_ci([2.0, 2.0, np.nan]) == (2.0, 2.0)


def test_bootstrap_custom_statistic_without_axis():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])
    low, high = bootstrap_ci(values, statistic=lambda x: float(np.mean(x)), n_boot=200)
    assert 1.0 <= low <= high <= 100.0


# ---------------------------------------------------------------- gini, top_share


def test_gini_equal_and_concentrated():
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert gini([0, 0, 0, 10]) > 0.7
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0
    assert 0 < gini([1, 2, 3, 4]) < gini([1, 1, 1, 20])
    with pytest.raises(ValueError):
        gini([1, -1])


def test_top_share():
    counts = [1] * 99 + [101]            # 100 units, total 200
    assert top_share(counts, 0.01) == pytest.approx(101 / 200)  # top 1 % = 1 unit
    assert top_share(counts, 0.10) == pytest.approx((101 + 9) / 200)
    assert top_share([5, 5], 0.01) == pytest.approx(0.5)  # at least one unit
    assert top_share([1, 2, 3], 1.0) == pytest.approx(1.0)
    # 150 units: top 1 % rounds up to 2 units
    assert top_share([1] * 148 + [10, 10], 0.01) == pytest.approx(20 / 168)
    assert math.isnan(top_share([], 0.1))
    with pytest.raises(ValueError):
        top_share([1], 0)


# ---------------------------------------------------------------- Estimate


def test_estimate_str_and_dict():
    est = Estimate(0.72, 0.69, 0.75, 812)
    assert str(est) == "0.72 (95 % CI 0.69–0.75, n = 812)"
    assert est.as_dict("negative_share") == {
        "negative_share": 0.72, "negative_share_ci_low": 0.69, "negative_share_ci_high": 0.75,
        "negative_share_n": 812,
    }


def test_estimate_missing_parts_and_proportion():
    assert str(Estimate(float("nan"), n=0)) == "n/a (n = 0)"
    assert str(Estimate(3.5, n=1)) == "3.50 (n = 1)"
    est = Estimate.proportion(8, 10)
    assert est.value == 0.8 and est.n == 10
    assert est.ci_low == pytest.approx(wilson_ci(8, 10)[0])
    assert math.isnan(Estimate.proportion(0, 0).value)
    assert str(Estimate(1234.0, 1000.0, 1500.0, 12345, digits=1)) == "1,234 (95 % CI 1,000–1,500, n = 12,345)"
    assert format_number(None) == "n/a"


def test_bootstrap_median_fast_path_matches_generic_resampling():
    rng = np.random.default_rng(5)
    for values in (rng.normal(size=1001), rng.integers(0, 4, 400).astype(float), np.round(rng.gamma(1, 9, 5000), 1),
                   np.array([1.0, 2.0])):
        fast = bootstrap_ci(values, np.median)
        generic = bootstrap_ci(values, lambda a, axis=None: np.median(a, axis=axis))  # not np.median itself
        assert fast == generic
