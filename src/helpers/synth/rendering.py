"""Generation steps for what the messages show: texts (with planted markup) and reactions/shares counts."""
from __future__ import annotations

import math

import numpy as np

from helpers.synth.state import SynthState
from helpers.synth.templates import TRICKY_WRAPPERS
from helpers.synth.texts import TextMaker

__all__ = ["TEXT_STREAM", "step_texts", "step_engagement"]

#: the texts' own random stream (``default_rng([seed, TEXT_STREAM])``): how varied the wording is does not
#: move any other draw of the generator
TEXT_STREAM = 1313


def step_texts(state: SynthState) -> SynthState:
    """Render every text in its planted language (own random stream); plant the tricky (markup/formula) texts."""
    o, rng = state.options, state.rng
    maker = TextMaker(np.random.default_rng([state.seed, TEXT_STREAM]), typo_rate=o.typo_rate, emoji_rate=o.emoji_rate, lowercase_rate=o.lowercase_rate)
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
        wrapper = TRICKY_WRAPPERS[j % len(TRICKY_WRAPPERS)]
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
