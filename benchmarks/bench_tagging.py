"""Tagging throughput against the floor any gazetteer pays (not a test).

In one run: (1) a pure Aho-Corasick scan (pyahocorasick, same alias list, text folded
beforehand) over the whole text, (2) the whole ``sanctionlens.tag()`` (names, short names,
dates, numbers, DataFrame) in one process (``workers=1``: the figure comparable to the scan,
which runs in one process too), (3) ``tag()`` with its automatic worker processes (the
count is reported; its frame must equal the one-process frame), (4) peak memory of
``sanctionlens tag --workers 1`` streaming folders of 1,000 and 10,000 small files in
subprocesses. Usage:
``.venv/bin/python benchmarks/bench_tagging.py [--size-mb 100] [--files 10000] [--repeat 3]``
(``--repeat``: rounds of (1)–(3) back to back; medians and each round reported).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import ahocorasick

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sanctionlens as sl  # noqa: E402
from bench_temporal import build_corpus  # noqa: E402
from sanctionlens.extract.tag_workers import resolve_workers  # noqa: E402
from sanctionlens.extract.tagging import _alias_key, fold  # noqa: E402
from sanctionlens.kb import get_kb  # noqa: E402
from sanctionlens.pools import usable_cores  # noqa: E402


def scan_floor(texts: list[str]) -> tuple[float, int]:
    """Seconds for a bare Aho-Corasick pass over pre-folded texts, and the match count."""
    auto = ahocorasick.Automaton()
    for alias, label, eid, _cs in get_kb().gazetteer():
        auto.add_word(_alias_key(alias, False), (label, eid))
    auto.make_automaton()
    folded = [fold(t) for t in texts]
    t0 = time.perf_counter()
    n = 0
    for t in folded:
        for _ in auto.iter(t):
            n += 1
    return time.perf_counter() - t0, n


def stage_seconds(corpus) -> dict[str, float]:
    """Seconds of each stage of tag() run alone over the corpus (where the time goes)."""
    from sanctionlens.extract.numbers import find_numbers
    from sanctionlens.extract.tagging import _default_gazetteer
    from sanctionlens.extract.temporal import resolve_document

    gaz = _default_gazetteer()
    docs = list(corpus)
    out = {}
    t0 = time.perf_counter()
    folded = [fold(d.text) for d in docs]
    out["fold"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    words = [gaz.scan(d.text, f).number_words for d, f in zip(docs, folded, strict=True)]
    out["gazetteer_scan"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d, f, w in zip(docs, folded, words, strict=True):
        list(find_numbers(d.text, f, w))
    out["numbers"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        resolve_document(d, future=False)
    out["time_expressions"] = time.perf_counter() - t0
    return out


def stream_memory(n_files: int) -> int:
    """Peak RSS (KiB) of `sanctionlens tag` on a folder of `n_files` small articles."""
    pool = [s.text for d in sl.load_corpus() for s in d.sentences]
    rng = random.Random(n_files)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(n_files):
            body = " ".join(rng.choice(pool) for _ in range(8))
            (folder / f"a{i:05d}.txt").write_text(f"Article {i}\n\n{body}\n", encoding="utf-8")
        # VmHWM (peak resident set) of the child itself: ru_maxrss would carry the parent's
        # peak across fork/exec on Linux.
        code = ("import re, sys; from sanctionlens.cli import main; "
                "rc = main(['tag', sys.argv[1], '-o', sys.argv[2], '--workers', '1']); "
                "status = open('/proc/self/status').read(); "
                "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))")
        out = subprocess.run([sys.executable, "-c", code, tmp, str(folder / "tags.csv")],
                             capture_output=True, text=True, check=True)
        return int(out.stdout.strip().splitlines()[-1])


def _cpu(before: os.times_result, after: os.times_result, children: bool = False) -> float:
    """CPU seconds (user + system) between two ``os.times()``: this process's, or its
    finished children's."""
    if children:
        return (after.children_user - before.children_user
                + after.children_system - before.children_system)
    return after.user - before.user + after.system - before.system


def run(size_mb: float = 100.0, files: int = 10_000, repeat: int = 1) -> dict:
    stream = {}
    if files:  # first, while this process is small
        small, large = stream_memory(max(files // 10, 1)), stream_memory(files)
        stream = {f"stream_peak_kib_{files // 10}_files": small,
                  f"stream_peak_kib_{files}_files": large,
                  "stream_memory_growth": round(large / small, 3)}
    corpus = build_corpus(size_mb)
    texts = [d.text for d in corpus]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    workers = resolve_workers(None, sum(len(t) for t in texts))
    # Each round times the scan, one process and the automatic pool back to back, so the
    # three figures of a round share the machine's state; medians over the rounds.
    scan_s, tag_s, auto_s, cpu_one, cpu_parent, cpu_workers, same = [], [], [], [], [], [], []
    for _ in range(repeat):
        seconds, scan_matches = scan_floor(texts)
        scan_s.append(seconds)
        t0, cpu0 = time.perf_counter(), os.times()
        tags = sl.tag(corpus, workers=1)
        tag_s.append(time.perf_counter() - t0)
        cpu1 = os.times()
        t0 = time.perf_counter()
        auto = sl.tag(corpus)  # automatic: worker processes for a corpus this size
        auto_s.append(time.perf_counter() - t0)
        cpu2 = os.times()
        cpu_one.append(_cpu(cpu0, cpu1))
        cpu_parent.append(_cpu(cpu1, cpu2))
        cpu_workers.append(_cpu(cpu1, cpu2, children=True))
        same.append(bool(auto.equals(tags)))
        n_tags = len(tags)
        del tags, auto
    t0 = time.perf_counter()
    no_dates = sl.tag(corpus, dates=False, workers=1)
    nodate_s = time.perf_counter() - t0
    stages = {f"stage_{name}_ms_per_mb": round(1000 * seconds / mb, 1)
              for name, seconds in stage_seconds(corpus).items()}
    result = {
        "benchmark": "tagging", "corpus_mb": round(mb, 1), "documents": len(texts),
        "rounds": repeat,
        "scan_mb_s": round(mb / median(scan_s), 1), "scan_matches": scan_matches,
        "tag_auto_mb_s": round(mb / median(auto_s), 1), "tag_auto_workers": workers,
        "tag_mb_s": round(mb / median(tag_s), 1), "tags": n_tags,
        "tag_vs_scan": round(median([a / b for a, b in zip(scan_s, tag_s, strict=True)]), 3),
        "tag_auto_vs_scan": round(median([a / b for a, b in zip(scan_s, auto_s,
                                                                   strict=True)]), 3),
        # CPU seconds: the one-process run; the automatic run's parent and its workers
        "tag_cpu_s": round(median(cpu_one), 1),
        "tag_auto_cpu_s_parent": round(median(cpu_parent), 1),
        "tag_auto_cpu_s_workers": round(median(cpu_workers), 1),
        "tag_auto_equals_one_process": all(same),
        "tag_without_dates_mb_s": round(mb / nodate_s, 1), "tags_without_dates": len(no_dates),
        "load_average_1min": round(os.getloadavg()[0], 2), "usable_cores": usable_cores(),
        "target": "tag_auto_mb_s >= 10 (tag() as called: automatic worker processes); "
                  "the one-process tag_mb_s and the scan reported beside it",
        **stages,
    }
    if repeat > 1:
        result.update({f"{name}_mb_s_rounds": [round(mb / s, 1) for s in seconds]
                       for name, seconds in (("scan", scan_s), ("tag", tag_s),
                                             ("tag_auto", auto_s))})
    result.update(stream)
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=100.0)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of scan / one process / automatic (medians reported)")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error(f"--repeat must be 1 or more, got {args.repeat}")
    print(json.dumps(run(args.size_mb, args.files, args.repeat)))
