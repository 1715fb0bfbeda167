"""Render a playbook edition from a finished run folder: summary first, then the notebook pages, then playbooks.

``python -m helpers playbook RUN_DIR [--language en|ru|az] [--targets FILE] [--out DIR]`` reads
``RUN_DIR/manifest.json`` (written by ``python -m helpers run``) and every ``RUN_DIR/<run-id>/findings.json``,
and writes a self-contained folder of HTML pages:

* ``index.html`` — the executive summary: 5–8 headline numbers with n and 95 % CI, traffic lights against the
  targets (``config/targets.yml``), the recommendations of :mod:`helpers.publish.recommend` (each naming the
  findings that triggered it) and a table of contents;
* ``pages/<run-id>.html`` — each notebook's rendered page (code hidden) with the edition's navigation added;
  in a ru or az edition the page is rendered again in that language: narrative paragraph by paragraph, the
  summaries, table headers and chart descriptions through the same gettext catalogs (user text untouched);
* ``<playbook>.html`` — the evergreen playbooks in ``playbooks/<language>/*.md`` with this run's numbers filled
  in and the recommendations placed next to the sections that explain them;
* ``edition.json`` — the same numbers, lights and recommendations for machines.

Playbook texts are Markdown with Jinja2 placeholders (``{{ v('median_first_response_hours') }}``). Values are
Markdown-escaped when inserted, raw HTML in the Markdown is escaped, the resulting HTML passes an allowlist
cleaner, and the page templates autoescape: no text from the data can become markup.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.formatting import fmt_count, fmt_date, fmt_date_range, fmt_datetime, fmt_int, fmt_share, missing
from helpers.i18n import LANGUAGES, N_, NP_, check_language, gettext
from helpers.io import atomic_write_text, workbook_root
from helpers.publish.pages import render_notebook_html
from helpers.publish.recommend import (
    FindingsView,
    Recommendation,
    Target,
    assess,
    fmt_value,
    headline_numbers,
    label,
    load_targets,
    recommend,
)
from helpers.publish.safehtml import markdown_to_html
from helpers.scct import SCCT

__all__ = ["PLAYBOOKS", "UI", "ui_words", "render_edition", "render_playbook_markdown", "cli"]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "playbook"

# slug -> (order); texts live in playbooks/<language>/<slug>.md
PLAYBOOKS = ("community-management", "crisis-communication", "campaign-planning")

UI: dict[str, str] = {  # the edition's interface words: English message ids, translated from the catalogs
    'summary': N_('Executive summary'),
    'edition': N_('Edition'),
    'data_as_of': N_('Run of'),
    'at_a_glance': N_('At a glance'),
    'finding': N_('Finding'),
    'value': N_('Value'),
    'ci': N_('95 % CI'),
    'n': N_('n'),
    'status': N_('Status'),
    'target': N_('Target rule'),
    'source': N_('Source'),
    'next': N_('What to do next'),
    'triggered': N_('Triggered by'),
    'read_more': N_('Playbook section'),
    'reports': N_('Analysis pages'),
    'playbooks': N_('Playbooks'),
    'contents': N_('Contents'),
    'all_targets': N_('All targets'),
    'no_recs': N_('No rule fired: every judged finding meets its target, or the notebooks behind the rules did not run.'),
    'green': N_('green'),
    'amber': N_('amber'),
    'red': N_('red'),
    'none': N_('no target'),
    'unreliable': N_('not measured reliably'),
    'uncertain': N_('uncertain'),
    'ok': N_('ok'),
    'failed': N_('failed'),
    'no_data': N_('no data in the period'),
    'not_run': N_('page not available'),
    'how_to_read': N_('How to read this page'),
    'how_text': N_('Each number comes with its n (how many messages, members or conversations it rests on) and, where it is an estimate, a 95 % confidence interval. Lights compare the number with its target: green meets the target, amber misses it but stays within the looser bound, red misses both. “Uncertain” means the interval reaches both sides of the target. Findings without a target show no light. “Not measured reliably” replaces the light when the sentiment scorer read less than half of the messages behind a number: read it as describing only that part, and act on it only after a scorer that reads the other languages.'),
    'severity_red': N_('act now'),
    'severity_amber': N_('plan'),
    'severity_info': N_('keep in mind'),
    'in_edition': N_('In this edition'),
    'back': N_('Summary'),
    'generated': N_('Generated'),
    'lang_name': N_('English'),
    'failed_note': N_('This notebook failed; its numbers are missing from the edition.'),
    'skip': N_('Skip to content'),
}

_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*(?:\{#([A-Za-z0-9_-]+)\})?\s*$")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>&~])")


def _md_escape(value: Any) -> str:
    """Finalize for placeholders: a value inserted into Markdown is text, never Markdown or HTML."""
    if value is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


class _Context:
    """The functions a playbook text can call: has, v, ci, n, target, when."""

    def __init__(self, view: FindingsView, targets: Mapping[str, Target], language: str):
        self.view, self.targets, self.lang = view, targets, language

    def has(self, *keys: str) -> bool:
        return all(self.view.get(k) is not None and not isinstance(self.view.get(k), (dict, list)) for k in keys)

    def v(self, key: str) -> str:
        value = self.view.get(key)
        if isinstance(value, str):
            return value[:120]
        return fmt_value(key, value, self.lang)

    def ci(self, key: str) -> str:
        low, high = self.view.ci(key)
        if low is None or high is None:
            return missing(self.lang)
        return f"{fmt_value(key, low, self.lang)} – {fmt_value(key, high, self.lang)}"

    def n(self, key: str) -> str:
        return fmt_int(self.view.n(key), self.lang)

    def target(self, key: str) -> str:
        t = self.targets.get(key)
        return fmt_value(key, t.target, self.lang) if t else missing(self.lang)

    def when(self, key: str) -> str:
        return fmt_datetime(self.view.get(key), self.lang)

    def variables(self) -> dict[str, Any]:
        mix = self.view.mapping("language_mix")
        languages = ", ".join(f"{k} {fmt_share(v, self.lang)}" for k, v in
                              sorted(mix.items(), key=lambda kv: -(kv[1] or 0) if isinstance(kv[1], (int, float)) else 0)
                              if isinstance(v, (int, float)))
        crisis_keys = ("onset_at", "first_response_hours", "peak_hours", "recovery_hours")
        detected = self.view.get("crisis_detected")
        crisis = detected is not False and any(self.view.get(k) is not None for k in crisis_keys)
        initiatives = []
        for iid, row in sorted(self.view.mapping("initiatives").items()):
            if not isinstance(row, Mapping):
                continue
            low, high = row.get("engagement_lift_ci_low"), row.get("engagement_lift_ci_high")
            ci = (f"{fmt_value('engagement_lift', low, self.lang)} – {fmt_value('engagement_lift', high, self.lang)}"
                  if isinstance(low, (int, float)) and isinstance(high, (int, float)) else "")
            initiatives.append({"id": str(iid)[:60], "kind": str(row.get("kind") or "")[:40],
                                "lift": fmt_value("engagement_lift", row.get("engagement_lift"), self.lang),
                                "ci": ci})
        kind = self.view.get("crisis_type")
        kind_key = kind.strip().lower() if isinstance(kind, str) else ""
        crisis_type = gettext(SCCT[kind_key]["label"], self.lang) if kind_key in SCCT else (
            kind[:60] if isinstance(kind, str) else "")
        return {"has": self.has, "v": self.v, "ci": self.ci, "n": self.n, "target": self.target,
                "crisis_type": crisis_type,
                "when": self.when, "languages": languages, "crisis": crisis,
                "crisis_absent": detected is False, "initiatives": initiatives}


def _markdown_env():
    from jinja2 import ChainableUndefined, Environment

    # autoescape off: values are Markdown-escaped by finalize, and the Markdown renderer escapes raw HTML
    # "{#anchor}" after a heading names its section, so Jinja comments use "{##" … "##}" instead
    return Environment(autoescape=False, finalize=_md_escape, undefined=ChainableUndefined,
                       keep_trailing_newline=True, comment_start_string="{##", comment_end_string="##}")


def render_playbook_markdown(text: str, view: FindingsView, targets: Mapping[str, Target],
                             language: str = "en") -> dict[str, Any]:
    """Fill a playbook's placeholders and split it into sections.

    Returns ``{"title": str, "intro_html": str, "sections": [{"id", "title", "html"}]}``; every HTML string has
    passed :func:`helpers.publish.safehtml.markdown_to_html` (raw HTML escaped, allowlist cleaner).
    """
    filled = _markdown_env().from_string(text).render(**_Context(view, targets, language).variables())
    title, intro, sections = "", [], []
    current: dict[str, Any] | None = None
    for line in filled.splitlines():
        m = _HEADING.match(line)
        if m and m.group(1) == "#" and not title:
            title = m.group(2)
            continue
        if m and m.group(1) == "##":
            anchor = m.group(3) or re.sub(r"[^a-z0-9]+", "-", m.group(2).lower()).strip("-")
            current = {"id": anchor, "title": m.group(2), "lines": []}
            sections.append(current)
            continue
        (current["lines"] if current is not None else intro).append(line)
    return {
        "title": title,
        "intro_html": markdown_to_html("\n".join(intro)),
        "sections": [{"id": s["id"], "title": s["title"], "html": markdown_to_html("\n".join(s["lines"]))}
                     for s in sections],
    }


def _load_findings(run_dir: Path, runs: list[Mapping[str, Any]],
                   lang: str = "en") -> tuple[dict[str, dict], list[str]]:
    """``{run_id: findings}`` for every run whose findings.json is readable, plus notes on the others."""
    found: dict[str, dict] = {}
    notes: list[str] = []
    for rec in runs:
        run_id = str(rec.get("id") or "")
        path = run_dir / run_id / "findings.json"
        shown = f"{run_id}/findings.json"  # relative: an edition never shows where the run folder lives
        if not run_id or not path.is_file():
            notes.append(gettext(N_("{file}: no findings (the notebook did not run or failed early)"), lang,
                                 file=shown))
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            notes.append(gettext(N_("{file}: unreadable findings ({error})"), lang, file=shown,
                                 error=type(exc).__name__))
            continue
        if isinstance(data, dict):
            found[run_id] = data
    return found, notes


_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.IGNORECASE)

_NAV_CSS = """<style>
.edition-nav{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#1d2330;color:#fff;
padding:.55rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;align-items:center}
.edition-nav a{color:#fff;text-decoration:none;border-bottom:1px solid transparent}
.edition-nav a:hover,.edition-nav a:focus{border-bottom-color:#fff}
.edition-nav a[aria-current=page]{font-weight:700;border-bottom-color:#9fb3ff}
.edition-nav .edition-title{font-weight:700;margin-right:.6rem}
@media print{.edition-nav{display:none}}
</style>"""


def _inject_nav(page: str, nav_html: str) -> str:
    """Add the edition's navigation bar (and its CSS) to a rendered notebook page."""
    page = _HEAD_CLOSE.sub(lambda m: _NAV_CSS + m.group(0), page, count=1)
    m = _BODY_OPEN.search(page)
    if not m:
        return nav_html + page
    return page[:m.end()] + "\n" + nav_html + page[m.end():]


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def _resolve_language(language: str | None, manifest: Mapping[str, Any]) -> str:
    return check_language(str(language or manifest.get("language") or "en"))


def ui_words(language: str) -> dict[str, str]:
    """The edition's interface words (:data:`UI`) in ``language``, from the catalogs."""
    return {key: gettext(message, language) for key, message in UI.items()}


def _read_manifest(run_dir: Path) -> dict[str, Any]:
    """``run_dir/manifest.json``; ``FileNotFoundError`` naming the file when the folder has none."""
    mpath = run_dir / "manifest.json"
    if not mpath.is_file():
        raise FileNotFoundError(f"{mpath}: no manifest.json — is {run_dir} a finished run folder "
                                "(python -m helpers run CONFIG)?")
    return json.loads(mpath.read_text(encoding="utf-8"))


def _render_playbooks(pb_dir: Path, lang: str, view: FindingsView, targets: Mapping[str, Target],
                      notes: list[str]) -> list[dict[str, Any]]:
    """Every playbook text of ``lang`` filled in (a note is added for each missing text)."""
    playbooks = []
    for slug in PLAYBOOKS:
        path = pb_dir / lang / f"{slug}.md"
        if not path.is_file():
            notes.append(gettext(N_("{file}: playbook text missing"), lang, file=f"playbooks/{lang}/{slug}.md"))
            continue
        doc = render_playbook_markdown(path.read_text(encoding="utf-8"), view, targets, lang)
        doc["slug"], doc["href"] = slug, f"{slug}.html"
        playbooks.append(doc)
    return playbooks


def _recommendation_views(recs: list[Recommendation], playbooks: list[dict[str, Any]], ui: Mapping[str, str],
                          view: FindingsView, run_names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Recommendations as the templates show them (linked to their playbook section); each playbook section
    gets the recommendations that point at it (``sec["recs"]``)."""
    section_page = {s["id"]: f"{p['href']}#{s['id']}" for p in playbooks for s in p["sections"]}
    section_title = {s["id"]: s["title"] for p in playbooks for s in p["sections"]}

    def rec_view(r: Recommendation) -> dict[str, Any]:
        return {"rule": r.rule, "severity": r.severity, "severity_label": ui[f"severity_{r.severity}"],
                "text": r.text, "evidence": [
                    {"text": e, "source": run_names.get(view.sources.get(k, ""), view.sources.get(k, ""))}
                    for k, e in zip(r.findings, r.evidence)],
                "href": section_page.get(r.section, ""), "section": section_title.get(r.section, "")}

    rec_views = [rec_view(r) for r in recs]
    for doc in playbooks:
        for sec in doc["sections"]:
            sec["recs"] = [rv for r, rv in zip(recs, rec_views) if r.section == sec["id"]]
    return rec_views


def _page_entries(runs: list[Mapping[str, Any]], run_dir: Path, run_names: Mapping[str, str]) -> list[dict]:
    """One entry per run for the contents; ``href`` is set only for a rendered page inside the run folder."""
    pages = []
    for rec in runs:
        run_id = str(rec.get("id") or "")
        html_rel = rec.get("html")
        src = (run_dir / str(html_rel)) if html_rel else None
        page = {"id": run_id, "name": run_names.get(run_id, run_id), "status": str(rec.get("status") or ""),
                "error": str(rec.get("error") or "")[:600], "href": ""}
        inside = src is not None and src.resolve().is_relative_to(run_dir)  # a manifest cannot point elsewhere
        if inside and src.is_file() and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", run_id):
            page["href"] = f"pages/{run_id}.html"
        pages.append(page)
    return pages


def _write_notebook_pages(env, nav: Mapping[str, Any], runs: list[Mapping[str, Any]], run_dir: Path, out: Path,
                          ui: Mapping[str, str], title: str, lang: str, notes: list[str]) -> None:
    """Each notebook page in ``out/pages/`` with the edition's navigation bar added.

    English editions copy the run's rendered page. Other languages render the executed notebook again with its
    narrative, summaries, table headers and chart descriptions translated from the catalogs
    (:mod:`helpers.publish.translate`); a run without its executed notebook keeps the English page, with a note.
    """
    for page in nav["pages"]:
        rec = next(r for r in runs if str(r.get("id")) == page["id"])
        nav_html = env.get_template("nav.html").render(nav=nav, ui=ui, prefix="../", current=page["href"],
                                                      title=title)
        executed = run_dir / str(rec.get("executed") or "")
        target = out / page["href"]
        inside = rec.get("executed") and executed.resolve().is_relative_to(run_dir) and executed.is_file()
        if lang != "en" and inside:
            render_notebook_html(executed, target, title=str(rec.get("name") or page["name"]), language=lang)
            body = target.read_text(encoding="utf-8")
        else:
            if lang != "en":
                notes.append(gettext(N_("{page}: no executed notebook in the run folder; its page stays in English"),
                                     lang, page=page["id"]))
            body = (run_dir / str(rec.get("html"))).read_text(encoding="utf-8")
        atomic_write_text(target, _inject_nav(body, nav_html))


def _status_rows(statuses: list, lang: str, run_names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The traffic-light table of the summary page."""
    return [{
        "label": label(s.key, lang), "key": s.key, "value": fmt_value(s.key, s.value, lang),
        "light": s.light, "uncertain": s.uncertain, "rule": s.target.rule_text(lang),
        "source": run_names.get(s.source, s.source)} for s in statuses]


#: the summary's count of analysed messages, in the plural form the language needs
MESSAGES_ANALYSED = NP_("{n} message analysed", "{n} messages analysed")


def _scope_line(runs: list[Mapping[str, Any]], view: FindingsView, lang: str) -> str:
    """The summary's scope: the runs' period as a date range (Babel) and the messages analysed (plural forms)."""
    periods = [r.get("period") for r in runs if isinstance(r.get("period"), Mapping)]
    starts = sorted(str(p["start"]) for p in periods if p.get("start"))
    ends = sorted(str(p["end"]) for p in periods if p.get("end"))
    parts = [fmt_date_range(starts[0], ends[-1], lang)] if starts and ends else []
    analysed = view.num("messages_analysed")
    if analysed is not None:
        parts.append(fmt_count(analysed, MESSAGES_ANALYSED, lang))
    return " · ".join(parts)


def _edition_json(title: str, manifest: Mapping[str, Any], lang: str, headlines: list[dict[str, Any]],
                  statuses: list, recs: list[Recommendation], notes: list[str]) -> str:
    """``edition.json``: the summary's numbers, lights and recommendations for machines."""
    machine = {
        "title": title, "as_of": manifest.get("as_of"), "language": lang, "run_status": manifest.get("status"),
        "headlines": headlines,
        "targets": [{"key": s.key, "value": s.value, "light": s.light, "uncertain": s.uncertain,
                     "direction": s.target.direction, "target": s.target.target, "amber": s.target.amber}
                    for s in statuses],
        "recommendations": [r.as_dict() for r in recs],
        "notes": notes,
    }
    return json.dumps(machine, ensure_ascii=False, indent=2)


def render_edition(run_dir: str | os.PathLike, manifest: dict | None = None, language: str | None = None,
                   targets: str | os.PathLike | Mapping[str, Any] | None = None,
                   out_dir: str | os.PathLike | None = None, playbooks_dir: str | os.PathLike | None = None) -> Path:
    """Render the edition of a finished run; returns the path of its ``index.html``.

    ``manifest`` defaults to ``run_dir/manifest.json``. ``language`` ("en"/"ru"/"az") defaults to the manifest's
    ``language``, else English. ``targets`` (file, mapping or None) defaults to the manifest's ``targets``, then
    ``config/targets.yml``, then the built-in defaults. ``out_dir`` defaults to ``run_dir/edition/<language>``.
    Raises ``FileNotFoundError`` naming the file when the run folder has no manifest.
    """
    run_dir = Path(run_dir).resolve()
    if manifest is None:
        manifest = _read_manifest(run_dir)
    lang = _resolve_language(language, manifest)
    ui = ui_words(lang)
    tgt = load_targets(targets if targets is not None else manifest.get("targets"))
    out = Path(out_dir) if out_dir is not None else run_dir / "edition" / lang
    out.mkdir(parents=True, exist_ok=True)
    pb_dir = Path(playbooks_dir) if playbooks_dir is not None else workbook_root() / "playbooks"

    runs = [r for r in manifest.get("runs") or [] if isinstance(r, Mapping)]
    found, notes = _load_findings(run_dir, runs, lang)
    view = FindingsView.from_runs(found)
    statuses = assess(view, tgt)
    headlines = headline_numbers(view, tgt, lang, limit=8)
    recs = recommend(view, tgt, lang)
    run_names = {str(r.get("id")): str(r.get("name") or r.get("id")) for r in runs}
    playbooks = _render_playbooks(pb_dir, lang, view, tgt, notes)
    rec_views = _recommendation_views(recs, playbooks, ui, view, run_names)
    pages = _page_entries(runs, run_dir, run_names)
    nav = {"summary": "index.html", "pages": [p for p in pages if p["href"]], "playbooks": playbooks}
    env = _env()
    _write_notebook_pages(env, nav, runs, run_dir, out, ui, manifest.get("title") or "", lang, notes)

    common = {"ui": ui, "lang": lang, "nav": nav, "title": str(manifest.get("title") or "Community Workbook"),
              "as_of": fmt_date(manifest.get("as_of"), lang),
              "generated": fmt_datetime(dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"), lang),
              "css": (TEMPLATES / "playbook.css").read_text(encoding="utf-8")}
    for doc in playbooks:
        html = env.get_template("playbook.html").render(doc=doc, current=doc["href"], prefix="", **common)
        atomic_write_text(out / doc["href"], html)
    for h in headlines:
        h["source"] = run_names.get(h["source"], h["source"])
    index = env.get_template("index.html").render(
        headlines=headlines, statuses=_status_rows(statuses, lang, run_names), recs=rec_views, pages=pages,
        notes=notes, current="index.html", prefix="", run_status=str(manifest.get("status") or ""),
        scope=_scope_line(runs, view, lang), **common)
    index_path = atomic_write_text(out / "index.html", index)
    atomic_write_text(out / "edition.json", _edition_json(common["title"], manifest, lang, headlines, statuses,
                                                          recs, notes))
    return index_path


def cli(argv: list[str] | None = None) -> int:
    """``python -m helpers playbook RUN_DIR [--language en|ru|az] [--targets FILE] [--out DIR]``.

    Exit status 0 when the edition was written, 2 when the run folder, targets or language are unusable.
    """
    parser = argparse.ArgumentParser(prog="python -m helpers playbook",
                                     description="Render a playbook edition from a finished run folder.")
    parser.add_argument("run_dir", help="a run folder with manifest.json, e.g. reports/latest")
    parser.add_argument("--language", choices=LANGUAGES, default=None,
                        help="language of the edition (default: the manifest's, else en)")
    parser.add_argument("--targets", default=None, help="targets YAML (default: config/targets.yml)")
    parser.add_argument("--out", default=None, help="output folder (default: RUN_DIR/edition/LANGUAGE)")
    args = parser.parse_args(argv)
    run_dir = Path(args.run_dir)
    try:
        index = render_edition(run_dir, language=args.language, targets=args.targets,
                               out_dir=Path(args.out) if args.out else None)
    except (FileNotFoundError, ValueError, json.JSONDecodeError) as exc:
        print(f"playbook: {exc}", file=sys.stderr)
        return 2
    print(index)
    return 0
