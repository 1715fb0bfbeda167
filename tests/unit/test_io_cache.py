"""The annotation cache (helpers.io.cache) and its use by helpers.annotate: a rerun annotates only what is new
or changed, a changed annotator never reuses a file, a broken or unwritable cache never fails, and the result
is the same with and without it."""
from __future__ import annotations

import json
import logging
import shutil

import pandas as pd
import pytest

from helpers import sentiment as S
from helpers.annotate import annotate_with_scorer
from helpers.io import CACHE_DIR, AnnotationCache, load_dataset, row_hashes

N_BASE = 600


@pytest.fixture(scope="module")
def messages(shared_dataset) -> pd.DataFrame:
    """The shared organisation's first 700 messages, languages left for detection."""
    ds = load_dataset(shared_dataset[0])
    msgs = ds.messages.sort_values("created_at").head(N_BASE + 100).reset_index(drop=True)
    msgs["language"] = pd.array([pd.NA] * len(msgs), dtype="string")
    return msgs


def run(msgs: pd.DataFrame, folder, backend: str = "textblob", languages=("ru", "az", "en"),
        cache: bool = True) -> tuple[pd.DataFrame, AnnotationCache]:
    store = AnnotationCache(folder)
    out, _ = annotate_with_scorer(msgs, list(languages), backend, data_dir=folder,
                                  cache=store if cache else False, progress=False)
    return out, store


def plain(msgs: pd.DataFrame, folder, backend: str = "textblob", languages=("ru", "az", "en")) -> pd.DataFrame:
    return annotate_with_scorer(msgs, list(languages), backend, data_dir=folder, cache=False, progress=False)[0]


def test_a_rerun_annotates_nothing_and_a_week_later_only_new_and_changed(messages, tmp_path):
    base = messages.head(N_BASE).copy()
    first, store = run(base, tmp_path)
    members = int(base["author_role"].eq("member").sum())
    assert store.counts.annotated == {"language": N_BASE, "sentiment": N_BASE, "questions": members}
    assert store.counts.hits == {"language": 0, "sentiment": 0, "questions": 0}

    again, store = run(base, tmp_path)
    assert store.counts.annotated == {"language": 0, "sentiment": 0, "questions": 0}
    assert store.counts.hits == {"language": N_BASE, "sentiment": N_BASE, "questions": members}
    pd.testing.assert_frame_equal(again, first)

    week = messages.copy()  # 100 new messages, and 5 old ones edited
    changed = week.index[[3, 50, 120, 300, 599]]
    week.loc[changed, "text"] = week.loc[changed, "text"] + " (edited: still waiting!)"
    later, store = run(week, tmp_path)
    touched = week.index.isin(changed) | (week.index >= N_BASE)
    assert store.counts.annotated["language"] == 105
    assert store.counts.annotated["sentiment"] == 105
    assert store.counts.annotated["questions"] == int(week.loc[touched, "author_role"].eq("member").sum())
    assert store.counts.hits["language"] == len(week) - 105
    pd.testing.assert_frame_equal(later, plain(week, tmp_path))


def test_identical_with_and_without_the_cache_and_deleting_it_is_safe(messages, tmp_path):
    cold, _ = run(messages, tmp_path)
    warm, store = run(messages, tmp_path)
    assert store.counts.annotated["sentiment"] == 0
    expected = plain(messages, tmp_path)
    pd.testing.assert_frame_equal(cold, expected)
    pd.testing.assert_frame_equal(warm, expected)
    assert list(warm.columns) == list(expected.columns) and (warm.dtypes == expected.dtypes).all()
    shutil.rmtree(tmp_path / CACHE_DIR.parts[0])
    rebuilt, store = run(messages, tmp_path)
    assert store.counts.annotated["language"] == len(messages)
    pd.testing.assert_frame_equal(rebuilt, expected)


def test_cache_false_neither_reads_nor_writes(messages, tmp_path):
    plain(messages.head(50), tmp_path)
    assert not (tmp_path / CACHE_DIR).exists()


def test_an_unknown_language_raises_with_a_warm_cache_as_without(messages, tmp_path):
    msgs = messages.head(30).copy()
    msgs["language"] = pd.array(["en"] * 30, dtype="string")  # nothing to detect: the cache is not asked
    run(msgs, tmp_path)
    with pytest.raises(ValueError, match="xx"):
        run(msgs, tmp_path, languages=("en", "xx"))


def test_a_changed_scorer_or_language_set_is_never_served_from_the_cache(messages, tmp_path):
    msgs = messages.head(200)
    run(msgs, tmp_path)
    vader, store = run(msgs, tmp_path, backend="vader")
    assert store.counts.annotated["sentiment"] == 200 and store.counts.annotated["language"] == 0
    pd.testing.assert_frame_equal(vader, plain(msgs, tmp_path, backend="vader"))
    two, store = run(msgs, tmp_path, languages=("ru", "en"))
    assert store.counts.annotated["language"] == 200 and store.counts.annotated["sentiment"] == 200
    pd.testing.assert_frame_equal(two, plain(msgs, tmp_path, languages=("ru", "en")))
    # the same language set in another order is the same annotator
    _, store = run(msgs, tmp_path, languages=("en", "ru"))
    assert store.counts.annotated == {"language": 0, "sentiment": 0, "questions": 0}


def test_a_file_of_another_annotator_under_this_name_is_not_reused(messages, tmp_path, caplog):
    msgs = messages.head(100)
    run(msgs, tmp_path, backend="vader")
    run(msgs, tmp_path, backend="textblob")
    folder = tmp_path / CACHE_DIR
    vader_file, textblob_file = _file_of(folder, "vader"), _file_of(folder, "textblob")
    shutil.copy(vader_file, textblob_file)  # e.g. a cache copied from elsewhere
    with caplog.at_level(logging.WARNING, logger="helpers.cache"):
        out, store = run(msgs, tmp_path, backend="textblob")
    assert store.counts.annotated["sentiment"] == 100
    assert "another annotator" in caplog.text
    pd.testing.assert_frame_equal(out, plain(msgs, tmp_path))


def _file_of(folder, backend: str):
    import pyarrow.parquet as pq

    for path in folder.glob("sentiment-*.parquet"):
        key = json.loads(pq.read_schema(path).metadata[b"helpers_annotation_key"])
        if key["backend"] == backend:
            return path
    raise AssertionError(backend)


def test_a_corrupt_cache_file_is_ignored_with_a_log_line_and_rebuilt(messages, tmp_path, caplog):
    msgs = messages.head(150)
    expected, _ = run(msgs, tmp_path)
    for path in (tmp_path / CACHE_DIR).glob("*.parquet"):
        path.write_bytes(b"PAR1 not really parquet")
    with caplog.at_level(logging.WARNING, logger="helpers.cache"):
        out, store = run(msgs, tmp_path)
    assert "cannot be read" in caplog.text
    assert store.counts.annotated["language"] == 150
    pd.testing.assert_frame_equal(out, expected)
    _, store = run(msgs, tmp_path)
    assert store.counts.annotated == {"language": 0, "sentiment": 0, "questions": 0}


def test_an_unwritable_folder_annotates_without_caching_and_warns_once(messages, tmp_path, caplog):
    msgs = messages.head(80)
    (tmp_path / ".cache").write_text("not a folder")  # .cache cannot be created (as in a read-only copy)
    with caplog.at_level(logging.WARNING, logger="helpers.cache"):
        first, store = run(msgs, tmp_path)
        second, _ = run(msgs, tmp_path)
    assert store.counts.annotated["language"] == 80
    assert caplog.text.count("cannot be written") == 1
    pd.testing.assert_frame_equal(first, plain(msgs, tmp_path))
    pd.testing.assert_frame_equal(second, first)


def test_a_cache_in_a_read_only_copy_is_still_read(messages, tmp_path, monkeypatch):
    msgs = messages.head(60)
    expected, _ = run(msgs, tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(AnnotationCache, "_lock", refuse)
    more = messages.head(70)
    out, store = run(more, tmp_path)
    assert store.counts.hits["language"] == 60 and store.counts.annotated["language"] == 10
    pd.testing.assert_frame_equal(out.head(60), expected)


@pytest.fixture(scope="module")
def model_dir(shared_dataset, tmp_path_factory):
    ds = load_dataset(shared_dataset[0])
    model, _ = S.train(ds, seed=0, folds=2, n_boot=5, max_labels=200)
    return S.save_model(model, tmp_path_factory.mktemp("model") / "sentiment")


def test_a_changed_model_is_never_served_from_the_cache(messages, tmp_path, model_dir):
    msgs = messages.head(120)
    backend = f"model:{model_dir}"
    first, store = run(msgs, tmp_path, backend=backend)
    pd.testing.assert_frame_equal(first, plain(msgs, tmp_path, backend=backend))
    _, store = run(msgs, tmp_path, backend=backend)
    assert store.counts.annotated["sentiment"] == 0
    meta = model_dir / S.METADATA_FILE
    meta.write_text(meta.read_text(encoding="utf-8").rstrip()[:-1] + ', "retrained": true}', encoding="utf-8")
    _, store = run(msgs, tmp_path, backend=backend)
    assert store.counts.annotated["sentiment"] == 120 and store.counts.annotated["language"] == 0


def _store_batches(folder, worker: int) -> None:
    cache = AnnotationCache(folder)
    for batch in range(5):
        ids = [f"w{worker}-{batch}-{k}" for k in range(200)]
        cache.store("language", {"t": 1}, ids, row_hashes(ids), pd.DataFrame({"language": ["en"] * 200}))


def test_concurrent_writers_lose_nothing_and_never_corrupt_the_file(tmp_path):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_store_batches, args=(tmp_path, w)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    ids = [f"w{w}-{b}-{k}" for w in range(3) for b in range(5) for k in range(200)]
    hit, rows = AnnotationCache(tmp_path).lookup("language", {"t": 1}, ids, row_hashes(ids), ["language"])
    assert hit.all() and (rows["language"] == "en").all()
    assert not [p for p in (tmp_path / CACHE_DIR).iterdir() if p.suffix == ".tmp"]


def test_an_import_keeps_the_cache_and_an_edited_text_is_annotated_again(tmp_path):
    import csv

    import yaml

    from helpers.annotate import load_period
    from helpers.io import import_export

    def export(texts: list[str]):
        path = tmp_path / "export.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "created", "text", "user"])
            writer.writerows([[100 + k, f"2024-03-0{1 + k}T10:00:00+00:00", t, f"user{k}"]
                              for k, t in enumerate(texts)])
        return path

    spec = {"columns": {"message_id": "id", "created_at": "created", "text": "text", "author_id": "user"},
            "constants": {"channel": "facebook", "brand": "acme"}}
    map_file = tmp_path / "map.yml"
    map_file.write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = tmp_path / "ds"
    texts = ["Where can I buy tickets?", "Great concert, thank you!", "Когда откроется касса?", "Çox sağ olun!"]
    import_export(export(texts), map_file, out)
    first, store = run(load_period(out).cut.messages, out)
    assert store.counts.annotated["language"] == 4
    import_export(export([texts[0], "Terrible queue, still waiting", *texts[2:], "Is parking free?"]), map_file, out)
    assert list((out / CACHE_DIR).glob("*.parquet"))  # the import left the machine folder alone
    msgs = load_period(out).cut.messages
    later, store = run(msgs, out)
    assert store.counts.annotated["language"] == 2 and store.counts.hits["language"] == 3
    pd.testing.assert_frame_equal(later, plain(msgs, out))
