"""Rendering of the generator's text templates (:mod:`helpers.synth.templates`) with a NumPy generator.

:class:`TextMaker` picks the template for a message and lets a :class:`helpers.synth.variety.Composer` fill
its slots and vary it (details, openers, closers, mentions, links, typos, emoji); it also composes brand
replies with a request number and the agent's signature. Deterministic for a given generator state.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from helpers.synth.templates import (
    BRAND_GREETINGS,
    BRAND_POSTS,
    BRAND_REPLIES,
    CAMPAIGN_POSTS,
    COMMENTS,
    FOLLOWUPS,
    INCIDENT_COMPLAINTS,
    MEMBER_REPLIES,
    QUESTION_TOPICS,
    STATEMENTS,
    TOPIC_ANSWERS,
    UGC_POSTS,
    UND_TEXTS,
)
from helpers.synth.variety import Composer, lower_first

__all__ = ["TextMaker"]

#: chance of an @mention by kind of member text (replies address someone), and of a pasted link
_MENTION = {"member_reply": 0.35, "followup": 0.15, "comment": 0.06, "ugc": 0.0, "incident": 0.03}
_LINK = {"ugc": 0.25, "comment": 0.03}


class TextMaker:
    """Renders templates with a NumPy generator (deterministic for a given generator state).

    ``typo_rate`` (0–1) is the chance that a member text gets a letter typo in a long word; ``emoji_rate``
    (0–1) the chance that emoji are appended; ``lowercase_rate`` (0–1) the chance that the first letter is
    written in lower case. ``variety`` (default on) adds details, openers, closers, mentions and links
    (:class:`helpers.synth.variety.Composer`).
    """

    def __init__(self, rng: np.random.Generator, typo_rate: float = 0.08, emoji_rate: float = 0.15,
                 lowercase_rate: float = 0.2, variety: bool = True) -> None:
        self.rng = rng
        self.variety = variety
        self.composer = Composer(rng, typo_rate=typo_rate, emoji_rate=emoji_rate, lowercase_rate=lowercase_rate)

    # -- basics -------------------------------------------------------------------------------------
    def pick(self, options: Sequence[str]) -> str:
        """One element of ``options``, uniformly."""
        return self.composer.pick(options)

    def fill(self, template: str, lang: str, extra: Mapping[str, str] | None = None) -> str:
        """Fill the slots of ``template`` in ``lang`` and capitalise the first letter."""
        return self.composer.fill(template, lang, extra)

    def noisy(self, text: str, lang: str, emoji_kind: str) -> str:
        """Member-style noise: a letter typo, keyboard habits, a lower-case start, trailing emoji."""
        return self.composer.noise(text, lang, emoji_kind)

    # -- member texts -------------------------------------------------------------------------------
    def question(self, topic: str, lang: str, with_mark: bool) -> str:
        """A question of ``topic``; ends with "?" when ``with_mark``, else with ".", "…", an emoji or nothing
        (a closing "thanks" may follow either)."""
        return self.composer.compose_question(self.fill(self.pick(QUESTION_TOPICS[topic][lang]), lang), lang,
                                              with_mark)

    def member_text(self, kind: str, lang: str, sentiment: str, incident_kind: str | None = None) -> str:
        """A member text. ``kind``: comment, ugc, member_reply, followup or incident."""
        if kind == "incident" and incident_kind in INCIDENT_COMPLAINTS and sentiment == "negative":
            pool = INCIDENT_COMPLAINTS[incident_kind][lang]
        elif kind == "ugc":
            pool = UGC_POSTS[lang][sentiment]
        elif kind == "member_reply":
            pool = MEMBER_REPLIES[lang][sentiment]
        elif kind == "followup":
            pool = FOLLOWUPS[lang][sentiment]
        else:
            pool = COMMENTS[lang][sentiment]
        return self.compose(self.pick(pool), lang, sentiment, kind)

    def compose(self, template: str, lang: str, sentiment: str, kind: str = "comment",
                polar_extras: bool = True, emoji: bool = True) -> str:
        """``template`` filled and varied as a member text of ``kind`` with ``sentiment`` (see
        :meth:`helpers.synth.variety.Composer.compose`)."""
        return self.composer.compose(self.fill(template, lang), lang, sentiment, extras=self.variety, emoji=emoji,
                                     mention=_MENTION.get(kind, 0.0), link=_LINK.get(kind, 0.0),
                                     polar_extras=polar_extras)

    def und_text(self, sentiment: str) -> str:
        """A text without letters (emoji, numbers), whose language cannot be detected."""
        return self.composer.emoji_only(UND_TEXTS[sentiment], sentiment)

    # -- brand texts --------------------------------------------------------------------------------
    def brand_post(self, post_type: str, lang: str, cname: str | None = None, campaign_kind: str | None = None,
                   incident_kind: str | None = None) -> str:
        """A brand post: announcement, tip, event, campaign (needs ``campaign_kind``, ``cname``) or statement."""
        if post_type == "campaign":
            pool = CAMPAIGN_POSTS[campaign_kind or "paid_campaign"][lang]
        elif post_type == "statement":
            pool = STATEMENTS[incident_kind or "queue"][lang]
        else:
            pool = BRAND_POSTS[post_type][lang]
        return self.fill(self.pick(pool), lang, {"cname": cname or ""})

    def brand_reply(self, lang: str, reply_class: str, topic: str | None = None) -> str:
        """A brand answer in ``lang`` to a message of class question/negative/positive/neutral, with a request
        number and the agent's signature most of the time."""
        body = self.pick(BRAND_REPLIES[lang][reply_class])
        if "{answer}" in body:
            answer = TOPIC_ANSWERS.get(topic or "", {}).get(lang) or TOPIC_ANSWERS["doctor_schedule"][lang]
            body = body.replace("{answer}", answer)
        greeting = self.pick(BRAND_GREETINGS[lang])
        if self.variety and self.composer.u() < 0.35:  # the agent addresses the member by first name
            name = self.composer.slot("name", lang)
            greeting = f"{greeting[:-2]}, {name}! " if greeting.endswith("! ") else f"{name}, "
        if greeting.endswith(", "):  # "Hi, thank you …" rather than "Hi, Thank you …"
            body = lower_first(body, lang)
        text = greeting + body
        return self.composer.sign_reply(text, lang) if self.variety else text
