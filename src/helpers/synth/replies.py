"""Generation step for brand replies and member follow-ups, on a working-hours clock.

Reply lags are lognormal in *working* hours (paused or slowed outside ``work_hours``); the response rate over
openers is planted exactly up to rounding. Openers follow DEVELOPERS.md (:func:`opener_flags`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.synth.draws import (
    exact_counts,
    lognormal_hours,
    norm,
    shuffled_labels,
    weighted_choice_without_replacement,
)
from helpers.synth.state import SynthState

__all__ = ["REPLY_CLASSES", "opener_flags", "step_replies"]


REPLY_CLASSES = ("question", "negative", "neutral", "positive")


def _work_clock(state: SynthState) -> tuple[np.ndarray, np.ndarray]:
    """Hourly grid (UTC epoch seconds) and cumulative working hours along it (the reply-lag clock).

    Speed per hour: 1 on working days inside ``work_hours`` (local), ``weekend_speed`` on weekend days inside
    ``work_hours``, ``night_speed`` outside ``work_hours``.
    """
    o = state.options
    start = state.t0 - 2 * 86400
    hours = (state.n_days + 400) * 24
    grid = start + 3600 * np.arange(hours + 1, dtype=np.int64)
    local = pd.to_datetime(grid[:-1], unit="s", utc=True).tz_convert(o.timezone)
    hour = local.hour.to_numpy()
    weekday = local.weekday.to_numpy()
    lo, hi = o.work_hours
    working = (hour >= lo) & (hour < hi)
    weekend = np.isin(weekday, list(o.weekend_days))
    speed = np.where(working, np.where(weekend, o.weekend_speed, 1.0), o.night_speed)
    cum = np.concatenate([[0.0], np.cumsum(speed)])
    return grid, cum


def _add_work_hours(grid: np.ndarray, cum: np.ndarray, t: np.ndarray, work: np.ndarray) -> np.ndarray:
    """UTC epoch seconds when ``work`` working hours have passed after ``t`` on the clock (grid, cum)."""
    t = np.asarray(t, dtype=np.float64)
    pos = np.clip(np.searchsorted(grid, t, side="right") - 1, 0, len(grid) - 2)
    c0 = cum[pos] + (cum[pos + 1] - cum[pos]) * (t - grid[pos]) / 3600.0
    target = c0 + np.asarray(work, dtype=np.float64)
    j = np.clip(np.searchsorted(cum, target, side="left"), 1, len(cum) - 1)
    slope = np.maximum(cum[j] - cum[j - 1], 1e-12)
    return grid[j - 1] + (target - cum[j - 1]) / slope * 3600.0


def opener_flags(state: SynthState) -> list[dict[str, Any]]:
    """Conversation openers (DEVELOPERS.md): member messages whose parent is null or a brand message."""
    msgs = state.messages
    return [m for m in msgs if m["role"] == "member" and
            (m["parent"] is None or msgs[m["parent"]]["role"] == "brand")]


def _reply_class(m: dict[str, Any]) -> str:
    """The class a brand reply answers: question, or the message's sentiment."""
    return "question" if m["question"] else str(m["sentiment"])


def _reply_to(state: SynthState, openers: list[dict[str, Any]],
              clock: tuple[np.ndarray, np.ndarray]) -> list[dict[str, Any]]:
    """Brand/moderator replies to ``openers`` with lognormal working-hour lags on the work clock."""
    o, rng = state.options, state.rng
    if not openers:
        return []
    grid, cum = clock
    k = len(openers)
    start = np.array([m["t"] for m in openers], dtype=np.int64)
    statement_at = state.plan.get("statement_at", {})
    for i, m in enumerate(openers):  # during an incident the brand answers only after its statement
        if m["incident_id"] in statement_at and m["t"] < statement_at[m["incident_id"]]:
            start[i] = statement_at[m["incident_id"]]
    work = lognormal_hours(rng, o.reply_lag_median_work_hours, o.reply_lag_sigma, k)
    due = _add_work_hours(grid, cum, start, work)
    due = np.maximum(np.ceil(due), np.array([m["t"] for m in openers]) + 60).astype(np.int64)
    moderator = rng.random(k) < o.moderator_share
    out = []
    for m, t, is_mod in zip(openers, due, moderator):
        role = "moderator" if is_mod else "brand"
        author = state.accounts["moderators"][int(rng.integers(len(state.accounts["moderators"])))] if is_mod \
            else state.accounts["brand"][m["channel"]]
        reply = state.add(kind="reply", role=role, author=author, parent=m["idx"], root=m["root"],
                          channel=m["channel"], t=int(t), lang=m["lang"], reply_class=_reply_class(m),
                          topic=m["topic"])
        m["answered_by"] = reply["idx"]
        out.append(reply)
    return out


def step_replies(state: SynthState) -> SynthState:
    """Brand answers to openers (exact planted response rate), member follow-ups, answers to follow-ups."""
    o, rng = state.options, state.rng
    state.plan["statement_at"] = {m["incident_id"]: m["t"] for m in sorted(state.messages, key=lambda x: -x["t"])
                                  if m["kind"] == "post" and m["post_type"] == "statement"}
    clock = _work_clock(state)
    w_of = {c: float(o.response_weights.get(c, 1.0)) for c in REPLY_CLASSES}
    openers1 = opener_flags(state)
    o1 = len(openers1)
    r, phi = o.response_rate, o.followup_rate
    mean_open = np.mean([w_of[_reply_class(m)] for m in openers1]) if openers1 else 1.0
    fmix = norm(o.followup_sentiment_mix)
    mean_follow = sum(fmix[s] * w_of[s] for s in fmix)
    p_follow = min(1.0, r * mean_follow / mean_open)
    f_exp = phi * r * o1 * (1 - o.moderator_share)
    r1 = int(np.clip(round(r * (o1 + f_exp)) - round(p_follow * f_exp), 0, o1))
    weights = np.array([w_of[_reply_class(m)] for m in openers1])
    chosen = [openers1[int(i)] for i in weighted_choice_without_replacement(rng, weights, r1)]
    replies1 = _reply_to(state, chosen, clock)

    # members who answer the reply again (mostly thanks)
    n_f = int(round(phi * len(replies1)))
    picked = [replies1[int(i)] for i in np.sort(rng.choice(len(replies1), size=n_f, replace=False))] if n_f else []
    sentiments = shuffled_labels(rng, exact_counts(n_f, fmix))
    lags = lognormal_hours(rng, o.followup_lag_median_hours, 1.0, n_f)
    followups = []
    for reply, s, lag in zip(picked, sentiments, lags):
        opener = state.messages[reply["parent"]]
        followups.append(state.add(kind="followup", role="member", author=opener["author"], parent=reply["idx"],
                                   root=reply["root"], channel=reply["channel"], t=int(reply["t"] + lag * 3600 + 30),
                                   lang=opener["lang"], sentiment=s))
    # follow-ups under a *brand* reply are openers themselves; answer enough of them to keep the rate exact
    f_open = [f for f in followups if state.messages[f["parent"]]["role"] == "brand"]
    r2 = int(np.clip(round(r * (o1 + len(f_open))) - r1, 0, len(f_open)))
    weights2 = np.array([w_of[_reply_class(m)] for m in f_open])
    chosen2 = [f_open[int(i)] for i in weighted_choice_without_replacement(rng, weights2, r2)]
    _reply_to(state, chosen2, clock)
    return state
