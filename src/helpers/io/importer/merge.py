"""Merging imported messages into the messages a dataset folder already holds, and resolving their links.

The key of a message is (channel, message_id). A message seen before is *updated* when the new export
changes it (an edited text, new reaction counts) and *unchanged* otherwise; a new one is *added*; a message
absent from a later export is kept (exports are windows, not the truth about deletion). ``campaign_id`` is
never set by an import (it links to the team's campaigns table).

Links are resolved after every source of an import is merged: a ``parent_id`` that names a message in the
dataset (from any file of this import or an earlier one) stays; one that names a message not there is moved
to ``x_parent_id`` (so the canonical table stays valid) and moved back as soon as a later import brings the
parent. ``thread_id`` is the root of the parent chain unless the export names it (X ``conversation_id``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io.importer.values import thread_roots
from helpers.io.schema import MEDIA_COLUMN, TABLES, isin

__all__ = ["MergeCounts", "unique_within_source", "prepare_state", "merge_messages", "resolve_links",
           "DANGLING_PARENT"]

#: where a parent id that names no message in the dataset is kept
DANGLING_PARENT = "x_parent_id"

_FLOAT_ID = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
#: columns an update may change (campaign_id is the team's, never an import's)
_UPDATABLE = [c for c in TABLES["messages"] if c not in ("message_id", "channel", "campaign_id")]
#: what a source that only completes other sources' messages may change beyond their empty fields
_FILLS_ALWAYS = ("reach",)


@dataclass
class MergeCounts:
    """What one source did to the dataset: messages added, updated, unchanged, and the keys it collided on."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    collisions: list[int] = field(default_factory=list)   #: positions (in the source's kept rows) refused


def unique_within_source(ids: pd.Series, reasons: list[str | None], notes: list[str]) -> pd.Series:
    """Message ids among one source's usable rows, made unique: a repeated float-looking id (digits lost in a
    spreadsheet) gets a ``-dupN`` suffix, any other repeat is flagged ``duplicate message_id`` in ``reasons``."""
    float_like = ids.str.fullmatch(_FLOAT_ID.pattern).fillna(False).astype(bool).tolist()
    id_list: list = ids.astype(object).tolist()
    collided = 0
    seen: dict[str, int] = {}
    taken = {v for v, r in zip(id_list, reasons) if r is None}
    for i, value in enumerate(id_list):
        if reasons[i] is not None:
            continue
        if value not in seen:
            seen[value] = 0
            continue
        if float_like[i]:
            collided += 1
            k = seen[value]
            while f"{value}-dup{k + 1}" in taken:
                k += 1
            seen[value] = k + 1
            taken.add(f"{value}-dup{k + 1}")
            id_list[i] = f"{value}-dup{k + 1}"
        else:
            reasons[i] = "duplicate message_id"
    n_float = sum(float_like)
    if n_float:
        example = ids[np.asarray(float_like)].iloc[0]
        notes.append(f"{n_float} message id(s) looked like spreadsheet floats (e.g. {example!r}: digits were lost "
                     f"when the export went through a spreadsheet); {collided} of them collided and were made "
                     "unique with -dup1, -dup2… suffixes. Re-export without a spreadsheet to recover the real ids")
    return pd.Series(id_list, index=ids.index, dtype="string")


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame["channel"].astype(str) + "\x1f" + frame["message_id"].astype(str)


def prepare_state(existing: pd.DataFrame | None) -> pd.DataFrame:
    """The dataset's messages as merge state: keyed by (channel, message_id), ``parent_id`` holding the
    original parent (dangling ones moved back from ``x_parent_id``)."""
    if existing is None:
        state = pd.DataFrame({c: pd.Series(dtype="string") for c in TABLES["messages"]})
        state["created_at"] = state["created_at"].astype("datetime64[ns, UTC]")
        for c in ("reactions", "shares", "reach"):
            state[c] = state[c].astype("Int64")
    else:
        state = existing.copy()
    if DANGLING_PARENT in state.columns:
        state["parent_id"] = state["parent_id"].fillna(state[DANGLING_PARENT]).astype("string")
        state = state.drop(columns=[DANGLING_PARENT])
    state.index = pd.Index(_key(state), name="key")
    return state


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values count as equal."""
    both_missing = (a.isna() & b.isna()).to_numpy(dtype=bool)
    equal = (a.astype(object) == b.astype(object)).to_numpy(dtype=bool) & a.notna().to_numpy() & b.notna().to_numpy()
    return both_missing | equal


def merge_messages(state: pd.DataFrame, incoming: pd.DataFrame, fills_only: bool = False
                   ) -> tuple[pd.DataFrame, MergeCounts]:
    """Merge one source's messages (canonical columns, ``parent_id`` = original parent, ``x_*`` extras) into
    ``state``; returns the new state and the counts.

    A message of ``incoming`` whose key is in ``state`` updates it with its non-empty values (a ``fills_only``
    source only fills empty fields, and reach); a new one is added — unless its message_id is already used by
    another channel's message, which is refused (listed in ``counts.collisions``).
    """
    counts = MergeCounts()
    incoming = incoming.copy()
    incoming.index = pd.Index(_key(incoming), name="key")
    seen = isin(pd.Series(incoming.index), state.index)
    taken_ids = set(state["message_id"].astype(str))
    new_part = incoming[~seen]
    clash = isin(new_part["message_id"].astype("string"), taken_ids)
    if clash.any():
        positions = np.flatnonzero(~seen)[clash]
        counts.collisions = [int(p) for p in positions]
        new_part = new_part[~clash]
    for col in incoming.columns:
        if col not in state.columns:
            state[col] = pd.Series(pd.NA, index=state.index, dtype=incoming[col].dtype)
    if seen.any():
        state, counts.updated, counts.unchanged = _update(state, incoming[seen], fills_only)
    counts.added = len(new_part)
    if len(new_part):
        new_part = new_part.reindex(columns=state.columns)
        for col in state.columns:
            if state[col].dtype != new_part[col].dtype:
                new_part[col] = new_part[col].astype(state[col].dtype)
        state = pd.concat([state, new_part]) if len(state) else new_part
    return state, counts


def _update(state: pd.DataFrame, seen: pd.DataFrame, fills_only: bool) -> tuple[pd.DataFrame, int, int]:
    """``state`` with the rows of ``seen`` applied; returns it and the numbers of rows changed / not changed."""
    columns = [c for c in seen.columns if c in _UPDATABLE or (c.startswith("x_") and c != DANGLING_PARENT)]
    old = state.loc[seen.index, columns]
    changed = np.zeros(len(seen), dtype=bool)
    merged = old.copy()
    for col in columns:
        new = seen[col]
        if fills_only and col not in _FILLS_ALWAYS:
            value = old[col].where(old[col].notna(), new.astype(old[col].dtype))
        else:
            value = new.astype(old[col].dtype).where(new.notna(), old[col])
        changed |= ~_same(value, old[col])
        merged[col] = value
    state.loc[seen.index, columns] = merged
    n_changed = int(changed.sum())
    return state, n_changed, len(seen) - n_changed


def resolve_links(state: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Canonical messages from the merged state: parents that name no message in the dataset moved to
    :data:`DANGLING_PARENT`, self-replies dropped, thread ids derived. Returns the table (in created order;
    ties in the order merged) and the number of dangling parents."""
    out = state.reset_index(drop=True)
    ids = out["message_id"].astype("string")
    parent = out["parent_id"].astype("string")
    parent = parent.mask(_same(parent, ids) & parent.notna().to_numpy())
    known = set(ids.dropna().tolist())
    dangling = parent.notna().to_numpy() & ~isin(parent, known)
    roots = pd.Series(thread_roots(ids.tolist(), parent.astype(object).where(parent.notna(), None).tolist()),
                      index=out.index, dtype="string")
    own_thread = out["thread_id"].astype("string").fillna(ids)
    thread_by_id = pd.Series(own_thread.to_numpy(), index=ids.to_numpy())
    root_known = isin(roots, known)
    has_parent = parent.notna().to_numpy()
    via_root = pd.Series(roots.map(thread_by_id).to_numpy(), index=out.index, dtype="string")
    thread = own_thread.where(~has_parent, via_root.where(root_known, out["thread_id"].astype("string").fillna(roots)))
    out["thread_id"] = thread.astype("string")
    out["parent_id"] = parent.mask(dangling).astype("string")
    if dangling.any():
        out[DANGLING_PARENT] = parent.where(dangling).astype("string")
    if MEDIA_COLUMN in out.columns:
        out["text"] = out["text"].fillna("")
    extras = [c for c in out.columns if c not in TABLES["messages"]]
    out = out[list(TABLES["messages"]) + extras]
    out = out.sort_values("created_at", kind="stable").reset_index(drop=True)   # ties keep file order
    return out, int(dangling.sum())
