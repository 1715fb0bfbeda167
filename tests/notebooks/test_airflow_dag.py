"""A real Airflow loads and runs ``examples/airflow_weekly_dag.py`` (``airflow dags test`` for one logical date).

Airflow is not a dependency of the workbook: the test installs the current ``apache-airflow`` with
``apache-airflow-providers-papermill`` into a virtual environment of its own (from PyPI, about a minute),
cached under ``~/.cache/community-workbook/`` (``WORKBOOK_AIRFLOW_VENV`` overrides the folder) and rebuilt
when the requirements change or the cache is 30 days old, so later suites reuse it. The DAG must import
without warnings and without import errors, every task must succeed, and the run folder (manifest, index,
edition) and the papermill notebook must appear. Reports go to a temporary folder, never into the
workbook's ``reports/``. Without network access to PyPI it is skipped, except under ``CI=true``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAG = ROOT / "examples" / "airflow_weekly_dag.py"
DAG_ID = "community_workbook_weekly"
LOGICAL_DATE = "2025-11-24"  # a Monday inside data/sample's year
REQUIREMENTS = ["apache-airflow>=3,<4", "apache-airflow-providers-papermill"]
MAX_AGE_DAYS = 30
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
TASKS = {"weekly_grid", "audience_folder", "audience_papermill"}

pytestmark = pytest.mark.slow


def _venv_dir() -> Path:
    override = os.environ.get("WORKBOOK_AIRFLOW_VENV")
    if override:
        return Path(override)
    key = hashlib.sha256(json.dumps([sys.version_info[:2], REQUIREMENTS]).encode()).hexdigest()[:10]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "community-workbook" / f"airflow-venv-{key}"


def _airflow_venv() -> Path:
    """The cached Airflow virtual environment, (re)built when missing, broken or older than 30 days."""
    venv = _venv_dir()
    stamp = venv / ".installed"
    fresh = stamp.is_file() and time.time() - stamp.stat().st_mtime < MAX_AGE_DAYS * 86400
    if fresh and (venv / "bin" / "airflow").exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run(pip + REQUIREMENTS, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        message = f"pip could not install {' '.join(REQUIREMENTS)}: {done.stderr.strip()[-1500:]}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    stamp.write_text(f"{' '.join(REQUIREMENTS)}\ninstalled in {time.monotonic() - t0:.0f} s\n", encoding="utf-8")
    return venv


def _env(home: Path, reports: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "COMMUNITY_WORKBOOK": str(ROOT), "COMMUNITY_WORKBOOK_REPORTS": str(reports),
        # the PapermillOperator starts the workbook's kernel, registered inside .venv (make setup)
        "JUPYTER_PATH": str(ROOT / ".venv" / "share" / "jupyter"),
    })
    return env


def _airflow(venv: Path, env: dict[str, str], *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "airflow"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=env["AIRFLOW_HOME"])


def json_lines(stdout: str) -> list:
    """The JSON list an ``airflow … --output json`` printed (log lines before it are skipped)."""
    found = [line for line in stdout.splitlines() if line.startswith(("[{", "[]"))]
    assert found, stdout[-2000:]
    return json.loads(found[-1])


PARSE_CHECK = r"""
import runpy, sys, warnings
import airflow.sdk, airflow.providers.papermill.operators.papermill, airflow.providers.standard.operators.bash
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ns = runpy.run_path(sys.argv[1])
dag = ns["dag"]
print("TASKS", sorted(dag.task_ids))
for w in caught:
    print("WARNING", w.category.__name__, w.filename, w.lineno, w.message)
"""


def test_airflow_runs_the_weekly_dag(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / "share" / "jupyter" / "kernels" / "community-workbook").is_dir():
        pytest.fail("the community-workbook kernel is not registered in .venv: run make setup")
    t0 = time.monotonic()
    venv = _airflow_venv()
    t_install = time.monotonic() - t0
    home, reports = tmp_path / "airflow", tmp_path / "reports"
    (home / "dags").mkdir(parents=True)
    shutil.copy(DAG, home / "dags" / DAG.name)
    env = _env(home, reports)

    parsed = subprocess.run([str(venv / "bin" / "python"), "-c", PARSE_CHECK, str(DAG)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert parsed.returncode == 0, parsed.stderr[-3000:]
    assert f"TASKS {sorted(TASKS)}" in parsed.stdout, parsed.stdout
    warned = [line for line in parsed.stdout.splitlines() if line.startswith("WARNING")]
    assert not warned, f"the DAG warns when Airflow loads it: {warned}"

    migrated = _airflow(venv, env, "db", "migrate")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    errors = _airflow(venv, env, "dags", "list-import-errors", "--output", "json")
    assert errors.returncode == 0, errors.stderr[-2000:]
    assert DAG.name not in errors.stdout, errors.stdout

    t1 = time.monotonic()
    run = _airflow(venv, env, "dags", "test", DAG_ID, LOGICAL_DATE, timeout=1800)
    t_run = time.monotonic() - t1
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-5000:]
    runs = _airflow(venv, env, "dags", "list-runs", DAG_ID, "--output", "json")
    assert runs.returncode == 0, runs.stderr[-2000:]
    records = json_lines(runs.stdout)
    assert len(records) == 1 and records[0]["state"] == "success", (records, log[-5000:])
    states = _airflow(venv, env, "tasks", "states-for-dag-run", DAG_ID, records[0]["run_id"], "--output", "json")
    assert states.returncode == 0, states.stderr[-2000:]
    by_task = {r["task_id"]: r["state"] for r in json_lines(states.stdout)}
    assert by_task == {t: "success" for t in TASKS}, (by_task, log[-5000:])

    folder = reports / "weekly" / LOGICAL_DATE
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and len(manifest["runs"]) == 4
    assert (folder / "index.html").is_file()
    assert (folder / "edition" / "en" / "index.html").is_file()
    assert (reports / "airflow" / LOGICAL_DATE / "01_audience_research.ipynb").is_file()
    findings = json.loads((reports / "airflow" / LOGICAL_DATE / "audience" / "findings.json").read_text("utf-8"))
    assert findings["messages_analysed"] > 0
    assert not (ROOT / "reports" / "airflow" / LOGICAL_DATE).exists()  # nothing written into the workbook
    print(f"airflow venv {t_install:.0f} s (cached when fast), dags test {t_run:.0f} s")
