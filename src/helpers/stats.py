"""Small, dependency-light statistics used by :mod:`helpers.metrics`.

Every number a strategist reads comes with its n and, where it is an estimate, its uncertainty
(DESIGN.md). This module provides the intervals (Wilson for proportions, percentile bootstrap for
medians and other statistics), concentration measures (Gini, top-share) and :class:`Estimate`, a value
with its confidence interval and n that prints itself readably and flattens into findings keys.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

__all__ = ["wilson_ci", "bootstrap_ci", "gini", "top_share", "Estimate", "format_number"]

NAN = float("nan")


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (exclusive), got {level!r}")
    return float(norm.ppf(0.5 + level / 2))


def wilson_ci(k: int | float, n: int | float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the proportion ``k / n`` (shares 0–1).

    Returns ``(nan, nan)`` when ``n == 0`` (or either count is missing). Raises ``ValueError`` for
    negative counts or ``k > n``. Bounds are clipped to [0, 1].
    """
    if k is None or n is None or pd.isna(k) or pd.isna(n):
        return NAN, NAN
    k, n = float(k), float(n)
    if n == 0:
        return NAN, NAN
    if k < 0 or n < 0 or k > n:
        raise ValueError(f"wilson_ci needs 0 <= k <= n, got k={k}, n={n}")
    z = _z(level)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # exact at the edges (floating error would otherwise give 1e-17 instead of 0)
    if k == 0:
        low = 0.0
    if k == n:
        high = 1.0
    return low, high


def _clean(values: Iterable[Any] | None) -> np.ndarray:
    """Values as a float array without NaN/NA."""
    if values is None:
        return np.array([], dtype=float)
    arr = pd.to_numeric(pd.Series(list(values) if not isinstance(values, (pd.Series, np.ndarray)) else values),
                        errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return arr[~np.isnan(arr)]


def bootstrap_ci(
    values: Iterable[float],
    statistic: Callable[..., Any] = np.median,
    level: float = 0.95,
    n_boot: int = 2000,
    random_state: int | None = 0,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval for ``statistic(values)`` (same units as the values).

    Deterministic for a given ``random_state``. NaN/NA values are ignored; returns ``(nan, nan)`` when no
    value is left. ``statistic`` is called as ``statistic(sample, axis=1)`` on batches of resamples when
    it accepts ``axis`` (numpy reductions do), otherwise once per resample.
    """
    _z(level)  # validates level
    arr = _clean(values)
    n = arr.size
    if n == 0:
        return NAN, NAN
    if n == 1:
        v = float(statistic(arr))
        return v, v
    rng = np.random.default_rng(random_state)
    batch = max(1, min(n_boot, 2_000_000 // n))
    stats: list[np.ndarray] = []
    done = 0
    vectorised = True
    while done < n_boot:
        size = min(batch, n_boot - done)
        samples = arr[rng.integers(0, n, size=(size, n))]
        if vectorised:
            try:
                out = np.asarray(statistic(samples, axis=1), dtype=float)
                if out.shape != (size,):
                    raise TypeError("statistic did not reduce along axis 1")
            except TypeError:
                vectorised = False
        if not vectorised:
            out = np.array([float(statistic(row)) for row in samples])
        stats.append(out)
        done += size
    boot = np.concatenate(stats)
    boot = boot[~np.isnan(boot)]
    if boot.size == 0:
        return NAN, NAN
    alpha = (1 - level) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return float(low), float(high)


def _counts(counts: Iterable[float] | None) -> np.ndarray:
    arr = _clean(counts)
    if (arr < 0).any():
        raise ValueError("counts must be non-negative")
    return arr


def gini(counts: Iterable[float]) -> float:
    """Gini coefficient of non-negative counts (e.g. messages per member): 0 = equal, → 1 = concentrated.

    0 for empty input, all-zero or all-equal counts. For n units the maximum is (n − 1) / n, reached when
    one unit holds everything (e.g. ``[0, 0, 0, 10]`` → 0.75).
    """
    arr = np.sort(_counts(counts))
    n = arr.size
    total = arr.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    g = (2.0 * np.sum(ranks * arr)) / (n * total) - (n + 1.0) / n
    return float(min(max(g, 0.0), 1.0))


def top_share(counts: Iterable[float], fraction: float) -> float:
    """Share (0–1) of the total held by the top ``fraction`` (0–1) of units.

    The number of top units is ``ceil(fraction × n)``, at least 1 — so with 150 members the top 1 %
    is 2 members and with 50 members it is 1. NaN for empty input or a zero total.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
    arr = _counts(counts)
    n = arr.size
    total = arr.sum()
    if n == 0 or total == 0:
        return NAN
    k = max(1, math.ceil(round(fraction * n, 9)))
    top = np.sort(arr)[::-1][:k]
    return float(top.sum() / total)


def format_number(value: float | None, digits: int = 2) -> str:
    """A number for prose: ``digits`` decimals, thousands separators, "n/a" for missing."""
    if value is None or pd.isna(value):
        return "n/a"
    if float(value).is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval and sample size.

    ``value``, ``ci_low`` and ``ci_high`` are in the estimate's own unit (shares 0–1 or hours); ``n`` is
    the number of observations behind it. ``str()`` gives e.g. ``"0.72 (95 % CI 0.69–0.75, n = 812)"``.
    """

    value: float
    ci_low: float = NAN
    ci_high: float = NAN
    n: int = 0
    level: float = 0.95
    digits: int = 2

    def __str__(self) -> str:
        n = f"n = {int(self.n):,}"
        if pd.isna(self.value):
            return f"n/a ({n})"
        value = format_number(self.value, self.digits)
        if pd.isna(self.ci_low) or pd.isna(self.ci_high):
            return f"{value} ({n})"
        pct = f"{self.level * 100:g}"
        low, high = format_number(self.ci_low, self.digits), format_number(self.ci_high, self.digits)
        return f"{value} ({pct} % CI {low}–{high}, {n})"

    def as_dict(self, prefix: str) -> dict[str, float | int]:
        """Flat findings keys: ``{prefix, prefix_ci_low, prefix_ci_high, prefix_n}`` (NaN stays NaN)."""
        return {
            prefix: float(self.value),
            f"{prefix}_ci_low": float(self.ci_low),
            f"{prefix}_ci_high": float(self.ci_high),
            f"{prefix}_n": int(self.n),
        }

    @classmethod
    def proportion(cls, k: int, n: int, level: float = 0.95, digits: int = 2) -> Estimate:
        """``k / n`` with its Wilson interval (NaN value when ``n == 0``)."""
        low, high = wilson_ci(k, n, level)
        value = k / n if n else NAN
        return cls(float(value), low, high, int(n), level, digits)


# --------------------------------------------------------------------------------------------------
# Campaign comparison models (issue 3): rate-ratio GLMs, counterfactual lift, retention / survival
# --------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------
# Crisis models (issue 4): anomaly detection, interrupted time series, distinctive terms, paired effects
# --------------------------------------------------------------------------------------------------
