"""Plain-language views of notebook 03 (crisis post-mortem): what was found, each section's summary, lessons.

Markdown carries numbers only; message texts appear in tables, which pandas escapes when rendered."""
from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import metrics, sentiment
from helpers.crisis import Crisis, CrisisData
from helpers.scct import SCCT
from helpers.formatting import language_shares, local_time, pct
from helpers.i18n import N_
from helpers.views.reliability import note, unreliable

__all__ = ["detection_markdown", "candidates_table", "its_markdown", "defence_markdown", "reply_markdown", "scct_markdown", "lessons", "data_markdown"]


def detection_markdown(cr: Crisis, timezone: str) -> str:
    """Plain-language summary of what was found (or that no crisis was detected)."""
    if not cr.detected and not cr.detectable:
        return N_("**Crisis detection cannot be computed**: {reason} Every section below is empty.").format(
            reason=cr.reason)
    if not cr.detected:
        return N_("**No crisis detected**: {reason} Every section below is empty.").format(reason=cr.reason)
    name = (N_("a crisis **without an incident record**") if not cr.incident_id else
            N_("incident **{id}** ({title})").format(id=cr.incident_id, title=cr.incident_title)
            if cr.incident_title else N_("incident **{id}**").format(id=cr.incident_id))
    onset = dict(name=name, onset=local_time(cr.onset_at, timezone), timezone=timezone, source=cr.onset_source)
    parts = [
        N_("Analysed: {name}. Onset **{onset}** ({timezone}; {source}); about **{excess} member messages above the "
           "usual volume** in the {days} days after it.").format(**onset, excess=f"{cr.excess_messages:,.0f}",
                                                                 days=cr.window_days)
        if not pd.isna(cr.excess_messages) else
        N_("Analysed: {name}. Onset **{onset}** ({timezone}; {source}).").format(**onset),
        N_("Baseline ({days} days before): negative share **{baseline}** of {scored} scored member messages; the "
           "band's upper edge is **{upper}**. Peak negative share **{peak}** at {peak_at}.").format(
            days=cr.baseline_days, baseline=pct(cr.baseline_negative_share, 1),
            scored=f"{cr.baseline_scored_per_day * cr.baseline_days:,.0f}", upper=pct(cr.band_upper, 1),
            peak=pct(cr.peak_negative_share, 1), peak_at=local_time(cr.peak_at, timezone)) + note(cr.sentiment_coverage),
    ]
    if cr.recorded_start_at is not None and cr.onset_at is not None:
        diff = (cr.onset_at - cr.recorded_start_at).total_seconds() / 3600
        parts.append(N_("The incident record says it started {started} ({diff} h from the onset seen in the "
                        "data).").format(started=local_time(cr.recorded_start_at, timezone), diff=f"{diff:+.1f}"))
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
        return N_("Interrupted time series not estimated: {reason}.").format(reason=its["reason"])
    lv, lo, hi = its["its_level_change"], its["its_level_change_ci_low"], its["its_level_change_ci_high"]
    sentence = (N_("Right after the first response the hourly negative share **fell**: level change **{level} points** "
                   "(95 % CI {low} to {high}); the trend changed by **{slope} points per day** (95 % CI {slope_low} to "
                   "{slope_high}), n = {n} hours with scored messages.") if hi < 0 else
                N_("Right after the first response the hourly negative share **rose**: level change **{level} points** "
                   "(95 % CI {low} to {high}); the trend changed by **{slope} points per day** (95 % CI {slope_low} to "
                   "{slope_high}), n = {n} hours with scored messages.") if lo > 0 else
                N_("Right after the first response the hourly negative share **did not change clearly**: level change "
                   "**{level} points** (95 % CI {low} to {high}); the trend changed by **{slope} points per day** (95 % "
                   "CI {slope_low} to {slope_high}), n = {n} hours with scored messages."))
    return sentence.format(
        level=f"{lv * 100:+.1f}", low=f"{lo * 100:+.1f}", high=f"{hi * 100:+.1f}",
        slope=f"{its['its_slope_change'] * 100:+.2f}", slope_low=f"{its['its_slope_change_ci_low'] * 100:+.2f}",
        slope_high=f"{its['its_slope_change_ci_high'] * 100:+.2f}", n=f"{its['its_n_hours']:,}"
    ) + note(its.get("sentiment_coverage"))


def defence_markdown(defence: dict[str, Any]) -> str:
    """Community defence in words."""
    if "defender_share_n" not in defence:
        return N_("No crisis detected, so there is no crisis window to look at.")
    if not defence.get("defender_share_n"):
        return N_("No member message in the crisis window could be scored, so community defence cannot be "
                  "measured.")
    est, new = defence["defender_share_established"], defence["defender_share_newcomers"]
    ratio = (f"{est / new:.1f}×" if new and not pd.isna(new) and new > 0 and not pd.isna(est) else "n/a")
    return N_("In the crisis window **{share}** of scored member messages defended the organisation (baseline "
              "{baseline}). Among established members ({established} of them) the share was **{est}**, among "
              "newcomers **{new}** (ratio {ratio}).").format(
        share=pct(defence["defender_share"], 1), baseline=pct(defence["baseline_defender_share"], 1),
        established=f"{defence['established_members']:,}", est=pct(est, 1), new=pct(new, 1), ratio=ratio
    ) + note(defence.get("sentiment_coverage"))


def reply_markdown(effect: dict[str, Any]) -> str:
    """The reply effect in words."""
    n = effect.get("reply_effect_n", 0)
    if effect.get("organisation_messages") == 0:
        return N_("No brand messages in this export: the organisation never replied in the data, so the effect of "
                  "its replies cannot be measured.")
    if not n:
        return N_("No conversation had both a discussion before an organisation reply and member messages after it "
                  "(with scored sentiment), so the reply effect cannot be measured.")
    v, lo, hi = effect["reply_effect"], effect["reply_effect_ci_low"], effect["reply_effect_ci_high"]
    verdict = (N_("calmer after the reply") if lo > 0 else N_("angrier after the reply") if hi < 0
               else N_("no clear change after the reply"))
    if pd.isna(lo):
        return N_("Across **{n} conversations** the organisation answered, member sentiment moved by **{v}** on the "
                  "−1 (negative) … +1 (positive) scale: **{verdict}**.").format(n=f"{n:,}", v=f"{v:+.2f}",
                                                                             verdict=verdict
                                                                             ) + note(effect.get("sentiment_coverage"))
    return N_("Across **{n} conversations** the organisation answered, member sentiment moved by **{v}** on the "
              "−1 (negative) … +1 (positive) scale (95 % CI {low} to {high}): **{verdict}**.").format(
        n=f"{n:,}", v=f"{v:+.2f}", low=f"{lo:+.2f}", high=f"{hi:+.2f}", verdict=verdict
    ) + note(effect.get("sentiment_coverage"))


def scct_markdown(cr: Crisis) -> str:
    """Crisis type and where it came from."""
    if not cr.detected:
        return N_("No crisis detected, so there is no crisis type to frame.")
    if cr.crisis_type not in SCCT:
        return N_("Crisis type unknown (no incident row with a crisis_type and no `crisis_type` parameter); set "
                  "`crisis_type` to victim, accidental or preventable to see the recommended strategies.")
    return N_("Crisis type **{kind}** (from {source}). Responsibility the public attributes: {attribution}. "
              "Recommended response strategies:").format(kind=cr.crisis_type, source=cr.crisis_type_source,
                                                         attribution=SCCT[cr.crisis_type]["attribution"])


def lessons(cr: Crisis, its: dict[str, Any], defence: dict[str, Any], effect: dict[str, Any],
            coverage: float) -> str:
    """A short Markdown checklist derived from the numbers (each item says which number triggered it)."""
    if not cr.detected and not cr.detectable:
        return "- " + N_("Too little data to tell whether there was a crisis: no lessons; analyse a longer period.")
    if not cr.detected:
        return "- " + N_("No crisis detected in the period: nothing to learn from here; keep the monitoring running.")
    items = []
    fr = cr.hours_after_onset(cr.first_response_at)
    if pd.isna(fr) and cr.organisation_messages == 0:
        pass  # the export has no organisation messages: a missing statement is unknown, not a lesson
    elif pd.isna(fr):
        items.append(N_("No official statement was found: prepare holding statements in every audience language."))
    elif fr > 6:
        items.append(N_("The first response came **{h} h** after the onset: aim for a holding statement within the "
                        "first hours; pre-approve templates so legal review does not hold it up.").format(h=f"{fr:.1f}"))
    else:
        items.append(N_("The first response came **{h} h** after the onset: keep this speed.").format(h=f"{fr:.1f}"))
    # no lesson from a number the scorer could not measure reliably (DEVELOPERS.md, "Reliable")
    shaky = [name for name, cov in ((N_("the statement's effect"), its.get("sentiment_coverage")),
                                    (N_("the recovery time"), cr.sentiment_coverage),
                                    (N_("the reply effect"), effect.get("sentiment_coverage")),
                                    (N_("community defence"), defence.get("sentiment_coverage"))) if unreliable(cov)]
    if not unreliable(its.get("sentiment_coverage")) and not pd.isna(its.get("its_level_change")):
        if its["its_level_change_ci_high"] < 0:
            items.append(N_("The statement was followed by a clear drop in negative share: publish statements "
                            "early and pin them."))
        elif its["its_level_change_ci_low"] > 0:
            items.append(N_("Negative share rose after the statement: review its wording with the SCCT strategies "
                            "below."))
        else:
            items.append(N_("The statement did not clearly change the negative share: follow it with concrete "
                            "remedies and updates."))
    rec = cr.hours_after_onset(cr.recovery_at)
    if unreliable(cr.sentiment_coverage):
        pass  # listed in the "not measured reliably" item below
    elif pd.isna(rec) and (pd.isna(cr.peak_negative_share) or pd.isna(cr.band_upper)):
        pass  # nothing scored in the window: recovery is unknown, not late
    elif pd.isna(rec):
        items.append(N_("Negative share had not recovered within {days} days: keep the crisis mode on and track it "
                        "daily.").format(days=cr.window_days))
    else:
        items.append(N_("Recovery took **{days} days**: plan crisis staffing for at least that long.").format(
            days=f"{rec / 24:.1f}"))
    n = effect.get("reply_effect_n", 0)
    if n and not unreliable(effect.get("sentiment_coverage")):
        if effect["reply_effect_ci_low"] > 0:
            items.append(N_("Replies calmed conversations: answer complaints in the thread, quickly."))
        elif effect["reply_effect_ci_high"] < 0:
            items.append(N_("Replies were followed by angrier conversations: rework the reply templates (see the "
                            "replies before the worst escalations)."))
        else:
            items.append(N_("Replies had no clear effect on conversations: personalise answers and move details to "
                            "private messages."))
    est, new = defence.get("defender_share_established"), defence.get("defender_share_newcomers")
    if est is not None and not pd.isna(est) and new is not None and not pd.isna(new) \
            and not unreliable(defence.get("sentiment_coverage")):
        if est == 0 and new == 0:
            items.append(N_("No scored member message defended the organisation: build a base of advocates before "
                            "the next crisis and brief them when it starts."))
        elif est > new:
            items.append(N_("Established members defended the organisation more than newcomers: brief your "
                            "advocates early in a crisis and thank them publicly."))
        else:
            items.append(N_("Established members did not defend more than newcomers: invest in relationships with "
                            "regular members before the next crisis."))
    if shaky:
        items.append(N_("No lesson is drawn from {what}: **not measured reliably** (the sentiment scorer read too few "
                        "of the member messages behind them).").format(what=", ".join(shaky)))
    if not pd.isna(coverage) and unreliable(coverage):
        items.append(N_("Only **{share} %** of member messages could be scored: add a sentiment model for the other "
                        "languages before relying on the negative share.").format(share=f"{coverage * 100:.0f}"))
    return "\n".join(f"- [ ] {item}" for item in items)


def data_markdown(data: CrisisData) -> str:
    """One paragraph: period, messages, members, sentiment coverage (numbers only, no user text)."""
    m = data.messages
    if m.empty:
        return N_("**No messages in the selected period.** Widen `start`/`end` or check `brand`.")
    local = m["created_at"].dt.tz_convert(data.timezone)
    member = m[m["author_role"].eq("member").fillna(False).to_numpy()]
    cov = metrics.sentiment_coverage(member).value
    known = ", ".join(sorted(sentiment.SENTIMENT_BACKENDS.get(data.sentiment_backend, ()))) or N_("its own languages")
    if len(member) and cov == 0:
        return N_("**{messages} messages** from {first} to {last} ({timezone}), {by_members} by {members} members. "
                  "**No member message could be scored**: sentiment scorer **{backend}** reads {known}, and the "
                  "member messages are in {found}. The negative share, its peak and recovery, community defence "
                  "and the reply effect cannot be measured (recorded as absent); a crisis can only be found by "
                  "volume. Train a model on labels in these languages (notebook 04).").format(
            messages=f"{len(m):,}", first=f"{local.min():%Y-%m-%d}", last=f"{local.max():%Y-%m-%d}",
            timezone=data.timezone, by_members=f"{len(member):,}", members=f"{member['author_id'].nunique():,}",
            backend=data.sentiment_backend, known=known, found=language_shares(member["language"]))
    return N_("**{messages} messages** from {first} to {last} ({timezone}), {by_members} by {members} members. "
              "Sentiment scorer **{backend}** reads {known}: it could score **{coverage}** of member messages; the "
              "rest are **not scored** (not neutral) and count only in volumes.").format(
        messages=f"{len(m):,}", first=f"{local.min():%Y-%m-%d}", last=f"{local.max():%Y-%m-%d}",
        timezone=data.timezone, by_members=f"{len(member):,}", members=f"{member['author_id'].nunique():,}",
        backend=data.sentiment_backend, known=known, coverage=pct(cov, 0))
