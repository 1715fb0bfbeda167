"""Throughput of helpers.text on N messages: language detection, sentiment (TextBlob, VADER), questions, clusters.

Usage: python benchmarks/bench_text.py [--n 5000] [--runs 3] [--data data/sample/messages.csv]

Uses the ``text`` column of ``data/sample/messages.csv`` when that file exists (the first N rows, repeated if
there are fewer), otherwise N synthetic Russian/Azerbaijani/English messages built here (deterministic, mostly
distinct texts, so the de-duplication inside the helpers does not flatter the numbers). Prints one table:
messages/second as the median of ``--runs`` runs, plus the one-off cost of building the language detector.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import helpers.text  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402

from helpers import sentiment as S  # noqa: E402
from helpers import text as T  # noqa: E402

FRAGMENTS = {
    "en": (["Thanks for", "Loved", "Really disappointed with", "Where can I find", "Any news about", "Great job on",
            "I waited two hours for", "How do I sign up for", "So happy with", "Not impressed by"],
           ["the concert", "the delivery", "your support team", "the new app", "the weekend market", "the volunteers",
            "the ticket prices", "the charity run", "the workshop", "the parking"],
           ["in Baku", "yesterday", "this week", "again", "with my kids", "after the update", "", "at the Nizami branch"],
           ["!", ".", "?", " 🙏", " 😊", "!!", "", " 👍"]),
    "ru": (["Спасибо за", "Очень понравился", "Разочарован", "Где найти", "Есть новости про", "Отличная работа,",
            "Два часа ждал", "Как записаться на", "Очень доволен", "Не впечатлил"],
           ["концерт", "доставку", "службу поддержки", "новое приложение", "ярмарку выходного дня", "волонтёров",
            "цены на билеты", "благотворительный забег", "мастер-класс", "парковку"],
           ["в Баку", "вчера", "на этой неделе", "снова", "с детьми", "после обновления", "", "в филиале Низами"],
           ["!", ".", "?", " 🙏", " 😊", "!!", "", " 👍"]),
    "az": (["Təşəkkürlər,", "Çox bəyəndim:", "Məyus oldum,", "Harada tapa bilərəm:", "Xəbər varmı:", "Əla iş:",
            "İki saat gözlədim:", "Necə yazılım:", "Çox məmnunam:", "Xoşuma gəlmədi:"],
           ["konsert", "çatdırılma", "dəstək xidməti", "yeni tətbiq", "həftəsonu yarmarkası", "könüllülər",
            "bilet qiymətləri", "xeyriyyə qaçışı", "seminar", "parkinq"],
           ["Bakıda", "dünən", "bu həftə", "yenə", "uşaqlarla", "yeniləmədən sonra", "", "Nizami filialında"],
           ["!", ".", "?", " 🙏", " 😊", "!!", "", " 👍"]),
}


def synthetic_messages(n: int, seed: int = 0) -> list[str]:
    """n messages, ~45 % Russian, 35 % Azerbaijani, 20 % English, with numbers/names so most are distinct."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = rng.choices(["ru", "az", "en"], weights=[45, 35, 20])[0]
        a, b, c, d = (rng.choice(part) for part in FRAGMENTS[lang])
        extra = f" #{rng.randint(1, 999)}" if rng.random() < 0.5 else ""
        out.append(" ".join(x for x in (a, b, c) if x) + extra + d)
    return out


def load_texts(n: int, data: Path) -> tuple[list[str], str]:
    if data.exists():
        frame = pd.read_csv(data, usecols=["text"], dtype={"text": "str"}, keep_default_na=False)
        texts = frame["text"].tolist()
        if not texts:
            return synthetic_messages(n), "synthetic (sample file empty)"
        texts = (texts * (n // len(texts) + 1))[:n]
        return texts, f"{data} ({len(frame)} rows)"
    return synthetic_messages(n), "synthetic"


def median_rate(fn, n: int, runs: int) -> tuple[float, float]:
    """(messages/second, seconds) for the median of `runs` timed calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    return n / seconds, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="messages per run (default 5000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per row; the median is reported")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample" / "messages.csv")
    args = parser.parse_args(argv)

    texts, source = load_texts(args.n, args.data)
    n = len(texts)
    print(f"helpers.text benchmark: {n} messages from {source}, median of {args.runs} runs")

    start = time.perf_counter()
    T.language.language_detector(tuple(sorted(T.DEFAULT_LANGUAGES)))
    build = time.perf_counter() - start

    langs = T.detect_languages(texts, progress=False)
    questions = [t for t, q in zip(texts, T.is_question(texts, langs)) if q]
    q_langs = langs[T.is_question(texts, langs).to_numpy()].tolist()

    rows = [("detect_languages (ru/az/en)", *median_rate(lambda: T.detect_languages(texts, progress=False), n, args.runs))]
    for backend in ("textblob", "vader"):
        rows.append((f"score_sentiment[{backend}]",
                     *median_rate(lambda b=backend: S.score_sentiment(texts, langs, backend=b, progress=False), n,
                                  args.runs)))
    rows.append(("is_question", *median_rate(lambda: T.is_question(texts, langs), n, args.runs)))
    if questions:
        rows.append((f"cluster_questions ({len(questions)} q.)",
                     *median_rate(lambda: T.cluster_questions(questions, q_langs), len(questions), args.runs)))

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'msgs/s':>10}  {'seconds':>8}")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 8}")
    for name, rate, seconds in rows:
        print(f"{name:<{width}}  {rate:>10,.0f}  {seconds:>8.3f}")
    mix = ", ".join(f"{k} {v:.0%}" for k, v in T.language_mix(langs).items())
    scored = S.score_sentiment(texts, langs, progress=False)["scored"]
    print(f"detector build (once per process, models preloaded): {build:.2f} s")
    print(f"language mix: {mix}; English-only sentiment coverage: {float(scored.mean()) if len(scored) else float('nan'):.0%} "
          f"(sentiment rates are per input message; only the {int(scored.sum())} scored ones cost time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
