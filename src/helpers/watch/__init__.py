"""Early warning for schedulers: ``python -m helpers watch`` (notebook 03's detector on the latest window).

:mod:`~helpers.watch.window` (one check per brand and channel, episodes), :mod:`~helpers.watch.job` (load,
check, the raised-episode state, replay and its scoring), :mod:`~helpers.watch.output` (alert.json, alert.html),
:mod:`~helpers.watch.cli` (the command).
"""
from __future__ import annotations

from helpers.watch.window import Alert, Scope
from helpers.watch.cli import cli
from helpers.watch.job import AlertState, check, load, replay, score_replay

__all__ = ["Alert", "Scope", "AlertState", "check", "load", "replay", "score_replay", "cli"]
