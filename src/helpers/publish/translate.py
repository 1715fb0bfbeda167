"""A notebook page in the edition's language, translated at render time from the gettext catalogs.

The notebooks stay English narratives for researchers; a ru or az edition translates a copy of the executed
notebook just before it is rendered:

* Markdown cells paragraph by paragraph (headings, list items, table cells too) from the ``pages`` catalog,
  split exactly as extraction split them (:mod:`helpers.i18n.markdown`);
* Markdown outputs of the views (``**1,234 messages** from …``) from the ``workbook`` catalog: each paragraph is
  matched against the views' message templates and the translation is filled with the matched values, whose
  numbers are re-written in the edition's format (:func:`helpers.formatting.localise_numbers`);
* table headers (``<th>``) and chart descriptions (alt text) through the same catalogs.

User text (quoted messages, examples, names) is never translated or altered: table cells are left alone, and a
template's values are moved as they are. Every output still passes the allowlist cleaner when the page is
rendered, so a translation cannot bring markup in either.
"""
from __future__ import annotations

import html
import re
from typing import Any

from helpers.formatting import localise_numbers
from helpers.i18n import N_, check_language, gettext, translate_text
from helpers.i18n.markdown import replace_messages

__all__ = ["translate_notebook", "translate_markdown", "translate_output_text", "translate_table_html"]

_TH = re.compile(r"(<th\b[^>]*>)(.*?)(</th>)", re.DOTALL | re.IGNORECASE)
# a template value the workbook computed: numbers with their units, signs, CI and n — nothing else. Any other
# value (a name, an id, an incident title, a reason) may be user text and is moved verbatim, never re-written.
_NUMERIC_VALUE = re.compile(r"(?:[\s\d.,:;+\-−–—%×()=/*]|\bh\b|\bdays?\b|\bCI\b|\bn\b|\bn/a\b)*")
_CI = re.compile(r"95\s?% CI\b")


def _localise_value(value: str, language: str) -> str:
    """A matched template value in the edition's format when it is a computed number; verbatim otherwise."""
    if not _NUMERIC_VALUE.fullmatch(value):
        return value
    return _CI.sub(lambda _m: gettext(N_("95 % CI"), language), localise_numbers(value, language))


def translate_markdown(text: str, language: str) -> str:
    """A notebook's Markdown narrative in ``language`` (``pages`` catalog); untranslated paragraphs unchanged."""
    return replace_messages(text, lambda msg: translate_text(msg, language, "pages"))


def translate_output_text(text: str, language: str) -> str:
    """A view's Markdown output or a chart description in ``language`` (``workbook`` catalog, numbers localised)."""
    return replace_messages(text, lambda msg: translate_text(msg, language, "workbook", localise=_localise_value))


def translate_table_html(table: str, language: str) -> str:
    """A rendered table with its header cells translated (exact catalog messages only); data cells untouched."""
    def header(m: re.Match) -> str:
        inner = m.group(2)
        if "<" in inner:  # markup inside a header: leave it to the cleaner, untranslated
            return m.group(0)
        text = html.unescape(inner).strip()
        done = translate_text(text, language, "workbook", localise=_localise_value) if text else None
        return m.group(0) if done is None else f"{m.group(1)}{html.escape(done, quote=False)}{m.group(3)}"

    return _TH.sub(header, table)


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def translate_notebook(nb: Any, language: str) -> Any:
    """Translate an nbformat notebook in place (and return it); English returns it unchanged."""
    if check_language(language) == "en":
        return nb
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            cell["source"] = translate_markdown(_joined(cell.get("source", "")), language)
            continue
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data") or {}
            if "text/markdown" in data:
                data["text/markdown"] = translate_output_text(_joined(data["text/markdown"]), language)
            if "text/html" in data:
                data["text/html"] = translate_table_html(_joined(data["text/html"]), language)
            if "image/png" in data:
                meta = (output.get("metadata") or {}).get("image/png") or {}
                if isinstance(meta, dict) and meta.get("alt"):
                    meta["alt"] = translate_output_text(str(meta["alt"]), language)
                if "text/plain" in data:
                    data["text/plain"] = translate_output_text(_joined(data["text/plain"]), language)
    return nb
