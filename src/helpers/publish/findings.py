"""What a notebook records: :class:`Findings` (key numbers, tables, figures) and :class:`FigureOutput`.

Notebooks record their key numbers with :class:`Findings` into ``output_dir/findings.json`` (flat JSON,
stable keys, units in the key names), result tables as spreadsheet-safe CSV and figures as PNG. Rendering the
executed notebook into pages lives in :mod:`helpers.publish.pages`.
"""
from __future__ import annotations

import base64
import datetime as dt
import io as _io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.formatting import describe
from helpers.io import (
    atomic_write_text,
    resolve_path,
    to_jsonable,
    write_spreadsheet_csv,
)
from helpers.i18n import LANGUAGES
from helpers.publish.translate import FIGURE_KEY, translated_figure
from helpers.sentiment import is_auto, scorer_info

__all__ = ["Findings", "FigureOutput"]


class FigureOutput:
    """A chart ready for display: the PNG plus its plain-language description.

    Jupyter shows the PNG; the description travels as the image's alt text (rendered pages use it) and as
    the plain-text form (what nbval compares and what a screen reader or a text export gets).
    """

    def __init__(self, png: bytes, alt: str, path: Path | None = None):
        self.png, self.alt, self.path = png, alt, path

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        meta: dict[str, Any] = {"alt": self.alt}
        if self.path is not None:  # the edition finds the translated drawings beside it
            meta[FIGURE_KEY] = f"figures/{self.path.stem}"
        return data, {"image/png": meta}

    def __repr__(self) -> str:
        return f"FigureOutput({self.alt!r})"


class Findings:
    """Collects a notebook's key numbers and writes them to ``output_dir/findings.json``.

    Keys are flat, stable and carry their unit (``median_first_response_hours``, shares 0–1).
    Each :meth:`add` rewrites the file, so a notebook that fails half-way still leaves what it found.
    When ``parameters`` name a ``sentiment_backend``, the scorer and its validation score are recorded
    first (``sentiment_scorer``, ``sentiment_scorer_cv_macro_f1`` …, see :func:`helpers.sentiment.scorer_info`);
    for ``"auto"`` they are recorded when the notebook records the ``sentiment_backend`` that ran.
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
        self._data_dir = (parameters or {}).get("data_dir")
        backend = (parameters or {}).get("sentiment_backend")
        if backend is not None and not is_auto(backend):
            # which sentiment scorer ran and how well it was validated (issue 7): every notebook gets it for free
            self._record_scorer(str(backend))

    def _record_scorer(self, backend: str) -> None:
        self.values.update(to_jsonable(scorer_info(backend, self._data_dir)))

    def add(self, key: str, value: Any) -> Any:
        """Record one finding (overwrites an earlier value of the same key) and save; returns ``value``.

        Recording ``sentiment_backend`` (the scorer that ran, e.g. what ``"auto"`` chose) also records its
        ``sentiment_scorer_*`` keys."""
        self.update({key: value})
        return value

    def update(self, values: Mapping[str, Any]) -> None:
        """Record several findings at once and save (``sentiment_backend`` as in :meth:`add`)."""
        for key, value in values.items():
            if key == "sentiment_backend" and isinstance(value, str) and not is_auto(value):
                self._record_scorer(value)
            self.values[key] = to_jsonable(value)
        self.save()

    def table(self, name: str, df: pd.DataFrame) -> Path:
        """Save a result table as a spreadsheet-safe CSV under ``output_dir/tables/NAME.csv``."""
        return write_spreadsheet_csv(df, self.output_dir / "tables" / f"{name}.csv")

    def figure(self, name: str, fig) -> FigureOutput:
        """Save a matplotlib figure as ``output_dir/figures/NAME.png`` (150 dpi) and return it for display.

        The displayed copy (100 dpi) carries the chart's description from :func:`helpers.formatting.describe`
        as alt text. The same chart is also drawn with its titles and labels in every other edition language
        (``figures/NAME.ru.png``, ``NAME.az.png``, 100 dpi, from the catalogs): a ru or az edition shows those.
        """
        path = self.output_dir / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=150, bbox_inches="tight")
        for language in (lang for lang in LANGUAGES if lang != "en"):
            with translated_figure(fig, language):
                fig.savefig(path.with_suffix(f".{language}.png"), dpi=100, bbox_inches="tight")
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
