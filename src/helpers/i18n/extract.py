"""Keep the catalogs in step with the code and the notebooks (Babel's extract / update, read directly).

``python -m helpers i18n update`` extracts every marked string of ``src/helpers`` (``N_("…")``,
``NP_("…", "…")``, ``gettext("…", …)``) and the column headers of the tables the committed notebooks show into
the ``workbook`` template and every paragraph, heading, list item
and table cell of the notebooks' Markdown cells into the ``pages`` template, then updates
``helpers/locale/<language>/LC_MESSAGES/<domain>.po`` for every edition language (new messages are added
untranslated, vanished ones dropped, translations kept). ``python -m helpers i18n check`` lists the messages
that still lack a translation (exit status 1 when there are any) — the same check the unit tests make.
"""
from __future__ import annotations

import argparse
import html
import io
import itertools
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from helpers.i18n.catalogs import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, po_path
from helpers.i18n.markdown import messages as markdown_messages

__all__ = ["KEYWORDS", "PACKAGE_DIR", "notebook_paths", "template", "update", "untranslated", "cli"]

PACKAGE_DIR = LOCALE_DIR.parent
#: the marker functions Babel extracts (argument positions of the message and its plural)
KEYWORDS = {"N_": None, "NP_": (1, 2), "gettext": None, "ngettext": (1, 2)}
_SKIP_DIRS = {"i18n", "synth"}  # the catalogs' own machinery; the generator writes data, not reader text


def notebook_paths() -> list[Path]:
    """The committed notebooks whose pages an edition translates (``notebooks/0*.ipynb``)."""
    return sorted((PACKAGE_DIR.parents[1] / "notebooks").glob("0*.ipynb"))


def _python_messages() -> Iterable[tuple[str, int, str | tuple[str, str]]]:
    from babel.messages.extract import extract_from_file

    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if _SKIP_DIRS & set(path.relative_to(PACKAGE_DIR).parts[:-1]):
            continue
        for lineno, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            if message and (isinstance(message, str) or all(message)):
                yield str(path.relative_to(PACKAGE_DIR.parent)), lineno, message


def _notebook_messages(paths: Iterable[Path]) -> Iterable[tuple[str, int, str]]:
    for path in paths:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        for index, cell in enumerate(cells):
            if cell.get("cell_type") != "markdown":
                continue
            source = cell.get("source", "")
            for message in markdown_messages("".join(source) if isinstance(source, list) else source):
                yield f"notebooks/{path.name}", index, message


_THEAD = re.compile(r"<thead\b.*?</thead>", re.DOTALL | re.IGNORECASE)
_TH = re.compile(r"<th\b[^>]*>([^<]*)</th>", re.IGNORECASE)
# headers that are data, not words: numbers, and ids such as campaign ids (C01, Q-12) pivoted into columns
_DATA_HEADER = re.compile(r"[\d.\-]+|[A-Z]{1,4}[-_]?\d+")


def _table_headers(paths: Iterable[Path]) -> Iterable[tuple[str, int, str]]:
    """The column headers of the tables the committed notebooks show (DataFrame column and index names): the
    reader sees them as the table's words, so they are workbook messages; data cells never are."""
    for path in paths:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                table = output.get("data", {}).get("text/html")
                if not table:
                    continue
                for head in _THEAD.findall("".join(table) if isinstance(table, list) else table):
                    for header in _TH.findall(head):
                        text = html.unescape(header).strip()
                        if text and not _DATA_HEADER.fullmatch(text):
                            yield f"notebooks/{path.name}", index, text


def template(domain: str, notebooks: Iterable[Path] | None = None):
    """The Babel template catalog (POT) of ``domain`` ("workbook": the package; "pages": the notebooks)."""
    from babel.messages.catalog import Catalog

    pot = Catalog(domain=domain, project="community-workbook", charset="utf-8")
    paths = notebook_paths() if notebooks is None else list(notebooks)
    found = (itertools.chain(_python_messages(), _table_headers(paths)) if domain == "workbook"
             else _notebook_messages(paths))
    for where, lineno, message in found:
        flags = ("python-brace-format",) if "{" in (message if isinstance(message, str) else message[0]) else ()
        pot.add(message, locations=[(where, lineno)], flags=flags)
    return pot


def _read(language: str, domain: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(language, domain)
    if not path.is_file():
        return Catalog(locale=language, domain=domain, project="community-workbook", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=language, domain=domain)


def update(languages: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Update every ``.po`` from fresh templates; returns ``{language/domain: {"messages", "untranslated"}}``."""
    from babel.messages.pofile import write_po

    counts: dict[str, dict[str, int]] = {}
    templates = {domain: template(domain) for domain in ("workbook", "pages")}
    for language in languages or [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]:
        for domain, pot in templates.items():
            cat = _read(language, domain)
            cat.update(pot, no_fuzzy_matching=True)
            cat.obsolete.clear()
            path = po_path(language, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            write_po(buf, cat, width=120, omit_header=False, sort_output=False, include_previous=False)
            path.write_bytes(buf.getvalue())
            counts[f"{language}/{domain}"] = {"messages": sum(1 for m in cat if m.id),
                                              "untranslated": len(untranslated(language, domain, cat))}
    return counts


def untranslated(language: str, domain: str, cat=None) -> list[str]:
    """Message ids of the fresh template that ``language``'s catalog does not translate (or marks fuzzy)."""
    cat = _read(language, domain) if cat is None else cat
    missing = []
    for msg in template(domain):
        if not msg.id:
            continue
        have = cat.get(msg.id)
        strings = [] if have is None else (list(have.string) if isinstance(have.string, (list, tuple))
                                            else [have.string])
        if have is None or have.fuzzy or not strings or not all(strings):
            missing.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return missing


def cli(argv: list[str] | None = None) -> int:
    """``python -m helpers i18n update|check``: update the catalogs, or list untranslated messages."""
    parser = argparse.ArgumentParser(prog="python -m helpers i18n",
                                     description="Keep the gettext catalogs in step with the code and notebooks.")
    parser.add_argument("action", choices=("update", "check"))
    args = parser.parse_args(argv)
    if args.action == "update":
        for name, c in update().items():
            print(f"{name}.po: {c['messages']} messages, {c['untranslated']} untranslated")
        return 0
    bad = 0
    for language in (lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE):
        for domain in ("workbook", "pages"):
            for msgid in untranslated(language, domain):
                bad += 1
                print(f"{po_path(language, domain).relative_to(PACKAGE_DIR.parent)}: untranslated: {msgid[:100]}",
                      file=sys.stderr)
    print(f"{bad} untranslated message(s)")
    return 1 if bad else 0
