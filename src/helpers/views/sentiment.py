"""Plain-language views of notebook 04 (a sentiment model on the organisation's own labels).

Markdown with numbers and paths only; no user text.
"""
from __future__ import annotations

from helpers.io import display_path
from helpers.sentiment.model import format_score
from helpers.sentiment.study import SentimentStudy

__all__ = ["training_markdown", "saved_markdown", "sample_markdown", "status_markdown"]


def training_markdown(study: SentimentStudy) -> str:
    """What training gave (Markdown, numbers only; no user text): labels, languages, CV macro-F1 — or why
    no model was trained."""
    if study.model is None:
        return f"**No model trained:** {study.problem}"
    meta = study.model.metadata
    skipped = meta.get("languages_without_enough_labels") or {}
    gaps = ("" if not skipped else " Languages with too few labels stay **not scored**: "
            + ", ".join(f"{k} ({v} labels)" for k, v in skipped.items()) + ".")
    overall = meta["cv"]["overall"]
    return (f"Trained on **{meta['n_labels']} labels** ({study.labels_source}); the model scores "
            f"**{', '.join(study.model.languages)}**. Cross-validated macro-F1 {format_score(overall['macro_f1'])} "
            f"(95 % CI {format_score(overall['macro_f1_ci_low'])}–{format_score(overall['macro_f1_ci_high'])}, "
            f"n = {overall['n']}).{gaps}")


def saved_markdown(study: SentimentStudy) -> str:
    """Where the model was saved and how notebooks 01–03 use it (Markdown; "" before saving)."""
    if study.model is None or study.model_dir is None:
        return ""
    where = display_path(study.model_dir, relative_to="root")
    return f"Saved to `{where}`: use `sentiment_backend=\"model:{where}\"` in notebooks 01–03."


def sample_markdown(study: SentimentStudy) -> str:
    """Where the next labelling sample is and how to feed it back (Markdown; "" before exporting)."""
    if study.sample_path is None:
        return ""
    where = display_path(study.sample_path, relative_to="root")
    return (f"A fresh sample of **{study.sample_size} messages to label** (stratified by language, "
            f"channel and current score; already labelled messages left out) is in "
            f"`{where}`. Fill its `sentiment` column with negative, neutral "
            "or positive (leave a row empty to skip it), then import it with "
            f"`python -m helpers sentiment import {where} DATA_DIR` — or set "
            "`labels_path` to the filled file — and re-run this notebook.")


def status_markdown(study: SentimentStudy) -> str:
    """What happened and what to do next: :func:`training_markdown`, :func:`saved_markdown` and
    :func:`sample_markdown` in one Markdown text."""
    text = training_markdown(study)
    if saved_markdown(study):
        text += " " + saved_markdown(study)
    if sample_markdown(study):
        text += "\n\n" + sample_markdown(study)
    return text
