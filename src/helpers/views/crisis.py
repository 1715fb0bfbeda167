"""Plain-language views of notebook 03 (crisis post-mortem): what was found, each section's summary, lessons.

Markdown carries numbers only; message texts appear in tables, which pandas escapes when rendered."""
from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import metrics, sentiment
from helpers.crisis import Crisis, CrisisData
from helpers.scct import SCCT
from helpers.formatting import local_time, pct

__all__ = ["detection_markdown", "candidates_table", "its_markdown", "defence_markdown", "reply_markdown", "scct_markdown", "lessons", "data_markdown"]


def detection_markdown(cr: Crisis, timezone: str) -> str:
    """Plain-language summary of what was found (or that no crisis was detected)."""
    if not cr.detected:
        return f"**No crisis detected**: {cr.reason} Every section below is empty."
    name = f"incident **{cr.incident_id}**" + (f" ({cr.incident_title})" if cr.incident_title else "") \
        if cr.incident_id else "a crisis **without an incident record**"
    parts = [
        f"Analysed: {name}. Onset **{local_time(cr.onset_at, timezone)}** ({timezone}; {cr.onset_source}); "
        f"about **{cr.excess_messages:,.0f} member messages above the usual volume** in the {cr.window_days} days "
        "after it." if not pd.isna(cr.excess_messages) else
        f"Analysed: {name}. Onset **{local_time(cr.onset_at, timezone)}** ({timezone}; {cr.onset_source}).",
        f"Baseline ({cr.baseline_days} days before): negative share **{pct(cr.baseline_negative_share, 1)}** of "
        f"{cr.baseline_scored_per_day * cr.baseline_days:,.0f} scored member messages; the band's upper edge is "
        f"**{pct(cr.band_upper, 1)}**. Peak negative share **{pct(cr.peak_negative_share, 1)}** at "
        f"{local_time(cr.peak_at, timezone)}.",
    ]
    if cr.recorded_start_at is not None and cr.onset_at is not None:
        diff = (cr.onset_at - cr.recorded_start_at).total_seconds() / 3600
        parts.append(f"The incident record says it started {local_time(cr.recorded_start_at, timezone)} "
                     f"({diff:+.1f} h from the onset seen in the data).")
    parts += cr.notes
    return " ".join(parts)


def candidates_table(cr: Crisis, timezone: str) -> pd.DataFrame:
    """The volume anomalies the detector found, in local time (largest first)."""
    c = cr.candidates
    if c is None or c.empty:
        return pd.DataFrame(columns=["onset", "excess_messages", "max_z", "negative_share_48h",
                                     "baseline_negative_share", "scored_48h", "negativity"])
    out = pd.DataFrame({
        "onset": c["onset_at"].map(lambda t: local_time(t, timezone)),
        "excess_messages": c["excess_messages"].round(0).astype(int),
        "max_z": c["max_z"].round(1),
        "negative_share_48h": c["negative_share_48h"].round(3),
        "baseline_negative_share": c["baseline_negative_share"].round(3),
        "scored_48h": c["scored_48h"].astype(int),
        "negativity": c["negativity"],
    })
    return out


def its_markdown(its: dict[str, Any]) -> str:
    """The ITS result in words."""
    if pd.isna(its["its_level_change"]):
        return f"Interrupted time series not estimated: {its['reason']}."
    lv, lo, hi = its["its_level_change"], its["its_level_change_ci_low"], its["its_level_change_ci_high"]
    verdict = ("fell" if hi < 0 else "rose" if lo > 0 else "did not change clearly")
    return (f"Right after the first response the hourly negative share **{verdict}**: level change "
            f"**{lv * 100:+.1f} points** (95 % CI {lo * 100:+.1f} to {hi * 100:+.1f}); the trend changed by "
            f"**{its['its_slope_change'] * 100:+.2f} points per day** (95 % CI "
            f"{its['its_slope_change_ci_low'] * 100:+.2f} to {its['its_slope_change_ci_high'] * 100:+.2f}), "
            f"n = {its['its_n_hours']:,} hours with scored messages.")


def defence_markdown(defence: dict[str, Any]) -> str:
    """Community defence in words."""
    if "defender_share_n" not in defence:
        return "No crisis detected, so there is no crisis window to look at."
    est, new = defence["defender_share_established"], defence["defender_share_newcomers"]
    ratio = (f"{est / new:.1f}×" if new and not pd.isna(new) and new > 0 and not pd.isna(est) else "n/a")
    return (f"In the crisis window **{pct(defence['defender_share'], 1)}** of scored member messages defended the "
            f"organisation (baseline {pct(defence['baseline_defender_share'], 1)}). Among established members "
            f"({defence['established_members']:,} of them) the share was **{pct(est, 1)}**, among newcomers "
            f"**{pct(new, 1)}** (ratio {ratio}).")


def reply_markdown(effect: dict[str, Any]) -> str:
    """The reply effect in words."""
    n = effect.get("reply_effect_n", 0)
    if not n:
        return ("No conversation had both a discussion before an organisation reply and member messages after it "
                "(with scored sentiment), so the reply effect cannot be measured.")
    v, lo, hi = effect["reply_effect"], effect["reply_effect_ci_low"], effect["reply_effect_ci_high"]
    verdict = ("calmer after the reply" if lo > 0 else "angrier after the reply" if hi < 0
               else "no clear change after the reply")
    ci = "" if pd.isna(lo) else f" (95 % CI {lo:+.2f} to {hi:+.2f})"
    return (f"Across **{n:,} conversations** the organisation answered, member sentiment moved by **{v:+.2f}** on "
            f"the −1 (negative) … +1 (positive) scale{ci}: **{verdict}**.")


def scct_markdown(cr: Crisis) -> str:
    """Crisis type and where it came from."""
    if not cr.detected:
        return "No crisis detected, so there is no crisis type to frame."
    if cr.crisis_type not in SCCT:
        return ("Crisis type unknown (no incident row with a crisis_type and no `crisis_type` parameter); set "
                "`crisis_type` to victim, accidental or preventable to see the recommended strategies.")
    return (f"Crisis type **{cr.crisis_type}** (from {cr.crisis_type_source}). Responsibility the public "
            f"attributes: {SCCT[cr.crisis_type]['attribution']}. Recommended response strategies:")


def lessons(cr: Crisis, its: dict[str, Any], defence: dict[str, Any], effect: dict[str, Any],
            coverage: float) -> str:
    """A short Markdown checklist derived from the numbers (each item says which number triggered it)."""
    if not cr.detected:
        return "- No crisis detected in the period: nothing to learn from here; keep the monitoring running."
    items = []
    fr = cr.hours_after_onset(cr.first_response_at)
    if pd.isna(fr):
        items.append("No official statement was found: prepare holding statements in every audience language.")
    elif fr > 6:
        items.append(f"The first response came **{fr:.1f} h** after the onset: aim for a holding statement within "
                     "the first hours; pre-approve templates so legal review does not hold it up.")
    else:
        items.append(f"The first response came **{fr:.1f} h** after the onset: keep this speed.")
    if not pd.isna(its.get("its_level_change")):
        if its["its_level_change_ci_high"] < 0:
            items.append("The statement was followed by a clear drop in negative share: publish statements early "
                         "and pin them.")
        elif its["its_level_change_ci_low"] > 0:
            items.append("Negative share rose after the statement: review its wording with the SCCT strategies "
                         "below.")
        else:
            items.append("The statement did not clearly change the negative share: follow it with concrete "
                         "remedies and updates.")
    rec = cr.hours_after_onset(cr.recovery_at)
    if pd.isna(rec):
        items.append(f"Negative share had not recovered within {cr.window_days} days: keep the crisis mode on "
                     "and track it daily.")
    else:
        items.append(f"Recovery took **{rec / 24:.1f} days**: plan crisis staffing for at least that long.")
    n = effect.get("reply_effect_n", 0)
    if n:
        if effect["reply_effect_ci_low"] > 0:
            items.append("Replies calmed conversations: answer complaints in the thread, quickly.")
        elif effect["reply_effect_ci_high"] < 0:
            items.append("Replies were followed by angrier conversations: rework the reply templates (see the "
                         "replies before the worst escalations).")
        else:
            items.append("Replies had no clear effect on conversations: personalise answers and move details to "
                         "private messages.")
    est, new = defence.get("defender_share_established"), defence.get("defender_share_newcomers")
    if est is not None and not pd.isna(est) and new is not None and not pd.isna(new):
        if est == 0 and new == 0:
            items.append("No scored member message defended the organisation: build a base of advocates before "
                         "the next crisis and brief them when it starts.")
        elif est > new:
            items.append("Established members defended the organisation more than newcomers: brief your advocates "
                         "early in a crisis and thank them publicly.")
        else:
            items.append("Established members did not defend more than newcomers: invest in relationships with "
                         "regular members before the next crisis.")
    if not pd.isna(coverage) and coverage < 0.5:
        items.append(f"Only **{coverage * 100:.0f} %** of member messages could be scored: add a sentiment "
                     "model for the other languages before relying on the negative share.")
    return "\n".join(f"- [ ] {item}" for item in items)


def data_markdown(data: CrisisData) -> str:
    """One paragraph: period, messages, members, sentiment coverage (numbers only, no user text)."""
    m = data.messages
    if m.empty:
        return "**No messages in the selected period.** Widen `start`/`end` or check `brand`."
    local = m["created_at"].dt.tz_convert(data.timezone)
    member = m[m["author_role"].eq("member").fillna(False).to_numpy()]
    cov = metrics.sentiment_coverage(member).value
    known = ", ".join(sorted(sentiment.SENTIMENT_BACKENDS.get(data.sentiment_backend, ()))) or "its own languages"
    return (f"**{len(m):,} messages** from {local.min():%Y-%m-%d} to {local.max():%Y-%m-%d} ({data.timezone}), "
            f"{len(member):,} by {member['author_id'].nunique():,} members. Sentiment scorer "
            f"**{data.sentiment_backend}** reads {known}: it could score **{pct(cov, 0)}** of member messages; "
            "the rest are **not scored** (not neutral) and count only in volumes.")
