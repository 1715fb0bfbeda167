"""Scoring a saved model's pipeline faster, with the same numbers: character n-grams counted once per word.

The models :func:`helpers.sentiment.build_pipeline` fits are a ``FeatureUnion`` of a word TF-IDF, a character
TF-IDF with ``analyzer="char_wb"`` and a lexicon ``FunctionTransformer``, followed by a classifier. scikit-learn
builds the ``char_wb`` n-grams of every word of every text in Python — two thirds of the scoring time on a
million messages. Those n-grams depend only on the word (each word is padded with spaces and cut on its own),
and words repeat across texts far more than texts do, so :class:`FastFeatures` keeps each word's vocabulary
columns and sums them per text. The counts are the same integers scikit-learn counts, in the same canonical
order, and the TF-IDF weighting is the same arithmetic (sublinear tf, idf, l2 norm), so the feature matrix,
the probabilities and the labels are the same (tests/unit/test_sentiment.py compares them with
``pipeline.predict_proba``). A pipeline of any other shape is scored by scikit-learn itself.

The bottom of :mod:`helpers.sentiment` next to :mod:`~helpers.sentiment.store`: it imports no other module of
the package (the pipeline brings its own preprocessors).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["FastFeatures", "fast_features", "predict_proba"]

_MAX_CACHED_WORDS = 1_000_000
"""Words whose columns are kept (a year of a busy page has a few hundred thousand distinct words)."""


class FastFeatures:
    """The ``FeatureUnion`` of a fitted pipeline, with its ``char_wb`` vectoriser counted per word (see the
    module docstring); :meth:`transform` returns what ``union.transform`` returns (CSR, float64)."""

    def __init__(self, union: Any) -> None:
        self.union = union
        self._columns: dict[str, np.ndarray] = {}

    @staticmethod
    def supports(union: Any) -> bool:
        """Whether ``union`` is a fitted FeatureUnion whose char_wb vectorisers this class can count."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # third-party, imported on first use
        from sklearn.pipeline import FeatureUnion

        if not isinstance(union, FeatureUnion) or union.transformer_weights is not None:
            return False
        return any(_countable(t) for _, t in union.transformer_list if isinstance(t, TfidfVectorizer))

    def transform(self, docs: Sequence[str]) -> Any:
        from scipy import sparse  # third-party, imported on first use (start-up speed)

        parts = []
        for _, trans in self.union.transformer_list:
            if trans == "drop":
                continue
            parts.append(self._char_wb(trans, docs) if _countable(trans) else trans.transform(docs))
        if any(sparse.issparse(p) for p in parts):
            return sparse.hstack(parts).tocsr()
        return np.hstack(parts)

    def _char_wb(self, vec: Any, docs: Sequence[str]) -> Any:
        """``vec.transform(docs)``, counting each distinct word's n-grams once."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        vocabulary = vec.vocabulary_
        prepare: Callable[[str], str] = vec.build_preprocessor()
        low, high = vec.ngram_range
        columns = self._columns
        if len(columns) > _MAX_CACHED_WORDS:
            columns.clear()
        cols: list[np.ndarray] = []
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        total = 0
        for row, doc in enumerate(docs):
            for word in prepare(vec.decode(doc)).split():
                found = columns.get(word)
                if found is None:
                    found = columns[word] = _word_columns(word, low, high, vocabulary)
                if len(found):
                    cols.append(found)
                    total += len(found)
            indptr[row + 1] = total
        indices = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        counts = sparse.csr_matrix((np.ones(len(indices), dtype=vec.dtype), indices, indptr),
                                   shape=(len(docs), len(vocabulary)), dtype=vec.dtype)
        counts.sum_duplicates()  # adds repeated columns and sorts them, as CountVectorizer leaves its counts
        if vec.binary:
            counts.data.fill(1)
        x = counts.astype(np.float64)
        if vec.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1.0
        if vec.use_idf:
            x.data *= vec.idf_[x.indices]
        if vec.norm is not None:
            x = normalize(x, norm=vec.norm, copy=False)
        return x


def _countable(trans: Any) -> bool:
    """A fitted TfidfVectorizer whose n-grams come from words alone: analyzer char_wb, no lower-casing or
    accent stripping inside scikit-learn (our pipelines prepare texts themselves), plain string input."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (isinstance(trans, TfidfVectorizer) and trans.analyzer == "char_wb" and not trans.lowercase
            and trans.strip_accents is None and trans.input == "content" and hasattr(trans, "vocabulary_")
            and (not trans.use_idf or hasattr(trans, "idf_")))


def _word_columns(word: str, low: int, high: int, vocabulary: dict[str, int]) -> np.ndarray:
    """Vocabulary columns of the char_wb n-grams of one word, in scikit-learn's order (repeats kept)."""
    padded = " " + word + " "
    size = len(padded)
    found: list[int] = []
    for n in range(low, high + 1):
        offset = 0
        gram = padded[:n]
        if gram in vocabulary:
            found.append(vocabulary[gram])
        while offset + n < size:
            offset += 1
            gram = padded[offset:offset + n]
            if gram in vocabulary:
                found.append(vocabulary[gram])
        if offset == 0:  # a word shorter than n counts once, as scikit-learn counts it
            break
    return np.asarray(found, dtype=np.int64)


def fast_features(pipeline: Any) -> FastFeatures | None:
    """:class:`FastFeatures` for a fitted ``Pipeline([("features", FeatureUnion), …, classifier])``, else None."""
    steps = getattr(pipeline, "steps", None)
    if not steps or len(steps) != 2 or not FastFeatures.supports(steps[0][1]):
        return None
    return FastFeatures(steps[0][1])


def predict_proba(pipeline: Any, docs: Sequence[str], features: FastFeatures | None = None) -> np.ndarray:
    """``pipeline.predict_proba(docs)``, with the union's features from ``features`` when given."""
    if features is None:
        return pipeline.predict_proba(list(docs))
    return pipeline.steps[-1][1].predict_proba(features.transform(list(docs)))
