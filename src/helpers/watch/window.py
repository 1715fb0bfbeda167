"""One early-warning check: notebook 03's crisis detector on the latest window, per brand and channel.

A check *as of* a moment ``T`` sees only the member messages created before ``T`` (and after ``T`` minus the
history the detector needs). For every brand, on all its channels together and on each channel alone, it
runs :func:`helpers.crisis.detect_candidates` — the same robust z-score alarm, Poisson change-point onset and
negative-share test as the post-mortem — and keeps the episodes whose alarm lies in the window
``[T − window_hours, T)``:

* **sentiment mode** (the scorer reads at least :data:`MIN_COVERAGE` of the baseline's member messages): the alarm is the 24-hour member-message count *or* the
  3-hour count of negative member messages (:data:`WATCH_ALARMS`, z ≥ 5), and an episode is an alert only
  once the negative share since its onset is significantly above the baseline (the detector's test:
  one-sided z ≥ 2 with ≥ 10 scored messages) at the stricter :data:`CONFIRM_Z` (z ≥ 4) — or, when
  :data:`CUSUM_H` is set (off by default: replays showed no gain), its cumulative negative excess since the
  onset reaches it (:func:`negative_cusum`); with fewer than 10 scored messages since the onset (the
  detector's test: "unknown"), an exact binomial test at the same level (:func:`few_scored_confirms`) — in a scope whose
  baseline holds at least :data:`MIN_BASELINE_SCORED` scored member messages; a single channel's episode
  also needs its brand on all channels to show the negative turn since the same onset
  (:func:`brand_corroborates`, z ≥ :data:`BRAND_CONFIRM_Z`);
* **volume-only mode** (the scorer reads (almost) nothing): the 24-hour volume alarm alone, and the alert
  says that sentiment could not confirm it.

Alerts of one brand whose onsets lie within :data:`EPISODE_HOURS` of each other are one *episode* (one alert,
listing every scope that saw it). Units: times tz-aware UTC, durations hours, shares 0–1.
"""
from __future__ import annotations

import dataclasses
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import crisis, stats, text
from helpers.io import SALT_FILE, pseudonymise

__all__ = ["WATCH_ALARMS", "DEFAULT_WINDOW_HOURS", "EPISODE_HOURS", "ALL_CHANNELS", "Alert", "Scope",
           "scopes", "history_hours", "scope_data", "sentiment_mode", "negative_cusum", "exact_negative_tail",
           "few_scored_confirms", "confirms", "brand_corroborates",
           "check_scope", "describe",
           "episodes", "author_labels"]

#: early-warning alarms: notebook 03's 24-hour volume, plus the 3-hour negative count where sentiment reads
WATCH_ALARMS: tuple[tuple[str, int], ...] = (("volume", crisis.DETECT_SUM_HOURS), ("negative", 3))
DEFAULT_WINDOW_HOURS = 24
#: alerts of one brand whose onsets are at most this many hours apart are one episode
EPISODE_HOURS = 72
#: sentiment mode: at least this share (0–1) of the baseline's member messages scored
MIN_COVERAGE = 0.05
#: the channel of a scope that covers every channel of a brand
ALL_CHANNELS = "all channels"
#: the detector's negative-share test at a stricter level: an hourly check looks many times (z ≥ 2 alone
#: raised several false alarms a year in replays of synthetic years)
CONFIRM_Z = 4.0
#: a single channel's episode is an alert only when its brand on all channels shows the negative turn since
#: the same onset too, at this z: in replays of synthetic years most false alarms were one quiet channel's
#: short burst of a few negatives (n ≈ 10) that the brand as a whole barely saw (z 2–3); a stricter z for
#: the channel alone (5) removed fewer of them
BRAND_CONFIRM_Z = 3.0
#: a scope confirms a negative turn only with this many scored member messages in its baseline (a quiet
#: channel's share of 0 negatives in 9 messages is no baseline)
MIN_BASELINE_SCORED = 30
#: cumulative-excess confirmation (:func:`negative_cusum`, :func:`confirms`): reference value k and decision
#: threshold h of a one-sided CUSUM of the hourly negative excess since a detector episode's onset, in
#: baseline standard deviations. k = 0.5 is the textbook choice for a shift of one SD per hour (half the
#: shift). h is off (infinite) by default: in replays of synthetic years (benchmarks/results/watch_replay.md)
#: every h that caught a planted crisis earlier raised more false alarms than the issue allows — tuning seeds
#: 101–105/201–205: h ≥ 5 caught nothing earlier, h = 4 two data leaks by 1–2 h at 5.2 false alarms a year
#: without incidents (1.0 without the rule); fresh seeds 111–115/211–215: h = 5 cut the median delay from
#: 5.0 to 3.75 h at 1.6 false alarms a year (0.8 without). A share at z 2–4 for hours is what a quiet year's
#: episodes look like too; and an alert at each crisis's first detector episode would still give a median of
#: 2.25 h (tuning) and 3.0 h (fresh): the issue's ≤ 2 h needs an earlier alarm, not a looser confirmation
CUSUM_K = 0.5
CUSUM_H = math.inf
#: the detector's negative-share test says "unknown" with fewer than :data:`helpers.crisis.CONFIRM_MIN_SCORED`
#: scored messages after the onset (its normal approximation needs them). There the watch tests the share
#: exactly: the one-sided binomial tail ``P(X ≥ negatives | scored, p0)`` must be at most the normal tail of
#: :data:`CONFIRM_Z` (Φ(−4) ≈ 3.2e-5, the same strictness). With a baseline share of 0.2 that takes 7 of 7 or
#: 8 of 9 negative — what a sharp outage brings in its first hour and a half (replays: seeds 104, 113, 114)
#: — while 6 of 7 or 7 of 9 still wait for more messages. ``p0`` is floored at :data:`EXACT_P0_FLOOR` (the
#: detector's variance floor) so that a baseline without negatives does not make one negative a certainty.
EXACT_P0_FLOOR = 0.01
EXAMPLES = 5
TERMS = 8
_PSEUDONYM = re.compile(r"^[a-z]{1,3}_[0-9a-f]{12}$")


@dataclass(frozen=True)
class Scope:
    """What one detector run looks at: a brand (None = messages without a brand) on one channel or all."""

    brand: str | None
    channel: str

    def label(self) -> str:
        """``brand / channel`` for messages and pages."""
        return f"{self.brand or '(no brand)'} / {self.channel}"


@dataclass
class Alert:
    """One raised (or to-be-raised) alert. ``scopes`` lists every brand/channel that saw the episode."""

    brand: str | None
    channel: str
    as_of: pd.Timestamp
    onset_at: pd.Timestamp
    alarm_at: pd.Timestamp
    mode: str
    max_z: float
    volume: dict[str, Any]
    negative_share: dict[str, Any]
    terms: list[dict[str, Any]]
    examples: list[dict[str, Any]]
    scopes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hours_since_onset(self) -> float:
        """Hours from the estimated onset to the check (``as_of``)."""
        return (self.as_of - self.onset_at).total_seconds() / 3600.0

    def record(self) -> dict[str, Any]:
        """A JSON-ready dict (timestamps ISO 8601 UTC)."""
        out = dataclasses.asdict(self)
        for key in ("as_of", "onset_at", "alarm_at"):
            out[key] = getattr(self, key).isoformat()
        out["hours_since_onset"] = round(self.hours_since_onset, 1)
        return out


def history_hours(window_hours: float, baseline_days: int) -> float:
    """Hours of data before ``as_of`` a check reads: the window, the alarm's 14-day baseline and 3 days' margin."""
    return float(window_hours) + (baseline_days + 3) * 24.0


def scopes(messages: pd.DataFrame, brand: str | None = None) -> list[Scope]:
    """Every brand (or only ``brand``) on all its channels together, then on each channel alone."""
    member = messages[messages["author_role"].eq("member").fillna(False).to_numpy()]
    out: list[Scope] = []
    brands = member["brand"].astype(object).where(member["brand"].notna(), None)
    for b in sorted(set(brands), key=lambda v: (v is None, str(v))):
        if brand is not None and b != brand:
            continue
        out.append(Scope(b, ALL_CHANNELS))
        sel = member[(brands == b).to_numpy()] if b is not None else member[brands.isna().to_numpy()]
        channels = sorted(sel["channel"].dropna().astype(str).unique())
        if len(channels) > 1:
            out.extend(Scope(b, ch) for ch in channels)
    return out


def scope_data(data: crisis.CrisisData, scope: Scope, start: pd.Timestamp | None,
               end: pd.Timestamp) -> crisis.CrisisData:
    """The annotated messages of ``scope`` created in ``[start, end)`` (start None = from the beginning)."""
    m = data.messages
    keep = (m["created_at"] < end).to_numpy().copy()
    if start is not None:
        keep &= (m["created_at"] >= start).to_numpy()
    keep &= (m["brand"].isna() if scope.brand is None else m["brand"].eq(scope.brand)).fillna(False).to_numpy()
    if scope.channel != ALL_CHANNELS:
        keep &= m["channel"].eq(scope.channel).fillna(False).to_numpy()
    return dataclasses.replace(data, messages=m[keep].reset_index(drop=True))


def sentiment_mode(sub: crisis.CrisisData, as_of: pd.Timestamp, baseline_days: int) -> tuple[bool, int, int]:
    """Whether the scorer reads this scope — at least :data:`MIN_COVERAGE` of its member messages in the
    ``baseline_days`` before ``as_of`` — with the scored and member-message counts behind the answer."""
    m = sub.messages
    base = m[m["author_role"].eq("member").fillna(False).to_numpy()
             & (m["created_at"] >= as_of - pd.Timedelta(days=baseline_days)).to_numpy()]
    scored, total = int(base["label"].notna().sum()), len(base)
    # the share decides: a quiet channel the scorer reads is not "volume only", it just has little to say yet
    return scored > 0 and scored >= MIN_COVERAGE * total, scored, total


def author_labels(authors: pd.Series, data_dir: Path) -> pd.Series:
    """Author ids as shown in alerts: already pseudonymous ids stay, anything else is pseudonymised.

    Imports pseudonymise authors (``m_`` + 12 hex digits); a dataset imported with ``--keep-author-ids`` (or
    typed in by hand) still never shows a handle: it is hashed with the dataset's salt when it has one (read
    only, never created here), else with a salt that lives only in this process.
    """
    values = authors.astype(object)
    raw = values.map(lambda v: isinstance(v, str) and not _PSEUDONYM.match(v))
    if not raw.any():
        return values
    salt_path = Path(data_dir) / SALT_FILE
    salt = salt_path.read_text(encoding="utf-8").strip() if salt_path.is_file() else ""
    hashed = pseudonymise(values[raw], salt or secrets.token_hex(16)).astype(object)
    out = values.copy()
    out[raw] = hashed
    return out


def _volume(member: pd.DataFrame, onset: pd.Timestamp, as_of: pd.Timestamp, baseline_days: int) -> dict[str, Any]:
    """Member messages since the onset against the baseline's mean rate (counts, per hour and their ratio)."""
    base = member[(member["created_at"] >= onset - pd.Timedelta(days=baseline_days))
                  & (member["created_at"] < onset)]
    first = base["created_at"].min() if len(base) else onset
    base_hours = max((onset - max(first, onset - pd.Timedelta(days=baseline_days))).total_seconds() / 3600, 1.0)
    hours = max((as_of - onset).total_seconds() / 3600.0, 1e-9)
    observed = int(((member["created_at"] >= onset) & (member["created_at"] < as_of)).sum())
    rate0 = len(base) / base_hours
    expected = rate0 * hours
    return {"since_onset_messages": observed, "since_onset_hours": round(hours, 1),
            "expected_messages": round(expected, 1), "baseline_messages": int(len(base)),
            "baseline_hours": round(base_hours, 1), "baseline_per_hour": round(rate0, 2),
            "per_hour": round(observed / hours, 2),
            "ratio_to_baseline": round(observed / expected, 2) if expected > 0 else None}


def _negative_share(member: pd.DataFrame, onset: pd.Timestamp, as_of: pd.Timestamp,
                    baseline_days: int) -> dict[str, Any]:
    """Negative share (scored member messages) since the onset and in the baseline, with Wilson CIs and n."""
    scored = member[member["label"].notna()]
    after = scored[(scored["created_at"] >= onset) & (scored["created_at"] < as_of)]
    base = scored[(scored["created_at"] >= onset - pd.Timedelta(days=baseline_days)) & (scored["created_at"] < onset)]
    now = stats.Estimate.proportion(int((after["label"] == -1).sum()), len(after), digits=3)
    was = stats.Estimate.proportion(int((base["label"] == -1).sum()), len(base), digits=3)
    out: dict[str, Any] = {}
    out.update(now.as_dict("since_onset"))
    out.update(was.as_dict("baseline"))
    out["since_onset_text"], out["baseline_text"] = str(now), str(was)
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in out.items()}


def _terms(sub: crisis.CrisisData, onset: pd.Timestamp, baseline_days: int) -> list[dict[str, Any]]:
    """The detector's distinctive terms of the messages since the onset vs the baseline (post-mortem's method)."""
    cr = crisis.Crisis(detected=True, reason="", onset_at=onset, baseline_days=baseline_days, window_days=30)
    table = crisis.distinctive_terms(sub, cr, top_n=TERMS, min_count=3)
    return [{"term": str(r["term"]), "language": str(r["language"]), "messages": int(r["crisis_messages"]),
             "baseline_messages": int(r["baseline_messages"]), "z": round(float(r["z"]), 1)}
            for _, r in table.iterrows()]


def _examples(sub: crisis.CrisisData, member: pd.DataFrame, onset: pd.Timestamp, negative_first: bool,
              n: int = EXAMPLES) -> list[dict[str, Any]]:
    """Up to ``n`` member messages since the onset, spread over it (negative ones when scored), pseudonymised."""
    since = member[member["created_at"] >= onset]
    if negative_first and (since["label"] == -1).sum() >= 3:
        since = since[since["label"] == -1]
    since = since[since["text"].fillna("").astype(str).str.strip().ne("")]
    if since.empty:
        return []
    pick = since.iloc[np.unique(np.linspace(0, len(since) - 1, min(n, len(since))).round().astype(int))]
    authors = author_labels(pick["author_id"], sub.data_dir)
    return [{"message_id": str(r["message_id"]), "created_at": r["created_at"].isoformat(),
             "channel": None if pd.isna(r["channel"]) else str(r["channel"]),
             "language": None if pd.isna(r.get("language")) else str(r.get("language")),
             "sentiment": None if pd.isna(r.get("sentiment")) else str(r.get("sentiment")),
             "author": None if pd.isna(a) else str(a), "text": text.truncate_for_display(r["text"], 280)}
            for (_, r), a in zip(pick.iterrows(), authors)]


def brand_corroborates(brand_sub: crisis.CrisisData, onset: pd.Timestamp,
                       baseline_days: int = crisis.DEFAULT_BASELINE_DAYS) -> bool:
    """Whether the brand on all its channels (``brand_sub``, messages before the check) shows the negative turn
    of a single channel's episode too: its negative share since ``onset`` above its baseline at
    :data:`BRAND_CONFIRM_Z` (the detector's test; "unknown" with under 10 scored messages does not count)."""
    test = crisis.negativity_test(brand_sub.messages, onset, baseline_days)
    return bool(np.isfinite(test["z"]) and test["z"] >= BRAND_CONFIRM_Z)


def negative_cusum(messages: pd.DataFrame, onset: pd.Timestamp, as_of: pd.Timestamp,
                   baseline_days: int = crisis.DEFAULT_BASELINE_DAYS, k: float = CUSUM_K) -> float:
    """The highest value since ``onset`` of a one-sided CUSUM of the hourly negative excess (baseline SDs).

    Scored member messages of ``messages`` (one scope, created before ``as_of``), as the detector's
    :func:`helpers.crisis.negativity_test` reads them: baseline negative share ``p0`` over the
    ``baseline_days`` before the onset, then, for every hour ``t`` after the onset (at most
    :data:`helpers.crisis.CONFIRM_HOURS`), the negatives beyond ``p0`` × that hour's scored messages in
    standard deviations, ``x_t = (y_t − p0·n_t) / sqrt(n_t·p0·(1 − p0))`` (0 for an hour without scored
    messages), and ``S_t = max(0, S_{t−1} + x_t − k)``. Excess *beyond the share*: a surge of volume with the
    baseline's negative share adds nothing. Returns 0 without baseline or without scored messages since the onset.
    """
    m = messages[messages["author_role"].eq("member").fillna(False).to_numpy() & messages["label"].notna().to_numpy()]
    t = m["created_at"]
    base = m[((t >= onset - pd.Timedelta(days=baseline_days)) & (t < onset)).to_numpy()]
    end = min(as_of, onset + pd.Timedelta(hours=crisis.CONFIRM_HOURS))
    after = m[((t >= onset) & (t < end)).to_numpy()]
    if base.empty or after.empty:
        return 0.0
    p0 = float((base["label"] == -1).mean())
    sd = math.sqrt(max(p0 * (1 - p0), 0.01 * 0.99))  # the detector's floor: a baseline without negatives
    hour = ((after["created_at"] - onset) // pd.Timedelta(hours=1)).to_numpy(dtype=int)
    n = np.bincount(hour)
    y = np.bincount(hour, weights=(after["label"] == -1).to_numpy(dtype=float), minlength=len(n))
    x = np.divide(y - p0 * n, sd * np.sqrt(n), out=np.zeros(len(n)), where=n > 0)
    s = best = 0.0
    for value in x:
        s = max(0.0, s + value - k)
        best = max(best, s)
    return best


def exact_negative_tail(negatives: int, scored: int, p0: float) -> float:
    """One-sided exact binomial tail ``P(X ≥ negatives)`` for ``X ~ Binomial(scored, p0)`` (a probability 0–1).

    ``p0`` (the baseline negative share, 0–1) is floored at :data:`EXACT_P0_FLOOR`; 1.0 without scored
    messages or without a baseline share (NaN)."""
    if scored <= 0 or not math.isfinite(p0):
        return 1.0
    from scipy.stats import binom  # on first use, as helpers.stats does
    return float(binom.sf(negatives - 1, scored, min(max(p0, EXACT_P0_FLOOR), 1.0)))


def few_scored_confirms(candidate: pd.Series) -> bool:
    """Whether a candidate the detector's test calls "unknown" (fewer than
    :data:`helpers.crisis.CONFIRM_MIN_SCORED` scored messages since the onset, a baseline share known) shows
    the negative turn by the exact binomial test at the level of :data:`CONFIRM_Z` (see :data:`EXACT_P0_FLOOR`)."""
    n1 = candidate.get("scored_48h", 0)
    if candidate["negativity"] != "unknown" or not 0 < n1 < crisis.CONFIRM_MIN_SCORED:
        return False  # (a row without the counts, or the detector's own test applies)
    negatives = int(round(float(candidate["negative_share_48h"]) * int(n1)))
    tail = exact_negative_tail(negatives, int(n1), float(candidate["baseline_negative_share"]))
    return tail <= 0.5 * math.erfc(CONFIRM_Z / math.sqrt(2.0))


def confirms(candidate: pd.Series, messages: pd.DataFrame, as_of: pd.Timestamp,
             baseline_days: int = crisis.DEFAULT_BASELINE_DAYS) -> bool:
    """Whether a detector candidate (a row of :func:`helpers.crisis.detect_candidates`) shows the negative turn
    an alert needs: the detector's test says "negative" and either its z reaches :data:`CONFIRM_Z` or (when
    :data:`CUSUM_H` is finite) the cumulative excess since the candidate's onset reaches it
    (:func:`negative_cusum`); or, with too few scored messages for that test, the exact binomial test
    (:func:`few_scored_confirms`)."""
    if few_scored_confirms(candidate):
        return True
    if candidate["negativity"] != "negative":
        return False
    if float(candidate["z_negative"]) >= CONFIRM_Z:
        return True
    if not math.isfinite(CUSUM_H):
        return False  # the cumulative-excess rule is off (the default)
    return negative_cusum(messages, pd.Timestamp(candidate["onset_at"]), as_of, baseline_days) >= CUSUM_H


def check_scope(sub: crisis.CrisisData, scope: Scope, as_of: pd.Timestamp,
                window_hours: float = DEFAULT_WINDOW_HOURS,
                baseline_days: int = crisis.DEFAULT_BASELINE_DAYS,
                brand_sub: crisis.CrisisData | None = None) -> list[Alert]:
    """The alerts of one scope as of ``as_of`` (``sub`` holds only messages before it; see the module doc).

    ``brand_sub``: for a single-channel scope, its brand's messages on all channels (same period); in sentiment
    mode a channel's episode is an alert only when :func:`brand_corroborates` it (None: not required).
    """
    if sub.messages.empty:
        return []
    with_sentiment, scored, total = sentiment_mode(sub, as_of, baseline_days)
    alarms = WATCH_ALARMS if with_sentiment else crisis.VOLUME_ALARM
    cands = crisis.detect_candidates(sub, baseline_days, window_days=2, alarms=alarms)
    if cands.empty:
        return []
    cands = cands[cands["alarm_at"] >= as_of - pd.Timedelta(hours=window_hours)]
    m = sub.messages
    member = m[m["author_role"].eq("member").fillna(False).to_numpy()]
    if with_sentiment:
        if scored < MIN_BASELINE_SCORED:
            return []  # too little history to know this scope's normal negative share (its brand scope decides)
        cands = cands[np.array([confirms(c, m, as_of, baseline_days) for _, c in cands.iterrows()], dtype=bool)]
        if brand_sub is not None and scope.channel != ALL_CHANNELS:
            seen = [brand_corroborates(brand_sub, pd.Timestamp(o), baseline_days) for o in cands["onset_at"]]
            cands = cands[np.array(seen, dtype=bool)]
    mode = ("volume and negative share" if with_sentiment else
            f"volume only: the sentiment scorer read {scored} of {total} member messages in the baseline, too "
            "few to confirm a negative turn")
    out = []
    for _, c in cands.sort_values("onset_at").iterrows():
        onset = pd.Timestamp(c["onset_at"])
        out.append(Alert(
            brand=scope.brand, channel=scope.channel, as_of=as_of, onset_at=onset,
            alarm_at=pd.Timestamp(c["alarm_at"]), mode=mode, max_z=round(float(c["max_z"]), 1),
            volume=_volume(member, onset, as_of, baseline_days),
            negative_share=_negative_share(member, onset, as_of, baseline_days), terms=[], examples=[]))
    return out


def describe(alert: Alert, sub: crisis.CrisisData, baseline_days: int = crisis.DEFAULT_BASELINE_DAYS) -> Alert:
    """Fill ``alert``'s complaint terms and example messages from its scope's messages (``sub``, before as-of).

    Kept apart from :func:`check_scope` because it is the slow part: only alerts that are raised need it.
    """
    m = sub.messages
    member = m[m["author_role"].eq("member").fillna(False).to_numpy()]
    alert.terms = _terms(sub, alert.onset_at, baseline_days)
    alert.examples = _examples(sub, member, alert.onset_at, alert.mode.startswith("volume and"))
    return alert


def episodes(alerts: Sequence[Alert], hours: float = EPISODE_HOURS) -> list[Alert]:
    """One alert per brand episode (onsets within ``hours``): the all-channels one when it saw it, else the
    highest z; ``scopes`` lists every brand/channel that saw the episode."""
    out: list[Alert] = []
    by_brand: dict[Any, list[Alert]] = {}
    for a in alerts:
        by_brand.setdefault(a.brand, []).append(a)
    for group in by_brand.values():
        group = sorted(group, key=lambda a: a.onset_at)
        clusters: list[list[Alert]] = []
        for a in group:
            if clusters and (a.onset_at - clusters[-1][0].onset_at) <= pd.Timedelta(hours=hours):
                clusters[-1].append(a)
            else:
                clusters.append([a])
        for cl in clusters:
            lead = next((a for a in cl if a.channel == ALL_CHANNELS), max(cl, key=lambda a: a.max_z))
            lead.scopes = [{"channel": a.channel, "onset_at": a.onset_at.isoformat(), "max_z": a.max_z,
                            "since_onset_messages": a.volume["since_onset_messages"]} for a in cl]
            out.append(lead)
    return sorted(out, key=lambda a: a.onset_at)
