"""Loader scaling: load + tag of 1,000 / 10,000 / 50,000 files, with and without metadata.csv.

Synthetic articles are written to a temporary folder from the seeds' sentences (a headline,
a date line or a wire dateline, a few body paragraphs, some furniture lines), half of them in
a subfolder. Each run streams the folder (``iter_documents`` + ``tag_document``) in a child
process and reports seconds, microseconds per file and peak resident memory (VmHWM of the
child). Linear time: seconds per file stay level; flat memory: the peak does not grow with
the number of files. Usage:
``.venv/bin/python benchmarks/bench_loader.py [--files 1000,10000,50000]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import sanctionlens as sl

CHILD = """
import re, sys, time
from sanctionlens.ingest.load import iter_documents
from sanctionlens.extract.tagging import _default_gazetteer, tag_document
gaz = _default_gazetteer()
t0 = time.perf_counter(); docs = tags = dated = 0
for doc in iter_documents(sys.argv[1], []):
    docs += 1; dated += doc.published is not None
    tags += sum(1 for _ in tag_document(doc, gaz))
seconds = time.perf_counter() - t0
hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)
print(docs, tags, dated, round(seconds, 2), hwm)
"""
FURNITURE = ["Advertisement", "Share this article", "3 min read", "Listen to this article",
             "Home | World | Business | Markets"]


def write_corpus(folder: Path, n: int, seed: int = 15) -> None:
    pool = [s.text for d in sl.load_corpus() for s in d.sentences if len(s.text) > 60]
    rng = random.Random(seed)
    (folder / "wire").mkdir()
    day0 = dt.date(2019, 1, 1)
    rows = []
    for i in range(n):
        day = day0 + dt.timedelta(days=i % 2000)
        head = (f"Sanctions story number {i} on Chinese technology firms",
                f"{day:%B} {day.day}, {day.year}" if i % 2 else "")
        lead = (f"BEIJING, {day:%b} {day.day}, {day.year} (Xinhua) -- " if i % 3 == 0 else "")
        body = [lead + " ".join(rng.choice(pool) for _ in range(3))]
        body += [" ".join(rng.choice(pool) for _ in range(3)) for _ in range(2)]
        lines = [head[0], head[1], rng.choice(FURNITURE), *body]
        rel = f"wire/a{i:05d}.txt" if i % 2 else f"a{i:05d}.txt"
        (folder / rel).write_text("\n\n".join(x for x in lines if x) + "\n", encoding="utf-8")
        rows.append({"file": rel, "published": day.isoformat(), "outlet": "Xinhua",
                     "title": head[0], "published_basis": "synthetic"})
    with open(folder / "metadata.off", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def measure(folder: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(folder)], capture_output=True,
                          text=True)
    if proc.returncode:
        raise SystemExit(f"load + tag failed:\n{proc.stderr[-3000:]}")
    out = proc.stdout.split()
    docs, tags, dated, seconds, hwm = int(out[0]), int(out[1]), int(out[2]), float(out[3]), \
        int(out[4])
    return {"docs": docs, "tags": tags, "dated": dated, "seconds": seconds,
            "us_per_file": round(1e6 * seconds / docs), "peak_mib": round(hwm / 1024, 1)}


def run(sizes: list[int]) -> dict:
    result: dict = {"benchmark": "loader"}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_corpus(folder, n)
            result[f"{n}_without_metadata"] = measure(folder)
            (folder / "metadata.off").rename(folder / "metadata.csv")
            result[f"{n}_with_metadata"] = measure(folder)
    for mode in ("without_metadata", "with_metadata"):
        first, last = result[f"{sizes[0]}_{mode}"], result[f"{sizes[-1]}_{mode}"]
        result[f"time_per_file_ratio_{mode}"] = round(last["us_per_file"] /
                                                      first["us_per_file"], 2)
        result[f"peak_memory_ratio_{mode}"] = round(last["peak_mib"] / first["peak_mib"], 2)
    result["target"] = "time_per_file_ratio ~1 (linear) and peak_memory_ratio ~1 (flat)"
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", default="1000,10000,50000")
    args = ap.parse_args()
    print(json.dumps(run([int(x) for x in args.files.split(",")])), flush=True)
