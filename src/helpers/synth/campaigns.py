"""Planted truth for the campaign-vs-community analysis (notebooks/02_campaign_vs_community.ipynb).

:func:`campaign_truth` is called from :func:`helpers.synth.truth.ground_truth` and returns the notebook's
findings keys, computed from the generator's planted state with the definitions of DEVELOPERS.md
("Campaigns and community programmes") — never by running the analysis on the output:

* ``initiatives[id].engagement_lift`` — relative lift (share, 0.35 = +35 %) of *expected* member messages on
  the initiative's channel during its window over the counterfactual expectation without it (same organic
  posts, campaign factors removed, its extra posts removed). Expectations: comments per post
  ``c0 · reach_base^0.6 · comment_weight · activity(day)``, UGC per day ``u_ch · activity(day) · UGC factors``,
  member replies ``rho · (1 + depth) · reply factor`` per comment/UGC. Follow-ups to brand replies and
  incident bursts are the same in both worlds and left out.
* ``initiatives[id].reach_lift`` — realised reach of the channel's brand posts in the window over the same
  posts' reach without the campaign factor (its extra posts count 0), minus 1.
* ``retention_paid/_community/_organic`` — share of members, by the cohort of their first member message,
  with a member message at least ``retention_days`` (60) after it, among those observable that long.
* ``engagement_rate_ratio_paid/_community`` — planted factor on comments per post of paid/community posts
  vs organic posts (geometric mean of the campaigns' ``comment_multiplier`` weighted by their posts).
* ``cost_per_engaged_member_*`` / ``cost_per_retained_member_*`` — budget over distinct members engaged in
  the windows / retained members of the cohorts (currency of the campaigns).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.synth.effects import activity_profile, campaign_day_factor, campaign_effects
from helpers.synth.state import SynthState

__all__ = ["KINDS", "RETENTION_DAYS", "campaign_truth"]

KINDS = {"paid_campaign": "paid", "community_programme": "community"}
RETENTION_DAYS = 60


def _window(state: SynthState, c: Any) -> tuple[int, int]:
    return max(c.start_day, 0), min(c.start_day + c.days, state.n_days)


def _days(state: SynthState) -> dict[int, int]:
    """Local day index of every message, by ``idx`` (computed once: day_of per message is slow)."""
    msgs = state.messages
    days = state.day_of(np.array([m["t"] for m in msgs], dtype=np.int64))
    return {m["idx"]: int(d) for m, d in zip(msgs, days)}


def _expected_daily(state: SynthState, channel: str, exclude: str | None = None,
                    day_of: dict[int, int] | None = None) -> np.ndarray:
    """Expected member messages per local day on ``channel`` (comments, UGC, member replies).

    ``exclude`` = a campaign id: its counterfactual (its factors removed, its extra posts dropped).
    """
    day_of = day_of or _days(state)
    activity = activity_profile(state)
    c0 = float(state.plan.get("comment_rate", 0.0))
    comments = np.zeros(state.n_days)
    spec = next((c for c in state.campaigns if c.campaign_id == exclude), None)
    cm = float(campaign_effects(spec)["comment_multiplier"]) if spec else 1.0
    for p in state.messages:
        if p["kind"] != "post" or p["channel"] != channel or p.get("post_type") == "statement" \
                or p.get("incident_id") is not None:
            continue
        weight = p["comment_weight"]
        if exclude is not None and p["campaign_id"] == exclude:
            if p.get("campaign_extra"):
                continue
            weight = weight / cm
        day = day_of[p["idx"]]
        comments[day] += c0 * p.get("reach_base", p["reach"]) ** 0.6 * weight * activity[day]
    ugc = state.plan.get("ugc_rate", {}).get(channel, 0.0) * activity \
        * campaign_day_factor(state, channel, "ugc_multiplier", exclude=exclude)
    reply = float(state.plan.get("reply_rate", 0.0)) * (1 + float(state.plan.get("reply_depth", 0.0))) \
        * campaign_day_factor(state, channel, "reply_multiplier", exclude=exclude)
    return (comments + ugc) * (1 + reply)


def _reach_lift(state: SynthState, c: Any, day_of: dict[int, int]) -> tuple[float, float]:
    lo, hi = _window(state, c)
    actual = counter = 0.0
    for p in state.messages:
        if p["kind"] != "post" or p["channel"] != c.channel:
            continue
        day = day_of[p["idx"]]
        if not lo <= day < hi:
            continue
        actual += p["reach"]
        if p["campaign_id"] == c.campaign_id:
            counter += 0.0 if p.get("campaign_extra") else round(p.get("reach_base", p["reach"]))
        else:
            counter += p["reach"]
    return (actual / counter - 1 if counter else math.nan), actual - counter


def _cohorts(state: SynthState, retention_days: int, day_of: dict[int, int]) -> dict[str, Any]:
    """First member message per member, its cohort and initiative, and whether the member was retained."""
    msgs = sorted((m for m in state.messages if m["role"] == "member"), key=lambda m: (m["t"], m["idx"]))
    last_t = max(m["t"] for m in state.messages)
    first: dict[str, dict[str, Any]] = {}
    last_of: dict[str, int] = {}
    for m in msgs:
        first.setdefault(m["author"], m)
        last_of[m["author"]] = m["t"]
    horizon = retention_days * 86400
    out: dict[str, Any] = {}
    for author, m in first.items():
        day = day_of[m["idx"]]
        hits = [c for c in state.campaigns if c.channel == m["channel"] and _window(state, c)[0] <= day
                < _window(state, c)[1]]
        kinds = {KINDS[c.kind] for c in hits}
        cohort = "overlap" if len(kinds) > 1 else (kinds.pop() if kinds else "organic")
        eligible = m["t"] + horizon <= last_t
        out[author] = {"cohort": cohort, "initiative": hits[0].campaign_id if hits else None,
                       "eligible": eligible, "retained": eligible and last_of[author] >= m["t"] + horizon}
    return {"members": out, "last_t": last_t}


def campaign_truth(state: SynthState, retention_days: int = RETENTION_DAYS) -> dict[str, Any]:
    """The campaign-vs-community findings keys planted in ``state`` (see the module docstring)."""
    if not state.messages:
        return {}
    members = state.members
    acquired = members["acquired_by"].value_counts().to_dict() if members is not None and \
        "acquired_by" in members else {}
    channels = {c.channel for c in state.campaigns}
    day_of = _days(state)
    planted = {ch: _expected_daily(state, ch, day_of=day_of) for ch in channels}
    initiatives: dict[str, Any] = {}
    for c in state.campaigns:
        lo, hi = _window(state, c)
        cf = _expected_daily(state, c.channel, exclude=c.campaign_id, day_of=day_of)
        e, e_cf = float(planted[c.channel][lo:hi].sum()), float(cf[lo:hi].sum())
        reach_lift, reach_abs = _reach_lift(state, c, day_of)
        eff = campaign_effects(c)
        initiatives[c.campaign_id] = {
            "kind": c.kind, "channel": c.channel, "window_days": hi - lo,
            "engagement_lift": e / e_cf - 1 if e_cf else math.nan,
            "engagement_lift_abs": e - e_cf,
            "reach_lift": reach_lift, "reach_lift_abs": reach_abs,
            "new_members_planted": int(acquired.get(c.campaign_id, 0)),
            "comment_multiplier": float(eff["comment_multiplier"]),
            "budget": c.budget, "currency": c.currency,
        }
    truth: dict[str, Any] = {"initiatives": initiatives, "retention_days": retention_days}

    # per-post comment rate ratios: planted comment factor, geometric mean weighted by the kind's posts
    for kind, short in KINDS.items():
        logs, weights = [], []
        for c in state.campaigns:
            if c.kind != kind:
                continue
            n = sum(1 for m in state.messages if m["kind"] == "post" and m["campaign_id"] == c.campaign_id)
            logs.append(math.log(float(campaign_effects(c)["comment_multiplier"])))
            weights.append(n)
        truth[f"engagement_rate_ratio_{short}"] = math.exp(np.average(logs, weights=weights)) \
            if weights and sum(weights) else math.nan

    cohorts = _cohorts(state, retention_days, day_of)
    members_c = cohorts["members"]
    for short in ("paid", "community", "organic"):
        elig = [v for v in members_c.values() if v["cohort"] == short and v["eligible"]]
        truth[f"retention_{short}"] = sum(v["retained"] for v in elig) / len(elig) if elig else math.nan
        truth[f"retention_{short}_n"] = len(elig)
    truth["retention_overlap_n"] = sum(1 for v in members_c.values() if v["cohort"] == "overlap")

    # cost per engaged / retained member
    for kind, short in KINDS.items():
        budget_e = engaged = budget_r = retained = 0.0
        for c in state.campaigns:
            if c.kind != kind or c.budget is None:
                continue
            lo, hi = _window(state, c)
            authors = {m["author"] for m in state.messages if m["role"] == "member" and m["channel"] == c.channel
                       and lo <= day_of[m["idx"]] < hi}
            budget_e += c.budget
            engaged += len(authors)
            end_t = int(state.day_starts[hi]) if hi < len(state.day_starts) else state.t_end
            if end_t + retention_days * 86400 <= cohorts["last_t"]:
                budget_r += c.budget
                retained += sum(1 for v in members_c.values() if v["initiative"] == c.campaign_id
                                and v["cohort"] == short and v["retained"])
        truth[f"cost_per_engaged_member_{short}"] = budget_e / engaged if engaged else math.nan
        truth[f"cost_per_retained_member_{short}"] = budget_r / retained if retained else math.nan
    return truth
