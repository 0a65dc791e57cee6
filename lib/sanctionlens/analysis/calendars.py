"""Exchange facts the event study needs: boards, daily price limits, limit prices.

Trading sessions are not hard-coded here: the event study takes them from the market
index's own trading days (an index prints a bar on every session of its exchange).

Price limits come from the knowledge base (`exchange.price_limits`) when it is
available; otherwise from `FALLBACK_LIMITS`, which cites the exchange rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import ParameterError

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


def exchange_for_symbol(symbol: str) -> str | None:
    """Exchange code from a symbol suffix: .SZ → SZSE, .SH/.SS → SSE, .HK → HKEX."""
    suffix = symbol.rsplit(".", 1)[-1].upper() if "." in symbol else ""
    return {"SZ": "SZSE", "SH": "SSE", "SS": "SSE", "HK": "HKEX"}.get(suffix)


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
