"""The one base every chart is drawn on: figure, titles and alt text, no-data figures, palette.

Every function returns a :class:`matplotlib.figure.Figure` and closes nothing: the caller displays it
(``display(fig)`` or as a cell's last expression) and/or saves it (``fig.savefig``). Figures are created
with ``matplotlib.figure.Figure`` rather than pyplot, so they are not shown twice by the inline backend and
do not pile up in pyplot's figure registry.

Every chart has a title, axis labels with units and a plain-language description for screen readers,
stored in ``fig._alt_text`` and returned by :func:`describe`. Colours come from the Okabe–Ito palette
(colour-blind safe); sequential scales use "cividis". Empty input gives a figure saying "No data" (with
the same title and labels) instead of an exception.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from helpers import formatting
from helpers.formatting import describe
from helpers.i18n import N_

__all__ = ["figure", "finish", "no_data", "describe", "pct_label", "hours_label", "is_empty", "freq_word", "label_col", "as_series", "shorten", "hbar", "PALETTE", "SENTIMENT_COLORS", "SEQUENTIAL_CMAP", "LINESTYLES", "FIGSIZE", "NO_DATA"]

#: Okabe–Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SENTIMENT_COLORS = {"negative": "#D55E00", "neutral": "#BBBBBB", "positive": "#0072B2"}
SEQUENTIAL_CMAP = "cividis"
LINESTYLES = ["-", "--", ":", "-."]
FIGSIZE = (9.0, 4.8)
NO_DATA = N_("Nothing to show for the selected data and period.")


# --------------------------------------------------------------------------------------------------
# shared helpers


def figure(figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Any]:
    """A new figure (inches, 100 dpi, constrained layout) with one axes, top and right spines hidden."""
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def finish(fig: Figure, ax: Any, title: str, xlabel: str, ylabel: str, alt: str) -> Figure:
    """Set the title and axis labels (with their units) and the alt text :func:`describe` returns."""
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig._alt_text = alt  # type: ignore[attr-defined]
    return fig


def no_data(title: str, xlabel: str, ylabel: str, reason: str = NO_DATA) -> Figure:
    """A figure that says "No data" and why, with the chart's own title and labels."""
    fig, ax = figure()
    ax.text(0.5, 0.5, N_("No data") + "\n" + reason, ha="center", va="center", fontsize=12, color="#555555",
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    return finish(fig, ax, title, xlabel, ylabel, N_("{title}: no data. {reason}").format(title=title, reason=reason))


def pct_label(value: float) -> str:
    """A share 0–1 as a whole percentage for chart labels ("n/a" when missing)."""
    return formatting.pct(value, 0)


def hours_label(value: float) -> str:
    """Hours for chart labels, in days from 48 h on ("n/a" when missing)."""
    return formatting.hours(value, days_from=48)


def is_empty(obj: Any) -> bool:
    if obj is None:
        return True
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return obj.empty
    try:
        return len(obj) == 0
    except TypeError:
        return False


def freq_word(index: pd.Index) -> str:
    """'week', 'day', 'month'… from a DatetimeIndex's spacing (or its attrs)."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return N_("week")
    step = pd.Series(index).diff().dropna().median()
    days = step / pd.Timedelta(days=1)
    if days <= 1.5:
        return N_("day")
    if days <= 8:
        return N_("week")
    if days <= 32:
        return N_("month")
    if days <= 95:
        return N_("quarter")
    return N_("year")


def label_col(df: pd.DataFrame, candidates: Sequence[str]) -> str | None:
    for c in candidates:
        if c in df.columns:
            return c
    return None


# --------------------------------------------------------------------------------------------------
# charts

def as_series(obj: Any, label_cols: Sequence[str], value_cols: Sequence[str]) -> pd.Series | None:
    if obj is None:
        return None
    if isinstance(obj, pd.Series):
        s = obj
    elif isinstance(obj, pd.DataFrame):
        if obj.empty:
            return None
        lab = label_col(obj, label_cols)
        val = label_col(obj, value_cols)
        if val is None:
            numeric = obj.select_dtypes("number").columns
            if len(numeric) == 0:
                raise ValueError(f"no numeric column to plot (expected one of {list(value_cols)})")
            val = numeric[0]
        labels = obj[lab] if lab is not None else obj.index
        labels = [", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in labels]
        s = pd.Series(obj[val].to_numpy(), index=labels)
    else:
        s = pd.Series(dict(obj))
    s = pd.to_numeric(s, errors="coerce").dropna()
    s.index = [shorten(str(i)) for i in s.index]
    return s


def shorten(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def hbar(s: pd.Series, title: str, xlabel: str, ylabel: str, unit_word: str, color: str, alt_start: str,
          percent: bool = False) -> Figure:
    fig, ax = figure((8.5, max(2.6, 0.42 * len(s) + 1.3)))
    bars = ax.barh(list(s.index)[::-1], s.to_numpy(dtype=float)[::-1], color=color)
    top = float(s.max()) if len(s) else 0.0
    integers = bool(np.all(np.mod(s.to_numpy(dtype=float), 1) == 0))
    for bar, v in zip(bars, s.to_numpy(dtype=float)[::-1]):
        txt = f" {v * 100:.1f} %" if percent else (f" {int(v):,}" if integers else f" {v:.2f}")
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, txt, va="center", fontsize=8)
    if top > 0:
        ax.set_xlim(0, top * 1.15)
    if percent:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    listing = ", ".join(
        f"{k} ({v * 100:.0f} %)" if percent else f"{k} ({int(v):,}{' ' + unit_word if unit_word else ''})"
        if integers else f"{k} ({v:.2f})" for k, v in list(s.items())[:5])
    alt = N_("{start}. Largest: {listing}.").format(start=alt_start, listing=listing)
    return finish(fig, ax, title, xlabel, ylabel, alt)


# --------------------------------------------------------------------------------------------------
# Campaign vs community charts (issue 3; notebooks/02_campaign_vs_community.ipynb)
# --------------------------------------------------------------------------------------------------
