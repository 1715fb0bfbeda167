"""Rendering of the generator's text templates (:mod:`helpers.synth.templates`) with a NumPy generator.

:class:`TextMaker` fills the template slots, adds member-style noise (typos, lower-case starts, emoji) and
composes brand replies. Deterministic for a given generator state.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from helpers.synth.templates import (
    BRAND_GREETINGS,
    BRAND_POSTS,
    BRAND_REPLIES,
    CAMPAIGN_POSTS,
    COMMENTS,
    EMOJI,
    FOLLOWUPS,
    INCIDENT_COMPLAINTS,
    MEMBER_REPLIES,
    QUESTION_TOPICS,
    SLOTS,
    STATEMENTS,
    TOPIC_ANSWERS,
    UGC_POSTS,
    UND_TEXTS,
)

__all__ = ["TextMaker"]

_TYPO_WORD = re.compile(r"[^\W\d_]{7,}")


def _upper_first(text: str, lang: str) -> str:
    if not text:
        return text
    first = text[0]
    if lang == "az" and first == "i":
        first = "İ"
    return first.upper() + text[1:]


def _lower_first(text: str, lang: str) -> str:
    if not text:
        return text
    first = text[0]
    if lang == "az" and first == "İ":
        return "i" + text[1:]
    if lang == "az" and first == "I":
        return "ı" + text[1:]
    return first.lower() + text[1:]


class TextMaker:
    """Renders templates with a NumPy generator (deterministic for a given generator state).

    ``typo_rate`` (0–1) is the chance that a member text loses one letter of a long word; ``emoji_rate``
    (0–1) the chance that an emoji is appended; ``lowercase_rate`` (0–1) the chance that the first letter
    is written in lower case.
    """

    def __init__(self, rng: np.random.Generator, typo_rate: float = 0.08, emoji_rate: float = 0.15,
                 lowercase_rate: float = 0.2) -> None:
        self.rng = rng
        self.typo_rate = typo_rate
        self.emoji_rate = emoji_rate
        self.lowercase_rate = lowercase_rate

    # -- basics -------------------------------------------------------------------------------------
    def pick(self, options: Sequence[str]) -> str:
        """One element of ``options``, uniformly."""
        return options[int(self.rng.integers(len(options)))]

    def fill(self, template: str, lang: str, extra: Mapping[str, str] | None = None) -> str:
        """Fill the slots of ``template`` in ``lang`` and capitalise the first letter."""
        slots = SLOTS[lang]
        values = {key: self.pick(opts) for key, opts in slots.items() if "{" + key + "}" in template}
        if extra:
            values.update({k: v for k, v in extra.items() if "{" + k + "}" in template})
        return _upper_first(template.format(**values), lang)

    def noisy(self, text: str, lang: str, emoji_kind: str) -> str:
        """Member-style noise: a dropped letter, a lower-case start, a trailing emoji."""
        rng = self.rng
        if rng.random() < self.typo_rate:
            words = list(_TYPO_WORD.finditer(text))
            if words:
                m = words[int(rng.integers(len(words)))]
                cut = m.start() + 1 + int(rng.integers(m.end() - m.start() - 2))
                text = text[:cut] + text[cut + 1:]
        if rng.random() < self.lowercase_rate:
            text = _lower_first(text, lang)
        if rng.random() < self.emoji_rate:
            text = f"{text} {self.pick(EMOJI[emoji_kind])}"
        return text

    # -- member texts -------------------------------------------------------------------------------
    def question(self, topic: str, lang: str, with_mark: bool) -> str:
        """A question of ``topic``; ends with "?" when ``with_mark``, else with ".", "…", an emoji or nothing."""
        text = self.noisy_question(self.fill(self.pick(QUESTION_TOPICS[topic][lang]), lang), lang)
        if with_mark:
            return text + ("??" if self.rng.random() < 0.08 else "?")
        return text + self.pick(("", ".", " 🙏", "…", ""))

    def noisy_question(self, text: str, lang: str) -> str:
        """Typos and case noise for a question (emoji and final mark are added by :meth:`question`)."""
        saved = self.emoji_rate
        self.emoji_rate = 0.0
        try:
            return self.noisy(text, lang, "question")
        finally:
            self.emoji_rate = saved

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
        return self.noisy(self.fill(self.pick(pool), lang), lang, sentiment)

    def und_text(self, sentiment: str) -> str:
        """A text without letters (emoji, numbers), whose language cannot be detected."""
        return self.pick(UND_TEXTS[sentiment])

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
        """A brand answer in ``lang`` to a message of class question/negative/positive/neutral."""
        body = self.pick(BRAND_REPLIES[lang][reply_class])
        if "{answer}" in body:
            answer = TOPIC_ANSWERS.get(topic or "", {}).get(lang) or TOPIC_ANSWERS["doctor_schedule"][lang]
            body = body.replace("{answer}", answer)
        greeting = self.pick(BRAND_GREETINGS[lang])
        if greeting.endswith(", "):  # "Hi, thank you …" rather than "Hi, Thank you …"
            body = _lower_first(body, lang)
        return greeting + body
