"""``sentiment_backend="auto"``: the dataset's own validated model when it reads the languages present, else
TextBlob — and what ran is recorded (issue 14, item 1)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import copy_dataset

from helpers import audience, crisis
from helpers import sentiment as S
from helpers.annotate import annotate_with_scorer
from helpers.io import load_dataset
from helpers.report import Findings


@pytest.fixture(scope="module")
def models(tmp_path_factory, shared_dataset) -> dict[str, Path]:
    """Dataset copies: ``bare`` (no model), ``full`` (a model for az/ru/en), ``no_az`` (labels without az)."""
    base = tmp_path_factory.mktemp("choice")
    out = {name: copy_dataset(shared_dataset[0], base / name) for name in ("bare", "full", "no_az")}
    ds = load_dataset(out["full"])
    model, _ = S.train(ds, seed=0, n_boot=30)
    S.save_model(model, S.default_model_dir(out["full"]))
    langs = S.message_languages(ds.messages.set_index("message_id").loc[ds.labels["message_id"]].reset_index())
    no_az, _ = S.train(ds, ds.labels[(langs != "az").to_numpy()], seed=0, n_boot=30)
    S.save_model(no_az, S.default_model_dir(out["no_az"]))
    return out


LANGS = ["ru"] * 50 + ["az"] * 30 + ["en"] * 20


def test_no_model_runs_the_english_lexicon_and_says_what_it_leaves(models):
    c = S.choose_backend("auto", models["bare"], LANGS)
    assert (c.backend, c.reason) == ("textblob", "no_model")
    assert c.languages_present == ("az", "en", "ru") and c.languages_not_read == ("az", "ru")
    assert "notebook 04" in c.explanation and "az, ru not scored" in c.explanation


def test_a_model_that_reads_every_language_runs(models):
    c = S.choose_backend("auto", models["full"], LANGS)
    assert c.reason == "model_covers" and c.backend == f"model:{S.default_model_dir(models['full'])}"  # tmp: outside the workbook
    assert c.languages_not_read == ()
    assert S.choose_backend(" AUTO ", models["full"], LANGS).reason == "model_covers"  # any spelling of auto


def test_a_partial_model_runs_when_it_reads_more_than_the_lexicon(models):
    c = S.choose_backend("auto", models["no_az"], LANGS)
    assert c.reason == "model_reads_more" and c.backend.startswith("model:")
    assert c.languages_not_read == ("az",)
    # a dataset that is nearly all Azerbaijani: the model reads no more than the English lexicon would... but
    # on a tie the validated model still wins; with fewer than 1 % a language does not count as present
    assert S.choose_backend("auto", models["no_az"], ["az"] * 99 + ["en"]).reason == "model_reads_more"
    assert S.choose_backend("auto", models["full"], ["ru"] * 500 + ["de"] * 4).reason == "model_covers"


def test_a_model_that_reads_less_than_the_lexicon_is_not_used(models, tmp_path):
    folder = copy_dataset(models["no_az"], tmp_path / "ds")
    meta_path = S.default_model_dir(folder) / S.METADATA_FILE
    c = S.choose_backend("auto", folder, ["en"] * 10)
    assert c.reason == "model_covers"  # it has English labels
    # pretend the model read only Azerbaijani, on English data: the lexicon reads more
    import joblib
    bundle = joblib.load(S.default_model_dir(folder) / S.MODEL_FILE)
    bundle["languages"] = ["az"]
    joblib.dump(bundle, S.default_model_dir(folder) / S.MODEL_FILE)
    meta_path.touch()
    c = S.choose_backend("auto", folder, ["en"] * 10 + ["az"])
    assert (c.backend, c.reason) == ("textblob", "model_reads_less")


def test_unvalidated_or_broken_models_fall_back_with_the_reason(models, tmp_path):
    folder = copy_dataset(models["full"], tmp_path / "ds")
    meta_path = S.default_model_dir(folder) / S.METADATA_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.pop("cv")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    c = S.choose_backend("auto", folder, LANGS)
    assert (c.backend, c.reason) == ("textblob", "model_not_validated")
    meta_path.write_text("{not json", encoding="utf-8")
    c = S.choose_backend("auto", folder, LANGS)
    assert (c.backend, c.reason) == ("textblob", "model_unusable") and "unreadable metadata" in c.explanation


def test_a_named_backend_is_used_as_named(models):
    c = S.choose_backend("vader", models["full"], LANGS)
    assert (c.backend, c.reason, c.languages_not_read) == ("vader", "requested", ("az", "ru"))
    assert S.choose_backend("auto", None, LANGS).reason == "no_data_dir"
    with pytest.raises(ValueError, match="chosen per dataset"):
        S.score_sentiment(["fine"], "en", backend="auto")


def test_notebook_analyses_default_to_auto_and_report_what_ran(models, shared_audience, tmp_path):
    data = audience.prepare(models["full"], progress=False)  # no backend named
    assert data.sentiment_backend.startswith("model:") and data.sentiment_choice.reason == "model_covers"
    members = data.messages[data.messages["author_role"].eq("member")]
    lexicon = shared_audience.messages[shared_audience.messages["author_role"].eq("member")]
    assert members["scored"].mean() > 0.9 > 0.5 > lexicon["scored"].mean()  # the model reads az and ru too
    assert shared_audience.sentiment_backend == "textblob"  # no model in the shared folder
    cd = crisis.prepare(models["no_az"], progress=False)
    assert cd.sentiment_choice.reason == "model_reads_more" and "az" in cd.sentiment_choice.languages_not_read
    # findings.json: "auto" in the parameters, the chosen scorer and its validation once the notebook records it
    f = Findings(tmp_path / "out", notebook="x", parameters={"data_dir": str(models["full"]),
                                                             "sentiment_backend": "auto"})
    assert "sentiment_scorer" not in f.values
    f.update(data.sentiment_choice.as_dict())
    saved = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert saved["sentiment_backend"] == data.sentiment_backend and saved["sentiment_backend_requested"] == "auto"
    assert saved["sentiment_scorer_cv_macro_f1"] is not None and saved["sentiment_backend_choice"] == "model_covers"


def test_annotate_without_a_folder_falls_back_to_the_lexicon(shared_audience):
    msgs = shared_audience.dataset.messages.head(50)
    out, choice = annotate_with_scorer(msgs, progress=False)
    assert choice.backend == "textblob" and out["scored"].sum() <= (out["language"] == "en").sum()


def test_inside_the_workbook_the_model_is_named_from_its_root():
    """findings and pages never carry this machine's paths: data/sample's model is ``model:data/sample/…``."""
    from helpers.io import workbook_root
    sample = workbook_root() / "data" / "sample"
    if not (S.default_model_dir(sample) / S.MODEL_FILE).is_file():
        pytest.skip("data/sample has no trained model (make test trains it first)")
    c = S.choose_backend("auto", sample, ["ru", "az", "en"])
    assert c.backend == "model:data/sample/models/sentiment"
    from helpers.sentiment.backends import resolve_backend
    assert resolve_backend(c.backend).languages >= {"ru", "az", "en"}
