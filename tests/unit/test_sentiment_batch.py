"""Preparing and counting many texts at once gives exactly what text-by-text preparation gives (issue 13, item 2).

:func:`helpers.sentiment.features.prepare_many` prepares each piece between whitespace once; the word and
char_wb counts of :mod:`helpers.sentiment.vectorise` count a batch's distinct tokens once. Both are compared
with the per-text code they replace — on the real tweets in ``../shared/data`` (English Apple tweets, Russian
SentiRuEval), on the shared synthetic dataset (az/ru/en) and on made-up edge cases: emoji, emoticons, ё/е,
ASCII-typed and Cyrillic-typed Azerbaijani, Turkic ``I`` with an ``ə`` elsewhere (also inside a link), mentions,
links, repeated letters, negation across clauses and newlines, exotic whitespace.
"""
from __future__ import annotations

import numpy as np
import pytest

from helpers import sentiment as S
from helpers.io import load_dataset
from helpers.sentiment import features as F
from helpers.sentiment import vectorise

EDGE_TEXTS = [
    "", " ", "\n", "a", "  leading and trailing  ", "x  y\tz", "😀😀 👍", "👍🏽\ufe0f ok", "❤️❤️", ":) :( <3 :-)) ;p :D :3",
    "))) ((( ((", "не очень хорошо!!!", "НЕ\nхорошо", "не плохо, но не\u2028очень", "Ёлки-палки, всё ещё",
    "Е́сли", "I'm sooooo happy!!!??", "Çox pis deyil", "yaxşı deyil, amma", "Heç nə yox", "Bakı'da hava çox gözəldir",
    "IBM İstanbul və Iğdır", "IBM I am here", "http://ə.az/I I see", "@Əli IBM", "www.example.com/ə?x=1 Ingilis",
    "mail me: a.b@mail.ru", "ҹәмә Iы һава", "ГӨЗӘЛ МӘКТӘБ", "Ок", "ну ладно", "Привет, Bakı!", "don't #tag #TAG",
    "NOT good at all... BUT ok", "no no no", "never\n\ngood", "a\u2000b\u3000c\u00a0d\x1ce\x85f", "x\u0301 \u0301y",
    "Ǳ ß ς Σ", "12 34 5km", "musbet müsbət MÜSBƏT", "cannot wait!!!!", "ooooh ааааа əəəə", "a❶b ❶abc",
]


def _real_texts() -> list[str]:
    data = S.shared_data_dir()
    if not (data / "apple_twitter_sentiment_dfe.csv").is_file():
        return []
    corpora = S.load_corpora()
    return corpora["en"]["text"].tolist() + corpora["ru"]["text"].tolist()


@pytest.fixture(scope="module")
def texts(shared_dataset) -> list[str]:
    ds = load_dataset(shared_dataset[0])
    return ds.messages["text"].fillna("").astype(str).tolist() + _real_texts() + EDGE_TEXTS


@pytest.fixture(scope="module")
def model(shared_dataset):
    return S.train(load_dataset(shared_dataset[0]), seed=0, n_boot=50)[0]


def _per_text(text: str) -> tuple[str, str]:
    return F._prepared.__wrapped__(text)  # the text-by-text preparation, not its cache


def test_prepare_many_is_the_per_text_preparation(texts):
    words, chars = F.prepare_many(texts)
    assert len(words) == len(chars) == len(texts)
    bad = [(t, _per_text(t), (w, c)) for t, w, c in zip(texts, words, chars) if _per_text(t) != (w, c)]
    assert not bad, bad[:3]
    assert any(" not_" in w for w in words) and any("xxurl" in w for w in words)  # both paths ran


def test_prepare_many_with_warm_pieces_and_both_casings(texts):
    F.prepare_many(texts[::-1])  # pieces cached in another order first
    words, chars = F.prepare_many(texts)
    assert [(w, c) for w, c in zip(words, chars)] == [_per_text(t) for t in texts]
    # a piece is cached per Turkic casing (an ə elsewhere in the text: I → ı, then folded to i like I → i)
    assert F.prepare_many(["Iki gün", "Iki gün ə"])[1] == ["iki gun", "iki gun e"]
    assert "Iki" in F._pieces[True] and "Iki" in F._pieces[False]


def test_real_and_synthetic_texts_are_counted_as_sklearn_counts_them(model, texts):
    fast = vectorise.fast_features(model.pipeline)
    union = model.pipeline.steps[0][1]
    expected = union.transform(texts).tocsr()
    for got in (fast.transform(texts), fast.transform(texts)):  # cold and warm caches
        got = got.tocsr()
        np.testing.assert_array_equal(got.indptr, expected.indptr)
        np.testing.assert_array_equal(got.indices, expected.indices)
        np.testing.assert_array_equal(got.data, expected.data)
    small = fast.transform(texts[:7]).tocsr()  # a batch of few (and empty) texts
    np.testing.assert_array_equal(small.toarray(), expected[:7].toarray())
    np.testing.assert_array_equal(vectorise.predict_proba(model.pipeline, texts, fast),
                                  model.pipeline.predict_proba(texts))


def test_a_word_vectoriser_without_batch_preparation_is_counted_too(model):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    docs = ["good day", "bad bad day", "fine", "", "day good good", "a b c"]
    union = FeatureUnion([("w", TfidfVectorizer(ngram_range=(1, 2), lowercase=False)),
                          ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), lowercase=False,
                                                preprocessor=str.upper))]).fit(docs)
    fast = vectorise.FastFeatures(union)
    np.testing.assert_array_equal(fast.transform(docs + ["bad good"]).toarray(),
                                  union.transform(docs + ["bad good"]).toarray())
