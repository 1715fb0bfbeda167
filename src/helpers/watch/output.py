"""What a check leaves in its ``--out`` folder: ``alert.json`` and a small, script-free ``alert.html``.

Every value from the data (brand, channel, terms, message texts, authors) is escaped in the page; the page
has no scripts, no remote resources, and links the crisis playbook's first-hours checklist.
"""
from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.formatting import local_time, pct
from helpers.io import atomic_write_text, to_jsonable, workbook_root

__all__ = ["playbook_link", "alert_document", "render_html", "write_outputs"]

PLAYBOOK_PAGE = "crisis-communication.html"
CHECKLIST_ANCHOR = "first-hours"


def playbook_link(language: str = "en") -> str:
    """The crisis playbook's first-hours checklist: the latest run's edition when there is one, else the
    rendered sample edition (a ``file:`` URI)."""
    root = workbook_root()
    for folder in (root / "reports" / "latest" / "edition" / language, root / "playbooks" / "sample-edition" / language):
        page = folder / PLAYBOOK_PAGE
        if page.is_file():
            return f"{page.resolve().as_uri()}#{CHECKLIST_ANCHOR}"
    return f"{(root / 'playbooks' / language / 'crisis-communication.md').resolve().as_uri()}"


def alert_document(status: str, as_of: pd.Timestamp, data_dir: Path, alerts: Sequence[dict[str, Any]],
                   ongoing: Sequence[dict[str, Any]], info: dict[str, Any]) -> dict[str, Any]:
    """The content of ``alert.json``: status (``alert`` or ``quiet``), the new alerts and the ongoing episodes
    raised by earlier checks (not raised again)."""
    return {"status": status, "as_of": pd.Timestamp(as_of).isoformat(), "data_dir": str(data_dir), **info,
            "alerts": list(alerts), "ongoing_episodes": list(ongoing), "checklist": playbook_link()}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _alert_html(a: dict[str, Any], timezone: str) -> str:
    vol, neg = a["volume"], a["negative_share"]
    ratio = vol.get("ratio_to_baseline")
    rows = [
        ("Estimated onset", f"{local_time(pd.Timestamp(a['onset_at']), timezone)} "
                            f"({a['hours_since_onset']:.1f} h before this check)"),
        ("Member messages since the onset", f"{vol['since_onset_messages']} in {vol['since_onset_hours']} h "
                                            f"({vol['per_hour']} per hour; baseline {vol['baseline_per_hour']} per hour"
                                            f" from n = {vol['baseline_messages']}"
                                            + (f"; {ratio}× the baseline)" if ratio is not None else ")")),
        ("Negative share since the onset", neg.get("since_onset_text") or "n/a"),
        ("Negative share in the baseline", neg.get("baseline_text") or "n/a"),
        ("Detection", a["mode"]),
        ("Seen on", ", ".join(f"{s['channel']} ({s['since_onset_messages']} messages)" for s in a.get("scopes", []))
         or a["channel"]),
    ]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    terms = ", ".join(f"{_e(t['term'])} ({_e(t['messages'])})" for t in a["terms"]) or "none stand out yet"
    examples = "".join(
        f"<li><span class=\"meta\">{_e(local_time(pd.Timestamp(x['created_at']), timezone))} · {_e(x['channel'])}"
        f" · {_e(x['language'])} · {_e(x['author'])}</span><br>{_e(x['text'])}</li>" for x in a["examples"])
    return (f"<section><h2>{_e(a['brand'] or '(no brand)')} — {_e(a['channel'])}</h2><table>{table}</table>"
            f"<p><strong>Complaint terms</strong> (messages since the onset): {terms}</p>"
            f"<p><strong>Example messages</strong> (authors pseudonymised)</p><ul>{examples}</ul></section>")


def render_html(doc: dict[str, Any], timezone: str = "UTC") -> str:
    """``alert.html``: the alerts in plain language, every data value escaped, no scripts."""
    alerts = doc["alerts"]
    head = (f"{len(alerts)} new alert{'s' if len(alerts) != 1 else ''}" if alerts else "No new alert")
    body = "".join(_alert_html(a, timezone) for a in alerts)
    if doc["ongoing_episodes"]:
        body += ("<p>Already raised and still in the window (not raised again): "
                 + "; ".join(f"{_e(o.get('brand'))}, onset {_e(o.get('onset_at'))}" for o in doc["ongoing_episodes"])
                 + "</p>")
    coverage = doc.get("sentiment_coverage")
    cov = f"; the scorer ({_e(doc.get('sentiment_backend'))}) read {pct(coverage)} of member messages" \
        if coverage is not None else ""
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{_e(head)} — community watch</title><style>body{{font-family:sans-serif;max-width:60em;"
            "margin:2em auto;line-height:1.4}th{text-align:left;padding-right:1em;vertical-align:top}"
            ".meta{color:#555;font-size:90%}section{border-top:1px solid #ccc;margin-top:1.5em}</style></head><body>"
            f"<h1>{_e(head)}</h1><p>Check as of {_e(local_time(pd.Timestamp(doc['as_of']), timezone))} on "
            f"{_e(doc['data_dir'])}: the last {_e(doc['window_hours'])} hours{cov}.</p>"
            f"<p><a href=\"{_e(doc['checklist'])}\">Crisis playbook: the first hours, a checklist</a></p>"
            f"{body}</body></html>")


def write_outputs(out: Path, doc: dict[str, Any], timezone: str = "UTC") -> tuple[Path, Path]:
    """Write ``alert.json`` and ``alert.html`` into ``out`` (atomically); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    j = atomic_write_text(out / "alert.json", json.dumps(to_jsonable(doc), ensure_ascii=False, indent=2))
    h = atomic_write_text(out / "alert.html", render_html(doc, timezone))
    return j, h
