"""sanctionlens: US sanctions on Chinese AI and surveillance companies, in the news and markets.

Public API (stable names used by the notebooks and tests)::

    corpus = load_corpus()          # bundled seeds/, or load_corpus("my/articles")
    tags   = tag(corpus)            # one row per tag, with exact character spans
    timex  = time_expressions(corpus)
    quotes(corpus); candidates(corpus)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .corpus import Corpus, Document, Sentence, iter_documents, load_corpus
from .errors import (
    CorpusError,
    KBError,
    MetadataError,
    ParameterError,
    PriceDataError,
    SanctionlensError,
    UnknownNameError,
)

__version__ = "0.1.0"

# Imported on first use so that `import sanctionlens` stays fast for notebooks and the CLI.
_LAZY = {
    "tag": "tagging", "quotes": "quotes", "candidates": "candidates",
    "time_expressions": "temporal", "get_kb": "kb", "load_kb": "kb",
    "chronology": "chronology", "profile": "profiles", "reported_moves": "market",
    "event_study": "eventstudy", "load_prices": "prices",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'sanctionlens' has no attribute {name!r}")


__all__ = [
    "Corpus", "CorpusError", "Document", "KBError", "MetadataError", "ParameterError",
    "PriceDataError", "SanctionlensError", "Sentence", "UnknownNameError", "iter_documents",
    "load_corpus", *_LAZY,
]
