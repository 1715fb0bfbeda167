"""Run configs: grid expansion, relative periods, overrides and validation before anything runs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers.run import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "tests" / "fixtures" / "notebooks"
GRID = str(NB / "grid.ipynb")
TINY = str(NB / "tiny.ipynb")
AUDIENCE = "notebooks/01_audience_research.ipynb"


def cfg(tmp_path: Path, runs: list[dict], **extra) -> Path:
    data = {"name": "t", "output": str(tmp_path / "reports"), "runs": runs, **extra}
    path = tmp_path / "run.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems(tmp_path: Path, runs: list[dict], **extra) -> str:
    with pytest.raises(ConfigError) as err:
        load_config(cfg(tmp_path, runs, **extra), as_of="2026-11-23")
    return str(err.value)


def test_grid_expands_notebooks_times_parameter_sets_with_deterministic_ids(tmp_path):
    path = cfg(tmp_path, [
        {"id": "grid", "notebook": GRID, "title": "Grid", "parameters": {"value": 9}},
        {"id": "tiny", "notebook": TINY, "grid": {"value": [1, -2]}},
    ], timezone="Asia/Baku", defaults={"data_dir": "data/sample", "period": "last_7_days"},
        grid={"label": ["Brand A", "Бренд Б"], "period": ["last_7_days", "last_month"]},
        overrides=[{"match": {"label": "Brand A", "period": "last_month"}, "parameters": {"value": 16},
                    "timeout_seconds": 99}])
    config = load_config(path, as_of="2026-11-23")
    ids = [r.id for r in config.runs]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert ids[:2] == ["grid.brand-a.last_7_days", "grid.brand-a.last_month"]
    assert ids[2].startswith("grid.v") and ids[2].endswith(".last_7_days")  # Cyrillic value -> stable hash
    assert ids[4:] == ["tiny.1", "tiny.neg2"]
    assert ids == [r.id for r in load_config(path, as_of="2030-01-01").runs]  # ids do not depend on the date
    by_id = {r.id: r for r in config.runs}
    week = by_id["grid.brand-a.last_7_days"]
    assert week.parameters == {"data_dir": "data/sample", "start": "2026-11-16", "end": "2026-11-22",
                               "value": 9, "label": "Brand A"}
    assert week.period == {"name": "last_7_days", "start": "2026-11-16", "end": "2026-11-22"}
    assert "Brand A" in week.title and "2026-11-16 – 2026-11-22" in week.title
    month = by_id["grid.brand-a.last_month"]
    assert (month.parameters["start"], month.parameters["end"], month.parameters["value"]) == \
        ("2026-10-01", "2026-10-31", 16)
    assert month.timeout_seconds == 99 and week.timeout_seconds == 1800
    assert by_id["tiny.neg2"].parameters == {"value": -2}  # tiny declares neither data_dir nor start/end
    assert config.folder == "2026-11-23" and config.as_of_label == "2026-11-23"


def test_title_fields_skip_and_list_grid(tmp_path):
    path = cfg(tmp_path, [{"id": "g", "notebook": GRID, "title": "{label}: {window}",
                           "grid": [{"label": "a", "period": "2025-Q1"}, {"label": "b", "period": "2025-Q2"}]}],
               overrides=[{"match": {"label": "b"}, "skip": True}])
    runs = load_config(path).runs
    assert [(r.id, r.title) for r in runs] == [("g.a.2025-q1", "a: 2025-01-01 – 2025-03-31")]


def test_unknown_parameter_lists_the_notebooks_real_parameters_with_defaults_and_help(tmp_path):
    msg = problems(tmp_path, [{"id": "g", "notebook": GRID, "parameters": {"valeu": 3}}])
    assert "unknown parameter 'valeu'" in msg
    for real in ("value = 4", "label = \"x\"", "start = None", "a label recorded in findings.json"):
        assert real in msg


@pytest.mark.parametrize("runs, extra, fragment", [
    ([{"id": "g", "notebook": GRID, "parameters": {"value": "four"}}], {}, "'four' is str, but the notebook expects int"),
    ([{"id": "g", "notebook": GRID, "parameters": {"value": True}}], {}, "expects int"),
    ([{"id": "g", "notebook": GRID, "parameters": {"label": None}}], {}, "null given"),
    ([{"id": "t", "notebook": TINY, "parameters": {"fail": "yes"}}], {}, "expects bool"),
    ([{"id": "g", "notebook": GRID, "parameters": {"start": "2025-02-30"}}], {}, "not a real date"),
    ([{"id": "g", "notebook": GRID, "parameters": {"end": "31/01/2025"}}], {}, "not an ISO date"),
    ([{"id": "g", "notebook": GRID, "parameters": {"start": "2025-03-01", "end": "2025-02-01"}}], {},
     "start 2025-03-01 is after end 2025-02-01"),
    ([{"id": "g", "notebook": GRID, "parameters": {"data_dir": "data/no-such-export"}}], {},
     "dataset folder 'data/no-such-export' not found"),
    ([{"id": "g", "notebook": GRID}], {"grid": {"period": ["last_fortnight"]}}, "unknown period 'last_fortnight'"),
    ([{"id": "g", "notebook": GRID}], {"grid": {"brand": ["A"]}}, "unknown parameter 'brand'"),
    ([{"id": "t", "notebook": TINY}], {"grid": {"period": ["last_month"]}}, "period needs a notebook with start"),
    ([{"id": "g", "notebook": GRID, "parameters": {"output_dir": "x"}}], {}, "output_dir is set by the runner"),
    ([{"id": "g", "notebook": GRID}], {"defaults": {"sla_hours": 3}}, "no notebook in this config declares sla_hours"),
    ([{"id": "g", "notebook": GRID}], {"overrides": [{"match": {"label": "nope"}, "parameters": {"value": 1}}]},
     "matches no run"),
    ([{"id": "g", "notebook": GRID}], {"defualts": {}}, "unknown key(s) defualts"),
    ([{"id": "g", "notebook": GRID, "paramters": {}}], {}, "unknown key(s) paramters"),
    ([{"id": "g", "notebook": GRID}], {"timezone": "Mars/Base"}, "unknown timezone"),
    ([{"id": "g", "notebook": GRID}], {"timeout_seconds": -5}, "positive number of seconds"),
    ([{"id": "g", "notebook": GRID}], {"language": "de"}, "language"),
    ([{"id": "g", "notebook": GRID}], {"targets": "config/none.yml"}, "targets"),
    ([{"id": "g", "notebook": "nope.ipynb"}], {}, "not found"),
    ([{"id": "g", "notebook": GRID}, {"id": "g", "notebook": GRID}], {}, "unique"),
    ([], {}, "runs"),
])
def test_invalid_configs_fail_before_anything_runs(tmp_path, runs, extra, fragment):
    assert fragment in problems(tmp_path, runs, **extra)


def test_every_problem_is_reported_at_once(tmp_path):
    msg = problems(tmp_path, [{"id": "g", "notebook": GRID, "parameters": {"valeu": 1, "start": "2025-13-01"}},
                              {"id": "h", "notebook": "missing.ipynb"}])
    assert "valeu" in msg and "2025-13-01" in msg and "missing.ipynb" in msg


def test_language_and_targets_are_carried(tmp_path):
    targets = tmp_path / "targets.yml"
    targets.write_text("response_rate: 0.9\n")
    config = load_config(cfg(tmp_path, [{"notebook": GRID}], language="ru", targets=str(targets)))
    assert config.language == "ru" and config.targets == targets


def test_the_shipped_configs_are_valid():
    report = load_config(ROOT / "config" / "report.yml")
    assert [r.notebook.name for r in report.runs][0] == "01_audience_research.ipynb"
    weekly = load_config(ROOT / "examples" / "weekly.yml", as_of="2026-01-05")
    assert len(weekly.runs) >= 4
    assert all(r.parameters["start"] <= r.parameters["end"] for r in weekly.runs)


def test_cli_exit_2_for_invalid_config_and_bad_as_of(tmp_path):
    bad = cfg(tmp_path, [{"id": "g", "notebook": GRID, "parameters": {"value": "x"}}])
    proc = subprocess.run([sys.executable, "-m", "helpers", "run", str(bad)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "expects int" in proc.stderr
    good = cfg(tmp_path, [{"id": "g", "notebook": GRID}])
    proc = subprocess.run([sys.executable, "-m", "helpers", "run", str(good), "--as-of", "someday", "--list"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "someday" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "helpers", "run", str(good), "--as-of", "2026-11-23", "--list"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("g\t")
    assert not (tmp_path / "reports").exists()  # --list runs nothing


def test_scheduler_examples_are_real():
    import ast

    dag = (ROOT / "examples" / "airflow_weekly_dag.py").read_text()
    ast.parse(dag)
    assert "PapermillOperator" in dag and "-m helpers run" in dag and "--retry-failed" in dag
    workflow = yaml.safe_load((ROOT / "examples" / "github-actions-weekly.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"].split() == ["0", "6", "*", "*", "1"]
    steps = " ".join(str(s.get("run", "")) for s in workflow["jobs"]["report"]["steps"])
    assert "-m helpers run examples/weekly.yml" in steps
    cron = [ln for ln in (ROOT / "examples" / "crontab").read_text().splitlines()
            if ln.strip() and not ln.startswith("#") and "=" not in ln.split()[0]]
    assert len(cron) == 1 and len(cron[0].split()[:5]) == 5 and "helpers run examples/weekly.yml" in cron[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needed in ("examples/airflow_weekly_dag.py", "examples/github-actions-weekly.yml", "--retry-failed",
                   "manifest.json", "last_7_days", "--as-of", "--jobs"):
        assert needed in readme, needed
