"""HTML that can carry user text safely: an allowlist cleaner and a Markdown renderer that never passes markup.

Notebook outputs are built from user data (message samples, question examples, campaign names). pandas'
``DataFrame`` HTML escapes cell text, but a ``Styler`` does not, and Markdown passes raw HTML and
``javascript:`` links straight through. Every ``text/html`` and ``text/markdown`` output of a rendered page
therefore goes through :func:`clean_fragment`: tags and attributes outside a small allowlist are **escaped**
(so a planted ``<script>`` shows up as text), links keep only http(s)/mailto/relative targets, and
``<style>`` blocks (pandas' scoped table CSS) are dropped.
"""
from __future__ import annotations

import re

import bleach

__all__ = ["clean_fragment", "clean_table_html", "markdown_to_html"]

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "title"],
    "a": ["href", "title", "class", "id"],
    "table": ["class", "id", "border"],
    "td": ["class", "id", "colspan", "rowspan", "align"],
    "th": ["class", "id", "colspan", "rowspan", "align", "scope"],
    "abbr": ["title"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)


def clean_fragment(html: str | bytes | None, links: bool = True) -> str:
    """An HTML fragment reduced to the allowlist: disallowed tags escaped (shown as text), event handlers and
    inline styles removed, ``javascript:``/``data:`` links dropped, comments and ``<style>`` blocks removed.

    ``links=False`` escapes ``<a>`` too (tables from pandas never contain links, so any link there came from
    the data)."""
    if html is None:
        return ""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html)
    text = _STYLE_BLOCK.sub("", text)
    tags = ALLOWED_TAGS if links else ALLOWED_TAGS - {"a"}
    return bleach.clean(text, tags=tags, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                        strip=False, strip_comments=True)


def clean_table_html(html: str | bytes | None) -> str:
    """:func:`clean_fragment` for ``text/html`` outputs (pandas tables): no links allowed."""
    return clean_fragment(html, links=False)


def markdown_to_html(text: str) -> str:
    """Markdown (with tables) to HTML where raw HTML in the source is escaped, then :func:`clean_fragment`."""
    import mistune

    md = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    return clean_fragment(md(text))
