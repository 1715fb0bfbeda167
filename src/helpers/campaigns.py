"""Campaign vs community: the pipeline behind notebooks/02_campaign_vs_community.ipynb.

:func:`prepare` loads a canonical dataset, cuts brand and period, selects the initiatives (paid campaigns and
community programmes from the ``campaigns`` table) and checks them: initiatives outside the period, with
fewer pre-period days than required, overlapping windows or incidents nearby are noted in plain words (never
a traceback). The notebook's sections then call:

* :func:`ladder_table` — the AMEC ladder per initiative (outputs, out-takes, outcomes), one tidy table;
* :func:`post_table` + :func:`engagement_rate_ratios` — comments per brand post, paid / community vs organic
  posts, negative-binomial rate ratios controlling for channel, weekday, hour and time;
* :func:`lifts` — counterfactual lift of daily engagement, reach and new active members per initiative;
* :func:`member_cohorts` + :func:`retention_table` + :func:`survival_curves` — cohort retention;
* :func:`cost_table` — cost per engaged and per retained member;
* :func:`helpers.views.campaigns.verdict` — the plain-language answer with its caveats (views draw the prose).

Definitions (DEVELOPERS.md, "Campaigns and community programmes"): days are local calendar days in the
dataset's timezone; an initiative's window is [start, end) on its own channel; *daily engagement* = member
messages on the channel that day; *daily reach* = summed reach of the channel's brand posts published that
day; a member's *first activity* is their earliest member message in the analysed data, and their *cohort*
is the kind of initiative whose window (same channel) contains it ("organic" when none, "overlap" when both
kinds); *retained* = a member message at least ``retention_days`` after the first activity, among members
whose first activity is at least ``retention_days`` before the last message of the data.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import metrics, sentiment, stats, text
from helpers.annotate import PeriodError, annotate, load_period
from helpers.i18n import N_
from helpers.io import Dataset
from helpers.stats import Estimate

__all__ = ["CampaignError", "CampaignData", "KIND_SHORT", "KIND_LABEL", "prepare", "ladder_table", "post_table",
           "engagement_rate_ratios", "daily_series", "lifts", "lift_table", "member_cohorts",
           "retention_table", "survival_curves", "cost_table", "findings_values", "n_ok"]

KIND_SHORT = {"paid_campaign": "paid", "community_programme": "community"}
KIND_LABEL = {"paid": "paid campaigns", "community": "community programmes", "organic": "organic (neither)"}
INCIDENT_MIN_DAYS = 7  # an incident's burst is masked from pre-periods for at least this many days


class CampaignError(ValueError):
    """Invalid parameters for the campaign analysis (the message names the parameter and the fix)."""


@dataclass
class CampaignData:
    """A dataset cut to brand and period, with the selected initiatives checked.

    ``initiatives``: one row per selected initiative with ``campaign_id``, ``name``, ``kind`` (paid_campaign |
    community_programme), ``short`` (paid | community), ``channel``, ``start``/``end`` (local midnights,
    tz-aware), ``days``, ``budget``, ``currency``, ``pre_days_available``, ``lift_ok`` (bool) and ``note``.
    ``messages`` carries the canonical columns plus ``day`` (local date, tz-naive midnight).
    ``notes`` lists every edge case in plain words (also written to findings).
    """

    dataset: Dataset
    messages: pd.DataFrame
    initiatives: pd.DataFrame
    timezone: str
    pre_period_days: int
    retention_days: int
    currency: str
    sentiment_backend: str
    languages: list[str]
    first_day: pd.Timestamp | None
    last_day: pd.Timestamp | None
    last_message_at: pd.Timestamp | None
    incident_days: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    sentiment_choice: sentiment.BackendChoice | None = None

    @property
    def has_initiatives(self) -> bool:
        """True when at least one initiative lies in the analysed period."""
        return not self.initiatives.empty

    def days(self) -> pd.DatetimeIndex:
        """Every local day of the analysed data (tz-naive midnights)."""
        if self.first_day is None or self.last_day is None:
            return pd.DatetimeIndex([])
        return pd.date_range(self.first_day, self.last_day, freq="D")


def _local_day(ts: pd.Series, tz: str) -> pd.Series:
    return ts.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


_INITIATIVE_COLUMNS = ["campaign_id", "name", "kind", "short", "channel", "start", "end", "days", "budget",
                       "currency", "pre_days_available", "lift_ok", "note"]


def _data_days(msgs: pd.DataFrame, start: str | None, end: str | None) -> tuple[Any, Any]:
    """First and last local day analysed: the data's own, narrowed to ``start``/``end`` when given."""
    first_day = msgs["day"].min() if not msgs.empty else None
    last_day = msgs["day"].max() if not msgs.empty else None
    if start:
        first_day = pd.Timestamp(start).normalize() if first_day is None else max(first_day, pd.Timestamp(start))
    if end:
        last_day = pd.Timestamp(end).normalize() if last_day is None else min(last_day, pd.Timestamp(end))
    return first_day, last_day


def _selected_campaigns(ds: Dataset, cut: Dataset, campaign_ids: Sequence[str] | None,
                        notes: list[str]) -> pd.DataFrame:
    """The initiatives asked for (all in the period when ``campaign_ids`` is None); unknown ids become notes."""
    camps = cut.campaigns.copy()
    if campaign_ids is not None:
        wanted = [str(c) for c in campaign_ids]
        known = set(ds.campaigns["campaign_id"].astype(str))
        for cid in wanted:
            if cid not in known:
                notes.append(N_("Campaign {id} is not in the campaigns table; it was left out.").format(id=repr(cid)))
            elif cid not in set(camps["campaign_id"].astype(str)):
                notes.append(N_("Campaign {id} lies outside the selected brand/period; it was left out.").format(
                    id=repr(cid)))
        camps = camps[camps["campaign_id"].astype(str).isin(wanted)]
    return camps[camps["kind"].isin(list(KIND_SHORT))].copy()


def _initiative(c: pd.Series, tz: str, msgs: pd.DataFrame, first_day: Any, last_day: Any, pre_period_days: int,
                currency: str | None) -> dict[str, Any]:
    """One initiative's row: its local window (clipped to the data), budget, pre-period and a note on edge cases."""
    s_day = pd.Timestamp(c["start"]).tz_convert(tz).tz_localize(None).normalize()
    e_ts = c["end"] if pd.notna(c["end"]) else None
    e_day = pd.Timestamp(e_ts).tz_convert(tz).tz_localize(None).normalize() if e_ts is not None else None
    cid = str(c["campaign_id"])
    note = ""
    if e_day is None:
        e_day = (last_day + pd.Timedelta(days=1)) if last_day is not None else s_day + pd.Timedelta(days=1)
        note = "no end date: analysed up to the end of the data. "
    if last_day is not None and e_day > last_day + pd.Timedelta(days=1):
        note += f"its window runs past the data (to {e_day:%Y-%m-%d}); only the days with data are analysed. "
        e_day = last_day + pd.Timedelta(days=1)
    channel = str(c["channel"]) if pd.notna(c["channel"]) else None
    if channel is not None and not msgs["channel"].eq(channel).any():
        note += f"no messages on its channel {channel!r} in the period. "
    pre_avail = int((s_day - first_day).days) if first_day is not None else 0
    lift_ok = pre_avail >= pre_period_days and e_day > s_day
    if pre_avail < pre_period_days:
        note += (f"only {max(pre_avail, 0)} day(s) of data before its start, fewer than pre_period_days = "
                 f"{pre_period_days}: its counterfactual lift is skipped. ")
    return {
        "campaign_id": cid, "name": str(c["name"]) if pd.notna(c["name"]) else cid, "kind": str(c["kind"]),
        "short": KIND_SHORT[str(c["kind"])], "channel": channel,
        "start": s_day, "end": e_day, "days": int((e_day - s_day).days),
        "budget": float(c["budget"]) if pd.notna(c["budget"]) else np.nan,
        "currency": str(c["currency"]) if pd.notna(c["currency"]) else (currency or ""),
        "pre_days_available": max(pre_avail, 0), "lift_ok": bool(lift_ok), "note": note.strip(),
    }


def _incident_days(incidents: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Each incident's local days [start, end): at least INCIDENT_MIN_DAYS, or up to its resolution."""
    rows = []
    for _, i in incidents.iterrows():
        s_inc = pd.Timestamp(i["started_at"]).tz_convert(tz).tz_localize(None).normalize()
        end_inc = s_inc + pd.Timedelta(days=INCIDENT_MIN_DAYS)
        if pd.notna(i.get("resolved_at")):
            end_inc = max(end_inc, pd.Timestamp(i["resolved_at"]).tz_convert(tz).tz_localize(None).normalize()
                          + pd.Timedelta(days=1))
        rows.append({"incident_id": str(i["incident_id"]), "start": s_inc, "end": end_inc})
    return pd.DataFrame(rows, columns=["incident_id", "start", "end"])


def _overlaps(recs: list[dict[str, Any]], incident_days: pd.DataFrame, pre_period_days: int) -> list[str]:
    """Windows that overlap, pre-periods that contain another window, incidents inside a window (plain words)."""
    overlaps: list[str] = []
    for a_i, a in enumerate(recs):
        for b in recs[a_i + 1:]:
            if a["start"] < b["end"] and b["start"] < a["end"]:
                same = a["channel"] == b["channel"]
                overlaps.append(f"{a['campaign_id']} and {b['campaign_id']} overlap in time"
                                + (f" on the same channel ({a['channel']}): their effects cannot be told apart"
                                   if same else " (different channels)"))
        pre0 = a["start"] - pd.Timedelta(days=pre_period_days)
        for b in recs:
            if b is not a and b["channel"] == a["channel"] and b["start"] < a["start"] and b["end"] > pre0:
                overlaps.append(f"the pre-period of {a['campaign_id']} contains {b['campaign_id']} on "
                                f"{a['channel']}: its baseline is inflated, so its lift is understated")
        for _, inc in incident_days.iterrows():
            if inc["start"] < a["end"] and inc["end"] > a["start"]:
                overlaps.append(f"incident {inc['incident_id']} falls inside the window of {a['campaign_id']}: "
                                "its lift mixes the campaign with the crisis")
    return overlaps


def _currency(initiatives: pd.DataFrame, currency: str | None, notes: list[str]) -> str:
    """The budgets' currency: the one given, else the table's own ("mixed" and a note when several)."""
    if currency is not None:
        return currency
    cur = sorted(set(initiatives["currency"]) - {""})
    if len(cur) > 1:
        notes.append(N_("Budgets are in several currencies ({currencies}): costs per member are not comparable and "
                        "are left out.").format(currencies=", ".join(cur)))
    return cur[0] if len(cur) == 1 else ("mixed" if cur else "")


def prepare(
    data_dir: str | Path,
    brand: str | None = None,
    start: str | None = None,
    end: str | None = None,
    campaign_ids: Sequence[str] | None = None,
    pre_period_days: int = 28,
    retention_days: int = 60,
    currency: str | None = None,
    sentiment_backend: str = sentiment.AUTO,
    languages: Sequence[str] = text.DEFAULT_LANGUAGES,
    timezone: str | None = None,
) -> CampaignData:
    """Load ``data_dir``, keep ``brand`` and the days ``start``–``end`` (inclusive), select initiatives.

    ``campaign_ids`` None = every initiative overlapping the period. ``pre_period_days`` (≥ 14) days of data
    before an initiative's start are needed to model its counterfactual; ``retention_days`` (≥ 1) defines
    *retained*. ``currency`` labels costs when the campaigns table has none. Raises :class:`CampaignError` for
    invalid parameters; data edge cases become ``notes``.
    """
    if not isinstance(pre_period_days, (int, np.integer)) or pre_period_days < 14:
        raise CampaignError(f"pre_period_days must be a whole number of days >= 14 (two weeks, to see the weekly "
                            f"pattern twice), got {pre_period_days!r}")
    if not isinstance(retention_days, (int, np.integer)) or retention_days < 1:
        raise CampaignError(f"retention_days must be a whole number of days >= 1, got {retention_days!r}")
    if isinstance(campaign_ids, str):
        campaign_ids = [campaign_ids]
    try:
        period = load_period(data_dir, brand=brand, start=start, end=end, timezone=timezone)
    except PeriodError as exc:
        raise CampaignError(str(exc)) from exc
    ds, cut, tz = period.full, period.cut, period.timezone
    msgs = cut.messages.copy()
    msgs["day"] = _local_day(msgs["created_at"], tz)
    notes: list[str] = []
    first_day, last_day = _data_days(msgs, start, end)
    if msgs.empty:
        notes.append(N_("The selected brand and period hold no messages: there is nothing to analyse."))
    camps = _selected_campaigns(ds, cut, campaign_ids, notes)
    rows = [_initiative(c, tz, msgs, first_day, last_day, pre_period_days, currency)
            for _, c in camps.sort_values(["start", "campaign_id"]).iterrows()]
    initiatives = pd.DataFrame(rows, columns=_INITIATIVE_COLUMNS)
    if initiatives.empty and not msgs.empty:
        notes.append(N_("No paid campaign or community programme falls in the selected period and campaign_ids: there "
                        "is nothing to compare. Widen start/end or check the campaigns table.")
                     if campaign_ids is not None else
                     N_("No paid campaign or community programme falls in the selected period: there is nothing to "
                        "compare. Widen start/end or check the campaigns table."))
    for _, r in initiatives.iterrows():
        if r["note"]:
            notes.append(f"{r['campaign_id']} ({r['name']}): {r['note']}")
    incident_days = _incident_days(cut.incidents if campaign_ids is None else ds.incidents, tz)
    overlaps = _overlaps(initiatives.to_dict("records"), incident_days, pre_period_days)
    notes += [N_("Overlap: {overlap}.").format(overlap=o) for o in overlaps]
    last_at = msgs["created_at"].max() if not msgs.empty else None
    currency = _currency(initiatives, currency, notes)
    # "auto" is decided once for the whole run (windows are annotated later, each with the same scorer), from
    # the languages the export gives and the configured ones where it gives none
    given = msgs["language"].where(msgs["language"].isin(list(languages))) if "language" in msgs else None
    choice = sentiment.choose_backend(sentiment_backend, period.path,
                                      given.dropna().tolist() if given is not None and given.notna().any()
                                      else list(languages))
    return CampaignData(dataset=cut, messages=msgs, initiatives=initiatives, timezone=tz,
                        pre_period_days=int(pre_period_days), retention_days=int(retention_days),
                        currency=currency, sentiment_backend=choice.backend, languages=list(languages),
                        first_day=first_day, last_day=last_day, last_message_at=last_at,
                        incident_days=incident_days, notes=notes, overlaps=overlaps, sentiment_choice=choice)


# --------------------------------------------------------------------------------------------------
# building blocks


def _members(msgs: pd.DataFrame) -> pd.DataFrame:
    return msgs[msgs["author_role"].eq("member").fillna(False)]


def _brand_posts(msgs: pd.DataFrame) -> pd.DataFrame:
    return msgs[msgs["author_role"].eq("brand").fillna(False) & msgs["parent_id"].isna()]


def _in_window(df: pd.DataFrame, r: Any) -> pd.Series:
    m = (df["day"] >= r["start"]) & (df["day"] < r["end"])
    if r["channel"] is not None:
        m &= df["channel"].eq(r["channel"]).fillna(False)
    return m.fillna(False).astype(bool)


def _first_activity(data: CampaignData) -> pd.DataFrame:
    mem = _members(data.messages).sort_values(["created_at", "message_id"])
    return mem.drop_duplicates("author_id", keep="first")[["author_id", "created_at", "day", "channel"]]


def member_cohorts(data: CampaignData) -> pd.DataFrame:
    """One row per member: first activity (``first_at``, local ``first_day``, ``channel``), ``cohort``
    (paid | community | organic | overlap), ``initiative`` (its campaign_id), ``last_at``, ``eligible``
    (observable for ``retention_days``), ``retained`` (bool), and for survival ``duration_days`` and
    ``churned`` (silent during the last ``retention_days`` of the data). Author ids stay pseudonymised."""
    cols = ["author_id", "first_at", "first_day", "channel", "cohort", "initiative", "last_at", "eligible",
            "retained", "duration_days", "churned"]
    mem = _members(data.messages)
    if mem.empty:
        return pd.DataFrame(columns=cols)
    first = _first_activity(data).rename(columns={"created_at": "first_at", "day": "first_day"})
    last = mem.groupby("author_id")["created_at"].max().rename("last_at")
    out = first.merge(last, left_on="author_id", right_index=True)
    cohort = pd.Series("organic", index=out.index, dtype=object)
    initiative = pd.Series(None, index=out.index, dtype=object)
    kinds = pd.Series([set() for _ in range(len(out))], index=out.index, dtype=object)
    tmp = out.rename(columns={"first_day": "day"})
    for _, r in data.initiatives.iterrows():
        hit = _in_window(tmp, r)
        for idx in out.index[hit.to_numpy()]:
            kinds[idx].add(r["short"])
            if pd.isna(initiative[idx]):
                initiative[idx] = r["campaign_id"]
    for idx, ks in kinds.items():
        if len(ks) > 1:
            cohort[idx] = "overlap"
        elif ks:
            cohort[idx] = next(iter(ks))
    out["cohort"], out["initiative"] = cohort, initiative
    horizon = pd.Timedelta(days=data.retention_days)
    end = data.last_message_at
    out["eligible"] = out["first_at"] + horizon <= end
    out["retained"] = out["eligible"] & (out["last_at"] >= out["first_at"] + horizon)
    out["churned"] = out["last_at"] + horizon <= end
    out["duration_days"] = np.where(out["churned"], (out["last_at"] - out["first_at"]).dt.total_seconds(),
                                    (end - out["first_at"]).dt.total_seconds()) / 86400.0
    return out[cols].reset_index(drop=True)


def retention_table(cohorts: pd.DataFrame, retention_days: int) -> pd.DataFrame:
    """Share of each cohort retained after ``retention_days`` (Wilson 95 % CI, n = eligible members)."""
    rows = []
    for short in ("paid", "community", "organic"):
        c = cohorts[(cohorts["cohort"] == short) & cohorts["eligible"].astype(bool)] if not cohorts.empty \
            else cohorts
        k, n = int(c["retained"].sum()) if n_ok(c) else 0, len(c)
        est = Estimate.proportion(k, n)
        rows.append({"cohort": short, "label": KIND_LABEL[short], "retained": k, "n": n,
                     "retention": est.value, "ci_low": est.ci_low, "ci_high": est.ci_high,
                     "estimate": str(est)})
    out = pd.DataFrame(rows)
    out.attrs["retention_days"] = retention_days
    return out


def n_ok(df: pd.DataFrame) -> bool:
    """True when ``df`` has rows (helper for empty cohorts)."""
    return df is not None and len(df) > 0


def survival_curves(cohorts: pd.DataFrame) -> pd.DataFrame:
    """Kaplan–Meier curves per cohort (paid, community, organic): days since first activity until the member
    goes silent (censored when still active near the end of the data)."""
    frames = []
    for short in ("paid", "community", "organic"):
        c = cohorts[cohorts["cohort"] == short] if not cohorts.empty else cohorts
        if c.empty:
            continue
        km = stats.kaplan_meier(c["duration_days"], c["churned"])
        km["cohort"] = short
        frames.append(km)
    if not frames:
        return pd.DataFrame(columns=["time", "survival", "ci_low", "ci_high", "at_risk", "cohort"])
    return pd.concat(frames, ignore_index=True)


def post_table(data: CampaignData) -> pd.DataFrame:
    """One row per brand post: ``message_id``, ``channel``, ``group`` (paid | community | organic),
    ``campaign_id``, local ``weekday``/``hour``/``hour_block`` (3-hour blocks), ``days_since_start``,
    ``comments`` (direct member replies), ``reactions``, ``shares``, ``reach``. Posts of initiatives that were
    not selected and posts during incidents (and 7 days after) are left out."""
    cols = ["message_id", "channel", "group", "campaign_id", "weekday", "hour", "hour_block", "days_since_start",
            "comments", "reactions", "shares", "reach"]
    msgs = data.messages
    posts = _brand_posts(msgs).copy()
    if posts.empty:
        return pd.DataFrame(columns=cols)
    comments = _members(msgs)["parent_id"].value_counts()
    posts["comments"] = posts["message_id"].map(comments).fillna(0).astype(int)
    kind_of = dict(zip(data.initiatives["campaign_id"], data.initiatives["short"]))
    all_ids = set(data.dataset.campaigns["campaign_id"].astype(str))
    cid = posts["campaign_id"].astype("string")
    posts["group"] = [kind_of.get(str(c), None) if pd.notna(c) else "organic" for c in cid]
    posts = posts[posts["group"].notna() | ~cid.isin(all_ids).fillna(False)].copy()
    posts["group"] = posts["group"].fillna("organic")
    for _, inc in data.incident_days.iterrows():
        posts = posts[~((posts["day"] >= inc["start"] - pd.Timedelta(days=1)) & (posts["day"] < inc["end"]))]
    local = posts["created_at"].dt.tz_convert(data.timezone)
    posts["weekday"] = local.dt.day_name()
    posts["hour"] = local.dt.hour
    posts["hour_block"] = (local.dt.hour // 3 * 3).map(lambda h: f"{h:02d}–{h + 3:02d}")
    posts["days_since_start"] = (posts["day"] - data.first_day).dt.days
    for c in ("reactions", "shares", "reach"):
        posts[c] = pd.to_numeric(posts[c]).astype(float)
    posts["campaign_id"] = posts["campaign_id"].astype(object)
    return posts[cols].reset_index(drop=True)


def engagement_rate_ratios(posts: pd.DataFrame) -> pd.DataFrame:
    """Comments per post of paid and community posts relative to organic posts (negative-binomial rate
    ratios, 95 % CI) controlling for channel, weekday, 3-hour block and a linear time trend. Adds
    ``mean_comments`` per group. Empty when organic or initiative posts are missing."""
    rr = stats.rate_ratios(posts, "comments", "group", "organic", controls=("channel", "weekday", "hour_block"),
                           numeric_controls=("days_since_start",))
    if rr.empty:
        return rr
    means = posts.groupby("group")["comments"].mean()
    rr["mean_comments"] = rr["group"].map(means)
    rr["mean_comments_organic"] = float(means.get("organic", np.nan))
    order = {"paid": 0, "community": 1}
    return rr.sort_values("group", key=lambda s: s.map(order).fillna(9)).reset_index(drop=True)


def daily_series(data: CampaignData, channel: str | None) -> pd.DataFrame:
    """Per local day on ``channel`` (None = all): ``engagement`` (member messages), ``reach`` (summed reach of
    brand posts published that day), ``new_members`` (members whose first activity is that day on that
    channel) and ``incident`` (bool: inside an incident's days, masked from pre-periods)."""
    days = data.days()
    msgs = data.messages if channel is None else data.messages[data.messages["channel"].eq(channel).fillna(False)]
    mem = _members(msgs)
    eng = mem.groupby("day").size().reindex(days, fill_value=0)
    reach = _brand_posts(msgs).assign(r=lambda d: pd.to_numeric(d["reach"]).astype(float)) \
        .groupby("day")["r"].sum().reindex(days, fill_value=0.0)
    first = _first_activity(data)
    if channel is not None:
        first = first[first["channel"].eq(channel).fillna(False)]
    new = first.groupby("day").size().reindex(days, fill_value=0)
    incident = pd.Series(False, index=days)
    for _, inc in data.incident_days.iterrows():
        incident |= (days >= inc["start"]) & (days < inc["end"])
    return pd.DataFrame({"engagement": eng.astype(float), "reach": reach.astype(float),
                         "new_members": new.astype(float), "incident": incident}, index=days)


def lifts(data: CampaignData, metrics: Sequence[str] = ("engagement", "reach", "new_members")
          ) -> dict[str, dict[str, Any]]:
    """Counterfactual lift per initiative and metric (:func:`helpers.stats.counterfactual_lift`, model fit on
    the ``pre_period_days`` before the window, incident days masked). ``{campaign_id: {metric: LiftEstimate
    | None, "naive_engagement": share, "skipped": reason or ""}}``."""
    out: dict[str, dict[str, Any]] = {}
    cache: dict[Any, pd.DataFrame] = {}
    for _, r in data.initiatives.iterrows():
        res: dict[str, Any] = {"skipped": ""}
        if not r["lift_ok"]:
            res["skipped"] = r["note"] or "not enough pre-period data"
            out[r["campaign_id"]] = res
            continue
        if r["channel"] not in cache:
            cache[r["channel"]] = daily_series(data, r["channel"])
        series = cache[r["channel"]]
        for metric in metrics:
            try:
                res[metric] = stats.counterfactual_lift(series[metric], r["start"], r["end"],
                                                        pre_period_days=data.pre_period_days,
                                                        exclude=series["incident"])
            except ValueError as exc:
                res[metric] = None
                res["skipped"] = f"{metric}: {exc}"
        res["naive_engagement"] = stats.naive_lift(series["engagement"], r["start"], r["end"],
                                                   data.pre_period_days)
        out[r["campaign_id"]] = res
    return out


def lift_table(data: CampaignData, lift: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per initiative and metric: observed and predicted sums, absolute and relative lift with 95 %
    intervals, the naive before/after change for engagement, and why a lift was skipped."""
    rows = []
    units = {"engagement": "member messages", "reach": "reach", "new_members": "new active members"}
    for _, r in data.initiatives.iterrows():
        res = lift.get(r["campaign_id"], {})
        for metric, unit in units.items():
            est = res.get(metric)
            row = {"campaign_id": r["campaign_id"], "kind": r["short"], "channel": r["channel"], "metric": metric,
                   "unit": unit, "days": r["days"]}
            if est is None:
                row.update(note=res.get("skipped") or "skipped")
            else:
                row.update(observed=est.observed, predicted=est.predicted, abs_lift=est.abs_lift,
                           abs_ci_low=est.abs_ci_low, abs_ci_high=est.abs_ci_high, rel_lift=est.rel_lift,
                           rel_ci_low=est.rel_ci_low, rel_ci_high=est.rel_ci_high, n_pre_days=est.n_pre_days,
                           note="")
                if metric == "engagement":
                    row["naive_rel_change"] = res.get("naive_engagement")
            rows.append(row)
    cols = ["campaign_id", "kind", "channel", "metric", "unit", "days", "observed", "predicted", "abs_lift",
            "abs_ci_low", "abs_ci_high", "rel_lift", "rel_ci_low", "rel_ci_high", "naive_rel_change",
            "n_pre_days", "note"]
    return pd.DataFrame(rows).reindex(columns=cols)


def ladder_table(data: CampaignData, cohorts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The AMEC ladder per initiative as one tidy table: ``campaign_id``, ``kind``, ``level`` (output |
    out-take | outcome), ``metric``, ``value``, ``n`` (what the value counts over) and ``unit``.

    Outputs: posts, reach. Out-takes: reactions, comments, shares (totals and per post). Outcomes: engaged
    members, new active members, their retention after ``retention_days`` (Wilson CI), UGC, member-to-member
    replies, negative share among scored member messages (with the scorer's coverage)."""
    cols = ["campaign_id", "kind", "level", "metric", "value", "ci_low", "ci_high", "n", "unit"]
    if not data.has_initiatives:
        return pd.DataFrame(columns=cols)
    cohorts = member_cohorts(data) if cohorts is None else cohorts
    msgs = data.messages
    mem = _members(msgs)
    comment_counts = mem["parent_id"].value_counts()
    role_of = msgs.set_index("message_id")["author_role"]
    # every window's member messages annotated in one call, through the dataset's annotation cache (what the
    # notebooks' prepare() filled): a message is annotated the same way wherever it is analysed
    windows = [_in_window(mem, r).to_numpy() for _, r in data.initiatives.iterrows()]
    in_any = np.logical_or.reduce(windows) if windows else np.zeros(len(mem), dtype=bool)
    annotated = annotate(mem[in_any], data.languages, data.sentiment_backend, questions=False, progress=False,
                         data_dir=data.dataset.path)
    rows: list[dict[str, Any]] = []
    for (_, r), window in zip(data.initiatives.iterrows(), windows):
        cid, kind = r["campaign_id"], r["short"]

        def add(level: str, metric: str, value: Any, n: Any, unit: str, ci: tuple[float, float] = (np.nan, np.nan)
                ) -> None:
            rows.append({"campaign_id": cid, "kind": kind, "level": level, "metric": metric, "value": value,
                         "ci_low": ci[0], "ci_high": ci[1], "n": n, "unit": unit})

        posts = msgs[msgs["campaign_id"].eq(cid).fillna(False) & msgs["author_role"].eq("brand").fillna(False)]
        n_posts = len(posts)
        reach = float(pd.to_numeric(posts["reach"]).sum())
        reactions = float(pd.to_numeric(posts["reactions"]).sum())
        shares = float(pd.to_numeric(posts["shares"]).sum())
        comments = float(posts["message_id"].map(comment_counts).fillna(0).sum())
        add("output", "posts", n_posts, n_posts, "posts")
        add("output", "reach", reach, n_posts, "impressions (sum over its posts)")
        add("output", "reach per post", reach / n_posts if n_posts else np.nan, n_posts, "impressions per post")
        add("out-take", "reactions", reactions, n_posts, "reactions")
        add("out-take", "comments", comments, n_posts, "member comments")
        add("out-take", "shares", shares, n_posts, "shares")
        add("out-take", "comments per post", comments / n_posts if n_posts else np.nan, n_posts, "comments per post")
        win = mem[window]
        add("outcome", "engaged members", win["author_id"].nunique(), len(win), "distinct members")
        parent_role = win["parent_id"].map(role_of)
        add("outcome", "UGC", int(win["parent_id"].isna().sum()), len(win), "member posts")
        add("outcome", "member-to-member replies", int(parent_role.eq("member").fillna(False).sum()), len(win),
            "replies")
        co = cohorts[cohorts["initiative"].eq(cid).fillna(False) & cohorts["cohort"].eq(kind)] \
            if not cohorts.empty else cohorts
        add("outcome", "new active members", len(co), len(co), "members (first activity in the window)")
        elig = co[co["eligible"].astype(bool)] if not co.empty else co
        est = Estimate.proportion(int(elig["retained"].sum()) if len(elig) else 0, len(elig))
        add("outcome", f"retention after {data.retention_days} days", est.value, est.n, "share of new members",
            (est.ci_low, est.ci_high))
        scored = annotated[window[in_any]]
        s = scored[scored["scored"].astype(bool)] if not scored.empty else scored
        neg = Estimate.proportion(int(s["sentiment"].eq("negative").sum()) if len(s) else 0, len(s))
        coverage = len(s) / len(win) if len(win) else np.nan
        add("outcome", "negative share (scored messages)", neg.value, neg.n,
            "share" if metrics.is_reliable(coverage) is not False else
            f"share — not measured reliably: the scorer read {coverage:.0%} of these messages",
            (neg.ci_low, neg.ci_high))
        add("outcome", "sentiment coverage", coverage, len(win),
            f"share of member messages the {data.sentiment_backend} scorer reads")
    return pd.DataFrame(rows, columns=cols)


def cost_table(data: CampaignData, ladder: pd.DataFrame, cohorts: pd.DataFrame) -> pd.DataFrame:
    """Cost per engaged member and per retained member, paid campaigns vs community programmes.

    Engaged members: distinct members writing on the initiative's channel in its window. Retained members: its
    new members (first activity in the window) still active after ``retention_days``; only initiatives whose
    window ended at least ``retention_days`` before the last message count. Intervals come from the exact
    Poisson interval of the member count. Amounts in ``currency``."""
    rows = []
    if data.has_initiatives and data.currency != "mixed":
        engaged = ladder[ladder["metric"] == "engaged members"].set_index("campaign_id")["value"]
        for short in ("paid", "community"):
            ini = data.initiatives[data.initiatives["short"] == short]
            ini = ini[ini["budget"].notna()]
            budget_e = float(ini["budget"].sum())
            n_e = int(engaged.reindex(ini["campaign_id"]).fillna(0).sum())
            observable = ini[ini["end"] + pd.Timedelta(days=data.retention_days)
                             <= data.last_message_at.tz_convert(data.timezone).tz_localize(None)]
            budget_r = float(observable["budget"].sum())
            ret = cohorts[cohorts["initiative"].isin(observable["campaign_id"]) & cohorts["cohort"].eq(short)
                          & cohorts["retained"].astype(bool)] if not cohorts.empty else cohorts
            for what, budget, n in (("engaged", budget_e, n_e), ("retained", budget_r, len(ret))):
                est = stats.ratio_per_count(budget, n)
                rows.append({"kind": short, "per": f"{what} member", "budget": budget, "members": n,
                             "cost": est.value, "ci_low": est.ci_low, "ci_high": est.ci_high,
                             "initiatives": len(ini) if what == "engaged" else len(observable),
                             "currency": data.currency})
    return pd.DataFrame(rows, columns=["kind", "per", "budget", "members", "cost", "ci_low", "ci_high",
                                       "initiatives", "currency"])


def findings_values(data: CampaignData, lift: dict[str, dict[str, Any]], retention: pd.DataFrame,
                    rate_ratios: pd.DataFrame, costs: pd.DataFrame) -> dict[str, Any]:
    """The notebook's findings keys (flat, units in names; shares 0–1; lifts relative, 0.35 = +35 %)."""
    out: dict[str, Any] = {"initiatives_analysed": len(data.initiatives)}
    ini: dict[str, Any] = {}
    for _, r in data.initiatives.iterrows():
        res = lift.get(r["campaign_id"], {})
        entry: dict[str, Any] = {"kind": r["kind"], "channel": r["channel"], "window_days": int(r["days"]),
                                 "budget": r["budget"], "currency": r["currency"], "skipped": res.get("skipped", "")}
        for metric, prefix in (("engagement", "engagement_lift"), ("reach", "reach_lift"),
                               ("new_members", "new_members_lift")):
            est = res.get(metric)
            if est is not None:
                entry.update(est.as_dict(prefix))
        ini[r["campaign_id"]] = entry
    out["initiatives"] = ini
    ret = retention.set_index("cohort")
    for short in ("paid", "community", "organic"):
        out[f"retention_{short}"] = ret.loc[short, "retention"]
        out[f"retention_{short}_ci_low"] = ret.loc[short, "ci_low"]
        out[f"retention_{short}_ci_high"] = ret.loc[short, "ci_high"]
        out[f"retention_{short}_n"] = int(ret.loc[short, "n"])
    out["retention_days"] = data.retention_days
    rr = rate_ratios.set_index("group") if not rate_ratios.empty else pd.DataFrame()
    for short in ("paid", "community"):
        for suffix, col in (("", "rate_ratio"), ("_ci_low", "ci_low"), ("_ci_high", "ci_high"), ("_n", "n")):
            out[f"engagement_rate_ratio_{short}{suffix}"] = rr.loc[short, col] if short in rr.index else None
    for short in ("paid", "community"):
        for per in ("engaged", "retained"):
            row = costs[(costs["kind"] == short) & (costs["per"] == f"{per} member")] if not costs.empty else costs
            key = f"cost_per_{per}_member_{short}"
            out[key] = float(row["cost"].iloc[0]) if len(row) else None
            out[f"{key}_ci_low"] = float(row["ci_low"].iloc[0]) if len(row) else None
            out[f"{key}_ci_high"] = float(row["ci_high"].iloc[0]) if len(row) else None
            out[f"{key}_n"] = int(row["members"].iloc[0]) if len(row) else 0
    out["currency"] = data.currency
    out["notes"] = list(data.notes)
    return out


