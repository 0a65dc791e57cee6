"""Reported events matched to the official record: the knowledge base's reference events,
which include the rows of imported official lists (``sanctionlens kb import``).

A reported event matches a reference action of the same family, naming one of its companies
(an event naming none matches only a reference action naming none, by date), whose official
day (announcement, effective or publication) lies in the event's date interval widened by
``WINDOW_DAYS``. An undated event matches only a single candidate naming its companies.
Candidates are looked up by (family, company) and (family, no company), never by scanning.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from .families import family_of
from .mentions import overlap

WINDOW_DAYS = 3  # news may date an act by its announcement, publication or effect


def reference_family(ev: Any) -> str:
    """The family of a reference event (kb.events): its action on its instrument."""
    action = {"added_to_list": "listing", "designated": "listing", "identified": "listing",
              "ipo_listed": "ipo_listed", "law_signed": "law_signed", "eo_signed": "eo_signed",
              "removed": "removed"}.get(ev.action, "other_action")
    return family_of(action, ev.instrument or None)


class ReferenceIndex:
    """Reference events by (family, company) and by family for those naming no company."""

    def __init__(self, events: Iterable[Any]):
        self.by_company: dict[tuple[str, str], list[Any]] = defaultdict(list)
        self.untargeted: dict[str, list[Any]] = defaultdict(list)
        for ev in events:
            fam = reference_family(ev)
            if ev.targets:
                for t in ev.targets:
                    self.by_company[(fam, t)].append(ev)
            else:
                self.untargeted[fam].append(ev)

    def match(self, families: Sequence[str], targets: Sequence[str],
              span: tuple[dt.date, dt.date] | None) -> Any:
        """The reference event a reported event describes, or None. ``families``: the
        event's family, or every listing family when the text does not name the list."""
        if targets:
            seen: dict[str, tuple[int, Any]] = {}
            for family in families:
                for t in targets:
                    for ev in self.by_company.get((family, t), ()):
                        n = seen.get(ev.id, (0, ev))[0]
                        seen[ev.id] = (n + 1, ev)
            cands = [(n, ev) for n, ev in seen.values() if _in_window(span, ev)]
        elif span is not None and len(families) == 1:
            cands = [(0, ev) for ev in self.untargeted.get(families[0], ())
                     if _in_window(span, ev)]
        else:
            return None
        return _best(cands, dated=span is not None)


def _in_window(span: tuple[dt.date, dt.date] | None, ev: Any) -> bool:
    if span is None:
        return True
    pad = dt.timedelta(days=WINDOW_DAYS)
    wide = (span[0] - pad, span[1] + pad) if span[0] == span[1] else span
    return any(overlap(wide, (d, d)) for d in (ev.date, ev.effective, ev.published)
               if d is not None)


def _best(cands: list[tuple[int, Any]], dated: bool) -> Any:
    if len(cands) == 1:
        return cands[0][1]
    if not cands:
        return None
    top = max(n for n, _ in cands)
    best = [ev for n, ev in cands if n == top]
    return best[0] if len(best) == 1 and (top > 0 or dated) else None


def agreement(span: tuple[dt.date, dt.date] | None, ev: Any) -> bool | None:
    """Does the reported date hold the official day (or its effective/publication day)?"""
    if span is None or ev is None:
        return None
    return any(overlap(span, (d, d)) for d in (ev.date, ev.effective, ev.published)
               if d is not None)
