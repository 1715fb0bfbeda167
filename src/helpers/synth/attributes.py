"""Generation step for member-message attributes: questions, languages, sentiment, emoji-only texts, authors.

Questions are planted exactly per topic × language; shares as in :class:`helpers.synth.options.SynthOptions`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from helpers.synth.draws import exact_counts, norm, shuffled_labels, weighted_choice_without_replacement
from helpers.synth.state import SynthState

__all__ = ["step_attributes"]


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
    topic_counts = exact_counts(q_total, {t: tw.get(t, 0.0) for t in topics})
    spoken = {k for k, v in o.language_mix.items() if v > 0}
    qlm = {k: v for k, v in o.question_language_mix.items() if k in spoken and v > 0} or dict(o.language_mix)
    qlm = norm(qlm)
    cells: list[tuple[str, str]] = []
    for topic, count in topic_counts.items():
        for lang, c in exact_counts(count, qlm).items():
            cells += [(topic, lang)] * c
    weights = np.array([1.0 if m["kind"] == "comment" else 0.4 for m in eligible])
    chosen = weighted_choice_without_replacement(rng, weights, q_total)
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
    target = exact_counts(n, o.language_mix)
    remaining = {lang: max(0, target[lang] - q_lang_counts.get(lang, 0)) for lang in target}
    if sum(remaining.values()) == 0:
        remaining = dict(o.language_mix)
    labels = shuffled_labels(rng, exact_counts(len(rest), remaining))
    for m, lang in zip(rest, labels):
        m["lang"] = lang

    # a member answering another member's question gives information (neutral)
    for m in rest:
        if m["kind"] == "member_reply" and state.messages[m["parent"]]["question"]:
            m["sentiment"] = "neutral"
    # sentiment of ordinary member messages (incident messages already carry theirs)
    plain = [m for m in rest if m["sentiment"] is None]
    for m, s in zip(plain, shuffled_labels(rng, exact_counts(len(plain), o.sentiment_mix))):
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
    cdfs: dict[tuple[str, str, int], np.ndarray] = {}  # one cumulative weight per pool and day (same draws)
    for m, day in zip(slots, days):
        key = (m["channel"], m["lang"], int(day))
        pool = pools.get((m["channel"], m["lang"]))
        if pool is None:  # no member of that language on that channel: borrow any pool of the language
            pool = next((p for (c, l), p in pools.items() if l == m["lang"]), next(iter(pools.values())))
        cdf = cdfs.get(key)
        if cdf is None:
            w = pool["weight"] * ((pool["join_day"] <= day) & (pool["leave_day"] > day))
            if w.sum() <= 0:
                w = pool["weight"]
            cdf = cdfs[key] = np.cumsum(w)
        avoid = by_idx[m["parent"]]["author"] if m["parent"] is not None else None
        for _ in range(6):
            pick = pool["author_id"][min(int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right")),
                                         len(cdf) - 1)]
            if pick != avoid:
                break
        m["author"] = str(pick)
