"""Watching a dataset: load and annotate it once, check as of a moment, remember raised episodes, replay.

:func:`load` annotates every message once (language, sentiment); :func:`check` runs the check of
:mod:`helpers.watch.window` on every scope as of a moment and merges the alerts into episodes;
:class:`AlertState` remembers the episodes already raised (so a cron job every hour does not raise the same
crisis 24 times); :func:`replay` runs the check as if at every step of a period, exactly as the hourly cron
job would have, and :func:`score_replay` compares the raised alerts with planted crises
(``ground_truth.json`` of ``python -m helpers synth``). Units: hours, times UTC.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import crisis, sentiment, text
from helpers.io import atomic_write_text, load_dataset, resolve_path
from helpers.watch.window import (ALL_CHANNELS, DEFAULT_WINDOW_HOURS, EPISODE_HOURS, WATCH_ALARMS, Alert, Scope,
                                  check_scope, describe, episodes, history_hours, scope_data, scopes)

__all__ = ["STATE_FILE", "load", "check", "describe_alert", "AlertState", "replay", "score_replay",
           "planted_crises"]

#: file in the --out folder remembering the episodes already raised
STATE_FILE = "watch_state.json"


def load(data_dir: str | Path, sentiment_backend: str | None = None, languages: Sequence[str] | None = None,
         progress: bool = False) -> crisis.CrisisData:
    """The whole dataset with every message annotated once (as notebook 03's ``prepare`` does).

    ``sentiment_backend`` None: ``"auto"`` (:func:`helpers.sentiment.choose_backend`: the dataset's own validated
    model when it reads the languages present, else TextBlob); ``languages`` None: the dataset's ``dataset.json``
    languages, else the workbook's default. Raises the dataset's validation error or CrisisError.
    """
    path = resolve_path(data_dir)
    if languages is None:
        meta_langs = load_dataset(path, validate=False).meta.get("languages")
        languages = list(meta_langs) if isinstance(meta_langs, list) and meta_langs else list(text.DEFAULT_LANGUAGES)
    backend = sentiment_backend or sentiment.AUTO
    return crisis.prepare(path, languages=languages, sentiment_backend=backend, progress=progress)


def check(data: crisis.CrisisData, as_of: pd.Timestamp, window_hours: float = DEFAULT_WINDOW_HOURS,
          baseline_days: int = crisis.DEFAULT_BASELINE_DAYS, brand: str | None = None,
          only: Sequence[Any] | None = None) -> list[Alert]:
    """Alerts (one per episode) as of ``as_of``: every scope sees only the messages before it.

    ``only`` (scopes) limits the check to those scopes (the replay's shortcut; None = all).
    """
    as_of = pd.Timestamp(as_of)
    start = as_of - pd.Timedelta(hours=history_hours(window_hours, baseline_days))
    found: list[Alert] = []
    brand_wide: dict[Any, crisis.CrisisData] = {}
    for scope in scopes(data.messages, brand) if only is None else only:
        sub = scope_data(data, scope, start, as_of)
        brand_sub = None
        if scope.channel != ALL_CHANNELS:
            if scope.brand not in brand_wide:
                brand_wide[scope.brand] = scope_data(data, Scope(scope.brand, ALL_CHANNELS), start, as_of)
            brand_sub = brand_wide[scope.brand]
        found.extend(check_scope(sub, scope, as_of, window_hours, baseline_days, brand_sub))
    return episodes(found)


def describe_alert(data: crisis.CrisisData, alert: Alert, window_hours: float = DEFAULT_WINDOW_HOURS,
                   baseline_days: int = crisis.DEFAULT_BASELINE_DAYS) -> Alert:
    """Add the complaint terms and example messages of ``alert`` (its brand and channel, before its as-of)."""
    start = alert.as_of - pd.Timedelta(hours=history_hours(window_hours, baseline_days))
    scope = Scope(alert.brand, alert.channel)
    return describe(alert, scope_data(data, scope, start, alert.as_of), baseline_days)


@dataclass
class AlertState:
    """The episodes already raised: brand, onset and when (kept in ``OUT/watch_state.json``)."""

    raised: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> AlertState:
        """The state in ``path`` (empty when the file does not exist). Raises ValueError for a broken file."""
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            raised = list(data["raised"])
            for r in raised:
                pd.Timestamp(r["onset_at"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a watch state file (expected {{\"raised\": [...]}} with onset_at "
                             f"and brand): {exc}; delete it to start afresh") from None
        return cls(raised)

    def write(self, path: Path) -> None:
        """Write the state atomically."""
        atomic_write_text(path, json.dumps({"raised": self.raised}, ensure_ascii=False, indent=2))

    def seen(self, alert: Alert, hours: float = EPISODE_HOURS) -> bool:
        """True when an episode of the same brand with an onset within ``hours`` was raised already."""
        return any(r.get("brand") == alert.brand
                   and abs(pd.Timestamp(r["onset_at"]) - alert.onset_at) <= pd.Timedelta(hours=hours)
                   for r in self.raised)

    def add(self, alert: Alert) -> None:
        """Remember ``alert`` as raised."""
        self.raised.append({"brand": alert.brand, "channel": alert.channel, "onset_at": alert.onset_at.isoformat(),
                            "alarm_at": alert.alarm_at.isoformat(), "raised_at": alert.as_of.isoformat()})

    def new_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """The alerts not raised before; they are remembered."""
        fresh = [a for a in alerts if not self.seen(a)]
        for a in fresh:
            self.add(a)
        return fresh


def _steps(start: pd.Timestamp, end: pd.Timestamp, every: pd.Timedelta) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq=every, inclusive="both")


def _hot_steps(data: crisis.CrisisData, scope: Any, steps: pd.DatetimeIndex, window_hours: float,
               baseline_days: int) -> np.ndarray:
    """Steps whose window holds an hour where the scope's alarm statistic reaches the threshold.

    The statistic is causal (an hour's value depends only on earlier data), so it is computed once over the
    whole data; a step without such an hour cannot raise an alert and is skipped. Exact only for steps on
    whole hours (the caller checks): a partial last hour is counted differently in the two views.
    """
    sub = scope_data(data, scope, None, steps[-1] + pd.Timedelta(hours=1))
    index, z = crisis.alarm_zscores(sub, baseline_days, WATCH_ALARMS)
    if len(index) == 0:
        return np.zeros(len(steps), dtype=bool)
    hot_hours = index[np.nan_to_num(z, nan=0.0) >= crisis.DETECT_Z]
    ends = hot_hours + pd.Timedelta(hours=1)  # an hour counts once it is complete
    hot = np.zeros(len(steps), dtype=bool)
    if len(hot_hours):
        e = ends.as_unit("ns").asi8
        # a step sees hours starting in [step − window, step) and complete by the step
        lo = (steps - pd.Timedelta(hours=window_hours) + pd.Timedelta(hours=1)).as_unit("ns").asi8
        first = np.searchsorted(e, lo, side="left")
        last = np.searchsorted(e, steps.as_unit("ns").asi8, side="right")
        hot = last > first
    return hot


def replay(data: crisis.CrisisData, start: pd.Timestamp, end: pd.Timestamp, every: pd.Timedelta,
           window_hours: float = DEFAULT_WINDOW_HOURS, baseline_days: int = crisis.DEFAULT_BASELINE_DAYS,
           brand: str | None = None, tick: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """The check as if run at every step from ``start`` to ``end`` (both included): the alerts it raises.

    The episodes raised are remembered across steps as the state file would remember them. Each returned
    record is the alert's :meth:`Alert.record` plus ``raised_at`` (the step) and ``delay_hours`` (from the
    estimated onset to the step). ``tick(done, total)`` reports progress.
    """
    steps = _steps(pd.Timestamp(start), pd.Timestamp(end), every)
    if len(steps) == 0:
        return []
    all_scopes = scopes(data.messages, brand)
    exact = every % pd.Timedelta(hours=1) == pd.Timedelta(0) and steps[0] == steps[0].floor("h")
    hot = {s: (_hot_steps(data, s, steps, window_hours, baseline_days) if exact else np.ones(len(steps), bool))
           for s in all_scopes}
    state, out = AlertState(), []
    for i, step in enumerate(steps):
        active = [s for s in all_scopes if hot[s][i]]
        if active:
            for alert in state.new_alerts(check(data, step, window_hours, baseline_days, brand, only=active)):
                rec = describe_alert(data, alert, window_hours, baseline_days).record()
                rec["raised_at"] = step.isoformat()
                rec["delay_hours"] = round((step - alert.onset_at).total_seconds() / 3600.0, 2)
                out.append(rec)
        if tick is not None:
            tick(i + 1, len(steps))
    return out


def planted_crises(data_dir: Path) -> list[dict[str, Any]] | None:
    """Planted crises (incident id, onset) from a synthetic dataset's ``ground_truth.json``; None without one."""
    path = Path(data_dir) / "ground_truth.json"
    if not path.is_file():
        return None
    truth = json.loads(path.read_text(encoding="utf-8"))
    crises = truth.get("crises") or {}
    return [{"incident_id": k, "onset_at": pd.Timestamp(v["onset_at"])} for k, v in crises.items()
            if v.get("onset_at")]


def score_replay(raised: Sequence[dict[str, Any]], planted: Sequence[dict[str, Any]], start: pd.Timestamp,
                 end: pd.Timestamp, match_hours: float = EPISODE_HOURS) -> dict[str, Any]:
    """Raised alerts against planted crises in ``[start, end]``: delay from each planted onset, misses, false alarms.

    A planted crisis is *caught* by the first alert raised within ``match_hours`` after its onset whose
    estimated onset lies within ``match_hours`` of it; every other alert is a false alarm. False alarms per
    year = false alarms / replayed days × 365.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    inside = [p for p in planted if start <= p["onset_at"] <= end]
    used: set[int] = set()
    crises = []
    for p in inside:
        hit = None
        for i, r in enumerate(raised):
            raised_at, onset = pd.Timestamp(r["raised_at"]), pd.Timestamp(r["onset_at"])
            if i in used or not (p["onset_at"] <= raised_at <= p["onset_at"] + pd.Timedelta(hours=match_hours)):
                continue
            if abs(onset - p["onset_at"]) <= pd.Timedelta(hours=match_hours):
                hit = i
                break
        if hit is not None:
            used.add(hit)
        delay = ((pd.Timestamp(raised[hit]["raised_at"]) - p["onset_at"]).total_seconds() / 3600.0
                 if hit is not None else math.nan)
        crises.append({"incident_id": p["incident_id"], "onset_at": p["onset_at"].isoformat(),
                       "caught": hit is not None, "delay_hours": None if math.isnan(delay) else round(delay, 2),
                       "estimated_onset_at": raised[hit]["onset_at"] if hit is not None else None})
    false = [r for i, r in enumerate(raised) if i not in used]
    days = max((end - start).total_seconds() / 86400.0, 1e-9)
    delays = [c["delay_hours"] for c in crises if c["caught"]]
    return {"planted": len(crises), "caught": len(delays), "missed": len(crises) - len(delays),
            "median_delay_hours": float(np.median(delays)) if delays else None,
            "max_delay_hours": float(np.max(delays)) if delays else None, "false_alarms": len(false),
            "replayed_days": round(days, 1), "false_alarms_per_year": round(len(false) / days * 365.0, 2),
            "crises": crises, "false_alarm_onsets": [r["onset_at"] for r in false]}
