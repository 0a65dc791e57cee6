"""Benchmark of `sanctionlens report` (not a test): prints one JSON line.

floor_s    papermill executing N trivial notebooks (`import sanctionlens`) with the same jobs,
           N = number of reports in the plan: what any notebook build costs at least
jobs1_s    the full build with --jobs 1
parallel_s the full build with the default jobs (os.cpu_count())
Targets: parallel_s <= 2 x floor_s; jobs1_s / parallel_s >= 1.6.

Usage: .venv/bin/python benchmarks/bench_report.py [--plan reports.toml] [--only PATTERN]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def _run_trivial(path: str) -> None:
    import papermill as pm

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # the kernels' start-up chatter, as the report build logs it away
    pm.execute_notebook(path, path.replace(".ipynb", ".out.ipynb"), kernel_name="sanctionlens",
                        progress_bar=False, log_output=False, cwd=str(Path(path).parent))


def floor(n: int, jobs: int, folder: Path) -> float:
    import nbformat

    paths = []
    for i in range(n):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("import sanctionlens")]
        path = folder / f"trivial_{i}.ipynb"
        nbformat.write(nb, path)
        paths.append(str(path))
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, n))) as pool:
        list(pool.map(_run_trivial, paths))
    return time.perf_counter() - started


def main() -> int:
    from sanctionlens.reports import build, load_plan

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default=None)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    n = len(load_plan(args.plan, only=args.only))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        floor_s = floor(n, jobs, tmp_path)
        timings = {}
        for label, j in (("jobs1_s", 1), ("parallel_s", None)):
            started = time.perf_counter()
            results = build(args.plan, tmp_path / label, jobs=j, only=args.only,
                            stream=io.StringIO())
            timings[label] = time.perf_counter() - started
            failed = [r.name for r in results if r.status != "ok"]
    print(json.dumps({
        "benchmark": "report", "reports": n, "jobs": jobs, "floor_s": round(floor_s, 2),
        **{k: round(v, 2) for k, v in timings.items()},
        "build_over_floor": round(timings["parallel_s"] / floor_s, 2),
        "parallel_speedup": round(timings["jobs1_s"] / timings["parallel_s"], 2),
        "failed": failed,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
