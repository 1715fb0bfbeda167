"""Ground truth (``ground_truth.json``) from the generator's planted state, never from running the analysis.

Keys are the notebook's findings keys; hours are floats, shares 0–1. Campaign and crisis truth come from
:mod:`helpers.synth.campaigns` and :mod:`helpers.synth.crisis`.
"""
from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np

from helpers.synth.campaigns import campaign_truth
from helpers.synth.crisis import crisis_truth
from helpers.synth.effects import campaign_effects, incident_effects
from helpers.synth.options import GENERATOR_VERSION
from helpers.synth.replies import opener_flags
from helpers.synth.state import SynthState
from helpers.synth.templates import LANGUAGES, TOPIC_LABELS

__all__ = ["NOTES", "first_response_lags", "language_mix", "planted_questions", "ground_truth"]


#: the fixed part of the truth's ``notes`` (the generator's own notes follow it)
NOTES = (
    "Synthetic data for the fictional Caspian Harbour Clinic (ru/az/en, facebook/instagram/telegram, "
    "Asia/Baku). Values are computed from the generator's planted state with the DEVELOPERS.md "
    "definitions: openers = member messages whose parent is null or a brand message (a member's answer "
    "to a brand reply is an opener too); response hours over answered openers, p90 linearly "
    "interpolated; language_mix over all messages with emoji-only texts as 'und'; negative_share = "
    "planted negative among member messages (gold labels in gold_sentiment.csv, all languages). "
    "Reply lags run on a working-hours clock (Asia/Baku): paused at night, half speed at weekends."
)


def first_response_lags(state: SynthState, openers: list[dict[str, Any]]) -> np.ndarray:
    """Hours from each answered opener to its first response (the earliest brand/moderator reply after it)."""
    msgs = state.messages
    first: dict[int, int] = {}
    for m in msgs:
        if m["role"] in ("brand", "moderator") and m["parent"] is not None:
            p = msgs[m["parent"]]
            if p["role"] == "member" and m["t"] > p["t"]:
                first[p["idx"]] = min(first.get(p["idx"], m["t"]), m["t"])
    return np.array([(first[m["idx"]] - m["t"]) / 3600.0 for m in openers if m["idx"] in first])


def language_mix(state: SynthState) -> dict[str, float]:
    """Share (0–1) of all messages per planted language, emoji-only texts counting as "und"."""
    msgs = state.messages
    lang_counts: dict[str, int] = {lang: 0 for lang in LANGUAGES}
    lang_counts["und"] = 0
    for m in msgs:
        key = "und" if m["und"] else m["lang"]
        lang_counts[key] = lang_counts.get(key, 0) + 1
    return {k: v / len(msgs) for k, v in lang_counts.items()}


def planted_questions(state: SynthState) -> tuple[dict[str, list[str]], dict[str, dict[str, int]]]:
    """Message ids of the planted questions per topic (in time order) and their counts per topic × language."""
    msgs = state.messages
    planted: dict[str, list[str]] = {t: [] for t in state.options.topics()}
    for m in sorted(msgs, key=lambda x: (x["t"], x["idx"])):
        if m["question"]:
            planted[m["topic"]].append(m["message_id"])
    by_language: dict[str, dict[str, int]] = {t: {lang: 0 for lang in LANGUAGES} for t in planted}
    for m in msgs:
        if m["question"]:
            by_language[m["topic"]][m["lang"]] += 1
    return planted, by_language


def _specs(state: SynthState) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The planted campaigns (with effects and post counts) and incidents (with effects and member messages)."""
    msgs = state.messages
    campaigns = [{**asdict(c), "effects": campaign_effects(c),
                  "posts": sum(1 for m in msgs if m["campaign_id"] == c.campaign_id)} for c in state.campaigns]
    incidents = [{**asdict(i), "effects": incident_effects(i),
                  "member_messages": sum(1 for m in msgs if m["incident_id"] == i.incident_id
                                         and m["role"] == "member")} for i in state.incidents]
    return campaigns, incidents


def ground_truth(state: SynthState) -> dict[str, Any]:
    """Planted truth under the notebook's findings keys, from the generator's state (never from analysis).

    Definitions (DEVELOPERS.md): openers are member messages whose parent is null or a brand message;
    the first response is the earliest brand/moderator reply to the opener created after it; hours are
    floats; ``p90`` is the linearly interpolated 90th percentile (``numpy.quantile``); ``language_mix`` is the
    share of all messages per planted language, emoji-only texts counting as "und".
    """
    msgs = state.messages
    members = [m for m in msgs if m["role"] == "member"]
    openers = opener_flags(state)
    lags = first_response_lags(state, openers)
    answered = len(lags)
    planted, questions_by_language = planted_questions(state)
    n_neg = sum(1 for m in members if m["sentiment"] == "negative")
    n_ugc = sum(1 for m in members if m["parent"] is None)
    campaigns, incidents = _specs(state)
    options = asdict(state.options)
    options.pop("campaigns")
    options.pop("incidents")
    truth: dict[str, Any] = {
        "messages_analysed": len(msgs),
        "members_active": len({m["author"] for m in members}),
        "response_rate": answered / len(openers) if openers else math.nan,
        "median_first_response_hours": float(np.median(lags)) if answered else math.nan,
        "p90_first_response_hours": float(np.quantile(lags, 0.9)) if answered else math.nan,
        "language_mix": language_mix(state),
        "ugc_share": n_ugc / len(members) if members else math.nan,
        "negative_share": n_neg / len(members) if members else math.nan,
        "question_clusters": len(planted),
        "planted_question_clusters": planted,
        "seed": state.seed,
        "generator_version": GENERATOR_VERSION,
        "notes": " ".join([NOTES, *state.notes]),
        # extra planted facts (not findings keys)
        "n_openers": len(openers),
        "n_answered": answered,
        "member_messages": len(members),
        "brand_posts": sum(1 for m in msgs if m["kind"] == "post"),
        "questions_planted": sum(len(v) for v in planted.values()),
        "questions_by_topic_language": questions_by_language,
        "question_topic_labels": {t: TOPIC_LABELS[t] for t in planted},
        "tricky_message_ids": sorted(m["message_id"] for m in msgs if m["tricky"]),
        "campaigns": campaigns,
        "incidents": incidents,
        "options": options,
    }
    truth.update(campaign_truth(state))  # campaign/community truth (issue 3)
    truth.update(crisis_truth(state))  # crisis truth (issue 4): per incident under the notebook's findings keys
    return truth
