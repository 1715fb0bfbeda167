"""The generation pipeline: :data:`DEFAULT_STEPS`, :func:`synthesize` and :func:`generate` (in memory).

``start`` is the first local day (``YYYY-MM-DD``) in the options' timezone; the period is ``months`` calendar
months; ``n_messages`` is the target total of messages (all roles).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import Dataset
from helpers.synth.activity import step_incidents, step_member_messages
from helpers.synth.assemble import assemble
from helpers.synth.attributes import step_attributes
from helpers.synth.crisis import step_crisis, step_crisis_texts
from helpers.synth.options import SynthOptions
from helpers.synth.people import step_accounts, step_audience, step_followers, step_members
from helpers.synth.posts import step_brand_posts, step_campaigns, step_plan
from helpers.synth.rendering import step_engagement, step_texts
from helpers.synth.replies import step_replies
from helpers.synth.state import Step, SynthResult, SynthState
from helpers.synth.truth import ground_truth

__all__ = ["DEFAULT_STEPS", "synthesize", "generate"]


#: the generation pipeline; every step takes and returns the :class:`SynthState`
DEFAULT_STEPS: tuple[Step, ...] = (
    step_accounts, step_followers, step_brand_posts, step_campaigns, step_plan, step_members,
    step_member_messages, step_incidents, step_attributes, step_replies, step_crisis, step_texts,
    step_crisis_texts, step_engagement, step_audience,
)


def _init_state(seed: int, n_messages: int, start: str, months: int, options: SynthOptions) -> SynthState:
    """The empty state: the period's local midnights, the random generator, the campaigns and incidents in it."""
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
    ds, gold = assemble(state)
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
