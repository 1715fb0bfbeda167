"""Planted crisis structure for :mod:`helpers.synth` (issue 4): defenders, de-/escalating threads, truth.

Two generator steps and the crisis part of ``ground_truth.json``:

* :func:`step_crisis` (after the brand replies, before the texts) turns some of an incident's burst messages
  into *structure* without changing their times or their negative/non-negative split, so the planted
  negative-share curve stays the analytic one:

  - **defenders**: a share (``defender_rate``) of the burst's non-negative messages become positive replies
    to an earlier negative burst message of the same channel and language, written by an *established*
    member (helpers.crisis definition: ≥ 3 member messages before the onset, the first ≥ 30 days before);
  - **threads** (``reply_threads``): answered burst openers get member replies before and after the brand's
    reply. A share ``deescalate_share`` *calms down* (a complaint, a pile-on of negative replies, the brand
    reply, then positive replies); the rest *escalates* (a mild opener and mild replies, the brand reply,
    then negative replies).

* :func:`step_crisis_texts` (after the texts) writes the defenders' and thread replies' texts.
* :func:`crisis_truth` computes per-incident truth under the notebook's findings keys from the planted
  *expected* rates (baseline rate and negative share of English member messages in the 14 days before the
  onset; the burst's truncated-exponential rate, its English share and its planted negative share before and
  after the statement; plus the exact follow-ups to burst messages), with the definitions of
  :mod:`helpers.crisis` (24-hour centred negative share, baseline band, recovery = first hour after the peak
  from which the share stays in the band for 24 h). Defender shares and the reply effect use the same
  definitions on the planted messages with gold sentiment (all languages).

Only English is scored by the default sentiment backends, so negative shares in the truth are those of the
planted *English* member messages; a crisis must carry enough English messages for power (the tests use an
English-heavy organisation).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from helpers import crisis as cz
from helpers import stats
from helpers.synth.effects import incident_effects
from helpers.synth.state import SynthState
from helpers.synth.texts import TextMaker

__all__ = ["DEFENCES", "CALM", "ANGRY", "step_crisis", "step_crisis_texts", "expected_hourly", "one_crisis_truth",
           "crisis_truth"]

#: positive member replies defending the organisation against a complaint
DEFENCES: dict[str, tuple[str, ...]] = {
    "en": ("I have been coming here for years and the staff have always been great, give them a chance to fix it",
           "Please be fair, the doctors here are wonderful and they are already working on it",
           "The team here is good and they will sort it out, thank you for your patience",
           "This clinic has always treated my family really well, I trust them to make it right"),
    "ru": ("Хожу сюда много лет, персонал всегда был замечательный, дайте им время всё исправить",
           "Давайте будем справедливы, врачи здесь прекрасные, и они уже работают над проблемой",
           "Ошибки бывают, эта клиника всегда хорошо относилась к моей семье, я им доверяю"),
    "az": ("Uzun illərdir bura gəlirəm, işçilər həmişə əla olub, onlara düzəltməyə vaxt verin",
           "Ədalətli olaq, burada həkimlər gözəldir və artıq problem üzərində işləyirlər",
           "Səhvlər olur, bu klinika ailəmə həmişə yaxşı münasibət göstərib, onlara etibar edirəm"),
}

#: members calmed by the brand's reply (positive)
CALM: dict[str, tuple[str, ...]] = {
    "en": ("Thank you for the quick answer, that helps a lot",
           "Good to hear it is being fixed, thanks for explaining",
           "Thanks, the explanation makes sense, I appreciate the update"),
    "ru": ("Спасибо за быстрый ответ, это очень помогает",
           "Хорошо, что всё исправляют, спасибо за объяснение",
           "Спасибо, объяснение понятное, ценю информацию"),
    "az": ("Tez cavab üçün təşəkkürlər, bu çox kömək edir",
           "Düzəldildiyini eşitmək yaxşıdır, izah üçün sağ olun",
           "Sağ olun, izah aydındır, məlumat üçün minnətdaram"),
}

#: members inflamed by the brand's reply (negative)
ANGRY: dict[str, tuple[str, ...]] = {
    "en": ("Your reply is useless, nothing has changed and this is a disgrace",
           "Stop copying the same answer, it is terrible and insulting",
           "This answer makes it worse, an awful attitude to patients"),
    "ru": ("Ваш ответ бесполезен, ничего не изменилось, это позор",
           "Хватит копировать один и тот же ответ, это ужасно и оскорбительно",
           "Такой ответ только хуже, отвратительное отношение к пациентам"),
    "az": ("Cavabınız faydasızdır, heç nə dəyişməyib, bu biabırçılıqdır",
           "Eyni cavabı köçürməyi dayandırın, bu dəhşətli və təhqiramizdir",
           "Bu cavab daha da pisləşdirir, pasiyentlərə iyrənc münasibət"),
}

_TEXTS = {"defender": DEFENCES, "calm": CALM, "angry": ANGRY}
_MOOD = {"defender": "positive", "calm": "positive", "angry": "negative"}
#: the crisis texts' own random stream (``default_rng([seed, CRISIS_TEXT_STREAM])``)
CRISIS_TEXT_STREAM = 1414


def _established(state: SynthState, onset: int) -> set[str]:
    """Established members at ``onset`` (helpers.crisis definition) from the planted messages."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for m in state.messages:
        if m["role"] == "member" and m["t"] < onset and m["author"] is not None:
            a = m["author"]
            count[a] = count.get(a, 0) + 1
            first[a] = min(first.get(a, m["t"]), m["t"])
    limit = onset - cz.ESTABLISHED_MIN_DAYS * 86400
    return {a for a, c in count.items() if c >= cz.ESTABLISHED_MIN_MESSAGES and first[a] <= limit}


def _pick_author(state: SynthState, pool: list[str], weights: dict[str, float], avoid: set[str]) -> str | None:
    cands = [a for a in pool if a not in avoid]
    if not cands:
        return None
    w = np.array([weights.get(a, 1.0) for a in cands], dtype=float)
    return cands[int(state.rng.choice(len(cands), p=w / w.sum()))]


def _free(m: dict[str, Any], has_child: set[int]) -> bool:
    """A burst message still free to become crisis structure (unanswered, childless, no question, no role)."""
    return (m["kind"] in ("comment", "ugc") and m.get("answered_by") is None and m["idx"] not in has_child
            and not m["question"] and m.get("crisis_role") is None)


def _attach(m: dict[str, Any], parent: dict[str, Any], role: str, has_child: set[int]) -> None:
    """Turn ``m`` into a member reply to ``parent`` with crisis role ``role``."""
    m.update(parent=parent["idx"], root=parent["root"], kind="member_reply", crisis_role=role)
    has_child.add(parent["idx"])


def _mark_followups(msgs: list[dict[str, Any]], iid: str) -> None:
    """Follow-ups to the burst's openers are crisis messages outside the analytic burst (``crisis_extra``)."""
    for m in msgs:
        if m["kind"] == "followup" and m["role"] == "member":
            opener = msgs[msgs[m["parent"]]["parent"]]
            if opener["incident_id"] == iid:
                m["crisis_extra"] = iid


def _established_pools(state: SynthState, onset: int) -> tuple[dict[tuple[str, str], list[str]],
                                                                dict[str, list[str]]]:
    """Established members at ``onset`` by (channel, language) and by language."""
    established = _established(state, onset)
    est_pool: dict[tuple[str, str], list[str]] = {}
    by_lang: dict[str, list[str]] = {}
    assert state.members is not None
    for a, ch, lang in zip(state.members["author_id"], state.members["channel"], state.members["language"]):
        if a in established:
            est_pool.setdefault((str(ch), str(lang)), []).append(str(a))
            by_lang.setdefault(str(lang), []).append(str(a))
    return est_pool, by_lang


def _plant_one_thread(state: SynthState, kind: str, root: dict[str, Any], by_key: dict[tuple[str, str], list],
                      key_times: dict[tuple[str, str], np.ndarray], has_child: set[int]) -> bool:
    """Make ``root`` a calm or angry thread around its brand reply; False when no replies fit around it."""
    rng, msgs = state.rng, state.messages
    tr = msgs[root["answered_by"]]["t"]
    key = (root["channel"], root["lang"])
    times = key_times[key]
    lo_i = int(np.searchsorted(times, root["t"], side="right"))
    mid_i = int(np.searchsorted(times, tr, side="right"))
    hi_i = int(np.searchsorted(times, tr + 48 * 3600, side="left"))
    calm = kind == "calm"
    before = [m for m in by_key[key][lo_i:mid_i] if _free(m, has_child) and m["idx"] != root["idx"]
              and (m["sentiment"] == "negative") == calm]
    after = [m for m in by_key[key][mid_i:hi_i] if _free(m, has_child) and m["t"] > tr
             and (m["sentiment"] == "negative") != calm]
    if not before or not after:
        return False
    nb = min(len(before), int(rng.integers(1, 3)) + (1 if calm else 0))
    na = min(len(after), int(rng.integers(2, 4)))
    root["crisis_role"] = "root"
    for m in [before[int(i)] for i in rng.choice(len(before), nb, replace=False)]:
        _attach(m, root, "pile_on" if calm else "mild", has_child)
    for m in [after[int(i)] for i in rng.choice(len(after), na, replace=False)]:
        _attach(m, root, kind, has_child)
        if calm:
            m["sentiment"] = "positive"
    return True


def _plant_threads(state: SynthState, eff: dict[str, float], burst: list[dict[str, Any]],
                   has_child: set[int]) -> dict[str, int]:
    """Threads around a brand reply (``reply_threads``, a ``deescalate_share`` of them calm); counts by kind."""
    rng = state.rng
    n_threads = int(round(eff.get("reply_threads", 0.0)))
    n_calm = int(round(n_threads * float(eff.get("deescalate_share", 0.5))))
    plan = ["calm"] * n_calm + ["angry"] * (n_threads - n_calm)
    plan = [plan[int(i)] for i in rng.permutation(len(plan))]
    roots = [m for m in burst if m["kind"] in ("comment", "ugc") and m.get("answered_by") is not None
             and not m["question"] and m.get("crisis_role") is None]
    order = [roots[int(j)] for j in rng.permutation(len(roots))]
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for m in burst:
        by_key.setdefault((m["channel"], m["lang"]), []).append(m)
    key_times = {k: np.array([m["t"] for m in v]) for k, v in by_key.items()}
    made = {"calm": 0, "angry": 0}
    pos = 0
    for kind in plan:
        while pos < len(order):
            root = order[pos]
            pos += 1
            if root.get("crisis_role") is not None:
                continue
            if _plant_one_thread(state, kind, root, by_key, key_times, has_child):
                made[kind] += 1
                break
    return made


def _plant_defenders(state: SynthState, eff: dict[str, float], burst: list[dict[str, Any]],
                     pools: tuple[dict[tuple[str, str], list[str]], dict[str, list[str]]],
                     weights: dict[str, float], has_child: set[int]) -> int:
    """Established members' positive replies to earlier negative burst messages (``defender_rate``); count.

    ``pools``: the established members by (channel, language) and by language (:func:`_established_pools`).
    """
    rng = state.rng
    est_pool, by_lang = pools
    negatives: dict[tuple[str, str], list[dict[str, Any]]] = {}  # by (channel, language), in time order
    for p in burst:
        if p["sentiment"] == "negative":
            negatives.setdefault((p["channel"], p["lang"]), []).append(p)
    neg_times = {k: np.array([p["t"] for p in v]) for k, v in negatives.items()}
    n_def = 0
    rate = float(eff.get("defender_rate", 0.0))
    for m in burst:
        if m["sentiment"] == "negative" or not _free(m, has_child) or rng.random() >= rate:
            continue
        key = (m["channel"], m["lang"])
        if key not in negatives:
            continue
        lo_i = int(np.searchsorted(neg_times[key], m["t"] - 12 * 3600, side="left"))
        hi_i = int(np.searchsorted(neg_times[key], m["t"] - 60, side="left"))
        parents = [p for p in negatives[key][lo_i:hi_i] if p.get("crisis_role") in (None, "pile_on")]
        if not parents:
            continue
        parent = parents[int(rng.integers(len(parents)))]
        pool = est_pool.get(key) or by_lang.get(m["lang"], [])
        author = _pick_author(state, pool, weights, {parent["author"]})
        if author is None:
            continue
        _attach(m, parent, "defender", has_child)
        m.update(sentiment="positive", author=author)
        n_def += 1
    return n_def


def _followup_moods(state: SynthState, eff: dict[str, float], iid: str) -> None:
    """Follow-ups to the burst's openers answer the brand reply: calm or angry like the crisis's threads."""
    rng = state.rng
    calm_mix, angry_mix = (["positive", "neutral", "negative"], [0.7, 0.2, 0.1]), \
        (["negative", "neutral", "positive"], [0.75, 0.15, 0.1])
    for m in state.messages:
        if m.get("crisis_extra") == iid:
            choices, p = calm_mix if rng.random() < float(eff.get("deescalate_share", 0.5)) else angry_mix
            m["sentiment"] = str(rng.choice(choices, p=p))
            m["crisis_role"] = "followup"


def step_crisis(state: SynthState) -> SynthState:
    """Defenders and de-/escalating threads inside every incident's burst (see the module docstring)."""
    msgs = state.messages
    if not state.incidents or state.members is None:
        return state
    weights = dict(zip(state.members["author_id"], state.members["weight"]))
    has_child = {m["parent"] for m in msgs if m["parent"] is not None}
    for inc in state.incidents:
        eff = incident_effects(inc)
        iid = inc.incident_id
        onset = int(state.plan["incident_onsets"][iid])
        _mark_followups(msgs, iid)
        burst = sorted((m for m in msgs if m["incident_id"] == iid and m["role"] == "member"),
                       key=lambda m: (m["t"], m["idx"]))
        pools = _established_pools(state, onset)
        made = _plant_threads(state, eff, burst, has_child)
        n_def = _plant_defenders(state, eff, burst, pools, weights, has_child)
        _followup_moods(state, eff, iid)
        state.plan.setdefault("crisis_structure", {})[iid] = {"defenders": n_def, "calm_threads": made["calm"],
                                                              "angry_threads": made["angry"]}
        n_threads = int(round(eff.get("reply_threads", 0.0)))
        if made["calm"] + made["angry"] < n_threads:
            state.notes.append(f"incident {iid}: planted {made['calm'] + made['angry']} of {n_threads} reply "
                               "threads (not enough answered burst messages with replies around them)")
    return state


def step_crisis_texts(state: SynthState) -> SynthState:
    """Texts of defenders and of members calmed or inflamed by a brand reply (in the message's language)."""
    o = state.options
    maker = TextMaker(np.random.default_rng([state.seed, CRISIS_TEXT_STREAM]), typo_rate=o.typo_rate,
                      emoji_rate=o.emoji_rate, lowercase_rate=o.lowercase_rate)
    for m in state.messages:
        role = m.get("crisis_role") or ""
        pool = _TEXTS.get(role)
        if pool is None or m["und"] or m["tricky"]:
            continue
        lang = m["lang"] if m["lang"] in pool else "en"
        m["text"] = maker.compose(maker.pick(pool[lang]), lang, _MOOD[role], kind="member_reply")
    return state


# --------------------------------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------------------------------

def _label(sentiment: Any) -> float:
    return {"negative": -1.0, "neutral": 0.0, "positive": 1.0}.get(sentiment, math.nan)


def _frame(state: SynthState) -> pd.DataFrame:
    """The planted messages as a table with gold labels (members) for the shared crisis definitions."""
    msgs = state.messages
    return pd.DataFrame({
        "message_id": [m["message_id"] for m in msgs],
        "parent_id": [msgs[m["parent"]]["message_id"] if m["parent"] is not None else None for m in msgs],
        "author_id": [str(m["author"]) for m in msgs],
        "author_role": [m["role"] for m in msgs],
        "created_at": pd.to_datetime(np.array([m["t"] for m in msgs], dtype=np.int64), unit="s", utc=True),
        "label": [_label(m["sentiment"]) if m["role"] == "member" else math.nan for m in msgs],
    })


def expected_hourly(state: SynthState, inc: Any, baseline_days: int, window_days: int) -> tuple[pd.DataFrame, dict]:
    """Expected English (scored) and negative member messages per clock hour around an incident.

    Baseline: the planted English member messages of the ``baseline_days`` before the onset give a flat rate
    and the baseline negative share. Burst: ``n`` planted burst messages × their English share × the
    truncated-exponential mass of each hour, negative at the planted share (lower by
    ``response_negative_drop`` after the statement). Follow-ups to burst messages are added as planted.
    """
    eff = incident_effects(inc)
    iid = inc.incident_id
    onset = int(state.plan["incident_onsets"][iid])
    msgs = state.messages
    lo, hi = onset - baseline_days * 86400, onset + window_days * 86400
    index = pd.date_range(pd.Timestamp(lo, unit="s", tz="UTC").floor("h"),
                          pd.Timestamp(hi, unit="s", tz="UTC").ceil("h"), freq="h", inclusive="left")
    edges = np.append(index.as_unit("s").asi8, index[-1].value // 10**9 + 3600).astype(np.int64) \
        if len(index) else np.array([], dtype=np.int64)
    base = [m for m in msgs if m["role"] == "member" and lo <= m["t"] < onset and m["incident_id"] is None
            and m.get("crisis_extra") is None and not m["und"]]
    hours0 = baseline_days * 24.0
    b_rate = len(base) / hours0
    p0 = sum(m["sentiment"] == "negative" for m in base) / len(base) if base else math.nan
    burst = [m for m in msgs if m["incident_id"] == iid and m["role"] == "member"]
    n_burst = len(burst)
    en_share = sum(not m["und"] for m in burst) / n_burst if n_burst else 0.0
    span = max(1e-6, min(eff["duration_days"], (state.t_end - onset) / 86400))
    lam = math.log(2) / eff["half_life_days"]

    def cdf(t: np.ndarray) -> np.ndarray:
        d = np.clip((t - onset - 60) / 86400.0, 0, span)
        return (1 - np.exp(-lam * d)) / (1 - math.exp(-lam * span))

    fr = inc.first_response_hours
    t_fr = onset + int(round(fr * 3600)) if fr is not None else None
    pn = float(eff["negative_share"])
    pn2 = max(0.0, pn - float(eff.get("response_negative_drop", 0.0))) if t_fr is not None else pn
    a, b = edges[:-1].astype(float), edges[1:].astype(float)
    mass = cdf(b) - cdf(a)

    def mass_before(t_cut: float | None) -> np.ndarray:
        return mass if t_cut is None else cdf(np.minimum(b, t_cut)) - cdf(np.minimum(a, t_cut))

    before = mass_before(t_fr)
    burst_en = n_burst * en_share * mass
    burst_neg = n_burst * en_share * (pn * before + pn2 * (mass - before))
    if inc.resolved_days is not None and "resolved_negative_share" in eff:
        unresolved = mass_before(onset + int(round(inc.resolved_days * 86400)))
        pr = float(eff["resolved_negative_share"])
        burst_neg = burst_neg * np.divide(unresolved, mass, out=np.zeros_like(mass), where=mass > 0) \
            + n_burst * en_share * pr * (mass - unresolved)
    extra_en = np.zeros(len(index))
    extra_neg = np.zeros(len(index))
    for m in msgs:
        if m.get("crisis_extra") == iid and not m["und"] and lo <= m["t"] < hi:
            k = int(np.searchsorted(edges, m["t"], side="right") - 1)
            if 0 <= k < len(index):
                extra_en[k] += 1
                extra_neg[k] += m["sentiment"] == "negative"
    scored = b_rate + burst_en + extra_en
    negative = b_rate * (p0 if not math.isnan(p0) else 0.0) + burst_neg + extra_neg
    frame = pd.DataFrame({"scored": scored, "negative": negative}, index=index)
    info = {"p0": p0, "baseline_scored_per_day": b_rate * 24, "n_burst": n_burst, "burst_english_share": en_share,
            "negative_share_before_response": pn, "negative_share_after_response": pn2}
    return frame, info


def _iso(t: int | float | None) -> str | None:
    return None if t is None else pd.Timestamp(int(t), unit="s", tz="UTC").isoformat()


def _its_truth(hourly: pd.DataFrame, onset_ts: pd.Timestamp, fr: float | None) -> dict[str, float | None]:
    """Interrupted time series on the expected hourly negative share: the statement's level and slope change
    (per day) with the level's confidence interval; all None without a statement or when the fit fails."""
    its: dict[str, float | None] = {"its_level_change": None, "its_level_change_ci_low": None,
                                    "its_level_change_ci_high": None, "its_slope_change": None}
    if fr is None:
        return its
    t = (hourly.index - onset_ts).total_seconds() / 86400.0
    y = (hourly["negative"] / hourly["scored"]).to_numpy()
    try:
        fit = stats.segmented_regression(t, y, [("onset", 0.0, False), ("response", fr / 24.0, True)])
    except ValueError:
        return its
    return {"its_level_change": float(fit.loc["level_response", "coef"]),
            "its_level_change_ci_low": float(fit.loc["level_response", "ci_low"]),
            "its_level_change_ci_high": float(fit.loc["level_response", "ci_high"]),
            "its_slope_change": float(fit.loc["slope_response", "coef"])}


def _conversation_truth(table: pd.DataFrame, onset_ts: pd.Timestamp, baseline_days: int, window_days: int,
                        flags: pd.Series) -> dict[str, Any]:
    """Defender shares (crisis window and baseline) and the brand reply's effect on member replies, with the
    :mod:`helpers.crisis` definitions on the planted messages (gold sentiment)."""
    end_ts = onset_ts + pd.Timedelta(days=window_days)
    est = cz.established_authors(table, onset_ts)
    defence = cz.defence_summary(table, onset_ts, onset_ts, end_ts, est, flags)
    base_def = cz.defence_summary(table, onset_ts, onset_ts - pd.Timedelta(days=baseline_days), onset_ts, est, flags)
    pairs = cz.reply_pairs(table, onset_ts, end_ts)
    effect = stats.paired_mean_difference(pairs["before_mean"], pairs["after_mean"])
    return {
        "defender_share": defence["all"].value,
        "defender_share_established": defence["established"].value,
        "defender_share_newcomers": defence["newcomers"].value,
        "baseline_defender_share": base_def["all"].value,
        "reply_effect": effect.value,
        "reply_effect_sign": int(np.sign(effect.value)) if not math.isnan(effect.value) else None,
        "reply_effect_n": effect.n,
    }


def one_crisis_truth(state: SynthState, inc: Any, baseline_days: int, window_days: int,
                     table: pd.DataFrame, flags: pd.Series | None = None) -> dict[str, Any]:
    """Truth for one incident (findings keys + planted facts); hours are counted from the onset."""
    eff = incident_effects(inc)
    onset = int(state.plan["incident_onsets"][inc.incident_id])
    onset_ts = pd.Timestamp(onset, unit="s", tz="UTC")
    hourly, info = expected_hourly(state, inc, baseline_days, window_days)
    share = cz.smoothed_share(hourly["scored"], hourly["negative"])
    upper = cz.band_upper(info["p0"], info["baseline_scored_per_day"])
    after = hourly.index >= onset_ts.floor("h")
    first = int(np.argmax(after))
    k = cz.peak_position(share, first, info["p0"])
    r = cz.recovery_position(share, upper, k)

    def hours(ts: pd.Timestamp | None) -> float | None:
        return None if ts is None else (ts - onset_ts).total_seconds() / 3600.0

    fr = inc.first_response_hours
    t_fr = onset + int(round(fr * 3600)) if fr is not None else None
    its = _its_truth(hourly, onset_ts, fr)
    flags = cz.defence_flags(table) if flags is None else flags
    conversation = _conversation_truth(table, onset_ts, baseline_days, window_days, flags)
    recovery_ts = hourly.index[r] if r is not None else None
    listed = bool(eff.get("listed", 1.0))
    structure = state.plan.get("crisis_structure", {}).get(inc.incident_id, {})
    return {
        "incident_id": inc.incident_id,
        "listed": listed,
        "crisis_type": inc.crisis_type,
        "onset_at": onset_ts.isoformat(),
        "first_response_at": _iso(t_fr),
        "first_response_hours": fr,
        "peak_at": hourly.index[k].isoformat(),
        "peak_hours": hours(hourly.index[k]),
        "recovery_at": recovery_ts.isoformat() if recovery_ts is not None else None,
        "recovery_hours": hours(recovery_ts),
        "baseline_negative_share": info["p0"],
        "baseline_band_upper": upper,
        "peak_negative_share": float(share[k]),
        **its,
        **conversation,
        "excess_member_messages": info["n_burst"],
        "burst_english_share": info["burst_english_share"],
        "baseline_scored_per_day": info["baseline_scored_per_day"],
        "negative_share_before_response": info["negative_share_before_response"],
        "negative_share_after_response": info["negative_share_after_response"],
        "half_life_days": eff["half_life_days"],
        "defenders_planted": structure.get("defenders", 0),
        "calm_threads_planted": structure.get("calm_threads", 0),
        "angry_threads_planted": structure.get("angry_threads", 0),
    }


def crisis_truth(state: SynthState) -> dict[str, Any]:
    """The crisis part of ground_truth.json: ``crises`` (per incident id), ``largest_crisis``,
    ``crisis_detected`` and, for the largest crisis, its findings keys at the top level."""
    if not state.incidents:
        return {"crisis_detected": False, "crises": {}, "largest_crisis": None,
                **{k: None for k in cz.FINDINGS_KEYS}}
    table = _frame(state)
    flags = cz.defence_flags(table)
    crises = {inc.incident_id: one_crisis_truth(state, inc, cz.DEFAULT_BASELINE_DAYS, cz.DEFAULT_WINDOW_DAYS, table,
                                                flags) for inc in state.incidents}
    largest = max(crises, key=lambda k: crises[k]["excess_member_messages"])
    top = {k: crises[largest].get(k) for k in cz.FINDINGS_KEYS}
    return {"crisis_detected": True, "crises": crises, "largest_crisis": largest, **top}
