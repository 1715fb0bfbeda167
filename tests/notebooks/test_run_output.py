"""Atomic output: a run killed mid-way never looks complete, moves no `latest`, leaves no running kernel,
and its hidden .partial folder is cleaned up by the next run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from helpers.run import complete_runs

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "tests" / "fixtures" / "notebooks"


def config(tmp_path: Path, runs: list[dict], name: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"name": "t", "output": str(tmp_path / "reports"), "runs": runs}))
    return path


def wait_for(pattern: str, base: Path, seconds: float) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = list(base.glob(pattern))
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"{pattern} did not appear under {base} within {seconds} s")


@pytest.mark.slow
def test_a_killed_run_is_never_presented_as_complete(tmp_path):
    quick = config(tmp_path, [{"id": "a", "notebook": str(NB / "tiny.ipynb")}], "quick.yml")
    first = subprocess.run([sys.executable, "-m", "helpers", "run", str(quick)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    base = tmp_path / "reports" / "t"
    latest = tmp_path / "reports" / "latest"
    complete = latest.resolve()
    assert complete_runs(base) == [complete]

    slow = config(tmp_path, [{"id": "hung", "notebook": str(NB / "sleepy.ipynb"), "parameters": {"seconds": 600}},
                             {"id": "a", "notebook": str(NB / "tiny.ipynb")}], "slow.yml")
    proc = subprocess.Popen([sys.executable, "-m", "helpers", "run", str(slow), "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        beat = wait_for(".*.partial/hung/heartbeat", base, 120)  # the notebook is running inside the partial folder
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the scheduler dies without any chance to clean up
        proc.wait(timeout=30)

    assert latest.resolve() == complete  # latest still shows the last complete run
    assert complete_runs(base) == [complete]
    shown = [p for p in base.iterdir() if not p.name.startswith(".") and not p.is_symlink()]
    assert all((p / "manifest.json").is_file() for p in shown), "a folder without manifest looks like a report"
    partials = [p for p in base.iterdir() if p.name.endswith(".partial")]
    assert partials and all(p.name.startswith(".") for p in partials)
    time.sleep(4)  # the worker dies with the scheduler, its kernel notices within a second
    before = beat.stat().st_mtime
    time.sleep(2)
    assert beat.stat().st_mtime == before, "the killed run's kernel is still running"

    again = subprocess.run([sys.executable, "-m", "helpers", "run", str(quick)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "left by a run that did not finish" in again.stderr
    assert not [p for p in base.iterdir() if p.name.endswith(".partial")]  # the stale folder is gone
    assert latest.resolve() != complete and latest.resolve() in complete_runs(base)
    assert len(complete_runs(base)) == 2
