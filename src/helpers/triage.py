"""Request triage and reply drafts: AI sorts and prepares, people answer.

* :func:`classify_requests` sorts member messages into **complaint, question, suggestion, praise, other**
  with multilingual (Russian, Azerbaijani, English) rules, using the sentiment of each message when a scorer
  knows its language — the trained model (``model:PATH``, :mod:`helpers.sentiment`) once the organisation
  has labels, so complaints and praise are recognised in every labelled language, not only by keywords.
* :func:`triage_counts` counts them by channel or by week.
* :func:`reply_drafts` proposes, for each recurring question cluster, the organisation's **own** best past
  reply to the nearest answered question (character n-gram similarity within the language), preferring
  replies after which the member answered positively. Every draft is marked "draft — needs human review"
  and names its source thread, so a person checks it against the source before using it. Handles
  (@mentions) in drafts are masked.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers import text as T
from helpers.stats import Estimate

__all__ = ["CATEGORIES", "DRAFT_MARK", "CUES", "classify_requests", "triage_counts", "answered_questions",
           "reply_drafts", "member_requests", "request_findings"]

CATEGORIES: tuple[str, ...] = ("complaint", "question", "suggestion", "praise", "other")
"""Request types, in the order of precedence used when several apply."""

DRAFT_MARK = "draft — needs human review"

# Cue phrases (matched on normalised text: lower case, ё→е, Turkic i/ı). Stems match word beginnings.
CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "complaint": {
        "en": (r"complain", r"complaint", r"disappoint", r"unacceptable", r"disgrac", r"terrible", r"awful",
               r"horrible", r"worst", r"rude", r"refund", r"still waiting", r"still no", r"nobody (?:answer|pick|call|explain)",
               r"no one (?:answer|pick|call)", r"never again", r"waste of", r"ridiculous", r"not acceptable",
               r"never come back", r"what a mess", r"fed up"),
        "ru": (r"жалоб", r"ужас", r"безобраз", r"позор", r"отврат", r"хамств", r"груб", r"возмут",
               r"разочарова", r"недовол", r"до сих пор (?:не|нет)", r"никто не", r"невозможно дозвон",
               r"верните деньги", r"кошмар", r"больше (?:сюда |к вам )?не (?:приду|пойду)"),
        "az": (r"şikayət", r"narazı", r"biabır", r"rüsvay", r"dəhşət", r"iyrənc", r"kobud", r"məyus",
               r"ayıbdır", r"hələ də (?:cavab|zəng)", r"heç kim", r"pulumu qaytar", r"bir daha (?:bura )?gəlməyəcəy"),
    },
    "suggestion": {
        "en": (r"\bsuggest", r"it would be (?:great|nice|good|helpful|better) (?:if|to)", r"\bplease add\b",
               r"\byou should (?:add|open|offer|have|make|start)", r"\bwhy not (?:add|open|offer|make)",
               r"\bi wish you\b", r"\bidea:", r"\bconsider (?:adding|opening|offering)", r"\bwould be nice\b"),
        "ru": (r"предлага", r"предложени", r"было бы (?:здорово|хорошо|удобно|неплохо|отлично|классно)",
               r"добавьте", r"сделайте", r"хотелось бы,? чтобы", r"почему бы не", r"стоит добавить",
               r"не помешал"),
        "az": (r"təklif edirəm", r"təklifim", r"yaxşı olardı", r"əla olardı", r"əlavə edin", r"əlavə etsəniz",
               r"nə olar ki", r"arzu edirəm ki", r"edə bilsəniz"),
    },
    "praise": {
        "en": (r"thank", r"thanks", r"great (?:job|work|service|team)", r"excellent", r"wonderful", r"amazing",
               r"recommend", r"best clinic", r"well done", r"grateful", r"love (?:you|this|the)"),
        "ru": (r"спасибо", r"благодар", r"отличн", r"прекрасн", r"молодц", r"рекоменд", r"лучш", r"замечательн",
               r"довол"),
        "az": (r"təşəkkür", r"sağ olun", r"çox sağ ol", r"əla\b", r"tövsiyə", r"ən yaxşı", r"razı qaldım",
               r"minnətdar", r"afərin"),
    },
}

def _cue_pattern(patterns: Sequence[str]) -> re.Pattern[str]:
    """One regex for a language's cue phrases: a phrase starting with ``\\b`` as written, the others (stems) only
    at a word beginning. The word-beginning check is written once, before the alternation: one lookbehind per
    position instead of one per phrase (the same matches, ten times faster)."""
    stems = [p for p in patterns if not p.startswith("\\b")]
    bounded = [p for p in patterns if p.startswith("\\b")]
    return re.compile("|".join([f"(?<!\\w)(?:{'|'.join(stems)})"] * bool(stems) + bounded))


_CUE_RE: dict[str, dict[str, re.Pattern[str]]] = {
    cat: {lang: _cue_pattern(pats) for lang, pats in by_lang.items()} for cat, by_lang in CUES.items()
}
# The same phrases without the word-boundary checks: every text a cue matches, and a few more. Run over a whole
# column by Arrow's (RE2) engine first, so the exact regex above only reads the few texts it finds.
_CUE_PREFILTER: dict[str, dict[str, str]] = {
    cat: {lang: "|".join(p.replace("\\b", "") for p in pats) for lang, pats in by_lang.items()}
    for cat, by_lang in CUES.items()
}


def _search_column(pattern: re.Pattern[str], prefilter: str, column: Any, norms: list[str],
                   rows: np.ndarray) -> np.ndarray:
    """Per row: whether ``pattern`` finds a match in ``norms[row]``, computed for the ``rows`` (bool mask) only;
    ``column`` is ``norms`` as an Arrow array for the ``prefilter`` pass."""
    import pyarrow as pa  # third-party, imported on first use (start-up speed)
    import pyarrow.compute as pc

    out = np.zeros(len(norms), dtype=bool)
    idx = np.flatnonzero(rows)
    if not len(idx):
        return out
    try:
        hit = pc.match_substring_regex(column.filter(pa.array(rows)), prefilter).to_numpy(zero_copy_only=False)
        idx = idx[hit.astype(bool)]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a phrase RE2 cannot read: every row is a candidate
        pass
    out[idx] = [pattern.search(norms[i]) is not None for i in idx.tolist()]
    return out


def _cue_flags(category: str, norms: list[str], column: Any, langs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per row of the ``rows`` (bool mask; the others are False): whether the text holds a ``category`` cue — a
    text in a language with cue phrases read with that language's, any other text with every language's."""
    pats, pre = _CUE_RE[category], _CUE_PREFILTER[category]
    known = np.array([lang in pats for lang in langs], dtype=bool)
    out = np.zeros(len(norms), dtype=bool)
    for lang, pattern in pats.items():
        out |= _search_column(pattern, pre[lang], column, norms, rows & (langs == lang))
    for lang, pattern in pats.items():
        out |= _search_column(pattern, pre[lang], column, norms, rows & ~known & ~out)
    return out


def classify_requests(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None,
    sentiment: Sequence[Any] | pd.Series | None = None,
    *,
    is_question: Sequence[bool] | pd.Series | None = None,
) -> pd.Series:
    """Request type per message: complaint, question, suggestion, praise or other.

    Precedence: explicit complaint cues ("still waiting", "безобразие", "şikayət") → complaint; suggestion
    cues ("it would be great if", "предлагаю", "təklif edirəm") → suggestion; a question
    (:func:`helpers.text.is_question`, or ``is_question`` when given) → question; negative sentiment →
    complaint; praise cues or positive sentiment → praise; else other.

    Args:
        texts: message texts (member messages; brand posts are not requests).
        languages: per-text ISO 639-1 codes (a single string applies to all).
        sentiment: per-text negative/neutral/positive or missing (not scored), e.g. the ``sentiment``
            column from :func:`helpers.sentiment.score_sentiment` with ``backend="model:PATH"``. Missing values
            make the rules rely on cue phrases only — never on a guessed "neutral".
        is_question: precomputed question flags (saves recomputing them).

    Returns:
        str Series named ``request_type`` on the texts' index (a Series' index, else a RangeIndex).
    """
    values, index = T.as_texts(texts)
    n = len(values)
    langs = T.as_languages(languages, n)
    if is_question is None:
        q = T.is_question(values, langs).to_numpy(dtype=bool)
    else:
        q = np.asarray(list(is_question), dtype=bool)
    sent: list[Any] = [None] * n if sentiment is None else (
        sentiment.tolist() if isinstance(sentiment, pd.Series) else list(sentiment))
    if len(sent) != n or len(q) != n:
        raise ValueError(f"sentiment/is_question must be aligned with texts ({n} values)")
    return pd.Series(_request_types(values, langs, sent, q), index=index, name="request_type", dtype="str")


def _request_types(values: list[Any], langs: list[str | None], sent: list[Any], q: np.ndarray) -> np.ndarray:
    """The rules of :func:`classify_requests` over whole columns (object array of request types)."""
    import pyarrow as pa  # third-party, imported on first use (start-up speed)

    labels = [None if T.is_missing(s) else str(s) for s in sent]
    neg = np.array([label == "negative" for label in labels], dtype=bool)
    pos = np.array([label == "positive" for label in labels], dtype=bool)
    unscored = np.array([label is None for label in labels], dtype=bool)
    norms = T.normalise_many([v if type(v) is str else T.as_text(v) for v in values], langs)
    letters = np.array([T.LETTER_RE.search(t) is not None for t in norms], dtype=bool)
    column = pa.array(norms, type=pa.large_string())
    lang_arr = np.array(langs, dtype=object)
    complaint = _cue_flags("complaint", norms, column, lang_arr, letters)
    suggestion = _cue_flags("suggestion", norms, column, lang_arr, letters & ~complaint)
    undecided = letters & ~complaint & ~suggestion & ~q & ~neg & ~pos & unscored
    praise = _cue_flags("praise", norms, column, lang_arr, undecided)
    rules = [(~letters & pos, "praise"), (~letters & neg, "complaint"), (~letters, "other"), (complaint, "complaint"),
             (suggestion, "suggestion"), (q, "question"), (neg, "complaint"), (pos | praise, "praise")]
    out = np.full(len(values), "other", dtype=object)
    for applies, label in reversed(rules):  # the first rule that applies wins
        out[applies] = label
    return out


def triage_counts(messages: pd.DataFrame, by: str = "channel", timezone: str | None = None) -> pd.DataFrame:
    """Requests per ``by`` group × request type, with a total column.

    ``messages`` carries ``request_type`` (from :func:`classify_requests`) and ``channel`` / ``created_at``.
    ``by``: ``"channel"``, or ``"week"`` (weeks starting Monday in ``timezone``, labelled by their first day
    YYYY-MM-DD). Columns: the five request types in :data:`CATEGORIES` order, then ``total``; rows sorted by
    total (channel) or by week.
    """
    if by not in {"channel", "week"}:
        raise ValueError(f"by must be 'channel' or 'week', got {by!r}")
    if messages.empty:
        return pd.DataFrame(columns=[*CATEGORIES, "total"], dtype="int64")
    if by == "week":
        local = pd.to_datetime(messages["created_at"], utc=True).dt.tz_convert(timezone or "UTC")
        start = (local.dt.normalize() - pd.to_timedelta(local.dt.weekday, unit="D")).dt.strftime("%Y-%m-%d")
        key = start.rename("week")
    else:
        key = messages["channel"].astype(str).rename("channel")
    table = pd.crosstab(key, messages["request_type"]).reindex(columns=list(CATEGORIES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.sort_index() if by == "week" else table.sort_values("total", ascending=False, kind="stable")
    table.columns.name = None
    return table.astype("int64")


_MENTION = re.compile(r"(?<!\w)@\w+")


def answered_questions(messages: pd.DataFrame, question_ids: Sequence[str],
                       sentiment: pd.Series | None = None) -> pd.DataFrame:
    """Questions that got an organisation reply, with that first reply and the member's response to it.

    Args:
        messages: canonical messages (message_id, parent_id, thread_id, author_role, author_id, created_at,
            text).
        question_ids: ids of member questions.
        sentiment: negative/neutral/positive per message id (missing = not scored), used to judge the
            member's response to the reply.

    Returns:
        question_id, thread_id, reply_id, reply_text, response_hours (question → reply, hours),
        member_response: "positive"/"neutral"/"negative" (the asker's — else any member's — first message
        answering the reply), "not scored" (there is one but its language was not scored), or "none".
    """
    cols = ["question_id", "thread_id", "reply_id", "reply_text", "response_hours", "member_response"]
    # the few columns used, before any row selection (a boolean mask copies every column of the rows it keeps)
    m = messages[["message_id", "parent_id", "thread_id", "author_role", "author_id", "created_at", "text"]]
    qs = m.loc[m["message_id"].isin(list(question_ids)), ["message_id", "thread_id", "created_at", "author_id"]]
    staff = m.loc[m["author_role"].isin(["brand", "moderator"]) & m["parent_id"].isin(qs["message_id"]),
                  ["message_id", "parent_id", "created_at", "text"]]
    if qs.empty or staff.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "response_hours" else object) for c in cols})
    pairs = staff.rename(
        columns={"message_id": "reply_id", "parent_id": "question_id", "created_at": "reply_at", "text": "reply_text"})
    pairs = pairs.merge(qs.rename(
        columns={"message_id": "question_id", "created_at": "asked_at", "author_id": "asker"}), on="question_id")
    pairs = pairs[pairs["reply_at"] > pairs["asked_at"]].sort_values(["question_id", "reply_at"])
    first = pairs.drop_duplicates("question_id", keep="first").copy()
    first["response_hours"] = (first["reply_at"] - first["asked_at"]).dt.total_seconds() / 3600.0
    followups = m.loc[m["author_role"].eq("member") & m["parent_id"].isin(first["reply_id"]),
                      ["message_id", "parent_id", "author_id", "created_at"]].sort_values("created_at")
    response = _member_responses(followups, first, sentiment)
    first["member_response"] = first["reply_id"].astype(str).map(response).fillna("none")
    return first[cols].reset_index(drop=True)


def _member_responses(followups: pd.DataFrame, first: pd.DataFrame, sentiment: pd.Series | None) -> pd.Series:
    """Per reply id (str): the sentiment of the member message that answers it — the asker's first (in
    ``followups`` order, oldest first), else any member's first; :data:`NOT_SCORED` when not scored."""
    if followups.empty:
        return pd.Series(dtype=object)
    f = followups.reset_index(drop=True)
    asker = f["parent_id"].map(dict(zip(first["reply_id"], first["asker"])))
    own = f["author_id"].astype(object).eq(asker.astype(object)).fillna(False).to_numpy(dtype=bool)
    order = np.lexsort((np.arange(len(f)), ~own))  # the asker's messages first, each in followups order
    picks = f.iloc[order].drop_duplicates("parent_id", keep="first")
    sent_of = sentiment if sentiment is not None else pd.Series(dtype=object)
    if not len(sent_of):
        values: list[Any] = [None] * len(picks)
    elif sent_of.index.is_unique:
        pos = sent_of.index.get_indexer(picks["message_id"].astype(object))
        found = sent_of.to_numpy(dtype=object)
        values = [found[i] if i >= 0 else None for i in pos.tolist()]
    else:  # a repeated id: what Series.get gives for it
        values = [sent_of.get(mid) for mid in picks["message_id"]]
    labels = [NOT_SCORED if s is None or T.is_missing(s) else str(s) for s in values]
    return pd.Series(labels, index=picks["parent_id"].astype(str).to_numpy(), dtype=object)


NOT_SCORED = "not scored"
_RESPONSE_BONUS = {"positive": 0.15, "neutral": 0.03, "none": 0.0, NOT_SCORED: 0.0, "negative": -0.2}


def reply_drafts(
    messages: pd.DataFrame,
    questions: pd.DataFrame,
    clusters: pd.Series | Sequence[int],
    summary: pd.DataFrame,
    sentiment: pd.Series | None = None,
    *,
    min_similarity: float = 0.2,
    top_n: int | None = None,
) -> pd.DataFrame:
    """A draft answer per recurring question cluster, from the organisation's own best past reply.

    For each cluster of :func:`helpers.text.cluster_questions` (its ``summary`` row from
    :func:`helpers.text.cluster_summary`), answered questions of the same language are ranked by cosine
    similarity (character 3–5-gram TF-IDF of their content words, as the clustering uses) to the cluster's
    centroid; each candidate's score is that similarity plus a bonus when the member answered the reply
    positively (+0.15; neutral +0.03; negative −0.2; none or not scored 0). The best-scoring reply becomes
    the draft if its similarity is at least ``min_similarity``; otherwise the cluster gets no draft (stated
    in ``status``).

    Args:
        messages: canonical messages of the period (all roles).
        questions: the member questions clustered (message_id, text, language), aligned with ``clusters``.
        clusters: cluster id per question (−1 noise).
        summary: :func:`helpers.text.cluster_summary` of those questions.
        sentiment: negative/neutral/positive per message id for judging members' responses (missing = not
            scored), e.g. the scorer's or the dataset's labels.
        min_similarity: cosine similarity 0–1 below which no past answer counts as an answer to the cluster.
        top_n: only the ``top_n`` largest clusters.

    Returns:
        One row per cluster: cluster, label, language, n (questions), status (:data:`DRAFT_MARK` or
        "no similar answered question"), draft (the reply text with @handles masked, prefixed
        "[draft — needs human review]"), source_thread_id, source_question_id, source_reply_id,
        similarity (0–1), member_response, answered_in_hours.
    """
    cols = ["cluster", "label", "language", "n", "status", "draft", "source_thread_id", "source_question_id",
            "source_reply_id", "similarity", "member_response", "answered_in_hours"]
    labels = np.asarray(clusters.tolist() if isinstance(clusters, pd.Series) else list(clusters))
    if len(labels) != len(questions):
        raise ValueError(f"clusters has {len(labels)} values but questions has {len(questions)}")
    if summary.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    q = questions.reset_index(drop=True).assign(cluster=labels)
    q["language"] = q["language"].astype(object).where(q["language"].notna(), T.UNDETERMINED).astype(str)
    answered = answered_questions(messages, q["message_id"].tolist(), sentiment)
    answered = answered.merge(q[["message_id", "text", "language"]].rename(columns={"message_id": "question_id"}),
                              on="question_id")
    rows = []
    chosen = summary.head(top_n) if top_n else summary
    # cleaned once for all languages (per text, the same words as language by language), as the clustering did
    cleaned = T.clean_many(q["text"].tolist(), [None if lang == T.UNDETERMINED else lang for lang in q["language"]])
    for lang, group in q.groupby("language"):
        docs = [" ".join(cleaned[i]) for i in group.index.tolist()]
        if not any(docs):
            continue
        matrix = _char_tfidf(docs)
        pos_of = {mid: i for i, mid in enumerate(group["message_id"])}
        cand = answered[answered["language"].eq(lang)]
        cand_idx = [pos_of[mid] for mid in cand["question_id"]]
        for _, srow in chosen[chosen["language"].astype(str).eq(lang)].iterrows():
            members = np.flatnonzero(group["cluster"].to_numpy() == srow["cluster"])
            base = {"cluster": int(srow["cluster"]), "label": srow["label"], "language": lang, "n": int(srow["n"])}
            if not len(members) or not cand_idx:
                rows.append({**base, "status": "no similar answered question"})
                continue
            centroid = np.asarray(matrix[members].mean(axis=0)).ravel()
            norm = np.linalg.norm(centroid)
            sims = np.asarray(matrix[cand_idx] @ (centroid / (norm or 1.0))).ravel()
            bonus = cand["member_response"].map(_RESPONSE_BONUS).fillna(0.0).to_numpy()
            score = np.where(sims >= min_similarity, sims + bonus, -np.inf)
            best = int(np.argmax(score))
            if not np.isfinite(score[best]):
                rows.append({**base, "status": "no similar answered question", "similarity": float(sims.max())})
                continue
            pick = cand.iloc[best]
            reply = _MENTION.sub("@…", T.as_text(pick["reply_text"])).strip()
            rows.append({**base, "status": DRAFT_MARK, "draft": f"[{DRAFT_MARK}] {reply}",
                         "source_thread_id": pick["thread_id"], "source_question_id": pick["question_id"],
                         "source_reply_id": pick["reply_id"], "similarity": float(sims[best]),
                         "member_response": pick["member_response"],
                         "answered_in_hours": float(pick["response_hours"])})
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    return out.sort_values(["n", "cluster"], ascending=[False, True]).reset_index(drop=True)


def _char_tfidf(docs: list[str]) -> Any:
    """``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(docs)``, the
    same matrix, with each distinct doc analysed once: the counts of the distinct docs (the vocabulary is every
    n-gram, sorted, whatever the repeats) are repeated row by row, then weighted over all rows as the vectorizer
    does (a question asked a thousand times in the same words is one Python analysis, not a thousand)."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    codes, uniques = pd.factorize(pd.Series(docs, dtype=object))
    counts = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=1, dtype=np.float64) \
        .fit_transform(uniques.tolist())
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts[codes])


# --------------------------------------------------------------------------------------------------
# Notebook helpers (01_audience_research: "Requests" and "Draft answers")
# --------------------------------------------------------------------------------------------------


def member_requests(messages: pd.DataFrame) -> pd.DataFrame:
    """Member messages of annotated ``messages`` (language, sentiment, is_question columns, e.g. from
    :func:`helpers.audience.prepare`) with a ``request_type`` column from :func:`classify_requests`."""
    members = messages[messages["author_role"].eq("member")].copy()
    if members.empty:
        members["request_type"] = pd.Series(dtype="str")
        return members
    members["request_type"] = classify_requests(
        members["text"], members["language"], members["sentiment"] if "sentiment" in members else None,
        is_question=members["is_question"] if "is_question" in members else None).to_numpy()
    return members


def request_findings(requests: pd.DataFrame) -> dict[str, Any]:
    """Findings keys: ``request_mix`` (share 0–1 per request type), ``requests`` (n) and
    ``complaint_share`` with its Wilson 95 % CI (``_ci_low``, ``_ci_high``, ``_n``)."""
    n = len(requests)
    counts = requests["request_type"].value_counts() if n else pd.Series(dtype="int64")
    mix = {c: (float(counts.get(c, 0)) / n if n else float("nan")) for c in CATEGORIES}
    return {"requests": n, "request_mix": mix,
            **Estimate.proportion(int(counts.get("complaint", 0)), n).as_dict("complaint_share")}


