"""Tag companies, agencies, instruments, people, places, outlets, numbers and dates.

Names come from the knowledge base through one Aho-Corasick automaton (pyahocorasick):
case-, quote- and possessive-insensitive, longest match wins, word boundaries respected.
The same pass over each document also finds people's given and family names, number words
and the trigger words of time expressions (see ``Gazetteer``), so a document is scanned once.
Every tag points at the characters it came from: ``doc.text[start:end] == text``.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import numpy as np
import pandas as pd

from ..ingest.load import Corpus, Document, iter_documents
from . import companies
from .numbers import NUMBER_WORDS, WORD_BEFORE, find_numbers
from .temporal import expressions, trigger_words

COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "label", "entity_id", "value",
           "basis"]
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
    basis: str | None = None  # why an entity tag: "kb" or a rule of extract.companies

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
    return _fold(text)[0]


def _fold(text: str) -> tuple[str, bool]:
    """``fold(text)``, and whether it is ``text.lower()`` with only marks folded."""
    return _fold_marked(fold_marks(text))


def _fold_marked(marks: str) -> tuple[str, bool]:
    """``_fold`` of a text whose marks are folded already (``fold_marks(text)``)."""
    lowered = marks.lower()
    if len(lowered) == len(marks):
        return lowered, True
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in marks), False


def _alias_key(alias: str, case_sensitive: bool) -> str:
    key = fold_marks(alias).strip()
    if key.endswith("'s"):
        key = key[:-2]
    return key if case_sensitive else fold(key)


class Gazetteer:
    """One Aho-Corasick automaton over the KB's aliases, scanned on the folded text.

    Case-insensitive aliases match as they are. Case-sensitive ones ("US", "Xi") are keyed
    lower-case too, and a hit counts only when the text has the alias's own spelling.
    The given and family names of the people ("Wang", "Lijian") are case-sensitive keys as
    well, so that later short mentions of a person come out of the same scan. Each key's
    value is an index into parallel tables, so a scan comes out as one integer array and
    the word-boundary checks run vectorised.
    """

    def __init__(self, entries: Iterable[tuple[str, str, str, bool]],
                 number_words: Iterable[str] = (),
                 extra_words: Mapping[str, object] | None = None):
        self.size = 0
        self.labels: list[str] = []
        self.entity_ids: list[str | None] = []
        self.number_words = frozenset(number_words)
        self.extra_words = dict(extra_words or {})
        folded_entry, exact_entries, people = self._add_aliases(entries)
        self.name_parts = self._add_name_parts(people, folded_entry, exact_entries)
        self._build(folded_entry, exact_entries)

    def _entry(self, label: str, eid: str | None) -> int:
        """A new entry (label, entity id); its index is the automaton's payload."""
        self.labels.append(label)
        self.entity_ids.append(eid)
        return len(self.labels) - 1

    def _add_aliases(self, entries: Iterable[tuple[str, str, str, bool]]
                     ) -> tuple[dict[str, int], dict[str, dict[str, int]], list[str]]:
        """Entries for the aliases: key → entry of a case-insensitive alias, key →
        {spelling: entry} of the case-sensitive ones, and the people's names."""
        folded_entry: dict[str, int] = {}
        exact_entries: dict[str, dict[str, int]] = {}
        people = []
        for alias, label, entity_id, case_sensitive in entries:
            key = _alias_key(alias, case_sensitive)
            if len(key) < 2:
                continue
            if case_sensitive:
                exact_entries.setdefault(fold(key), {})[key] = self._entry(label, entity_id)
            else:
                folded_entry[key] = self._entry(label, entity_id)
            self.size += 1
            if label == "PERSON":
                people.append(alias)
        return folded_entry, exact_entries, people

    def _add_name_parts(self, people: list[str], folded_entry: dict[str, int],
                        exact_entries: dict[str, dict[str, int]]) -> set[str]:
        """Name parts whose every word-bounded use the scan reports: apart, or as a tag of
        their own when the part is itself a case-sensitive alias ("Bateman")."""
        parts: set[str] = set()
        for alias in people:
            for part in _name_parts(alias):
                key = fold(part)
                if fold_marks(part) != part or key in folded_entry:
                    continue
                forms = exact_entries.setdefault(key, {})
                if part not in forms:
                    forms[part] = self._entry(_PART, part)
                parts.add(part)
        return parts

    def _build(self, folded_entry: dict[str, int],
               exact_entries: dict[str, dict[str, int]]) -> None:
        """The automaton and its parallel tables.

        Key k of the automaton → group k: its case-insensitive entry (or -1), its
        case-sensitive spellings, whether it is a number word ("three", "a dozen", reported
        for numbers.find_numbers), and its payload if it is an extra word (the trigger words
        of time expressions and the company cues, reported as they are found). A
        case-insensitive alias wins over a case-sensitive one with the same letters.
        """
        keys = sorted(set(folded_entry) | set(exact_entries) | self.number_words
                      | set(self.extra_words))
        self.auto = ahocorasick.Automaton()
        for k, key in enumerate(keys):
            self.auto.add_word(key, k)
        self._spellings: list[dict[str, int]] = [exact_entries.get(k, {}) for k in keys]
        self._lengths = np.array([len(k) for k in keys], dtype=np.int64)
        self._entry_of = np.array([folded_entry.get(k, -1) for k in keys], dtype=np.int64)
        self._exact_only = np.array([k in exact_entries and k not in folded_entry for k in keys],
                                    dtype=bool)
        self._number_word = np.array([k in self.number_words for k in keys], dtype=bool)
        self._is_cue = np.array([type(self.extra_words.get(k)) is companies.Cue for k in keys],
                                dtype=bool)
        self._is_extra = np.array([k in self.extra_words for k in keys], dtype=bool) & \
            ~self._is_cue
        self._payloads = [self.extra_words.get(k) for k in keys]
        self._exact_place = np.array([any(self.labels[i] == "PLACE" for i in forms.values())
                                      for forms in self._spellings], dtype=bool)
        if len(self.auto):
            self.auto.make_automaton()

    def find(self, text: str, folded: str | None = None) -> list[tuple[int, int, str, str]]:
        """Non-overlapping (start, end, label, entity_id), leftmost-longest, word-bounded.

        ``folded`` is ``fold(text)`` when the caller already has it.
        """
        return [row[:4] for row in self.scan(text, folded).names]

    def scan(self, text: str, folded: str | None = None, marks: str | None = None) -> Scan:
        """``find``'s names, people's name parts, number words and extra words, from one
        pass of the automaton over ``folded`` (``fold(text)``); ``marks`` is
        ``fold_marks(text)`` when the caller has it."""
        if not len(self.auto):
            return Scan([], [], [], [], None, [])
        haystack = folded if folded is not None else fold(text)
        flat = np.fromiter(itertools.chain.from_iterable(self.auto.iter(haystack)),
                           dtype=np.int64)
        group = flat[1::2]
        end = flat[0::2] + 1
        start = end - self._lengths[group]
        before, after, codes = _neighbours(haystack, start, end)
        extra, cues = [], []
        if self.extra_words:  # (end index of the last character, payload), unfiltered
            extra = self._reported(group, end, self._is_extra[group])
            cues = self._reported(group, end, self._is_cue[group])
        # Number words: not after a letter, digit, "_", "." or "-"; not before a word char.
        number_words = start[self._number_word[group] & ~_lookup(_NUMBER_WORD_AFTER, before)
                             & ~_is_word_char(after, underscore=True)].tolist()
        free_before = ~_is_word_char(before)
        folded_hits = self._folded_hits(haystack, group, start, end, free_before, after)
        exact_hits, parts = self._exact_hits(text, haystack, group, start, end, free_before,
                                             after, marks)
        names = self._leftmost_longest(folded_hits, exact_hits)
        return Scan(names, parts, number_words, extra, codes, cues)

    def _reported(self, group: np.ndarray, end: np.ndarray, hit: np.ndarray
                  ) -> list[tuple[int, object]]:
        """(end index of the last character, payload) of the hits picked by ``hit``."""
        return list(zip((end[hit] - 1).tolist(),
                        map(self._payloads.__getitem__, group[hit].tolist()), strict=True))

    def _folded_hits(self, haystack: str, group: np.ndarray, start: np.ndarray,
                     end: np.ndarray, free_before: np.ndarray, after: np.ndarray
                     ) -> np.ndarray:
        """(start, end, entry) rows of the case-insensitive aliases that are word-bounded."""
        entry = self._entry_of[group]
        ok = free_before & (entry >= 0)
        glued = ok & _is_word_char(after)
        ok &= ~glued
        for i in np.flatnonzero(glued).tolist():  # "Hangzhoubased"
            ok[i] = _glued(haystack, int(end[i]), self.labels[entry[i]])
        for i in np.flatnonzero(ok & (after == _APOSTROPHE)).tolist():
            ok[i] = not _apostrophe_word(haystack, int(end[i]))
        return np.stack((start[ok], end[ok], entry[ok]), axis=1)

    def _exact_hits(self, text: str, haystack: str, group: np.ndarray, start: np.ndarray,
                    end: np.ndarray, free_before: np.ndarray, after: np.ndarray,
                    marks: str | None = None) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """(start, end, entry) rows of the case-sensitive aliases spelled as in the text,
        and the spans of people's name parts, both word-bounded."""
        maybe = free_before & self._exact_only[group]
        tied = maybe & _is_word_char(after)  # only a PLACE glued to "based" survives that
        for i in np.flatnonzero(tied & self._exact_place[group]).tolist():
            tied[i] = not _glued(haystack, int(end[i]), "PLACE")
        exact = np.flatnonzero(maybe & ~tied)
        parts: list[tuple[int, int]] = []
        found: list[tuple[int, int, int]] = []
        if exact.size:
            marks = marks if marks is not None else fold_marks(text)
            n = len(marks)
            for a, b, g in zip(start[exact].tolist(), end[exact].tolist(),
                               group[exact].tolist(), strict=True):
                i = self._spellings[g].get(marks[a:b])
                if i is None:
                    continue
                if self.labels[i] is _PART:  # word-bounded as a regex \b would be
                    if not (a and _is_word(marks[a - 1])) and not (b < n and _is_word(marks[b])):
                        parts.append((a, b))
                elif (not (b < n and marks[b].isalnum()) or _glued(marks, b, self.labels[i])) \
                        and not _apostrophe_word(marks, b):
                    found.append((a, b, i))
        return np.array(found, dtype=np.int64).reshape(-1, 3), parts

    def _leftmost_longest(self, first: np.ndarray, second: np.ndarray) -> list[_Row]:
        """Non-overlapping rows: leftmost, then longest, then from ``first`` (the
        case-insensitive aliases) before ``second``.

        A hit that starts at or after the end of every earlier hit is taken at once (NumPy);
        only runs of hits that overlap go through the greedy choice one by one.
        """
        hits = np.concatenate((first, second))
        from_second = np.arange(len(hits)) >= len(first)
        hits = hits[np.lexsort((from_second, -hits[:, 1], hits[:, 0]))]
        if not len(hits):
            return []
        reach = np.maximum.accumulate(hits[:, 1])
        free = np.ones(len(hits), dtype=bool)
        free[1:] = hits[1:, 0] >= reach[:-1]
        keep = free if free.all() else _greedy(hits, free)
        kept = hits[keep].T.tolist()  # columns zipped into rows in C, not row by row
        return list(zip(kept[0], kept[1], map(self.labels.__getitem__, kept[2]),
                        map(self.entity_ids.__getitem__, kept[2]), itertools.repeat(None),
                        itertools.repeat("kb")))


def _greedy(hits: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Which of the sorted ``hits`` the leftmost-longest choice keeps, given those that
    overlap no earlier hit (``free``, always kept)."""
    keep = free.copy()
    last_end = -1
    for i in np.flatnonzero(~free).tolist():
        if free[i - 1]:
            last_end = int(hits[i - 1, 1])  # a free hit is kept: the run starts from it
        if hits[i, 0] >= last_end:
            keep[i] = True
            last_end = int(hits[i, 1])
    return keep


# A row while tagging one document: (start, end, label, entity_id, value, basis). Spans of
# one document never overlap, so rows sort by start alone.
_Row = tuple[int, int, str, "str | None", "dict | None", "str | None"]


class Scan(NamedTuple):
    """What one pass of the gazetteer finds in a text."""

    names: list[_Row]  # (start, end, label, entity_id, None, "kb"), non-overlapping, in order
    parts: list[tuple[int, int]]  # word-bounded spans of people's given or family names
    number_words: list[int]  # starts of number words, for numbers.find_numbers
    extra: list[tuple[int, object]]  # (end index, payload) of each extra word, unfiltered
    codes: np.ndarray | None  # code points (uint32) of the folded text
    cues: list[tuple[int, object]] = []  # the same for company cues (companies.Cue payloads)


_PART = "name part"  # label of name-part keys in the exact automaton (compared by identity)
_ASCII_ALNUM = np.array([chr(c).isalnum() for c in range(128)], dtype=bool)
_NUMBER_WORD_AFTER = np.array([chr(c) in WORD_BEFORE for c in range(128)], dtype=bool)


def _neighbours(text: str, start: np.ndarray, end: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points just before ``start`` and at ``end`` (a space beyond the text), and the
    code points of the text itself."""
    # " " + text + " " as UTF-32: one encode, no copy of the whole text into a padded array
    codes = np.frombuffer(f" {text} ".encode("utf-32-le"), dtype=np.uint32)
    return codes[start].astype(np.int64), codes[end + 1].astype(np.int64), codes[1:-1]


def _lookup(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``table[code]`` for ASCII code points, False for the others."""
    out = np.zeros(codes.shape, dtype=bool)
    low = codes < 128
    out[low] = table[codes[low]]
    return out


def _is_word_char(codes: np.ndarray, underscore: bool = False) -> np.ndarray:
    """``str.isalnum`` (or regex ``\\w`` with ``underscore``) for an array of code points."""
    out = np.zeros(codes.shape, dtype=bool)
    low = codes < 128
    out[low] = _ASCII_ALNUM[codes[low]]
    for i in np.flatnonzero(~low).tolist():
        out[i] = chr(int(codes[i])).isalnum()
    if underscore:
        out |= codes == 95
    return out


_APOSTROPHE = ord("'")


def _apostrophe_word(text: str, end: int) -> bool:
    """Does an apostrophe at ``end`` join the name to more letters ("Xi'an", "Ma'anshan":
    one word), rather than start a possessive ("Xi's") or close a quotation?"""
    if text[end:end + 1] != "'" or not text[end + 1:end + 2].isalpha():
        return False
    return text[end + 1] not in "sS" or text[end + 2:end + 3].isalpha()


def _glued(text: str, end: int, label: str) -> bool:
    return label == "PLACE" and any(
        text.startswith(s, end) and (end + len(s) >= len(text) or not text[end + len(s)].isalnum())
        for s in _GLUED_SUFFIXES
    )


@lru_cache(maxsize=4)
def _default_gazetteer(kb_dir: str | None = None) -> Gazetteer:
    from ..kb import get_kb, load_kb

    kb = load_kb(Path(kb_dir)) if kb_dir else get_kb()
    triggers = trigger_words(cues=False)
    cues = {k: v for k, v in companies.cue_payloads().items() if k not in triggers}
    return Gazetteer(kb.gazetteer(), number_words=NUMBER_WORDS,
                     extra_words={**triggers, **cues})


@lru_cache(maxsize=4)
def _default_finder(kb_dir: str | None = None) -> companies.CompanyFinder:
    from ..kb import get_kb, load_kb

    kb = load_kb(Path(kb_dir)) if kb_dir else get_kb()
    return companies.CompanyFinder(companies.Negatives.from_entries(kb.gazetteer()))


def _document_rows(doc: Document, gaz: Gazetteer, dates: bool = True,
                   finder: companies.CompanyFinder | None = None) -> list[_Row]:
    """The tags of one document as row tuples, in text order; the companies found by rules
    carry provisional ids until :func:`companies.resolve` (see ``_resolved``)."""
    text = doc.text
    marks = fold_marks(text)
    folded, lowered = _fold_marked(marks)
    rows, parts, number_words, extra, codes, cues = gaz.scan(text, folded, marks)
    short = _short_names(text, rows, parts, gaz.name_parts)
    if short:
        rows = sorted(rows + short)
    if cues:
        lines = companies.sentence_lines(marks, (s.start for s in doc.sentences))
        rows = _with_companies(rows, (finder or _default_finder()).find(
            lines, folded, rows, cues))
    if dates:
        date_rows = [(start, end, "DATE", None,
                      {"value": res[0], "precision": res[1], "basis": res[2]}, None)
                     for _, start, end, res, _ in _time_expressions(
                         doc, gaz, folded if lowered else None, extra)]
        date_rows = _without_overlaps(date_rows, rows)
        if date_rows:
            rows = sorted(rows + date_rows)
    number_rows = _without_overlaps(
        [(m.start, m.end, m.label, None, m.value, None)
         for m in find_numbers(text, folded, number_words if gaz.number_words else None,
                               codes)],
        rows)
    if number_rows:
        rows = sorted(rows + number_rows)
    return rows


def _with_companies(rows: list[_Row], found: list[_Row]) -> list[_Row]:
    """``rows`` with the companies found by rules; a place inside a company's name
    ("Xinjiang" in "Xinjiang Zijin Zinc") gives way to it, and a KB company tag to itself
    stretched over its legal form (the only rows a found company may overlap)."""
    if not found:
        return rows
    out = list(rows)
    for row in found:  # few next to the rows: insert each where it belongs
        i = bisect.bisect_left(out, (row[0],))
        if i and out[i - 1][1] > row[0]:
            i -= 1
        j = i
        while j < len(out) and out[j][0] < row[1]:
            j += 1
        out[i:j] = [row]
    return out


def _resolved(docs: list[Document], rows: list[list[_Row]],
              finder: companies.CompanyFinder | None = None) -> list[list[_Row]]:
    """Rows of several documents with the companies' recurrences and entity ids
    (spellings joined across these documents)."""
    registry = companies.Registry((finder or _default_finder()).neg)
    return companies.resolve([d.text for d in docs], rows, registry, fold_marks)


def _time_expressions(doc: Document, gaz: Gazetteer, lowered: str | None,
                      extra: list[tuple[int, object]]) -> list:
    """The document's time expressions (temporal.expressions), with the trigger words from
    the gazetteer's scan when it has them."""
    if lowered is None or not gaz.extra_words:  # no usable scan: the module's own
        return expressions(doc, future=False)
    return expressions(doc, future=False, lowered=lowered, trigger_hits=extra)


def _without_overlaps(rows: list[_Row], spans: list[_Row]) -> list[_Row]:
    """The rows that overlap none of `spans` (rows in text order, non-overlapping).

    A binary search per row: the rows (dates, numbers) are few next to the spans (names).
    """
    return [row for row in rows if not _overlaps_any(row[0], row[1], spans)]


def tag_document(doc: Document, gazetteer: Gazetteer | None = None,
                 dates: bool = True) -> list[Tag]:
    """All tags of one document, in text order."""
    rows = _resolved([doc], [_document_rows(doc, gazetteer or _default_gazetteer(), dates)])[0]
    if not rows:
        return []
    text = doc.text
    sids = _sentence_ids(doc, [r[0] for r in rows])
    return [Tag(doc.id, sid, a, b, text[a:b], label, eid, value, basis)
            for sid, (a, b, label, eid, value, basis) in zip(sids, rows, strict=True)]


def _sentence_ids(doc: Document, starts: list[int]) -> list[int]:
    """Index of the sentence each offset falls in (0 before the first sentence)."""
    bounds = np.fromiter((s.start for s in doc.sentences), dtype=np.int64,
                         count=len(doc.sentences))
    ids = np.searchsorted(bounds, np.asarray(starts, dtype=np.int64), side="right") - 1
    return np.maximum(ids, 0).tolist()


def _short_names(text: str, rows: list[_Row], parts: list[tuple[int, int]] = (),
                 scanned: set[str] = frozenset()) -> list[_Row]:
    """Later standalone uses of a tagged person's family or given name ("Wang said").

    ``parts``: spans of the name parts in ``scanned`` that the gazetteer's scan found.
    """
    people: dict[str, tuple[str, int]] = {}
    for start, end, label, eid, *_ in rows:
        if label == "PERSON":
            for w in _name_parts(text[start:end]):
                people.setdefault(w, (eid, end))
    if not people:
        return []
    # Hits are taken leftmost-longest and word-bounded, as one regex alternation would.
    hits = [(a, -b, text[a:b]) for a, b in parts if text[a:b] in people]
    for name in people:
        if name in scanned:
            continue
        pos = text.find(name)  # a form the KB does not spell this way ("JOE BIDEN")
        while pos >= 0:
            end = pos + len(name)
            if not (pos and _is_word(text[pos - 1])) and not (end < len(text)
                                                              and _is_word(text[end])):
                hits.append((pos, -end, name))
            pos = text.find(name, end)
    hits.sort()
    out: list[_Row] = []
    last_end = -1
    for start, neg_end, name in hits:
        end = -neg_end
        if start < last_end:
            continue
        last_end = end
        if start < people[name][1] or _overlaps_any(start, end, rows):
            continue
        before = re.search(r"([A-Z][\w’'-]*) $", text[max(0, start - 30):start])
        if re.match(r" [A-Z]", text[end:end + 2]) or (
                before and before.group(1) not in _TITLES):
            continue  # part of a longer name
        out.append((start, end, "PERSON", people[name][0], None, "kb"))
    return out


def _overlaps_any(start: int, end: int, spans: list[_Row]) -> bool:
    """Does [start, end) overlap one of `spans` (rows in text order, non-overlapping)?"""
    i = bisect.bisect_left(spans, (start,))
    return (i < len(spans) and spans[i][0] < end) or (i > 0 and spans[i - 1][1] > start)


def _is_word(ch: str) -> bool:
    """Is `ch` a regex word character (\\w)?"""
    return ch.isalnum() or ch == "_"


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


def tag(corpus: Corpus | Iterable[Document], dates: bool = True,
        workers: int | None = None) -> pd.DataFrame:
    """One row per tag: doc_id, sentence_id, start, end, text, label, entity_id, value, basis.

    Companies the KB does not know come from the rules of :mod:`.companies` (``basis`` says
    which); their spellings are joined across the corpus into ``new:<slug>`` ids.
    ``workers``: processes that tag the documents (1: this one; None: one for a small corpus,
    else one per core up to 4; see :mod:`.tag_workers`). The frame is the same for any number.
    """
    from .tag_workers import parallel_rows, resolve_workers

    gaz = _default_gazetteer()
    docs = list(corpus)
    workers = resolve_workers(workers, sum(len(d.text) for d in docs))
    with _collector_paused():
        if workers == 1 or len(docs) < 2:
            return _tags_frame(docs, (_doc_out(doc, _document_rows(doc, gaz, dates))
                                      for doc in docs))
        _default_finder()  # built once here: forked workers inherit it
        with closing(parallel_rows(docs, dates, workers)) as rows:  # Ctrl-C: pool ended
            return _tags_frame(docs, rows)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a corpus's tags are built: they are
    plain tuples and lists (no cycles to find), but millions of them alive at once make
    every collection walk them all."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def document_rows(doc: Document, dates: bool = True) -> list[_Row]:
    """The tags of one document before the cross-document step: (start, end, label,
    entity_id, value, basis) tuples in text order, rule-found companies with provisional
    ids. What a store keeps per document; :func:`tags_frame` finishes them."""
    return _document_rows(doc, _default_gazetteer(), dates)


def tags_frame(docs: list[Document], rows: list[list[_Row]]) -> pd.DataFrame:
    """The frame :func:`tag` returns, from each document's :func:`document_rows`: rule-found
    companies' recurrences tagged and their spellings joined across `docs`."""
    with _collector_paused():
        return _tags_frame(docs, map(_doc_out, docs, rows))


# Columns of one document's tags, ready for the frame: starts, ends, labels, entity ids,
# values, bases, sentence ids, texts.
_Chunk = tuple[tuple, tuple, tuple, tuple, tuple, tuple, list, list]
# One document's output before the cross-document step: its columns (None: no tags) and, when
# a rule of :mod:`.companies` found some of its companies, its rows (else None).
_DocOut = tuple["_Chunk | None", "list[_Row] | None"]


def _columns(doc: Document, rows: list[_Row]) -> _Chunk | None:
    """``rows`` of ``doc`` as the frame's columns (the per-document work of building it)."""
    if not rows:
        return None
    starts, ends, labels, eids, values, bases = zip(*rows, strict=True)
    text = doc.text
    return (starts, ends, labels, eids, values, bases, _sentence_ids(doc, starts),
            list(map(text.__getitem__, map(slice, starts, ends))))


def _doc_out(doc: Document, rows: list[_Row]) -> _DocOut:
    """What :func:`_tags_frame` needs of one document: its columns, and its rows when they
    hold rule-found companies (only those go through the cross-document step)."""
    return _columns(doc, rows), (rows if companies.ruled_rows(rows) else None)


def _tags_frame(docs: list[Document], outs: Iterator[_DocOut]) -> pd.DataFrame:
    """The frame from each document's :func:`_doc_out`, taken as they come (in worker
    processes these are made there), then the companies resolved across documents."""
    registry = companies.Registry(_default_finder().neg)
    chunks: list[_Chunk | None] = []
    pending: dict[int, list[_Row]] = {}  # documents whose rows carry provisional ids
    for i, (doc, (chunk, rows)) in enumerate(zip(docs, outs, strict=True)):
        if rows is not None:
            registry.add_rows(doc.text, companies.ruled_rows(rows), fold_marks)
            pending[i] = rows
        chunks.append(chunk)
    auto = registry.automaton()
    found: dict[int, list[_Row]] = {}  # recurrences, by document
    if auto is not None:
        for i, doc in enumerate(docs):
            starts, ends = chunks[i][:2] if chunks[i] else ((), ())
            more = companies.recurrences(fold_marks(doc.text), (), auto, registry, starts, ends)
            if more:
                found[i] = more
    spellings = companies.Spellings()
    for i in sorted(set(found) | set(pending)):  # ids once every spelling is joined
        if i in pending:
            rows = companies.with_ids(pending[i], found.get(i, []), registry)
            chunks[i] = _columns(docs[i], rows)
        else:  # only recurrences: put them into the columns (a row rebuild costs more)
            rows = companies.with_ids(found[i], [], registry)
            chunks[i] = _inserted(docs[i], chunks[i], rows)
        spellings.add(docs[i].text, rows)
    spellings.remember()
    return _frame(docs, chunks)


def _inserted(doc: Document, chunk: _Chunk | None, rows: list[_Row]) -> _Chunk:
    """``chunk`` with ``rows`` (in text order, overlapping none of its tags) put in place."""
    if chunk is None:
        return _columns(doc, rows)
    cols = [list(col) for col in chunk]
    starts = cols[0]
    new = _columns(doc, rows)
    for k, start in reversed(list(enumerate(new[0]))):  # from the end: indices stay valid
        at = bisect.bisect_left(starts, start)
        for col, values in zip(cols, new, strict=True):
            col.insert(at, values[k])
    return tuple(cols)


_INT_COLUMNS = ("sentence_id", "start", "end")


def _frame(docs: list[Document], chunks: list[_Chunk | None]) -> pd.DataFrame:
    """The tags DataFrame from each document's columns."""
    cols: dict[str, list] = {name: [] for name in COLUMNS}
    for doc, chunk in zip(docs, chunks, strict=True):
        if chunk is None:
            continue
        starts, ends, labels, eids, values, bases, sids, texts = chunk
        cols["doc_id"] += [doc.id] * len(starts)
        cols["sentence_id"] += sids
        cols["start"] += starts
        cols["end"] += ends
        cols["text"] += texts
        cols["label"] += labels
        cols["entity_id"] += eids
        cols["value"] += values
        cols["basis"] += bases
    # Object columns built column-wise (several times faster than by row); copy=False keeps
    # them as they are instead of copying them all into one block.
    data = {name: np.array(values, dtype=np.int64) if name in _INT_COLUMNS
            else pd.Series(values, dtype=object) for name, values in cols.items()}
    return pd.DataFrame(data, columns=COLUMNS, copy=False)


def iter_tags(path: str | Path | None = None, workers: int | None = None) -> Iterator[Tag]:
    """Stream tags document by document (memory does not grow with the corpus); ``workers``
    as for :func:`tag` (automatic: one process for a small folder)."""
    from .tag_workers import parallel_tags

    yield from parallel_tags(iter_documents(path), workers)


def write_tags(path: str | Path | None, fmt: str = "csv", out: str | Path | None = None,
               workers: int | None = None) -> int:
    """CLI helper: stream tags of a folder as CSV or JSON lines to a file or stdout."""
    with closing(iter_tags(path, workers)) as stream:  # closed: worker processes ended
        first = next(stream, None)  # a bad path fails here, before anything is written
        handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            _write_rows(handle, fmt, itertools.chain([first] if first else [], stream))
        finally:
            if out:
                handle.close()
    return 0


def _write_rows(handle: Any, fmt: str, tags: Iterable[Tag]) -> None:
    """Tags as CSV (with a header) or JSON lines."""
    import csv

    from .csvsafe import safe_row  # article text must not become a spreadsheet formula

    writer = csv.writer(handle, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writerow(COLUMNS)
    for t in tags:
        value = json.dumps(t.value, ensure_ascii=False, sort_keys=True) if t.value else ""
        if writer:
            writer.writerow(safe_row([t.doc_id, t.sentence_id, t.start, t.end, t.text,
                                      t.label, t.entity_id or "", value, t.basis or ""]))
        else:
            rec = dict(zip(COLUMNS, t.as_row(), strict=True))
            handle.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
