"""Mentions into events, by blocking keys so the cost grows about linearly with the corpus.

Mentions are only ever compared inside a *block*: the same key (family, and status class for
considerations and denials) and the same company (or, for mentions naming none, the same
document). Inside a block they are swept in date order, so each mention meets only its
neighbours. The rules:

1. **Continuation.** An undated mention continues the mention of its key at most
   ``CONTINUATION_SENTENCES`` sentences before it in the same document.
2. **Same dates.** Dated mentions of one block whose dates overlap (a year holds its months)
   are one event; so are day dates at most ``DISAGREEMENT_DAYS`` apart from different
   documents (kept, flagged as a disagreement). A 2019 listing and a 2022 report never meet.
3. **Undated and news-of-the-day mentions** join the one event of their key that names their
   company (in their own document first; a date from the publication day only within it);
   without a company, the nearest event of their key in their own document.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .mentions import Mention

DISAGREEMENT_DAYS = 3
CONTINUATION_SENTENCES = 2


class Groups:
    """Union-find over mention indexes."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def members(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out


def _hard(m: Mention) -> bool:
    return m.dated and not m.soft


def _instrument_ok(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def continuation(ms: list[Mention], g: Groups) -> None:
    """Rule 1 (mentions are in document and text order)."""
    for i, m in enumerate(ms):
        if _hard(m) or m.unresolved:
            continue
        for j in range(i - 1, -1, -1):
            p = ms[j]
            if p.doc_id != m.doc_id or m.sentence_id - p.sentence_id > CONTINUATION_SENTENCES:
                break
            if p.key == m.key and (not m.targets or not p.targets or
                                   set(m.targets) & set(p.targets)) and \
                    _instrument_ok(p.instrument, m.instrument):
                g.union(i, j)
                if not m.targets:
                    m.targets = p.targets
                break


def _blocks(ms: list[Mention], idx: list[int]) -> dict[tuple[str, str], list[int]]:
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in idx:
        m = ms[i]
        for t in m.targets or (f"doc:{m.doc_id}",):
            blocks[(m.key, t)].append(i)
    return blocks


def same_dates(ms: list[Mention], g: Groups) -> None:
    """Rule 2: a sweep in date order inside each block."""
    dated = [i for i, m in enumerate(ms) if _hard(m)]
    spans = {i: ms[i].interval() for i in dated}
    for members in _blocks(ms, dated).values():
        members.sort(key=lambda i: (spans[i][0], spans[i][1]))  # type: ignore[index]
        reach: dt.date | None = None  # the latest end among the current run
        run_rep = -1
        prev = -1
        for i in members:
            a0, a1 = spans[i]  # type: ignore[misc]
            if reach is not None and a0 <= reach and _instrument_ok(ms[i].instrument,
                                                                    ms[run_rep].instrument):
                g.union(i, run_rep)
                reach = max(reach, a1)
            elif prev >= 0 and _close_days(ms[prev], ms[i]):
                g.union(i, prev)
                run_rep, reach = i, a1
            else:
                run_rep, reach = i, a1
            prev = i


def _close_days(a: Mention, b: Mention) -> bool:
    ia, ib = a.interval(), b.interval()
    return (a.doc_id != b.doc_id and bool(a.targets) and a.precision == b.precision == "day"
            and ia is not None and ib is not None
            and abs((ia[0] - ib[0]).days) <= DISAGREEMENT_DAYS)


def join_undated(ms: list[Mention], g: Groups) -> None:
    """Rule 3, with candidate events looked up by (key, company) and (key, document)."""
    groups = g.members()
    by_company: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_doc: dict[tuple[str, str], set[int]] = defaultdict(set)
    loose = []
    for root, mem in groups.items():
        if any(ms[k].unresolved for k in mem):
            continue
        if not any(_hard(ms[k]) for k in mem):
            loose.append(root)
        key = ms[mem[0]].key
        for k in mem:
            by_doc[(key, ms[k].doc_id)].add(root)
            for t in ms[k].targets:
                by_company[(key, t)].add(root)
    for root in sorted(loose):
        target = _candidate(ms, groups, root, by_company, by_doc)
        if target is not None:
            g.union(root, target)


def _candidate(ms: list[Mention], groups: dict[int, list[int]], root: int,
               by_company: dict[tuple[str, str], set[int]],
               by_doc: dict[tuple[str, str], set[int]]) -> int | None:
    members = groups[root]
    first = ms[members[0]]
    soft = any(ms[k].soft for k in members)
    tg = {t for k in members for t in ms[k].targets}
    pool = set().union(*(by_company.get((first.key, t), set()) for t in tg)) if tg else set()
    pool |= by_doc.get((first.key, first.doc_id), set())
    cands: dict[int, tuple[bool, int, bool]] = {}
    for r in pool - {root}:
        mem = groups[r]
        if len({ms[k].instrument for k in mem + members} - {None}) > 1:
            continue
        other = {t for k in mem for t in ms[k].targets}
        if tg and not tg & other:
            continue
        same = [abs(ms[k].sentence_id - first.sentence_id) for k in mem
                if ms[k].doc_id == first.doc_id]
        if soft and not same:
            continue  # a publication-day date never joins another document's event
        cands[r] = (bool(same), min(same) if same else 10**6, any(_hard(ms[k]) for k in mem))
    if not tg:
        same_doc = [r for r, c in cands.items() if c[0]]
        return min(same_doc, key=lambda r: (cands[r][1], r)) if same_doc else None
    for choice in ([r for r, c in cands.items() if c[0] and c[2]],
                   [r for r, c in cands.items() if c[2]],
                   [r for r, c in cands.items() if c[0]]):
        if len(choice) == 1:
            return choice[0]
        if choice:
            return None
    return None


def merge(ms: list[Mention]) -> list[list[int]]:
    """Groups of mention indexes, each one event, sorted by first mention."""
    g = Groups(len(ms))
    continuation(ms, g)
    same_dates(ms, g)
    join_undated(ms, g)
    return sorted(g.members().values(), key=lambda mem: min(mem))
