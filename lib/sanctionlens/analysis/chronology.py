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
from typing import Any

import pandas as pd

from ..errors import ParameterError, UnknownNameError
from .events.dating import (
    date_by_context,
    date_moves_after_debut,
    date_named_moves,
    date_sentence,
)
from .events.families import FAMILIES, LISTING_FAMILIES, STATUS_ORDER, STATUSES
from .events.link import ReferenceIndex, agreement, reference_family
from .events.mentions import (
    DocState,
    Mention,
    attach_listed,
    focus_company,
    interval,
    list_from_context,
    overlap,
    remember,
    sentence_mentions,
)
from .events.merge import CONTINUATION_SENTENCES, DISAGREEMENT_DAYS, merge
from .events.triggers import TRIGGERS

__all__ = [
    "ACTIONS", "COLUMNS", "CONTINUATION_SENTENCES", "DISAGREEMENT_DAYS", "FAMILIES", "STATUSES",
    "TRIGGERS", "Mention", "chronology", "comparison_table", "date_explanations",
    "detect_mentions", "disagreement_table", "events_table", "filter_events", "validate_params",
]

ACTIONS = (
    "added_to_list", "designated", "considered", "eo_signed", "law_signed", "ipo_postponed",
    "ipo_scrapped", "ipo_relaunch_planned", "ipo_listed", "shares_fell", "shares_rose",
    "company_statement", "denial", "government_response", "ipo_filed", "removed",
    "other_action",
)
# family/status: see events.families; date is the reported date, official_date the matched
# reference action's, official_agrees whether they agree; doc_dates: each document's own date.
COLUMNS = [
    "event_id", "date", "precision", "action", "actor", "instrument", "targets", "doc_ids",
    "evidence", "source", "reference_id", "official_date", "agreement", "disagreements",
    "date_end", "date_basis", "outlets", "title", "citation", "family", "status",
    "effective_date", "official_agrees", "doc_dates",
]
_FINER = {"day": 0, "range": 0, "month": 1, "year": 2}
_interval = interval
_overlap = overlap


def _kb() -> Any:
    from ..kb import get_kb

    return get_kb()


def detect_mentions(doc: Any, tags: list[Any] | None = None,
                    timex: list[Any] | None = None) -> list[Mention]:
    """Every event mention of one document, in text order, dated (see events.dating)."""
    from ..extract.tagging import tag_document
    from ..extract.temporal import resolve_document

    tags = tag_document(doc, dates=False) if tags is None else tags
    timex = resolve_document(doc) if timex is None else timex
    state = DocState(focus_company(doc, tags), _kb())
    by_sent: dict[int, list[Any]] = {}
    for t in tags:
        by_sent.setdefault(t.sentence_id, []).append(t)
    tx_by_sent: dict[int, list[Any]] = {}
    for x in timex:
        tx_by_sent.setdefault(x.sentence_id, []).append(x)
    out: list[Mention] = []
    for sent in doc.sentences:
        stags = by_sent.get(sent.id, [])
        found = sentence_mentions(doc, sent, stags, state)
        if found:
            date_sentence(found, tx_by_sent.get(sent.id, []), sent)
        remember(state, sent, stags, found)
        out += found
    date_named_moves(out)
    date_by_context(doc, out, by_sent)
    date_moves_after_debut(out)
    list_from_context(doc, out, by_sent)
    attach_listed(doc, out, by_sent)
    return out


# --------------------------------------------------------------------------- events
def _dating_mentions(ms: list[Mention]) -> list[Mention]:
    """The mentions whose dates date the event: the text's own dates of the act first, then
    effective dates, then publication-day dates (news of the day)."""
    for pick in (lambda m: not m.soft and m.status != "effective", lambda m: not m.soft,
                 lambda m: True):
        found = [m for m in ms if m.dated and pick(m)]
        if found:
            return found
    return []


def _group_date(ms: list[Mention]) -> tuple[str | None, str, str | None, bool, list[str], str]:
    """(date, precision, date_end, agreement, disagreements, basis) of merged mentions."""
    dated = _dating_mentions(ms)
    if not dated:
        unresolved = [m for m in ms if m.unresolved]
        basis = "; ".join(dict.fromkeys(_basis_line(m) for m in unresolved)) or \
            "no time expression in the evidence"
        return None, "unknown", None, True, [], basis
    by_value: dict[tuple[str | None, str, str | None], list[Mention]] = {}
    for m in dated:  # compare distinct dates, not every pair of mentions
        by_value.setdefault((m.value, m.precision, m.range_end), []).append(m)
    values = list(by_value)
    spans = [_interval(*v) for v in values]
    clash: set[int] = set()
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            if not _overlap(spans[i], spans[j]):
                clash.update((i, j))
    conflicts: list[str] = []
    for i in sorted(clash):
        for m in by_value[values[i]]:
            line = f"{m.doc_id} says {m.value} (“{m.expression}”; {m.basis})"
            if line not in conflicts:
                conflicts.append(line)
    finest = min(_FINER.get(m.precision, 3) for m in dated)
    m0 = min((m for m in dated if _FINER.get(m.precision, 3) == finest),
             key=lambda m: (m.value or "", m.doc_id))
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


def chronology(corpus: Any, include_reference: bool = True,
               workers: int | None = None) -> pd.DataFrame:
    """One row per event reported in `corpus` (plus the KB's reference events).

    Columns: ``COLUMNS``. ``date`` is ISO at ``precision`` (year, month, day, range) or None
    ("unknown"); ``evidence`` lists the sentences ({doc_id, sentence_id, start, end, text});
    ``agreement`` is False when sources give incompatible dates, each listed in
    ``disagreements``; ``reference_id`` / ``official_date`` come from the matched reference
    event. Rows are sorted by date (undated last) and event_id. ``workers``: processes that
    detect the mentions (None: automatic, see :mod:`.mention_workers`; 1: this one).
    """
    from .extraction import stored_mentions
    from .mention_workers import corpus_mentions

    docs = sorted(_documents(corpus), key=lambda d: d.id)
    kb = _kb()
    mentions = stored_mentions(corpus, docs)  # from the corpus's store when it is fresh
    if mentions is None:
        mentions = corpus_mentions(docs, workers)
    groups = merge(mentions)
    refs = ReferenceIndex(kb.events)
    final = _join_by_reference(mentions, groups, refs)
    rows = [_event_row([mentions[k] for k in mem], ref, kb) for mem, ref in final]
    if include_reference:
        rows += [_reference_row(ev, kb) for ev in kb.events]
    return _finish(rows)


def _families(ms: list[Mention]) -> tuple[str, ...]:
    """The families a group may be: its own, or any list's when no mention names the list."""
    if ms[0].action in ("added_to_list", "designated") and not any(m.instrument for m in ms):
        return LISTING_FAMILIES
    if any(m.action == "eo_signed" for m in ms):  # an order that lists firms is still an order
        return tuple(dict.fromkeys((_row_family(ms), "executive_order")))
    return (_row_family(ms),)


def _join_by_reference(mentions: list[Mention], groups: list[list[int]], refs: ReferenceIndex
                       ) -> list[tuple[list[int], Any]]:
    """Match each group to the official record; groups matching one reference are one row."""
    matched: dict[int, Any] = {}
    for gi, mem in enumerate(groups):
        ms = [mentions[k] for k in mem]
        if ms[0].status in ("considered", "denied") or ms[0].family in ("statement", "response"):
            continue
        value, precision, end, *_ = _group_date(ms)
        targets = sorted({t for m in ms for t in m.targets})
        ref = refs.match(_families(ms), targets, _interval(value, precision, end))
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
    return final


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
    seen: set[tuple[str, int]] = set()
    for m in ms:
        if (m.doc_id, m.sentence_id) not in seen:
            seen.add((m.doc_id, m.sentence_id))
            evidence.append(m.evidence())
    doc_ids = sorted({m.doc_id for m in ms})
    outlets = [next((m.outlet for m in ms if m.doc_id == d), "") for d in doc_ids]
    names = ", ".join(_names(kb, targets)) or "no company named"
    effective = sorted(m.value for m in ms if m.status == "effective" and m.value)
    # the status of the mentions that date the act ("DHS will add ..., the agency said
    # Aug. 1"), not of the sentences that go on about it ("X will be added for ...")
    speaking = [m for m in _dating_mentions(ms) if m.status != "effective"] or ms
    status = _pick((m.status for m in speaking if m.status != "effective"), STATUS_ORDER) or \
        ms[0].status
    return {
        "event_id": "", "date": value, "precision": precision, "action": action,
        "actor": _actor_pick(ms, kb), "instrument": instruments[0] if instruments else None,
        "targets": targets, "doc_ids": doc_ids, "evidence": evidence, "source": "corpus",
        "reference_id": ref.id if ref is not None else None,
        "official_date": ref.date.isoformat() if ref is not None else None,
        "agreement": bool(agreement), "disagreements": list(dict.fromkeys(disagreements)),
        "date_end": end, "date_basis": basis, "outlets": outlets,
        "title": f"{action.replace('_', ' ')}: {names}",
        "citation": "", "family": _family_with(ms, ref, instruments), "status": status,
        "effective_date": effective[0] if effective else None,
        "official_agrees": agreement_with(value, precision, end, ref),
        "doc_dates": _doc_dates(ms, doc_ids),
    }


def _family_with(ms: list[Mention], ref: Any, instruments: list[str]) -> str:
    """The row's family: the linked reference's when no mention names a list, except that an
    order the text reports as a list of firms (NS-CMIC) stays that list."""
    own = _row_family(ms)
    if ref is None or instruments or (own == "ns_cmic" and
                                      any(m.action == "eo_signed" for m in ms)):
        return own
    return reference_family(ref)


def _row_family(ms: list[Mention]) -> str:
    """The family most mentions give, those that name their list first."""
    return _pick(m.family for m in ms if m.instrument) or _pick(m.family for m in ms) or "other"


def agreement_with(value: str | None, precision: str, end: str | None, ref: Any) -> bool | None:
    """Whether the reported date agrees with the matched official action (None: no match or
    no reported date)."""
    return agreement(_interval(value, precision, end), ref)


def _doc_dates(ms: list[Mention], doc_ids: list[str]) -> dict[str, str | None]:
    """Each document's own date for the event (None where its text gives none)."""
    by_doc: dict[str, list[Mention]] = {d: [] for d in doc_ids}
    for m in ms:
        by_doc[m.doc_id].append(m)
    return {d: _group_date(found)[0] for d, found in by_doc.items()}


def _reference_row(ev: Any, kb: Any) -> dict[str, Any]:
    return {
        "event_id": f"ref:{ev.id}", "date": ev.date.isoformat(), "precision": "day",
        "action": ev.action, "actor": ev.actor, "instrument": ev.instrument or None,
        "targets": sorted(ev.targets), "doc_ids": [], "evidence": [], "source": "reference",
        "reference_id": ev.id, "official_date": ev.date.isoformat(), "agreement": True,
        "disagreements": [], "date_end": None,
        "date_basis": "knowledge base reference timeline (events.yaml)", "outlets": [],
        "title": ev.title, "citation": ev.source.text,
        "family": reference_family(ev), "status": "done",
        "effective_date": ev.effective.isoformat() if ev.effective else None,
        "official_agrees": True, "doc_dates": {},
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
                                              "effective_date", "official_agrees",
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
            "action": r.action.replace("_", " "), "family": r.family, "status": r.status,
            "companies": _kb_names(r.targets),
            "instrument": _names(kb, [r.instrument])[0] if r.instrument else "",
            "actor": _names(kb, [r.actor])[0] if r.actor else "",
            "source": r.source,
            "sources": "; ".join(sources) if sources else (r.citation or ""),
            "evidence": _short(first, evidence_chars) if first else r.title,
            "sentences": len(r.evidence), "official_date": r.official_date or "",
            "agreement": "yes" if r.agreement else "NO",
        })
    return pd.DataFrame(rows, columns=["date", "precision", "action", "family", "status",
                                       "companies", "instrument",
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
            "action": r.action.replace("_", " "), "family": r.family, "status": r.status,
            "companies": _kb_names(r.targets),
            "reported_on": r.date if r.date else "unknown", "precision": r.precision,
            "reported_by": ", ".join(r.doc_ids), "official_date": ref.date.isoformat(),
            "official_action": ref.title, "official_source": ref.source.text,
            "comparison": verdict,
        })
    return pd.DataFrame(rows, columns=["action", "family", "status", "companies", "reported_on",
                                       "precision",
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
