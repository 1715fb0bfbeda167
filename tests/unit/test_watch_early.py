"""The early warning's two faster rules (issue 15) on constructed hourly series.

* the detector's onset search (:func:`helpers.crisis.detect_candidates`) keeps an episode whose burst of
  negatives lies in a span that holds no more *volume* than its baseline (a quiet night or holiday before it);
* the watch confirms an episode with fewer than 10 scored messages since its onset by an exact binomial test
  at the level of ``CONFIRM_Z`` (:func:`window.few_scored_confirms`), where the detector's test says "unknown".

Each rule fires on the shape it targets and not on noise or on a burst of volume without negativity.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import crisis
from helpers.watch import job, window

T0 = pd.Timestamp("2025-03-01", tz="UTC")
DAYS = 24
ONSET_HOUR = 20 * 24 + 8  # day 20, 08:00 UTC
P0 = 0.2  # baseline negative share


def _data(rates: np.ndarray, shares: np.ndarray, seed: int, minute: int | None = None) -> crisis.CrisisData:
    """Scored member messages of brand B on one channel: Poisson ``rates[h]`` per hour ``h`` from T0, each
    negative with probability ``shares[h]`` (0–1); ``minute``: the onset hour's messages come after it."""
    rng = np.random.default_rng(seed)
    hours = np.repeat(np.arange(len(rates)), rng.poisson(rates))
    negative = rng.random(len(hours)) < shares[hours]
    seconds = rng.integers(0, 3600, len(hours))
    if minute is not None:
        at_onset = hours == ONSET_HOUR
        seconds[at_onset] = rng.integers(minute * 60, 3600, int(at_onset.sum()))
    created = T0 + pd.to_timedelta(hours * 3600 + seconds, unit="s")
    df = pd.DataFrame({"created_at": created, "label": np.where(negative, -1.0, 0.0)})
    df = df.sort_values("created_at", kind="stable").reset_index(drop=True)
    df["message_id"] = [f"m{i}" for i in range(len(df))]
    df["author_id"] = [f"m_{i % 500:012x}" for i in range(len(df))]
    df["author_role"], df["brand"], df["channel"], df["text"], df["parent_id"] = "member", "B", "web", "x", None
    return crisis.CrisisData(dataset=None, messages=df, timezone="UTC", languages=["en"],  # type: ignore[arg-type]
                             sentiment_backend="textblob", data_dir=Path("."))


def _lull_then_burst(burst_rate: float, burst_share: float, lull_hours: int = 36,
                     burst_hours: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """1 message an hour at share P0, then ``lull_hours`` at 0.15 an hour before the onset (a quiet holiday), then
    ``burst_hours`` of ``burst_rate`` an hour at ``burst_share``."""
    n = DAYS * 24
    rates, shares = np.full(n, 1.0), np.full(n, P0)
    rates[ONSET_HOUR - lull_hours:ONSET_HOUR] = 0.15
    rates[ONSET_HOUR:ONSET_HOUR + burst_hours] = burst_rate
    shares[ONSET_HOUR:ONSET_HOUR + burst_hours] = burst_share
    rates[ONSET_HOUR + burst_hours:] = 0.15
    return rates, shares


def _candidates(data: crisis.CrisisData, as_of: pd.Timestamp) -> pd.DataFrame:
    sub = window.scope_data(data, window.Scope("B", window.ALL_CHANNELS), None, as_of)
    return crisis.detect_candidates(sub, alarms=window.WATCH_ALARMS, window_days=2)


def _volume_only_guard(times, lo, hi, profile, timezone, negatives=None, neg_profile=None):
    """The onset search as it was: no episode unless the span's volume exceeds its baseline."""
    step = pd.Timedelta(minutes=crisis.CHANGEPOINT_BIN_MINUTES)
    inside = times[(times >= lo) & (times < hi)]
    hours = pd.date_range(lo, hi, freq=step)[:-1].tz_convert(timezone).hour.to_numpy()
    if len(inside) <= (profile[hours] * crisis.CHANGEPOINT_BIN_MINUTES / 60.0).sum():
        return None
    return ORIGINAL(times, lo, hi, profile, timezone, negatives, neg_profile)


ORIGINAL = crisis._onset_changepoint


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_burst_of_negatives_after_a_lull_is_an_episode(seed, monkeypatch):
    data = _data(*_lull_then_burst(burst_rate=6.0, burst_share=0.9), seed=seed)
    as_of = T0 + pd.Timedelta(hours=ONSET_HOUR + 3)
    m = data.messages
    span = m[(m["created_at"] >= as_of - pd.Timedelta(hours=40)) & (m["created_at"] < as_of)]
    assert len(span) < 40, "the span around the alarm holds less volume than its baseline (1 an hour)"
    cands = _candidates(data, as_of)
    assert len(cands) == 1
    onset = pd.Timestamp(cands["onset_at"].iloc[0])
    assert -pd.Timedelta(hours=1) <= onset - (T0 + pd.Timedelta(hours=ONSET_HOUR)) <= pd.Timedelta(hours=2)
    assert cands["negativity"].iloc[0] == "negative"
    assert job.check(data, as_of), "the watch raises the alert"
    monkeypatch.setattr(crisis, "_onset_changepoint", _volume_only_guard)
    assert _candidates(data, as_of).empty, "with the volume-only guard the detector found no episode"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_lull_alone_or_with_a_burst_of_neutral_volume_is_no_episode(seed):
    quiet = _data(*_lull_then_burst(burst_rate=0.15, burst_share=P0), seed=seed)
    as_of = T0 + pd.Timedelta(hours=ONSET_HOUR + 3)
    assert _candidates(quiet, as_of).empty
    # 4 messages an hour at the baseline's share: not enough volume for the 24-hour alarm, too few negatives
    # for the 3-hour one — and the watch raises nothing
    neutral = _data(*_lull_then_burst(burst_rate=4.0, burst_share=P0), seed=seed)
    assert all(job.check(neutral, T0 + pd.Timedelta(hours=ONSET_HOUR + h)) == [] for h in range(1, 7))


def test_exact_negative_tail():
    assert window.exact_negative_tail(7, 7, 0.2) == pytest.approx(0.2 ** 7)
    assert window.exact_negative_tail(8, 9, 0.2) == pytest.approx(9 * 0.2 ** 8 * 0.8 + 0.2 ** 9)
    assert window.exact_negative_tail(0, 5, 0.2) == pytest.approx(1.0)
    assert window.exact_negative_tail(1, 5, 0.0) == pytest.approx(1 - 0.99 ** 5)  # p0 floored at 0.01
    assert window.exact_negative_tail(3, 0, 0.2) == 1.0 and window.exact_negative_tail(3, 5, math.nan) == 1.0


def _row(negatives: int, scored: int, status: str = "unknown", p0: float = P0) -> pd.Series:
    return pd.Series({"onset_at": T0, "negativity": status, "z_negative": math.nan, "scored_48h": scored,
                      "negative_share_48h": negatives / scored if scored else math.nan,
                      "baseline_negative_share": p0})


def test_few_scored_confirms_at_the_level_of_confirm_z():
    level = 0.5 * math.erfc(window.CONFIRM_Z / math.sqrt(2))  # ≈ 3.2e-5
    assert window.exact_negative_tail(8, 9, P0) <= level < window.exact_negative_tail(7, 9, P0)
    assert window.few_scored_confirms(_row(8, 9)) and window.few_scored_confirms(_row(7, 7))
    assert not window.few_scored_confirms(_row(6, 7))  # 6 of 7: P ≈ 3.7e-4, wait for more messages
    assert not window.few_scored_confirms(_row(5, 5))
    assert not window.few_scored_confirms(_row(9, 9, p0=0.5))  # a baseline already half negative
    assert not window.few_scored_confirms(_row(10, 10, status="negative"))  # ≥ 10: the detector's test decides
    assert not window.few_scored_confirms(_row(0, 0))
    assert window.confirms(_row(8, 9), pd.DataFrame(), T0)


def _outage(share: float, volume: float = 10.0, p0: float = P0) -> tuple[np.ndarray, np.ndarray]:
    """0.8 messages an hour at share ``p0``; from the onset (its hour's second half) ``volume`` an hour at ``share``."""
    n = DAYS * 24
    rates, shares = np.full(n, 0.8), np.full(n, p0)
    rates[ONSET_HOUR:] = volume
    shares[ONSET_HOUR:] = share
    rates[ONSET_HOUR] = volume / 2
    return rates, shares


def test_a_sharp_outage_alerts_before_ten_messages_are_scored(monkeypatch):
    # 5 messages an hour, nearly all complaints, on a baseline of 0.8 an hour at a negative share of 0.1:
    # 6–9 scored messages in the first 1.5 hours
    onset = T0 + pd.Timedelta(hours=ONSET_HOUR, minutes=30)
    as_of = onset + pd.Timedelta(hours=1.5)
    datasets = [_data(*_outage(share=0.97, volume=5.0, p0=0.1), seed=seed, minute=30) for seed in range(1, 9)]
    alerted = [job.check(data, as_of) for data in datasets]
    assert sum(len(a) == 1 for a in alerted) >= 6
    assert all(abs(a[0].onset_at - onset) <= pd.Timedelta(hours=3) for a in alerted if a)
    few = sum(bool(a) and a[0].negative_share["since_onset_n"] < crisis.CONFIRM_MIN_SCORED for a in alerted)
    assert few >= 4, "most of them before the detector's test has its 10 scored messages"
    monkeypatch.setattr(window, "few_scored_confirms", lambda c: False)
    assert sum(bool(job.check(data, as_of)) for data in datasets) <= sum(map(bool, alerted)) - few


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_no_alert_on_noise_or_a_burst_of_volume_at_the_baseline_share(seed):
    n = DAYS * 24
    noise = _data(np.full(n, 0.8), np.full(n, P0), seed=seed)
    assert all(job.check(noise, T0 + pd.Timedelta(hours=h)) == [] for h in range(ONSET_HOUR - 48, n, 3))
    burst = _data(*_outage(share=P0, volume=6.0), seed=seed, minute=30)
    onset = T0 + pd.Timedelta(hours=ONSET_HOUR, minutes=30)
    assert all(job.check(burst, onset + pd.Timedelta(hours=h + 0.5)) == [] for h in range(0, 8))
