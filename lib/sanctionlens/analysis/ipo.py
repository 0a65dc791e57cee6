"""IPO outcomes from prices: first-day return and returns after listing against the index.

For every knowledge-base listing with a `listed` date: the first-day return (from the offer
price when the texts state one, else from the first open to the first close, and the row
says which), then the stock's return from the first close over a few sessions and to the
last price, beside the exchange's index over the same days (a market-adjusted return:
stock minus index). Where prices are missing, the row says which symbols and gives the
`sanctionlens prices fetch` command that gets them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

__all__ = ["fetch_command", "ipo_outcomes", "ipo_timeline"]

HORIZONS = (5, 20, 60)  # sessions after the first close
IPO_KINDS = ("ipo_size_initial", "ipo_size", "ipo_offer_price", "ipo_postponed",
             "ipo_scrapped", "listing_venue")


def fetch_command(symbols: list[str], start: dt.date, end: dt.date | None = None) -> str:
    """The exact command that fetches `symbols` from `start` (a year on by default)."""
    end = end or start + dt.timedelta(days=365)
    return (f"sanctionlens prices fetch {' '.join(symbols)} --start {start:%Y-%m-%d} "
            f"--end {end:%Y-%m-%d}")


def _offer(moves: pd.DataFrame | None, company: str) -> dict[str, Any] | None:
    """The first offer price the texts state for `company` (value, unit, where)."""
    if moves is None or moves.empty:
        return None
    rows = moves[(moves["company"] == company) & (moves["kind"] == "ipo_offer_price")]
    if rows.empty:
        return None
    r = rows.sort_values(["doc_id", "sentence_id"]).iloc[0]
    return {"value": float(r["value"]), "unit": r["unit"],
            "where": f"{r['doc_id']} sentence {r['sentence_id']}: “{r['span_text']}”"}


def _index_for(listing: Any, kb: Any, symbols: set[str]) -> tuple[str | None, list[str]]:
    """(index symbol present in the prices or None, candidates from the KB exchange)."""
    try:
        cands = list(kb.exchange(listing.exchange).market_indices)
    except Exception:  # exchange not in the KB: no benchmark to offer
        cands = []
    return next((c for c in cands if c in symbols), None), cands


def _series(prices: pd.DataFrame, symbol: str, column: str = "close") -> pd.Series:
    g = prices[prices["ticker"] == symbol].sort_values("date")
    return g.set_index("date")[column] if column in g.columns else pd.Series(dtype=float)


def _returns_after(stock: pd.Series, index: pd.Series) -> dict[str, Any]:
    """Stock and index returns from the first close over HORIZONS and to the last price."""
    out: dict[str, Any] = {}
    base_day = stock.index[0]
    idx_base = index.asof(base_day)
    for h in (*HORIZONS, None):
        name = f"{h}d" if h else "to_last"
        if h is not None and len(stock) <= h:
            out[f"ret_{name}"] = out[f"index_{name}"] = out[f"excess_{name}"] = float("nan")
            continue
        day = stock.index[h if h is not None else -1]
        r = float(stock.iloc[h if h is not None else -1] / stock.iloc[0] - 1)
        ri = float(index.asof(day) / idx_base - 1) if pd.notna(idx_base) else float("nan")
        out[f"ret_{name}"], out[f"index_{name}"], out[f"excess_{name}"] = r, ri, r - ri
        if h is None:
            out["last_day"] = day
    return out


def _first_day(stock_rows: pd.DataFrame, offer: dict[str, Any] | None) -> dict[str, Any]:
    first = stock_rows.iloc[0]
    close = float(first["close"])
    if offer is not None:
        return {"first_close": close, "first_day_return": close / offer["value"] - 1,
                "first_day_basis": f"offer price {offer['unit']} {offer['value']:g} stated in "
                                   f"{offer['where']} → first close"}
    if "open" in stock_rows.columns and pd.notna(first.get("open")):
        return {"first_close": close, "first_day_return": close / float(first["open"]) - 1,
                "first_day_basis": "first open → first close (no offer price stated in the "
                                   "texts or the knowledge base)"}
    return {"first_close": close, "first_day_return": float("nan"),
            "first_day_basis": "no offer price stated and no open price in the file"}


def _one(company: Any, listing: Any, prices: pd.DataFrame | None, kb: Any,
         moves: pd.DataFrame | None) -> dict[str, Any]:
    symbols = set(prices["ticker"].unique()) if prices is not None else set()
    index, cands = _index_for(listing, kb, symbols)
    row: dict[str, Any] = {"company": company.name, "symbol": listing.symbol,
                           "exchange": listing.exchange, "board": listing.board,
                           "listed": listing.listed, "index": index or (cands[0] if cands
                                                                        else None)}
    missing = [s for s in [listing.symbol, *(cands[:1] if index is None else [])]
               if s not in symbols]
    if missing:
        row["status"] = f"prices missing for {', '.join(missing)}"
        row["fetch"] = fetch_command(missing, listing.listed)
        return row
    rows = prices[(prices["ticker"] == listing.symbol)
                  & (prices["date"] >= pd.Timestamp(listing.listed))].sort_values("date")
    if rows.empty or rows["date"].iloc[0] != pd.Timestamp(listing.listed):
        start = f"{rows['date'].iloc[0]:%Y-%m-%d}" if len(rows) else "never"
        row["status"] = (f"the {listing.symbol} file has no row on the listing day "
                         f"{listing.listed} (first row on or after it: {start})")
        row["fetch"] = fetch_command([listing.symbol], listing.listed)
        return row
    row.update(_first_day(rows, _offer(moves, company.id)))
    row.update(_returns_after(rows.set_index("date")["close"],
                              _series(prices, index) if index else pd.Series(dtype=float)))
    row["status"] = "measured"
    return row


def ipo_outcomes(prices: pd.DataFrame | None, kb: Any,
                 moves: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per KB listing with a `listed` date (see the module doc); `moves` is the
    output of `reported_moves` (offer prices stated in the texts)."""
    rows = [_one(c, lst, prices, kb, moves)
            for c in sorted(kb.companies.values(), key=lambda c: c.id)
            for lst in c.listings if lst.listed is not None]
    cols = ["company", "symbol", "exchange", "board", "listed", "index", "status", "fetch",
            "first_close", "first_day_return", "first_day_basis"]
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=cols + [c for c in frame.columns if c not in cols])


def _cite(ref: Any) -> str:
    return str(getattr(ref, "source_id", None) or getattr(ref, "seed", None) or ref)


def ipo_timeline(moves: pd.DataFrame, kb: Any) -> pd.DataFrame:
    """IPO steps per company: what the texts state (size, offer price, postponement,
    scrapping, venue; dated where the text dates them) and the KB listing day."""
    facts = moves[moves["kind"].isin(IPO_KINDS)]
    rows = [{"company": r.company, "date": r.date, "step": r.kind, "value": r.value,
             "unit": r.unit, "venue": r.venue_text, "source": f"{r.doc_id} sentence "
             f"{r.sentence_id}: {r.span_text}"} for r in facts.itertuples()]
    for c in kb.companies.values():
        for lst in c.listings:
            if lst.listed is not None:
                rows.append({"company": c.id, "date": lst.listed.isoformat(), "step": "listed",
                             "value": lst.symbol, "unit": "", "venue": lst.exchange,
                             "source": f"knowledge base ({_cite(lst.source)})"})
    frame = pd.DataFrame(rows, columns=["company", "date", "step", "value", "unit", "venue",
                                        "source"])
    return frame.sort_values(["company", "date"], na_position="last",
                             kind="stable").reset_index(drop=True)
