"""Early-warning replay on fresh synthetic seeds: onset → alert delays, misses, false alarms per year.

For each crisis seed (two planted crises each: the booking outage and the data leak) and each seed without
incidents (``--no-incidents``), it generates a year of data with 500 gold labels, trains the dataset's own
sentiment model (as ``make report`` does for the sample), and runs ``python -m helpers watch DATA --replay``
over the whole year every hour (a process per seed, two at a time). It prints every seed's line and the
totals: median and maximum delay from the planted onset to the alert, misses, and false alarms per simulated
year. Targets (issue 15): median ≤ 2 h, none missed, ≤ 1 false alarm per year.

    .venv/bin/python benchmarks/bench_watch.py [--crisis-seeds 101 102 103 104 105] [--quiet-seeds 201 ...]
        [--keep DIR] [--json FILE] [--markdown benchmarks/results/watch_replay.md]

``--keep DIR`` keeps every generated dataset with its trained model in ``DIR`` (``c101``, ``q201``, …) and
reuses it on the next run (the synth and training steps are skipped when ``DIR/c101/models/sentiment`` holds
a model for the same seed and labels), so tuning the watch reruns only the replays.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


LABELS = 500
PREPARED = "bench_watch.json"  # marker in a kept dataset: how it was generated


def _prepare(data: Path, seed: int, quiet: bool) -> None:
    """Generate the seed's dataset and train its model, unless ``data`` already holds that (``--keep``)."""
    recipe = {"seed": seed, "labels": LABELS, "no_incidents": quiet}
    marker = data / PREPARED
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == recipe \
            and (data / "models" / "sentiment" / "model.joblib").is_file():
        return
    if data.exists():
        shutil.rmtree(data)
    _run([PY, "-m", "helpers", "synth", "--out", str(data), "--seed", str(seed), "--labels", str(LABELS)]
         + (["--no-incidents"] if quiet else []))
    _run([PY, "-m", "helpers", "sentiment", "train", str(data)])
    marker.write_text(json.dumps(recipe), encoding="utf-8")


def one(seed: int, quiet: bool, base: Path, start: str, end: str) -> dict:
    name = f"{'q' if quiet else 'c'}{seed}"
    data = base / name
    t0 = time.monotonic()
    _prepare(data, seed, quiet)
    t1 = time.monotonic()
    out = base / f"out-{name}"
    _run([PY, "-m", "helpers", "watch", str(data), "--replay", start, end, "--every", "1h", "--out", str(out),
          "--no-progress"])
    doc = json.loads((out / "replay.json").read_text(encoding="utf-8"))
    doc["seed"], doc["quiet"] = seed, quiet
    doc["prepare_seconds"], doc["replay_seconds"] = round(t1 - t0, 1), round(time.monotonic() - t1, 1)
    return doc


def report(docs: list[dict]) -> list[str]:
    """Markdown lines: a table row per seed (delay of each planted crisis, false alarms) and the totals."""
    lines = ["| seed | planted crises: delay onset → alert | alerts | false alarms | replay |",
             "|---|---|---|---|---|"]
    delays, missed, false, days = [], 0, 0, 0.0
    for d in docs:
        p = d["planted"]
        kind = "no incidents" if d["quiet"] else f"{p['planted']} planted"
        caught = ", ".join(f"{c['incident_id']} {c['delay_hours']} h" if c["caught"] else f"{c['incident_id']} MISSED"
                           for c in p["crises"])
        lines.append(f"| {d['seed']} ({kind}) | {caught or '-'} | {len(d['alerts'])} | {p['false_alarms']} "
                     f"({p['false_alarms_per_year']}/year) | {d['replay_seconds']} s, {d['checks']} checks |")
        delays += [c["delay_hours"] for c in p["crises"] if c["caught"]]
        missed += p["missed"]
        false += p["false_alarms"]
        days += p["replayed_days"]
    planted = len(delays) + missed
    quiet_days = sum(d["planted"]["replayed_days"] for d in docs if d["quiet"])
    quiet_false = sum(d["planted"]["false_alarms"] for d in docs if d["quiet"])
    lines += ["", f"planted crises {planted}: caught {len(delays)}, missed {missed}; delay onset → alert median "
              f"{statistics.median(delays) if delays else 'n/a'} h, max {max(delays) if delays else 'n/a'} h "
              f"(all: {sorted(delays)})",
              f"false alarms: {false} in {days:.0f} simulated days ({false / max(days, 1) * 365:.2f} per year); on the "
              f"seeds without incidents {quiet_false} in {quiet_days:.0f} days "
              f"({quiet_false / max(quiet_days, 1) * 365:.2f} per year)"]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crisis-seeds", type=int, nargs="*", default=[101, 102, 103, 104, 105])
    parser.add_argument("--quiet-seeds", type=int, nargs="*", default=[201, 202, 203, 204, 205])
    parser.add_argument("--start", default="2025-01-01")
    parser.add_argument("--end", default="2025-12-31T23:00")
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--json", help="also write every seed's replay summary to this file")
    parser.add_argument("--markdown", help="also write the table and totals (Markdown) to this file")
    parser.add_argument("--keep", help="keep (and reuse) the generated datasets and trained models in this folder")
    args = parser.parse_args()
    jobs = [(s, False) for s in args.crisis_seeds] + [(s, True) for s in args.quiet_seeds]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.parallel) as pool:
        base = Path(args.keep) if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        docs = list(pool.map(lambda j: one(j[0], j[1], base, args.start, args.end), jobs))
    lines = report(docs)
    print("\n".join(lines))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(docs, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
