"""The crisis post-mortem behind notebooks/03_crisis_postmortem.ipynb (and the crisis definitions the
generator's ground truth shares).

What happened when, how fast the organisation answered, whether its answers calmed or inflamed threads and
whether the community stood up for it. Units: times are tz-aware UTC timestamps, durations in hours unless a
name says ``_days``, shares 0–1.

Definitions (used by the analysis *and* by :mod:`helpers.synth_crisis` for the planted truth)

* **Hourly series**: member messages per clock hour (all languages: *volume*), and among them the messages the
  sentiment scorer could read (*scored*; TextBlob/VADER read English only) and those it scored negative.
* **Negative share** at hour *t*: negatives / scored over the centred 24-hour window around *t*
  (:data:`SHARE_WINDOW_HOURS`). Other languages are "not scored", never neutral; they still count in volume.
* **Baseline**: the ``baseline_days`` (14) before the onset. Baseline negative share ``p0`` = negatives /
  scored over it. **Baseline band**: ``p0 ± max(0.10, 2·sqrt(p0(1−p0)/n))`` where *n* is the baseline's mean
  number of scored member messages per 24 hours (the binomial noise of a 24-hour share).
* **Detection** (robust z-score, then a change point): the trailing 24-hour member-message count is compared
  with its own previous 14 days (median and MAD, at least the Poisson SD); hours with z ≥ 5 raise an alarm.
  The **onset** is the start of the extra volume, found by a Poisson CUSUM / likelihood-ratio change point on
  5-minute counts in the 36 h before and 12 h after the alarm, against the hour-of-day baseline, shared by
  all member messages and the scored negative ones; with ≥ 100 negatives in that span the negatives alone
  place it, so a busy hour after an ordinary post (with its ordinary few negatives) does not pass for it; a span
  with no more member messages *and* no more negatives than its baseline expects holds no episode. A volume
  anomaly counts as a crisis when the negative share of the 48 h after the onset is significantly above the
  baseline (one-sided z ≥ 2 with ≥ 10 scored messages). A slow drift moves the baseline along and never
  alarms. With several crises the **largest** is the one with the most excess member messages in its window.
* **Peak**: the hour of the highest negative share in the window (volume when nothing is scored).
* **First response**: the incident row's ``first_response_at`` when it has one, else the first organisation
  post (not a reply) after the onset that reads like a statement (statement/apology cue words in ru/az/en).
* **Recovery**: the first hour after the peak from which the negative share stays within the baseline band
  (at or below its upper edge) for 24 hours.
* **Established member**: ≥ 3 member messages before the onset, the first of them ≥ 30 days before it.
  **Newcomer**: every other member.
* **Defending message**: a member message scored positive that replies to another member's message scored
  negative. *defender_share* = defending / scored member messages in the window.
* **Reply effect**: conversations = a conversation opener and every message below it. For each conversation
  with an organisation reply in the window, member sentiment (negative −1, neutral 0, positive +1) after the
  first organisation reply minus before it, over conversations with ≥ 2 scored member messages before
  (a discussion the reply could calm or inflame) and ≥ 1 after; mean over conversations with a t-interval.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import metrics, sentiment, stats, text
from helpers.annotate import annotate_with_scorer, load_period
from helpers.formatting import local_time
from helpers.i18n import N_
from helpers.io import Dataset
from helpers.scct import SCCT

__all__ = [
    "CrisisError", "CrisisData", "Crisis", "prepare", "hourly_series", "smoothed_share", "band_upper",
    "recovery_position", "peak_position", "sentiment_value", "established_authors", "defence_flags",
    "defence_summary", "reply_pairs", "alarm_zscores", "detect_candidates", "negativity_test", "VOLUME_ALARM",
    "locate", "key_intervals",
    "interrupted_time_series",
    "distinctive_terms", "community_defence", "reply_effect", "scct_strategies", "phase_findings",
    "section_findings", "SCCT", "FINDINGS_KEYS",
]

DEFAULT_BASELINE_DAYS = 14
DEFAULT_WINDOW_DAYS = 14
SHARE_WINDOW_HOURS = 24
STAY_HOURS = 24
BAND_MIN = 0.10
BAND_Z = 2.0
PEAK_LEVEL = 0.9
PEAK_HOURS = 48
DETECT_SUM_HOURS = 24
DETECT_Z = 5.0
CONFIRM_HOURS = 48
CONFIRM_Z = 2.0
CONFIRM_MIN_SCORED = 10
CHANGEPOINT_BIN_MINUTES = 5
NEGATIVES_ONLY_MIN = 100
#: notebook 03's alarm: the trailing 24-hour member-message count
VOLUME_ALARM: tuple[tuple[str, int], ...] = (("volume", DETECT_SUM_HOURS),)
FEW_SCORED_PER_DAY = 20
ESTABLISHED_MIN_MESSAGES = 3
ESTABLISHED_MIN_DAYS = 30
MIN_BEFORE = 2
RESPONDER_ROLES = ("brand", "moderator")

#: findings keys the notebook writes (issue 4), in this order
FINDINGS_KEYS = (
    "onset_at", "peak_at", "first_response_at", "first_response_hours", "peak_hours", "recovery_hours",
    "baseline_negative_share", "peak_negative_share", "its_level_change", "its_level_change_ci_low",
    "its_level_change_ci_high", "its_slope_change", "defender_share", "defender_share_established",
    "reply_effect", "reply_effect_ci_low", "reply_effect_ci_high",
)

#: phase findings read from the negative share (they need the scorer to read the crisis's member messages)
PHASE_SENTIMENT_KEYS = ("peak_at", "peak_hours", "recovery_hours", "baseline_negative_share", "baseline_band_upper",
                        "peak_negative_share")

#: words that mark an organisation post as a statement about an incident (matched on lower-cased text)
STATEMENT_CUES = (
    "statement", "apologis", "apologiz", "we are sorry", "we're sorry", "incident", "we are aware", "investigat",
    "заявлени", "извин", "приносим", "инцидент", "сбой",
    "bəyanat", "üzr ", "üzr istəyirik", "təəssüf", "nasazlıq",
)


class CrisisError(ValueError):
    """A problem with the inputs of the crisis analysis (unknown incident, bad parameter …)."""


@dataclass
class CrisisData:
    """A dataset cut to the analysed period with annotated messages (language, sentiment, ``label``).

    ``messages`` carries the canonical columns plus ``language`` (detected), ``sentiment`` (negative/neutral/
    positive or NA when not scored), ``scored`` (bool) and ``label`` (−1/0/+1, NaN when not scored).
    """

    dataset: Dataset
    messages: pd.DataFrame
    timezone: str
    languages: list[str]
    sentiment_backend: str
    data_dir: Path
    sentiment_choice: sentiment.BackendChoice | None = None


@dataclass
class Crisis:
    """One located crisis (or the reason none was found). Times UTC; durations hours."""

    detected: bool
    reason: str
    incident_id: str | None = None
    incident_title: str | None = None
    crisis_type: str | None = None
    crisis_type_source: str | None = None
    onset_at: pd.Timestamp | None = None
    onset_source: str | None = None
    recorded_start_at: pd.Timestamp | None = None
    peak_at: pd.Timestamp | None = None
    first_response_at: pd.Timestamp | None = None
    first_response_source: str | None = None
    recovery_at: pd.Timestamp | None = None
    baseline_negative_share: float = math.nan
    band_upper: float = math.nan
    peak_negative_share: float = math.nan
    baseline_scored_per_day: float = math.nan
    excess_messages: float = math.nan
    negativity: str = "unknown"
    baseline_days: int = DEFAULT_BASELINE_DAYS
    window_days: int = DEFAULT_WINDOW_DAYS
    hourly: pd.DataFrame = field(default_factory=pd.DataFrame)
    statements: pd.DataFrame = field(default_factory=pd.DataFrame)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    #: messages by the organisation's accounts in the analysed data (:func:`helpers.metrics.organisation_messages`);
    #: 0 means the export holds only members' messages, so first responses and reply effects cannot be measured
    organisation_messages: int | None = None
    #: False when the data are too short to tell whether there was a crisis (``crisis_detected`` None, not False)
    detectable: bool = True

    @property
    def window_end(self) -> pd.Timestamp | None:
        """End of the analysed crisis window (exclusive)."""
        return None if self.onset_at is None else self.onset_at + pd.Timedelta(days=self.window_days)

    @property
    def baseline_start(self) -> pd.Timestamp | None:
        """Start of the baseline (``baseline_days`` before the onset)."""
        return None if self.onset_at is None else self.onset_at - pd.Timedelta(days=self.baseline_days)

    @property
    def sentiment_coverage(self) -> float:
        """Share (0–1) of member messages from the baseline start to the window end that the scorer read (NaN
        when there are none): what the peak, recovery, band and ITS are computed from."""
        if self.hourly.empty or "volume" not in self.hourly or not self.hourly["volume"].sum():
            return math.nan
        return float(self.hourly["scored"].sum() / self.hourly["volume"].sum())

    def hours_after_onset(self, ts: pd.Timestamp | None) -> float:
        """Hours from the onset to ``ts`` (NaN when either is unknown)."""
        if ts is None or self.onset_at is None or pd.isna(ts):
            return math.nan
        return (ts - self.onset_at).total_seconds() / 3600.0


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------

def sentiment_value(sentiment: pd.Series) -> pd.Series:
    """Sentiment labels as numbers: negative −1, neutral 0, positive +1, NaN when not scored."""
    mapping = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
    return sentiment.astype(object).map(lambda s: mapping.get(s, math.nan) if isinstance(s, str) else math.nan
                                        ).astype(float)


def prepare(data_dir: str | Path, brand: str | None = None, start: str | None = None, end: str | None = None,
            languages: Sequence[str] = text.DEFAULT_LANGUAGES, sentiment_backend: str = sentiment.AUTO,
            timezone: str | None = None, progress: bool = True) -> CrisisData:
    """Load ``data_dir``, cut brand and period (days inclusive) and annotate every message once.

    Language is detected among ``languages``; sentiment is scored with ``sentiment_backend`` where it knows
    the language (other languages stay "not scored"); ``"auto"`` (the default) runs the dataset's own validated
    model when it reads the languages present, else TextBlob. Raises the dataset's validation error for a broken
    folder and :class:`CrisisError` for an unknown backend.
    """
    if not isinstance(sentiment_backend, str) or not sentiment_backend.strip():
        raise CrisisError(f"sentiment_backend must be a backend name such as 'textblob', got {sentiment_backend!r}")
    period = load_period(data_dir, brand=brand, start=start, end=end, timezone=timezone)
    msgs = period.cut.messages.sort_values(["created_at", "message_id"], kind="stable").reset_index(drop=True)
    languages = list(languages)
    try:
        msgs, choice = annotate_with_scorer(msgs, languages, sentiment_backend, data_dir=period.path,
                                            questions=False, progress=progress)
    except (ValueError, NotImplementedError) as exc:
        raise CrisisError(str(exc)) from exc
    msgs["label"] = sentiment_value(msgs["sentiment"]).to_numpy() if len(msgs) else pd.Series(dtype=float)
    return CrisisData(dataset=period.cut, messages=msgs, timezone=period.timezone, languages=languages,
                      sentiment_backend=choice.backend, data_dir=period.path, sentiment_choice=choice)


# --------------------------------------------------------------------------------------------------
# Shared definitions (analysis and planted truth)
# --------------------------------------------------------------------------------------------------

def hourly_series(messages: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Member messages per clock hour in ``[start, end)``: columns volume, scored, negative (counts).

    ``messages`` needs ``author_role``, ``created_at`` and ``label`` (NaN = not scored). The index is the UTC
    start of each hour (hours without messages are 0).
    """
    lo, hi = pd.Timestamp(start).floor("h"), pd.Timestamp(end).ceil("h")
    index = pd.date_range(lo, hi, freq="h", inclusive="left")
    m = messages[messages["author_role"].eq("member").fillna(False).to_numpy()]
    m = m[(m["created_at"] >= lo) & (m["created_at"] < hi)]
    hour = m["created_at"].dt.floor("h")
    label = m["label"].astype(float)
    frame = pd.DataFrame({"hour": hour.to_numpy(), "volume": 1, "scored": label.notna().astype(int).to_numpy(),
                          "negative": (label == -1).astype(int).to_numpy()})
    out = frame.groupby("hour")[["volume", "scored", "negative"]].sum().reindex(index, fill_value=0)
    out.index.name = "hour"
    return out.astype(float)


def smoothed_share(scored: Sequence[float] | pd.Series, negative: Sequence[float] | pd.Series,
                   window: int = SHARE_WINDOW_HOURS) -> np.ndarray:
    """Negative share (0–1) over a centred ``window``-hour rolling window; NaN where nothing is scored."""
    s = pd.Series(np.asarray(scored, dtype=float)).rolling(window, center=True, min_periods=1).sum()
    n = pd.Series(np.asarray(negative, dtype=float)).rolling(window, center=True, min_periods=1).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.array((n / s).to_numpy(), dtype=float)
    share[s.to_numpy() <= 0] = np.nan
    return share


def band_upper(p0: float, scored_per_day: float) -> float:
    """Upper edge of the baseline band: ``p0 + max(BAND_MIN, BAND_Z · sqrt(p0(1−p0)/n))`` (share 0–1).

    ``scored_per_day`` is the baseline's mean number of scored member messages per 24 hours.
    """
    if pd.isna(p0):
        return math.nan
    n = max(float(scored_per_day), 1e-9)
    return float(p0 + max(BAND_MIN, BAND_Z * math.sqrt(max(p0 * (1 - p0), 0.0) / n)))


def peak_position(share: Sequence[float], start: int, baseline: float) -> int | None:
    """Position of the peak: within the acute phase (the ``PEAK_HOURS`` from ``start``, the onset), the first
    hour at which the 24-h negative share reaches ``baseline + PEAK_LEVEL × (highest − baseline)`` — the top
    of the first rise. The single highest hour is not used: on the flat, noisy plateau a crisis holds until
    the organisation answers, and in later waves, it jumps by days. None when nothing is scored then."""
    tail = np.asarray(share, dtype=float)[start:start + PEAK_HOURS]
    if not np.isfinite(tail).any():
        return None
    top = float(np.nanmax(tail))
    base = float(baseline) if not pd.isna(baseline) else float(np.nanmin(tail))
    level = base + PEAK_LEVEL * (top - base) if top > base else top
    return start + int(np.flatnonzero(np.nan_to_num(tail, nan=-np.inf) >= level)[0])


def recovery_position(share: Sequence[float], upper: float, start: int, stay: int = STAY_HOURS) -> int | None:
    """First index ≥ ``start`` from which ``share`` stays at or below ``upper`` for ``stay`` hours.

    NaN hours (nothing scored) do not break a stay. None when no such stretch fits in the series.
    """
    s = np.asarray(share, dtype=float)
    ok = ~(s > upper)  # NaN counts as within
    run_len = np.zeros(len(s) + 1, dtype=int)
    for i in range(len(s) - 1, -1, -1):
        run_len[i] = run_len[i + 1] + 1 if ok[i] else 0
    for i in range(max(start, 0), len(s)):
        if run_len[i] >= stay:
            return i
    return None


def established_authors(messages: pd.DataFrame, onset: pd.Timestamp) -> set[str]:
    """Author ids of established members at ``onset`` (≥ 3 member messages before it, first ≥ 30 days before)."""
    m = messages[messages["author_role"].eq("member").fillna(False).to_numpy() & (messages["created_at"] < onset)]
    if m.empty:
        return set()
    agg = m.groupby(m["author_id"].astype(str))["created_at"].agg(["count", "min"])
    keep = (agg["count"] >= ESTABLISHED_MIN_MESSAGES) & (agg["min"] <= onset - pd.Timedelta(days=ESTABLISHED_MIN_DAYS))
    return set(agg.index[keep])


def defence_flags(messages: pd.DataFrame) -> pd.Series:
    """True for defending messages: a member message labelled +1 replying to another member's message labelled −1.

    ``messages`` needs message_id, parent_id, author_id, author_role and ``label`` (the parent must be in it).
    """
    pos = metrics.parent_positions(messages)
    has_parent = pos >= 0
    at = np.maximum(pos, 0)
    roles = messages["author_role"].to_numpy(dtype=object)
    labels = messages["label"].astype(float).to_numpy()
    authors = messages["author_id"].astype(str).astype(object).to_numpy()
    p_member = has_parent & (roles[at] == "member") if len(pos) else has_parent
    p_negative = has_parent & (labels[at] == -1.0) if len(pos) else has_parent
    other = has_parent & (authors[at] != authors) if len(pos) else has_parent
    member = messages["author_role"].eq("member").fillna(False).astype(bool).to_numpy()
    flags = member & (labels == 1.0) & p_member & p_negative & other
    return pd.Series(flags, index=messages.index, dtype=bool)


def defence_summary(messages: pd.DataFrame, onset: pd.Timestamp, start: pd.Timestamp, end: pd.Timestamp,
                    established: set[str] | None = None, flags: pd.Series | None = None) -> dict[str, Any]:
    """Defending messages among labelled member messages created in ``[start, end)``, overall and by group.

    Returns Estimates (share 0–1 with Wilson CI and n) for ``all``, ``established`` and ``newcomers`` plus the
    counts. Only messages with a label (scored) are in the denominators. ``established`` and ``flags``
    (:func:`defence_flags`) may be passed in when already computed.
    """
    est = established_authors(messages, onset) if established is None else established
    flags = defence_flags(messages) if flags is None else flags
    inside = (messages["created_at"] >= start) & (messages["created_at"] < end)
    member = messages["author_role"].eq("member").fillna(False).astype(bool)
    labelled = messages["label"].astype(float).notna()
    base = inside & member & labelled
    is_est = messages["author_id"].astype(str).isin(est)
    out: dict[str, Any] = {}
    for name, mask in (("all", base), ("established", base & is_est), ("newcomers", base & ~is_est)):
        k, n = int((flags & mask).sum()), int(mask.sum())
        out[name] = stats.Estimate.proportion(k, n, digits=3)
        out[f"{name}_defending"] = k
    return out


def reply_pairs(messages: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                min_before: int = MIN_BEFORE) -> pd.DataFrame:
    """Conversations with an organisation reply in ``[start, end)``: member sentiment before vs after it.

    A conversation is an opener (member message whose parent is missing or not a member message) and all
    messages below it. For each, the first organisation (brand/moderator) reply in the window splits the
    labelled member messages into before/after. Kept: ≥ ``min_before`` before and ≥ 1 after. Columns:
    opener_id, reply_id, reply_at, n_before, n_after, before_mean, after_mean, diff (after − before,
    labels −1..+1).
    """
    cols = ["opener_id", "reply_id", "reply_at", "n_before", "n_after", "before_mean", "after_mean", "diff"]
    if messages.empty:
        return pd.DataFrame(columns=cols)
    ids = messages["message_id"].astype(str).to_numpy()
    parents = messages["parent_id"].astype(object).to_numpy()
    roles = messages["author_role"].astype(str).to_numpy()
    labels = messages["label"].astype(float).to_numpy()
    pos = {mid: i for i, mid in enumerate(ids)}
    children: dict[int, list[int]] = defaultdict(list)
    parent_pos = np.full(len(ids), -1)
    for i, p in enumerate(parents):
        if isinstance(p, str) and p in pos:
            parent_pos[i] = pos[p]
            children[pos[p]].append(i)
    lo, hi = pd.Timestamp(start).as_unit("ns").value, pd.Timestamp(end).as_unit("ns").value
    t_naive = pd.to_datetime(messages["created_at"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
    in_window = (t_naive >= lo) & (t_naive < hi)
    is_org = np.isin(roles, RESPONDER_ROLES) & (parent_pos >= 0)
    org = [int(i) for i in np.flatnonzero(is_org & in_window) if roles[parent_pos[i]] == "member"]
    first_reply: dict[int, int] = {}
    for i in org:
        j = parent_pos[i]
        while parent_pos[j] >= 0 and roles[parent_pos[j]] == "member":
            j = parent_pos[j]
        if j not in first_reply or t_naive[i] < t_naive[first_reply[j]]:
            first_reply[j] = i
    rows = []
    for opener, reply in first_reply.items():
        tr = t_naive[reply]
        stack, members = [opener], []
        while stack:
            k = stack.pop()
            if roles[k] == "member" and not np.isnan(labels[k]):
                members.append(k)
            stack.extend(children.get(k, ()))
        before = [labels[k] for k in members if t_naive[k] < tr]
        after = [labels[k] for k in members if t_naive[k] > tr]
        if len(before) >= min_before and len(after) >= 1:
            b, a = float(np.mean(before)), float(np.mean(after))
            rows.append((ids[opener], ids[reply], pd.Timestamp(int(tr), unit="ns", tz="UTC"), len(before),
                         len(after), b, a, a - b))
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------------
# Detection and phases
# --------------------------------------------------------------------------------------------------

def _member_times(messages: pd.DataFrame) -> pd.Series:
    return messages.loc[messages["author_role"].eq("member").fillna(False).to_numpy(), "created_at"]


def _hour_profile(times: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp, timezone: str) -> np.ndarray:
    """Mean member messages per local hour of day (24 values) in ``[lo, hi)``, floored at 25 % of the mean."""
    inside = times[(times >= lo) & (times < hi)]
    days = max((hi - lo).total_seconds() / 86400.0, 1e-9)
    counts = np.bincount(inside.dt.tz_convert(timezone).dt.hour.to_numpy(), minlength=24)[:24] / days
    floor = max(0.25 * counts.mean(), 1.0 / 24 / days)
    return np.maximum(counts, floor)


def _onset_changepoint(times: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp, profile: np.ndarray,
                       timezone: str, negatives: pd.Series | None = None,
                       neg_profile: np.ndarray | None = None) -> pd.Timestamp | None:
    """Start of the extra volume in ``[lo, hi)`` (Poisson CUSUM change point on 5-minute counts).

    ``negatives`` (times of scored negative member messages) with their hour-of-day ``neg_profile`` form a
    second series. With ≥ 100 negatives in the span they alone place the onset: the volume after an ordinary
    post surges far beyond Poisson noise, while its negatives rise little; otherwise both series share it.
    None when neither series holds more than its baseline expects in the span: a burst of negatives counts
    even when the span's volume does not exceed its baseline (a few hours of complaints after a quiet night
    or weekend, which the early warning's 3-hour negative alarm sees before the 48-hour volume does).
    """
    step = pd.Timedelta(minutes=CHANGEPOINT_BIN_MINUTES)
    edges = pd.date_range(lo, hi, freq=step)
    if len(edges) < 3:
        return None
    hours = edges[:-1].tz_convert(timezone).hour.to_numpy()

    def binned(ts: pd.Series) -> np.ndarray:
        inside = ts[(ts >= lo) & (ts < edges[-1])]
        return np.bincount(((inside - lo) // step).astype(int).to_numpy(), minlength=len(edges) - 1)[: len(edges) - 1]

    counts = binned(times)
    expected = profile[hours] * CHANGEPOINT_BIN_MINUTES / 60.0
    volume_excess = counts.sum() > expected.sum()
    k = 0
    if negatives is not None and neg_profile is not None:
        neg = binned(negatives)
        neg_expected = neg_profile[hours] * CHANGEPOINT_BIN_MINUTES / 60.0
        if not volume_excess and neg.sum() <= neg_expected.sum():
            return None
        if neg.sum() >= NEGATIVES_ONLY_MIN and neg.sum() > neg_expected.sum():
            k = stats.poisson_changepoint(neg, neg_expected)
        if k == 0:
            k = stats.poisson_changepoint(np.vstack([counts, neg]), np.vstack([expected, neg_expected]))
    elif not volume_excess:
        return None
    else:
        k = stats.poisson_changepoint(counts, expected)
    return edges[k]


def negativity_test(messages: pd.DataFrame, onset: pd.Timestamp, baseline_days: int) -> dict[str, Any]:
    """Negative share of the 48 h after ``onset`` vs the ``baseline_days`` before it, with a one-sided z.

    Scored member messages only; ``status`` "negative" (z ≥ :data:`CONFIRM_Z`), "not negative" or "unknown"
    (no baseline or fewer than :data:`CONFIRM_MIN_SCORED` scored after the onset); ``p0``/``p1`` shares 0–1,
    ``n0``/``n1`` counts, ``z`` in SDs (NaN when unknown).
    """
    m = messages[messages["author_role"].eq("member").fillna(False).to_numpy() & messages["label"].notna()]
    base = m[(m["created_at"] >= onset - pd.Timedelta(days=baseline_days)) & (m["created_at"] < onset)]
    after = m[(m["created_at"] >= onset) & (m["created_at"] < onset + pd.Timedelta(hours=CONFIRM_HOURS))]
    n0, n1 = len(base), len(after)
    p0 = float((base["label"] == -1).mean()) if n0 else math.nan
    p1 = float((after["label"] == -1).mean()) if n1 else math.nan
    if n0 == 0 or n1 < CONFIRM_MIN_SCORED:
        return {"status": "unknown", "p0": p0, "p1": p1, "n0": n0, "n1": n1, "z": math.nan}
    se = math.sqrt(max(p0 * (1 - p0), 0.01 * 0.99) / n1)
    z = (p1 - p0) / se
    return {"status": "negative" if z >= CONFIRM_Z else "not negative", "p0": p0, "p1": p1, "n0": n0, "n1": n1,
            "z": z}


def alarm_zscores(data: CrisisData, baseline_days: int = DEFAULT_BASELINE_DAYS,
                  alarms: Sequence[tuple[str, int]] = VOLUME_ALARM) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The detector's alarm statistic per clock hour of the member messages' span (index, z in SDs).

    Each alarm ``(series, hours)`` is the robust z-score of the trailing ``hours``-hour count of member
    messages (``series`` "volume") or of scored negative member messages ("negative") against its own previous
    ``baseline_days`` (median/MAD, at least the Poisson SD); the statistic is the largest of them. Causal:
    the value of an hour depends only on that hour and earlier ones. Notebook 03 uses the 24-hour volume alone
    (:data:`VOLUME_ALARM`); the early warning (``helpers.watch``) adds the 3-hour negative count.
    """
    m = data.messages
    member = m["author_role"].eq("member").fillna(False).to_numpy()
    times = m.loc[member, "created_at"]
    if times.empty:
        return pd.DatetimeIndex([], tz="UTC"), np.array([], dtype=float)
    lo, hi = times.min().floor("h"), times.max().floor("h") + pd.Timedelta(hours=1)
    index = pd.date_range(lo, hi, freq="h", inclusive="left")
    out = np.full(len(index), -np.inf)
    for series, hours in alarms:
        if series not in ("volume", "negative"):
            raise CrisisError(f"alarm series must be 'volume' or 'negative', got {series!r}")
        ts = times if series == "volume" else m.loc[member & m["label"].eq(-1.0).to_numpy(), "created_at"]
        x = ts.dt.floor("h").value_counts().reindex(index, fill_value=0).to_numpy(dtype=float)
        y = pd.Series(x).rolling(int(hours), min_periods=int(hours)).sum().to_numpy()
        z = stats.robust_zscores(y, window=baseline_days * 24, min_periods=max(48, baseline_days * 12),
                                 floor=1.0, poisson_floor=True)
        out = np.fmax(out, z)
    out[np.isneginf(out)] = np.nan
    return index, out


def detect_candidates(data: CrisisData, baseline_days: int = DEFAULT_BASELINE_DAYS,
                      window_days: int = DEFAULT_WINDOW_DAYS, around: pd.Timestamp | None = None,
                      alarms: Sequence[tuple[str, int]] = VOLUME_ALARM, alarm_z: float = DETECT_Z) -> pd.DataFrame:
    """Volume anomalies in the period with their onset, excess member messages and negativity.

    Robust z-score of the trailing 24-hour member-message count against the previous ``baseline_days``
    (median/MAD, at least the Poisson SD; :func:`alarm_zscores`, ``alarms`` may add other counts); runs of
    hours with z ≥ ``alarm_z`` (5; gaps < 48 h merged) are episodes. Each gets
    its onset (Poisson change point), excess member messages over the hour-of-day baseline in
    ``[onset, onset + window_days)``, the negativity test of its first 48 h and the baseline's member messages
    per day (the least excess a crisis brings). ``around`` keeps the episodes whose alarm lies within 24 h
    before to 72 h after it. Sorted by excess, largest first.
    """
    cols = ["onset_at", "alarm_at", "max_z", "excess_messages", "negativity", "negative_share_48h",
            "baseline_negative_share", "scored_48h", "z_negative", "baseline_messages_per_day"]
    m = data.messages
    times = _member_times(m)
    if times.empty:
        return pd.DataFrame(columns=cols)
    neg_times = m.loc[m["author_role"].eq("member").fillna(False).to_numpy() & m["label"].eq(-1.0).to_numpy(),
                      "created_at"]
    lo = times.min().floor("h")
    data_end = times.max().floor(f"{CHANGEPOINT_BIN_MINUTES}min") + pd.Timedelta(minutes=CHANGEPOINT_BIN_MINUTES)
    index, z = alarm_zscores(data, baseline_days, alarms)
    hot = np.flatnonzero(np.nan_to_num(z, nan=0.0) >= alarm_z)
    episodes: list[list[int]] = []
    for i in hot:
        if episodes and i - episodes[-1][-1] <= 48:
            episodes[-1].append(i)
        else:
            episodes.append([i])
    rows = []
    for ep in episodes:
        alarm = index[ep[0]]
        if around is not None and not (around - pd.Timedelta(hours=24) <= alarm <= around + pd.Timedelta(hours=72)):
            continue
        search_lo = max(alarm - pd.Timedelta(hours=36), lo)
        base_lo = search_lo - pd.Timedelta(days=baseline_days)
        profile = _hour_profile(times, max(base_lo, lo), search_lo, data.timezone)
        if search_lo - max(base_lo, lo) < pd.Timedelta(days=2):
            continue  # not enough history before the alarm to know what is normal
        neg_profile = _hour_profile(neg_times, max(base_lo, lo), search_lo, data.timezone)
        # the search ends 12 h after the alarm, or where the data end (a check as of now has no future)
        search_hi = min(alarm + pd.Timedelta(hours=12), data_end)
        onset = _onset_changepoint(times, search_lo, search_hi, profile, data.timezone, neg_times, neg_profile)
        if onset is None:
            continue
        w_hi = onset + pd.Timedelta(days=window_days)
        hours = pd.date_range(onset.floor("h"), w_hi.floor("h"), freq="h", inclusive="left")
        expected = float(profile[hours.tz_convert(data.timezone).hour.to_numpy()].sum())
        observed = float(((times >= onset) & (times < w_hi)).sum())
        neg = negativity_test(m, onset, baseline_days)
        rows.append((onset, alarm, float(np.nanmax(z[ep])), observed - expected, neg["status"], neg["p1"],
                     neg["p0"], neg["n1"], neg["z"], float(profile.sum())))
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("excess_messages", ascending=False, kind="stable").reset_index(drop=True)


def _incident_row(data: CrisisData, incident_id: str) -> pd.Series:
    inc = data.dataset.incidents
    if inc is None or inc.empty or "incident_id" not in inc:
        raise CrisisError(f"incident_id {incident_id!r} was given but {data.data_dir}/incidents has no rows "
                          "(in the analysed period and brand); use incident_id = None to detect the crisis")
    hit = inc[inc["incident_id"].astype(str) == str(incident_id)]
    if hit.empty:
        known = ", ".join(sorted(inc["incident_id"].astype(str))) or "none"
        raise CrisisError(f"incident_id {incident_id!r} is not in {data.data_dir}/incidents (column incident_id) "
                          f"for the analysed period and brand; known: {known}")
    return hit.iloc[0]


def _statements(data: CrisisData, onset: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Organisation posts (not replies) in ``[onset, end)`` that read like statements (cue words)."""
    m = data.messages
    posts = m[m["author_role"].isin(RESPONDER_ROLES).fillna(False).to_numpy() & m["parent_id"].isna().to_numpy()
              & (m["created_at"] >= onset).to_numpy() & (m["created_at"] < end).to_numpy()]
    low = posts["text"].fillna("").astype(str).str.lower()
    hit = low.map(lambda t: any(c in t for c in STATEMENT_CUES)).astype(bool)
    # .loc with a boolean mask: plain [] takes an empty mask (no organisation posts) for a list of columns
    return posts.loc[hit.to_numpy(), ["message_id", "channel", "created_at", "language", "text"]]


def _valid_days(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 1 or value != int(value):
        raise CrisisError(f"{name} must be a whole number of days ≥ 1, got {value!r}")
    return int(value)


def _name_from_row(cr: Crisis, row: pd.Series) -> None:
    cr.incident_id = str(row["incident_id"])
    cr.incident_title = None if pd.isna(row.get("title")) else str(row.get("title"))
    cr.recorded_start_at = pd.Timestamp(row["started_at"])


def _anchor_on_incident(cr: Crisis, data: CrisisData, cands: pd.DataFrame, baseline_days: int) -> None:
    """Onset near a given incident row: the nearest detected anomaly, else the row's own started_at."""
    chosen = cands.iloc[0] if not cands.empty else None
    if chosen is not None:
        cr.onset_at, cr.onset_source = chosen["onset_at"], N_("detected near the incident row's started_at")
    else:
        cr.onset_at, cr.onset_source = cr.recorded_start_at, N_("incident row (no volume anomaly found near it)")
        cr.notes.append(N_("No volume anomaly near the recorded start: the onset is the incident row's started_at."))
    cr.negativity = negativity_test(data.messages, cr.onset_at, baseline_days)["status"]
    cr.excess_messages = float(chosen["excess_messages"]) if chosen is not None else math.nan


def _pick_detected(cr: Crisis, data: CrisisData, cands: pd.DataFrame) -> pd.Series | None:
    """Without an incident id: the largest anomaly whose negative share rose (``cr.reason`` says why none).

    Returns the incident row that starts within 24 h of the detected onset (it names the crisis), if any.
    """
    if cands.empty:
        cr.reason = N_("member-message volume never rose far above its own recent baseline (robust z-score < 5) in "
                       "the period.")
        return None
    turned = cands[cands["negativity"].isin(["negative", "unknown"])]
    usable = turned[turned["excess_messages"] >= turned["baseline_messages_per_day"]]
    if usable.empty:
        if turned.empty:
            cr.reason = (N_("{n} volume anomaly found, but the negative share did not rise in it (a busy day, not a "
                            "crisis).") if len(cands) == 1 else
                         N_("{n} volume anomalies found, but the negative share did not rise in any of them (a busy day, "
                            "not a crisis).")).format(n=len(cands))
        else:
            cr.reason = N_("{n} volume anomalies found, but those whose negative share rose brought fewer extra "
                           "messages than one ordinary day (a busy day, not a crisis).").format(n=len(cands))
        return None
    chosen = usable.iloc[0]
    cr.onset_at, cr.onset_source = chosen["onset_at"], N_("detected (largest anomaly with a negative turn)")
    cr.negativity = str(chosen["negativity"])
    cr.excess_messages = float(chosen["excess_messages"])
    inc = data.dataset.incidents
    if inc is not None and not inc.empty:
        near = inc[(inc["started_at"] - cr.onset_at).abs() <= pd.Timedelta(hours=24)]
        if not near.empty:
            _name_from_row(cr, near.iloc[0])
            return near.iloc[0]
    return None


def _baseline_band(cr: Crisis, m: pd.DataFrame, onset: pd.Timestamp, baseline_days: int) -> pd.DataFrame:
    """The hourly series with its smoothed negative share; sets the baseline share, scored volume and band."""
    hourly = hourly_series(m, cr.baseline_start, cr.window_end)
    hourly["negative_share"] = smoothed_share(hourly["scored"], hourly["negative"])
    base = hourly[hourly.index < onset.floor("h")]
    scored0 = float(base["scored"].sum())
    first_seen = m["created_at"].min()
    covered = (onset - max(cr.baseline_start, first_seen)).total_seconds() / 86400.0
    if covered < baseline_days - 0.5:
        cr.notes.append(N_("The data start {days} days before the onset: the baseline is shorter than baseline_days "
                           "({baseline_days}).").format(days=f"{covered:.1f}", baseline_days=baseline_days))
    cr.baseline_scored_per_day = scored0 / max(covered, 1.0)
    cr.baseline_negative_share = float(base["negative"].sum() / scored0) if scored0 else math.nan
    cr.band_upper = band_upper(cr.baseline_negative_share, cr.baseline_scored_per_day)
    if cr.baseline_scored_per_day < FEW_SCORED_PER_DAY:
        cr.notes.append(N_("Only {n} scored member messages a day in the baseline: the negative share is noisy, its "
                           "band wide and the peak and recovery times rough. Score more languages (a sentiment model "
                           "trained on your labels, notebook 04) for sharper timings.").format(
                               n=f"{cr.baseline_scored_per_day:.1f}"))
    return hourly


def _first_response(cr: Crisis, data: CrisisData, row: pd.Series | None, onset: pd.Timestamp) -> None:
    """Statements after the onset, and the first response: the incident row's, else the first statement."""
    cr.statements = _statements(data, onset, cr.window_end)
    if row is not None and not pd.isna(row.get("first_response_at")):
        cr.first_response_at, cr.first_response_source = pd.Timestamp(row["first_response_at"]), \
            f"incident row {cr.incident_id} (first_response_at)"
    elif not cr.statements.empty:
        cr.first_response_at = cr.statements["created_at"].min()
        cr.first_response_source = "first organisation statement after the onset"
    elif cr.organisation_messages == 0:
        cr.notes.append(N_("No brand messages in this export (no message by the organisation or its moderators): "
                           "the first response, its effect on the negative share and the effect of the "
                           "organisation's replies cannot be measured."))
    else:
        cr.notes.append(N_("No official statement found after the onset (no incident row with first_response_at, no "
                           "organisation post with statement or apology words)."))


def _peak_and_recovery(cr: Crisis, hourly: pd.DataFrame, onset: pd.Timestamp, window_days: int) -> None:
    """Peak (:func:`peak_position`) and recovery after the onset, as DEVELOPERS.md defines them."""
    after = hourly.index >= onset.floor("h")
    share = hourly["negative_share"].to_numpy()
    first = int(np.argmax(after))
    if np.isfinite(share[after]).any():
        k = peak_position(share, first, cr.baseline_negative_share)
        cr.peak_negative_share = float(share[k])
    else:
        k = first + int(np.argmax(hourly["volume"].to_numpy()[after]))
        cr.notes.append(N_("Nothing was scored in the window: the peak is the busiest hour, recovery is unknown."))
    cr.peak_at = hourly.index[k]
    if np.isfinite(share[after]).any() and not pd.isna(cr.band_upper):
        r = recovery_position(share, cr.band_upper, k)
        if r is not None:
            cr.recovery_at = hourly.index[r]
        else:
            cr.notes.append(N_("Negative share had not settled back into the baseline band within {days} days of the "
                               "onset (widen window_days).").format(days=window_days))


def locate(data: CrisisData, incident_id: str | None = None, baseline_days: int = DEFAULT_BASELINE_DAYS,
           window_days: int = DEFAULT_WINDOW_DAYS, crisis_type: str | None = None) -> Crisis:
    """Find the crisis and its phases: onset, peak, first response, recovery, baseline band, hourly series.

    ``incident_id`` None analyses the largest volume anomaly whose negative share rose (see the module
    docstring); otherwise the incident row anchors the search (the onset is still read from the data, the
    row's ``started_at`` is the fallback) and gives the first response and crisis type. ``crisis_type``
    (victim, accidental, preventable) overrides the row's. Returns ``Crisis(detected=False, reason=...)`` when
    the period holds no crisis.
    """
    baseline_days = _valid_days(baseline_days, "baseline_days")
    window_days = _valid_days(window_days, "window_days")
    if crisis_type is not None and crisis_type not in SCCT:
        raise CrisisError(f"crisis_type must be one of {', '.join(SCCT)} or None, got {crisis_type!r}")
    m = data.messages
    cr = Crisis(detected=False, reason="", baseline_days=baseline_days, window_days=window_days,
                organisation_messages=metrics.organisation_messages(m))
    times = _member_times(m)
    if times.empty:
        cr.reason = N_("the period holds no member messages.")
        return cr
    row = None
    span_days = (times.max() - times.min()).total_seconds() / 86400
    if span_days < baseline_days and not (incident_id is not None and str(incident_id).strip()):
        cr.detectable = False
        cr.reason = N_("the member messages cover only {days} days, and detecting a crisis needs {baseline} days of "
                       "ordinary volume before it (`baseline_days`): whether there was one cannot be told from "
                       "this data.").format(days=f"{span_days:.1f}", baseline=baseline_days)
        return cr
    if incident_id is not None and str(incident_id).strip():
        row = _incident_row(data, str(incident_id))
        _name_from_row(cr, row)
        cands = detect_candidates(data, baseline_days, window_days, around=cr.recorded_start_at)
    else:
        cands = detect_candidates(data, baseline_days, window_days)
    cr.candidates = cands
    if row is not None:
        _anchor_on_incident(cr, data, cands, baseline_days)
    else:
        row = _pick_detected(cr, data, cands)
        if cr.onset_at is None:
            return cr
    if cr.negativity == "unknown":
        cr.notes.append(N_("Too few scored messages to confirm that sentiment turned negative; the crisis is "
                           "identified by volume alone."))
    cr.detected = True
    onset = cr.onset_at
    if crisis_type is not None:
        cr.crisis_type, cr.crisis_type_source = crisis_type, N_("parameter crisis_type")
    elif row is not None and not pd.isna(row.get("crisis_type")):
        cr.crisis_type, cr.crisis_type_source = str(row["crisis_type"]), N_("incident row {id}").format(id=cr.incident_id)
    cr.hourly = _baseline_band(cr, m, onset, baseline_days)
    _first_response(cr, data, row, onset)
    _peak_and_recovery(cr, cr.hourly, onset, window_days)
    return cr


# --------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------


def phase_findings(cr: Crisis) -> dict[str, Any]:
    """The detection/phase findings keys (``crisis_detected`` plus the timing and share keys); ``crisis_detected``
    is None when the data cannot tell (:attr:`Crisis.detectable` False: a period shorter than the baseline)."""
    if not cr.detected:
        return {"crisis_detected": False if cr.detectable else None, **{k: None for k in FINDINGS_KEYS}}
    return {
        "crisis_detected": True,
        "incident_id": cr.incident_id,
        "crisis_type": cr.crisis_type,
        "onset_at": cr.onset_at,
        "peak_at": cr.peak_at,
        "first_response_at": cr.first_response_at,
        "first_response_hours": cr.hours_after_onset(cr.first_response_at),
        "peak_hours": cr.hours_after_onset(cr.peak_at),
        "recovery_hours": cr.hours_after_onset(cr.recovery_at),
        "baseline_negative_share": cr.baseline_negative_share,
        "baseline_band_upper": cr.band_upper,
        "peak_negative_share": cr.peak_negative_share,
        "excess_member_messages": cr.excess_messages,
        "crisis_sentiment_coverage": cr.sentiment_coverage,
        **metrics.reliability(PHASE_SENTIMENT_KEYS, cr.sentiment_coverage,
                              "member messages from the baseline start to the end of the crisis window"),
    }


def key_intervals(cr: Crisis) -> pd.DataFrame:
    """onset → first response, onset → peak, onset → recovery (hours and days) with how each was found."""
    rows = []
    if cr.detected:
        for label, ts, how in (
            ("onset → first response", cr.first_response_at, cr.first_response_source or "not found"),
            ("onset → peak negative share", cr.peak_at, "top of the first rise of the 24-h negative share (first 48 h)"),
            ("onset → recovery", cr.recovery_at,
             "negative share stays within the baseline band for 24 h" if cr.recovery_at is not None
             else "not recovered within the window"),
        ):
            h = cr.hours_after_onset(ts)
            rows.append((label, round(h, 1) if not pd.isna(h) else math.nan,
                         round(h / 24, 2) if not pd.isna(h) else math.nan, how))
    return pd.DataFrame(rows, columns=["interval", "hours", "days", "how it was found"]).set_index("interval")


def interrupted_time_series(cr: Crisis, maxlags: int = 24) -> dict[str, Any]:
    """Segmented regression of the hourly negative share around the first response (OLS, HAC errors).

    Hours with at least one scored member message in ``[onset − baseline_days, onset + window_days)`` enter
    as observations (share of that hour); time in days from the onset. Model: baseline level and trend, a
    level shift at the onset, and a level and slope change at the first response. ``its_level_change`` is the
    jump at the first response (share points, 0–1 scale), ``its_slope_change`` the change of trend after it
    (share per day), both with 95 % CIs. NaN with a ``reason`` when not estimable.
    """
    out: dict[str, Any] = {"its_level_change": math.nan, "its_level_change_ci_low": math.nan,
                           "its_level_change_ci_high": math.nan, "its_slope_change": math.nan,
                           "its_slope_change_ci_low": math.nan, "its_slope_change_ci_high": math.nan,
                           "its_n_hours": 0, "reason": "", "sentiment_coverage": cr.sentiment_coverage}
    if not cr.detected:
        out["reason"] = "no crisis detected"
        return out
    if cr.first_response_at is None:
        out["reason"] = "no first response known, so there is no interruption to test"
        return out
    h = cr.hourly
    ok = h["scored"] > 0
    t = (h.index[ok] - cr.onset_at).total_seconds() / 86400.0
    y = (h.loc[ok, "negative"] / h.loc[ok, "scored"]).to_numpy()
    fr = (cr.first_response_at - cr.onset_at).total_seconds() / 86400.0
    try:
        table = stats.segmented_regression(t, y, [("onset", 0.0, False), ("response", fr, True)], maxlags=maxlags)
    except ValueError as exc:
        out["reason"] = str(exc)
        return out
    lv, sl = table.loc["level_response"], table.loc["slope_response"]
    out.update({"its_level_change": lv["coef"], "its_level_change_ci_low": lv["ci_low"],
                "its_level_change_ci_high": lv["ci_high"], "its_slope_change": sl["coef"],
                "its_slope_change_ci_low": sl["ci_low"], "its_slope_change_ci_high": sl["ci_high"],
                "its_n_hours": int(lv["n"]), "table": table})
    return out


def window_coverage(messages: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Share (0–1) of member messages created in ``[start, end)`` that the scorer read (``label`` not NaN);
    NaN when there are none."""
    inside = (messages["created_at"] >= start) & (messages["created_at"] < end) \
        & messages["author_role"].eq("member").fillna(False).astype(bool)
    n = int(inside.sum())
    return float(messages.loc[inside, "label"].astype(float).notna().sum() / n) if n else math.nan


def _terms_of(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    out = []
    for t, lang in zip(texts, langs):
        lg = None if lang in (None, "und") or pd.isna(lang) else lang
        toks = text.tokenize(t if isinstance(t, str) else "", lg, drop_stopwords=True)
        out.append(sorted(set(toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])])))
    return out


def distinctive_terms(data: CrisisData, cr: Crisis, top_n: int = 15, min_count: int = 5,
                      max_chars: int = 140) -> pd.DataFrame:
    """Terms distinctive of the crisis window vs the baseline (member messages, all languages).

    Weighted log-odds with an informative Dirichlet prior (:func:`helpers.stats.weighted_log_odds`) on
    document counts (a message counts a term once); kept: ≥ ``min_count`` crisis messages and z ≥ 1.96.
    Columns: term, language (where it occurs most), crisis_messages, baseline_messages, log_odds, z,
    example_id and example (the earliest crisis message with the term, truncated; plain text).
    """
    cols = ["term", "language", "crisis_messages", "baseline_messages", "log_odds", "z", "example_id", "example"]
    if not cr.detected:
        return pd.DataFrame(columns=cols)
    m = data.messages[data.messages["author_role"].eq("member").fillna(False).to_numpy()]
    win = m[(m["created_at"] >= cr.onset_at) & (m["created_at"] < cr.window_end)]
    base = m[(m["created_at"] >= cr.baseline_start) & (m["created_at"] < cr.onset_at)]
    tw = _terms_of(win["text"].tolist(), win["language"].tolist())
    tb = _terms_of(base["text"].tolist(), base["language"].tolist())
    ca, cb = Counter(t for ts in tw for t in ts), Counter(t for ts in tb for t in ts)
    table = stats.weighted_log_odds(ca, cb)
    table = table[(table["count_a"] >= min_count) & (table["z"] >= 1.96)]
    # drop a single word when a listed bigram explains most of it
    bigrams = [t for t in table["term"].head(top_n * 3) if " " in t]
    explained = {w for b in bigrams for w in b.split(" ") if ca[b] >= 0.8 * ca.get(w, 0)}
    table = table[~table["term"].isin(explained)].head(top_n)
    # the crisis messages holding each listed term, found in one pass (not one scan of the window per term)
    listed = set(table["term"])
    holders: dict[str, list[int]] = {t: [] for t in listed}
    for i, ts in enumerate(tw):
        for t in listed.intersection(ts):
            holders[t].append(i)
    win_langs = win["language"].tolist()
    rows = []
    for _, r in table.iterrows():
        term = r["term"]
        idx = holders[term][0]
        langs = Counter(str(win_langs[i]) for i in holders[term])
        rows.append((term, langs.most_common(1)[0][0], int(r["count_a"]), int(r["count_b"]), r["log_odds"], r["z"],
                     str(win["message_id"].iloc[idx]), text.truncate_for_display(win["text"].iloc[idx], max_chars)))
    return pd.DataFrame(rows, columns=cols)


def community_defence(data: CrisisData, cr: Crisis) -> dict[str, Any]:
    """Defending messages in the crisis window and the baseline, split by established members and newcomers.

    Returns ``defender_share``, ``defender_share_established``, ``defender_share_newcomers`` (window) with
    their 95 % Wilson CIs and n, the same for the baseline (``baseline_…``), the number of established members
    and a ``table`` for display.
    """
    empty = {"defender_share": math.nan, "defender_share_established": math.nan, "table": pd.DataFrame()}
    if not cr.detected:
        return empty
    m = data.messages
    est = established_authors(m, cr.onset_at)
    flags = defence_flags(m)
    win = defence_summary(m, cr.onset_at, cr.onset_at, cr.window_end, est, flags)
    base = defence_summary(m, cr.onset_at, cr.baseline_start, cr.onset_at, est, flags)
    out: dict[str, Any] = {"established_members": len(est),
                           "sentiment_coverage": window_coverage(m, cr.onset_at, cr.window_end)}
    rows = []
    for group, key in (("all members", "all"), ("established members", "established"), ("newcomers", "newcomers")):
        suffix = "" if key == "all" else f"_{key}"
        out.update(win[key].as_dict(f"defender_share{suffix}"))
        out.update(base[key].as_dict(f"baseline_defender_share{suffix}"))
        rows.append((group, str(win[key]), win[f"{key}_defending"], str(base[key]), base[f"{key}_defending"]))
    out["table"] = pd.DataFrame(rows, columns=["who", "crisis window: defending share", "defending messages",
                                               "baseline: defending share", "baseline defending messages"]
                                ).set_index("who")
    return out


def reply_effect(data: CrisisData, cr: Crisis, worst_n: int = 5, max_chars: int = 160) -> dict[str, Any]:
    """Member sentiment after vs before the organisation's reply, paired by conversation (see module doc).

    Returns ``reply_effect`` with ``_ci_low``/``_ci_high``/``_n`` (labels −1..+1; > 0 calmer after the reply),
    ``pairs`` (one row per conversation), ``worst`` (the replies before the worst escalations, with the
    reply's text truncated and the conversation's language) and ``organisation_messages`` (count in the data;
    0: no reply exists to measure, the effect is NaN).
    """
    out: dict[str, Any] = {"reply_effect": math.nan, "reply_effect_ci_low": math.nan,
                           "reply_effect_ci_high": math.nan, "reply_effect_n": 0,
                           "organisation_messages": metrics.organisation_messages(data.messages),
                           "pairs": pd.DataFrame(), "worst": pd.DataFrame()}
    if not cr.detected:
        return out
    pairs = reply_pairs(data.messages, cr.onset_at, cr.window_end)
    out["sentiment_coverage"] = window_coverage(data.messages, cr.onset_at, cr.window_end)
    est = stats.paired_mean_difference(pairs["before_mean"], pairs["after_mean"])
    out.update(est.as_dict("reply_effect"))
    out["estimate"] = est
    out["pairs"] = pairs
    lookup = data.messages.set_index("message_id")
    worst = pairs.sort_values("diff", kind="stable").head(worst_n)
    worst = worst[worst["diff"] < 0]
    out["worst"] = pd.DataFrame({
        "reply_at": worst["reply_at"].map(lambda t: local_time(t, data.timezone)),
        "conversation_language": worst["opener_id"].map(lookup["language"]),
        "before_mean": worst["before_mean"].round(2), "after_mean": worst["after_mean"].round(2),
        "change": worst["diff"].round(2), "n_before": worst["n_before"], "n_after": worst["n_after"],
        "reply_id": worst["reply_id"],
        "reply_text": worst["reply_id"].map(lookup["text"]).map(lambda t: text.truncate_for_display(t, max_chars)),
    }).reset_index(drop=True)
    return out




def scct_strategies(crisis_type: str | None) -> pd.DataFrame:
    """The recommended response strategies for an SCCT crisis type (empty table when unknown)."""
    if crisis_type not in SCCT:
        return pd.DataFrame(columns=["strategy"])
    return pd.DataFrame({"strategy": SCCT[crisis_type]["strategies"]},
                        index=pd.RangeIndex(1, len(SCCT[crisis_type]["strategies"]) + 1, name="#"))


def section_findings(its: dict[str, Any] | None = None, defence: dict[str, Any] | None = None,
                     effect: dict[str, Any] | None = None) -> dict[str, Any]:
    """The flat findings keys of the ITS, defence and reply-effect sections (NaN/None when not estimable).

    Each section's figures carry ``<key>_reliable`` / ``<key>_reliable_reason`` (:func:`helpers.metrics.reliability`)
    from the share of its member messages the scorer read."""
    out: dict[str, Any] = {}
    window = "member messages in the crisis window"
    if its is not None:
        out.update({k: its.get(k, math.nan) for k in (
            "its_level_change", "its_level_change_ci_low", "its_level_change_ci_high", "its_slope_change",
            "its_slope_change_ci_low", "its_slope_change_ci_high", "its_n_hours")})
        out.update(metrics.reliability(("its_level_change", "its_slope_change"), its.get("sentiment_coverage"),
                                       "member messages from the baseline start to the end of the crisis window"))
    if defence is not None:
        for key in ("defender_share", "defender_share_established", "defender_share_newcomers",
                    "baseline_defender_share"):
            for suffix in ("", "_ci_low", "_ci_high", "_n"):
                if f"{key}{suffix}" in defence or suffix == "":
                    out[f"{key}{suffix}"] = defence.get(f"{key}{suffix}", math.nan)
        out["established_members"] = defence.get("established_members", 0)
        out.update(metrics.reliability(("defender_share", "defender_share_established", "defender_share_newcomers"),
                                       defence.get("sentiment_coverage"), window))
    if effect is not None:
        out.update({k: effect.get(k, math.nan) for k in ("reply_effect", "reply_effect_ci_low",
                                                         "reply_effect_ci_high", "reply_effect_n")})
        out.update(metrics.reliability(("reply_effect",), effect.get("sentiment_coverage"), window))
        if "organisation_messages" in effect:
            out["organisation_messages"] = effect["organisation_messages"]
    return out
