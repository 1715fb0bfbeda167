"""Plain-language views of notebook 01's audience research: Markdown summaries and readable tables.

Numbers only go into Markdown; user text appears only in tables, which pandas escapes when rendered."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers import sentiment, text
from helpers.audience import AudienceData
from helpers.formatting import hours, language_shares, pct
from helpers.i18n import N_
from helpers.views.reliability import note

__all__ = ["overview_markdown", "overview_table", "sentiment_markdown", "responsiveness_markdown", "ugc_markdown", "with_text", "participation_table", "missed_questions_table"]


def overview_markdown(data: AudienceData) -> str:
    """One paragraph: period, messages, members, channels, brands (Markdown, numbers only)."""
    m = data.messages
    if data.is_empty:
        return N_("**No messages in the selected period.** Widen `start`/`end`, check `brand`, or import more "
                  "data; every section below is empty.")
    members = m.loc[m["author_role"].eq("member"), "author_id"].nunique()
    roles = m["author_role"].value_counts()
    return N_("**{messages} messages** from {period} ({timezone}): {by_members} by **{members} members**, "
              "{by_brand} by the organisation and {by_moderators} by moderators, on {channels} channel(s) for "
              "{brands} brand(s).").format(
        messages=f"{len(m):,}", period=data.period_label(), timezone=data.timezone,
        by_members=f"{int(roles.get('member', 0)):,}", members=f"{members:,}",
        by_brand=f"{int(roles.get('brand', 0)):,}", by_moderators=f"{int(roles.get('moderator', 0)):,}",
        channels=m["channel"].nunique(), brands=m["brand"].nunique())


def overview_table(data: AudienceData) -> pd.DataFrame:
    """Messages by channel and author role, with members and the first/last local day per channel."""
    m = data.messages
    if data.is_empty:
        return pd.DataFrame(columns=["channel", "brand", "member", "moderator", "members", "first_day", "last_day"])
    local = m["created_at"].dt.tz_convert(data.timezone)
    counts = pd.crosstab(m["channel"], m["author_role"])
    for role in ("brand", "member", "moderator"):
        if role not in counts:
            counts[role] = 0
    out = counts[["brand", "member", "moderator"]].copy()
    out["members"] = m[m["author_role"].eq("member")].groupby("channel")["author_id"].nunique()
    out["first_day"] = local.groupby(m["channel"]).min().dt.strftime("%Y-%m-%d")
    out["last_day"] = local.groupby(m["channel"]).max().dt.strftime("%Y-%m-%d")
    out["members"] = out["members"].fillna(0).astype(int)
    out.columns.name = None
    return out.sort_values("member", ascending=False)


def sentiment_markdown(backend: str, coverage: float, negative: object, n_member_messages: int,
                       languages: Sequence[str] | None = None) -> str:
    """How much the scorer could read, and the negative share among what it read (with the "not measured
    reliably" sentence when it read less than half) — or, when it could read none of the member messages, that
    sentiment cannot be computed (``languages``: the member messages' language codes, named in that statement)."""
    supported = ", ".join(sorted(sentiment.SENTIMENT_BACKENDS.get(backend, ()))) or N_("its own languages")
    if n_member_messages and coverage == 0:
        return N_("**No member message could be scored**: scorer **{backend}** reads {supported} only, and the "
                  "{n} member messages are in {found}. Sentiment shares (negative share, sentiment by channel and "
                  "month) cannot be computed and are recorded as absent; train a model on labels in these languages "
                  "(notebook 04).").format(
            backend=backend, supported=supported, n=f"{n_member_messages:,}",
            found=language_shares([] if languages is None else languages) or N_("other languages"))
    not_scored = 1 - coverage if coverage == coverage else float("nan")
    return N_("Scorer **{backend}** reads {supported} only. It could score **{coverage}** of {n} member messages; "
              "**{not_scored} are not scored** (other languages) and are left out of every share below. Among "
              "scored member messages the negative share is **{negative}**.").format(
        backend=backend, supported=supported, coverage=pct(coverage), n=f"{n_member_messages:,}",
        not_scored=pct(not_scored), negative=negative) + note(coverage)


def responsiveness_markdown(resp: dict) -> str:
    """Median / p90 time to first reply and response rate, with n and 95 % CIs — or, when the data hold no
    organisation message (``organisation_messages`` 0), why none of them can be measured."""
    if resp.get("organisation_messages") == 0 and resp["n_openers"]:
        return N_("**No brand messages in this export** ({openers} conversation openers, no message by the "
                  "organisation or its moderators): response rates, first-response times and missed questions "
                  "cannot be measured, so they are recorded as absent, not as zero.").format(
            openers=f"{resp['n_openers']:,}")
    return N_("**{openers} conversation openers**, {answered} answered: response rate **{rate}** (95 % CI "
              "{rate_low}–{rate_high}). Median time to the first reply **{median}** (95 % CI {median_low}–"
              "{median_high}); 90 % of answered openers got a reply within **{p90}**.").format(
        openers=f"{resp['n_openers']:,}", answered=f"{resp['n_answered']:,}", rate=pct(resp["response_rate"], 1),
        rate_low=pct(resp["response_rate_ci_low"], 1), rate_high=pct(resp["response_rate_ci_high"], 1),
        median=hours(resp["median_first_response_hours"]),
        median_low=hours(resp["median_first_response_hours_ci_low"]),
        median_high=hours(resp["median_first_response_hours_ci_high"]), p90=hours(resp["p90_first_response_hours"]))


def ugc_markdown(ugc: dict) -> str:
    """UGC share with its CI and n."""
    return N_("**{ugc} of {n} member messages** are members' own posts: UGC share **{share}** (95 % CI "
              "{low}–{high}).").format(
        ugc=f"{ugc['n_ugc']:,}", n=f"{ugc['n_member_messages']:,}", share=pct(ugc["ugc_share"], 1),
        low=pct(ugc["ugc_share_ci_low"], 1), high=pct(ugc["ugc_share_ci_high"], 1))


def with_text(table: pd.DataFrame, messages: pd.DataFrame, max_chars: int = 160) -> pd.DataFrame:
    """Add the (truncated) message text and language to a table keyed by ``message_id``, for display.

    The text stays data: pandas escapes it when the table is rendered as HTML.
    """
    lookup = messages.set_index("message_id")
    out = table.copy()
    out["language"] = out["message_id"].map(lookup["language"])
    out["text"] = out["message_id"].map(lookup["text"]).map(
        lambda t: text.truncate_for_display(t, max_chars) if isinstance(t, str) else t)
    return out


def participation_table(part: dict) -> pd.DataFrame:
    """The passive → active numbers as a readable two-column table (shares as %, with 95 % CIs)."""
    ci = (f"{pct(part['active_member_share'], 2)} (95 % CI {pct(part['active_member_share_ci_low'], 2)}–"
          f"{pct(part['active_member_share_ci_high'], 2)})")
    followers = part.get("followers")
    rows = [
        (N_("members active (wrote ≥ 1 message)"), f"{int(part['members_active']):,}"),
        (N_("followers (mean of the last 7 days, all channels)"),
         N_("n/a (no audience table)") if followers is None or pd.isna(followers) else f"{followers:,.0f}"),
        (N_("active members as a share of followers"), ci),
        (N_("participation Gini (0 equal – 1 concentrated)"),
         "n/a" if pd.isna(part["participation_gini"]) else f"{part['participation_gini']:.2f}"),
        (N_("share of member messages by the top 1 % of members"), pct(part["top1pct_message_share"], 1)),
        (N_("share of member messages by the top 10 % of members"), pct(part["top10pct_message_share"], 1)),
        (N_("member messages (n)"), f"{int(part['n_member_messages']):,}"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")


def missed_questions_table(missed: pd.DataFrame, messages: pd.DataFrame, timezone: str,
                           n: int = 10) -> pd.DataFrame:
    """The ``n`` most recent questions missed under the SLA, in local time, with their (truncated) text."""
    if missed.empty:
        return pd.DataFrame(columns=["message_id", "channel", "asked_at", "waited_hours", "answered_late",
                                     "language", "text"])
    out = with_text(missed.sort_values("created_at", ascending=False).head(n), messages)
    out.insert(2, "asked_at", out["created_at"].dt.tz_convert(timezone).dt.strftime("%Y-%m-%d %H:%M"))
    out["waited_hours"] = out["waited_hours"].round(1)
    return out.drop(columns=["created_at"]).reset_index(drop=True)
