"""Exchange facts the event study needs: trading sessions, boards, daily price limits.

Trading sessions come from the exchange's real calendar (`exchange_calendars`: XSHG for
Shanghai and Shenzhen, XHKG for Hong Kong, XNYS, XNAS). When the exchange of a symbol is
unknown, or the dates lie outside the calendar's recorded years, the event study falls back
to the market index's own trading days (an index prints a bar on every session).

Price limits come from the knowledge base (`exchange.price_limits`) when it is
available; otherwise from `FALLBACK_LIMITS`, which cites the exchange rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from ..errors import ParameterError, PriceDataError

TICK = Decimal("0.01")  # A-share price tick (CNY 0.01)


@dataclass(frozen=True)
class LimitRule:
    """A daily price limit for one board from a date on; `limit` is a fraction (0.10 = 10%)."""

    exchange: str
    board: str
    limit: float | None  # None: no daily limit
    start: dt.date | None
    source: str


_SZSE_RULES = "Shenzhen Stock Exchange Trading Rules, price-limit section (涨跌幅限制)"
_SSE_RULES = "Shanghai Stock Exchange Trading Rules, price-limit section (涨跌幅限制)"
_CHINEXT = (
    "SZSE ChiNext Trading Special Provisions (创业板交易特别规定), "
    "in force with the registration reform from 2020-08-24"
)
_STAR = "SSE STAR Market Trading Special Provisions (科创板交易特别规定), market opened 2019-07-22"
_HKEX = "HKEX: no daily price limit on the Main Board (volatility control mechanism only)"

#: Fallback when the knowledge base has no `price_limits` for an exchange.
FALLBACK_LIMITS: tuple[LimitRule, ...] = (
    LimitRule("SZSE", "main", 0.10, None, _SZSE_RULES),
    LimitRule("SZSE", "st", 0.05, None, _SZSE_RULES),
    LimitRule("SZSE", "chinext", 0.10, None, _SZSE_RULES),
    LimitRule("SZSE", "chinext", 0.20, dt.date(2020, 8, 24), _CHINEXT),
    LimitRule("SSE", "main", 0.10, None, _SSE_RULES),
    LimitRule("SSE", "st", 0.05, None, _SSE_RULES),
    LimitRule("SSE", "star", 0.20, None, _STAR),
    LimitRule("HKEX", "hk_main", None, None, _HKEX),
)


#: Exchange code → (exchange_calendars code, what it stands for).
CALENDARS: dict[str, tuple[str, str]] = {
    "SSE": ("XSHG", "Shanghai Stock Exchange sessions (exchange_calendars XSHG)"),
    "SZSE": ("XSHG", "Shanghai Stock Exchange sessions (exchange_calendars XSHG); Shenzhen "
                     "keeps the same trading days and exchange_calendars has no XSHE"),
    "HKEX": ("XHKG", "Hong Kong Exchanges sessions (exchange_calendars XHKG)"),
    "NYSE": ("XNYS", "New York Stock Exchange sessions (exchange_calendars XNYS)"),
    "NASDAQ": ("XNAS", "Nasdaq sessions (exchange_calendars XNAS)"),
}
#: Index symbols without an exchange suffix → exchange whose sessions they print.
INDEX_EXCHANGES = {"HSI": "HKEX", "HSCE": "HKEX", "GSPC": "NYSE", "DJI": "NYSE",
                   "IXIC": "NASDAQ", "NDX": "NASDAQ"}


def exchange_for_symbol(symbol: str) -> str | None:
    """Exchange code from a symbol: suffix .SZ → SZSE, .SH/.SS → SSE, .HK → HKEX; a bare index
    symbol (HSI, ^HSI, ^GSPC) from `INDEX_EXCHANGES`; None when unknown."""
    if "." not in symbol:
        return INDEX_EXCHANGES.get(symbol.upper().lstrip("^"))
    suffix = symbol.rsplit(".", 1)[-1].upper()
    return {"SZ": "SZSE", "SH": "SSE", "SS": "SSE", "HK": "HKEX"}.get(suffix)


def sessions(exchange: str | None, start: Any, end: Any) -> tuple[pd.DatetimeIndex, str] | None:
    """(trading sessions from `start` to `end`, description) from the exchange's calendar;
    None when the exchange has no calendar here or the span is outside its recorded years."""
    code = CALENDARS.get((exchange or "").upper())
    if code is None:
        return None
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    days = _calendar_sessions(code[0], lo, hi)
    return None if days is None else (days, code[1])


@functools.lru_cache(maxsize=64)
def _calendar_sessions(code: str, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DatetimeIndex | None:
    import exchange_calendars as xcals

    with warnings.catch_warnings():  # the library's own pandas deprecation notices
        warnings.simplefilter("ignore")
        cal_cls = type(xcals.get_calendar(code))
        if lo < cal_cls.bound_min() or hi > cal_cls.bound_max():
            return None
        cal = xcals.get_calendar(code, start=lo, end=hi)
        sess = pd.DatetimeIndex(cal.sessions)
    return (sess.tz_localize(None) if sess.tz is not None else sess).astype("datetime64[ns]")


def calendar_check(dates: pd.Series | pd.DatetimeIndex, exchange: str | None) -> dict[str, Any]:
    """One price file's dates against its exchange's sessions, from its first to last date.

    Returns calendar (description or why none), rows, first, last, `missing` (sessions with
    no row: a suspension for a stock, a data gap for an index) and `off_session` (rows on a
    day that is not a session: a data error).
    """
    days = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates))).normalize().sort_values()
    out: dict[str, Any] = {"rows": len(days), "first": days[0] if len(days) else None,
                           "last": days[-1] if len(days) else None, "missing": [],
                           "off_session": []}
    found = sessions(exchange, days[0], days[-1]) if len(days) else None
    if found is None:
        out["calendar"] = (f"none for {exchange}" if exchange else "exchange unknown")
        return out
    sess, out["calendar"] = found
    out["missing"] = list(sess.difference(days))
    out["off_session"] = list(days.difference(sess))
    return out


def check_market_on_calendar(days: pd.DatetimeIndex, sess: pd.DatetimeIndex, market: str,
                             calendar: str) -> None:
    """A market index row on a day that is not a session is a data error."""
    off = days.difference(sess)
    if len(off):
        raise PriceDataError(
            f"market index {market} has a bar on {off[0]:%Y-%m-%d}, which is not a session of "
            f"{calendar} ({len(off)} such day(s)); check the file or pass market=")


def board_for_symbol(symbol: str) -> str | None:
    """Board inferred from an A-share code (ST status cannot be told from the code).

    SZSE 000/001/002/003 → main (the SME board merged into main in 2021),
    300/301 → chinext; SSE 600/601/603/605 → main, 688/689 → star; HKEX → hk_main.
    Returns None for codes that are not stocks (for example indices such as 399001.SZ).
    """
    exchange = exchange_for_symbol(symbol)
    code = symbol.split(".", 1)[0]
    if exchange == "HKEX":
        return "hk_main" if code.isdigit() else None
    if exchange == "SZSE":
        if code[:3] in {"000", "001", "002", "003"}:
            return "main"
        if code[:3] in {"300", "301"}:
            return "chinext"
    if exchange == "SSE":
        if code[:3] in {"600", "601", "603", "605"}:
            return "main"
        if code[:3] in {"688", "689"}:
            return "star"
    return None


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ParameterError(
            f"price limit 'from' date {value!r} is not an ISO date (YYYY-MM-DD)"
        ) from exc


def rules_from_kb(exchange: str, price_limits: list[dict[str, Any]]) -> list[LimitRule]:
    """Convert KB `price_limits` entries ({board, limit, from}) to rules.

    `limit` may be a fraction (0.1) or a percentage (10); null means no limit.
    """
    rules = []
    for i, entry in enumerate(price_limits):
        if "board" not in entry or "limit" not in entry:
            raise ParameterError(
                f"price_limits entry {i} of exchange {exchange!r} needs 'board' and 'limit', "
                f"got {sorted(entry)}"
            )
        limit = entry["limit"]
        if limit is not None:
            limit = float(limit)
            if limit > 1:
                limit /= 100.0
        rules.append(LimitRule(exchange, str(entry["board"]).lower(), limit,
                               _as_date(entry.get("from")),
                               str(entry.get("source", f"knowledge base: exchange {exchange}"))))
    return rules


def limit_for(rules: list[LimitRule] | tuple[LimitRule, ...], exchange: str, board: str,
              date: dt.date) -> LimitRule | None:
    """The rule in force on `date` for an exchange's board (latest start on or before it)."""
    best: LimitRule | None = None
    for rule in rules:
        if rule.exchange != exchange or rule.board != board:
            continue
        if rule.start is not None and rule.start > date:
            continue
        if best is None or (rule.start or dt.date.min) >= (best.start or dt.date.min):
            best = rule
    return best


def limit_prices(prev_close: float, limit: float) -> tuple[float, float]:
    """Up and down limit prices: prev_close × (1 ± limit), rounded half-up to the 0.01 tick."""
    prev = Decimal(str(prev_close))
    lim = Decimal(str(limit))
    up = (prev * (1 + lim)).quantize(TICK, rounding=ROUND_HALF_UP)
    down = (prev * (1 - lim)).quantize(TICK, rounding=ROUND_HALF_UP)
    return float(up), float(down)


def limit_hit(prev_close: float, close: float, limit: float | None) -> str | None:
    """'up' or 'down' when `close` is at (or beyond) the tick-rounded limit price, else None."""
    if limit is None or not (prev_close > 0):
        return None
    up, down = limit_prices(prev_close, limit)
    if close >= up - 1e-9:
        return "up"
    if close <= down + 1e-9:
        return "down"
    return None
