"""The labelling loop of notebooks/04_sentiment_model.ipynb, one step per call.

:func:`load_study` reads the dataset (cut to a brand and period) and the labels; then the steps of
:class:`SentimentStudy` each call one function of :mod:`helpers.sentiment` and keep its result:
:meth:`~SentimentStudy.train` (train + cross-validate), :meth:`~SentimentStudy.compare_scorers`,
:meth:`~SentimentStudy.learning_curve`, :meth:`~SentimentStudy.confusion_matrix`,
:meth:`~SentimentStudy.save_model` and :meth:`~SentimentStudy.export_sample`. :func:`run_study` runs
them all at once. Missing or too few labels never raise: the study carries ``problem``, every table is
empty and the next labelling sample is still exported.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.i18n import N_
from helpers.io import Dataset, display_path, filter_period, load_dataset, resolve_path
from helpers.sentiment.labels import (LabelError, export_labelling_sample, labelled_messages, labelling_sample,
                                      read_label_file)
from helpers.sentiment.model import compare_scorers, confusion_matrix, format_score, learning_curve, train
from helpers.sentiment.store import SENTIMENTS, SentimentModel, default_model_dir, save_model

__all__ = ["SentimentStudy", "load_study", "run_study", "cv_summary_lines"]


@dataclass
class SentimentStudy:
    """Everything notebook 04 shows: labels, the trained model and its honest validation.

    ``model`` is None when there were no (or too few) labels; ``problem`` then says why and every table
    is empty, so the notebook still runs and ends with the labelling sample to fill. The step methods
    (``train``, ``compare_scorers`` …) call the :mod:`helpers.sentiment` function of the same name and
    store its result here; after a failed training they do nothing (except :meth:`export_sample`).
    """

    dataset: Dataset
    labels_source: str
    labelled: pd.DataFrame | None = None
    model: SentimentModel | None = None
    model_dir: Path | None = None
    comparison: pd.DataFrame | None = None
    curve: pd.DataFrame | None = None
    confusion: pd.DataFrame | None = None
    problem: str | None = None
    sample_path: Path | None = None
    sample_size: int = 0
    labels: pd.DataFrame | None = None
    """The labels used (message_id, sentiment), cut to the dataset's brand and period."""
    languages: Sequence[str] | None = None
    """Languages the detector chooses from (None: dataset.json's, else ru/az/en)."""
    labels_from_file: bool = False
    """True when the labels came from a filled labelling file rather than the dataset's labels table."""
    sample_selection: dict[str, int] | None = None
    """How the exported sample was chosen: messages per selection ("uncertainty + diversity", "stratified random")."""

    # --- steps ---------------------------------------------------------------------------------------

    def train(self, *, max_labels: int | None = None, seed: int = 0, n_boot: int = 1000) -> SentimentModel | None:
        """Train and cross-validate (:func:`helpers.sentiment.train`); None, with ``problem`` set, when the
        labels are missing or too few. ``labelled`` then holds the labels without predictions."""
        try:
            model, lab = train(self.dataset, self.labels, max_labels=max_labels, seed=seed,
                               languages=self.languages, n_boot=n_boot)
        except LabelError as exc:
            self.problem = str(exc)
            if self.labels is not None and len(self.labels):
                self.labelled = labelled_messages(self.dataset, self.labels, self.languages).assign(cv_prediction=None)
            return None
        self.model, self.labelled, self.problem = model, lab, None
        return model

    def compare_scorers(self, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame | None:
        """The model's cross-validated scores next to TextBlob's and VADER's (:func:`helpers.sentiment.compare_scorers`)
        on the languages the model scores, so "all" matches the CV overall score."""
        if self.model is None or self.labelled is None:
            return None
        in_scope = self.labelled[self.labelled["language"].isin(self.model.languages)]
        self.comparison = compare_scorers(in_scope, n_boot=n_boot, seed=seed, model_languages=self.model.languages)
        return self.comparison

    def learning_curve(self, *, seed: int = 0) -> pd.DataFrame | None:
        """Cross-validated macro-F1 by training size (:func:`helpers.sentiment.learning_curve`)."""
        if self.model is None or self.labelled is None:
            return None
        self.curve = learning_curve(self.labelled, seed=seed)
        return self.curve

    def confusion_matrix(self) -> pd.DataFrame | None:
        """Gold × cross-validated prediction counts (:func:`helpers.sentiment.confusion_matrix`)."""
        if self.model is None or self.labelled is None:
            return None
        self.confusion = confusion_matrix(self.labelled["sentiment"], self.labelled["cv_prediction"])
        return self.confusion

    def save_model(self, model_dir: str | os.PathLike | None = None) -> Path | None:
        """Save the model (:func:`helpers.sentiment.save_model`) to ``model_dir``, default
        ``DATA_DIR/models/sentiment``; returns the folder (None when there is no model)."""
        if self.model is None:
            return None
        target = model_dir if model_dir is not None else default_model_dir(self.dataset.path)
        self.model_dir = save_model(self.model, target)
        return self.model_dir

    def export_sample(self, path: str | os.PathLike, *, n: int = 300, seed: int = 0) -> Path | None:
        """Export the next ``n`` messages to label (:func:`helpers.sentiment.labelling_sample`: stratified by
        language × channel, chosen by the model just trained when there is one — else by the dataset's saved
        model, else stratified random —, already labelled ones left out) to ``path`` (.xlsx or .csv); None
        when ``n`` is 0."""
        if n <= 0:
            return None
        ds = self.dataset
        if self.labels_from_file:  # leave out the file's labels, not the labels table's
            ds = Dataset(ds.messages, ds.campaigns, ds.incidents, ds.audience, self.labels, ds.meta, ds.path)
        sample = labelling_sample(ds, n=n, seed=seed, languages=self.languages, model=self.model)
        self.sample_path = export_labelling_sample(sample, path)
        self.sample_size = len(sample)
        self.sample_selection = {str(k): int(v) for k, v in sample["selection"].value_counts().items()}
        return self.sample_path

    # --- tables --------------------------------------------------------------------------------------

    def label_table(self) -> pd.DataFrame:
        """Labels per language × sentiment (counts) with a total column."""
        if self.labelled is None or self.labelled.empty:
            return pd.DataFrame(columns=[*SENTIMENTS, "total"])
        table = pd.crosstab(self.labelled["language"], self.labelled["sentiment"]).reindex(
            columns=list(SENTIMENTS), fill_value=0)
        table["total"] = table.sum(axis=1)
        table.columns.name = None
        return table.astype("int64")

    def cv_table(self) -> pd.DataFrame:
        """Cross-validated macro-F1 and per-class F1 with 95 % CIs, per language the model scores + all."""
        if self.model is None:
            return pd.DataFrame(columns=["language", "n", "macro_f1", "ci_low", "ci_high", "f1_negative",
                                         "f1_neutral", "f1_positive"])
        cv = self.model.metadata["cv"]
        rows = []
        for code, rep in [("all", cv["overall"])] + list(cv["by_language"].items()):
            rows.append({"language": code, "n": int(rep["n"]), "macro_f1": rep["macro_f1"],
                         "ci_low": rep["macro_f1_ci_low"], "ci_high": rep["macro_f1_ci_high"],
                         **{f"f1_{c}": rep[f"f1_{c}"] for c in SENTIMENTS},
                         **{f"f1_{c}_ci": f"{format_score(rep[f'f1_{c}_ci_low'])}–{format_score(rep[f'f1_{c}_ci_high'])}"
                            for c in SENTIMENTS}})
        return pd.DataFrame(rows).set_index("language")

    def comparison_table(self) -> pd.DataFrame:
        """:func:`compare_scorers` per language × scorer, macro-F1 (0–1) with its 95 % CI and coverage."""
        cols = ["language", "scorer", "n", "coverage", "macro_f1", "ci_low", "ci_high", "f1_negative", "f1_neutral",
                "f1_positive"]
        if self.comparison is None:
            return pd.DataFrame(columns=cols).set_index(["language", "scorer"])
        return self.comparison[cols].set_index(["language", "scorer"])

    def curve_table(self) -> pd.DataFrame:
        """The learning curve: n_labels, macro_f1 (0–1, mean over folds), sd, folds."""
        return self.curve if self.curve is not None else pd.DataFrame(columns=["n_labels", "macro_f1", "sd", "folds"])

    def confusion_table(self) -> pd.DataFrame:
        """Gold × predicted counts of the cross-validated predictions."""
        return self.confusion if self.confusion is not None else pd.DataFrame(
            0, index=pd.Index(list(SENTIMENTS), name="gold"), columns=pd.Index(list(SENTIMENTS), name="predicted"))

    # --- findings (prose is in helpers.views.sentiment) -----------------------------------------------

    def findings(self) -> dict[str, Any]:
        """Flat findings keys (macro-F1 0–1 with CIs and n, per language, next to TextBlob/VADER)."""
        out: dict[str, Any] = {"sentiment_labels": 0 if self.labelled is None else int(len(self.labelled)),
                               "sentiment_model_trained": self.model is not None}
        if self.model is None:
            return out
        cv = self.model.metadata["cv"]
        rep = cv["overall"]
        out.update({"model_cv_macro_f1": rep["macro_f1"], "model_cv_macro_f1_ci_low": rep["macro_f1_ci_low"],
                    "model_cv_macro_f1_ci_high": rep["macro_f1_ci_high"], "model_cv_macro_f1_n": rep["n"],
                    "model_languages": list(self.model.languages),
                    "model_dir": display_path(self.model_dir, relative_to='root') if self.model_dir else None})
        if self.comparison is not None:
            for _, row in self.comparison.iterrows():
                name = "model_cv" if row["scorer"].startswith("model") else row["scorer"]
                out[f"{name}_macro_f1_{row['language']}"] = row["macro_f1"]
        return out


def load_study(data_dir: str | os.PathLike, *, brand: str | None = None, start: str | None = None,
               end: str | None = None, labels_path: str | os.PathLike | None = None,
               languages: Sequence[str] | None = None) -> SentimentStudy:
    """Read the dataset and its labels: the first step of the labelling loop.

    ``labels_path`` (a filled .xlsx/.csv) is used instead of the dataset's labels table, without writing
    to the dataset. ``brand``/``start``/``end`` restrict the messages (labels of other messages are
    ignored). Labels naming messages the dataset does not have at all raise LabelError.
    """
    full = load_dataset(data_dir)
    ds = filter_period(full, brand=brand, start=start, end=end)
    ds.path, ds.meta = full.path, full.meta
    source = N_("the dataset's labels table")
    labels = ds.labels
    if labels_path is not None:
        labels = read_label_file(labels_path)
        source = display_path(resolve_path(labels_path))
    if labels is not None:
        unknown = ~labels["message_id"].isin(full.messages["message_id"])
        if unknown.any():
            ids = labels.loc[unknown, "message_id"].tolist()
            raise LabelError(f"{source}: column 'message_id': {len(ids)} id(s) are not messages of "
                             f"{display_path(full.path, relative_to='root')} (e.g. {', '.join(map(repr, ids[:5]))})")
        labels = labels[labels["message_id"].isin(ds.messages["message_id"])]  # brand/period cut
    return SentimentStudy(dataset=ds, labels_source=source, labels=labels, languages=languages,
                          labels_from_file=labels_path is not None)


def run_study(data_dir: str | os.PathLike, *, brand: str | None = None, start: str | None = None,
              end: str | None = None, labels_path: str | os.PathLike | None = None,
              model_dir: str | os.PathLike | None = None, max_labels: int | None = None, seed: int = 0,
              sample_size: int = 300, sample_path: str | os.PathLike | None = None,
              languages: Sequence[str] | None = None, n_boot: int = 1000) -> SentimentStudy:
    """Run the labelling loop once: read labels, train + validate + save a model, export the next sample.

    The steps of :func:`load_study` and :class:`SentimentStudy` in order. ``model_dir`` defaults to
    ``DATA_DIR/models/sentiment``; the sample is exported only when ``sample_path`` is given. Never raises
    for missing or too few labels: the study then carries ``problem`` and still exports the sample.
    """
    study = load_study(data_dir, brand=brand, start=start, end=end, labels_path=labels_path, languages=languages)
    if study.train(max_labels=max_labels, seed=seed, n_boot=n_boot) is not None:
        study.save_model(model_dir)
        study.compare_scorers(n_boot=n_boot, seed=seed)
        study.learning_curve(seed=seed)
        study.confusion_matrix()
    if sample_path is not None:
        study.export_sample(sample_path, n=sample_size, seed=seed)
    return study


def cv_summary_lines(model: SentimentModel) -> list[str]:
    """Plain-text lines with the cross-validated scores, 0–1 (what the CLI prints)."""
    cv = model.metadata.get("cv", {})
    lines = []
    for code, rep in [("all", cv.get("overall", {}))] + list(cv.get("by_language", {}).items()):
        lines.append(f"{code:>4}: macro-F1 {format_score(rep.get('macro_f1'))} "
                     f"(95 % CI {format_score(rep.get('macro_f1_ci_low'))}–"
                     f"{format_score(rep.get('macro_f1_ci_high'))}, n = {rep.get('n', 0)}); F1 negative "
                     f"{format_score(rep.get('f1_negative'))}, neutral {format_score(rep.get('f1_neutral'))}, positive "
                     f"{format_score(rep.get('f1_positive'))}")
    skipped = model.metadata.get("languages_without_enough_labels") or {}
    if skipped:
        lines.append("not scored by the model (too few labels): "
                     + ", ".join(f"{k} ({v} labels)" for k, v in skipped.items()))
    return lines
