"""Sentiment-model charts (notebook 04): the scorers compared, the learning curve, the confusion matrix.

They draw the tables :mod:`helpers.sentiment` returns (:func:`helpers.sentiment.compare_scorers`,
:func:`helpers.sentiment.learning_curve`, :func:`helpers.sentiment.confusion_matrix`); ``None`` or an
empty table gives a "No labels yet." figure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers.i18n import N_
from helpers.plots.base import PALETTE, SEQUENTIAL_CMAP, figure, finish, no_data
from helpers.sentiment import format_score

__all__ = ["plot_comparison", "plot_learning_curve", "plot_confusion"]

NO_LABELS = N_("No labels yet.")


def plot_comparison(table: pd.DataFrame | None) -> Figure:
    """Grouped bars: macro-F1 (0–1) per language for the model (cross-validated) and the lexicon scorers,
    with 95 % CI whiskers. ``table`` is :func:`helpers.sentiment.compare_scorers`'s frame."""
    title, xlabel, ylabel = N_("Sentiment scorers on the same labelled messages"), N_("language"), N_("macro-F1 (0–1)")
    if table is None or table.empty:
        return no_data(title, xlabel, ylabel, NO_LABELS)
    fig, ax = figure()
    langs = list(dict.fromkeys(table["language"]))
    scorers = list(dict.fromkeys(table["scorer"]))
    width = 0.8 / len(scorers)
    for k, name in enumerate(scorers):
        sub = table[table["scorer"] == name].set_index("language").reindex(langs)
        x = np.arange(len(langs)) + (k - (len(scorers) - 1) / 2) * width
        err = np.vstack([(sub["macro_f1"] - sub["ci_low"]).clip(lower=0), (sub["ci_high"] - sub["macro_f1"]).clip(lower=0)])
        ax.bar(x, sub["macro_f1"], width, label=name, color=PALETTE[k % len(PALETTE)], yerr=err, capsize=3)
    ax.set_xticks(np.arange(len(langs)), langs)
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, fontsize=9)
    parts = []
    for lang in langs:
        sub = table[table["language"] == lang].set_index("scorer")["macro_f1"]
        parts.append(f"{lang}: " + ", ".join(f"{s} {format_score(v)}" for s, v in sub.items()))
    alt = N_("{title}. Macro-F1 by language (English-only lexicons score nothing in other languages; there unscored "
             "messages count as neutral): {listing}.").format(title=title, listing="; ".join(parts))
    return finish(fig, ax, title, xlabel, ylabel, alt)


def plot_learning_curve(curve: pd.DataFrame | None) -> Figure:
    """Cross-validated macro-F1 (0–1) against the number of labels trained on (count), ±1 SD over folds.
    ``curve`` is :func:`helpers.sentiment.learning_curve`'s frame."""
    title, xlabel, ylabel = N_("Would more labels help?"), N_("labels used for training (count)"), N_("macro-F1 (0–1)")
    if curve is None or curve.empty:
        return no_data(title, xlabel, ylabel, NO_LABELS)
    fig, ax = figure()
    ax.errorbar(curve["n_labels"], curve["macro_f1"], yerr=curve["sd"].fillna(0), marker="o",
                color=PALETTE[0], capsize=3)
    ax.set_ylim(0, 1.05)
    pts = ", ".join(N_("{n} labels {f1}").format(n=int(n), f1=format_score(v))
                    for n, v in zip(curve["n_labels"], curve["macro_f1"]))
    return finish(fig, ax, title, xlabel, ylabel, N_("{title} Cross-validated macro-F1 by training size: {listing}.").format(
        title=title, listing=pts))


def plot_confusion(table: pd.DataFrame | None) -> Figure:
    """Heatmap of gold (rows) × predicted (columns) counts of the cross-validated predictions.
    ``table`` is :func:`helpers.sentiment.confusion_matrix`'s frame."""
    title, xlabel, ylabel = (N_("Where the model errs (cross-validated)"), N_("predicted sentiment"),
                             N_("label given by a person"))
    if table is None or table.empty:
        return no_data(title, xlabel, ylabel, NO_LABELS)
    fig, ax = figure((6.0, 4.6))
    values = table.to_numpy()
    ax.imshow(values, cmap=SEQUENTIAL_CMAP)
    ax.set_xticks(range(values.shape[1]), table.columns)
    ax.set_yticks(range(values.shape[0]), table.index)
    top = values.max() or 1
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{values[i, j]:,}", ha="center", va="center",
                    color="white" if values[i, j] < top * 0.6 else "black")
    cells = "; ".join(f"{g} → {p}: {int(table.loc[g, p])}" for g in table.index for p in table.columns)
    return finish(fig, ax, title, xlabel, ylabel, N_("{title}. Messages by person's label → model's label: {cells}.").format(
        title=title, cells=cells))
