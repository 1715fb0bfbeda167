"""Plain-language views of notebook 02 (campaign vs community): status, lift notes and the verdict.

Markdown carries numbers; any user-given text (initiative names, notes) is HTML-escaped."""
from __future__ import annotations

import html
from typing import Any

import pandas as pd

from helpers import stats
from helpers.campaigns import KIND_LABEL, CampaignData
from helpers.formatting import pct
from helpers.stats import format_number

__all__ = ["status_markdown", "ladder_wide", "verdict", "lift_note"]


def status_markdown(data: CampaignData) -> str:
    """The analysed period, the initiatives and every edge-case note, as Markdown (user text escaped)."""
    if data.messages.empty:
        return "**No messages** in the selected brand and period: nothing to analyse."
    lines = [f"Analysed: **{len(data.messages):,} messages**, {data.first_day:%Y-%m-%d} – {data.last_day:%Y-%m-%d} "
             f"(timezone {data.timezone}); **{len(data.initiatives)} initiative(s)**: "
             f"{(data.initiatives['short'] == 'paid').sum()} paid campaign(s), "
             f"{(data.initiatives['short'] == 'community').sum()} community programme(s)."]
    if data.notes:
        lines.append("")
        lines.append("**Notes on the data:**")
        lines += [f"- {html.escape(n)}" for n in data.notes]
    else:
        lines.append("")
        lines.append("No edge cases: every initiative has its full pre-period and no windows overlap.")
    return "\n".join(lines)


def ladder_wide(ladder: pd.DataFrame) -> pd.DataFrame:
    """The ladder as a readable matrix: one row per level/metric, one column per initiative."""
    if ladder.empty:
        return pd.DataFrame()
    wide = ladder.pivot_table(index=["level", "metric"], columns="campaign_id", values="value", aggfunc="first",
                              sort=False)
    order = {"output": 0, "out-take": 1, "outcome": 2}
    return wide.sort_index(key=lambda idx: idx.map(order) if idx.name == "level" else idx.map(lambda _: 0),
                           kind="stable")


def verdict(data: CampaignData, retention: pd.DataFrame, costs: pd.DataFrame, rate_ratios: pd.DataFrame,
            lift_tab: pd.DataFrame) -> str:
    """A plain-language verdict (Markdown): which approach bought lasting participation on this data, with
    the numbers behind it and the caveats (confounding, overlaps, small n, short pre-periods)."""
    if data.messages.empty or not data.has_initiatives:
        reason = data.notes[-1] if data.notes else "no initiatives in range"
        return f"**No verdict.** {reason}"
    ret = retention.set_index("cohort")
    parts: list[str] = []
    rp, rc, ro = (ret.loc[k] for k in ("paid", "community", "organic"))
    diff = stats.two_proportion_diff(int(rc["retained"]), int(rc["n"]), int(rp["retained"]), int(rp["n"]))
    if pd.isna(diff.value):
        winner = ("There is not enough data to compare retention of paid-campaign and community-programme "
                  "cohorts.")
    elif diff.ci_low > 0:
        winner = "**Community programmes bought more lasting participation than paid campaigns.**"
    elif diff.ci_high < 0:
        winner = "**Paid campaigns bought more lasting participation than community programmes.**"
    else:
        winner = ("**Neither approach clearly bought more lasting participation**: the retention difference "
                  "is within the noise.")
    parts.append(winner)
    rd = data.retention_days
    parts.append(
        f"Of the members whose first message fell in a community programme, {pct(rc['retention'])} were "
        f"still active {rd} days later (95 % CI {pct(rc['ci_low'])}–{pct(rc['ci_high'])}, n = {int(rc['n'])}); "
        f"for paid campaigns {pct(rp['retention'])} ({pct(rp['ci_low'])}–{pct(rp['ci_high'])}, "
        f"n = {int(rp['n'])}); for members who joined on their own {pct(ro['retention'])} "
        f"({pct(ro['ci_low'])}–{pct(ro['ci_high'])}, n = {int(ro['n'])}). "
        f"Difference community − paid: {format_number(diff.value * 100, 0)} percentage points "
        f"(95 % CI {format_number(diff.ci_low * 100, 0)} to {format_number(diff.ci_high * 100, 0)}).")
    if not costs.empty:
        c = costs[costs["per"] == "retained member"].set_index("kind")
        if {"paid", "community"} <= set(c.index):
            cur = data.currency
            parts.append(
                f"Each retained member cost {format_number(c.loc['community', 'cost'], 0)} {cur} through community "
                f"programmes and {format_number(c.loc['paid', 'cost'], 0)} {cur} through paid campaigns "
                f"({int(c.loc['community', 'members'])} and {int(c.loc['paid', 'members'])} retained members).")
    eng = lift_tab[(lift_tab["metric"] == "engagement") & lift_tab["rel_lift"].notna()]
    reach = lift_tab[(lift_tab["metric"] == "reach") & lift_tab["rel_lift"].notna()]
    for short, label in (("paid", "Paid campaigns"), ("community", "Community programmes")):
        e = eng[eng["kind"] == short]
        rr_ = reach[reach["kind"] == short]
        if e.empty:
            continue
        parts.append(f"{label} lifted daily engagement on their channel by {pct(e['rel_lift'].median(), signed=True)} "
                     f"(median over {len(e)} initiative(s)) and reach by {pct(rr_['rel_lift'].median(), signed=True)} "
                     "against the model's counterfactual.")
    if not rate_ratios.empty:
        rr = rate_ratios.set_index("group")
        bits = [f"{KIND_LABEL[g]} {format_number(rr.loc[g, 'rate_ratio'])}× "
                f"(95 % CI {format_number(rr.loc[g, 'ci_low'])}–{format_number(rr.loc[g, 'ci_high'])}, "
                f"n = {int(rr.loc[g, 'n'])} posts)" for g in ("paid", "community") if g in rr.index]
        parts.append("Comments per post versus organic posts: " + "; ".join(bits) + ".")
    caveats = [
        "this is observational data: campaigns were not assigned at random, so timing, channel and topic can "
        "confound the comparison (the models control for channel, weekday, hour and trend, not for everything)",
        "cohorts are attributed by the window of a member's first message; members who would have joined anyway "
        "are counted to the initiative",
        f"only {len(data.initiatives)} initiative(s): each approach is judged on a handful of cases",
        f"lifts extrapolate {data.pre_period_days} days of pre-period; a trend or shock in the window that the "
        "pre-period does not show biases them",
    ]
    if data.overlaps:
        caveats.append(f"{len(data.overlaps)} overlap(s) flagged above (windows, pre-periods or incidents)")
    skipped = data.initiatives[~data.initiatives["lift_ok"]]
    if not skipped.empty:
        caveats.append(f"lifts skipped for {', '.join(skipped['campaign_id'])} (too little pre-period data)")
    parts.append("**Caveats:** " + "; ".join(caveats) + ".")
    return "\n\n".join(parts)


def lift_note(data: CampaignData, lift: dict[str, dict[str, Any]]) -> str:
    """Markdown: how many initiatives got a counterfactual lift and why the others were skipped."""
    if not data.has_initiatives:
        return "**No counterfactual lifts:** no initiative falls in the selected period."
    done = [cid for cid, res in lift.items() if res.get("engagement") is not None]
    lines = [f"Counterfactual lifts for **{len(done)} of {len(data.initiatives)}** initiative(s)."]
    for cid, res in lift.items():
        if res.get("engagement") is None:
            lines.append(f"- {html.escape(cid)} skipped: {html.escape(res.get('skipped') or 'no estimate')}")
    return "\n".join(lines)
