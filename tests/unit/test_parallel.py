"""helpers.parallel: one workers setting, never oversubscribed, and parallel results equal to serial ones."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from helpers import parallel, text
from helpers import sentiment as S
from helpers.annotate import annotate_with_scorer
from helpers.io import load_dataset


def _square_and_pid(items):
    return [(x * x, os.getpid()) for x in items]


def test_map_chunks_keeps_order_and_uses_the_pool_only_when_asked(monkeypatch):
    seen = []
    serial = parallel.map_chunks(_square_and_pid, range(5000), workers=1, chunk_size=700, done=seen.append)
    assert [x for x, _ in serial] == [i * i for i in range(5000)]
    assert {pid for _, pid in serial} == {os.getpid()} and sum(seen) == 5000
    small = parallel.map_chunks(_square_and_pid, range(100), workers=2)  # below POOL_MIN_ITEMS: no pool
    assert {pid for _, pid in small} == {os.getpid()}
    pooled = parallel.map_chunks(_square_and_pid, range(5000), workers=2, chunk_size=700, min_items=0)
    assert [x for x, _ in pooled] == [i * i for i in range(5000)]
    assert os.getpid() not in {pid for _, pid in pooled}
    assert parallel.map_chunks(_square_and_pid, [], workers=2, min_items=0) == []


def test_workers_setting(monkeypatch):
    assert parallel.workers_for_jobs(4, cores=8) == 2
    assert parallel.workers_for_jobs(3, cores=2) == 1  # more notebooks than cores: one worker each, never 0
    assert parallel.workers_for_jobs(1, cores=2) == 2
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    assert parallel.default_workers() == 3 and parallel.resolve_workers(None) == 3
    monkeypatch.setenv(parallel.WORKERS_ENV, "zero")
    assert parallel.default_workers() == parallel.cpu_cores()
    assert parallel.resolve_workers(0) == 1
    with pytest.raises(ValueError, match="workers"):
        parallel.resolve_workers("2")  # type: ignore[arg-type]


def test_each_notebook_of_a_run_gets_its_share_of_the_cores():
    env = parallel.worker_environment(2, {"PATH": "/bin", "MKL_NUM_THREADS": "4"})
    assert env[parallel.WORKERS_ENV] == "2" and env["OMP_NUM_THREADS"] == "2" and env["RAYON_NUM_THREADS"] == "2"
    assert env["OPENBLAS_NUM_THREADS"] == "2"
    assert env["MKL_NUM_THREADS"] == "4"  # what the user set explicitly stays
    assert env["PATH"] == "/bin"


@pytest.fixture(scope="module")
def sample(shared_dataset) -> pd.DataFrame:
    msgs = load_dataset(shared_dataset[0]).messages.head(1500).reset_index(drop=True)
    msgs["language"] = pd.array([pd.NA] * len(msgs), dtype="string")
    return msgs


def test_parallel_annotation_equals_serial(sample, monkeypatch):
    texts = sample["text"].tolist()
    langs_serial = text.detect_languages(texts, progress=False, workers=1)
    langs_parallel = text.detect_languages(texts, progress=False, workers=2)
    pd.testing.assert_series_equal(langs_serial, langs_parallel)
    monkeypatch.setattr(parallel, "POOL_MIN_ITEMS", 0)  # the pool even for this small sample
    langs = langs_serial.tolist()
    for backend in ("textblob", "vader"):
        pd.testing.assert_frame_equal(S.score_sentiment(texts, langs, backend, progress=False, workers=1),
                                      S.score_sentiment(texts, langs, backend, progress=False, workers=2))
    pd.testing.assert_series_equal(text.is_question(texts, langs, workers=1), text.is_question(texts, langs, workers=2))
    one = annotate_with_scorer(sample, sentiment_backend="vader", cache=False, progress=False, workers=1)[0]
    two = annotate_with_scorer(sample, sentiment_backend="vader", cache=False, progress=False, workers=2)[0]
    pd.testing.assert_frame_equal(one, two)


def test_a_run_of_n_notebooks_gives_each_its_share(monkeypatch, tmp_path):
    from helpers.run import workers as run_workers
    from helpers.run.config import RunConfig, RunSpec

    seen: list[dict] = []

    class FakeWorker:  # stands in for `python -m helpers run --worker JOB`: records its environment, ends at once
        pid = returncode = 0

        def __init__(self, *args, env=None, **kwargs):
            seen.append(env)

        def poll(self):
            return 0

    monkeypatch.setattr(run_workers.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(run_workers, "input_hashes", lambda parameters: {})
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    specs = [RunSpec(f"r{k}", tmp_path / "x.ipynb", {}, f"R{k}", timeout_seconds=None) for k in range(3)]
    config = RunConfig("t", "T", tmp_path, specs)
    records = run_workers.execute_all(config, specs, tmp_path, jobs=2)
    assert len(records) == 3 and len(seen) == 3
    share = str(parallel.workers_for_jobs(2))
    assert all(env[parallel.WORKERS_ENV] == share and env["OMP_NUM_THREADS"] == share for env in seen)
