"""Campaign-vs-community charts (notebook 02): lift, rate ratios, retention, survival, costs."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from helpers.i18n import N_
from helpers.plots.base import (
    PALETTE,
    figure,
    finish,
    is_empty,
    no_data,
    pct_label,
)

if TYPE_CHECKING:  # a type hint only: drawing needs no statistics imports
    from helpers.campaigns import CampaignData

__all__ = ["lift_figures", "lift_observed_vs_predicted", "rate_ratio_forest", "retention_bars", "survival_curves_plot", "cost_per_member_bars"]

_KIND_COLORS = {"paid": PALETTE[3], "community": PALETTE[2], "organic": PALETTE[0]}
_KIND_NAMES = {"paid": N_("paid campaigns"), "community": N_("community programmes"), "organic": N_("organic")}


def lift_observed_vs_predicted(series: pd.DataFrame, title: str, unit: str, rel_lift: float = float("nan"),
                               rel_ci: tuple[float, float] = (float("nan"), float("nan"))) -> Figure:
    """Observed daily values vs the counterfactual prediction (pre-period fit and window forecast with its
    95 % band); the window is shaded. ``series`` is :attr:`helpers.stats.LiftEstimate.series`."""
    xlabel, ylabel = N_("Day (local)"), N_("{unit} per day").format(unit=unit)
    if is_empty(series):
        return no_data(title, xlabel, ylabel)
    fig, ax = figure()
    ax.plot(series.index, series["observed"], color=PALETTE[0], lw=1.4, label=N_("observed"))
    ax.plot(series.index, series["predicted"], color=PALETTE[1], lw=1.4, ls="--", label=N_("predicted without it"))
    win = series[series["period"] == "window"]
    ax.fill_between(win.index, win["predicted_low"].clip(lower=0), win["predicted_high"], color=PALETTE[1],
                    alpha=0.2, label=N_("95 % band of the prediction"))
    if len(win):
        ax.axvspan(win.index[0], win.index[-1] + pd.Timedelta(days=1), color="#999999", alpha=0.12, lw=0)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.autofmt_xdate()
    lift = "n/a" if pd.isna(rel_lift) else f"{rel_lift * 100:+.0f} % (95 % CI {rel_ci[0] * 100:+.0f} % to " \
        f"{rel_ci[1] * 100:+.0f} %)"
    n_pre = int((series["period"] == "pre").sum())
    alt = N_("{title}. Observed {unit} per day against a model prediction fitted on the {pre} days before the window "
             "({days} days, shaded). Relative lift {lift}.").format(title=title, unit=unit, pre=n_pre, days=len(win),
                                                                    lift=lift)
    return finish(fig, ax, title, xlabel, ylabel, alt)


def rate_ratio_forest(rr: pd.DataFrame, title: str = N_("Comments per post vs organic posts")) -> Figure:
    """Rate ratios with 95 % CIs (log scale), one row per group; 1 = the organic rate."""
    xlabel, ylabel = N_("Rate ratio vs organic posts (×, log scale)"), N_("Posts of")
    if is_empty(rr):
        return no_data(title, xlabel, ylabel)
    fig, ax = figure((8.0, 1.2 + 0.6 * len(rr)))
    ys = np.arange(len(rr))[::-1]
    for y, (_, r) in zip(ys, rr.iterrows()):
        color = _KIND_COLORS.get(str(r["group"]), PALETTE[4])
        ax.errorbar(r["rate_ratio"], y, xerr=[[r["rate_ratio"] - r["ci_low"]], [r["ci_high"] - r["rate_ratio"]]],
                    fmt="o", color=color, capsize=4)
        ax.text(r["ci_high"], y, f"  {r['rate_ratio']:.2f}× (n = {int(r['n'])})", va="center", fontsize=8)
    ax.axvline(1.0, color="#555555", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_yticks(ys, [_KIND_NAMES.get(str(g), str(g)) for g in rr["group"]])
    ax.set_ylim(-0.7, len(rr) - 0.3)
    listing = "; ".join(N_("{group} {ratio}× (95 % CI {low}–{high})").format(
        group=_KIND_NAMES.get(str(r["group"]), r["group"]), ratio=f"{r['rate_ratio']:.2f}", low=f"{r['ci_low']:.2f}",
        high=f"{r['ci_high']:.2f}") for _, r in rr.iterrows())
    return finish(fig, ax, title, xlabel, ylabel, N_("{title}: {listing}.").format(title=title, listing=listing))


def retention_bars(retention: pd.DataFrame, retention_days: int) -> Figure:
    """Share of each cohort still active after ``retention_days`` with 95 % Wilson intervals."""
    title = N_("Members still active {days} days after their first message").format(days=retention_days)
    xlabel, ylabel = N_("Cohort (window of the first message)"), N_("Retained (share of members)")
    data = retention[retention["n"] > 0] if not is_empty(retention) else retention
    if is_empty(data):
        return no_data(title, xlabel, ylabel)
    fig, ax = figure((7.5, 4.2))
    x = np.arange(len(data))
    vals = data["retention"].to_numpy(float)
    err = np.vstack([vals - data["ci_low"].to_numpy(float), data["ci_high"].to_numpy(float) - vals])
    ax.bar(x, vals, color=[_KIND_COLORS.get(c, PALETTE[4]) for c in data["cohort"]], yerr=err, capsize=5)
    for xi, v, n in zip(x, vals, data["n"]):
        ax.text(xi, 0.02, f"{v * 100:.0f} %\nn = {int(n)}", ha="center", va="bottom", fontsize=8, color="white")
    ax.set_xticks(x, [_KIND_NAMES.get(c, c) for c in data["cohort"]])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    listing = ", ".join(N_("{group} {share} (95 % CI {low}–{high}, n = {n})").format(
        group=_KIND_NAMES.get(r["cohort"], r["cohort"]), share=pct_label(r["retention"]), low=pct_label(r["ci_low"]),
        high=pct_label(r["ci_high"]), n=int(r["n"])) for _, r in data.iterrows())
    return finish(fig, ax, title, xlabel, ylabel, N_("{title}: {listing}.").format(title=title, listing=listing))


def survival_curves_plot(curves: pd.DataFrame, retention_days: int) -> Figure:
    """Kaplan–Meier curves per cohort: share of members still active t days after their first message."""
    title = N_("How long members stay active, by cohort (Kaplan–Meier)")
    xlabel, ylabel = N_("Days since first message"), N_("Still active (share of cohort)")
    if is_empty(curves):
        return no_data(title, xlabel, ylabel)
    fig, ax = figure()
    parts = []
    for cohort, c in curves.groupby("cohort", sort=False):
        color = _KIND_COLORS.get(str(cohort), PALETTE[4])
        ax.step(c["time"], c["survival"], where="post", color=color, label=_KIND_NAMES.get(str(cohort), cohort))
        ax.fill_between(c["time"], c["ci_low"], c["ci_high"], step="post", color=color, alpha=0.15)
        before = c[c["time"] <= retention_days]
        s = float(before["survival"].iloc[-1]) if len(before) else float("nan")
        parts.append(N_("{group} {share} at {days} days").format(group=_KIND_NAMES.get(str(cohort), cohort),
                                                                share=pct_label(s), days=retention_days))
    ax.axvline(retention_days, color="#555555", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, ax, title, xlabel, ylabel, N_("{title}: {listing}.").format(title=title,
                                                                                  listing="; ".join(parts)))


def cost_per_member_bars(costs: pd.DataFrame) -> Figure:
    """Cost per engaged and per retained member, paid campaigns vs community programmes, with intervals."""
    cur = str(costs["currency"].iloc[0]) if not is_empty(costs) else ""
    title = N_("Cost per engaged and per retained member")
    xlabel, ylabel = "", N_("Cost per member ({currency})").format(currency=cur) if cur else N_("Cost per member")
    data = costs[costs["cost"].notna()] if not is_empty(costs) else costs
    if is_empty(data):
        return no_data(title, xlabel, ylabel, N_("No budgets or no members to divide them by."))
    fig, ax = figure((8.0, 4.2))
    labels = [f"{_KIND_NAMES.get(r['kind'], r['kind'])}\nper {r['per']}" for _, r in data.iterrows()]
    vals = data["cost"].to_numpy(float)
    low = np.nan_to_num(vals - data["ci_low"].to_numpy(float), nan=0.0)
    high = np.nan_to_num(data["ci_high"].to_numpy(float) - vals, nan=0.0)
    ax.bar(np.arange(len(data)), vals, color=[_KIND_COLORS.get(k, PALETTE[4]) for k in data["kind"]],
           yerr=np.vstack([low, high]), capsize=5)
    ax.set_xticks(np.arange(len(data)), labels, fontsize=8)
    listing = "; ".join(N_("{group} per {per} {cost} {currency} (n = {n})").format(
        group=_KIND_NAMES.get(r["kind"], r["kind"]), per=r["per"], cost=f"{r['cost']:,.0f}", currency=cur,
        n=int(r["members"])) for _, r in data.iterrows())
    return finish(fig, ax, title, xlabel, ylabel, N_("{title}: {listing}.").format(title=title, listing=listing))


def lift_figures(data: CampaignData, lift: dict[str, dict[str, Any]], metric: str = "engagement"
                 ) -> list[tuple[str, Any]]:
    """``(name, figure)`` per initiative with a lift estimate: observed vs predicted daily ``metric``."""
    units = {"engagement": N_("member messages"), "reach": N_("reach (impressions)"),
             "new_members": N_("new active members")}
    out = []
    for _, r in data.initiatives.iterrows():
        est = lift.get(r["campaign_id"], {}).get(metric)
        if est is None:
            continue
        title = N_("{id} {name} ({kind}, {channel}): daily {unit}").format(
            id=r["campaign_id"], name=r["name"], kind=r["short"], channel=r["channel"], unit=units[metric])
        out.append((f"lift_{metric}_{r['campaign_id']}",
                    lift_observed_vs_predicted(est.series, title, units[metric], est.rel_lift,
                                                     (est.rel_ci_low, est.rel_ci_high))))
    return out
