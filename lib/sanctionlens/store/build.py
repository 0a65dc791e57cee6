"""One bucket of corpus files → one Parquet part per table. Runs on any engine: the task
names everything it needs (paths, files, stages) and returns what the manifest records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import CorpusError
from . import files as corpus_files
from .layout import filesystem, part_name, read_part, write_part
from .rows import FILE_COLUMN, Collected
from .stages import Stage


@dataclass(frozen=True)
class BucketTask:
    """Rebuild one bucket: extract `extract`, keep the rows of `keep` from `old_parts`."""

    store: str
    folder: str
    bucket: int
    key: str
    extract: tuple[str, ...]
    keep: tuple[str, ...]
    old_parts: dict[str, str]
    stages: tuple[Stage, ...]
    meta: dict[str, dict[str, str]]
    fields: Any = None


@dataclass
class BucketResult:
    bucket: int
    key: str
    parts: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, list[list[str]]] = field(default_factory=dict)
    docs: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    peak_mb: float = 0.0  # the worker process's peak resident memory after this bucket


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / 1024, 1)  # Linux: kilobytes


def bucket_key(fingerprint: dict[str, Any], entries: list[tuple[str, str, str | None]]) -> str:
    """What a bucket's parts are made from: the fingerprint and its files' keys."""
    blob = json.dumps([fingerprint, sorted(entries)], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _kept_slices(table: pa.Table, keep: set[str]) -> dict[str, pa.Table]:
    """The old part's rows of each kept file (a part is sorted by file, so each is a run)."""
    names = table.column(FILE_COLUMN).to_pylist()
    out: dict[str, pa.Table] = {}
    start = 0
    for i in range(1, len(names) + 1):
        if i == len(names) or names[i] != names[start]:
            if names[start] in keep:
                out[names[start]] = table.slice(start, i - start)
            start = i
    return out


def _extract_file(task: BucketTask, rel: str, collected: dict[str, Collected],
                  result: BucketResult) -> None:
    folder = Path(task.folder)
    ids = []
    try:
        for doc in corpus_files.documents(folder, rel, task.meta, task.fields, result.notes):
            ids.append(doc.id)
            for stage in task.stages:
                collected[stage.name].add(rel, stage.run(doc))
    except CorpusError:
        raise
    except Exception as exc:  # name the file: one bad article must be findable
        raise CorpusError(f"{folder / rel}: extraction failed ({type(exc).__name__}: {exc})"
                          ) from exc
    result.docs[rel] = ids


def run_bucket(task: BucketTask) -> BucketResult:
    """Extract the bucket's new and changed files, keep its unchanged ones, write its parts."""
    fs, root = filesystem(task.store)
    result = BucketResult(task.bucket, task.key)
    keep = set(task.keep)
    kept: dict[str, dict[str, pa.Table]] = {}
    for table, name in task.old_parts.items():
        if keep:
            kept[table] = _kept_slices(read_part(fs, root, name), keep)
    collected = {s.name: Collected() for s in task.stages}
    for rel in sorted(keep | set(task.extract)):
        if rel in keep:
            for stage in task.stages:
                piece = kept.get(stage.name, {}).get(rel)
                if piece is not None:
                    collected[stage.name].add_table(piece)
        else:
            _extract_file(task, rel, collected, result)
    for stage in task.stages:
        table = collected[stage.name].table()
        name = part_name(stage.name, task.bucket, task.key)
        write_part(fs, root, name, table)
        result.parts[stage.name] = name
        result.rows[stage.name] = table.num_rows
        result.columns[stage.name] = [[f.name, str(f.type)] for f in table.schema]
    result.peak_mb = peak_rss_mb()
    return result
