"""A sentiment scorer trained on the organisation's own labels, in any language — and an honest check of it.

The loop (notebooks/04_sentiment_model.ipynb, or ``python -m helpers sentiment …``):

1. :func:`labelling_sample` / :func:`export_labelling_sample` — a sample of member messages stratified by
   language and channel, chosen by the current model's uncertainty with diversity once a model exists
   (stratified random before), written as CSV or XLSX with an empty ``sentiment`` column and the context a
   person needs (the text and the message it answers) — never the model's guess.
2. A person fills ``sentiment`` (negative / neutral / positive; common spellings, ``-1/0/1``, 1–5 stars and
   Russian or Azerbaijani words are accepted; not-relevant marks are dropped and counted). :func:`import_labels` validates the file (XLSX, CSV in UTF-8 or cp1251)
   and merges it into the dataset's ``labels`` table. The filled file is only read.
3. :func:`train` fits word + character n-gram TF-IDF and a logistic regression (scikit-learn, offline, a few
   seconds) on the labels and cross-validates it: macro-F1 and per-class F1 per language with bootstrap
   95 % CIs, next to TextBlob and VADER on the same labelled messages (:func:`compare_scorers`), a learning
   curve (:func:`learning_curve`) and a confusion matrix (:func:`confusion_matrix`).
4. :func:`save_model` writes ``MODEL_DIR/model.joblib`` and ``MODEL_DIR/metadata.json`` (message ids of the
   labels used, languages, CV scores, date, package versions). Saved as ``DATA_DIR/models/sentiment``, it runs
   by itself in notebooks 01–03 (``sentiment_backend="auto"``, :func:`choose_backend`); any other folder is
   named with ``sentiment_backend="model:MODEL_DIR"`` (see :func:`helpers.sentiment.score_sentiment`).

A model only scores languages it had labels for (at least ``min_labels_per_language``); messages in other
languages stay *not scored*, never neutral. Models are pickles: load only models you trained yourself.

Modules, bottom first (each imports only those above it):

* :mod:`~helpers.sentiment.store` — :class:`SentimentModel`, save / load / resolve a model folder;
* :mod:`~helpers.sentiment.vectorise` — a saved pipeline's features with char n-grams counted once per word (same numbers, faster);
* :mod:`~helpers.sentiment.backends` — :func:`score_sentiment`: TextBlob, VADER and ``model:PATH``;
* :mod:`~helpers.sentiment.choice` — :func:`choose_backend`: what ``sentiment_backend="auto"`` (the default) runs;
* :mod:`~helpers.sentiment.features` — text preparation for real social text (emoji, negation, links …);
* :mod:`~helpers.sentiment.selection` — which messages to label next (stratified random, model uncertainty);
* :mod:`~helpers.sentiment.labels` — the labelling sample, label files, the labels table;
* :mod:`~helpers.sentiment.corpora` — the real labelled tweets of ``../shared/data`` (tuning and checks);
* :mod:`~helpers.sentiment.scoring` — :func:`score_dataset`, :func:`scorer_info` (for findings.json);
* :mod:`~helpers.sentiment.model` — the pipeline, training, cross-validation and the honest comparison;
* :mod:`~helpers.sentiment.curves` — learning curves of random vs model-chosen labels (benchmarks, notebook 04);
* :mod:`~helpers.sentiment.study` — the labelling loop of notebook 04, step by step;
* :mod:`~helpers.sentiment.cli` — ``python -m helpers sentiment {train,score,export,import}``.

The charts of notebook 04 are in :mod:`helpers.plots.sentiment`.
"""
from __future__ import annotations

from helpers.sentiment.backends import SENTIMENT_BACKENDS, score_sentiment
from helpers.sentiment.choice import AUTO, BackendChoice, choose_backend, is_auto
from helpers.sentiment.cli import cli
from helpers.sentiment.corpora import load_corpora, read_apple_tweets, read_sentirueval, shared_data_dir
from helpers.sentiment.curves import (label_strategy_lines, label_strategy_results, label_strategy_table,
                                      read_label_curves, strategy_curves, summarise_curves)
from helpers.sentiment.features import fold_azerbaijani, lexicon_features, prepare_chars, prepare_words
from helpers.sentiment.labels import (
    LabelError,
    allocate,
    current_model,
    dataset_languages,
    export_labelling_sample,
    import_labels,
    labelled_messages,
    labelling_sample,
    message_languages,
    read_label_file,
    write_labels,
)
from helpers.sentiment.model import (
    build_pipeline,
    compare_scorers,
    confusion_matrix,
    cross_validate,
    format_score,
    learning_curve,
    prepare_text,
    score_report,
    train,
)
from helpers.sentiment.model import prepare_text as _prepare_text  # noqa: F401 — models saved before the split pickled helpers.sentiment._prepare_text
from helpers.sentiment.scoring import score_dataset, scorer_info
from helpers.sentiment.selection import (choose_by_model, class_weights, informativeness, pick_uncertain_diverse,
                                         select_sample, uncertainty)
from helpers.sentiment.store import (
    DEFAULT_MODEL_NAME,
    FORMAT_VERSION,
    METADATA_FILE,
    MODEL_FILE,
    NOT_SCORED,
    SENTIMENTS,
    PREVIOUS_DIR,
    ModelError,
    SentimentModel,
    archive_model,
    default_model_dir,
    load_model,
    one_thread,
    previous_models,
    resolve_model_path,
    save_model,
)
from helpers.sentiment.study import SentimentStudy, cv_summary_lines, load_study, run_study

__all__ = [
    "SENTIMENT_BACKENDS", "score_sentiment", "AUTO", "BackendChoice", "choose_backend", "is_auto", "FORMAT_VERSION", "SENTIMENTS", "NOT_SCORED", "MODEL_FILE",
    "METADATA_FILE", "DEFAULT_MODEL_NAME", "LabelError", "ModelError", "SentimentModel",
    "message_languages", "dataset_languages", "labelled_messages", "allocate", "labelling_sample",
    "export_labelling_sample", "read_label_file", "import_labels", "write_labels", "prepare_text", "build_pipeline",
    "one_thread", "train", "cross_validate", "score_report", "format_score", "compare_scorers", "learning_curve",
    "confusion_matrix", "save_model", "archive_model", "previous_models", "PREVIOUS_DIR", "load_model", "default_model_dir", "resolve_model_path",
    "scorer_info", "score_dataset", "cli", "SentimentStudy", "load_study", "run_study", "cv_summary_lines",
    "current_model", "prepare_words", "prepare_chars", "fold_azerbaijani", "lexicon_features", "uncertainty",
    "pick_uncertain_diverse", "class_weights", "informativeness", "choose_by_model", "select_sample", "load_corpora",
    "read_apple_tweets", "read_sentirueval", "shared_data_dir", "strategy_curves", "summarise_curves",
    "read_label_curves", "label_strategy_table", "label_strategy_lines", "label_strategy_results",
]
