"""Tagging in worker processes: each document's rows are independent of the others.

``tag(corpus, workers=N)`` computes the per-document rows in N processes over contiguous
chunks of the documents (in order) and finishes them across the corpus in this process, as
the serial path does, so the frame is the same. With the "fork" start method the workers
inherit the documents and receive only chunk bounds; with "spawn" they receive the documents.
``iter_tags`` streams a folder through the workers in batches. Automatic (``workers=None``):
one process below ``AUTO_MIN_CHARS`` characters of text (a pool costs more than it saves
there), else ``min(usable cores, MAX_AUTO_WORKERS)`` processes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from ..ingest.load import Document
from ..pools import check_workers, map_ranges, ordered_map, usable_cores
from .tagging import (
    Tag,
    _collector_paused,
    _default_gazetteer,
    _doc_out,
    _DocOut,
    _document_rows,
    tag_document,
)

AUTO_MIN_CHARS = 4_000_000  # measured: see benchmarks/README.md (bench_tagging.py)
MAX_AUTO_WORKERS = 4
CHUNKS_PER_WORKER = 8  # several chunks per worker: uneven documents still share out evenly
BATCH_CHARS = 1_000_000  # a batch of a streamed folder sent to a worker

def resolve_workers(workers: object, chars: int) -> int:
    """How many processes tag ``chars`` characters of text: ``workers`` checked, or the
    automatic choice when it is None."""
    workers = check_workers(workers)
    if workers is not None:
        return workers
    return 1 if chars < AUTO_MIN_CHARS else min(usable_cores(), MAX_AUTO_WORKERS)


def chunk_bounds(sizes: list[int], n_chunks: int) -> list[tuple[int, int]]:
    """Contiguous (start, stop) ranges over items of the given ``sizes``, at most ``n_chunks``
    of them, each about the same total size, none empty."""
    total = sum(sizes)
    bounds, start, acc = [], 0, 0
    for i, size in enumerate(sizes):
        acc += size
        if (acc * n_chunks >= total * (len(bounds) + 1) and i + 1 < len(sizes)
                and len(bounds) + 1 < n_chunks):
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(sizes):
        bounds.append((start, len(sizes)))
    return bounds


def parallel_rows(docs: list[Document], dates: bool, workers: int) -> Iterator[_DocOut]:
    """Each document's rows made ready for the frame (``_doc_out`` of ``_document_rows``), in
    the order of ``docs``, computed in ``workers`` processes."""
    bounds = chunk_bounds([len(d.text) for d in docs], workers * CHUNKS_PER_WORKER)
    rows_of = _rows_with_dates if dates else _rows_without_dates
    yield from itertools.chain.from_iterable(map_ranges(rows_of, docs, bounds, workers))


def _rows_with_dates(docs: list[Document]) -> list[_DocOut]:
    return _rows_of((docs, True))


def _rows_without_dates(docs: list[Document]) -> list[_DocOut]:
    return _rows_of((docs, False))


def _rows_of(task: tuple[list[Document], bool]) -> list[_DocOut]:
    """In a worker: ``_doc_out`` of each document of ``task`` (documents, dates)."""
    docs, dates = task
    gaz = _default_gazetteer()
    with _collector_paused():
        return [_doc_out(doc, _document_rows(doc, gaz, dates)) for doc in docs]


def parallel_tags(docs: Iterable[Document], workers: object = None) -> Iterator[Tag]:
    """``tag_document`` of each document of a stream, in order, in worker processes sent
    batches of documents; automatic ``workers`` decides once ``AUTO_MIN_CHARS`` of text are
    read (a shorter stream is tagged in this process)."""
    check_workers(workers)
    stream = iter(docs)
    head: list[Document] = []
    if workers is None:
        chars = 0
        for doc in stream:
            head.append(doc)
            chars += len(doc.text)
            if chars >= AUTO_MIN_CHARS:
                break
        workers = resolve_workers(None, chars)
    everything = itertools.chain(head, stream)
    if workers == 1:
        gaz = _default_gazetteer()
        for doc in everything:
            yield from tag_document(doc, gaz)
        return
    for tags in ordered_map(_tags_of, _batches(everything), workers):
        yield from tags


def _batches(docs: Iterable[Document]) -> Iterator[list[Document]]:
    """Consecutive lists of documents of about ``BATCH_CHARS`` characters of text."""
    batch: list[Document] = []
    chars = 0
    for doc in docs:
        batch.append(doc)
        chars += len(doc.text)
        if chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _tags_of(docs: list[Document]) -> list[Tag]:
    """The tags of each of ``docs`` in turn (``tag_document``)."""
    gaz = _default_gazetteer()
    return [t for doc in docs for t in tag_document(doc, gaz)]
