"""The one sentence every sentiment figure carries when the scorer read too little to trust it.

A figure is *reliable* when the scorer read at least :data:`helpers.metrics.MIN_RELIABLE_COVERAGE` of the
messages it is computed from (DEVELOPERS.md, "Reliable"); the views append :func:`note` to its summary and
draw no lesson from it.
"""
from __future__ import annotations

from helpers import metrics
from helpers.formatting import pct
from helpers.i18n import N_

__all__ = ["unreliable", "note"]


def unreliable(coverage: float | None) -> bool:
    """True when ``coverage`` (0–1) is known and below :data:`helpers.metrics.MIN_RELIABLE_COVERAGE`."""
    return metrics.is_reliable(coverage) is False


def note(coverage: float | None) -> str:
    """" **Not measured reliably:** …" (with a leading space) for an unreliable coverage, else ""."""
    if not unreliable(coverage):
        return ""
    return " " + N_("**Not measured reliably:** the sentiment scorer read only {share} of the member messages this "
                    "number is computed from (at least {minimum} are needed); it describes only that part of the "
                    "audience.").format(share=pct(coverage, 0), minimum=pct(metrics.MIN_RELIABLE_COVERAGE, 0))
