"""The state one generation run passes through its steps, the message record, and the run's result.

Units: times are UTC epoch seconds; ``day_starts`` holds the UTC epoch second of each local midnight.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import Dataset
from helpers.synth.options import CampaignSpec, IncidentSpec, SynthOptions

__all__ = ["SynthState", "new_message", "SynthResult", "Step"]


@dataclass
class SynthState:
    """Everything one generation run knows; steps read and extend it.

    ``day_starts`` holds the UTC epoch second of each local midnight (``n_days + 1`` values, the last is the
    period end). ``messages`` holds one dict per message (see :func:`new_message` for the keys).
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
        """Append a message dict (defaults from :func:`new_message`) and return it."""
        msg = new_message(len(self.messages), **fields)
        self.messages.append(msg)
        return msg


def new_message(idx: int, **fields: Any) -> dict[str, Any]:
    """A new message record (``t`` in UTC epoch seconds, ``parent``/``root`` are ``idx`` values).

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
    """What :func:`helpers.synth.pipeline.synthesize` returns: the dataset, its ground truth, gold sentiment and the final state."""

    dataset: Dataset
    truth: dict[str, Any]
    gold: pd.DataFrame
    state: SynthState


#: one generation step: takes the state, extends it, returns it
Step = Callable[[SynthState], SynthState]
