"""`sanctionlens prices fetch|list`: get daily prices with their provenance, show what is there."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from .. import paths
from ..errors import PriceDataError, SanctionlensError
from . import calendars

__all__ = ["add_prices_arguments", "run_prices"]


def add_prices_arguments(parser: argparse.ArgumentParser) -> None:
    """The `prices` subcommands on `parser` (its `func` runs them)."""
    sub = parser.add_subparsers(dest="prices_command", metavar="ACTION", required=True)
    f = sub.add_parser("fetch", help="download daily prices (needs the 'online' extra)",
                       description="Download daily prices from Yahoo Finance (yfinance) into "
                                   "<dir>/<SYMBOL>.csv and record provider, retrieval time, "
                                   "rows and sha256 of each file in <dir>/SOURCES.json.")
    f.add_argument("symbols", nargs="*", metavar="SYMBOL",
                   help="price symbols as the project writes them: 002415.SZ 000300.SH HSI "
                        "0020.HK (mapped to Yahoo's spelling)")
    f.add_argument("--companies", nargs="+", metavar="NAME", default=None,
                   help="companies (any name or alias the knowledge base knows): their "
                        "listings and their exchanges' market indices. With neither symbols "
                        "nor --companies: every listed company in the knowledge base")
    f.add_argument("--start", default="2019-01-01", help="first day (YYYY-MM-DD)")
    f.add_argument("--end", default="2025-12-31", help="last day, inclusive (YYYY-MM-DD)")
    f.add_argument("--adjusted", action="store_true",
                   help="also keep the provider's split- and dividend-adjusted close (adj_close)")
    f.add_argument("--dir", default=None, help=f"folder to write (default {paths.PRICES_DIR})")
    f.add_argument("--keep", action="store_true", help="keep files already in the folder")
    f.set_defaults(prices_func=_fetch)
    ls = sub.add_parser("list", help="show the price files, their source and calendar check",
                        description="One line per symbol: rows, first and last day, sessions "
                                    "of its exchange with no row (suspensions or gaps), rows on "
                                    "non-sessions, and where the file came from.")
    ls.add_argument("--dir", default=None, help=f"folder to read (default {paths.PRICES_DIR})")
    ls.set_defaults(prices_func=_list)


def run_prices(args: argparse.Namespace) -> int:
    return int(args.prices_func(args) or 0)


def symbols_for_companies(names: list[str] | None) -> list[str]:
    """Price symbols of the companies' listings plus their exchanges' market indices (all
    listed companies of the knowledge base when `names` is None), sorted."""
    from ..kb import get_kb

    kb = get_kb()
    companies = (list(kb.companies.values()) if names is None
                 else [kb.resolve_company(n) for n in names])
    out: set[str] = set()
    for company in companies:
        for listing in company.listings:
            out.add(listing.symbol)
            try:
                out.update(kb.exchange(listing.exchange).market_indices)
            except SanctionlensError:
                pass  # an exchange the KB does not describe: the listing alone
    if not out:
        raise PriceDataError(f"no stock-exchange listing in the knowledge base for "
                             f"{', '.join(names or ['any company'])}; give price symbols")
    return sorted(out)


def _fetch(args: argparse.Namespace) -> int:
    from .price_sources import fetch_prices, read_manifest

    symbols = list(args.symbols)
    if args.companies or not symbols:
        symbols = sorted(set(symbols) | set(symbols_for_companies(args.companies)))
    out = fetch_prices(symbols, args.dir, args.start, args.end, adjusted=args.adjusted,
                       refresh=not args.keep)
    folder = next(iter(out.values())).parent
    manifest = read_manifest(folder)
    for sym in symbols:
        e = manifest.get(sym, {})
        print(f"{sym}: {e.get('rows', '?')} rows {e.get('first', '?')}..{e.get('last', '?')} "
              f"-> {out[sym]}", file=sys.stderr)
    print(f"sources recorded in {folder / 'SOURCES.json'}", file=sys.stderr)
    return 0


def _runs(days: list[pd.Timestamp]) -> str:
    """Missing sessions as a short text: the first few days, then a count."""
    shown = ", ".join(f"{d:%Y-%m-%d}" for d in days[:4])
    return shown + (f" (+{len(days) - 4} more)" if len(days) > 4 else "")


def price_table(folder: str | None = None) -> pd.DataFrame:
    """One row per symbol of a price folder: rows, dates, calendar check, source."""
    from .prices import load_prices

    px = load_prices(folder)
    rows = []
    for t, g in px.groupby("ticker", sort=True):
        chk = calendars.calendar_check(g["date"], calendars.exchange_for_symbol(t))
        src = px.attrs["sources"].get(t, {})
        where = (f"{src['source']} {src.get('library', '')}, retrieved "
                 f"{str(src.get('retrieved', ''))[:10]}" + ("" if src.get("sha256_ok") else
                                                           ", CHANGED since retrieval")
                 if src.get("source") else src.get("note", ""))
        cal = chk["calendar"]
        rows.append({"symbol": t, "rows": chk["rows"], "first": f"{chk['first']:%Y-%m-%d}",
                     "last": f"{chk['last']:%Y-%m-%d}",
                     "calendar": next((c for c in ("XSHG", "XHKG", "XNYS", "XNAS") if c in cal),
                                      cal),
                     "sessions_without_row": _runs(chk["missing"]) or "none",
                     "rows_on_non_sessions": _runs(chk["off_session"]) or "none",
                     "adj_close": "adj_close" in g.columns and bool(g["adj_close"].notna().all()),
                     "source": where})
    return pd.DataFrame(rows)


def _list(args: argparse.Namespace) -> int:
    table = price_table(args.dir)
    if table.empty:
        raise PriceDataError("no prices found")
    with pd.option_context("display.width", 250, "display.max_colwidth", 70):
        print(table.to_string(index=False))
    return 0
