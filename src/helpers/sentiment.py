"""A sentiment scorer trained on the organisation's own labels, in any language — and an honest check of it.

The loop (notebooks/04_sentiment_model.ipynb, or ``python -m helpers sentiment …``):

1. :func:`labelling_sample` / :func:`export_labelling_sample` — a sample of member messages stratified by
   language, channel and current score, written as CSV or XLSX with an empty ``sentiment`` column and the
   context a person needs (the text and the message it answers).
2. A person fills ``sentiment`` (negative / neutral / positive; common spellings, ``-1/0/1`` and Russian or
   Azerbaijani words are accepted). :func:`import_labels` validates the file (XLSX, CSV in UTF-8 or cp1251)
   and merges it into the dataset's ``labels`` table. The filled file is only read.
3. :func:`train` fits word + character n-gram TF-IDF and a logistic regression (scikit-learn, offline, a few
   seconds) on the labels and cross-validates it: macro-F1 and per-class F1 per language with bootstrap
   95 % CIs, next to TextBlob and VADER on the same labelled messages (:func:`compare_scorers`), a learning
   curve (:func:`learning_curve`) and a confusion matrix (:func:`confusion_matrix`).
4. :func:`save_model` writes ``MODEL_DIR/model.joblib`` and ``MODEL_DIR/metadata.json`` (message ids of the
   labels used, languages, CV scores, date, package versions). Notebooks take
   ``sentiment_backend="model:MODEL_DIR"`` (see :func:`helpers.text.score_sentiment`).

A model only scores languages it had labels for (at least ``min_labels_per_language``); messages in other
languages stay *not scored*, never neutral. Models are pickles: load only models you trained yourself.
"""
from __future__ import annotations

import argparse
import csv
import warnings
import datetime as dt
import functools
import io as _io
import json
import math
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import text as T
from helpers.io import (Dataset, atomic_write, atomic_write_text, load_dataset, normalise_sentiment, resolve_path,
                        spreadsheet_safe)
from helpers.schema import display_path

__all__ = [
    "FORMAT_VERSION", "SENTIMENTS", "NOT_SCORED", "LabelError", "ModelError", "SentimentModel",
    "message_languages", "labelled_messages", "labelling_sample", "export_labelling_sample", "read_label_file",
    "import_labels", "write_labels", "build_pipeline", "train", "cross_validate", "score_report",
    "compare_scorers", "learning_curve", "confusion_matrix", "save_model", "load_model", "default_model_dir",
    "resolve_model_path", "scorer_info", "score_dataset", "cli", "SentimentStudy", "run_study",
    "plot_comparison", "plot_learning_curve", "plot_confusion", "cv_summary_lines",
]

FORMAT_VERSION = 1
"""Version of the saved-model layout (``metadata.json`` + ``model.joblib``); :func:`load_model` refuses others."""
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
NOT_SCORED = "not scored"
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
DEFAULT_MODEL_NAME = "sentiment"


class LabelError(ValueError):
    """A labels file or table that cannot be used (the message names file, column and rows)."""


class ModelError(ValueError):
    """A model folder that cannot be used (missing, unknown format version, unreadable)."""


# --------------------------------------------------------------------------------------------------
# Messages, languages, labels
# --------------------------------------------------------------------------------------------------


def message_languages(messages: pd.DataFrame, languages: Sequence[str] | None = None,
                      progress: bool = False) -> pd.Series:
    """Language code per message (the export's ``language`` when given, else detected among ``languages``).

    Returns a str Series on ``messages.index``; "und" when undetermined.
    """
    if messages.empty:
        return pd.Series([], index=messages.index, dtype="str", name="language")
    langs = list(languages or T.DEFAULT_LANGUAGES)
    known = messages["language"].tolist() if "language" in messages else None
    out = T.detect_languages(messages["text"].tolist(), languages=langs, known=known, progress=progress)
    return pd.Series(out.to_numpy(), index=messages.index, dtype="str", name="language")


def _dataset_languages(ds: Dataset, languages: Sequence[str] | None) -> list[str]:
    if languages:
        return [str(x) for x in languages]
    meta = ds.meta.get("languages")
    return [str(x) for x in meta] if isinstance(meta, list) and meta else list(T.DEFAULT_LANGUAGES)


def labelled_messages(ds: Dataset, labels: pd.DataFrame | None = None,
                      languages: Sequence[str] | None = None) -> pd.DataFrame:
    """The labelled messages: message_id, text, language, channel, created_at, sentiment (gold label).

    ``labels`` defaults to the dataset's ``labels`` table; LabelError when there is none or it is empty.
    Labels whose message is not in the dataset raise LabelError naming them.
    """
    table = ds.labels if labels is None else labels
    where = _shown(ds.path / "labels.csv") if ds.path else "labels table"
    if table is None or len(table) == 0:
        raise LabelError(f"{where}: the dataset has no labels yet. Export a sample to label "
                         "(python -m helpers sentiment export DATA_DIR --out to_label.xlsx), fill its sentiment "
                         "column and import it (python -m helpers sentiment import FILE DATA_DIR)")
    lab = table[["message_id", "sentiment"]].dropna().astype({"message_id": "string", "sentiment": "string"})
    lab = lab.drop_duplicates("message_id", keep="last")
    bad = lab[~lab["sentiment"].isin(SENTIMENTS)]
    if len(bad):
        raise LabelError(f"{where}: column 'sentiment' has values other than {', '.join(SENTIMENTS)}: "
                         f"{', '.join(repr(v) for v in bad['sentiment'].unique()[:5])}")
    msgs = ds.messages
    merged = lab.merge(msgs[["message_id", "text", "channel", "created_at"] +
                            (["language"] if "language" in msgs else [])], on="message_id", how="left")
    missing = merged["text"].isna() & ~merged["message_id"].isin(msgs["message_id"])
    if missing.any():
        ids = merged.loc[missing, "message_id"].tolist()
        raise LabelError(f"{where}: {len(ids)} label(s) name messages that are not in the dataset "
                         f"(e.g. {', '.join(map(repr, ids[:5]))})")
    merged["language"] = message_languages(merged, _dataset_languages(ds, languages)).to_numpy()
    cols = ["message_id", "text", "language", "channel", "created_at", "sentiment"]
    return merged[cols].reset_index(drop=True)


def _allocate(sizes: Mapping[Any, int], n: int) -> dict[Any, int]:
    """Proportional allocation of ``n`` draws over strata (at least one per non-empty stratum when n allows;
    largest remainders; never more than a stratum holds)."""
    total = sum(sizes.values())
    if total == 0 or n <= 0:
        return {k: 0 for k in sizes}
    if n >= total:
        return dict(sizes)
    keys = sorted(sizes, key=lambda k: (-sizes[k], str(k)))
    alloc = {k: 0 for k in keys}
    if n >= len(keys):
        for k in keys:
            alloc[k] = 1
    rest = n - sum(alloc.values())
    quota = {k: rest * sizes[k] / total for k in keys}
    for k in keys:
        alloc[k] += min(int(math.floor(quota[k])), sizes[k] - alloc[k])
    left = n - sum(alloc.values())
    order = sorted(keys, key=lambda k: (-(quota[k] - math.floor(quota[k])), -sizes[k], str(k)))
    while left > 0:
        progressed = False
        for k in order:
            if left and alloc[k] < sizes[k]:
                alloc[k] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    return alloc


def labelling_sample(ds: Dataset, n: int = 300, seed: int = 0, backend: str = "textblob",
                     languages: Sequence[str] | None = None, exclude_labelled: bool = True,
                     progress: bool = False) -> pd.DataFrame:
    """A sample of ``n`` member messages to label, stratified by language × channel × current score.

    The current score is ``backend``'s label (negative / neutral / positive) or "not scored". Strata get
    proportional shares (largest remainders) with at least one message each when ``n`` allows, so small
    languages and channels are represented. Messages already in the labels table are skipped when
    ``exclude_labelled``; texts without letters are skipped (nothing to judge).

    Returns columns message_id, language, channel, created_at (UTC), current_score, parent_text (the message
    it answers, "" when none), text, sentiment (empty, for the labeller), ordered by language, channel.
    """
    msgs = ds.messages
    members = msgs[msgs["author_role"].eq("member")].copy()
    members = members[members["text"].fillna("").str.contains(r"[^\W\d_]", regex=True)]
    if exclude_labelled and ds.labels is not None and len(ds.labels):
        members = members[~members["message_id"].isin(ds.labels["message_id"].dropna())]
    cols = ["message_id", "language", "channel", "created_at", "current_score", "parent_text", "text", "sentiment"]
    if members.empty or n <= 0:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    members["language"] = message_languages(members, _dataset_languages(ds, languages), progress).to_numpy()
    scores = T.score_sentiment(members["text"].tolist(), members["language"].tolist(), backend=backend,
                               progress=progress)
    members["current_score"] = scores["sentiment"].astype(object).fillna(NOT_SCORED).to_numpy()
    strata = members.groupby(["language", "channel", "current_score"], sort=True).indices
    alloc = _allocate({k: len(v) for k, v in strata.items()}, n)
    rng = np.random.default_rng(seed)
    picked: list[int] = []
    for key in sorted(strata, key=str):
        pos = strata[key]
        k = alloc.get(key, 0)
        if k:
            picked.extend(rng.choice(pos, size=k, replace=False).tolist())
    sample = members.iloc[sorted(picked)].copy()
    parent_text = msgs.set_index("message_id")["text"]
    sample["parent_text"] = sample["parent_id"].map(parent_text).fillna("").astype(str).to_numpy() \
        if "parent_id" in sample else ""
    sample["sentiment"] = ""
    sample = sample.sort_values(["language", "channel", "created_at"], kind="stable")
    return sample[cols].reset_index(drop=True)


def export_labelling_sample(sample: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a labelling sample to ``.xlsx`` or ``.csv`` (UTF-8 with BOM), spreadsheet-safe.

    Cells starting with ``= + - @`` are prefixed with ``'`` (formula injection); the ``message_id`` and
    ``sentiment`` columns come back unchanged through :func:`read_label_file`. The ``current_score`` column
    (the stratum) is left out of the file so labellers are not anchored on a machine's guess. Returns the
    path written.
    """
    target = resolve_path(path)
    suffix = target.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ValueError(f"{target}: the labelling file must end in .csv or .xlsx")
    target.parent.mkdir(parents=True, exist_ok=True)
    sample = sample.drop(columns=["current_score"], errors="ignore")
    safe = spreadsheet_safe(sample.astype({c: object for c in sample.columns if c == "created_at"}))
    if "created_at" in safe:
        safe["created_at"] = pd.to_datetime(sample["created_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M UTC")
    if suffix == ".csv":
        atomic_write(target, lambda p: safe.to_csv(p, index=False, encoding="utf-8-sig", lineterminator="\n"))
    else:
        def write_xlsx(p: Path) -> None:
            with pd.ExcelWriter(p, engine="openpyxl") as writer:
                safe.to_excel(writer, index=False, sheet_name="to_label")
                ws = writer.sheets["to_label"]
                widths = {"text": 80, "parent_text": 60, "message_id": 18, "sentiment": 12}
                for i, col in enumerate(safe.columns):
                    letter = ws.cell(row=1, column=i + 1).column_letter
                    ws.column_dimensions[letter].width = widths.get(col, 14)
                ws.freeze_panes = "A2"
        atomic_write(target, write_xlsx)
    return target


def _read_csv_any(path: Path, encoding: str | None) -> tuple[pd.DataFrame, str]:
    data = path.read_bytes()
    encodings = [encoding] if encoding else ["utf-8-sig", "cp1251"]
    last: Exception | None = None
    for enc in encodings:
        try:
            decoded = data.decode(enc)
        except (UnicodeDecodeError, LookupError) as exc:
            last = exc
            continue
        try:
            dialect = csv.Sniffer().sniff(decoded[:20000], delimiters=",;\t")
            sep = dialect.delimiter
        except csv.Error:
            sep = ","
        frame = pd.read_csv(_io.StringIO(decoded), sep=sep, dtype=str, keep_default_na=False, na_values=[""])
        return frame, enc
    raise LabelError(f"{display_path(path)}: cannot decode the file as {' or '.join(encodings)} ({last})")


def _unquote_id(value: Any) -> Any:
    """Undo :func:`helpers.io.spreadsheet_safe`'s ``'`` prefix on ids such as ``'-12``."""
    if isinstance(value, str) and value.startswith("'") and len(value) > 1 and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def read_label_file(path: str | os.PathLike, encoding: str | None = None,
                    id_column: str = "message_id", label_column: str = "sentiment") -> pd.DataFrame:
    """Read a filled labelling file (XLSX, or CSV in UTF-8/UTF-8 with BOM/cp1251; `,` `;` or tab separated).

    Returns message_id, sentiment (normalised to negative/neutral/positive) for the rows with a label; rows
    whose label is blank are skipped (not labelled yet). Raises LabelError naming the file, the column and
    the spreadsheet row numbers (header = row 1) of unknown label values, missing ids and contradicting
    duplicates. The file is only read.
    """
    src = resolve_path(path)
    shown = display_path(src)
    if not src.is_file():
        raise LabelError(f"{shown}: labels file not found")
    if src.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            raw = pd.read_excel(src, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for broken files
            raise LabelError(f"{shown}: unreadable Excel file ({exc})") from None
    elif src.suffix.lower() in {".csv", ".tsv", ".txt"}:
        raw, _ = _read_csv_any(src, encoding)
    else:
        raise LabelError(f"{shown}: expected a .xlsx or .csv labels file")
    columns = {str(c).strip().lstrip("'").casefold(): c for c in raw.columns}
    missing = [c for c in (id_column, label_column) if c.casefold() not in columns]
    if missing:
        raise LabelError(f"{shown}: column {', '.join(map(repr, missing))} not found; its columns are: "
                         f"{', '.join(map(str, raw.columns)) or '(none)'}")
    ids = raw[columns[id_column.casefold()]].map(_unquote_id).astype("string").str.strip()
    values = raw[columns[label_column.casefold()]].astype("string").str.strip()
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)  # spreadsheet row numbers
    given = values.notna() & values.ne("")
    norm = values.map(lambda v: normalise_sentiment(v) if isinstance(v, str) else None)
    problems: list[str] = []
    bad = given & norm.isna()
    if bad.any():
        listed = "; ".join(f"row {r}: {v!r}" for r, v in zip(rows[bad][:10], values[bad][:10]))
        problems.append(f"column {label_column!r}: {int(bad.sum())} value(s) are not a sentiment label "
                        f"(use negative, neutral or positive) — {listed}")
    no_id = given & (ids.isna() | ids.eq(""))
    if no_id.any():
        problems.append(f"column {id_column!r}: empty on labelled row(s) {', '.join(map(str, rows[no_id][:10]))}")
    ok = given & ~bad & ~no_id
    out = pd.DataFrame({"message_id": ids[ok], "sentiment": norm[ok].astype("string"), "row": rows[ok]})
    conflicts = out.groupby("message_id")["sentiment"].nunique()
    conflicts = conflicts[conflicts > 1]
    if len(conflicts):
        rows_of = out[out["message_id"].isin(conflicts.index)].groupby("message_id")["row"].apply(list)
        listed = "; ".join(f"{mid!r} on rows {', '.join(map(str, r))}" for mid, r in list(rows_of.items())[:5])
        problems.append(f"column {label_column!r}: {len(conflicts)} message(s) labelled differently twice — {listed}")
    if problems:
        raise LabelError(f"{shown}: " + "\n  ".join(problems))
    out = out.drop_duplicates("message_id", keep="last")
    return out[["message_id", "sentiment"]].reset_index(drop=True).astype("string")


def _labels_path(folder: Path) -> Path:
    fmt = "parquet" if (folder / "messages.parquet").is_file() else "csv"
    return folder / f"labels.{fmt}"


def write_labels(labels: pd.DataFrame, data_dir: str | os.PathLike) -> Path:
    """Write the labels table (message_id, sentiment) into ``data_dir`` atomically, in the dataset's format.

    ``labels.parquet`` when the messages are Parquet, else ``labels.csv``; a labels file of the other format
    is removed so loading cannot pick up stale labels.
    """
    folder = resolve_path(data_dir)
    target = _labels_path(folder)
    table = labels[["message_id", "sentiment"]].astype("string").reset_index(drop=True)
    if target.suffix == ".csv":
        atomic_write(target, lambda p: table.to_csv(p, index=False, encoding="utf-8", lineterminator="\n"))
    else:
        atomic_write(target, lambda p: table.to_parquet(p, index=False))
    other = folder / ("labels.csv" if target.suffix == ".parquet" else "labels.parquet")
    other.unlink(missing_ok=True)
    return target


def import_labels(path: str | os.PathLike, data_dir: str | os.PathLike, encoding: str | None = None) -> dict[str, Any]:
    """Merge a filled labelling file into the dataset's ``labels`` table (new labels win over older ones).

    Raises LabelError when the file is unusable or names messages the dataset does not have (listing the
    ids). Returns a report: file, labels_read, added, changed, unchanged, total (labels in the table after),
    path (the labels table written).
    """
    new = read_label_file(path, encoding=encoding)
    ds = load_dataset(data_dir)
    unknown = ~new["message_id"].isin(ds.messages["message_id"])
    if unknown.any():
        ids = new.loc[unknown, "message_id"].tolist()
        raise LabelError(f"{display_path(resolve_path(path))}: column 'message_id': {len(ids)} id(s) are not "
                         f"messages of {display_path(ds.path)} (e.g. {', '.join(map(repr, ids[:5]))}); "
                         "was the sample exported from another dataset?")
    old = ds.labels if ds.labels is not None else pd.DataFrame({"message_id": [], "sentiment": []}, dtype="string")
    before = dict(zip(old["message_id"], old["sentiment"]))
    added = sum(1 for m in new["message_id"] if m not in before)
    changed = sum(1 for m, s in zip(new["message_id"], new["sentiment"]) if m in before and before[m] != s)
    merged = pd.concat([old[~old["message_id"].isin(new["message_id"])], new], ignore_index=True)
    target = write_labels(merged, ds.path)
    return {"file": display_path(resolve_path(path)), "labels_read": len(new), "added": added, "changed": changed,
            "unchanged": len(new) - added - changed, "total": len(merged), "path": display_path(target)}


# --------------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------------


def _prepare_text(value: Any) -> str:
    """Normalise a text for the vectorisers: links/mentions out, NFC, Turkic-aware casefold, ё→е."""
    raw = T._as_text(value)
    return T._normalise(T._strip_links(raw))


def _one_thread() -> Any:
    """BLAS limited to one thread while fitting: these problems are small, and on a shared machine
    multithreaded L-BFGS spends its time waiting (measured 40× slower on 2 busy cores)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def build_pipeline(seed: int = 0, C: float = 4.0) -> Any:
    """Word (1–2-gram) + character (2–5-gram, within word boundaries) TF-IDF and a logistic regression.

    Sublinear tf; class weights balanced so a rare "negative" class is not drowned out.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("word", TfidfVectorizer(preprocessor=_prepare_text, analyzer="word", ngram_range=(1, 2), min_df=1,
                                 sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
        ("char", TfidfVectorizer(preprocessor=_prepare_text, analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                 sublinear_tf=True)),
    ])
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


@dataclass
class SentimentModel:
    """A trained scorer: the scikit-learn pipeline plus its metadata (see :func:`save_model`).

    ``languages`` are the ISO 639-1 codes it had enough labels for; it never scores any other language.
    """

    pipeline: Any
    languages: tuple[str, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def predict(self, texts: Sequence[Any], languages: Sequence[Any] | str | None) -> pd.DataFrame:
        """Score texts: columns score (P(positive) − P(negative), −1..1), sentiment, scored (bool).

        Texts in languages outside :attr:`languages`, and texts without letters, are not scored (NaN / <NA>).
        """
        values, index = T._as_texts(texts)
        langs = T._as_languages(languages, len(values))
        ok = [i for i, (t, lang) in enumerate(zip(values, langs))
              if lang in self.languages and T._LETTER_RE.search(T._as_text(t))]
        score = np.full(len(values), np.nan)
        label = np.array([pd.NA] * len(values), dtype=object)
        if ok:
            s, lab = self.predict_raw([T._as_text(values[i]) for i in ok])
            score[ok] = s
            label[ok] = lab
        return pd.DataFrame({"score": pd.Series(score, index=index, dtype="float64"),
                             "sentiment": pd.Series(label, index=index, dtype="string"),
                             "scored": pd.Series(~np.isnan(score), index=index, dtype=bool)}, index=index)

    def predict_raw(self, docs: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """Scores (P(positive) − P(negative), −1..1) and labels for ``docs``, ignoring language: callers must
        pass only texts in :attr:`languages` (:meth:`predict` and :func:`helpers.text.score_sentiment` do)."""
        if len(docs) == 0:
            return np.zeros(0), []
        with _one_thread():
            proba = self.pipeline.predict_proba(list(docs))
        classes = list(self.pipeline.classes_)
        p = {c: proba[:, classes.index(c)] if c in classes else np.zeros(len(docs)) for c in SENTIMENTS}
        labels = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
        return p["positive"] - p["negative"], [str(x) for x in labels]

    @property
    def cv_macro_f1(self) -> float | None:
        """Cross-validated macro-F1 (0–1) over all labelled languages, from the metadata."""
        return (self.metadata.get("cv") or {}).get("overall", {}).get("macro_f1")


def _f1s(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Per-class F1 and macro-F1 over the three sentiments (a class absent from gold and pred is skipped)."""
    g = np.asarray(gold, dtype=object)
    p = np.asarray(pred, dtype=object)
    out: dict[str, float] = {}
    present = []
    for c in SENTIMENTS:
        tp = int(np.sum((g == c) & (p == c)))
        fp = int(np.sum((g != c) & (p == c)))
        fn = int(np.sum((g == c) & (p != c)))
        if tp + fp + fn == 0:
            out[f"f1_{c}"] = float("nan")
            continue
        present.append(c)
        out[f"f1_{c}"] = 2 * tp / (2 * tp + fp + fn)
    out["macro_f1"] = float(np.mean([out[f"f1_{c}"] for c in present])) if present else float("nan")
    return out


def score_report(gold: Sequence[str], pred: Sequence[str], n_boot: int = 1000, seed: int = 0,
                 level: float = 0.95) -> dict[str, float]:
    """Macro-F1, per-class F1 and accuracy (0–1) with percentile bootstrap CIs (resampling messages).

    ``pred`` may contain "not scored"/None: it counts as a wrong answer for every class except that, to
    give English-only scorers the most favourable honest reading, callers usually map not scored to
    "neutral" first (see :func:`compare_scorers`). Keys: n, macro_f1, macro_f1_ci_low, macro_f1_ci_high,
    f1_<class> (+ _ci_low/_ci_high), accuracy.
    """
    g = np.asarray([str(x) for x in gold], dtype=object)
    p = np.asarray([NOT_SCORED if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)
                    for x in pred], dtype=object)
    n = len(g)
    out: dict[str, float] = {"n": n}
    point = _f1s(g, p)
    out["accuracy"] = float(np.mean(g == p)) if n else float("nan")
    if n == 0:
        for k in point:
            out[k] = float("nan")
            out[f"{k}_ci_low"] = out[f"{k}_ci_high"] = float("nan")
        return out
    codes = {c: k for k, c in enumerate(SENTIMENTS)}
    gi = np.array([codes.get(x, 3) for x in g])
    pi = np.array([codes.get(x, 3) for x in p])
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    per_class: list[np.ndarray] = []
    for start in range(0, n_boot, 200):  # chunks keep memory at 200 × n
        idx = rng.integers(0, n, (min(200, n_boot - start), n))
        gb, pb = gi[idx], pi[idx]
        f1 = np.full((len(idx), 3), np.nan)
        for k in range(3):
            tp = np.sum((gb == k) & (pb == k), axis=1)
            fp = np.sum((gb != k) & (pb == k), axis=1)
            fn = np.sum((gb == k) & (pb != k), axis=1)
            den = 2 * tp + fp + fn
            with np.errstate(invalid="ignore", divide="ignore"):
                f1[:, k] = np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), np.nan)
        per_class.append(f1)
    boot = np.vstack(per_class)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        macro = np.nanmean(boot, axis=1)
    samples = {f"f1_{c}": boot[:, k] for k, c in enumerate(SENTIMENTS)}
    samples["macro_f1"] = macro
    for k, v in point.items():
        arr = samples[k][~np.isnan(samples[k])]
        out[k] = v
        out[f"{k}_ci_low"] = float(np.quantile(arr, alpha)) if len(arr) else float("nan")
        out[f"{k}_ci_high"] = float(np.quantile(arr, 1 - alpha)) if len(arr) else float("nan")
    return out


def cross_validate(texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 0) -> np.ndarray:
    """Out-of-fold predictions of :func:`build_pipeline` (stratified ``folds``-fold, shuffled with ``seed``).

    Each message is predicted by a model that never saw it. ``folds`` shrinks to the smallest class size
    (at least 2).
    """
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=object)
    x = np.asarray([T._as_text(t) for t in texts], dtype=object)
    smallest = min(pd.Series(y).value_counts().min(), folds)
    k = max(2, int(smallest))
    pred = np.empty(len(y), dtype=object)
    with _one_thread():
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y):
            model = build_pipeline(seed).fit(list(x[train_idx]), y[train_idx])
            pred[test_idx] = model.predict(list(x[test_idx]))
    return pred


def _check_trainable(lab: pd.DataFrame) -> None:
    counts = lab["sentiment"].value_counts()
    if len(lab) < 10 or len(counts) < 2 or counts.min() < 2:
        raise LabelError(f"too few labels to train: {len(lab)} label(s) "
                         f"({', '.join(f'{k}: {v}' for k, v in counts.items()) or 'none'}); label at least ~30 "
                         "messages per language with at least two of each sentiment you want it to learn")


def train(ds: Dataset, labels: pd.DataFrame | None = None, *, max_labels: int | None = None, seed: int = 0,
          folds: int = 5, languages: Sequence[str] | None = None, min_labels_per_language: int = 20,
          n_boot: int = 1000) -> tuple[SentimentModel, pd.DataFrame]:
    """Train a model on the dataset's labels and cross-validate it.

    Args:
        ds: the dataset (its messages give the texts of the labelled ids).
        labels: message_id, sentiment; None uses the dataset's labels table.
        max_labels: use at most this many labels (a stratified random subset by sentiment × language, seeded).
        seed: seed for the subset, the CV folds, the bootstrap and the classifier.
        folds: CV folds.
        languages: languages the detector may choose from (default dataset.json's, else ru/az/en).
        min_labels_per_language: a language needs this many labels to be scored by the model; labels of
            smaller languages (and "und") still help training but the model will not score that language.
        n_boot: bootstrap resamples for the CIs.

    Returns:
        (model, labelled) — ``labelled`` is the labelled messages used, with the out-of-fold prediction
        ``cv_prediction``. ``model.metadata["cv"]`` holds overall and per-language scores with CIs.
    """
    import sklearn

    lab = labelled_messages(ds, labels, languages)
    if max_labels is not None and len(lab) > max_labels:
        strata = lab.groupby(["sentiment", "language"]).indices
        alloc = _allocate({k: len(v) for k, v in strata.items()}, int(max_labels))
        rng = np.random.default_rng(seed)
        keep: list[int] = []
        for key in sorted(strata, key=str):
            if alloc[key]:
                keep.extend(rng.choice(strata[key], size=alloc[key], replace=False).tolist())
        lab = lab.iloc[sorted(keep)].reset_index(drop=True)
    _check_trainable(lab)
    counts = lab["language"].value_counts()
    model_langs = tuple(sorted(str(code) for code, c in counts.items()
                               if c >= min_labels_per_language and code != T.UNDETERMINED))
    if not model_langs:
        raise LabelError(f"no language has {min_labels_per_language} labels yet "
                         f"({', '.join(f'{k}: {v}' for k, v in counts.items())}); label more messages")
    lab["cv_prediction"] = cross_validate(lab["text"].tolist(), lab["sentiment"].tolist(), folds, seed)
    with _one_thread():
        pipeline = build_pipeline(seed).fit(lab["text"].astype(str).tolist(), lab["sentiment"].to_numpy(dtype=object))
    cv: dict[str, Any] = {"folds": folds, "method": f"stratified {folds}-fold cross-validation, bootstrap "
                          f"{n_boot} resamples of the out-of-fold predictions for 95 % CIs"}
    in_scope = lab["language"].isin(model_langs)
    cv["overall"] = score_report(lab.loc[in_scope, "sentiment"], lab.loc[in_scope, "cv_prediction"], n_boot, seed)
    cv["by_language"] = {code: score_report(lab.loc[lab["language"].eq(code), "sentiment"],
                                            lab.loc[lab["language"].eq(code), "cv_prediction"], n_boot, seed)
                         for code in model_langs}
    meta = {
        "format_version": FORMAT_VERSION,
        "kind": "tfidf-word-char+logistic-regression",
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "languages": list(model_langs),
        "languages_without_enough_labels": {str(k): int(v) for k, v in counts.items() if str(k) not in model_langs},
        "min_labels_per_language": min_labels_per_language,
        "n_labels": int(len(lab)),
        "label_counts": {str(k): int(v) for k, v in lab["sentiment"].value_counts().items()},
        "labels_by_language": {str(k): int(v) for k, v in counts.items()},
        "label_message_ids": lab["message_id"].astype(str).tolist(),
        "dataset": {"name": ds.meta.get("name"), "path": display_path(ds.path) if ds.path else None},
        "seed": seed,
        "max_labels": max_labels,
        "cv": cv,
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__, "pandas": pd.__version__, "helpers": _helpers_version()},
    }
    return SentimentModel(pipeline, model_langs, meta), lab


def _helpers_version() -> str:
    try:
        from importlib.metadata import version

        return version("community-workbook")
    except Exception:
        return "unknown"


def _lexicon_predictions(texts: Sequence[str], langs: Sequence[str], backend: str) -> tuple[np.ndarray, np.ndarray]:
    out = T.score_sentiment(list(texts), list(langs), backend=backend, progress=False)
    labels = out["sentiment"].astype(object).where(out["scored"], None).to_numpy()
    return labels, out["scored"].to_numpy()


def compare_scorers(labelled: pd.DataFrame, scorers: Sequence[str] = ("textblob", "vader"), n_boot: int = 1000,
                    seed: int = 0, model_languages: Sequence[str] | None = None) -> pd.DataFrame:
    """The trained model's cross-validated scores next to TextBlob's and VADER's, per language.

    ``labelled`` is the frame :func:`train` returns (gold ``sentiment``, out-of-fold ``cv_prediction``).
    Lexicon scorers know English only: on other languages they score nothing (coverage 0) and their
    macro-F1 is computed with *not scored counted as neutral* — the best an unscored message could do, and
    what a report that silently called them neutral would claim. The model row only covers
    ``model_languages`` (other languages: coverage 0, not scored as neutral too).

    Returns one row per language (plus "all") × scorer: language, scorer, n, coverage (0–1), macro_f1 with
    ci_low/ci_high, f1_negative, f1_neutral, f1_positive.
    """
    rows = []
    langs = labelled["language"].astype(str).to_numpy()
    gold = labelled["sentiment"].astype(str).to_numpy()
    preds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    covered = np.isin(langs, list(model_languages)) if model_languages is not None else np.ones(len(langs), bool)
    model_pred = np.where(covered, labelled["cv_prediction"].astype(object).to_numpy(), None)
    preds["model (cross-validated)"] = (model_pred, covered)
    for s in scorers:
        preds[s] = _lexicon_predictions(labelled["text"].tolist(), langs.tolist(), s)
    groups = [("all", np.ones(len(langs), bool))] + [(code, langs == code) for code in sorted(set(langs))]
    for code, mask in groups:
        if not mask.any():
            continue
        for name, (pred, scored) in preds.items():
            p = np.where(scored[mask], pred[mask], "neutral")
            rep = score_report(gold[mask], p, n_boot, seed)
            rows.append({"language": code, "scorer": name, "n": int(mask.sum()),
                         "coverage": float(scored[mask].mean()), "macro_f1": rep["macro_f1"],
                         "ci_low": rep["macro_f1_ci_low"], "ci_high": rep["macro_f1_ci_high"],
                         "f1_negative": rep["f1_negative"], "f1_neutral": rep["f1_neutral"],
                         "f1_positive": rep["f1_positive"]})
    return pd.DataFrame(rows)


def learning_curve(labelled: pd.DataFrame, sizes: Sequence[int] | None = None, folds: int = 5,
                   seed: int = 0) -> pd.DataFrame:
    """Cross-validated macro-F1 when training on fewer labels: does labelling more help?

    For each fold, the model is trained on the first ``size`` labels of a shuffled training part and
    scored on the held-out part. Returns n_labels, macro_f1 (mean over folds), sd, folds. A curve still
    rising at the right end means more labels will pay off.
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    y = labelled["sentiment"].astype(str).to_numpy()
    x = labelled["text"].astype(str).to_numpy()
    smallest = int(pd.Series(y).value_counts().min())
    k = max(2, min(folds, smallest))
    n_train = int(len(y) * (k - 1) / k)
    if sizes is None:
        sizes = sorted({int(s) for s in np.unique(np.geomspace(30, max(n_train, 31), 6).astype(int)) if s <= n_train})
    rng = np.random.default_rng(seed)
    scores: dict[int, list[float]] = {int(s): [] for s in sizes}
    with _one_thread():
        for train_idx, test_idx in StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y):
            order = rng.permutation(train_idx)
            for s in scores:
                sub = order[:s]
                if len(set(y[sub])) < 2:
                    continue
                model = build_pipeline(seed).fit(list(x[sub]), y[sub])
                scores[s].append(f1_score(y[test_idx], model.predict(list(x[test_idx])), average="macro",
                                          labels=[c for c in SENTIMENTS if c in set(y)], zero_division=0))
    return pd.DataFrame([{"n_labels": s, "macro_f1": float(np.mean(v)) if v else float("nan"),
                          "sd": float(np.std(v, ddof=1)) if len(v) > 1 else float("nan"), "folds": len(v)}
                         for s, v in scores.items()])


def confusion_matrix(gold: Sequence[str], pred: Sequence[Any]) -> pd.DataFrame:
    """Counts of gold (rows) × predicted (columns) over negative/neutral/positive (+ "not scored" column
    when some predictions are missing)."""
    g = pd.Series([str(x) for x in gold], name="gold")
    p = pd.Series([NOT_SCORED if x is None or x is pd.NA else str(x) for x in pred], name="predicted")
    cols = list(SENTIMENTS) + ([NOT_SCORED] if (p == NOT_SCORED).any() else [])
    table = pd.crosstab(g, p).reindex(index=list(SENTIMENTS), columns=cols, fill_value=0)
    table.index.name, table.columns.name = "gold", "predicted"
    return table.astype("int64")


# --------------------------------------------------------------------------------------------------
# Save / load / resolve
# --------------------------------------------------------------------------------------------------


def default_model_dir(data_dir: str | os.PathLike, name: str = DEFAULT_MODEL_NAME) -> Path:
    """Where models of a dataset live by default: ``DATA_DIR/models/NAME``."""
    return resolve_path(data_dir) / "models" / name


def save_model(model: SentimentModel, model_dir: str | os.PathLike) -> Path:
    """Write ``model.joblib`` and ``metadata.json`` (human-readable) into ``model_dir``; returns the folder."""
    import joblib

    folder = resolve_path(model_dir)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / MODEL_FILE, lambda p: joblib.dump(
        {"format_version": FORMAT_VERSION, "pipeline": model.pipeline, "languages": list(model.languages)}, p))
    from helpers.report import to_jsonable

    atomic_write_text(folder / METADATA_FILE, json.dumps(to_jsonable(model.metadata), ensure_ascii=False, indent=2))
    model.path = folder
    _load_cached.cache_clear()
    return folder


def load_model(model_dir: str | os.PathLike) -> SentimentModel:
    """Load a model saved by :func:`save_model`. ModelError when the folder or its files are missing, or the
    format version is not :data:`FORMAT_VERSION` (retrain with ``python -m helpers sentiment train``)."""
    folder = resolve_path(model_dir)
    meta_path = folder / METADATA_FILE
    stat = meta_path.stat().st_mtime_ns if meta_path.is_file() else 0
    return _load_cached(str(folder), stat)


@functools.lru_cache(maxsize=4)
def _load_cached(folder_s: str, _mtime: int) -> SentimentModel:
    import joblib

    folder = Path(folder_s)
    shown = display_path(folder)
    if not folder.is_dir():
        raise ModelError(f"model folder not found: {shown} (train one with: python -m helpers sentiment train "
                         "DATA_DIR --out MODEL_DIR)")
    meta_path, model_path = folder / METADATA_FILE, folder / MODEL_FILE
    for p in (meta_path, model_path):
        if not p.is_file():
            raise ModelError(f"{shown}: {p.name} missing — not a sentiment model folder")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{display_path(meta_path)}: unreadable metadata ({exc})") from None
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if version != FORMAT_VERSION:
        raise ModelError(f"{display_path(meta_path)}: model format version {version!r} is not supported (this "
                         f"workbook reads version {FORMAT_VERSION}); retrain: python -m helpers sentiment train")
    try:
        bundle = joblib.load(model_path)
    except Exception as exc:
        raise ModelError(f"{display_path(model_path)}: cannot load the model ({type(exc).__name__}: {exc}); "
                         "retrain it with this workbook's scikit-learn") from None
    if not isinstance(bundle, dict) or bundle.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{display_path(model_path)}: model format version "
                         f"{bundle.get('format_version') if isinstance(bundle, dict) else None!r} is not supported "
                         f"(expected {FORMAT_VERSION}); retrain it")
    return SentimentModel(bundle["pipeline"], tuple(bundle["languages"]), meta, folder)


def resolve_model_path(spec: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """The model folder named by ``spec`` (``"model:PATH"`` or ``PATH``).

    Absolute paths are used as given. A relative PATH is tried against the current directory and the
    workbook root (:func:`helpers.io.resolve_path`) and, when ``data_dir`` is given, against ``data_dir``
    and ``data_dir/models`` (so ``model:sentiment`` finds ``DATA_DIR/models/sentiment``). The first folder
    that exists wins; otherwise the workbook-root reading is returned (and loading reports it missing).
    """
    raw = str(spec)
    if raw.lower().startswith("model:"):
        raw = raw[len("model:"):]
    raw = raw.strip()
    if not raw:
        raise ModelError("model backend needs a folder: model:PATH (e.g. model:data/sample/models/sentiment)")
    path = Path(raw).expanduser()
    if path.is_absolute():
        return path
    candidates = [resolve_path(path)]
    if data_dir is not None:
        base = resolve_path(data_dir)
        candidates += [base / path, base / "models" / path]
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def scorer_info(backend: str, data_dir: str | os.PathLike | None = None) -> dict[str, Any]:
    """What a findings.json records about the sentiment scorer: name, languages and validation score.

    Keys: ``sentiment_scorer`` (backend string), ``sentiment_scorer_languages`` (list),
    ``sentiment_scorer_cv_macro_f1`` (0–1, cross-validated on the organisation's labels; None for the
    lexicon scorers, which were never validated on this audience), ``sentiment_scorer_cv_macro_f1_ci_low``,
    ``_ci_high``, ``sentiment_scorer_labels`` (labels behind the score). Never raises: problems go to
    ``sentiment_scorer_error``.
    """
    info: dict[str, Any] = {"sentiment_scorer": str(backend), "sentiment_scorer_languages": None,
                            "sentiment_scorer_cv_macro_f1": None, "sentiment_scorer_cv_macro_f1_ci_low": None,
                            "sentiment_scorer_cv_macro_f1_ci_high": None, "sentiment_scorer_labels": None}
    try:
        name = str(backend).strip()
        if name.lower().startswith("model:"):
            model = load_model(resolve_model_path(name, data_dir))
            overall = (model.metadata.get("cv") or {}).get("overall") or {}
            info.update({
                "sentiment_scorer_languages": list(model.languages),
                "sentiment_scorer_cv_macro_f1": overall.get("macro_f1"),
                "sentiment_scorer_cv_macro_f1_ci_low": overall.get("macro_f1_ci_low"),
                "sentiment_scorer_cv_macro_f1_ci_high": overall.get("macro_f1_ci_high"),
                "sentiment_scorer_labels": model.metadata.get("n_labels"),
                "sentiment_scorer_cv_macro_f1_by_language": {
                    k: v.get("macro_f1") for k, v in ((model.metadata.get("cv") or {}).get("by_language") or {}).items()},
                "sentiment_scorer_trained_at": model.metadata.get("created_at"),
            })
        elif name.lower() in T.SENTIMENT_BACKENDS:
            info["sentiment_scorer_languages"] = sorted(T.SENTIMENT_BACKENDS[name.lower()])
            info["sentiment_scorer_validation"] = ("none on this audience: an English-only lexicon scorer "
                                                   "(train a model on your own labels in notebook 04)")
        else:
            info["sentiment_scorer_error"] = f"unknown sentiment backend {backend!r}"
    except Exception as exc:  # recording metadata must never stop a notebook
        info["sentiment_scorer_error"] = str(exc)
    return info


def score_dataset(ds: Dataset, backend: str, languages: Sequence[str] | None = None,
                  progress: bool = False) -> pd.DataFrame:
    """Score every message of ``ds``: message_id, language, sentiment (negative/neutral/positive or empty
    when not scored), score (−1..1 or empty)."""
    msgs = ds.messages
    langs = message_languages(msgs, _dataset_languages(ds, languages), progress)
    spec = backend
    if str(backend).strip().lower().startswith("model:"):
        spec = "model:" + str(resolve_model_path(backend, ds.path))
    scores = T.score_sentiment(msgs["text"].tolist(), langs.tolist(), backend=spec, progress=progress)
    return pd.DataFrame({"message_id": msgs["message_id"].to_numpy(), "language": langs.to_numpy(),
                         "sentiment": scores["sentiment"].to_numpy(), "score": scores["score"].to_numpy()})


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


def _shown(path: str | os.PathLike | None) -> str:
    """A path for people: relative to the workbook root when inside it (stable wherever the notebook runs)."""
    if path is None:
        return ""
    from helpers.io import workbook_root

    try:
        return str(Path(path).resolve().relative_to(workbook_root().resolve()))
    except (ValueError, OSError):
        return display_path(path)


def _fmt(v: Any) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def cv_summary_lines(model: SentimentModel) -> list[str]:
    """Plain-text lines with the cross-validated scores (what the CLI prints)."""
    cv = model.metadata.get("cv", {})
    lines = []
    for code, rep in [("all", cv.get("overall", {}))] + list(cv.get("by_language", {}).items()):
        lines.append(f"{code:>4}: macro-F1 {_fmt(rep.get('macro_f1'))} (95 % CI {_fmt(rep.get('macro_f1_ci_low'))}–"
                     f"{_fmt(rep.get('macro_f1_ci_high'))}, n = {rep.get('n', 0)}); F1 negative "
                     f"{_fmt(rep.get('f1_negative'))}, neutral {_fmt(rep.get('f1_neutral'))}, positive "
                     f"{_fmt(rep.get('f1_positive'))}")
    skipped = model.metadata.get("languages_without_enough_labels") or {}
    if skipped:
        lines.append("not scored by the model (too few labels): "
                     + ", ".join(f"{k} ({v} labels)" for k, v in skipped.items()))
    return lines


def cli(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers sentiment {train,score,export,import} …`` (exit 0 ok, 1 failed writing, 2 bad input)."""
    parser = argparse.ArgumentParser(prog="python -m helpers sentiment",
                                     description="Train and use a sentiment model on your own labels.")
    sub = parser.add_subparsers(dest="action", required=True)
    p_train = sub.add_parser("train", help="train on the dataset's labels table and print CV scores")
    p_train.add_argument("data_dir")
    p_train.add_argument("--out", default=None, help="model folder (default DATA_DIR/models/sentiment)")
    p_train.add_argument("--max-labels", type=int, default=None, help="use at most N labels")
    p_train.add_argument("--seed", type=int, default=0)
    p_train.add_argument("--folds", type=int, default=5)
    p_score = sub.add_parser("score", help="score every message: message_id, language, sentiment, score")
    p_score.add_argument("data_dir")
    p_score.add_argument("--backend", default="textblob", help="textblob, vader or model:MODEL_DIR")
    p_score.add_argument("--out", required=True, help="output CSV")
    p_exp = sub.add_parser("export", help="write a stratified sample to label (.xlsx or .csv)")
    p_exp.add_argument("data_dir")
    p_exp.add_argument("--out", required=True)
    p_exp.add_argument("--n", type=int, default=300)
    p_exp.add_argument("--seed", type=int, default=0)
    p_exp.add_argument("--backend", default="textblob")
    p_imp = sub.add_parser("import", help="merge a filled labelling file into DATA_DIR's labels table")
    p_imp.add_argument("file")
    p_imp.add_argument("data_dir")
    p_imp.add_argument("--encoding", default=None, help="CSV encoding (default: UTF-8, else cp1251)")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    from helpers.schema import DatasetError

    try:
        if args.action == "train":
            if args.max_labels is not None and args.max_labels < 10:
                raise LabelError(f"--max-labels must be at least 10, got {args.max_labels}")
            ds = load_dataset(args.data_dir)
            model, _ = train(ds, max_labels=args.max_labels, seed=args.seed, folds=args.folds)
            out = save_model(model, args.out or default_model_dir(args.data_dir))
            print(f"trained on {model.metadata['n_labels']} labels ({', '.join(model.languages)}); "
                  f"{args.folds}-fold cross-validated scores:")
            for line in cv_summary_lines(model):
                print("  " + line)
            print(f"saved to {display_path(out)} — use sentiment_backend=\"model:{display_path(out)}\"")
        elif args.action == "score":
            ds = load_dataset(args.data_dir)
            scores = score_dataset(ds, args.backend)
            target = resolve_path(args.out)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, lambda p: scores.to_csv(p, index=False, encoding="utf-8", lineterminator="\n",
                                                        float_format="%.4f"))
            if str(args.backend).strip().lower().startswith("model:"):
                model = load_model(resolve_model_path(args.backend, ds.path))
                covered = set(model.languages)
            else:
                covered = set(T.SENTIMENT_BACKENDS.get(str(args.backend).strip().lower(), ()))
            outside = scores.loc[~scores["language"].isin(covered | {T.UNDETERMINED}), "language"].value_counts()
            for code, count in outside.items():
                print(f"warning: {args.backend} has no labels/knowledge for language {code!r}: its {count} "
                      "message(s) are not scored (label some to add it)", file=sys.stderr)
            n_scored = int(scores["sentiment"].notna().sum())
            print(f"scored {n_scored} of {len(scores)} messages with {args.backend} "
                  f"({len(scores) - n_scored} not scored: language not supported or no letters) -> "
                  f"{display_path(target)}")
        elif args.action == "export":
            ds = load_dataset(args.data_dir)
            sample = labelling_sample(ds, n=args.n, seed=args.seed, backend=args.backend)
            path = export_labelling_sample(sample, args.out)
            print(f"wrote {len(sample)} messages to label to {display_path(path)}; fill the sentiment column, "
                  f"then: python -m helpers sentiment import {display_path(path)} {args.data_dir}")
        else:
            rep = import_labels(args.file, args.data_dir, encoding=args.encoding)
            print(f"imported {rep['labels_read']} labels from {rep['file']} ({rep['added']} new, {rep['changed']} "
                  f"changed); the labels table {rep['path']} now holds {rep['total']}")
    except (LabelError, ModelError, DatasetError, FileNotFoundError, NotADirectoryError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------------------------------
# The labelling loop as one study (notebooks/04_sentiment_model.ipynb)
# --------------------------------------------------------------------------------------------------


@dataclass
class SentimentStudy:
    """Everything notebook 04 shows: labels, the trained model and its honest validation.

    ``model`` is None when there were no (or too few) labels; ``problem`` then says why and every table
    is empty, so the notebook still runs and ends with the labelling sample to fill.
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
                         **{f"f1_{c}_ci": f"{_fmt(rep[f'f1_{c}_ci_low'])}–{_fmt(rep[f'f1_{c}_ci_high'])}"
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

    def status_markdown(self) -> str:
        """What happened and what to do next (Markdown, numbers only; no user text)."""
        sample = ""
        if self.sample_path is not None:
            sample = (f"\n\nA fresh sample of **{self.sample_size} messages to label** (stratified by language, "
                      f"channel and current score; already labelled messages left out) is in "
                      f"`{_shown(self.sample_path)}`. Fill its `sentiment` column with negative, neutral "
                      "or positive (leave a row empty to skip it), then import it with "
                      f"`python -m helpers sentiment import {_shown(self.sample_path)} DATA_DIR` — or set "
                      "`labels_path` to the filled file — and re-run this notebook.")
        if self.model is None:
            return f"**No model trained:** {self.problem}{sample}"
        meta = self.model.metadata
        skipped = meta.get("languages_without_enough_labels") or {}
        gaps = ("" if not skipped else " Languages with too few labels stay **not scored**: "
                + ", ".join(f"{k} ({v} labels)" for k, v in skipped.items()) + ".")
        overall = meta["cv"]["overall"]
        return (f"Trained on **{meta['n_labels']} labels** ({self.labels_source}); the model scores "
                f"**{', '.join(self.model.languages)}**. Cross-validated macro-F1 {_fmt(overall['macro_f1'])} "
                f"(95 % CI {_fmt(overall['macro_f1_ci_low'])}–{_fmt(overall['macro_f1_ci_high'])}, "
                f"n = {overall['n']}).{gaps} Saved to `{_shown(self.model_dir)}`: use "
                f"`sentiment_backend=\"model:{_shown(self.model_dir)}\"` in notebooks 01–03.{sample}")

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
                    "model_dir": _shown(self.model_dir) if self.model_dir else None})
        if self.comparison is not None:
            for _, row in self.comparison.iterrows():
                name = "model_cv" if row["scorer"].startswith("model") else row["scorer"]
                out[f"{name}_macro_f1_{row['language']}"] = row["macro_f1"]
        return out


def run_study(data_dir: str | os.PathLike, *, brand: str | None = None, start: str | None = None,
              end: str | None = None, labels_path: str | os.PathLike | None = None,
              model_dir: str | os.PathLike | None = None, max_labels: int | None = None, seed: int = 0,
              sample_size: int = 300, sample_path: str | os.PathLike | None = None,
              languages: Sequence[str] | None = None, n_boot: int = 1000) -> SentimentStudy:
    """Run the labelling loop once: read labels, train + validate + save a model, export the next sample.

    ``labels_path`` (a filled .xlsx/.csv) is used instead of the dataset's labels table, without writing
    to the dataset. ``model_dir`` defaults to ``DATA_DIR/models/sentiment``. ``brand``/``start``/``end``
    restrict the messages (labels of other messages are ignored). Never raises for missing or too few
    labels: the study then carries ``problem`` and still exports the sample (to ``sample_path`` when given).
    """
    from helpers.io import filter_period

    full = load_dataset(data_dir)
    ds = filter_period(full, brand=brand, start=start, end=end)
    ds.path, ds.meta = full.path, full.meta
    source = "the dataset's labels table"
    labels = ds.labels
    if labels_path is not None:
        labels = read_label_file(labels_path)
        source = display_path(resolve_path(labels_path))
    if labels is not None:
        unknown = ~labels["message_id"].isin(full.messages["message_id"])
        if unknown.any():
            ids = labels.loc[unknown, "message_id"].tolist()
            raise LabelError(f"{source}: column 'message_id': {len(ids)} id(s) are not messages of "
                             f"{_shown(full.path)} (e.g. {', '.join(map(repr, ids[:5]))})")
        labels = labels[labels["message_id"].isin(ds.messages["message_id"])]  # brand/period cut
    study = SentimentStudy(dataset=ds, labels_source=source)
    try:
        model, lab = train(ds, labels, max_labels=max_labels, seed=seed, languages=languages, n_boot=n_boot)
    except LabelError as exc:
        study.problem = str(exc)
        if labels is not None and len(labels):
            study.labelled = labelled_messages(ds, labels, languages).assign(cv_prediction=None)
    else:
        study.model, study.labelled = model, lab
        study.model_dir = save_model(model, model_dir if model_dir is not None else default_model_dir(full.path))
        in_scope = lab[lab["language"].isin(model.languages)]  # "all" then matches the CV overall score
        study.comparison = compare_scorers(in_scope, n_boot=n_boot, seed=seed, model_languages=model.languages)
        study.curve = learning_curve(lab, seed=seed)
        study.confusion = confusion_matrix(lab["sentiment"], lab["cv_prediction"])
    if sample_path is not None and sample_size > 0:
        ds_for_sample = ds if labels_path is None else Dataset(
            ds.messages, ds.campaigns, ds.incidents, ds.audience, labels, ds.meta, ds.path)
        sample = labelling_sample(ds_for_sample, n=sample_size, seed=seed, languages=languages)
        study.sample_path = export_labelling_sample(sample, sample_path)
        study.sample_size = len(sample)
    return study


def plot_comparison(table: pd.DataFrame) -> Any:
    """Grouped bars: macro-F1 (0–1) per language for the model (cross-validated) and the lexicon scorers,
    with 95 % CI whiskers."""
    from helpers import plots

    title, xlabel, ylabel = "Sentiment scorers on the same labelled messages", "language", "macro-F1 (0–1)"
    if table is None or table.empty:
        return plots._no_data(title, xlabel, ylabel, "No labels yet.")
    fig, ax = plots._figure()
    langs = list(dict.fromkeys(table["language"]))
    scorers = list(dict.fromkeys(table["scorer"]))
    width = 0.8 / len(scorers)
    for k, name in enumerate(scorers):
        sub = table[table["scorer"] == name].set_index("language").reindex(langs)
        x = np.arange(len(langs)) + (k - (len(scorers) - 1) / 2) * width
        err = np.vstack([(sub["macro_f1"] - sub["ci_low"]).clip(lower=0), (sub["ci_high"] - sub["macro_f1"]).clip(lower=0)])
        ax.bar(x, sub["macro_f1"], width, label=name, color=plots.PALETTE[k % len(plots.PALETTE)], yerr=err,
               capsize=3)
    ax.set_xticks(np.arange(len(langs)), langs)
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, fontsize=9)
    parts = []
    for lang in langs:
        sub = table[table["language"] == lang].set_index("scorer")["macro_f1"]
        parts.append(f"{lang}: " + ", ".join(f"{s} {_fmt(v)}" for s, v in sub.items()))
    alt = (f"{title}. Macro-F1 by language (English-only lexicons score nothing in other languages; there "
           f"unscored messages count as neutral): " + "; ".join(parts) + ".")
    return plots._finish(fig, ax, title, xlabel, ylabel, alt)


def plot_learning_curve(curve: pd.DataFrame) -> Any:
    """Cross-validated macro-F1 (0–1) against the number of labels trained on, ±1 SD over folds."""
    from helpers import plots

    title, xlabel, ylabel = "Would more labels help?", "labels used for training (count)", "macro-F1 (0–1)"
    if curve is None or curve.empty:
        return plots._no_data(title, xlabel, ylabel, "No labels yet.")
    fig, ax = plots._figure()
    ax.errorbar(curve["n_labels"], curve["macro_f1"], yerr=curve["sd"].fillna(0), marker="o",
                color=plots.PALETTE[0], capsize=3)
    ax.set_ylim(0, 1.05)
    pts = ", ".join(f"{int(n)} labels {_fmt(v)}" for n, v in zip(curve["n_labels"], curve["macro_f1"]))
    return plots._finish(fig, ax, title, xlabel, ylabel, f"{title} Cross-validated macro-F1 by training size: {pts}.")


def plot_confusion(table: pd.DataFrame) -> Any:
    """Heatmap of gold (rows) × predicted (columns) counts of the cross-validated predictions."""
    from helpers import plots

    title, xlabel, ylabel = "Where the model errs (cross-validated)", "predicted sentiment", "label given by a person"
    if table is None or table.empty:
        return plots._no_data(title, xlabel, ylabel, "No labels yet.")
    fig, ax = plots._figure((6.0, 4.6))
    values = table.to_numpy()
    ax.imshow(values, cmap=plots.SEQUENTIAL_CMAP)
    ax.set_xticks(range(values.shape[1]), table.columns)
    ax.set_yticks(range(values.shape[0]), table.index)
    top = values.max() or 1
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{values[i, j]:,}", ha="center", va="center",
                    color="white" if values[i, j] < top * 0.6 else "black")
    cells = "; ".join(f"{g} → {p}: {int(table.loc[g, p])}" for g in table.index for p in table.columns)
    return plots._finish(fig, ax, title, xlabel, ylabel, f"{title}. Messages by person's label → model's label: {cells}.")
