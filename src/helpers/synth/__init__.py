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
A :class:`SynthState` (:mod:`.state`) is passed through :data:`DEFAULT_STEPS` (:mod:`.pipeline`), each a
function ``state -> state``: accounts → followers (:mod:`.people`) → brand posts → campaigns → sizing plan
(:mod:`.posts`) → members (:mod:`.people`) → member messages → incidents (:mod:`.activity`) → attributes
(questions, sentiment, language, authors; :mod:`.attributes`) → brand replies and follow-ups (:mod:`.replies`)
→ crisis structure (:mod:`.crisis`) → texts (:mod:`.rendering`, :mod:`.texts`, :mod:`.templates`) → crisis
texts → engagement → audience. (Campaigns and incidents run before the replies because they change which
messages exist and when the brand answers them.) Planted effects and their defaults: :mod:`.options`,
:mod:`.effects`.
Later issues add or replace steps (``generate(..., steps=...)``). Messages live in ``state.messages`` as dicts
with integer ids (``idx``) until :func:`helpers.synth.assemble.assemble` sorts them by time and gives them
string ids.

Ground truth (``ground_truth.json``, :mod:`.truth`, :mod:`.campaigns`, :mod:`.crisis`) is computed from the
generator's own planted state with the shared definitions of DEVELOPERS.md / :mod:`helpers.metrics` (openers,
first response, UGC, language mix), never by running the analysis on the output. Its keys are the notebook's
findings keys. Writing: :mod:`.writer`; the command line: :mod:`.cli`; sentiment-loop extras: :mod:`.sentiment`.

Units: times are UTC epoch seconds internally; durations in hours unless a name says ``_days``; shares 0–1;
budgets in AZN.
"""
from __future__ import annotations

from helpers.synth.activity import step_incidents, step_member_messages
from helpers.synth.assemble import CHANNEL_PREFIX
from helpers.synth.attributes import step_attributes
from helpers.synth.cli import cli
from helpers.synth.effects import activity_profile, campaign_day_factor
from helpers.synth.options import (
    CAMPAIGN_EFFECT_DEFAULTS,
    GENERATOR_VERSION,
    INCIDENT_EFFECT_DEFAULTS,
    CampaignSpec,
    IncidentSpec,
    SynthOptions,
    default_campaigns,
    default_incidents,
)
from helpers.synth.people import step_accounts, step_audience, step_followers, step_members
from helpers.synth.pipeline import DEFAULT_STEPS, generate, synthesize
from helpers.synth.posts import step_brand_posts, step_campaigns, step_plan
from helpers.synth.rendering import step_engagement, step_texts
from helpers.synth.replies import REPLY_CLASSES, step_replies
from helpers.synth.state import Step, SynthResult, SynthState
from helpers.synth.truth import ground_truth
from helpers.synth.writer import write_synthetic

__all__ = [
    "GENERATOR_VERSION", "CampaignSpec", "IncidentSpec", "SynthOptions", "SynthState", "SynthResult",
    "DEFAULT_STEPS", "default_campaigns", "default_incidents", "synthesize", "generate", "write_synthetic",
    "ground_truth", "cli",
    # further public names of the old flat module
    "CAMPAIGN_EFFECT_DEFAULTS", "INCIDENT_EFFECT_DEFAULTS", "CHANNEL_PREFIX", "REPLY_CLASSES", "Step",
    "activity_profile", "campaign_day_factor",
    "step_accounts", "step_followers", "step_brand_posts", "step_campaigns", "step_plan", "step_members",
    "step_member_messages", "step_incidents", "step_attributes", "step_replies", "step_texts", "step_engagement",
    "step_audience",
]
