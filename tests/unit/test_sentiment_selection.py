"""Units for helpers.sentiment.selection and the model-chosen labelling sample."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from builders import copy_dataset
from helpers import sentiment as S
from helpers.io import load_dataset
from helpers.sentiment.selection import RANDOM, UNCERTAINTY


def test_uncertainty_is_one_minus_the_margin():
    u = S.uncertainty(np.array([[0.34, 0.33, 0.33], [0.9, 0.05, 0.05], [0.5, 0.5, 0.0]]))
    assert u[0] == pytest.approx(0.99) and u[1] == pytest.approx(0.15) and u[2] == pytest.approx(1.0)


def test_diversity_skips_near_copies_of_picked_and_labelled():
    # items 0 and 1 are the same text (identical vectors), 2 and 3 differ; all equally uncertain but 0 > 1
    v = sparse.csr_matrix(np.array([[1.0, 0, 0], [1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]))
    scores = np.array([0.9, 0.89, 0.5, 0.4])
    assert sorted(S.pick_uncertain_diverse(scores, v, 2).tolist()) == [0, 2]  # not the copy 1
    labelled = sparse.csr_matrix(np.array([[0, 1.0, 0]]))  # item 2 is a copy of a labelled text
    assert sorted(S.pick_uncertain_diverse(scores, v, 2, labelled=labelled).tolist()) == [0, 3]
    assert S.pick_uncertain_diverse(scores, v, 10).size == 4 and S.pick_uncertain_diverse(scores, v, 0).size == 0


def test_class_weights_favour_the_sentiments_the_labels_lack():
    w = S.class_weights({"negative": 40, "neutral": 50, "positive": 4}, ["negative", "neutral", "positive"])
    assert w[2] == pytest.approx(1.0) and w[2] > w[0] > w[1] > 0
    assert S.class_weights({}, ["negative", "neutral", "positive"]).tolist() == [1.0, 1.0, 1.0]


def test_informativeness_prefers_unsure_messages_of_a_rare_sentiment():
    classes = ["negative", "neutral", "positive"]
    proba = np.array([[0.90, 0.05, 0.05],   # sure
                      [0.45, 0.45, 0.10],   # unsure between two common sentiments
                      [0.10, 0.45, 0.45],   # just as unsure, but maybe the rare one
                      [0.05, 0.05, 0.90]])  # surely the rare one: nothing to learn
    score = S.informativeness(proba, classes, {"negative": 30, "neutral": 30, "positive": 3})
    assert score.argmax() == 2 and score[2] > score[1] > score[0] and score[2] > score[3]
    even = S.informativeness(proba, classes)  # no labels yet: plain uncertainty
    assert even == pytest.approx(S.uncertainty(proba))
    assert score.min() >= 0 and score.max() <= 1


def test_a_batch_takes_one_from_every_cluster_before_a_second_from_any():
    # three tight clusters of 10 near-identical texts each; cluster 0 is the most uncertain throughout
    rng = np.random.default_rng(1)
    centres = np.eye(3)
    v = np.vstack([centres[c] + 0.01 * rng.random((10, 3)) for c in range(3)])
    v = sparse.csr_matrix(v / np.linalg.norm(v, axis=1, keepdims=True))
    scores = np.concatenate([np.full(10, 0.9), np.full(10, 0.6), np.full(10, 0.5)]) + rng.random(30) * 0.01
    picked = S.pick_uncertain_diverse(scores, v, 3, candidates=30)
    assert sorted(p // 10 for p in picked) == [0, 1, 2]
    assert picked[0] // 10 == 0  # the most uncertain cluster first


def test_choose_by_model_fills_the_rare_class_first():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet([5, 5, 1], size=200)  # the third class is rarely predicted
    vectors = sparse.csr_matrix(np.eye(200))
    picked = S.choose_by_model(proba, ["negative", "neutral", "positive"], vectors, 20,
                               label_counts={"negative": 30, "neutral": 30, "positive": 2})
    assert len(set(picked.tolist())) == 20
    assert proba[picked, 2].mean() > 2 * proba[:, 2].mean()  # likely positives are sought out


def test_select_sample_keeps_the_language_and_channel_strata_and_adds_no_guess():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from helpers.sentiment.store import SentimentModel

    train = ["great phone love it", "awful battery hate it", "the phone arrived today", "love the screen",
             "hate the update", "the store opens at nine"]
    pipe = Pipeline([("features", TfidfVectorizer()), ("clf", LogisticRegression())])
    pipe.fit(train, ["positive", "negative", "neutral", "positive", "negative", "neutral"])
    model = SentimentModel(pipe, ("en",), {})
    words = ["love", "hate", "phone", "battery", "screen", "update", "store", "today", "great", "awful"]
    rng = np.random.default_rng(0)
    rows = [(lang, ch, " ".join(rng.choice(words, 4))) for lang, ch, n in [("en", "x", 40), ("en", "tg", 20),
                                                                         ("az", "x", 20)] for _ in range(n)]
    cand = pd.DataFrame(rows, columns=["language", "channel", "text"]).assign(current_score="not scored")
    cand.index = cand.index + 1000
    labelled = pd.DataFrame({"text": train, "sentiment": ["positive", "negative", "neutral"] * 2, "language": "en"})
    out = S.select_sample(cand, 16, seed=1, model=model, labelled=labelled)
    assert out.groupby(["language", "channel"]).size().to_dict() == {("az", "x"): 4, ("en", "tg"): 4, ("en", "x"): 8}
    assert (out.loc[out["language"].eq("en"), "selection"] == UNCERTAINTY).all()
    assert (out.loc[out["language"].eq("az"), "selection"] == RANDOM).all()
    assert list(out.columns) == [*cand.columns, "selection"] and out.index.isin(cand.index).all()
    # within a stratum the model's picks are less sure than the stratum as a whole
    en_x = cand[cand["language"].eq("en") & cand["channel"].eq("x")]
    picked = out[out["language"].eq("en") & out["channel"].eq("x")]
    assert S.uncertainty(pipe.predict_proba(picked["text"])).mean() > S.uncertainty(pipe.predict_proba(en_x["text"])).mean()


@pytest.fixture(scope="module")
def with_model(tmp_path_factory, shared_dataset):
    folder = copy_dataset(shared_dataset[0], tmp_path_factory.mktemp("sel") / "ds")
    ds = load_dataset(folder)
    keep = ds.labels[ds.labels["message_id"].isin(ds.messages["message_id"])].head(250)
    model, _ = S.train(ds, keep, seed=0, n_boot=50, folds=3)
    S.save_model(model, S.default_model_dir(folder))
    S.write_labels(keep, folder)
    return folder, model


def test_sample_is_chosen_by_the_saved_model_and_never_shows_its_guess(with_model, tmp_path):
    folder, model = with_model
    ds = load_dataset(folder)
    sample = S.labelling_sample(ds, n=90, seed=3)
    assert len(sample) == 90 and sample["message_id"].is_unique
    assert not set(sample["message_id"]) & set(ds.labels["message_id"])
    scored = sample["language"].isin(model.languages)
    assert (sample.loc[scored, "selection"] == UNCERTAINTY).all()
    assert (sample.loc[~scored, "selection"] == RANDOM).all()
    assert {"ru", "az", "en"} <= set(sample["language"]) and set(sample["channel"]) == set(ds.messages["channel"])
    # the chosen messages are ones the model is less sure about than a random draw
    members = ds.messages[ds.messages["author_role"].eq("member") & ~ds.messages["message_id"].isin(ds.labels["message_id"])]
    members = members[members["text"].str.contains(r"[^\W\d_]", regex=True)].copy()
    members["language"] = S.message_languages(members).to_numpy()
    pool = members[members["language"].isin(model.languages)]
    u_pool = S.uncertainty(model.pipeline.predict_proba(pool["text"].tolist())).mean()
    chosen = sample.loc[scored, "text"].tolist()
    assert S.uncertainty(model.pipeline.predict_proba(chosen)).mean() > u_pool
    # nothing of the guess is exported
    path = S.export_labelling_sample(sample, tmp_path / "next.csv")
    exported = pd.read_csv(path, dtype=str)
    assert not {"current_score", "selection", "score", "prediction"} & set(exported.columns)
    assert S.labelling_sample(ds, n=90, seed=3)["message_id"].tolist() == sample["message_id"].tolist()
    # random on request; "model" without a model is a clear error
    assert (S.labelling_sample(ds, n=30, seed=3, strategy="random")["selection"] == RANDOM).all()
    plain = load_dataset(copy_dataset(folder, tmp_path / "plain"))
    import shutil
    shutil.rmtree(plain.path / "models")
    with pytest.raises(S.LabelError, match="needs a trained model"):
        S.labelling_sample(plain, n=10, strategy="model")
    with pytest.raises(ValueError, match="strategy must be one of"):
        S.labelling_sample(plain, n=10, strategy="clever")


def test_cli_export_says_how_the_sample_was_chosen(with_model, tmp_path, capsys):
    folder, _ = with_model
    assert S.cli(["export", str(folder), "--out", str(tmp_path / "n.xlsx"), "--n", "40"]) == 0
    out = capsys.readouterr().out
    assert "by uncertainty + diversity" in out and "40 messages" in out
