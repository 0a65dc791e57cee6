"""The per-document stages the store runs: a table name, a function of one document, and how
the public whole-corpus function orders its rows.

A stage function takes one ``Document`` and returns its rows, as a DataFrame or a list of
dicts. The default stages call the public per-document functions of ``extract`` (on a one-doc
corpus, so the stored columns are exactly the public ones); a later stage adds its own
(``sanctionlens.extract_corpus`` adds the chronology's event mentions from ``analysis``).
Stage functions are module-level so process pools and Dask workers can pickle them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..ingest.load import Document

Rows = pd.DataFrame | list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Stage:
    """One stored table: ``run(doc)`` gives its rows; ``sort`` names the columns the public
    whole-corpus function sorts by (empty: the corpus's document order)."""

    name: str
    run: Callable[[Document], Rows]
    sort: tuple[str, ...] = ()


# Fields that depend on where the corpus sits, or repeat others at length.
_NOT_FINGERPRINTED = ("path", "warnings", "raw")


def fingerprint(doc: Document) -> str:
    """SHA-256 of everything per-document extraction reads: id, text, sentences, metadata.

    The store keeps it per document; a reader compares it with the loaded corpus, so a
    stored row is never used for a document whose text or metadata differ.
    """
    data = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc)
            if f.name not in _NOT_FINGERPRINTED}
    blob = json.dumps(data, default=repr, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _scalar(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def document_rows(doc: Document) -> list[dict[str, Any]]:
    """One row: every scalar field of the document (dates as ISO text), counts of its list
    fields (paragraphs, sentences, cleaning_log, ...), its word count and fingerprint."""
    row: dict[str, Any] = {"doc_id": doc.id}
    for f in dataclasses.fields(doc):
        value = getattr(doc, f.name)
        if f.name in ("id", "raw") or isinstance(value, Path):
            continue
        if isinstance(value, list | tuple):
            row[f"n_{f.name}"] = len(value)
        elif value is None or isinstance(value, str | int | float | bool | dt.date):
            row[f.name] = _scalar(value)
    row["words"] = doc.words
    row["fingerprint"] = fingerprint(doc)
    return [row]


def sentence_rows(doc: Document) -> list[dict[str, Any]]:
    """The columns of ``Corpus.sentences_frame``: doc_id, sentence_id, paragraph, start, end,
    text."""
    return [{"doc_id": doc.id, "sentence_id": s.id, "paragraph": s.paragraph, "start": s.start,
             "end": s.end, "text": s.text} for s in doc.sentences]


def tag_fields() -> list[str]:
    """The fields of ``extract.tagging.document_rows`` tuples: the tag columns less those
    the cross-document step fills in (doc_id, sentence_id, text)."""
    from ..extract.tagging import COLUMNS

    return [c for c in COLUMNS if c not in ("doc_id", "sentence_id", "text")]


def tag_rows(doc: Document) -> list[dict[str, Any]]:
    """``extract.tagging.document_rows``: the document's tags before companies are joined
    across the corpus (``sl.tag`` finishes them with ``tags_frame``)."""
    from ..extract.tagging import document_rows

    names = tag_fields()
    return [{"doc_id": doc.id, **dict(zip(names, row, strict=True))}
            for row in document_rows(doc)]


_LOCAL = threading.local()


def per_document(doc: Document, key: str, compute: Callable[[Document], Any]) -> Any:
    """``compute(doc)``, once per document and key while the stages run on it (per thread):
    a later stage reuses what an earlier one made (the mentions reuse the time expressions)."""
    memo = getattr(_LOCAL, "memo", None)
    if memo is None or memo[0] is not doc:
        memo = _LOCAL.memo = (doc, {})
    if key not in memo[1]:
        memo[1][key] = compute(doc)
    return memo[1][key]


def resolved_times(doc: Document) -> list[Any]:
    """``extract.temporal.resolve_document(doc)``, computed once per document."""
    from ..extract.temporal import resolve_document

    return per_document(doc, "resolve_document", resolve_document)


def time_expression_rows(doc: Document) -> list[dict[str, Any]]:
    """The rows ``extract.temporal.time_expressions`` makes of this document."""
    from ..extract.temporal import COLUMNS

    return [{c: getattr(t, c) for c in COLUMNS} for t in resolved_times(doc)]


def quote_rows(doc: Document) -> list[dict[str, Any]]:
    """The rows ``extract.quotes.quotes`` makes of this document."""
    from ..extract.quotes import COLUMNS, document_quotes

    return [{c: getattr(q, c) for c in COLUMNS} for q in document_quotes(doc)]


def number_rows(doc: Document) -> list[dict[str, Any]]:
    """Every money, percent and quantity expression (``extract.numbers.find_numbers``)."""
    from ..extract.numbers import find_numbers

    text = doc.text
    return [{"doc_id": doc.id, "start": m.start, "end": m.end, "text": text[m.start:m.end],
             "label": m.label, "value": m.value} for m in find_numbers(text)]


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("documents", document_rows),
    Stage("sentences", sentence_rows),
    Stage("tags", tag_rows),
    Stage("time_expressions", time_expression_rows, sort=("doc_id", "start")),
    Stage("quotes", quote_rows),
    Stage("numbers", number_rows),
)
