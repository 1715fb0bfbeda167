"""Audience-research charts (notebook 01): activity, participation, languages, sentiment, responsiveness."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from helpers.i18n import N_
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
    title = N_("Messages per {period} by channel").format(period=word)
    xlabel = N_("{period} starting (local date)").format(period=word)
    ylabel = N_("messages per {period}").format(period=word)
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
        ax.legend(title=N_("channel"), frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
    totals = activity_df.sum()
    peak_period = activity_df.sum(axis=1).idxmax()
    busiest = ", ".join(f"{c} ({int(totals[c]):,})" for c in order[:3])
    alt = N_("Line chart of messages per {period} for {channels} channel(s), {first} to {last}. Most messages: "
             "{busiest}. Busiest {period} starts {peak} with {peak_messages} messages.").format(
        period=word, channels=len(order), first=f"{activity_df.index.min():%Y-%m-%d}",
        last=f"{activity_df.index.max():%Y-%m-%d}", busiest=busiest, peak=f"{pd.Timestamp(peak_period):%Y-%m-%d}",
        peak_messages=f"{int(activity_df.sum(axis=1).max()):,}")
    return finish(fig, ax, title, xlabel, ylabel, alt)


def weekday_hour_heatmap(matrix: pd.DataFrame, timezone: str) -> Figure:
    """Heatmap of member messages by local weekday × hour (:func:`helpers.metrics.weekday_hour_matrix`)."""
    import seaborn as sns

    title = N_("When members write (local time, {timezone})").format(timezone=timezone)
    xlabel = N_("hour of day (0–23, {timezone})").format(timezone=timezone)
    ylabel = N_("weekday (local time)")
    if is_empty(matrix) or matrix.to_numpy(dtype=float).sum() == 0:
        return no_data(title, xlabel, ylabel)
    fig, ax = figure((10.0, 4.2))
    sns.heatmap(matrix.astype(float), ax=ax, cmap=SEQUENTIAL_CMAP, linewidths=0.3, linecolor="white",
                cbar_kws={"label": N_("member messages (count)")})
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0)
    flat = matrix.stack()
    (day, hour) = flat.idxmax()
    by_hour = matrix.sum(axis=0)
    by_day = matrix.sum(axis=1)
    alt = N_("Heatmap of {n} member messages by weekday and hour in {timezone}. The busiest slot is {day} {hour}:00–"
             "{hour}:59 with {top} messages; the busiest hour overall is {busiest_hour}:00 and the busiest day is "
             "{busiest_day}.").format(
        n=f"{int(flat.sum()):,}", timezone=timezone, day=day, hour=f"{int(hour):02d}", top=f"{int(flat.max()):,}",
        busiest_hour=f"{int(by_hour.idxmax()):02d}", busiest_day=by_day.idxmax())
    return finish(fig, ax, title, xlabel, ylabel, alt)


def language_mix_bar(mix: Mapping[str, float], n: int) -> Figure:
    """Horizontal bars: share of analysed messages per detected language (``mix`` shares 0–1, ``n`` messages)."""
    title = N_("Language mix (n = {n} messages)").format(n=f"{int(n or 0):,}")
    xlabel = N_("share of analysed messages (%)")
    ylabel = N_("detected language (ISO 639-1)")
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
    alt = N_("Bar chart of the language mix of {n} analysed messages: {listing}.").format(n=f"{int(n):,}",
                                                                                      listing=listing)
    return finish(fig, ax, title, xlabel, ylabel, alt)


def sentiment_by(table: pd.DataFrame, by: str | Sequence[str]) -> Figure:
    """Stacked bars of negative/neutral/positive shares AMONG SCORED messages per group, with coverage.

    ``table`` is :func:`helpers.metrics.sentiment_table` output. Each bar is annotated with the share of the
    group's messages that were NOT scored (unsupported language), so a bar resting on few scored messages
    reads as such. Groups with nothing scored show an empty bar and "not scored: 100 %".
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    by_name = " / ".join(by_cols) if by_cols else N_("all messages")
    title = N_("Sentiment by {group} (among scored messages)").format(group=by_name)
    xlabel = N_("share of scored messages (%)")
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
            ax.text(0.5, yi, N_("nothing scored (language not supported by the scorer)"), ha="center", va="center",
                    fontsize=8, color="#333333", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    for yi, row in zip(y, t.itertuples(index=False)):
        not_scored = 1.0 - float(row.coverage) if row.n else float("nan")
        ax.text(1.01, yi, N_("not scored: {share} (n = {n}, scored {scored})").format(
                    share=pct_label(not_scored), n=f"{int(row.n):,}", scored=f"{int(row.n_scored):,}"),
                va="center", fontsize=8, color="#333333", transform=ax.get_yaxis_transform())
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    handles = [matplotlib.patches.Patch(color=SENTIMENT_COLORS[k], label=k) for k in ("negative", "neutral", "positive")]
    handles.append(matplotlib.patches.Patch(facecolor="white", edgecolor="#999999", hatch="//",
                                            label=N_("not scored")))
    fig.legend(handles=handles, ncols=4, frameon=False, fontsize=9, loc="outside lower center")
    parts = []
    for label, row in zip(labels, t.itertuples(index=False)):
        if row.n_scored:
            parts.append(N_("{group}: {negative} negative, {neutral} neutral, {positive} positive of {scored} scored; "
                            "{not_scored} not scored").format(
                group=label, negative=pct_label(row.negative_share), neutral=pct_label(row.neutral_share),
                positive=pct_label(row.positive_share), scored=f"{int(row.n_scored):,}",
                not_scored=pct_label(1 - row.coverage)))
        else:
            parts.append(N_("{group}: none of {n} messages could be scored").format(group=label, n=f"{int(row.n):,}"))
    alt = N_("Stacked bar chart of sentiment among scored messages by {group}. Unscored messages (unsupported "
             "languages) are not counted as neutral. {parts}.").format(group=by_name, parts="; ".join(parts))
    return finish(fig, ax, title, xlabel, ylabel, alt)


def response_time_by_hour(table: pd.DataFrame) -> Figure:
    """Median (bars) and 90th percentile (dots) hours to first response by local hour the opener was posted.

    ``table`` is :func:`helpers.metrics.responsiveness_by` output with ``by="hour"``.
    """
    tz = (table.attrs.get("timezone") if table is not None else None) or N_("local time")
    title = N_("Time to first response by hour the conversation was opened")
    xlabel = N_("hour the opener was posted (0–23, {timezone})").format(timezone=tz)
    ylabel = N_("time to first response (hours)")
    if is_empty(table) or table["median_hours"].dropna().empty:
        return no_data(title, xlabel, ylabel)
    t = table.reindex(range(24)) if pd.api.types.is_integer_dtype(table.index) else table
    fig, ax = figure()
    hours = np.asarray(t.index, dtype=float)
    ax.bar(hours, t["median_hours"].astype(float), color=PALETTE[0], width=0.8, label=N_("median"))
    ax.scatter(hours, t["p90_hours"].astype(float), color=PALETTE[3], marker="D", s=18, zorder=3,
               label=N_("90th percentile"))
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlim(-0.7, 23.7)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=9)
    med = t["median_hours"].astype(float)
    slow, fast = int(med.idxmax()), int(med.idxmin())
    n_total = int(t["n"].fillna(0).sum()) if "n" in t else 0
    alt = N_("Bar chart of median hours to first response for {n} conversation openers by the hour they were "
             "posted ({timezone}). Slowest: openers at {slow}:00 wait {slow_wait} (median); fastest: {fast}:00 with "
             "{fast_wait}. Dots show the 90th percentile.").format(
        n=f"{n_total:,}", timezone=tz, slow=f"{slow:02d}", slow_wait=hours_label(med[slow]), fast=f"{fast:02d}",
        fast_wait=hours_label(med[fast]))
    return finish(fig, ax, title, xlabel, ylabel, alt)


def response_time_distribution(first_responses_df: pd.DataFrame, sla_hours: float) -> Figure:
    """Histogram of hours to first response on a log scale, with the SLA as a vertical line."""
    title = N_("How long conversation openers waited for a first response")
    xlabel = N_("time to first response (hours, log scale)")
    ylabel = N_("answered openers (count)")
    fr = first_responses_df
    if is_empty(fr):
        return no_data(title, xlabel, ylabel)
    hours = pd.to_numeric(fr["response_hours"], errors="coerce").dropna().to_numpy(dtype=float)
    hours = hours[hours > 0]
    n_open = int(len(fr))
    n_unanswered = int(n_open - fr["answered"].fillna(False).astype(bool).sum())
    if hours.size == 0:
        return no_data(title, xlabel, ylabel, N_("None of {n} openers was answered.").format(n=f"{n_open:,}"))
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
        ax.text(sla_hours, 0.97, " " + N_("SLA {sla} h: {share} % of answered within").format(
                    sla=f"{sla_hours:g}", share=f"{within * 100:.0f}"),
                transform=ax.get_xaxis_transform(), color=PALETTE[3], va="top", fontsize=9,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
    ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
    ax.text(0.99, 0.80, N_("answered: {answered} of {n}").format(answered=f"{hours.size:,}", n=f"{n_open:,}") + "\n"
            + N_("never answered: {n}").format(n=f"{n_unanswered:,}"),
            transform=ax.transAxes, ha="right", va="top", fontsize=9, color="#333333")
    alt = (N_("Histogram of hours to first response for {answered} answered openers (log scale), median {median}. "
              "{share} % were answered within the {sla}-hour SLA. {unanswered} of {n} openers were never answered "
              "and are not in the histogram.").format(
        answered=f"{hours.size:,}", median=hours_label(float(np.median(hours))), share=f"{within * 100:.0f}",
        sla=f"{sla_hours:g}", unanswered=f"{n_unanswered:,}", n=f"{n_open:,}")
        if sla_hours else
        N_("Histogram of hours to first response for {answered} answered openers (log scale).").format(
            answered=f"{hours.size:,}"))
    return finish(fig, ax, title, xlabel, ylabel, alt)


def level_transitions_heatmap(crosstab: pd.DataFrame) -> Figure:
    """Heatmap of members moving between levels from the first to the second half of the period.

    ``crosstab`` is :func:`helpers.metrics.level_transitions` output (counts of members). Colour is the share
    of each row (where members of a first-half level ended up); cells show count and row share. Unknown
    cells (observer→observer without follower numbers) show "n/a".
    """
    title = N_("Engagement levels: first half → second half of the period")
    xlabel = N_("level in second half (members)")
    ylabel = N_("level in first half (members)")
    if is_empty(crosstab):
        return no_data(title, xlabel, ylabel)
    counts = crosstab.astype("Float64").astype(float)
    if np.nansum(counts.to_numpy()) == 0:
        return no_data(title, xlabel, ylabel)
    shares = counts.div(counts.sum(axis=1, skipna=True).replace(0, np.nan), axis=0)
    fig, ax = figure((8.5, 5.5))
    img = ax.imshow(shares.to_numpy(dtype=float), cmap=SEQUENTIAL_CMAP, norm=Normalize(0, 1), aspect="auto")
    cbar = fig.colorbar(img, ax=ax)
    cbar.set_label(N_("share of the row's members (%)"))
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
            moves.append(N_("{level}s staying {level}: {n}").format(level=a, n=f"{int(np.nan_to_num(counts.loc[a, a])):,}"))
    alt = N_("Transition heatmap of member engagement levels between the two halves of the period. {up} members "
             "moved up a level or more, {down} moved down; {moves}.").format(
        up=f"{int(up):,}", down=f"{int(down):,}", moves="; ".join(moves))
    return finish(fig, ax, title, xlabel, ylabel, alt)


def question_clusters_bar(summary: pd.DataFrame | pd.Series | Mapping[str, int], top_n: int = 10) -> Figure:
    """Horizontal bars of the largest recurring-question clusters (questions per cluster).

    ``summary`` is :func:`helpers.text.cluster_summary` output (``label``, ``n``), or a DataFrame with a label column (first of label, top_terms, terms, name, cluster) and a
    size column (first of n, size, count, n_questions, messages), or a Series/dict label → count.
    """
    title = N_("Most frequent question topics (top {n})").format(n=top_n)
    xlabel = N_("questions in cluster (count)")
    ylabel = N_("question cluster (top terms)")
    s = as_series(summary, ("label", "top_terms", "terms", "name", "cluster"),
                   ("n", "size", "count", "n_questions", "messages"))
    if s is None or s.empty:
        return no_data(title, xlabel, ylabel)
    s = s.sort_values(ascending=False, kind="stable").head(top_n)
    return hbar(s, title, xlabel, ylabel, N_("questions"), PALETTE[0],
                N_("Bar chart of the {n} largest question clusters by number of questions").format(n=len(s)))


def trending_terms_bar(terms: pd.DataFrame | pd.Series | Mapping[str, float], value_label: str | None = None) -> Figure:
    """Horizontal bars of trending terms (their score: count, lift or share).

    ``terms`` is :func:`helpers.text.trending_terms` output (plots ``lift``), or any DataFrame with a ``term``
    column and a value column (first of lift, ratio, score, count, n, share), or a Series/dict term → value. ``value_label`` overrides the axis label (give its unit).
    """
    title = N_("Trending terms")
    value_col = None
    if isinstance(terms, pd.DataFrame):
        value_col = label_col(terms, ("lift", "ratio", "score", "count", "n", "share"))
    lift = N_("lift: recent vs. earlier share of words (×)")
    default_labels = {"lift": lift, "ratio": lift,
                      "score": N_("trend score (z-score units)"), "count": N_("mentions (count)"),
                      "n": N_("mentions (count)"), "share": N_("share of messages (%)")}
    xlabel = value_label or default_labels.get(value_col or "", N_("mentions (count)"))
    ylabel = N_("term")
    s = as_series(terms, ("term", "terms", "token", "word", "label"), ("lift", "ratio", "score", "count", "n", "share"))
    if s is None or s.empty:
        return no_data(title, xlabel, ylabel)
    s = s.sort_values(ascending=False, kind="stable")
    return hbar(s, title, xlabel, ylabel, "", PALETTE[1],
                N_("Bar chart of {n} trending terms, measured as {measure}").format(n=len(s), measure=xlabel),
                 percent=(value_col == "share" and value_label is None))

