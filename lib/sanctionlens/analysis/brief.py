""""In brief": a company profile told in a few plain sentences, each fact with a numbered
reference to where it comes from (a knowledge-base source or an article sentence).

Only facts present in the profile's tables are used; a missing fact leaves its words out.
The result is Markdown (values escaped), e.g.::

    **Hikvision** (legal name Hangzhou Hikvision Digital Technology Co., Ltd.¹) works in
    surveillance cameras and systems², was founded in 2001³ and is based in Hangzhou⁴ …

    Sources: ¹ Hangzhou Hikvision …, 2015 Annual Report · ² Bloomberg, 5 May 2022, sentence 3 …
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .profiles import Profile

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MD_INLINE = re.compile(r"([\\`*_\[\]|#])")
_SANCTION = re.compile(r"^(?P<inst>\S+) from (?P<date>\d{4}-\d{2}-\d{2})$")
_BIG = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def _md(value: object) -> str:
    """Inline markdown-safe text: &, <, > as entities; emphasis/link/table marks backslashed."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_INLINE.sub(r"\\\1", text)


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _day(iso: object) -> str:
    d = dt.date.fromisoformat(str(iso)[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _amount(value: str) -> str:
    """"80,000,000,000 CNY" → "80 billion CNY"; other values unchanged."""
    m = re.fullmatch(r"([\d,]+) (\S+)", value)
    if not m:
        return value
    n = int(m.group(1).replace(",", ""))
    for size, word in _BIG:
        if n >= size:
            return f"{n / size:,.3g} {word} {m.group(2)}"
    return value


class _Notes:
    """Numbered references: the same source gets the same number."""

    def __init__(self, p: Profile) -> None:
        self.p, self.items = p, []  # type: ignore[var-annotated]
        self.docs = {r.doc_id: r for r in p.mentions.itertuples(index=False)}

    def cite(self, row: pd.Series) -> str:
        text = self._where(row)
        if text not in self.items:
            self.items.append(text)
        return f"<sup>{self.items.index(text) + 1}</sup>"

    def _where(self, row: pd.Series) -> str:
        doc_id = str(row.get("doc_id") or "")
        if row.get("origin") == "corpus" or (doc_id and row.get("sentence_id") is not None
                                             and not pd.isna(row.get("sentence_id"))):
            return self._doc(doc_id) + (f", sentence {int(row['sentence_id'])}"
                                        if not pd.isna(row.get("sentence_id")) else "")
        sid = str(row.get("source_id") or "")
        kb = self.p.kb
        if kb is not None and sid in kb.sources:
            return kb.sources[sid].text
        return self._doc(sid.removeprefix("seed:")) if sid.startswith("seed:") else sid

    def _doc(self, doc_id: str) -> str:
        d = self.docs.get(doc_id)
        if d is None:
            return f"article {doc_id}"
        when = _day(d.published) if d.published is not None and not pd.isna(d.published) \
            else "undated"
        return f"{d.outlet or 'outlet not stated'}, {when}, “{d.title}”"

    def markdown(self) -> str:
        return " · ".join(f"<sup>{i}</sup> {_md(t)}" for i, t in enumerate(self.items, 1))


def _first(p: Profile, field: str) -> pd.Series | None:
    f = p.facts[p.facts["field"] == field]
    return f.iloc[0] if len(f) else None


def _who(p: Profile, notes: _Notes) -> str:
    """"**X** (legal name …) works in …, was founded in …, is based in … and has … staff."""
    lead = f"**{_md(p.name)}**"
    legal = _first(p, "legal_name")
    if legal is not None and str(legal["value"]) != p.name:
        lead += f" (legal name {_md(legal['value'])}{notes.cite(legal)})"
    parts = []
    for field, phrase in (("sector", "works in {v}"), ("founded", "was founded in {v}"),
                          ("headquarters", "is based in {v}"), ("staff", "has {v} staff"),
                          ("revenue", "reports revenue of {v}")):
        r = _first(p, field)
        if r is not None:
            value = _amount(str(r["value"])) if field == "revenue" else str(r["value"])
            parts.append(phrase.format(v=_md(value)) + notes.cite(r))
    if not parts:
        return lead + ": neither the knowledge base nor the articles say what it does."
    body = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{lead} {body}."


def _official(p: Profile, notes: _Notes) -> str:
    """"The official record lists it on the Entity List from 7 Oct 2019¹ and …"."""
    rows = p.facts[p.facts["field"] == "sanction"]
    listed = []
    for _, r in rows.iterrows():
        m = _SANCTION.match(str(r["value"]))
        if m:
            inst = _name(p, m.group("inst"))
            inst = f"the {inst}" if inst.lower().endswith("list") else inst
            listed.append(f"{_md(inst)} from {_day(m.group('date'))}{notes.cite(r)}")
    if listed:
        body = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
        return f"The official record lists it under {body}."
    ref = p.sanctions[p.sanctions["source"] == "reference"]
    if len(ref):
        return (f"The official record names it in {_n(len(ref), 'action')} between "
                f"{_day(ref['date'].min())} and {_day(ref['date'].max())}.")
    return "The knowledge base records no US sanction against it."


def _name(p: Profile, eid: str) -> str:
    kb = p.kb
    if kb is None:
        return eid
    for group in (kb.instruments, kb.agencies, kb.companies):
        if eid in group:
            return group[eid].name
    return eid


def _coverage(p: Profile) -> str:
    if not len(p.mentions):
        return f"None of the {_n(p.documents, 'article')} names it."
    outlets = sorted({o for o in p.mentions["outlet"] if o})
    s = (f"{len(p.mentions)} of the {_n(p.documents, 'article')} "
         f"{'names' if len(p.mentions) == 1 else 'name'} it "
         f"({_n(p.mention_count, 'mention')}"
         + (f"; {', '.join(_md(o) for o in outlets)}" if outlets else "") + ")")
    rep = p.sanctions[p.sanctions["source"] == "corpus"]
    if len(rep):
        dated = int(sum(isinstance(d, str) and bool(d) for d in rep["date"]))
        s += (f" and report {_n(len(rep), 'event')} about it"
              + (("" if len(rep) == 1 else ", all dated") if dated == len(rep)
                 else (", undated" if len(rep) == 1 else ", none of them dated") if not dated
                 else f", {dated} of them dated"))
    return s + "."


def _voice(p: Profile) -> list[str]:
    out = []
    if len(p.statements):
        denials = int(p.statements["denial"].sum())
        out.append(f"It is quoted or reported speaking {_n(len(p.statements), 'time')}"
                   + (f"; {denials} of these statements deny or reject something"
                      if denials else "") + ".")
    if len(p.tone):
        score = f"{p.tone['compound'].mean():+.2f}".replace("-", "−")
        which = ("the one sentence that names it" if len(p.tone) == 1
                 else f"the {len(p.tone)} sentences that name it")
        out.append(f"The tone indicator (VADER, not a measure of stance) averages {score} "
                   f"over {which}.")
    return out


def in_brief(p: Profile) -> str:
    """The profile in a few plain sentences with numbered sources (Markdown)."""
    notes = _Notes(p)
    text = " ".join([_who(p, notes), _official(p, notes), _coverage(p), *_voice(p)])
    return text + (f"\n\n<small>Sources: {notes.markdown()}</small>" if notes.items else "")


__all__ = ["in_brief"]
