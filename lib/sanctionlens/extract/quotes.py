"""Direct quotes and who said them.

A quote is attributed from the words around it, in this order: the clause after the
closing mark (“…,” Bateman said / “…,” said Jon Bateman / “…,” the firm said), else
the clause before it (Hikvision said it was “…”), else a quote-only paragraph that
continues the previous speaker. Pronouns and descriptors (he, she, it, the firm, the
company) resolve to the most recent person or company named before the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..ingest.load import Corpus, Document
from .tagging import Tag, tag_document

COLUMNS = ["doc_id", "sentence_id", "start", "end", "quote", "speaker", "speaker_id",
           "speaker_label", "attribution"]
SPEECH = (r"said|says|say|added|adds|noted|notes|told|wrote|writes|stated|states|warned|"
          r"argued|explained|insisted|expressed|reiterating|saying|according to|per|"
          r"accused|criticised|criticized|demanded|denied")
SPEECH_RE = re.compile(rf"\b(?:{SPEECH})\b", re.I)
STRICT_RE = re.compile(r"\b(?:said|says|saying|say|expressed|called|described|told)\b", re.I)
PRONOUNS = {
    "he": "PERSON", "she": "PERSON", "it": "COMPANY", "the firm": "COMPANY",
    "the company": "COMPANY", "the group": "COMPANY", "they": "PERSON",
    "the ministry": "AGENCY", "the spokesperson": "PERSON", "the spokesman": "PERSON",
}
SPEAKER_LABELS = ("PERSON", "COMPANY", "AGENCY", "ORG", "OUTLET", "PLACE")
QUOTE_RE = re.compile(r"“([^“”]+)(?:”|$)|\"([^\"\n]+)\"", re.M)
_TAIL_RE = re.compile(
    rf"^[\s,.;:!?]*(?:(?P<verb1>{SPEECH})\s+(?P<who1>[^.,;“”]{{1,120}})"
    rf"|(?P<who2>[^.;“”]{{1,120}}?)\s+(?P<verb2>{SPEECH})\b)",
    re.I,
)


@dataclass(frozen=True)
class Quote:
    doc_id: str
    sentence_id: int
    start: int
    end: int
    quote: str
    speaker: str | None
    speaker_id: str | None
    speaker_label: str | None
    attribution: str | None


def quotes(corpus: Corpus) -> pd.DataFrame:
    """One row per direct quote: doc_id, start, end, quote, speaker, speaker_id, ..."""
    rows = [q.__dict__ for doc in corpus for q in document_quotes(doc)]
    return pd.DataFrame(rows, columns=COLUMNS)


def document_quotes(doc: Document, tags: list[Tag] | None = None) -> list[Quote]:
    """Direct quotes of one document with their speakers (None when not attributable)."""
    tags = tags if tags is not None else tag_document(doc, dates=False)
    ents = [t for t in tags if t.label in SPEAKER_LABELS]
    out: list[Quote] = []
    text = doc.text
    for m in QUOTE_RE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        start, end = m.start(g), m.end(g)
        body = text[start:end].strip()
        sent = doc.sentence_at(start) or (doc.sentences[-1] if doc.sentences else None)
        if sent is None or not body:
            continue
        last = doc.sentence_at(max(end, m.end() - 1)) or sent
        short = len(body.split()) < 4
        ends_clause = body.endswith(",") or text[m.end():m.end() + 1] == ","
        speaker = (_from_tail(text, m.end(), last.end, ents) if ends_clause else None) \
            or _from_prefix(text, sent.start, m.start(), ents, strict=short)
        if speaker is None and short:
            continue  # scare quotes and names (“entity list”, “automated racism”)
        if speaker is None and out and out[-1].speaker_id and _stands_alone(doc, sent, m) \
                and _follows(doc, out[-1], m.start()):
            prev = out[-1]
            speaker = (prev.speaker, prev.speaker_id, prev.speaker_label, "continued")
        who, sid, label, how = speaker or (None, None, None, None)
        out.append(Quote(doc.id, sent.id, start, end, body, who, sid, label, how))
    return out


def _from_tail(text: str, qend: int, sent_end: int, ents: list[Tag]):
    tail = text[qend:sent_end]
    m = _TAIL_RE.match(tail)
    if not m:
        return None
    key = "who1" if m.group("who1") else "who2"
    a, b = qend + m.start(key), qend + m.end(key)
    return _resolve(text, a, b, ents, "after the quote")


def _from_prefix(text: str, sent_start: int, qstart: int, ents: list[Tag], strict: bool):
    prefix = text[sent_start:qstart]
    verbs = list((STRICT_RE if strict else SPEECH_RE).finditer(prefix))
    if not verbs or (strict and len(prefix) - verbs[-1].end() > 60):
        return None
    verb = verbs[0]
    return _resolve(text, sent_start, sent_start + verb.start(), ents, "before the quote")


def _resolve(text: str, a: int, b: int, ents: list[Tag], where: str):
    inside = [e for e in ents if a <= e.start and e.end <= b]
    for label in ("PERSON",):
        for e in inside:
            if e.label == label:
                return (e.text, e.entity_id, e.label, where)
    who = text[a:b].strip().lower()
    who = re.sub(r"^(in a statement|in an interview|separately)[, ]+", "", who)
    for pron, label in PRONOUNS.items():
        if who == pron or who.startswith(pron + " "):
            prior = [e for e in ents if e.end <= a and e.label == label]
            if prior:
                e = prior[-1]
                return (e.text, e.entity_id, e.label, f"{where}: '{pron}' → {e.text}")
            return None
    for label in ("COMPANY", "AGENCY", "ORG", "OUTLET", "PLACE"):
        for e in inside:
            if e.label == label:
                return (e.text, e.entity_id, e.label, where)
    return None


def _stands_alone(doc: Document, sent, m: re.Match) -> bool:
    """The sentence is nothing but this quote (a continuation of the previous speaker)."""
    return not doc.text[sent.start:m.start()].strip() and \
        not doc.text[m.end():sent.end].strip(" .,")


def _follows(doc: Document, prev: Quote, pos: int) -> bool:
    """`pos` is in the paragraph of the previous quote or the next one."""
    idx = [i for i, (a, b) in enumerate(doc.paragraphs) if a <= pos <= b]
    pidx = [i for i, (a, b) in enumerate(doc.paragraphs) if a <= prev.start <= b]
    return bool(idx and pidx) and 0 <= idx[0] - pidx[0] <= 1
