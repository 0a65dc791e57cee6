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
   One document's mentions of one list on one day are one act, whatever parties each names.
3. **Undated, news-of-the-day and effective-date mentions** join the one event of their key
   that names their company (in their own document first; a date from the publication day
   only within it); without a company, the nearest event of their key in their document.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from .mentions import Mention, told_apart

DISAGREEMENT_DAYS = 3
_SETTLED = ("done", "announced", "effective", "removed")
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
    """Dated by the text as the act's own date (not the publication day, not its effect)."""
    return m.dated and not m.soft and m.status != "effective"


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
                    _instrument_ok(p.instrument, m.instrument) and not told_apart(p, m):
                g.union(i, j)
                if not m.targets:
                    m.targets = p.targets
                break


def _blocks(ms: list[Mention], idx: list[int]) -> dict[tuple[str, str, str], list[int]]:
    """Mention indexes by (key, list, company); without a company, by document."""
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i in idx:
        m = ms[i]
        for t in m.targets or (f"doc:{m.doc_id}",):
            blocks[(m.key, m.instrument or "", t)].append(i)
    return blocks


def same_dates(ms: list[Mention], g: Groups) -> None:
    """Rule 2: a sweep in date order inside each block; then mentions that name no list join
    the overlapping mentions of the one list their block holds."""
    dated = [i for i, m in enumerate(ms) if _hard(m)]
    spans = {i: ms[i].interval() for i in dated}
    blocks = _blocks(ms, dated)
    for members in blocks.values():
        members.sort(key=lambda i: (spans[i][0], spans[i][1]))  # type: ignore[index]
        reach: dt.date | None = None  # the latest end among the current run
        run_rep, prev = -1, -1
        for i in members:
            a0, a1 = spans[i]  # type: ignore[misc]
            if reach is not None and a0 <= reach:
                g.union(i, run_rep)
                reach = max(reach, a1)
            else:
                if prev >= 0 and _close_days(ms[prev], ms[i]):
                    g.union(i, prev)
                run_rep, reach = i, a1
            prev = i
    _join_unnamed_lists(ms, g, blocks, spans)
    _same_day_acts(ms, g, dated)


def _same_day_acts(ms: list[Mention], g: Groups, dated: list[int]) -> None:
    """One document's acts on one list on one day are one act, whatever parties each
    sentence names ("DHS will add A ... DHS also will add B", both said on Aug. 1); share
    moves stay one event per company."""
    first: dict[tuple[str, str, str, str | None], int] = {}
    for i in dated:
        m = ms[i]
        if m.precision != "day" or not m.instrument or m.family == "shares":
            continue
        k = (m.doc_id, m.key, m.instrument, m.value)
        if k in first:
            g.union(i, first[k])
        else:
            first[k] = i


def _join_unnamed_lists(ms: list[Mention], g: Groups,
                        blocks: dict[tuple[str, str, str], list[int]],
                        spans: dict[int, tuple[dt.date, dt.date] | None]) -> None:
    named: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, inst, t in blocks:
        if inst:
            named[(key, t)].append(inst)
    starts: dict[tuple[str, str, str], list[dt.date]] = {}
    for (key, inst, t), members in blocks.items():
        if inst or not named.get((key, t)):
            continue
        for i in members:
            a0, a1 = spans[i]  # type: ignore[misc]
            hits = {}
            for other in named[(key, t)]:
                block = blocks[(key, other, t)]  # sorted by start
                if (key, other, t) not in starts:
                    starts[(key, other, t)] = [spans[j][0] for j in block]  # type: ignore[index]
                k = bisect.bisect_right(starts[(key, other, t)], a1)
                for j in block[max(0, k - 8):k]:  # the nearest starts; spans are short
                    if spans[j][1] >= a0:  # type: ignore[index]
                        hits[other] = j
            if len(hits) == 1:
                g.union(i, next(iter(hits.values())))


def _close_days(a: Mention, b: Mention) -> bool:
    ia, ib = a.interval(), b.interval()
    return (a.doc_id != b.doc_id and bool(a.targets) and a.precision == b.precision == "day"
            and a.family != "shares"  # a share move is one event per company and day
            and ia is not None and ib is not None
            and abs((ia[0] - ib[0]).days) <= DISAGREEMENT_DAYS)


@dataclass
class _Summary:
    """What the undated rule needs of one group, computed once."""

    instruments: set[str]
    targets: set[str]
    hard: bool
    soft: bool
    settled: bool  # reported as done, announced or in effect (not a plan or consideration)
    sentences: dict[str, list[int]]  # doc id -> sentence ids
    days: set[dt.date]  # the days of its mentions dated to a day by the text
    soft_days: set[dt.date]  # the publication days of its news-of-the-day mentions


def _summaries(ms: list[Mention], groups: dict[int, list[int]]) -> dict[int, _Summary]:
    out = {}
    for root, mem in groups.items():
        sentences: dict[str, list[int]] = defaultdict(list)
        for k in mem:
            sentences[ms[k].doc_id].append(ms[k].sentence_id)
        out[root] = _Summary({ms[k].instrument for k in mem} - {None},  # type: ignore[misc]
                             {t for k in mem for t in ms[k].targets},
                             any(_hard(ms[k]) for k in mem), any(ms[k].soft for k in mem),
                             any(ms[k].status in _SETTLED for k in mem), sentences,
                             _days(ms, mem, soft=False), _days(ms, mem, soft=True))
    return out


def _days(ms: list[Mention], mem: list[int], soft: bool) -> set[dt.date]:
    """Days of the group's mentions dated to one day, by the text (or by publication)."""
    out = set()
    for k in mem:
        m = ms[k]
        span = m.interval() if m.precision == "day" and (m.soft if soft else _hard(m)) else None
        if span is not None and span[0] == span[1]:
            out.add(span[0])
    return out


def join_undated(ms: list[Mention], g: Groups) -> None:
    """Rule 3, with candidate events looked up by (key, company) and (key, document)."""
    groups = g.members()
    info = _summaries(ms, groups)
    by_company: dict[tuple[str, str], set[int]] = defaultdict(set)  # dated events only
    by_doc: dict[tuple[str, str], set[int]] = defaultdict(set)
    loose = []
    for root, mem in groups.items():
        if any(ms[k].unresolved for k in mem):
            continue
        if not info[root].hard:
            loose.append(root)
        key = ms[mem[0]].key
        for d in info[root].sentences:
            by_doc[(key, d)].add(root)
        if info[root].hard and info[root].settled:  # only dated acts, across documents
            for t in info[root].targets:
                by_company[(key, t)].add(root)
    for root in sorted(loose):
        first = ms[groups[root][0]]
        target = _candidate(first, root, info, by_company, by_doc)
        if target is not None:
            g.union(root, target)


def _fits(a: _Summary, b: _Summary) -> bool:
    if len(a.instruments | b.instruments) > 1:
        return False
    return not a.targets or bool(a.targets & b.targets)


def _candidate(first: Mention, root: int, info: dict[int, _Summary],
               by_company: dict[tuple[str, str], set[int]],
               by_doc: dict[tuple[str, str], set[int]]) -> int | None:
    """The one event an undated group joins: a dated event of its own document, else the only
    dated event naming its companies elsewhere, else the only (nearest, without companies)
    event of its document; None when the choice is not unique. Scans stop at a second hit."""
    me = info[root]
    near: dict[int, tuple[int, bool]] = {}
    for r in by_doc.get((first.key, first.doc_id), set()) - {root}:
        if _fits(me, info[r]):
            near[r] = (min(abs(s - first.sentence_id) for s in info[r].sentences[first.doc_id]),
                       info[r].hard)
    if not me.targets:  # the nearest dated event of its document, else the nearest one
        return min(near, key=lambda r: (not near[r][1], near[r][0], r)) if near else None
    dated_near = [r for r, (_, hard) in near.items() if hard]
    if len(dated_near) > 1 and me.soft:
        dated_near = _told_again(me, info, dated_near, near) or dated_near
    if dated_near:
        return dated_near[0] if len(dated_near) == 1 else None
    unnamed = [r for r in by_doc.get((first.key, first.doc_id), set()) - {root}
               if info[r].hard and not info[r].targets
               and len(me.instruments | info[r].instruments) <= 1
               and min(info[r].sentences[first.doc_id]) < first.sentence_id]
    if len(unnamed) == 1:  # "Treasury announced sanctions against two makers ... The U.S. is
        return unnamed[0]  # imposing sanctions on A": the one dated act, its parties named later
    if not me.soft:  # a publication-day date stays in its document
        found: list[int] = []
        for t in sorted(me.targets):
            for r in by_company.get((first.key, t), ()):
                if r == root or r in near or r in found:
                    continue
                if _fits(me, info[r]):
                    found.append(r)
                    if len(found) > 1:
                        return None
        if found:
            return found[0]
    return next(iter(near)) if len(near) == 1 else None


def _told_again(me: _Summary, info: dict[int, _Summary], dated: list[int],
                near: dict[int, tuple[int, bool]]) -> list[int]:
    """A lead act dated only by publication ("A federal judge has upheld ...") that the next
    sentences tell again with its day ("Judge X ruled on Friday"): the dated act of those
    sentences that fell in the week before publication."""
    return [r for r in dated if near[r][0] <= CONTINUATION_SENTENCES and any(
        0 <= (p - d).days <= 7 for p in me.soft_days for d in info[r].days)]


def merge(ms: list[Mention]) -> list[list[int]]:
    """Groups of mention indexes, each one event, sorted by first mention."""
    g = Groups(len(ms))
    continuation(ms, g)
    same_dates(ms, g)
    join_undated(ms, g)
    return sorted(g.members().values(), key=lambda mem: min(mem))
