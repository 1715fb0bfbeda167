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

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["FastFeatures", "fast_features", "predict_proba"]

_MAX_CACHED_WORDS = 1_000_000
"""Words whose columns are kept (a year of a busy page has a few hundred thousand distinct words)."""


class FastFeatures:
    """The ``FeatureUnion`` of a fitted pipeline, with its ``char_wb`` and word vectorisers counted per distinct
    word of a batch (see the module docstring); :meth:`transform` returns what ``union.transform`` returns (CSR,
    float64)."""

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

        docs = list(docs)
        prepared = _prepared_batches(self.union, docs)
        parts = []
        for _, trans in self.union.transformer_list:
            if trans == "drop":
                continue
            if _countable(trans):
                parts.append(self._char_wb(trans, _preprocessed(trans, docs, prepared)))
            elif _word_countable(trans):
                parts.append(_words(trans, _preprocessed(trans, docs, prepared)))
            else:
                parts.append(trans.transform(docs))
        if any(sparse.issparse(p) for p in parts):
            return sparse.hstack(parts, format="csr")
        return np.hstack(parts)

    def _char_wb(self, vec: Any, prepared: list[str]) -> Any:
        """``vec.transform(docs)`` from the prepared texts, counting each distinct word's n-grams once."""
        from scipy import sparse

        vocabulary = vec.vocabulary_
        low, high = vec.ngram_range
        columns = self._columns
        if len(columns) > _MAX_CACHED_WORDS:
            columns.clear()
        codes, uniques, indptr = _flat_tokens([doc.split() for doc in prepared])
        cols = []
        for word in uniques:
            found = columns.get(word)
            if found is None:
                found = columns[word] = _word_columns(word, low, high, vocabulary)
            cols.append(found)
        word_indptr = np.zeros(len(cols) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in cols], out=word_indptr[1:])
        indices = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        grams = sparse.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, word_indptr),
                                  shape=(len(cols), len(vocabulary)))
        words = sparse.csr_matrix((np.ones(len(codes), dtype=np.float64), codes, indptr),
                                  shape=(len(prepared), len(cols)))
        return _weigh(vec, (words @ grams).tocsr())


def _prepared_batches(union: Any, docs: list[str]) -> dict[Any, list[str]]:
    """The preprocessors' outputs for ``docs`` where a preprocessor prepares a batch at once: a function with a
    ``batch`` attribute, ``batch(docs)`` returning {preprocessor: outputs} for it and its siblings (e.g.
    :func:`helpers.sentiment.features.prepare_words` and ``prepare_chars`` share their work)."""
    out: dict[Any, list[str]] = {}
    for _, trans in union.transformer_list:
        batch = getattr(getattr(trans, "preprocessor", None), "batch", None)
        if batch is not None and getattr(trans, "preprocessor", None) not in out:
            out.update(batch(docs))
    return out


def _preprocessed(vec: Any, docs: list[str], prepared: dict[Any, list[str]]) -> list[str]:
    """``vec``'s preprocessor applied to every doc (a batch result when there is one)."""
    if vec.preprocessor in prepared:
        return prepared[vec.preprocessor]
    prepare: Callable[[str], str] = vec.build_preprocessor()
    return [prepare(vec.decode(doc)) for doc in docs]


def _flat_tokens(token_lists: list[list[str]]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(code of every token in order, the distinct tokens, each doc's first token's position + the end)."""
    import pandas as pd  # third-party, imported on first use (start-up speed)

    indptr = np.zeros(len(token_lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists)), out=indptr[1:])
    flat = np.fromiter(itertools.chain.from_iterable(token_lists), dtype=object, count=int(indptr[-1]))
    codes, uniques = pd.factorize(flat)
    return codes.astype(np.int64, copy=False), list(uniques), indptr


def _words(vec: Any, prepared: list[str]) -> Any:
    """``vec.transform(docs)`` of a word vectoriser of 1- and/or 2-grams from the prepared texts: its tokenizer on
    each text, the vocabulary looked up once per distinct token and token pair of the batch."""
    from scipy import sparse

    vocabulary = vec.vocabulary_
    low, high = vec.ngram_range
    tokenize = vec.build_tokenizer()
    codes, uniques, indptr = _flat_tokens([tokenize(doc) for doc in prepared])
    doc_of = np.repeat(np.arange(len(prepared), dtype=np.int64), np.diff(indptr))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if low == 1:
        unigram = np.fromiter((vocabulary.get(u, -1) for u in uniques), dtype=np.int64, count=len(uniques))
        rows.append(doc_of)
        cols.append(unigram[codes])
    if high == 2 and len(codes) > 1:
        same = doc_of[1:] == doc_of[:-1]
        pairs = codes[:-1][same] * len(uniques) + codes[1:][same]
        distinct, inverse = np.unique(pairs, return_inverse=True)
        n = len(uniques)
        bigram = np.fromiter((vocabulary.get(f"{uniques[k // n]} {uniques[k % n]}", -1) for k in distinct.tolist()),
                             dtype=np.int64, count=len(distinct))
        rows.append(doc_of[1:][same])
        cols.append(bigram[inverse.ravel()])
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    known = col >= 0
    counts = sparse.coo_matrix((np.ones(int(known.sum()), dtype=np.float64), (row[known], col[known])),
                               shape=(len(prepared), len(vocabulary))).tocsr()
    return _weigh(vec, counts)


def _weigh(vec: Any, counts: Any) -> Any:
    """What ``vec`` (a TfidfVectorizer) makes of its raw counts (CSR float64): canonical order, binary, sublinear
    tf, idf, norm — the arithmetic of scikit-learn's TfidfTransformer, so the numbers are the same."""
    from sklearn.preprocessing import normalize

    counts.sum_duplicates()  # adds repeated columns and sorts them, as CountVectorizer leaves its counts
    if vec.binary:
        counts.data.fill(1)
    x = counts.astype(np.float64, copy=False)
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


def _word_countable(trans: Any) -> bool:
    """A fitted TfidfVectorizer of words (1- and/or 2-grams) that takes its tokens as its tokenizer finds them:
    no lower-casing, accent stripping or stop words inside scikit-learn, plain string input."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (isinstance(trans, TfidfVectorizer) and trans.analyzer == "word" and not trans.lowercase
            and trans.strip_accents is None and trans.stop_words is None and trans.input == "content"
            and hasattr(trans, "vocabulary_") and tuple(trans.ngram_range) in {(1, 1), (1, 2), (2, 2)}
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
