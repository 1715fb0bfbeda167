"""The labels people give: the sample to label, reading a filled file, the dataset's labels table.

1. :func:`labelling_sample` / :func:`export_labelling_sample` — a sample of member messages stratified by
   language and channel (:func:`allocate`): chosen by the current model's uncertainty with diversity once a
   model exists, stratified random (by current lexicon score) before; written as CSV or XLSX with an empty
   ``sentiment`` column and the context a person needs (the text and the message it answers), never the
   model's guess.
2. A person fills ``sentiment`` (negative / neutral / positive; common spellings, ``-1/0/1``, 1–5 stars and
   Russian or Azerbaijani words are accepted; not-relevant marks are dropped and counted). :func:`read_label_file` validates the file (XLSX, CSV in UTF-8 or
   cp1251) and :func:`import_labels` merges it into the dataset's ``labels`` table (:func:`write_labels`).
   The filled file is only read.
3. :func:`labelled_messages` joins the labels to their messages and languages for training.
"""
from __future__ import annotations

import csv
import io as _io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import Dataset, atomic_write, display_path, load_dataset, resolve_path, spreadsheet_safe
from helpers.io.importer.values import map_sentiment_column
from helpers.sentiment.backends import score_sentiment
from helpers.sentiment.selection import allocate, select_sample
from helpers.sentiment.store import (NOT_SCORED, SENTIMENTS, ModelError, SentimentModel, default_model_dir,
                                     load_model)
from helpers.text import DEFAULT_LANGUAGES, detect_languages

__all__ = [
    "LabelError", "STRATEGIES", "message_languages", "dataset_languages", "labelled_messages", "allocate",
    "current_model", "labelling_sample",
    "export_labelling_sample", "read_label_file", "write_labels", "import_labels",
]


class LabelError(ValueError):
    """A labels file or table that cannot be used (the message names file, column and rows)."""


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
    langs = list(languages or DEFAULT_LANGUAGES)
    known = messages["language"].tolist() if "language" in messages else None
    out = detect_languages(messages["text"].tolist(), languages=langs, known=known, progress=progress)
    return pd.Series(out.to_numpy(), index=messages.index, dtype="str", name="language")


def dataset_languages(ds: Dataset, languages: Sequence[str] | None) -> list[str]:
    """The languages to detect among: ``languages`` when given, else dataset.json's, else ru/az/en."""
    if languages:
        return [str(x) for x in languages]
    meta = ds.meta.get("languages")
    return [str(x) for x in meta] if isinstance(meta, list) and meta else list(DEFAULT_LANGUAGES)


def labelled_messages(ds: Dataset, labels: pd.DataFrame | None = None,
                      languages: Sequence[str] | None = None) -> pd.DataFrame:
    """The labelled messages: message_id, text, language, channel, created_at, sentiment (gold label).

    ``labels`` defaults to the dataset's ``labels`` table; LabelError when there is none or it is empty.
    Labels whose message is not in the dataset raise LabelError naming them.
    """
    table = ds.labels if labels is None else labels
    where = display_path(ds.path / "labels.csv", relative_to="root") if ds.path else "labels table"
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
    merged["language"] = message_languages(merged, dataset_languages(ds, languages)).to_numpy()
    cols = ["message_id", "text", "language", "channel", "created_at", "sentiment"]
    return merged[cols].reset_index(drop=True)


STRATEGIES = ("auto", "model", "random")
"""How :func:`labelling_sample` chooses: ``auto`` = by the model when one exists, else stratified random."""


def current_model(ds: Dataset) -> SentimentModel | None:
    """The dataset's own model (``DATA_DIR/models/sentiment``) when it exists and loads; else None."""
    if ds.path is None:
        return None
    folder = default_model_dir(ds.path)
    if not folder.is_dir():
        return None
    try:
        return load_model(folder)
    except ModelError:
        return None


def labelling_sample(ds: Dataset, n: int = 300, seed: int = 0, backend: str = "textblob",
                     languages: Sequence[str] | None = None, exclude_labelled: bool = True,
                     progress: bool = False, model: SentimentModel | None = None,
                     strategy: str = "auto") -> pd.DataFrame:
    """A sample of ``n`` member messages to label: chosen by the current model once one exists, stratified
    random before.

    Strata are language × channel, allocated proportionally (largest remainders) with at least one message
    each when ``n`` allows, so small languages and channels are represented. Within a stratum whose language
    the model scores, the messages are chosen by the model's uncertainty with diversity, balanced towards the
    sentiments the labels lack (:func:`helpers.sentiment.selection.select_sample`); other strata (and all of
    them before a model exists) are a random draw stratified further by ``backend``'s current label
    (negative / neutral / positive or "not scored"). ``model`` defaults to the dataset's own
    (``DATA_DIR/models/sentiment``) when ``strategy`` is ``auto``; ``strategy="random"`` ignores any model.
    Messages already in the labels table are skipped when ``exclude_labelled``; texts without letters are
    skipped (nothing to judge).

    Returns columns message_id, language, channel, created_at (UTC), current_score (the lexicon label: the
    random stratum), selection ("uncertainty + diversity" or "stratified random"), parent_text (the message it
    answers, "" when none), text, sentiment (empty, for the labeller), ordered by language, channel. Nothing
    of the model's guess is in it; :func:`export_labelling_sample` also leaves out current_score and
    selection.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    msgs = ds.messages
    members = msgs[msgs["author_role"].eq("member")].copy()
    members = members[members["text"].fillna("").str.contains(r"[^\W\d_]", regex=True)]
    if exclude_labelled and ds.labels is not None and len(ds.labels):
        members = members[~members["message_id"].isin(ds.labels["message_id"].dropna())]
    cols = ["message_id", "language", "channel", "created_at", "current_score", "selection", "parent_text", "text",
            "sentiment"]
    if members.empty or n <= 0:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    if strategy == "random":
        model = None
    elif model is None:
        model = current_model(ds)
        if model is None and strategy == "model":
            raise LabelError("strategy 'model' needs a trained model: train one first "
                             "(python -m helpers sentiment train DATA_DIR)")
    members["language"] = message_languages(members, dataset_languages(ds, languages), progress).to_numpy()
    scores = score_sentiment(members["text"].tolist(), members["language"].tolist(), backend=backend,
                               progress=progress)
    members["current_score"] = scores["sentiment"].astype(object).fillna(NOT_SCORED).to_numpy()
    labelled = None
    if model is not None and ds.labels is not None and len(ds.labels):
        try:
            labelled = labelled_messages(ds, languages=languages)
        except LabelError:
            labelled = None
    sample = select_sample(members, n, seed=seed, model=model, labelled=labelled)
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
    (the stratum) and the ``selection`` column are left out of the file so labellers are not anchored on a
    machine's guess. Returns the
    path written.
    """
    target = resolve_path(path)
    suffix = target.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ValueError(f"{target}: the labelling file must end in .csv or .xlsx")
    target.parent.mkdir(parents=True, exist_ok=True)
    sample = sample.drop(columns=["current_score", "selection"], errors="ignore")
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
    whose label is blank are skipped (not labelled yet). The label column's encoding is judged as a whole
    (:func:`helpers.io.importer.values.sentiment_scale`: 1–5 stars when its numbers are 1–5 with a 2–5 among
    them, else −1/0/1); not-relevant-style values (``not_relevant``, ``spam``, ``n/a`` …) are dropped and
    counted. ``result.attrs`` carries ``scale``, ``mapping`` (the stated mapping) and ``not_relevant`` (count). Raises LabelError naming the file, the column and
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
    column = map_sentiment_column(values)
    given, irrelevant, bad = column.given, column.not_relevant, column.unmapped
    problems: list[str] = []
    unmapped = column.problem(label_column, values, rows)
    if unmapped:
        problems.append(unmapped)
    no_id = given & ~irrelevant & (ids.isna() | ids.eq(""))
    if no_id.any():
        problems.append(f"column {id_column!r}: empty on labelled row(s) {', '.join(map(str, rows[no_id][:10]))}")
    ok = given & ~bad & ~no_id & ~irrelevant
    out = pd.DataFrame({"message_id": ids[ok], "sentiment": column.sentiment[ok], "row": rows[ok]})
    conflicts = out.groupby("message_id")["sentiment"].nunique()
    conflicts = conflicts[conflicts > 1]
    if len(conflicts):
        rows_of = out[out["message_id"].isin(conflicts.index)].groupby("message_id")["row"].apply(list)
        listed = "; ".join(f"{mid!r} on rows {', '.join(map(str, r))}" for mid, r in list(rows_of.items())[:5])
        problems.append(f"column {label_column!r}: {len(conflicts)} message(s) labelled differently twice — {listed}")
    if problems:
        raise LabelError(f"{shown}: " + "\n  ".join(problems))
    out = out.drop_duplicates("message_id", keep="last")
    result = out[["message_id", "sentiment"]].reset_index(drop=True).astype("string")
    result.attrs.update({"scale": column.scale, "mapping": column.mapping,
                         "not_relevant": int(irrelevant.sum())})
    return result


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
            "unchanged": len(new) - added - changed, "total": len(merged), "path": display_path(target),
            "scale": new.attrs.get("scale", "signed"), "mapping": new.attrs.get("mapping", ""),
            "not_relevant": new.attrs.get("not_relevant", 0)}

