"""Community Workbook helpers: every function the notebooks call.

``import helpers`` gives the everyday names at the top, loaded on first use so that the command line and
``import helpers`` stay fast (PEP 562 lazy attributes; nothing here dodges an import cycle)::

    import helpers
    ds = helpers.load_dataset("data/sample")                # a canonical dataset folder
    data = helpers.prepare_audience("data/sample", start="2025-01-01", end="2025-03-31")
    helpers.metrics.responsiveness(helpers.metrics.first_responses(data.messages), data.timezone)

The rooms (see ARCHITECTURE.md):

* data in and out — :mod:`helpers.io` (datasets, schema, importer), :mod:`helpers.stats`;
* text — :mod:`helpers.text` (normalising, languages, questions, clusters, trends) and :mod:`helpers.sentiment`
  (scorers, labels, trained models);
* analyses — :mod:`helpers.annotate`, :mod:`helpers.metrics`, :mod:`helpers.audience`,
  :mod:`helpers.campaigns`, :mod:`helpers.crisis`, :mod:`helpers.triage`;
* presentation — :mod:`helpers.plots` (charts), :mod:`helpers.views` (Markdown and readable tables);
* publishing and running — :mod:`helpers.publish` (findings, pages, playbooks), :mod:`helpers.run`;
* synthetic data — :mod:`helpers.synth`.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_ROOMS = ("io", "stats", "text", "sentiment", "annotate", "metrics", "audience", "campaigns", "crisis", "triage",
          "plots", "views", "publish", "run", "synth", "formatting", "watch")

_NAMES: dict[str, tuple[str, str]] = {
    # data in and out
    "Dataset": ("helpers.io", "Dataset"),
    "DatasetError": ("helpers.io", "DatasetError"),
    "load_dataset": ("helpers.io", "load_dataset"),
    "write_dataset": ("helpers.io", "write_dataset"),
    "filter_period": ("helpers.io", "filter_period"),
    "import_export": ("helpers.io", "import_export"),
    # text and sentiment
    "detect_languages": ("helpers.text", "detect_languages"),
    "is_question": ("helpers.text", "is_question"),
    "tokenize": ("helpers.text", "tokenize"),
    "score_sentiment": ("helpers.sentiment", "score_sentiment"),
    # analyses: the entry points of notebooks 01–04
    "load_period": ("helpers.annotate", "load_period"),
    "annotate": ("helpers.annotate", "annotate"),
    "prepare_audience": ("helpers.audience", "prepare"),
    "prepare_campaigns": ("helpers.campaigns", "prepare"),
    "prepare_crisis": ("helpers.crisis", "prepare"),
    "train_sentiment_model": ("helpers.sentiment", "train"),
    # recording and publishing
    "Findings": ("helpers.publish", "Findings"),
    "checked_parameters": ("helpers.run.parameters", "checked_parameters"),
    "ParameterError": ("helpers.run.parameters", "ParameterError"),
    # synthetic data
    "generate": ("helpers.synth", "generate"),
    "SynthOptions": ("helpers.synth", "SynthOptions"),
}

__all__ = ["__version__", *_ROOMS, *_NAMES]


def __getattr__(name: str) -> Any:
    """Load a room (``helpers.plots``) or an everyday name (``helpers.load_dataset``) on first use."""
    if name in _ROOMS:
        return importlib.import_module(f"helpers.{name}")
    if name in _NAMES:
        module, attr = _NAMES[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
