"""Scheduled runs end to end: a parallel grid with one run-time failure, exit 1, --retry-failed, no-data
windows and per-notebook timeouts (tiny fixture notebooks, so this stays fast)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "tests" / "fixtures" / "notebooks"


def write(tmp_path: Path, **data) -> Path:
    base = {"name": "weekly", "title": "Weekly <report>", "output": str(tmp_path / "reports"),
            "timezone": "Asia/Baku"}
    path = tmp_path / "weekly.yml"
    path.write_text(yaml.safe_dump({**base, **data}, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "run", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def grid_config(tmp_path: Path, bad_value: int) -> Path:
    # 2 labels × 2 values = 4 runs; value -1 passes validation (an int) but math.sqrt breaks at run time
    return write(tmp_path, defaults={"data_dir": "data/sample"},
                 grid={"label": ["north", "south"], "period": ["last_7_days", "last_month"]},
                 runs=[{"id": "grid", "notebook": str(NB / "grid.ipynb"), "title": "Grid",
                        "headline": ["value_root"]}],
                 overrides=[{"match": {"label": "south", "period": "last_month"}, "parameters": {"value": bad_value}}])


def overlap(records: list[dict]) -> bool:
    spans = [(dt.datetime.fromisoformat(r["started_at"]), dt.datetime.fromisoformat(r["ended_at"])) for r in records]
    return any(a0 < b1 and b0 < a1 for i, (a0, a1) in enumerate(spans) for (b0, b1) in spans[i + 1:])


def test_parallel_grid_one_failure_exit_1_then_retry_failed_completes_it(tmp_path):
    cfg = grid_config(tmp_path, bad_value=-1)
    proc = run(str(cfg), "--as-of", "2026-11-23", "--jobs", "2")
    assert proc.returncode == 1, proc.stderr
    folder = tmp_path / "reports" / "weekly" / "2026-11-23"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["config"] == "weekly" and manifest["as_of"] == "2026-11-23" and manifest["status"] == "failed"
    assert manifest["package_version"] and manifest["jobs"] == 2 and manifest["timezone"] == "Asia/Baku"
    runs = {r["id"]: r for r in manifest["runs"]}
    assert set(runs) == {"grid.north.last_7_days", "grid.north.last_month", "grid.south.last_7_days",
                         "grid.south.last_month"}
    bad = runs["grid.south.last_month"]
    assert bad["status"] == "failed" and manifest["failed"] == ["grid.south.last_month"]
    assert bad["error_detail"]["ename"] == "ValueError" and bad["error_detail"]["evalue"] == "math domain error"
    assert "math.sqrt(value)" in bad["error_detail"]["source"] and bad["error_detail"]["cell_index"] is not None
    assert "math.sqrt(value)" in bad["error"] and "ValueError: math domain error" in bad["error"]
    assert "FAILED grid.south.last_month" in proc.stderr and "--retry-failed" in proc.stderr
    for rid, rec in runs.items():
        if rid != "grid.south.last_month":
            assert rec["status"] == "ok", rec["error"]
            assert json.loads((folder / rid / "findings.json").read_text())["value_root"] == 2.0
            assert (folder / rid / "report.html").is_file() and (folder / rid / "grid.ipynb").is_file()
            assert "root of 4 is 2.0" in (folder / rid / "report.html").read_text()
            assert rec["headline"] == {"value root": "2"}
        assert (folder / rid / "log.txt").read_text().strip()
        assert rec["inputs"]["data/sample/messages.csv"] and len(rec["inputs"]["data/sample/messages.csv"]) == 64
        assert rec["started_at"] <= rec["ended_at"] and rec["duration_seconds"] > 0
    assert runs["grid.north.last_month"]["parameters"]["start"] == "2026-10-01"
    assert runs["grid.north.last_month"]["period"]["name"] == "last_month"
    assert overlap(list(runs.values())), "with --jobs 2 two runs should have been executing at the same time"
    assert (tmp_path / "reports" / "latest").resolve() == folder.resolve()
    index = (folder / "index.html").read_text()
    assert "Weekly &lt;report&gt;" in index and "math domain error" in index
    before = {rid: (folder / rid / "report.html").stat().st_mtime for rid in runs if rid != "grid.south.last_month"}

    # fix the config, rerun only the failed run: same folder, same as-of, manifest updated
    grid_config(tmp_path, bad_value=9)
    retry = run("--retry-failed", str(folder))
    assert retry.returncode == 0, retry.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    runs = {r["id"]: r for r in manifest["runs"]}
    assert manifest["status"] == "ok" and manifest["failed"] == [] and manifest["counts"]["ok"] == 4
    fixed = runs["grid.south.last_month"]
    assert fixed["status"] == "ok" and fixed["attempts"] == 2 and fixed["parameters"]["value"] == 9
    assert fixed["parameters"]["start"] == "2026-10-01"  # the folder's as-of, not today
    assert json.loads((folder / "grid.south.last_month" / "findings.json").read_text())["value_root"] == 3.0
    assert manifest["retries"][0]["runs"] == ["grid.south.last_month"] and not manifest["retries"][0]["still_failed"]
    assert {rid: (folder / rid / "report.html").stat().st_mtime for rid in before} == before  # others untouched
    assert "math domain error" not in (folder / "index.html").read_text()
    # nothing hidden is left but the config's lock file (kept: deleting a lock file races with its waiters)
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".") and p.name != ".run.lock"]
    again = run("--retry-failed", str(folder))
    assert again.returncode == 0 and "nothing to retry" in again.stdout


def test_empty_window_gives_a_page_that_says_so(tmp_path):
    cfg = write(tmp_path, runs=[{"id": "empty", "notebook": str(NB / "grid.ipynb"), "title": "Empty",
                                 "parameters": {"value": 0, "start": "2030-01-01", "end": "2030-01-07"}}])
    proc = run(str(cfg), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    latest = tmp_path / "reports" / "latest"
    rec = json.loads((latest / "manifest.json").read_text())["runs"][0]
    assert rec["status"] == "no_data" and rec["no_data"] and rec["error"] is None
    page = (latest / "empty" / "report.html").read_text()
    assert "No data in the window" in page and "2030-01-01 – 2030-01-07" in page and "Traceback" not in page
    assert "nothing to analyse" in (latest / "index.html").read_text()


@pytest.mark.slow
def test_a_hung_notebook_times_out_and_the_others_finish(tmp_path):
    # 30 s: enough for the worker and its kernel to start on a busy 2-core machine and reach the sleeping cell
    cfg = write(tmp_path, timeout_seconds=600, runs=[
        {"id": "hung", "notebook": str(NB / "sleepy.ipynb"), "parameters": {"seconds": 600}, "timeout_seconds": 30},
        {"id": "quick", "notebook": str(NB / "tiny.ipynb")},
    ])
    t0 = time.monotonic()
    proc = run(str(cfg), "--jobs", "2", timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert time.monotonic() - t0 < 90
    manifest = json.loads((tmp_path / "reports" / "latest" / "manifest.json").read_text())
    runs = {r["id"]: r for r in manifest["runs"]}
    assert runs["quick"]["status"] == "ok"
    hung = runs["hung"]
    assert hung["status"] == "failed" and hung["timed_out"] and "timeout_seconds = 30 s" in hung["error"]
    assert "time.sleep" in (hung["error_detail"]["source"] or "")  # the cell that was running
    beat = tmp_path / "reports" / "latest" / "hung" / "heartbeat"
    if beat.exists():  # the kernel was stopped with its worker: nothing writes any more
        first = beat.stat().st_mtime
        time.sleep(2)
        assert beat.stat().st_mtime == first


@pytest.mark.slow
def test_audience_notebook_on_an_empty_window_says_so(tmp_path):
    cfg = write(tmp_path, defaults={"data_dir": "data/sample"}, grid={"period": ["2030-01"]},
                runs=[{"id": "audience", "notebook": "notebooks/01_audience_research.ipynb", "title": "Audience"}])
    proc = run(str(cfg), "--jobs", "1", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    latest = tmp_path / "reports" / "latest"
    rec = json.loads((latest / "manifest.json").read_text())["runs"][0]
    assert rec["id"] == "audience.2030-01" and rec["status"] == "ok" and rec["no_data"]
    page = (latest / rec["html"]).read_text()
    assert "No messages in the selected period" in page and "Traceback" not in page


class FakeTTY:
    def __init__(self, tty: bool):
        self.text, self.tty = "", tty

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_progress_shows_done_running_failed(tty):
    from helpers.run import Progress, RunSpec

    out = FakeTTY(tty)
    p = Progress(3, stream=out)
    spec = RunSpec("a", Path("x.ipynb"), {}, "A")
    p.started(spec)
    p.started(RunSpec("b", Path("x.ipynb"), {}, "B"))
    p.finished({"id": "a", "status": "failed", "error": "cell 3: ValueError: boom", "duration_seconds": 2})
    assert "0/3 done, 2 running, 0 failed, 1 queued" in out.text
    assert "1/3 done, 1 running, 1 failed, 1 queued" in out.text and "ValueError: boom" in out.text
    assert ("\r" in out.text) == tty  # a redrawn tqdm bar only on a terminal, plain lines otherwise
    assert ("#" * 8) in out.text if tty else "#" not in out.text
    p.close()
    if not tty:
        assert all(line[:2].isdigit() for line in out.text.splitlines())  # every line a timestamped log line
