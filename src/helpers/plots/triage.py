"""Request-type charts (notebook 01's "Requests" section)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.i18n import N_
from helpers.plots.base import LINESTYLES, PALETTE, figure, finish, no_data
from helpers.triage import CATEGORIES

__all__ = ["plot_requests_weekly"]


def plot_requests_weekly(weekly: pd.DataFrame) -> Any:
    """Weekly requests per type (lines; counts per week) from :func:`triage_counts` ``by="week"``."""
    title, xlabel, ylabel = (N_("Member requests per week, by type"), N_("week (starting Monday)"),
                             N_("requests per week (count)"))
    if weekly is None or weekly.empty:
        return no_data(title, xlabel, ylabel)
    fig, ax = figure()
    x = pd.to_datetime(weekly.index)
    for k, cat in enumerate(CATEGORIES):
        ax.plot(x, weekly[cat], label=cat, color=PALETTE[k % len(PALETTE)],
                linestyle=LINESTYLES[k % len(LINESTYLES)])
    ax.legend(frameon=False, fontsize=9, ncols=5)
    totals = weekly[list(CATEGORIES)].sum()
    peak = weekly["complaint"].idxmax() if weekly["complaint"].max() > 0 else None
    listing = ", ".join(f"{c} {int(v):,}" for c, v in totals.items())
    alt = (N_("{title}: {n} weeks; totals {listing}. Most complaints in the week of {peak} ({top}).").format(
        title=title, n=len(weekly), listing=listing, peak=peak, top=int(weekly["complaint"].max())) if peak else
        N_("{title}: {n} weeks; totals {listing}.").format(title=title, n=len(weekly), listing=listing))
    return finish(fig, ax, title, xlabel, ylabel, alt)
