"""Recurring question clusters: char n-gram TF-IDF and average-linkage clustering per language."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.progress import chunks
from helpers.text.language import detect_languages
from helpers.text.normalising import UNDETERMINED, as_languages, as_text, as_texts, is_missing, normalise
from helpers.text.columns import token_table
from helpers.text.normalising import raw_tokens, stopwords_for, truncate_for_display
from helpers.text.questions import AZ_WH_WORDS, RU_WH_WORDS

# --------------------------------------------------------------------------------------------------
# Question clusters
# --------------------------------------------------------------------------------------------------

# Words that say *that* something is asked or who is addressed, not *what* is asked about.
_CUE_WORDS = frozenset(normalise(w, lang) for lang, words in {
    "en": """hi hello hey dear team guys folks everyone friends admin admins good morning afternoon evening
             greetings please pls plz thanks thank thx sorry excuse question quick anyone anybody somebody
             someone know tell wonder wondering possible advise help let like would want wanted need
             hey hiya regards cheers tried ask asking info information""",
    "ru": """здравствуйте здраствуйте привет приветствую добрый доброе доброго день вечер утро уважаемые
             уважаемый уважаемая друзья ребята коллеги админ админы администрация извините простите пожалуйста
             спасибо заранее подскажите подскажете скажите знаете знает вопрос вопросик хочу хотел хотела
             хотелось узнать уточнить спросить интересует интересно возможно всем народ девочки""",
    "az": """salam salamlar hörmətli əziz dostlar uşaqlar komanda admin sabahınız axşamınız günortanız xeyir
             zəhmət olmasa təşəkkür təşəkkürlər sağ olun bağışlayın üzr sual deyə deyin bilərsiniz bilərsinizmi
             bilmək istəyirəm istərdim mümkündür mümkündürmü mümkünmü olarmı varmı bilən kimsə bilir
             məlumat xahiş edirəm necədir nədir""",
}.items() for w in words.split())

_CLUSTER_THRESHOLD = 0.88  # cosine distance for average linkage on char n-gram TF-IDF (tuned on templated sets)
_CLUSTER_MAX_EXACT = 4000  # unique texts per language clustered exactly; more are sampled + assigned


def clean_for_cluster(text: Any, language: str | None) -> list[str]:
    """Content words of a question: no stopwords, greetings, question cues or numbers."""
    stop = stopwords_for(language)
    return [t for t in raw_tokens(text, language) if t not in stop and t not in _CUE_WORDS
            and t not in AZ_WH_WORDS and t not in RU_WH_WORDS]


_last_cleaned: list[Any] = []  # [texts, languages, words] of the latest clean_many call


def clean_many(texts: Sequence[Any], languages: Sequence[str | None]) -> list[list[str]]:
    """:func:`clean_for_cluster` of every text (``languages`` aligned, None = unknown), tokenised in one pass
    (:func:`helpers.text.token_table`).

    The latest call's result is kept: the questions of a notebook are cleaned by :func:`cluster_questions`,
    :func:`cluster_summary` and the reply drafts in turn, and the same texts with the same languages give the
    same words (a fresh outer list each time; the word lists are shared, read them only)."""
    values, langs = list(texts), list(languages)
    try:
        if _last_cleaned and _last_cleaned[1] == langs and _last_cleaned[0] == values:
            return list(_last_cleaned[2])
    except TypeError:  # a missing value that cannot be compared (pd.NA): clean afresh
        pass
    words = _clean_many(values, langs)
    _last_cleaned[:] = [values, langs, words]
    return list(words)


def _clean_many(texts: list[Any], langs: list[str | None]) -> list[list[str]]:
    table = token_table(texts, langs)
    cue = np.array([w in _CUE_WORDS or w in AZ_WH_WORDS or w in RU_WH_WORDS for w in table.vocab.tolist()], dtype=bool)
    keep = ~table.member_of(langs, stopwords_for) & ~cue[table.code] if len(table.code) else np.zeros(0, dtype=bool)
    words = table.vocab[table.code[keep]].tolist()
    bounds = np.searchsorted(table.doc[keep], np.arange(len(langs) + 1)).tolist()
    return [words[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _cluster_group(docs: list[str], threshold: float, random_state: int) -> np.ndarray:
    """Labels (−1 = none) for the unique cleaned docs of one language: average-linkage clustering of
    char_wb 3–5-gram TF-IDF vectors at a cosine-distance threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(docs)
    if n == 0:
        return np.empty(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1,
                                 dtype=np.float32)
    matrix = vectorizer.fit_transform(docs)  # rows are L2-normalised
    if n <= _CLUSTER_MAX_EXACT:
        base = np.arange(n)
    else:
        rng = np.random.default_rng(random_state)
        base = np.sort(rng.choice(n, size=_CLUSTER_MAX_EXACT, replace=False))
    sub = matrix[base]
    dist = (sub @ sub.T).toarray()  # cosine similarity (float32)
    np.subtract(1.0, dist, out=dist)  # -> cosine distance, in place to keep memory at n² float32
    np.clip(dist, 0.0, 2.0, out=dist)
    iu = np.triu_indices(len(base), k=1)
    tree = linkage(dist[iu].astype(np.float64), method="average")
    base_labels = fcluster(tree, t=threshold, criterion="distance") - 1
    if len(base) == n:
        return base_labels
    # assign the rest to the nearest cluster centroid when close enough
    labels = np.full(n, -1, dtype=int)
    labels[base] = base_labels
    k = base_labels.max() + 1
    centroids = np.zeros((k, matrix.shape[1]), dtype=np.float64)
    members_of: dict[int, list[int]] = defaultdict(list)
    for pos, lab in enumerate(base_labels):
        members_of[int(lab)].append(pos)
    for lab, members in members_of.items():
        centroids[lab] = np.asarray(sub[members].mean(axis=0)).ravel()
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    centroids /= np.where(norms == 0, 1, norms)
    rest = np.setdiff1d(np.arange(n), base)
    for chunk in chunks(rest, 2000):
        sim = np.asarray(matrix[chunk] @ centroids.T)
        best = sim.argmax(axis=1)
        ok = sim[np.arange(len(chunk)), best] >= 1.0 - threshold
        labels[chunk] = np.where(ok, best, -1)
    return labels


def cluster_questions(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None = None,
    min_cluster_size: int = 5,
    random_state: int = 0,
    *,
    distance_threshold: float = _CLUSTER_THRESHOLD,
) -> pd.Series:
    """Group recurring questions (same topic, different wording) within each language.

    Method: each text is reduced to its content words (stopwords, greetings, question cue words, numbers,
    URLs removed), vectorised as TF-IDF over character 3–5-grams inside word boundaries
    (``char_wb``, sublinear tf: robust to inflection, Azerbaijani suffixes and typos) separately per
    language (n-grams do not bridge scripts), and grouped by average-linkage agglomerative clustering
    on cosine distance cut at ``distance_threshold``. Identical cleaned texts are clustered once. Fully
    deterministic; for more than 4,000 distinct texts in one language a ``random_state`` sample of 4,000
    is clustered and the rest join the nearest cluster centroid within the threshold.

    Args:
        texts: question texts (e.g. member messages where :func:`is_question` is True).
        languages: per-text ISO 639-1 codes; ``None`` detects them (:func:`detect_languages`).
        min_cluster_size: clusters with fewer texts become −1 (noise).
        random_state: seed for the sampling of very large inputs.
        distance_threshold: cosine distance (0–1) at which clusters stop merging; lower = tighter.

    Returns:
        Int ``pd.Series`` named ``"cluster"`` on the texts' index: cluster ids ``0..k-1`` unique across
        languages, numbered by size (largest first), −1 for noise, empty or content-free texts.
    """
    values, index = as_texts(texts)
    n = len(values)
    if n == 0:
        return pd.Series([], index=index, name="cluster", dtype="int64")
    if languages is None:
        langs = as_languages(detect_languages(values, progress=False).tolist(), n)
    else:
        langs = as_languages(languages, n)

    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)  # language -> cleaned doc -> positions
    for i, (words, lang) in enumerate(zip(clean_many(values, langs), langs)):
        if not words:
            continue
        groups[lang or UNDETERMINED].setdefault(" ".join(words), []).append(i)

    raw = np.full(n, -1, dtype=np.int64)
    next_id = 0
    for lang in sorted(groups):
        docs = list(groups[lang])
        labels = _cluster_group(docs, distance_threshold, random_state)
        for doc, lab in zip(docs, labels):
            if lab >= 0:
                raw[groups[lang][doc]] = next_id + lab
        next_id += int(labels.max()) + 1 if len(labels) else 0

    # drop small clusters, renumber by size (then first occurrence) for stable, readable ids
    ids, first, counts = np.unique(raw[raw >= 0], return_index=True, return_counts=True)
    first_pos = np.flatnonzero(raw >= 0)[first]
    keep = [(c, f, i) for i, f, c in zip(ids, first_pos, counts) if c >= max(1, min_cluster_size)]
    keep.sort(key=lambda x: (-x[0], x[1]))
    mapping = {old: new for new, (_, _, old) in enumerate(keep)}
    out = np.array([mapping.get(x, -1) if x >= 0 else -1 for x in raw], dtype=np.int64)
    return pd.Series(out, index=index, name="cluster", dtype="int64")


def cluster_summary(
    texts: Sequence[str],
    languages: Sequence[str | None] | str | None,
    clusters: Sequence[int] | pd.Series,
    top_terms: int = 5,
    examples: int = 3,
) -> pd.DataFrame:
    """One row per question cluster (noise −1 excluded), largest first.

    Columns: ``cluster`` (id), ``label`` (the ``top_terms`` most distinctive content words of the cluster
    versus the other questions of its language, joined by " / "), ``language`` (most common code in the
    cluster, "und" when unknown), ``n`` (texts in the cluster), ``examples`` (list of up to ``examples``
    distinct texts, most typical first, truncated to 120 characters for display).
    """
    values, _ = as_texts(texts)
    n = len(values)
    langs = as_languages(languages, n)
    labels = list(clusters.tolist() if isinstance(clusters, pd.Series) else clusters)
    if len(labels) != n:
        raise ValueError(f"clusters has {len(labels)} values but texts has {n}")
    columns = ["cluster", "label", "language", "n", "examples"]
    words = [set(ws) for ws in clean_many(values, langs)]
    doc_freq: dict[str, Counter[str]] = defaultdict(Counter)
    lang_docs: Counter[str] = Counter()
    for ws, lang in zip(words, langs):
        doc_freq[lang or UNDETERMINED].update(ws)
        lang_docs[lang or UNDETERMINED] += 1
    members: dict[int, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        if not is_missing(lab) and int(lab) >= 0:
            members[int(lab)].append(i)
    rows = []
    for cid, idx in members.items():
        language = Counter(langs[i] or UNDETERMINED for i in idx).most_common(1)[0][0]
        in_cluster: Counter[str] = Counter()
        for i in idx:
            in_cluster.update(words[i])
        total = lang_docs[language] or len(idx)
        df = doc_freq[language]

        def weight(term: str) -> float:
            return (in_cluster[term] / len(idx)) * math.log(1 + total / max(df[term], 1))

        terms = sorted(in_cluster, key=lambda t: (-weight(t), -in_cluster[t], t))[:top_terms]
        term_set = set(terms)
        ranked = sorted(idx, key=lambda i: (-len(words[i] & term_set), i))
        shown: list[str] = []
        seen: set[tuple[str, ...]] = set()
        for i in ranked:
            if len(shown) >= examples:
                break
            text = as_text(values[i]).strip()
            key = tuple(raw_tokens(text, langs[i]))  # "What time…?" and "what time… 🙏" are one example
            if text and key not in seen:
                seen.add(key)
                shown.append(text)
        rows.append({
            "cluster": cid,
            "label": " / ".join(terms),
            "language": language,
            "n": len(idx),
            "examples": [truncate_for_display(t, 120) for t in shown],
        })
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object if c in {"label", "language", "examples"} else "int64")
                             for c in columns})
    out = pd.DataFrame(rows, columns=columns).sort_values(["n", "cluster"], ascending=[False, True])
    return out.reset_index(drop=True)

