"""Findings and rendering: what a notebook records, and how a run becomes HTML pages.

Notebooks record their key numbers with :class:`Findings` into ``output_dir/findings.json`` (flat JSON,
stable keys, units in the key names). Rendering turns an executed notebook into an HTML page with the code
hidden, and a run folder into an ``index.html`` that links every page. User text reaches HTML only through
pandas' escaping ``to_html`` or Jinja2 autoescaping — never as raw markup.
"""
from __future__ import annotations

import base64
import datetime as dt
import io as _io
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import atomic_write_text, resolve_path, write_spreadsheet_csv

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["Findings", "FigureOutput", "to_jsonable", "render_notebook_html", "write_index"]


def to_jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain JSON types (NaN and NA become ``None``)."""
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        return [to_jsonable(v) for v in list(value)]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds() / 3600.0
    return str(value) if not isinstance(value, str) else value


class FigureOutput:
    """A chart ready for display: the PNG plus its plain-language description.

    Jupyter shows the PNG; the description travels as the image's alt text (rendered pages use it) and as
    the plain-text form (what nbval compares and what a screen reader or a text export gets).
    """

    def __init__(self, png: bytes, alt: str, path: Path | None = None):
        self.png, self.alt, self.path = png, alt, path

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        return data, {"image/png": {"alt": self.alt}}

    def __repr__(self) -> str:
        return f"FigureOutput({self.alt!r})"


class Findings:
    """Collects a notebook's key numbers and writes them to ``output_dir/findings.json``.

    Keys are flat, stable and carry their unit (``median_first_response_hours``, shares 0–1).
    Each :meth:`add` rewrites the file, so a notebook that fails half-way still leaves what it found.
    When ``parameters`` hold ``sentiment_backend``, the scorer and its validation score are recorded
    first (``sentiment_scorer``, ``sentiment_scorer_cv_macro_f1`` …, see :func:`helpers.sentiment.scorer_info`).
    """

    def __init__(self, output_dir: str | os.PathLike, notebook: str, parameters: Mapping[str, Any] | None = None):
        self.output_dir = resolve_path(output_dir)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.output_dir / "findings.json"
        self.values: dict[str, Any] = {}
        self.meta = {
            "notebook": notebook,
            "parameters": to_jsonable(dict(parameters or {})),
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        if parameters and parameters.get("sentiment_backend") is not None:
            # which sentiment scorer ran and how well it was validated (issue 7): every notebook gets it for free
            from helpers.sentiment import scorer_info

            self.values.update(to_jsonable(scorer_info(str(parameters["sentiment_backend"]))))

    def add(self, key: str, value: Any) -> Any:
        """Record one finding (overwrites an earlier value of the same key) and save; returns ``value``."""
        self.values[key] = to_jsonable(value)
        self.save()
        return value

    def update(self, values: Mapping[str, Any]) -> None:
        """Record several findings at once and save."""
        for key, value in values.items():
            self.values[key] = to_jsonable(value)
        self.save()

    def table(self, name: str, df: pd.DataFrame) -> Path:
        """Save a result table as a spreadsheet-safe CSV under ``output_dir/tables/NAME.csv``."""
        return write_spreadsheet_csv(df, self.output_dir / "tables" / f"{name}.csv")

    def figure(self, name: str, fig) -> FigureOutput:
        """Save a matplotlib figure as ``output_dir/figures/NAME.png`` (150 dpi) and return it for display.

        The displayed copy (100 dpi) carries the chart's description from :func:`helpers.plots.describe`
        as alt text.
        """
        from helpers.plots import describe

        path = self.output_dir / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=150, bbox_inches="tight")
        buf = _io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        alt = describe(fig) or (fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else name)
        return FigureOutput(buf.getvalue(), alt, path)

    def save(self) -> Path:
        """Write findings.json atomically: the findings as flat keys, plus ``_meta``."""
        payload = dict(self.values)
        payload["_meta"] = self.meta
        return atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False))

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __repr__(self) -> str:
        return f"Findings({len(self.values)} keys -> {self.path})"


def render_notebook_html(executed: str | os.PathLike, html_path: str | os.PathLike, title: str | None = None) -> Path:
    """Render an executed notebook to a standalone HTML page with code cells hidden.

    Inputs, prompts and cells tagged ``remove_cell`` (and papermill's ``parameters`` /
    ``injected-parameters`` cells) are left out; images are embedded so the page works offline.
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
    exporter = HTMLExporter(config=cfg, template_name="workbook",
                            extra_template_basedirs=[str(TEMPLATES / "nbconvert")])
    from helpers.safehtml import clean_table_html, markdown_to_html  # user text in outputs stays text (issue 5)

    exporter.register_filter("workbook_clean", clean_table_html)
    exporter.register_filter("workbook_markdown", markdown_to_html)
    exporter.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    nb = nbformat.read(str(executed), as_version=4)
    for cell in nb.cells:  # progress bars and warnings are for the researcher, not for the strategist's page
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
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
