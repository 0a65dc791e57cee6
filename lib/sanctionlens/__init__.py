"""sanctionlens: US sanctions on Chinese AI and surveillance companies, in the news and markets.

Public API (stable names used by the notebooks and tests)::

    corpus = load_corpus()          # bundled seeds/, or load_corpus("my/articles")
    tags   = tag(corpus)            # one row per tag, with exact character spans
    timex  = time_expressions(corpus)
    quotes(corpus); candidates(corpus)
"""

from __future__ import annotations

from .errors import (
    CorpusError,
    KBError,
    MetadataError,
    ParameterError,
    PriceDataError,
    SanctionlensError,
    UnknownNameError,
)
from .ingest.load import Corpus, Document, Sentence, iter_documents, load_corpus

__version__ = "0.1.0"

# Function names that equal their module's name (quotes, candidates, chronology) must be
# bound here, after the submodule import, or the module object would shadow the function.
from .analysis.chronology import chronology  # noqa: E402
from .analysis.evaluate import Evaluation, evaluate  # noqa: E402
from .analysis.eventstudy import event_study  # noqa: E402
from .analysis.market import reported_moves  # noqa: E402
from .analysis.prices import load_prices  # noqa: E402
from .analysis.profiles import profile  # noqa: E402
from .extract.candidates import candidates  # noqa: E402
from .extract.quotes import quotes  # noqa: E402
from .extract.tagging import tag  # noqa: E402
from .extract.temporal import time_expressions  # noqa: E402
from .kb import get_kb, load_kb  # noqa: E402

__all__ = [
    "Corpus", "CorpusError", "Document", "KBError", "MetadataError", "ParameterError",
    "PriceDataError", "SanctionlensError", "Sentence", "UnknownNameError", "iter_documents",
    "load_corpus", "candidates", "chronology", "evaluate", "Evaluation", "event_study",
    "get_kb", "load_kb",
    "reported_moves", "load_prices", "profile", "quotes", "tag", "time_expressions",
]
