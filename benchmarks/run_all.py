"""Run every benchmark (what `make bench` calls); each prints one JSON line.

Figures are ratios within one run on this machine, not timed tests:
- bench_tagging.py: tag() throughput against a bare Aho-Corasick scan, streaming memory;
- bench_temporal.py: time-expression throughput on the same kind of text;
- bench_chronology.py: chronology() on 1,000 and 10,000 documents (does it grow linearly?);
- bench_loader.py: load + tag of 1,000 / 10,000 / 50,000 files, with and without metadata.csv;
- bench_report.py: report build time against the papermill floor, and parallel speed-up;
- bench_store.py: extract into a store (first run, rerun, one file changed; local and Dask),
  tag()/profile()/a notebook reading the store against computing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["bench_tagging.py", "--size-mb", "100", "--files", "10000", "--repeat", "3"],
    ["bench_temporal.py", "--size-mb", "20"],
    ["bench_chronology.py", "--docs", "1000", "10000", "--serial"],
    ["bench_loader.py", "--files", "1000,10000,50000"],
    ["bench_report.py"],
    ["bench_store.py", "--docs", "500", "--notebook"],
]

if __name__ == "__main__":
    failed = 0
    for script, *args in BENCHMARKS:
        print(f"# {script} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *args]) != 0
    sys.exit(1 if failed else 0)
