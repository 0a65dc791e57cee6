"""One company seen through the corpus and the knowledge base: ``profile(corpus, "Hikvision")``.

A :class:`Profile` holds tables, each with provenance columns (``doc_id, sentence_id, start,
end`` for text, ``source_id, source_text`` for knowledge-base facts):

========== ======================================================================================
part       rows
========== ======================================================================================
facts      KB facts (legal names, founded, headquarters, sector, listings, staff, revenue, ...)
           and facts the articles state (founded, staff, headquarters, sales, description)
sanctions  the company's rows of ``sl.chronology``: reference events (KB) and reported events
mentions   one row per document naming the company: count, first mention, outlet, published
sentences  every sentence about the company: named in it, or "the company"/"it" right after
statements the company's own quotes, and sentences reporting what it said or denied
others     quotes by others in sentences about it, and the sentences naming it
numbers    MONEY / PERCENT / QUANTITY tags in sentences about the company
comentions companies, people, agencies and organisations named with it (sentence / document)
tone       VADER scores of the sentences naming it — an *indicator*, see :mod:`.sentiment`
========== ======================================================================================

Keyword flags (``denial``, ``accusation``, ``topic``) are simple word lists, named as such in
the tables, so a reader can check and argue with them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ParameterError, UnknownNameError
from ..ingest.load import Corpus, Document
from ..kb import KB, Company, get_kb
from . import sentiment

PARTS = ("facts", "sanctions", "mentions", "sentences", "statements", "others", "numbers",
         "comentions", "tone")
NUMBER_LABELS = ("MONEY", "PERCENT", "QUANTITY")
COMENTION_LABELS = ("COMPANY", "PERSON", "AGENCY", "ORG")
MAX_ANAPHORA_CHAIN = 2  # "The company ..." / "It ..." inherits at most two sentences on

# "the company", "the firm" anywhere; "It"/"Its" only at the start of a sentence (or bullet).
_ANAPHOR = re.compile(r"\bthe (?:company|firm)\b|^[\W_]*(?:it|its)\b", re.IGNORECASE)
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ial)|unfounded|oppose[sd]?|reject(?:s|ed)?|"
                     r"refute[sd]?|misunderst\w*|misperception|groundless|not (?:true|accurate)|"
                     r"remains to be verified)\b", re.IGNORECASE)
_ACCUSATION = re.compile(r"\b(?:accus\w*|alleg\w*|abuses?|human[- ]rights?|violations?|"
                         r"surveillance|Uyghurs?|Xinjiang|repress\w*|genocide|forced labou?r|"
                         r"racism|ethnicity|military)\b", re.IGNORECASE)
_FOUNDED = re.compile(r"\b(?:founded|established|set up|inception)\b", re.IGNORECASE)
_BASED = re.compile(r"\b((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+?)[-‑ ]?(?:based|headquartered)\b"
                    r"(?=(?:\s+[\w-]+){0,4}?\s+(?:company|firm|giant|maker|start-?up|group))")
_DESCRIPTION = re.compile(r"((?:(?:Chinese|China['’]s|U\.?S\.?)\s+)?(?:[\w-]+\s+){0,4}?"
                          r"(?:maker|giant|start-?up|provider|supplier|manufacturer))\s+$")
_STAFF_UNITS = ("staff", "employees", "workers", "people")
TOPICS = (  # (topic, pattern): first match wins; a keyword guess, labelled so
    ("IPO", re.compile(r"\b(?:IPO|initial public offering|share sale|listing|offering)\b",
                       re.IGNORECASE)),
    ("sales", re.compile(r"\b(?:sales|revenue|turnover|profit)\b", re.IGNORECASE)),
    ("staff", re.compile(r"\b(?:staff|employees|workers|workforce)\b", re.IGNORECASE)),
    ("share move", re.compile(r"\b(?:shares?|stock)\b.*\b(?:tumbl\w*|fell|fall\w*|rose|ris\w*|"
                              r"jump\w*|drop\w*|limit)\b", re.IGNORECASE)),
)


# --------------------------------------------------------------------------- the profile
@dataclass
class Profile:
    """Everything the corpus and the knowledge base say about one company."""

    company_id: str
    name: str
    company: Company
    documents: int  # documents in the corpus
    facts: pd.DataFrame
    sanctions: pd.DataFrame
    mentions: pd.DataFrame
    sentences: pd.DataFrame
    statements: pd.DataFrame
    others: pd.DataFrame
    numbers: pd.DataFrame
    comentions: pd.DataFrame
    tone: pd.DataFrame
    kb: KB | None = field(default=None, repr=False)

    def to_frame(self, part: str) -> pd.DataFrame:
        """A copy of one table: facts, sanctions, mentions, sentences, statements, others,
        numbers, comentions or tone."""
        if part not in PARTS:
            raise ParameterError(f"Profile.to_frame(part={part!r}): unknown part; use one of "
                                 + ", ".join(PARTS))
        return getattr(self, part).copy()

    @property
    def mention_count(self) -> int:
        return int(self.mentions["mentions"].sum()) if len(self.mentions) else 0

    def summary(self) -> str:
        """A short markdown paragraph built only from facts present in the tables."""
        return _summary(self)

    def exchanges(self) -> pd.DataFrame:
        """The company's statements beside what others say against it, per document.

        Rows: ``side`` = "company" (its statements) or "others: accusation" (quotes by others
        and sentences naming it that carry accusation words), sorted by document and offset.
        """
        cols = ["doc_id", "sentence_id", "start", "end", "side", "speaker", "text"]
        own = self.statements.assign(side="company")
        acc = self.others[self.others["accusation"]].assign(side="others: accusation")
        df = pd.concat([own.reindex(columns=cols), acc.reindex(columns=cols)],
                       ignore_index=True)
        if not len(df):
            return pd.DataFrame(columns=cols)
        return df.sort_values(["doc_id", "start", "side"], kind="stable").reset_index(drop=True)

    def _repr_markdown_(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"Profile({self.company_id!r}: {self.mention_count} mentions in "
                f"{len(self.mentions)} of {self.documents} documents)")


def profile(corpus: Corpus, company: str, *, tags: pd.DataFrame | None = None,
            quotes: pd.DataFrame | None = None, kb: KB | None = None) -> Profile:
    """Profile of ``company`` (any name, alias or known misspelling) in ``corpus``.

    ``tags`` and ``quotes`` may be passed when already computed (``sl.tag``, ``sl.quotes``).
    A company the KB does not know is found among the companies the tagger's rules found in
    the corpus, by any spelling or its ``new:`` id. A name in neither raises
    :class:`~sanctionlens.errors.UnknownNameError` with the closest matches.
    """
    if not isinstance(company, str) or not company.strip():
        raise ParameterError(f"profile(company={company!r}): give a company name or alias, "
                             "e.g. 'SenseTime' or 'Hangzhou Hikvision Digital Technology Co.'")
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"profile(corpus=...): expected a Corpus from sl.load_corpus(), got "
                             f"{type(corpus).__name__}")
    kb = kb or get_kb()
    try:
        comp = kb.resolve_company(company)
    except UnknownNameError as unknown:
        comp = None
        error = unknown
    if tags is None:  # read from the corpus's store when it has a fresh one
        from ..store import tag
        tags = tag(corpus)
    if comp is None:
        comp = _corpus_company(company, tags, error)
    if quotes is None:
        from ..store import quotes as find_quotes
        quotes = find_quotes(corpus)
    cid = comp.id
    docs = {d.id: d for d in corpus.documents}
    sents = _about_sentences(corpus, tags, cid)
    numbers = _numbers(tags, sents)
    statements = _statements(quotes, sents, docs, cid)
    sanctions = _sanctions(corpus, comp)
    prof = Profile(
        company_id=cid, name=comp.name, company=comp, documents=len(corpus.documents),
        facts=_facts(kb, comp, tags, sents, numbers, docs),
        sanctions=sanctions, mentions=_mentions(tags, sents, docs, cid), sentences=sents,
        statements=statements, others=_others(quotes, sents, statements, cid),
        numbers=numbers, comentions=_comentions(kb, tags, sents, cid),
        tone=_tone(sents, quotes, cid), kb=kb)
    return prof


def _corpus_company(name: str, tags: pd.DataFrame, unknown: UnknownNameError) -> Company:
    """A company the KB does not know, from the COMPANY tags with a ``new:`` id: matched by
    that id, a spelling, or a spelling's name without legal form ("Tiandy" for "Tiandy
    Technologies"). Else ``unknown``, with the closest spellings found in the corpus."""
    from ..extract.companies import name_key

    found = tags[(tags["label"] == "COMPANY")
                 & tags["entity_id"].astype(str).str.startswith("new:")]
    key = name_key(name)
    keys = found["text"].map(name_key)
    hits = found[(found["entity_id"] == name.strip()) | (keys == key)]
    if not len(hits):
        spellings = sorted(set(found["text"]))
        close = difflib.get_close_matches(name, spellings, n=5, cutoff=0.6)
        raise UnknownNameError(f"{unknown} Companies found in the corpus by the tagger's "
                               f"rules, closest: {', '.join(close) or 'none'}.") from None
    eid = str(hits["entity_id"].mode().iloc[0])
    spellings = found.loc[found["entity_id"] == eid, "text"]
    counts = spellings.value_counts()
    best = max(counts.index, key=lambda t: (counts[t], -len(t), t))
    return Company(id=eid, name=str(best), aliases=sorted(set(spellings) - {best}),
                   label="COMPANY", note="found in the corpus by the tagger's rules")


# --------------------------------------------------------------------------- sentences
SENTENCE_COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "via", "named_as",
                    "other_companies"]


def _about_sentences(corpus: Corpus, tags: pd.DataFrame, cid: str) -> pd.DataFrame:
    """Sentences naming the company, or referring back to it ("The company", "It", ...)."""
    comp_tags = tags[tags["label"] == "COMPANY"]
    rows = []
    for doc in corpus.documents:
        dt = comp_tags[comp_tags["doc_id"] == doc.id]
        by_sent: dict[int, list[tuple[str, str]]] = {}
        for r in dt.itertuples(index=False):
            by_sent.setdefault(int(r.sentence_id), []).append((str(r.entity_id), str(r.text)))
        prev_ref: str | None = None  # the single company the previous sentence is about
        chain = 0
        for s in doc.sentences:
            named = by_sent.get(s.id, [])
            ids = sorted({e for e, _ in named})
            via = ""
            if cid in ids:
                via = "named"
                chain = 0
            elif not ids and prev_ref == cid and chain < MAX_ANAPHORA_CHAIN:
                m = _ANAPHOR.search(s.text)
                if m:
                    via = f"refers back: '{m.group(0).strip(' -–—•')}' (sentence {s.id - 1})"
                    chain += 1
            if via:
                rows.append({
                    "doc_id": doc.id, "sentence_id": s.id, "start": s.start, "end": s.end,
                    "text": s.text, "via": via,
                    "named_as": "; ".join(sorted({t for e, t in named if e == cid})),
                    "other_companies": ", ".join(e for e in ids if e != cid)})
            if len(ids) == 1:
                prev_ref = ids[0]
            elif ids:
                prev_ref = None
            elif not via:
                prev_ref, chain = None, 0
    return _frame(rows, SENTENCE_COLUMNS, ["doc_id", "sentence_id"])


def _frame(rows: list[dict[str, Any]], columns: list[str], sort: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    if len(df) and sort:
        df = df.sort_values(sort, kind="stable")
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------- mentions
MENTION_COLUMNS = ["doc_id", "title", "outlet", "published", "mentions", "sentences_about",
                   "first_start", "first_end", "first_sentence_id", "first_text",
                   "first_sentence"]


def _mentions(tags: pd.DataFrame, sents: pd.DataFrame, docs: dict[str, Document],
              cid: str) -> pd.DataFrame:
    own = tags[(tags["label"] == "COMPANY") & (tags["entity_id"] == cid)]
    rows = []
    for doc_id, g in own.groupby("doc_id", sort=True):
        g = g.sort_values("start")
        first = g.iloc[0]
        doc = docs[str(doc_id)]
        sid = int(first["sentence_id"])
        rows.append({
            "doc_id": doc.id, "title": doc.title, "outlet": doc.outlet or "",
            "published": doc.published, "mentions": len(g),
            "sentences_about": int((sents["doc_id"] == doc.id).sum()),
            "first_start": int(first["start"]), "first_end": int(first["end"]),
            "first_sentence_id": sid, "first_text": str(first["text"]),
            "first_sentence": doc.sentences[sid].text})
    return _frame(rows, MENTION_COLUMNS, ["doc_id"])


# --------------------------------------------------------------------------- numbers
NUMBER_COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "label", "amount", "unit",
                  "qualifier", "equivalent", "topic", "via", "sentence"]


def _topic(sentence: str) -> str:
    for name, rx in TOPICS:
        if rx.search(sentence):
            return name
    return ""


NEAR_CHARS = 60  # a number this close to the company's name (same clause) is about it
_PREPOSITION = re.compile(r"\b(?:for|to|with|against|of|on|in|by|from|at|about|like|than|"
                          r"unlike|including|and|or)\s*$", re.IGNORECASE)
_SUBJECT_LEAD = re.compile(r"^[^\w]*(?:[\w.’'-]+[\s,–—-]+){0,7}$")
_OTHER_CLAUSE = re.compile(r",\s*(?:which|who|whose|where|while)\b|;|—|–\s", re.IGNORECASE)


def _anchors(s: Any) -> list[tuple[int, int]]:
    """Spans (sentence coordinates) where the sentence names or refers back to the company."""
    if s.via == "named":
        return [(m.start(), m.end()) for n in str(s.named_as).split("; ") if n
                for m in re.finditer(re.escape(n), s.text)]
    return [(m.start(), m.end()) for m in _ANAPHOR.finditer(s.text)]


def _is_subject(text: str, start: int) -> bool:
    """The company opens the sentence: at most a few words before it, none a preposition
    ("Chinese AI giant SenseTime postponed", "The company's sales"), not "a client for X"."""
    before = text[:start]
    return bool(_SUBJECT_LEAD.match(before)) and not _PREPOSITION.search(before)


def _about_company(s: Any, start: int, end: int) -> bool:
    """A number is the company's when the company is the sentence's subject, or is named
    within NEAR_CHARS of the number with no other clause (", which …") between them — so a
    country's "1.4 billion citizens" in a clause about its government is left out."""
    for a, b in _anchors(s):
        if _is_subject(s.text, a):
            return True
        lo, hi = (b, start) if b <= start else (end, a)
        if hi - lo <= NEAR_CHARS and not _OTHER_CLAUSE.search(s.text[lo:hi]):
            return True
    return False


def _accuses_company(s: Any) -> bool:
    """A sentence naming the company accuses it when an accusation word is about the company
    (the same rule as for numbers): "Hikvision was accused of …", not a backer named in a
    later clause ("…, which are backed by … Alibaba")."""
    return any(_about_company(s, m.start(), m.end()) for m in _ACCUSATION.finditer(s.text))


def _numbers(tags: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    keyed = {(r.doc_id, r.sentence_id): r for r in sents.itertuples(index=False)}
    nums = tags[tags["label"].isin(NUMBER_LABELS)]
    rows = []
    for r in nums.itertuples(index=False):
        s = keyed.get((r.doc_id, int(r.sentence_id)))
        if s is None or not _about_company(s, int(r.start) - s.start, int(r.end) - s.start):
            continue
        v = r.value if isinstance(r.value, dict) else {}
        eq = v.get("equivalent") or v.get("equivalent_of") or {}
        rows.append({
            "doc_id": r.doc_id, "sentence_id": int(r.sentence_id), "start": int(r.start),
            "end": int(r.end), "text": r.text, "label": r.label, "amount": v.get("amount"),
            "unit": v.get("unit", ""), "qualifier": v.get("qualifier", ""),
            "equivalent": f"{eq['amount']:,} {eq['unit']}" if eq else "",
            "topic": _topic(s.text), "via": s.via, "sentence": s.text})
    df = _frame(rows, NUMBER_COLUMNS, ["doc_id", "start"])
    df["amount"] = pd.to_numeric(df["amount"], errors="coerce").astype("float64")
    return df


# --------------------------------------------------------------------------- statements
STATEMENT_COLUMNS = ["doc_id", "sentence_id", "start", "end", "kind", "text", "speaker",
                     "attribution", "denial"]


def _statements(quotes: pd.DataFrame, sents: pd.DataFrame, docs: dict[str, Document],
                cid: str) -> pd.DataFrame:
    """The company's quotes, plus sentences about it that report what it said or denied."""
    rows = []
    own = quotes[quotes["speaker_id"] == cid]
    quoted_sents = set()
    for q in own.itertuples(index=False):
        quoted_sents.add((q.doc_id, int(q.sentence_id)))
        rows.append({"doc_id": q.doc_id, "sentence_id": int(q.sentence_id), "start": int(q.start),
                     "end": int(q.end), "kind": "quote", "text": q.quote, "speaker": q.speaker,
                     "attribution": q.attribution, "denial": bool(_DENIAL.search(q.quote))})
    for s in sents.itertuples(index=False):
        if (s.doc_id, int(s.sentence_id)) in quoted_sents:
            continue
        m = _reported_speech(s.text, s.named_as)
        if m:
            rows.append({"doc_id": s.doc_id, "sentence_id": int(s.sentence_id),
                         "start": int(s.start), "end": int(s.end), "kind": "reported",
                         "text": s.text, "speaker": m, "attribution": f"reported: {s.via}",
                         "denial": bool(_DENIAL.search(s.text))})
    return _frame(rows, STATEMENT_COLUMNS, ["doc_id", "start"])


def _reported_speech(text: str, named_as: str) -> str:
    """The subject ('Hikvision', 'the company', 'it') when it is followed by a speech verb."""
    names = [re.escape(n) for n in named_as.split("; ") if n] + [r"the (?:company|firm)"]
    rx = re.compile(r"\b((?i:" + "|".join(names) + r"))(?:[^.;“\"]{0,25}?)\s(?:has\s+)?"
                    r"(?:\w+ly\s+)?(said|says|denied|denies|stated|criticised|criticized|"
                    r"insisted|filed a statement)\b")
    m = rx.search(text)
    return m.group(1) if m else ""


OTHERS_COLUMNS = ["doc_id", "sentence_id", "start", "end", "kind", "text", "speaker",
                  "speaker_id", "speaker_label", "via", "accusation"]


def _others(quotes: pd.DataFrame, sents: pd.DataFrame, statements: pd.DataFrame,
            cid: str) -> pd.DataFrame:
    """Quotes by others in sentences about the company, and the sentences naming it (minus
    the sentences holding its own statements)."""
    keyed = {(r.doc_id, int(r.sentence_id)): r for r in sents.itertuples(index=False)}
    rows = []
    own_quote_sents = set(zip(statements["doc_id"], statements["sentence_id"].astype(int),
                              strict=True))
    for q in quotes.itertuples(index=False):
        key = (q.doc_id, int(q.sentence_id))
        if q.speaker_id == cid:
            own_quote_sents.add(key)
            continue
        if key in keyed:
            rows.append({"doc_id": q.doc_id, "sentence_id": key[1], "start": int(q.start),
                         "end": int(q.end), "kind": "quote", "text": q.quote,
                         "speaker": "" if pd.isna(q.speaker) else q.speaker,
                         "speaker_id": "" if pd.isna(q.speaker_id) else q.speaker_id,
                         "speaker_label": "" if pd.isna(q.speaker_label) else q.speaker_label,
                         "via": keyed[key].via, "accusation": bool(_ACCUSATION.search(q.quote))})
    for key, s in keyed.items():
        if s.via != "named" or key in own_quote_sents:
            continue
        rows.append({"doc_id": s.doc_id, "sentence_id": key[1], "start": int(s.start),
                     "end": int(s.end), "kind": "sentence", "text": s.text, "speaker": "",
                     "speaker_id": "", "speaker_label": "", "via": s.via,
                     "accusation": _accuses_company(s)})
    return _frame(rows, OTHERS_COLUMNS, ["doc_id", "start", "kind"])


# --------------------------------------------------------------------------- co-mentions
COMENTION_COLUMNS = ["entity_id", "name", "label", "scope", "mentions", "units", "doc_ids"]


def _comentions(kb: KB, tags: pd.DataFrame, sents: pd.DataFrame, cid: str) -> pd.DataFrame:
    """Entities named in the same sentence (sentences naming the company) or same document.

    ``units`` counts sentences (scope "sentence") or documents (scope "document").
    """
    named = sents[sents["via"] == "named"]
    sent_keys = set(zip(named["doc_id"], named["sentence_id"].astype(int), strict=True))
    doc_ids = set(named["doc_id"])
    ents = tags[tags["label"].isin(COMENTION_LABELS) & (tags["entity_id"] != cid)
                & tags["entity_id"].notna() & tags["doc_id"].isin(doc_ids)]
    rows = []
    for (eid, label), g in ents.groupby(["entity_id", "label"], sort=True):
        name = (str(g["text"].mode().iloc[0]) if str(eid).startswith("new:")
                else _entity_name(kb, str(eid)))  # a company found by the tagger's rules
        in_sent = g[[(d, int(s)) in sent_keys for d, s in zip(g["doc_id"], g["sentence_id"],
                                                                strict=True)]]
        if len(in_sent):
            rows.append({"entity_id": eid, "name": name, "label": label, "scope": "sentence",
                         "mentions": len(in_sent),
                         "units": in_sent[["doc_id", "sentence_id"]].drop_duplicates().shape[0],
                         "doc_ids": ", ".join(sorted(set(in_sent["doc_id"])))})
        rows.append({"entity_id": eid, "name": name, "label": label, "scope": "document",
                     "mentions": len(g), "units": g["doc_id"].nunique(),
                     "doc_ids": ", ".join(sorted(set(g["doc_id"])))})
    df = pd.DataFrame(rows, columns=COMENTION_COLUMNS)
    if len(df):
        df = df.sort_values(["scope", "units", "mentions", "entity_id"],
                            ascending=[False, False, False, True], kind="stable")
    return df.reset_index(drop=True)


def _entity_name(kb: KB, eid: str) -> str:
    try:
        return kb.entity(eid).name
    except KeyError:
        return eid


# --------------------------------------------------------------------------- tone
TONE_COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "voice", "compound", "pos",
                "neu", "neg", "indicator"]


def _tone(sents: pd.DataFrame, quotes: pd.DataFrame, cid: str) -> pd.DataFrame:
    """VADER scores of sentences naming the company; ``voice`` says whose words dominate:
    a quote by the company, a quote by someone else, or the writer's narration."""
    named = sents[sents["via"] == "named"][["doc_id", "sentence_id", "start", "end", "text"]]
    speakers: dict[tuple[str, int], set[str]] = {}
    for q in quotes.itertuples(index=False):
        who = "company quote" if q.speaker_id == cid else "quote by others"
        speakers.setdefault((q.doc_id, int(q.sentence_id)), set()).add(who)
    named = named.assign(voice=[
        " + ".join(sorted(speakers.get((d, int(i)), {"narration"})))
        for d, i in zip(named["doc_id"], named["sentence_id"], strict=True)])
    if not len(named):
        return pd.DataFrame(columns=TONE_COLUMNS)
    return sentiment.score_frame(named.reset_index(drop=True))[TONE_COLUMNS]


# --------------------------------------------------------------------------- facts
FACT_COLUMNS = ["field", "value", "origin", "source_id", "source_text", "doc_id",
                "sentence_id", "start", "end", "as_of", "note"]
KB_FIELDS = ("name", "legal_name", "chinese_name", "founded", "headquarters", "country",
             "sector", "listing", "staff", "revenue", "sanction")


def _facts(kb: KB, comp: Company, tags: pd.DataFrame, sents: pd.DataFrame,
           numbers: pd.DataFrame, docs: dict[str, Document]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    kbf = kb.facts()
    kbf = kbf[kbf["entity_id"] == comp.id]
    for r in kbf.itertuples(index=False):
        value = r.value
        if r.field in ("headquarters", "country"):
            value = _entity_name(kb, str(value))
        if re.fullmatch(r"\d{5,}", str(value)):
            value = f"{int(value):,}"
        if r.unit:
            value = f"{value} {r.unit}"
        where = _locate_seed_quote(str(r.source_id), str(r.source_text), docs)
        rows.append({"field": r.field, "value": str(value), "origin": "knowledge base",
                     "source_id": r.source_id, "source_text": r.source_text, **where,
                     "as_of": r.as_of, "note": r.note})
    rows += _text_facts(tags, sents, numbers, docs)
    df = pd.DataFrame(rows, columns=FACT_COLUMNS)
    order = {f: i for i, f in enumerate(KB_FIELDS + ("description", "sales"))}
    df["_o"] = df["field"].map(lambda f: order.get(f, len(order)))
    df = df.sort_values(["_o", "origin", "doc_id", "start"], kind="stable", na_position="first")
    df = df.drop(columns="_o").reset_index(drop=True)
    for c in ("sentence_id", "start", "end"):
        df[c] = df[c].astype("Int64")
    return df


def _locate_seed_quote(source_id: str, quote: str, docs: dict[str, Document]) -> dict[str, Any]:
    """Where a KB fact's seed quote sits in the *cleaned* text of that document, if loaded.

    (The KB records spans in the raw seed file; tables here use cleaned-text offsets.)
    """
    none = {"doc_id": "", "sentence_id": None, "start": None, "end": None}
    if not source_id.startswith("seed:"):
        return none
    doc = docs.get(source_id.removeprefix("seed:"))
    pos = doc.text.find(quote) if doc is not None and quote else -1
    if pos < 0:
        return {**none, "doc_id": source_id.removeprefix("seed:")}
    sid = next((s.id for s in doc.sentences if s.start <= pos < s.end), None)
    return {"doc_id": doc.id, "sentence_id": sid, "start": pos, "end": pos + len(quote)}


def _text_fact(field_: str, value: str, doc_id: str, sentence_id: int, start: int, end: int,
               sentence: str, note: str = "") -> dict[str, Any]:
    return {"field": field_, "value": value, "origin": "corpus", "source_id": f"doc:{doc_id}",
            "source_text": sentence, "doc_id": doc_id, "sentence_id": sentence_id,
            "start": start, "end": end, "as_of": "", "note": note}


def _text_facts(tags: pd.DataFrame, sents: pd.DataFrame, numbers: pd.DataFrame,
                docs: dict[str, Document]) -> list[dict[str, Any]]:
    """Facts the articles state about the company, each with its span and sentence."""
    out = []
    dates = tags[tags["label"] == "DATE"]
    for s in sents.itertuples(index=False):
        sid = int(s.sentence_id)
        doc = docs[s.doc_id]
        if _FOUNDED.search(s.text):
            d = dates[(dates["doc_id"] == s.doc_id) & (dates["sentence_id"] == sid)]
            for r in d.itertuples(index=False):
                v = r.value if isinstance(r.value, dict) else {}
                if v.get("precision") == "year" and v.get("basis") == "explicit":
                    out.append(_text_fact("founded", str(v["value"]), s.doc_id, sid,
                                          int(r.start), int(r.end), s.text))
        for m in _BASED.finditer(s.text):
            out.append(_text_fact("headquarters", m.group(1), s.doc_id, sid, s.start + m.start(),
                                  s.start + m.end(), s.text, note="as printed"))
        if s.via == "named":
            for name in (n for n in s.named_as.split("; ") if n):
                for m in re.finditer(re.escape(name), s.text):
                    before = s.text[max(0, m.start() - 70):m.start()]
                    d = _DESCRIPTION.search(before)
                    if d:
                        a = s.start + m.start() - len(before) + d.start(1)
                        out.append(_text_fact("description", d.group(1), s.doc_id, sid, a,
                                              a + len(d.group(1)), s.text, note="as printed"))
        del doc
    for n in numbers.itertuples(index=False):
        if n.label == "QUANTITY" and str(n.unit) in _STAFF_UNITS and n.topic == "staff":
            q = f"{n.qualifier} " if n.qualifier else ""
            out.append(_text_fact("staff", f"{q}{n.amount:,.0f}", n.doc_id, n.sentence_id,
                                  n.start, n.end, n.sentence, note=f"as printed: {n.text}"))
        if n.label == "MONEY" and n.topic == "sales":
            out.append(_text_fact("sales", n.text + (f" ({n.equivalent})" if n.equivalent else ""),
                                  n.doc_id, n.sentence_id, n.start, n.end, n.sentence))
    return out


# --------------------------------------------------------------------------- sanctions
def _sanctions(corpus: Corpus, comp: Company) -> pd.DataFrame:
    """The company's rows of :func:`sanctionlens.chronology` (reference events and
    events reported in the corpus), with ``evidence_text`` for reading."""
    from .chronology import chronology

    events = chronology(corpus)
    mine = events[[comp.id in (t if isinstance(t, (list, tuple)) else [])
                   for t in events["targets"]]].reset_index(drop=True)
    return mine.assign(evidence_text=[_evidence_text(ev, cit) for ev, cit in
                                      zip(mine["evidence"], mine["citation"], strict=True)])


def _evidence_text(evidence: Any, citation: str) -> str:
    """Readable evidence: 'doc_id:sentence_id text' per sentence, or the reference citation."""
    if isinstance(evidence, (list, tuple)) and evidence:
        return " | ".join(f"{e.get('doc_id')}:{e.get('sentence_id')} {e.get('text', '')}"
                          for e in evidence if isinstance(e, dict))
    return str(citation or "")


# --------------------------------------------------------------------------- summary
def _summary(p: Profile) -> str:
    """"In brief": a few plain sentences with numbered sources (see :mod:`.brief`)."""
    from .brief import in_brief

    return in_brief(p)


__all__ = ["PARTS", "Profile", "profile"]
