"""Daily price tables: load and validate the documented CSV layout, optional download.

Layout (see docs/prices.md): one file per symbol named ``<SYMBOL>.csv`` (``002415.SZ.csv``,
``000300.SH.csv``, ``HSI.csv``) with a header holding at least ``date`` (ISO YYYY-MM-DD)
and ``close``; or one long CSV with ``date, ticker, close``. Other columns are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import PriceDataError
from .price_sources import (  # noqa: F401  (re-exported: the old home of these names)
    MANIFEST,
    PriceDownloadUnavailable,
    fetch_prices,
    read_manifest,
    yahoo_symbol,
)

PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close")
HOW_TO_GET_PRICES = (
    "Put one CSV per symbol in the folder, named <SYMBOL>.csv (e.g. 002415.SZ.csv, "
    "000300.SH.csv, HSI.csv) with a header containing 'date' (YYYY-MM-DD) and 'close' "
    "(see docs/prices.md), or one long CSV with columns date,ticker,close; "
    "online, `sanctionlens prices fetch SYMBOL...` downloads them (needs the 'online' extra, "
    "yfinance) and records their source in SOURCES.json."
)


def _parse_number(text: str, field: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PriceDataError(f"{where}: {field} {text!r} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise PriceDataError(f"{where}: {field} {text!r} is not a finite number")
    return value


def _read_rows(path: Path, symbol: str | None) -> tuple[list[str], list[list[str]], list[int]]:
    """Header (lower case), data rows and their line numbers; blank lines skipped."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise PriceDataError(f"{path}: the file is empty; expected a header line with "
                                     "'date' and 'close' and one row per trading day")
            header = [h.strip().lower() for h in header]
            need = ["date", "close"] + (["ticker"] if symbol is None else [])
            missing = [c for c in need if c not in header]
            if missing:
                raise PriceDataError(
                    f"{path}, line 1: missing column(s) {missing}; the header is {header}. "
                    f"Expected at least {need} (see docs/prices.md)")
            dupes = sorted({h for h in header if header.count(h) > 1})
            if dupes:
                raise PriceDataError(f"{path}, line 1: repeated column name(s) {dupes}")
            rows: list[list[str]] = []
            lines: list[int] = []
            for row in reader:
                if not row or all(not c.strip() for c in row):
                    continue  # blank line
                if len(row) != len(header):
                    raise PriceDataError(
                        f"{path}, line {reader.line_num}: {len(row)} fields, the header has "
                        f"{len(header)}")
                rows.append([c.strip() for c in row])
                lines.append(reader.line_num)
    except UnicodeDecodeError as exc:
        raise PriceDataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not rows:
        raise PriceDataError(f"{path}: no data rows after the header; "
                             "expected one row per trading day")
    return header, rows, lines


def _dates_and_tickers(path: Path, symbol: str | None, idx: dict[str, int],
                       rows: list[list[str]], lines: list[int]
                       ) -> tuple[list[dt.date], list[str]]:
    """The ISO date and the ticker of every row (`symbol` for a one-symbol file)."""
    dates: list[dt.date] = []
    tickers: list[str] = []
    for row, line in zip(rows, lines, strict=True):
        where = f"{path}, line {line}"
        raw = row[idx["date"]]
        try:
            if len(raw) > 10 and raw[10] not in " T":
                raise ValueError(raw)
            dates.append(dt.date.fromisoformat(raw[:10]))
        except ValueError:
            raise PriceDataError(f"{where}: date {raw!r} is not an ISO date (YYYY-MM-DD)") from None
        if symbol is None:
            tick = row[idx["ticker"]]
            if not tick:
                raise PriceDataError(f"{where}: empty ticker")
            tickers.append(tick)
        else:
            tickers.append(symbol)
    return dates, tickers


def _price_column(path: Path, col: str, values: list[str], lines: list[int]) -> list[float]:
    """Positive prices of one price column; only `close` may not be blank."""
    parsed = []
    for text, line in zip(values, lines, strict=True):
        where = f"{path}, line {line}"
        if text == "" and col != "close":
            parsed.append(float("nan"))
            continue
        if text == "":
            raise PriceDataError(f"{where}: close is empty")
        value = _parse_number(text, col, where)
        if value <= 0:
            raise PriceDataError(f"{where}: {col} {text} is not a positive price")
        parsed.append(value)
    return parsed


def _check_order(path: Path, dates: list[dt.date], tickers: list[str], lines: list[int]) -> None:
    """Dates ascend and never repeat, per ticker, in file order."""
    last: dict[str, tuple[dt.date, int]] = {}
    for d, t, line in zip(dates, tickers, lines, strict=True):
        if t in last:
            prev, prev_line = last[t]
            if d == prev:
                raise PriceDataError(f"{path}, line {line}: duplicate date {d} for {t} "
                                     f"(also on line {prev_line})")
            if d < prev:
                raise PriceDataError(f"{path}, line {line}: date {d} for {t} comes after {prev} "
                                     f"(line {prev_line}); rows must be in ascending date order")
        last[t] = (d, line)


def _read_csv(path: Path, symbol: str | None) -> pd.DataFrame:
    """Read one CSV with line-numbered validation; `symbol` None means a long file."""
    header, rows, lines = _read_rows(path, symbol)
    idx = {c: i for i, c in enumerate(header)}
    dates, tickers = _dates_and_tickers(path, symbol, idx, rows, lines)
    data: dict[str, list] = {"date": dates, "ticker": tickers}
    for col in header:
        if col in ("date", "ticker"):
            continue
        values = [row[idx[col]] for row in rows]
        if col in PRICE_COLUMNS:
            data[col] = _price_column(path, col, values, lines)
        else:
            numeric = pd.to_numeric(pd.Series(values), errors="coerce")
            blank = pd.Series(values) == ""
            data[col] = numeric if not (numeric.isna() & ~blank).any() else values
    frame = pd.DataFrame(data)
    _check_order(path, dates, tickers, lines)
    return frame


def _finish(frames: list[pd.DataFrame]) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    out["ticker"] = out["ticker"].astype("str")
    first = ["date", "ticker", "close"]
    out = out[first + [c for c in out.columns if c not in first]]
    return out.sort_values(["ticker", "date"], kind="stable").reset_index(drop=True)


def _read_folder(path: Path) -> list[pd.DataFrame]:
    """One frame per ``.csv`` file of a folder; a ticker in two files is an error."""
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise PriceDataError(f"price folder {path} holds no .csv files. {HOW_TO_GET_PRICES}")
    frames = []
    seen: dict[str, Path] = {}
    for f in files:
        with f.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
        head = [h.strip().lower() for h in next(csv.reader([first]), [])]
        frame = _read_csv(f, None if "ticker" in head else f.name[: -len(f.suffix)])
        for t in frame["ticker"].unique():
            if t in seen:
                raise PriceDataError(f"{f}: ticker {t} is also in {seen[t]}; keep one file each")
            seen[t] = f
        frames.append(frame)
    return frames


def is_index(symbol: str) -> bool:
    """True for a market index symbol (HSI, ^HSI, 399001.SZ, 000300.SH): no dividends, so
    its close needs no adjustment."""
    from . import calendars
    if symbol.startswith("^") or "." not in symbol:
        return symbol.upper().lstrip("^") in calendars.INDEX_EXCHANGES
    return (calendars.exchange_for_symbol(symbol) in {"SZSE", "SSE"}
            and calendars.board_for_symbol(symbol) is None)


def _use_adjusted(frame: pd.DataFrame, where: Path) -> dict[str, str]:
    """Put `adj_close` into `close` (the unadjusted close kept as `close_unadjusted`);
    returns the column used per ticker. Indices keep `close`; a stock without an adjusted
    close is an error."""
    used: dict[str, str] = {}
    has = "adj_close" in frame.columns
    missing = []
    for t, g in frame.groupby("ticker", sort=True):
        if has and g["adj_close"].notna().all():
            used[t] = "adj_close"
        elif is_index(t):
            used[t] = "close (index: no adjustment needed)"
        else:
            missing.append(t)
    if missing:
        raise PriceDataError(
            f"adjusted=True, but {where} has no complete adj_close column for "
            f"{', '.join(missing)}; fetch with `sanctionlens prices fetch --adjusted "
            f"{' '.join(missing)}` or load with adjusted=False (unadjusted close)")
    frame["close_unadjusted"] = frame["close"]
    take = frame["ticker"].map(used) == "adj_close"
    frame.loc[take, "close"] = frame.loc[take, "adj_close"]
    return used


def _sources(path: Path, tickers: list[str]) -> dict[str, dict]:
    """Provenance per ticker from the folder's SOURCES.json (read_manifest), or a note."""
    folder = path if path.is_dir() else path.parent
    manifest = read_manifest(folder)
    note = ("source not recorded (no SOURCES.json; see SOURCES.md in the folder)"
            if (folder / "SOURCES.md").is_file() else "source not recorded (no SOURCES.json)")
    return {t: manifest.get(t) or {"note": note if not manifest else
                                   f"source not recorded (not in {MANIFEST})"}
            for t in tickers}


def load_prices(folder: str | os.PathLike[str] | None = None, *,
                adjusted: bool = False) -> pd.DataFrame:
    """Load daily prices: a folder of ``<SYMBOL>.csv`` files or one long CSV file.

    Returns columns ``date`` (datetime64), ``ticker``, ``close`` plus the files' other
    columns, sorted by ticker and date. Raises `PriceDataError` naming file and line.
    Default folder: ``data/prices`` under the project root.

    adjusted: use each stock's ``adj_close`` as ``close`` (the raw close is kept as
    ``close_unadjusted``); an error names the stocks that have none. ``frame.attrs``:
    ``price_column`` (ticker → column used) and ``sources`` (ticker → its SOURCES.json entry,
    or a note that the source is not recorded).
    """
    path = paths.resolve(folder, paths.PRICES_DIR)
    if not path.exists():
        raise PriceDataError(f"price folder {path} does not exist. {HOW_TO_GET_PRICES}")
    frames = [_read_csv(path, None)] if path.is_file() else _read_folder(path)
    out = _finish(frames)
    tickers = sorted(out["ticker"].unique())
    used = _use_adjusted(out, path) if adjusted else {t: "close" for t in tickers}
    out.attrs["price_column"] = used
    out.attrs["sources"] = _sources(path, tickers)
    return out


def prices_available(folder: str | os.PathLike[str] | None = None) -> tuple[bool, str]:
    """(True, "") when `folder` holds loadable prices, else (False, why) for text-only mode.

    Only a missing folder or no CSV files count as "not available"; a malformed file still
    raises `PriceDataError`, so broken data is never hidden.
    """
    path = paths.resolve(folder, paths.PRICES_DIR)
    if not path.exists():
        return False, f"price folder {path} does not exist. {HOW_TO_GET_PRICES}"
    if path.is_dir() and not any(p.suffix.lower() == ".csv" for p in path.iterdir()):
        return False, f"price folder {path} holds no .csv files. {HOW_TO_GET_PRICES}"
    return True, ""


def download_prices(symbols: Iterable[str], folder: str | os.PathLike[str] | None = None,
                    start: str = "2019-01-01", end: str = "2022-12-31", *,
                    refresh: bool = False) -> dict[str, Path]:
    """Download daily prices with yfinance (optional) into ``<folder>/<SYMBOL>.csv``.

    Kept for existing callers: `price_sources.fetch_prices` with `adjusted=True` (the file
    has the unadjusted close and the provider's `adj_close`) that keeps files already there
    unless `refresh`. The files are recorded in the folder's SOURCES.json.
    """
    return fetch_prices(symbols, folder, start, end, adjusted=True, refresh=refresh)
