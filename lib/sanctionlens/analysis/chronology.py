"""The sanction chronology: events detected in the articles, merged across sources, dated
honestly, and matched to the knowledge base's reference timeline.

How it works (every step is a rule a reader can check against the texts):

1. **Mentions.** Each sentence is searched for trigger patterns (``TRIGGERS``: "added ... to
   the Entity List", "blacklisted", "is weighing whether to add", "signed an executive order",
   "postponed ... IPO", "shares ... tumbled", "said in a statement", "Foreign Ministry ...
   accused", ...). Conditional or negated uses ("If the US adds", "not included") are skipped.
   A mention takes its targets from the COMPANY tags of its clause (companies introduced by
   "rival of", "similar to", ... are not targets), or, when the clause only says "the
   company" / "it", from the document's focus company (named in its title, or clearly the most
   mentioned). Actor: an AGENCY tag, a PERSON's KB affiliation, or a PLACE, in that order; for
   company statements, IPOs and share moves the company itself.
2. **Dates.** The time expression of the sentence nearest the trigger (``extract.temporal``:
   resolved value, its precision and basis). Expressions about the future do not date a past
   action. Without one: a sentence continuing the previous mention of the same kind (within two
   sentences) shares its event; present-tense reports that sanctions are being considered are
   dated to the month of publication; otherwise the date stays None with precision "unknown"
   (never guessed). A document without a publication date cannot resolve "last year".
3. **Merging.** Mentions of the same kind of action with overlapping targets merge when their
   dates overlap (a year contains its months), when two documents give day dates at most
   ``DISAGREEMENT_DAYS`` apart (kept, flagged as a disagreement), when they match the same
   reference event, or when an undated mention has exactly one candidate event.
4. **Reference timeline.** Each event is matched to the KB's reference events of the same
   action family, compatible instrument, overlapping targets and a date interval containing the
   official date (announcement, effective or publication); an undated event matches only a
   unique candidate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ParameterError, UnknownNameError

__all__ = [
    "ACTIONS", "COLUMNS", "Mention", "chronology", "comparison_table", "date_explanations",
    "detect_mentions", "disagreement_table", "events_table", "filter_events", "validate_params",
]

ACTIONS = (
    "added_to_list", "designated", "considered", "eo_signed", "law_signed", "ipo_postponed",
    "ipo_scrapped", "ipo_relaunch_planned", "ipo_listed", "shares_fell", "shares_rose",
    "company_statement", "denial", "government_response",
)
COLUMNS = [
    "event_id", "date", "precision", "action", "actor", "instrument", "targets", "doc_ids",
    "evidence", "source", "reference_id", "official_date", "agreement", "disagreements",
    "date_end", "date_basis", "outlets", "title", "citation",
]
DISAGREEMENT_DAYS = 3  # day dates from different documents this close may be one event
CONTINUATION_SENTENCES = 2  # an undated mention continues a mention this many sentences back
_FINER = {"day": 0, "range": 0, "month": 1, "year": 2}
_COMPANY_ACTIONS = {"ipo_postponed", "ipo_scrapped", "ipo_relaunch_planned", "ipo_listed",
                    "shares_fell", "shares_rose", "company_statement", "denial"}
_PLANNED = {"considered", "ipo_relaunch_planned"}  # may be dated by a future expression
# Corpus action -> reference actions it can match.
_REF_ACTIONS = {
    "added_to_list": {"added_to_list"}, "designated": {"designated", "identified"},
    "eo_signed": {"eo_signed"}, "law_signed": {"law_signed"}, "ipo_listed": {"ipo_listed"},
}
_LISTING = {"added_to_list", "designated"}
# Instruments implied by the acting agency when the sentence names none.
_AGENCY_INSTRUMENT = {"us_commerce": "entity_list", "bis": "entity_list"}

_S = r"[^\S\n]+"
_ANY = r"[^;:\n]"  # within one sentence; dots allowed ("U.S.")
TRIGGERS: list[tuple[str, str]] = [
    # considered: reports that sanctions may come
    ("considered", rf"\b(?:is|are|was|were){_S}(?:weighing|considering|mulling)\b"),
    ("considered", rf"\b(?:may|might|could){_S}(?:impose|add|sanction|blacklist)\b"),
    ("considered", rf"\breported(?:ly)?{_S}(?:to{_S}be{_S})?(?:considering|weighing)\b"),
    ("considered", rf"\bthreat(?:ens?|ened)?{_S}to{_S}sanction\b"),
    ("considered", rf"\bproposed{_S}(?:sanctions|adding|to{_S}add)\b"),
    # listings
    ("listing", rf"\badd(?:s|ed|ing)?\b{_ANY}{{0,120}}?\bto{_S}(?:its|the|their)\b{_ANY}{{0,60}}?"
                r"\b(?:[Ll]ist|blacklist)\b"),
    ("listing", rf"\baddition{_S}of\b{_ANY}{{0,150}}?\bto{_S}(?:its|the|their)\b"),
    ("listing", rf"\b(?:placed|put)\b{_ANY}{{0,40}}?\bon{_S}(?:the|an|its|a|their)\b{_ANY}{{0,60}}?"
                r"\b(?:[Ll]ist|blacklist)\b"),
    ("listing", rf"\b(?:placement|inclusion){_S}on\b"),
    ("listing", r"\bblacklisted\b"),
    ("listing", rf"\b(?:has|have|had){_S}been{_S}on\b{_ANY}{{0,40}}?\b[Ll]ist\b"),
    ("listing", rf"\bannounced{_S}the{_S}(?:ban|blacklisting|designation|sanctions)\b"),
    ("listing", rf"\b(?:Department|Treasury|Commerce){_S}blacklisting\b"),
    ("listing", rf"\bEntity{_S}List{_S}(?:expansion|additions?)\b"),
    ("listing", rf"\b(?<!specially )designated{_S}(?:by|as|under|on)\b"),
    # executive orders and laws
    ("eo_signed", rf"\bsign(?:ed|s|ing)?{_S}(?:an?{_S}|the{_S})?executive{_S}order\b"),
    ("law_signed", rf"\bsign(?:ed|s|ing){_S}(?:a|the){_S}(?:[\w-]+{_S}){{0,3}}?(?:law|act|bill)\b"),
    ("law_signed", rf"\bsigned{_S}into{_S}law\b"),
    # IPOs
    ("ipo_postponed", rf"\bpostpon(?:e|es|ed|ing)\b(?={_ANY}{{0,80}}?\b(?:IPO|listing|share{_S}sale"
                      r"|offering)\b)"),
    ("ipo_scrapped", rf"\b(?:scrap(?:s|ped)?|cancel(?:s|led|ed)?|withdr(?:ew|awn))\b"
                     rf"(?={_ANY}{{0,40}}?\b(?:IPO|listing|offering)\b)"),
    ("ipo_relaunch_planned", rf"\b(?:relaunch|re-launch|revive|resume)\b"
                             rf"(?={_ANY}{{0,30}}?\b(?:deal|IPO|listing|offering)\b)"),
    ("ipo_relaunch_planned", rf"\bremains?{_S}committed\W{{0,2}}{_S}to{_S}listing\b"),
    ("ipo_listed", rf"\b(?:debuted|began{_S}trading|started{_S}trading|was{_S}listed{_S}on)\b"),
    # share moves
    ("shares_fell", rf"\bshares?\b{_ANY}{{0,60}}?\b(?:fell|falls?|tumbled?|tumbles|dropped|drops?"
                    r"|plunged?|plunges|slumped|sank|slid|declined)\b"),
    ("shares_fell", r"\blimit[- ]down\b"),
    ("shares_rose", rf"\bshares?\b{_ANY}{{0,60}}?\b(?:rose|rises?|jumped|surged|rallied|climbed"
                    r"|gained|soared)\b"),
    # statements
    ("statement", rf"\b(?:said|says|stated){_S}in{_S}a{_S}statement\b"),
    ("statement", rf"\b(?:in|filed){_S}a{_S}statement\b"),
    ("statement", rf"\bspokes(?:person|man|woman){_S}(?:said|says)\b"),
    ("statement", rf"\b(?:the{_S}(?:firm|company)|it){_S}(?:said|says|added|noted|stated)\b"),
    ("statement", r"\b(?:has|have){0,1}\s*(?:repeatedly\s+)?denied\b"),
    ("company_said", r"\b(?:said|says|added|noted|criticised|criticized|stated)\b"),
    # government responses (China)
    ("government_response", rf"\b(?:Foreign{_S}Ministry|Ministry{_S}of{_S}Foreign{_S}Affairs"
                            rf"|Chinese{_S}government|China|Beijing)\b[^,;:\n]{{0,30}}?\b(?:accused|expressed"
                            r"|demanded|said|added|condemned|opposes|opposed|urged|criticised"
                            r"|criticized|vowed|responded|respond)\b"),
    ("government_response", rf"\bMinistry{_S}spokes(?:person|man|woman)\b"),
]
_TRIGGERS = [(k, re.compile(p, re.I)) for k, p in TRIGGERS]
_CONDITIONAL = re.compile(
    rf"\b(?:if|whether{_S}to|would|not|never|unless|weighing{_S}whether{_S}to)\b[^,;:]{{0,60}}$",
    re.I)
_NEGATION = re.compile(rf"\bnot{_S}(?:\w+{_S})?$", re.I)
_DENIAL = re.compile(r"\b(?:den(?:y|ied|ies)|unfounded|oppose[sd]?|reject(?:s|ed)?|criticis|"
                     r"criticiz|groundless|baseless)", re.I)
_ANAPHOR = re.compile(r"\b(?:it|its|company|company['’]s|firm|firm['’]s|maker|giant|start-up)\b",
                      re.I)
_NOT_TARGET_BEFORE = re.compile(
    rf"\b(?:rivals?|competitors?|peers?)(?:{_S}of)?{_S}$|\b(?:unlike|like|than|similar{_S}to|"
    rf"contrasts{_S}with)[^,;:]{{0,40}}$", re.I)
_COMPARISON = re.compile(r"\b(?:similar to|unlike|contrasts with|like)\b|--|—", re.I)
_CLAUSE_SPLIT = re.compile(r"[;:]|\s--\s|\s—\s|\bcontrasts with\b")


# --------------------------------------------------------------------------- mentions
@dataclass
class Mention:
    """One event mention: a trigger in one sentence with its date, actor, targets."""

    doc_id: str
    sentence_id: int
    start: int  # sentence span in doc.text
    end: int
    text: str
    action: str
    trigger: tuple[int, int]  # trigger span in doc.text
    actor: str | None = None
    instrument: str | None = None
    targets: tuple[str, ...] = ()
    value: str | None = None
    precision: str = "unknown"
    range_end: str | None = None
    basis: str = ""
    expression: str = ""
    unresolved: bool = False  # a time expression is there but could not be resolved
    outlet: str = ""
    published: str = ""
    links: list[int] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        return self.value is not None

    @property
    def family(self) -> str:
        return "statement" if self.action in ("company_statement", "denial") else self.action

    def interval(self) -> tuple[dt.date, dt.date] | None:
        return _interval(self.value, self.precision, self.range_end)

    def evidence(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "sentence_id": self.sentence_id, "start": self.start,
                "end": self.end, "text": self.text}


def _interval(value: str | None, precision: str, range_end: str | None = None
              ) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    if precision == "year":
        y = int(value[:4])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if precision == "month":
        y, m = int(value[:4]), int(value[5:7])
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return dt.date(y, m, 1), nxt - dt.timedelta(days=1)
    first = dt.date.fromisoformat(value)
    last = dt.date.fromisoformat(range_end) if range_end else first
    return first, last


def _overlap(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def _kb() -> Any:
    from ..kb import get_kb

    return get_kb()


def _focus_company(doc: Any, tags: list[Any]) -> str | None:
    """The company a document is about: named in its title, or clearly the most mentioned."""
    companies = [t for t in tags if t.label == "COMPANY" and t.entity_id]
    title = " ".join(str(doc.title or "").split()).casefold()
    in_title = {t.entity_id for t in companies
                if title and " ".join(doc.sentences[t.sentence_id].text.split()).casefold()
                == title}
    if len(in_title) == 1:
        return next(iter(in_title))
    counts = Counter(t.entity_id for t in companies).most_common()
    if counts and counts[0][1] >= 2 and (len(counts) == 1 or counts[0][1] > 2 * counts[1][1]):
        return counts[0][0]
    return None


def _clause(text: str, pos: int) -> tuple[int, int]:
    """Bounds (in sentence coordinates) of the clause around position `pos`."""
    lo, hi = 0, len(text)
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.end() <= pos:
            lo = m.end()
        elif m.start() >= pos:
            hi = m.start()
            break
    return lo, hi


def _raw_triggers(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of trigger matches in a sentence, overlaps of one kind removed."""
    found: list[tuple[str, int, int]] = []
    for kind, rx in _TRIGGERS:
        for m in rx.finditer(text):
            if any(k == kind and s < m.end() and m.start() < e for k, s, e in found):
                continue
            found.append((kind, m.start(), m.end()))
    return sorted(found, key=lambda f: (f[1], f[0]))


def detect_mentions(doc: Any, tags: list[Any] | None = None,
                    timex: list[Any] | None = None) -> list[Mention]:
    """Every event mention of one document, in text order."""
    from ..extract.tagging import tag_document
    from ..extract.temporal import resolve_document

    tags = tag_document(doc) if tags is None else tags
    timex = resolve_document(doc) if timex is None else timex
    kb = _kb()
    focus = _focus_company(doc, tags)
    by_sent: dict[int, list[Any]] = {}
    for t in tags:
        by_sent.setdefault(t.sentence_id, []).append(t)
    tx_by_sent: dict[int, list[Any]] = {}
    for x in timex:
        tx_by_sent.setdefault(x.sentence_id, []).append(x)
    out: list[Mention] = []
    prev_instrument: str | None = None
    for sent in doc.sentences:
        stags = by_sent.get(sent.id, [])
        out += _sentence_mentions(doc, sent, stags, tx_by_sent.get(sent.id, []), focus, kb,
                                  prev_instrument)
        instruments = [t.entity_id for t in stags if t.label == "INSTRUMENT"]
        prev_instrument = instruments[-1] if instruments else None
    return out


def _sentence_mentions(doc: Any, sent: Any, stags: list[Any], stx: list[Any],
                       focus: str | None, kb: Any, prev_instrument: str | None) -> list[Mention]:
    text = sent.text
    rel = [(t, t.start - sent.start, t.end - sent.start) for t in stags]
    raw = _raw_triggers(text)
    kinds = {k for k, _, _ in raw}
    triggers: list[tuple[str, int, int]] = []
    for kind, s, e in raw:
        before = text[max(0, s - 80):s]
        if kind in ("listing", "considered", "eo_signed", "law_signed") and (
                _NEGATION.search(before) or (kind == "listing" and _CONDITIONAL.search(before))):
            continue
        if kind == "listing" and any(k == "considered" and ks <= s <= ke + 40
                                     for k, ks, ke in raw):
            continue  # "weighing whether to add ... to its list" is a consideration
        if kind in ("statement", "company_said"):
            if kinds & {"ipo_postponed", "ipo_relaunch_planned", "ipo_scrapped"}:
                continue  # the statement is how the IPO news was announced
            if kind == "company_said" and not _company_subject(text, s, rel):
                continue
            if kind == "statement" and ("government_response" in kinds
                                        or not _company_speaker(text, s, rel, focus)):
                continue
            if kind == "statement" and re.match(r"(?i)it\b|the\s", text[s:e]) and any(
                    t.label == "COMPANY" and a >= e for t, a, _ in rel):
                continue  # "It says SenseTime has ...": the company is spoken about
            kind = "denial" if _DENIAL.search(text) else "company_statement"
        if kind == "government_response" and not _china_actor(rel, kb):
            continue
        triggers.append((kind, s, e))
    # one statement per sentence
    seen_stmt = False
    kept: list[tuple[str, int, int]] = []
    for kind, s, e in triggers:
        if kind in ("company_statement", "denial"):
            if seen_stmt:
                continue
            seen_stmt = True
        if kind == "government_response" and any(k == kind for k, _, _ in kept):
            continue
        kept.append((kind, s, e))
    if not kept:
        return []
    dates = _assign_dates(kept, stx, sent.start, text)
    mentions = []
    for i, (kind, s, e) in enumerate(kept):
        lo, hi = _clause(text, s)
        targets = _targets(text, rel, s, e, lo, hi, focus)
        instrument = _instrument(rel, s, lo, hi)
        actor = _actor(kind, rel, lo, hi, targets, kb)
        action = kind
        if kind == "listing":
            if instrument is None and actor in _AGENCY_INSTRUMENT:
                instrument = _AGENCY_INSTRUMENT[actor]
            if instrument is None and prev_instrument is not None:
                instrument = prev_instrument  # "... to its export restrictions" after a mention
            auth = _authority(kb, instrument) if instrument else None
            if auth and actor != auth and _AGENCY_INSTRUMENT.get(actor or "") != instrument:
                actor = auth  # the agency that keeps the list, not a bystander in the sentence
            action = "added_to_list" if instrument == "entity_list" else "designated"
        elif kind in _COMPANY_ACTIONS:
            instrument = None
        m = Mention(doc_id=doc.id, sentence_id=sent.id, start=sent.start, end=sent.end, text=text,
                    action=action, trigger=(sent.start + s, sent.start + e), actor=actor,
                    instrument=instrument, targets=targets, outlet=doc.outlet or "",
                    published=doc.published.isoformat() if doc.published else "")
        x = dates[i]
        if x is not None:
            m.unresolved = x.value is None
            m.basis = x.basis
            if x.value is not None:
                m.value, m.precision = x.value, x.precision
                m.range_end = x.range_end if x.precision in ("range", "vague") else None
            m.expression = x.text
        elif kind == "considered" and doc.published is not None and \
                re.search(r"\b(?:is|are)\b|\bmay\b|\bmight\b|\bsays\b", text[max(0, s - 60):e]):
            m.value, m.precision = doc.published.strftime("%Y-%m"), "month"
            m.basis = (f"context: present-tense report, as of publication "
                       f"{doc.published.isoformat()} (month precision)")
        mentions.append(m)
    return mentions


def _company_subject(text: str, s: int, rel: list[tuple[Any, int, int]]) -> bool:
    """A speech verb whose subject is a company named just before it."""
    for t, _a, b in rel:
        if t.label == "COMPANY" and b <= s and s - b <= 25 and \
                not re.search(r"[,.;“”\"]", text[b:s]):
            return True
    return False


def _company_speaker(text: str, s: int, rel: list[tuple[Any, int, int]], focus: str | None
                     ) -> bool:
    """Is the speaker of a statement a company (named, or 'the firm'/'it' with a focus)?"""
    others = [t for t, a, b in rel if t.label in ("PERSON", "AGENCY", "ORG")]
    if any(t.label == "COMPANY" for t, _, _ in rel):
        return not others or any(t.label == "COMPANY" and a < s for t, a, _ in rel)
    return focus is not None and not others


def _china_actor(rel: list[tuple[Any, int, int]], kb: Any) -> bool:
    for t, _, _ in rel:
        eid = t.entity_id or ""
        if t.label == "AGENCY" and eid.startswith("china_"):
            return True
        if t.label == "PERSON" and _affiliation(kb, eid).startswith("china_"):
            return True
        if t.label == "PLACE" and eid in ("china", "beijing"):
            return True
    return False


def _authority(kb: Any, instrument: str) -> str | None:
    return getattr(kb.instruments.get(instrument), "authority", "") or None


def _affiliation(kb: Any, person_id: str) -> str:
    person = kb.people.get(person_id)
    fact = getattr(person, "affiliation", None)
    return str(fact.value) if fact is not None else ""


def _assign_dates(kept: list[tuple[str, int, int]], stx: list[Any], offset: int,
                  text: str) -> list[Any]:
    """Each time expression goes to the nearest trigger that may use it."""
    chosen: list[Any] = [None] * len(kept)
    best: list[int] = [10**9] * len(kept)
    for x in stx:
        if x.precision == "vague":
            continue
        xs, xe = x.start - offset, x.end - offset
        cands = []
        for i, (kind, s, e) in enumerate(kept):
            if x.future and kind not in _PLANNED:
                continue
            lo, hi = _clause(text, s)
            if not (lo <= xs and xe <= hi):
                continue
            dist = s - xe if xe <= s else (xs - e if xs >= e else 0)
            cands.append((dist, i))
        if not cands:
            continue
        dist, i = min(cands)
        if dist < best[i]:
            best[i], chosen[i] = dist, x
    return chosen


def _targets(text: str, rel: list[tuple[Any, int, int]], s: int, e: int, lo: int, hi: int,
             focus: str | None) -> tuple[str, ...]:
    out: list[str] = []
    for t, a, b in rel:
        if t.label != "COMPANY" or not (lo <= a and b <= hi) or not t.entity_id:
            continue
        if _NOT_TARGET_BEFORE.search(text[max(lo, a - 50):a]):
            continue
        between = text[e:a] if a >= e else text[b:s]
        if a >= e and _COMPARISON.search(between):
            continue
        if t.entity_id not in out:
            out.append(t.entity_id)
    if not out and focus and _ANAPHOR.search(text[lo:hi]):
        out.append(focus)
    return tuple(sorted(out))


def _instrument(rel: list[tuple[Any, int, int]], s: int, lo: int, hi: int) -> str | None:
    cands = [(abs(a - s), t.entity_id) for t, a, b in rel
             if t.label == "INSTRUMENT" and lo <= a and b <= hi and t.entity_id]
    return min(cands)[1] if cands else None


def _actor(kind: str, rel: list[tuple[Any, int, int]], lo: int, hi: int,
           targets: tuple[str, ...], kb: Any) -> str | None:
    if kind in _COMPANY_ACTIONS or kind in ("statement", "company_said"):
        return targets[0] if len(targets) == 1 else None
    inside = [(t, a) for t, a, b in rel if lo <= a and b <= hi] or [(t, a) for t, a, _ in rel]
    china = kind == "government_response"

    def ok(eid: str) -> bool:
        return eid.startswith("china") == china if eid else False

    for t, _ in inside:
        if t.label == "AGENCY" and t.entity_id and ok(t.entity_id) and \
                getattr(kb.agencies.get(t.entity_id), "kind", "") != "exchange":
            return t.entity_id
    for t, _ in inside:
        if t.label == "PERSON" and t.entity_id:
            aff = _affiliation(kb, t.entity_id)
            if aff in kb.agencies and ok(aff):
                return aff
    for t, _ in inside:
        if t.label == "PLACE" and t.entity_id and (
                t.entity_id in ("china", "beijing") if china else
                t.entity_id in ("united_states", "washington")):
            return t.entity_id
    return None


# --------------------------------------------------------------------------- merging
class _Groups:
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


def _targets_ok(a: Sequence[str], b: Sequence[str], allow_empty: bool = False) -> bool:
    if not a or not b:
        return allow_empty and not a and not b
    return bool(set(a) & set(b))


def _instrument_ok(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _undated_target(ms: list[Mention], g: _Groups, members: list[int], tg: set[str]
                    ) -> int | None:
    first = ms[members[0]]
    me = g.find(members[0])
    cands: dict[int, tuple[bool, int, bool]] = {}
    for r, mem in g.members().items():
        if r == me or ms[mem[0]].family != first.family or any(ms[k].unresolved for k in mem):
            continue  # a group whose date could not be resolved may be another event
        if len({ms[k].instrument for k in mem + members} - {None}) > 1:
            continue
        other = {t for k in mem for t in ms[k].targets}
        if tg and not tg & other:
            continue
        same = [abs(ms[k].sentence_id - first.sentence_id) for k in mem
                if ms[k].doc_id == first.doc_id]
        cands[r] = (bool(same), min(same) if same else 10**6,
                    any(ms[k].dated for k in mem))
    if not tg:
        same_doc = [r for r, c in cands.items() if c[0]]
        return min(same_doc, key=lambda r: (cands[r][1], r)) if same_doc else None
    for pool in ([r for r, c in cands.items() if c[0] and c[2]],
                 [r for r, c in cands.items() if c[2]],
                 [r for r, c in cands.items() if c[0]]):
        if len(pool) == 1:
            return pool[0]
        if pool:
            return None
    return None


def _merge(ms: list[Mention]) -> list[list[int]]:
    g = _Groups(len(ms))
    # 1. continuation: an undated mention continues the previous one of its kind
    for i, m in enumerate(ms):
        if m.dated or m.unresolved:
            continue
        for j in range(i - 1, -1, -1):
            p = ms[j]
            if p.doc_id != m.doc_id or m.sentence_id - p.sentence_id > CONTINUATION_SENTENCES:
                break
            if p.family == m.family and (not m.targets or not p.targets or
                                         set(m.targets) & set(p.targets)) and \
                    _instrument_ok(p.instrument, m.instrument):
                g.union(i, j)
                if not m.targets:
                    m.targets = p.targets
                break
    # 2. dated mentions with overlapping dates (or close day dates in different documents)
    for i, a in enumerate(ms):
        for j in range(i + 1, len(ms)):
            b = ms[j]
            if a.family != b.family or not (a.dated and b.dated):
                continue
            if not _targets_ok(a.targets, b.targets, allow_empty=True) or \
                    not _instrument_ok(a.instrument, b.instrument):
                continue
            ia, ib = a.interval(), b.interval()
            if _overlap(ia, ib):
                if a.doc_id == b.doc_id or a.targets or b.targets:
                    g.union(i, j)
            elif (a.doc_id != b.doc_id and a.targets and a.precision == b.precision == "day"
                  and ia and ib and abs((ia[0] - ib[0]).days) <= DISAGREEMENT_DAYS):
                g.union(i, j)
    # 3. undated groups join their unique dated candidate (same document first); groups
    #    without targets join the nearest group of their kind in their own document
    for targetless in (False, True):
        for root in sorted(g.members()):
            members = g.members().get(g.find(root), [])
            if not members or any(ms[k].dated or ms[k].unresolved for k in members):
                continue
            tg = {t for k in members for t in ms[k].targets}
            if bool(tg) == targetless:
                continue
            target = _undated_target(ms, g, members, tg)
            if target is not None:
                g.union(root, target)
    return sorted(g.members().values(), key=lambda mem: min(mem))


# --------------------------------------------------------------------------- reference match
def _ref_intervals(ev: Any) -> list[tuple[dt.date, dt.date]]:
    return [(d, d) for d in (ev.date, ev.effective, ev.published) if d is not None]


def _match_reference(action: str, instrument: str | None, targets: Sequence[str],
                     interval: tuple[dt.date, dt.date] | None, events: Iterable[Any]) -> Any:
    allowed = _REF_ACTIONS.get(action)
    if not allowed:
        return None
    cands = []
    for ev in events:
        if ev.action not in allowed or not _instrument_ok(instrument, ev.instrument or None):
            continue
        overlap = len(set(targets) & set(ev.targets))
        if targets and ev.targets and not overlap:
            continue
        if targets and not ev.targets and action in _LISTING:
            continue
        if not targets and interval is None:
            continue
        if interval is not None and not any(_overlap(interval, r) for r in _ref_intervals(ev)):
            continue
        if interval is None and not overlap:
            continue
        cands.append((overlap, ev))
    if len(cands) == 1:
        return cands[0][1]
    if cands:
        best = max(c[0] for c in cands)
        top = [ev for o, ev in cands if o == best]
        if len(top) == 1 and best > 0:
            return top[0]
    return None


# --------------------------------------------------------------------------- events
def _group_date(ms: list[Mention]) -> tuple[str | None, str, str | None, bool, list[str], str]:
    """(date, precision, date_end, agreement, disagreements, basis) of merged mentions."""
    dated = [m for m in ms if m.dated]
    if not dated:
        unresolved = [m for m in ms if m.unresolved]
        basis = "; ".join(dict.fromkeys(_basis_line(m) for m in unresolved)) or \
            "no time expression in the evidence"
        return None, "unknown", None, True, [], basis
    conflicts: list[str] = []
    for i, a in enumerate(dated):
        for b in dated[i + 1:]:
            if not _overlap(a.interval(), b.interval()):
                for m in (a, b):
                    line = f"{m.doc_id} says {m.value} (“{m.expression}”; {m.basis})"
                    if line not in conflicts:
                        conflicts.append(line)
    finest = min(_FINER.get(m.precision, 3) for m in dated)
    best = sorted((m for m in dated if _FINER.get(m.precision, 3) == finest),
                  key=lambda m: (m.value or "", m.doc_id))
    m0 = best[0]
    basis = "; ".join(dict.fromkeys(_basis_line(m) for m in dated))
    return m0.value, m0.precision, m0.range_end, not conflicts, sorted(conflicts), basis


def _basis_line(m: Mention) -> str:
    if m.expression:
        return f"{m.doc_id}: “{m.expression}” → {m.value or 'None'} ({m.basis})"
    return f"{m.doc_id}: {m.basis}"


def _pick(values: Iterable[str | None], order: Sequence[str] = ()) -> str | None:
    vals = [v for v in values if v]
    if not vals:
        return None
    counts = Counter(vals)
    rank = {v: i for i, v in enumerate(order)}
    return sorted(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), v))[0]


def _actor_pick(ms: list[Mention], kb: Any) -> str | None:
    vals = [m.actor for m in ms if m.actor]

    def rank(v: str) -> int:
        if v in kb.agencies:
            return 0
        if v in kb.companies:
            return 1
        return 2
    if not vals:
        return None
    counts = Counter(vals)
    return sorted(counts, key=lambda v: (rank(v), -counts[v], v))[0]


def _names(kb: Any, ids: Iterable[str]) -> list[str]:
    out = []
    for i in ids:
        try:
            out.append(kb.entity(i).name)
        except UnknownNameError:
            out.append(i)
    return out


def chronology(corpus: Any, include_reference: bool = True) -> pd.DataFrame:
    """One row per event reported in `corpus` (plus the KB's reference events).

    Columns: ``COLUMNS``. ``date`` is ISO at ``precision`` (year, month, day, range) or None
    ("unknown"); ``evidence`` lists the sentences ({doc_id, sentence_id, start, end, text});
    ``agreement`` is False when sources give incompatible dates, each listed in
    ``disagreements``; ``reference_id`` / ``official_date`` come from the matched reference
    event. Rows are sorted by date (undated last) and event_id.
    """
    from ..extract.tagging import tag_document
    from ..extract.temporal import resolve_document

    docs = _documents(corpus)
    kb = _kb()
    mentions: list[Mention] = []
    for doc in sorted(docs, key=lambda d: d.id):
        mentions += detect_mentions(doc, tag_document(doc), resolve_document(doc))
    groups = _merge(mentions)
    # match each group to the reference timeline, then merge groups sharing a reference event
    matched: dict[int, Any] = {}
    for gi, mem in enumerate(groups):
        ms = [mentions[k] for k in mem]
        action = _pick((m.action for m in ms), ACTIONS) or ms[0].action
        value, precision, end, *_ = _group_date(ms)
        targets = sorted({t for m in ms for t in m.targets})
        instrument = _pick(m.instrument for m in ms)
        ref = _match_reference(action, instrument, targets,
                               _interval(value, precision, end), kb.events)
        if ref is not None:
            matched[gi] = ref
    by_ref: dict[str, list[int]] = {}
    for gi, ref in matched.items():
        by_ref.setdefault(ref.id, []).append(gi)
    final: list[tuple[list[int], Any]] = []
    used: set[int] = set()
    for gi, mem in enumerate(groups):
        if gi in used:
            continue
        ref = matched.get(gi)
        if ref is not None:
            gis = by_ref[ref.id]
            used.update(gis)
            final.append((sorted(k for g_ in gis for k in groups[g_]), ref))
        else:
            used.add(gi)
            final.append((mem, None))
    rows = [_event_row([mentions[k] for k in mem], ref, kb) for mem, ref in final]
    if include_reference:
        rows += [_reference_row(ev, kb) for ev in kb.events]
    return _finish(rows)


def _event_row(ms: list[Mention], ref: Any, kb: Any) -> dict[str, Any]:
    ms = sorted(ms, key=lambda m: (m.doc_id, m.sentence_id, m.trigger))
    value, precision, end, agreement, disagreements, basis = _group_date(ms)
    action = _pick((m.action for m in ms), ACTIONS) or ms[0].action
    if {m.family for m in ms} == {"statement"}:
        action = _pick((m.action for m in ms), ("company_statement", "denial")) or action
    targets = sorted({t for m in ms for t in m.targets})
    instruments = sorted({m.instrument for m in ms if m.instrument})
    if len(instruments) > 1:
        agreement = False
        disagreements = disagreements + [
            f"{m.doc_id} names instrument {m.instrument}" for m in ms if m.instrument]
    evidence: list[dict[str, Any]] = []
    for m in ms:
        ev = m.evidence()
        if ev not in evidence:
            evidence.append(ev)
    doc_ids = sorted({m.doc_id for m in ms})
    outlets = [next((m.outlet for m in ms if m.doc_id == d), "") for d in doc_ids]
    names = ", ".join(_names(kb, targets)) or "no company named"
    return {
        "event_id": "", "date": value, "precision": precision, "action": action,
        "actor": _actor_pick(ms, kb), "instrument": instruments[0] if instruments else None,
        "targets": targets, "doc_ids": doc_ids, "evidence": evidence, "source": "corpus",
        "reference_id": ref.id if ref is not None else None,
        "official_date": ref.date.isoformat() if ref is not None else None,
        "agreement": bool(agreement), "disagreements": list(dict.fromkeys(disagreements)),
        "date_end": end, "date_basis": basis, "outlets": outlets,
        "title": f"{action.replace('_', ' ')}: {names}",
        "citation": "",
    }


def _reference_row(ev: Any, kb: Any) -> dict[str, Any]:
    return {
        "event_id": f"ref:{ev.id}", "date": ev.date.isoformat(), "precision": "day",
        "action": ev.action, "actor": ev.actor, "instrument": ev.instrument or None,
        "targets": sorted(ev.targets), "doc_ids": [], "evidence": [], "source": "reference",
        "reference_id": ev.id, "official_date": ev.date.isoformat(), "agreement": True,
        "disagreements": [], "date_end": None,
        "date_basis": "knowledge base reference timeline (events.yaml)", "outlets": [],
        "title": ev.title, "citation": ev.source.text,
    }


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _finish(rows: list[dict[str, Any]]) -> pd.DataFrame:
    for r in rows:
        if r["source"] == "corpus":
            first = r["targets"][0] if r["targets"] else (r["actor"] or "unnamed")
            r["event_id"] = f"{r['date'] or 'undated'}-{_slug(r['action'])}-{_slug(first)}"
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["event_id"],
                             r["evidence"][0]["doc_id"] if r["evidence"] else "",
                             r["evidence"][0]["start"] if r["evidence"] else 0))
    seen: Counter[str] = Counter()
    for r in rows:
        seen[r["event_id"]] += 1
        if seen[r["event_id"]] > 1:
            r["event_id"] = f"{r['event_id']}-{seen[r['event_id']]}"
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["agreement"] = frame["agreement"].astype(bool)
    frame = frame.astype({c: object for c in ("date", "instrument", "reference_id",
                                              "official_date", "date_end", "actor")})
    frame = frame.where(frame.notna(), None)
    return frame.reset_index(drop=True)


def _documents(corpus: Any) -> list[Any]:
    docs = getattr(corpus, "documents", corpus)
    if hasattr(docs, "text") or isinstance(docs, str | bytes) or not isinstance(docs, Iterable):
        raise ParameterError(f"chronology: expected a Corpus (or a list of Documents), got "
                             f"{type(corpus).__name__}; use sanctionlens.load_corpus(path)")
    return list(docs)


# --------------------------------------------------------------------------- helpers
def date_explanations(corpus: Any) -> pd.DataFrame:
    """How each date was worked out: the expression, the article's date, the rule, the value."""
    from ..extract.temporal import time_expressions

    docs = {d.id: d for d in _documents(corpus)}
    tx = time_expressions(list(docs.values()))
    rows = []
    for x in tx.itertuples(index=False):
        d = docs[x.doc_id]
        rows.append({
            "doc_id": x.doc_id, "outlet": d.outlet or "", "sentence_id": x.sentence_id,
            "expression": x.text,
            "article_date": d.published.isoformat() if d.published else None,
            "article_date_basis": d.published_basis or "", "rule": x.basis,
            "value": x.value if isinstance(x.value, str) else None, "precision": x.precision,
            "range_start": x.range_start if isinstance(x.range_start, str) else None,
            "range_end": x.range_end if isinstance(x.range_end, str) else None,
            "future": bool(x.future), "sentence": d.sentences[x.sentence_id].text,
        })
    cols = ["doc_id", "outlet", "sentence_id", "expression", "article_date",
            "article_date_basis", "rule", "value", "precision", "range_start", "range_end",
            "future", "sentence"]
    frame = pd.DataFrame(rows, columns=cols)
    for c in ("article_date", "value", "range_start", "range_end"):  # None stays None
        frame[c] = pd.Series([r[c] for r in rows], dtype=object, index=frame.index)
    return frame


def _parse_date(name: str, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ParameterError(f"parameter {name!r}: {value!r} is not a date; write an ISO date "
                         f"such as \"2021-12-10\" (or \"\" for no limit)")


def validate_params(companies: Any, start: Any, end: Any
                    ) -> tuple[list[str] | None, dt.date | None, dt.date | None]:
    """Check notebook parameters: (company ids or None for "all", start date, end date).

    `companies` is "all" or a list of company names (a single name is accepted too); unknown
    names raise the KB's UnknownNameError with the closest matches; a bad date raises
    ParameterError naming the parameter.
    """
    ids: list[str] | None
    if isinstance(companies, str) and companies.strip().casefold() == "all":
        ids = None
    else:
        names = [companies] if isinstance(companies, str) else companies
        if not isinstance(names, list | tuple) or not names:
            raise ParameterError(f"parameter 'companies': expected \"all\" or a non-empty list "
                                 f"of company names such as [\"Hikvision\"], got {companies!r}")
        kb = _kb()
        ids = []
        for n in names:
            if not isinstance(n, str) or not n.strip():
                raise ParameterError(f"parameter 'companies': {n!r} is not a company name; "
                                     f"write names such as \"SenseTime\"")
            cid = kb.resolve_company(n).id
            if cid not in ids:
                ids.append(cid)
    s, e = _parse_date("start", start), _parse_date("end", end)
    if s and e and s > e:
        raise ParameterError(f"parameters 'start' ({s}) and 'end' ({e}): start is after end; "
                             "swap them")
    return ids, s, e


def filter_events(events: pd.DataFrame, companies: list[str] | None = None,
                  start: dt.date | None = None, end: dt.date | None = None,
                  keep_undated: bool = True) -> pd.DataFrame:
    """Events naming any of `companies` whose date interval overlaps [start, end].

    Undated events cannot be placed in the window; they are kept unless `keep_undated` is False.
    """
    lo = start or dt.date.min
    hi = end or dt.date.max
    keep = []
    for r in events.itertuples(index=False):
        if companies is not None and not set(r.targets) & set(companies):
            keep.append(False)
            continue
        iv = _interval(r.date, r.precision, r.date_end)
        keep.append(keep_undated if iv is None else _overlap(iv, (lo, hi)))
    return events[keep].reset_index(drop=True)


# --------------------------------------------------------------------------- reader tables
def _short(text: str, limit: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kb_names(ids: Iterable[str]) -> str:
    return ", ".join(_names(_kb(), ids))


def events_table(events: pd.DataFrame, evidence_chars: int = 140) -> pd.DataFrame:
    """A table for readers: names instead of ids, sources listed, evidence shortened."""
    kb = _kb()
    rows = []
    for r in events.itertuples(index=False):
        sources = [f"{o or 'outlet not stated'} ({d})" for d, o in
                   zip(r.doc_ids, r.outlets or [""] * len(r.doc_ids), strict=False)]
        first = r.evidence[0]["text"] if r.evidence else ""
        rows.append({
            "date": r.date if r.date else "unknown", "precision": r.precision,
            "action": r.action.replace("_", " "), "companies": _kb_names(r.targets),
            "instrument": _names(kb, [r.instrument])[0] if r.instrument else "",
            "actor": _names(kb, [r.actor])[0] if r.actor else "",
            "source": r.source,
            "sources": "; ".join(sources) if sources else (r.citation or ""),
            "evidence": _short(first, evidence_chars) if first else r.title,
            "sentences": len(r.evidence), "official_date": r.official_date or "",
            "agreement": "yes" if r.agreement else "NO",
        })
    return pd.DataFrame(rows, columns=["date", "precision", "action", "companies", "instrument",
                                       "actor", "source", "sources", "evidence", "sentences",
                                       "official_date", "agreement"])


def comparison_table(events: pd.DataFrame) -> pd.DataFrame:
    """Reported date in the articles next to the official date of the matched reference event."""
    kb = _kb()
    rows = []
    for r in events.itertuples(index=False):
        if r.source != "corpus" or not r.reference_id:
            continue
        ref = kb.event(r.reference_id)
        iv = _interval(r.date, r.precision, r.date_end)
        if iv is None:
            verdict = "the articles give no date; the official date supplies it"
        elif iv[0] <= ref.date <= iv[1]:
            verdict = ("same day" if r.precision == "day" else
                       f"consistent (the articles are precise to the {r.precision})")
        else:
            days = (iv[0] - ref.date).days
            verdict = f"reported {abs(days)} day(s) {'after' if days > 0 else 'before'}"
        rows.append({
            "action": r.action.replace("_", " "), "companies": _kb_names(r.targets),
            "reported_on": r.date if r.date else "unknown", "precision": r.precision,
            "reported_by": ", ".join(r.doc_ids), "official_date": ref.date.isoformat(),
            "official_action": ref.title, "official_source": ref.source.text,
            "comparison": verdict,
        })
    return pd.DataFrame(rows, columns=["action", "companies", "reported_on", "precision",
                                       "reported_by", "official_date", "official_action",
                                       "official_source", "comparison"])


def disagreement_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per conflicting source statement of events whose sources disagree."""
    rows = []
    for r in events.itertuples(index=False):
        if r.agreement:
            continue
        for d in r.disagreements:
            doc_id = d.split(" ", 1)[0]
            sents = [e["text"] for e in r.evidence if e["doc_id"] == doc_id]
            said = re.search(r"“([^”]+)”", d)
            if said and any(said.group(1) in s for s in sents):
                sents = [s for s in sents if said.group(1) in s]
            rows.append({"event": r.event_id, "action": r.action.replace("_", " "),
                         "companies": _kb_names(r.targets), "doc_id": doc_id,
                         "says": d.split(" ", 1)[1] if " " in d else d,
                         "evidence": " … ".join(_short(s, 160) for s in sents)})
    return pd.DataFrame(rows, columns=["event", "action", "companies", "doc_id", "says",
                                       "evidence"])
