"""Build or refresh a store: compare the corpus with the manifest, rebuild only the buckets
whose files are new, changed or removed, then switch the manifest to the new parts."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusError, ParameterError
from . import files as corpus_files
from .build import BucketResult, BucketTask, bucket_key
from .engines import run_tasks
from .fingerprint import code_hash, kb_hash, version
from .layout import (
    FORMAT,
    bucket_of,
    filesystem,
    read_manifest,
    remove_unlisted,
    write_manifest,
)
from .stages import DEFAULT_STAGES, Stage

DEFAULT_PARTS = 16  # the fewest parts a new store gets
# A worker holds one bucket's rows in memory (about 40 times its text as Python objects):
# a new store gets enough parts that a bucket holds about this much text, so a worker's
# memory stays the same however large the corpus grows.
BUCKET_BYTES = 512 * 1024
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Summary:
    """What a refresh did, file by file, and why everything was redone if it was."""

    store: str
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rebuilt: str = ""  # why every file was extracted again ("" when not)
    buckets: int = 0
    documents: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0  # largest peak resident memory of a process that ran a bucket
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{len(self.new)} new, {len(self.changed)} changed, {len(self.removed)} "
                f"removed, {len(self.unchanged)} unchanged")


def fingerprint(stages: Sequence[Stage], fields: Any) -> dict[str, Any]:
    """What every stored row depends on besides its file: the KB, each stage's code, the
    version, the stages and the export field mapping."""
    return {"kb": kb_hash(), "code": {s.name: code_hash([s.run]) for s in stages},
            "version": version(), "stages": [[s.name, list(s.sort)] for s in stages],
            "fields": fields}


def check_stages(stages: Sequence[Stage] | None) -> tuple[Stage, ...]:
    """The stages to run, ``documents`` first (readers check every document against it)."""
    stages = tuple(DEFAULT_STAGES if stages is None else stages)
    names = [s.name for s in stages]
    bad = [n for n in names if not _TABLE_NAME.match(n)]
    if bad:
        raise ParameterError(f"stage names {bad} are not table names; use lower-case letters, "
                             "digits and _")
    dupes = sorted(n for n, k in Counter(names).items() if k > 1)
    if dupes:
        raise ParameterError(f"stage names appear twice: {', '.join(dupes)}")
    if "documents" not in names:
        stages = (DEFAULT_STAGES[0], *stages)
    return stages


def _why_rebuild(old: dict[str, Any] | None, fp: dict[str, Any], parts: int) -> str:
    if old is None:
        return ""
    if old.get("parts") != parts:
        return f"parts {old.get('parts')} -> {parts}"
    changed = [k for k in ("kb", "code", "version", "stages", "fields")
               if old.get("fingerprint", {}).get(k) != fp.get(k)]
    names = {"kb": "knowledge base", "code": "extraction code", "version": "version",
             "stages": "stages", "fields": "fields"}
    return ", ".join(names[k] for k in changed) + " changed" if changed else ""


def build_store(corpus: Any = None, store: str | Path | None = None, *,
                stages: Sequence[Stage] | None = None, engine: str = "local",
                jobs: int | None = None, scheduler: Any = None, parts: int | None = None,
                fields: str | dict[str, str] | None = None) -> Summary:
    """Run the per-document `stages` on every new or changed file of `corpus` (a folder, a
    file or a loaded Corpus) and write them to the Parquet store `store` (default:
    ``<corpus>/.sanctionlens-store``). See the module doc."""
    started = time.perf_counter()
    path = getattr(corpus, "path", corpus)
    root, folder = corpus_files.corpus_root(path)
    store_path = str(store) if store is not None else str(folder / ".sanctionlens-store")
    stages = check_stages(stages)
    fs, store_root = filesystem(store_path)
    old = read_manifest(fs, store_root)
    if parts is not None and parts < 1:
        raise ParameterError(f"parts must be 1 or more, got {parts}")
    summary = Summary(store_path)
    listed = corpus_files.list_files(root, summary.notes)
    if parts is None and (old or {}).get("parts"):
        parts = old["parts"]  # kept: a new count would extract every file again
        _note_big_buckets(listed, parts, summary)
    parts = parts or parts_for(listed)
    fp = fingerprint(stages, fields)
    summary.rebuilt = _why_rebuild(old, fp, parts)
    meta = corpus_files.metadata(folder)
    old_files = (old or {}).get("files", {})
    plan = _plan(listed, old_files, summary)
    old_buckets = {} if (old is None or summary.rebuilt) else old.get("buckets", {})
    tasks = _tasks(listed, plan, old_buckets, fp, parts, stages, meta, store_path, folder,
                   fields)
    results = run_tasks(tasks, engine=engine, jobs=jobs, scheduler=scheduler)
    manifest = _manifest(listed, old, old_buckets, results, fp, parts, stages)
    _check_ids(manifest, folder)
    write_manifest(fs, store_root, manifest)
    keep = {p for b in manifest["buckets"].values() for p in b["parts"].values()}
    tables = set(manifest["tables"]) | set((old or {}).get("tables", {}))
    remove_unlisted(fs, store_root, keep, tables)
    summary.buckets = len(tasks)
    summary.documents = sum(len(f["docs"]) for f in manifest["files"].values())
    summary.notes += [n for r in results for n in r.notes]
    summary.peak_mb = max((r.peak_mb for r in results), default=0.0)
    summary.seconds = time.perf_counter() - started
    return summary


def parts_for(listed: Sequence[corpus_files.CorpusFile]) -> int:
    """The parts of a new store: DEFAULT_PARTS, or more so that a bucket holds about
    BUCKET_BYTES of the corpus."""
    total = sum(f.size for f in listed)
    return max(DEFAULT_PARTS, -(-total // BUCKET_BYTES))


def _note_big_buckets(listed: Sequence[corpus_files.CorpusFile], parts: int,
                      summary: Summary) -> None:
    """Say when an existing store's buckets have grown well past BUCKET_BYTES (the corpus
    grew since it was built): each worker then holds that much more in memory."""
    wanted = parts_for(listed)
    if wanted > 4 * parts:
        summary.notes.append(f"the corpus has grown: its {parts} parts hold about "
                             f"{sum(f.size for f in listed) / parts / 1e6:.1f} MB of text each, "
                             f"and workers' memory grows with that; --parts {wanted} keeps it "
                             "low (extracts every file again, once)")


def _plan(listed: list[corpus_files.CorpusFile], old_files: dict[str, Any],
          summary: Summary) -> set[str]:
    """Sort files into new/changed/unchanged/removed; the set of files to extract."""
    now = {f.rel for f in listed}
    summary.removed = sorted(set(old_files) - now)
    todo = set()
    for f in listed:
        was = old_files.get(f.rel)
        if was is None:
            summary.new.append(f.rel)
        elif (was.get("sha256"), was.get("meta")) != (f.sha256, f.meta):
            summary.changed.append(f.rel)
        else:
            summary.unchanged.append(f.rel)
            continue
        todo.add(f.rel)
    if summary.rebuilt:
        todo = now
    return todo


def _tasks(listed: list[corpus_files.CorpusFile], todo: set[str], old_buckets: dict[str, Any],
           fp: dict[str, Any], parts: int, stages: tuple[Stage, ...],
           meta: dict[str, dict[str, str]], store: str, folder: Path, fields: Any
           ) -> list[BucketTask]:
    """One task per bucket whose files changed (new, changed or removed ones)."""
    by_bucket: dict[int, list[corpus_files.CorpusFile]] = {}
    for f in listed:
        by_bucket.setdefault(bucket_of(f.rel, parts), []).append(f)
    tasks = []
    for b, members in sorted(by_bucket.items()):
        key = bucket_key(fp, [(f.rel, f.sha256, f.meta) for f in members])
        old = old_buckets.get(f"{b:03d}")
        if old and old["key"] == key:
            continue
        extract = [f.rel for f in members if f.rel in todo or not old]
        keep = [f.rel for f in members if f.rel not in extract]
        rows = {k: v for rel in extract for k, v in corpus_files.meta_rows(rel, meta).items()}
        tasks.append(BucketTask(store, str(folder), b, key, tuple(extract), tuple(keep),
                                dict(old["parts"]) if old and keep else {}, stages, rows,
                                fields))
    return tasks


def _manifest(listed: list[corpus_files.CorpusFile], old: dict[str, Any] | None,
              old_buckets: dict[str, Any], results: list[BucketResult], fp: dict[str, Any],
              parts: int, stages: tuple[Stage, ...]) -> dict[str, Any]:
    """The new manifest: every file with its key and documents, every bucket's parts, every
    table's columns and row count."""
    done = {f"{r.bucket:03d}": r for r in results}
    docs = {rel: ids for r in results for rel, ids in r.docs.items()}
    old_files = (old or {}).get("files", {})
    files, buckets = {}, {}
    for f in listed:
        b = f"{bucket_of(f.rel, parts):03d}"
        ids = docs[f.rel] if f.rel in docs else old_files[f.rel]["docs"]
        files[f.rel] = {"sha256": f.sha256, "meta": f.meta, "bucket": b, "docs": ids}
        r = done.get(b)
        buckets[b] = ({"key": r.key, "parts": r.parts, "rows": r.rows, "columns": r.columns}
                      if r else old_buckets[b])
    tables = {}
    for s in stages:
        columns: dict[str, str] = {}
        for b in sorted(buckets):
            for name, typ in buckets[b]["columns"].get(s.name, []):
                if columns.get(name, "null") == "null":
                    columns[name] = typ
        tables[s.name] = {"sort": list(s.sort),
                          "rows": sum(buckets[b]["rows"].get(s.name, 0) for b in buckets),
                          "columns": [{"name": n, "type": t} for n, t in columns.items()]}
    return {"format": FORMAT, "sanctionlens": fp["version"], "fingerprint": fp,
            "parts": parts, "files": files, "buckets": buckets, "tables": tables}


def _check_ids(manifest: dict[str, Any], folder: Path) -> None:
    """Two files giving the same doc_id is the corpus's error, as in load_corpus."""
    where: dict[str, list[str]] = {}
    for rel, entry in manifest["files"].items():
        for i in entry["docs"]:
            where.setdefault(i, []).append(rel)
    dupes = {i: rels for i, rels in where.items() if len(rels) > 1}
    if dupes:
        listed = "; ".join(f"{i} ({', '.join(r)})" for i, r in sorted(dupes.items()))
        raise CorpusError(f"{folder}: duplicate doc_id {listed}; give each file its own "
                          "doc_id in metadata.csv")
