"""Event mentions of a corpus in worker processes: each document's mentions are its own.

``chronology(corpus, workers=N)`` detects the mentions of contiguous chunks of documents in N
processes, in order, and merges them in this process as the serial path does, so the rows
are the same. Automatic (``workers=None``) follows :func:`..extract.tag_workers.resolve_workers`:
one process for a small corpus, else the usable cores (at most four).
"""

from __future__ import annotations

from typing import Any

from ..extract.tag_workers import CHUNKS_PER_WORKER, chunk_bounds, resolve_workers
from ..pools import map_ranges
from .events.mentions import Mention


def corpus_mentions(docs: list[Any], workers: object = None) -> list[Mention]:
    """The mentions of every document of ``docs``, in document order."""
    n = resolve_workers(workers, sum(len(d.text) for d in docs))
    if n == 1 or len(docs) < 2:
        return mentions_of(docs)
    from ..extract.companies import remember_names

    bounds = chunk_bounds([len(d.text) for d in docs], n * CHUNKS_PER_WORKER)
    out: list[Mention] = []
    for part, names in map_ranges(_mentions_and_names, docs, bounds, n):
        out += part
        remember_names(names)  # the workers' spellings of rule-found companies, for labels
    return out


def _mentions_and_names(docs: list[Any]) -> tuple[list[Mention], dict[str, str]]:
    """In a worker: the mentions of ``docs`` and how they spell the companies found by rules."""
    from ..extract.companies import display_names

    return mentions_of(docs), display_names()


def mentions_of(docs: list[Any]) -> list[Mention]:
    """The mentions of ``docs`` in turn, each document tagged and dated on its own."""
    from ..extract.tagging import tag_document
    from ..extract.temporal import resolve_document
    from .chronology import detect_mentions

    out: list[Mention] = []
    for doc in docs:
        out += detect_mentions(doc, tag_document(doc, dates=False), resolve_document(doc))
    return out
