"""Audience-research charts (notebook 01): activity, participation, languages, sentiment, responsiveness."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from helpers.plots.base import (
    LINESTYLES,
    PALETTE,
    SENTIMENT_COLORS,
    SEQUENTIAL_CMAP,
    as_series,
    figure,
    finish,
    freq_word,
    hbar,
    hours_label,
    is_empty,
    label_col,
    no_data,
    pct_label,
)

__all__ = ["activity_over_time", "weekday_hour_heatmap", "language_mix_bar", "sentiment_by", "response_time_by_hour", "response_time_distribution", "level_transitions_heatmap", "question_clusters_bar", "trending_terms_bar"]


def activity_over_time(activity_df: pd.DataFrame, freq_label: str | None = None) -> Figure:
    """Lines of messages per period by channel (:func:`helpers.metrics.activity_by_channel` output)."""
    word = freq_label or freq_word(activity_df.index if activity_df is not None else pd.Index([]))
    title = f"Messages per {word} by channel"
    xlabel = f"{word} starting (local date)"
    ylabel = f"messages per {word}"
    if is_empty(activity_df) or activity_df.to_numpy(dtype=float).sum() == 0:
        return no_data(title, xlabel, ylabel)
    fig, ax = figure()
    order = activity_df.sum().sort_values(ascending=False).index
    for i, channel in enumerate(order):
        ax.plot(activity_df.index, activity_df[channel], label=str(channel), color=PALETTE[i % len(PALETTE)],
                linestyle=LINESTYLES[(i // len(PALETTE)) % len(LINESTYLES)], marker="o", markersize=3,
                linewidth=1.6)
    ax.set_ylim(bottom=0)
    if len(order) > 1:
        ax.legend(title="channel", frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
    totals = activity_df.sum()
    peak_period = activity_df.sum(axis=1).idxmax()
    busiest = ", ".join(f"{c} ({int(totals[c]):,})" for c in order[:3])
    alt = (f"Line chart of messages per {word} for {len(order)} channel(s), "
           f"{activity_df.index.min():%Y-%m-%d} to {activity_df.index.max():%Y-%m-%d}. "
           f"Most messages: {busiest}. Busiest {word} starts {pd.Timestamp(peak_period):%Y-%m-%d} with "
           f"{int(activity_df.sum(axis=1).max()):,} messages.")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def weekday_hour_heatmap(matrix: pd.DataFrame, timezone: str) -> Figure:
    """Heatmap of member messages by local weekday × hour (:func:`helpers.metrics.weekday_hour_matrix`)."""
    import seaborn as sns

    title = f"When members write (local time, {timezone})"
    xlabel = f"hour of day (0–23, {timezone})"
    ylabel = "weekday (local time)"
    if is_empty(matrix) or matrix.to_numpy(dtype=float).sum() == 0:
        return no_data(title, xlabel, ylabel)
    fig, ax = figure((10.0, 4.2))
    sns.heatmap(matrix.astype(float), ax=ax, cmap=SEQUENTIAL_CMAP, linewidths=0.3, linecolor="white",
                cbar_kws={"label": "member messages (count)"})
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0)
    flat = matrix.stack()
    (day, hour) = flat.idxmax()
    by_hour = matrix.sum(axis=0)
    by_day = matrix.sum(axis=1)
    alt = (f"Heatmap of {int(flat.sum()):,} member messages by weekday and hour in {timezone}. "
           f"The busiest slot is {day} {int(hour):02d}:00–{int(hour):02d}:59 with {int(flat.max()):,} messages; "
           f"the busiest hour overall is {int(by_hour.idxmax()):02d}:00 and the busiest day is {by_day.idxmax()}.")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def language_mix_bar(mix: Mapping[str, float], n: int) -> Figure:
    """Horizontal bars: share of analysed messages per detected language (``mix`` shares 0–1, ``n`` messages)."""
    title = f"Language mix (n = {int(n or 0):,} messages)"
    xlabel = "share of analysed messages (%)"
    ylabel = "detected language (ISO 639-1)"
    if is_empty(mix) or not n:
        return no_data(title, xlabel, ylabel)
    items = sorted(((str(k), float(v)) for k, v in dict(mix).items()), key=lambda kv: -kv[1])
    labels = [("und (undetected)" if k == "und" else k) for k, _ in items]
    values = [v for _, v in items]
    fig, ax = figure((8.0, max(2.5, 0.45 * len(items) + 1.2)))
    colors = ["#999999" if k == "und" else PALETTE[0] for k, _ in items]
    bars = ax.barh(labels[::-1], values[::-1], color=colors[::-1])
    for bar, value in zip(bars, values[::-1]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value * 100:.1f} %", va="center",
                fontsize=9)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, min(1.0, max(values) * 1.18) if max(values) > 0 else 1.0)
    listing = ", ".join(f"{lab} {v * 100:.0f} %" for lab, v in zip(labels, values))
    alt = f"Bar chart of the language mix of {int(n):,} analysed messages: {listing}."
    return finish(fig, ax, title, xlabel, ylabel, alt)


def sentiment_by(table: pd.DataFrame, by: str | Sequence[str]) -> Figure:
    """Stacked bars of negative/neutral/positive shares AMONG SCORED messages per group, with coverage.

    ``table`` is :func:`helpers.metrics.sentiment_table` output. Each bar is annotated with the share of the
    group's messages that were NOT scored (unsupported language), so a bar resting on few scored messages
    reads as such. Groups with nothing scored show an empty bar and "not scored: 100 %".
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    by_name = " / ".join(by_cols) if by_cols else "all messages"
    title = f"Sentiment by {by_name} (among scored messages)"
    xlabel = "share of scored messages (%)"
    ylabel = by_name
    if is_empty(table):
        return no_data(title, xlabel, ylabel)
    t = table.reset_index(drop=True)
    if by_cols:
        labels = [" · ".join("n/a" if pd.isna(v) else str(v) for v in row) for row in t[by_cols].itertuples(index=False)]
    else:
        labels = ["all"] * len(t)
    fig, ax = figure((9.5, max(2.6, 0.5 * len(t) + 1.5)))
    y = np.arange(len(t))[::-1]
    left = np.zeros(len(t))
    for name in ("negative", "neutral", "positive"):
        vals = t[f"{name}_share"].astype(float).fillna(0.0).to_numpy()
        ax.barh(y, vals, left=left, color=SENTIMENT_COLORS[name], edgecolor="white", height=0.7)
        for yi, li, v in zip(y, left, vals):
            if v >= 0.08:
                ax.text(li + v / 2, yi, f"{v * 100:.0f} %", ha="center", va="center", fontsize=8,
                        color="white" if name != "neutral" else "black")
        left = left + vals
    for yi, row in zip(y, t.itertuples(index=False)):
        if not row.n_scored:
            ax.barh(yi, 1.0, color="white", edgecolor="#999999", hatch="//", height=0.7, linewidth=0.8)
            ax.text(0.5, yi, "nothing scored (language not supported by the scorer)", ha="center", va="center",
                    fontsize=8, color="#333333", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    for yi, row in zip(y, t.itertuples(index=False)):
        not_scored = 1.0 - float(row.coverage) if row.n else float("nan")
        ax.text(1.01, yi, f"not scored: {pct_label(not_scored)} (n = {int(row.n):,}, scored {int(row.n_scored):,})",
                va="center", fontsize=8, color="#333333", transform=ax.get_yaxis_transform())
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    handles = [matplotlib.patches.Patch(color=SENTIMENT_COLORS[k], label=k) for k in ("negative", "neutral", "positive")]
    handles.append(matplotlib.patches.Patch(facecolor="white", edgecolor="#999999", hatch="//", label="not scored"))
    fig.legend(handles=handles, ncols=4, frameon=False, fontsize=9, loc="outside lower center")
    parts = []
    for label, row in zip(labels, t.itertuples(index=False)):
        if row.n_scored:
            parts.append(f"{label}: {pct_label(row.negative_share)} negative, {pct_label(row.neutral_share)} neutral, "
                         f"{pct_label(row.positive_share)} positive of {int(row.n_scored):,} scored; "
                         f"{pct_label(1 - row.coverage)} not scored")
        else:
            parts.append(f"{label}: none of {int(row.n):,} messages could be scored")
    alt = (f"Stacked bar chart of sentiment among scored messages by {by_name}. Unscored messages "
           f"(unsupported languages) are not counted as neutral. " + "; ".join(parts) + ".")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def response_time_by_hour(table: pd.DataFrame) -> Figure:
    """Median (bars) and 90th percentile (dots) hours to first response by local hour the opener was posted.

    ``table`` is :func:`helpers.metrics.responsiveness_by` output with ``by="hour"``.
    """
    tz = (table.attrs.get("timezone") if table is not None else None) or "local time"
    title = "Time to first response by hour the conversation was opened"
    xlabel = f"hour the opener was posted (0–23, {tz})"
    ylabel = "time to first response (hours)"
    if is_empty(table) or table["median_hours"].dropna().empty:
        return no_data(title, xlabel, ylabel)
    t = table.reindex(range(24)) if pd.api.types.is_integer_dtype(table.index) else table
    fig, ax = figure()
    hours = np.asarray(t.index, dtype=float)
    ax.bar(hours, t["median_hours"].astype(float), color=PALETTE[0], width=0.8, label="median")
    ax.scatter(hours, t["p90_hours"].astype(float), color=PALETTE[3], marker="D", s=18, zorder=3,
               label="90th percentile")
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlim(-0.7, 23.7)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=9)
    med = t["median_hours"].astype(float)
    slow, fast = int(med.idxmax()), int(med.idxmin())
    n_total = int(t["n"].fillna(0).sum()) if "n" in t else 0
    alt = (f"Bar chart of median hours to first response for {n_total:,} conversation openers by the hour "
           f"they were posted ({tz}). Slowest: openers at {slow:02d}:00 wait {hours_label(med[slow])} (median); "
           f"fastest: {fast:02d}:00 with {hours_label(med[fast])}. Dots show the 90th percentile.")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def response_time_distribution(first_responses_df: pd.DataFrame, sla_hours: float) -> Figure:
    """Histogram of hours to first response on a log scale, with the SLA as a vertical line."""
    title = "How long conversation openers waited for a first response"
    xlabel = "time to first response (hours, log scale)"
    ylabel = "answered openers (count)"
    fr = first_responses_df
    if is_empty(fr):
        return no_data(title, xlabel, ylabel)
    hours = pd.to_numeric(fr["response_hours"], errors="coerce").dropna().to_numpy(dtype=float)
    hours = hours[hours > 0]
    n_open = int(len(fr))
    n_unanswered = int(n_open - fr["answered"].fillna(False).astype(bool).sum())
    if hours.size == 0:
        return no_data(title, xlabel, ylabel, f"None of {n_open:,} openers was answered.")
    fig, ax = figure()
    lo, hi = hours.min(), hours.max()
    lo = min(lo, sla_hours) if sla_hours else lo
    hi = max(hi, sla_hours) if sla_hours else hi
    if hi / lo < 1.5:
        lo, hi = lo / 1.5, hi * 1.5
    bins = np.geomspace(lo * 0.95, hi * 1.05, 30)
    ax.hist(hours, bins=bins, color=PALETTE[0], edgecolor="white")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    within = float((hours <= sla_hours).mean()) if sla_hours else float("nan")
    if sla_hours:
        ax.axvline(sla_hours, color=PALETTE[3], linestyle="--", linewidth=1.8)
        ax.text(sla_hours, 0.97, f" SLA {sla_hours:g} h: {within * 100:.0f} % of answered within",
                transform=ax.get_xaxis_transform(), color=PALETTE[3], va="top", fontsize=9,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
    ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
    ax.text(0.99, 0.80, f"answered: {hours.size:,} of {n_open:,}\nnever answered: {n_unanswered:,}",
            transform=ax.transAxes, ha="right", va="top", fontsize=9, color="#333333")
    alt = (f"Histogram of hours to first response for {hours.size:,} answered openers (log scale), median "
           f"{hours_label(float(np.median(hours)))}. {within * 100:.0f} % were answered within the {sla_hours:g}-hour "
           f"SLA. {n_unanswered:,} of {n_open:,} openers were never answered and are not in the histogram."
           if sla_hours else
           f"Histogram of hours to first response for {hours.size:,} answered openers (log scale).")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def level_transitions_heatmap(crosstab: pd.DataFrame) -> Figure:
    """Heatmap of members moving between levels from the first to the second half of the period.

    ``crosstab`` is :func:`helpers.metrics.level_transitions` output (counts of members). Colour is the share
    of each row (where members of a first-half level ended up); cells show count and row share. Unknown
    cells (observer→observer without follower numbers) show "n/a".
    """
    title = "Engagement levels: first half → second half of the period"
    xlabel = "level in second half (members)"
    ylabel = "level in first half (members)"
    if is_empty(crosstab):
        return no_data(title, xlabel, ylabel)
    counts = crosstab.astype("Float64").astype(float)
    if np.nansum(counts.to_numpy()) == 0:
        return no_data(title, xlabel, ylabel)
    shares = counts.div(counts.sum(axis=1, skipna=True).replace(0, np.nan), axis=0)
    fig, ax = figure((8.5, 5.5))
    img = ax.imshow(shares.to_numpy(dtype=float), cmap=SEQUENTIAL_CMAP, norm=Normalize(0, 1), aspect="auto")
    cbar = fig.colorbar(img, ax=ax)
    cbar.set_label("share of the row's members (%)")
    cbar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            c, s = counts.iat[i, j], shares.iat[i, j]
            txt = "n/a" if pd.isna(c) else f"{int(c):,}\n({s * 100:.0f} %)" if not pd.isna(s) else f"{int(c):,}"
            dark = not pd.isna(s) and s < 0.55
            ax.text(j, i, txt, ha="center", va="center", fontsize=9, color="white" if dark else "black")
    ax.set_xticks(range(counts.shape[1]), [str(c) for c in counts.columns])
    ax.set_yticks(range(counts.shape[0]), [str(r) for r in counts.index])
    ax.spines[["left", "bottom"]].set_visible(False)
    moves = []
    levels = list(counts.index)
    up = down = 0.0
    for i, a in enumerate(levels):
        for j, b in enumerate(counts.columns):
            if a == "observer" and b == "observer":
                continue
            v = counts.iat[i, j]
            if pd.isna(v):
                continue
            if b in levels and levels.index(b) > i:
                up += v
            elif b in levels and levels.index(b) < i:
                down += v
    for a in levels:
        if a in counts.columns and a != "observer":
            moves.append(f"{a}s staying {a}: {int(np.nan_to_num(counts.loc[a, a])):,}")
    alt = (f"Transition heatmap of member engagement levels between the two halves of the period. "
           f"{int(up):,} members moved up a level or more, {int(down):,} moved down; " + "; ".join(moves) + ".")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def question_clusters_bar(summary: pd.DataFrame | pd.Series | Mapping[str, int], top_n: int = 10) -> Figure:
    """Horizontal bars of the largest recurring-question clusters (questions per cluster).

    ``summary`` is :func:`helpers.text.cluster_summary` output (``label``, ``n``), or a DataFrame with a label column (first of label, top_terms, terms, name, cluster) and a
    size column (first of n, size, count, n_questions, messages), or a Series/dict label → count.
    """
    title = f"Most frequent question topics (top {top_n})"
    xlabel = "questions in cluster (count)"
    ylabel = "question cluster (top terms)"
    s = as_series(summary, ("label", "top_terms", "terms", "name", "cluster"),
                   ("n", "size", "count", "n_questions", "messages"))
    if s is None or s.empty:
        return no_data(title, xlabel, ylabel)
    s = s.sort_values(ascending=False, kind="stable").head(top_n)
    return hbar(s, title, xlabel, ylabel, "questions", PALETTE[0],
                 f"Bar chart of the {len(s)} largest question clusters by number of questions")


def trending_terms_bar(terms: pd.DataFrame | pd.Series | Mapping[str, float], value_label: str | None = None) -> Figure:
    """Horizontal bars of trending terms (their score: count, lift or share).

    ``terms`` is :func:`helpers.text.trending_terms` output (plots ``lift``), or any DataFrame with a ``term``
    column and a value column (first of lift, ratio, score, count, n, share), or a Series/dict term → value. ``value_label`` overrides the axis label (give its unit).
    """
    title = "Trending terms"
    value_col = None
    if isinstance(terms, pd.DataFrame):
        value_col = label_col(terms, ("lift", "ratio", "score", "count", "n", "share"))
    lift = "lift: recent vs. earlier share of words (×)"
    default_labels = {"lift": lift, "ratio": lift,
                      "score": "trend score (z-score units)", "count": "mentions (count)", "n": "mentions (count)",
                      "share": "share of messages (%)"}
    xlabel = value_label or default_labels.get(value_col or "", "mentions (count)")
    ylabel = "term"
    s = as_series(terms, ("term", "terms", "token", "word", "label"), ("lift", "ratio", "score", "count", "n", "share"))
    if s is None or s.empty:
        return no_data(title, xlabel, ylabel)
    s = s.sort_values(ascending=False, kind="stable")
    return hbar(s, title, xlabel, ylabel, "", PALETTE[1],
                 f"Bar chart of {len(s)} trending terms, measured as {xlabel}",
                 percent=(value_col == "share" and value_label is None))

