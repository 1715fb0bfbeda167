"""Markdown split into translatable messages: paragraphs, headings, list items and table cells.

The same split serves extraction (:mod:`helpers.i18n.extract` turns the notebooks' narrative into catalog
messages) and rendering (:mod:`helpers.publish.translate` replaces each message by its translation), the way
Sphinx's gettext builder treats a document: a paragraph is one message, whatever its line breaks; markup around
a message (``## ``, ``- ``, ``| ``) is kept; code blocks and raw HTML are never messages.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

__all__ = ["segments", "messages", "replace_messages", "normalise"]

_BLANK = re.compile(r"(\n[ \t]*\n+)")
_HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*?)([ \t]*(?:\{#[A-Za-z0-9_-]+\})?[ \t]*)$")
_ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)(.*)$")  # a task box stays markup
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def normalise(text: str) -> str:
    """One message's text: whitespace (line breaks included) collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def _block(block: str) -> Iterator[tuple[bool, str]]:
    lines = block.split("\n")
    first = lines[0].lstrip()
    if first.startswith(("```", "~~~", "<", "$$")) or lines[0].startswith(("    ", "\t")):
        yield False, block  # code, raw HTML or maths: kept as they are
        return
    if all(line.lstrip().startswith("|") for line in lines if line.strip()):
        for i, line in enumerate(lines):
            if i:
                yield False, "\n"
            if _TABLE_RULE.match(line) or not line.strip():
                yield False, line
                continue
            for j, cell in enumerate(re.split(r"(\|)", line)):
                if cell == "|" or not cell.strip():
                    yield False, cell
                else:
                    lead = cell[: len(cell) - len(cell.lstrip())]
                    trail = cell[len(cell.rstrip()):]
                    yield False, lead
                    yield True, cell.strip()
                    yield False, trail
        return
    pending: list[str] = []
    prefix = ""

    def flush() -> Iterator[tuple[bool, str]]:
        if pending:
            yield False, prefix
            yield True, normalise(" ".join(pending))

    for i, line in enumerate(lines):
        heading, item = _HEADING.match(line), _ITEM.match(line)
        if heading or item:
            yield from flush()
            if i and (pending or prefix or heading or item):
                yield False, "\n"
            pending.clear()
            if heading:
                yield False, heading.group(1)
                yield True, normalise(heading.group(2))
                yield False, heading.group(3)
                prefix = ""
                continue
            prefix, pending[:] = item.group(1), [item.group(2)]
            continue
        if pending and prefix and line.startswith((" ", "\t")):
            pending.append(line)  # continuation of a list item
            continue
        if pending and prefix:  # a plain line after a list item ends the item
            yield from flush()
            yield False, "\n"
            pending.clear()
            prefix = ""
        pending.append(line)
    yield from flush()


def segments(text: str) -> list[tuple[bool, str]]:
    """``text`` as ``(is_message, piece)`` pairs; joining the pieces of the non-messages with the (normalised)
    messages gives the document back, paragraphs on one line each."""
    out: list[tuple[bool, str]] = []
    for part in _BLANK.split(text):
        if not part:
            continue
        if _BLANK.fullmatch(part) or not part.strip():
            out.append((False, part))
        else:
            out.extend((is_msg, piece) for is_msg, piece in _block(part) if piece or is_msg)
    return [(is_msg, piece) for is_msg, piece in out if not is_msg or piece]


def messages(text: str) -> list[str]:
    """The translatable messages of a Markdown text, in order."""
    return [piece for is_msg, piece in segments(text) if is_msg]


def replace_messages(text: str, translate: Callable[[str], str | None]) -> str:
    """``text`` with every message replaced by ``translate(message)`` (kept when that returns None)."""
    out = []
    for is_msg, piece in segments(text):
        if is_msg:
            translated = translate(piece)
            out.append(piece if translated is None else translated)
        else:
            out.append(piece)
    return "".join(out)
