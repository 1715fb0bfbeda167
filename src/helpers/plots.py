"""Charts for the notebooks and playbooks (matplotlib + seaborn).

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

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

__all__ = [
    "PALETTE", "SENTIMENT_COLORS", "SEQUENTIAL_CMAP", "describe", "activity_over_time", "weekday_hour_heatmap",
    "language_mix_bar", "sentiment_by", "response_time_by_hour", "response_time_distribution",
    "level_transitions_heatmap", "question_clusters_bar", "trending_terms_bar",
]

#: Okabe–Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SENTIMENT_COLORS = {"negative": "#D55E00", "neutral": "#BBBBBB", "positive": "#0072B2"}
SEQUENTIAL_CMAP = "cividis"
_LINESTYLES = ["-", "--", ":", "-."]
_FIGSIZE = (9.0, 4.8)
_NO_DATA = "Nothing to show for the selected data and period."


# --------------------------------------------------------------------------------------------------
# shared helpers


def _figure(figsize: tuple[float, float] = _FIGSIZE) -> tuple[Figure, Any]:
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _finish(fig: Figure, ax: Any, title: str, xlabel: str, ylabel: str, alt: str) -> Figure:
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig._alt_text = alt  # type: ignore[attr-defined]
    return fig


def _no_data(title: str, xlabel: str, ylabel: str, reason: str = _NO_DATA) -> Figure:
    fig, ax = _figure()
    ax.text(0.5, 0.5, f"No data\n{reason}", ha="center", va="center", fontsize=12, color="#555555",
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    return _finish(fig, ax, title, xlabel, ylabel, f"{title}: no data. {reason}")


def describe(fig: Figure) -> str:
    """The plain-language description of a chart made here (alt text); falls back to its titles."""
    text = getattr(fig, "_alt_text", None)
    if text:
        return str(text)
    titles = [ax.get_title(loc="left") or ax.get_title() for ax in fig.axes]
    return "; ".join(t for t in titles if t) or "Chart"


def _pct(value: float) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value * 100:.0f} %"


def _hours(value: float) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def _is_empty(obj: Any) -> bool:
    if obj is None:
        return True
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return obj.empty
    try:
        return len(obj) == 0
    except TypeError:
        return False


def _freq_word(index: pd.Index) -> str:
    """'week', 'day', 'month'… from a DatetimeIndex's spacing (or its attrs)."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return "week"
    step = pd.Series(index).diff().dropna().median()
    days = step / pd.Timedelta(days=1)
    if days <= 1.5:
        return "day"
    if days <= 8:
        return "week"
    if days <= 32:
        return "month"
    if days <= 95:
        return "quarter"
    return "year"


def _label_col(df: pd.DataFrame, candidates: Sequence[str]) -> str | None:
    for c in candidates:
        if c in df.columns:
            return c
    return None


# --------------------------------------------------------------------------------------------------
# charts


def activity_over_time(activity_df: pd.DataFrame, freq_label: str | None = None) -> Figure:
    """Lines of messages per period by channel (:func:`helpers.metrics.activity_by_channel` output)."""
    word = freq_label or _freq_word(activity_df.index if activity_df is not None else pd.Index([]))
    title = f"Messages per {word} by channel"
    xlabel = f"{word} starting (local date)"
    ylabel = f"messages per {word}"
    if _is_empty(activity_df) or activity_df.to_numpy(dtype=float).sum() == 0:
        return _no_data(title, xlabel, ylabel)
    fig, ax = _figure()
    order = activity_df.sum().sort_values(ascending=False).index
    for i, channel in enumerate(order):
        ax.plot(activity_df.index, activity_df[channel], label=str(channel), color=PALETTE[i % len(PALETTE)],
                linestyle=_LINESTYLES[(i // len(PALETTE)) % len(_LINESTYLES)], marker="o", markersize=3,
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
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def weekday_hour_heatmap(matrix: pd.DataFrame, timezone: str) -> Figure:
    """Heatmap of member messages by local weekday × hour (:func:`helpers.metrics.weekday_hour_matrix`)."""
    import seaborn as sns

    title = f"When members write (local time, {timezone})"
    xlabel = f"hour of day (0–23, {timezone})"
    ylabel = "weekday (local time)"
    if _is_empty(matrix) or matrix.to_numpy(dtype=float).sum() == 0:
        return _no_data(title, xlabel, ylabel)
    fig, ax = _figure((10.0, 4.2))
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
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def language_mix_bar(mix: Mapping[str, float], n: int) -> Figure:
    """Horizontal bars: share of analysed messages per detected language (``mix`` shares 0–1, ``n`` messages)."""
    title = f"Language mix (n = {int(n or 0):,} messages)"
    xlabel = "share of analysed messages (%)"
    ylabel = "detected language (ISO 639-1)"
    if _is_empty(mix) or not n:
        return _no_data(title, xlabel, ylabel)
    items = sorted(((str(k), float(v)) for k, v in dict(mix).items()), key=lambda kv: -kv[1])
    labels = [("und (undetected)" if k == "und" else k) for k, _ in items]
    values = [v for _, v in items]
    fig, ax = _figure((8.0, max(2.5, 0.45 * len(items) + 1.2)))
    colors = ["#999999" if k == "und" else PALETTE[0] for k, _ in items]
    bars = ax.barh(labels[::-1], values[::-1], color=colors[::-1])
    for bar, value in zip(bars, values[::-1]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value * 100:.1f} %", va="center",
                fontsize=9)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, min(1.0, max(values) * 1.18) if max(values) > 0 else 1.0)
    listing = ", ".join(f"{lab} {v * 100:.0f} %" for lab, v in zip(labels, values))
    alt = f"Bar chart of the language mix of {int(n):,} analysed messages: {listing}."
    return _finish(fig, ax, title, xlabel, ylabel, alt)


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
    if _is_empty(table):
        return _no_data(title, xlabel, ylabel)
    t = table.reset_index(drop=True)
    if by_cols:
        labels = [" · ".join("n/a" if pd.isna(v) else str(v) for v in row) for row in t[by_cols].itertuples(index=False)]
    else:
        labels = ["all"] * len(t)
    fig, ax = _figure((9.5, max(2.6, 0.5 * len(t) + 1.5)))
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
        ax.text(1.01, yi, f"not scored: {_pct(not_scored)} (n = {int(row.n):,}, scored {int(row.n_scored):,})",
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
            parts.append(f"{label}: {_pct(row.negative_share)} negative, {_pct(row.neutral_share)} neutral, "
                         f"{_pct(row.positive_share)} positive of {int(row.n_scored):,} scored; "
                         f"{_pct(1 - row.coverage)} not scored")
        else:
            parts.append(f"{label}: none of {int(row.n):,} messages could be scored")
    alt = (f"Stacked bar chart of sentiment among scored messages by {by_name}. Unscored messages "
           f"(unsupported languages) are not counted as neutral. " + "; ".join(parts) + ".")
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def response_time_by_hour(table: pd.DataFrame) -> Figure:
    """Median (bars) and 90th percentile (dots) hours to first response by local hour the opener was posted.

    ``table`` is :func:`helpers.metrics.responsiveness_by` output with ``by="hour"``.
    """
    tz = (table.attrs.get("timezone") if table is not None else None) or "local time"
    title = "Time to first response by hour the conversation was opened"
    xlabel = f"hour the opener was posted (0–23, {tz})"
    ylabel = "time to first response (hours)"
    if _is_empty(table) or table["median_hours"].dropna().empty:
        return _no_data(title, xlabel, ylabel)
    t = table.reindex(range(24)) if pd.api.types.is_integer_dtype(table.index) else table
    fig, ax = _figure()
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
           f"they were posted ({tz}). Slowest: openers at {slow:02d}:00 wait {_hours(med[slow])} (median); "
           f"fastest: {fast:02d}:00 with {_hours(med[fast])}. Dots show the 90th percentile.")
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def response_time_distribution(first_responses_df: pd.DataFrame, sla_hours: float) -> Figure:
    """Histogram of hours to first response on a log scale, with the SLA as a vertical line."""
    title = "How long conversation openers waited for a first response"
    xlabel = "time to first response (hours, log scale)"
    ylabel = "answered openers (count)"
    fr = first_responses_df
    if _is_empty(fr):
        return _no_data(title, xlabel, ylabel)
    hours = pd.to_numeric(fr["response_hours"], errors="coerce").dropna().to_numpy(dtype=float)
    hours = hours[hours > 0]
    n_open = int(len(fr))
    n_unanswered = int(n_open - fr["answered"].fillna(False).astype(bool).sum())
    if hours.size == 0:
        return _no_data(title, xlabel, ylabel, f"None of {n_open:,} openers was answered.")
    fig, ax = _figure()
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
           f"{_hours(float(np.median(hours)))}. {within * 100:.0f} % were answered within the {sla_hours:g}-hour "
           f"SLA. {n_unanswered:,} of {n_open:,} openers were never answered and are not in the histogram."
           if sla_hours else
           f"Histogram of hours to first response for {hours.size:,} answered openers (log scale).")
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def level_transitions_heatmap(crosstab: pd.DataFrame) -> Figure:
    """Heatmap of members moving between levels from the first to the second half of the period.

    ``crosstab`` is :func:`helpers.metrics.level_transitions` output (counts of members). Colour is the share
    of each row (where members of a first-half level ended up); cells show count and row share. Unknown
    cells (observer→observer without follower numbers) show "n/a".
    """
    title = "Engagement levels: first half → second half of the period"
    xlabel = "level in second half (members)"
    ylabel = "level in first half (members)"
    if _is_empty(crosstab):
        return _no_data(title, xlabel, ylabel)
    counts = crosstab.astype("Float64").astype(float)
    if np.nansum(counts.to_numpy()) == 0:
        return _no_data(title, xlabel, ylabel)
    shares = counts.div(counts.sum(axis=1, skipna=True).replace(0, np.nan), axis=0)
    fig, ax = _figure((8.5, 5.5))
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
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def question_clusters_bar(summary: pd.DataFrame | pd.Series | Mapping[str, int], top_n: int = 10) -> Figure:
    """Horizontal bars of the largest recurring-question clusters (questions per cluster).

    ``summary`` is :func:`helpers.text.cluster_summary` output (``label``, ``n``), or a DataFrame with a label column (first of label, top_terms, terms, name, cluster) and a
    size column (first of n, size, count, n_questions, messages), or a Series/dict label → count.
    """
    title = f"Most frequent question topics (top {top_n})"
    xlabel = "questions in cluster (count)"
    ylabel = "question cluster (top terms)"
    s = _as_series(summary, ("label", "top_terms", "terms", "name", "cluster"),
                   ("n", "size", "count", "n_questions", "messages"))
    if s is None or s.empty:
        return _no_data(title, xlabel, ylabel)
    s = s.sort_values(ascending=False, kind="stable").head(top_n)
    return _hbar(s, title, xlabel, ylabel, "questions", PALETTE[0],
                 f"Bar chart of the {len(s)} largest question clusters by number of questions")


def trending_terms_bar(terms: pd.DataFrame | pd.Series | Mapping[str, float], value_label: str | None = None) -> Figure:
    """Horizontal bars of trending terms (their score: count, lift or share).

    ``terms`` is :func:`helpers.text.trending_terms` output (plots ``lift``), or any DataFrame with a ``term``
    column and a value column (first of lift, ratio, score, count, n, share), or a Series/dict term → value. ``value_label`` overrides the axis label (give its unit).
    """
    title = "Trending terms"
    value_col = None
    if isinstance(terms, pd.DataFrame):
        value_col = _label_col(terms, ("lift", "ratio", "score", "count", "n", "share"))
    lift = "lift: recent vs. earlier share of words (×)"
    default_labels = {"lift": lift, "ratio": lift,
                      "score": "trend score (z-score units)", "count": "mentions (count)", "n": "mentions (count)",
                      "share": "share of messages (%)"}
    xlabel = value_label or default_labels.get(value_col or "", "mentions (count)")
    ylabel = "term"
    s = _as_series(terms, ("term", "terms", "token", "word", "label"), ("lift", "ratio", "score", "count", "n", "share"))
    if s is None or s.empty:
        return _no_data(title, xlabel, ylabel)
    s = s.sort_values(ascending=False, kind="stable")
    return _hbar(s, title, xlabel, ylabel, "", PALETTE[1],
                 f"Bar chart of {len(s)} trending terms, measured as {xlabel}",
                 percent=(value_col == "share" and value_label is None))


def _as_series(obj: Any, label_cols: Sequence[str], value_cols: Sequence[str]) -> pd.Series | None:
    if obj is None:
        return None
    if isinstance(obj, pd.Series):
        s = obj
    elif isinstance(obj, pd.DataFrame):
        if obj.empty:
            return None
        lab = _label_col(obj, label_cols)
        val = _label_col(obj, value_cols)
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
    s.index = [_shorten(str(i)) for i in s.index]
    return s


def _shorten(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _hbar(s: pd.Series, title: str, xlabel: str, ylabel: str, unit_word: str, color: str, alt_start: str,
          percent: bool = False) -> Figure:
    fig, ax = _figure((8.5, max(2.6, 0.42 * len(s) + 1.3)))
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
    alt = f"{alt_start}. Largest: {listing}."
    return _finish(fig, ax, title, xlabel, ylabel, alt)


# --------------------------------------------------------------------------------------------------
# Campaign vs community charts (issue 3; notebooks/02_campaign_vs_community.ipynb)
# --------------------------------------------------------------------------------------------------

_KIND_COLORS = {"paid": PALETTE[3], "community": PALETTE[2], "organic": PALETTE[0]}
_KIND_NAMES = {"paid": "paid campaigns", "community": "community programmes", "organic": "organic"}


def lift_observed_vs_predicted(series: pd.DataFrame, title: str, unit: str, rel_lift: float = float("nan"),
                               rel_ci: tuple[float, float] = (float("nan"), float("nan"))) -> Figure:
    """Observed daily values vs the counterfactual prediction (pre-period fit and window forecast with its
    95 % band); the window is shaded. ``series`` is :attr:`helpers.stats.LiftEstimate.series`."""
    xlabel, ylabel = "Day (local)", f"{unit} per day"
    if _is_empty(series):
        return _no_data(title, xlabel, ylabel)
    fig, ax = _figure()
    ax.plot(series.index, series["observed"], color=PALETTE[0], lw=1.4, label="observed")
    ax.plot(series.index, series["predicted"], color=PALETTE[1], lw=1.4, ls="--", label="predicted without it")
    win = series[series["period"] == "window"]
    ax.fill_between(win.index, win["predicted_low"].clip(lower=0), win["predicted_high"], color=PALETTE[1],
                    alpha=0.2, label="95 % band of the prediction")
    if len(win):
        ax.axvspan(win.index[0], win.index[-1] + pd.Timedelta(days=1), color="#999999", alpha=0.12, lw=0)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.autofmt_xdate()
    lift = "n/a" if pd.isna(rel_lift) else f"{rel_lift * 100:+.0f} % (95 % CI {rel_ci[0] * 100:+.0f} % to " \
        f"{rel_ci[1] * 100:+.0f} %)"
    n_pre = int((series["period"] == "pre").sum())
    alt = (f"{title}. Observed {unit} per day against a model prediction fitted on the {n_pre} "
           f"days before the window ({len(win)} days, shaded). Relative lift {lift}.")
    return _finish(fig, ax, title, xlabel, ylabel, alt)


def rate_ratio_forest(rr: pd.DataFrame, title: str = "Comments per post vs organic posts") -> Figure:
    """Rate ratios with 95 % CIs (log scale), one row per group; 1 = the organic rate."""
    xlabel, ylabel = "Rate ratio vs organic posts (×, log scale)", "Posts of"
    if _is_empty(rr):
        return _no_data(title, xlabel, ylabel)
    fig, ax = _figure((8.0, 1.2 + 0.6 * len(rr)))
    ys = np.arange(len(rr))[::-1]
    for y, (_, r) in zip(ys, rr.iterrows()):
        color = _KIND_COLORS.get(str(r["group"]), PALETTE[4])
        ax.errorbar(r["rate_ratio"], y, xerr=[[r["rate_ratio"] - r["ci_low"]], [r["ci_high"] - r["rate_ratio"]]],
                    fmt="o", color=color, capsize=4)
        ax.text(r["ci_high"], y, f"  {r['rate_ratio']:.2f}× (n = {int(r['n'])})", va="center", fontsize=8)
    ax.axvline(1.0, color="#555555", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_yticks(ys, [_KIND_NAMES.get(str(g), str(g)) for g in rr["group"]])
    ax.set_ylim(-0.7, len(rr) - 0.3)
    listing = "; ".join(f"{_KIND_NAMES.get(str(r['group']), r['group'])} {r['rate_ratio']:.2f}× (95 % CI "
                        f"{r['ci_low']:.2f}–{r['ci_high']:.2f})" for _, r in rr.iterrows())
    return _finish(fig, ax, title, xlabel, ylabel, f"{title}: {listing}.")


def retention_bars(retention: pd.DataFrame, retention_days: int) -> Figure:
    """Share of each cohort still active after ``retention_days`` with 95 % Wilson intervals."""
    title = f"Members still active {retention_days} days after their first message"
    xlabel, ylabel = "Cohort (window of the first message)", "Retained (share of members)"
    data = retention[retention["n"] > 0] if not _is_empty(retention) else retention
    if _is_empty(data):
        return _no_data(title, xlabel, ylabel)
    fig, ax = _figure((7.5, 4.2))
    x = np.arange(len(data))
    vals = data["retention"].to_numpy(float)
    err = np.vstack([vals - data["ci_low"].to_numpy(float), data["ci_high"].to_numpy(float) - vals])
    ax.bar(x, vals, color=[_KIND_COLORS.get(c, PALETTE[4]) for c in data["cohort"]], yerr=err, capsize=5)
    for xi, v, n in zip(x, vals, data["n"]):
        ax.text(xi, 0.02, f"{v * 100:.0f} %\nn = {int(n)}", ha="center", va="bottom", fontsize=8, color="white")
    ax.set_xticks(x, [_KIND_NAMES.get(c, c) for c in data["cohort"]])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    listing = ", ".join(f"{_KIND_NAMES.get(r['cohort'], r['cohort'])} {_pct(r['retention'])} (95 % CI "
                        f"{_pct(r['ci_low'])}–{_pct(r['ci_high'])}, n = {int(r['n'])})" for _, r in data.iterrows())
    return _finish(fig, ax, title, xlabel, ylabel, f"{title}: {listing}.")


def survival_curves_plot(curves: pd.DataFrame, retention_days: int) -> Figure:
    """Kaplan–Meier curves per cohort: share of members still active t days after their first message."""
    title = "How long members stay active, by cohort (Kaplan–Meier)"
    xlabel, ylabel = "Days since first message", "Still active (share of cohort)"
    if _is_empty(curves):
        return _no_data(title, xlabel, ylabel)
    fig, ax = _figure()
    parts = []
    for cohort, c in curves.groupby("cohort", sort=False):
        color = _KIND_COLORS.get(str(cohort), PALETTE[4])
        ax.step(c["time"], c["survival"], where="post", color=color, label=_KIND_NAMES.get(str(cohort), cohort))
        ax.fill_between(c["time"], c["ci_low"], c["ci_high"], step="post", color=color, alpha=0.15)
        before = c[c["time"] <= retention_days]
        s = float(before["survival"].iloc[-1]) if len(before) else float("nan")
        parts.append(f"{_KIND_NAMES.get(str(cohort), cohort)} {_pct(s)} at {retention_days} days")
    ax.axvline(retention_days, color="#555555", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(frameon=False, fontsize=8)
    return _finish(fig, ax, title, xlabel, ylabel, f"{title}: " + "; ".join(parts) + ".")


def cost_per_member_bars(costs: pd.DataFrame) -> Figure:
    """Cost per engaged and per retained member, paid campaigns vs community programmes, with intervals."""
    cur = str(costs["currency"].iloc[0]) if not _is_empty(costs) else ""
    title = "Cost per engaged and per retained member"
    xlabel, ylabel = "", f"Cost per member ({cur})" if cur else "Cost per member"
    data = costs[costs["cost"].notna()] if not _is_empty(costs) else costs
    if _is_empty(data):
        return _no_data(title, xlabel, ylabel, "No budgets or no members to divide them by.")
    fig, ax = _figure((8.0, 4.2))
    labels = [f"{_KIND_NAMES.get(r['kind'], r['kind'])}\nper {r['per']}" for _, r in data.iterrows()]
    vals = data["cost"].to_numpy(float)
    low = np.nan_to_num(vals - data["ci_low"].to_numpy(float), nan=0.0)
    high = np.nan_to_num(data["ci_high"].to_numpy(float) - vals, nan=0.0)
    ax.bar(np.arange(len(data)), vals, color=[_KIND_COLORS.get(k, PALETTE[4]) for k in data["kind"]],
           yerr=np.vstack([low, high]), capsize=5)
    ax.set_xticks(np.arange(len(data)), labels, fontsize=8)
    listing = "; ".join(f"{_KIND_NAMES.get(r['kind'], r['kind'])} per {r['per']} {r['cost']:,.0f} {cur} "
                        f"(n = {int(r['members'])})" for _, r in data.iterrows())
    return _finish(fig, ax, title, xlabel, ylabel, f"{title}: {listing}.")


# --------------------------------------------------------------------------------------------------
# Crisis post-mortem charts (issue 4; notebooks/03_crisis_postmortem.ipynb)
# --------------------------------------------------------------------------------------------------

__all__ += ["crisis_timeline", "crisis_terms_bar", "reply_effect_hist"]


def crisis_timeline(hourly: pd.DataFrame, onset: Any, first_response: Any = None, peak: Any = None,
                    recovery: Any = None, band_upper: float = float("nan"), baseline_share: float = float("nan"),
                    statements: Sequence[Any] = (), timezone: str = "UTC") -> Figure:
    """Crisis timeline: hourly member messages (top) and the 24-hour negative share with the baseline band
    (bottom); onset, first response, peak and recovery marked, phases shaded, statements as triangles.

    ``hourly`` is :attr:`helpers.crisis.Crisis.hourly` (index: UTC hour; columns volume, negative_share).
    Times are shown in ``timezone``.
    """
    title = "Crisis timeline: volume, negative share and phases"
    if _is_empty(hourly) or onset is None:
        return _no_data(title, f"time ({timezone})", "member messages per hour")
    idx = hourly.index.tz_convert(timezone)
    loc = (lambda t: None if t is None or pd.isna(t) else pd.Timestamp(t).tz_convert(timezone))
    on, fr, pk, rc = loc(onset), loc(first_response), loc(peak), loc(recovery)
    fig = Figure(figsize=(10.0, 6.2), dpi=100, layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.3])
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
    ax1.fill_between(idx, hourly["volume"].to_numpy(float), step="post", color=PALETTE[0], lw=0)
    ax1.set_ylabel("member messages per hour")
    share = hourly["negative_share"].to_numpy(float)
    ax2.plot(idx, share, color=SENTIMENT_COLORS["negative"], lw=1.6, label="negative share (24-h window)")
    if not pd.isna(band_upper):
        ax2.axhspan(0, band_upper, color="#BBBBBB", alpha=0.35, label="baseline band")
    if not pd.isna(baseline_share):
        ax2.axhline(baseline_share, color="#555555", lw=0.8, ls=":", label="baseline negative share")
    end = idx[-1]
    phases = [(on, fr or end, "#E69F00", "escalation"), (fr, rc or end, "#56B4E9", "response"),
              (rc, end, "#009E73", "recovered")]
    for a, b, color, name in phases:
        if a is not None and b is not None and b > a:
            for ax in (ax1, ax2):
                ax.axvspan(a, b, color=color, alpha=0.12, label=name if ax is ax2 else None)
    marks = [(on, "onset", "#000000", "-"), (fr, "first response", PALETTE[4], "--"), (pk, "peak", PALETTE[3], ":"),
             (rc, "recovery", PALETTE[2], "-.")]
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
                    label="organisation statements")
        ax1.legend(frameon=False, fontsize=8, loc="upper right")
    ax2.set_ylim(0, 1)
    ax2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax2.set_ylabel("negative share of scored\nmember messages")
    ax2.legend(frameon=False, fontsize=7, loc="upper right", ncols=2)
    ax1.set_title(title, fontsize=12, loc="left")
    ax2.set_xlabel(f"time ({timezone})")
    fmt = (lambda t: "n/a" if t is None else f"{t:%Y-%m-%d %H:%M}")
    peak_share = float(np.nanmax(share)) if np.isfinite(share).any() else float("nan")
    fig._alt_text = (f"{title}. Onset {fmt(on)}, first response {fmt(fr)}, peak {fmt(pk)}, recovery {fmt(rc)} "
                     f"({timezone}). Highest 24-hour negative share {_pct(peak_share)}; baseline band up to "
                     f"{_pct(band_upper)}; {len(st)} statement(s) marked.")  # type: ignore[attr-defined]
    return fig


def crisis_terms_bar(terms: pd.DataFrame) -> Figure:
    """Terms distinctive of the crisis window (weighted log-odds z-scores) as horizontal bars."""
    title = "What people complained about: terms distinctive of the crisis"
    xlabel, ylabel = "distinctiveness (z-score of weighted log-odds)", "term"
    if _is_empty(terms):
        return _no_data(title, xlabel, ylabel)
    s = pd.Series(terms["z"].to_numpy(float), index=[_shorten(str(t)) for t in terms["term"]])
    return _hbar(s, title, xlabel, ylabel, "", SENTIMENT_COLORS["negative"],
                 f"Bar chart of {len(s)} terms distinctive of the crisis window vs the baseline, by z-score")


def reply_effect_hist(pairs: pd.DataFrame, effect: float = float("nan")) -> Figure:
    """Per conversation: member sentiment after the organisation's reply minus before it (histogram)."""
    title = "Member sentiment after vs before the organisation's reply"
    xlabel, ylabel = "change after the reply (sentiment −1 … +1 scale)", "conversations"
    if _is_empty(pairs):
        return _no_data(title, xlabel, ylabel, "No conversation with messages before and after a reply.")
    fig, ax = _figure((8.0, 4.0))
    d = pairs["diff"].to_numpy(float)
    ax.hist(d, bins=np.linspace(-2, 2, 17), color=PALETTE[0], edgecolor="white")
    ax.axvline(0, color="#555555", lw=0.8)
    if not pd.isna(effect):
        ax.axvline(effect, color=PALETTE[3], lw=1.6, ls="--", label=f"mean {effect:+.2f}")
        ax.legend(frameon=False, fontsize=8)
    calmer, angrier = int((d > 0).sum()), int((d < 0).sum())
    return _finish(fig, ax, title, xlabel, ylabel,
                   f"{title}: {len(d)} conversations, {calmer} calmer and {angrier} angrier after the reply; "
                   f"mean change {effect:+.2f}.")
