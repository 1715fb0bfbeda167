"""Request-type charts (notebook 01's "Requests" section)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.plots.base import LINESTYLES, PALETTE, figure, finish, no_data
from helpers.triage import CATEGORIES

__all__ = ["plot_requests_weekly"]


def plot_requests_weekly(weekly: pd.DataFrame) -> Any:
    """Weekly requests per type (lines; counts per week) from :func:`triage_counts` ``by="week"``."""
    title, xlabel, ylabel = "Member requests per week, by type", "week (starting Monday)", "requests per week (count)"
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
    alt = (f"{title}: {len(weekly)} weeks; totals " + ", ".join(f"{c} {int(v):,}" for c, v in totals.items())
           + (f". Most complaints in the week of {peak} ({int(weekly['complaint'].max())})." if peak else "."))
    return finish(fig, ax, title, xlabel, ylabel, alt)
