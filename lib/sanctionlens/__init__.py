"""sanctionlens: US sanctions on Chinese AI and surveillance companies, in the news and markets."""

from __future__ import annotations

from .corpus import Corpus, Document, Sentence, load_corpus
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

__all__ = [
    "Corpus", "CorpusError", "Document", "KBError", "MetadataError", "ParameterError",
    "PriceDataError", "SanctionlensError", "Sentence", "UnknownNameError", "load_corpus",
]
