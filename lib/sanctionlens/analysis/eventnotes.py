"""The flags of an event study in words, for the page: suspended sessions spanned, closes at
the daily limit, events of one firm that share a window, ex-dividend days in an estimation
window, cross-firm tests with too few firms, and the firm × event pairs that could not be
studied."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

import pandas as pd

from .eventstudy import EventStudyResult

__all__ = ["flag_sentences"]

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
          8: "eight", 9: "nine", 10: "ten"}


def _n(k: int) -> str:
    return _WORDS.get(k, str(k))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _who(ticker: str, names: Mapping[str, str]) -> str:
    return f"{names[ticker]} ({ticker})" if ticker in names else ticker


def _day(rel: int) -> str:
    return f"day {rel:+d}" if rel else "day 0"


def event_labels(event_ids: list[str], kb: object | None = None) -> dict[str, str]:
    """Event id → words for the page: a knowledge-base event as "the Entity List action of
    7 Oct 2019", a share move the texts report as "the share move reported for 5 May 2022"."""
    out = {}
    for eid in event_ids:
        label = eid
        m = re.fullmatch(r".+-reported-move-(\d{4}-\d{2}-\d{2})", eid)
        if m:
            label = f"the share move reported for {_date(m.group(1))}"
        elif kb is not None:
            try:
                ev = kb.event(eid)
                inst = kb.instruments.get(ev.instrument) if ev.instrument else None
                what = f"the {inst.name} action" if inst else "the action"
                label = f"{what} of {_date(str(ev.date))}"
            except Exception:  # noqa: BLE001 - an id the KB does not know keeps its id
                label = eid
        out[eid] = label
    return out


def _company(entity_id: str, kb: object | None) -> str:
    """A KB company id as the company's name (the id itself when unknown)."""
    company = getattr(kb, "companies", {}).get(entity_id) if kb is not None else None
    return company.name if company is not None else entity_id


def _date(iso: str) -> str:
    d = dt.date.fromisoformat(iso[:10])
    return f"{d.day} {d:%b %Y}"


def _span_sentences(res: EventStudyResult, names: Mapping[str, str], ev: Callable[[str], str]
                    ) -> list[str]:
    out = []
    lo = min(a for a, _ in res.settings.get("windows", [(0, 0)]))
    hi = max(b for _, b in res.settings.get("windows", [(0, 0)]))
    gaps = res.ar[(res.ar["gap_days"] > 0) & (res.ar["span_start_rel"] <= hi)
                  & (res.ar["rel_day"] >= lo)]
    for r in gaps.itertuples():
        halted = [d for d in str(r.suspended_days).split(", ") if d]
        out.append(
            f"{_who(r.ticker, names)}, {ev(r.event_id)}: {_day(r.span_start_rel)} spans "
            f"{_n(r.gap_days + 1)} sessions because trading was suspended on {_and(halted)}; "
            f"the first return after the halt ({r.date:%Y-%m-%d}) covers them all and is "
            "compared with the market over the same span.")
    return out


def _limit_sentences(res: EventStudyResult, names: Mapping[str, str], ev: Callable[[str], str]
                     ) -> list[str]:
    out = []
    hits = res.ar[res.ar["limit_hit"].isin(["up", "down"])]
    through = res.car[res.car["through_limit"]].set_index(["event_id", "ticker", "window"])
    for r in hits.itertuples():
        s = (f"{_who(r.ticker, names)}, {ev(r.event_id)}: closed at the {r.limit_hit} limit on "
             f"{r.date:%Y-%m-%d} ({_day(r.rel_day)}); trading stops at the limit, so that "
             "day's return understates the move")
        key = (r.event_id, r.ticker, f"[{r.rel_day:+d},{r.rel_day:+d}] through limit")
        if key in through.index:
            row = through.loc[key]
            s += (f" (the CAR run on to the first close off the limit, {_day(row['last_rel'])},"
                  f" is {row['car'] * 100:.2f}%)")
        out.append(s + ".")
    return out


def _confound_sentences(res: EventStudyResult, names: Mapping[str, str], ev: Callable[[str], str]
                        ) -> list[str]:
    out = []
    seen: set[tuple[str, frozenset[str]]] = set()
    rows = res.car[(res.car["confounded_with"] != "") & ~res.car["through_limit"]]
    rows = rows.assign(width=rows["end"] - rows["start"])
    for r in rows.sort_values(["ticker", "event_id", "width", "start"]).itertuples():
        group = frozenset([r.event_id, *r.confounded_with.split(", ")])
        if (r.ticker, group) in seen:
            continue
        seen.add((r.ticker, group))
        days = res.events[(res.events["ticker"] == r.ticker)
                          & res.events["event_id"].isin(group)]
        when = _and([f"{e} (event day {d:%Y-%m-%d})" for e, d in
                     zip(map(ev, days["event_id"]), days["event_day"], strict=True)])
        out.append(f"{_who(r.ticker, names)}: {when} fall in the same {r.window} window, so "
                   "their abnormal returns overlap and cannot be given to one action alone.")
    return out


def _adjustment_sentences(res: EventStudyResult, names: Mapping[str, str], ev: Callable[[str], str]
                          ) -> list[str]:
    out = []
    if "adjustment_days" not in res.params.columns:
        return out
    for r in res.params[res.params["adjustment_days"] != ""].itertuples():
        days = r.adjustment_days.split(", ")
        if r.price_column == "adj_close":
            what = "the adjusted close was used, so they do not distort the fit"
        else:
            what = ("the unadjusted close was used, so each of those days carries the payout as "
                    "a price fall; load adjusted prices (`load_prices(..., adjusted=True)`) to "
                    "remove it")
        out.append(f"{_who(r.ticker, names)}, {ev(r.event_id)}: the estimation window holds "
                   f"{_n(len(days))} ex-dividend or split day{'s' if len(days) > 1 else ''} "
                   f"({_and(days)}); {what}.")
    return out


def flag_sentences(result: EventStudyResult, names: Mapping[str, str] | None = None,
                   kb: object | None = None) -> list[str]:
    """One plain sentence per flag of `result`; `names` maps price symbols to company names,
    `kb` (when given) turns event ids into words ("the Entity List action of 7 Oct 2019")."""
    names = dict(names or {})
    labels = event_labels(sorted(set(result.events.get("event_id", [])) |
                                 set(result.skipped.get("event_id", []))), kb)

    def ev(event_id: str) -> str:
        return labels.get(event_id, event_id)

    out = _span_sentences(result, names, ev) + _limit_sentences(result, names, ev)
    out += _confound_sentences(result, names, ev) + _adjustment_sentences(result, names, ev)
    for r in result.caar.drop_duplicates("event_id").itertuples():
        if r.note and r.n_firms >= 2:
            out.append(f"Cross-firm test for {ev(r.event_id)}: {r.note}; read the firms one by "
                       "one.")
    for r in result.skipped.itertuples():
        who = _who(r.ticker, names) if r.ticker else _company(r.target, kb)
        out.append(f"Not studied: {who} around {ev(r.event_id)}, because {r.reason}.")
    return out


def names_for(prices: pd.DataFrame, kb: object) -> dict[str, str]:
    """Price symbol → company name from the knowledge base's listings."""
    out = {}
    for c in getattr(kb, "companies", {}).values():
        for lst in c.listings:
            out[lst.symbol] = c.name
    return {t: out[t] for t in prices["ticker"].unique() if t in out}
