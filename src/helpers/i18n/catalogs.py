"""The workbook's gettext catalogs: every string the workbook writes for a reader, per language.

English is the source language: a message id *is* the English text. Translations live in
``helpers/locale/<language>/LC_MESSAGES/<domain>.po`` and are read directly with Babel (no compiled ``.mo``
files, so a fresh clone needs no build step). Two domains:

* ``workbook`` — the code's own strings: the edition's interface, headline labels, recommendation texts, SCCT
  names, the notebook views' Markdown summaries and table headers (brace placeholders such as ``{n}``);
* ``pages`` — the notebooks' Markdown narrative, one message per paragraph, heading or list item (the way
  Sphinx's gettext builder treats a document), extracted by :mod:`helpers.i18n.extract`.

Nothing falls back to English silently in a ru/az edition: ``tests/unit/test_i18n.py`` fails on any
extracted message without a translation in every language.
"""
from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "SOURCE_LANGUAGE", "DOMAINS", "LOCALE_DIR", "N_", "NP_", "gettext", "ngettext", "catalog",
           "translate_text", "po_path", "check_language"]

#: languages an edition can be written in (ISO 639-1); Azerbaijani is written in Latin script
LANGUAGES: tuple[str, ...] = ("en", "ru", "az")
SOURCE_LANGUAGE = "en"
DOMAINS: tuple[str, ...] = ("workbook", "pages")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?][)\]]*\s+(?:\*\*)?[A-ZÀ-ÖØ-ÞƏİА-ЯЁ]")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (it is translated where it is shown)."""
    return message


def check_language(language: str) -> str:
    """``language`` when it is one of :data:`LANGUAGES`; ``ValueError`` naming the choices otherwise."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


def po_path(language: str, domain: str = "workbook") -> Path:
    """Where the catalog of ``language`` and ``domain`` lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@functools.lru_cache(maxsize=None)
def catalog(language: str, domain: str = "workbook"):
    """The Babel :class:`~babel.messages.catalog.Catalog` of one language and domain (read once, cached).

    English has no catalog file (message ids are English): an empty catalog is returned for it.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    check_language(language)
    path = po_path(language, domain)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return Catalog(locale=language, domain=domain)
    with path.open("rb") as fh:
        return read_po(fh, locale=language, domain=domain)


@functools.lru_cache(maxsize=None)
def _translations(language: str, domain: str):
    """A :class:`babel.support.Translations` built in memory from the ``.po`` catalog (no .mo on disk)."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buf = io.BytesIO()
    write_mo(buf, catalog(language, domain), use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=domain)


def gettext(message: str, language: str, domain: str = "workbook", **values: Any) -> str:
    """``message`` in ``language``; with ``values``, its ``{name}`` placeholders are filled (str.format)."""
    check_language(language)
    text = message if language == SOURCE_LANGUAGE else _translations(language, domain).gettext(message)
    return text.format(**values) if values else text


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message (singular and plural English forms) for extraction; :func:`ngettext` picks the form."""
    return singular, plural


def ngettext(singular: str, plural: str, count: int, language: str, domain: str = "workbook",
             **values: Any) -> str:
    """The plural form for ``count`` in ``language`` (Babel's plural rules: ru has three forms, az and en two);
    the ``{name}`` placeholders are filled from ``values``."""
    check_language(language)
    if language == SOURCE_LANGUAGE:
        text = singular if count == 1 else plural
    else:
        text = _translations(language, domain).ngettext(singular, plural, count)
    return text.format(**values) if values else text


@functools.lru_cache(maxsize=None)
def _patterns(language: str, domain: str) -> tuple[dict[str, str], list[tuple[re.Pattern, str, str]]]:
    """Exact messages and, for messages with ``{name}`` placeholders, a regex that matches their English text."""
    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern, str, str]] = []
    for msg in catalog(language, domain):
        if not msg.id or not isinstance(msg.id, str) or not msg.string or msg.fuzzy:
            continue
        if _PLACEHOLDER.search(msg.id):
            parts, pos = [], 0
            seen: set[str] = set()
            for m in _PLACEHOLDER.finditer(msg.id):
                parts.append(re.escape(msg.id[pos:m.start()]))
                name = m.group(1)
                group = (_NUMBER if name in NUMERIC_VALUES else _MOMENT if name in MOMENT_VALUES
                         else r"[\w-]+" if name == "language" else ".+?")
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{group})")
                seen.add(name)
                pos = m.end()
            parts.append(re.escape(msg.id[pos:]))
            patterns.append((re.compile("".join(parts), re.DOTALL), msg.id, msg.string))
        else:
            exact[msg.id] = msg.string
    patterns.sort(key=lambda p: -len(p[1]))  # the most specific (longest) template first
    return exact, patterns


#: placeholders that always hold a number (a count, a share, a bound): when text is matched against a template,
#: they match only a number, so a template cannot swallow the next sentence into ``{n}``
NUMERIC_VALUES = frozenset({"n", "k", "f1", "share", "days", "hours", "ratio", "low", "high", "v", "diff", "up",
                            "down", "top", "n_labels", "answered", "openers", "ugc", "messages", "members"})
_NUMBER = r"(?:[-+−]?\d[\d\s.,:\u00a0\u202f]*(?:\s?[%×])?|n/a)"
#: placeholders that always hold a date or a moment (``2025-07-20 15:00``)
MOMENT_VALUES = frozenset({"peak_at", "started", "onset", "first", "last", "recovery"})
_MOMENT = r"(?:\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?|n/a)"

#: placeholders whose values are themselves workbook messages (a verdict, a reason, a list of caveats): their
#: values are translated too; every other value is moved as it is (it may be a name, an id or user text)
MESSAGE_VALUES = frozenset({"verdict", "reason", "supported", "known", "caveats", "name", "source", "title", "start",
                            "listing", "parts", "moves", "unit", "kind", "group", "measure", "period", "level",
                            "ratios", "languages", "attribution"})


def translate_text(text: str, language: str, domain: str = "workbook",
                   localise: Any = None) -> str | None:
    """The translation of a finished English text, or None when the catalog has none.

    An exact message is looked up first; otherwise the text is matched against the messages with placeholders
    (``"{n} messages from {period}"``) and the translation is filled with the matched values, each passed
    through ``localise(value, language)`` when given (numbers in the edition's format). A paragraph that code
    built from several sentences (each a message) is translated sentence by sentence. Values are moved, never
    translated — names, ids and quoted messages stay exactly as they were — except the placeholders of
    :data:`MESSAGE_VALUES`, whose values are workbook messages themselves. None unless *all* of it translates.
    """
    check_language(language)
    if language == SOURCE_LANGUAGE:
        return text
    exact, patterns = _patterns(language, domain)
    memo: dict[int, str | None] = {}

    nested: list[bool] = []

    def value(name: str, raw: str) -> str:
        if name in MESSAGE_VALUES:
            inner = translate_text(raw, language, domain, localise)
            for sep in ("; ", ", "):
                if inner is None and sep in raw:
                    inner = _translate_list(raw, sep, language, domain, localise)
            nested.append(inner is not None)
            if inner is not None:
                return inner
        return localise(raw, language) if localise is not None else raw

    def fill(m: re.Match, translated: str, msgid: str) -> str | None:
        if any(_SENTENCE_END.search(v) for v in m.groupdict().values()):
            return None  # a value never runs across a sentence end: that is the next message, not this one's value
        nested.clear()
        values: Mapping[str, str] = {k: value(k, v) for k, v in m.groupdict().items()}
        if not _WORD.search(_PLACEHOLDER.sub("", msgid)) and not (nested and all(nested)):
            # a template of placeholders only ("{title}: {listing}.") translates nothing by itself: every one
            # of its message-valued parts must be a message
            return None
        return _PLACEHOLDER.sub(lambda p: values.get(p.group(1), p.group(0)), translated)

    def from_(pos: int) -> str | None:
        """The translation of ``text[pos:]`` as one message or a sequence of messages joined by spaces."""
        if pos in memo:
            return memo[pos]
        memo[pos] = None  # guards against re-entry while this position is being tried
        rest = text[pos:]
        if rest in exact:
            memo[pos] = exact[rest]
            return exact[rest]
        candidates = [(rx, msgid, translated) for rx, msgid, translated in patterns
                      if rest.startswith(msgid[:msgid.index("{")])]
        for rx, msgid, translated in candidates:
            m = rx.fullmatch(rest)
            done = fill(m, translated, msgid) if m else None
            if done is not None:
                memo[pos] = done
                return done
        # a sentence that is a message, followed by a space and more messages
        for cut in (i for i, ch in enumerate(rest) if ch == " " and i):
            head = rest[:cut]
            if head in exact:
                tail = from_(pos + cut + 1)
                if tail is not None:
                    memo[pos] = f"{exact[head]} {tail}"
                    return memo[pos]
        for rx, msgid, translated in candidates:
            for m in _prefix_matches(rx, rest):
                head_done = fill(m, translated, msgid)
                tail = from_(pos + m.end() + 1) if head_done is not None else None
                if tail is not None:
                    memo[pos] = f"{head_done} {tail}"
                    return memo[pos]
        return None

    return from_(0)


def _translate_list(text: str, sep: str, language: str, domain: str, localise: Any) -> str | None:
    """A list of messages joined by ``sep`` (whose items may contain ``sep`` themselves), item by item."""
    memo: dict[int, str | None] = {}

    def from_(pos: int) -> str | None:
        if pos in memo:
            return memo[pos]
        memo[pos] = None
        rest = text[pos:]
        whole = translate_text(rest, language, domain, localise)
        if whole is not None:
            memo[pos] = whole
            return whole
        cut = rest.find(sep)
        while cut > 0:
            head = translate_text(rest[:cut], language, domain, localise)
            tail = from_(pos + cut + len(sep)) if head is not None else None
            if tail is not None:
                memo[pos] = f"{head}{sep}{tail}"
                return memo[pos]
            cut = rest.find(sep, cut + 1)
        return None

    return from_(0)


def _prefix_matches(rx: re.Pattern, text: str) -> list[re.Match]:
    """Matches of a template at the start of ``text`` that end right before a space (shortest first)."""
    out = []
    for cut in (i for i, ch in enumerate(text) if ch == " "):
        m = rx.fullmatch(text, 0, cut)
        if m:
            out.append(m)
            break
    return out
