"""Scheduled runs: execute notebooks from a YAML run config with papermill, in parallel, and render them.

The command line ``python -m helpers run CONFIG [--as-of DATE] [--jobs N] [--retry-failed DIR]`` (exit 0 every
run ok, 1 some failed, 2 invalid config); the first line above is its ``--help`` description.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from helpers.io import display_path, to_jsonable
from helpers.run.config import ConfigError, load_config
from helpers.run.output import RunBusy, retry_failed, run_config
from helpers.run.records import repo_path
from helpers.run.workers import WORKER_FLAG, worker_main

__all__ = ["cli", "EXIT_BUSY"]

#: exit status when another run of the same config holds its lock and --no-wait was given
EXIT_BUSY = 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers run", description=__doc__.splitlines()[0],
        epilog="exit status: 0 every run ok, 1 some runs failed (listed), 2 invalid config, 4 another run of the "
               "same config is in progress (--no-wait)")
    parser.add_argument("config", nargs="?", help="run config YAML, e.g. config/report.yml (optional with "
                                                  "--retry-failed: the manifest names it)")
    parser.add_argument("--output", help="output folder (default: the config's 'output', else reports/)")
    parser.add_argument("--as-of", dest="as_of", help="date (YYYY-MM-DD) or ISO timestamp that relative periods "
                                                      "resolve against (default: now in the config's timezone)")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help=f"notebooks run in parallel (default: the config's jobs, else {os.cpu_count()} cores)")
    parser.add_argument("--retry-failed", dest="retry", metavar="DIR",
                        help="rerun only the failed runs of an earlier run folder (reports/<config>/<as-of>)")
    parser.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--list", action="store_true", help="validate and list the runs, run nothing")
    wait = parser.add_mutually_exclusive_group()
    wait.add_argument("--wait", dest="wait", action="store_true", default=True,
                      help="when another run of the same config is in progress, wait for it (default)")
    wait.add_argument("--no-wait", dest="wait", action="store_false",
                      help="when another run of the same config is in progress, exit at once with status 4")
    return parser


def cli(argv: list[str] | None = None) -> int:
    """``python -m helpers run CONFIG [--as-of DATE] [--jobs N] [--retry-failed DIR]``: exit 0/1/2."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [WORKER_FLAG] and len(argv) == 2:
        return worker_main(argv[1])
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("papermill").setLevel(logging.WARNING)  # reading parameters cells is not news
    if args.jobs is not None and args.jobs < 1:
        print("--jobs: expected a whole number ≥ 1", file=sys.stderr)
        return 2
    if not args.config and not args.retry:
        parser.print_usage(sys.stderr)
        print("python -m helpers run: give a run config (or --retry-failed DIR)", file=sys.stderr)
        return 2
    with contextlib.suppress(ValueError):  # SIGTERM (e.g. a scheduler's timeout) unwinds: workers are stopped
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        done = _execute(args, progress=not args.no_progress)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except RunBusy as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    if isinstance(done, int):
        return done
    return _report(*done)


def _execute(args: argparse.Namespace, progress: bool) -> int | tuple[Path, list[dict[str, Any]]]:
    """Run the config (or retry a folder's failed runs): the folder and every run's record, or an exit
    status when there was nothing to run (``--list``, nothing to retry)."""
    if args.retry:
        folder, records = retry_failed(args.retry, args.config, jobs=args.jobs, progress=progress, wait=args.wait)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if not records:
            print(f"nothing to retry: no failed runs in {folder}")
            return 0
        print(f"retried {len(records)} run(s): "
              f"{sum(r['status'] != 'failed' for r in records)} now ok")
        return folder, manifest["runs"]
    config = load_config(args.config, args.output, as_of=args.as_of)
    if args.list:
        for spec in config.runs:
            print(f"{spec.id}\t{repo_path(spec.notebook)}\t{json.dumps(to_jsonable(spec.parameters))}")
        return 0
    return run_config(config, jobs=args.jobs, progress=progress, wait=args.wait)


def _report(folder: Path, all_records: list[dict[str, Any]]) -> int:
    """Print the failed runs, how to rerun them and where the report is; exit 1 when a run failed, else 0."""
    failed = [r for r in all_records if r["status"] == "failed"]
    for r in failed:
        print(f"FAILED {r['id']} ({r['notebook']}): {r['error']}  -> {display_path(folder / r['id'], resolve=False)}", file=sys.stderr)
    if failed:
        print(f"rerun only these with: python -m helpers run --retry-failed {display_path(folder, resolve=False)}", file=sys.stderr)
    latest = folder.parent.parent / "latest"
    index = latest / "index.html" if latest.resolve() == folder.resolve() else folder / "index.html"
    print(f"{len(all_records) - len(failed)} of {len(all_records)} runs ok; report: {display_path(folder / 'index.html', resolve=False)}")
    print(display_path(index, resolve=False))
    return 1 if failed else 0
