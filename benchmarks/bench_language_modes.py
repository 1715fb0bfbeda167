"""lingua's high- and low-accuracy modes on real and synthetic texts: agreement, accuracy and speed.

Real: the human-labelled English (Apple) and Russian (SentiRuEval) tweets of ``../shared/data`` — the truth is
the collection's language. Synthetic: the first N texts of a generated dataset folder (no per-message truth is
stored, so only the two modes' agreement is reported). Detection is :func:`helpers.text.detect_languages`'s
(restricted to ru/az/en, "und" when unsure); the low-accuracy detector is built the same way with
``with_low_accuracy_mode()``. One thread; CPU seconds are this process's.

    .venv/bin/python benchmarks/bench_language_modes.py [--synthetic DATA_DIR] [--n 20000]
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd

from helpers import text
from helpers.sentiment import load_corpora
from helpers.text import language


def detect(texts: list[str], low: bool) -> tuple[list[str], float]:
    if low:
        from lingua import LanguageDetectorBuilder

        langs = [language._lingua_language(c) for c in sorted(text.DEFAULT_LANGUAGES)]
        built = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models() \
            .with_low_accuracy_mode().build()
        original = language.language_detector
        language.language_detector = lambda codes: built  # type: ignore[assignment]
    began = time.process_time()
    try:
        found = text.detect_languages(texts, progress=False, workers=1).tolist()
    finally:
        if low:
            language.language_detector = original  # type: ignore[assignment]
    return found, time.process_time() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=Path)
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    sets: dict[str, tuple[list[str], list[str] | None]] = {}
    corpora = load_corpora()
    frames = corpora.values() if isinstance(corpora, dict) else [corpora]
    for frame in frames:
        for code, grp in frame.groupby("language"):
            sets[f"real {code} tweets"] = (grp["text"].astype(str).tolist(), [str(code)] * len(grp))
    if args.synthetic:
        msgs = pd.read_csv(args.synthetic / "messages.csv", usecols=["text"], dtype=str, keep_default_na=False)
        sets[f"synthetic ({args.synthetic.name}, first {args.n:,})"] = (msgs["text"].head(args.n).tolist(), None)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| texts | n | high: accuracy | low: accuracy | modes agree | high CPU s | low CPU s |\n|---|---|---|---|---|---|---|")
    for name, (texts, truth) in sets.items():
        high, t_high = detect(texts, low=False)
        low, t_low = detect(texts, low=True)
        agree = sum(a == b for a, b in zip(high, low)) / len(texts)
        acc = (lambda got: f"{sum(g == t for g, t in zip(got, truth)) / len(truth):.3f}") if truth else (lambda got: "–")
        print(f"| {name} | {len(texts):,} | {acc(high)} | {acc(low)} | {agree:.3f} | {t_high:.1f} | {t_low:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
