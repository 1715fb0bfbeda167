"""Scheduled runs: execute notebooks from a YAML run config with papermill, in parallel, and render them.

``python -m helpers run CONFIG.yml [--as-of DATE] [--jobs N]`` expands the config's grid (notebooks ×
parameter sets), resolves relative periods against the as-of date, validates every parameter against the
notebook's ``parameters`` cell *before anything runs*, then executes the runs in separate worker processes
(``--jobs`` at a time, each with a whole-notebook timeout) and writes::

    <output>/<config-name>/<as-of>/            one folder per invocation (built as a hidden .partial folder,
        manifest.json                           renamed when complete: a killed run never looks complete)
        index.html
        <run-id>/  <notebook>.ipynb  report.html  findings.json  log.txt

``<output>/latest`` and ``<output>/<config-name>/latest`` point at the newest complete run.
Exit status: 0 every run ok, 1 some runs failed (listed at the end), 2 the config (or --as-of, or the
--retry-failed folder) is invalid. ``--retry-failed DIR`` reruns only the failed runs of an earlier folder.

The room's modules: :mod:`~helpers.run.config` (read, expand and validate a run config),
:mod:`~helpers.run.periods` (relative reporting windows), :mod:`~helpers.run.records` (one run's manifest
record), :mod:`~helpers.run.workers` (worker processes, timeouts, progress), :mod:`~helpers.run.output` (run
folders, manifest, pages, ``latest``, retries) and :mod:`~helpers.run.cli` (the command line).
"""
from __future__ import annotations

from helpers.run.config import (
    DEFAULT_TIMEOUT_SECONDS, ConfigError, RunConfig, RunSpec, describe_parameters, load_config, notebook_parameters,
)
from helpers.run.output import clean_stale, complete_runs, retry_failed, run_config
from helpers.run.periods import NoDataError, Period, resolve_period
from helpers.run.records import DEFAULT_HEADLINE, headline
from helpers.run.workers import Progress, execute_all, execute_run, input_hashes
from helpers.run.cli import cli  # last, so the name helpers.run.cli is the function (as before), not the module

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS", "ConfigError", "RunConfig", "RunSpec", "describe_parameters", "load_config",
    "notebook_parameters", "clean_stale", "complete_runs", "retry_failed", "run_config", "NoDataError", "Period",
    "resolve_period", "DEFAULT_HEADLINE", "headline", "Progress", "execute_all", "execute_run", "input_hashes",
    "cli",
]
