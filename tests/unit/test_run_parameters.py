"""Parameters given to papermill directly are checked in each notebook's first cell with the run-config rules:
every list, number and date parameter of every notebook is either read as the value its string spells or
stops the notebook with a message naming the parameter, the value and how to pass it."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from helpers.run.config import check_value, expected_kind, is_date_parameter, notebook_parameters
from helpers.run.parameters import ParameterError, checked_parameters, coerce_value

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("0*.ipynb"))


def declared(nb: str) -> dict:
    return notebook_parameters(ROOT / "notebooks" / f"{nb}.ipynb")


def defaults(nb: str) -> dict:
    return {k: ast.literal_eval(v["default"]) for k, v in declared(nb).items()}


CASES = [(nb, name) for nb in NOTEBOOKS for name, info in declared(nb).items()
         if expected_kind(name, info) in ("list", "int", "float") or is_date_parameter(name)]


def test_every_notebook_has_list_number_and_date_parameters_covered():
    kinds = {(nb, expected_kind(n, declared(nb)[n]) if not is_date_parameter(n) else "date") for nb, n in CASES}
    for nb in NOTEBOOKS:
        assert (nb, "date") in {(a, k) for a, k in kinds}, nb
    names = {n for _, n in CASES}
    assert {"languages", "campaign_ids", "max_labels", "top_n", "response_sla_hours", "baseline_days",
            "window_days", "pre_period_days", "retention_days", "seed", "sample_size", "start", "end"} <= names


@pytest.mark.parametrize("nb,name", CASES)
def test_a_wrong_value_stops_the_notebook_naming_parameter_value_and_the_way(nb, name):
    kind = "date" if is_date_parameter(name) else expected_kind(name, declared(nb)[name])
    bad = {"list": "en", "int": "ten", "float": "ten", "date": "2025-13-01"}[kind]
    values = {**defaults(nb), name: bad}
    with pytest.raises(ParameterError) as err:
        checked_parameters(nb, values)
    message = str(err.value)
    assert name in message and repr(bad) in message or bad in message
    if kind == "list":
        assert f"-y '{name}: [" in message
    elif kind in ("int", "float"):
        assert f"-p {name} " in message
    else:
        assert "ISO date" in message


@pytest.mark.parametrize("nb,name", CASES)
def test_a_string_that_spells_the_value_is_read_as_it(nb, name):
    kind = "date" if is_date_parameter(name) else expected_kind(name, declared(nb)[name])
    good = {"list": ["en"] if name == "languages" else ["C01", "C02"], "int": 12, "float": 1.5,
            "date": "2025-03-01"}[kind]
    spelled = json.dumps(good) if kind != "date" else good
    values = {**defaults(nb), name: spelled}
    if name == "end":
        values["start"] = None
    out = checked_parameters(nb, values)
    assert out[name] == good


def test_the_issue_example_languages_given_as_a_string():
    info = declared("01_audience_research")["languages"]
    assert coerce_value("languages", '["en"]', info) == ["en"]
    assert coerce_value("languages", "[en, ru]", info) == ["en", "ru"]  # YAML spelling
    assert coerce_value("languages", "en", info) == "en"  # not a list: left for the check to name
    assert "expects list" in check_value("languages", "en", info)
    with pytest.raises(ParameterError, match=r"languages: 'en' is str.*-y 'languages: \["):
        checked_parameters("01_audience_research", {**defaults("01_audience_research"), "languages": "en"})
    with pytest.raises(ParameterError, match=r"languages: 1 in \[1\] is int.*list of str"):
        checked_parameters("01_audience_research", {**defaults("01_audience_research"), "languages": "[1]"})


def test_start_after_end_and_a_missing_folder_are_named():
    d = defaults("03_crisis_postmortem")
    with pytest.raises(ParameterError, match="start 2025-05-01 is after end 2025-04-01"):
        checked_parameters("03_crisis_postmortem", {**d, "start": "2025-05-01", "end": "2025-04-01"})
    with pytest.raises(ParameterError, match="data_dir: dataset folder 'no/such/folder' not found"):
        checked_parameters("03_crisis_postmortem", {**d, "data_dir": "no/such/folder"})
    assert checked_parameters("03_crisis_postmortem", d)["baseline_days"] == 14  # defaults pass untouched


def test_run_configs_check_none_default_lists_and_numbers_too():
    info = declared("02_campaign_vs_community")["campaign_ids"]
    assert check_value("campaign_ids", "C01", info) is not None
    assert check_value("campaign_ids", ["C01"], info) is None
    assert check_value("max_labels", "many", declared("04_sentiment_model")["max_labels"]) is not None
