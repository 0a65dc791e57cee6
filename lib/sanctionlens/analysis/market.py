"""Market facts stated in the texts: IPO size, offer price, postponement, scrapping, listing venue,
share moves, revenue and growth — each row with its evidence sentence and span.

Rules are patterns over sentences plus the tagger's rows (MONEY, PERCENT, DATE, COMPANY,
AGENCY, PLACE). Nothing is keyed to a file. The company is the nearest company named before
the trigger in the sentence (a company after "rival of", "like", "such as" … is skipped).
Failing that, it is the first company named after the trigger, and then the last company
named in the earlier sentences of the article ("The company's shares …").
`company_basis` records which rule applied. Derived rows (IPO cut in percent, days from a
sanction to a postponement) say in `derived_from` what they were computed from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..ingest.load import Corpus, Document

__all__ = ["COLUMNS", "compare_share_moves", "reported_moves"]

COLUMNS = ["company", "kind", "value", "unit", "qualifier", "date", "date_basis", "venue",
           "venue_text", "doc_id", "sentence_id", "start", "end", "span_text", "evidence",
           "company_basis", "derived_from"]

IPO_NOUN = re.compile(r"\b(?:IPO|initial public offering|initial share sale|share sale|"
                      r"share offering|listing)s?\b", re.IGNORECASE)
POSTPONE = re.compile(r"\b(?:postpon\w*|delay(?:ed|ing|s)?|put off)\b", re.IGNORECASE)
SCRAP = re.compile(r"\b(?:scrap(?:ped|s|ping)?|cancel(?:l?ed|l?ing|s)?|abandon(?:ed|ing|s)?|"
                   r"withdr[ae]w\w*|shelv(?:ed|es|ing)|call(?:ed|s)? off)\b", re.IGNORECASE)
CUT = re.compile(r"\b(?:downgraded|cut|reduced|lowered|slashed|trimmed|scaled back|"
                 r"downsized)\b[^.;]{0,20}?\bfrom\s*$", re.IGNORECASE)
OFFER_PRICE = re.compile(
    r"\b(?:priced(?:\s+[\w’'-]+){0,5}?\s+at|(?:offer(?:ing)?|IPO|issue|listing|"
    r"subscription) price(?:\s+(?:of|was|at|is|set at))?)\s+$", re.IGNORECASE)
LISTING_ON = re.compile(r"\blist(?:ing|ed)? (?:on|in)\s+(?:the\s+)?", re.IGNORECASE)
SHARES = re.compile(r"\b(?:shares?|stocks?)\b", re.IGNORECASE)
DOWN = re.compile(r"\b(?:tumbl\w*|fell|fall(?:s|ing)?|drop\w*|plung\w*|slump\w*|sank|sink\w*|"
                  r"declin\w*|slid\w*|lost|los(?:e|es|ing))\b", re.IGNORECASE)
UP = re.compile(r"\b(?:jump\w*|rose|ris(?:e|es|ing)|surg\w*|soar\w*|gain\w*|climb\w*|"
                r"rall\w*|grew|grow\w*|increas\w*)\b", re.IGNORECASE)
SALES = re.compile(r"\b(?:sales|revenues?|turnover)\b", re.IGNORECASE)
SANCTIONED = re.compile(
    r"\b(?:blacklisted|sanctioned|designated|banned|announced the (?:ban|sanctions?|"
    r"blacklisting|designation)|added (?:\w+ ){0,4}to (?:the|its) )", re.IGNORECASE)
HEDGE = re.compile(r"\b(?:potential|possible|may|might|could|would|weigh\w*|threat\w*|"
                   r"consider\w*|plan)\b", re.IGNORECASE)
NOT_SUBJECT = re.compile(r"(?:\b(?:rival|competitor|peer|unit|subsidiary|affiliate|supplier|"
                         r"customer)s?\s+(?:of|to)\s+(?:the\s+)?|\b(?:like|than|such as|"
                         r"including|similar to)\s+(?:the\s+)?)$", re.IGNORECASE)
LIMIT = re.compile(r"\bdaily limit\b|\blimit[- ]down\b|\blimit[- ]up\b", re.IGNORECASE)
VENUE_IDS_PLACES = {"hong_kong", "shanghai", "shenzhen", "new_york", "beijing"}


# ----------------------------------------------------------------------------- helpers
def _iso(d: Any) -> str | None:
    return d.isoformat() if isinstance(d, dt.date) else (str(d) if d else None)


class _Sentence:
    """A sentence with its tags (offsets in the document text)."""

    def __init__(self, doc: Document, sid: int, tags: pd.DataFrame) -> None:
        s = doc.sentences[sid]
        self.doc, self.sid, self.start, self.end, self.text = doc, sid, s.start, s.end, s.text
        self.tags = tags.sort_values(["start", "end"]).to_dict("records")

    def of(self, *labels: str) -> list[dict[str, Any]]:
        return [t for t in self.tags if t["label"] in labels]

    def abs(self, m: re.Match[str]) -> tuple[int, int]:
        return self.start + m.start(), self.start + m.end()

    def day_date(self) -> dict[str, Any] | None:
        """The first DATE tag with day precision (its value dict), if any."""
        for t in self.of("DATE"):
            v = t["value"] or {}
            if v.get("precision") == "day" and v.get("value"):
                return v
        return None


class _Doc:
    def __init__(self, doc: Document, tags: pd.DataFrame) -> None:
        self.doc = doc
        by_sid = {int(k): g for k, g in tags.groupby("sentence_id")}
        empty = tags.iloc[0:0]
        self.sentences = [_Sentence(doc, i, by_sid.get(i, empty))
                          for i in range(len(doc.sentences))]

    def company(self, sent: _Sentence, at: int) -> tuple[str | None, str]:
        """Company id for a trigger at document offset `at`, and the rule used."""
        comps = [c for c in sent.of("COMPANY") if c["entity_id"]]
        before = [c for c in comps if c["end"] <= at
                  and not NOT_SUBJECT.search(self.doc.text[sent.start:c["start"]])]
        if before:
            return before[-1]["entity_id"], "named before the trigger in the sentence"
        after = [c for c in comps if c["start"] >= at]
        if after:
            return after[0]["entity_id"], "named after the trigger in the sentence"
        for prev in reversed(self.sentences[:sent.sid]):
            pc = [c for c in prev.of("COMPANY") if c["entity_id"]]
            if pc:
                return pc[-1]["entity_id"], f"antecedent: last company in sentence {prev.sid}"
        return None, "no company found"


def _row(sent: _Sentence, company: tuple[str | None, str], kind: str, span: tuple[int, int],
         value: Any = None, unit: str = "", qualifier: str = "", date: Any = None,
         venue: dict[str, Any] | None = None, derived_from: str = "") -> dict[str, Any]:
    date_val = date.get("value") if isinstance(date, dict) else date
    date_basis = date.get("basis", "") if isinstance(date, dict) else ""
    text = sent.doc.text
    return {"company": company[0], "kind": kind, "value": value, "unit": unit,
            "qualifier": qualifier, "date": date_val, "date_basis": date_basis,
            "venue": venue["entity_id"] if venue else None,
            "venue_text": venue["text"] if venue else None,
            "doc_id": sent.doc.id, "sentence_id": sent.sid, "start": span[0], "end": span[1],
            "span_text": text[span[0]:span[1]], "evidence": sent.text,
            "company_basis": company[1], "derived_from": derived_from}


def _venue_near(sent: _Sentence, noun: tuple[int, int]) -> dict[str, Any] | None:
    """Exchange/place right before the IPO noun ("Hong Kong IPO") or after it ("… in Hong Kong")."""
    text = sent.doc.text
    cands = [t for t in sent.of("AGENCY", "PLACE")
             if t["label"] == "AGENCY" or t["entity_id"] in VENUE_IDS_PLACES]
    for t in reversed(cands):
        if t["end"] <= noun[0] and not text[t["end"]:noun[0]].strip(" ’'s"):
            return t
    for t in cands:
        gap = text[noun[1]:t["start"]]
        if t["start"] >= noun[1] and re.fullmatch(r"\s*(?:plans?\s+)?(?:in|on)\s+(?:the\s+)?", gap):
            return t
    for t in cands:  # e.g. "filed a statement with the Hong Kong stock exchange"
        if t["label"] == "AGENCY":
            return t
    return None


def _money_value(tag: dict[str, Any]) -> tuple[float, str, str]:
    v = tag["value"] or {}
    qual = v.get("qualifier", "") or ""
    if "equivalent_of" in v:
        eq = v["equivalent_of"]
        qual = (qual + "; " if qual else "") + f"stated equivalent of {eq['amount']:,} {eq['unit']}"
    return float(v.get("amount")), str(v.get("unit", "")), qual


# ----------------------------------------------------------------------------- rules
def _ipo_rules(d: _Doc, s: _Sentence) -> list[dict[str, Any]]:
    # Longer than a screen: the IPO facts of one sentence (size cut, size, steps, venue,
    # valuation) in reading order, each a few lines sharing the sentence's money tags.
    rows: list[dict[str, Any]] = []
    nouns = list(IPO_NOUN.finditer(s.text))
    if not nouns:
        return rows
    text = d.doc.text
    money = s.of("MONEY")
    # size cut: "downgraded from $2 billion to $767 million"
    for i in range(len(money) - 1):
        m1, m2 = money[i], money[i + 1]
        if CUT.search(text[s.start:m1["start"]]) and re.fullmatch(r"\s*to\s*",
                                                                    text[m1["end"]:m2["start"]]):
            comp = d.company(s, m1["start"])
            a, ua, _ = _money_value(m1)
            b, ub, _ = _money_value(m2)
            rows.append(_row(s, comp, "ipo_size_initial", (m1["start"], m1["end"]), a, ua))
            rows.append(_row(s, comp, "ipo_size", (m2["start"], m2["end"]), b, ub))
            if ua == ub and a:
                rows.append(_row(s, comp, "ipo_size_change", (m1["start"], m2["end"]),
                                 round((b - a) / a * 100, 2), "%",
                                 derived_from=f"computed: ({b:,.0f} - {a:,.0f}) / {a:,.0f} "
                                              f"{ua} × 100"))
    cut_ids = {r["start"] for r in rows}
    # size stated next to the noun: "$767 million IPO", "$767 million initial share sale"
    for m in money:
        if m["start"] in cut_ids or m["end"] in {r["end"] for r in rows}:
            continue
        for n in nouns:
            ns = s.start + n.start()
            if m["end"] <= ns and re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}",
                                               text[m["end"]:ns]):
                val, unit, qual = _money_value(m)
                rows.append(_row(s, d.company(s, m["start"]), "ipo_size", (m["start"], m["end"]),
                                 val, unit, qual))
                break
    for rx, kind in ((POSTPONE, "ipo_postponed"), (SCRAP, "ipo_scrapped")):
        for trig in rx.finditer(s.text):
            after = [n for n in nouns if n.start() > trig.end()]
            before = [n for n in nouns if n.end() <= trig.start()]
            noun = after[0] if after and after[0].start() - trig.end() <= 60 else (
                before[-1] if before and trig.start() - before[-1].end() <= 40 else None)
            if noun is None:
                continue
            n_abs = s.abs(noun)
            t_abs = s.abs(trig)
            span = (min(t_abs[0], n_abs[0]), max(t_abs[1], n_abs[1]))
            rows.append(_row(s, d.company(s, t_abs[0]), kind, span, date=s.day_date(),
                             venue=_venue_near(s, n_abs)))
            break
    for m in LISTING_ON.finditer(s.text):
        at = s.start + m.end()
        venues = [t for t in s.of("AGENCY", "PLACE") if t["start"] >= at
                  and (t["label"] == "AGENCY" or t["entity_id"] in VENUE_IDS_PLACES)]
        if not venues or venues[0]["start"] > at + 2:
            continue
        chain = [venues[0]]
        for t in venues[1:]:  # "Shanghai Stock Exchange’s STAR Market"
            if re.fullmatch(r"[’']s\s+(?:the\s+)?", text[chain[-1]["end"]:t["start"]]):
                chain.append(t)
        venue = dict(chain[-1])
        venue["text"] = text[chain[0]["start"]:chain[-1]["end"]]
        lead = s.text[:m.start()]
        qual = next((q for q in ("applying for", "committed", "plans", "seeking", "relaunch")
                     if q in lead[-60:].lower()), "")
        rows.append(_row(s, d.company(s, s.start + m.start()), "listing_venue",
                         (s.start + m.start(), chain[-1]["end"]), venue["text"], "venue",
                         qual, date=s.day_date(), venue=venue))
    return rows


def _offer_rules(d: _Doc, s: _Sentence) -> list[dict[str, Any]]:
    """The IPO offer price: a MONEY amount right after "priced … at", "offer price of",
    "IPO price of" and the like ("priced its IPO at HK$3.85 per share")."""
    rows = []
    for m in s.of("MONEY"):
        lead = d.doc.text[max(s.start, m["start"] - 60):m["start"]]
        if OFFER_PRICE.search(lead):
            val, unit, qual = _money_value(m)
            rows.append(_row(s, d.company(s, m["start"]), "ipo_offer_price",
                             (m["start"], m["end"]), val, unit, qual, date=s.day_date()))
    return rows


def _move_rules(d: _Doc, s: _Sentence) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    text = d.doc.text
    pcts = s.of("PERCENT")
    if not pcts:
        return rows
    verbs = sorted([(m, -1) for m in DOWN.finditer(s.text)] + [(m, 1) for m in UP.finditer(s.text)],
                   key=lambda x: x[0].start())
    for verb, sign in verbs:
        v0, v1 = s.abs(verb)
        pct = next((p for p in pcts if p["start"] >= v1 and p["start"] - v1 <= 40), None)
        if pct is None:
            continue
        lead = s.text[:verb.start()]
        amount = float((pct["value"] or {}).get("amount"))
        if SALES.search(lead[-40:]):
            comp = d.company(s, v0)
            year = next((t for t in s.of("DATE") if t["end"] <= v0
                         and (t["value"] or {}).get("precision") == "year"), None)
            date = year["value"] if year else None
            rows.append(_row(s, comp, "revenue_growth", (v0, pct["end"]), sign * amount, "%",
                             date=date))
            for m in s.of("MONEY"):
                if m["start"] >= pct["end"] and re.match(r"\s*to\b", text[pct["end"]:m["start"]]) \
                        or (m["start"] >= pct["end"] and (m["value"] or {}).get("equivalent_of")):
                    val, unit, qual = _money_value(m)
                    rows.append(_row(s, comp, "revenue", (m["start"], m["end"]), val, unit, qual,
                                     date=date))
        elif SHARES.search(lead[-40:]):
            comp = d.company(s, v0)
            qual = "at the daily price limit" if LIMIT.search(s.text) else ""
            venue = None
            for t in s.of("PLACE", "AGENCY"):
                gap = text[pct["end"]:t["start"]]
                if t["start"] >= pct["end"] and len(gap) < 40 and \
                        re.search(r"\b(?:in|on)\s+(?:the\s+)?$", gap):
                    venue = t
                    break
            rows.append(_row(s, comp, "share_move", (v0, pct["end"]), sign * amount, "%", qual,
                             date=s.day_date(), venue=venue))
        break
    return rows


def _sanction_rules(d: _Doc, s: _Sentence) -> list[dict[str, Any]]:
    m = SANCTIONED.search(s.text)
    if not m or HEDGE.search(s.text):
        return []
    t0, t1 = s.abs(m)
    # the day must belong to the sanction clause: just after the trigger or just before it
    date = next(((t["value"] or {}) for t in s.of("DATE")
                 if (t["value"] or {}).get("precision") == "day" and (t["value"] or {}).get("value")
                 and (0 <= t["start"] - t1 <= 40 or 0 <= t0 - t["end"] <= 25)), None)
    if date is None:
        return []
    issuer = next((t for t in s.of("AGENCY") if t["start"] < s.start + m.end() + 20), None) or \
        next((t for t in s.of("PLACE") if t["entity_id"] == "united_states"), None)
    if issuer is None:
        return []
    return [_row(s, d.company(s, t0), "sanction_announced", (t0, t1), date=date,
                 qualifier=f"by {issuer['text']}")]


def _derived(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Days from the latest dated sanction to each dated postponement of the same company."""
    out = []
    sanctions = [r for r in rows if r["kind"] == "sanction_announced" and r["date"]]
    seen: set[tuple[str, str]] = set()
    for p in sorted((r for r in rows if r["kind"] == "ipo_postponed" and r["date"]),
                    key=lambda r: (r["doc_id"], r["sentence_id"])):
        prior = [s for s in sanctions if s["company"] == p["company"] and s["date"] <= p["date"]]
        if not prior:
            continue
        s = max(prior, key=lambda r: (r["date"], r["doc_id"], r["sentence_id"]))
        if (p["company"], p["date"]) in seen:
            continue
        seen.add((p["company"], p["date"]))
        days = (dt.date.fromisoformat(p["date"]) - dt.date.fromisoformat(s["date"])).days
        d = dict(p)
        d.update(kind="days_sanction_to_postponement", value=days, unit="days", qualifier="",
                 derived_from=(f"computed: postponement {p['date']} ({p['doc_id']} sentence "
                               f"{p['sentence_id']}) - sanction {s['date']} ({s['doc_id']} "
                               f"sentence {s['sentence_id']}: \"{s['span_text']}\")"))
        out.append(d)
    return out


def reported_moves(corpus: Corpus | Iterable[Document],
                   tags: pd.DataFrame | None = None) -> pd.DataFrame:
    """Market facts stated in the texts, one row per statement (see module doc and COLUMNS).

    `tags`: output of `sanctionlens.extract.tagging.tag(corpus)` (computed when omitted).
    """
    docs = list(corpus.documents if isinstance(corpus, Corpus) else corpus)
    if tags is None:
        from ..extract.tagging import tag
        tags = tag(docs)
    rows: list[dict[str, Any]] = []
    for doc in docs:
        dtags = tags[tags["doc_id"] == doc.id]
        d = _Doc(doc, dtags)
        for s in d.sentences:
            rows += _ipo_rules(d, s) + _offer_rules(d, s) + _move_rules(d, s)
            rows += _sanction_rules(d, s)
    rows += _derived(rows)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["value"].astype("object")
    return frame.sort_values(["doc_id", "sentence_id", "start", "kind"],
                             kind="stable").reset_index(drop=True)


def compare_share_moves(moves: pd.DataFrame, prices: pd.DataFrame,
                        symbols: dict[str, str]) -> pd.DataFrame:
    """Reported share moves next to the close-to-close return on the stated day.

    `symbols`: company id → price symbol (e.g. {"hikvision": "002415.SZ"}). Rows without a
    date, without a symbol or without a price that day get NaN and a `note` saying why.
    """
    out = []
    px = prices.assign(date=pd.to_datetime(prices["date"]))
    for _, r in moves[moves["kind"] == "share_move"].iterrows():
        sym = symbols.get(r["company"]) if r["company"] else None
        actual, prev_day, note = float("nan"), None, ""
        if sym is None:
            note = f"no price symbol given for {r['company']}"
        elif not r["date"]:
            note = "the text gives no day"
        else:
            series = px[px["ticker"] == sym].set_index("date")["close"].sort_index()
            day = pd.Timestamp(r["date"])
            if day not in series.index:
                note = f"{sym} has no close on {r['date']}"
            else:
                i = series.index.get_loc(day)
                if i == 0:
                    note = "no earlier close"
                else:
                    actual = float(series.iloc[i] / series.iloc[i - 1] - 1) * 100
                    prev_day = series.index[i - 1].date().isoformat()
        out.append({"company": r["company"], "date": r["date"], "symbol": sym,
                    "reported_pct": r["value"], "actual_pct": actual, "previous_close_day":
                    prev_day, "doc_id": r["doc_id"], "sentence_id": r["sentence_id"],
                    "span_text": r["span_text"], "note": note})
    return pd.DataFrame(out, columns=["company", "date", "symbol", "reported_pct", "actual_pct",
                                      "previous_close_day", "doc_id", "sentence_id", "span_text",
                                      "note"])


def events_with_prices(kb: Any, symbols: Iterable[str],
                       event_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Knowledge-base events (event_id, date, targets, actor) that touch a company with a
    listing among `symbols` — every such event when `event_ids` is empty or None, else those
    ids (unknown ids raise through ``kb.event``). Sorted by date, then id."""
    have = set(symbols)
    priced = {c.id for c in kb.companies.values()
              if any(lst.symbol in have for lst in c.listings)}
    frame = kb.events_frame()
    chosen = list(event_ids or [])
    for event_id in chosen:
        kb.event(event_id)
    if chosen:
        keep = frame["event_id"].isin(chosen)
    else:
        keep = frame["targets"].map(lambda ts: bool(priced.intersection(ts or ())))
    out = frame[keep][["event_id", "date", "targets", "actor"]]
    return out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
