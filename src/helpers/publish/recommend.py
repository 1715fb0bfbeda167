"""Recommendations from findings: explicit, tested rules; traffic lights against targets.

The notebooks write flat ``findings.json`` files (audience research, campaign vs community, crisis
post-mortem, …). This module reads them as one :class:`FindingsView` and turns them into

* **traffic lights** — each targeted finding is GREEN when it meets its target, AMBER when it misses the target
  but meets the looser ``amber`` bound, RED otherwise (:func:`assess`; targets from ``config/targets.yml``);
* **headline numbers** for the executive summary, each with its n and 95 % CI (:func:`headline_numbers`);
* **recommendations** — each produced by a named rule and naming the finding(s) that triggered it
  (:func:`recommend`), in English, Russian or Azerbaijani: every text is an English message id translated
  through the gettext catalogs (:mod:`helpers.i18n`), every number formatted with Babel (:mod:`helpers.formatting`).

Every rule tolerates missing keys: a notebook that did not run simply triggers nothing. Units follow the
key names: ``*_hours`` in hours, shares and rates 0–1, ``engagement_lift`` a relative change (0.25 = +25 %).
"""
from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import yaml

from helpers.formatting import (
    as_number,
    fmt_date,
    fmt_datetime,
    fmt_hours,
    fmt_int,
    fmt_number,
    fmt_share,
    missing,
)
from helpers.i18n import LANGUAGES, N_, check_language, gettext
from helpers.io import resolve_path, workbook_root
from helpers.scct import SCCT
from helpers.stats import wilson_ci

__all__ = [
    "LANGUAGES", "DEFAULT_TARGETS", "FindingsView", "Target", "Status", "Recommendation", "load_targets",
    "assess", "headline_numbers", "recommend", "RULES", "fmt_number", "fmt_int", "fmt_share", "fmt_hours",
    "fmt_value", "fmt_date", "fmt_datetime", "shift_waits",
]

NBSP = "\u00a0"
_lang = check_language
_num = as_number


def _kind(key: str) -> str:
    """The unit a key names: 'share', 'hours', 'count', 'ratio', 'lift', 'money' or 'number'."""
    if key.endswith(("_share", "_rate", "_coverage")) or key.startswith("retention_") or key in {
            "sentiment_coverage", "response_rate", "defender_share_established"}:
        return "share"
    if key.endswith("_hours") or any(key.endswith(f"_hours_{s}") for s in ("night", "day", "evening")):
        return "hours"
    if key.startswith(("n_", "members_", "messages_")) or key in {"questions", "question_clusters",
                                                                   "unanswered_questions"}:
        return "count"
    if "rate_ratio" in key:
        return "ratio"
    if key == "reply_effect":  # mean member sentiment label after − before a reply, scale −1..+1
        return "signed"
    if key.endswith("_lift") or key in {"its_level_change", "its_slope_change"}:
        return "lift"
    if key.startswith("cost_"):
        return "money"
    return "number"


def fmt_value(key: str, value: Any, language: str = "en") -> str:
    """A finding formatted in the unit its key names (see :func:`_kind`); text values are returned as text."""
    if isinstance(value, str) and _num(value) is None:
        return value[:80]
    kind = _kind(key)
    if kind == "share":
        return fmt_share(value, language)
    if kind == "hours":
        return fmt_hours(value, language)
    if kind == "count":
        return fmt_int(value, language)
    if kind == "ratio":
        f = _num(value)
        return missing(language) if f is None else f"×{fmt_number(f, language, 2)}"
    if kind == "signed":
        f = _num(value)
        return missing(language) if f is None else f"{'+' if f > 0 else ''}{fmt_number(f, language, 2)}"
    if kind == "lift":
        f = _num(value)
        if f is None:
            return missing(language)
        if key in {"its_level_change", "its_slope_change"}:  # changes in a share, percentage points
            return gettext(N_("{sign}{value} pp"), language, sign="+" if f > 0 else "",
                           value=fmt_number(f * 100, language, 1))
        return f"{'+' if f > 0 else ''}{fmt_share(f, language)}"
    if kind == "money":
        return fmt_number(value, language, 2)
    f = _num(value)
    return fmt_number(value, language, 0 if f is not None and f.is_integer() else 2)


# --------------------------------------------------------------------------------------------------
# findings
# --------------------------------------------------------------------------------------------------


class FindingsView:
    """Findings of several notebooks as one read-only mapping that tolerates anything missing.

    ``sources`` maps each key to the run id it came from (first run wins when two runs share a key).
    :meth:`num` returns a finite float or None; derived keys (``unanswered_question_share``) are added.
    """

    def __init__(self, findings: Mapping[str, Any] | None = None, sources: Mapping[str, str] | None = None):
        self.values: dict[str, Any] = {k: v for k, v in dict(findings or {}).items() if not k.startswith("_")}
        self.sources: dict[str, str] = dict(sources or {})
        self._derive()

    @classmethod
    def from_runs(cls, runs: Mapping[str, Mapping[str, Any]]) -> FindingsView:
        """Merge ``{run_id: findings}`` (in order); keys keep the run they came from."""
        merged: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for run_id, found in runs.items():
            for key, value in (found or {}).items():
                if key.startswith("_") or key in merged:
                    continue
                merged[key], sources[key] = value, run_id
        return cls(merged, sources)

    def _derive(self) -> None:
        missed, questions = self.num("unanswered_questions"), self.num("questions")
        if missed is not None and questions and "unanswered_question_share" not in self.values:
            low, high = wilson_ci(int(missed), int(questions))
            self.values.update({"unanswered_question_share": missed / questions,
                                "unanswered_question_share_ci_low": low,
                                "unanswered_question_share_ci_high": high,
                                "unanswered_question_share_n": int(questions)})
            self.sources["unanswered_question_share"] = self.sources.get("unanswered_questions", "")

    def __contains__(self, key: str) -> bool:
        return self.values.get(key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def num(self, key: str) -> float | None:
        """The finding as a finite float, or None when missing / NaN / not a number."""
        return _num(self.values.get(key))

    def ci(self, key: str) -> tuple[float | None, float | None]:
        return self.num(f"{key}_ci_low"), self.num(f"{key}_ci_high")

    def n(self, key: str) -> int | None:
        """The n behind a finding: ``key_n`` when recorded, else the count the notebook records beside it."""
        for name in (f"{key}_n", *_N_KEYS.get(key, ())):
            v = self.num(name)
            if v is not None:
                return int(v)
        return None

    def reliable(self, key: str) -> bool:
        """False only when the notebook marked ``key`` as not measured reliably (``<key>_reliable: false``: the
        sentiment scorer read less than half of the messages behind it); True otherwise."""
        return self.values.get(f"{key}_reliable") is not False

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.values.get(key)
        return dict(value) if isinstance(value, Mapping) else {}


# the count behind findings that do not record their own ``_n``
_N_KEYS: dict[str, tuple[str, ...]] = {
    "median_first_response_hours": ("n_answered",),
    "p90_first_response_hours": ("n_answered",),
    "response_rate": ("n_openers",),
    "ugc_share": ("n_member_messages",),
    "active_member_share": ("members_active",),
    "unanswered_question_share": ("questions",),
    "top10pct_message_share": ("n_member_messages",),
}


# --------------------------------------------------------------------------------------------------
# targets and traffic lights
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A standard for one finding. ``direction`` "max": lower is better (value ≤ target is green);
    "min": higher is better. ``amber`` is the looser bound between amber and red."""

    key: str
    direction: str
    target: float
    amber: float

    def light(self, value: float | None) -> str:
        """'green', 'amber', 'red', or 'none' when the value is missing."""
        if value is None:
            return "none"
        if self.direction == "max":
            return "green" if value <= self.target else "amber" if value <= self.amber else "red"
        return "green" if value >= self.target else "amber" if value >= self.amber else "red"

    def rule_text(self, language: str = "en") -> str:
        """The light's rule in words, e.g. 'green ≤ 2.0 h; amber ≤ 8.0 h; red above'."""
        t, a = fmt_value(self.key, self.target, language), fmt_value(self.key, self.amber, language)
        rule = (N_("green ≤ {t}; amber ≤ {a}; red above") if self.direction == "max"
                else N_("green ≥ {t}; amber ≥ {a}; red below"))
        return gettext(rule, language, t=t, a=a)


DEFAULT_TARGETS: dict[str, dict[str, Any]] = {
    "median_first_response_hours": {"direction": "max", "target": 2, "amber": 8},
    "p90_first_response_hours": {"direction": "max", "target": 24, "amber": 48},
    "response_rate": {"direction": "min", "target": 0.8, "amber": 0.6},
    "unanswered_question_share": {"direction": "max", "target": 0.05, "amber": 0.15},
    "negative_share": {"direction": "max", "target": 0.2, "amber": 0.3},
    "sentiment_coverage": {"direction": "min", "target": 0.7, "amber": 0.4},
    "active_member_share": {"direction": "min", "target": 0.03, "amber": 0.01},
    "ugc_share": {"direction": "min", "target": 0.1, "amber": 0.05},
    "first_response_hours": {"direction": "max", "target": 1, "amber": 4},
    "recovery_hours": {"direction": "max", "target": 72, "amber": 168},
    "defender_share": {"direction": "min", "target": 0.1, "amber": 0.05},
}


def load_targets(targets: str | os.PathLike | Mapping[str, Any] | None = None) -> dict[str, Target]:
    """Targets from a YAML file (``{targets: {key: {direction, target, amber}}}``), a mapping, or the defaults.

    ``None`` reads ``config/targets.yml`` of the workbook when it exists, else :data:`DEFAULT_TARGETS`.
    Raises ``ValueError`` naming the file and key for a malformed target.
    """
    where = "targets"
    if targets is None:
        default_file = workbook_root() / "config" / "targets.yml"
        targets = default_file if default_file.is_file() else DEFAULT_TARGETS
    if isinstance(targets, (str, os.PathLike)):
        where = str(targets)
        path = resolve_path(targets)  # relative paths: current directory first, then the workbook root
        if not path.is_file():
            raise ValueError(f"{where}: targets file not found")
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    else:
        raw = dict(targets)
    spec = raw.get("targets", raw) if isinstance(raw, Mapping) else None
    if not isinstance(spec, Mapping):
        raise ValueError(f"{where}: expected a mapping 'targets: {{key: {{direction, target, amber}}}}'")
    out: dict[str, Target] = {}
    for key, item in spec.items():
        if not isinstance(item, Mapping):
            raise ValueError(f"{where}: target {key!r} must be a mapping with direction, target, amber")
        direction = item.get("direction")
        target, amber = _num(item.get("target")), _num(item.get("amber", item.get("target")))
        if direction not in ("max", "min") or target is None or amber is None:
            raise ValueError(f"{where}: target {key!r} needs direction max|min and numeric target/amber")
        if (direction == "max" and amber < target) or (direction == "min" and amber > target):
            raise ValueError(f"{where}: target {key!r}: amber bound {amber} is stricter than the target {target}")
        out[str(key)] = Target(str(key), direction, target, amber)
    return out


@dataclass
class Status:
    """One finding judged against its target."""

    key: str
    value: float | None
    light: str
    target: Target
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    source: str = ""

    @property
    def uncertain(self) -> bool:
        """True when the 95 % CI reaches both sides of the target (the light could flip)."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low <= self.target.target <= self.ci_high


NOT_RELIABLE = N_("not measured reliably")
"""What the summary shows instead of a traffic light for a figure marked ``<key>_reliable: false``."""


def assess(findings: FindingsView, targets: Mapping[str, Target]) -> list[Status]:
    """Every target whose finding is present, with its traffic light (order of ``targets``); a finding marked
    not reliable gets the light ``"unreliable"`` instead of green / amber / red."""
    out = []
    for key, target in targets.items():
        value = findings.num(key)
        if value is None:
            continue
        low, high = findings.ci(key)
        light = target.light(value) if findings.reliable(key) else "unreliable"
        out.append(Status(key, value, light, target, low, high, findings.n(key), findings.sources.get(key, "")))
    return out


# --------------------------------------------------------------------------------------------------
# headline numbers
# --------------------------------------------------------------------------------------------------

LABELS: dict[str, str] = {  # English message ids; label() translates them
    "median_first_response_hours": N_("Median time to first reply"),
    "p90_first_response_hours": N_("90 % of replies within"),
    "response_rate": N_("Conversations answered"),
    "unanswered_question_share": N_("Questions missed under the SLA"),
    "negative_share": N_("Negative share (scored messages)"),
    "sentiment_coverage": N_("Sentiment coverage"),
    "active_member_share": N_("Followers who take part"),
    "ugc_share": N_("Members' own posts (UGC)"),
    "messages_analysed": N_("Messages analysed"),
    "members_active": N_("Active members"),
    "first_response_hours": N_("Crisis: onset to first response"),
    "recovery_hours": N_("Crisis: onset to recovery"),
    "peak_hours": N_("Crisis: onset to peak"),
    "defender_share": N_("Crisis: members defending"),
    "reply_effect": N_("Crisis: effect of a brand reply on negativity"),
    "retention_community": N_("Retention: community-programme newcomers"),
    "retention_paid": N_("Retention: paid-campaign newcomers"),
    "retention_organic": N_("Retention: other newcomers"),
    "engagement_rate_ratio_community": N_("Engagement per post, community vs organic"),
    "engagement_rate_ratio_paid": N_("Engagement per post, paid vs organic"),
}

# priority order for the executive summary; at most 8 are shown, so with every notebook run the summary
# carries 4 audience numbers, 2 campaign numbers and 2 crisis numbers; with fewer notebooks, more of each
HEADLINE_ORDER = (
    "median_first_response_hours", "response_rate", "negative_share", "sentiment_coverage",
    "retention_community", "retention_paid", "first_response_hours", "recovery_hours",
    "active_member_share", "ugc_share", "unanswered_question_share", "defender_share", "messages_analysed",
)


def label(key: str, language: str = "en") -> str:
    """A finding's plain-language name (the key itself, readable, when there is no label)."""
    return gettext(LABELS[key], language) if key in LABELS else key.replace("_", " ")


def headline_numbers(findings: FindingsView, targets: Mapping[str, Target], language: str = "en",
                     limit: int = 8) -> list[dict[str, Any]]:
    """Up to ``limit`` headline numbers in priority order: label, value, CI, n, light and its rule, source."""
    lang = _lang(language)
    rows = []
    for key in HEADLINE_ORDER:
        value = findings.num(key)
        if value is None:
            continue
        low, high = findings.ci(key)
        target = targets.get(key)
        reliable = findings.reliable(key)
        light = "unreliable" if not reliable else target.light(value) if target else "none"
        status = Status(key, value, light, target, low, high) if target and reliable else None
        n = findings.n(key)
        rows.append({
            "key": key,
            "label": label(key, lang),
            "value": fmt_value(key, value, lang),
            "ci": (f"{fmt_value(key, low, lang)} – {fmt_value(key, high, lang)}"
                   if low is not None and high is not None else ""),
            "n": fmt_int(n, lang) if n is not None else "",
            "light": light,
            "uncertain": bool(status and status.uncertain),
            "rule": target.rule_text(lang) if target else "",
            "source": findings.sources.get(key, ""),
            "reliable": reliable,
            "reliable_reason": "" if reliable else gettext(NOT_RELIABLE, lang),
        })
        if len(rows) >= limit:
            break
    return rows


# --------------------------------------------------------------------------------------------------
# rules
# --------------------------------------------------------------------------------------------------

SHIFTS: dict[str, tuple[int, int]] = {"night": (0, 8), "day": (8, 18), "evening": (18, 24)}
_SHIFT_NAMES = {"night": N_("at night (00:00–07:59)"), "day": N_("in the daytime (08:00–17:59)"),
                "evening": N_("in the evening (18:00–23:59)")}


def shift_waits(by_hour: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Typical wait per shift from the hour-of-day table ``first_response_by_hour``.

    ``by_hour`` maps the local hour ("0".."23") to ``{n, answered, median_hours, …}``. Per shift
    (:data:`SHIFTS`) returns ``openers`` (count), ``answered`` (count) and ``wait_hours``: the mean of the hourly
    median waits weighted by answered openers (hours; an approximation of the shift's median).
    """
    out: dict[str, dict[str, float]] = {}
    for name, (lo, hi) in SHIFTS.items():
        openers = answered = weighted = 0.0
        for hour in range(lo, hi):
            row = by_hour.get(str(hour)) or by_hour.get(hour)  # type: ignore[call-overload]
            if not isinstance(row, Mapping):
                continue
            n, a, med = _num(row.get("n")) or 0.0, _num(row.get("answered")) or 0.0, _num(row.get("median_hours"))
            openers += n
            if med is not None and a > 0:
                answered += a
                weighted += a * med
        if answered > 0:
            out[name] = {"openers": openers, "answered": answered, "wait_hours": weighted / answered}
    return out


@dataclass
class Recommendation:
    """One action, the rule that produced it and the findings that triggered it."""

    rule: str
    severity: str  # "red" (act now), "amber" (plan), "info" (keep doing / read with care)
    text: str
    findings: list[str]
    section: str = ""  # anchor of the playbook section that explains the action
    evidence: list[str] = field(default_factory=list)  # "key = formatted value" for each triggering finding

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Ctx:
    f: FindingsView
    targets: Mapping[str, Target]
    lang: str

    def v(self, key: str) -> str:
        return fmt_value(key, self.f.get(key), self.lang)

    def t(self, key: str) -> Target | None:
        return self.targets.get(key)

    def misses(self, key: str) -> bool:
        t, v = self.t(key), self.f.num(key)
        return bool(t and v is not None and self.f.reliable(key) and t.light(v) != "green")


Rule = Callable[[_Ctx], "Recommendation | None"]
RULES: dict[str, Rule] = {}


def _rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn
    return register


def _rec(ctx: _Ctx, rule: str, severity: str, texts: str, keys: list[str], section: str,
         **values: Any) -> Recommendation:
    text = gettext(texts, ctx.lang, **values)
    evidence = []
    for k in keys:
        v = ctx.f.get(k)
        evidence.append(f"{k} = {ctx.v(k)}" if not isinstance(v, Mapping) else k)
    return Recommendation(rule, severity, text, keys, section, evidence)


def _sev(ctx: _Ctx, key: str) -> str:
    t, v = ctx.t(key), ctx.f.num(key)
    light = t.light(v) if t else "amber"
    return "red" if light == "red" else "amber"


@_rule("response_gap_by_shift")
def _response_gap_by_shift(ctx: _Ctx) -> Recommendation | None:
    """Slow median reply AND the evening or night shift waits far longer than daytime: staff that shift.

    Reads ``median_first_response_hours_{night,day,evening}`` (+ ``_n``, ``_ci_low``/``_ci_high``) from
    :func:`helpers.metrics.shift_responsiveness`; falls back to the hour table ``first_response_by_hour``.
    Fires when the overall median misses its target, the worse of evening/night has ≥ 20 answered openers,
    waits longer than both the target and 1.5 × the daytime median, and (when CIs exist) its CI lies above
    the daytime CI.
    """
    key, t = "median_first_response_hours", ctx.t("median_first_response_hours")
    if t is None or not ctx.misses(key):
        return None
    shifts: dict[str, dict[str, Any]] = {}
    for name in SHIFTS:
        med = ctx.f.num(f"{key}_{name}")
        if med is not None:
            low, high = ctx.f.ci(f"{key}_{name}")
            shifts[name] = {"wait_hours": med, "answered": ctx.f.num(f"{key}_{name}_n") or 0, "low": low,
                            "high": high, "keys": [f"{key}_{name}"]}
    if not shifts:
        shifts = {k: {**v, "low": None, "high": None, "keys": ["first_response_by_hour"]}
                  for k, v in shift_waits(ctx.f.mapping("first_response_by_hour")).items()}
    day = shifts.get("day")
    if not day:
        return None
    worst = max((s for s in ("evening", "night") if s in shifts and shifts[s]["answered"] >= 20),
                key=lambda s: shifts[s]["wait_hours"], default=None)
    if worst is None:
        return None
    w = shifts[worst]
    if w["wait_hours"] <= max(t.target, 1.5 * day["wait_hours"]):
        return None
    if w["low"] is not None and day["high"] is not None and w["low"] <= day["high"]:
        return None
    action = {"evening": N_("staff the evening shift"),
              "night": N_("set up a night on-call rota or an automatic acknowledgement that says when a "
                              "person will answer")}[worst]
    texts = N_("Median first response is {med} against a {target} target; openers posted {shift} wait a "
              "median of {w} (n = {n}), against {d} in the daytime: {action}.")
    keys = list(dict.fromkeys([key, *w["keys"], *day["keys"]]))
    return _rec(ctx, "response_gap_by_shift", _sev(ctx, key), texts, keys, "response-standards",
                med=ctx.v(key), target=fmt_hours(t.target, ctx.lang), shift=gettext(_SHIFT_NAMES[worst], ctx.lang),
                w=fmt_hours(w["wait_hours"], ctx.lang), n=fmt_int(w["answered"], ctx.lang),
                d=fmt_hours(day["wait_hours"], ctx.lang), action=gettext(action, ctx.lang))


@_rule("slow_first_response")
def _slow_first_response(ctx: _Ctx) -> Recommendation | None:
    """Slow median reply without a shift explanation: a response standard, saved replies, a rota."""
    key = "median_first_response_hours"
    t = ctx.t(key)
    if t is None or not ctx.misses(key) or RULES["response_gap_by_shift"](ctx) is not None:
        return None
    texts = N_("Median first response is {med} (95 % CI {low}–{high}, n = {n}) against a {target} target: agree a "
              "written response standard, prepare saved replies for the recurring questions and assign who "
              "watches the channels at every hour members write.")
    low, high = ctx.f.ci(key)
    return _rec(ctx, "slow_first_response", _sev(ctx, key), texts, [key], "response-standards",
                med=ctx.v(key), low=fmt_hours(low, ctx.lang), high=fmt_hours(high, ctx.lang),
                n=fmt_int(ctx.f.n(key), ctx.lang), target=fmt_hours(t.target, ctx.lang))


@_rule("low_response_rate")
def _low_response_rate(ctx: _Ctx) -> Recommendation | None:
    """Too many conversation openers never get any reply."""
    key = "response_rate"
    t, rate = ctx.t(key), ctx.f.num(key)
    if t is None or rate is None or not ctx.misses(key):
        return None
    n = ctx.f.num("n_openers")
    missed = None if n is None else round(n * (1 - rate))
    texts = N_("Only {rate} of conversation openers got a reply (target {target}){missed}: answer every opener, even "
              "with a short acknowledgement, and review unanswered threads daily.")
    miss_txt = "" if missed is None else gettext(N_("; {k} of {n} were left unanswered"), ctx.lang,
                                                 k=fmt_int(missed, ctx.lang), n=fmt_int(n, ctx.lang))
    return _rec(ctx, "low_response_rate", _sev(ctx, key), texts, [key, "n_openers"] if n is not None else [key],
                "response-standards", rate=ctx.v(key), target=fmt_share(t.target, ctx.lang), missed=miss_txt)


@_rule("missed_questions")
def _missed_questions(ctx: _Ctx) -> Recommendation | None:
    """Questions left waiting beyond the SLA."""
    key = "unanswered_question_share"
    if not ctx.misses(key):
        return None
    sla = ctx.f.num("response_sla_hours")
    texts = N_("{k} of {n} member questions ({share}) waited longer than {sla} for an answer: go through the "
              "list of missed questions every morning and answer the oldest first.")
    keys = [key, "unanswered_questions", "questions"] + (["response_sla_hours"] if sla is not None else [])
    return _rec(ctx, "missed_questions", _sev(ctx, key), texts, keys, "response-standards",
                k=fmt_int(ctx.f.num("unanswered_questions"), ctx.lang), n=fmt_int(ctx.f.num("questions"), ctx.lang),
                share=ctx.v(key), sla=fmt_hours(sla if sla is not None else 24, ctx.lang))


@_rule("recurring_questions")
def _recurring_questions(ctx: _Ctx) -> Recommendation | None:
    """Questions repeat in clusters: a pinned FAQ and saved replies in every language."""
    clusters, questions = ctx.f.num("question_clusters"), ctx.f.num("questions")
    if clusters is None or questions is None or clusters < 3 or questions < 30:
        return None
    langs = [k for k, v in sorted(ctx.f.mapping("language_mix").items(), key=lambda kv: -(_num(kv[1]) or 0))
             if k != "und" and (_num(v) or 0) >= 0.1]
    lang_txt = ", ".join(langs) if langs else gettext(N_("every language used"), ctx.lang)
    texts = N_("{q} member questions fall into {c} recurring clusters: pin an FAQ answer for the largest clusters "
              "and keep saved replies for them in {langs}; a person still checks every reply before it goes out.")
    keys = ["question_clusters", "questions"] + (["language_mix"] if langs else [])
    return _rec(ctx, "recurring_questions", "amber", texts, keys, "ai-helpers",
                q=fmt_int(questions, ctx.lang), c=fmt_int(clusters, ctx.lang), langs=lang_txt)


@_rule("low_sentiment_coverage")
def _low_sentiment_coverage(ctx: _Ctx) -> Recommendation | None:
    """The scorer reads too little of the audience: read every tone number with that caveat."""
    key = "sentiment_coverage"
    if not ctx.misses(key):
        return None
    backend = ctx.f.get("sentiment_backend")
    backend_txt = f" ({backend})" if isinstance(backend, str) and backend.replace("_", "").isalnum() else ""
    texts = N_("The sentiment scorer{b} could read only {cov} of member messages: every negative share here "
              "describes that part of the audience only; label a few hundred messages in the other languages "
              "and train the workbook's own scorer before judging tone.")
    return _rec(ctx, "low_sentiment_coverage", _sev(ctx, key), texts, [key], "listening", b=backend_txt,
                cov=ctx.v(key))


@_rule("high_negative_share")
def _high_negative_share(ctx: _Ctx) -> Recommendation | None:
    """Negative share above target: de-escalation routine."""
    key = "negative_share"
    if not ctx.misses(key):
        return None
    t = ctx.t(key)
    low, high = ctx.f.ci(key)
    sure = low is not None and t is not None and low > t.target
    texts = N_("{neg} of scored member messages are negative (95 % CI {low}–{high}, n = {n}; target {target}){sure}: "
              "apply the de-escalation steps — acknowledge publicly, move the details to a private channel, "
              "report back in the thread when it is fixed.")
    sure_txt = "" if not sure else gettext(N_("; the whole interval is above the target"), ctx.lang)
    return _rec(ctx, "high_negative_share", _sev(ctx, key), texts, [key], "de-escalation",
                neg=ctx.v(key), low=fmt_share(low, ctx.lang), high=fmt_share(high, ctx.lang),
                n=fmt_int(ctx.f.n(key), ctx.lang), target=fmt_share(t.target if t else None, ctx.lang),
                sure=sure_txt)


@_rule("multilingual_audience")
def _multilingual(ctx: _Ctx) -> Recommendation | None:
    """Two or more languages with a real share: standards, rules and replies in each."""
    mix = {k: _num(v) for k, v in ctx.f.mapping("language_mix").items() if k != "und"}
    big = [(k, v) for k, v in sorted(mix.items(), key=lambda kv: -(kv[1] or 0)) if v is not None and v >= 0.1]
    if len(big) < 2:
        return None
    parts = ", ".join(f"{k} {fmt_share(v, ctx.lang)}" for k, v in big)
    texts = N_("Members write in {n} languages ({parts}): publish community rules, the FAQ and saved replies in each "
              "of them, and make sure someone on every shift can answer in each.")
    return _rec(ctx, "multilingual_audience", "info", texts, ["language_mix"], "rules-and-moderation",
                n=len(big), parts=parts)


@_rule("concentrated_participation")
def _concentrated(ctx: _Ctx) -> Recommendation | None:
    """A small core writes most messages: recognise it and widen the base."""
    top10 = ctx.f.num("top10pct_message_share")
    if top10 is None or top10 < 0.4:
        return None
    texts = N_("The most active 10 % of members write {s} of member messages: thank and involve this core "
              "(early news, a say in rules), and give quieter members easy first steps such as polls and "
              "questions to answer.")
    keys = ["top10pct_message_share"] + (["participation_gini"] if "participation_gini" in ctx.f else [])
    return _rec(ctx, "concentrated_participation", "info", texts, keys, "ugc", s=ctx.v("top10pct_message_share"))


@_rule("low_ugc")
def _low_ugc(ctx: _Ctx) -> Recommendation | None:
    """Few members post their own content."""
    key = "ugc_share"
    if not ctx.misses(key):
        return None
    t = ctx.t(key)
    texts = N_("Members' own posts are {u} of member messages (target {target}): invite stories and photos with a "
              "clear prompt, feature members' posts with credit and consent, and answer every one of them.")
    return _rec(ctx, "low_ugc", _sev(ctx, key), texts, [key], "ugc", u=ctx.v(key),
                target=fmt_share(t.target if t else None, ctx.lang))


@_rule("low_participation")
def _low_participation(ctx: _Ctx) -> Recommendation | None:
    """Few followers take part at all."""
    key = "active_member_share"
    if not ctx.misses(key):
        return None
    texts = N_("Only {s} of followers wrote anything in the period: measure the community by participation, not "
              "follower counts, and plan posts that ask for an answer.")
    return _rec(ctx, "low_participation", _sev(ctx, key), texts, [key], "role", s=ctx.v(key))


@_rule("community_retains_better")
def _community_retains(ctx: _Ctx) -> Recommendation | None:
    """Community-programme newcomers retain better than paid-campaign newcomers (CIs do not overlap)."""
    c, p = ctx.f.num("retention_community"), ctx.f.num("retention_paid")
    if c is None or p is None:
        return None
    c_low, _ = ctx.f.ci("retention_community")
    _, p_high = ctx.f.ci("retention_paid")
    if c_low is None or p_high is None or c_low <= p_high:
        return None
    texts = N_("Members who arrived during community programmes are still active {c} of the time, against {p} for "
              "paid-campaign arrivals (the 95 % intervals do not overlap): fund community programmes for lasting "
              "participation and use paid campaigns for reach.")
    return _rec(ctx, "community_retains_better", "amber", texts, ["retention_community", "retention_paid"],
                "paid-or-community", c=ctx.v("retention_community"), p=ctx.v("retention_paid"))


@_rule("paid_retains_worse_cost")
def _cost_per_retained(ctx: _Ctx) -> Recommendation | None:
    """Cost per retained member: paid clearly dearer than community."""
    paid, comm = ctx.f.num("cost_per_retained_member_paid"), ctx.f.num("cost_per_retained_member_community")
    if paid is None or comm is None or comm <= 0 or paid < 1.5 * comm:
        return None
    texts = N_("A retained member cost {p} through paid campaigns and {c} through community programmes ({x} times "
              "as much): compare initiatives by cost per retained member, not by reach.")
    keys = ["cost_per_retained_member_paid", "cost_per_retained_member_community"]
    cur = ctx.f.get("currency")
    cur = f"{NBSP}{cur[:8]}" if isinstance(cur, str) and cur.isalpha() else ""
    return _rec(ctx, "paid_retains_worse_cost", "amber", texts, keys, "measurement",
                p=fmt_number(paid, ctx.lang, 2) + cur, c=fmt_number(comm, ctx.lang, 2) + cur,
                x=fmt_number(paid / comm, ctx.lang, 1))


@_rule("initiatives_without_lift")
def _no_lift(ctx: _Ctx) -> Recommendation | None:
    """Initiatives whose engagement-lift interval includes zero: no measurable effect."""
    inits = ctx.f.mapping("initiatives")
    flat = []
    for iid, row in sorted(inits.items()):
        if not isinstance(row, Mapping):
            continue
        low, high = _num(row.get("engagement_lift_ci_low")), _num(row.get("engagement_lift_ci_high"))
        if low is not None and high is not None and low <= 0 <= high:
            flat.append(str(iid))
    if not flat:
        return None
    ids = ", ".join(_safe_id(i) for i in flat[:8]) + ("…" if len(flat) > 8 else "")
    texts = N_("{k} of {n} initiatives ({ids}) show no measurable engagement lift (the 95 % interval includes zero): "
              "before repeating them, change the format or the audience, and set an outcome target in advance.")
    return _rec(ctx, "initiatives_without_lift", "amber", texts, ["initiatives"], "measurement",
                k=len(flat), n=len(inits), ids=ids)


def _safe_id(value: str) -> str:
    """An initiative id for prose (ids are data; they are escaped on rendering anyway)."""
    return value[:40]


@_rule("crisis_slow_response")
def _crisis_slow(ctx: _Ctx) -> Recommendation | None:
    """The first official word in a crisis came late."""
    key = "first_response_hours"
    if ctx.f.get("crisis_detected") is False or not ctx.misses(key):
        return None
    t = ctx.t(key)
    texts = N_("In the last crisis the first official response came {h} after onset (target {target}): keep a "
              "pre-approved holding statement and name who may publish it out of hours.")
    return _rec(ctx, "crisis_slow_response", _sev(ctx, key), texts, [key], "first-hours",
                h=ctx.v(key), target=fmt_hours(t.target if t else None, ctx.lang))


@_rule("crisis_slow_recovery")
def _crisis_recovery(ctx: _Ctx) -> Recommendation | None:
    """Negative share took long to return to its baseline."""
    key = "recovery_hours"
    if ctx.f.get("crisis_detected") is False or not ctx.misses(key):
        return None
    texts = N_("Negative share took {h} to return to its usual band: after the holding statement, post updates at "
              "announced times until the issue is closed, and answer follow-up questions in the same threads.")
    return _rec(ctx, "crisis_slow_recovery", _sev(ctx, key), texts, [key], "first-hours", h=ctx.v(key))


@_rule("crisis_defenders")
def _crisis_defenders(ctx: _Ctx) -> Recommendation | None:
    """Few members defended the organisation: build relationships before the next crisis."""
    key = "defender_share"
    if ctx.f.get("crisis_detected") is False or ctx.f.num(key) is None:
        return None
    if ctx.misses(key):
        texts = N_("Only {s} of member messages in the crisis window defended the organisation{n}: invest in the "
                  "community between crises — people defend an organisation they already know; give them facts, "
                  "never scripts.")
        n = ctx.f.n(key)
        return _rec(ctx, "crisis_defenders", _sev(ctx, key), texts, [key], "defenders", s=ctx.v(key),
                    n="" if n is None else f" (n = {fmt_int(n, ctx.lang)})")
    est = ctx.f.num("defender_share_established")
    texts = N_("{s} of member messages in the crisis window defended the organisation{est}: thank defenders "
              "publicly, keep them informed first, and never hand them scripted text.")
    est_txt = "" if est is None else gettext(N_(" ({s} among established members)"), ctx.lang,
                                             s=fmt_share(est, ctx.lang))
    keys = [key] + (["defender_share_established"] if est is not None else [])
    return _rec(ctx, "crisis_defenders", "info", texts, keys, "defenders", s=ctx.v(key), est=est_txt)


@_rule("crisis_scct_strategy")
def _scct_strategy(ctx: _Ctx) -> Recommendation | None:
    """The SCCT crisis type recorded for the incident, and the response strategy the playbook gives for it."""
    kind = ctx.f.get("crisis_type")
    if not isinstance(kind, str) or kind.strip().lower() not in SCCT or ctx.f.get("crisis_detected") is False:
        return None
    scct = SCCT[kind.strip().lower()]
    name, strategy = gettext(scct["label"], ctx.lang), gettext(scct["response"], ctx.lang)
    texts = N_("The crisis is recorded as {name} (SCCT): {strategy}.")
    return _rec(ctx, "crisis_scct_strategy", "info", texts, ["crisis_type"], "strategies", name=name,
                strategy=strategy)


@_rule("crisis_reply_effect")
def _reply_effect(ctx: _Ctx) -> Recommendation | None:
    """Did brand replies calm threads or inflame them?

    ``reply_effect`` (notebook 03) is the mean member sentiment after the organisation's first reply minus
    before it, per conversation, on a −1 (negative) … +1 (positive) scale: > 0 calmer. Fires only when the 95 %
    interval excludes zero.
    """
    eff = ctx.f.num("reply_effect")
    low, high = ctx.f.ci("reply_effect")
    if eff is None or low is None or high is None or ctx.f.get("crisis_detected") is False:
        return None
    if low > 0:
        texts = N_("Threads calmed after a brand reply: member sentiment changed by {e} on a −1…+1 scale (95 % CI {l} "
                  "to {h}): answer angry threads in person and early rather than staying silent.")
        sev = "info"
    elif high < 0:
        texts = N_("Threads grew more negative after a brand reply: member sentiment changed by {e} on a −1…+1 scale "
                  "(95 % CI {l} to {h}): review the replies that preceded the worst escalations; drop defensive "
                  "and templated wording, acknowledge first.")
        sev = "red"
    else:
        return None
    return _rec(ctx, "crisis_reply_effect", sev, texts, ["reply_effect"], "de-escalation",
                e=ctx.v("reply_effect"), l=fmt_value("reply_effect", low, ctx.lang),
                h=fmt_value("reply_effect", high, ctx.lang))


_SEVERITY_ORDER = {"red": 0, "amber": 1, "info": 2}


def recommend(findings: FindingsView | Mapping[str, Any], targets: Mapping[str, Target] | None = None,
              language: str = "en") -> list[Recommendation]:
    """Apply every rule in :data:`RULES`; red first, then amber, then info (rule order within a level). A rule
    whose findings include one marked not reliable (``<key>_reliable: false``) gives no recommendation."""
    lang = _lang(language)
    view = findings if isinstance(findings, FindingsView) else FindingsView(findings)
    ctx = _Ctx(view, load_targets() if targets is None else targets, lang)
    # no recommendation rests on a figure that was not measured reliably (``<key>_reliable: false``)
    out = [rec for rule in RULES.values()
           if (rec := rule(ctx)) is not None and all(view.reliable(k) for k in rec.findings)]
    return sorted(out, key=lambda r: _SEVERITY_ORDER.get(r.severity, 3))
