"""Publishing: what notebooks record, how runs become pages, recommendations and playbook editions.

* :mod:`~helpers.publish.findings` — :class:`Findings` (a notebook's key numbers → ``findings.json``) and
  :class:`FigureOutput`;
* :mod:`~helpers.publish.pages` — :func:`render_notebook_html` (an executed notebook, code hidden) and
  :func:`write_index` (a run folder's ``index.html``);
* :mod:`~helpers.publish.safehtml` — the allowlist cleaner every user-text output passes;
* :mod:`~helpers.publish.recommend` — traffic lights against targets, headline numbers, recommendation rules;
* :mod:`~helpers.publish.playbook` — the playbook edition of a finished run (``python -m helpers playbook``).

The function :func:`helpers.publish.recommend.recommend` is not re-exported here: the name stays the module's.
"""
from __future__ import annotations

from helpers.publish.findings import FigureOutput, Findings
from helpers.publish.pages import render_notebook_html, write_index
from helpers.publish.playbook import PLAYBOOKS, render_edition, render_playbook_markdown
from helpers.publish.recommend import (
    DEFAULT_TARGETS,
    LANGUAGES,
    RULES,
    FindingsView,
    Recommendation,
    Status,
    Target,
    assess,
    headline_numbers,
    load_targets,
)
from helpers.publish.safehtml import clean_fragment, clean_table_html, markdown_to_html

__all__ = [
    "Findings", "FigureOutput", "render_notebook_html", "write_index", "clean_fragment", "clean_table_html",
    "markdown_to_html", "DEFAULT_TARGETS", "LANGUAGES", "RULES", "FindingsView", "Recommendation", "Status",
    "Target", "assess", "headline_numbers", "load_targets", "PLAYBOOKS", "render_edition",
    "render_playbook_markdown",
]
