"""Two runs of the same config at once (two processes): the second waits (``--wait``, the default) or exits
with status 4 and a clear message (``--no-wait``); neither corrupts the other's folder or ``latest``."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "tests" / "fixtures" / "notebooks"


def config(tmp_path: Path, seconds: float) -> Path:
    path = tmp_path / "locked.yml"
    path.write_text(yaml.safe_dump({
        "name": "locked", "title": "Lock test", "output": str(tmp_path / "reports"), "timezone": "UTC",
        "runs": [{"id": "sleepy", "notebook": str(NB / "sleepy.ipynb"), "parameters": {"seconds": seconds}}],
    }), encoding="utf-8")
    return path


def start(cfg: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "helpers", "run", str(cfg), "--no-progress", *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lock_holder(folder: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    lock = folder / ".run.lock"
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if lock.exists() and f"pid {proc.pid}" in lock.read_text(encoding="utf-8"):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("the first run never took the config's lock")


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_second_run_waits_for_the_first_and_both_folders_are_whole(tmp_path):
    cfg = config(tmp_path, seconds=6)
    base = tmp_path / "reports" / "locked"
    first = start(cfg, "--as-of", "2026-11-16")
    wait_for_lock_holder(base, first)
    second = start(cfg, "--as-of", "2026-11-23")  # --wait is the default
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "another run of config 'locked' is in progress" in err2 and "waiting" in err2
    m1, m2 = manifest(base / "2026-11-16"), manifest(base / "2026-11-23")
    assert m1["status"] == m2["status"] == "ok"
    # the second started only after the first had finished: it waited, they did not overlap
    assert dt.datetime.fromisoformat(m2["started_at"]) >= dt.datetime.fromisoformat(m1["completed_at"])
    for m, day in ((m1, "2026-11-16"), (m2, "2026-11-23")):
        findings = json.loads((base / day / "sleepy" / "findings.json").read_text(encoding="utf-8"))
        assert findings["slept_seconds"] == 6 and m["runs"][0]["status"] == "ok"
    assert (base / "latest").resolve() == (base / "2026-11-23").resolve()
    assert not [p for p in base.iterdir() if p.name.endswith(".partial")]


def test_no_wait_exits_4_naming_the_run_in_progress(tmp_path):
    cfg = config(tmp_path, seconds=8)
    base = tmp_path / "reports" / "locked"
    first = start(cfg, "--as-of", "2026-11-16")
    wait_for_lock_holder(base, first)
    busy = subprocess.run([sys.executable, "-m", "helpers", "run", str(cfg), "--as-of", "2026-11-16", "--no-wait"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert first.poll() is None  # it answered while the first was still running
    assert busy.returncode == 4, busy.stderr
    assert f"pid {first.pid}" in busy.stderr and "--no-wait" in busy.stderr
    _, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    m = manifest(base / "2026-11-16")
    assert m["status"] == "ok" and (base / "latest").resolve() == (base / "2026-11-16").resolve()
