"""Plain-language views of notebook 04 (a sentiment model on the organisation's own labels).

Markdown with numbers and paths only; no user text.
"""
from __future__ import annotations

from helpers.i18n import N_
from helpers.io import display_path
from helpers.sentiment.model import format_score
from helpers.sentiment.study import SentimentStudy

__all__ = ["training_markdown", "saved_markdown", "sample_markdown", "status_markdown"]


def training_markdown(study: SentimentStudy) -> str:
    """What training gave (Markdown, numbers only; no user text): labels, languages, CV macro-F1 — or why
    no model was trained."""
    if study.model is None:
        return N_("**No model trained:** {problem}").format(problem=study.problem)
    meta = study.model.metadata
    skipped = meta.get("languages_without_enough_labels") or {}
    gaps = ("" if not skipped else " " + N_("Languages with too few labels stay **not scored**: {languages}.").format(
        languages=", ".join(N_("{language} ({n} labels)").format(language=k, n=v) for k, v in skipped.items())))
    overall = meta["cv"]["overall"]
    return N_("Trained on **{n_labels} labels** ({source}); the model scores **{languages}**. Cross-validated "
              "macro-F1 {f1} (95 % CI {low}–{high}, n = {n}).").format(
        n_labels=meta["n_labels"], source=study.labels_source, languages=", ".join(study.model.languages),
        f1=format_score(overall["macro_f1"]), low=format_score(overall["macro_f1_ci_low"]),
        high=format_score(overall["macro_f1_ci_high"]), n=overall["n"]) + gaps


def saved_markdown(study: SentimentStudy) -> str:
    """Where the model was saved and how notebooks 01–03 use it (Markdown; "" before saving)."""
    if study.model is None or study.model_dir is None:
        return ""
    where = display_path(study.model_dir, relative_to="root")
    return N_("Saved to `{where}`: use `sentiment_backend=\"model:{where}\"` in notebooks 01–03.").format(where=where)


def sample_markdown(study: SentimentStudy) -> str:
    """Where the next labelling sample is and how to feed it back (Markdown; "" before exporting)."""
    if study.sample_path is None:
        return ""
    where = display_path(study.sample_path, relative_to="root")
    return N_("A fresh sample of **{n} messages to label** (stratified by language and channel; once a model "
              "exists, within each the messages it is least sure about, kept diverse; before that, a random draw; "
              "the model's guess is never shown; already labelled messages left out) is in `{where}`. Fill its "
              "`sentiment` column with negative, neutral or positive (leave a row empty to skip it), then import "
              "it with `python -m helpers sentiment import {where} DATA_DIR` — or set `labels_path` to the filled "
              "file — and re-run this notebook.").format(n=study.sample_size, where=where)


def status_markdown(study: SentimentStudy) -> str:
    """What happened and what to do next: :func:`training_markdown`, :func:`saved_markdown` and
    :func:`sample_markdown` in one Markdown text."""
    text = training_markdown(study)
    if saved_markdown(study):
        text += " " + saved_markdown(study)
    if sample_markdown(study):
        text += "\n\n" + sample_markdown(study)
    return text
