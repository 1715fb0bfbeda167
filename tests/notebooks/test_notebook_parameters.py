"""papermill with parameters given directly: a value of the wrong kind stops each notebook in its first cell,
naming the parameter, the value and how to pass it; a string that spells a list is read as the list."""
from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "community-workbook"
# one number parameter per notebook, given as a word, plus languages given as a bare string
BAD = {
    "01_audience_research": {"top_n": "ten", "languages": "en"},
    "02_campaign_vs_community": {"retention_days": "sixty", "languages": "en"},
    "03_crisis_postmortem": {"baseline_days": "two weeks", "languages": "en"},
    "04_sentiment_model": {"sample_size": "many", "languages": "en"},
}


def first_code_cell_after_parameters(nb: dict) -> int:
    cells = nb["cells"]
    k = max(i for i, c in enumerate(cells) if {"parameters", "injected-parameters"} & set(c["metadata"].get("tags", [])))
    return next(i for i in range(k + 1, len(cells)) if cells[i]["cell_type"] == "code")


@pytest.mark.parametrize("name", sorted(BAD))
def test_wrong_parameters_stop_the_notebook_in_its_first_cell(name, tmp_path):
    out = tmp_path / f"{name}.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(out), parameters=BAD[name],
                            kernel_name=KERNEL, cwd=str(ROOT / "notebooks"), progress_bar=False)
    assert err.value.ename == "ParameterError"
    message = err.value.evalue
    for param, value in BAD[name].items():
        assert f"{param}: {value!r}" in message
    assert "-y 'languages: [en]'" in message
    executed = json.loads(out.read_text(encoding="utf-8"))
    failing = [i for i, c in enumerate(executed["cells"]) if c["cell_type"] == "code"
               and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert failing == [first_code_cell_after_parameters(executed)]


@pytest.mark.slow
def test_languages_spelled_as_a_string_is_read_as_the_list(tmp_path):
    out_dir = tmp_path / "audience"
    pm.execute_notebook(str(ROOT / "notebooks" / "01_audience_research.ipynb"), str(tmp_path / "01.ipynb"),
                        parameters={"languages": '["en"]', "start": "2025-03-01", "end": "2025-03-07",
                                    "output_dir": str(out_dir)},
                        kernel_name=KERNEL, cwd=str(ROOT / "notebooks"), progress_bar=False)
    findings = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    assert findings["messages_analysed"] > 0
    assert set(findings["language_mix"]) <= {"en", "und"}  # the detector chose among ["en"] only
