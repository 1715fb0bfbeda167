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

import base64
import contextlib
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpers.formatting import localise_numbers
from helpers.i18n import N_, check_language, gettext, translate_text
from helpers.i18n.markdown import replace_messages

__all__ = ["translate_notebook", "translate_markdown", "translate_output_text", "translate_table_html",
           "translated_figure", "FIGURE_KEY"]

#: the image/png metadata key naming a chart's saved file (``figures/NAME``, relative to the notebook's
#: output folder); ``figures/NAME.<language>.png`` is the same chart drawn with translated titles and labels
FIGURE_KEY = "workbook_figure"

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


def _exact(text: str, language: str) -> str | None:
    """A chart word that is a whole catalog message without placeholders ("median", "not scored"), or None."""
    done = translate_text(text, language, "workbook")
    return done if done is not None and "{" not in text else None


def _annotation(text: str, language: str) -> str | None:
    """A chart annotation line by line: lines that are workbook messages are translated, data lines kept."""
    lines = [translate_text(line, language, "workbook", localise=_localise_value) for line in text.split("\n")]
    if all(line is None for line in lines):
        return None
    return "\n".join(done if done is not None else line for done, line in zip(lines, text.split("\n")))


@contextlib.contextmanager
def translated_figure(fig: Any, language: str) -> Iterator[Any]:
    """A matplotlib figure with its titles, axis and colour-bar labels, legend and annotations in ``language``
    (from the catalogs), restored on exit. Numeric tick labels stay as drawn; a category tick, legend entry or
    annotation is changed only when it is a workbook message (data labels — channel names, values — never are)."""
    from matplotlib.ticker import FuncFormatter

    undo: list[tuple[Any, str]] = []
    formatters: list[tuple[Any, Any]] = []

    def translated_ticks(original: Any) -> Any:
        def label(x: float, pos: int | None = None) -> str:
            text = original(x, pos)
            return (_exact(text, language) or text) if isinstance(text, str) and text else text
        return FuncFormatter(label)

    def swap(artist: Any, translate: Any) -> None:
        text = artist.get_text()
        done = translate(text, language) if text else None
        if done is not None and done != text:
            undo.append((artist, text))
            artist.set_text(done)

    try:
        if getattr(fig, "_suptitle", None) is not None:
            swap(fig._suptitle, translate_output_text)
        for ax in fig.axes:
            titles = [getattr(ax, name, None) for name in ("title", "_left_title", "_right_title")]
            for artist in [t for t in titles if t is not None] + [ax.xaxis.label, ax.yaxis.label]:
                swap(artist, translate_output_text)
            for artist in ax.texts:
                swap(artist, _annotation)
            for axis in (ax.xaxis, ax.yaxis):  # category ticks (levels, weekdays, cohorts): whole messages only
                original = axis.get_major_formatter()
                formatters.append((axis, original))
                axis.set_major_formatter(translated_ticks(original))
            legend = ax.get_legend()
            for leg in ([legend] if legend is not None else []):
                swap(leg.get_title(), _exact)
                for artist in leg.get_texts():
                    swap(artist, _exact)
        for leg in getattr(fig, "legends", []):
            swap(leg.get_title(), _exact)
            for artist in leg.get_texts():
                swap(artist, _exact)
        yield fig
    finally:
        for artist, text in reversed(undo):
            artist.set_text(text)
        for axis, original in formatters:
            axis.set_major_formatter(original)


def _translated_png(output: Any, language: str, figures_dir: Path | None) -> str | None:
    """The base64 PNG of ``figures/NAME.<language>.png`` for a chart output, when the run saved one."""
    meta = (output.get("metadata") or {}).get("image/png") or {}
    name = meta.get(FIGURE_KEY) if isinstance(meta, dict) else None
    if figures_dir is None or not isinstance(name, str) or not re.fullmatch(r"figures/[A-Za-z0-9_.-]+", name):
        return None
    path = figures_dir / f"{name}.{language}.png"
    return base64.b64encode(path.read_bytes()).decode("ascii") if path.is_file() else None


def translate_notebook(nb: Any, language: str, figures_dir: str | Path | None = None) -> Any:
    """Translate an nbformat notebook in place (and return it); English returns it unchanged.

    ``figures_dir`` is the notebook's output folder: a chart whose translated drawing was saved there
    (``figures/NAME.<language>.png``, see :meth:`helpers.publish.Findings.figure`) is shown in that drawing.
    """
    if check_language(language) == "en":
        return nb
    folder = Path(figures_dir) if figures_dir is not None else None
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
                drawn = _translated_png(output, language, folder)
                if drawn is not None:
                    data["image/png"] = drawn
                meta = (output.get("metadata") or {}).get("image/png") or {}
                if isinstance(meta, dict) and meta.get("alt"):
                    meta["alt"] = translate_output_text(str(meta["alt"]), language)
                if "text/plain" in data:
                    data["text/plain"] = translate_output_text(_joined(data["text/plain"]), language)
    return nb
