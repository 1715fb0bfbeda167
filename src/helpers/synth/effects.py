"""Planted campaign and incident effects and the baseline activity they act on.

Shared by the generation steps and by the truth (:mod:`helpers.synth.campaigns`, :mod:`helpers.synth.crisis`),
so the expected lifts in ``ground_truth.json`` use exactly the factors the steps applied. Factors are
relative (1 = no effect); days are local day indices (0 = the first day).
"""
from __future__ import annotations

import math

import numpy as np

from helpers.synth.options import CAMPAIGN_EFFECT_DEFAULTS, INCIDENT_EFFECT_DEFAULTS, CampaignSpec, IncidentSpec
from helpers.synth.state import SynthState

__all__ = ["campaign_effects", "incident_effects", "incident_extra_days", "activity_profile", "campaign_day_factor"]


def campaign_effects(c: CampaignSpec) -> dict[str, float]:
    """The campaign's effects: the defaults of its kind (:data:`CAMPAIGN_EFFECT_DEFAULTS`) overridden by
    ``c.effects`` (factors relative, counts per day as named in :class:`CampaignSpec`)."""
    return {**CAMPAIGN_EFFECT_DEFAULTS[c.kind], **c.effects}


def incident_effects(i: IncidentSpec) -> dict[str, float]:
    """The incident's effects: :data:`INCIDENT_EFFECT_DEFAULTS` overridden by ``i.effects`` (shares 0–1, days
    as named in :class:`IncidentSpec`)."""
    return {**INCIDENT_EFFECT_DEFAULTS, **i.effects}


def incident_extra_days(inc: IncidentSpec, n_days: int) -> float:
    """Extra baseline-days of member messages an incident adds: (multiplier − 1) × ∫ 2^(−t/h) dt over its span."""
    eff = incident_effects(inc)
    span = max(0.0, min(eff["duration_days"], n_days - inc.start_day - inc.start_hour / 24))
    h = eff["half_life_days"]
    return max(0.0, eff["volume_multiplier"] - 1.0) * h / math.log(2) * (1 - 2 ** (-span / h))


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
            f[lo:hi] *= float(campaign_effects(c).get(key, 1.0))
    return f
