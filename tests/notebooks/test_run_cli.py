"""`python -m helpers run`: config validation, execution, rendering, failure handling, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers.run import ConfigError, load_config, notebook_parameters

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "notebooks" / "tiny.ipynb"


def write_config(tmp_path: Path, runs: list[dict], **extra) -> Path:
    cfg = {"name": "t", "title": "Test <run>", "output": str(tmp_path / "reports"), "runs": runs, **extra}
    path = tmp_path / "run.yml"
    path.write_text(yaml.safe_dump(cfg))
    return path


def run_cli(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "run", str(config)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)


def test_notebook_parameters_are_read_from_the_parameters_cell():
    assert set(notebook_parameters(TINY)) == {"fail", "value", "output_dir"}


def test_unknown_parameter_is_a_config_error_listing_the_real_ones(tmp_path):
    cfg = write_config(tmp_path, [{"id": "a", "notebook": str(TINY), "parameters": {"valeu": 1}}])
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    msg = str(err.value)
    assert "valeu" in msg and "fail" in msg and "value" in msg
    proc = run_cli(cfg)
    assert proc.returncode == 2
    assert "valeu" in proc.stderr


@pytest.mark.parametrize("runs, fragment", [
    ([], "runs"),
    ([{"id": "a", "notebook": "nope.ipynb"}], "not found"),
    ([{"id": "a", "notebook": str(TINY)}, {"id": "a", "notebook": str(TINY)}], "unique"),
])
def test_invalid_configs(tmp_path, runs, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_config(write_config(tmp_path, runs))


def test_a_failing_notebook_does_not_stop_the_others_and_exits_1(tmp_path):
    cfg = write_config(tmp_path, [
        {"id": "good", "notebook": str(TINY), "parameters": {"value": 5}, "title": "Good <b>page</b>"},
        {"id": "bad", "notebook": str(TINY), "parameters": {"fail": True}},
    ])
    proc = run_cli(cfg)
    assert proc.returncode == 1, proc.stderr
    latest = tmp_path / "reports" / "latest"
    assert proc.stdout.strip().splitlines()[-1].endswith("latest/index.html")
    assert (latest / "index.html").is_file()
    manifest = json.loads((latest / "manifest.json").read_text())
    status = {r["id"]: r for r in manifest["runs"]}
    # the contract the playbook renderer reads
    assert {"config", "title", "as_of", "status", "package_version", "runs", "language", "targets"} <= set(manifest)
    for rec in manifest["runs"]:
        assert {"id", "name", "notebook", "parameters", "status", "error", "html", "started_at", "ended_at",
                "duration_seconds", "headline"} <= set(rec)
        assert rec["notebook"] == "tests/fixtures/notebooks/tiny.ipynb"
    assert status["good"]["html"] == "good/report.html" and (latest / status["good"]["html"]).is_file()
    assert status["good"]["status"] == "ok" and status["bad"]["status"] == "failed"
    assert "planted failure" in status["bad"]["error"] and "RuntimeError" in status["bad"]["error"]
    assert (latest / "bad" / "tiny.ipynb").is_file()  # the failed executed notebook is kept
    assert json.loads((latest / "good" / "findings.json").read_text())["value_count"] == 5
    page = (latest / "good" / "report.html").read_text()
    assert "SECRET_CODE_MARKER" not in page  # code hidden
    assert "value is 5" in page
    index = (latest / "index.html").read_text()
    assert "Good &lt;b&gt;page&lt;/b&gt;" in index and "<b>page</b>" not in index  # titles escaped
    assert not list((tmp_path / "reports" / "t").glob(".*partial"))


def test_all_ok_exits_0_and_latest_moves_to_the_newest_run(tmp_path):
    cfg = write_config(tmp_path, [{"id": "a", "notebook": str(TINY)}])
    first = run_cli(cfg)
    assert first.returncode == 0, first.stderr
    target1 = (tmp_path / "reports" / "latest").resolve()
    second = run_cli(cfg)
    assert second.returncode == 0
    target2 = (tmp_path / "reports" / "latest").resolve()
    assert target1 != target2 and target2.is_dir()


def test_headline_formats_units_cis_and_n():
    from helpers.run import headline

    found = {"response_rate": 0.72, "response_rate_ci_low": 0.7, "response_rate_ci_high": 0.74,
             "median_first_response_hours": 12.65, "messages_analysed": 12010, "negative_share": 0.2,
             "negative_share_n": 1406, "language_mix": {"ru": 1.0}}
    out = headline(found, ["response_rate", "median_first_response_hours", "messages_analysed",
                            "negative_share", "language_mix", "missing"])
    assert out == {"response rate": "72.0 % (95 % CI 70.0 %–74.0 %)", "median first response hours": "12.7 h",
                   "messages analysed": "12,010", "negative share": "20.0 %, n = 1,406"}
