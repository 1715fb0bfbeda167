"""Varied composition of generated texts: slot filling over large tables, optional parts, order and noise.

:class:`Composer` turns a template (:mod:`helpers.synth.templates`) into a text a member could have written:
names, relatives, dates, times, booking/ticket numbers (:mod:`helpers.synth.phrases`), an optional detail
clause before or after the main text, an opener, a closer, a mention or a link, typos (a dropped, doubled
or swapped letter; Azerbaijani typed without its letters ə→e, ı→i, ş→s …; Russian ё written е), a
lower-case start, emoji and emoticons. Everything added matches the text's mood (negative, neutral,
positive), so the planted sentiment still reads the same, and is in the text's language.

Random numbers come from a buffer of uniform draws refilled in blocks from the NumPy generator (one NumPy
call per 65,536 draws instead of one per choice), so a million texts cost a few seconds; the result is
deterministic for a given generator state.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from helpers.synth.phrases import (
    AGE_RANGES,
    AGENTS,
    AZ_ASCII,
    CLOSERS,
    DETAILS,
    EMOTICONS,
    EXTRA_SLOTS,
    FIRST_NAMES,
    LINKS,
    MONTHS,
    NAME_GENDERS,
    OPENERS,
    QUESTION_CLOSERS,
    QUESTION_DETAILS,
    RELATIVE_AGES,
    RELATIVE_GENDERS,
    RELATIVES,
    RELATIVES_RU_CASES,
    REPLY_REFERENCES,
    REPLY_SIGNATURES,
)
from helpers.synth.templates import EMOJI, SLOTS

__all__ = ["Composer", "upper_first", "lower_first"]

_SLOT_RE = re.compile(r"\{(\w+)\}")
_TYPO_WORD = re.compile(r"[^\W\d_]{7,}")
_AZ_TABLE = str.maketrans(AZ_ASCII)
_SCHWA_TABLE = str.maketrans({"ə": "e", "Ə": "E"})
_YO_TABLE = str.maketrans({"ё": "е", "Ё": "Е"})
_BLOCK = 1 << 16
#: ages whose Russian form is "лет" (not "год"/"года"), so every table reads grammatically
_AGES = tuple(a for a in range(2, 91) if a % 10 in (0, 5, 6, 7, 8, 9) or 11 <= a % 100 <= 14)
_AGES_BY_CLASS = {c: tuple(a for a in _AGES if lo <= a <= hi) for c, (lo, hi) in AGE_RANGES.items()}
_TIMES = tuple(f"{h}:{m:02d}" for h in range(8, 20) for m in range(0, 60, 5))
_MINUTES = tuple(range(5, 185, 5))


def upper_first(text: str, lang: str) -> str:
    """``text`` with its first letter in upper case (Azerbaijani i → İ)."""
    if not text:
        return text
    first = text[0]
    if lang == "az" and first == "i":
        first = "İ"
    return first.upper() + text[1:]


def lower_first(text: str, lang: str) -> str:
    """``text`` with its first letter in lower case (Azerbaijani İ → i, I → ı)."""
    if not text:
        return text
    first = text[0]
    if lang == "az" and first == "İ":
        return "i" + text[1:]
    if lang == "az" and first == "I":
        return "ı" + text[1:]
    return first.lower() + text[1:]


class Composer:
    """Fills and varies texts with a NumPy generator (deterministic for a given generator state).

    ``typo_rate`` (0–1) is the chance of a letter typo in a member text, ``emoji_rate`` (0–1) the chance of
    trailing emoji, ``lowercase_rate`` (0–1) the chance of a lower-case start. ``detail_rate``,
    ``opener_rate``, ``closer_rate`` (0–1) are the chances of a detail clause, an opener and a closer;
    ``ascii_rate`` (0–1) the chance that an Azerbaijani text is typed without ə (a Turkish keyboard) or
    without all Azerbaijani letters (an English one) and
    ``yo_rate`` (0–1) that a Russian text writes ё as е.
    """

    def __init__(self, rng: np.random.Generator, typo_rate: float = 0.08, emoji_rate: float = 0.15,
                 lowercase_rate: float = 0.2, detail_rate: float = 0.85, opener_rate: float = 0.15,
                 closer_rate: float = 0.3, ascii_rate: float = 0.2, yo_rate: float = 0.5) -> None:
        self.rng = rng
        self.typo_rate = typo_rate
        self.emoji_rate = emoji_rate
        self.lowercase_rate = lowercase_rate
        self.detail_rate = detail_rate
        self.opener_rate = opener_rate
        self.closer_rate = closer_rate
        self.ascii_rate = ascii_rate
        self.yo_rate = yo_rate
        self._buf: list[float] = []
        self._pos = _BLOCK
        self._slots = {lang: {k: v + EXTRA_SLOTS[lang].get(k, ()) for k, v in table.items()}
                       for lang, table in SLOTS.items()}
        self._names: dict[str, list[str]] = {}
        self._by_gender = {lang: {g: tuple(n for n, ng in zip(names, NAME_GENDERS[lang]) if ng == g) for g in "fm"}
                           for lang, names in FIRST_NAMES.items()}

    # -- random draws -------------------------------------------------------------------------------
    def u(self) -> float:
        """One uniform draw in [0, 1) from the buffer."""
        pos = self._pos
        if pos >= _BLOCK:
            self._buf = self.rng.random(_BLOCK).tolist()
            pos = 0
        self._pos = pos + 1
        return self._buf[pos]

    def index(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        return int(self.u() * n)

    def pick(self, options: Sequence[str]) -> str:
        """One element of ``options``, uniformly."""
        return options[int(self.u() * len(options))]

    # -- slots --------------------------------------------------------------------------------------
    def _names_in(self, template: str) -> list[str]:
        names = self._names.get(template)
        if names is None:
            names = self._names[template] = list(dict.fromkeys(_SLOT_RE.findall(template)))
        return names

    def slot(self, key: str, lang: str) -> str:
        """A random value of slot ``key`` in ``lang`` (template slots and the tables of :mod:`phrases`)."""
        table = self._slots[lang]
        if key in table:
            return self.pick(table[key])
        if key == "name":
            return self.pick(FIRST_NAMES[lang])
        if key == "agent":
            return self.pick(AGENTS[lang])
        if key == "ref":
            return str(10000 + self.index(990000))
        if key == "ticket":
            return ("A", "B", "C", "")[self.index(4)] + str(1 + self.index(240))
        if key == "room":
            return str(100 + 100 * self.index(4) + self.index(40))
        if key == "mins":
            return str(self.pick(_MINUTES))
        if key == "times":
            return str(2 + self.index(8))
        if key == "age":
            return str(self.pick(_AGES))
        if key == "time":
            return self.pick(_TIMES)
        if key == "date":
            day, month = 1 + self.index(28), self.pick(MONTHS[lang])
            return f"{day} {month}"
        raise KeyError(key)

    def fill(self, template: str, lang: str, extra: Mapping[str, str] | None = None, capitalise: bool = True) -> str:
        """Fill the slots of ``template`` in ``lang`` (``extra`` first) and capitalise the first letter."""
        names = self._names_in(template)
        if not names:
            return upper_first(template, lang) if capitalise else template
        values: dict[str, str] = {}
        rel = -1
        for key in names:
            if extra and key in extra:
                values[key] = extra[key]
            elif key in ("rel", "rel_gen", "rel_acc"):
                if rel < 0:
                    rel = self.index(len(RELATIVES[lang]))
                values[key] = (RELATIVES[lang][rel] if key == "rel" or lang != "ru"
                               else RELATIVES_RU_CASES[key[4:]][rel])
            elif key == "name" and rel >= 0:  # "my son Elvin", not "my son Leyla"
                values[key] = self.pick(self._by_gender[lang][RELATIVE_GENDERS[lang][rel]])
            elif key == "age" and rel >= 0:  # a grandfather of 80, not of 27
                values[key] = str(self.pick(_AGES_BY_CLASS[RELATIVE_AGES[lang][rel]]))
            else:
                values[key] = self.slot(key, lang)
        text = template.format(**values)
        return upper_first(text, lang) if capitalise else text

    # -- composition --------------------------------------------------------------------------------
    def compose(self, body: str, lang: str, mood: str, *, extras: bool = True, emoji: bool = True,
                mention: float = 0.0, link: float = 0.0, polar_extras: bool = True) -> str:
        """A member text around the filled ``body``: detail, opener, closer, mention, link, then noise.

        ``mood`` (negative/neutral/positive) chooses the detail, opener, closer and emoji tables;
        ``polar_extras=False`` keeps to neutral details and drops openers, closers and emoticons (for texts
        whose lexicon reading is planted). ``mention``/``link`` (0–1) are the chances of an @mention and a link.
        """
        text = body
        if extras:
            table_mood = mood if polar_extras else "neutral"
            detailed = self.u() < self.detail_rate
            if detailed:
                text = self._detail(text, DETAILS[lang][table_mood], lang)
                if self.u() < 0.2:  # a second, neutral detail
                    text = self._detail(text, DETAILS[lang]["neutral"], lang, before=False)
            if polar_extras and self.u() < self.opener_rate and not _starts_with_greeting(text, lang):
                text = f"{self.pick(OPENERS[lang][mood])} {lower_first(text, lang)}"
            if not polar_extras and not detailed:
                text = self._detail(text, DETAILS[lang]["neutral"], lang)
            elif polar_extras and (not detailed or self.u() < self.closer_rate):
                end = ". " if self.u() < 0.6 else "! "
                text = f"{text.rstrip('.!')}{end}{self.fill(self.pick(CLOSERS[lang][mood]), lang)}"
            if mention and self.u() < mention:
                text = f"@{self._handle(lang)} {text}"
            if link and self.u() < link:
                text = f"{text} {self.fill(self.pick(LINKS), lang, capitalise=False)}"
        return self.noise(text, lang, mood if emoji else None, emoticons=polar_extras)

    def _detail(self, text: str, table: Sequence[str], lang: str, before: bool | None = None) -> str:
        """``text`` with a filled detail of ``table`` before it (its own sentence) or after it (after a comma)."""
        detail = self.fill(self.pick(table), lang)
        if before is None:
            before = self.u() < 0.45 and not _starts_with_greeting(text, lang)
        if before:
            return f"{detail}. {text}"
        return f"{text.rstrip('.!')}, {lower_first(detail, lang)}"

    def compose_question(self, body: str, lang: str, with_mark: bool) -> str:
        """A question around the filled ``body``: neutral context before or inside, a mark, a closer."""
        text = body
        if self.u() < self.detail_rate:
            text = self._detail(text, QUESTION_DETAILS[lang], lang)
        # no Azerbaijani-without-its-letters here: the question cues (necə, hansı, nə vaxt) need them
        text = self.noise(text, lang, None, emoticons=False, keyboard=lang == "ru")
        if with_mark:
            text += "??" if self.u() < 0.08 else "?"
        else:
            text += ("", ".", " 🙏", "…", "")[self.index(5)]
        if self.u() < self.closer_rate:
            gap = " " if text.endswith(("?", ".", "…", "🙏")) else ". "
            text += gap + self.fill(self.pick(QUESTION_CLOSERS[lang]), lang)
        return text

    def sign_reply(self, text: str, lang: str) -> str:
        """A brand reply with a request number and the agent's signature (each most of the time)."""
        if self.u() < 0.95:
            text = f"{text} {self.fill(self.pick(REPLY_REFERENCES[lang]), lang)}"
        if self.u() < 0.9:
            text = f"{text}\n{self.fill(self.pick(REPLY_SIGNATURES[lang]), lang)}"
        return text

    def emoji_only(self, pool: Sequence[str], mood: str) -> str:
        """A letterless text: one of ``pool``, sometimes with more emoji of ``mood`` or a score."""
        text = self.pick(pool)
        if self.u() < 0.6:
            text = f"{text}{self.pick(EMOJI[mood]) * (1 + self.index(3))}"
        if self.u() < 0.3:
            text = f"{text} {self.pick(EMOTICONS[mood])}".rstrip()
        return text

    # -- noise --------------------------------------------------------------------------------------
    def _handle(self, lang: str) -> str:
        name = self.pick(FIRST_NAMES[lang]).translate(_AZ_TABLE).lower()
        if lang == "ru":
            name = self.pick(FIRST_NAMES["en"]).lower()
        return f"{name}{('_', '.', '')[self.index(3)]}{self.index(100)}"

    def typo(self, text: str) -> str:
        """One letter typo in a long word: dropped, doubled or two letters swapped."""
        words = list(_TYPO_WORD.finditer(text))
        if not words:
            return text
        m = words[self.index(len(words))]
        cut = m.start() + 1 + self.index(m.end() - m.start() - 2)
        kind = self.index(3)
        if kind == 0:
            return text[:cut] + text[cut + 1:]
        if kind == 1:
            return text[:cut] + text[cut] + text[cut:]
        return text[:cut] + text[cut + 1] + text[cut] + text[cut + 2:]

    def noise(self, text: str, lang: str, emoji_mood: str | None, emoticons: bool = True,
              keyboard: bool = True) -> str:
        """Typos, keyboard habits (``keyboard``: Azerbaijani without its letters, Russian ё as е), a lower-case
        start and trailing emoji/emoticons of ``emoji_mood``."""
        if self.u() < self.typo_rate:
            text = self.typo(text)
        if lang != "en" and self.u() < self.typo_rate:
            text = self.typo(text)
        if not keyboard:
            pass
        elif lang == "az" and self.u() < self.ascii_rate:
            # a Turkish layout lacks only ə (2/3 of the cases); an English one lacks all seven letters
            # (not with "heç": helpers.text reads "hec kim" as a question word, "heç kim" as "nobody")
            full = self.u() < 1 / 3 and "heç" not in text
            text = text.translate(_AZ_TABLE if full else _SCHWA_TABLE)
        elif lang == "ru" and self.u() < self.yo_rate:
            text = text.translate(_YO_TABLE)
        if self.u() < self.lowercase_rate:
            text = lower_first(text, lang)
        if emoji_mood is not None and self.u() < self.emoji_rate:
            text = f"{text} {self.pick(EMOJI[emoji_mood]) * (1 + (self.u() < 0.3))}"
            if emoticons and self.u() < 0.3:
                text = f"{text}{self.pick(EMOTICONS[emoji_mood])}"
        elif emoji_mood is not None and emoticons and self.u() < 0.1:
            text = f"{text} {self.pick(EMOTICONS[emoji_mood])}".rstrip()
        return text


_GREETING_RE = re.compile(r"^(?:hello|hi|здравствуйте|добр\w+|salam|günortanız|axşamınız|@\w+)\b", re.IGNORECASE)


def _starts_with_greeting(text: str, lang: str) -> bool:
    """Whether ``text`` opens with a greeting (a detail clause then goes after it, not before)."""
    return bool(_GREETING_RE.match(text))
