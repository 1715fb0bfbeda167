"""Generation steps for the accounts and the audience: brand and moderator accounts, daily followers, members.

Followers are counts per local day; member join and leave days are local day indices.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.synth.draws import exact_counts, hex_ids, norm, shuffled_labels
from helpers.synth.effects import campaign_effects, incident_effects
from helpers.synth.state import SynthState

__all__ = ["step_accounts", "step_followers", "step_members", "step_audience"]


def step_accounts(state: SynthState) -> SynthState:
    """Brand accounts (one per channel) and moderator accounts, pseudonymised like member ids."""
    taken = state.accounts.setdefault("taken", set())
    state.accounts["brand"] = dict(zip(state.options.channels, hex_ids(state.rng, len(state.options.channels),
                                                                           "b_", taken)))
    state.accounts["moderators"] = hex_ids(state.rng, 3, "mod_", taken)
    return state


def step_followers(state: SynthState) -> SynthState:
    """Daily followers per channel: a start count, net daily growth, campaign bumps, incident dips."""
    o, rng, n = state.options, state.rng, state.n_days
    for channel in o.channels:
        start = int(o.followers_start.get(channel, 3000))
        growth = float(o.followers_daily_growth.get(channel, 5.0))
        daily = rng.poisson(growth, n).astype(float) - rng.poisson(growth * 0.25, n)
        for c in state.campaigns:
            if c.channel != channel:
                continue
            eff = campaign_effects(c)
            lo, hi = max(c.start_day, 0), min(c.start_day + c.days, n)
            if hi > lo:
                daily[lo:hi] += rng.poisson(eff["new_followers_per_day"], hi - lo)
                tail = np.arange(hi, min(hi + 14, n))
                daily[tail] += rng.poisson(eff["new_followers_per_day"] * 0.3 * np.exp(-(tail - hi) / 5.0))
        for inc in state.incidents:
            eff = incident_effects(inc)
            lost = eff["unfollow_share"] * (start + growth * inc.start_day)
            days = np.arange(inc.start_day, min(inc.start_day + 4, n))
            if len(days):
                daily[days] -= rng.poisson(lost / len(days), len(days))
        state.followers[channel] = np.maximum(start + np.cumsum(daily), 0).astype(np.int64)
    return state


def step_members(state: SynthState) -> SynthState:
    """Members: home channel, preferred language, heavy-tailed activity weight, join and leave days."""
    o, rng = state.options, state.rng
    n = int(state.plan["members"])
    channels = shuffled_labels(rng, exact_counts(n, o.channels))
    langs = shuffled_labels(rng, exact_counts(n, o.language_mix))
    join = np.where(rng.random(n) < o.member_initial_share, 0, rng.integers(0, state.n_days, n))
    for c in state.campaigns:  # community programmes bring new members during their window
        extra = int(round(campaign_effects(c)["new_members"]))
        if extra <= 0:
            continue
        channels += [c.channel] * extra
        langs += list(rng.choice(list(o.language_mix), size=extra, p=list(norm(o.language_mix).values())))
        lo, hi = max(c.start_day, 0), min(c.start_day + c.days, state.n_days)
        join = np.concatenate([join, rng.integers(lo, max(hi, lo + 1), extra)])
    total = len(channels)
    weight = np.exp(o.member_activity_sigma * rng.standard_normal(total))
    lifetime = o.member_lifetime_median_days * np.exp(0.9 * rng.standard_normal(total))
    acquired = [""] * n
    for c in state.campaigns:  # members an initiative brings: more active at first, planted lifetime factor
        extra = int(round(campaign_effects(c)["new_members"]))
        if extra > 0:
            eff = campaign_effects(c)
            sl = slice(len(acquired), len(acquired) + extra)
            weight[sl] *= eff.get("new_member_activity", 1.0)
            lifetime[sl] *= eff.get("new_member_lifetime_multiplier", 1.0)
            acquired += [c.campaign_id] * extra
    leave = np.minimum(join + np.maximum(lifetime, 14), state.n_days + 365).astype(np.int64)
    ids = hex_ids(rng, total, "m_", state.accounts.setdefault("taken", set()))
    state.members = pd.DataFrame({
        "author_id": ids, "channel": channels, "language": [str(x) for x in langs], "weight": weight,
        "join_day": join.astype(np.int64), "leave_day": leave, "acquired_by": acquired,
    })
    return state


def step_audience(state: SynthState) -> SynthState:
    """The audience table: daily followers per channel, never below the channel's active members."""
    o = state.options
    active: dict[str, set[str]] = {ch: set() for ch in o.channels}
    for m in state.messages:
        if m["role"] == "member":
            active[m["channel"]].add(m["author"])
    dates = (state.start + pd.to_timedelta(np.arange(state.n_days), unit="D")).tz_localize(None).normalize()
    frames = []
    for ch in o.channels:
        followers = np.maximum(state.followers[ch], len(active[ch]))
        frames.append(pd.DataFrame({"date": dates, "brand": o.brand, "channel": ch, "followers": followers}))
    state.audience = pd.concat(frames, ignore_index=True)
    return state
