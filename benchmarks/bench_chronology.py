"""Time of sanctionlens.chronology on synthetic corpora of 1,000 and 10,000 documents (not a
test): does the cost grow about linearly with the corpus?

Each synthetic document is a seed article under a new id, its publication date shifted by a
random number of days (fixed seed; one in five keeps no date, like seed 003). Relative dates
("three days ago") move with it, explicit ones ("October 2019") do not, so the copies report
both shared events (thousands of mentions of one act) and thousands of distinct ones -- the
two cases a quadratic merge is slow on. The time covers all of ``chronology()``: tagging,
time expressions, mentions, merge, reference links and rows. ``cpu_seconds`` (process
time) is given beside the wall-clock ``seconds`` because the machine's two cores are shared.
Above a few MB of text ``chronology()`` detects mentions in worker processes (``workers``
gives how many; ``--serial`` also times the largest size in one process).
Usage: ``.venv/bin/python benchmarks/bench_chronology.py [--docs 1000 10000] [--serial]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import resource
import time
from pathlib import Path

import sanctionlens as sl
from sanctionlens.analysis.chronology import chronology
from sanctionlens.errors import ParameterError
from sanctionlens.extract.tag_workers import resolve_workers
from sanctionlens.ingest.load import Corpus

SEED = 20211213
SHIFT_DAYS = 1500  # publication dates move by up to this many days either way


def build_corpus(n_docs: int, seed: int = SEED) -> Corpus:
    """``n_docs`` copies of the seed articles with shifted publication dates."""
    if n_docs < 1:
        raise ParameterError(f"n_docs must be a positive number of documents, got {n_docs!r}")
    seeds = sl.load_corpus().documents
    rng = random.Random(seed)
    docs = []
    for n in range(n_docs):
        src = seeds[n % len(seeds)]
        shift = dt.timedelta(days=rng.randint(-SHIFT_DAYS, SHIFT_DAYS))
        published = None if src.published is None or rng.random() < 0.2 else \
            src.published + shift
        docs.append(dataclasses.replace(src, id=f"bench_{n:06d}", published=published,
                                        path=Path(f"bench_{n:06d}.txt")))
    return Corpus(docs, Path("benchmark"))


def run(n_docs: int, workers: int | None = None) -> dict:
    """``chronology()`` on ``n_docs`` documents; ``workers`` as chronology takes it (None:
    automatic). CPU seconds count this process and its finished worker processes."""
    corpus = build_corpus(n_docs)
    used = resolve_workers(workers, sum(len(d.text) for d in corpus))
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    frame = chronology(corpus, include_reference=False, workers=workers)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0 + _children_cpu() - k0
    return {
        "benchmark": "chronology", "documents": n_docs, "events": len(frame),
        "mentions": int(sum(len(e) for e in frame["evidence"])), "workers": used,
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "ms_per_document": round(1000 * seconds / n_docs, 2),
        "load_average_1min": round(os.getloadavg()[0], 2), "seed": SEED,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000],
                        help="corpus sizes in documents (default 1000 10000)")
    parser.add_argument("--serial", action="store_true",
                        help="also time the largest size in one process (workers=1)")
    args = parser.parse_args()
    results = [run(n) for n in args.docs]
    if args.serial:
        results.append(run(args.docs[-1], workers=1))
    for r in results:
        print(json.dumps(r, sort_keys=True))
    if len(results) > 1:
        a, b = results[0], results[len(args.docs) - 1]
        print(json.dumps({"benchmark": "chronology.scaling",
                          "documents": [a["documents"], b["documents"]],
                          "time_ratio": round(b["seconds"] / a["seconds"], 2),
                          "cpu_ratio": round(b["cpu_seconds"] / a["cpu_seconds"], 2),
                          "size_ratio": round(b["documents"] / a["documents"], 2)},
                         sort_keys=True))


if __name__ == "__main__":
    main()
