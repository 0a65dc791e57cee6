"""Event mentions: one trigger in one sentence, with its family, status, targets and actor.

Steps per sentence: find the triggers (:mod:`.triggers`), drop the conditional, negated and
reporting-only ones (:func:`_keep_triggers`), then for each trigger read its clause: the
companies it names (or the company a definite description points back to), the list it speaks
of (:func:`_instrument_for`), the actor, the status (:mod:`.status`) and the date
(:mod:`.dating`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .families import (
    AGENCY_INSTRUMENT,
    INSTRUMENT_FAMILY,
    agency_instrument,
    family_of,
    instrument_cue,
)
from .status import FUTURE_TRIGGER, status_of
from .triggers import COMPILED, patterns_for

_S = r"[^\S\n]+"
_COMPANY_ACTIONS = {"ipo_postponed", "ipo_scrapped", "ipo_relaunch_planned", "ipo_listed",
                    "ipo_filed", "shares_fell", "shares_rose", "company_statement", "denial"}
_ACTION_KINDS = {"listing", "removed", "considered", "eo_signed", "law_signed", "other_action",
                 "effective"}
_CONDITIONAL = re.compile(
    rf"\b(?:if|whether{_S}to|would|could|may|might|not|never|unless|weighing{_S}whether{_S}to)"
    rf"\b[^,;:]{{0,60}}$", re.I)
_NEGATION = re.compile(rf"\bnot{_S}(?:\w+{_S})?$", re.I)
# A mandate or an attempt names an act that has not happened: "required the secretary to
# identify", "seeking to list" (future cues such as "set to add" are planned acts instead).
_INFINITIVE = re.compile(
    rf"\b(?:requir\w*|order(?:s|ed)?|direct(?:s|ed)?|authori[sz]\w*|seek\w*|sought|tr(?:y|ies|ied|"
    rf"ying)|want\w*|ask\w*|urg\w*|call(?:s|ed)?{_S}(?:on|for))\b(?:{_S}[\w.’'-]+){{0,5}}?"
    rf"{_S}to{_S}$",
    re.I)
_DENIAL = re.compile(r"\b(?:den(?:y|ied|ies)|unfounded|oppose[sd]?|reject(?:s|ed)?|criticis|"
                     r"criticiz|groundless|baseless|mistake)", re.I)
_ANAPHOR = re.compile(r"\b(?:it|its|company|company['’]s|firm|firm['’]s|maker|giant|start-up)\b",
                      re.I)
_COURT = re.compile(r"\b(?:[Jj]udge|[Cc]ourt|injunction|lawsuit)\b")
# "the drone firm", "the Chinese semiconductor company": a definite description of a company.
_DESCRIPTION = re.compile(
    rf"\b[Tt]he{_S}(?:[\w-]+{_S}){{0,3}}?(?:company|firm|maker|chipmaker|manufacturer|giant|"
    rf"start-?up)\b|^\W*[Tt]he{_S}(?:stock|shares)\b")  # "The stock soared": the last named
_NOT_TARGET_BEFORE = re.compile(
    rf"\b(?:rivals?|competitors?|peers?)(?:{_S}of)?{_S}$|\b(?:unlike|like|than|similar{_S}to|"
    rf"contrasts{_S}with)[^,;:]{{0,40}}$", re.I)
_PARTNER_BEFORE = re.compile(
    rf"\b(?:working{_S}with|work{_S}with|hired|appointed|advised{_S}by|sponsored{_S}by|"
    rf"underwritten{_S}by|with{_S}the{_S}help{_S}of|tutored{_S}by|banks?{_S}such{_S}as)"
    rf"{_S}(?:the{_S})?$", re.I)
_COMPARISON = re.compile(r"\b(?:similar to|unlike|contrasts with|like)\b|--|—", re.I)
# What a share move is told with as its reason: the companies after it are not the movers.
_CAUSE = re.compile(rf"\b(?:after|following|as|amid|since|because|when|while|on{_S}(?:news|"
                    rf"reports?|fears|worries))\b", re.I)
_LISTING_TALK = re.compile(r"\b(?:IPO|initial public offering|listed|listing|debut(?:ed)?|"
                           r"flotation|went public|go(?:es|ing)? public)\b", re.I)
_LIST_WORD = re.compile(r"\b(?:black)?lists?\b", re.I)
_PARTY_WORD = re.compile(r"\b(?:compan(?:y|ies)|entit(?:y|ies)|firms?|parties|persons|"
                         r"individuals|organi[sz]ations|businesses|subsidiar(?:y|ies)|"
                         r"corporations?|makers?|manufacturers?|producers?|suppliers?)\b", re.I)
# "imposed sanctions on A", a headline's "U.S. Sanctions COSCO Companies" (not "sanctioned
# firms", which describes, nor "sanctions eight firms" said of any list)
_SANCTION_WORD = re.compile(r"^(?:impos|announc)\w*\s+(?:\w+\s+)?sanctions\b|^Sanctions\b")
_CLAUSE_SPLIT = re.compile(r"[;:]|\s--\s|\s—\s|\bcontrasts with\b")
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+$", re.I)
_HABITUAL = re.compile(rf"\bin{_S}the{_S}past\b|\bfor{_S}years\b", re.I)
_KEEPER_AFTER = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}?(?:black)?list\b", re.I)
# A participle right after a plural noun of parties is a reduced relative clause ("entities
# designated on the list"): it describes the parties, it reports no act.
_REDUCED_RELATIVE = re.compile(
    rf"\b(?:entities|companies|firms|parties|organi[sz]ations|individuals|persons|businesses)"
    rf"{_S}$", re.I)
_PARTICIPLE = re.compile(r"(?:designated|identified|listed|named|included)"
                         r"[^\S\n]+(?:in|on)[^\S\n]", re.I)
# A nominal or gerund listing as the subject of a present-tense generic verb.
_GENERIC_SUBJECT = re.compile(r"(?:being|placement|inclusion|addition|listing)\b", re.I)
_BEING = re.compile(rf"(?:^|[.;:]{_S}|\n)[Bb]eing{_S}$")
_GENERIC_PREDICATE = re.compile(
    rf"[^,;:.]{{0,80}}?\b(?:bars|restricts|prohibits|prevents|means|requires|carries|"
    rf"subjects|does{_S}not|doesn['’]t|can|could|would|may)\b", re.I)
_LIST_ANAPHOR = re.compile(r"\b(?:the|its|this|that)\s+(?:[\w-]+\s+)?(?:list|blacklist)\b", re.I)


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
    family: str = "other"
    status: str = "done"
    soft: bool = False  # dated by the publication day only (news of the day)
    links: list[int] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        return self.value is not None

    @property
    def key(self) -> str:
        """What may merge: listings of any list (the instrument is checked apart: a mention
        that names none may join one that does), considerations and denials among their own
        kind, everything else within its family."""
        if self.family in ("statement", "response"):
            return self.family
        if self.status in ("considered", "denied"):
            return self.status
        if self.action in ("added_to_list", "designated"):
            return self.action
        if self.action == "eo_signed" and self.family == "ns_cmic":
            return "designated"  # an order banning investment: the NS-CMIC list's own act
        return self.family

    def interval(self) -> tuple[dt.date, dt.date] | None:
        return interval(self.value, self.precision, self.range_end)

    def evidence(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "sentence_id": self.sentence_id, "start": self.start,
                "end": self.end, "text": self.text}


def interval(value: str | None, precision: str, range_end: str | None = None
             ) -> tuple[dt.date, dt.date] | None:
    """First and last day of a value at its precision (None when undated)."""
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


def overlap(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def focus_company(doc: Any, tags: list[Any]) -> str | None:
    """The company a document is about: named in its title, or clearly the most mentioned."""
    companies = [t for t in tags if t.label == "COMPANY" and t.entity_id]
    in_title = {t.entity_id for t in companies if _is_title(doc, t.sentence_id)}
    if len(in_title) == 1:
        return next(iter(in_title))
    counts = Counter(t.entity_id for t in companies).most_common()
    if counts and counts[0][1] >= 2 and (len(counts) == 1 or counts[0][1] > 2 * counts[1][1]):
        return counts[0][0]
    return None


def clause(text: str, pos: int) -> tuple[int, int]:
    """Bounds (in sentence coordinates) of the clause around position `pos`."""
    lo, hi = 0, len(text)
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.group() in ";:" and _in_brackets(text, m.start()):
            continue  # "A (also known as B; C)": a list inside an aside
        if m.end() <= pos:
            lo = m.end()
        elif m.start() >= pos:
            hi = m.start()
            break
    return lo, hi


def _in_brackets(text: str, pos: int) -> bool:
    """Is ``pos`` inside round brackets opened earlier in ``text``?"""
    before = text[:pos]
    return before.count("(") > before.count(")")


def raw_triggers(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of trigger matches in a sentence, overlaps of one kind removed."""
    found: list[tuple[str, int, int]] = []
    for i in patterns_for(text.lower()):  # only the patterns the sentence's words can start
        kind, rx = COMPILED[i]
        for m in rx.finditer(text):
            if any(k == kind and s < m.end() and m.start() < e for k, s, e in found):
                continue
            found.append((kind, m.start(), m.end()))
    return sorted(found, key=lambda f: (f[1], f[0]))


@dataclass
class DocState:
    """What the sentences of one document share: focus company, last list, last company."""

    focus: str | None
    kb: Any
    instrument: str | None = None  # the list the document spoke of last
    instrument_sentence: int = -10
    companies: list[tuple[int, str]] = field(default_factory=list)  # (sentence, company id)
    sid: int = 0  # the sentence being read


def sentence_mentions(doc: Any, sent: Any, stags: list[Any], state: DocState) -> list[Mention]:
    """The mentions of one sentence (undated: :mod:`.dating` dates them)."""
    text = sent.text
    state.sid = sent.id
    rel = [(t, t.start - sent.start, t.end - sent.start) for t in stags]
    kept = _keep_triggers(text, raw_triggers(text), rel, state)
    out: list[Mention] = []
    moved: set[str] = set()  # companies whose share move this sentence already reports
    for n, (kind, s, e) in enumerate(kept):
        lo, hi = clause(text, s)
        if kind in _COMPANY_ACTIONS:  # "A raised $40m on Jan 24 and B raised $16m on Feb 3"
            lo, hi = _own_part(kept, n, lo, hi)
        targets = _targets(kind, text, rel, s, e, lo, hi, state, sent.id)
        actor = _actor(kind, rel, lo, hi, targets, state.kb)
        instrument = _instrument_for(kind, text, rel, s, lo, hi, actor, state, sent.id)
        action = _action_name(kind, instrument)
        if kind in _COMPANY_ACTIONS:
            instrument = None
        elif instrument is not None and kind in ("listing", "considered", "effective"):
            auth = _authority(state.kb, instrument)
            if auth and actor != auth and agency_instrument(actor, text) != instrument:
                actor = auth  # the agency that keeps the list, not a bystander
        for group in _split_targets(kind, targets):
            if kind in ("shares_fell", "shares_rose") and group:
                if group[0] in moved:
                    continue
                moved.add(group[0])
            out.append(Mention(
                doc_id=doc.id, sentence_id=sent.id, start=sent.start, end=sent.end, text=text,
                action=action, trigger=(sent.start + s, sent.start + e), actor=actor,
                instrument=instrument, targets=group, outlet=doc.outlet or "",
                published=doc.published.isoformat() if doc.published else "",
                family=_order_family(kind, text[lo:hi], state) or family_of(action, instrument),
                status=status_of(kind, text, s, e)))
    return out


def _own_part(kept: list[tuple[str, int, int]], n: int, lo: int, hi: int) -> tuple[int, int]:
    """The part of a clause that belongs to trigger `n` when the clause holds several triggers
    of its kind: from the end of the one before to its own end (its subject comes first)."""
    kind, s, e = kept[n]
    same = [(ks, ke) for k, ks, ke in kept if k == kind and lo <= ks < hi and ks != s]
    before = [ke for ks, ke in same if ke <= s]
    after = [ks for ks, _ in same if ks >= e]
    return (max(before) if before else lo), (e if after else hi)


def _order_family(kind: str, piece: str, state: DocState) -> str | None:
    """An executive order that bans investment in named firms is an NS-CMIC listing; so is
    "the original order" when the order the document spoke of last was one."""
    if kind != "eo_signed":
        return None
    cue = instrument_cue(piece)
    if cue is None and _EARLIER_ORDER.search(piece):
        cue = state.instrument
    return "ns_cmic" if cue == "ns_cmic_list" else None


def _split_targets(kind: str, targets: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A share move is one event per company: "Tencent's shares fell while CATL's sank"."""
    if kind in ("shares_fell", "shares_rose") and len(targets) > 1:
        return [(t,) for t in targets]
    return [targets]


def _action_name(kind: str, instrument: str | None) -> str:
    if kind == "listing":
        return "added_to_list" if instrument == "entity_list" else "designated"
    if kind == "effective":
        return "added_to_list" if instrument == "entity_list" else "designated"
    return kind


def _keep_triggers(text: str, raw: list[tuple[str, int, int]], rel: list[tuple[Any, int, int]],
                   state: DocState) -> list[tuple[str, int, int]]:
    """The triggers that report an event: not conditional, negated, or a mere report."""
    kinds = {k for k, _, _ in raw}
    triggers: list[tuple[str, int, int]] = []
    for kind, s, e in raw:
        kind = _reported_kind(kind, s, e, text, raw, kinds, rel, state)
        if kind is not None:
            triggers.append((kind, s, e))
    seen_stmt = False
    kept: list[tuple[str, int, int]] = []
    for kind, s, e in triggers:
        if kind in ("company_statement", "denial"):
            if seen_stmt:
                continue
            seen_stmt = True
        if kind == "government_response" and any(k == kind for k, _, _ in kept):
            continue
        if kind in _ACTION_KINDS and any(k == kind and ks <= s < ke for k, ks, ke in kept):
            continue
        kept.append((kind, s, e))
    return kept


def _reported_kind(kind: str, s: int, e: int, text: str, raw: list[tuple[str, int, int]],
                   kinds: set[str], rel: list[tuple[Any, int, int]], state: DocState
                   ) -> str | None:
    """The kind a trigger reports, or None when it reports nothing (see _keep_triggers)."""
    before = text[max(0, s - 80):s]
    if kind in _ACTION_KINDS and kind != "effective" and (
            _NEGATION.search(before) or _INFINITIVE.search(before[-60:])
            or (kind in ("listing", "removed") and _CONDITIONAL.search(before))):
        return None
    if kind in ("listing", "removed") and (_REDUCED_RELATIVE.search(before)
                                           and _PARTICIPLE.match(text, s)):
        return None  # "goods produced by entities identified in the list": a description
    if kind == "listing" and (_GENERIC_SUBJECT.match(text, s) or _BEING.search(before)) and \
            _GENERIC_PREDICATE.match(text, e):
        return None  # "Placement on the Entity List restricts ...": what a listing does
    if kind in _ACTION_KINDS and _HABITUAL.search(text):
        return None  # "listed firms have sued over their inclusion in the past"
    if kind in ("listing", "removed") and any(k == "considered" and ks <= s
                                              for k, ks, ke in raw):
        return None  # "weighing whether to add ... to its list" is a consideration
    if kind == "effective" and not kinds & {"listing", "removed"} and state.instrument is None:
        return None
    if kind in ("listing", "removed", "other_action") and any(
            t.label == "AGENCY" and (t.entity_id or "").startswith("china") and b <= s
            and s - b <= 25 and not re.search(r"[,;]|\bwith\b", text[b:s]) for t, a, b in rel):
        return None  # "China's Ministry of Commerce placed 28 American firms on ...": not US
    if kind == "listing" and "eo_signed" in kinds and any(
            k == "eo_signed" and ke <= s for k, ks, ke in raw):
        return None  # "signed an order banning investment in ...": the order is the act
    if kind == "listing" and FUTURE_TRIGGER.match(text[s:e]) and not _LIST_WORD.search(text) and (
            state.instrument is None or state.sid - state.instrument_sentence > 2):
        return None  # "added" with no list here or just before: added to something else
    if kind == "listing" and text[s:e].lower().startswith("identif") and not (
            _PARTY_WORD.search(text, e, e + 80)
            or any(t.label == "COMPANY" and e <= a <= e + 80 for t, a, _ in rel)):
        return None  # "has identified new high priority sectors": no parties identified
    if kind in ("shares_fell", "shares_rose") and re.search(r",\s+and\b|;", text[s:e]):
        return None  # "a drop in stock price, and lost business": the verb is not the stock's
    if kind == "ipo_listed" and text[s:e].startswith("raised") and not _LISTING_TALK.search(text):
        return None  # "raised $5 billion in a bond sale" is no listing
    if kind in ("statement", "company_said"):
        return _statement_kind(kind, s, e, text, kinds, rel, state)
    if kind == "government_response" and not _china_actor(rel, state.kb):
        return None
    return kind


def _statement_kind(kind: str, s: int, e: int, text: str, kinds: set[str],
                    rel: list[tuple[Any, int, int]], state: DocState) -> str | None:
    if kinds & {"ipo_postponed", "ipo_relaunch_planned", "ipo_scrapped", "ipo_filed"}:
        return None  # the statement is how the IPO news was announced
    if kind == "company_said" and (not _company_subject(text, s, rel)
                                   or _PASSIVE_BEFORE.search(text[max(0, s - 20):s])
                                   or re.match(r"\s+to\b", text[e:e + 4])):
        return None  # "Hikvision was added to ...": a listing, not a statement
    if kind == "statement" and ("government_response" in kinds
                                or not _company_speaker(text, s, rel, state.focus)):
        return None
    if kind == "statement" and re.match(r"(?i)it\b|the\s", text[s:e]) and any(
            t.label == "COMPANY" and a >= e for t, a, _ in rel):
        return None  # "It says SenseTime has ...": the company is spoken about
    return "denial" if _DENIAL.search(text) else "company_statement"


def _instrument_for(kind: str, text: str, rel: list[tuple[Any, int, int]], s: int, lo: int,
                    hi: int, actor: str | None, state: DocState, sid: int) -> str | None:
    """The list a listing speaks of: named (tag), described ("the Pentagon's list of Chinese
    military companies"), kept by the acting agency, or the list the document spoke of just
    before ("the list", "its blacklist")."""
    if kind not in ("listing", "removed", "considered", "effective"):
        return None
    piece = text[lo:hi]
    cue = instrument_cue(piece)
    tagged = _tagged_instrument(text, rel, s, lo, hi)
    keeper = _keeper(text, rel, lo, hi)
    if keeper is not None and tagged is None:
        actor = keeper  # "added to OFAC's list of ...": the list of the agency named
        cue = None if cue != "ns_cmic_list" else cue
    if cue == "dod_1260h" and actor in ("ofac", "us_treasury"):
        cue = "ns_cmic_list"  # Treasury's "Chinese military companies" list: NS-CMIC
    if cue in ("unverified_list", "ns_cmic_list") or (cue and tagged in (None, "uflpa")):
        return cue
    if tagged is not None and not (tagged == "uflpa" and kind != "considered"):
        return tagged
    if kind == "effective" and tagged is None and cue is None:
        return state.instrument  # "The rule is effective ...": the list the story is about
    recent = state.instrument if sid - state.instrument_sentence <= 6 else None
    if recent is not None and _LIST_ANAPHOR.search(piece) and not tagged:
        return recent
    by_agency = agency_instrument(actor, text[s:min(hi, s + 80)])
    if by_agency is not None:
        return by_agency
    if tagged is None and kind == "listing" and _SANCTION_WORD.search(text[s:min(hi, s + 40)]):
        return "sdn_list"  # "imposed sanctions on A", "U.S. Sanctions COSCO Companies": blocking
    return tagged or (recent if sid - state.instrument_sentence <= 1 else None)


def _keeper(text: str, rel: list[tuple[Any, int, int]], lo: int, hi: int) -> str | None:
    """The agency a clause names as a list's keeper: "OFAC's list", "the Pentagon's blacklist"."""
    for t, a, b in rel:
        if t.label == "AGENCY" and t.entity_id and lo <= a and b <= hi and \
                _KEEPER_AFTER.match(text, b):
            return t.entity_id
    return None


def _tagged_instrument(text: str, rel: list[tuple[Any, int, int]], s: int, lo: int, hi: int
                       ) -> str | None:
    cands = []
    for t, a, b in rel:
        if t.label != "INSTRUMENT" or not (lo <= a and b <= hi) or not t.entity_id:
            continue
        eid = t.entity_id
        if eid == "sdn_list" and re.search(r"Non-?\s*$", text[max(0, a - 5):a]):
            eid = "ns_cmic_list"  # "Non-SDN CMIC List"
        cands.append((abs(a - s), eid))
    return min(cands)[1] if cands else None


def remember(state: DocState, sent: Any, stags: list[Any], mentions: list[Mention]) -> None:
    """Carry the document's last list and last companies to the next sentences: the list
    an act of the sentence was on, else the last list it names."""
    text = sent.text
    for t in stags:
        if t.label == "INSTRUMENT" and t.entity_id:
            state.instrument, state.instrument_sentence = t.entity_id, sent.id
        elif t.label == "COMPANY" and t.entity_id:
            state.companies.append((sent.id, t.entity_id))
    cue = instrument_cue(text)
    if cue:
        state.instrument, state.instrument_sentence = cue, sent.id
    for m in mentions:  # "to the Uyghur Forced Labor Prevention Act (UFLPA) Entity List"
        if m.instrument:
            state.instrument, state.instrument_sentence = m.instrument, sent.id
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



def _targets(kind: str, text: str, rel: list[tuple[Any, int, int]], s: int, e: int, lo: int,
             hi: int, state: DocState, sid: int) -> tuple[str, ...]:
    """Companies of the clause (not those only compared with, nor those of the reason given
    after a share move); else the company a definite description or pronoun points back to."""
    out: list[str] = []
    if kind in _COMPANY_ACTIONS and re.search(r"\bof$", text[s:e]):  # "the listing of X"
        return tuple(t.entity_id for t, a, _ in rel
                     if t.label == "COMPANY" and t.entity_id and e <= a <= e + 5)[:1]
    for t, a, b in rel:
        if t.label != "COMPANY" or not (lo <= a and b <= hi) or not t.entity_id:
            continue
        if _NOT_TARGET_BEFORE.search(text[max(lo, a - 50):a]):
            continue
        if kind in _COMPANY_ACTIONS and _PARTNER_BEFORE.search(text[max(lo, a - 40):a]):
            continue  # "working with CITIC Securities to prepare for its listing": the adviser
        between = text[e:a] if a >= e else text[b:s]
        if a >= e and _COMPARISON.search(between):
            continue
        if a >= e and kind in ("shares_fell", "shares_rose") and _CAUSE.search(between):
            continue  # "Shares ... plunged following reports ... the blacklisting of Huawei"
        if t.entity_id not in out:
            out.append(t.entity_id)
    if out:
        return tuple(sorted(out))
    piece = text[lo:hi]
    if _DESCRIPTION.search(piece):
        recent = [c for k, c in state.companies if sid - k <= 2]
        if recent:
            return (recent[-1],)
    if state.focus and (_ANAPHOR.search(piece) or (kind == "other_action"
                                                   and _COURT.search(piece))):
        return (state.focus,)  # "a judge issued an injunction": in the story's company's case
    return ()


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


# --------------------------------------------------------------------------- list follow-ups
# A sentence that goes on to name the parties of an act just reported: "The companies are:",
# "These included A and B", "The update includes ..., including A; B", "Among the nine
# companies were ...", "The newly added entities include ...", "Another company on the
# updated blacklist is ...".
_LIST_FOLLOW = re.compile(
    rf"\b(?:includ(?:e|es|ed|ing)|among|such{_S}as|namely)\b|"
    rf"\b(?:companies|entities|firms|parties|organi[sz]ations){_S}(?:are|were|named|listed|"
    rf"added|include)\b|\bremain(?:s|ed)?{_S}on\b|[:]\s*$|"
    rf"\b(?:companies|entities|firms|parties){_S}[^;:\n]{{0,60}}?\b(?:are|were|include):|"
    rf"\bon{_S}the{_S}(?:\w+{_S})?(?:black)?list{_S}(?:is|are|was|were)\b|"
    rf"^\W*(?:they|these|those){_S}(?:are|were|include|included)\b", re.I)
# A relative clause or an aside after a listed name speaks of others ("Sophgo, whose chip --
# made by TSMC -- ..."): names after it are not parties.
_ASIDE = re.compile(r"\b(?:whose|which|who)\b|—|--")
_LISTING_ACTIONS = ("added_to_list", "designated")
# An order referred back to: "The original order, signed by ...", "the earlier order".
_EARLIER_ORDER = re.compile(rf"\b(?:the|that|an?){_S}(?:original|earlier|previous|first|initial|"
                            rf"prior){_S}(?:executive{_S})?order\b", re.I)
# An act that counts parties it does not name: "and a dozen other firms", "37 entities",
# "several Chinese companies", "the names of additional companies".
_UNNAMED_PARTIES = re.compile(
    rf"\b(?:(?:\d+|a{_S}dozen|dozens{_S}of|several|a{_S}number{_S}of|two|three|four|five|six|"
    rf"seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty(?:-\w+)?){_S}(?:more{_S}|other{_S}|"
    rf"additional{_S}|new{_S})?|(?:additional|further){_S})(?:[\w“”\"'-]+{_S}){{0,3}}?"
    rf"(?:companies|entities|firms|parties|organi[sz]ations|businesses|corporations|"
    rf"subsidiaries|affiliates|makers|manufacturers|producers|suppliers|vendors)\b", re.I)
FOLLOW_SENTENCES = 6


def _bare_names(sent: Any, stags: list[Any]) -> bool:
    """A line that is nothing but company names (a bulleted list item)."""
    text = sent.text
    for t in sorted(stags, key=lambda t: -t.start):
        if t.label == "COMPANY":
            a, b = t.start - sent.start, t.end - sent.start
            text = text[:a] + text[b:]
    text = re.sub(r"\([^()]*\)", "", text)  # "(also known as ...)"
    rest = re.sub(r"(?i)\b(?:and|or)\b|[\W\d_]+", "", text)
    return len(rest) <= 3 and any(t.label == "COMPANY" for t in stags)


def attach_listed(doc: Any, ms: list[Mention], tags_by_sentence: dict[int, list[Any]]) -> None:
    """A dated listing takes the parties that the next sentences list.

    News and releases report an act first and its parties after it ("DHS added five
    companies ... The companies are: A; B; ..."; "A and B are among the other companies added
    to the list"). Sentences up to ``FOLLOW_SENTENCES`` on that name companies in a list
    context (``_LIST_FOLLOW``) or are bare list items give their companies, until a sentence
    that reports another act; an undated mention of the same kind among them continues the
    act (its date and parties). An act that counts parties it does not name ("and a dozen
    other firms") is *open*: an earlier act recalled in between ("The initial list, which
    included A, was released in 2021") does not stop it, and the list that follows is the
    open act's, not the recalled one's.
    """
    acts: dict[int, list[Mention]] = {}
    for m in ms:
        if m.family not in ("statement", "response"):
            acts.setdefault(m.sentence_id, []).append(m)
    listing = [m for m in ms if _takes_list(m)]
    opened = {id(m) for m in listing if _UNNAMED_PARTIES.search(m.text)}
    claimed: set[int] = set()
    for m in sorted(listing, key=lambda m: id(m) not in opened):
        taken = _follow_sentences(doc, m, acts, tags_by_sentence, id(m) in opened, claimed)
        if id(m) in opened:
            claimed.update(taken)
        found, cont = list(m.targets), []
        for sid in taken:
            cont += acts.get(sid, [])
            listed = _listed_companies(doc.sentences[sid], tags_by_sentence.get(sid, []))
            listed += [t for o in acts.get(sid, []) for t in o.targets]  # found there already
            found += [c for c in dict.fromkeys(listed) if c not in found]
        if found:
            m.targets = tuple(sorted(set(found)))
        for o in cont:
            o.targets = m.targets
            o.value, o.precision, o.range_end, o.soft = m.value, m.precision, m.range_end, m.soft
            o.expression = m.expression
            o.basis = f"continues the act reported in sentence {m.sentence_id}"


def _takes_list(m: Mention) -> bool:
    """An act that names parties (a listing, or an order naming firms), dated or counting
    parties it has not named yet ("The Pentagon added DJI and 12 other entities")."""
    lists = m.action in _LISTING_ACTIONS or m.family == "ns_cmic"
    state = _STATE.match(m.text, m.trigger[0] - m.start)  # "has been on the list since 2019"
    return lists and not state and (m.dated or bool(_UNNAMED_PARTIES.search(m.text))) and \
        m.status not in ("considered", "denied", "removed", "planned")


def _follow_sentences(doc: Any, m: Mention, acts: dict[int, list[Mention]],
                      tags_by_sentence: dict[int, list[Any]], is_open: bool,
                      claimed: set[int]) -> list[int]:
    """The sentence ids after `m` that go on to name its parties."""
    taken: list[int] = []
    counted = 0
    for sid in range(m.sentence_id + 1, len(doc.sentences)):
        if _ITEM_NUMBER.match(doc.sentences[sid].text):
            continue  # "2." before a list item: not a sentence of its own
        counted += 1
        if counted > FOLLOW_SENTENCES:
            break
        if sid in claimed:
            break  # an open act before this one owns the list
        others = [o for o in acts.get(sid, []) if o.key != m.key or o.dated
                  or (o.instrument and m.instrument and o.instrument != m.instrument)
                  or told_apart(m, o) or _CUMULATIVE.search(o.text)]
        if others:
            if all((is_open and _recalled(o, m)) or _next_step(o, m) for o in others):
                continue  # an earlier act recalled in passing, or this act's next step
            break  # another act: its parties are its own
        sent = doc.sentences[sid]
        if _CUMULATIVE.search(sent.text):
            break  # "... has added 35 companies so far, including A": the list's tally
        if _LIST_FOLLOW.search(sent.text) or _bare_names(sent, tags_by_sentence.get(sid, [])):
            taken.append(sid)
    return taken


def told_apart(earlier: Mention, later: Mention) -> bool:
    """The text sets two acts apart: "The Pentagon previously blacklisted an initial tranche
    ..." and "... in its latest blacklisting" are not one act."""
    return bool(_EARLIER_ACT.search(earlier.text) and _LATER_ACT.search(later.text)
                and earlier.sentence_id != later.sentence_id)


def _next_step(o: Mention, m: Mention) -> bool:
    """`o` tells what comes of `m` ("... will be listed on the Entity List", "The rule takes
    effect on ...") rather than another act."""
    return o.family == m.family and o.status in ("planned", "effective") and m.dated and \
        m.status not in ("planned", "effective")


def _recalled(o: Mention, m: Mention) -> bool:
    """`o` is an earlier act on the same list told in passing (background to `m`)."""
    a, b = o.interval(), m.interval()
    return o.family == m.family and a is not None and b is not None and a[1] < b[0]


def _listed_companies(sent: Any, stags: list[Any]) -> list[str]:
    """Companies a follow-up sentence lists, up to an aside about others."""
    aside = _ASIDE.search(sent.text)
    cut = sent.start + aside.start() if aside else sent.end
    return [t.entity_id for t in stags if t.label == "COMPANY" and t.entity_id and t.start < cut]


# "The Pentagon previously blacklisted an initial tranche ..." is not continued by "... in its
# latest blacklisting".
_EARLIER_ACT = re.compile(r"\b(?:previously|initial|earlier|first|original)\b", re.I)
_LATER_ACT = re.compile(r"\b(?:latest|newest|new|additional|recent|most{_S}recent|updated)\b"
                        .replace("{_S}", _S), re.I)
# A tally of a list, not an act: "The Pentagon has added 35 companies so far, including ..."
_CUMULATIVE = re.compile(r"\b(?:so{_S}far|to{_S}date|in{_S}total|altogether|in{_S}all)\b"
                         .replace("{_S}", _S), re.I)
_STATE = re.compile(r"(?:has|have|had)\s+been\s+on\b", re.I)
_ITEM_NUMBER = re.compile(r"^\W*(?:\d{1,3}|[a-z]|[ivx]{1,4})?\W*$", re.I)
_SOME_LIST = re.compile(r"^[^.;:]{0,120}?\bto\s+an?\s+(?:[\w.-]+\s+){0,3}?(?:black)?list\b",
                        re.I)
_BARE_BLACKLIST = re.compile(r"[Bb]lacklist(?:ed|s|ing)?\b(?![^.;:]{0,80}\b(?:list|List)\b)")
CONTEXT_SENTENCES = 2  # sentences after an act that may say which list it was
HEADLINE_CONTEXT_SENTENCES = 6  # the same after a headline: the story's lead


def _is_title(doc: Any, sid: int) -> bool:
    """Is sentence ``sid`` the document's title line?"""
    title = " ".join(str(getattr(doc, "title", "") or "").split()).casefold()
    return bool(title) and " ".join(doc.sentences[sid].text.split()).casefold() == title
# Cues in those sentences ("sanctions" alone is what news calls every list, so not a cue).
_MILITARY_CONTEXT = re.compile(r"\b(?:Chinese|China['’]s|PLA|People['’]s Liberation)\s+"
                               r"(?:\w+\s+)?military\b|\binvest(?:ment|ors?|ing)\b|\bsecurities\b",
                               re.I)
_BLOCKING_CONTEXT = re.compile(r"\bblock(?:ed|ing)\b|\bassets?\b(?!\s+Control)|\bfr[eo]ze|"
                               r"\bSpecially\s+Designated|\bSDN\b(?!-)", re.I)


def list_from_context(doc: Any, ms: list[Mention],
                      tags_by_sentence: dict[int, list[Any]]) -> None:
    """A listing whose sentence does not say which list takes the one the next sentences name.

    An act by Treasury or OFAC: NS-CMIC when they speak of the military or of investment
    ("... sanctioned under an order designed to prevent American securities from financing
    the Chinese military"), SDN when of blocking ("their assets are blocked"). An act with no
    acting agency ("A, B and C were added to a U.S. list of companies deemed a threat"): the
    list of the agency the next sentences name ("The action by the Federal Communications
    Commission ...")."""
    for m in ms:
        if m.instrument is not None or m.action not in _LISTING_ACTIONS:
            continue
        treasury = m.actor in ("ofac", "us_treasury")
        said = m.text[m.trigger[0] - m.start:]
        if not treasury and (m.actor not in (None, "united_states", "washington", "us_government")
                             or not (_SOME_LIST.search(said) or _BARE_BLACKLIST.match(said))):
            continue  # "the list" points back; only "a list of ..." waits for its name
        headline = _is_title(doc, m.sentence_id)  # "US Blacklists A": the story says which
        reach = HEADLINE_CONTEXT_SENTENCES if headline else CONTEXT_SENTENCES
        last = min(len(doc.sentences), m.sentence_id + 1 + reach)
        for sid in range(m.sentence_id + 1, last):
            text = doc.sentences[sid].text
            if treasury:
                inst = ("ns_cmic_list" if _MILITARY_CONTEXT.search(text) else
                        "sdn_list" if _BLOCKING_CONTEXT.search(text) else None)
            else:
                inst = next(
                    (AGENCY_INSTRUMENT[t.entity_id] for t in tags_by_sentence.get(sid, [])
                     if t.label == "AGENCY" and t.entity_id in AGENCY_INSTRUMENT
                     and t.entity_id not in ("ofac", "us_treasury")), None)
                if inst is None and headline:  # the list the story's body names
                    inst = next((t.entity_id for t in tags_by_sentence.get(sid, [])
                                 if t.label == "INSTRUMENT"
                                 and t.entity_id in INSTRUMENT_FAMILY), None)
            if inst is not None:
                m.instrument, m.family = inst, family_of(m.action, inst)
                break
