"""Wall time of `make report` against its floor: the same four notebooks with their analysis cells removed.

Issue 13's target: the four-notebook `make report` on data/sample within 2× the floor. The floor runs a copy of
config/report.yml whose notebooks keep only the parameters cell and the imports cell, through the same
`python -m helpers run` (same jobs, same papermill, same rendering and publishing), so the difference is what the
analysis itself costs. Both run with a warm .venv and a warm annotation cache (one untimed `make report`
first), N times each, alternating (default 3); the machine is shared and noisy, so compare medians and the ratio.

    .venv/bin/python benchmarks/bench_report.py [--runs 3] [--out benchmarks/results/report.md]

Also prints papermill's per-notebook wall times from the last full run's manifest.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "report.yml"
PY = sys.executable


def floor_notebook(src: Path, dst: Path) -> None:
    """Keep only the parameters cell and the cell that imports helpers (markdown cells go too)."""
    nb = nbformat.read(src, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"
                and ("parameters" in c.metadata.get("tags", []) or "from helpers" in c.source
                     or "import helpers" in c.source)]
    nbformat.write(nb, dst)


def floor_config(tmp: Path) -> Path:
    """config/report.yml with every notebook replaced by its floor copy (headlines dropped: nothing is found)."""
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    for run in cfg["runs"]:
        src = ROOT / run["notebook"]
        dst = tmp / src.name
        floor_notebook(src, dst)
        run["notebook"] = str(dst)
        run.pop("headline", None)
    cfg["name"] = "floor"
    out = tmp / "floor.yml"
    out.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def timed_run(config: Path, output: Path) -> float:
    start = time.perf_counter()
    subprocess.run([PY, "-m", "helpers", "run", str(config), "--output", str(output), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "CI": "true"})
    return time.perf_counter() - start


def notebook_times(output: Path) -> dict[str, float]:
    """Per-run wall seconds from the newest manifest.json under ``output``."""
    manifests = sorted(output.rglob("manifest.json"), key=lambda p: p.stat().st_mtime)
    if not manifests:
        return {}
    runs = json.loads(manifests[-1].read_text(encoding="utf-8")).get("runs", [])
    return {r.get("id", "?"): float(r["duration_seconds"]) for r in runs if r.get("duration_seconds") is not None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "report.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        floor_cfg = floor_config(tmp)
        timed_run(CONFIG, tmp / "warmup")  # fills the annotation cache and page caches; not timed
        full, floor = [], []
        for _ in range(args.runs):
            full.append(timed_run(CONFIG, tmp / "full"))
            floor.append(timed_run(floor_cfg, tmp / "floor"))
        per_full, per_floor = notebook_times(tmp / "full"), notebook_times(tmp / "floor")
    load = os.getloadavg()
    ratio = statistics.median(full) / statistics.median(floor)
    lines = [
        f"`make report` (config/report.yml, four notebooks on data/sample) against its floor, "
        f"`benchmarks/bench_report.py --runs {args.runs}`, {dt.date.today().isoformat()}: {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end; warm .venv and annotation cache.",
        "",
        "| what | median s | runs |",
        "|---|---|---|",
        f"| helpers run config/report.yml (what make report runs) | {statistics.median(full):.1f} | "
        f"{', '.join(f'{v:.1f}' for v in full)} |",
        f"| the same with analysis cells removed (floor) | {statistics.median(floor):.1f} | "
        f"{', '.join(f'{v:.1f}' for v in floor)} |",
        "",
        f"- full / floor = {ratio:.2f}× (target ≤ 2×)",
    ]
    if per_full:
        lines.append("- per notebook, last run (papermill wall s, full / floor): " + "; ".join(
            f"{k} {v:.1f} / {per_floor.get(k, float('nan')):.1f}" for k, v in per_full.items()))
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
