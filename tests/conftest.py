"""Shared fixtures: synthetic datasets built once per test session and handed to every test that needs one.

* ``shared_dataset`` — the session's one small multilingual organisation (seed 13, about 6,000 messages with
  400 gold sentiment labels and lexicon-hard English), written once; the audience, triage, sentiment and
  campaign unit tests read it.
* ``shared_audience`` — that dataset prepared once by :func:`helpers.audience.prepare` (languages detected,
  TextBlob sentiment, question flags).
* ``synthetic_folder`` / ``synthetic_generated`` — factories for the tests that need a dataset of their own
  (another seed, planted options): each distinct set of arguments is generated once per session.

The folders are shared: a test that writes into a dataset folder copies it first (``builders.copy_dataset``).
"""
from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from helpers import audience, synth

# CI runs the fuzzers on a fixed seed (a failure there reproduces); elsewhere each run explores new examples
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    hypothesis_settings.load_profile("ci")


#: the shared organisation: the default (multilingual, Asia/Baku) options of the generator
SHARED = {"seed": 13, "n_messages": 6000, "labels": 400, "lexicon_hard_share": 0.3}


def _key(kwargs: dict[str, Any]) -> str:
    return repr(sorted(kwargs.items()))


@pytest.fixture(scope="session")
def synthetic_folder(tmp_path_factory) -> Callable[..., tuple[Path, dict]]:
    """``synthetic_folder(**write_synthetic_kwargs) -> (folder, truth)``, written once per argument set.

    Treat the folder as read-only; use :func:`copy_dataset` before writing into it.
    """
    cache: dict[str, tuple[Path, dict]] = {}

    def make(**kwargs: Any) -> tuple[Path, dict]:
        key = _key(kwargs)
        if key not in cache:
            folder = tmp_path_factory.mktemp("synthetic") / "ds"
            cache[key] = (folder, synth.write_synthetic(folder, **kwargs))
        folder, truth = cache[key]
        return folder, copy.deepcopy(truth)

    return make


@pytest.fixture(scope="session")
def synthetic_generated() -> Callable[..., tuple[Any, dict]]:
    """``synthetic_generated(**generate_kwargs) -> (Dataset, truth)`` in memory, generated once per argument set;
    each call gets its own deep copy, so a test may change the frames."""
    cache: dict[str, tuple[Any, dict]] = {}

    def make(**kwargs: Any) -> tuple[Any, dict]:
        key = _key(kwargs)
        if key not in cache:
            cache[key] = synth.generate(**kwargs)
        return copy.deepcopy(cache[key])

    return make


@pytest.fixture(scope="session")
def shared_dataset(synthetic_folder) -> tuple[Path, dict]:
    """The session's shared organisation (see :data:`SHARED`): ``(folder, planted truth)``; read-only."""
    return synthetic_folder(**SHARED)


@pytest.fixture(scope="session")
def shared_audience(shared_dataset) -> audience.AudienceData:
    """The shared dataset prepared once for notebook 01's analyses (TextBlob, default languages)."""
    return audience.prepare(shared_dataset[0], progress=False)
