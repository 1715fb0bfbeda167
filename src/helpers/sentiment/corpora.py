"""Real, human-labelled public tweets for tuning and checking the model (``../shared/data/``).

Two collections that synthetic templates cannot imitate (described in ``../shared/data/README.md``; never
copied into the project):

* :func:`read_apple_tweets` — 3,886 English tweets about Apple (2014, "Data for Everyone"), crowd labels
  ``1`` / ``3`` / ``5`` (negative / neutral / positive) and ``not_relevant`` (dropped and counted);
* :func:`read_sentirueval` — 2,247 Russian tweets about telecom operators (SentiRuEval-2016 gold test set),
  one ``-1`` / ``0`` / ``1`` column per operator; a tweet keeps a label when every operator it is about
  agrees (the 49 tweets with mixed labels are dropped and counted).

Both go through :func:`helpers.io.normalise_sentiment` (the same mapping as ``sentiment import``) and
drop exact duplicate texts (retweets; the most frequent label wins), so a held-out split never contains a
copy of a training text. :func:`load_corpora` reads whichever files are present.
"""
from __future__ import annotations

import csv
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pandas as pd

from helpers.io import normalise_sentiment, workbook_root
from helpers.sentiment.store import SENTIMENTS

__all__ = ["APPLE_FILE", "SENTIRUEVAL_FILE", "shared_data_dir", "read_apple_tweets", "read_sentirueval",
           "load_corpora"]

APPLE_FILE = "apple_twitter_sentiment_dfe.csv"
SENTIRUEVAL_FILE = "sentirueval2016_tkk_test_etalon.xml"
_OPERATORS = ("beeline", "mts", "megafon", "tele2", "rostelecom", "komstar", "skylink")


def shared_data_dir() -> Path:
    """``../shared/data`` next to the workbook root (``$WORKBOOK_SHARED_DATA`` overrides it)."""
    env = os.environ.get("WORKBOOK_SHARED_DATA")
    return Path(env) if env else workbook_root().parent / "shared" / "data"


def _frame(ids: list[str], texts: list[str], labels: list[str], language: str, dropped: Counter) -> pd.DataFrame:
    """message_id, text, language, channel, sentiment; duplicate texts collapsed (most frequent label)."""
    frame = pd.DataFrame({"message_id": ids, "text": texts, "sentiment": labels})
    key = frame["text"].str.strip()
    majority = frame.groupby(key)["sentiment"].agg(lambda s: s.value_counts().index[0])
    before = len(frame)
    frame = frame.loc[~key.duplicated()].copy()
    frame["sentiment"] = key[frame.index].map(majority).to_numpy()
    if before > len(frame):
        dropped["duplicate text"] += before - len(frame)
    frame["language"] = language
    frame["channel"] = "x"
    frame = frame[["message_id", "text", "language", "channel", "sentiment"]].reset_index(drop=True)
    frame.attrs["dropped"] = dict(dropped)
    return frame


def read_apple_tweets(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The Apple tweets as message_id (``_unit_id``), text, language ``en``, channel ``x``, sentiment.

    ``frame.attrs["dropped"]`` counts the rows left out (``not_relevant``, unknown label, duplicate text).
    """
    src = Path(path) if path is not None else shared_data_dir() / APPLE_FILE
    ids, texts, labels = [], [], []
    dropped: Counter = Counter()
    with open(src, encoding="latin-1", newline="") as fh:
        for row in csv.DictReader(fh):
            raw = (row.get("sentiment") or "").strip()
            label = normalise_sentiment(raw, scale="stars")
            if label is None:
                dropped[raw.casefold() if raw.casefold() == "not_relevant" else "unknown label"] += 1
                continue
            ids.append(str(row["_unit_id"]))
            texts.append(row.get("text") or "")
            labels.append(label)
    return _frame(ids, texts, labels, "en", dropped)


def read_sentirueval(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The SentiRuEval-2016 telecom tweets as message_id (``id``), text, language ``ru``, channel ``x``,
    sentiment (the operators' common label; ``frame.attrs["dropped"]`` counts mixed and duplicate ones)."""
    src = Path(path) if path is not None else shared_data_dir() / SENTIRUEVAL_FILE
    ids, texts, labels = [], [], []
    dropped: Counter = Counter()
    for table in ET.parse(src).getroot().iter("table"):
        cols = {c.get("name"): (c.text or "") for c in table.iter("column")}
        given = {normalise_sentiment(cols[o]) for o in _OPERATORS if cols.get(o, "NULL") not in ("NULL", "")}
        if len(given) != 1 or None in given:
            dropped["mixed labels" if len(given) > 1 else "no label"] += 1
            continue
        ids.append(str(cols.get("id")))
        texts.append(cols.get("text", ""))
        labels.append(given.pop())
    return _frame(ids, texts, labels, "ru", dropped)


def load_corpora(folder: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """The real corpora present in ``folder`` (default :func:`shared_data_dir`), keyed by language code;
    an empty dict when neither file is there."""
    base = Path(folder) if folder is not None else shared_data_dir()
    out: dict[str, pd.DataFrame] = {}
    if (base / APPLE_FILE).is_file():
        out["en"] = read_apple_tweets(base / APPLE_FILE)
    if (base / SENTIRUEVAL_FILE).is_file():
        out["ru"] = read_sentirueval(base / SENTIRUEVAL_FILE)
    for frame in out.values():
        assert set(frame["sentiment"]) <= set(SENTIMENTS)
    return out
