"""The corpus one file at a time: which files make it up, what each one's content and
metadata.csv row hash to, and the documents of one file exactly as ``load_corpus`` makes them.

This is the one module that leans on ``ingest.load``'s walk and per-file loaders (the loop
body of ``iter_documents``); ``tests/test_store.py`` checks that the documents it makes equal
``load_corpus``'s, so a change to ingest that breaks the equivalence fails a test.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import CorpusError
from ..ingest import load as ingest


@dataclass(frozen=True)
class CorpusFile:
    """One article or export file: its path relative to the corpus folder and its key
    (SHA-256 of its bytes, and of its metadata.csv rows when it has any)."""

    rel: str
    sha256: str
    meta: str | None
    size: int = 0  # bytes


def corpus_root(path: str | Path | None) -> tuple[Path, Path]:
    """(the path as given, resolved; the folder its relative names start from)."""
    root = paths.resolve(path, paths.SEEDS_DIR)
    if not root.exists():
        raise CorpusError(f"{root}: no such file or folder; pass a folder of articles "
                          f"({', '.join(ingest.ALL_SUFFIXES)})")
    return root, (root if root.is_dir() else root.parent)


def metadata(folder: Path) -> dict[str, dict[str, str]]:
    """The folder's metadata.csv rows keyed by file ({} without one)."""
    meta_path = folder / "metadata.csv"
    return ingest.read_metadata(meta_path, folder) if meta_path.is_file() else {}


def meta_rows(rel: str, meta: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The metadata.csv rows that apply to one file (its own, its records', its bare name)."""
    name = rel.rsplit("/", 1)[-1]
    return {k: v for k, v in meta.items()
            if k == rel or k.startswith(rel + "#") or ("/" in rel and k == name)}


def list_files(path: str | Path | None, notes: list[str]) -> list[CorpusFile]:
    """Every file `load_corpus(path)` would read, in its order, with its key."""
    root, folder = corpus_root(path)
    meta = metadata(folder)
    out = []
    for p in ingest._walk(root, notes.append):
        rel = p.relative_to(folder).as_posix()
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise CorpusError(f"{p}: cannot read ({exc.strerror}); check the path and its "
                              "permissions") from exc
        rows = meta_rows(rel, meta)
        key = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest() \
            if rows else None
        out.append(CorpusFile(rel, hashlib.sha256(data).hexdigest(), key, len(data)))
    if not out:
        raise CorpusError(f"{root}: no articles found (expected "
                          f"{', '.join(ingest.ALL_SUFFIXES)} files)")
    return out


def documents(folder: Path, rel: str, meta: dict[str, dict[str, str]],
              fields: str | dict[str, str] | None, notes: list[str]
              ) -> Iterator[ingest.Document]:
    """The documents of one file, as ``iter_documents`` yields them."""
    p = folder / rel
    if p.suffix.lower() in ingest.RECORD_SUFFIXES:
        yield from ingest._record_documents(p, rel, ingest.parse_fields(fields), meta,
                                            notes.append)
        return
    row = meta.get(rel) or meta.get(p.name) if "/" in rel else meta.get(rel)
    doc = ingest.load_document(p, row, rel=rel)
    if doc is None:
        notes.append(f"{p}: empty file skipped")
        return
    notes.extend(doc.warnings)
    yield doc
