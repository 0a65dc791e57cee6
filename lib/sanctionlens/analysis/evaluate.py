"""Measure companies, time expressions and events against an annotated gold file.

The gold file has the format of ``shared/dev-corpus/gold.json``::

    {"documents": {"NNN": {"file": ..., "published": ..., "companies": [names],
                           "time": [{"text", "value"}],
                           "events": [{"family", "date", "tol", "optional", "companies",
                                       "evidence"}]}}}

Documents are paired with the corpus by file name. Scoring, per document, then summed:

* **companies**: gold names vs the distinct COMPANY entities of :func:`~sanctionlens.tag`
  (rows grouped by ``entity_id``; an empty id groups by normalised text). Names match after
  :func:`name_tokens` (case, punctuation, diacritics and trailing legal forms dropped) when
  equal to a surface text or KB name/alias of the entity, when one token sequence is a prefix
  of the other, or when one is the initials of the other. One-to-one, strongest pairs first.
* **time**: gold ``{text, value}`` vs the distinct ``(text, value)`` pairs of
  :func:`~sanctionlens.time_expressions`. Found: equal text, or one text contains the other.
  Correct: found and the same ISO value (same string, so the same precision). Precision
  counts predicted expressions with a day, month or year value (the gold's formats; vague
  and range expressions are never annotated); a second occurrence of a gold string ("In
  October 2022" beside "October 2022", same value) or a piece of one ("this year" in "in
  January this year") is not a false positive, since the gold lists each string once.
* **events**: gold events vs :func:`~sanctionlens.chronology` rows (reference rows left out;
  a merged row counts for each of its documents). Match: same family (:func:`event_family`),
  date within the gold date's interval widened by ``tol`` days at the gold precision or finer
  (a range of days counts as day precision, so it agrees only when it lies within that window),
  every gold company among the row's targets. An undated row matches only an ``optional`` gold
  event; a missed optional event is not counted. ``dated_unreported`` counts dated rows whose
  date overlaps no gold event of the document, whatever its family.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ParameterError, UnknownNameError

__all__ = [
    "GOLD_FAMILIES", "TASKS", "Evaluation", "evaluate", "event_family", "load_gold", "name_tokens",
    "names_match",
]

TASKS = ("companies", "time", "events")
# Trailing words that do not tell two companies apart ("Tiandy Technologies" ~ "Tiandy").
LEGAL_FORMS = frozenset({
    "co", "corp", "corporation", "company", "companies", "ltd", "limited", "inc",
    "incorporated", "llc", "plc", "ag", "sa", "gmbh", "group", "holding", "holdings",
    "technology", "technologies", "tech", "the",
})
_INITIALS_SKIP = frozenset({"of", "and", "the", "&"})
# A range is as fine as the days it spans: it agrees with a day only when it lies within the
# day widened by `tol` ("over the weekend" for a Sunday ±1), which the interval test decides.
_PRECISION_RANK = {"day": 0, "range": 0, "month": 1, "year": 2}
MISS_COLUMNS = ["doc", "task", "kind", "gold", "predicted", "detail"]
TOTAL_COLUMNS = ["task", "precision", "recall", "f1", "tp", "fp", "fn", "wrong_value",
                 "dated_unreported"]


# --------------------------------------------------------------------------- names
def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a company name: casefolded, no diacritics or punctuation, no possessive."""
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"['’]s\b", "", s)
    return tuple(re.findall(r"[^\W_]+", s))


def _variants(name: str) -> list[tuple[str, ...]]:
    """The name's tokens, then each shorter form with one more trailing legal form dropped;
    a name with a bracketed alias ("China Overseas Shipping (COSCO)") also in each part."""
    out: list[tuple[str, ...]] = []
    inner = re.fullmatch(r"\s*([^()]+?)\s*\(([^()]+)\)\s*", str(name))
    for part in (name, *(inner.groups() if inner else ())):
        toks = name_tokens(part)
        out += [toks] if toks else []
        while len(toks) > 1 and toks[-1] in LEGAL_FORMS:
            toks = toks[:-1]
            out.append(toks)
    return out


def _initials(toks: tuple[str, ...]) -> str:
    return "".join(t[0] for t in toks if t not in _INITIALS_SKIP)


def _pair_strength(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if a == b:
        return 3
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short and long_[: len(short)] == short:
        return 2
    if len(short) >= 3 and long_[-len(short):] == short:  # a parent named in front
        return 2
    if len(short) == 1 and len(short[0]) >= 3 and len(long_) >= 3 \
            and short[0] == _initials(long_):
        return 1
    return 0


def names_match(a: Iterable[str], b: Iterable[str]) -> int:
    """How well two sets of names match: 3 equal, 2 token prefix (or a suffix of three tokens
    or more: "Baowu Group Xinjiang Bayi Iron and Steel" ~ "Xinjiang Bayi Iron and Steel"),
    1 initials, 0 not at all.

    Each name is compared in every form of :func:`_variants` (trailing legal forms dropped
    one by one), so "Yangtze Memory Technologies Co., Ltd." ~ "YMTC" and "Tiandy" ~
    "Tiandy Technologies".
    """
    va = [v for n in a for v in _variants(n)]
    vb = [v for n in b for v in _variants(n)]
    return max((_pair_strength(x, y) for x in va for y in vb), default=0)


def _kb_forms(kb: Any, entity_id: str) -> list[str]:
    """Name, aliases and legal names of a KB entity; the id itself when the KB lacks it."""
    if entity_id.startswith("new:"):  # a provisional id names the company by its slug
        return [entity_id[4:].replace("-", " ")]
    try:
        ent = kb.entity(entity_id)
    except UnknownNameError:
        return [entity_id]
    return [form for form, _ in ent.surface_forms()]


def _greedy(pairs: list[tuple[Any, int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching of (sort key, gold index, predicted index), best key first."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in sorted(pairs, key=lambda p: (p[0], p[1], p[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


# --------------------------------------------------------------------------- gold
def load_gold(gold: str | Path | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Read and check a gold file; returns ``{doc key: annotation}``."""
    where = str(gold) if not isinstance(gold, dict) else "gold"
    if not isinstance(gold, dict):
        path = Path(gold)
        if not path.is_file():
            raise ParameterError(f"{path}: no such gold file; pass a JSON file shaped like "
                                 "shared/dev-corpus/gold.json")
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ParameterError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    docs = gold.get("documents") if isinstance(gold, dict) else None
    if not isinstance(docs, dict):
        raise ParameterError(f"{where}: expected an object with a 'documents' mapping "
                             '({"documents": {"001": {"file": ..., ...}}})')
    problems = []
    for key, ann in docs.items():
        if not isinstance(ann, dict) or not ann.get("file"):
            problems.append(f"document {key!r}: needs a 'file' name")
            continue
        for fld, kind in (("companies", list), ("time", list), ("events", list)):
            if not isinstance(ann.get(fld, []), kind):
                problems.append(f"document {key!r}: '{fld}' must be a list")
        for i, ev in enumerate(ann.get("events", []) or []):
            if not isinstance(ev, dict) or not ev.get("family"):
                problems.append(f"document {key!r}: event {i} needs a 'family'")
            elif ev.get("date") and _interval(ev["date"]) is None:
                problems.append(f"document {key!r}: event {i} date {ev['date']!r} is not "
                                "YYYY, YYYY-MM or YYYY-MM-DD")
    if problems:
        raise ParameterError(f"{where}: invalid gold annotations:\n  " + "\n  ".join(problems))
    return docs


# --------------------------------------------------------------------------- dates
def _precision_of(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "")


def _interval(value: str | None, precision: str | None = None,
              end: str | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day of an ISO value at its precision; None when not a date."""
    if not value:
        return None
    precision = precision or _precision_of(value)
    try:
        if precision == "year":
            y = int(value[:4])
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if precision == "month":
            first = dt.date(int(value[:4]), int(value[5:7]), 1)
            nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        first = dt.date.fromisoformat(value[:10])
        last = dt.date.fromisoformat(end[:10]) if end else first
        return first, last
    except ValueError:
        return None


def _date_distance(gold: dict[str, Any], value: str | None, precision: str | None,
                   end: str | None) -> int | None:
    """Days between gold and predicted start when the date agrees, else None.

    Agrees: the prediction is at the gold's precision or finer, and its whole interval lies
    within the gold interval widened by ``tol`` days.
    """
    g = _interval(gold.get("date"))
    p = _interval(value, precision, end)
    if g is None or p is None:
        return None
    if _PRECISION_RANK.get(precision or "", 9) > _PRECISION_RANK[_precision_of(gold["date"])]:
        return None
    tol = dt.timedelta(days=int(gold.get("tol") or 0))
    if p[0] < g[0] - tol or p[1] > g[1] + tol:
        return None
    return abs((p[0] - g[0]).days)


def _dates_overlap(gold: dict[str, Any], value: str, precision: str, end: str | None) -> bool:
    g = _interval(gold.get("date"))
    p = _interval(value, precision, end)
    if g is None or p is None:
        return False
    tol = dt.timedelta(days=int(gold.get("tol") or 0))
    return p[0] <= g[1] + tol and g[0] - tol <= p[1]


# --------------------------------------------------------------------------- families
_LISTING_FAMILY = {
    "entity_list": "entity_list", "dod_1260h": "dod_1260h", "ns_cmic_list": "ns_cmic",
    "eo_13959": "ns_cmic", "eo_14032": "ns_cmic", "sdn_list": "sdn",
    "uflpa_entity_list": "uflpa_entity_list", "uflpa": "uflpa_entity_list",
    "fcc_covered_list": "fcc_covered_list",
}
GOLD_FAMILIES = ("entity_list", "dod_1260h", "ns_cmic", "sdn", "uflpa_entity_list",
                 "fcc_covered_list", "law", "ipo_filed", "ipo_postponed", "ipo_listed", "shares",
                 "other")
_NOT_EVENTS = {"considered", "company_statement", "denial", "government_response", "statement",
               "response"}
# Reported considerations and plans, and denials, are not annotated as events.
_NOT_EVENT_STATUS = {"considered", "planned", "denied"}


def event_family(row: dict[str, Any] | pd.Series) -> str | None:
    """The gold event family of a chronology row; None for what the gold does not annotate.

    Rows whose ``status`` is considered, planned or denied are no events; removals are
    ``other``. A filled ``family`` column wins: gold families are kept, statements and
    responses are no events, any other family (MEU list, executive order) is ``other``.
    Otherwise, from ``action`` and ``instrument``: considerations, statements, denials and
    government responses are no events; laws -> ``law``; IPO postponed/scrapped/suspended/
    withdrawn -> ``ipo_postponed``; filed/approved/relaunched -> ``ipo_filed``; listed ->
    ``ipo_listed``; share moves -> ``shares``; a listing or designation -> its instrument's
    list (MEU list, an unknown or missing instrument -> ``other``); anything else ``other``.
    """
    get = row.get
    status = get("status")
    if status in _NOT_EVENT_STATUS:
        return None
    fam = get("family")
    if isinstance(fam, str) and fam:
        if fam in _NOT_EVENTS:
            return None
        return "other" if status == "removed" or fam not in GOLD_FAMILIES else fam
    if status == "removed":
        return "other"
    action = str(get("action") or "")
    if action in _NOT_EVENTS:
        return None
    if action.startswith("law"):
        return "law"
    if action.startswith("ipo_"):
        if re.search(r"postpon|scrap|suspend|withdr|laps|cancel", action):
            return "ipo_postponed"
        return "ipo_listed" if re.search(r"listed|debut", action) else "ipo_filed"
    if action.startswith(("shares", "limit")):
        return "shares"
    if action in ("added_to_list", "designated", "identified", "listed"):
        return _LISTING_FAMILY.get(str(get("instrument") or ""), "other")
    return "other"


# --------------------------------------------------------------------------- result
@dataclass
class Evaluation:
    """Scores against a gold file: per document, in total, and every miss."""

    documents: pd.DataFrame
    totals: pd.DataFrame
    misses: pd.DataFrame
    unmatched: list[str] = field(default_factory=list)  # docs on one side only, explained

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: totals, documents, misses, unmatched."""
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return json.loads(df.to_json(orient="records"))

        return {"totals": records(self.totals), "documents": records(self.documents),
                "misses": records(self.misses), "unmatched": list(self.unmatched)}

    def to_text(self, misses: bool = True) -> str:
        """The totals, the per-document table and (optionally) the misses, as plain text."""
        with pd.option_context("display.width", 200, "display.max_colwidth", 70,
                               "display.max_rows", 10_000, "display.float_format",
                               "{:.3f}".format):
            parts = ["Totals", self.totals.to_string(index=False), "",
                     "Per document", self.documents.to_string(index=False)]
            if misses:
                parts += ["", f"Misses ({len(self.misses)})"] + (
                    [_miss_line(m) for m in self.misses.to_dict("records")] or ["none"])
        if self.unmatched:
            parts += ["", "Not evaluated"] + [f"  {u}" for u in self.unmatched]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.to_text(misses=False)


def _miss_line(m: dict[str, Any]) -> str:
    what = " | ".join(str(m[k]) for k in ("gold", "predicted") if m[k])
    return f"{m['doc']} {m['task']:<9} {m['kind']:<14} {what}  ({m['detail']})"


# --------------------------------------------------------------------------- companies
@dataclass
class _Entity:
    key: str
    texts: list[str]
    forms: list[str]


def _company_entities(tags: pd.DataFrame, kb: Any) -> dict[str, list[_Entity]]:
    """Distinct COMPANY entities per doc_id: by entity_id, else by normalised text."""
    out: dict[str, list[_Entity]] = {}
    rows = tags[tags["label"] == "COMPANY"]
    for doc_id, grp in rows.groupby("doc_id", sort=False):
        by_key: dict[str, _Entity] = {}
        for text, eid in zip(grp["text"], grp["entity_id"], strict=True):
            key = str(eid) if isinstance(eid, str) and eid else " ".join(name_tokens(text))
            ent = by_key.get(key)
            if ent is None:
                forms = _kb_forms(kb, key) if isinstance(eid, str) and eid else []
                ent = by_key[key] = _Entity(key, [], forms)
            if text not in ent.texts:
                ent.texts.append(text)
        out[str(doc_id)] = list(by_key.values())
    return out


def _score_companies(doc: str, gold: Sequence[str], pred: list[_Entity]
                     ) -> tuple[dict[str, int], list[dict[str, Any]]]:
    pairs = []
    for gi, name in enumerate(gold):
        for pi, ent in enumerate(pred):
            strength = names_match([name], ent.texts + ent.forms)
            if strength:
                pairs.append((-strength, gi, pi))
    matched = _greedy(pairs)
    hit_g = {g for g, _ in matched}
    hit_p = {p for _, p in matched}
    misses = [_miss(doc, "companies", "miss", name, "", "no COMPANY tag matches")
              for gi, name in enumerate(gold) if gi not in hit_g]
    misses += [_miss(doc, "companies", "false_positive", "", " | ".join(ent.texts),
                     f"entity {ent.key}") for pi, ent in enumerate(pred) if pi not in hit_p]
    return {"tp": len(matched), "fp": len(pred) - len(matched),
            "fn": len(gold) - len(matched)}, misses


def _miss(doc: str, task: str, kind: str, gold: str, predicted: str, detail: str
          ) -> dict[str, Any]:
    return {"doc": doc, "task": task, "kind": kind, "gold": gold, "predicted": predicted,
            "detail": detail}


# --------------------------------------------------------------------------- time
def _text_relation(gold: str, pred: str) -> int:
    """0 equal text, 1 one contains the other (case-insensitively), -1 otherwise."""
    if gold == pred:
        return 0
    g, p = gold.casefold(), pred.casefold()
    return 1 if g == p or g in p or p in g else -1


_TimePred = tuple[str, str | None, str]  # text, value, precision


def _score_time(doc: str, gold: Sequence[dict[str, Any]], pred: list[_TimePred]
                ) -> tuple[dict[str, int], list[dict[str, Any]]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, (text, value, _) in enumerate(pred):
            rel = _text_relation(str(g.get("text", "")), text)
            if rel >= 0:
                pairs.append(((value != g.get("value"), rel), gi, pi))
    by_g = dict(_greedy(pairs))
    correct = 0
    wrong: list[int] = []
    misses = []
    for gi, g in enumerate(gold):
        pi = by_g.get(gi)
        label = f"{g.get('text')} = {g.get('value')}"
        if pi is None:
            misses.append(_miss(doc, "time", "miss", label, "",
                                "no time expression with this text"))
        elif pred[pi][1] == g.get("value"):
            correct += 1
        else:
            wrong.append(pi)
            misses.append(_miss(doc, "time", "wrong_value", label,
                                f"{pred[pi][0]} = {pred[pi][1]}", "found, other value"))
    hit_p = set(by_g.values())
    scored = [pi for pi, (_, value, precision) in enumerate(pred)
              if value is not None and precision in _GOLD_TIME_PRECISIONS]
    extra = [pi for pi in scored if pi not in hit_p and not _part_of_gold(pred[pi], gold)]
    misses += [_miss(doc, "time", "false_positive", "", f"{pred[pi][0]} = {pred[pi][1]}",
                     "no gold expression with this text") for pi in extra]
    fp = len(extra) + sum(1 for pi in wrong if pi in scored)
    counts = {"tp": correct, "fp": fp, "fn": len(gold) - correct, "wrong_value": len(wrong)}
    return counts, misses


# The gold annotates day, month and year values only (no ranges, no vague expressions).
_GOLD_TIME_PRECISIONS = {"day", "month", "year"}


def _part_of_gold(p: _TimePred, gold: Sequence[dict[str, Any]]) -> bool:
    """A second occurrence of a gold string ("In October 2022" beside "October 2022", same
    value) or a piece of one ("this year" inside "in January this year"): the gold lists each
    string once, so neither is a false positive."""
    text, value, _ = p
    for g in gold:
        gtext = str(g.get("text", "")).casefold()
        rel = _text_relation(gtext, text.casefold())
        if rel >= 0 and (value == g.get("value") or text.casefold() in gtext):
            return True
    return False


def _time_rows(timex: pd.DataFrame) -> dict[str, list[_TimePred]]:
    """Distinct (text, value, precision) per doc_id, in text order (the gold lists each
    string once)."""
    out: dict[str, list[_TimePred]] = {}
    for doc_id, text, value, precision in zip(timex["doc_id"], timex["text"], timex["value"],
                                              timex["precision"], strict=True):
        item = (str(text), value if isinstance(value, str) and value else None, str(precision))
        rows = out.setdefault(str(doc_id), [])
        if item not in rows:
            rows.append(item)
    return out


# --------------------------------------------------------------------------- events
@dataclass
class _Pred:
    family: str
    date: str | None
    precision: str
    end: str | None
    targets: list[str]
    forms: list[list[str]]  # per target: its names
    evidence: str

    def label(self) -> str:
        when = f"{self.date} ({self.precision})" if self.date else "undated"
        return f"{self.family} {when} [{', '.join(self.targets)}]"


def _event_rows(events: pd.DataFrame, kb: Any, surfaces: dict[str, list[str]] | None = None
                ) -> dict[str, list[_Pred]]:
    """Scorable chronology rows per doc_id (rows with a family; reference rows left out).
    A target's names are its KB forms and the spellings the text uses for it."""
    surfaces = surfaces or {}
    out: dict[str, list[_Pred]] = {}
    for row in events.to_dict("records"):
        if row.get("source") == "reference":
            continue
        fam = event_family(row)
        if fam is None:
            continue
        targets = [str(t) for t in (row.get("targets") or [])]
        ev = row.get("evidence") or []
        first = ev[0].get("text", "") if ev and isinstance(ev[0], dict) else ""
        date = row.get("date") if isinstance(row.get("date"), str) else None
        pred = _Pred(fam, date, str(row.get("precision") or "unknown"),
                     row.get("date_end") if isinstance(row.get("date_end"), str) else None,
                     targets, [_kb_forms(kb, t) + surfaces.get(t, []) for t in targets],
                     str(first))
        for doc_id in row.get("doc_ids") or []:
            out.setdefault(str(doc_id), []).append(pred)
    return out


def _event_key(g: dict[str, Any], p: _Pred) -> tuple[int, int, int] | None:
    """Sort key of a compatible (gold, predicted) pair, smaller is better; None if no match."""
    if g.get("family") != p.family:
        return None
    if p.date is None:
        if not g.get("optional"):
            return None
        dist = 1_000_000
    else:
        found = _date_distance(g, p.date, p.precision, p.end)
        if found is None:
            return None
        dist = found
    for name in g.get("companies") or []:
        if not any(names_match([name], forms) for forms in p.forms):
            return None
    return (p.date is None, dist, len(p.targets) - len(g.get("companies") or []))


def _gold_label(g: dict[str, Any]) -> str:
    opt = ", optional" if g.get("optional") else ""
    tol = f" ±{g.get('tol')}d" if g.get("tol") else ""
    return f"{g.get('family')} {g.get('date')}{tol}{opt} [{', '.join(g.get('companies') or [])}]"


def _score_events(doc: str, gold: Sequence[dict[str, Any]], pred: list[_Pred]
                  ) -> tuple[dict[str, int], list[dict[str, Any]]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            key = _event_key(g, p)
            if key is not None:
                pairs.append((key, gi, pi))
    matched = _greedy(pairs)
    hit_g = {g for g, _ in matched}
    hit_p = {p for _, p in matched}
    misses = []
    for gi, g in enumerate(gold):
        if gi in hit_g or g.get("optional"):
            continue
        same = [p.label() for p in pred if p.family == g.get("family")]
        detail = "same family predicted: " + "; ".join(same) if same else "no row of this family"
        misses.append(_miss(doc, "events", "miss", _gold_label(g), "", detail))
    unreported = 0
    for pi, p in enumerate(pred):
        reported = p.date is None or any(
            _dates_overlap(g, p.date, p.precision, p.end) for g in gold)
        unreported += not reported
        if pi not in hit_p:
            detail = "dated where the article reports nothing; " if not reported else ""
            misses.append(_miss(doc, "events", "false_positive", "", p.label(),
                                detail + _short(p.evidence)))
    fn = sum(1 for gi, g in enumerate(gold) if gi not in hit_g and not g.get("optional"))
    return {"tp": len(matched), "fp": len(pred) - len(matched), "fn": fn,
            "dated_unreported": unreported}, misses


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- evaluate
def _pair_documents(corpus: Any, gold: dict[str, dict[str, Any]]
                    ) -> tuple[dict[str, Any], list[str]]:
    """{gold key: Document} by file name, and a line for each document on one side only."""
    by_file = {d.path.name: d for d in corpus}
    gold_files = {str(ann["file"]): key for key, ann in gold.items()}
    pairs = {key: by_file[str(ann["file"])] for key, ann in gold.items()
             if str(ann["file"]) in by_file}
    unmatched = [f"gold {key} ({ann['file']}): no corpus document with this file name"
                 for key, ann in gold.items() if key not in pairs]
    unmatched += [f"corpus {d.id} ({name}): no gold annotation for this file"
                  for name, d in by_file.items() if name not in gold_files]
    return pairs, unmatched


def _select(pairs: dict[str, Any], docs: Iterable[str] | None, exclude: Iterable[str] | None
            ) -> list[str]:
    """Gold keys to score; `docs`/`exclude` take gold keys or corpus doc ids."""
    alias = {key: key for key in pairs} | {d.id: key for key, d in pairs.items()}

    def resolve(names: Iterable[str], what: str) -> set[str]:
        names = [str(n).strip() for n in names if str(n).strip()]
        bad = [n for n in names if n not in alias]
        if bad:
            raise ParameterError(f"evaluate: {what} {', '.join(bad)} not among the paired "
                                 f"documents; known: {', '.join(sorted(pairs))}")
        return {alias[n] for n in names}

    keys = resolve(docs, "--docs") if docs is not None else set(pairs)
    keys -= resolve(exclude, "--exclude") if exclude is not None else set()
    return sorted(keys)


def _tasks(only: Iterable[str] | None) -> list[str]:
    if only is None:
        return list(TASKS)
    chosen = [str(t).strip() for t in only if str(t).strip()]
    bad = [t for t in chosen if t not in TASKS]
    if bad or not chosen:
        raise ParameterError(f"evaluate: unknown task(s) {', '.join(bad) or '(none given)'}; "
                             f"choose from {', '.join(TASKS)}")
    return [t for t in TASKS if t in chosen]


def _predictions(corpus: Any, docs: list[Any], tasks: list[str]) -> dict[str, Any]:
    """Predictions per task: tag() and time_expressions() on the scored documents,
    chronology() on the whole corpus (merged rows may span documents)."""
    from ..extract.tagging import tag
    from ..extract.temporal import time_expressions
    from ..ingest.load import Corpus
    from ..kb import get_kb
    from .chronology import chronology

    kb = get_kb()
    sub = Corpus(docs, corpus.path)
    out: dict[str, Any] = {}
    tags = tag(sub) if {"companies", "events"} & set(tasks) else None
    if "companies" in tasks:
        out["companies"] = _company_entities(tags, kb)
    if "time" in tasks:
        out["time"] = _time_rows(time_expressions(sub))
    if "events" in tasks:
        out["events"] = _event_rows(chronology(corpus, include_reference=False), kb,
                                    _surface_forms(tags))
    return out


def _surface_forms(tags: pd.DataFrame) -> dict[str, list[str]]:
    """The spellings the text uses for each tagged company ("China Overseas Shipping" and
    its "(COSCO)"), so that a row's provisional ``new:`` id is matched by any of them."""
    rows = tags[(tags["label"] == "COMPANY") & tags["entity_id"].astype(bool)]
    out: dict[str, list[str]] = {}
    for eid, text in zip(rows["entity_id"], rows["text"], strict=True):
        forms = out.setdefault(str(eid), [])
        if text not in forms:
            forms.append(text)
    return out


_SCORERS = {
    "companies": (_score_companies, "companies"),
    "time": (_score_time, "time"),
    "events": (_score_events, "events"),
}


def evaluate(corpus: Any, gold: str | Path | dict[str, Any], docs: Iterable[str] | None = None,
             exclude: Iterable[str] | None = None, only: Iterable[str] | None = None
             ) -> Evaluation:
    """Score `corpus` (a Corpus or a folder) against `gold` (a gold.json path or its data).

    `docs` / `exclude`: gold keys ("005") or corpus doc ids to score / leave out;
    `only`: a subset of ``TASKS``. Documents present on one side only are listed in
    ``Evaluation.unmatched`` (and not scored). See the module docstring for the rules.
    """
    if isinstance(corpus, str | Path):
        from ..ingest.load import load_corpus

        corpus = load_corpus(corpus)
    gold_docs = load_gold(gold)
    tasks = _tasks(only)
    pairs, unmatched = _pair_documents(corpus, gold_docs)
    keys = _select(pairs, docs, exclude)
    preds = _predictions(corpus, [pairs[k] for k in keys], tasks)
    rows: list[dict[str, Any]] = []
    misses: list[dict[str, Any]] = []
    for key in keys:
        doc, ann = pairs[key], gold_docs[key]
        row: dict[str, Any] = {"doc": key, "doc_id": doc.id}
        for task in tasks:
            scorer, field_ = _SCORERS[task]
            counts, found = scorer(key, ann.get(field_) or [], preds[task].get(doc.id, []))
            row.update({f"{task}_{k}": v for k, v in counts.items()})
            misses += found
        rows.append(row)
    documents = pd.DataFrame(rows, columns=_doc_columns(tasks))
    return Evaluation(documents, _totals(documents, tasks),
                      pd.DataFrame(misses, columns=MISS_COLUMNS), unmatched)


def _doc_columns(tasks: list[str]) -> list[str]:
    cols = ["doc", "doc_id"]
    for task in tasks:
        cols += [f"{task}_tp", f"{task}_fp", f"{task}_fn"]
        cols += {"time": ["time_wrong_value"], "events": ["events_dated_unreported"]}.get(task, [])
    return cols


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def _totals(documents: pd.DataFrame, tasks: list[str]) -> pd.DataFrame:
    rows = []
    for task in tasks:
        tp, fp, fn = (int(documents[f"{task}_{k}"].sum()) for k in ("tp", "fp", "fn"))
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = 2 * p * r / (p + r) if (p + r) > 0 else (0.0 if p == p and r == r else float("nan"))
        rows.append({
            "task": task, "precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "wrong_value": int(documents["time_wrong_value"].sum()) if task == "time" else 0,
            "dated_unreported": int(documents["events_dated_unreported"].sum())
            if task == "events" else 0,
        })
    return pd.DataFrame(rows, columns=TOTAL_COLUMNS)
