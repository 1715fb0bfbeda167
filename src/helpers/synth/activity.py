"""Generation steps for member activity: comments, UGC and member replies, and the incident bursts.

Lags are in hours (lognormal), times in UTC epoch seconds; counts are Poisson around planted expectations.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.synth.draws import clip_time, hour_profile, lognormal_hours, norm
from helpers.synth.effects import activity_profile, campaign_day_factor, incident_effects, incident_extra_days
from helpers.synth.posts import post_reach
from helpers.synth.state import SynthState

__all__ = ["step_member_messages", "step_incidents"]


def step_member_messages(state: SynthState) -> SynthState:
    """Baseline member activity: comments on brand posts, UGC posts and replies to other members."""
    o, rng, plan = state.options, state.rng, state.plan
    m0 = int(plan["baseline_member_messages"])
    n_ugc, n_rep = int(plan["ugc"]), int(plan["member_replies"])
    n_com = max(0, m0 - n_ugc - n_rep)

    # comments: Poisson per post around c0 · reach_base^0.6 · comment weight · activity(day) (weekly, trend)
    posts = [m for m in state.messages if m["kind"] == "post"]
    activity = activity_profile(state)
    post_days = state.day_of(np.array([p["t"] for p in posts], dtype=np.int64)) if posts else []
    w = np.array([(p.get("reach_base", p["reach"]) ** 0.6) * p["comment_weight"] * activity[d]
                  for p, d in zip(posts, post_days)], dtype=float)
    c0 = n_com / w.sum() if posts else 0.0
    state.plan["comment_rate"] = c0
    per_post = rng.poisson(c0 * w) if posts else np.zeros(0, dtype=int)
    for post, k in zip(posts, per_post):
        if k == 0:
            continue
        lag = lognormal_hours(rng, o.comment_lag_median_hours, o.comment_lag_sigma, k)
        lag = np.minimum(lag, 24 * 10)
        times = clip_time(state, post["t"] + (lag * 3600).astype(np.int64) + 30, np.full(k, post["t"]))
        for t in times:
            state.add(kind="comment", role="member", parent=post["idx"], root=post["idx"], channel=post["channel"],
                      t=int(t))

    # UGC: Poisson per channel and day around u_ch · activity(day) · community-programme UGC multipliers
    chans = list(o.channels)
    profile = hour_profile()
    shares = norm(o.channels)
    state.plan["ugc_rate"] = {}
    for channel in chans:
        dw = activity * campaign_day_factor(state, channel, "ugc_multiplier")
        u = n_ugc * shares[channel] / dw.sum()
        state.plan["ugc_rate"][channel] = u
        per_day = rng.poisson(u * dw)
        k = int(per_day.sum())
        if k == 0:
            continue
        days = np.repeat(np.arange(state.n_days), per_day)
        hours = rng.choice(24, size=k, p=profile) + rng.random(k)
        for t in state.at(days, hours):
            state.add(kind="ugc", role="member", channel=channel, t=int(t))

    # replies to other members: 75 % answer a comment/UGC (Poisson per candidate, community programmes raise
    # the rate on their channel inside their window), 25 % answer such a reply
    first_level = int(round(n_rep * 0.75))
    candidates = [m for m in state.messages if m["kind"] in ("comment", "ugc")]
    if candidates:
        factors = {ch: campaign_day_factor(state, ch, "reply_multiplier") for ch in chans}
        cand_days = np.minimum(state.day_of(np.array([m["t"] for m in candidates], dtype=np.int64)), state.n_days - 1)
        rm = np.array([factors[m["channel"]][d] if m["channel"] in factors else 1.0
                       for m, d in zip(candidates, cand_days)])
        rho = first_level / rm.sum()
        state.plan["reply_rate"] = rho
        state.plan["reply_depth"] = (n_rep - first_level) / max(first_level, 1)
        level1 = []
        for parent, k in zip(candidates, rng.poisson(rho * rm)):
            for _ in range(int(k)):
                level1.append(_member_reply(state, parent))
        if level1:
            for i in rng.integers(0, len(level1), n_rep - first_level):
                _member_reply(state, level1[int(i)])
    return state


def _member_reply(state: SynthState, parent: dict[str, Any]) -> dict[str, Any]:
    o = state.options
    lag = float(lognormal_hours(state.rng, o.member_reply_lag_median_hours, 1.1, 1)[0])
    t = int(clip_time(state, np.array([parent["t"] + int(lag * 3600) + 30]), np.array([parent["t"]]))[0])
    return state.add(kind="member_reply", role="member", parent=parent["idx"], root=parent["root"],
                     channel=parent["channel"], t=max(t, parent["t"] + 1))


def step_incidents(state: SynthState) -> SynthState:
    """Per incident: official statement posts (one per channel and language) and a burst of member messages."""
    o, rng = state.options, state.rng
    base_daily = state.plan["baseline_member_messages"] / state.n_days
    for inc in state.incidents:
        eff = incident_effects(inc)
        onset = int(state.at(inc.start_day, inc.start_hour))
        state.plan.setdefault("incident_onsets", {})[inc.incident_id] = onset
        statements: dict[str, list[dict[str, Any]]] = {ch: [] for ch in o.channels}
        if inc.first_response_hours is not None:
            t_fr = onset + int(round(inc.first_response_hours * 3600))
            for k, channel in enumerate(o.channels):
                for j, lang in enumerate(o.language_mix):
                    post = state.add(kind="post", role="brand", channel=channel, t=t_fr + 60 * (3 * k + j),
                                     post_type="statement", lang=lang, incident_id=inc.incident_id,
                                     author=state.accounts["brand"][channel])
                    post["reach"] = post_reach(state, post)
                    statements[channel].append(post)
        n_extra = int(round(incident_extra_days(inc, state.n_days) * base_daily))
        span_days = max(1e-6, min(eff["duration_days"], (state.t_end - onset) / 86400))
        lam = math.log(2) / eff["half_life_days"]
        u = rng.random(n_extra)
        offs = -np.log(1 - u * (1 - math.exp(-lam * span_days))) / lam  # truncated exponential, days
        times = np.minimum(onset + (offs * 86400).astype(np.int64) + 60, state.t_end - 1)
        chans = rng.choice(list(o.channels), size=n_extra, p=list(norm(o.channels).values()))
        p_neg = np.full(n_extra, float(eff["negative_share"]))
        if inc.first_response_hours is not None:  # the statement takes some heat out of the burst (issue 4)
            p_neg[times >= onset + int(round(inc.first_response_hours * 3600))] -= eff["response_negative_drop"]
        if inc.resolved_days is not None and "resolved_negative_share" in eff:  # the fix ends the complaints
            p_neg[times >= onset + int(round(inc.resolved_days * 86400))] = eff["resolved_negative_share"]
        negative = rng.random(n_extra) < p_neg
        as_ugc = rng.random(n_extra) < eff["ugc_share"]
        posts_by_channel = {ch: sorted((m for m in state.messages if m["kind"] == "post" and m["channel"] == ch),
                                       key=lambda m: m["t"]) for ch in o.channels}
        post_times = {ch: np.array([p["t"] for p in ps]) for ch, ps in posts_by_channel.items()}
        for t, ch, neg, ugc in zip(times, chans, negative, as_ugc):
            ch = str(ch)
            sentiment = "negative" if neg else str(rng.choice(["neutral", "positive"], p=[0.6, 0.4]))
            fields = dict(role="member", channel=ch, t=int(t), incident_id=inc.incident_id, sentiment=sentiment)
            live = [s for s in statements[ch] if s["t"] < t]
            if ugc or (not live and not len(post_times[ch])):
                state.add(kind="ugc", **fields)
                continue
            if live and rng.random() < 0.7:
                parent = live[int(rng.integers(len(live)))]
            else:
                pos = int(np.searchsorted(post_times[ch], t, side="left")) - 1
                if pos < 0:
                    state.add(kind="ugc", **fields)
                    continue
                parent = posts_by_channel[ch][pos]
            state.add(kind="comment", parent=parent["idx"], root=parent["idx"], **fields)
    return state
