"""Plain-language views of notebook 04 (a sentiment model on the organisation's own labels).

Markdown with numbers and paths only; no user text.
"""
from __future__ import annotations

from helpers.i18n import N_
from helpers.io import display_path
from helpers.sentiment.choice import BackendChoice
from helpers.sentiment.model import format_score
from helpers.sentiment.study import SentimentStudy

__all__ = ["training_markdown", "saved_markdown", "sample_markdown", "status_markdown", "choice_markdown"]


def training_markdown(study: SentimentStudy) -> str:
    """What training gave (Markdown, numbers only; no user text): labels, languages, CV macro-F1 — or why
    no model was trained."""
    if study.model is None and study.dataset.messages.empty:
        return N_("**No model trained:** the selected brand and period hold no messages, so there is nothing "
                  "labelled to train on. Widen `start`/`end` or check `brand`.")
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
    text = N_("Saved to `{where}`. Saved in the dataset folder as `models/sentiment`, it is what notebooks 01–03 run "
              "by themselves (`sentiment_backend=\"auto\"`, when it reads the languages present); a model saved "
              "anywhere else is named: `sentiment_backend=\"model:{where}\"`.").format(where=where)
    if study.model.replaced is not None:
        text += " " + N_("The model it replaced is kept in `{previous}`; to go back, move that folder to "
                         "`{where}`.").format(previous=display_path(study.model.replaced, relative_to="root"),
                                              where=where)
    return text


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


_CHOICE_TEXTS = {
    "model_covers": N_("Sentiment scorer: **the dataset's own model** (`{where}`, trained on the team's labels), "
                       "chosen by `sentiment_backend=\"auto\"`: it reads every language present ({present})."),
    "model_reads_more": N_("Sentiment scorer: **the dataset's own model** (`{where}`), chosen by "
                           "`sentiment_backend=\"auto\"`: it reads more of these messages than the English lexicon, "
                           "but not **{not_read}**, which stay not scored. Label some of them in notebook 04."),
    "no_model": N_("Sentiment scorer: **TextBlob**, which reads English only, because the dataset has no model of its "
                   "own yet: **{not_read}** stay not scored. Train one on the team's labels in notebook 04 and "
                   "`sentiment_backend=\"auto\"` will use it."),
    "model_reads_less": N_("Sentiment scorer: **TextBlob** (English only): the dataset's model (`{where}`) reads fewer "
                           "of these messages than it. **{not_read}** stay not scored."),
    "model_not_validated": N_("Sentiment scorer: **TextBlob** (English only): the dataset's model (`{where}`) has no "
                              "cross-validated score, so it was never checked; retrain it in notebook 04. "
                              "**{not_read}** stay not scored."),
    "model_unusable": N_("Sentiment scorer: **TextBlob** (English only): the dataset's model (`{where}`) cannot be "
                         "loaded; retrain it in notebook 04. **{not_read}** stay not scored."),
    "no_data_dir": N_("Sentiment scorer: **TextBlob** (English only); **{not_read}** stay not scored."),
    "requested": N_("Sentiment scorer: **{backend}**, as named in the parameters; **{not_read}** stay not scored."),
}


def choice_markdown(choice: BackendChoice) -> str:
    """Which sentiment scorer ran and why, in one sentence (Markdown; paths and language codes only)."""
    backend = choice.backend
    where = display_path(backend[len("model:"):], relative_to="root") if backend.startswith("model:") else ""
    key = choice.reason if choice.reason in _CHOICE_TEXTS else "requested"
    if key == "requested" and not choice.languages_not_read:
        return N_("Sentiment scorer: **{backend}**, as named in the parameters.").format(backend=where or backend)
    if key == "no_data_dir" and not choice.languages_not_read:
        return N_("Sentiment scorer: **TextBlob** (English only).")
    if key in ("model_reads_less", "model_not_validated", "model_unusable", "no_model") and not choice.languages_not_read:
        key = {"no_model": "no_model_all_read"}.get(key, key)
    if key == "no_model_all_read":
        return N_("Sentiment scorer: **TextBlob**, which reads English only — every language present here. Train a "
                  "model on the team's labels in notebook 04 to check it on this audience.")
    not_read = ", ".join(choice.languages_not_read) or "—"
    return _CHOICE_TEXTS[key].format(where=where or "models/sentiment", present=", ".join(choice.languages_present),
                                     not_read=not_read, backend=where or backend)
