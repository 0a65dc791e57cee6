"""sanctionlens: US sanctions on Chinese AI and surveillance companies, in the news and markets.

Public API (stable names used by the notebooks and tests)::

    corpus = load_corpus()          # bundled seeds/, or load_corpus("my/articles")
    tags   = tag(corpus)            # one row per tag, with exact character spans
    timex  = time_expressions(corpus)
    quotes(corpus); candidates(corpus)
    extract("my/articles", store="my/store")   # per-document tables once, into a Parquet store

``tag``, ``time_expressions`` and ``quotes`` read a corpus's store when it has a fresh one
(``load_corpus(path, store=DIR)``, ``$SANCTIONLENS_STORE`` or ``<path>/.sanctionlens-store``).
"""

from __future__ import annotations

import types

from .errors import (
    CorpusError,
    KBError,
    MetadataError,
    ParameterError,
    PriceDataError,
    SanctionlensError,
    UnknownNameError,
)
from .ingest.load import Corpus, Document, Sentence, iter_documents

__version__ = "0.1.0"

# Function names that equal their module's name (quotes, candidates, chronology) must be
# bound here, after the submodule import, or the module object would shadow the function.
from .analysis.chronology import chronology  # noqa: E402
from .analysis.evaluate import Evaluation, evaluate  # noqa: E402
from .analysis.eventstudy import event_study  # noqa: E402
from .analysis.extraction import extract_corpus  # noqa: E402
from .analysis.market import reported_moves  # noqa: E402
from .analysis.prices import load_prices  # noqa: E402
from .analysis.profiles import profile  # noqa: E402
from .extract.candidates import candidates  # noqa: E402
from .kb import get_kb, load_kb  # noqa: E402
from .store import StaleStoreWarning, Store  # noqa: E402
from .store.api import load_corpus, quotes, tag, time_expressions  # noqa: E402


class _ExtractPackage(types.ModuleType):
    """``sanctionlens.extract`` stays the extract stage's package (``sl.extract.tagging``,
    ``import sanctionlens.extract.temporal``) and is also callable: ``sl.extract(corpus,
    store=DIR)`` is ``extract_corpus``. A function bound to the name would hide the package."""

    def __call__(self, *args: object, **kwargs: object) -> object:
        return extract_corpus(*args, **kwargs)


extract.__class__ = _ExtractPackage  # noqa: F821 (bound by the submodule imports above)

__all__ = [
    "Corpus", "CorpusError", "Document", "KBError", "MetadataError", "ParameterError",
    "PriceDataError", "SanctionlensError", "Sentence", "UnknownNameError", "iter_documents",
    "load_corpus", "candidates", "chronology", "evaluate", "Evaluation", "event_study",
    "get_kb", "load_kb", "extract", "extract_corpus", "Store", "StaleStoreWarning",
    "reported_moves", "load_prices", "profile", "quotes", "tag", "time_expressions",
]
