"""Fixtures of the notebook tests: the dataset shapes real exports have, written once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

import builders
from helpers.io import load_dataset, write_dataset

#: the organisation the shapes are cut from: small (each papermill run ≈ 10–20 s), three months (a crisis needs a
#: 14-day baseline), with gold labels for notebook 04; seed 21 plants a crisis that survives the cuts
SHAPES_BASE = {"seed": 21, "n_messages": 1500, "months": 3, "labels": 150}


@pytest.fixture(scope="session")
def shape_folders(synthetic_folder, tmp_path_factory) -> dict[str, Path]:
    """``{shape name: dataset folder}`` for every shape in :data:`builders.SHAPES`, plus ``"full"`` (the
    uncut base). Read-only; each folder is written once per session."""
    base, _ = synthetic_folder(**SHAPES_BASE)
    ds = load_dataset(base)
    root = tmp_path_factory.mktemp("shapes")
    folders = {"full": base}
    for name, shape in builders.SHAPES.items():
        folders[name] = write_dataset(shape(ds), root / name)
    return folders
