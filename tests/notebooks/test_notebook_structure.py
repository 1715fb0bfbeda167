"""Notebooks are narratives: one documented parameters cell, no definitions, committed executed, README in step."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.run import notebook_parameters

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COMMON = {"data_dir", "brand", "start", "end", "output_dir"}


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_are_notebooks():
    assert NOTEBOOKS


def test_one_parameters_cell_every_parameter_documented(notebook):
    path, nb = notebook
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected exactly one cell tagged 'parameters'"
    params = notebook_parameters(path)
    assert COMMON <= set(params), f"{path.name} lacks common parameters {COMMON - set(params)}"
    assignments = [ln for ln in tagged[0].source.splitlines() if re.match(r"^\w+\s*=", ln)]
    assert len(assignments) == len(params), "a parameter line papermill cannot parse (an '=' in a comment?)"
    undocumented = [name for name, info in params.items() if not info.get("help")]
    assert not undocumented, f"{path.name}: parameters without a comment: {undocumented}"


def test_no_definitions_in_notebooks(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class)\s", cell.source, re.M), f"{path.name} cell {i}: move it to helpers"


def test_committed_executed_without_errors(notebook):
    path, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), f"{path.name}: commit it executed (make notebooks)"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path.name}: committed with an error output"


def test_readme_documents_every_parameter(notebook):
    path, _ = notebook
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in notebook_parameters(path) if f"`{name}`" not in readme]
    assert not missing, f"README does not document {path.name} parameters {missing}"
