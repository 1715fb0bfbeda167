"""Wall and CPU time of ``python -m helpers synth`` at N messages, and the unique share of its texts per language.

Runs the generator's command line in a child process into a temporary folder (so the time includes
writing the CSV files), then reads ``messages.csv`` back and prints the share of distinct texts per
planted language (emoji-only texts left out, as ``tests/unit/test_synth_variety.py`` does). The machine may
be shared: CPU time (user + system of the child) is what an idle core would need; wall time is printed with
the load average beside it. Issue 13's target: 1,000,000 messages in under 120 s, ≥ 90 % unique texts.

    .venv/bin/python benchmarks/bench_synth.py [--messages 1000000] [--seed 7]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "synth"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "helpers", "synth", "--out", str(out), "--seed", str(args.seed),
                        "--messages", str(args.messages)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        load = os.getloadavg()[0]
        msgs = pd.read_csv(out / "messages.csv", usecols=["message_id", "text"], dtype=str, keep_default_na=False)
    # planted languages are not in messages.csv; the letters tell them apart well enough for a benchmark
    letters = msgs["text"].str.replace(r"https?://\S+|@\w+", "", regex=True)
    lang = pd.Series("en", index=msgs.index)
    lang[letters.str.contains(r"[əıöüğşçƏİÖÜĞŞÇ]|\b(?:ve|ucun|bu|men|cox)\b", regex=True)] = "az"
    lang[letters.str.contains(r"[А-Яа-яЁё]", regex=True)] = "ru"
    lang[~letters.str.contains(r"[^\W\d_]", regex=True)] = "und"
    print(f"helpers synth --messages {args.messages:,}: {len(msgs):,} messages, wall {wall:.1f} s, "
          f"CPU {cpu:.1f} s (load average {load:.1f})")
    print(f"unique texts: all {msgs['text'].nunique() / len(msgs):.3f}; " + ", ".join(
        f"{code} {grp.nunique() / len(grp):.3f} ({len(grp):,})" for code, grp in msgs["text"].groupby(lang)
        if code != "und"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
