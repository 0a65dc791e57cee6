"""The store: per-document tables extracted once, as a Parquet dataset, refreshed only for new
or changed files, read by the cross-document steps.

Stages sit between extract and analysis: the store imports extract, ingest and kb only. A
later stage contributes its own per-document table by passing a ``Stage`` (the top-level
``sanctionlens.extract_corpus`` adds the chronology's event mentions).
"""

from __future__ import annotations

from .api import load_corpus, quotes, stored, stored_rows, tag, time_expressions
from .layout import STORE_DIRNAME
from .read import ENV_VAR, StaleStoreWarning, Store, fresh_store, store_for
from .refresh import DEFAULT_PARTS, Summary, build_store
from .stages import DEFAULT_STAGES, Stage, fingerprint

__all__ = [
    "DEFAULT_PARTS", "DEFAULT_STAGES", "ENV_VAR", "STORE_DIRNAME", "Stage", "StaleStoreWarning",
    "Store", "Summary", "build_store", "fingerprint", "fresh_store", "load_corpus", "quotes",
    "store_for", "stored", "stored_rows", "tag", "time_expressions",
]
