"""Language detection with lingua (offline models in its wheel), restricted to the audience's languages."""
from __future__ import annotations

import functools
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from helpers.parallel import resolve_workers
from helpers.progress import chunks, progress_bar
from helpers.text.normalising import (
    LETTER_RE,
    UNDETERMINED,
    WORD_RE,
    as_text,
    as_texts,
    is_missing,
    strip_links,
)

DEFAULT_LANGUAGES: tuple[str, ...] = ("ru", "az", "en")
"""The languages the seed organisation's audience writes (ISO 639-1)."""

# --------------------------------------------------------------------------------------------------
# Language detection
# --------------------------------------------------------------------------------------------------


def _lingua_language(code: str) -> Any:
    """lingua ``Language`` for an ISO 639-1 code; ValueError naming the code when lingua lacks it."""
    from lingua import IsoCode639_1, Language

    clean = str(code).strip().lower()
    try:
        iso = IsoCode639_1.from_str(clean)
        return Language.from_iso_code_639_1(iso)
    except (ValueError, AttributeError, TypeError):
        raise ValueError(
            f"language {code!r} is not supported by lingua (expected an ISO 639-1 code such as "
            f"{', '.join(DEFAULT_LANGUAGES)})"
        ) from None


def check_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """The ISO 639-1 codes of ``languages`` (lower case, in order, once each); ``ValueError`` naming a code lingua
    does not know, or for an empty set."""
    if isinstance(languages, str):
        languages = [languages]
    codes: list[str] = []
    for code in languages:
        clean = str(code).strip().lower()
        _lingua_language(clean)  # raises for unsupported codes
        if clean not in codes:
            codes.append(clean)
    if not codes:
        raise ValueError("languages is empty: give at least one ISO 639-1 code, e.g. ('ru', 'az', 'en')")
    return tuple(codes)


@functools.lru_cache(maxsize=8)
def language_detector(codes: tuple[str, ...]) -> Any:
    """A lingua detector for ``codes`` (sorted tuple) with preloaded models; built once per set."""
    from lingua import LanguageDetectorBuilder

    langs = [_lingua_language(c) for c in codes]
    return LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


_DETECT_CHUNK = 2000
_CYRILLIC_CODES = frozenset({"be", "bg", "kk", "ky", "mk", "mn", "ru", "sr", "tg", "tt", "uk"})
"""Languages written in Cyrillic (lingua's and beyond)."""
_NOT_RUSSIAN_LETTER_RE = re.compile(r"[^\W\d_а-яёА-ЯЁ]")


def _russian_by_script(codes: Sequence[str]) -> bool:
    """Whether, among ``codes``, a text whose letters are all Russian ones can only be Russian: Russian is the
    one Cyrillic language there. lingua then decides by its alphabet rule (confidence 1.0 for Russian, 0 for
    the rest) after tokenising the text in Rust — ~60 µs a text, a third of a Russian-heavy page's detection
    time — so such texts are answered here without asking it (same answer; tests/unit/test_text.py checks)."""
    return "ru" in codes and not (_CYRILLIC_CODES - {"ru"}) & set(codes)


def detect_languages(
    texts: Sequence[str],
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    known: Sequence[str | None] | None = None,
    progress: bool = True,
    *,
    min_confidence: float = 0.7,
    workers: int | None = None,
) -> pd.Series:
    """Detect the language of each text with lingua, restricted to ``languages``.

    Args:
        texts: message texts.
        languages: ISO 639-1 codes the audience is expected to write (e.g. ``dataset.json``'s
            ``languages``). Restricting the set makes short texts far more reliable. A code lingua does
            not know raises ``ValueError`` naming it. With a single code, texts are still checked against
            :data:`DEFAULT_LANGUAGES` so that, e.g., Russian text in an English-only setup becomes
            ``"und"`` instead of ``"en"``.
        known: optional per-text codes (e.g. the export's ``language`` column); non-null, non-empty values
            are kept exactly as given and not re-detected.
        progress: show a progress bar for large inputs (≥ 1,000 texts, terminal or notebook only).
        min_confidence: for texts of one or two words ("ok", "lol", "Salam"), lingua's confidence
            (0–1, shared among the configured languages) the best language needs; below it the detector
            is unsure and the text gets ``"und"``. Longer texts take lingua's best guess (ties → "und").
        workers: threads of lingua's parallel detection (None = :func:`helpers.parallel.default_workers`;
            1 = one text after the other in this thread). lingua's thread pool is built once per process, on
            the first parallel call, with ``RAYON_NUM_THREADS`` (set here from ``workers`` unless already set).

    Returns:
        ``pd.Series`` (name ``"language"``) of ISO 639-1 codes, ``"und"`` for empty text, text without
        letters (emoji, numbers, links only) and texts lingua is unsure about. URLs, e-mails and @mentions
        are ignored for detection. Identical texts are detected once; texts whose letters are all Russian
        ones are Russian without asking lingua when Russian is the only Cyrillic language among ``languages``
        (lingua's own alphabet rule gives the same).
    """
    values, index = as_texts(texts)
    requested = check_languages(languages)
    det_codes = requested
    if len(requested) == 1:
        det_codes = tuple(dict.fromkeys(requested + DEFAULT_LANGUAGES))
    detector = language_detector(tuple(sorted(det_codes)))
    known_values: list[Any] = [None] * len(values)
    if known is not None:
        known_values = known.tolist() if isinstance(known, pd.Series) else list(known)
        if len(known_values) != len(values):
            raise ValueError(f"known has {len(known_values)} values but texts has {len(values)}")

    result: list[str] = [UNDETERMINED] * len(values)
    todo: dict[str, list[int]] = defaultdict(list)  # cleaned text -> positions
    for i, (raw, given) in enumerate(zip(values, known_values)):
        if not is_missing(given) and str(given).strip():
            result[i] = given
            continue
        cleaned = " ".join(strip_links(as_text(raw)).split())
        if LETTER_RE.search(cleaned):
            todo[cleaned].append(i)

    unique = list(todo)
    if _russian_by_script(det_codes):
        russian = "ru" if "ru" in requested else UNDETERMINED
        for text in [t for t in unique if not _NOT_RUSSIAN_LETTER_RE.search(t)]:
            for i in todo.pop(text):
                result[i] = russian
        unique = list(todo)
    threads = resolve_workers(workers)
    if threads > 1:
        os.environ.setdefault("RAYON_NUM_THREADS", str(threads))
    with progress_bar(len(unique), "detecting languages", progress) as bar:
        for chunk in chunks(unique, _DETECT_CHUNK):
            if threads > 1:
                confidences = detector.compute_language_confidence_values_in_parallel(list(chunk))
            else:
                confidences = [detector.compute_language_confidence_values(t) for t in chunk]
            for text, values_ in zip(chunk, confidences):
                code = UNDETERMINED
                needed = min_confidence if len(WORD_RE.findall(text)) < 3 else 0.0
                top = values_[0].value if values_ else 0.0
                tie = len(values_) > 1 and values_[1].value >= top
                if top > 0 and top >= needed and not tie:
                    code = values_[0].language.iso_code_639_1.name.lower()
                    if code not in requested:
                        code = UNDETERMINED
                for i in todo[text]:
                    result[i] = code
            bar.update(len(chunk))
    return pd.Series([str(code) for code in result], index=index, name="language", dtype="str")


def language_mix(codes: pd.Series | Sequence[str | None]) -> dict[str, float]:
    """Share (0–1) of texts per language code, sorted by share descending (ties by code).

    Missing codes count as ``"und"``. Shares sum to 1; an empty input gives ``{}``.
    """
    values = [UNDETERMINED if is_missing(c) or not str(c).strip() else str(c) for c in
              (codes.tolist() if isinstance(codes, pd.Series) else list(codes))]
    if not values:
        return {}
    counts = Counter(values)
    total = len(values)
    return {code: n / total for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}

