"""Which scorer runs when nobody names one: ``sentiment_backend="auto"`` (the default everywhere).

The dataset's own model (``DATA_DIR/models/sentiment``, trained on the organisation's labels in notebook 04)
runs when it loads, carries a cross-validated score (it was validated) and reads the languages present; a
model that reads only some of them still runs when it reads more of the messages than the English lexicon
would. Otherwise TextBlob runs, which reads English only — every other language stays *not scored*. The
rule is DEVELOPERS.md's "Which scorer runs"; what was chosen and why goes into findings.json.

Above :mod:`helpers.sentiment.store` and :mod:`helpers.sentiment.backends`, below everything that annotates.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.io import display_path, workbook_root
from helpers.sentiment.backends import SENTIMENT_BACKENDS
from helpers.sentiment.store import MODEL_FILE, ModelError, default_model_dir, load_model

__all__ = ["AUTO", "LEXICON_FALLBACK", "MIN_LANGUAGE_SHARE", "BackendChoice", "choose_backend", "is_auto"]

AUTO = "auto"
"""The backend name that lets the workbook choose (see :func:`choose_backend`)."""

LEXICON_FALLBACK = "textblob"
"""What runs when the dataset has no usable model of its own (English only)."""

MIN_LANGUAGE_SHARE = 0.01
"""A language counts as *present* when it holds at least this share (0–1) of the messages with a language."""


@dataclass(frozen=True)
class BackendChoice:
    """The scorer chosen for a dataset, and why.

    ``backend`` is a concrete backend string (``"textblob"``, ``"vader"`` or ``"model:PATH"``); ``reason`` a
    code (``requested`` / ``model_covers`` / ``model_reads_more`` / ``model_reads_less`` / ``no_model`` /
    ``model_unusable`` / ``model_not_validated`` / ``no_data_dir``); ``explanation`` one plain English sentence;
    ``languages_present`` the languages counted (ISO 639-1, sorted) and ``languages_not_read`` those the chosen
    scorer leaves *not scored*.
    """

    requested: str
    backend: str
    reason: str
    explanation: str
    languages_present: tuple[str, ...] = ()
    languages_not_read: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The findings.json keys: ``sentiment_backend`` (what ran), ``sentiment_backend_requested``,
        ``sentiment_backend_choice`` (the reason code), ``sentiment_backend_reason`` (the sentence),
        ``sentiment_languages_present`` and ``sentiment_languages_not_read`` (lists)."""
        return {"sentiment_backend": self.backend, "sentiment_backend_requested": self.requested,
                "sentiment_backend_choice": self.reason, "sentiment_backend_reason": self.explanation,
                "sentiment_languages_present": list(self.languages_present),
                "sentiment_languages_not_read": list(self.languages_not_read)}


def is_auto(backend: Any) -> bool:
    """True when ``backend`` asks the workbook to choose (``"auto"``, any case and spacing)."""
    return isinstance(backend, str) and backend.strip().lower() == AUTO


def _language_counts(languages: Iterable[Any]) -> Counter:
    counts: Counter = Counter()
    for lang in languages:
        if isinstance(lang, str) and lang and lang != "und":
            counts[lang] += 1
    return counts


def _present(counts: Counter) -> tuple[str, ...]:
    total = sum(counts.values())
    return tuple(sorted(lang for lang, n in counts.items() if total and n / total >= MIN_LANGUAGE_SHARE))


def _inside_root(folder: Path) -> bool:
    try:
        Path(folder).resolve().relative_to(workbook_root().resolve())
        return True
    except (ValueError, OSError):
        return False


def _names(langs: Iterable[str]) -> str:
    return ", ".join(langs) or "none"


def choose_backend(requested: str, data_dir: str | os.PathLike | None, languages: Iterable[Any]) -> BackendChoice:
    """The scorer to run for ``requested`` on a dataset whose messages have ``languages``.

    Args:
        requested: a backend string; anything but ``"auto"`` is returned as it is (reason ``requested``).
        data_dir: the dataset folder; its model is ``DATA_DIR/models/sentiment``.
        languages: one ISO 639-1 code per message (detected), or the configured set when messages are not
            detected yet; ``"und"`` and empty values are ignored.

    The model wins when it loads, has a cross-validated macro-F1 in its metadata, and either reads every
    language present or reads at least as many of the messages as TextBlob (English) would. Never raises:
    an unreadable model falls back to TextBlob and says why.
    """
    counts = _language_counts(languages)
    present = _present(counts)
    if not is_auto(requested):
        name = str(requested).strip()
        known = SENTIMENT_BACKENDS.get(name.lower())
        not_read = tuple(lang for lang in present if known is not None and lang not in known)
        return BackendChoice(str(requested), name, "requested", f"{name} was named in the parameters.",
                             present, not_read)

    def lexicon(reason: str, why: str) -> BackendChoice:
        not_read = tuple(lang for lang in present if lang not in SENTIMENT_BACKENDS[LEXICON_FALLBACK])
        return BackendChoice(requested, LEXICON_FALLBACK, reason,
                             f"{why} TextBlob runs, which reads English only"
                             + (f" ({_names(not_read)} not scored)." if not_read else "."), present, not_read)

    if data_dir is None:
        return lexicon("no_data_dir", "No dataset folder was given, so there is no dataset model to look for.")
    folder = default_model_dir(data_dir)
    shown = display_path(folder, relative_to="root")
    if not (Path(folder) / MODEL_FILE).is_file():
        return lexicon("no_model", f"The dataset has no model of its own ({shown}; train one in notebook 04).")
    try:
        model = load_model(folder)
    except ModelError as exc:
        return lexicon("model_unusable", f"The dataset's model cannot be used ({exc}).")
    if model.cv_macro_f1 is None:
        return lexicon("model_not_validated", f"The dataset's model at {shown} has no cross-validated score, "
                                              "so it was never checked on the team's labels.")
    # inside the workbook the backend names the folder from the workbook root (as config files do), so
    # findings and pages never carry this machine's absolute paths; outside it, the path as it is
    backend = f"model:{display_path(folder, relative_to='root') if _inside_root(folder) else folder}"
    reads = set(model.languages)
    not_read = tuple(lang for lang in present if lang not in reads)
    if not not_read:
        return BackendChoice(requested, backend, "model_covers",
                             f"The dataset's own model ({shown}, cross-validated macro-F1 {model.cv_macro_f1:.2f}) "
                             f"reads every language present ({_names(present)}).", present, ())
    model_reads = sum(counts[lang] for lang in reads)
    lexicon_reads = sum(counts[lang] for lang in SENTIMENT_BACKENDS[LEXICON_FALLBACK])
    if model_reads >= lexicon_reads:
        return BackendChoice(requested, backend, "model_reads_more",
                             f"The dataset's own model ({shown}) reads {_names(sorted(reads & set(present)))} but "
                             f"not {_names(not_read)}; it still reads more of the messages than the English "
                             f"lexicon would ({_names(not_read)} not scored; label some in notebook 04).",
                             present, not_read)
    return lexicon("model_reads_less", f"The dataset's own model ({shown}) reads {_names(sorted(reads))} only, "
                                       "fewer of these messages than the English lexicon.")
