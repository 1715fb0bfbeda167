"""Charts for the notebooks and playbooks (matplotlib + seaborn).

Every function returns a :class:`matplotlib.figure.Figure` and closes nothing: the caller displays it and/or
saves it. Every chart has a title, axis labels with units and a plain-language description for screen readers
(:func:`describe`). One module per domain draws on the shared :mod:`helpers.plots.base`:

* :mod:`helpers.plots.audience` — notebook 01 (activity, participation, languages, sentiment, responsiveness);
* :mod:`helpers.plots.triage` — notebook 01's request types;
* :mod:`helpers.plots.campaigns` — notebook 02;
* :mod:`helpers.plots.crisis` — notebook 03;
* :mod:`helpers.plots.sentiment` — notebook 04 (scorer comparison, learning curve, confusion matrix).
"""
from __future__ import annotations

from helpers.plots.audience import (
    activity_over_time,
    language_mix_bar,
    level_transitions_heatmap,
    question_clusters_bar,
    response_time_by_hour,
    response_time_distribution,
    sentiment_by,
    trending_terms_bar,
    weekday_hour_heatmap,
)
from helpers.plots.base import (
    PALETTE,
    SENTIMENT_COLORS,
    SEQUENTIAL_CMAP,
    describe,
)
from helpers.plots.campaigns import (
    cost_per_member_bars,
    lift_figures,
    lift_observed_vs_predicted,
    rate_ratio_forest,
    retention_bars,
    survival_curves_plot,
)
from helpers.plots.crisis import (
    crisis_terms_bar,
    crisis_timeline,
    reply_effect_hist,
)
from helpers.plots.sentiment import plot_comparison, plot_confusion, plot_learning_curve
from helpers.plots.triage import plot_requests_weekly

__all__ = [
    "PALETTE",
    "SENTIMENT_COLORS",
    "SEQUENTIAL_CMAP",
    "describe",
    "activity_over_time",
    "weekday_hour_heatmap",
    "language_mix_bar",
    "sentiment_by",
    "response_time_by_hour",
    "response_time_distribution",
    "level_transitions_heatmap",
    "question_clusters_bar",
    "trending_terms_bar",
    "lift_observed_vs_predicted",
    "rate_ratio_forest",
    "retention_bars",
    "survival_curves_plot",
    "cost_per_member_bars",
    "crisis_timeline",
    "crisis_terms_bar",
    "reply_effect_hist",
    "plot_requests_weekly",
    "lift_figures",
    "plot_comparison",
    "plot_learning_curve",
    "plot_confusion",
]
