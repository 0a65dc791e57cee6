"""The public functions that read a corpus's store when it has a fresh one.

``tag``, ``time_expressions`` and ``quotes`` keep the signatures and results of their
``extract`` namesakes: for a Corpus with a fresh store they return the stored rows (the same
frame, row for row), otherwise they compute. ``load_corpus(..., store=DIR)`` attaches a store.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..ingest.load import Corpus
from ..ingest.load import load_corpus as _load_corpus
from .read import Store, corpus_columns, corpus_rows, fresh_store
from .stages import DEFAULT_STAGES, Stage, tag_fields

_STAGES = {s.name: s for s in DEFAULT_STAGES}


def load_corpus(path: Any = None, *args: Any, store: Any = None, **kwargs: Any) -> Corpus:
    """``ingest.load.load_corpus``, remembering `store` (a store folder or URL; False: use
    none, not even ``$SANCTIONLENS_STORE`` or ``<path>/.sanctionlens-store``)."""
    corpus = _load_corpus(path, *args, **kwargs)
    if store is not None:
        corpus.store = store if store is False else str(store)
    return corpus


def _fresh(corpus: Any, stage: Stage) -> Store | None:
    if not hasattr(corpus, "documents"):  # a list of documents: always computed
        return None
    return fresh_store(corpus, stage)


def stored(corpus: Any, stage: Stage) -> pd.DataFrame | None:
    """`stage`'s rows for `corpus` from its fresh store, or None (compute them)."""
    store = _fresh(corpus, stage)
    return None if store is None else corpus_rows(store, stage.name, list(corpus.documents))


def stored_rows(corpus: Any, stage: Stage, docs: list[Any] | None = None
                ) -> list[dict[str, Any]] | None:
    """`stage`'s stored rows for `docs` (default: the corpus's documents), in their order
    and then text order, as dicts; None when the corpus has no fresh store holding them."""
    store = _fresh(corpus, stage)
    if store is None:
        return None
    public, data, _ = corpus_columns(store, stage.name, list(docs or corpus.documents))
    return [dict(zip(public, row, strict=True)) for row in zip(*(data[c] for c in public),
                                                                strict=True)]


def tag(corpus: Any, dates: bool = True, workers: int | None = None) -> pd.DataFrame:
    """One row per tag: doc_id, sentence_id, start, end, text, label, entity_id, value,
    basis (see ``extract.tagging.tag``; ``workers``: processes that compute). With a fresh
    store the per-document rows are read from it and only the cross-document step (joining
    companies' spellings) runs."""
    from ..extract.tagging import tag as compute
    from ..extract.tagging import tags_frame
    from ..pools import check_workers

    check_workers(workers)
    store = _fresh(corpus, _STAGES["tags"]) if dates else None
    if store is None:
        return compute(corpus, dates=dates, workers=workers)
    docs = list(corpus.documents)
    _, data, _ = corpus_columns(store, "tags", docs)
    rows: dict[str, list[tuple]] = {d.id: [] for d in docs}
    fields = [data[c] for c in tag_fields()]
    for doc_id, *row in zip(data["doc_id"], *fields, strict=True):
        rows[doc_id].append(tuple(row))
    return tags_frame(docs, [rows[d.id] for d in docs])


def time_expressions(corpus: Any) -> pd.DataFrame:
    """One row per time expression (see ``extract.temporal.time_expressions``); read from the
    corpus's store when it has a fresh one."""
    from ..extract.temporal import time_expressions as compute

    frame = stored(corpus, _STAGES["time_expressions"])
    return compute(corpus) if frame is None else frame


def quotes(corpus: Any) -> pd.DataFrame:
    """One row per direct quote (see ``extract.quotes.quotes``); read from the corpus's
    store when it has a fresh one."""
    from ..extract.quotes import quotes as compute

    frame = stored(corpus, _STAGES["quotes"])
    return compute(corpus) if frame is None else frame
