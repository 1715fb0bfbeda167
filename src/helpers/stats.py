"""Small, dependency-light statistics used by :mod:`helpers.metrics`.

Every number a strategist reads comes with its n and, where it is an estimate, its uncertainty
(DESIGN.md). This module provides the intervals (Wilson for proportions, percentile bootstrap for
medians and other statistics), concentration measures (Gini, top-share) and :class:`Estimate`, a value
with its confidence interval and n that prints itself readably and flattens into findings keys.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["wilson_ci", "bootstrap_ci", "gini", "top_share", "Estimate", "format_number"]

NAN = float("nan")


@functools.lru_cache(maxsize=16)
def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (exclusive), got {level!r}")
    from scipy.stats import norm  # on first use: stats stays light to import for pages and runs

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
    if statistic is np.median:  # the same resamples, their medians counted instead of sorted
        uniques, codes = np.unique(arr, return_inverse=True)
        codes = codes.reshape(-1).astype(np.intp)
    while done < n_boot:
        size = min(batch, n_boot - done)
        if statistic is np.median:
            stats.append(_resample_medians(uniques, codes[rng.integers(0, n, size=(size, n))]))
            done += size
            continue
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


def _resample_medians(uniques: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``np.median(uniques[codes], axis=1)`` from counts: per row, the middle value(s) in the cumulated counts of
    the codes (positions into the sorted ``uniques``) — an O(n) pass per resample instead of a selection over
    floats, and the same numbers (np.median's even case is the mean of the two middle values)."""
    n = codes.shape[1]
    low_k, high_k = (n - 1) // 2 + 1, n // 2 + 1
    out = np.empty(codes.shape[0], dtype=float)
    for r, row in enumerate(codes):
        cum = np.cumsum(np.bincount(row, minlength=len(uniques)))
        a, b = np.searchsorted(cum, [low_k, high_k])
        out[r] = uniques[a] if a == b else np.mean(uniques[[a, b]])
    return out


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
# (statsmodels is imported inside the functions: the rest of this module stays light to import)


def rate_ratios(
    df: pd.DataFrame,
    outcome: str,
    group: str,
    reference: str,
    controls: Iterable[str] = (),
    numeric_controls: Iterable[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Rate ratios of ``outcome`` (a count per row, e.g. comments per post) between levels of ``group`` and
    ``reference``, from a negative-binomial (NB2) regression controlling for categorical ``controls`` and
    numeric ``numeric_controls``.

    Returns one row per non-reference level: ``group``, ``rate_ratio`` (×, 1 = same rate), ``ci_low``,
    ``ci_high`` (Wald interval on the log scale), ``p_value``, ``n`` (rows of that level), ``n_reference``
    and ``model`` ("negative binomial", or "Poisson (robust SE)" when the NB fit fails). Controls with a
    single level are dropped. Empty frame when a level or the reference has no rows.
    """
    import statsmodels.formula.api as smf

    z = _z(level)
    cols = ["group", "rate_ratio", "ci_low", "ci_high", "p_value", "n", "n_reference", "model"]
    data = df.dropna(subset=[outcome, group]).copy()
    data[group] = data[group].astype(str)
    levels = [g for g in pd.unique(data[group]) if g != reference]
    n_ref = int((data[group] == reference).sum())
    if data.empty or n_ref == 0 or not levels:
        return pd.DataFrame(columns=cols)
    data["_y"] = pd.to_numeric(data[outcome]).astype(float)
    terms = [f"C(_g, Treatment({reference!r}))"]
    data["_g"] = data[group]
    for i, c in enumerate(controls):
        if data[c].nunique() > 1:
            data[f"_c{i}"] = data[c].astype(str)
            terms.append(f"C(_c{i})")
    for i, c in enumerate(numeric_controls):
        values = pd.to_numeric(data[c]).astype(float)
        if values.std() > 0:
            data[f"_x{i}"] = (values - values.mean()) / values.std()
            terms.append(f"_x{i}")
    formula = "_y ~ " + " + ".join(terms)
    model = "negative binomial"
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = smf.negativebinomial(formula, data).fit(disp=0, maxiter=200)
        if not np.all(np.isfinite(res.bse)) or not res.mle_retvals.get("converged", True):
            raise ValueError("negative binomial fit did not converge")
    except Exception:  # noqa: BLE001 - fall back to Poisson with robust errors, said in the table
        import statsmodels.api as sm

        res = smf.glm(formula, data, family=sm.families.Poisson()).fit(cov_type="HC0")
        model = "Poisson (robust SE)"
    rows = []
    for g in levels:
        name = f"C(_g, Treatment({reference!r}))[T.{g}]"
        if name not in res.params.index:
            continue
        b, se = float(res.params[name]), float(res.bse[name])
        rows.append({"group": g, "rate_ratio": math.exp(b), "ci_low": math.exp(b - z * se),
                     "ci_high": math.exp(b + z * se), "p_value": float(res.pvalues[name]),
                     "n": int((data[group] == g).sum()), "n_reference": n_ref, "model": model})
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class LiftEstimate:
    """Counterfactual lift of a daily series over a window (CausalImpact-style).

    ``observed`` and ``predicted`` are sums over the window (the series' unit, e.g. messages);
    ``abs_lift`` = observed − predicted with ``abs_ci_low/high``; ``rel_lift`` = observed / predicted − 1
    (share, 0.35 = +35 %) with ``rel_ci_low/high``; ``n_pre_days`` days fitted, ``n_days`` in the window.
    ``series`` holds per day: ``observed``, ``predicted``, ``predicted_low``, ``predicted_high``, ``period``
    ("pre" or "window").
    """

    observed: float
    predicted: float
    abs_lift: float
    abs_ci_low: float
    abs_ci_high: float
    rel_lift: float
    rel_ci_low: float
    rel_ci_high: float
    n_pre_days: int
    n_days: int
    series: pd.DataFrame
    level: float = 0.95

    def as_dict(self, prefix: str) -> dict[str, float | int]:
        """Flat keys: ``prefix`` (relative lift), ``prefix_ci_low/high``, ``prefix_abs`` (+ CI), counts."""
        return {prefix: self.rel_lift, f"{prefix}_ci_low": self.rel_ci_low, f"{prefix}_ci_high": self.rel_ci_high,
                f"{prefix}_abs": self.abs_lift, f"{prefix}_abs_ci_low": self.abs_ci_low,
                f"{prefix}_abs_ci_high": self.abs_ci_high, f"{prefix}_observed": self.observed,
                f"{prefix}_predicted": self.predicted}


def counterfactual_lift(
    y: pd.Series,
    window_start: Any,
    window_end: Any,
    pre_period_days: int = 28,
    seasonal: int = 7,
    exclude: pd.Series | None = None,
    level: float = 0.95,
    n_sim: int = 4000,
    random_state: int | None = 0,
    trend: str = "dconstant",
) -> LiftEstimate:
    """Lift of a daily series ``y`` (DatetimeIndex of days, no gaps) over the window
    [``window_start``, ``window_end``) against a counterfactual forecast.

    A structural time-series model (statsmodels ``UnobservedComponents``) — the level given by ``trend``
    ("dconstant": fixed, the default, which kept the 95 % intervals honest on lumpy daily counts in the
    ground-truth runs; "llevel": a random walk) plus fixed ``seasonal``-day seasonality — is fitted on the
    ``pre_period_days`` days before the window (days flagged in the boolean series ``exclude`` are treated
    as missing) and predicts the window. The intervals come from ``n_sim`` joint draws of the whole predicted window (state uncertainty, level
    innovations and observation noise), so the interval of the *sum* is right although days are correlated.
    Raises ``ValueError`` when fewer than ``2 × seasonal`` usable pre-period days remain.
    """
    import warnings

    from statsmodels.tsa.statespace.structural import UnobservedComponents

    _z(level)
    y = pd.to_numeric(y, errors="coerce").astype(float)
    w0, w1 = pd.Timestamp(window_start), pd.Timestamp(window_end)
    pre0 = w0 - pd.Timedelta(days=pre_period_days)
    pre = y[(y.index >= pre0) & (y.index < w0)].copy()
    win = y[(y.index >= w0) & (y.index < w1)]
    if exclude is not None:
        mask = exclude.reindex(pre.index).fillna(False).astype(bool)
        pre[mask.to_numpy()] = np.nan
    usable = int(pre.notna().sum())
    if usable < 2 * seasonal or len(win) == 0:
        raise ValueError(f"needs at least {2 * seasonal} usable pre-period days and a non-empty window, "
                         f"got {usable} and {len(win)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = UnobservedComponents(pre.to_numpy(), level=trend, seasonal=seasonal)
        res = model.fit(disp=False, maxiter=200)
    h = len(win)
    ssm = res.filter_results
    a = np.asarray(ssm.predicted_state[:, -1])
    P = np.asarray(ssm.predicted_state_cov[:, :, -1])
    T = np.asarray(ssm.transition[:, :, 0])
    R = np.asarray(ssm.selection[:, :, 0])
    Q = np.asarray(ssm.state_cov[:, :, 0])
    Z = np.asarray(ssm.design[:, :, 0])[0]
    H = float(np.asarray(ssm.obs_cov[:, :, 0])[0, 0])
    rng = np.random.default_rng(random_state)
    k = len(a)
    P = (P + P.T) / 2 + 1e-9 * np.eye(k)
    state = rng.multivariate_normal(a, P, size=n_sim, method="eigh")  # (n_sim, k)
    q_chol = np.linalg.cholesky(Q + 1e-12 * np.eye(Q.shape[0])) if Q.size else None
    draws = np.empty((n_sim, h))
    means = np.empty(h)
    mean_state = a.copy()
    for j in range(h):
        draws[:, j] = state @ Z + math.sqrt(max(H, 0.0)) * rng.standard_normal(n_sim)
        means[j] = mean_state @ Z
        state = state @ T.T
        if q_chol is not None:
            state += (rng.standard_normal((n_sim, Q.shape[0])) @ q_chol.T) @ R.T
        mean_state = T @ mean_state
    alpha = (1 - level) / 2
    observed = float(win.sum())
    totals = draws.sum(axis=1)
    predicted = float(means.sum())
    abs_draws = observed - totals
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_draws = np.where(totals > 0, observed / totals - 1, np.nan)
    rel_draws = rel_draws[np.isfinite(rel_draws)]
    lo_day, hi_day = np.quantile(draws, [alpha, 1 - alpha], axis=0)
    fitted = pd.Series(np.asarray(res.fittedvalues), index=pre.index)
    series = pd.concat([
        pd.DataFrame({"observed": y[(y.index >= pre0) & (y.index < w0)], "predicted": fitted,
                      "predicted_low": np.nan, "predicted_high": np.nan, "period": "pre"}),
        pd.DataFrame({"observed": win, "predicted": means, "predicted_low": lo_day, "predicted_high": hi_day,
                      "period": "window"}, index=win.index),
    ])
    series.loc[series.index[:seasonal], "predicted"] = np.nan  # diffuse start: no meaningful fit yet
    rel = observed / predicted - 1 if predicted > 0 else NAN
    rel_low, rel_high = (np.quantile(rel_draws, [alpha, 1 - alpha]) if rel_draws.size > n_sim // 2
                         else (NAN, NAN))
    abs_low, abs_high = np.quantile(abs_draws, [alpha, 1 - alpha])
    return LiftEstimate(observed, predicted, observed - predicted, float(abs_low), float(abs_high), float(rel),
                        float(rel_low), float(rel_high), usable, h, series, level)


def naive_lift(y: pd.Series, window_start: Any, window_end: Any, pre_period_days: int = 28) -> float:
    """Naive before/after relative change (share): mean per day in the window over the mean per day in the
    ``pre_period_days`` before it, minus 1 — biased by trend and seasonality; shown only for contrast."""
    y = pd.to_numeric(y, errors="coerce").astype(float)
    w0, w1 = pd.Timestamp(window_start), pd.Timestamp(window_end)
    pre = y[(y.index >= w0 - pd.Timedelta(days=pre_period_days)) & (y.index < w0)].mean()
    win = y[(y.index >= w0) & (y.index < w1)].mean()
    return float(win / pre - 1) if pre and pre > 0 else NAN


def poisson_count_ci(k: int | float, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for a Poisson count ``k`` (same unit as k)."""
    from scipy.stats import chi2

    alpha = 1 - level
    _z(level)
    if k is None or pd.isna(k) or k < 0:
        return NAN, NAN
    low = 0.0 if k == 0 else float(chi2.ppf(alpha / 2, 2 * k) / 2)
    high = float(chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2)
    return low, high


def ratio_per_count(amount: float, count: int | float, level: float = 0.95) -> Estimate:
    """``amount / count`` (e.g. budget per retained member) with an interval from the exact Poisson interval
    of the count (low count → high cost). NaN when the count is 0 or missing."""
    if count is None or pd.isna(count) or count <= 0 or amount is None or pd.isna(amount):
        return Estimate(NAN, NAN, NAN, int(count or 0) if not pd.isna(count) else 0, level)
    low, high = poisson_count_ci(count, level)
    return Estimate(float(amount) / float(count), float(amount) / high, float(amount) / low if low > 0 else NAN,
                    int(count), level)


def kaplan_meier(durations: Iterable[float], observed: Iterable[bool], level: float = 0.95) -> pd.DataFrame:
    """Kaplan–Meier survival curve (statsmodels ``SurvfuncRight``).

    ``durations`` in days (time to the event or to censoring), ``observed`` True where the event (e.g. a
    member going silent) was seen. Returns ``time`` (days), ``survival`` (share 0–1), ``ci_low``, ``ci_high``
    (pointwise, log-log), ``at_risk``; starts at time 0 with survival 1. Empty frame for empty input.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    d = np.asarray(list(durations), dtype=float)
    e = np.asarray(list(observed), dtype=float)
    cols = ["time", "survival", "ci_low", "ci_high", "at_risk"]
    keep = np.isfinite(d)
    d, e = d[keep], e[keep]
    if d.size == 0:
        return pd.DataFrame(columns=cols)
    sf = SurvfuncRight(d, e)
    if sf.surv_times.size == 0:
        return pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0],
                             "at_risk": [int(d.size)]})
    low, high = _km_pointwise(sf, level)
    out = pd.DataFrame({"time": sf.surv_times, "survival": sf.surv_prob, "ci_low": low, "ci_high": high,
                        "at_risk": sf.n_risk.astype(int)})
    head = pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0],
                         "at_risk": [int(d.size)]})
    return pd.concat([head, out], ignore_index=True)


def _km_pointwise(sf: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log(-log) interval from Greenwood's variance (clipped to [0, 1])."""
    z = _z(level)
    s = np.clip(sf.surv_prob, 1e-12, 1.0)
    se = np.asarray(sf.surv_prob_se)
    with np.errstate(divide="ignore", invalid="ignore"):
        lls = np.log(-np.log(s))
        se_ll = se / (s * np.abs(np.log(s)))
        low = np.exp(-np.exp(lls + z * se_ll))
        high = np.exp(-np.exp(lls - z * se_ll))
    one = s >= 1 - 1e-12
    low = np.where(one | ~np.isfinite(low), np.where(one, 1.0, 0.0), low)
    high = np.where(one | ~np.isfinite(high), 1.0, high)
    zero = np.asarray(sf.surv_prob) <= 1e-12
    low, high = np.where(zero, 0.0, low), np.where(zero, 0.0, high)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def survival_at(curve: pd.DataFrame, t: float) -> float:
    """Survival (share) at time ``t`` (days) from a :func:`kaplan_meier` curve (step function); NaN if empty."""
    if curve is None or curve.empty:
        return NAN
    before = curve[curve["time"] <= t]
    return float(before["survival"].iloc[-1]) if not before.empty else 1.0


def two_proportion_diff(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> Estimate:
    """Difference of shares ``k1/n1 − k2/n2`` with Newcombe's hybrid-score interval (from Wilson intervals);
    ``n`` is n1 + n2. NaN when either n is 0."""
    if not n1 or not n2:
        return Estimate(NAN, NAN, NAN, int((n1 or 0) + (n2 or 0)), level)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_ci(k1, n1, level)
    l2, u2 = wilson_ci(k2, n2, level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Estimate(d, low, high, int(n1 + n2), level)



# --------------------------------------------------------------------------------------------------
# Crisis models (issue 4): anomaly detection, interrupted time series, distinctive terms, paired effects
# --------------------------------------------------------------------------------------------------

__all__ += ["robust_zscores", "poisson_changepoint", "segmented_regression", "weighted_log_odds",
            "paired_mean_difference"]


def robust_zscores(values: Iterable[float], window: int, min_periods: int | None = None,
                   floor: float = 1.0, poisson_floor: bool = False) -> np.ndarray:
    """Robust z-scores of each value against the ``window`` values *before* it (trailing, current excluded).

    ``z_t = (x_t − median) / max(1.4826 × MAD, floor)`` over ``x_{t−window} … x_{t−1}``; the floor keeps
    quiet, near-constant baselines (MAD 0) from turning one extra message into an alarm. With
    ``poisson_floor`` (for counts) the scale is also at least ``sqrt(median)``, the Poisson standard deviation.
    Units: standard deviations. NaN until ``window`` earlier values exist and wherever the window holds a
    NaN (as the pandas ``rolling().apply`` this replaces always behaved; ``min_periods``, default
    ``window // 2``, only matters when it exceeds ``window``: then every value is NaN).
    """
    arr = np.asarray(list(values) if not isinstance(values, (np.ndarray, pd.Series)) else values, dtype=float)
    if window < 2:
        raise ValueError(f"window must be at least 2, got {window}")
    mp = min_periods if min_periods is not None else max(2, window // 2)
    n = len(arr)
    med, mad = np.full(n, np.nan), np.full(n, np.nan)
    # the window before value i is arr[max(0, i − window) : i]; a NaN inside it makes z NaN (as before)
    bad = np.concatenate([[0], np.cumsum(np.isnan(arr))])
    if n > window and mp <= window:
        full = np.lib.stride_tricks.sliding_window_view(arr[:-1], window)  # row k: the window before k + window
        rows = np.arange(window, n)
        ok = bad[rows] - bad[rows - window] == 0
        if ok.any():
            w = full[rows[ok] - window]
            m = np.median(w, axis=1)
            med[rows[ok]] = m
            mad[rows[ok]] = np.median(np.abs(w - m[:, None]), axis=1)  # MAD about each window's own median
    scale = np.maximum(1.4826 * mad, floor)
    if poisson_floor:
        scale = np.maximum(scale, np.sqrt(np.abs(med)))
    return (arr - med) / scale


def poisson_changepoint(counts: Iterable[float], expected: Iterable[float], excess: float | None = None,
                        iterations: int = 4, trials: Iterable[float] | None = None,
                        successes: Iterable[float] | None = None, p0: float | None = None,
                        dispersion: float = 1.0, share_only: bool = False) -> int:
    """Index where a constant extra rate starts (CUSUM / Poisson log-likelihood-ratio change point).

    ``counts`` are observed counts per bin and ``expected`` the baseline expectation per bin (same length,
    > 0). For a start ``k`` the log-likelihood ratio of "expected + excess from bin k on" against "expected
    throughout" is ``Σ_{j≥k} [x_j ln(1 + δ/μ_j) − δ]``; the change point maximises it (reverse CUSUM). When
    ``excess`` (δ, counts per bin) is None it is estimated as the mean excess after the current change point,
    starting from the second half, for ``iterations`` rounds. Returns a bin index (0 when nothing stands out).
    Several series (2-D ``counts``/``expected``: one row per series, e.g. all messages and negative ones) share
    one change point: their log-likelihood ratios add up, each with its own δ (series without excess are
    left out). ``trials``/``successes``/``p0`` add a binomial share channel (e.g. scored and negative messages
    per bin, baseline negative share ``p0``): ``Σ_{j≥k} [y_j ln(p1/p0) + (n_j − y_j) ln((1−p1)/(1−p0))]`` with
    ``p1`` the share after the change point; a volume surge with an ordinary share does not move it.
    ``dispersion`` (≥ 1, the Pearson variance/mean ratio of the counts in a quiet period) divides the count
    channel's log-likelihood ratio (quasi-Poisson): bursty counts then weigh less than the share.
    ``share_only`` uses the share channel alone (0 when the share does not rise).
    """
    x = np.atleast_2d(np.asarray(counts, dtype=float))
    mu = np.maximum(np.atleast_2d(np.asarray(expected, dtype=float)), 1e-9)
    if x.shape != mu.shape or x.size == 0:
        raise ValueError("counts and expected must be non-empty and of the same length")
    n = x.shape[1]
    k = n // 2
    share = trials is not None and successes is not None and p0 is not None and 0 < p0 < 1
    if share:
        tn = np.asarray(trials, dtype=float)
        ty = np.asarray(successes, dtype=float)
        if tn.shape != (n,) or ty.shape != (n,):
            raise ValueError("trials and successes must have one value per bin")
    rounds = 1 if excess is not None else max(1, iterations)
    for _ in range(rounds):
        terms = np.zeros(n)
        if not share_only:
            delta = np.full(x.shape[0], float(excess)) if excess is not None else \
                np.mean(x[:, k:] - mu[:, k:], axis=1)
            use = delta > 0
            if not use.any():
                return 0
            terms = (x[use] * np.log1p(delta[use, None] / mu[use]) - delta[use, None]).sum(axis=0) / max(dispersion, 1.0)
        p1 = min(float(ty[k:].sum() / tn[k:].sum()), 1 - 1e-6) if share and tn[k:].sum() > 0 else -1.0
        if share and p1 > float(p0):  # type: ignore[arg-type]
            terms = terms + ty * math.log(p1 / p0) + (tn - ty) * math.log((1 - p1) / (1 - p0))
        elif share_only:
            return 0
        llr = np.cumsum(terms[::-1])[::-1]
        new_k = int(np.argmax(llr))
        if new_k == k and excess is None:
            break
        k = new_k
    return k


def segmented_regression(t: Iterable[float], y: Iterable[float], breaks: Iterable[tuple[str, float, bool]],
                         maxlags: int | None = None, level: float = 0.95) -> pd.DataFrame:
    """Interrupted time series: OLS of ``y`` on time with level (and optionally slope) changes at breaks.

    Model: ``y = b0 + b1·t + Σ_k [c_k·1(t ≥ T_k) + d_k·(t − T_k)·1(t ≥ T_k)] + ε`` where ``breaks`` lists
    ``(name, T_k, with_slope)``. Standard errors are heteroskedasticity- and autocorrelation-consistent
    (Newey–West HAC, ``maxlags`` default ``ceil(4 (n/100)^(2/9))``), CIs from the normal approximation.
    Returns one row per coefficient (``intercept``, ``trend``, ``level_<name>``, ``slope_<name>``) with columns
    coef, se, ci_low, ci_high, p_value and n (observations). Units: ``y`` units; slopes per unit of ``t``.
    Raises ValueError when there are fewer observations than coefficients + 2.
    """
    import statsmodels.api as sm

    tt = np.asarray(list(t), dtype=float)
    yy = np.asarray(list(y), dtype=float)
    ok = ~(np.isnan(tt) | np.isnan(yy))
    tt, yy = tt[ok], yy[ok]
    cols = {"intercept": np.ones_like(tt), "trend": tt}
    for name, at, with_slope in breaks:
        after = (tt >= at).astype(float)
        cols[f"level_{name}"] = after
        if with_slope:
            cols[f"slope_{name}"] = (tt - at) * after
    X = pd.DataFrame(cols)
    if len(yy) < X.shape[1] + 2:
        raise ValueError(f"segmented regression needs at least {X.shape[1] + 2} observations, got {len(yy)}")
    for name, col in X.items():
        if name != "intercept" and np.ptp(col.to_numpy()) == 0:
            raise ValueError(f"segmented regression: no observations on one side of break {name!r}")
    lags = maxlags if maxlags is not None else int(math.ceil(4 * (len(yy) / 100) ** (2 / 9)))
    fit = sm.OLS(yy, X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    ci = fit.conf_int(alpha=1 - level)
    return pd.DataFrame({"coef": fit.params, "se": fit.bse, "ci_low": ci[0], "ci_high": ci[1],
                         "p_value": fit.pvalues, "n": len(yy)})


def weighted_log_odds(counts_a: Mapping[str, int] | pd.Series, counts_b: Mapping[str, int] | pd.Series,
                      alpha0: float = 500.0) -> pd.DataFrame:
    """Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    Compares term counts of corpus A (e.g. the crisis window) with corpus B (the baseline). The prior is the
    pooled frequency of each term scaled to ``alpha0`` pseudo-counts: ``α_w = alpha0 · (a_w + b_w) / N``.
    ``delta_w = ln[(a_w+α_w)/(n_a+α_0−a_w−α_w)] − ln[(b_w+α_w)/(n_b+α_0−b_w−α_w)]``, its variance
    ``≈ 1/(a_w+α_w) + 1/(b_w+α_w)`` and ``z = delta / sqrt(var)``. Rare terms are shrunk towards zero, so a
    word seen twice cannot top the list. Returns columns term, count_a, count_b, log_odds, z (sorted by z,
    descending); empty input gives an empty frame with these columns.
    """
    a = pd.Series(dict(counts_a) if not isinstance(counts_a, pd.Series) else counts_a, dtype=float)
    b = pd.Series(dict(counts_b) if not isinstance(counts_b, pd.Series) else counts_b, dtype=float)
    terms = a.index.union(b.index)
    cols = ["term", "count_a", "count_b", "log_odds", "z"]
    if len(terms) == 0 or a.sum() <= 0 or b.sum() <= 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "term" else float) for c in cols})
    if alpha0 <= 0:
        raise ValueError(f"alpha0 must be positive, got {alpha0}")
    a, b = a.reindex(terms, fill_value=0.0), b.reindex(terms, fill_value=0.0)
    na, nb = a.sum(), b.sum()
    alpha = alpha0 * (a + b) / (na + nb)
    la = np.log((a + alpha) / (na + alpha0 - a - alpha))
    lb = np.log((b + alpha) / (nb + alpha0 - b - alpha))
    delta = la - lb
    z = delta / np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))
    out = pd.DataFrame({"term": terms.astype(str), "count_a": a.to_numpy().astype(int),
                        "count_b": b.to_numpy().astype(int), "log_odds": delta.to_numpy(), "z": z.to_numpy()})
    return out.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)


def paired_mean_difference(before: Iterable[float], after: Iterable[float], level: float = 0.95,
                           digits: int = 2) -> Estimate:
    """Mean of ``after − before`` over pairs, with a t-distribution CI (units of the inputs).

    Pairs with a missing value on either side are dropped; ``n`` is the number of complete pairs. One pair
    gives the difference without a CI; none gives NaN.
    """
    from scipy.stats import t as t_dist

    b = np.asarray(list(before), dtype=float)
    a = np.asarray(list(after), dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"before and after must have the same length, got {b.size} and {a.size}")
    d = (a - b)[~(np.isnan(a) | np.isnan(b))]
    n = d.size
    if n == 0:
        return Estimate(NAN, n=0, level=level, digits=digits)
    mean = float(d.mean())
    if n == 1:
        return Estimate(mean, n=1, level=level, digits=digits)
    se = float(d.std(ddof=1) / math.sqrt(n))
    half = float(t_dist.ppf(0.5 + level / 2, n - 1)) * se
    return Estimate(mean, mean - half, mean + half, n, level, digits)
