"""Multilingual text helpers: normalising and tokenising, language detection, questions, clusters, trends.

Sentiment scoring lives in :mod:`helpers.sentiment` (``helpers.sentiment.score_sentiment``).

The workbook's audiences write Russian (Cyrillic), Azerbaijani (Latin script with ə ı ş ç ğ ö ü) and
English. Everything here is offline: lingua ships its models in its wheel, TextBlob's ``.sentiment``
(PatternAnalyzer) and VADER ship their lexicons; NLTK corpora are never touched (no ``.words``,
``.sentences``, ``.noun_phrases`` or ``.tags``).

Conventions

* Language codes are ISO 639-1 strings (``"ru"``, ``"az"``, ``"en"``); ``"und"`` means undetermined
  (empty text, no letters, or the detector could not decide).
* Functions that take ``texts`` accept any sequence (list, tuple, ``pd.Series``, NumPy array). Missing
  values (None/NaN/NA) count as empty text. Results that are per text come back as a ``pd.Series`` /
  ``pd.DataFrame`` on the index of ``texts`` when it is a Series, otherwise on a ``RangeIndex``.
* ``languages`` arguments are per-text codes aligned with ``texts`` (a single string applies to all).
* English-only scorers never score other languages: those messages are *not scored* (NaN / <NA>),
  never "neutral".
"""
from __future__ import annotations

from helpers.text.columns import TEXT_SEPARATOR, TokenTable, normalise_many, token_table
from helpers.text.clusters import clean_for_cluster, clean_many, cluster_questions, cluster_summary
from helpers.text.language import DEFAULT_LANGUAGES, check_languages, detect_languages, language_mix
from helpers.text.normalising import (
    LETTER_RE,
    STOPWORDS,
    UNDETERMINED,
    as_languages,
    as_text,
    as_texts,
    is_missing,
    normalise,
    strip_links,
    tokenize,
    truncate_for_display,
)
from helpers.text.questions import is_question
from helpers.text.trends import trending_terms

__all__ = [
    "DEFAULT_LANGUAGES",
    "STOPWORDS",
    "UNDETERMINED",
    "LETTER_RE",
    "normalise",
    "normalise_many",
    "TEXT_SEPARATOR",
    "strip_links",
    "as_text",
    "as_texts",
    "as_languages",
    "is_missing",
    "tokenize",
    "token_table",
    "TokenTable",
    "detect_languages",
    "check_languages",
    "language_mix",
    "is_question",
    "cluster_questions",
    "cluster_summary",
    "clean_for_cluster",
    "clean_many",
    "trending_terms",
    "truncate_for_display",
]
