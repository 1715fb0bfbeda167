"""The watch's cumulative-excess confirmation (:func:`window.negative_cusum`, :func:`window.confirms`) on
constructed hourly series: it fires on a slow ramp of negativity (earlier than the share test at z ≥ 4), and
not on noise or on a burst of volume with the baseline's negative share. The rule is off by default
(``CUSUM_H`` infinite: replays showed no gain); these tests switch it on at the textbook h = 5 for k = 0.5."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import crisis
from helpers.watch import job, window

T0 = pd.Timestamp("2025-03-01", tz="UTC")
DAYS = 24
ONSET_HOUR = 20 * 24 + 8  # day 20, 08:00 UTC
ONSET = T0 + pd.Timedelta(hours=ONSET_HOUR)
P0 = 0.2  # baseline negative share
H = 5.0  # the textbook decision threshold for k = 0.5 (in-control run length about 465 hours)


@pytest.fixture
def cusum_on(monkeypatch):
    monkeypatch.setattr(window, "CUSUM_H", H)


def _data(rates: np.ndarray, shares: np.ndarray, seed: int) -> crisis.CrisisData:
    """Scored member messages of brand B on one channel: Poisson ``rates[h]`` per hour ``h`` from T0, each
    negative with probability ``shares[h]`` (0–1)."""
    rng = np.random.default_rng(seed)
    hours = np.repeat(np.arange(len(rates)), rng.poisson(rates))
    negative = rng.random(len(hours)) < shares[hours]
    created = T0 + pd.to_timedelta(hours * 3600 + rng.integers(0, 3600, len(hours)), unit="s")
    df = pd.DataFrame({"created_at": created, "label": np.where(negative, -1.0, 0.0)})
    df = df.sort_values("created_at", kind="stable").reset_index(drop=True)
    df["message_id"] = [f"m{i}" for i in range(len(df))]
    df["author_id"] = [f"m_{i % 500:012x}" for i in range(len(df))]
    df["author_role"], df["brand"], df["channel"], df["text"], df["parent_id"] = "member", "B", "web", "x", None
    return crisis.CrisisData(dataset=None, messages=df, timezone="UTC", languages=["en"],  # type: ignore[arg-type]
                             sentiment_backend="textblob", data_dir=Path("."))


def _series(rate: float = 2.0, volume: float = 1.0, share: float = P0, ramp_hours: int = 12,
            burst_hours: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hourly rates and negative shares: ``rate`` per hour at share P0, then from the onset a linear ramp over
    ``ramp_hours`` to ``volume`` × the rate and ``share`` (held; ``burst_hours``: back to normal after that)."""
    n = DAYS * 24
    f = np.clip((np.arange(n) - ONSET_HOUR + 1) / ramp_hours, 0.0, 1.0)
    if burst_hours is not None:
        f[ONSET_HOUR + burst_hours:] = 0.0
    return rate * (1 + (volume - 1) * f), P0 + (share - P0) * f


def _first_alert(data: crisis.CrisisData, hours: int = 16) -> int | None:
    """Hours after the onset of the first hourly check that raises an alert (None: none in ``hours``)."""
    for h in range(1, hours + 1):
        if job.check(data, ONSET + pd.Timedelta(hours=h)):
            return h
    return None


def test_cusum_adds_up_a_slow_ramp_of_negatives():
    data = _data(*_series(volume=3.0, share=0.5), seed=3)
    m = data.messages
    values = [window.negative_cusum(m[m["created_at"] < ONSET + pd.Timedelta(hours=h)], ONSET,
                                    ONSET + pd.Timedelta(hours=h)) for h in (2, 6, 12, 16)]
    assert values == sorted(values) and values[-1] >= H  # only grows while the ramp holds
    assert values[0] < H  # two hours of a slow ramp are not enough


def test_slow_ramp_alerts_earlier_than_the_share_test_alone(cusum_on, monkeypatch):
    data = _data(*_series(volume=3.0, share=0.5), seed=3)
    with_cusum = _first_alert(data)
    assert with_cusum is not None
    alert = job.check(data, ONSET + pd.Timedelta(hours=with_cusum))[0]
    # the episode and its onset are the detector's own (the post-mortem's), within the ramp's first hours
    cands = crisis.detect_candidates(window.scope_data(data, window.Scope("B", window.ALL_CHANNELS), None,
                                                       alert.as_of), alarms=window.WATCH_ALARMS, window_days=2)
    assert alert.onset_at in set(cands["onset_at"])
    assert pd.Timedelta(0) <= alert.onset_at - ONSET <= pd.Timedelta(hours=6)
    assert alert.negative_share["since_onset"] > alert.negative_share["baseline"]
    monkeypatch.setattr(window, "CUSUM_H", np.inf)  # the default: the share test at z ≥ 4 alone
    without = _first_alert(data)
    assert without is None or without > with_cusum


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_cusum_stays_low_on_noise(cusum_on, seed):
    data = _data(*_series(volume=1.0, share=P0), seed=seed)  # no change at all
    m = data.messages
    # a check every 3 hours over the last four days, each as if a detector episode began 12 hours before:
    # on its own the CUSUM would cross h now and then (hence it only confirms the detector's episodes) …
    checks = [T0 + pd.Timedelta(hours=h) for h in range(ONSET_HOUR - 96, DAYS * 24, 3)]
    values = np.array([window.negative_cusum(m[m["created_at"] < t], t - pd.Timedelta(hours=12), t) for t in checks])
    assert np.median(values) < H / 2 and (values >= H).mean() <= 0.1
    assert _first_alert(data, hours=12) is None  # … and the watch raises nothing


def test_burst_of_volume_without_negativity_adds_nothing(cusum_on):
    data = _data(*_series(rate=2.0, volume=8.0, share=P0, ramp_hours=1, burst_hours=4), seed=5)
    m = data.messages
    as_of = ONSET + pd.Timedelta(hours=6)
    sub = window.scope_data(data, window.Scope("B", window.ALL_CHANNELS), None, as_of)
    cands = crisis.detect_candidates(sub, alarms=window.WATCH_ALARMS, window_days=2)
    assert len(cands) and (cands["alarm_at"] >= ONSET).any(), "the burst itself sets off the detector's alarm"
    # 64 extra messages at the baseline's share: no more than noise gives (counting them as excess would give 3–4)
    assert window.negative_cusum(m[m["created_at"] < as_of], ONSET, as_of) < H / 4
    assert not any(window.confirms(c, sub.messages, as_of) for _, c in cands.iterrows())
    assert _first_alert(data, hours=8) is None


def test_confirms_needs_the_detectors_own_negative_verdict(cusum_on):
    data = _data(*_series(volume=3.0, share=0.5), seed=3)
    as_of = ONSET + pd.Timedelta(hours=16)
    m = data.messages[data.messages["created_at"] < as_of]
    assert window.negative_cusum(m, ONSET, as_of) >= H
    row = pd.Series({"onset_at": ONSET, "negativity": "unknown", "z_negative": np.nan})
    assert not window.confirms(row, m, as_of)  # under 10 scored messages the detector does not know: no alert
    assert window.confirms(row.replace({"unknown": "negative"}), m, as_of)


def test_the_rule_is_off_by_default():
    assert window.CUSUM_H == np.inf
    data = _data(*_series(volume=3.0, share=0.5), seed=3)
    as_of = ONSET + pd.Timedelta(hours=16)
    m = data.messages[data.messages["created_at"] < as_of]
    row = pd.Series({"onset_at": ONSET, "negativity": "negative", "z_negative": 3.0})
    assert window.negative_cusum(m, ONSET, as_of) >= H and not window.confirms(row, m, as_of)
