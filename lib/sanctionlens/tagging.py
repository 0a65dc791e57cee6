"""Tag companies, agencies, instruments, people, places, outlets, numbers and dates.

Names come from the knowledge base through one Aho-Corasick automaton (pyahocorasick):
case-, quote- and possessive-insensitive, longest match wins, word boundaries respected.
Every tag points at the characters it came from: ``doc.text[start:end] == text``.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import numpy as np
import pandas as pd

from .corpus import Corpus, Document, iter_documents
from .numbers import find_numbers

COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "label", "entity_id", "value"]
ENTITY_LABELS = ("COMPANY", "AGENCY", "INSTRUMENT", "PERSON", "PLACE", "OUTLET", "ORG")
# Same-length folding so offsets in the folded text are offsets in the original.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"',
                       "‐": "-", "‑": "-", "–": "-", "—": "-", "\u00a0": " "})
# Glued "-based" after a place (print artifact: "Hangzhoubased company").
_GLUED_SUFFIXES = ("based",)


class Tag(NamedTuple):
    """One tag; a named tuple, because a corpus yields millions of them."""

    doc_id: str
    sentence_id: int
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None
    value: dict | None = None

    def as_row(self) -> tuple:
        return tuple(self)


_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD.items())


def fold_marks(text: str) -> str:
    """Curly quotes, dashes and no-break spaces to ASCII, one character for one.

    Chained ``str.replace`` runs at memory speed; ``str.translate`` with a table is
    several times slower on long texts.
    """
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def fold(text: str) -> str:
    """Lower-case and fold quotes/dashes without changing the length of the text."""
    folded = fold_marks(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)


def _alias_key(alias: str, case_sensitive: bool) -> str:
    key = fold_marks(alias).strip()
    if key.endswith("'s"):
        key = key[:-2]
    return key if case_sensitive else fold(key)


class Gazetteer:
    """Two automata (case-insensitive and case-sensitive) over the KB's aliases."""

    def __init__(self, entries: Iterable[tuple[str, str, str, bool]]):
        self.fold_auto = ahocorasick.Automaton()
        self.exact_auto = ahocorasick.Automaton()
        self.size = 0
        for alias, label, entity_id, case_sensitive in entries:
            key = _alias_key(alias, case_sensitive)
            if len(key) < 2:
                continue
            auto = self.exact_auto if case_sensitive else self.fold_auto
            auto.add_word(key, (len(key), label, entity_id))
            self.size += 1
        for auto in (self.fold_auto, self.exact_auto):
            if len(auto):
                auto.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Non-overlapping (start, end, label, entity_id), leftmost-longest, word-bounded."""
        cands: list[tuple[int, int, str, str]] = []
        n = len(text)
        for auto, haystack in ((self.fold_auto, fold(text)),
                               (self.exact_auto, fold_marks(text))):
            if not len(auto):
                continue
            for end_idx, (length, label, entity_id) in auto.iter(haystack):
                start, end = end_idx - length + 1, end_idx + 1
                if start > 0 and haystack[start - 1].isalnum():
                    continue
                if end < n and haystack[end].isalnum() and not _glued(haystack, end, label):
                    continue
                cands.append((start, end, label, entity_id))
        cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        out: list[tuple[int, int, str, str]] = []
        last_end = -1
        for c in cands:
            if c[0] >= last_end:
                out.append(c)
                last_end = c[1]
        return out


def _glued(text: str, end: int, label: str) -> bool:
    return label == "PLACE" and any(
        text.startswith(s, end) and (end + len(s) >= len(text) or not text[end + len(s)].isalnum())
        for s in _GLUED_SUFFIXES
    )


@lru_cache(maxsize=4)
def _default_gazetteer(kb_dir: str | None = None) -> Gazetteer:
    from .kb import get_kb, load_kb

    kb = load_kb(Path(kb_dir)) if kb_dir else get_kb()
    return Gazetteer(kb.gazetteer())


def tag_document(doc: Document, gazetteer: Gazetteer | None = None,
                 dates: bool = True) -> list[Tag]:
    """All tags of one document, in text order."""
    gaz = gazetteer or _default_gazetteer()
    text = doc.text
    starts = [s.start for s in doc.sentences]

    def sid(pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        return i if i > 0 else 0

    tags = [Tag(doc.id, sid(a), a, b, text[a:b], label, eid)
            for a, b, label, eid in gaz.find(text)]
    tags += _short_names(doc, tags, sid)
    spans = sorted((t.start, t.end) for t in tags)
    if dates:
        from .temporal import resolve_document

        for tx in resolve_document(doc):
            if _overlaps_any(tx.start, tx.end, spans):
                continue
            value = {"value": tx.value, "precision": tx.precision, "basis": tx.basis}
            tags.append(Tag(doc.id, sid(tx.start), tx.start, tx.end, tx.text, "DATE", None,
                            value))
            bisect.insort(spans, (tx.start, tx.end))
    for m in find_numbers(text):
        if _overlaps_any(m.start, m.end, spans):
            continue
        tags.append(Tag(doc.id, sid(m.start), m.start, m.end, text[m.start:m.end], m.label,
                        None, m.value))
    tags.sort(key=lambda t: (t.start, t.end))
    return tags


def _short_names(doc: Document, tags: list[Tag], sid) -> list[Tag]:
    """Later standalone uses of a tagged person's family or given name ("Wang said")."""
    people: dict[str, tuple[str, int]] = {}
    for t in tags:
        if t.label == "PERSON":
            for w in _name_parts(t.text):
                people.setdefault(w, (t.entity_id, t.end))
    if not people:
        return []
    spans = sorted((t.start, t.end) for t in tags)
    out = []
    text = doc.text
    # Only this article's people: a short alternation is far cheaper than every capital.
    for m in _names_pattern(tuple(sorted(people, key=lambda w: (-len(w), w)))).finditer(text):
        hit = people.get(m.group(0))
        if not hit or m.start() < hit[1] or _overlaps_any(m.start(), m.end(), spans):
            continue
        before = re.search(r"([A-Z][\w’'-]*) $", text[max(0, m.start() - 30):m.start()])
        if re.match(r" [A-Z]", text[m.end():m.end() + 2]) or (
                before and before.group(1) not in _TITLES):
            continue  # part of a longer name
        out.append(Tag(doc.id, sid(m.start()), m.start(), m.end(), m.group(0), "PERSON", hit[0]))
    return out


@lru_cache(maxsize=4096)
def _name_parts(name: str) -> tuple[str, ...]:
    """Given and family name of a multi-word personal name, without titles."""
    words = [w for w in re.findall(r"[A-Z][\w’'-]+", name) if w not in _TITLES]
    return (words[0], words[-1]) if len(words) >= 2 else ()


@lru_cache(maxsize=1024)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, names))})\b")


_TITLES = {"President", "Secretary", "State", "Mr", "Ms", "Dr", "Minister", "Spokesperson",
           "Vice", "Premier", "Senator", "Sen", "Rep", "General", "Of", "of"}


def _overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Does [start, end) overlap one of `spans` (sorted, non-overlapping)?"""
    i = bisect.bisect_left(spans, (start, start))
    return (i < len(spans) and spans[i][0] < end) or (i > 0 and spans[i - 1][1] > start)


def tag(corpus: Corpus | Iterable[Document], dates: bool = True) -> pd.DataFrame:
    """One row per tag: doc_id, sentence_id, start, end, text, label, entity_id, value."""
    gaz = _default_gazetteer()
    rows = [t for doc in corpus for t in tag_document(doc, gaz, dates=dates)]
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS)
    data = {}
    for name, values in zip(COLUMNS, columns, strict=True):
        if name in ("sentence_id", "start", "end"):
            data[name] = np.fromiter(values, dtype=np.int64, count=len(values))
        else:  # object columns: built column-wise, which is several times faster than by row
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=COLUMNS)


def iter_tags(path: str | Path | None = None) -> Iterator[Tag]:
    """Stream tags document by document (memory does not grow with the corpus)."""
    gaz = _default_gazetteer()
    for doc in iter_documents(path):
        yield from tag_document(doc, gaz)


def write_tags(path: str | Path | None, fmt: str = "csv", out: str | Path | None = None) -> int:
    """CLI helper: stream tags of a folder as CSV or JSON lines to a file or stdout."""
    import csv

    stream = iter_tags(path)
    first = next(stream, None)  # a bad path fails here, before anything is written
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        writer = csv.writer(handle, lineterminator="\n") if fmt == "csv" else None
        if writer:
            writer.writerow(COLUMNS)
        for t in itertools.chain([first] if first else [], stream):
            value = json.dumps(t.value, ensure_ascii=False, sort_keys=True) if t.value else ""
            if writer:
                writer.writerow([t.doc_id, t.sentence_id, t.start, t.end, t.text, t.label,
                                 t.entity_id or "", value])
            else:
                rec = dict(zip(COLUMNS, t.as_row(), strict=True))
                handle.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    finally:
        if out:
            handle.close()
    return 0
