"""helpers.plots: every chart builds on a tiny input, is labelled with units, and survives empty input."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import metrics as m  # noqa: E402
from helpers import plots  # noqa: E402

UNITS = ("messages", "hours", "%", "count", "members", "hour", "questions", "×", "units")


def _main_ax(fig: Figure):
    """The plotting axes (not a colorbar)."""
    return max(fig.axes, key=lambda ax: ax.get_position().width * ax.get_position().height)


def check(fig: Figure, *, x_unit: str | None = None, y_unit: str | None = None) -> str:
    assert isinstance(fig, Figure)
    ax = _main_ax(fig)
    title = ax.get_title(loc="left") or ax.get_title()
    assert title.strip(), "missing title"
    xl, yl = ax.get_xlabel(), ax.get_ylabel()
    assert xl.strip() and yl.strip(), "missing axis label"
    assert any(u in xl or u in yl for u in UNITS), (xl, yl)
    if x_unit:
        assert x_unit in xl, xl
    if y_unit:
        assert y_unit in yl, yl
    text = plots.describe(fig)
    assert text and len(text) > 20
    fig.savefig(io.BytesIO(), format="png", dpi=30)  # renders without error (low dpi: fast)
    return text


def is_no_data(fig: Figure) -> bool:
    return any("No data" in t.get_text() for ax in fig.axes for t in ax.texts)


# ---------------------------------------------------------------- tiny inputs


T0 = pd.Timestamp("2024-03-04 09:00", tz="UTC")


@pytest.fixture
def messages() -> pd.DataFrame:
    rows = []
    for i in range(12):
        rows.append({"message_id": f"o{i}", "parent_id": None, "author_role": "member", "author_id": f"u{i % 4}",
                     "channel": "facebook" if i % 3 else "instagram", "created_at": T0 + pd.Timedelta(hours=9 * i)})
        if i % 4:
            rows.append({"message_id": f"r{i}", "parent_id": f"o{i}", "author_role": "brand", "author_id": "brand",
                         "channel": "facebook", "created_at": T0 + pd.Timedelta(hours=9 * i + 0.5 * i)})
    df = pd.DataFrame(rows)
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    return df


@pytest.fixture
def fr(messages) -> pd.DataFrame:
    return m.first_responses(messages)


# ---------------------------------------------------------------- charts


def test_activity_over_time(messages):
    fig = plots.activity_over_time(m.activity_by_channel(messages))
    text = check(fig, y_unit="messages per week")
    assert "channel" in text
    empty = plots.activity_over_time(m.activity_by_channel(messages.iloc[0:0]))
    check(empty, y_unit="messages")
    assert is_no_data(empty)
    daily = plots.activity_over_time(m.activity_by_channel(messages, freq="D"))
    assert "per day" in _main_ax(daily).get_ylabel()


def test_weekday_hour_heatmap(messages):
    fig = plots.weekday_hour_heatmap(m.weekday_hour_matrix(messages, "Asia/Baku"), "Asia/Baku")
    text = check(fig, x_unit="hour")
    assert "Asia/Baku" in text and "busiest" in text
    assert any("count" in ax.get_ylabel() for ax in fig.axes)  # colour bar says what it counts
    assert is_no_data(plots.weekday_hour_heatmap(m.weekday_hour_matrix(messages.iloc[0:0], "UTC"), "UTC"))


def test_language_mix_bar():
    fig = plots.language_mix_bar({"ru": 0.6, "az": 0.3, "und": 0.1}, n=1000)
    text = check(fig, x_unit="%")
    assert "1,000" in _main_ax(fig).get_title(loc="left") and "ru 60 %" in text
    assert is_no_data(check_empty(plots.language_mix_bar({}, n=0)))


def check_empty(fig: Figure) -> Figure:
    check(fig)
    return fig


def test_sentiment_by_marks_not_scored():
    table = pd.DataFrame({
        "language": ["en", "ru"], "n": [10, 30], "n_scored": [10, 0], "coverage": [1.0, 0.0],
        "negative_share": [0.2, np.nan], "neutral_share": [0.5, np.nan], "positive_share": [0.3, np.nan],
    })
    fig = plots.sentiment_by(table, "language")
    text = check(fig, x_unit="%")
    texts = " ".join(t.get_text() for t in _main_ax(fig).texts)
    assert "not scored: 100 %" in texts and "not scored: 0 %" in texts
    assert "not counted as neutral" in text and "ru: none of 30" in text
    assert is_no_data(check_empty(plots.sentiment_by(table.iloc[0:0], ["language"])))


def test_sentiment_by_with_real_table():
    df = pd.DataFrame({"channel": ["x", "x", "fb"], "sentiment": ["negative", None, "positive"],
                       "scored": [True, False, True]})
    fig = plots.sentiment_by(m.sentiment_table(df, ["channel"]), ["channel"])
    check(fig)


def test_response_time_by_hour(fr):
    table = m.responsiveness_by(fr, "hour", timezone="Asia/Baku")
    fig = plots.response_time_by_hour(table)
    text = check(fig, y_unit="hours", x_unit="Asia/Baku")
    assert "median" in text
    empty = plots.response_time_by_hour(m.responsiveness_by(fr.iloc[0:0], "hour"))
    assert is_no_data(check_empty(empty))


def test_response_time_distribution(fr):
    fig = plots.response_time_distribution(fr, sla_hours=2)
    text = check(fig, x_unit="hours", y_unit="count")
    assert _main_ax(fig).get_xscale() == "log"
    assert any(abs(line.get_xdata()[0] - 2) < 1e-9 for line in _main_ax(fig).lines)  # SLA line
    assert "never answered" in text
    assert is_no_data(check_empty(plots.response_time_distribution(fr.iloc[0:0], sla_hours=2)))
    unanswered = fr.assign(answered=False, response_hours=np.nan)
    assert is_no_data(check_empty(plots.response_time_distribution(unanswered, sla_hours=2)))


def test_level_transitions_heatmap():
    ct = pd.DataFrame([[90, 3, 1, 0], [2, 4, 1, 0], [1, 0, 2, 1], [0, 0, 1, 2]], index=list(m.LEVELS),
                      columns=list(m.LEVELS), dtype="Int64")
    fig = plots.level_transitions_heatmap(ct)
    text = check(fig, x_unit="members", y_unit="members")
    assert "moved up" in text
    ct_unknown = ct.copy()
    ct_unknown.loc["observer", "observer"] = pd.NA
    fig = plots.level_transitions_heatmap(ct_unknown)
    assert any(t.get_text() == "n/a" for t in _main_ax(fig).texts)
    assert is_no_data(check_empty(plots.level_transitions_heatmap(ct.iloc[0:0])))


def test_question_clusters_bar():
    summary = pd.DataFrame({"cluster": [0, 1, 2], "label": ["opening hours", "delivery", "price"], "n": [12, 30, 5]})
    fig = plots.question_clusters_bar(summary, top_n=2)
    text = check(fig, x_unit="count")
    labels = [t.get_text() for t in _main_ax(fig).get_yticklabels()]
    assert labels == ["opening hours", "delivery"]  # top 2, largest at the top
    assert "delivery (30 questions)" in text
    assert is_no_data(check_empty(plots.question_clusters_bar(summary.iloc[0:0], top_n=5)))
    check(plots.question_clusters_bar({"a": 3, "b": 1}, top_n=5))


def test_trending_terms_bar():
    terms = pd.DataFrame({"term": ["outage", "refund", "app"], "lift": [4.5, 2.0, 1.2]})
    fig = plots.trending_terms_bar(terms)
    check(fig, x_unit="×")
    check(plots.trending_terms_bar(pd.Series({"outage": 40, "refund": 12})), x_unit="count")
    check(plots.trending_terms_bar(terms, value_label="lift (× vs. last month)"), x_unit="×")
    assert is_no_data(check_empty(plots.trending_terms_bar(pd.DataFrame(columns=["term", "count"]))))
    assert is_no_data(check_empty(plots.trending_terms_bar(None)))


def test_figures_are_not_registered_with_pyplot(messages):
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    plots.activity_over_time(m.activity_by_channel(messages))
    assert len(plt.get_fignums()) == before  # no double display in notebooks, no figure pile-up


def test_describe_falls_back_to_title():
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("Hello chart")
    assert plots.describe(fig) == "Hello chart"
