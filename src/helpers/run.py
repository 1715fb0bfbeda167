"""Run notebooks from a YAML run config with papermill and render them to HTML.

``python -m helpers run config/report.yml`` executes every listed notebook with its parameters, writes each
run into ``<output>/<config-name>/<stamp>/<run-id>/`` (executed notebook, HTML page with code hidden,
findings.json, log), writes ``index.html`` for the whole run, and points ``<output>/latest`` at it.
Exit status: 0 all notebooks ran, 1 some failed (listed), 2 the config itself is invalid.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers.io import atomic_write_text, resolve_path, workbook_root
from helpers.report import render_notebook_html, to_jsonable, write_index

log = logging.getLogger("helpers.run")

DEFAULT_HEADLINE = 5
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ConfigError(ValueError):
    """The run config cannot be used (exit status 2)."""


@dataclass
class RunSpec:
    """One notebook execution: which notebook, with which parameters, and where its outputs go."""

    id: str
    notebook: Path
    parameters: dict[str, Any]
    title: str
    headline: list[str] = field(default_factory=list)


@dataclass
class RunConfig:
    """A parsed run config."""

    name: str
    title: str
    output: Path
    runs: list[RunSpec]
    kernel_name: str = "python3"
    timeout_seconds: float | None = 1800


def notebook_parameters(notebook: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its ``parameters`` cell: name -> {default, type, help}."""
    import papermill as pm

    return {name: dict(info) for name, info in pm.inspect_notebook(str(notebook)).items()}


def load_config(path: str | os.PathLike, output: str | os.PathLike | None = None) -> RunConfig:
    """Read and validate a run config; raises :class:`ConfigError` listing every problem.

    Format::

        name: sample                      # folder name under the output folder
        title: Community Workbook — sample organisation
        output: reports                   # where runs go (relative to the workbook root)
        timeout_seconds: 1800             # per cell; a hung kernel becomes a failed run
        defaults: {data_dir: data/sample} # parameters given to every run (only where the notebook has them)
        runs:
          - id: audience
            notebook: notebooks/01_audience_research.ipynb
            title: Audience research
            parameters: {top_n: 10}
            headline: [messages_analysed, response_rate]   # findings shown on the index page
    """
    cfg_path = resolve_path(path)
    if not cfg_path.is_file():
        raise ConfigError(f"{path}: run config not found")
    try:
        raw = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{cfg_path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{cfg_path}: expected a mapping at the top level")
    problems: list[str] = []
    name = str(raw.get("name") or cfg_path.stem)
    if not _ID_RE.match(name):
        problems.append(f"name {name!r}: use letters, digits, '-', '_' or '.'")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: expected a mapping of parameter names to values")
        defaults = {}
    runs_raw = raw.get("runs")
    if not isinstance(runs_raw, list) or not runs_raw:
        problems.append("runs: expected a non-empty list of {id, notebook, parameters}")
        runs_raw = []
    runs: list[RunSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(runs_raw):
        where = f"runs[{i}]"
        if not isinstance(item, dict) or "notebook" not in item:
            problems.append(f"{where}: expected a mapping with at least 'notebook'")
            continue
        nb = resolve_path(item["notebook"])
        if not nb.is_file():
            problems.append(f"{where}: notebook {item['notebook']!r} not found")
            continue
        run_id = str(item.get("id") or nb.stem)
        if not _ID_RE.match(run_id) or run_id in seen:
            problems.append(f"{where}: id {run_id!r} must be unique and use letters, digits, '-', '_' or '.'")
            continue
        seen.add(run_id)
        declared = notebook_parameters(nb)
        params = {k: v for k, v in defaults.items() if k in declared}
        own = item.get("parameters") or {}
        if not isinstance(own, dict):
            problems.append(f"{where}.parameters: expected a mapping")
            own = {}
        unknown = sorted(set(own) - set(declared))
        if unknown:
            problems.append(
                f"{where}: unknown parameter(s) {', '.join(unknown)} for {nb.name}; "
                f"its parameters are: {', '.join(declared) or '(none)'}"
            )
        params.update(own)
        headline = item.get("headline") or []
        runs.append(RunSpec(run_id, nb, params, str(item.get("title") or run_id), [str(h) for h in headline]))
    timeout = raw.get("timeout_seconds", 1800)
    if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
        problems.append("timeout_seconds: expected a positive number of seconds (or null for none)")
    if problems:
        raise ConfigError(f"{cfg_path}: invalid run config:\n  - " + "\n  - ".join(problems))
    out = Path(output) if output else Path(raw.get("output") or "reports")
    if not out.is_absolute():
        out = workbook_root() / out
    return RunConfig(
        name=name,
        title=str(raw.get("title") or f"Community Workbook — {name}"),
        output=out,
        runs=runs,
        kernel_name=str(raw.get("kernel_name") or "python3"),
        timeout_seconds=timeout,
    )


def _error_summary(exc: BaseException) -> str:
    """One-paragraph summary of a notebook failure: the failing cell and the exception."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    where = f"cell [{cell}]: " if cell is not None else ""
    return f"{where}{ename}: {evalue}".strip()[:2000]


def _format_finding(key: str, value: float) -> str:
    """A finding in the unit its key names: shares and rates as %, hours as h, counts with separators."""
    if key.endswith(("_share", "_rate", "_coverage")) or key in {"sentiment_coverage", "response_rate"}:
        return f"{value * 100:.1f} %"
    if key.endswith("_hours"):
        return f"{value:.1f} h"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3g}"


def _headline(findings: dict[str, Any], keys: list[str]) -> dict[str, str]:
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


def execute_run(spec: RunSpec, run_dir: Path, kernel_name: str, timeout: float | None) -> dict[str, Any]:
    """Execute one notebook into ``run_dir/<id>/`` and render it; never raises for notebook errors."""
    import papermill as pm

    out_dir = run_dir / spec.id
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / spec.notebook.name
    params = dict(spec.parameters)
    params["output_dir"] = str(out_dir)
    record: dict[str, Any] = {
        "id": spec.id, "name": spec.title, "notebook": str(spec.notebook.relative_to(workbook_root()))
        if spec.notebook.is_relative_to(workbook_root()) else str(spec.notebook),
        "parameters": to_jsonable(params), "status": "ok", "error": None, "html": None,
    }
    handler = logging.FileHandler(out_dir / "log.txt", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    pm_logger = logging.getLogger("papermill")
    pm_logger.addHandler(handler)
    pm_logger.setLevel(logging.INFO)
    propagate, pm_logger.propagate = pm_logger.propagate, False  # cell output goes to log.txt, not the console
    start = time.monotonic()
    record["started_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    try:
        pm.execute_notebook(
            str(spec.notebook), str(executed), parameters=params, kernel_name=kernel_name,
            cwd=str(workbook_root()), progress_bar=False, log_output=True,
            execution_timeout=timeout,
        )
    except Exception as exc:  # papermill raises PapermillExecutionError for a failing cell
        record["status"] = "failed"
        record["error"] = _error_summary(exc)
        log.error("%s failed: %s", spec.id, record["error"])
    finally:
        pm_logger.removeHandler(handler)
        pm_logger.propagate = propagate
        handler.close()
    record["duration_seconds"] = round(time.monotonic() - start, 2)
    record["ended_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if executed.exists():
        try:
            render_notebook_html(executed, out_dir / "report.html", title=spec.title)
            record["html"] = f"{spec.id}/report.html"
        except Exception as exc:  # rendering problems must not hide the run's own status
            log.error("%s: could not render HTML: %s", spec.id, exc)
            record["status"] = "failed"
            record["error"] = (record["error"] or "") + f" | rendering failed: {exc}"
    findings_path = out_dir / "findings.json"
    findings = json.loads(findings_path.read_text(encoding="utf-8")) if findings_path.exists() else {}
    record["headline"] = _headline(findings, spec.headline)
    return record


def run_config(config: RunConfig, as_of: dt.datetime | None = None) -> tuple[Path, list[dict[str, Any]]]:
    """Execute every run of a config; returns the finished run folder and one record per run.

    The run is assembled in a hidden ``.partial`` folder and renamed when complete, so a crash never leaves
    a half-written folder that looks finished; ``<output>/latest`` is then pointed at it.
    """
    as_of = as_of or dt.datetime.now(dt.timezone.utc)
    stamp = as_of.strftime("%Y-%m-%dT%H%M%SZ")
    base = config.output / config.name
    base.mkdir(parents=True, exist_ok=True)
    partial = base / f".{stamp}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    records = []
    for i, spec in enumerate(config.runs, 1):
        log.info("[%d/%d] %s: running %s", i, len(config.runs), spec.id, spec.notebook.name)
        rec = execute_run(spec, partial, config.kernel_name, config.timeout_seconds)
        log.info("[%d/%d] %s: %s in %.0f s", i, len(config.runs), spec.id, rec["status"], rec["duration_seconds"])
        records.append(rec)
    write_index(partial, records, config.title)
    manifest = {"config": config.name, "title": config.title, "as_of": as_of.isoformat(timespec="seconds"),
                "runs": records, "status": "ok" if all(r["status"] == "ok" for r in records) else "failed"}
    from helpers import __version__

    manifest["package_version"] = __version__
    atomic_write_text(partial / "manifest.json", json.dumps(to_jsonable(manifest), ensure_ascii=False, indent=2))
    final = base / stamp
    if final.exists():
        shutil.rmtree(final)
    os.replace(partial, final)
    _point_latest(config.output / "latest", final)
    return final, records


def _point_latest(link: Path, target: Path) -> None:
    """Atomically point the ``latest`` symlink at ``target`` (relative link, so the folder can move)."""
    tmp = link.with_name(f".{link.name}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, link.parent), tmp)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(tmp, link)


def cli(argv: list[str] | None = None) -> int:
    """``python -m helpers run CONFIG [--output DIR]``: exit 0 ok, 1 some notebooks failed, 2 bad config."""
    parser = argparse.ArgumentParser(prog="python -m helpers run", description=__doc__.splitlines()[0])
    parser.add_argument("config", help="run config YAML, e.g. config/report.yml")
    parser.add_argument("--output", help="output folder (default: the config's 'output', else reports/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        config = load_config(args.config, args.output)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    final, records = run_config(config)
    failed = [r for r in records if r["status"] != "ok"]
    for r in failed:
        print(f"FAILED {r['id']} ({r['notebook']}): {r['error']}  -> {final / r['id']}", file=sys.stderr)
    index = config.output / "latest" / "index.html"
    try:
        shown = index.relative_to(Path.cwd())
    except ValueError:
        shown = index
    print(f"{len(records) - len(failed)} of {len(records)} notebooks ok; report: {final / 'index.html'}")
    print(shown)
    return 1 if failed else 0
