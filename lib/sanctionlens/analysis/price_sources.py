"""Where the price files came from: fetch with a provider, write and read `SOURCES.json`.

`fetch_prices` is the project's only network path. It asks a downloader (Yahoo Finance
through the optional `yfinance` package by default) for each symbol, writes
``<SYMBOL>.csv`` in the documented layout (docs/prices.md) and records in the folder's
``SOURCES.json`` one entry per file: provider, library version, API call, URL, retrieval
time (UTC), whether an adjusted close is included, row count, first and last date and the
file's sha256. `read_manifest` gives the entries back; `load_prices` attaches them to the
frame it returns (``frame.attrs["sources"]``), and `source_note` turns them into one line
for a chart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..errors import PriceDataError

__all__ = ["MANIFEST", "fetch_prices", "file_sha256", "read_manifest", "source_note",
           "yahoo_symbol"]

MANIFEST = "SOURCES.json"
#: Downloader: (provider symbol, first day, day after the last) → daily OHLC frame indexed
#: by date with columns such as Open, High, Low, Close, Adj Close, Volume.
Downloader = Callable[[str, str, str], pd.DataFrame]


class PriceDownloadUnavailable(PriceDataError):
    """Prices cannot be downloaded (yfinance missing, offline, or no data): use text-only mode."""


def yahoo_symbol(symbol: str) -> str:
    """Yahoo Finance ticker for a project symbol: 000300.SH → 000300.SS, HSI → ^HSI,
    00020.HK → 0020.HK; 002415.SZ and 0020.HK unchanged."""
    s = symbol.strip().upper()
    if s in {"HSI", "^HSI"}:
        return "^HSI"
    code, _, suffix = s.partition(".")
    if suffix == "SH":
        return f"{code}.SS"
    if suffix == "HK" and code.isdigit():
        return f"{int(code):04d}.HK"
    return s


def _yfinance():
    try:
        return importlib.import_module("yfinance")
    except ImportError:
        raise PriceDownloadUnavailable(
            "yfinance is not installed; install the optional extra with "
            "`pip install -e \".[online]\"` (or `pip install yfinance`), or copy price CSVs "
            "into the folder by hand (docs/prices.md)") from None


def _yfinance_download(ysym: str, start: str, end_exclusive: str) -> pd.DataFrame:
    """Daily unadjusted OHLC with Adj Close from Yahoo Finance (yfinance)."""
    yf = _yfinance()
    return yf.Ticker(ysym).history(start=start, end=end_exclusive, interval="1d",
                                   auto_adjust=False, actions=False)


def _provider() -> dict[str, str]:
    """Provider description of the default downloader (library version included)."""
    version = getattr(_yfinance(), "__version__", "unknown")
    return {"source": "Yahoo Finance", "library": f"yfinance {version}",
            "api": "yfinance.Ticker(symbol).history(interval='1d', auto_adjust=False, "
                   "actions=False)"}


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tidy(hist: pd.DataFrame, symbol: str, adjusted: bool) -> pd.DataFrame:
    """Provider rows in the documented layout: date, open, high, low, close[, adj_close],
    volume; rows without a close dropped."""
    frame = hist.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_"))
    frame = frame.reset_index()
    frame = frame.rename(columns={frame.columns[0]: "date"})
    if "close" not in frame.columns:
        raise PriceDownloadUnavailable(f"the provider's rows for {symbol} have no Close column "
                                       f"(columns: {list(hist.columns)})")
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d")
    keep = ["open", "high", "low", "close"] + (["adj_close"] if adjusted else []) + ["volume"]
    if adjusted and "adj_close" not in frame.columns:
        raise PriceDownloadUnavailable(f"--adjusted: the provider gave no adjusted close for "
                                       f"{symbol}; fetch without --adjusted")
    frame = frame[["date"] + [c for c in keep if c in frame.columns]]
    frame = frame.dropna(subset=["close"])
    return frame.drop_duplicates("date", keep="last").sort_values("date")


def _entry(path: Path, symbol: str, ysym: str, frame: pd.DataFrame, adjusted: bool,
           provider: Mapping[str, str], start: str, end: str) -> dict[str, Any]:
    return {"file": path.name, "symbol": symbol, **provider, "provider_symbol": ysym,
            "url": f"https://finance.yahoo.com/quote/{ysym}/history",
            "requested": {"start": start, "end": end},
            "retrieved": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "close": "unadjusted",
            "adjusted": adjusted,
            "adj_close": "adjusted for splits and dividends by the provider" if adjusted else None,
            "rows": len(frame), "first": frame["date"].iloc[0], "last": frame["date"].iloc[-1],
            "sha256": file_sha256(path)}


def fetch_prices(symbols: Iterable[str], folder: str | os.PathLike[str] | None = None,
                 start: str = "2019-01-01", end: str = "2022-12-31", *, adjusted: bool = False,
                 refresh: bool = True, downloader: Downloader | None = None,
                 provider: Mapping[str, str] | None = None) -> dict[str, Path]:
    """Download daily prices into ``<folder>/<SYMBOL>.csv`` and record them in SOURCES.json.

    `end` is inclusive. `close` is always the unadjusted close; with `adjusted` the file also
    has the provider's `adj_close`. Files already present are kept when `refresh` is False.
    `downloader`/`provider` replace Yahoo Finance (tests use a stand-in; no network).
    Raises `PriceDownloadUnavailable` (yfinance missing, offline, no rows) naming the symbol.
    """
    symbols = [s.strip() for s in symbols if s.strip()]
    if not symbols:
        raise PriceDataError("no symbols to fetch; give e.g. 002415.SZ 399001.SZ HSI")
    for day in (start, end):
        try:
            dt.date.fromisoformat(day)
        except (TypeError, ValueError):
            raise PriceDataError(f"date {day!r} is not an ISO date (YYYY-MM-DD)") from None
    target = paths.resolve(folder, paths.PRICES_DIR)
    wanted = {s: target / f"{s}.csv" for s in symbols}
    todo = [s for s, p in wanted.items() if refresh or not p.exists()]
    if not todo:
        return wanted
    download = downloader or _yfinance_download
    about = dict(provider) if provider else (_provider() if downloader is None else
                                             {"source": "custom downloader", "library": "",
                                              "api": getattr(download, "__name__", "")})
    end_exclusive = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
    target.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(target)
    for s in todo:
        ysym = yahoo_symbol(s)
        try:
            hist = download(ysym, start, end_exclusive)
        except PriceDownloadUnavailable:
            raise
        except Exception as exc:  # network errors come in many classes
            raise PriceDownloadUnavailable(
                f"download of {s} (Yahoo {ysym}) failed: {exc}. Offline?") from exc
        if hist is None or len(hist) == 0:
            raise PriceDownloadUnavailable(
                f"the provider returned no rows for {s} (Yahoo {ysym}) between {start} and {end}")
        frame = _tidy(hist, s, adjusted)
        tmp = wanted[s].with_suffix(".csv.part")
        frame.to_csv(tmp, index=False, lineterminator="\n")
        tmp.replace(wanted[s])
        manifest[s] = _entry(wanted[s], s, ysym, frame, adjusted, about, start, end)
        _write_manifest(target, manifest)  # after each file: an interrupted fetch stays true
    return wanted


def _write_manifest(folder: Path, entries: Mapping[str, dict[str, Any]]) -> None:
    doc = {"written_by": "sanctionlens prices fetch",
           "layout": "docs/prices.md; close is unadjusted, adj_close (when present) adjusted",
           "files": {k: entries[k] for k in sorted(entries)}}
    tmp = folder / (MANIFEST + ".part")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(folder / MANIFEST)


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Entries of ``<folder>/SOURCES.json`` by symbol ({} when there is none). Each entry
    gets `sha256_ok`: whether the file still has the recorded sha256."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = doc["files"]
        if not isinstance(files, dict):
            raise TypeError("'files' is not an object")
    except (ValueError, KeyError, TypeError) as exc:
        raise PriceDataError(f"{path}: not a sanctionlens price manifest ({exc}); delete it "
                             "or fetch again with `sanctionlens prices fetch`") from None
    out = {}
    for symbol, entry in files.items():
        entry = dict(entry)
        f = folder / str(entry.get("file", f"{symbol}.csv"))
        entry["sha256_ok"] = f.is_file() and file_sha256(f) == entry.get("sha256")
        out[symbol] = entry
    return out


def source_note(prices: pd.DataFrame, symbols: Iterable[str] | None = None) -> str:
    """One line saying where the prices of `symbols` (default: all) came from, for a chart.

    Uses ``prices.attrs["sources"]`` set by `load_prices`; symbols without a recorded source
    are named as such, so the line never claims more than is known.
    """
    sources: dict[str, dict[str, Any]] = prices.attrs.get("sources", {})
    wanted = sorted(set(symbols) if symbols is not None else set(prices["ticker"].unique()))
    groups: dict[str, list[str]] = {}
    for sym in wanted:
        e = sources.get(sym) or {}
        if e.get("source"):
            desc = f"{e['source']}" + (f" ({e['library']})" if e.get("library") else "")
            desc += f", retrieved {str(e.get('retrieved', '?'))[:10]}"
            if not e.get("sha256_ok", True):
                desc += ", file changed since retrieval"
        else:
            desc = e.get("note") or "source not recorded"
        groups.setdefault(desc, []).append(sym)
    column = prices.attrs.get("price_column", {})
    cols = sorted({column.get(s, "close") for s in wanted})
    parts = [f"{', '.join(syms)}: {desc}" for desc, syms in groups.items()]
    return (f"Prices: {'; '.join(parts)}. Returns from {' / '.join(cols)}"
            + (" (unadjusted)." if cols == ["close"] else "."))
