"""The watch's confirmation rules on constructed hourly series: a single channel's burst of negatives raises an
alert only when its brand on all channels shows the negative turn too (:func:`window.brand_corroborates`)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers import crisis
from helpers.watch import job, window

T0 = pd.Timestamp("2025-03-01", tz="UTC")
DAYS = 30
ONSET_HOUR = 24 * 24 + 8  # day 24, 08:00 UTC
AS_OF = T0 + pd.Timedelta(hours=ONSET_HOUR + 7)


def _channel(rng: np.random.Generator, channel: str, rate: float, negative: float, burst_rate: float = 0.0,
             burst_negative: float = 0.0, burst_hours: int = 0) -> pd.DataFrame:
    """Member messages of one channel: Poisson ``rate`` per hour with ``negative`` share (0–1), plus a burst of
    ``burst_rate`` per hour with ``burst_negative`` share over ``burst_hours`` from the onset; all scored."""
    n = DAYS * 24
    rates = np.full(n, rate)
    shares = np.full(n, negative)
    rates[ONSET_HOUR:ONSET_HOUR + burst_hours] += burst_rate
    mixed = (rate * negative + burst_rate * burst_negative) / max(rate + burst_rate, 1e-9)
    shares[ONSET_HOUR:ONSET_HOUR + burst_hours] = mixed
    hours = np.repeat(np.arange(n), rng.poisson(rates))
    neg = rng.random(len(hours)) < shares[hours]
    created = T0 + pd.to_timedelta(hours * 3600 + rng.integers(0, 3600, len(hours)), unit="s")
    return pd.DataFrame({"created_at": created, "channel": channel, "label": np.where(neg, -1.0, 0.0)})


def _data(busy_rate: float, seed: int = 3) -> crisis.CrisisData:
    """Brand B on a busy channel (``busy_rate`` per hour) and a quiet one (0.3 per hour) whose 6-hour burst of
    3 extra messages an hour is 90 % negative; baseline negative share 0.2 on both."""
    rng = np.random.default_rng(seed)
    df = pd.concat([_channel(rng, "busy", busy_rate, 0.2),
                    _channel(rng, "quiet", 0.3, 0.2, burst_rate=3.0, burst_negative=0.9, burst_hours=6)])
    df = df.sort_values("created_at", kind="stable").reset_index(drop=True)
    df["message_id"] = [f"m{i}" for i in range(len(df))]
    df["author_id"] = [f"m_{i % 700:012x}" for i in range(len(df))]
    df["author_role"], df["brand"], df["text"], df["parent_id"] = "member", "B", "x", None
    return crisis.CrisisData(dataset=None, messages=df, timezone="UTC", languages=["en"],  # type: ignore[arg-type]
                             sentiment_backend="textblob", data_dir=Path("."))


def _quiet_channel_alerts(data: crisis.CrisisData, with_brand: bool) -> list[window.Alert]:
    start = AS_OF - pd.Timedelta(hours=window.history_hours(window.DEFAULT_WINDOW_HOURS, 14))
    scope = window.Scope("B", "quiet")
    brand_sub = window.scope_data(data, window.Scope("B", window.ALL_CHANNELS), start, AS_OF) if with_brand else None
    return window.check_scope(window.scope_data(data, scope, start, AS_OF), scope, AS_OF, brand_sub=brand_sub)


def test_a_channel_burst_its_brand_does_not_see_raises_no_alert():
    data = _data(busy_rate=100.0)  # the quiet channel's burst is lost among the busy channel's messages
    assert _quiet_channel_alerts(data, with_brand=False), "the channel alone would alarm"
    assert not _quiet_channel_alerts(data, with_brand=True)
    assert job.check(data, AS_OF) == []


def test_a_channel_burst_its_brand_sees_raises_the_alert():
    data = _data(busy_rate=1.0)  # the burst is a large part of the brand's messages
    assert _quiet_channel_alerts(data, with_brand=True)
    alerts = job.check(data, AS_OF)
    assert len(alerts) == 1 and alerts[0].brand == "B"
    assert abs(alerts[0].onset_at - (T0 + pd.Timedelta(hours=ONSET_HOUR))) <= pd.Timedelta(hours=2)
    assert "quiet" in {s["channel"] for s in alerts[0].scopes}
    # three hours into the burst the channel alarms but its few messages confirm nothing yet: no alert, no error
    assert job.check(data, T0 + pd.Timedelta(hours=ONSET_HOUR + 3)) == []


def test_brand_corroborates_needs_enough_scored_messages():
    data = _data(busy_rate=1.0)
    onset = T0 + pd.Timedelta(hours=ONSET_HOUR)
    early = window.scope_data(data, window.Scope("B", window.ALL_CHANNELS), None, onset + pd.Timedelta(minutes=20))
    assert not window.brand_corroborates(early, onset)  # a few messages since the onset: "unknown", no
    later = window.scope_data(data, window.Scope("B", window.ALL_CHANNELS), None, AS_OF)
    assert window.brand_corroborates(later, onset)
