"""Findings first: a page opens with its title and 3–5 plain sentences of what it shows, each
with a numbered note that traces it to an article sentence (quoted, with outlet, date and
title) or to the knowledge-base source (citation and link).

``Notes`` collects the references; the page builders (``chronology_findings``,
``tour_findings``, ``market_findings``) write the sentences from the frames the notebooks
already have. Every value from data is HTML-escaped; only the builders' own words are markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from . import labels as L
from .display import HTML, escape
from .style import short

QUOTE_CHARS = 200


def _n(count: int, word: str, plural: str | None = None) -> str:
    """'1 article', '3 articles'."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


class Notes:
    """Numbered references; the same source gets the same number."""

    def __init__(self, docs: Iterable[Any] = ()) -> None:
        self.items: list[str] = []
        self.docs = {d.id: d for d in docs}

    def _ref(self, html: str) -> str:
        if html not in self.items:
            self.items.append(html)
        n = self.items.index(html) + 1
        return f'<sup><a href="#note-{n}">{n}</a></sup>'

    def article(self, doc_id: str, text: str = "", sentence_id: Any = None) -> str:
        """A note quoting ``text`` from article ``doc_id`` (linked when it has a URL)."""
        doc = self.docs.get(doc_id)
        label = L.doc_label(doc) if doc is not None else "an article of the corpus"
        url = getattr(doc, "url", "") or ""
        where = (f'<a href="{escape(url)}">{escape(label)}</a>'
                 if url.startswith(("http://", "https://")) else escape(label))
        if sentence_id is not None and not pd.isna(sentence_id):
            where += f", sentence {int(sentence_id) + 1}"
        quote = f": “{escape(short(text, QUOTE_CHARS))}”" if text else ""
        return self._ref(where + quote)

    def evidence(self, row: Any) -> str:
        """A note for an event row's first evidence sentence ('' when it has none)."""
        ev = [e for e in (getattr(row, "evidence", None) or []) if isinstance(e, dict)]
        if not ev:
            return ""
        return self.article(ev[0]["doc_id"], ev[0].get("text", ""), ev[0].get("sentence_id"))

    def kb(self, source: Any) -> str:
        """A note for a knowledge-base source (``kb.sources`` entry or an event's SourceRef)."""
        from ..kb import get_kb

        sid = getattr(source, "source_id", None) or getattr(source, "id", None)
        src = get_kb().sources.get(sid) if sid else None
        text = getattr(source, "text", None) or (
            f"{src.publisher}, {src.title}, {src.citation}" if src else str(source))
        url = getattr(src, "url", "") or ""
        link = f' <a href="{escape(url)}">{escape(url)}</a>' if url.startswith("http") else ""
        return self._ref("Official record: " + escape(text) + link)

    def html(self) -> str:
        if not self.items:
            return ""
        return ('<ol class="sl-notes">' + "".join(
            f'<li id="note-{i}">{item}</li>' for i, item in enumerate(self.items, start=1))
            + "</ol>")


def findings(title: str, sentences: Sequence[str], notes: Notes, lead: str = "") -> HTML:
    """The page's opening: ``title`` (escaped), an optional ``lead`` line (escaped), the
    finding sentences (markup from the builders: escaped values and note links) and the
    notes. Empty sentences are skipped."""
    body = "".join(f"<li>{s}</li>" for s in sentences if s)
    lead_html = f'<p class="sl-lead">{escape(lead)}</p>' if lead else ""
    text = " ".join(sentences)
    return HTML(f'<div class="sl-findings"><h1>{escape(title)}</h1>{lead_html}'
                f'<h2>What this page shows</h2><ul class="sl-finding-list">{body}</ul>'
                f'<div class="sl-notes-box"><p>Sources:</p>{notes.html()}</div></div>',
                text=f"{title}: {text}")


# --------------------------------------------------------------------------- chronology
def _first_official(ref: pd.DataFrame, notes: Notes) -> str:
    from ..kb import get_kb

    dated = ref[ref["date"].notna()].sort_values("date")
    if dated.empty:
        return ""
    r = dated.iloc[0]
    years = sorted({str(d)[:4] for d in dated["date"]})
    span = years[0] if len(years) == 1 else f"{years[0]} and {years[-1]}"
    try:
        cite = notes.kb(get_kb().event(str(r["reference_id"])).source)
    except Exception:  # an imported list's event without a KB source: cite its text
        cite = notes._ref("Official record: " + escape(r.get("citation") or r.get("title")))
    who = L.names(r["targets"], limit=3) or "measures naming no company"
    return (f"The official record lists {_n(len(ref), 'US action')} between {escape(span)}; the "
            f"first here is “{escape(L.event_what(r['action'], r['instrument']))}” "
            f"({escape(who)}) on {escape(L.date_label(r['date'], r['precision']))}.{cite}")


_NOT_MEASURES = ("statement", "response", "shares", "other")


def _most_reported(rep: pd.DataFrame, notes: Notes) -> str:
    if rep.empty:
        return "The articles report no event in this selection."
    n_docs = rep["doc_ids"].map(lambda ids: len(set(ids or [])))
    # among the events told in the most articles, a US measure before a statement, a response
    # or a share move, then the one naming most companies
    fam = rep["family"] if "family" in rep else pd.Series("", index=rep.index)
    rank = pd.DataFrame({"docs": n_docs, "measure": ~fam.isin(_NOT_MEASURES),
                         "named": rep["targets"].map(lambda ts: len(ts or []))})
    r = rep.loc[rank.sort_values(["docs", "measure", "named"], ascending=False,
                                 kind="stable").index[0]]
    companies: Counter[str] = Counter(t for ts in rep["targets"] for t in (ts or []) if t)
    who = L.names(r["targets"], limit=3) or "no company named"
    return (f"The articles report {_n(len(rep), 'event')} about "
            f"{_n(len(companies), 'company', 'companies')}; the most widely reported is "
            f"“{escape(L.event_what(r['action'], r['instrument']))}” ({escape(who)}), told in "
            f"{_n(int(n_docs.max()), 'article')}.{notes.evidence(r)}")


def _agreement(rep: pd.DataFrame, notes: Notes) -> str:
    matched = rep[rep["official_date"].notna()] if "official_date" in rep else rep.iloc[0:0]
    if matched.empty:
        return ""
    agrees = matched["official_agrees"] if "official_agrees" in matched else None
    differ = matched[agrees == False] if agrees is not None else matched.iloc[0:0]  # noqa: E712
    text = (f"{_n(len(matched), 'reported event')} match an official action; "
            f"{len(matched) - len(differ)} give a date consistent with it")
    if differ.empty:
        return text + f".{notes.evidence(matched.iloc[0])}"
    if len(differ):
        r = differ.iloc[0]
        what = escape(L.event_what(r["action"], r["instrument"]))
        text += (f", {len(differ)} do not (e.g. {what}"
                 f": reported {escape(L.date_label(r['date'], r['precision']))}, official "
                 f"{escape(L.date_label(r['official_date']))}){notes.evidence(r)}")
    return text + "."


def _undated(rep: pd.DataFrame, notes: Notes) -> str:
    undated = rep[rep["date"].isna()]
    if undated.empty:
        return "Every reported event has a date the articles allow to work out."
    r = undated.iloc[0]
    return (f"{_n(len(undated), 'reported event')} have no date the articles allow to work out; "
            f"they are listed in the table, not drawn (e.g. "
            f"{escape(L.event_what(r['action'], r['instrument']))}).{notes.evidence(r)}")


def chronology_findings(events: pd.DataFrame, corpus: Any, title: str,
                        lead: str = "") -> HTML:
    """The opening of the chronology page: 3–5 sentences about a chronology frame
    (sanctionlens.chronology), each with its note."""
    notes = Notes(corpus.documents)
    ref = events[events["source"] == "reference"]
    rep = events[events["source"] != "reference"]
    sentences = [_first_official(ref, notes), _most_reported(rep, notes),
                 _agreement(rep, notes), _undated(rep, notes)]
    if "agreement" in rep:
        split = rep[rep["agreement"] == False]  # noqa: E712
        if len(split):
            r = split.iloc[0]
            sentences.append(f"Articles disagree on the date of {_n(len(split), 'event')}, e.g. "
                             f"{escape(L.event_what(r['action'], r['instrument']))} "
                             f"({escape(L.names(r['targets'], limit=3))}).{notes.evidence(r)}")
    return findings(title, [s for s in sentences if s][:5], notes, lead)


# --------------------------------------------------------------------------- tour
def tour_findings(corpus: Any, tags: pd.DataFrame, title: str, lead: str = "") -> HTML:
    """What the corpus is: size, outlets and dates, undated articles, the most named company."""
    docs = list(corpus.documents)
    notes = Notes(docs)
    dated = sorted((d for d in docs if d.published), key=lambda d: d.published)
    outlets = Counter(d.outlet for d in docs if d.outlet)
    out = [f"{_n(len(docs), 'article')} from {_n(len(outlets), 'named outlet')}"
           + (f" ({escape(', '.join(o for o, _ in outlets.most_common(4)))}"
              + (", …" if len(outlets) > 4 else "") + ")" if outlets else "") + "."]
    if dated:
        first, last = dated[0], dated[-1]
        out.append(f"They were published between {escape(L.date_label(first.published))}"
                   f"{notes.article(first.id)} and {escape(L.date_label(last.published))}"
                   f"{notes.article(last.id)}.")
    undated = [d for d in docs if not d.published]
    if undated:
        verb = "states" if len(undated) == 1 else "state"
        out.append(f"{_n(len(undated), 'article')} {verb} no publication date, so relative "
                   f"dates in them (“last year”) stay unresolved.{notes.article(undated[0].id)}")
    out.append(_most_named(tags, docs, notes))
    return findings(title, [s for s in out if s], notes, lead)


def _most_named(tags: pd.DataFrame, docs: list[Any], notes: Notes) -> str:
    comp = tags[(tags["label"] == "COMPANY") & tags["entity_id"].notna()] \
        if {"label", "entity_id"} <= set(tags.columns) else tags.iloc[0:0]
    if comp.empty:
        return ""
    per_doc = comp.groupby("entity_id")["doc_id"].nunique().sort_values(ascending=False)
    top = str(per_doc.index[0])
    row = comp[comp["entity_id"] == top].sort_values(["doc_id", "start"]).iloc[0]
    doc = next((d for d in docs if d.id == row["doc_id"]), None)
    sentence = ""
    if doc is not None and hasattr(doc, "sentence_at"):
        try:
            sentence = doc.sentence_at(int(row["start"])).text
        except Exception:  # a sentence lookup is a nicety; the article label still traces it
            sentence = ""
    return (f"The company named in most articles is {escape(L.name(top))}: "
            f"{int(per_doc.iloc[0])} of {len(docs)}.{notes.article(row['doc_id'], sentence)}")


# --------------------------------------------------------------------------- market
def market_findings(moves: pd.DataFrame, corpus: Any, have_prices: bool, title: str,
                    lead: str = "") -> HTML:
    """What the texts state about markets (IPO steps, share moves), and whether prices were
    there to check them."""
    notes = Notes(corpus.documents)
    out = []
    for kind, verb in (("ipo_postponed", "postponed"), ("ipo_scrapped", "scrapped")):
        rows = moves[(moves["kind"] == kind) & (moves["derived_from"] == "")]
        for company, g in rows.groupby("company", sort=True):
            r = g.sort_values(["date", "doc_id"], na_position="last").iloc[0]
            when = (f" on {escape(L.date_label(r['date']))}" if isinstance(r["date"], str)
                    else "")
            out.append(f"{escape(L.name(company))}'s IPO was {verb}{when}, according to "
                       f"{_n(g['doc_id'].nunique(), 'article')}."
                       f"{notes.article(r['doc_id'], r['evidence'], r['sentence_id'])}")
    cut = moves[moves["kind"] == "ipo_size_change"]
    if len(cut):
        r = cut.iloc[0]
        out.append(f"The texts put {escape(L.name(r['company']))}'s IPO cut at "
                   f"{abs(float(r['value'])):.0f}% ({escape(r['span_text'])})."
                   f"{notes.article(r['doc_id'], r['evidence'], r['sentence_id'])}")
    share = moves[moves["kind"] == "share_move"]
    for company, g in share.groupby("company", sort=True):
        r = g.iloc[0]
        out.append(f"{escape(L.name(company))} shares moved {float(r['value']):+.0f}% "
                   + (f"on {escape(L.date_label(r['date']))} " if isinstance(r["date"], str)
                      else "")
                   + f"({escape(r['qualifier'] or 'as stated')}), reported by "
                   f"{_n(g['doc_id'].nunique(), 'article')}."
                   f"{notes.article(r['doc_id'], r['evidence'], r['sentence_id'])}")
    out = out[:4]
    out.append("Daily prices were available, so the event study below checks these reports."
               if have_prices else
               "No daily prices are installed, so this page shows only what the texts state; "
               "the note at the end says how to add prices.")
    if len(out) == 1:
        out.insert(0, "The articles state no IPO step or share move for these companies.")
    return findings(title, out, notes, lead)


__all__ = ["Notes", "chronology_findings", "findings", "market_findings", "tour_findings"]
