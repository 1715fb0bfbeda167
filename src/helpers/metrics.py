"""Community metrics on canonical ``messages`` tables — and the one home of the shared definitions.

The definitions in DEVELOPERS.md are implemented here exactly once; the analysis notebooks and the
synthetic-data generator both use them:

- *member message*: ``author_role == "member"`` (:func:`member_messages`);
- *conversation opener*: a member message whose parent is null or a brand post (:func:`openers`);
- *first response*: the earliest brand or moderator message whose ``parent_id`` is the opener, created
  after it; response time in hours; *response_rate* = answered openers / openers (:func:`first_responses`,
  :func:`responsiveness`);
- *UGC*: a member message with ``parent_id`` null; *ugc_share* = UGC / member messages (:func:`ugc_summary`);
- *language_mix*: share of analysed messages (all roles) per detected language, undetected → "und"
  (:func:`language_mix`);
- *sentiment coverage*: share of messages the scorer supports; unsupported messages are "not scored",
  never neutral (:func:`sentiment_table`, :func:`sentiment_coverage`, :func:`negative_share`);
- *reliable* (a figure that depends on sentiment): the scorer read at least :data:`MIN_RELIABLE_COVERAGE`
  of the messages the figure is computed from (:func:`reliability`).

Inputs are canonical ``messages`` DataFrames (tz-aware UTC ``created_at``, string ids). Some functions use
columns the audience pipeline adds: ``sentiment`` (negative/neutral/positive or NA), ``scored`` (bool) and
``is_question`` (bool). Author ids are pseudonymised at import; nothing here de-pseudonymises them.
Shares are 0–1, durations are hours, counts are plain integers.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers import text
from helpers.i18n import N_
from helpers.stats import Estimate, bootstrap_ci, gini, top_share, wilson_ci

__all__ = [
    "RESPONDER_ROLES", "LEVELS", "LEVEL_RULES", "WEEKDAYS",
    "member_messages", "openers", "is_ugc", "activity_by_channel", "weekday_hour_matrix", "participation",
    "member_levels", "level_transitions", "organisation_messages", "first_responses", "responsiveness",
    "responsiveness_by", "unanswered_questions", "unanswered_count", "ugc_summary", "top_contributors",
    "language_mix", "sentiment_table", "sentiment_coverage", "negative_share", "shift_responsiveness",
    "MIN_RELIABLE_COVERAGE", "is_reliable", "reliability", "parent_positions",
]

#: roles whose reply to an opener counts as a response
RESPONDER_ROLES = ("brand", "moderator")
#: engagement levels, from least to most engaged ("observer" = follower with no messages)
LEVELS = ("observer", "participant", "contributor", "advocate")
#: weekday labels used as the index of :func:`weekday_hour_matrix`
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))

CONTRIBUTOR_MIN_MESSAGES = 3
ADVOCATE_MIN_UGC = 1
ADVOCATE_MIN_MEMBER_REPLIES = 3
ADVOCATE_MIN_MESSAGES = 15

#: the level rules in plain words (the notebook prints this next to the levels table)
LEVEL_RULES = "\n".join([
    N_("Engagement levels (member messages in the analysed period):"),
    "- " + N_("observer: a follower who posted nothing (counted from follower numbers, never listed);"),
    "- " + N_("participant: 1–{max} messages;").format(max=CONTRIBUTOR_MIN_MESSAGES - 1),
    "- " + N_("contributor: {min} or more messages;").format(min=CONTRIBUTOR_MIN_MESSAGES),
    "- " + N_("advocate: a contributor who also posts their own content (UGC: at least {ugc} post that is not a "
              "reply), or replies to other members at least {replies} times, or has posted {messages} or more "
              "messages.").format(ugc=ADVOCATE_MIN_UGC, replies=ADVOCATE_MIN_MEMBER_REPLIES,
                                  messages=ADVOCATE_MIN_MESSAGES),
])


# --------------------------------------------------------------------------------------------------
# small internals


def _is(series: pd.Series, value: str) -> pd.Series:
    """Plain bool Series: ``series == value`` with missing values as False."""
    return series.eq(value).fillna(False).astype(bool)


def _isin(series: pd.Series, values: Sequence[str]) -> pd.Series:
    return series.isin(list(values)).fillna(False).astype(bool)


def _utc(series: pd.Series) -> pd.Series:
    """Timestamps as tz-aware UTC (naive values are taken as UTC)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.dt.tz_localize("UTC")
    return pd.to_datetime(series, errors="coerce", utc=True, format="mixed")


def _local(series: pd.Series, timezone: str | None) -> pd.Series:
    """UTC timestamps converted to ``timezone`` (UTC when None)."""
    return _utc(series).dt.tz_convert(timezone or "UTC")


def _ts(value: Any) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def parent_positions(messages: pd.DataFrame) -> np.ndarray:
    """Row position of every message's parent (the first row carrying its id), −1 when the message has no parent
    or the parent is not in the table. One hash lookup of plain Python strings (Arrow-backed ones go element by
    element through ``map``)."""
    ids = messages["message_id"].astype(str).to_numpy(dtype=object)
    first = np.flatnonzero(~messages["message_id"].duplicated().to_numpy())
    parent = messages["parent_id"]
    pos = pd.Index(ids[first]).get_indexer(parent.astype(str).to_numpy(dtype=object))
    pos = np.where(pos >= 0, first[np.maximum(pos, 0)], -1)
    pos[parent.isna().to_numpy()] = -1
    return pos


def _at(values: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """``values[pos]`` (an object array), None where ``pos`` is −1."""
    out = np.asarray(values, dtype=object)[np.maximum(pos, 0)] if len(values) else np.full(len(pos), None, object)
    out[pos < 0] = None
    return out


def _message_flags(messages: pd.DataFrame) -> pd.DataFrame:
    """Per message: is_member, is_ugc, is_reply_to_member (another member's message), is_opener."""
    role = messages["author_role"]
    member = _is(role, "member").to_numpy()
    no_parent = messages["parent_id"].isna().to_numpy()
    pos = parent_positions(messages)
    parent_role = _at(role.to_numpy(dtype=object), pos)
    author = messages["author_id"].astype(object).to_numpy()
    parent_is_member = parent_role == "member"
    parent_is_brand = parent_role == "brand"
    other_author = _at(author, pos) != author
    return pd.DataFrame({
        "is_member": member,
        "is_ugc": member & no_parent,
        "is_reply_to_member": member & parent_is_member & other_author,
        "is_opener": member & (no_parent | parent_is_brand),
    }, index=messages.index)


def _hours(delta: pd.Series) -> pd.Series:
    return (delta.dt.total_seconds() / 3600.0).astype("float64")


# --------------------------------------------------------------------------------------------------
# definitions


def member_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """Member messages: rows with ``author_role == "member"`` (index and columns kept)."""
    return messages[_is(messages["author_role"], "member")]


def openers(messages: pd.DataFrame) -> pd.DataFrame:
    """Conversation openers: member messages whose ``parent_id`` is null or points to a brand post.

    Only openers are expected to get a brand answer. A member message whose parent is not in ``messages``
    (e.g. cut off by the analysed period) is not an opener: its parent cannot be shown to be a brand post.
    """
    if messages.empty:
        return messages.iloc[0:0]
    return messages[_message_flags(messages)["is_opener"]]


def is_ugc(messages: pd.DataFrame) -> pd.Series:
    """Bool per row: user-generated content = a member message with ``parent_id`` null."""
    return _is(messages["author_role"], "member") & messages["parent_id"].isna()


# --------------------------------------------------------------------------------------------------
# activity


_PERIOD_ALIASES = {"ME": "M", "MS": "M", "QE": "Q", "QS": "Q", "YE": "Y", "YS": "Y", "A": "Y", "W-MON": "W"}


def activity_by_channel(
    messages: pd.DataFrame, freq: str = "W", role: str = "all", timezone: str | None = None,
) -> pd.DataFrame:
    """Message counts per period × channel (messages per week for the default ``freq="W"``).

    ``role``: "all" (every role) or "member" (member messages only); any other author role ("brand",
    "moderator") also works. Periods are taken in ``timezone`` (UTC when None); the index holds each
    period's first day as a tz-naive local date (weeks start on Monday), named ``period``. Every period
    between the first and last message is present, with zeros where nothing was posted. Columns are
    channels (sorted), named ``channel``.
    """
    if role not in ("all", None):
        messages = messages[_is(messages["author_role"], role)]
    if messages.empty:
        out = pd.DataFrame(index=pd.DatetimeIndex([], name="period"), dtype="int64")
        out.columns.name = "channel"
        return out
    pfreq = _PERIOD_ALIASES.get(freq, freq)
    local = _local(messages["created_at"], timezone).dt.tz_localize(None)
    periods = local.dt.to_period(pfreq)
    channel = messages["channel"].astype(object).where(messages["channel"].notna(), "unknown")
    table = pd.crosstab(periods.to_numpy(), channel.to_numpy())
    full = pd.period_range(periods.min(), periods.max(), freq=periods.dt.freq)
    table = table.reindex(full, fill_value=0)
    table.index = pd.DatetimeIndex(full.start_time, name="period")
    table = table[sorted(table.columns, key=str)].astype("int64")
    table.columns = pd.Index([str(c) for c in table.columns], name="channel")
    table.attrs.update({"freq": freq, "role": role, "timezone": timezone or "UTC"})
    return table


def weekday_hour_matrix(messages: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """Counts of member messages by local weekday (rows Mon..Sun) × local hour of day (columns 0..23).

    Timestamps are converted from UTC to ``timezone`` (e.g. "Asia/Baku") first, so a message at
    22:30 UTC on a Sunday counts as Monday 02 in Baku (UTC+4).
    """
    members = member_messages(messages)
    out = pd.DataFrame(0, index=pd.Index(WEEKDAYS, name="weekday"), columns=pd.Index(range(24), name="hour"),
                       dtype="int64")
    if members.empty:
        return out
    local = _local(members["created_at"], timezone).dropna()
    counts = pd.crosstab(local.dt.day_of_week.to_numpy(), local.dt.hour.to_numpy())
    for day, row in counts.iterrows():
        for hour, value in row.items():
            out.iat[int(day), int(hour)] = int(value)
    out.attrs["timezone"] = timezone
    return out


# --------------------------------------------------------------------------------------------------
# participation and levels


def _followers(audience: pd.DataFrame | None, until: pd.Timestamp | None) -> float:
    """Mean daily followers (summed across channels/brands) over the last 7 days of ``audience``.

    When ``until`` is given, audience rows after that date are ignored (if any rows remain).
    """
    if audience is None or audience.empty or "followers" not in audience:
        return math.nan
    aud = audience[["date", "followers"]].copy()
    dates = pd.to_datetime(aud["date"], errors="coerce")
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    aud["date"] = dates.dt.normalize()
    aud["followers"] = pd.to_numeric(aud["followers"], errors="coerce")
    aud = aud.dropna()
    if until is not None:
        cut = aud[aud["date"] <= until.tz_convert("UTC").tz_localize(None).normalize()]
        if not cut.empty:
            aud = cut
    if aud.empty:
        return math.nan
    daily = aud.groupby("date")["followers"].sum()
    last = daily.index.max()
    window = daily[daily.index > last - pd.Timedelta(days=7)]
    return float(window.mean())


def participation(messages: pd.DataFrame, audience: pd.DataFrame | None) -> dict[str, float | int]:
    """How many followers take part, and how concentrated participation is.

    Returns a flat dict:

    - ``members_active``: distinct member ``author_id`` with at least one message (count);
    - ``followers``: mean daily followers over the last 7 days of ``audience`` (up to the last message's
      date), summed across channels and brands; NaN when ``audience`` is empty or None. Pass the audience
      table cut to the same brand and period as ``messages``;
    - ``observers``: followers − members_active, at least 0 (NaN when followers unknown);
    - ``active_member_share`` (0–1) = members_active / followers with Wilson 95 % CI
      (``active_member_share_ci_low`` / ``_ci_high``); NaN when followers are unknown; the CI is NaN when
      more members posted than there are followers (non-followers can comment);
    - ``participation_gini``: Gini of messages per active member (0 = all equally active, → 1 = a few
      members write everything);
    - ``top1pct_message_share`` / ``top10pct_message_share``: share (0–1) of member messages written by the
      most active 1 % / 10 % of active members (at least one member);
    - ``n_member_messages``: member messages (count).
    """
    members = member_messages(messages)
    per_member = members.groupby(members["author_id"].astype(object), dropna=True).size()
    active = int(per_member.size)
    until = _utc(messages["created_at"]).max() if not messages.empty else None
    followers = _followers(audience, until if until is not None and pd.notna(until) else None)
    if math.isnan(followers) or followers <= 0:
        share, low, high = math.nan, math.nan, math.nan
    else:
        share = active / followers
        n = int(round(followers))
        low, high = wilson_ci(active, n) if active <= n else (math.nan, math.nan)
    counts = per_member.to_numpy(dtype=float)
    return {
        "members_active": active,
        "followers": followers,
        "observers": max(followers - active, 0.0) if not math.isnan(followers) else math.nan,
        "active_member_share": share,
        "active_member_share_ci_low": low,
        "active_member_share_ci_high": high,
        "participation_gini": gini(counts),
        "top1pct_message_share": top_share(counts, 0.01),
        "top10pct_message_share": top_share(counts, 0.10),
        "n_member_messages": int(len(members)),
    }


def _level(messages: pd.Series, ugc: pd.Series, replies: pd.Series) -> pd.Series:
    contributor = messages >= CONTRIBUTOR_MIN_MESSAGES
    advocate = contributor & ((ugc >= ADVOCATE_MIN_UGC) | (replies >= ADVOCATE_MIN_MEMBER_REPLIES)
                              | (messages >= ADVOCATE_MIN_MESSAGES))
    level = np.where(advocate, "advocate", np.where(contributor, "contributor", "participant"))
    return pd.Series(level, index=messages.index, dtype=object)


def _levels_from_flags(messages: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    cols = ["author_id", "messages", "replies_to_members", "ugc", "level"]
    members = flags["is_member"]
    if not members.any():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in cols[1:4] else object) for c in cols})
    df = pd.DataFrame({
        "author_id": messages.loc[members, "author_id"].astype(object),
        "ugc": flags.loc[members, "is_ugc"].astype("int64"),
        "replies_to_members": flags.loc[members, "is_reply_to_member"].astype("int64"),
    })
    df = df[df["author_id"].notna()]
    agg = df.groupby("author_id", sort=True).agg(
        messages=("ugc", "size"), replies_to_members=("replies_to_members", "sum"), ugc=("ugc", "sum"),
    ).reset_index()
    agg = agg.astype({"messages": "int64", "replies_to_members": "int64", "ugc": "int64"})
    agg["level"] = _level(agg["messages"], agg["ugc"], agg["replies_to_members"])
    return agg[cols]


def member_levels(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per member who posted: author_id, messages, replies_to_members, ugc, level.

    ``messages``: member messages (count); ``replies_to_members``: replies to another member's message
    (count; replying to yourself does not count); ``ugc``: own posts with no parent (count).
    ``level`` follows :data:`LEVEL_RULES`:

    - participant: 1–2 messages;
    - contributor: 3 or more messages;
    - advocate: a contributor who also posts UGC (≥ 1), or replies to other members ≥ 3 times, or has
      ≥ 15 messages.

    Observers (followers who posted nothing) are counted by :func:`participation`, never listed.
    Rows are sorted by author_id.
    """
    if messages.empty:
        return _levels_from_flags(messages, pd.DataFrame({"is_member": pd.Series(dtype=bool)}))
    return _levels_from_flags(messages, _message_flags(messages))


def level_transitions(
    messages: pd.DataFrame, followers: float | None = None, split_at: Any = None,
) -> pd.DataFrame:
    """Members' level in the first half of the period (rows) vs the second half (columns), in members.

    The halves split the messages' time range at its midpoint unless ``split_at`` (a timestamp, naive =
    UTC) is given: first half = created before ``split_at``, second half = at or after it. Levels are
    computed with :func:`member_levels` rules within each half (a reply's parent may lie in the other half).
    A member active in only one half is "observer" in the other. With ``followers`` known,
    observer→observer = followers − members active in either half (at least 0); otherwise that cell is NA.

    Returns a 4 × 4 ``Int64`` table over :data:`LEVELS` (index ``first_half``, columns ``second_half``);
    ``attrs["split_at"]`` holds the split timestamp.
    """
    levels = list(LEVELS)
    out = pd.DataFrame(0, index=pd.Index(levels, name="first_half"),
                       columns=pd.Index(levels, name="second_half"), dtype="Int64")
    observed_obs = pd.NA
    if followers is not None and not pd.isna(followers):
        observed_obs = float(followers)
    if messages.empty:
        out.loc["observer", "observer"] = pd.NA if observed_obs is pd.NA else int(round(max(observed_obs, 0)))
        out.attrs["split_at"] = None
        return out
    created = _utc(messages["created_at"])
    if split_at is None:
        start, end = created.min(), created.max()
        split = start + (end - start) / 2
    else:
        split = _ts(split_at)
    flags = _message_flags(messages)
    first_mask = (created < split).to_numpy()
    first = _levels_from_flags(messages[first_mask], flags[first_mask])
    second = _levels_from_flags(messages[~first_mask], flags[~first_mask])
    merged = pd.merge(first[["author_id", "level"]], second[["author_id", "level"]], on="author_id",
                      how="outer", suffixes=("_first", "_second")).fillna("observer")
    counts = merged.groupby(["level_first", "level_second"]).size()
    for (a, b), value in counts.items():
        out.loc[a, b] = int(value)
    if observed_obs is pd.NA:
        out.loc["observer", "observer"] = pd.NA
    else:
        out.loc["observer", "observer"] = int(round(max(observed_obs - len(merged), 0)))
    out.attrs["split_at"] = split
    return out


# --------------------------------------------------------------------------------------------------
# responsiveness


_FR_COLUMNS = ["message_id", "channel", "created_at", "author_id", "answered", "first_response_at",
               "response_hours"]


def organisation_messages(messages: pd.DataFrame) -> int:
    """Messages by the organisation's accounts (author_role brand or moderator, :data:`RESPONDER_ROLES`).

    0 means the export holds none (e.g. members' posts collected without the organisation's replies): then
    nothing can show whether an opener was answered, and response rates and times cannot be measured.
    """
    return int(_isin(messages["author_role"], RESPONDER_ROLES).sum()) if len(messages) else 0


def _responses_measurable(first_responses_df: pd.DataFrame) -> bool:
    """False when :func:`first_responses` saw messages but none by the organisation (nothing can be answered)."""
    return first_responses_df.attrs.get("organisation_messages") != 0 or first_responses_df.empty


def first_responses(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per conversation opener with its first brand/moderator response.

    Columns: message_id, channel, created_at (UTC), author_id, answered (bool), first_response_at (UTC, NaT
    when unanswered), response_hours (float hours, NaN when unanswered). A response is a message by a brand
    or moderator account whose ``parent_id`` is the opener and that was created strictly after it; member
    replies never count. The index is the openers' index in ``messages`` (so per-message flags such as
    ``messages["is_question"]`` align with it). ``attrs["organisation_messages"]`` holds
    :func:`organisation_messages` of ``messages``: when it is 0 (and there are openers), :func:`responsiveness`,
    :func:`responsiveness_by` and :func:`unanswered_questions` report response rates as unknown, not as 0.
    """
    out = _first_responses(messages)
    out.attrs["organisation_messages"] = organisation_messages(messages)
    return out


def _first_responses(messages: pd.DataFrame) -> pd.DataFrame:
    # the openers' four columns only (openers() copies every column of a million rows, texts included)
    ops = messages[["message_id", "channel", "created_at", "author_id"]]
    ops = ops[_message_flags(messages)["is_opener"]] if not messages.empty else ops.iloc[0:0]
    out = pd.DataFrame({
        "message_id": ops["message_id"],
        "channel": ops["channel"],
        "created_at": _utc(ops["created_at"]) if not ops.empty else pd.Series(dtype="datetime64[ns, UTC]"),
        "author_id": ops["author_id"],
    }, index=ops.index)
    if ops.empty:
        out["answered"] = pd.Series(dtype=bool)
        out["first_response_at"] = pd.Series(dtype="datetime64[ns, UTC]")
        out["response_hours"] = pd.Series(dtype="float64")
        return out[_FR_COLUMNS]
    responder = _isin(messages["author_role"], RESPONDER_ROLES) & messages["parent_id"].notna()
    resp = messages.loc[responder]
    replies = pd.DataFrame({"opener_id": resp["parent_id"].astype(str).to_numpy(),
                            "reply_at": _utc(resp["created_at"]).reset_index(drop=True)})
    left = pd.DataFrame({"opener_id": out["message_id"].astype(str).to_numpy(),
                         "opener_at": out["created_at"].reset_index(drop=True)})
    pairs = left.merge(replies, on="opener_id", how="inner")
    pairs = pairs[pairs["reply_at"] > pairs["opener_at"]]
    first_at = pd.Series(pd.NaT, index=out.index, dtype=out["created_at"].dtype)
    if not pairs.empty:
        first = pairs.groupby("opener_id")["reply_at"].min()
        found = out["message_id"].astype(str).map(first)
        first_at = pd.to_datetime(found, utc=True).astype(out["created_at"].dtype)
    out["first_response_at"] = first_at
    out["answered"] = out["first_response_at"].notna().astype(bool)
    out["response_hours"] = _hours(out["first_response_at"] - out["created_at"])
    return out[_FR_COLUMNS]


def _p90(values: np.ndarray) -> float:
    return float(np.quantile(values, 0.9)) if values.size else math.nan


def responsiveness(first_responses_df: pd.DataFrame, timezone: str | None = None) -> dict[str, float | int]:
    """Headline responsiveness from :func:`first_responses` output.

    Returns ``median_first_response_hours`` (hours, answered openers) with a bootstrap 95 % CI
    (``…_ci_low`` / ``…_ci_high``), ``p90_first_response_hours`` (hours), ``response_rate`` (answered /
    openers, 0–1) with a Wilson 95 % CI, ``n_openers`` and ``n_answered`` (counts), and
    ``organisation_messages`` (count, when :func:`first_responses` recorded it). Medians are NaN when
    nothing was answered; the rate is NaN when there are no openers, and the rate and ``n_answered`` are
    NaN/None when the data hold no organisation message at all (whether openers were answered is unknown).
    ``timezone`` is accepted for symmetry with :func:`responsiveness_by`; these numbers do not depend on it.
    """
    fr = first_responses_df
    n = int(len(fr))
    hours = fr["response_hours"].to_numpy(dtype=float, na_value=np.nan) if n else np.array([], dtype=float)
    hours = hours[~np.isnan(hours)]
    answered: int | None = int(fr["answered"].fillna(False).astype(bool).sum()) if n else 0
    rate = answered / n if n else math.nan
    rate_low, rate_high = wilson_ci(answered, n)
    if not _responses_measurable(fr):
        answered, rate, rate_low, rate_high = None, math.nan, math.nan, math.nan
    med_low, med_high = bootstrap_ci(hours, np.median)
    org = fr.attrs.get("organisation_messages")
    return {
        "median_first_response_hours": float(np.median(hours)) if hours.size else math.nan,
        "median_first_response_hours_ci_low": med_low,
        "median_first_response_hours_ci_high": med_high,
        "p90_first_response_hours": _p90(hours),
        "response_rate": rate,
        "response_rate_ci_low": rate_low,
        "response_rate_ci_high": rate_high,
        "n_openers": n,
        "n_answered": answered,
    } | ({} if org is None else {"organisation_messages": int(org)})


def responsiveness_by(
    first_responses_df: pd.DataFrame, by: str = "channel", timezone: str | None = None,
) -> pd.DataFrame:
    """Responsiveness per channel or per local hour of day the opener was posted.

    ``by="channel"``: one row per channel (sorted by openers, descending). ``by="hour"``: rows 0..23 =
    local hour of the opener in ``timezone`` (UTC when None), all 24 present. Columns: n (openers),
    answered (count), response_rate (0–1, NaN when n = 0) with Wilson CI (response_rate_ci_low/_high),
    median_hours and p90_hours (hours to first response among answered; NaN when none answered). With no
    organisation message in the data (see :func:`first_responses`) the rates and their CIs are NaN.
    """
    if by not in ("channel", "hour"):
        raise ValueError(f"by must be 'channel' or 'hour', got {by!r}")
    fr = first_responses_df
    if by == "hour":
        key = _local(fr["created_at"], timezone).dt.hour if len(fr) else pd.Series(dtype="int64")
    else:
        key = fr["channel"].astype(object).where(fr["channel"].notna(), "unknown") if len(fr) else pd.Series(dtype=object)
    rows = []
    for value, grp in fr.groupby(key.to_numpy(), sort=True) if len(fr) else []:
        hours = grp["response_hours"].to_numpy(dtype=float, na_value=np.nan)
        hours = hours[~np.isnan(hours)]
        n, answered = int(len(grp)), int(grp["answered"].fillna(False).astype(bool).sum())
        low, high = wilson_ci(answered, n)
        rows.append({by: value, "n": n, "answered": answered, "response_rate": answered / n if n else math.nan,
                     "response_rate_ci_low": low, "response_rate_ci_high": high,
                     "median_hours": float(np.median(hours)) if hours.size else math.nan,
                     "p90_hours": _p90(hours)})
    cols = ["n", "answered", "response_rate", "response_rate_ci_low", "response_rate_ci_high", "median_hours",
            "p90_hours"]
    table = pd.DataFrame(rows, columns=[by, *cols]).set_index(by)
    if by == "hour":
        table.index = table.index.astype("int64")
        table = table.reindex(range(24))
        table[["n", "answered"]] = table[["n", "answered"]].fillna(0)
        table.index.name = "hour"
        table.attrs["timezone"] = timezone or "UTC"
    else:
        table = table.sort_values(["n"], ascending=False, kind="stable")
    if not _responses_measurable(fr):
        table[["response_rate", "response_rate_ci_low", "response_rate_ci_high"]] = math.nan
    return table.astype({"n": "int64", "answered": "int64"})


def _question_flags(first_responses_df: pd.DataFrame, is_question: Any) -> np.ndarray:
    """``is_question`` as a bool array aligned with ``first_responses_df`` rows."""
    fr = first_responses_df
    if is_question is None:
        return np.ones(len(fr), dtype=bool)
    if not isinstance(is_question, pd.Series):
        arr = np.asarray(is_question)
        if arr.shape != (len(fr),):
            raise ValueError("is_question must be a Series (by message_id or aligned) or match the rows")
        return pd.Series(arr).fillna(False).astype(bool).to_numpy()
    idx = is_question.index
    if pd.api.types.is_string_dtype(idx.dtype) or idx.dtype == object:
        # by message id (first flag of a repeated id): one hash lookup of plain Python strings
        keys = pd.Index(idx.astype(str).to_numpy(dtype=object))
        first = ~keys.duplicated()
        pos = keys[first].get_indexer(fr["message_id"].astype(str).to_numpy(dtype=object))
        if (pos >= 0).any():
            values = is_question.to_numpy(dtype=object)[first]
            mapped = pd.Series(np.where(pos >= 0, values[np.maximum(pos, 0)] if len(values) else None, None),
                               dtype=object)
            return mapped.fillna(False).astype(bool).to_numpy()
    return is_question.reindex(fr.index).fillna(False).astype(bool).to_numpy()


def unanswered_questions(
    first_responses_df: pd.DataFrame, is_question: Any, sla_hours: float, as_of: Any = None,
) -> pd.DataFrame:
    """Questions that did not get a brand/moderator response within ``sla_hours`` (hours).

    A question is an opener flagged by ``is_question`` — a bool Series indexed by message_id, or aligned
    with ``first_responses_df``'s index (e.g. ``messages["is_question"]``). It is listed when it was never
    answered (as of ``as_of``) or answered later than the SLA. Questions younger than ``sla_hours`` at
    ``as_of`` are excluded (they can still be answered in time); so are responses after ``as_of``, which
    were not known yet. ``as_of`` defaults to the latest timestamp in the table (naive = UTC).

    Columns: message_id, channel, created_at, waited_hours (hours until the late response, or until
    ``as_of`` when unanswered), answered_late (bool). Sorted by waited_hours, longest first. With no
    organisation message in the data (see :func:`first_responses`) no question can be shown to be missed: the
    table is empty and ``attrs["measurable"]`` is False (:func:`unanswered_count` then gives None).
    """
    if not sla_hours or sla_hours <= 0:
        raise ValueError(f"sla_hours must be positive, got {sla_hours!r}")
    cols = ["message_id", "channel", "created_at", "waited_hours", "answered_late"]
    fr = first_responses_df
    if fr.empty or not _responses_measurable(fr):
        out = pd.DataFrame({"message_id": pd.Series(dtype=object), "channel": pd.Series(dtype=object),
                            "created_at": pd.Series(dtype="datetime64[ns, UTC]"),
                            "waited_hours": pd.Series(dtype="float64"), "answered_late": pd.Series(dtype=bool)})
        out.attrs.update({"sla_hours": float(sla_hours), "measurable": _responses_measurable(fr)})
        return out
    created = _utc(fr["created_at"])
    responded = _utc(fr["first_response_at"])
    if as_of is None:
        as_of_ts = max(created.max(), responded.max()) if responded.notna().any() else created.max()
    else:
        as_of_ts = _ts(as_of)
    sla = pd.Timedelta(hours=float(sla_hours))
    known = responded.notna() & (responded <= as_of_ts)
    questions = _question_flags(fr, is_question)
    old_enough = (created <= as_of_ts - sla).to_numpy()
    late = (known & (responded - created > sla)).to_numpy()
    never = (~known).to_numpy()
    keep = questions & old_enough & (late | never)
    sel = fr[keep]
    waited = np.where(late[keep], _hours(responded[keep] - created[keep]).to_numpy(),
                      _hours(as_of_ts - created[keep]).to_numpy())
    out = pd.DataFrame({
        "message_id": sel["message_id"], "channel": sel["channel"], "created_at": created[keep],
        "waited_hours": waited.astype("float64"), "answered_late": late[keep],
    }, index=sel.index)
    out.attrs.update({"sla_hours": float(sla_hours), "as_of": as_of_ts, "measurable": True})
    return out.sort_values("waited_hours", ascending=False, kind="stable")[cols]


def unanswered_count(missed: pd.DataFrame) -> int | None:
    """Questions in :func:`unanswered_questions`'s table, or None when it could not be measured (no
    organisation message in the data: whether a question was answered is unknown, not 0)."""
    return None if missed.attrs.get("measurable") is False else int(len(missed))


# --------------------------------------------------------------------------------------------------
# UGC, contributors, language


def ugc_summary(messages: pd.DataFrame) -> dict[str, float | int]:
    """UGC among member messages: ``ugc_share`` (0–1) with Wilson 95 % CI, ``n_ugc``, ``n_member_messages``.

    UGC = a member message with ``parent_id`` null. ``ugc_share`` is NaN when there are no member messages.
    """
    members = member_messages(messages)
    n = int(len(members))
    k = int(members["parent_id"].isna().sum())
    low, high = wilson_ci(k, n)
    return {"ugc_share": k / n if n else math.nan, "ugc_share_ci_low": low, "ugc_share_ci_high": high,
            "n_ugc": k, "n_member_messages": n}


def top_contributors(messages: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` members with the most messages (ties by author_id).

    Columns: author_id (pseudonymised at import — nothing else identifies the member), messages (count),
    ugc (count), replies_to_members (count), share_of_member_messages (0–1), level (see LEVEL_RULES).
    """
    levels = member_levels(messages)
    total = int(levels["messages"].sum()) if not levels.empty else 0
    top = levels.sort_values(["messages", "author_id"], ascending=[False, True], kind="stable").head(n)
    top = top.assign(share_of_member_messages=(top["messages"] / total) if total else pd.Series(dtype=float))
    return top[["author_id", "messages", "ugc", "replies_to_members", "share_of_member_messages",
                "level"]].reset_index(drop=True)


def language_mix(messages: pd.DataFrame, column: str = "language") -> dict[str, float]:
    """Share (0–1) of analysed messages (all roles) per detected language, largest first.

    Missing or blank languages count as "und" (undetected); ties are ordered by code. Empty input → ``{}``.
    Delegates to :func:`helpers.text.language_mix`, so the definition has one implementation.
    """
    if messages.empty:
        return {}
    return {str(k): float(v) for k, v in text.language_mix(messages[column]).items()}


# --------------------------------------------------------------------------------------------------
# sentiment


_SENTIMENTS = ("negative", "neutral", "positive")


def _scored_mask(df: pd.DataFrame) -> pd.Series:
    """Rows that carry a scorer's verdict: ``scored`` is True and ``sentiment`` is one of the three labels."""
    has_label = _isin(df["sentiment"], _SENTIMENTS) if "sentiment" in df else pd.Series(False, index=df.index)
    if "scored" in df:
        return df["scored"].fillna(False).astype(bool) & has_label
    return has_label


def sentiment_table(df: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Sentiment per group, with coverage: who could be scored, and what the scored ones say.

    ``df`` carries ``sentiment`` (negative/neutral/positive or NA) and ``scored`` (bool); filter it first
    (e.g. to member messages) if you want a narrower base. Per group of ``by`` columns (one overall row when
    ``by`` is empty/None): n (messages), n_scored, coverage (n_scored / n, 0–1), negative_share /
    neutral_share / positive_share AMONG SCORED messages (0–1, NaN when none scored). Unscored messages are
    "not scored", never neutral. Missing group values are kept as their own group. Rows: largest n first.
    """
    by_cols = [by] if isinstance(by, str) else list(by or [])
    cols = [*by_cols, "n", "n_scored", "coverage", "negative_share", "neutral_share", "positive_share"]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in by_cols else "float64") for c in cols}).astype(
            {"n": "int64", "n_scored": "int64"})
    scored = _scored_mask(df)
    sentiment = df["sentiment"].astype(object) if "sentiment" in df else pd.Series(None, index=df.index)
    work = pd.DataFrame({
        "n": 1,
        "n_scored": scored.astype("int64"),
        "neg": (scored & sentiment.eq("negative")).astype("int64"),
        "neu": (scored & sentiment.eq("neutral")).astype("int64"),
        "pos": (scored & sentiment.eq("positive")).astype("int64"),
    }, index=df.index)
    if by_cols:
        keys = [df[c].astype(object).where(df[c].notna(), None).rename(c) for c in by_cols]
        grouped = work.groupby(keys, dropna=False, sort=True).sum().reset_index()
    else:
        grouped = work.sum().to_frame().T.astype("int64")
    n_scored = grouped["n_scored"].astype(float).replace(0, np.nan)
    grouped["coverage"] = grouped["n_scored"] / grouped["n"]
    grouped["negative_share"] = grouped["neg"] / n_scored
    grouped["neutral_share"] = grouped["neu"] / n_scored
    grouped["positive_share"] = grouped["pos"] / n_scored
    grouped = grouped.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)
    return grouped[cols].astype({"n": "int64", "n_scored": "int64", "coverage": "float64"})


def sentiment_coverage(df: pd.DataFrame) -> Estimate:
    """Share (0–1) of messages in ``df`` that the scorer supports (scored), with Wilson 95 % CI and n."""
    n = int(len(df))
    return Estimate.proportion(int(_scored_mask(df).sum()) if n else 0, n)


def negative_share(df: pd.DataFrame) -> Estimate:
    """Share (0–1) of scored MEMBER messages labelled negative, with Wilson 95 % CI; n = scored member messages.

    Unscored messages are left out (not counted as neutral). NaN value when nothing was scored.
    """
    members = member_messages(df) if "author_role" in df else df
    scored = _scored_mask(members)
    k = int((scored & _is(members["sentiment"], "negative")).sum()) if len(members) else 0
    return Estimate.proportion(k, int(scored.sum()))


MIN_RELIABLE_COVERAGE = 0.5
"""A figure that depends on sentiment is *reliable* when the scorer read at least this share (0–1) of the
messages it is computed from; below it the figure describes a minority of them (DEVELOPERS.md, "Reliable")."""


def is_reliable(coverage: float | None) -> bool | None:
    """True when ``coverage`` (0–1) reaches :data:`MIN_RELIABLE_COVERAGE`; None when it is unknown (no messages)."""
    if coverage is None or not math.isfinite(float(coverage)):
        return None
    return float(coverage) >= MIN_RELIABLE_COVERAGE


def reliability(keys: Sequence[str], coverage: float | None, messages: str) -> dict[str, Any]:
    """The findings keys that say whether sentiment figures ``keys`` can be trusted.

    For each key: ``<key>_reliable`` (bool; None when ``coverage`` is unknown) and ``<key>_reliable_reason``
    (a plain English sentence when not reliable, else None). ``coverage`` is the share (0–1) of the
    ``messages`` (words such as "member messages in the crisis window") the scorer read.
    """
    ok = is_reliable(coverage)
    reason = None
    if ok is False:
        reason = (f"the sentiment scorer read {float(coverage):.0%} of the {messages} this figure is computed from "
                  f"(at least {MIN_RELIABLE_COVERAGE:.0%} needed): it describes only that part")
    out: dict[str, Any] = {}
    for key in keys:
        out[f"{key}_reliable"] = ok
        out[f"{key}_reliable_reason"] = reason
    return out


# --------------------------------------------------------------------------------------------------
# responsiveness by shift (issue 5: the playbook's "staff the evening shift" rule reads these keys)

SHIFTS: dict[str, tuple[int, int]] = {"night": (0, 8), "day": (8, 18), "evening": (18, 24)}


def shift_responsiveness(first_responses_df: pd.DataFrame, timezone: str | None = None,
                         shifts: dict[str, tuple[int, int]] | None = None) -> dict[str, float | int]:
    """Median time to first response per shift of the day the opener was posted (local hour in ``timezone``).

    Shifts default to :data:`SHIFTS` (night 00–08, day 08–18, evening 18–24, local [start, end) hours).
    For each shift S returns ``median_first_response_hours_S`` (hours, answered openers posted in S) with a
    bootstrap 95 % CI (``…_ci_low`` / ``…_ci_high``) and ``…_n`` (answered openers), plus ``openers_S``
    (all openers posted in S). Medians are NaN when nothing in the shift was answered.
    """
    fr = first_responses_df
    hour = _local(fr["created_at"], timezone).dt.hour.to_numpy() if len(fr) else np.array([], dtype=int)
    hours = fr["response_hours"].to_numpy(dtype=float, na_value=np.nan) if len(fr) else np.array([], dtype=float)
    out: dict[str, float | int] = {}
    for name, (lo, hi) in (shifts or SHIFTS).items():
        in_shift = (hour >= lo) & (hour < hi)
        answered = hours[in_shift & ~np.isnan(hours)]
        low, high = bootstrap_ci(answered, np.median)
        out[f"median_first_response_hours_{name}"] = float(np.median(answered)) if answered.size else math.nan
        out[f"median_first_response_hours_{name}_ci_low"] = low
        out[f"median_first_response_hours_{name}_ci_high"] = high
        out[f"median_first_response_hours_{name}_n"] = int(answered.size)
        out[f"openers_{name}"] = int(in_shift.sum())
    return out
