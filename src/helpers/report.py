"""The old path of findings and rendering, kept so ``from helpers.report import Findings`` keeps working.

Notebooks and users' own code import :class:`Findings` from here. The code lives in :mod:`helpers.publish`
(:mod:`helpers.publish.findings`, :mod:`helpers.publish.pages`) and :func:`helpers.io.to_jsonable`; new code
should import from there.
"""
from __future__ import annotations

from helpers.io import to_jsonable
from helpers.publish.findings import FigureOutput, Findings
from helpers.publish.pages import render_notebook_html, write_index

__all__ = ["Findings", "FigureOutput", "to_jsonable", "render_notebook_html", "write_index"]
