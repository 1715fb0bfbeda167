"""Scale: notebooks 01–03 on 10,000 / 100,000 / 1,000,000 synthetic messages — wall, peak memory, cache cold/warm.

For each size it generates a year of the default (multilingual) organisation with ``python -m helpers synth``
(timed; its unique-text share is reported, since detection and scoring run once per distinct text), trains the
dataset's own sentiment model from 500 gold labels (what ``sentiment_backend="auto"`` then runs, as in
``make report``), and runs each notebook with papermill twice: *cold* (the dataset folder's annotation cache,
``DATA_DIR/.cache``, deleted first) and *warm* (the same run again). Peak memory is the largest sum of resident
memory over papermill and its kernel, sampled every 0.2 s. The slowest cells come from the durations papermill
records in the executed notebook.

Writes ``benchmarks/results/scale.csv`` and ``scale.md`` (the table, the growth ratio from 100,000 to
1,000,000 messages and the slowest cells). Targets (issue 13): notebook 01 ≤ 120 s and ≤ 4 GB at 1,000,000;
02 and 03 ≤ 120 s; growth ≤ 11×; warm ≤ 30 % of cold. This machine is shared: compare ratios, rerun noisy rows.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10000 100000 1000000] [--notebooks 01 02 03]
        [--keep DIR]   # reuse generated datasets between invocations
        [--states warm]  # only the warm run, on the annotation cache the folder already has (--keep)
        [--append]       # add the rows to the existing scale.csv (same sizes/notebooks/states replaced)
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RESULTS = ROOT / "benchmarks" / "results"
NOTEBOOKS = {"01": "01_audience_research", "02": "02_campaign_vs_community", "03": "03_crisis_postmortem"}


class PeakMemory:
    """Largest summed RSS (bytes) of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2):
        self.root, self.every, self.peak = psutil.Process(pid), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def dataset(size: int, base: Path, seed: int) -> tuple[Path, float, float]:
    """The synthetic folder of ``size`` messages with its trained model: (folder, generation s, unique share)."""
    folder = base / f"synth-{size}"
    stamp = folder / ".bench-generated.json"
    if stamp.is_file():
        info = json.loads(stamp.read_text())
        return folder, info["seconds"], info["unique_share"]
    if folder.exists():
        shutil.rmtree(folder)
    t0 = time.perf_counter()
    subprocess.run([PY, "-m", "helpers", "synth", "--out", str(folder), "--seed", str(seed), "--messages", str(size),
                    "--labels", "500"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    subprocess.run([PY, "-m", "helpers", "sentiment", "train", str(folder)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    texts = pd.read_csv(folder / "messages.csv", usecols=["text"], dtype=str, keep_default_na=False)["text"]
    unique = float(texts.nunique() / len(texts)) if len(texts) else float("nan")
    stamp.write_text(json.dumps({"seconds": seconds, "unique_share": unique}))
    return folder, seconds, unique


def run_notebook(nb: str, data: Path, out: Path) -> dict:
    """One papermill run in a subprocess: wall s, peak GB, the five slowest cells (s)."""
    executed = out / f"{nb}.ipynb"
    cmd = [PY, "-m", "papermill", str(ROOT / "notebooks" / f"{nb}.ipynb"), str(executed), "-k", "python3",
           "-p", "data_dir", str(data), "-p", "output_dir", str(out / nb), "--cwd", str(ROOT), "--no-progress-bar",
           "--log-level", "ERROR"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    mem = PeakMemory(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    peak = mem.stop()
    if proc.returncode != 0:
        raise SystemExit(f"{nb} failed on {data}:\n{err[-2000:]}")
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    timed = []
    for i, c in enumerate(cells):
        d = (c.get("metadata", {}).get("papermill") or {}).get("duration")
        if c.get("cell_type") == "code" and d is not None:
            source = c.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            first = next((line.strip() for line in source.splitlines() if line.strip()), "")
            timed.append((float(d), i, first[:60]))
    timed.sort(reverse=True)
    return {"wall_s": wall, "peak_gb": peak / 1e9,
            "slowest": "; ".join(f"[{i}] {d:.1f}s {src}" for d, i, src in timed[:5])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--notebooks", nargs="+", default=sorted(NOTEBOOKS), choices=sorted(NOTEBOOKS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the generated datasets in this folder")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--states", nargs="+", default=["cold", "warm"], choices=["cold", "warm"])
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in args.sizes:
            folder, gen_s, unique = dataset(size, base, args.seed)
            print(f"{size:>9,} messages: generated in {gen_s:.1f} s, {unique:.0%} unique texts", flush=True)
            for key in args.notebooks:
                nb = NOTEBOOKS[key]
                for state in args.states:
                    if state == "cold":
                        shutil.rmtree(folder / ".cache", ignore_errors=True)
                    with tempfile.TemporaryDirectory(dir=base) as out:
                        r = run_notebook(nb, folder, Path(out))
                    rows.append({"messages": size, "notebook": key, "cache": state, "generate_s": round(gen_s, 1),
                                 "unique_share": round(unique, 3), "wall_s": round(r["wall_s"], 1),
                                 "peak_gb": round(r["peak_gb"], 2), "slowest_cells": r["slowest"]})
                    print(f"  {key} {state}: {r['wall_s']:.1f} s, {r['peak_gb']:.2f} GB — {r['slowest']}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.append and (args.out / "scale.csv").is_file():
        new = {(r["messages"], r["notebook"], r["cache"]) for r in rows}
        old = pd.read_csv(args.out / "scale.csv", dtype={"notebook": str}).to_dict("records")
        rows = [r for r in old if (r["messages"], r["notebook"], r["cache"]) not in new] + rows
        rows.sort(key=lambda r: (r["messages"], r["notebook"], r["cache"]))
    with open(args.out / "scale.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    df = pd.DataFrame(rows)
    lines = [f"Scale benchmark ({psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
             "synthetic default organisation, the dataset's own model via sentiment_backend=\"auto\"):", "",
             "| messages | unique texts | generate s | notebook | cache | wall s | peak GB |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['messages']:,} | {r['unique_share']:.0%} | {r['generate_s']} | {r['notebook']} | "
                     f"{r['cache']} | {r['wall_s']} | {r['peak_gb']} |")
    lines.append("")
    wall = df.pivot_table(index=["notebook", "cache"], columns="messages", values="wall_s", aggfunc="last")
    sizes = sorted(df["messages"].unique())

    def value(nb: str, state: str, size: int) -> float | None:
        v = wall.get(size, pd.Series(dtype=float)).get((nb, state))
        return None if v is None or pd.isna(v) else float(v)

    for nb in sorted(df["notebook"].unique()):
        for state in ("cold", "warm"):
            small, big = value(nb, state, 100_000), value(nb, state, 1_000_000)
            if small and big:
                lines.append(f"- notebook {nb}: 100,000 → 1,000,000 messages takes {big / small:.1f}× the time "
                             f"({state})")
        top = sizes[-1]
        cold_top, warm_top = value(nb, "cold", top), value(nb, "warm", top)
        if cold_top and warm_top:
            lines.append(f"- notebook {nb} at {top:,}: warm / cold = {warm_top / cold_top:.2f}")
    lines += ["", "Slowest cells (papermill's per-cell durations):", ""]
    lines += [f"- {r['messages']:,} / {r['notebook']} / {r['cache']}: {r['slowest_cells']}" for r in rows]
    (args.out / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
