"""Plain-language views of notebook 02 (campaign vs community): status, lift notes and the verdict.

Markdown carries numbers; any user-given text (initiative names, notes) is HTML-escaped."""
from __future__ import annotations

import html
from typing import Any

import pandas as pd

from helpers import stats
from helpers.campaigns import KIND_LABEL, CampaignData
from helpers.formatting import pct
from helpers.i18n import N_
from helpers.stats import format_number

__all__ = ["status_markdown", "ladder_wide", "verdict", "lift_note"]


def status_markdown(data: CampaignData) -> str:
    """The analysed period, the initiatives and every edge-case note, as Markdown (user text escaped)."""
    if data.messages.empty:
        return N_("**No messages** in the selected brand and period: nothing to analyse.")
    lines = [N_("Analysed: **{messages} messages**, {first} – {last} (timezone {timezone}); **{initiatives} "
                "initiative(s)**: {paid} paid campaign(s), {community} community programme(s).").format(
        messages=f"{len(data.messages):,}", first=f"{data.first_day:%Y-%m-%d}", last=f"{data.last_day:%Y-%m-%d}",
        timezone=data.timezone, initiatives=len(data.initiatives), paid=(data.initiatives["short"] == "paid").sum(),
        community=(data.initiatives["short"] == "community").sum())]
    if data.notes:
        lines.append("")
        lines.append(N_("**Notes on the data:**"))
        lines += [f"- {html.escape(n)}" for n in data.notes]
    else:
        lines.append("")
        lines.append(N_("No edge cases: every initiative has its full pre-period and no windows overlap."))
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
        reason = data.notes[-1] if data.notes else N_("no initiatives in range")
        return N_("**No verdict.** {reason}").format(reason=reason)
    ret = retention.set_index("cohort")
    parts: list[str] = []
    rp, rc, ro = (ret.loc[k] for k in ("paid", "community", "organic"))
    diff = stats.two_proportion_diff(int(rc["retained"]), int(rc["n"]), int(rp["retained"]), int(rp["n"]))
    if pd.isna(diff.value):
        winner = N_("There is not enough data to compare retention of paid-campaign and community-programme "
                    "cohorts.")
    elif diff.ci_low > 0:
        winner = N_("**Community programmes bought more lasting participation than paid campaigns.**")
    elif diff.ci_high < 0:
        winner = N_("**Paid campaigns bought more lasting participation than community programmes.**")
    else:
        winner = N_("**Neither approach clearly bought more lasting participation**: the retention difference "
                    "is within the noise.")
    parts.append(winner)
    rd = data.retention_days
    parts.append(N_(
        "Of the members whose first message fell in a community programme, {c} were still active {days} days later "
        "(95 % CI {c_low}–{c_high}, n = {c_n}); for paid campaigns {p} ({p_low}–{p_high}, n = {p_n}); for members "
        "who joined on their own {o} ({o_low}–{o_high}, n = {o_n}). Difference community − paid: {diff} percentage "
        "points (95 % CI {diff_low} to {diff_high}).").format(
        c=pct(rc["retention"]), days=rd, c_low=pct(rc["ci_low"]), c_high=pct(rc["ci_high"]), c_n=int(rc["n"]),
        p=pct(rp["retention"]), p_low=pct(rp["ci_low"]), p_high=pct(rp["ci_high"]), p_n=int(rp["n"]),
        o=pct(ro["retention"]), o_low=pct(ro["ci_low"]), o_high=pct(ro["ci_high"]), o_n=int(ro["n"]),
        diff=format_number(diff.value * 100, 0), diff_low=format_number(diff.ci_low * 100, 0),
        diff_high=format_number(diff.ci_high * 100, 0)))
    if not costs.empty:
        c = costs[costs["per"] == "retained member"].set_index("kind")
        if {"paid", "community"} <= set(c.index):
            cur = data.currency
            parts.append(N_(
                "Each retained member cost {community} {currency} through community programmes and {paid} {currency} "
                "through paid campaigns ({community_members} and {paid_members} retained members).").format(
                community=format_number(c.loc["community", "cost"], 0), currency=cur,
                paid=format_number(c.loc["paid", "cost"], 0), community_members=int(c.loc["community", "members"]),
                paid_members=int(c.loc["paid", "members"])))
    eng = lift_tab[(lift_tab["metric"] == "engagement") & lift_tab["rel_lift"].notna()]
    reach = lift_tab[(lift_tab["metric"] == "reach") & lift_tab["rel_lift"].notna()]
    lifted = {"paid": N_("Paid campaigns lifted daily engagement on their channel by {engagement} (median over "
                         "{n} initiative(s)) and reach by {reach} against the model's counterfactual."),
              "community": N_("Community programmes lifted daily engagement on their channel by {engagement} "
                              "(median over {n} initiative(s)) and reach by {reach} against the model's "
                              "counterfactual.")}
    for short, sentence in lifted.items():
        e = eng[eng["kind"] == short]
        rr_ = reach[reach["kind"] == short]
        if e.empty:
            continue
        parts.append(sentence.format(engagement=pct(e["rel_lift"].median(), signed=True), n=len(e),
                                     reach=pct(rr_["rel_lift"].median(), signed=True)))
    if not rate_ratios.empty:
        rr = rate_ratios.set_index("group")
        bits = [N_("{group} {ratio}× (95 % CI {low}–{high}, n = {n} posts)").format(
                    group=KIND_LABEL[g], ratio=format_number(rr.loc[g, "rate_ratio"]),
                    low=format_number(rr.loc[g, "ci_low"]), high=format_number(rr.loc[g, "ci_high"]),
                    n=int(rr.loc[g, "n"])) for g in ("paid", "community") if g in rr.index]
        parts.append(N_("Comments per post versus organic posts: {ratios}.").format(ratios="; ".join(bits)))
    caveats = [
        N_("this is observational data: campaigns were not assigned at random, so timing, channel and topic can "
           "confound the comparison (the models control for channel, weekday, hour and trend, not for everything)"),
        N_("cohorts are attributed by the window of a member's first message; members who would have joined anyway "
           "are counted to the initiative"),
        N_("only {n} initiative(s): each approach is judged on a handful of cases").format(n=len(data.initiatives)),
        N_("lifts extrapolate {days} days of pre-period; a trend or shock in the window that the pre-period does "
           "not show biases them").format(days=data.pre_period_days),
    ]
    if data.overlaps:
        caveats.append(N_("{n} overlap(s) flagged above (windows, pre-periods or incidents)").format(
            n=len(data.overlaps)))
    skipped = data.initiatives[~data.initiatives["lift_ok"]]
    if not skipped.empty:
        caveats.append(N_("lifts skipped for {ids} (too little pre-period data)").format(
            ids=", ".join(skipped["campaign_id"])))
    parts.append(N_("**Caveats:** {caveats}.").format(caveats="; ".join(caveats)))
    return "\n\n".join(parts)


def lift_note(data: CampaignData, lift: dict[str, dict[str, Any]]) -> str:
    """Markdown: how many initiatives got a counterfactual lift and why the others were skipped."""
    if not data.has_initiatives:
        return N_("**No counterfactual lifts:** no initiative falls in the selected period.")
    done = [cid for cid, res in lift.items() if res.get("engagement") is not None]
    lines = [N_("Counterfactual lifts for **{done} of {n}** initiative(s).").format(done=len(done),
                                                                                   n=len(data.initiatives))]
    for cid, res in lift.items():
        if res.get("engagement") is None:
            lines.append("- " + N_("{id} skipped: {reason}").format(
                id=html.escape(cid), reason=html.escape(res.get("skipped") or N_("no estimate"))))
    return "\n".join(lines)
