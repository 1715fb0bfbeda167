"""The manifest record of one run: its fields, the failure summary, the headline numbers and the no-data page.

A record is a plain dict (it goes into ``manifest.json``): ``id``, ``name``, ``notebook``, ``status``
("ok"/"failed"/"no_data"), ``error`` (one line) and ``error_detail``, ``html``/``executed``/``findings``/``log``
(paths relative to the run folder), ``duration_seconds`` (seconds), ``headline`` (a few formatted findings) …
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from helpers.io import atomic_write_text, to_jsonable, workbook_root
from helpers.publish.pages import render_notebook_html
from helpers.run.config import RunSpec

__all__ = ["DEFAULT_HEADLINE", "error_details", "error_summary", "headline", "is_no_data", "utc_now", "repo_path",
           "base_record", "finish_record"]

log = logging.getLogger("helpers.run")

DEFAULT_HEADLINE = 5  # findings shown on the index page when a run names none


def error_details(exc: BaseException) -> dict[str, Any]:
    """The failing cell and the exception of a notebook failure (papermill's PapermillExecutionError)."""
    source = getattr(exc, "source", None)
    return {
        "cell_index": getattr(exc, "cell_index", None),
        "execution_count": getattr(exc, "exec_count", None),
        "ename": getattr(exc, "ename", type(exc).__name__),
        "evalue": str(getattr(exc, "evalue", str(exc)))[:2000],
        "source": "\n".join(str(source).splitlines()[:8]) if source else None,
    }


def error_summary(exc: BaseException | dict[str, Any]) -> str:
    """One line: the failing cell (its index and the first line of its code) and the exception."""
    d = exc if isinstance(exc, dict) else error_details(exc)
    where = ""
    if d.get("cell_index") is not None:
        first = (d.get("source") or "").strip().splitlines()[:1]
        where = f"cell {d['cell_index']}" + (f" (In [{d['execution_count']}])" if d.get("execution_count") else "")
        where += f" `{first[0][:80]}`: " if first else ": "
    return f"{where}{d.get('ename')}: {d.get('evalue')}".strip()[:2000]


def _format_finding(key: str, value: float) -> str:
    """A finding in the unit its key names: shares and rates as %, hours as h, counts with separators."""
    if key.endswith(("_share", "_rate", "_coverage")) or key in {"sentiment_coverage", "response_rate"}:
        return f"{value * 100:.1f} %"
    if key.endswith("_hours"):
        return f"{value:.1f} h"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3g}"


def headline(findings: dict[str, Any], keys: list[str]) -> dict[str, str]:
    """A few findings formatted for the index page, with their 95 % CI and n where recorded."""
    if not keys:
        keys = [k for k, v in findings.items() if not k.startswith("_") and isinstance(v, (int, float))
                and not k.endswith(("_ci_low", "_ci_high", "_n"))][:DEFAULT_HEADLINE]
    out: dict[str, str] = {}
    for key in keys:
        value = findings.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        text = _format_finding(key, value)
        low, high = findings.get(f"{key}_ci_low"), findings.get(f"{key}_ci_high")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)):
            text += f" (95 % CI {_format_finding(key, low)}–{_format_finding(key, high)})"
        n = findings.get(f"{key}_n")
        if isinstance(n, int):
            text += f", n = {n:,}"
        out[key.replace("_", " ")] = text
    return out


_NO_DATA_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
.note{background:#f3f5f9;border-left:4px solid #5b6475;padding:.8rem 1rem}</style></head>
<body><h1>{{ title }}</h1>
<p class="note"><strong>No data in the window.</strong> {{ message }}</p>
<p>Window: {{ window }}. Nothing was analysed, so this page has no findings. Check the period, the brand,
or whether the latest export has been imported into <code>{{ data_dir }}</code>.</p>
</body></html>
"""


def _write_no_data_page(path: Path, title: str, message: str, params: dict[str, Any]) -> Path:
    from jinja2 import Environment

    window = f"{params.get('start') or '…'} – {params.get('end') or '…'}"
    html = Environment(autoescape=True).from_string(_NO_DATA_PAGE).render(
        title=title, message=message, window=window, data_dir=params.get("data_dir", ""))
    return atomic_write_text(path, html)


def is_no_data(ename: str | None) -> bool:
    return bool(ename) and ename.split(".")[-1] in {"NoDataError", "NoData", "EmptyWindowError"}


def _findings_empty(findings: dict[str, Any]) -> bool:
    """True when the notebook ran but its window held nothing (it records that it analysed 0 messages)."""
    return findings.get("no_data") is True or findings.get("messages_analysed") == 0


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def repo_path(p: Path) -> str:
    root = workbook_root()
    return str(p.relative_to(root)) if p.is_relative_to(root) else str(p)


def base_record(spec: RunSpec) -> dict[str, Any]:
    return {
        "id": spec.id, "name": spec.title, "notebook": repo_path(spec.notebook), "entry": spec.entry,
        "grid": to_jsonable(spec.grid), "period": spec.period, "parameters": to_jsonable(spec.parameters),
        "status": "ok", "error": None, "error_detail": None, "timed_out": False, "no_data": False,
        "html": None, "executed": None, "findings": None, "log": f"{spec.id}/log.txt",
        "timeout_seconds": spec.timeout_seconds, "headline": {},
    }


def finish_record(record: dict[str, Any], spec: RunSpec, out_dir: Path) -> None:
    """Render the executed notebook (or the no-data page), read findings, fill html/findings/headline."""
    executed = out_dir / spec.notebook.name
    if executed.exists():
        record["executed"] = f"{spec.id}/{executed.name}"
    if record["status"] == "no_data":
        _write_no_data_page(out_dir / "report.html", spec.title,
                            record.get("no_data_message") or "The window holds no data.", spec.parameters)
        record["html"] = f"{spec.id}/report.html"
    elif executed.exists():
        try:
            render_notebook_html(executed, out_dir / "report.html", title=spec.title)
            record["html"] = f"{spec.id}/report.html"
        except Exception as exc:  # rendering problems must not hide the run's own status
            log.error("%s: could not render HTML: %s", spec.id, exc)
            record["status"] = "failed"
            record["error"] = (record["error"] or "") + f" | rendering failed: {exc}"
    findings_path = out_dir / "findings.json"
    findings: dict[str, Any] = {}
    if findings_path.exists():
        with contextlib.suppress(ValueError, OSError):
            findings = json.loads(findings_path.read_text(encoding="utf-8"))
        record["findings"] = f"{spec.id}/findings.json"
    if record["status"] == "ok" and _findings_empty(findings):
        record["no_data"] = True
    if record["no_data"]:
        window = f"{spec.parameters.get('start') or '…'} – {spec.parameters.get('end') or '…'}"
        record["headline"] = {"no data": f"nothing to analyse in this window ({window})"}
    else:
        record["headline"] = headline(findings, spec.headline)


