"""Exports with one article per record: JSON lines, JSON arrays and CSV tables.

Field mapping (first name present wins; names are matched case-insensitively, ``_`` and ``-``
ignored). Override or extend it with ``fields={"text": "article_body"}`` (CLI:
``--fields text=article_body,title=headline``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import CorpusError

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "articleBody", "full_text",
             "maintext", "story", "description"),
    "title": ("title", "headline"),
    "published": ("published", "date", "publishedAt", "published_at", "pubdate",
                  "publication_date", "datePublished", "date_publish", "time", "timestamp"),
    "url": ("url", "link", "href", "canonical_url", "source_url"),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher",
               "publication", "source_name"),
    "authors": ("authors", "author", "byline", "creator", "writer"),
    "language": ("language", "lang"),
}
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")
_JSON_LISTS = ("articles", "items", "data", "results", "documents", "records", "posts")


def _key(name: str) -> str:
    return re.sub(r"[_\-\s]", "", name).casefold()


def parse_fields(spec: str | dict[str, str] | None) -> dict[str, str]:
    """`text=article_body,title=headline` (or a dict) -> checked mapping."""
    if not spec:
        return {}
    if isinstance(spec, str):
        pairs = [p.split("=", 1) for p in spec.split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise CorpusError(f"--fields {spec!r}: write NAME=COLUMN pairs separated by "
                              "commas, e.g. text=article_body,title=headline")
        spec = {a.strip(): b.strip() for a, b in pairs}
    unknown = sorted(set(spec) - set(FIELD_NAMES))
    if unknown:
        raise CorpusError(f"fields: unknown name(s) {', '.join(unknown)}; known: "
                          f"{', '.join(FIELD_NAMES)}")
    return dict(spec)


def map_record(rec: dict, fields: dict[str, str]) -> dict[str, str]:
    """One record's values under the canonical names (text, title, published, ...)."""
    by_key = {_key(k): k for k in rec}
    out: dict[str, str] = {}
    for name, candidates in FIELD_NAMES.items():
        names = (fields[name],) if name in fields else candidates
        for cand in names:
            k = by_key.get(_key(cand))
            if k is not None and rec[k] not in (None, "", [], {}):
                out[name] = _as_text(rec[k])
                out[f"{name}_field"] = k
                break
    return out


def _as_text(v: object) -> str:
    if isinstance(v, dict):  # e.g. NewsAPI's "source": {"id": ..., "name": "Reuters"}
        v = v.get("name") or v.get("title") or next(iter(v.values()), "")
    if isinstance(v, list):
        return " and ".join(_as_text(x) for x in v)
    return str(v).strip()


def iter_records(path: Path, text: str) -> Iterator[tuple[int, dict]]:
    """(1-based record number, record) of a decoded export file."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        for i, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                yield i, _json(path, line, f"line {i}")
    elif suffix == ".json":
        data = _json(path, text, "the file")
        if isinstance(data, dict):
            data = next((data[k] for k in _JSON_LISTS if isinstance(data.get(k), list)), [data])
        if not isinstance(data, list):
            raise CorpusError(f"{path}: expected a JSON list of articles or an object with "
                              f"one of {', '.join(_JSON_LISTS)}")
        yield from enumerate(data, start=1)
    else:
        csv.field_size_limit(sys.maxsize)
        yield from enumerate(csv.DictReader(io.StringIO(text)), start=1)


def _json(path: Path, s: str, where: str) -> object:
    try:
        return json.loads(s)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}: {where} is not valid JSON ({exc.msg} at column "
                          f"{exc.colno}); one article object per line is expected") from exc
