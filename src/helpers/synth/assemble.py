"""Assembly: the generator's message dicts become the canonical tables and the gold sentiment labels.

Messages are sorted by time and get channel-prefixed string ids; times become UTC timestamps.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.io import Dataset
from helpers.synth.effects import incident_effects
from helpers.synth.state import SynthState
from helpers.synth.templates import LANGUAGES

__all__ = ["CHANNEL_PREFIX", "assemble"]


#: message id prefix per channel (other channels use their first two letters)
CHANNEL_PREFIX = {"facebook": "fb", "instagram": "ig", "telegram": "tg", "x": "x", "forum": "fo",
                  "review_site": "rv"}


def _local_midnight(state: SynthState, day: int) -> pd.Timestamp:
    """UTC instant of local midnight ``day`` days after the first day (may lie beyond the period)."""
    return (state.start + pd.DateOffset(days=day)).tz_convert("UTC")


def _utc(t: int | None) -> pd.Timestamp | None:
    return None if t is None else pd.Timestamp(int(t), unit="s", tz="UTC")


def _message_ids(state: SynthState, msgs: list[dict[str, Any]]) -> dict[int, str]:
    """Channel-prefixed string ids in time order (random gaps), by ``idx``; also stored as ``message_id``."""
    ids: dict[int, str] = {}
    counters: dict[str, int] = {}
    for m in msgs:
        prefix = CHANNEL_PREFIX.get(m["channel"], m["channel"][:2])
        counters[prefix] = counters.get(prefix, 1000000) + int(state.rng.integers(1, 40))
        ids[m["idx"]] = f"{prefix}_{counters[prefix]}"
    for m in state.messages:
        m["message_id"] = ids[m["idx"]]
    return ids


def _messages_table(state: SynthState, msgs: list[dict[str, Any]], ids: dict[int, str]) -> pd.DataFrame:
    created = pd.to_datetime(np.array([m["t"] for m in msgs], dtype=np.int64), unit="s", utc=True)
    return pd.DataFrame({
        "message_id": pd.array([ids[m["idx"]] for m in msgs], dtype="string"),
        "thread_id": pd.array([ids[m["root"]] for m in msgs], dtype="string"),
        "parent_id": pd.array([ids[m["parent"]] if m["parent"] is not None else None for m in msgs], dtype="string"),
        "channel": pd.array([m["channel"] for m in msgs], dtype="string"),
        "brand": pd.array([state.options.brand] * len(msgs), dtype="string"),
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


def _campaigns_table(state: SynthState) -> pd.DataFrame:
    return pd.DataFrame({
        "campaign_id": pd.array([c.campaign_id for c in state.campaigns], dtype="string"),
        "brand": pd.array([state.options.brand] * len(state.campaigns), dtype="string"),
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


def _incidents_table(state: SynthState) -> pd.DataFrame:
    onsets = state.plan.get("incident_onsets", {})
    listed = [i for i in state.incidents if incident_effects(i)["listed"]]  # effects listed=0: no row (issue 4)
    return pd.DataFrame({
        "incident_id": pd.array([i.incident_id for i in listed], dtype="string"),
        "brand": pd.array([state.options.brand] * len(listed), dtype="string"),
        "title": pd.array([i.title for i in listed], dtype="string"),
        "started_at": pd.Series([_utc(onsets[i.incident_id]) for i in listed], dtype="datetime64[ns, UTC]"),
        "first_response_at": pd.Series(
            [_utc(onsets[i.incident_id] + round(i.first_response_hours * 3600)) if i.first_response_hours is not None
             else None for i in listed], dtype="datetime64[ns, UTC]"),
        "resolved_at": pd.Series(
            [_utc(onsets[i.incident_id] + round(i.resolved_days * 86400)) if i.resolved_days is not None else None
             for i in listed], dtype="datetime64[ns, UTC]"),
        "severity": pd.array([i.severity for i in listed], dtype="string"),
        "crisis_type": pd.array([i.crisis_type for i in listed], dtype="string"),
    })


def _audience_table(state: SynthState) -> pd.DataFrame:
    audience = state.audience.copy() if state.audience is not None else pd.DataFrame()
    return pd.DataFrame({
        "date": pd.to_datetime(audience["date"]).astype("datetime64[ns]"),
        "brand": pd.array(audience["brand"], dtype="string"),
        "channel": pd.array(audience["channel"], dtype="string"),
        "followers": pd.array(audience["followers"], dtype="Int64"),
    })


def assemble(state: SynthState) -> tuple[Dataset, pd.DataFrame]:
    """Sort messages by time, give them channel-prefixed string ids and build the canonical tables.

    Returns the :class:`helpers.io.Dataset` and the gold sentiment labels (message_id, sentiment) of the
    member messages.
    """
    msgs = sorted(state.messages, key=lambda m: (m["t"], m["idx"]))
    ids = _message_ids(state, msgs)
    meta = {"name": f"synthetic-caspian-harbour-clinic-seed{state.seed}", "timezone": state.options.timezone,
            "languages": list(LANGUAGES)}
    ds = Dataset(messages=_messages_table(state, msgs, ids), campaigns=_campaigns_table(state),
                 incidents=_incidents_table(state), audience=_audience_table(state), labels=None, meta=meta)
    gold = pd.DataFrame({
        "message_id": pd.array([ids[m["idx"]] for m in msgs if m["role"] == "member"], dtype="string"),
        "sentiment": pd.array([m["sentiment"] for m in msgs if m["role"] == "member"], dtype="string"),
    })
    return ds, gold
