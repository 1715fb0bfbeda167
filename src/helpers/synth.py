"""Synthetic canonical datasets with planted, known ground truth (``python -m helpers synth``).

The fictional organisation is *Caspian Harbour Clinic*, a multilingual public-service clinic (ru/az/en)
on facebook, instagram and telegram, in the timezone Asia/Baku. Everything is invented.

Public API
----------
* :class:`SynthOptions` — every planted parameter (language mix, reply-lag distribution, response rate,
  question topics, UGC rate, campaigns, incidents …); :class:`CampaignSpec` and :class:`IncidentSpec` carry an
  ``effects`` dict so later work can plant measured campaign and crisis effects.
* :func:`generate` — ``(Dataset, ground_truth)`` in memory; :func:`synthesize` — the same plus gold
  sentiment labels and the generator state (:class:`SynthResult`).
* :func:`write_synthetic` — writes the dataset (via :func:`helpers.io.write_dataset`), ``ground_truth.json``
  and ``gold_sentiment.csv``.
* :func:`cli` — ``python -m helpers synth --out DIR --seed N [--messages N] [--start YYYY-MM-DD]
  [--months M] [--format csv|parquet]``.

How generation works
--------------------
A :class:`SynthState` is passed through :data:`DEFAULT_STEPS`, each a function ``state -> state``:
accounts → followers → brand posts → campaigns → sizing plan → members → member messages → incidents →
attributes (questions, sentiment, language, authors) → brand replies and follow-ups → texts → engagement →
audience. (Campaigns and incidents run before the replies because they change which messages exist and when
the brand answers them.)
Later issues add or replace steps (``generate(..., steps=...)``). Messages live in ``state.messages`` as dicts
with integer ids (``idx``) until :func:`_assemble` sorts them by time and gives them string ids.

Ground truth (``ground_truth.json``) is computed from the generator's own planted state with the shared
definitions of DEVELOPERS.md / :mod:`helpers.metrics` (openers, first response, UGC, language mix), never by
running the analysis on the output. Its keys are the notebook's findings keys.

Units: times are UTC epoch seconds internally; durations in hours unless a name says ``_days``; shares 0–1;
budgets in AZN.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import synth_crisis as sc
from helpers import synth_text as st
from helpers.io import Dataset, resolve_path, write_dataset

__all__ = [
    "GENERATOR_VERSION", "CampaignSpec", "IncidentSpec", "SynthOptions", "SynthState", "SynthResult",
    "DEFAULT_STEPS", "default_campaigns", "default_incidents", "synthesize", "generate", "write_synthetic",
    "ground_truth", "cli",
]

GENERATOR_VERSION = "1.2.0"

#: message id prefix per channel (other channels use their first two letters)
CHANNEL_PREFIX = {"facebook": "fb", "instagram": "ig", "telegram": "tg", "x": "x", "forum": "fo",
                  "review_site": "rv"}

REPLY_CLASSES = ("question", "negative", "neutral", "positive")

Step = Callable[["SynthState"], "SynthState"]


# --------------------------------------------------------------------------------------------------
# Specs and options
# --------------------------------------------------------------------------------------------------

@dataclass
class CampaignSpec:
    """One planted campaign or community programme.

    ``start_day`` counts days after the dataset's first day (local dates); the window is ``days`` long
    (end exclusive). ``budget`` is in ``currency`` (AZN). ``names`` holds the localised name used in post
    texts (``{"ru": ..., "az": ..., "en": ...}``; ``name`` is used where missing).

    ``effects`` (all optional; missing keys fall back to the defaults of the campaign's kind):

    * ``tag_share`` — share (0–1) of the brand posts on ``channel`` inside the window that belong to it;
    * ``extra_posts_per_day`` — extra campaign posts per day on ``channel``;
    * ``reach_multiplier`` — factor on the reach of its posts;
    * ``comment_multiplier`` — factor on the comment weight of its posts (comments per post, relative);
    * ``ugc_multiplier`` — factor on the daily UGC rate on ``channel`` inside the window;
    * ``new_followers_per_day`` — extra net followers per day on ``channel`` inside the window;
    * ``new_members`` — members who join the community on ``channel`` during the window;
    * ``reply_multiplier`` — factor on member-to-member replies to comments/UGC on ``channel`` in the window;
    * ``new_member_activity`` — factor on the activity weight of the members the initiative brings;
    * ``new_member_lifetime_multiplier`` — factor on their lifetime (< 1: they leave sooner, retain worse).

    Comments per post, UGC per day and member replies are Poisson around planted expectations, so these
    factors are real lifts (not a reshuffle of a fixed total); ``helpers.synth_campaigns`` turns them into the
    expected lifts recorded in the ground truth. Unknown keys are kept and echoed in the ground truth.
    """

    campaign_id: str
    name: str
    kind: str
    channel: str
    start_day: int
    days: int
    budget: float | None
    objective: str | None
    currency: str = "AZN"
    names: dict[str, str] = field(default_factory=dict)
    effects: dict[str, float] = field(default_factory=dict)


#: default effects per campaign kind (plausible baseline values, not measured effects)
CAMPAIGN_EFFECT_DEFAULTS: dict[str, dict[str, float]] = {
    "paid_campaign": {"tag_share": 0.85, "extra_posts_per_day": 0.5, "reach_multiplier": 2.2,
                      "comment_multiplier": 1.25, "ugc_multiplier": 1.0, "new_followers_per_day": 45.0,
                      "new_members": 90.0, "reply_multiplier": 1.0, "new_member_activity": 4.0,
                      "new_member_lifetime_multiplier": 0.2},
    "community_programme": {"tag_share": 0.8, "extra_posts_per_day": 0.4, "reach_multiplier": 1.2,
                            "comment_multiplier": 1.8, "ugc_multiplier": 2.5, "new_followers_per_day": 12.0,
                            "new_members": 50.0, "reply_multiplier": 1.8, "new_member_activity": 4.0,
                            "new_member_lifetime_multiplier": 2.5},
}


@dataclass
class IncidentSpec:
    """One planted incident (crisis).

    ``start_day``/``start_hour`` place the onset (local time); ``first_response_hours`` after the onset the
    brand posts its official statement (None: never); ``resolved_days`` after the onset it is resolved (None:
    open). ``kind`` picks the complaint texts (``queue`` or ``data_leak``); ``crisis_type`` is SCCT
    (victim | accidental | preventable).

    ``effects`` (optional; defaults in :data:`INCIDENT_EFFECT_DEFAULTS`):

    * ``volume_multiplier`` — member-message rate at the onset relative to the baseline daily rate;
    * ``half_life_days`` — the extra volume halves every so many days;
    * ``duration_days`` — the burst stops after this many days;
    * ``negative_share`` — share (0–1) of the burst's messages that are negative;
    * ``ugc_share`` — share (0–1) of the burst posted as the members' own posts (UGC);
    * ``unfollow_share`` — share (0–1) of followers lost over the first days;
    * ``listed`` — 1: the incidents table has a row for it; 0: no row (the crisis must be detected);
    * ``response_negative_drop`` — the burst's negative share is lower by this much after the statement;
    * ``defender_rate`` — share (0–1) of the burst's non-negative messages that are established members
      defending the organisation (positive replies to a complaint);
    * ``reply_threads`` — conversations with member replies before and after a brand reply;
    * ``deescalate_share`` — share (0–1) of those where the brand reply calms members (the rest escalate);
    * ``resolved_negative_share`` — optional: the burst's negative share once the incident is resolved
      (``resolved_days``); absent: unchanged.

    The crisis structure is planted by :mod:`helpers.synth_crisis`; unknown keys are kept and echoed.
    """

    incident_id: str
    title: str
    kind: str
    start_day: int
    start_hour: float
    first_response_hours: float | None
    resolved_days: float | None
    severity: str
    crisis_type: str
    effects: dict[str, float] = field(default_factory=dict)


INCIDENT_EFFECT_DEFAULTS: dict[str, float] = {
    "volume_multiplier": 5.0, "half_life_days": 1.5, "duration_days": 7.0, "negative_share": 0.8,
    "ugc_share": 0.25, "unfollow_share": 0.004,
    # issue 4 (helpers.synth_crisis)
    "listed": 1.0, "response_negative_drop": 0.1, "defender_rate": 0.5, "reply_threads": 30.0,
    "deescalate_share": 0.75,
}


def default_campaigns() -> list[CampaignSpec]:
    """Three paid campaigns and two community programmes spread over a 12-month year."""
    return [
        CampaignSpec("C01", "Spring Check-up Fortnight", "paid_campaign", "facebook", 60, 14, 2500.0, "reach",
                     names={"ru": "Весенний чекап", "az": "Bahar müayinəsi", "en": "Spring Check-up Fortnight"}),
        CampaignSpec("C02", "Patient Stories", "community_programme", "instagram", 90, 28, 400.0, "ugc",
                     names={"ru": "Истории пациентов", "az": "Pasiyent hekayələri", "en": "Patient Stories"}),
        CampaignSpec("C03", "Women's Health Month", "paid_campaign", "facebook", 120, 28, 3200.0, "awareness",
                     names={"ru": "Месяц женского здоровья", "az": "Qadın sağlamlığı ayı",
                            "en": "Women's Health Month"}),
        CampaignSpec("C04", "Ask the Doctor Live", "community_programme", "telegram", 230, 21, 300.0,
                     "engagement",
                     names={"ru": "Спросите врача", "az": "Həkimdən soruşun", "en": "Ask the Doctor Live"}),
        CampaignSpec("C05", "Flu Vaccination Drive", "paid_campaign", "instagram", 270, 21, 1800.0,
                     "appointments",
                     names={"ru": "Прививка от гриппа вовремя", "az": "Qrip peyvəndi vaxtında",
                            "en": "Flu Vaccination Drive"}),
    ]


def default_incidents() -> list[IncidentSpec]:
    """An accidental booking-system outage with long queues (complaints end when it is fixed) and a
    preventable data leak."""
    return [
        IncidentSpec("I01", "Booking system outage: long queues at registration", "queue", 200, 9.5, 5.5, 3.0,
                     "high", "accidental", effects={"volume_multiplier": 8.0, "resolved_negative_share": 0.2}),
        IncidentSpec("I02", "Lab results e-mailed to the wrong patients", "data_leak", 320, 11.0, 20.0, 6.0,
                     "medium", "preventable",
                     effects={"volume_multiplier": 3.5, "half_life_days": 2.0, "duration_days": 8.0,
                              "negative_share": 0.75}),
    ]


@dataclass
class SynthOptions:
    """Every planted parameter of the generator. Shares are 0–1; hours and days as named.

    Volume and people
        ``brand_posts_per_day`` (mean, 1–3 a day at the default), ``messages_per_member`` (mean member
        messages per member; sets the member count when ``n_members`` is None), ``member_activity_sigma``
        (lognormal sigma of member activity weights: the heavy tail), ``member_initial_share`` (members
        present on day 0; the rest join uniformly over the period), ``member_lifetime_median_days``.
    Message mix (shares of member messages)
        ``ugc_share``, ``member_reply_share`` (replies to other members), ``question_share`` (planted
        questions), ``und_share`` (emoji-only texts without a detectable language).
    Languages
        ``language_mix`` over all messages; ``question_language_mix`` for questions (flatter, so every
        topic has enough questions in every language; the other member messages compensate).
    Questions
        ``question_topics`` (how many of the ten topics are planted), ``question_topic_weights`` (relative,
        None = equal), ``question_no_mark_share`` (questions without "?", carrying cue words only).
    Sentiment
        ``sentiment_mix`` of ordinary member messages; ``followup_sentiment_mix`` of members' answers to
        brand replies.
    Responses
        ``response_rate`` (answered openers / openers, planted exactly up to rounding),
        ``response_weights`` (relative chance by class: questions and complaints are answered more often
        than praise), ``moderator_share`` (replies by a moderator), ``reply_lag_median_work_hours`` and
        ``reply_lag_sigma`` (lognormal lag in *working* hours), ``work_hours`` (local [start, end) hour of the
        full-speed clock), ``weekend_speed`` and ``night_speed`` (clock speed outside working time: 0 =
        paused), ``weekend_days`` (0 = Monday), ``followup_rate`` (replies the member answers again).
    Timing
        ``comment_lag_median_hours`` / ``comment_lag_sigma`` (comment after post),
        ``member_reply_lag_median_hours`` (member reply after its parent), ``followup_lag_median_hours``.
    Audience
        ``followers_start`` and ``followers_daily_growth`` per channel (net new followers a day).
    Noise
        ``typo_rate``, ``emoji_rate``, ``lowercase_rate``; ``tricky_members`` (members whose texts carry
        HTML, a script tag or a spreadsheet formula).
    Baseline activity (campaign analyses)
        ``weekly_activity`` (relative member activity per local weekday, Monday first) and
        ``activity_trend_per_year`` (log growth of member activity per year): comments per post, UGC and
        member replies follow them, so a naive before/after comparison is biased.
    """

    brand: str = "Caspian Harbour Clinic"
    timezone: str = "Asia/Baku"
    channels: dict[str, float] = field(default_factory=lambda: {"facebook": 0.5, "instagram": 0.3,
                                                                "telegram": 0.2})
    language_mix: dict[str, float] = field(default_factory=lambda: {"ru": 0.45, "az": 0.35, "en": 0.20})
    question_language_mix: dict[str, float] = field(default_factory=lambda: {"ru": 0.36, "az": 0.34,
                                                                             "en": 0.30})
    und_share: float = 0.012
    brand_posts_per_day: float = 2.0
    post_type_mix: dict[str, float] = field(default_factory=lambda: {"announcement": 0.4, "tip": 0.35,
                                                                     "event": 0.25})
    n_members: int | None = None
    messages_per_member: float = 5.0
    member_activity_sigma: float = 1.3
    member_initial_share: float = 0.55
    member_lifetime_median_days: float = 200.0
    ugc_share: float = 0.08
    member_reply_share: float = 0.20
    question_share: float = 0.18
    question_topics: int = 10
    question_topic_weights: dict[str, float] | None = None
    question_no_mark_share: float = 0.25
    sentiment_mix: dict[str, float] = field(default_factory=lambda: {"positive": 0.38, "neutral": 0.34,
                                                                     "negative": 0.28})
    followup_sentiment_mix: dict[str, float] = field(default_factory=lambda: {"positive": 0.75,
                                                                              "neutral": 0.12,
                                                                              "negative": 0.13})
    response_rate: float = 0.72
    response_weights: dict[str, float] = field(default_factory=lambda: {"question": 1.4, "negative": 1.3,
                                                                        "neutral": 0.9, "positive": 0.55})
    moderator_share: float = 0.05
    reply_lag_median_work_hours: float = 3.5
    reply_lag_sigma: float = 1.0
    work_hours: tuple[int, int] = (9, 21)
    weekend_speed: float = 0.5
    night_speed: float = 0.0
    weekend_days: tuple[int, ...] = (5, 6)
    followup_rate: float = 0.10
    comment_lag_median_hours: float = 3.0
    comment_lag_sigma: float = 1.3
    member_reply_lag_median_hours: float = 1.5
    followup_lag_median_hours: float = 1.5
    followers_start: dict[str, int] = field(default_factory=lambda: {"facebook": 18500, "instagram": 9200,
                                                                     "telegram": 4100})
    followers_daily_growth: dict[str, float] = field(default_factory=lambda: {"facebook": 12.0,
                                                                              "instagram": 9.0,
                                                                              "telegram": 5.0})
    typo_rate: float = 0.08
    emoji_rate: float = 0.15
    lowercase_rate: float = 0.2
    tricky_members: int = 3
    weekly_activity: tuple[float, ...] = (0.95, 1.05, 1.15, 1.1, 1.05, 0.85, 0.85)
    activity_trend_per_year: float = 0.2
    campaigns: list[CampaignSpec] = field(default_factory=default_campaigns)
    incidents: list[IncidentSpec] = field(default_factory=default_incidents)

    def validate(self) -> None:
        """Raise ValueError when a parameter is out of range (mixes must be non-negative and sum > 0)."""
        for name in ("language_mix", "question_language_mix"):
            mix = getattr(self, name)
            if set(mix) - set(st.LANGUAGES):
                raise ValueError(f"{name}: languages must be among {st.LANGUAGES}, got {sorted(mix)}")
        for name in ("channels", "language_mix", "question_language_mix", "post_type_mix", "sentiment_mix",
                     "followup_sentiment_mix"):
            mix = getattr(self, name)
            if not mix or any(v < 0 for v in mix.values()) or sum(mix.values()) <= 0:
                raise ValueError(f"{name} must have non-negative weights with a positive sum, got {mix}")
        for name in ("und_share", "ugc_share", "member_reply_share", "question_share", "question_no_mark_share",
                     "response_rate", "moderator_share", "followup_rate", "typo_rate", "emoji_rate",
                     "lowercase_rate", "member_initial_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1, got {value}")
        if self.ugc_share + self.member_reply_share + self.question_share >= 0.95:
            raise ValueError("ugc_share + member_reply_share + question_share leave no room for comments")
        if not 1 <= self.question_topics <= len(st.QUESTION_TOPICS):
            raise ValueError(f"question_topics must be 1–{len(st.QUESTION_TOPICS)}, got {self.question_topics}")
        if self.reply_lag_median_work_hours <= 0 or self.reply_lag_sigma < 0:
            raise ValueError("reply_lag_median_work_hours must be > 0 and reply_lag_sigma >= 0")
        lo, hi = self.work_hours
        if not 0 <= lo < hi <= 24:
            raise ValueError(f"work_hours must be 0 <= start < end <= 24, got {self.work_hours}")
        if self.weekend_speed <= 0 and len(set(self.weekend_days)) >= 7:
            raise ValueError("the reply clock never runs")
        if len(self.weekly_activity) != 7 or min(self.weekly_activity) <= 0:
            raise ValueError(f"weekly_activity needs 7 positive factors (Monday first), got {self.weekly_activity}")
        for c in self.campaigns:
            if c.kind not in CAMPAIGN_EFFECT_DEFAULTS:
                raise ValueError(f"campaign {c.campaign_id}: kind must be paid_campaign or community_programme")
            if c.channel not in self.channels:
                raise ValueError(f"campaign {c.campaign_id}: channel {c.channel!r} is not among {list(self.channels)}")
            if c.days < 1:
                raise ValueError(f"campaign {c.campaign_id}: days must be >= 1")
        for i in self.incidents:
            if i.crisis_type not in ("victim", "accidental", "preventable"):
                raise ValueError(f"incident {i.incident_id}: crisis_type must be victim, accidental or preventable")
            if i.kind not in st.INCIDENT_COMPLAINTS:
                raise ValueError(f"incident {i.incident_id}: kind must be one of {sorted(st.INCIDENT_COMPLAINTS)}")

    def topics(self) -> list[str]:
        """The planted question topic keys (the first ``question_topics`` of the ten)."""
        return list(st.QUESTION_TOPICS)[: self.question_topics]


# --------------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------------

@dataclass
class SynthState:
    """Everything one generation run knows; steps read and extend it.

    ``day_starts`` holds the UTC epoch second of each local midnight (``n_days + 1`` values, the last is the
    period end). ``messages`` holds one dict per message (see :func:`_new_message` for the keys).
    """

    options: SynthOptions
    seed: int
    rng: np.random.Generator
    n_messages: int
    start: pd.Timestamp
    n_days: int
    day_starts: np.ndarray
    campaigns: list[CampaignSpec] = field(default_factory=list)
    incidents: list[IncidentSpec] = field(default_factory=list)
    followers: dict[str, np.ndarray] = field(default_factory=dict)
    members: pd.DataFrame | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    accounts: dict[str, Any] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    audience: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def t0(self) -> int:
        """Period start (UTC epoch seconds)."""
        return int(self.day_starts[0])

    @property
    def t_end(self) -> int:
        """Period end, exclusive (UTC epoch seconds)."""
        return int(self.day_starts[-1])

    def day_of(self, t: np.ndarray | int) -> np.ndarray:
        """Local day index (0 = first day) of UTC epoch seconds ``t``."""
        return np.searchsorted(self.day_starts, np.asarray(t), side="right") - 1

    def at(self, day: np.ndarray | int, hour: np.ndarray | float) -> np.ndarray:
        """UTC epoch seconds of local ``day`` (index) at local ``hour`` (float hours)."""
        day = np.clip(np.asarray(day, dtype=np.int64), 0, self.n_days - 1)
        return (self.day_starts[day] + np.round(np.asarray(hour) * 3600.0)).astype(np.int64)

    def add(self, **fields: Any) -> dict[str, Any]:
        """Append a message dict (defaults from :func:`_new_message`) and return it."""
        msg = _new_message(len(self.messages), **fields)
        self.messages.append(msg)
        return msg


def _new_message(idx: int, **fields: Any) -> dict[str, Any]:
    """A message record (internal; ``t`` in UTC epoch seconds, ``parent``/``root`` are ``idx`` values).

    ``kind``: post (brand), comment (member under a brand post), ugc (member's own post), member_reply (to another
    member), followup (member answering a brand reply), reply (brand or moderator answer to an opener). Steps add
    ``with_mark`` (questions: ends with "?"), ``answered_by`` (openers: idx of the reply) and, at assembly,
    ``message_id``.
    """
    msg: dict[str, Any] = {
        "idx": idx, "kind": None, "parent": None, "root": idx, "channel": None, "role": None, "author": None,
        "t": 0, "lang": None, "und": False, "sentiment": None, "question": False, "topic": None,
        "post_type": None, "campaign_id": None, "incident_id": None, "reach": None, "reactions": 0,
        "shares": 0, "text": None, "tricky": False, "comment_weight": 1.0, "reply_class": None,
    }
    msg.update(fields)
    return msg


@dataclass
class SynthResult:
    """What :func:`synthesize` returns: the dataset, its ground truth, gold sentiment and the final state."""

    dataset: Dataset
    truth: dict[str, Any]
    gold: pd.DataFrame
    state: SynthState


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------

def _norm(mix: dict[str, float]) -> dict[str, float]:
    total = float(sum(mix.values()))
    return {k: float(v) / total for k, v in mix.items()}


def _exact_counts(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integer counts proportional to ``weights`` (largest remainder)."""
    keys = list(weights)
    w = np.array([max(0.0, float(weights[k])) for k in keys])
    if total <= 0 or w.sum() <= 0:
        return {k: 0 for k in keys}
    raw = w / w.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return {k: int(c) for k, c in zip(keys, base)}


def _shuffled_labels(rng: np.random.Generator, counts: dict[str, int]) -> list[str]:
    labels = [k for k, c in counts.items() for _ in range(c)]
    order = rng.permutation(len(labels))
    return [labels[i] for i in order]


def _weighted_choice_without_replacement(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement with probability ∝ ``weights`` (Efraimidis–Spirakis)."""
    n = len(weights)
    k = int(min(max(k, 0), n))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    u = rng.random(n)
    w = np.maximum(np.asarray(weights, dtype=float), 1e-12)
    keys = np.log(u) / w
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def _lognormal_hours(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


def _hex_ids(rng: np.random.Generator, n: int, prefix: str, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        value = prefix + rng.bytes(6).hex()
        if value not in taken:
            taken.add(value)
            out.append(value)
    return out


def _hour_profile() -> np.ndarray:
    """Relative member activity per local hour (0–23): quiet nights, peaks late morning and evening."""
    p = np.array([0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 2.0, 2.8, 3.2, 3.3, 3.2, 3.0, 2.9, 2.9, 3.0,
                  3.2, 3.5, 3.9, 4.1, 3.8, 2.8, 1.5])
    return p / p.sum()


# --------------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------------

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
            eff = _campaign_effects(c)
            lo, hi = max(c.start_day, 0), min(c.start_day + c.days, n)
            if hi > lo:
                daily[lo:hi] += rng.poisson(eff["new_followers_per_day"], hi - lo)
                tail = np.arange(hi, min(hi + 14, n))
                daily[tail] += rng.poisson(eff["new_followers_per_day"] * 0.3 * np.exp(-(tail - hi) / 5.0))
        for inc in state.incidents:
            eff = _incident_effects(inc)
            lost = eff["unfollow_share"] * (start + growth * inc.start_day)
            days = np.arange(inc.start_day, min(inc.start_day + 4, n))
            if len(days):
                daily[days] -= rng.poisson(lost / len(days), len(days))
        state.followers[channel] = np.maximum(start + np.cumsum(daily), 0).astype(np.int64)
    return state


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
    channels = rng.choice(list(o.channels), size=total, p=list(_norm(o.channels).values()))
    types = rng.choice(list(o.post_type_mix), size=total, p=list(_norm(o.post_type_mix).values()))
    langs = _shuffled_labels(rng, _exact_counts(total, o.language_mix))
    for t, ch, pt, lang in zip(times, channels, types, langs):
        state.add(kind="post", role="brand", channel=str(ch), t=int(t), post_type=str(pt), lang=lang,
                  author=state.accounts["brand"][str(ch)])
    return state


def _campaign_effects(c: CampaignSpec) -> dict[str, float]:
    return {**CAMPAIGN_EFFECT_DEFAULTS[c.kind], **c.effects}


def _incident_effects(i: IncidentSpec) -> dict[str, float]:
    return {**INCIDENT_EFFECT_DEFAULTS, **i.effects}


def step_campaigns(state: SynthState) -> SynthState:
    """Tag brand posts inside each campaign window, add extra campaign posts, apply reach/comment factors."""
    o, rng = state.options, state.rng
    for c in state.campaigns:
        eff = _campaign_effects(c)
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
        langs = rng.choice(list(o.language_mix), size=n_extra, p=list(_norm(o.language_mix).values()))
        for d, h, lang in zip(days, hours, langs):
            state.add(kind="post", role="brand", channel=c.channel, t=int(state.at(d, h)), post_type="campaign",
                      lang=str(lang), campaign_id=c.campaign_id, author=state.accounts["brand"][c.channel],
                      campaign_extra=True)
    return state


def _post_reach(state: SynthState, post: dict[str, Any]) -> int:
    rates = {"facebook": 0.18, "instagram": 0.28, "telegram": 0.45}
    day = int(state.day_of(post["t"]))
    followers = float(state.followers[post["channel"]][min(max(day, 0), state.n_days - 1)])
    rate = rates.get(post["channel"], 0.25) * math.exp(0.45 * state.rng.standard_normal())
    post["reach_base"] = max(1.0, followers * rate)  # reach without any campaign factor
    factor = 1.0
    if post["campaign_id"]:
        spec = next(c for c in state.campaigns if c.campaign_id == post["campaign_id"])
        eff = _campaign_effects(spec)
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
            m["reach"] = _post_reach(state, m)
    n_posts = sum(1 for m in state.messages if m["kind"] == "post")
    statements = sum(len(o.channels) * len(o.language_mix) for i in state.incidents
                     if i.first_response_hours is not None)
    k_inc = 0.0
    for inc in state.incidents:
        k_inc += _incident_extra_days(inc, state.n_days) / state.n_days
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
    return float(np.mean([_incident_effects(i)["ugc_share"] for i in state.incidents]))


def _incident_extra_days(inc: IncidentSpec, n_days: int) -> float:
    """Extra baseline-days of member messages an incident adds: (multiplier − 1) × ∫ 2^(−t/h) dt over its span."""
    eff = _incident_effects(inc)
    span = max(0.0, min(eff["duration_days"], n_days - inc.start_day - inc.start_hour / 24))
    h = eff["half_life_days"]
    return max(0.0, eff["volume_multiplier"] - 1.0) * h / math.log(2) * (1 - 2 ** (-span / h))


def step_members(state: SynthState) -> SynthState:
    """Members: home channel, preferred language, heavy-tailed activity weight, join and leave days."""
    o, rng = state.options, state.rng
    n = int(state.plan["members"])
    channels = _shuffled_labels(rng, _exact_counts(n, o.channels))
    langs = _shuffled_labels(rng, _exact_counts(n, o.language_mix))
    join = np.where(rng.random(n) < o.member_initial_share, 0, rng.integers(0, state.n_days, n))
    for c in state.campaigns:  # community programmes bring new members during their window
        extra = int(round(_campaign_effects(c)["new_members"]))
        if extra <= 0:
            continue
        channels += [c.channel] * extra
        langs += list(rng.choice(list(o.language_mix), size=extra, p=list(_norm(o.language_mix).values())))
        lo, hi = max(c.start_day, 0), min(c.start_day + c.days, state.n_days)
        join = np.concatenate([join, rng.integers(lo, max(hi, lo + 1), extra)])
    total = len(channels)
    weight = np.exp(o.member_activity_sigma * rng.standard_normal(total))
    lifetime = o.member_lifetime_median_days * np.exp(0.9 * rng.standard_normal(total))
    acquired = [""] * n
    for c in state.campaigns:  # members an initiative brings: more active at first, planted lifetime factor
        extra = int(round(_campaign_effects(c)["new_members"]))
        if extra > 0:
            eff = _campaign_effects(c)
            sl = slice(len(acquired), len(acquired) + extra)
            weight[sl] *= eff.get("new_member_activity", 1.0)
            lifetime[sl] *= eff.get("new_member_lifetime_multiplier", 1.0)
            acquired += [c.campaign_id] * extra
    leave = np.minimum(join + np.maximum(lifetime, 14), state.n_days + 365).astype(np.int64)
    ids = _hex_ids(rng, total, "m_", state.accounts.setdefault("taken", set()))
    state.members = pd.DataFrame({
        "author_id": ids, "channel": channels, "language": [str(x) for x in langs], "weight": weight,
        "join_day": join.astype(np.int64), "leave_day": leave, "acquired_by": acquired,
    })
    return state


def _clip_time(state: SynthState, t: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Keep times before the period end: later ones are redrawn uniformly between ``lo`` and the end."""
    t = np.asarray(t, dtype=np.int64).copy()
    over = t >= state.t_end
    if over.any():
        low = np.asarray(lo, dtype=np.int64)[over] + 60
        span = np.maximum(state.t_end - 1 - low, 1)
        t[over] = low + (state.rng.random(over.sum()) * span).astype(np.int64)
    return np.minimum(t, state.t_end - 1)


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
        lag = _lognormal_hours(rng, o.comment_lag_median_hours, o.comment_lag_sigma, k)
        lag = np.minimum(lag, 24 * 10)
        times = _clip_time(state, post["t"] + (lag * 3600).astype(np.int64) + 30, np.full(k, post["t"]))
        for t in times:
            state.add(kind="comment", role="member", parent=post["idx"], root=post["idx"], channel=post["channel"],
                      t=int(t))

    # UGC: Poisson per channel and day around u_ch · activity(day) · community-programme UGC multipliers
    chans = list(o.channels)
    profile = _hour_profile()
    shares = _norm(o.channels)
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


def activity_profile(state: SynthState) -> np.ndarray:
    """Relative baseline member activity per local day: weekly profile × exp(trend · years since start)."""
    o = state.options
    days = np.arange(state.n_days)
    weekday = (int(state.start.weekday()) + days) % 7
    return np.asarray(o.weekly_activity, dtype=float)[weekday] * np.exp(o.activity_trend_per_year * days / 365.25)


def campaign_day_factor(state: SynthState, channel: str, key: str, exclude: str | None = None) -> np.ndarray:
    """Per local day, the product of campaign effect ``key`` over the initiatives on ``channel`` (1 outside
    their windows); ``exclude`` leaves one campaign out (its counterfactual)."""
    f = np.ones(state.n_days)
    for c in state.campaigns:
        if c.channel == channel and c.campaign_id != exclude:
            lo, hi = max(c.start_day, 0), min(c.start_day + c.days, state.n_days)
            f[lo:hi] *= float(_campaign_effects(c).get(key, 1.0))
    return f


def _member_reply(state: SynthState, parent: dict[str, Any]) -> dict[str, Any]:
    o = state.options
    lag = float(_lognormal_hours(state.rng, o.member_reply_lag_median_hours, 1.1, 1)[0])
    t = int(_clip_time(state, np.array([parent["t"] + int(lag * 3600) + 30]), np.array([parent["t"]]))[0])
    return state.add(kind="member_reply", role="member", parent=parent["idx"], root=parent["root"],
                     channel=parent["channel"], t=max(t, parent["t"] + 1))


def step_incidents(state: SynthState) -> SynthState:
    """Per incident: official statement posts (one per channel and language) and a burst of member messages."""
    o, rng = state.options, state.rng
    base_daily = state.plan["baseline_member_messages"] / state.n_days
    for inc in state.incidents:
        eff = _incident_effects(inc)
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
                    post["reach"] = _post_reach(state, post)
                    statements[channel].append(post)
        n_extra = int(round(_incident_extra_days(inc, state.n_days) * base_daily))
        span_days = max(1e-6, min(eff["duration_days"], (state.t_end - onset) / 86400))
        lam = math.log(2) / eff["half_life_days"]
        u = rng.random(n_extra)
        offs = -np.log(1 - u * (1 - math.exp(-lam * span_days))) / lam  # truncated exponential, days
        times = np.minimum(onset + (offs * 86400).astype(np.int64) + 60, state.t_end - 1)
        chans = rng.choice(list(o.channels), size=n_extra, p=list(_norm(o.channels).values()))
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


def step_attributes(state: SynthState) -> SynthState:
    """Plant questions (topic × language exactly), sentiment, language, emoji-only texts and authors."""
    o, rng = state.options, state.rng
    slots = [m for m in state.messages if m["role"] == "member"]
    n = len(slots)
    # questions: among baseline comments (weight 1) and UGC (weight 0.4), never in incident bursts
    eligible = [m for m in slots if m["kind"] in ("comment", "ugc") and m["incident_id"] is None]
    q_total = min(int(state.plan["questions"]), len(eligible))
    topics = o.topics()
    tw = o.question_topic_weights or {t: 1.0 for t in topics}
    topic_counts = _exact_counts(q_total, {t: tw.get(t, 0.0) for t in topics})
    spoken = {k for k, v in o.language_mix.items() if v > 0}
    qlm = {k: v for k, v in o.question_language_mix.items() if k in spoken and v > 0} or dict(o.language_mix)
    qlm = _norm(qlm)
    cells: list[tuple[str, str]] = []
    for topic, count in topic_counts.items():
        for lang, c in _exact_counts(count, qlm).items():
            cells += [(topic, lang)] * c
    weights = np.array([1.0 if m["kind"] == "comment" else 0.4 for m in eligible])
    chosen = _weighted_choice_without_replacement(rng, weights, q_total)
    order = rng.permutation(len(cells))
    q_lang_counts = {lang: 0 for lang in o.language_mix}
    for pos, cell_i in zip(chosen, order):
        m = eligible[int(pos)]
        topic, lang = cells[int(cell_i)]
        m.update(question=True, topic=topic, lang=lang, sentiment="neutral",
                 with_mark=bool(rng.random() >= o.question_no_mark_share))
        q_lang_counts[lang] = q_lang_counts.get(lang, 0) + 1

    # languages of the other member messages: exact counts so that member messages follow language_mix
    rest = [m for m in slots if not m["question"]]
    target = _exact_counts(n, o.language_mix)
    remaining = {lang: max(0, target[lang] - q_lang_counts.get(lang, 0)) for lang in target}
    if sum(remaining.values()) == 0:
        remaining = dict(o.language_mix)
    labels = _shuffled_labels(rng, _exact_counts(len(rest), remaining))
    for m, lang in zip(rest, labels):
        m["lang"] = lang

    # a member answering another member's question gives information (neutral)
    for m in rest:
        if m["kind"] == "member_reply" and state.messages[m["parent"]]["question"]:
            m["sentiment"] = "neutral"
    # sentiment of ordinary member messages (incident messages already carry theirs)
    plain = [m for m in rest if m["sentiment"] is None]
    for m, s in zip(plain, _shuffled_labels(rng, _exact_counts(len(plain), o.sentiment_mix))):
        m["sentiment"] = s

    # emoji-only texts ("und"): a planted share of member messages, never questions or incident complaints
    und_pool = [m for m in rest if m["incident_id"] is None]
    n_und = min(int(round(o.und_share * n)), len(und_pool))
    for i in rng.choice(len(und_pool), size=n_und, replace=False) if n_und else []:
        und_pool[int(i)]["und"] = True

    _assign_authors(state, slots)
    return state


def _assign_authors(state: SynthState, slots: list[dict[str, Any]]) -> None:
    """Each member message gets an author from its (channel, language) pool who is a member on that day,
    with probability ∝ activity weight; replies avoid answering oneself."""
    members, rng = state.members, state.rng
    assert members is not None
    pools: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for (ch, lang), grp in members.groupby(["channel", "language"], sort=True):
        pools[(str(ch), str(lang))] = {k: grp[k].to_numpy() for k in ("author_id", "weight", "join_day", "leave_day")}
    by_idx = state.messages
    slots = sorted(slots, key=lambda m: (m["t"], m["idx"]))
    days = state.day_of(np.array([m["t"] for m in slots])) if slots else np.empty(0, dtype=int)
    for m, day in zip(slots, days):
        pool = pools.get((m["channel"], m["lang"]))
        if pool is None:  # no member of that language on that channel: borrow any pool of the language
            pool = next((p for (c, l), p in pools.items() if l == m["lang"]), next(iter(pools.values())))
        w = pool["weight"] * ((pool["join_day"] <= day) & (pool["leave_day"] > day))
        if w.sum() <= 0:
            w = pool["weight"]
        avoid = by_idx[m["parent"]]["author"] if m["parent"] is not None else None
        cdf = np.cumsum(w)
        for _ in range(6):
            pick = pool["author_id"][min(int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right")),
                                         len(cdf) - 1)]
            if pick != avoid:
                break
        m["author"] = str(pick)


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


def _opener_flags(state: SynthState) -> list[dict[str, Any]]:
    """Conversation openers (DEVELOPERS.md): member messages whose parent is null or a brand message."""
    msgs = state.messages
    return [m for m in msgs if m["role"] == "member" and
            (m["parent"] is None or msgs[m["parent"]]["role"] == "brand")]


def _reply_class(m: dict[str, Any]) -> str:
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
    work = _lognormal_hours(rng, o.reply_lag_median_work_hours, o.reply_lag_sigma, k)
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
    openers1 = _opener_flags(state)
    o1 = len(openers1)
    r, phi = o.response_rate, o.followup_rate
    mean_open = np.mean([w_of[_reply_class(m)] for m in openers1]) if openers1 else 1.0
    fmix = _norm(o.followup_sentiment_mix)
    mean_follow = sum(fmix[s] * w_of[s] for s in fmix)
    p_follow = min(1.0, r * mean_follow / mean_open)
    f_exp = phi * r * o1 * (1 - o.moderator_share)
    r1 = int(np.clip(round(r * (o1 + f_exp)) - round(p_follow * f_exp), 0, o1))
    weights = np.array([w_of[_reply_class(m)] for m in openers1])
    chosen = [openers1[int(i)] for i in _weighted_choice_without_replacement(rng, weights, r1)]
    replies1 = _reply_to(state, chosen, clock)

    # members who answer the reply again (mostly thanks)
    n_f = int(round(phi * len(replies1)))
    picked = [replies1[int(i)] for i in np.sort(rng.choice(len(replies1), size=n_f, replace=False))] if n_f else []
    sentiments = _shuffled_labels(rng, _exact_counts(n_f, fmix))
    lags = _lognormal_hours(rng, o.followup_lag_median_hours, 1.0, n_f)
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
    chosen2 = [f_open[int(i)] for i in _weighted_choice_without_replacement(rng, weights2, r2)]
    _reply_to(state, chosen2, clock)
    return state


def step_texts(state: SynthState) -> SynthState:
    """Render every text in its planted language; plant the tricky (markup/formula) texts."""
    o, rng = state.options, state.rng
    maker = st.TextMaker(rng, typo_rate=o.typo_rate, emoji_rate=o.emoji_rate, lowercase_rate=o.lowercase_rate)
    names = {c.campaign_id: c for c in state.campaigns}
    incident_kind = {i.incident_id: i.kind for i in state.incidents}
    for m in state.messages:
        lang = m["lang"]
        if m["kind"] == "post":
            spec = names.get(m["campaign_id"]) if m["campaign_id"] else None
            cname = (spec.names.get(lang) or spec.name) if spec else None
            m["text"] = maker.brand_post(m["post_type"], lang, cname=cname, campaign_kind=spec.kind if spec else None,
                                         incident_kind=incident_kind.get(m["incident_id"]))
        elif m["kind"] == "reply":
            m["text"] = maker.brand_reply(lang, m["reply_class"], m["topic"])
        elif m["und"]:
            m["text"] = maker.und_text(m["sentiment"])
        elif m["question"]:
            m["text"] = maker.question(m["topic"], lang, m["with_mark"])
        else:
            kind = "incident" if m["incident_id"] and m["sentiment"] == "negative" else m["kind"]
            m["text"] = maker.member_text(kind, lang, m["sentiment"], incident_kind.get(m["incident_id"]))
    # tricky members: markup and a formula, verbatim (the data must keep them; renderers must escape them)
    counts: dict[str, int] = {}
    for m in state.messages:
        if m["role"] == "member" and not m["question"] and not m["und"]:
            counts[m["author"]] = counts.get(m["author"], 0) + 1
    ranked = sorted((a for a, c in counts.items() if c >= 3), key=lambda a: (counts[a], a))
    tricky_authors = []
    if ranked and o.tricky_members:
        picks = rng.choice(len(ranked), size=min(o.tricky_members, len(ranked)), replace=False)
        tricky_authors = [ranked[int(i)] for i in picks]
    for j, author in enumerate(tricky_authors):
        wrapper = st.TRICKY_WRAPPERS[j % len(st.TRICKY_WRAPPERS)]
        own = [m for m in state.messages if m["author"] == author and m["role"] == "member"
               and not m["question"] and not m["und"]]
        for m in own[:2]:
            m["text"] = wrapper.format(text=m["text"])
            m["tricky"] = True
    state.accounts["tricky_authors"] = tricky_authors
    return state


def step_engagement(state: SynthState) -> SynthState:
    """Reactions and shares: brand posts by reach, member messages small counts, UGC a little more."""
    rng = state.rng
    for m in state.messages:
        if m["kind"] == "post":
            rate = 0.035 * math.exp(0.5 * rng.standard_normal())
            m["reactions"] = int(rng.poisson(max(m["reach"], 1) * rate))
            m["shares"] = int(rng.binomial(m["reactions"], 0.08))
        elif m["kind"] == "reply":
            m["reactions"] = int(rng.poisson(0.6))
        elif m["kind"] == "ugc":
            boost = 2.0 if m["sentiment"] == "positive" else 1.0
            m["reactions"] = int(rng.poisson(4.0 * boost))
            m["shares"] = int(rng.poisson(0.4 * boost))
        else:
            m["reactions"] = int(rng.geometric(0.45) - 1)
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


def step_accounts(state: SynthState) -> SynthState:
    """Brand accounts (one per channel) and moderator accounts, pseudonymised like member ids."""
    taken = state.accounts.setdefault("taken", set())
    state.accounts["brand"] = dict(zip(state.options.channels, _hex_ids(state.rng, len(state.options.channels),
                                                                           "b_", taken)))
    state.accounts["moderators"] = _hex_ids(state.rng, 3, "mod_", taken)
    return state


#: the generation pipeline; every step takes and returns the :class:`SynthState`
DEFAULT_STEPS: tuple[Step, ...] = (
    step_accounts, step_followers, step_brand_posts, step_campaigns, step_plan, step_members,
    step_member_messages, step_incidents, step_attributes, step_replies, sc.step_crisis, step_texts,
    sc.step_crisis_texts, step_engagement, step_audience,
)


# --------------------------------------------------------------------------------------------------
# Assembly and ground truth
# --------------------------------------------------------------------------------------------------

def _local_midnight(state: SynthState, day: int) -> pd.Timestamp:
    """UTC instant of local midnight ``day`` days after the first day (may lie beyond the period)."""
    return (state.start + pd.DateOffset(days=day)).tz_convert("UTC")


def _assemble(state: SynthState) -> tuple[Dataset, pd.DataFrame]:
    """Sort messages by time, give them channel-prefixed string ids and build the canonical tables."""
    o, rng = state.options, state.rng
    msgs = sorted(state.messages, key=lambda m: (m["t"], m["idx"]))
    ids: dict[int, str] = {}
    counters: dict[str, int] = {}
    for m in msgs:
        prefix = CHANNEL_PREFIX.get(m["channel"], m["channel"][:2])
        counters[prefix] = counters.get(prefix, 1000000) + int(rng.integers(1, 40))
        ids[m["idx"]] = f"{prefix}_{counters[prefix]}"
    for m in state.messages:
        m["message_id"] = ids[m["idx"]]
    created = pd.to_datetime(np.array([m["t"] for m in msgs], dtype=np.int64), unit="s", utc=True)
    messages = pd.DataFrame({
        "message_id": pd.array([ids[m["idx"]] for m in msgs], dtype="string"),
        "thread_id": pd.array([ids[m["root"]] for m in msgs], dtype="string"),
        "parent_id": pd.array([ids[m["parent"]] if m["parent"] is not None else None for m in msgs], dtype="string"),
        "channel": pd.array([m["channel"] for m in msgs], dtype="string"),
        "brand": pd.array([o.brand] * len(msgs), dtype="string"),
        "author_id": pd.array([m["author"] for m in msgs], dtype="string"),
        "author_role": pd.array([m["role"] for m in msgs], dtype="string"),
        "created_at": created.astype("datetime64[ns, UTC]"),
        "text": pd.array([m["text"] for m in msgs], dtype="string"),
        "language": pd.array([None] * len(msgs), dtype="string"),
        "reactions": pd.array([m["reactions"] for m in msgs], dtype="Int64"),
        "shares": pd.array([m["shares"] for m in msgs], dtype="Int64"),
        "reach": pd.array([m["reach"] if m["kind"] == "post" else None for m in msgs], dtype="Int64"),
        "campaign_id": pd.array([m["campaign_id"] for m in msgs], dtype="string"),
    })

    def utc(t: int | None) -> pd.Timestamp | None:
        return None if t is None else pd.Timestamp(int(t), unit="s", tz="UTC")

    campaigns = pd.DataFrame({
        "campaign_id": pd.array([c.campaign_id for c in state.campaigns], dtype="string"),
        "brand": pd.array([o.brand] * len(state.campaigns), dtype="string"),
        "name": pd.array([c.name for c in state.campaigns], dtype="string"),
        "kind": pd.array([c.kind for c in state.campaigns], dtype="string"),
        "channel": pd.array([c.channel for c in state.campaigns], dtype="string"),
        "start": pd.Series([_local_midnight(state, c.start_day) for c in state.campaigns],
                           dtype="datetime64[ns, UTC]"),
        "end": pd.Series([_local_midnight(state, c.start_day + c.days) for c in state.campaigns],
                         dtype="datetime64[ns, UTC]"),
        "budget": pd.array([c.budget for c in state.campaigns], dtype="Float64"),
        "currency": pd.array([c.currency for c in state.campaigns], dtype="string"),
        "objective": pd.array([c.objective for c in state.campaigns], dtype="string"),
    })
    onsets = state.plan.get("incident_onsets", {})
    listed = [i for i in state.incidents if _incident_effects(i)["listed"]]  # effects listed=0: no row (issue 4)
    incidents = pd.DataFrame({
        "incident_id": pd.array([i.incident_id for i in listed], dtype="string"),
        "brand": pd.array([o.brand] * len(listed), dtype="string"),
        "title": pd.array([i.title for i in listed], dtype="string"),
        "started_at": pd.Series([utc(onsets[i.incident_id]) for i in listed], dtype="datetime64[ns, UTC]"),
        "first_response_at": pd.Series(
            [utc(onsets[i.incident_id] + round(i.first_response_hours * 3600)) if i.first_response_hours is not None
             else None for i in listed], dtype="datetime64[ns, UTC]"),
        "resolved_at": pd.Series(
            [utc(onsets[i.incident_id] + round(i.resolved_days * 86400)) if i.resolved_days is not None else None
             for i in listed], dtype="datetime64[ns, UTC]"),
        "severity": pd.array([i.severity for i in listed], dtype="string"),
        "crisis_type": pd.array([i.crisis_type for i in listed], dtype="string"),
    })
    audience = state.audience.copy() if state.audience is not None else pd.DataFrame()
    audience = pd.DataFrame({
        "date": pd.to_datetime(audience["date"]).astype("datetime64[ns]"),
        "brand": pd.array(audience["brand"], dtype="string"),
        "channel": pd.array(audience["channel"], dtype="string"),
        "followers": pd.array(audience["followers"], dtype="Int64"),
    })
    meta = {"name": f"synthetic-caspian-harbour-clinic-seed{state.seed}", "timezone": o.timezone,
            "languages": list(st.LANGUAGES)}
    ds = Dataset(messages=messages, campaigns=campaigns, incidents=incidents, audience=audience, labels=None,
                 meta=meta)
    gold = pd.DataFrame({
        "message_id": pd.array([ids[m["idx"]] for m in msgs if m["role"] == "member"], dtype="string"),
        "sentiment": pd.array([m["sentiment"] for m in msgs if m["role"] == "member"], dtype="string"),
    })
    return ds, gold


def ground_truth(state: SynthState) -> dict[str, Any]:
    """Planted truth under the notebook's findings keys, from the generator's state (never from analysis).

    Definitions (DEVELOPERS.md): openers are member messages whose parent is null or a brand message;
    the first response is the earliest brand/moderator reply to the opener created after it; hours are
    floats; ``p90`` is the linearly interpolated 90th percentile (``numpy.quantile``); ``language_mix`` is the
    share of all messages per planted language, emoji-only texts counting as "und".
    """
    o = state.options
    msgs = state.messages
    members = [m for m in msgs if m["role"] == "member"]
    openers = _opener_flags(state)
    first: dict[int, int] = {}
    for m in msgs:
        if m["role"] in ("brand", "moderator") and m["parent"] is not None:
            p = msgs[m["parent"]]
            if p["role"] == "member" and m["t"] > p["t"]:
                first[p["idx"]] = min(first.get(p["idx"], m["t"]), m["t"])
    lags = np.array([(first[m["idx"]] - m["t"]) / 3600.0 for m in openers if m["idx"] in first])
    answered = len(lags)
    lang_counts: dict[str, int] = {lang: 0 for lang in st.LANGUAGES}
    lang_counts["und"] = 0
    for m in msgs:
        key = "und" if m["und"] else m["lang"]
        lang_counts[key] = lang_counts.get(key, 0) + 1
    total = len(msgs)
    planted: dict[str, list[str]] = {t: [] for t in o.topics()}
    for m in sorted(msgs, key=lambda x: (x["t"], x["idx"])):
        if m["question"]:
            planted[m["topic"]].append(m["message_id"])
    questions_by_language: dict[str, dict[str, int]] = {t: {lang: 0 for lang in st.LANGUAGES} for t in planted}
    for m in msgs:
        if m["question"]:
            questions_by_language[m["topic"]][m["lang"]] += 1
    n_neg = sum(1 for m in members if m["sentiment"] == "negative")
    n_ugc = sum(1 for m in members if m["parent"] is None)
    tricky = sorted(m["message_id"] for m in msgs if m["tricky"])
    campaign_posts = {c.campaign_id: sum(1 for m in msgs if m["campaign_id"] == c.campaign_id) for c in state.campaigns}
    incident_msgs = {i.incident_id: sum(1 for m in msgs if m["incident_id"] == i.incident_id and m["role"] == "member")
                     for i in state.incidents}
    options = asdict(o)
    options.pop("campaigns")
    options.pop("incidents")
    truth: dict[str, Any] = {
        "messages_analysed": total,
        "members_active": len({m["author"] for m in members}),
        "response_rate": answered / len(openers) if openers else math.nan,
        "median_first_response_hours": float(np.median(lags)) if answered else math.nan,
        "p90_first_response_hours": float(np.quantile(lags, 0.9)) if answered else math.nan,
        "language_mix": {k: v / total for k, v in lang_counts.items()},
        "ugc_share": n_ugc / len(members) if members else math.nan,
        "negative_share": n_neg / len(members) if members else math.nan,
        "question_clusters": len(planted),
        "planted_question_clusters": planted,
        "seed": state.seed,
        "generator_version": GENERATOR_VERSION,
        "notes": " ".join([
            "Synthetic data for the fictional Caspian Harbour Clinic (ru/az/en, facebook/instagram/telegram, "
            "Asia/Baku). Values are computed from the generator's planted state with the DEVELOPERS.md "
            "definitions: openers = member messages whose parent is null or a brand message (a member's answer "
            "to a brand reply is an opener too); response hours over answered openers, p90 linearly "
            "interpolated; language_mix over all messages with emoji-only texts as 'und'; negative_share = "
            "planted negative among member messages (gold labels in gold_sentiment.csv, all languages). "
            "Reply lags run on a working-hours clock (Asia/Baku): paused at night, half speed at weekends.",
            *state.notes,
        ]),
        # extra planted facts (not findings keys)
        "n_openers": len(openers),
        "n_answered": answered,
        "member_messages": len(members),
        "brand_posts": sum(1 for m in msgs if m["kind"] == "post"),
        "questions_planted": sum(len(v) for v in planted.values()),
        "questions_by_topic_language": questions_by_language,
        "question_topic_labels": {t: st.TOPIC_LABELS[t] for t in planted},
        "tricky_message_ids": tricky,
        "campaigns": [{**asdict(c), "effects": _campaign_effects(c), "posts": campaign_posts[c.campaign_id]}
                      for c in state.campaigns],
        "incidents": [{**asdict(i), "effects": _incident_effects(i), "member_messages": incident_msgs[i.incident_id]}
                      for i in state.incidents],
        "options": options,
    }
    from helpers.synth_campaigns import campaign_truth  # campaign/community truth (issue 3); late import: no cycle
    truth.update(campaign_truth(state))
    truth.update(sc.crisis_truth(state))  # crisis truth (issue 4): per incident under the notebook's findings keys
    return truth


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------

def _init_state(seed: int, n_messages: int, start: str, months: int, options: SynthOptions) -> SynthState:
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    if n_messages < 200:
        raise ValueError(f"n_messages must be >= 200, got {n_messages}")
    options.validate()
    first = pd.Timestamp(start)
    if first.tzinfo is not None:
        first = first.tz_convert(options.timezone).tz_localize(None)
    first = first.normalize()
    last = first + pd.DateOffset(months=months)
    local_days = pd.date_range(first, last, freq="D").tz_localize(options.timezone)
    day_starts = local_days.tz_convert("UTC").as_unit("s").asi8
    n_days = len(day_starts) - 1
    state = SynthState(options=options, seed=int(seed), rng=np.random.default_rng(seed), n_messages=int(n_messages),
                       start=local_days[0], n_days=n_days, day_starts=day_starts.astype(np.int64))
    for c in options.campaigns:
        if 0 <= c.start_day < n_days:
            state.campaigns.append(c)
        else:
            state.notes.append(f"campaign {c.campaign_id} starts after the period and was left out")
    for i in options.incidents:
        if 0 <= i.start_day < n_days:
            state.incidents.append(i)
        else:
            state.notes.append(f"incident {i.incident_id} starts after the period and was left out")
    return state


def synthesize(seed: int = 7, n_messages: int = 12000, start: str = "2025-01-01", months: int = 12,
               options: SynthOptions | None = None, steps: Sequence[Step] | None = None) -> SynthResult:
    """Generate a synthetic dataset and everything known about it (see :class:`SynthResult`).

    ``n_messages`` is the target total (all roles); the result lands within a few per cent of it. ``start`` is
    the first local day (``YYYY-MM-DD``) in the options' timezone; the period is ``months`` calendar months.
    Campaigns and incidents whose ``start_day`` falls outside the period are left out. Deterministic for a
    seed. ``steps`` replaces :data:`DEFAULT_STEPS` (to add hooks).
    """
    options = options or SynthOptions()
    state = _init_state(seed, n_messages, start, months, options)
    for step in steps or DEFAULT_STEPS:
        state = step(state)
    ds, gold = _assemble(state)
    truth = ground_truth(state)
    return SynthResult(dataset=ds, truth=truth, gold=gold, state=state)


def generate(seed: int = 7, n_messages: int = 12000, start: str = "2025-01-01", months: int = 12,
             options: SynthOptions | None = None) -> tuple[Dataset, dict[str, Any]]:
    """The canonical tables (a :class:`helpers.io.Dataset`) and the ground-truth dict for ``seed``.

    See :func:`synthesize` for the arguments; gold sentiment labels come with :func:`synthesize` or
    :func:`write_synthetic`.
    """
    result = synthesize(seed=seed, n_messages=n_messages, start=start, months=months, options=options)
    return result.dataset, result.truth


def _json_safe(value: Any) -> Any:
    """NaN/inf become null so ground_truth.json stays strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def _write(result: SynthResult, out_dir: str | Path, fmt: str = "csv") -> Path:
    """Write the dataset (helpers.io.write_dataset), ground_truth.json and gold_sentiment.csv."""
    out = write_dataset(result.dataset, out_dir, fmt=fmt)
    truth_text = json.dumps(_json_safe(result.truth), ensure_ascii=False, indent=2, default=_json_default,
                            allow_nan=False) + "\n"
    (out / "ground_truth.json").write_text(truth_text, encoding="utf-8")
    result.gold.to_csv(out / "gold_sentiment.csv", index=False, encoding="utf-8", lineterminator="\n")
    return out


def write_synthetic(out_dir: str | Path, seed: int = 7, n_messages: int = 12000, start: str = "2025-01-01",
                    months: int = 12, options: SynthOptions | None = None, fmt: str = "csv",
                    labels: int = 0, lexicon_hard_share: float = 0.0) -> dict[str, Any]:
    """Generate and write a canonical dataset folder plus ``ground_truth.json`` and ``gold_sentiment.csv``.

    Returns the ground truth. ``fmt`` is ``csv`` or ``parquet`` (tables only; the JSON and gold CSV are
    always written as such). Relative ``out_dir`` resolves like every helper path (:func:`helpers.io.resolve_path`).
    Sentiment loop (:mod:`helpers.synth_sentiment`, own random streams, the rest of the data is unchanged):
    ``labels`` > 0 also writes a ``labels`` table of that many gold labels (as if a person had labelled
    them); ``lexicon_hard_share`` (0–1) rewrites that share of English member messages with texts lexicon
    scorers misread (sarcasm, complaints without negative words), gold sentiment unchanged.
    """
    result = synthesize(seed=seed, n_messages=n_messages, start=start, months=months, options=options)
    _sentiment_extras(result, seed, labels, lexicon_hard_share)
    out = _write(result, resolve_path(out_dir), fmt=fmt)
    _write_sentiment_labels(result, out, seed, labels)
    return result.truth


def _sentiment_extras(result: SynthResult, seed: int, labels: int, lexicon_hard_share: float) -> None:
    """Issue 7 options: lexicon-hard English texts (before writing) and the labels count in the truth."""
    from helpers.synth_sentiment import harden_english

    if labels < 0:
        raise ValueError(f"labels must be >= 0, got {labels}")
    hardened = harden_english(result, lexicon_hard_share, seed)
    if lexicon_hard_share:
        result.truth["lexicon_hard_english_messages"] = hardened
    if labels:
        result.truth["sentiment_labels"] = min(int(labels), len(result.gold))


def _write_sentiment_labels(result: SynthResult, out: Path, seed: int, labels: int) -> None:
    if labels:
        from helpers.sentiment import write_labels
        from helpers.synth_sentiment import sample_labels

        write_labels(sample_labels(result.gold, labels, seed), out)


def cli(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers synth --out DIR --seed N [--messages N] [--start YYYY-MM-DD] [--months M]
    [--format csv|parquet]``: write a synthetic dataset and print a one-line summary.

    Exit status: 0 written, 1 writing failed, 2 invalid arguments.
    """
    parser = argparse.ArgumentParser(prog="python -m helpers synth",
                                     description="Generate a synthetic canonical dataset with planted ground truth.")
    parser.add_argument("--out", required=True, help="output folder (a canonical dataset)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--messages", type=int, default=12000, help="target number of messages (default 12000)")
    parser.add_argument("--start", default="2025-01-01", help="first day, YYYY-MM-DD (default 2025-01-01)")
    parser.add_argument("--months", type=int, default=12, help="length of the period in months (default 12)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="table format (default csv)")
    parser.add_argument("--labels", type=int, default=0,
                        help="also write a labels table of N gold sentiment labels (default 0: none)")
    parser.add_argument("--lexicon-hard-share", type=float, default=0.0,
                        help="share 0-1 of English member texts rewritten so lexicon scorers misread them (default 0)")
    parser.add_argument("--no-incidents", action="store_true",
                        help="plant no incident: a period without any crisis (default: the two default incidents)")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        pd.Timestamp(args.start)
    except ValueError:
        print(f"error: --start must be a date YYYY-MM-DD, got {args.start!r}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        result = synthesize(seed=args.seed, n_messages=args.messages, start=args.start, months=args.months,
                            options=SynthOptions(incidents=[]) if args.no_incidents else None)
        _sentiment_extras(result, args.seed, args.labels, args.lexicon_hard_share)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        out = _write(result, resolve_path(args.out), fmt=args.format)
        _write_sentiment_labels(result, out, args.seed, args.labels)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    t = result.truth
    print(f"wrote {t['messages_analysed']} messages ({t['member_messages']} by {t['members_active']} members, "
          f"{t['brand_posts']} brand posts, {len(t['campaigns'])} campaigns, {len(t['incidents'])} incidents; "
          f"response rate {t['response_rate']:.2f}, median first response {t['median_first_response_hours']:.1f} h) "
          f"to {out} in {time.perf_counter() - began:.1f}s (seed {args.seed})")
    return 0
