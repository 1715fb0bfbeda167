"""Crisis post-mortem charts (notebook 03): timeline, complaint terms, reply effect."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from helpers.i18n import N_
from helpers.plots.base import (
    PALETTE,
    SENTIMENT_COLORS,
    figure,
    finish,
    hbar,
    is_empty,
    no_data,
    pct_label,
    shorten,
)

__all__ = ["crisis_timeline", "crisis_terms_bar", "reply_effect_hist"]


def crisis_timeline(hourly: pd.DataFrame, onset: Any, first_response: Any = None, peak: Any = None,
                    recovery: Any = None, band_upper: float = float("nan"), baseline_share: float = float("nan"),
                    statements: Sequence[Any] = (), timezone: str = "UTC") -> Figure:
    """Crisis timeline: hourly member messages (top) and the 24-hour negative share with the baseline band
    (bottom); onset, first response, peak and recovery marked, phases shaded, statements as triangles.

    ``hourly`` is :attr:`helpers.crisis.Crisis.hourly` (index: UTC hour; columns volume, negative_share).
    Times are shown in ``timezone``.
    """
    title = N_("Crisis timeline: volume, negative share and phases")
    if is_empty(hourly) or onset is None:
        return no_data(title, N_("time ({timezone})").format(timezone=timezone), N_("member messages per hour"))
    idx = hourly.index.tz_convert(timezone)
    loc = (lambda t: None if t is None or pd.isna(t) else pd.Timestamp(t).tz_convert(timezone))
    on, fr, pk, rc = loc(onset), loc(first_response), loc(peak), loc(recovery)
    fig = Figure(figsize=(10.0, 6.2), dpi=100, layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.3])
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
    ax1.fill_between(idx, hourly["volume"].to_numpy(float), step="post", color=PALETTE[0], lw=0)
    ax1.set_ylabel(N_("member messages per hour"))
    share = hourly["negative_share"].to_numpy(float)
    ax2.plot(idx, share, color=SENTIMENT_COLORS["negative"], lw=1.6, label=N_("negative share (24-h window)"))
    if not pd.isna(band_upper):
        ax2.axhspan(0, band_upper, color="#BBBBBB", alpha=0.35, label=N_("baseline band"))
    if not pd.isna(baseline_share):
        ax2.axhline(baseline_share, color="#555555", lw=0.8, ls=":", label=N_("baseline negative share"))
    end = idx[-1]
    phases = [(on, fr or end, "#E69F00", N_("escalation")), (fr, rc or end, "#56B4E9", N_("response")),
              (rc, end, "#009E73", N_("recovered"))]
    for a, b, color, name in phases:
        if a is not None and b is not None and b > a:
            for ax in (ax1, ax2):
                ax.axvspan(a, b, color=color, alpha=0.12, label=name if ax is ax2 else None)
    marks = [(on, N_("onset"), "#000000", "-"), (fr, N_("first response"), PALETTE[4], "--"),
             (pk, N_("peak"), PALETTE[3], ":"), (rc, N_("recovery"), PALETTE[2], "-.")]
    for t, name, color, ls in marks:
        if t is not None:
            for ax in (ax1, ax2):
                ax.axvline(t, color=color, lw=1.1, ls=ls)
            ax1.annotate(name, (t, 1.0), xycoords=("data", "axes fraction"), rotation=90, fontsize=7,
                         va="top", ha="right", color=color)
    st = [loc(t) for t in statements if t is not None]
    if st:
        top = float(np.nanmax(hourly["volume"].to_numpy(float))) if len(hourly) else 1.0
        ax1.scatter(st, [top * 1.02] * len(st), marker="v", color=PALETTE[4], s=28, zorder=3,
                    label=N_("organisation statements"))
        ax1.legend(frameon=False, fontsize=8, loc="upper right")
    ax2.set_ylim(0, 1)
    ax2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax2.set_ylabel(N_("negative share of scored member messages").replace("scored ", "scored\n", 1))
    ax2.legend(frameon=False, fontsize=7, loc="upper right", ncols=2)
    ax1.set_title(title, fontsize=12, loc="left")
    ax2.set_xlabel(N_("time ({timezone})").format(timezone=timezone))
    fmt = (lambda t: "n/a" if t is None else f"{t:%Y-%m-%d %H:%M}")
    peak_share = float(np.nanmax(share)) if np.isfinite(share).any() else float("nan")
    fig._alt_text = N_(  # type: ignore[attr-defined]
        "{title}. Onset {onset}, first response {first}, peak {peak}, recovery {recovery} ({timezone}). Highest "
        "24-hour negative share {top}; baseline band up to {band}; {n} statement(s) marked.").format(
        title=title, onset=fmt(on), first=fmt(fr), peak=fmt(pk), recovery=fmt(rc), timezone=timezone,
        top=pct_label(peak_share), band=pct_label(band_upper), n=len(st))
    return fig


def crisis_terms_bar(terms: pd.DataFrame) -> Figure:
    """Terms distinctive of the crisis window (weighted log-odds z-scores) as horizontal bars."""
    title = N_("What people complained about: terms distinctive of the crisis")
    xlabel, ylabel = N_("distinctiveness (z-score of weighted log-odds)"), N_("term")
    if is_empty(terms):
        return no_data(title, xlabel, ylabel)
    s = pd.Series(terms["z"].to_numpy(float), index=[shorten(str(t)) for t in terms["term"]])
    return hbar(s, title, xlabel, ylabel, "", SENTIMENT_COLORS["negative"],
                N_("Bar chart of {n} terms distinctive of the crisis window vs the baseline, by z-score").format(
                    n=len(s)))


def reply_effect_hist(pairs: pd.DataFrame, effect: float = float("nan")) -> Figure:
    """Per conversation: member sentiment after the organisation's reply minus before it (histogram)."""
    title = N_("Member sentiment after vs before the organisation's reply")
    xlabel, ylabel = N_("change after the reply (sentiment −1 … +1 scale)"), N_("conversations")
    if is_empty(pairs):
        return no_data(title, xlabel, ylabel, N_("No conversation with messages before and after a reply."))
    fig, ax = figure((8.0, 4.0))
    d = pairs["diff"].to_numpy(float)
    ax.hist(d, bins=np.linspace(-2, 2, 17), color=PALETTE[0], edgecolor="white")
    ax.axvline(0, color="#555555", lw=0.8)
    if not pd.isna(effect):
        ax.axvline(effect, color=PALETTE[3], lw=1.6, ls="--", label=N_("mean {v}").format(v=f"{effect:+.2f}"))
        ax.legend(frameon=False, fontsize=8)
    calmer, angrier = int((d > 0).sum()), int((d < 0).sum())
    return finish(fig, ax, title, xlabel, ylabel,
                  N_("{title}: {n} conversations, {calmer} calmer and {angrier} angrier after the reply; mean change "
                     "{v}.").format(title=title, n=len(d), calmer=calmer, angrier=angrier, v=f"{effect:+.2f}"))
