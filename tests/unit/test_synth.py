"""helpers.synth: determinism, canonical schema, ground truth that matches the written tables, planted options.

The ground-truth checks recompute every headline number from the CSV files with plain pandas (not with the
generator's code, and not with helpers.metrics), so they prove that ground_truth.json describes the data.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import synth
from helpers.io import load_dataset, schema
from helpers.synth import templates as st

SEED = 7
TABLE_FILES = ("messages.csv", "campaigns.csv", "incidents.csv", "audience.csv", "dataset.json",
               "ground_truth.json", "gold_sentiment.csv")


def read_raw(folder: Path, name: str) -> pd.DataFrame:
    """A table exactly as written: every column text, empty cells missing."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict]:
    """The default dataset (seed 7, 12,000 messages, 12 months) written as CSV."""
    out = tmp_path_factory.mktemp("synth7")
    truth = synth.write_synthetic(out, seed=SEED)
    return out, truth


@pytest.fixture(scope="module")
def msgs(sample) -> pd.DataFrame:
    folder, _ = sample
    df = read_raw(folder, "messages")
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True, format="ISO8601")
    return df


def independent_first_responses(df: pd.DataFrame) -> pd.DataFrame:
    """Openers with their first brand/moderator reply, computed from the table alone (DEVELOPERS.md)."""
    role = df.set_index("message_id")["author_role"]
    parent_role = df["parent_id"].map(role)
    is_opener = (df["author_role"] == "member") & (df["parent_id"].isna() | (parent_role == "brand"))
    openers = df.loc[is_opener, ["message_id", "created_at", "author_id"]]
    replies = df.loc[df["author_role"].isin(["brand", "moderator"]) & df["parent_id"].notna(),
                     ["parent_id", "created_at"]].rename(columns={"parent_id": "message_id", "created_at": "reply_at"})
    pairs = openers.merge(replies, on="message_id", how="left")
    pairs = pairs[pairs["reply_at"].isna() | (pairs["reply_at"] > pairs["created_at"])]
    first = pairs.groupby("message_id")["reply_at"].min()
    out = openers.set_index("message_id")
    out["first_at"] = first.reindex(out.index)
    out["hours"] = (out["first_at"] - out["created_at"]).dt.total_seconds() / 3600.0
    return out


# --------------------------------------------------------------------------------------------------
# determinism and speed


def _digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in TABLE_FILES}


def test_same_seed_same_files_different_seed_different(tmp_path):
    kwargs = dict(n_messages=2000, months=3)
    synth.write_synthetic(tmp_path / "a", seed=3, **kwargs)
    synth.write_synthetic(tmp_path / "b", seed=3, **kwargs)
    synth.write_synthetic(tmp_path / "c", seed=4, **kwargs)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert (tmp_path / "a" / "messages.csv").read_bytes() != (tmp_path / "c" / "messages.csv").read_bytes()


def test_size_near_the_target():
    """The generator's speed is measured by benchmarks/bench_synth.py (in make bench), not timed here."""
    ds, truth = synth.generate(seed=SEED, n_messages=12000)
    assert abs(len(ds.messages) - 12000) <= 12000 * 0.03
    assert truth["messages_analysed"] == len(ds.messages)


# --------------------------------------------------------------------------------------------------
# schema


def test_all_canonical_tables_and_columns(sample):
    folder, _ = sample
    for table in schema.REQUIRED_TABLES:
        df = read_raw(folder, table)
        assert list(df.columns) == list(schema.TABLES[table]), table
    meta = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    assert meta["timezone"] == "Asia/Baku" and meta["languages"] == ["ru", "az", "en"] and meta["name"]


def test_load_dataset_validates(sample):
    folder, _ = sample
    ds = load_dataset(folder)  # raises DatasetError listing every problem
    assert len(ds.messages) > 10000
    assert ds.labels is None  # gold labels are ground truth, not the dataset's labels table
    assert str(ds.messages["created_at"].dtype) == "datetime64[ns, UTC]"


def test_ids_roles_parents_threads(msgs):
    assert msgs["message_id"].is_unique
    assert msgs["message_id"].str.fullmatch(r"(fb|ig|tg)_\d{7}").all()
    assert set(msgs["author_role"]) == {"brand", "member", "moderator"}
    assert set(msgs["channel"]) == {"facebook", "instagram", "telegram"}
    members = msgs[msgs["author_role"] == "member"]
    assert members["author_id"].str.fullmatch(r"m_[0-9a-f]{12}").all()
    ids = set(msgs["message_id"])
    assert msgs["parent_id"].dropna().isin(ids).all()
    # thread_id is the root of the parent chain, and every parent is older than its child
    parent = msgs.set_index("message_id")["parent_id"].to_dict()
    created = msgs.set_index("message_id")["created_at"].to_dict()
    for mid, thread in zip(msgs["message_id"], msgs["thread_id"]):
        root = mid
        while isinstance(parent[root], str):
            assert created[parent[root]] < created[root]
            root = parent[root]
        assert thread == root
    assert msgs["language"].isna().all()  # real exports rarely carry it; the analysis detects it
    posts = msgs[(msgs["author_role"] == "brand") & msgs["parent_id"].isna()]
    assert posts["reach"].notna().all() and msgs.loc[~msgs.index.isin(posts.index), "reach"].isna().all()
    assert msgs["campaign_id"].dropna().index.isin(posts.index).all()


def test_brand_replies_answer_openers_in_their_thread(msgs):
    by_id = msgs.set_index("message_id")
    replies = msgs[msgs["author_role"].isin(["brand", "moderator"]) & msgs["parent_id"].notna()]
    parents = by_id.loc[replies["parent_id"]]
    assert (parents["author_role"] == "member").all()
    assert (parents["thread_id"].to_numpy() == replies["thread_id"].to_numpy()).all()
    assert (parents["created_at"].to_numpy() < replies["created_at"].to_numpy()).all()
    moderator_share = (replies["author_role"] == "moderator").mean()
    assert 0.02 < moderator_share < 0.09
    brand_accounts = msgs.loc[msgs["author_role"] == "brand"].groupby("channel")["author_id"].nunique()
    assert (brand_accounts == 1).all()


# --------------------------------------------------------------------------------------------------
# ground truth = the data


def test_ground_truth_keys(sample):
    _, truth = sample
    for key in ("messages_analysed", "members_active", "response_rate", "median_first_response_hours",
                "p90_first_response_hours", "language_mix", "ugc_share", "negative_share", "question_clusters",
                "planted_question_clusters", "seed", "generator_version", "notes", "campaigns", "incidents"):
        assert key in truth, key
    assert truth["seed"] == SEED and truth["generator_version"] == synth.GENERATOR_VERSION
    assert set(truth["language_mix"]) == {"ru", "az", "en", "und"}
    json.dumps(truth, allow_nan=False)


def test_ground_truth_matches_tables(sample, msgs):
    folder, truth = sample
    written = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    fr = independent_first_responses(msgs)
    answered = fr["hours"].dropna().to_numpy()
    assert written["response_rate"] == pytest.approx(len(answered) / len(fr), abs=1e-9)
    assert written["median_first_response_hours"] == pytest.approx(float(np.median(answered)), abs=1e-9)
    assert written["p90_first_response_hours"] == pytest.approx(float(np.quantile(answered, 0.9)), abs=1e-9)
    members = msgs[msgs["author_role"] == "member"]
    assert written["messages_analysed"] == len(msgs)
    assert written["members_active"] == members["author_id"].nunique()
    assert written["ugc_share"] == pytest.approx(members["parent_id"].isna().mean(), abs=1e-9)
    gold = read_raw(folder, "gold_sentiment")
    assert set(gold["message_id"]) == set(members["message_id"])
    assert set(gold["sentiment"]) == {"negative", "neutral", "positive"}
    assert written["negative_share"] == pytest.approx((gold["sentiment"] == "negative").mean(), abs=1e-9)
    assert sum(written["language_mix"].values()) == pytest.approx(1.0, abs=1e-9)
    assert written == json.loads(json.dumps(truth, allow_nan=False))


def test_ground_truth_agrees_with_shared_metrics(sample):
    """The generator uses the same definitions as helpers.metrics (the analysis)."""
    from helpers import metrics

    folder, truth = sample
    ds = load_dataset(folder)
    resp = metrics.responsiveness(metrics.first_responses(ds.messages))
    assert resp["response_rate"] == pytest.approx(truth["response_rate"], abs=1e-9)
    assert resp["median_first_response_hours"] == pytest.approx(truth["median_first_response_hours"], abs=1e-9)
    assert resp["p90_first_response_hours"] == pytest.approx(truth["p90_first_response_hours"], abs=1e-9)
    assert metrics.ugc_summary(ds.messages)["ugc_share"] == pytest.approx(truth["ugc_share"], abs=1e-9)


def test_planted_values_at_default_options(sample, msgs):
    _, truth = sample
    o = synth.SynthOptions()
    assert abs(truth["response_rate"] - o.response_rate) <= 0.01
    for lang, share in o.language_mix.items():
        assert abs(truth["language_mix"][lang] - share) <= 0.02, lang
    assert 0.003 <= truth["language_mix"]["und"] <= 0.02
    assert abs(truth["ugc_share"] - o.ugc_share) <= 0.015
    assert 300 <= truth["members_active"] <= 2500
    # median ~3.5 working hours: the real-time median is longer (nights are paused), but not absurd
    assert 3 <= truth["median_first_response_hours"] <= 24
    assert truth["p90_first_response_hours"] > 2 * truth["median_first_response_hours"]
    assert truth["question_clusters"] == 10 == len(truth["planted_question_clusters"])


def test_heavy_tailed_member_activity(msgs):
    counts = msgs.loc[msgs["author_role"] == "member", "author_id"].value_counts()
    top = counts.iloc[: max(1, len(counts) // 100)].sum() / counts.sum()
    assert top > 0.05  # the top 1 % of members write well over 1 % of member messages
    assert counts.max() >= 10 * counts.median()


# --------------------------------------------------------------------------------------------------
# languages, questions, sentiment


def test_language_detector_recovers_planted_languages(sample, msgs):
    """A sample of texts: lingua restricted to ru/az/en finds the planted language (emoji-only → und)."""
    pytest.importorskip("lingua")
    from helpers.text import detect_languages

    _, truth = sample
    texts = msgs["text"].sample(1500, random_state=1).tolist()
    found = detect_languages(texts, progress=False).value_counts(normalize=True)
    for lang, share in truth["language_mix"].items():
        assert abs(found.get(lang, 0.0) - share) <= 0.03, (lang, share, found.to_dict())


def test_questions_per_topic_and_language(sample, msgs):
    _, truth = sample
    planted = truth["planted_question_clusters"]
    assert set(planted) == set(st.QUESTION_TOPICS)
    assert all(len(v) >= 90 for v in planted.values())
    for topic, by_lang in truth["questions_by_topic_language"].items():
        assert len(planted[topic]) == sum(by_lang.values())
        assert min(by_lang.values()) >= 30, (topic, by_lang)
    ids = [mid for v in planted.values() for mid in v]
    assert len(ids) == len(set(ids))
    q = msgs[msgs["message_id"].isin(ids)]
    assert len(q) == len(ids) and (q["author_role"] == "member").all()
    comments = msgs[(msgs["author_role"] == "member")]
    assert 0.13 <= len(ids) / len(comments) <= 0.22
    no_mark = ~q["text"].str.contains("?", regex=False)
    assert 0.18 <= no_mark.mean() <= 0.32


def test_question_templates_are_rich_and_carry_cues():
    for topic, by_lang in st.QUESTION_TOPICS.items():
        assert set(by_lang) == set(st.LANGUAGES)
        for lang, templates in by_lang.items():
            assert len(templates) >= 5, (topic, lang)
            end = "" if lang == "az" else r"(?!\w)"  # Azerbaijani cues take suffixes: necədir, haradadır
            cues = [re.compile(rf"(?<!\w){re.escape(c)}{end}") for c in st.QUESTION_CUES[lang]]
            for t in templates:
                assert any(c.search(t.lower()) for c in cues), (topic, lang, t)
                assert "?" not in t
                assert len(t.replace("{greet}", "").split()) >= 5, t


def test_member_texts_without_question_cues():
    """Statements, praise and complaints never look like questions (no "?", no cue words)."""
    cues = {lang: [re.compile(rf"(?<!\w){re.escape(c)}" + ("" if lang == "az" else r"(?!\w)")) for c in words]
            for lang, words in st.QUESTION_CUES.items()}
    texts: list[tuple[str, str]] = []
    for pool in (st.COMMENTS, st.UGC_POSTS, st.MEMBER_REPLIES, st.FOLLOWUPS):
        for lang, by_sentiment in pool.items():
            assert set(by_sentiment) == set(st.SENTIMENTS)
            texts += [(lang, t) for templates in by_sentiment.values() for t in templates]
    for by_lang in st.INCIDENT_COMPLAINTS.values():
        texts += [(lang, t) for lang, templates in by_lang.items() for t in templates]
    for lang, t in texts:
        assert "?" not in t
        assert not any(c.search(t.lower()) for c in cues[lang]), (lang, t)
        assert len(t.split()) >= 5, t


def test_detected_questions_match_planted(sample, msgs):
    from helpers.text import is_question

    _, truth = sample
    planted = {mid for v in truth["planted_question_clusters"].values() for mid in v}
    members = msgs[msgs["author_role"] == "member"].sample(3000, random_state=2)
    flags = is_question(members["text"].tolist()).to_numpy()
    is_planted = members["message_id"].isin(planted).to_numpy()
    assert flags[is_planted].mean() >= 0.97
    assert flags[~is_planted].mean() <= 0.01


def test_english_sentiment_words_known_to_textblob(sample, msgs):
    textblob = pytest.importorskip("textblob")
    folder, _ = sample
    gold = read_raw(folder, "gold_sentiment").set_index("message_id")["sentiment"]
    english = msgs[msgs["author_role"] == "member"]
    english = english[english["text"].str.contains(r"\b(?:the|I|my|you|is|are)\b", regex=True)]
    agree = []
    for mid, text in zip(english["message_id"], english["text"].head(800)):
        p = textblob.TextBlob(text).sentiment.polarity
        label = "positive" if p > 0.05 else "negative" if p < -0.05 else "neutral"
        agree.append(label == gold[mid])
    assert np.mean(agree) >= 0.95


# --------------------------------------------------------------------------------------------------
# planted options


def test_options_are_respected(tmp_path):
    o = synth.SynthOptions(response_rate=0.5, language_mix={"ru": 0.6, "az": 0.3, "en": 0.1},
                           question_language_mix={"ru": 0.5, "az": 0.3, "en": 0.2}, ugc_share=0.15,
                           question_topics=6, followup_rate=0.2, campaigns=[], incidents=[])
    truth = synth.write_synthetic(tmp_path, seed=5, n_messages=4000, options=o)
    msgs = read_raw(tmp_path, "messages")
    msgs["created_at"] = pd.to_datetime(msgs["created_at"], utc=True, format="ISO8601")
    fr = independent_first_responses(msgs)
    assert abs(fr["hours"].notna().mean() - 0.5) <= 0.01
    assert truth["response_rate"] == pytest.approx(fr["hours"].notna().mean(), abs=1e-9)
    for lang, share in o.language_mix.items():
        assert abs(truth["language_mix"][lang] - share) <= 0.02, lang
    assert abs(truth["ugc_share"] - 0.15) <= 0.02
    assert truth["question_clusters"] == 6 and len(truth["planted_question_clusters"]) == 6
    assert truth["campaigns"] == [] and truth["incidents"] == []
    assert len(read_raw(tmp_path, "campaigns")) == 0 and len(read_raw(tmp_path, "incidents")) == 0
    load_dataset(tmp_path)


def test_response_weights_favour_questions_and_complaints(sample, msgs):
    folder, truth = sample
    gold = read_raw(folder, "gold_sentiment").set_index("message_id")["sentiment"]
    fr = independent_first_responses(msgs)
    planted = {mid for v in truth["planted_question_clusters"].values() for mid in v}
    cls = pd.Series([("question" if mid in planted else gold[mid]) for mid in fr.index], index=fr.index)
    rate = fr["hours"].notna().groupby(cls).mean()
    assert rate["question"] > rate["positive"] + 0.15
    assert rate["negative"] > rate["positive"] + 0.15


def test_reply_lags_longer_at_night_and_weekends(msgs):
    fr = independent_first_responses(msgs).dropna(subset=["hours"])
    local = fr["created_at"].dt.tz_convert("Asia/Baku")
    hour, weekday = local.dt.hour, local.dt.dayofweek
    daytime = (weekday < 5) & (hour >= 9) & (hour < 17)
    night = (hour >= 21) | (hour < 8)
    weekend = (weekday >= 5) & (hour >= 9) & (hour < 17)
    day_median = fr.loc[daytime, "hours"].median()
    assert 2.0 <= day_median <= 6.0  # ~3.5 working hours when the clock runs at full speed
    assert fr.loc[night, "hours"].median() > 2 * day_median
    assert fr.loc[weekend, "hours"].median() > 1.5 * day_median


def test_followups_after_brand_replies(msgs):
    by_id = msgs.set_index("message_id")
    members = msgs[(msgs["author_role"] == "member") & msgs["parent_id"].notna()]
    parent_role = members["parent_id"].map(by_id["author_role"])
    parent_is_reply = members["parent_id"].map(by_id["parent_id"]).notna()
    followups = members[parent_role.isin(["brand", "moderator"]) & parent_is_reply]
    replies = msgs[msgs["author_role"].isin(["brand", "moderator"]) & msgs["parent_id"].notna()]
    assert 0.05 <= len(followups) / len(replies) <= 0.15
    # the follow-up comes from the member the brand answered
    answered_author = followups["parent_id"].map(by_id["parent_id"]).map(by_id["author_id"])
    assert (answered_author.to_numpy() == followups["author_id"].to_numpy()).all()


# --------------------------------------------------------------------------------------------------
# campaigns, incidents, audience, tricky content


def test_campaigns(sample, msgs):
    folder, _ = sample
    camps = read_raw(folder, "campaigns")
    assert (camps["kind"] == "paid_campaign").sum() >= 3
    assert (camps["kind"] == "community_programme").sum() >= 2
    start = pd.to_datetime(camps["start"], utc=True)
    end = pd.to_datetime(camps["end"], utc=True)
    days = (end - start).dt.days
    assert days.between(7, 28).all()
    assert (camps["currency"] == "AZN").all() and camps["budget"].astype(float).gt(0).all()
    posts = msgs[(msgs["author_role"] == "brand") & msgs["parent_id"].isna()]
    for cid, ch, s, e in zip(camps["campaign_id"], camps["channel"], start, end):
        window = posts[(posts["channel"] == ch) & (posts["created_at"] >= s) & (posts["created_at"] < e)]
        assert (window["campaign_id"] == cid).mean() > 0.6, cid


def test_incidents_and_their_burst(sample, msgs):
    folder, truth = sample
    inc = read_raw(folder, "incidents")
    assert len(inc) >= 1 and set(inc["crisis_type"]) <= set(schema.CRISIS_TYPES)
    members = msgs[msgs["author_role"] == "member"]
    daily = members.set_index("created_at").resample("D").size()
    gold = read_raw(folder, "gold_sentiment").set_index("message_id")["sentiment"]
    for _, row in inc.iterrows():
        t0 = pd.Timestamp(row["started_at"])
        assert pd.Timestamp(row["first_response_at"]) > t0 and pd.Timestamp(row["resolved_at"]) > t0
        burst = members[(members["created_at"] >= t0) & (members["created_at"] < t0 + pd.Timedelta(days=2))]
        assert len(burst) / 2 > 2 * daily.median()
        assert (burst["message_id"].map(gold) == "negative").mean() > 0.5
    assert [i["incident_id"] for i in truth["incidents"]] == inc["incident_id"].tolist()


def test_audience_covers_active_members(sample, msgs):
    folder, _ = sample
    aud = read_raw(folder, "audience")
    aud["followers"] = aud["followers"].astype(int)
    active = msgs[msgs["author_role"] == "member"].groupby("channel")["author_id"].nunique()
    assert (aud.groupby("channel")["followers"].min() >= active.reindex(aud["channel"].unique())).all()
    assert (aud.groupby("channel").size() == 365).all()
    assert (aud.groupby("channel")["followers"].last() > aud.groupby("channel")["followers"].first()).all()


def test_tricky_content_is_kept_verbatim(sample, msgs):
    _, truth = sample
    tricky = msgs[msgs["message_id"].isin(truth["tricky_message_ids"])]["text"]
    assert tricky.str.contains("<script>alert(1)</script>", regex=False).any()
    assert tricky.str.contains("<b>", regex=False).any()
    assert tricky.str.startswith("=SUM(A1)").any()
    authors = msgs[msgs["message_id"].isin(truth["tricky_message_ids"])]["author_id"].nunique()
    assert authors == 3


# --------------------------------------------------------------------------------------------------
# CLI and formats


def test_cli_writes_and_prints_one_line(tmp_path, capsys):
    code = synth.cli(["--out", str(tmp_path / "d"), "--seed", "9", "--messages", "1500", "--months", "2",
                      "--start", "2024-06-01"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and len(out) == 1 and "messages" in out[0]
    truth = json.loads((tmp_path / "d" / "ground_truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 9
    ds = load_dataset(tmp_path / "d")
    local = ds.messages["created_at"].dt.tz_convert("Asia/Baku")
    assert local.min() >= pd.Timestamp("2024-06-01", tz="Asia/Baku")
    assert ds.audience["date"].min() == pd.Timestamp("2024-06-01")
    # only C01 (day 60) starts inside two months; it keeps its planned end beyond the period
    assert ds.campaigns["campaign_id"].tolist() == ["C01"]
    assert (ds.campaigns["end"] - ds.campaigns["start"]).dt.days.tolist() == [14]


def test_cli_rejects_bad_arguments(tmp_path, capsys):
    assert synth.cli(["--out", str(tmp_path), "--months", "0"]) == 2
    assert synth.cli(["--out", str(tmp_path), "--start", "not-a-date"]) == 2
    assert synth.cli(["--seed", "1"]) == 2  # --out is required
    capsys.readouterr()


def test_parquet_format(tmp_path):
    synth.write_synthetic(tmp_path, seed=2, n_messages=1500, months=2, fmt="parquet")
    assert (tmp_path / "messages.parquet").is_file() and not (tmp_path / "messages.csv").exists()
    ds = load_dataset(tmp_path)
    assert ds.messages["message_id"].is_unique
    assert (tmp_path / "ground_truth.json").is_file() and (tmp_path / "gold_sentiment.csv").is_file()


def test_invalid_options_raise():
    with pytest.raises(ValueError):
        synth.generate(seed=1, n_messages=1000, options=synth.SynthOptions(response_rate=1.5))
    with pytest.raises(ValueError):
        synth.generate(seed=1, n_messages=1000, options=synth.SynthOptions(language_mix={"de": 1.0}))
