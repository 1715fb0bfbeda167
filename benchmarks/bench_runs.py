"""Wall time of a 4-run grid (notebook 01 on data/sample, one run per quarter of 2025) with --jobs 1 vs 2.

Each repeat runs ``python -m helpers run`` on the same grid into a temporary folder, alternating
--jobs 1 and --jobs 2 so that background load hits both alike; prints the median of the repeats, the
speed-up ratio (jobs 1 / jobs 2) and the load average. The machine may be shared: read the ratio with the
load average printed beside it.

    .venv/bin/python benchmarks/bench_runs.py [--repeats 2] [--jobs 1 2]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    times: dict[int, list[float]] = {j: [] for j in args.jobs}
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "bench.yml"
        cfg.write_text(yaml.safe_dump({
            "name": "bench", "output": str(Path(tmp) / "reports"), "timezone": "Asia/Baku",
            "defaults": {"data_dir": "data/sample"},
            "grid": {"period": ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]},
            "runs": [{"id": "audience", "notebook": "notebooks/01_audience_research.ipynb"}],
        }))
        day = 0
        for rep in range(args.repeats):
            for jobs in args.jobs if rep % 2 == 0 else list(reversed(args.jobs)):
                day += 1
                as_of = f"2026-01-{day:02d}"  # its own folder per measurement (periods are fixed quarters)
                loads.append(os.getloadavg()[0])
                start = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "helpers", "run", str(cfg), "--jobs", str(jobs),
                                       "--no-progress", "--as-of", as_of],
                                      cwd=ROOT, capture_output=True, text=True)
                elapsed = time.perf_counter() - start
                if proc.returncode != 0:
                    print(proc.stderr[-3000:], file=sys.stderr)
                    return 1
                manifest = json.loads((Path(tmp) / "reports" / "bench" / as_of / "manifest.json").read_text())
                per_run = [r["duration_seconds"] for r in manifest["runs"]]
                times[jobs].append(elapsed)
                print(f"repeat {rep + 1} --jobs {jobs}: {elapsed:6.1f} s wall; runs "
                      f"{', '.join(f'{d:.1f}' for d in per_run)} s; load before {loads[-1]:.2f}", flush=True)
    print(f"\n{'--jobs':>6s} {'median s':>9s}  repeats   (4 runs of notebooks/01 on data/sample, {os.cpu_count()} cores)")
    for jobs, values in times.items():
        print(f"{jobs:6d} {statistics.median(values):9.1f}  {', '.join(f'{v:.1f}' for v in values)}")
    if 1 in times and len(times) > 1:
        for jobs in times:
            if jobs != 1:
                print(f"speed-up --jobs {jobs} vs 1: {statistics.median(times[1]) / statistics.median(times[jobs]):.2f}x")
    print(f"load average (1 min) before each measurement: {', '.join(f'{x:.2f}' for x in loads)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
