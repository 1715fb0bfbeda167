"""Generation steps for brand posts: ordinary posts, campaign posts, their reach, and the sizing plan.

Reach is in people; the sizing plan (:func:`step_plan`) sets the member-message counts so the whole dataset
lands near the target ``n_messages``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.synth.draws import exact_counts, norm, shuffled_labels
from helpers.synth.effects import campaign_effects, incident_effects, incident_extra_days
from helpers.synth.state import SynthState

__all__ = ["step_brand_posts", "step_campaigns", "post_reach", "step_plan"]


def step_brand_posts(state: SynthState) -> SynthState:
    """Ordinary brand posts: 1–3 a day at the default, local 08:30–20:30, channels and types by their mixes."""
    o, rng = state.options, state.rng
    mean = float(o.brand_posts_per_day)
    # never let brand posts dominate small datasets: at most ~10 % of the target volume
    mean = min(mean, max(0.2, 0.10 * state.n_messages / max(state.n_days, 1)))
    if mean >= 1:
        counts = 1 + rng.binomial(2, min((mean - 1) / 2, 1.0), state.n_days)
    else:
        counts = rng.binomial(1, mean, state.n_days)
    days = np.repeat(np.arange(state.n_days), counts)
    total = len(days)
    hours = np.where(rng.random(total) < 0.55, rng.uniform(8.5, 13.0, total), rng.uniform(13.0, 20.5, total))
    times = state.at(days, hours)
    channels = rng.choice(list(o.channels), size=total, p=list(norm(o.channels).values()))
    types = rng.choice(list(o.post_type_mix), size=total, p=list(norm(o.post_type_mix).values()))
    langs = shuffled_labels(rng, exact_counts(total, o.language_mix))
    for t, ch, pt, lang in zip(times, channels, types, langs):
        state.add(kind="post", role="brand", channel=str(ch), t=int(t), post_type=str(pt), lang=lang,
                  author=state.accounts["brand"][str(ch)])
    return state


def step_campaigns(state: SynthState) -> SynthState:
    """Tag brand posts inside each campaign window, add extra campaign posts, apply reach/comment factors."""
    o, rng = state.options, state.rng
    for c in state.campaigns:
        eff = campaign_effects(c)
        lo = int(state.day_starts[max(c.start_day, 0)])
        hi = int(state.day_starts[min(c.start_day + c.days, state.n_days)])
        for m in state.messages:
            if m["kind"] == "post" and m["channel"] == c.channel and lo <= m["t"] < hi and m["campaign_id"] is None \
                    and m["post_type"] != "statement" and rng.random() < eff["tag_share"]:
                m["campaign_id"] = c.campaign_id
                m["post_type"] = "campaign"
        n_extra = int(rng.poisson(eff["extra_posts_per_day"] * c.days))
        days = rng.integers(max(c.start_day, 0), min(c.start_day + c.days, state.n_days), n_extra) \
            if n_extra else np.empty(0, dtype=int)
        hours = rng.uniform(9.0, 20.0, n_extra)
        langs = rng.choice(list(o.language_mix), size=n_extra, p=list(norm(o.language_mix).values()))
        for d, h, lang in zip(days, hours, langs):
            state.add(kind="post", role="brand", channel=c.channel, t=int(state.at(d, h)), post_type="campaign",
                      lang=str(lang), campaign_id=c.campaign_id, author=state.accounts["brand"][c.channel],
                      campaign_extra=True)
    return state


def post_reach(state: SynthState, post: dict[str, Any]) -> int:
    """Reach (people) of a brand post: followers that day × a lognormal rate per channel × the campaign's
    ``reach_multiplier`` (1.6 for incident statements). Also records ``reach_base`` (reach without any campaign
    factor) and applies the campaign's ``comment_multiplier`` to the post's comment weight."""
    rates = {"facebook": 0.18, "instagram": 0.28, "telegram": 0.45}
    day = int(state.day_of(post["t"]))
    followers = float(state.followers[post["channel"]][min(max(day, 0), state.n_days - 1)])
    rate = rates.get(post["channel"], 0.25) * math.exp(0.45 * state.rng.standard_normal())
    post["reach_base"] = max(1.0, followers * rate)  # reach without any campaign factor
    factor = 1.0
    if post["campaign_id"]:
        spec = next(c for c in state.campaigns if c.campaign_id == post["campaign_id"])
        eff = campaign_effects(spec)
        factor = eff["reach_multiplier"]
        post["comment_weight"] *= eff["comment_multiplier"]
    if post["post_type"] == "statement":
        factor = 1.6
    return max(1, int(round(followers * rate * factor)))


def step_plan(state: SynthState) -> SynthState:
    """Size the member activity so the whole dataset lands near ``n_messages``.

    With B brand posts (incl. planned incident statements), M0 baseline member messages, incident bursts
    adding k·M0, openers ≈ a·M0, follow-ups φ·r·openers and brand replies r·(openers + follow-ups), the total
    is B + c·M0; solve for M0.
    """
    o = state.options
    for m in state.messages:
        if m["kind"] == "post" and m["reach"] is None:
            m["reach"] = post_reach(state, m)
    n_posts = sum(1 for m in state.messages if m["kind"] == "post")
    statements = sum(len(o.channels) * len(o.language_mix) for i in state.incidents
                     if i.first_response_hours is not None)
    k_inc = 0.0
    for inc in state.incidents:
        k_inc += incident_extra_days(inc, state.n_days) / state.n_days
    r, phi = o.response_rate, o.followup_rate
    a = (1.0 - o.member_reply_share) + k_inc
    followups_per_m0 = phi * r * a
    c = 1.0 + k_inc + followups_per_m0 + r * (a + followups_per_m0 * (1 - o.moderator_share))
    m0 = max(50, int(round((state.n_messages - n_posts - statements) / c)))
    member_total = m0 * (1.0 + k_inc) + followups_per_m0 * m0
    state.plan = {
        "brand_posts": n_posts + statements,
        "baseline_member_messages": m0,
        "incident_fraction": k_inc,
        "expected_member_messages": member_total,
        "ugc": max(0, int(round(o.ugc_share * member_total - _mean_incident_ugc(state) * k_inc * m0))),
        "member_replies": int(round(o.member_reply_share * m0)),
        "questions": int(round(o.question_share * member_total)),
    }
    n_members = o.n_members or int(np.clip(round(member_total / o.messages_per_member), 30, 50000))
    state.plan["members"] = n_members
    return state


def _mean_incident_ugc(state: SynthState) -> float:
    if not state.incidents:
        return 0.0
    return float(np.mean([incident_effects(i)["ugc_share"] for i in state.incidents]))
