"""Units for helpers.triage: multilingual request triage, counts, reply drafts (checked against planted topics)."""
from __future__ import annotations


import pandas as pd
import pytest

from helpers import text as T
from helpers import triage as TR

CASES = [
    # (text, language, sentiment or None, expected)
    ("When do you open on Saturday?", "en", "neutral", "question"),
    ("Still waiting for my results, nobody answers the phone", "en", None, "complaint"),
    ("It would be great if you opened an online booking", "en", "positive", "suggestion"),
    ("Thank you, the nurses were wonderful", "en", None, "praise"),
    ("Saw the post", "en", "neutral", "other"),
    ("Во сколько вы работаете в субботу", "ru", None, "question"),
    ("Это безобразие, третий час в очереди", "ru", None, "complaint"),
    ("Предлагаю сделать парковку для пациентов", "ru", None, "suggestion"),
    ("Спасибо врачам, всё прошло отлично", "ru", None, "praise"),
    ("Шёл мимо клиники", "ru", None, "other"),
    ("Şənbə günü neçədə açılırsınız?", "az", None, "question"),
    ("Çox narazıyam, heç kim zəng etmədi", "az", None, "complaint"),
    ("Onlayn növbə sistemi əlavə edin, yaxşı olardı", "az", None, "suggestion"),
    ("Həkimlərə təşəkkür edirəm, hər şey əla idi", "az", None, "praise"),
    ("Klinikanın yanından keçdim", "az", None, "other"),
    # the scorer's verdict decides where no cue does: a trained model knows "lost my results twice" is negative
    ("My results were lost twice", "en", "negative", "complaint"),
    ("Не ожидала, что всё будет так быстро", "ru", "positive", "praise"),
    # not scored is not neutral: the cue rules still decide
    ("Спасибо большое", "ru", None, "praise"),
    ("👍👍", None, "positive", "praise"),
]


@pytest.mark.parametrize("text,lang,sentiment,expected", CASES)
def test_classify_requests_multilingual(text, lang, sentiment, expected):
    assert TR.classify_requests([text], [lang], [sentiment]).tolist() == [expected]


def test_classify_requests_shape_and_alignment():
    s = pd.Series(["Когда откроетесь?", "ok"], index=["a", "b"])
    out = TR.classify_requests(s, ["ru", "en"])
    assert out.index.tolist() == ["a", "b"] and out.name == "request_type"
    assert set(out) <= set(TR.CATEGORIES)
    with pytest.raises(ValueError, match="aligned"):
        TR.classify_requests(["a", "b"], "en", ["neutral"])


def test_triage_counts_by_channel_and_week():
    msgs = pd.DataFrame({
        "channel": ["facebook", "facebook", "telegram", "facebook"],
        "created_at": pd.to_datetime(["2025-01-06 10:00", "2025-01-12 22:30", "2025-01-13 01:00", "2025-01-14 00:00"],
                                     utc=True),
        "request_type": ["question", "complaint", "question", "praise"],
    })
    by_channel = TR.triage_counts(msgs, "channel")
    assert list(by_channel.columns) == [*TR.CATEGORIES, "total"]
    assert by_channel.loc["facebook", "total"] == 3 and by_channel.loc["telegram", "question"] == 1
    # 2025-01-12 22:30 UTC is Monday 13th 02:30 in Baku: it belongs to the week of 2025-01-13 there
    utc = TR.triage_counts(msgs, "week")
    baku = TR.triage_counts(msgs, "week", timezone="Asia/Baku")
    assert utc["total"].to_dict() == {"2025-01-06": 2, "2025-01-13": 2}
    assert baku["total"].to_dict() == {"2025-01-06": 1, "2025-01-13": 3}
    with pytest.raises(ValueError):
        TR.triage_counts(msgs, "month")


def _thread(rows):
    cols = ["message_id", "thread_id", "parent_id", "author_id", "author_role", "created_at", "text"]
    df = pd.DataFrame(rows, columns=cols)
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    return df


def test_reply_drafts_prefer_replies_members_liked_and_mask_handles():
    msgs = _thread([
        ("q1", "q1", None, "m1", "member", "2025-01-01 09:00", "What are your opening hours on Saturday?"),
        ("r1", "q1", "q1", "b", "brand", "2025-01-01 10:00", "We are closed, sorry @anna_k"),
        ("f1", "q1", "r1", "m1", "member", "2025-01-01 11:00", "That is useless"),
        ("q2", "q2", None, "m2", "member", "2025-01-02 09:00", "What are the opening hours on Saturday?"),
        ("r2", "q2", "q2", "b", "brand", "2025-01-02 09:30", "On Saturdays we are open 9:00–15:00, @bob."),
        ("f2", "q2", "r2", "m2", "member", "2025-01-02 10:00", "Thanks a lot!"),
        ("q3", "q3", None, "m3", "member", "2025-01-03 09:00", "Opening hours on Saturday please?"),
        ("q4", "q4", None, "m4", "member", "2025-01-03 09:00", "Do you accept insurance cards?"),
        ("r4", "q4", "q4", "b", "brand", "2025-01-03 12:00", "Yes, all major insurers."),
    ])
    questions = msgs[msgs["message_id"].isin(["q1", "q2", "q3", "q4"])].assign(language="en")
    clusters = pd.Series([0, 0, 0, 1])
    summary = pd.DataFrame({"cluster": [0, 1], "label": ["opening / hours", "insurance"], "language": ["en", "en"],
                            "n": [3, 1], "examples": [[], []]})
    sentiment = pd.Series({"f1": "negative", "f2": "positive"})
    drafts = TR.reply_drafts(msgs, questions, clusters, summary, sentiment)
    first = drafts.set_index("cluster").loc[0]
    assert first["source_reply_id"] == "r2" and first["source_thread_id"] == "q2"  # the reply the member liked
    assert first["member_response"] == "positive" and first["status"] == TR.DRAFT_MARK
    assert first["draft"].startswith("[draft — needs human review] ")
    assert "@bob" not in first["draft"] and "@…" in first["draft"]
    assert first["answered_in_hours"] == pytest.approx(0.5)
    second = drafts.set_index("cluster").loc[1]
    assert second["source_reply_id"] == "r4" and second["member_response"] == "none"
    # without sentiment the member's response is "not scored", and similarity alone decides
    drafts = TR.reply_drafts(msgs, questions, clusters, summary, None)
    assert drafts.set_index("cluster").loc[0, "member_response"] == "not scored"


def test_reply_drafts_say_so_when_nothing_similar_was_answered():
    msgs = _thread([
        ("q1", "q1", None, "m1", "member", "2025-01-01 09:00", "Where can I park my car?"),
        ("q2", "q2", None, "m2", "member", "2025-01-01 09:00", "Do you do MRI scans for children?"),
        ("r2", "q2", "q2", "b", "brand", "2025-01-01 10:00", "Yes, from age 6."),
    ])
    questions = msgs[msgs["author_role"].eq("member")].assign(language="en")
    summary = pd.DataFrame({"cluster": [0], "label": ["park"], "language": ["en"], "n": [1], "examples": [[]]})
    drafts = TR.reply_drafts(msgs, questions, [0, -1], summary, None, min_similarity=0.3)
    assert drafts.loc[0, "status"] == "no similar answered question" and pd.isna(drafts.loc[0, "draft"])


@pytest.fixture(scope="module")
def synthetic(shared_dataset, shared_audience):
    folder, truth = shared_dataset
    data = shared_audience
    gold = pd.read_csv(folder / "gold_sentiment.csv", dtype=str).set_index("message_id")["sentiment"]
    return data.messages, truth, gold


def test_triage_on_planted_truth(synthetic):
    msgs, truth, gold = synthetic
    members = msgs[msgs["author_role"].eq("member")]
    kinds = TR.classify_requests(members["text"], members["language"], members["sentiment"],
                                 is_question=members["is_question"])
    planted = {m for ids in truth["planted_question_clusters"].values() for m in ids}
    is_planted = members["message_id"].isin(planted).to_numpy()
    assert (kinds[is_planted] == "question").mean() >= 0.95
    g = members["message_id"].map(gold).to_numpy()
    # English is scored by TextBlob; ru/az rely on the cue rules alone (no sentiment model here)
    negatives = (g == "negative") & ~is_planted
    positives = (g == "positive") & ~is_planted
    assert (kinds[negatives] == "complaint").mean() >= 0.6
    assert (kinds[positives] == "praise").mean() >= 0.6
    assert (kinds[(g == "neutral") & ~is_planted].isin(["complaint", "praise"])).mean() <= 0.1


def test_reply_drafts_answer_the_cluster_topic(synthetic):
    msgs, truth, gold = synthetic
    questions = msgs[msgs["is_question"]]
    clusters = T.cluster_questions(questions["text"].tolist(), questions["language"].tolist())
    summary = T.cluster_summary(questions["text"].tolist(), questions["language"].tolist(), clusters)
    drafts = TR.reply_drafts(msgs, questions, clusters, summary, gold)
    assert len(drafts) == len(summary) and (drafts["status"] == TR.DRAFT_MARK).mean() >= 0.9
    topic_of = {m: t for t, ids in truth["planted_question_clusters"].items() for m in ids}
    by_id = pd.Series(clusters.to_numpy(), index=questions["message_id"].to_numpy())
    right = 0
    made = drafts[drafts["status"] == TR.DRAFT_MARK]
    for _, row in made.iterrows():
        topics = pd.Series([topic_of.get(m) for m in by_id[by_id == row["cluster"]].index]).value_counts()
        right += topic_of.get(row["source_question_id"]) == topics.index[0]
    assert right / len(made) >= 0.9  # the source question is about the cluster's (majority) topic
    # the source is a real organisation reply in that thread
    replies = msgs.set_index("message_id")
    for _, row in made.head(10).iterrows():
        assert replies.loc[row["source_reply_id"], "author_role"] in {"brand", "moderator"}
        assert replies.loc[row["source_reply_id"], "parent_id"] == row["source_question_id"]
        assert replies.loc[row["source_question_id"], "thread_id"] == row["source_thread_id"]
    # members answered many of the chosen replies positively when such replies existed (about 7 % of all brand
    # replies get a positive follow-up). Measured on seeds 13–17: 0.57–0.72 with the templated texts of
    # generator 1.2 (identical questions tied on similarity, so the response bonus decided), 0.42–0.53 with the
    # varied texts of 1.3 (issue 13), where similarity decides more often
    assert (made["member_response"] == "positive").mean() >= 0.35


def _classify_one_by_one(text, lang, sentiment, is_q):
    """The rules of classify_requests for one message, written out (the definition the columns must match)."""
    norm = T.normalise(T.strip_links(T.as_text(text)), lang)
    label = None if T.is_missing(sentiment) else str(sentiment)

    def cue(category):
        pats = TR._CUE_RE[category]
        return bool(pats[lang].search(norm)) if lang in pats else any(p.search(norm) for p in pats.values())

    if not T.LETTER_RE.search(norm):
        return "praise" if label == "positive" else "complaint" if label == "negative" else "other"
    if cue("complaint"):
        return "complaint"
    if cue("suggestion"):
        return "suggestion"
    if is_q:
        return "question"
    if label == "negative":
        return "complaint"
    return "praise" if label == "positive" or (label is None and cue("praise")) else "other"


def test_classify_requests_over_columns_equals_the_rules_one_by_one():
    texts = [c[0] for c in CASES] + ["ужасно", "неужасно", "Terrible!!", "nonterrible", "əla", "əlabəli",
                                     "please add parking", "pleaseadd", "https://refund.az", "@worst ok", None, "",
                                     "Я довольна", "thanks", "Spasibo"]
    langs = [c[1] for c in CASES] + ["ru", "ru", "en", "en", "az", "az", "en", "en", None, None, "en", None,
                                     "de", None, "tr"]
    sents = [c[2] for c in CASES] + [None, "positive", None, None, None, None, "negative", None, None, None,
                                     "positive", None, None, "neutral", None]
    qs = [T.is_question([t], [lang]).iloc[0] for t, lang in zip(texts, langs)]
    got = TR.classify_requests(texts, langs, sents, is_question=qs).tolist()
    assert got == [_classify_one_by_one(t, lang, s, q) for t, lang, s, q in zip(texts, langs, sents, qs)]


def test_cue_prefilter_finds_every_text_a_cue_matches():
    import pyarrow as pa
    import pyarrow.compute as pc

    for category, by_lang in TR.CUES.items():
        for lang, phrases in by_lang.items():
            # each phrase's own words (optional parts taken), glued to neighbours and at the text's edges
            samples = [p.replace("\\b", "").replace("(?:", "").replace(")?", "").replace(")", "").split("|")[0]
                       .replace(",?", "") for p in phrases]
            texts = samples + [f"x {s} y" for s in samples] + [f"x{s}" for s in samples]
            exact = [TR._CUE_RE[category][lang].search(t) is not None for t in texts]
            pre = pc.match_substring_regex(pa.array(texts), TR._CUE_PREFILTER[category][lang]).to_pylist()
            assert any(exact)
            assert all(p or not e for p, e in zip(pre, exact)), (category, lang)


def test_char_tfidf_is_the_vectorizers_matrix_with_repeated_docs():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.triage import _char_tfidf

    docs = ["часы работы", "часы работы", "запись к врачу", "", "qəbul saatları", "запись к врачу", "opening hours"]
    want = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1).fit_transform(docs)
    got = _char_tfidf(docs)
    assert got.shape == want.shape and (got != want).nnz == 0
