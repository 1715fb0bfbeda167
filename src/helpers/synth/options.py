"""What the generator plants: :class:`SynthOptions`, campaign and incident specs and their default effects.

Every parameter of a generation run lives here (shares 0–1, hours and days as named, budgets in AZN). The
default year has three paid campaigns and two community programmes (:func:`default_campaigns`) and two
incidents (:func:`default_incidents`). :data:`GENERATOR_VERSION` is written into ``ground_truth.json``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from helpers.synth.templates import INCIDENT_COMPLAINTS, LANGUAGES, QUESTION_TOPICS

__all__ = [
    "GENERATOR_VERSION", "CampaignSpec", "CAMPAIGN_EFFECT_DEFAULTS", "IncidentSpec", "INCIDENT_EFFECT_DEFAULTS",
    "default_campaigns", "default_incidents", "SynthOptions",
]


GENERATOR_VERSION = "1.3.0"


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
    factors are real lifts (not a reshuffle of a fixed total); ``helpers.synth.campaigns`` turns them into the
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

    The crisis structure is planted by :mod:`helpers.synth.crisis`; unknown keys are kept and echoed.
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
    # issue 4 (helpers.synth.crisis)
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
            if set(mix) - set(LANGUAGES):
                raise ValueError(f"{name}: languages must be among {LANGUAGES}, got {sorted(mix)}")
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
        if not 1 <= self.question_topics <= len(QUESTION_TOPICS):
            raise ValueError(f"question_topics must be 1–{len(QUESTION_TOPICS)}, got {self.question_topics}")
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
            if i.kind not in INCIDENT_COMPLAINTS:
                raise ValueError(f"incident {i.incident_id}: kind must be one of {sorted(INCIDENT_COMPLAINTS)}")

    def topics(self) -> list[str]:
        """The planted question topic keys (the first ``question_topics`` of the ten)."""
        return list(QUESTION_TOPICS)[: self.question_topics]
