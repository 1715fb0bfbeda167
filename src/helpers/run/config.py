"""Run configs: grid expansion (notebooks × parameter sets), relative periods, overrides and validation.

:func:`load_config` reads a YAML run config, expands it into one :class:`RunSpec` per notebook execution and
checks every parameter against the notebook's ``parameters`` cell before anything runs; every problem is
reported at once in a :class:`ConfigError` (exit status 2). Execution lives in :mod:`helpers.run.workers`
and :mod:`helpers.run.output`.
"""
from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers.i18n import LANGUAGES
from helpers.io import resolve_path, workbook_root
from helpers.run.periods import Period, parse_as_of, parse_date, resolve_period, zone

__all__ = ["DEFAULT_TIMEOUT_SECONDS", "ConfigError", "RunSpec", "RunConfig", "load_config", "notebook_parameters",
           "describe_parameters", "check_value", "expected_kind", "is_date_parameter", "NONE_DEFAULT_KINDS"]

DEFAULT_TIMEOUT_SECONDS = 1800
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOP_KEYS = {"name", "title", "output", "timezone", "timeout_seconds", "cell_timeout_seconds", "kernel_name",
             "jobs", "language", "targets", "defaults", "grid", "runs", "overrides"}
_ENTRY_KEYS = {"id", "notebook", "title", "parameters", "headline", "grid", "timeout_seconds"}
_OVERRIDE_KEYS = {"match", "parameters", "timeout_seconds", "skip"}
_LANGUAGES = LANGUAGES  # the edition languages with catalogs (helpers.i18n)


class _Loader(yaml.SafeLoader):
    """YAML's safe loader with dates left as text, so an impossible date is reported by name, not a crash."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ConfigError(ValueError):
    """The run config cannot be used (exit status 2)."""


@dataclass
class RunSpec:
    """One notebook execution: which notebook, with which parameters, and where its outputs go.

    ``timeout_seconds`` is the whole-notebook wall-clock limit (None = no limit); ``grid`` the grid values
    that produced the run; ``period`` the resolved window (``{"name", "start", "end"}``) when one was named.
    """

    id: str
    notebook: Path
    parameters: dict[str, Any]
    title: str
    headline: list[str] = field(default_factory=list)
    timeout_seconds: float | None = DEFAULT_TIMEOUT_SECONDS
    entry: str = ""
    grid: dict[str, Any] = field(default_factory=dict)
    period: dict[str, Any] | None = None


@dataclass
class RunConfig:
    """A parsed, validated run config with its runs expanded and its periods resolved."""

    name: str
    title: str
    output: Path
    runs: list[RunSpec]
    kernel_name: str = "python3"
    timeout_seconds: float | None = DEFAULT_TIMEOUT_SECONDS
    cell_timeout_seconds: float | None = None
    timezone: str = "UTC"
    as_of: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    as_of_is_date: bool = False
    path: Path | None = None
    language: str = "en"
    targets: Path | None = None
    jobs: int | None = None

    @property
    def as_of_label(self) -> str:
        """The as-of as written in the manifest: ``2026-11-23`` for a date, else an ISO timestamp."""
        return self.as_of.date().isoformat() if self.as_of_is_date else self.as_of.isoformat()

    @property
    def folder(self) -> str:
        """The output folder name for this as-of: ``2026-11-23`` or ``2026-11-23T060000`` (local time)."""
        return self.as_of.date().isoformat() if self.as_of_is_date else self.as_of.strftime("%Y-%m-%dT%H%M%S")


# ---------------------------------------------------------------------------------------------------------
# Config: parsing, grid expansion, validation
# ---------------------------------------------------------------------------------------------------------

_PARAM_CACHE: dict[tuple[str, float], dict[str, dict[str, Any]]] = {}


def notebook_parameters(notebook: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its ``parameters`` cell: name -> {default, inferred_type_name, help}."""
    import papermill as pm

    path = Path(notebook)
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _PARAM_CACHE:
        _PARAM_CACHE[key] = {name: dict(info) for name, info in pm.inspect_notebook(str(path)).items()}
    return {k: dict(v) for k, v in _PARAM_CACHE[key].items()}


def describe_parameters(declared: dict[str, dict[str, Any]]) -> str:
    """``name = default  (help)`` for every declared parameter, one per line, for error messages."""
    if not declared:
        return "    (none: the notebook has no parameters cell)"
    return "\n".join(f"    {name} = {info.get('default')}" + (f"  ({info['help']})" if info.get("help") else "")
                     for name, info in declared.items())


def _default_value(info: dict[str, Any]) -> tuple[bool, Any]:
    """(known, value) of a parameter's default literal from the parameters cell."""
    try:
        return True, ast.literal_eval(str(info.get("default")))
    except (ValueError, SyntaxError):
        return False, None


_TYPE_NAMES = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict", tuple: "list"}

#: the kind of the workbook notebooks' parameters whose default is None (the default cannot tell)
NONE_DEFAULT_KINDS = {"campaign_ids": "list", "max_labels": "int"}


def expected_kind(name: str, info: dict[str, Any]) -> str | None:
    """The kind (bool, int, float, str, list, dict) a parameter takes: its annotation, else its default's
    type, else :data:`NONE_DEFAULT_KINDS`; None when nothing tells."""
    annotated = info.get("inferred_type_name")
    known, default = _default_value(info)
    if annotated and annotated != "None":
        return str(annotated)
    if known and default is not None:
        return _TYPE_NAMES.get(type(default))
    return NONE_DEFAULT_KINDS.get(name)


def is_date_parameter(name: str) -> bool:
    """``start``, ``end`` and every ``…_date`` parameter hold an ISO date (or None)."""
    return name in {"start", "end"} or name.endswith("_date")


def check_value(name: str, value: Any, info: dict[str, Any]) -> str | None:
    """Why ``value`` does not fit parameter ``name`` (type of its default, dates, folders), or None.

    The one rule set for run configs (:func:`load_config`) and for values given to papermill directly
    (:func:`helpers.run.parameters.checked_parameters`, the first cell of every notebook).
    """
    known, default = _default_value(info)
    expected = expected_kind(name, info)
    if is_date_parameter(name):
        if value is None:
            return None
        try:
            parse_date(value)
        except ValueError as exc:
            return f"{name}: {exc}"
        return None
    if value is None:
        return None if expected is None or (known and default is None) else \
            f"{name}: null given, but the notebook expects {expected} (default {info.get('default')})"
    if name.endswith("data_dir") and isinstance(value, str):
        folder = resolve_path(value)
        if not folder.is_dir():
            return f"{name}: dataset folder {value!r} not found (looked for {folder})"
    if name == "timezone" and isinstance(value, str):
        try:
            zone(value)
        except ValueError as exc:
            return f"{name}: {exc}"
    if expected is None:
        return None
    ok = {
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "str": isinstance(value, str),
        "list": isinstance(value, (list, tuple)),
        "dict": isinstance(value, dict),
    }.get(expected, True)
    if not ok:
        return f"{name}: {value!r} is {type(value).__name__}, but the notebook expects {expected} " \
               f"(default {info.get('default')})"
    if expected == "list" and known and isinstance(default, (list, tuple)) and default:
        kinds = {type(x) for x in default}
        odd = [x for x in value if type(x) not in kinds]
        if odd:
            return f"{name}: {odd[0]!r} in {value!r} is {type(odd[0]).__name__}, but the notebook expects a list of " \
                   f"{'/'.join(sorted(_TYPE_NAMES.get(k, k.__name__) for k in kinds))} (default {info.get('default')})"
    return None


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings (papermill and JSON want plain values)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _slug(value: Any) -> str:
    """A short, ASCII, filesystem-safe token for a grid value (deterministic; hash when nothing is left)."""
    if value is None:
        return "all"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):  # -1 -> neg1, 2.5 -> 2_5 (ids use '.' between grid values)
        return str(value).replace("-", "neg").replace(".", "_").replace("+", "")
    text = value if isinstance(value, str) else json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_).strip("-")[:40].strip("-")
    if not slug or len(slug) < len(text) / 3:  # mostly non-Latin text: the hash keeps ids apart
        slug = (slug + "-" if slug else "v") + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return slug


def _grid_sets(grid: Any, where: str, problems: list[str]) -> list[dict[str, Any]]:
    """Expand a grid: a mapping of lists (every combination) or a list of mappings (explicit sets)."""
    if grid is None or grid == {} or grid == []:
        return [{}]
    if isinstance(grid, list):
        if not all(isinstance(s, dict) and s for s in grid):
            problems.append(f"{where}: a list grid must hold non-empty mappings of parameter values")
            return [{}]
        return [dict(s) for s in grid]
    if isinstance(grid, dict):
        axes = []
        for key, values in grid.items():
            values = values if isinstance(values, list) else [values]
            if not values:
                problems.append(f"{where}.{key}: empty list of values")
                return [{}]
            axes.append([(key, v) for v in values])
        return [dict(combo) for combo in itertools.product(*axes)]
    problems.append(f"{where}: expected a mapping of parameter -> list of values, or a list of mappings")
    return [{}]


def _same(a: Any, b: Any) -> bool:
    return _plain(a) == _plain(b) or str(_plain(a)) == str(_plain(b))


def load_config(path: str | os.PathLike, output: str | os.PathLike | None = None,
                as_of: str | dt.date | None = None) -> RunConfig:
    """Read, expand and validate a run config; raises :class:`ConfigError` listing every problem.

    Nothing runs until every run's parameters are known to the notebook, have the type of its default,
    name real dates (start ≤ end) and existing dataset folders. Format (all keys but ``runs`` optional)::

        name: weekly                      # folder under the output folder (default: the file name)
        title: Weekly community report
        output: reports                   # relative to the workbook root
        timezone: Asia/Baku               # as-of "now" and relative periods are taken in this timezone
        timeout_seconds: 1800             # whole-notebook limit per run (null = none); a hung kernel fails
        cell_timeout_seconds: null        # optional per-cell limit
        language: en                      # en | ru | az: language of the rendered playbook edition
        targets: config/targets.yml       # targets for the playbook (default: that file when it exists)
        defaults:                         # every run, where the notebook declares the parameter
          data_dir: data/sample
          period: last_7_days             # -> start/end (relative to --as-of; see helpers.run.periods)
        grid:                             # notebooks × parameter sets (every combination)
          brand: [Brand A, Brand B]
          period: [last_7_days, last_month]
        runs:                             # the notebooks
          - id: audience
            notebook: notebooks/01_audience_research.ipynb
            title: Audience research
            parameters: {top_n: 10}
            headline: [messages_analysed, response_rate]   # findings shown on the index page
            # grid: {...}                 # this notebook's own grid (replaces the top-level one; {} = none)
            # timeout_seconds: 900
        overrides:                        # per-run changes, matched on grid values, notebook id or run id
          - match: {brand: Brand B, period: last_month}
            parameters: {response_sla_hours: 12}
            timeout_seconds: 3600
          # - match: {notebook: audience, brand: Brand A}
          #   skip: true

    Run ids are ``<notebook id>.<value>.<value>…`` from the grid values (``audience.brand-a.last_7_days``).
    """
    cfg_path, raw = _read_raw(path)
    problems: list[str] = []
    settings = _settings(raw, cfg_path, as_of, problems)
    shared = _shared_layers(raw, settings, problems)
    entries = raw.get("runs")
    if not isinstance(entries, list) or not entries:
        problems.append("runs: expected a non-empty list of {id, notebook, parameters}")
        entries = []
    runs = _expand_entries(entries, shared)
    _check_whole_config(shared, entries, runs)
    if problems:
        raise ConfigError(f"{cfg_path}: invalid run config:\n  - " + "\n  - ".join(problems))
    out = Path(output) if output else Path(raw.get("output") or "reports")
    if not out.is_absolute():
        out = workbook_root() / out
    return RunConfig(
        name=settings.name, title=str(raw.get("title") or f"Community Workbook — {settings.name}"), output=out,
        runs=runs, kernel_name=str(raw.get("kernel_name") or "python3"), timeout_seconds=settings.timeout,
        cell_timeout_seconds=settings.cell_timeout, timezone=settings.timezone, as_of=settings.as_of,
        as_of_is_date=settings.as_of_is_date, path=cfg_path, language=settings.language, targets=settings.targets,
        jobs=settings.jobs,
    )


# load_config's steps: read the file, check the top-level settings, then the layers every run shares
# (defaults, grid, overrides), expand each runs[i] entry into RunSpecs, and check the config as a whole.
# Problems are collected in one list (in this order) and reported together.


def _read_raw(path: str | os.PathLike) -> tuple[Path, dict[str, Any]]:
    """The config file and its top-level mapping; ConfigError when it is missing or not a YAML mapping."""
    cfg_path = resolve_path(path)
    if not cfg_path.is_file():
        raise ConfigError(f"{path}: run config not found")
    try:
        raw = yaml.load(cfg_path.read_text(encoding="utf-8"), Loader=_Loader) or {}  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        raise ConfigError(f"{cfg_path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{cfg_path}: expected a mapping at the top level")
    return cfg_path, raw


def _seconds(key: str, value: Any, problems: list[str], where: str = "") -> float | None:
    """A timeout in seconds (None = no limit); a problem is recorded for anything but a positive number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        problems.append(f"{where}{key}: expected a positive number of seconds (or null for none), got {value!r}")
        return None
    return float(value)


@dataclass
class _Settings:
    """The top-level settings of a config, checked (a bad value is replaced by its default)."""

    name: str
    timezone: str
    as_of: dt.datetime
    as_of_is_date: bool
    timeout: float | None
    cell_timeout: float | None
    jobs: int | None
    language: str
    targets: Path | None


def _settings(raw: dict[str, Any], cfg_path: Path, as_of: str | dt.date | None, problems: list[str]) -> _Settings:
    """Name, timezone, as-of, timeouts, jobs, language and targets; ConfigError for an unusable as-of."""
    unknown_top = sorted(set(raw) - _TOP_KEYS)
    if unknown_top:
        problems.append(f"unknown key(s) {', '.join(unknown_top)}; known keys: {', '.join(sorted(_TOP_KEYS))}")
    name = str(raw.get("name") or cfg_path.stem)
    if not _ID_RE.match(name) or name == "latest":
        problems.append(f"name {name!r}: use letters, digits, '-', '_' or '.' (and not 'latest')")
    timezone = str(raw.get("timezone") or "UTC")
    try:
        zone(timezone)
    except ValueError as exc:
        problems.append(f"timezone: {exc}")
        timezone = "UTC"
    try:
        moment, is_date = parse_as_of(as_of, timezone)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    timeout = _seconds("timeout_seconds", raw.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS), problems)
    cell_timeout = _seconds("cell_timeout_seconds", raw.get("cell_timeout_seconds"), problems)
    jobs = raw.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        problems.append(f"jobs: expected a whole number ≥ 1, got {jobs!r}")
        jobs = None
    language = str(raw.get("language") or "en")
    if language not in _LANGUAGES:
        problems.append(f"language: {language!r}; expected one of {', '.join(_LANGUAGES)}")
    targets: Path | None = None
    if raw.get("targets"):
        targets = resolve_path(str(raw["targets"]))
        if not targets.is_file():
            problems.append(f"targets: file {raw['targets']!r} not found")
    elif (workbook_root() / "config" / "targets.yml").is_file():
        targets = workbook_root() / "config" / "targets.yml"
    return _Settings(name, timezone, moment, is_date, timeout, cell_timeout, jobs, language, targets)


@dataclass
class _Shared:
    """What every runs[i] entry is expanded against, and what the expansion records across entries."""

    defaults: dict[str, Any]
    global_grid: Any
    overrides: list[dict[str, Any]]
    timeout: float | None
    as_of_day: dt.date
    problems: list[str]
    override_used: list[bool] = field(default_factory=list)
    default_used: set[str] = field(default_factory=set)


def _shared_layers(raw: dict[str, Any], settings: _Settings, problems: list[str]) -> _Shared:
    """The ``defaults``, ``grid`` and ``overrides`` of a config, with their shapes checked."""
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: expected a mapping of parameter names to values")
        defaults = {}
    overrides = raw.get("overrides") or []
    if not isinstance(overrides, list) or not all(isinstance(o, dict) for o in overrides):
        problems.append("overrides: expected a list of {match, parameters, timeout_seconds, skip}")
        overrides = []
    for i, o in enumerate(overrides):
        bad = sorted(set(o) - _OVERRIDE_KEYS)
        if bad:
            problems.append(f"overrides[{i}]: unknown key(s) {', '.join(bad)}; known: {', '.join(sorted(_OVERRIDE_KEYS))}")
        if not isinstance(o.get("match"), dict) or not o.get("match"):
            problems.append(f"overrides[{i}].match: expected a mapping such as {{brand: X, period: last_month}}")
    return _Shared(defaults, raw.get("grid"), overrides, settings.timeout, settings.as_of.date(), problems,
                   [False] * len(overrides))


def _expand_entries(entries: list[Any], shared: _Shared) -> list[RunSpec]:
    """Every runs[i] entry expanded into its runs (entries that cannot be read add a problem instead)."""
    runs: list[RunSpec] = []
    entry_ids: set[str] = set()
    for i, item in enumerate(entries):
        entry = _open_entry(i, item, entry_ids, shared)
        if entry is not None:
            runs.extend(entry.expand())
    return runs


def _open_entry(i: int, item: Any, entry_ids: set[str], shared: _Shared) -> _Entry | None:
    """A runs[i] entry with its notebook and declared parameters, or None (and a problem) when unusable."""
    problems = shared.problems
    where = f"runs[{i}]"
    if not isinstance(item, dict) or "notebook" not in item:
        problems.append(f"{where}: expected a mapping with at least 'notebook'")
        return None
    bad = sorted(set(item) - _ENTRY_KEYS)
    if bad:
        problems.append(f"{where}: unknown key(s) {', '.join(bad)}; known: {', '.join(sorted(_ENTRY_KEYS))}")
    nb = resolve_path(str(item["notebook"]))
    if not nb.is_file():
        problems.append(f"{where}: notebook {item['notebook']!r} not found")
        return None
    entry_id = str(item.get("id") or nb.stem)
    if not _ID_RE.match(entry_id) or entry_id in entry_ids:
        problems.append(f"{where}: id {entry_id!r} must be unique and use letters, digits, '-', '_' or '.'")
        return None
    entry_ids.add(entry_id)
    where = f"runs[{i}] ({entry_id})"
    try:
        declared = notebook_parameters(nb)
    except Exception as exc:  # unreadable notebook JSON
        problems.append(f"{where}: cannot read the parameters of {item['notebook']}: {exc}")
        return None
    return _Entry(item, nb, entry_id, where, declared, shared)


class _Entry:
    """One runs[i] entry being expanded: its notebook's declared parameters and the problems found so far.

    ``problems`` are this entry's messages (reported sorted, once each); ``run_problems`` maps a message to the
    ids of every run it concerns, so one bad grid value is reported once with the runs it affects.
    """

    def __init__(self, item: dict[str, Any], nb: Path, entry_id: str, where: str,
                 declared: dict[str, dict[str, Any]], shared: _Shared):
        self.item, self.nb, self.id, self.where, self.declared, self.shared = item, nb, entry_id, where, declared, shared
        self.real = f"\n  {nb.name} parameters:\n{describe_parameters(declared)}"
        self.takes_period = "period" not in declared and {"start", "end"} <= set(declared)
        self.problems: set[str] = set()
        self.run_problems: dict[str, list[str]] = {}

    def apply(self, layer: dict[str, Any], params: dict[str, Any], state: dict[str, Any], src: str,
              strict: bool = True) -> None:
        """Set ``layer``'s parameters into ``params``; ``period`` becomes start/end (``state["period"]``).

        ``strict=False`` (the config's defaults) skips parameters the notebook does not declare silently."""
        for key, value in layer.items():
            key = str(key)
            if key == "output_dir":
                self.problems.add(f"{src}: output_dir is set by the runner (the run's own folder); remove it")
            elif key == "period" and "period" not in self.declared:
                if not self.takes_period:
                    if strict:
                        self.problems.add(f"{src}: period needs a notebook with start and end parameters;"
                                          f" {self.nb.name} has none{self.real}")
                    continue
                try:
                    p = resolve_period(value, self.shared.as_of_day)
                except ValueError as exc:
                    self.problems.add(f"{src}: {exc}")
                    continue
                params["start"] = p.start.isoformat() if p.start else None
                params["end"] = p.end.isoformat() if p.end else None
                state["period"] = p
                if not strict:
                    self.shared.default_used.add(key)
            elif key not in self.declared:
                if strict:
                    self.problems.add(f"{src}: unknown parameter {key!r} for {self.nb.name}{self.real}")
            else:
                params[key] = _plain(value)
                if key in {"start", "end"}:
                    state["period"] = None
                if not strict:
                    self.shared.default_used.add(key)

    def expand(self) -> list[RunSpec]:
        """One RunSpec per grid set not skipped by an override; the entry's problems go to the shared list."""
        item, problems = self.item, self.shared.problems
        base_params: dict[str, Any] = {}
        base_state: dict[str, Any] = {"period": None}
        self.apply(self.shared.defaults, base_params, base_state, "defaults", strict=False)
        own = item.get("parameters") or {}
        if not isinstance(own, dict):
            self.problems.add(f"{self.where}.parameters: expected a mapping")
            own = {}
        self.apply(own, base_params, base_state, f"{self.where}.parameters")
        grid = item["grid"] if "grid" in item else self.shared.global_grid
        sets = _grid_sets(grid, f"{self.where}.grid" if "grid" in item else "grid", problems)
        title = str(item.get("title") or self.id)
        headline = [str(h) for h in (item.get("headline") or [])]
        timeout = self.shared.timeout
        if "timeout_seconds" in item:
            timeout = _seconds("timeout_seconds", item.get("timeout_seconds", timeout), problems, f"{self.where}.")
        runs = []
        for values in sets:
            spec = self._run(values, dict(base_params), dict(base_state), title, headline, timeout)
            if spec is not None:
                runs.append(spec)
        for msg, ids in self.run_problems.items():
            self.problems.add(f"{msg} (run{'s' if len(ids) > 1 else ''} {', '.join(ids[:5])}"
                              f"{', …' if len(ids) > 5 else ''})")
        problems.extend(sorted(self.problems))
        return runs

    def _run(self, values: dict[str, Any], params: dict[str, Any], state: dict[str, Any], title: str,
             headline: list[str], timeout: float | None) -> RunSpec | None:
        """The run of one grid set (None when an override skips it)."""
        self.apply(values, params, state, f"{self.where} grid {_plain(values)}")
        run_id = ".".join([self.id, *(_slug(v) for v in values.values())])
        skip, run_timeout = self._apply_overrides(run_id, values, params, state, timeout)
        if skip:
            return None
        self._check_run(run_id, params)
        period: Period | None = state["period"]
        run_title = _run_title(title, values, params, period, self.problems, self.where)
        return RunSpec(run_id, self.nb, params, run_title, headline, run_timeout, self.id, _plain(values),
                       period.as_dict() if period else None)

    def _apply_overrides(self, run_id: str, values: dict[str, Any], params: dict[str, Any], state: dict[str, Any],
                         timeout: float | None) -> tuple[bool, float | None]:
        """Apply every matching override in order; returns (skip, the run's timeout in seconds)."""
        skip = False
        for j, o in enumerate(self.shared.overrides):
            match = o.get("match") if isinstance(o.get("match"), dict) else None
            if not match or not self._matches(match, run_id, values, params, state):
                continue
            self.shared.override_used[j] = True
            skip = skip or bool(o.get("skip"))
            if isinstance(o.get("parameters"), dict):
                self.apply(o["parameters"], params, state, f"overrides[{j}]")
            if "timeout_seconds" in o:
                timeout = _seconds("timeout_seconds", o["timeout_seconds"], self.shared.problems, f"overrides[{j}].")
        return skip, timeout

    def _matches(self, match: dict[str, Any], run_id: str, values: dict[str, Any], params: dict[str, Any],
                 state: dict[str, Any]) -> bool:
        """Whether an override's ``match`` (grid values, notebook, run id, period, parameters) fits this run."""
        hit = True
        for key, want in match.items():
            if key == "notebook":
                hit &= want in {self.id, str(self.item["notebook"]), self.nb.name, self.nb.stem}
            elif key == "id":
                hit &= _same(want, run_id)
            elif key in values:
                hit &= _same(want, values[key])
            elif key == "period":
                hit &= state["period"] is not None and _same(want, state["period"].name)
            else:
                hit &= key in params and _same(want, params[key])
        return hit

    def _check_run(self, run_id: str, params: dict[str, Any]) -> None:
        """Check every parameter value against the notebook's defaults, and start ≤ end."""
        for key, value in params.items():
            why = check_value(key, value, self.declared.get(key, {}))
            if why:
                self.run_problems.setdefault(f"{self.where}: {why}", []).append(run_id)
        start, end = params.get("start"), params.get("end")
        if start and end:
            with contextlib.suppress(ValueError):
                if parse_date(start) > parse_date(end):
                    self.run_problems.setdefault(f"{self.where}: start {start} is after end {end}", []).append(run_id)


def _check_whole_config(shared: _Shared, entries: list[Any], runs: list[RunSpec]) -> None:
    """Unused defaults and overrides, colliding run ids (renamed), and a config that leaves nothing to run."""
    problems = shared.problems
    unused_defaults = sorted(set(shared.defaults) - shared.default_used)
    if entries and unused_defaults and not problems:
        problems.append(f"defaults: no notebook in this config declares {', '.join(unused_defaults)}")
    for j, used in enumerate(shared.override_used):
        match = shared.overrides[j].get("match")
        if not used and isinstance(match, dict) and match and runs:
            problems.append(f"overrides[{j}]: matches no run ({match}); run ids: "
                            f"{', '.join(r.id for r in runs[:20])}")
    _dedupe_ids(runs)
    if entries and not runs and not problems:
        problems.append("every run is skipped by overrides: nothing to run")


def _run_title(title: str, values: dict[str, Any], params: dict[str, Any], period: Period | None,
               problems: set[str], where: str) -> str:
    """The page title: ``{brand}``-style fields filled from the grid, else the grid values appended."""
    fields = {**{k: v for k, v in params.items()}, **_plain(values)}
    if period is not None:
        fields["period"] = period.name
        fields["window"] = period.label()
    if "{" in title:
        try:
            return title.format_map(fields)
        except (KeyError, IndexError, ValueError) as exc:
            problems.add(f"{where}.title: {title!r} uses a field that is not a parameter or grid value ({exc})")
            return title
    parts = [str(v) for k, v in values.items() if k != "period"]
    if period is not None and (period.start or period.end):
        parts.append(f"{period.name.replace('_', ' ')} ({period.label()})" if period.name and ".." not in period.name
                     else period.label())
    return " — ".join([title, *parts]) if parts else title


def _dedupe_ids(runs: list[RunSpec]) -> None:
    """Give colliding run ids a short hash of their grid values (deterministic)."""
    counts: dict[str, int] = {}
    for r in runs:
        counts[r.id] = counts.get(r.id, 0) + 1
    for r in runs:
        if counts[r.id] > 1:
            digest = hashlib.sha1(json.dumps([r.entry, r.grid], sort_keys=True, default=str).encode()).hexdigest()
            r.id = f"{r.id}-{digest[:6]}"
