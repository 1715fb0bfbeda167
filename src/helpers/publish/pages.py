"""How a run becomes HTML pages: an executed notebook rendered with its code hidden, and a run folder's index.

User text reaches HTML only through pandas' escaping ``to_html``, the allowlist cleaner of
:mod:`helpers.publish.safehtml` or Jinja2 autoescaping — never as raw markup.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.i18n import check_language
from helpers.io import atomic_write_text
from helpers.publish.safehtml import clean_table_html, markdown_to_html
from helpers.publish.translate import translate_notebook

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

__all__ = ["render_notebook_html", "write_index"]


def render_notebook_html(executed: str | os.PathLike, html_path: str | os.PathLike, title: str | None = None,
                         language: str = "en") -> Path:
    """Render an executed notebook to a standalone HTML page with code cells hidden.

    Inputs, prompts and cells tagged ``remove_cell`` (and papermill's ``parameters`` /
    ``injected-parameters`` cells) are left out; images are embedded so the page works offline. ``language``
    ("en", "ru", "az") translates the narrative, summaries, table headers and chart descriptions from the
    catalogs (:func:`helpers.publish.translate.translate_notebook`) and sets the page's ``lang``.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    cfg = Config()
    cfg.TagRemovePreprocessor.remove_cell_tags = {"remove_cell", "parameters", "injected-parameters"}
    cfg.TagRemovePreprocessor.enabled = True
    cfg.HTMLExporter.exclude_input = True
    cfg.HTMLExporter.exclude_input_prompt = True
    cfg.HTMLExporter.exclude_output_prompt = True
    cfg.HTMLExporter.embed_images = True
    cfg.HTMLExporter.language_code = check_language(language)
    exporter = HTMLExporter(config=cfg, template_name="workbook",
                            extra_template_basedirs=[str(TEMPLATES / "nbconvert")])
    # user text in outputs stays text (issue 5)
    exporter.register_filter("workbook_clean", clean_table_html)
    exporter.register_filter("workbook_markdown", markdown_to_html)
    exporter.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    nb = nbformat.read(str(executed), as_version=4)
    for cell in nb.cells:  # progress bars and warnings are for the researcher, not for the strategist's page
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    translate_notebook(nb, language, figures_dir=Path(executed).parent)
    if title:
        nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return atomic_write_text(html_path, body)


def write_index(run_dir: str | os.PathLike, runs: list[Mapping[str, Any]], title: str,
                edition: str | None = None) -> Path:
    """Write ``run_dir/index.html`` linking every rendered page, with each run's status and key numbers.

    ``edition`` is the path (relative to run_dir) of the playbook edition's first page, linked at the top.

    ``runs`` items carry ``name``, ``status`` ("ok"/"failed"), ``html`` (path relative to run_dir or None),
    ``notebook``, ``error`` (str or None), ``duration_seconds`` and ``headline`` (dict of a few findings).
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("helpers", "templates"), autoescape=select_autoescape(["html"]))
    html = env.get_template("index.html").render(
        title=title,
        runs=runs,
        edition=edition,
        generated_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
    return atomic_write_text(Path(run_dir) / "index.html", html)
