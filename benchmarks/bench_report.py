"""Wall time of `make report` on a warm .venv against the floor (kernel start + imports).

The floor runs the same notebook through papermill with every analysis cell removed (only the parameters
cell and the imports cell stay), so the difference is what the analysis itself costs.
Prints medians of N runs (default 3); this machine is shared and noisy, so compare ratios.

    .venv/bin/python benchmarks/bench_report.py [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_audience_research.ipynb"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        keep = [c for c in nb.cells if c.cell_type == "code"
                and ("parameters" in c.metadata.get("tags", []) or "from helpers" in c.source)]
        nb.cells = keep
        floor_nb = Path(tmp) / "floor.ipynb"
        nbformat.write(nb, floor_nb)
        floor = [timed(lambda: pm.execute_notebook(str(floor_nb), str(Path(tmp) / "floor_out.ipynb"),
                                                   kernel_name="python3", cwd=str(ROOT), progress_bar=False,
                                                   parameters={"output_dir": str(Path(tmp) / "floor")}))
                 for _ in range(args.runs)]
        full_nb = [timed(lambda: pm.execute_notebook(str(NOTEBOOK), str(Path(tmp) / "full_out.ipynb"),
                                                     kernel_name="python3", cwd=str(ROOT), progress_bar=False,
                                                     parameters={"output_dir": str(Path(tmp) / "full")}))
                   for _ in range(args.runs)]
    report = [timed(lambda: subprocess.run(["make", "report"], cwd=ROOT, check=True, capture_output=True))
              for _ in range(args.runs)]
    rows = [("make report (warm .venv)", report), ("papermill, full notebook", full_nb),
            ("papermill, floor (kernel + imports)", floor)]
    print(f"{'what':40s} {'median s':>9s}  runs")
    for name, values in rows:
        print(f"{name:40s} {statistics.median(values):9.1f}  {', '.join(f'{v:.1f}' for v in values)}")
    print(f"analysis cost: full / floor = {statistics.median(full_nb) / statistics.median(floor):.1f}x; "
          f"make report / full notebook = {statistics.median(report) / statistics.median(full_nb):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
