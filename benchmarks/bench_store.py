"""Benchmark of the store (not a test): prints one JSON line.

The seeds repeated to --docs files (each copy a distinct file: a numbered closing line):
first_s      `sanctionlens extract` into an empty store, local engine, default jobs
first_jobs1_s                 the same with --jobs 1
first_dask_s                  the same on a 2-worker Dask LocalCluster (if dask is installed;
                              dask_cluster_start_s: starting the cluster, not included)
rerun_s      rerun with nothing changed (hashes the files, reads the manifest)
one_changed_s                 rerun after one article changed (re-extracts that file only)
tag_store_s / tag_compute_s   sl.tag(corpus) from the store / computed (same frame)
chronology_store_s / chronology_compute_s   sl.chronology(corpus) (same frame)
profile_store_s / profile_compute_s   sl.profile(corpus, "SenseTime") with / without the store
notebook_store_s / notebook_compute_s the company-profile notebook via papermill (--notebook)

--scale 1000 10000 ... instead: for each size, `sanctionlens extract` into an empty store as
a fresh command with --jobs 1, --jobs 2 and --engine dask --jobs 2 (a 2-worker LocalCluster,
its start included): wall seconds of the whole command, extraction seconds (the command's
own figure), MB/s and docs/s of the extraction, the peak resident memory of the processes
that ran buckets (each worker's getrusage maxrss), parts. One JSON line per size.

Usage: .venv/bin/python benchmarks/bench_store.py [--docs 500] [--notebook]
       .venv/bin/python benchmarks/bench_store.py --scale 1000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path


def make_corpus(folder: Path, n: int) -> int:
    """`n` article files: the seed articles in turn, each with its copy number appended."""
    from sanctionlens import paths

    seeds = sorted(p for p in paths.SEEDS_DIR.glob("*.txt"))
    texts = [p.read_text("utf-8") for p in seeds]
    folder.mkdir(parents=True)
    size = 0
    for i in range(n):
        body = texts[i % len(texts)] + f"\n\nCopy {i} of this article.\n"
        (folder / f"{i:05d}_{seeds[i % len(seeds)].stem}.txt").write_text(body, "utf-8")
        size += len(body.encode())
    return size


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - started, out


def extract_runs(corpus: Path, tmp: Path, out: dict) -> Path:
    import sanctionlens as sl

    store = tmp / "store"
    out["first_s"], s = timed(sl.extract_corpus, corpus, store)
    out["first_line"] = s.line()
    out["first_jobs1_s"], _ = timed(sl.extract_corpus, corpus, tmp / "store1", jobs=1)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        out["first_dask_s"] = None
    else:
        started = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cl, \
                Client(cl) as client:
            out["dask_cluster_start_s"] = time.perf_counter() - started
            out["first_dask_s"], _ = timed(sl.extract_corpus, corpus, tmp / "store_dask",
                                           engine="dask", scheduler=client)
        out["dask_same_bytes"] = _same_bytes(store, tmp / "store_dask")
    out["rerun_s"], s = timed(sl.extract_corpus, corpus, store)
    out["rerun_line"], out["rerun_rebuilt"] = s.line(), s.rebuilt  # rebuilt: code edited

    victim = sorted(corpus.glob("*.txt"))[7]
    victim.write_text(victim.read_text("utf-8") + "\nA later correction.\n", "utf-8")
    out["one_changed_s"], s = timed(sl.extract_corpus, corpus, store)
    out["one_changed_line"], out["one_changed_rebuilt"] = s.line(), s.rebuilt
    out["store_mb"] = round(sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
                            / 1e6, 2)
    return store


def _same_bytes(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}
    return files(a) == files(b)


def read_runs(corpus: Path, store: Path, out: dict) -> None:
    import pandas as pd
    import sanctionlens as sl
    from sanctionlens.extract import tagging

    sl.extract_corpus(corpus, store)  # fresh even if the library's code changed meanwhile
    with_store = sl.load_corpus(corpus, store=store)
    without = sl.load_corpus(corpus, store=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", sl.StaleStoreWarning)
        out["tag_store_s"], a = timed(sl.tag, with_store)
        out["tag_compute_s"], b = timed(tagging.tag, without)
        pd.testing.assert_frame_equal(a, b)
        out["chronology_store_s"], a = timed(sl.chronology, with_store)
        out["chronology_compute_s"], b = timed(sl.chronology, without)
        pd.testing.assert_frame_equal(a, b)
        out["profile_store_s"], p1 = timed(sl.profile, with_store, "SenseTime")
        out["profile_compute_s"], p2 = timed(sl.profile, without, "SenseTime")
        assert p1.summary() == p2.summary()


def notebook_runs(corpus: Path, store: Path, tmp: Path, out: dict) -> None:
    import papermill as pm
    from sanctionlens import paths

    nb = paths.NOTEBOOKS_DIR / "02_company_profile.ipynb"
    for label, env in (("store", str(store)), ("compute", "off")):
        os.environ["SANCTIONLENS_STORE"] = env
        started = time.perf_counter()
        pm.execute_notebook(str(nb), str(tmp / f"profile_{label}.ipynb"),
                            parameters={"corpus_dir": str(corpus), "company": "SenseTime"},
                            kernel_name="sanctionlens", progress_bar=False, log_output=False,
                            cwd=str(nb.parent))
        out[f"notebook_{label}_s"] = time.perf_counter() - started
    os.environ.pop("SANCTIONLENS_STORE", None)


ENGINES = {"jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"],
           "dask2": ["--engine", "dask", "--jobs", "2"]}
_LINE = re.compile(r"(\d+) documents in .* \((\d+) parts rewritten, ([\d.]+) s, "
                   r"peak worker memory (\d+) MB\)")


def extract_command(corpus: Path, store: Path, extra: list[str]) -> dict:
    """One `sanctionlens extract` into an empty store, as its own process."""
    exe = Path(sys.executable).with_name("sanctionlens")
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([str(exe), "extract", str(corpus), "--store", str(store), *extra],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    found = _LINE.search(done.stderr)
    if not found:
        raise RuntimeError(f"unexpected output: {done.stdout}{done.stderr}")
    docs, parts, seconds, peak = found.groups()
    return {"wall_s": wall, "extract_s": float(seconds), "peak_worker_mb": int(peak),
            "parts": int(parts), "docs": int(docs), "line": done.stdout.strip()}


def scale_runs(sizes: list[int]) -> None:
    """Throughput and per-worker peak memory of a first extract, per size and engine."""
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            size = make_corpus(tmp / "corpus", n)
            out: dict = {"benchmark": "store_scale", "docs": n, "corpus_mb": size / 1e6}
            for label, extra in ENGINES.items():
                if label == "dask2" and not _has_dask():
                    continue
                r = extract_command(tmp / "corpus", tmp / "store", extra)
                r["mb_per_s"] = size / 1e6 / r["extract_s"]
                r["docs_per_s"] = n / r["extract_s"]
                out[label] = {k: round(v, 2) if isinstance(v, float) else v
                              for k, v in r.items()}
            print(json.dumps({k: round(v, 2) if isinstance(v, float) else v
                              for k, v in out.items()}), flush=True)


def _has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--notebook", action="store_true",
                        help="also run the company-profile notebook with and without the store")
    parser.add_argument("--scale", type=int, nargs="+", default=None, metavar="DOCS",
                        help="only the first-extract throughput and memory at these sizes")
    args = parser.parse_args()
    if args.scale:
        scale_runs(args.scale)
        return 0
    out: dict = {"benchmark": "store", "docs": args.docs}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        out["corpus_mb"] = round(make_corpus(corpus, args.docs) / 1e6, 2)
        store = extract_runs(corpus, tmp, out)
        read_runs(corpus, store, out)
        if args.notebook:
            notebook_runs(corpus, store, tmp, out)
    out["first_docs_per_s"] = round(args.docs / out["first_s"], 1)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
