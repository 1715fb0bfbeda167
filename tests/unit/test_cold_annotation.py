"""The cold annotation path's shortcuts give exactly what the slow path gives (issue 13, item 2).

Each shortcut is compared with the code it replaces, on the shared synthetic dataset and on made-up edge cases:
the per-word char n-gram counts (:mod:`helpers.sentiment.vectorise`) with scikit-learn's own transform, VADER's
silent texts with VADER itself, the Russian-by-script answer with lingua, the Unicode-mark pattern of
:func:`helpers.text.normalise` with the character-by-character test, and the model scored in a pool with
the model scored in this process.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from helpers import parallel, text
from helpers import sentiment as S
from helpers.io import load_dataset
from helpers.sentiment import features as sentiment_features
from helpers.sentiment import vectorise
from helpers.sentiment.backends import vader_analyzer
from helpers.text import language as text_language
from helpers.text import normalising

EDGE_TEXTS = ["", " ", "a", "ab", "x  y\tz", "😀😀 👍", ":) :( <3", "не очень хорошо!!!", "Çox pis deyil",
              "NOT good at all... BUT ok", "kind of great", "ёлки-палки", "Е́сли", "https://x.com/a @user", "123 45",
              "I'm sooooo happy", "Bakı'da hava çox gözəldir", "да", "Ок", "ну ладно", "Привет, Bakı!"]


@pytest.fixture(scope="module")
def texts(shared_dataset) -> list[str]:
    ds = load_dataset(shared_dataset[0])
    return ds.messages["text"].fillna("").astype(str).tolist() + EDGE_TEXTS


@pytest.fixture(scope="module")
def model(shared_dataset):
    ds = load_dataset(shared_dataset[0])
    return S.train(ds, seed=0, n_boot=50)[0]


def test_char_ngrams_counted_per_word_are_sklearns_features(model, texts):
    fast = vectorise.fast_features(model.pipeline)
    assert fast is not None  # the pipelines build_pipeline fits take the fast path
    union = model.pipeline.steps[0][1]
    expected = union.transform(texts).tocsr()
    got = fast.transform(texts).tocsr()
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got.indptr, expected.indptr)
    np.testing.assert_array_equal(got.indices, expected.indices)
    np.testing.assert_array_equal(got.data, expected.data)
    again = fast.transform(texts[::-1]).tocsr()  # the word cache does not leak between texts
    np.testing.assert_array_equal(again.toarray()[::-1], expected.toarray())
    np.testing.assert_array_equal(vectorise.predict_proba(model.pipeline, texts, fast),
                                  model.pipeline.predict_proba(texts))


def test_other_pipelines_are_scored_by_sklearn_itself(model):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    plain = Pipeline([("features", FeatureUnion([("w", TfidfVectorizer())])), ("clf", LogisticRegression())])
    plain.fit(["good day", "bad day", "fine", "awful"], ["positive", "negative", "positive", "negative"])
    assert vectorise.fast_features(plain) is None
    assert vectorise.fast_features(model.pipeline.steps[-1][1]) is None


def test_vader_silent_texts_score_what_vader_scores(texts):
    analyzer = vader_analyzer()
    silent = 0
    for t in texts:
        s = analyzer.polarity_scores(t)
        assert sentiment_features._vader_row.__wrapped__(t) == (s["pos"], s["neg"], s["compound"]), t
        silent += sentiment_features._vader_silent(t, analyzer)
    assert 0 < silent < len(texts)  # both paths ran


def test_russian_by_script_is_what_lingua_says(texts):
    detector = text_language.language_detector(tuple(sorted(text.DEFAULT_LANGUAGES)))
    russian = [t for t in texts if text.LETTER_RE.search(t) and not text_language._NOT_RUSSIAN_LETTER_RE.search(t)]
    assert len(russian) > 20
    for t in russian:
        cleaned = " ".join(text.strip_links(t).split())
        values = detector.compute_language_confidence_values(cleaned)
        assert values[0].language.iso_code_639_1.name.lower() == "ru" and values[0].value == 1.0, t
    assert text.detect_languages(russian, progress=False, workers=1).eq("ru").all()
    assert text.detect_languages(["да"], languages=["en"], progress=False, workers=1).tolist() == ["und"]
    assert not text_language._russian_by_script(("ru", "uk", "en"))  # Ukrainian letters overlap: ask lingua


def _normalise_char_by_char(text: str) -> str:
    """normalise as it was written before the shortcuts (translate always, a category lookup per character)."""
    text = unicodedata.normalize("NFC", text).translate(normalising._APOSTROPHES)
    text = text.replace("I", "ı").replace("İ", "i") if normalising._AZ_LETTERS_RE.search(text) else text.replace("İ", "i")
    text = text.casefold().replace("ё", "е")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def test_normalise_shortcuts_change_nothing(texts):
    sample = texts + ["".join(chr(c) for c in range(0x300, 0x380)), "a\u0301b\u20dd\U000e0100c", "it`s ‘ok’ ‐ yes"]
    for t in sample:
        assert normalising.normalise(t) == _normalise_char_by_char(t), t
    assert "\u0301" in normalising._nonspacing_marks() and len(normalising._nonspacing_marks()) > 1000
    assert normalising.normalise("Е́сли ёлка ’s") == "если елка 's"


def test_model_scored_in_a_pool_equals_this_process(model, texts, tmp_path, monkeypatch):
    folder = S.save_model(model, tmp_path / "m")
    langs = [model.languages[0]] * len(texts)
    serial = S.score_sentiment(texts, langs, backend=f"model:{folder}", progress=False, workers=1)
    monkeypatch.setattr(parallel, "POOL_MIN_ITEMS", 0)
    pooled = S.score_sentiment(texts, langs, backend=f"model:{folder}", progress=False, workers=2)
    pd.testing.assert_frame_equal(pooled, serial)
    assert serial["scored"].sum() > len(texts) // 2
