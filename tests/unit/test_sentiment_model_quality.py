"""Model quality against planted truth on a fresh seed (slow: two 12k-message datasets, ~30 s).

500 gold labels from one synthetic seed train the model; it is then scored against the gold sentiment of
EVERY member message of another seed, per language, next to TextBlob and VADER (not scored counts as
"neutral" for them — their most favourable honest reading).

Both datasets carry lexicon-hard English (``lexicon_hard_share=0.4``: 40 % of English member texts are
sarcasm, complaints without negative words, praise through negatives — see helpers.synth_sentiment); on the
generator's plain templates TextBlob is near perfect (macro-F1 0.99), which is not what real text looks like.

Measured (train seed → test seed: English model / TextBlob / VADER; Russian, Azerbaijani model / not scored):
  7 → 11:  en 0.85 / 0.68 / 0.63;  ru 1.00 / 0.21;  az 0.97 / 0.21   (the seeds this test uses)
  21 → 22: en 0.86 / 0.70 / 0.66;  ru 1.00 / 0.20;  az 0.94 / 0.21
(with lexicon_hard_share 0.3 instead: 5 → 6 en 0.85 / 0.78 / 0.69 — too close to assert a margin.)
Margins asserted below leave about half of the smallest measured gap as headroom.
"""
from __future__ import annotations

import pandas as pd
import pytest

from helpers import sentiment as S
from helpers import synth
from helpers import text as T
from helpers.io import load_dataset

pytestmark = pytest.mark.slow

TRAIN_SEED, TEST_SEED = 7, 11
HARD_SHARE = 0.4
EN_MARGIN_OVER_LEXICON = 0.08  # measured gap 0.16–0.17 over TextBlob, 0.20–0.22 over VADER
OTHER_MARGIN_OVER_NOT_SCORED = 0.5  # measured gap 0.73–0.80
EN_MIN = 0.75  # measured 0.85–0.86


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    train_dir = tmp_path_factory.mktemp("q") / "train"
    test_dir = tmp_path_factory.mktemp("q") / "test"
    synth.write_synthetic(train_dir, seed=TRAIN_SEED, labels=500, lexicon_hard_share=HARD_SHARE)
    synth.write_synthetic(test_dir, seed=TEST_SEED, lexicon_hard_share=HARD_SHARE)
    model, _ = S.train(load_dataset(train_dir), seed=0, n_boot=200)
    test = load_dataset(test_dir)
    gold = pd.read_csv(test_dir / "gold_sentiment.csv", dtype=str)
    msgs = test.messages.merge(gold, on="message_id")
    assert len(msgs) == len(gold)
    msgs["language"] = S.message_languages(msgs).to_numpy()
    texts, langs = msgs["text"].tolist(), msgs["language"].tolist()
    preds = {"model": model.predict(texts, langs)["sentiment"]}
    for backend in ("textblob", "vader"):
        preds[backend] = S.score_sentiment(texts, langs, backend=backend, progress=False)["sentiment"]
    scores = {}
    for lang in ("en", "ru", "az"):
        mask = (msgs["language"] == lang).to_numpy()
        assert mask.sum() > 1000
        for name, pred in preds.items():
            p = pred[mask].astype(object).fillna("neutral")  # not scored → neutral, the lexicons' best case
            scores[(lang, name)] = S.score_report(msgs.loc[mask, "sentiment"], p, n_boot=200)["macro_f1"]
    print({f"{k[0]}/{k[1]}": round(v, 3) for k, v in scores.items()})
    return model, scores


def test_model_beats_lexicons_on_english_of_another_seed(scored):
    _, s = scored
    assert s[("en", "model")] >= EN_MIN
    assert s[("en", "model")] >= s[("en", "textblob")] + EN_MARGIN_OVER_LEXICON
    assert s[("en", "model")] >= s[("en", "vader")] + EN_MARGIN_OVER_LEXICON


@pytest.mark.parametrize("lang", ["ru", "az"])
def test_model_beats_not_scored_on_russian_and_azerbaijani(scored, lang):
    model, s = scored
    assert lang in model.languages
    # the lexicons score nothing here: their macro-F1 is the all-"neutral" baseline
    assert s[(lang, "textblob")] == pytest.approx(s[(lang, "vader")])
    assert s[(lang, "model")] >= s[(lang, "textblob")] + OTHER_MARGIN_OVER_NOT_SCORED


def test_cross_validated_score_predicts_the_fresh_seed_score(scored):
    model, s = scored
    cv = model.metadata["cv"]["by_language"]
    for lang in ("en", "ru", "az"):
        # the CV estimate on 500 labels is an honest guide to the score on new data (within 0.12)
        assert abs(cv[lang]["macro_f1"] - s[(lang, "model")]) <= 0.12, (lang, cv[lang]["macro_f1"], s[(lang, "model")])
