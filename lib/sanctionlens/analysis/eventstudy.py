"""Market-model event study (MacKinlay 1997) on any daily price table.

Per firm: OLS of the stock's return on the market index's return over an estimation
window (default 120 sessions ending `gap`=10 sessions before the event day); abnormal
returns AR = R − (α + βRm) in the event windows; CARs with t statistics from the
estimation residual variance including the prediction-error correction. Per event with
several firms: CAAR with the Boehmer–Musumeci–Poulsen (1991) standardized test and its
Kolari–Pynnönen (2010) adjustment for cross-correlation.

Real-market rules:
- Sessions are the market index's trading days. The event day is the first session on
  or after the announcement date; for announcements made in Washington (``"US"``) the
  first session strictly after it (a US business day starts after the Asian close).
- A day the stock did not trade (suspension) has no row, never a zero return. The first
  return after the gap spans it and is compared with the market's return compounded
  over the same span and with k·α for a k-session span (variance k·σ²); `gap_days`
  says how many sessions it spans beyond one. Such returns are left out of estimation.
- A close at the daily price limit (limit price = previous close × (1 ± limit), rounded
  to the 0.01 tick) is flagged in `limit_hit`; a CAR window ending at a limit close is
  also reported through the first close not at the limit (`through_limit`).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import KBError, ParameterError, PriceDataError, UnknownNameError
from . import calendars

__all__ = ["EventSkipped", "EventStudyResult", "event_study"]


class EventSkipped(PriceDataError):
    """One firm × event cannot be studied with these prices (event outside the price range,
    too little estimation data, window past the last price); `event_study` records it in
    `skipped` with this message as the reason and goes on with the others."""

US_AGENCY_PATTERN = re.compile(
    r"\b(u\.?s\.?|united states|american|commerce|treasury|ofac|bis|bureau of industry|"
    r"white house|state department|department of state|defense|pentagon|fcc|congress|"
    r"president)\b", re.IGNORECASE)

FALLBACK_MARKETS = {
    "SZ": ("399001.SZ", "000300.SH"),
    "SH": ("000001.SH", "000300.SH"),
    "SS": ("000001.SS", "000300.SS"),
    "HK": ("HSI", "^HSI"),
}


@dataclass
class EventStudyResult:
    """Tables of an event study; `to_frame()` gives one row per event × firm × window."""

    ar: pd.DataFrame
    car: pd.DataFrame
    caar: pd.DataFrame
    params: pd.DataFrame
    events: pd.DataFrame
    skipped: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """CAR rows joined with the resolved event and the market-model parameters."""
        ev = self.events[["event_id", "ticker", "announced", "announced_in", "event_day"]]
        par = self.params[["event_id", "ticker", "market", "alpha", "beta", "sigma", "n_est"]]
        out = self.car.merge(ev, on=["event_id", "ticker"], how="left")
        out = out.merge(par, on=["event_id", "ticker"], how="left")
        return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- inputs
def _kb():
    """The knowledge base, or (None, reason) when it cannot be loaded."""
    try:
        from ..kb import get_kb
    except ImportError as exc:
        return None, f"knowledge base not importable ({exc})"
    try:
        return get_kb(), ""
    except KBError as exc:
        return None, f"knowledge base not loadable ({exc})"


def _check_prices(prices: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(prices, pd.DataFrame):
        raise ParameterError(f"prices must be a DataFrame with date, ticker, close; "
                             f"got {type(prices).__name__} (use sanctionlens.load_prices)")
    missing = [c for c in ("date", "ticker", "close") if c not in prices.columns]
    if missing:
        raise PriceDataError(f"price table lacks column(s) {missing}; it has "
                             f"{list(prices.columns)}. Load it with load_prices(folder).")
    extra = [c for c in ("adj_close", "close_unadjusted") if c in prices.columns]
    df = prices[["date", "ticker", "close", *extra]].copy()
    try:
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]").dt.normalize()
    except (ValueError, TypeError) as exc:
        raise PriceDataError(f"price table: a date cannot be parsed ({exc})") from None
    df["ticker"] = df["ticker"].astype("str")
    df["close"] = pd.to_numeric(df["close"], errors="coerce")
    bad = df[~(df["close"] > 0)]
    if len(bad):
        r = bad.iloc[0]
        raise PriceDataError(f"price table: close {prices.loc[bad.index[0], 'close']!r} of "
                             f"{r['ticker']} on {r['date']:%Y-%m-%d} is not a positive number")
    dup = df.duplicated(["ticker", "date"])
    if dup.any():
        r = df[dup].iloc[0]
        raise PriceDataError(f"price table: {r['ticker']} has two rows for {r['date']:%Y-%m-%d}")
    return df.sort_values(["ticker", "date"]).reset_index(drop=True)


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[;,|]", value) if v.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _as_date(value: Any, where: str) -> dt.date:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError(f"{where}: date {value!r} is not a date (use YYYY-MM-DD)")
    return ts.date()


def _event_records(events: pd.DataFrame | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The events as a non-empty list of dicts."""
    if isinstance(events, pd.DataFrame):
        rows = events.to_dict("records")
    elif isinstance(events, Mapping):
        rows = [dict(events)]
    else:
        rows = [dict(e) for e in events]
    if not rows:
        raise ParameterError("events is empty; give at least one event with event_id, date, "
                             "tickers (or targets)")
    return rows


def _target_tickers(eid: str, date: dt.date, targets: list[str], symbols: set[str], kb: Any,
                    tickers: list[str], skipped: list[dict[str, Any]]) -> None:
    """Add the price symbols of the KB companies `targets` to `tickers`; the ones that cannot
    be studied go to `skipped` with the reason."""
    for target in targets:
        company = kb.companies.get(target) or kb.resolve_company(target)
        if not company.listings:
            skipped.append({"event_id": eid, "target": target, "ticker": "",
                            "reason": "no stock-exchange listing in the knowledge base"})
            continue
        for lst in company.listings:
            if lst.listed is not None and lst.listed > date:
                skipped.append({"event_id": eid, "target": target, "ticker": lst.symbol,
                                "reason": f"listed only on {lst.listed}, after the event"})
            elif lst.symbol not in symbols:
                skipped.append({"event_id": eid, "target": target, "ticker": lst.symbol,
                                "reason": "symbol not in the price table"})
            elif lst.symbol not in tickers:
                tickers.append(lst.symbol)


def _normalize_events(events: pd.DataFrame | Sequence[Mapping[str, Any]], symbols: set[str],
                      announced: str, kb: Any, kb_note: str
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One dict per (event, ticker) and the skipped targets with reasons."""
    if announced not in ("auto", "US", "local"):
        raise ParameterError(f"announced={announced!r}; use 'auto', 'US' or 'local'")
    rows = _event_records(events)
    out: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for i, row in enumerate(rows):
        where = f"events row {i}"
        for col in ("event_id", "date"):
            if col not in row or row[col] is None or (isinstance(row[col], float)
                                                      and np.isnan(row[col])):
                raise ParameterError(f"{where}: missing {col!r}; an event needs event_id, date "
                                     "and tickers (price symbols) or targets (KB company ids)")
        eid = str(row["event_id"])
        if eid in seen_ids:
            raise ParameterError(f"{where}: event_id {eid!r} is used twice")
        seen_ids.add(eid)
        date = _as_date(row["date"], f"{where} (event {eid})")
        tickers = _as_list(row.get("tickers"))
        for t in tickers:
            if t not in symbols:
                raise UnknownNameError(
                    f"event {eid}: ticker {t!r} is not in the price table; available: "
                    f"{', '.join(sorted(symbols))}")
        targets = _as_list(row.get("targets"))
        if targets and kb is None:
            raise ParameterError(f"event {eid}: targets {targets} need the knowledge base, "
                                 f"which is unavailable: {kb_note}. Give 'tickers' instead.")
        _target_tickers(eid, date, targets, symbols, kb, tickers, skipped)
        if not tickers and not targets:
            raise ParameterError(f"event {eid}: no 'tickers' (price symbols) or 'targets' "
                                 "(KB company ids) given")
        ann, basis = _announced_in(row, announced, kb)
        for t in tickers:
            out.append({"event_id": eid, "ticker": t, "announced": date, "announced_in": ann,
                        "announced_basis": basis})
    return out, skipped


def _announced_in(row: Mapping[str, Any], announced: str, kb: Any) -> tuple[str, str]:
    if announced != "auto":
        return announced, f"announced={announced!r} argument"
    value = row.get("announced_in")
    if isinstance(value, str) and value.strip():
        v = value.strip()
        norm = {"us": "US", "local": "local"}.get(v.lower())
        if norm is None:
            raise ParameterError(f"event {row['event_id']}: announced_in {v!r}; use 'US' "
                                 "or 'local'")
        return norm, "event's announced_in"
    actor = row.get("actor")
    if isinstance(actor, str) and actor.strip():
        if kb is not None:
            country = _kb_country(kb, actor.strip())
            if country is not None:
                if country in {"US", "USA", "UNITED STATES"}:
                    return "US", f"actor {actor} is a US agency (knowledge base)"
                return "local", f"actor {actor} is not a US agency (knowledge base)"
        if US_AGENCY_PATTERN.search(actor.replace("_", " ")):
            return "US", f"actor {actor!r} names a US agency"
    return "local", "default (no announced_in or US actor)"


def _kb_country(kb: Any, entity_id: str) -> str | None:
    """Country of a KB entity, following `parent` links; None when unknown."""
    seen: set[str] = set()
    while entity_id and entity_id not in seen:
        seen.add(entity_id)
        try:
            ent = kb.entity(entity_id)
        except UnknownNameError:
            return None
        country = getattr(ent, "country", None)
        country = getattr(country, "value", country)
        if isinstance(country, str) and country.strip():
            return country.strip().replace("_", " ").upper()
        entity_id = str(getattr(ent, "parent", "") or "")
    return None


def _market_for(ticker: str, market: str | Mapping[str, str] | None, symbols: set[str],
                kb: Any) -> tuple[str, str]:
    """(market index symbol, basis) for one ticker."""
    if isinstance(market, str):
        chosen, basis = market, "market= argument"
    elif isinstance(market, Mapping) and ticker in market:
        chosen, basis = market[ticker], "market= argument"
    else:
        chosen, basis = "", ""
    if chosen:
        if chosen not in symbols:
            raise UnknownNameError(f"market index {chosen!r} for {ticker} is not in the price "
                                   f"table; available: {', '.join(sorted(symbols))}")
        return chosen, basis
    candidates: list[str] = []
    if kb is not None:
        try:
            _, listing = kb.listing_for_symbol(ticker)
            exch = kb.exchange(listing.exchange)
            candidates = list(exch.market_indices)
            basis = f"knowledge base: exchange {exch.id} market_indices"
        except UnknownNameError:
            candidates = []
    if not candidates:
        suffix = ticker.rsplit(".", 1)[-1].upper() if "." in ticker else ""
        candidates = list(FALLBACK_MARKETS.get(suffix, ()))
        basis = f"fallback for suffix .{suffix}"
    for c in candidates:
        if c in symbols:
            return c, basis
    raise PriceDataError(f"no market index for {ticker} in the price table: tried "
                         f"{candidates or 'none'} ({basis}). Add one of them as a CSV, or pass "
                         "market='<symbol>' (or a dict ticker -> symbol).")


def _limit_rule(ticker: str, kb: Any) -> tuple[str | None, str | None, list]:
    """(exchange, board, rules) for a ticker: KB price_limits first, else the fallback table."""
    if kb is not None:
        try:
            _, listing = kb.listing_for_symbol(ticker)
            exch = kb.exchange(listing.exchange)
            rules = calendars.rules_from_kb(exch.id, [
                {"board": p["board"], "limit": p["limit"], "from": p["from"],
                 "source": f"knowledge base: exchange {exch.id} price_limits"}
                for p in exch.price_limits])
            if any(r.board == listing.board for r in rules):
                return exch.id, listing.board, rules
            fallback_ex = calendars.exchange_for_symbol(ticker)
            return fallback_ex, listing.board, list(calendars.FALLBACK_LIMITS)
        except UnknownNameError:
            pass
    return (calendars.exchange_for_symbol(ticker), calendars.board_for_symbol(ticker),
            list(calendars.FALLBACK_LIMITS))


# ----------------------------------------------------------------------------- returns
def _returns(stock: pd.DataFrame, mkt: pd.Series, sessions: pd.DatetimeIndex,
             limit_of: Any) -> pd.DataFrame:
    """Stock returns over its own trading days with the market's return over the same span."""
    s = stock.sort_values("date").reset_index(drop=True)
    prev_close = s["close"].shift(1)
    prev_date = s["date"].shift(1)
    r = pd.DataFrame({"date": s["date"], "prev_date": prev_date, "close": s["close"],
                      "prev_close": prev_close})
    r = r.iloc[1:].reset_index(drop=True)
    r["ret"] = r["close"] / r["prev_close"] - 1.0
    r["pos"] = sessions.get_indexer(r["date"])
    r["prev_pos"] = sessions.get_indexer(r["prev_date"])
    m_now = mkt.reindex(r["date"]).to_numpy()
    m_prev = mkt.reindex(r["prev_date"]).to_numpy()
    r["market_ret"] = m_now / m_prev - 1.0
    r["gap_days"] = r["pos"] - r["prev_pos"] - 1
    r["start_pos"] = r["prev_pos"] + 1
    r["suspended_days"] = [
        ", ".join(f"{d:%Y-%m-%d}" for d in sessions[a:b]) if g > 0 and a > 0 else ""
        for a, b, g in zip(r["start_pos"], r["pos"], r["gap_days"], strict=True)]
    r["limit_hit"] = [limit_of(d.date(), pc, c)
                      for d, pc, c in zip(r["date"], r["prev_close"], r["close"], strict=True)]
    return r


@dataclass
class _Calendar:
    """Sessions of one stock: its exchange's calendar on the market index's trading days."""

    sessions: pd.DatetimeIndex
    calendar: pd.DatetimeIndex | None  # the exchange's own sessions; None in the fallback
    basis: str


def _exchange_of(ticker: str, kb: Any) -> str | None:
    """Exchange code of a symbol: the KB listing's exchange, else from the suffix."""
    if kb is not None:
        try:
            _, listing = kb.listing_for_symbol(ticker)
            return str(listing.exchange).upper()
        except UnknownNameError:
            pass
    return calendars.exchange_for_symbol(ticker)


def _calendar_for(ticker: str, mkt_sym: str, mkt: pd.Series, kb: Any) -> _Calendar:
    """The exchange calendar's sessions on which the index has a bar (a calendar session
    without one is an unscheduled closure or an index gap, left out and counted in the
    basis); the index's own days when the exchange or its calendar is unknown."""
    days = pd.DatetimeIndex(mkt.index)
    exch = _exchange_of(ticker, kb)
    found = calendars.sessions(exch, days[0], days[-1])
    if found is None:
        why = ("exchange unknown" if exch is None else
               f"no calendar for {exch} over {days[0]:%Y-%m-%d}..{days[-1]:%Y-%m-%d}")
        return _Calendar(days, None, f"trading days of market index {mkt_sym} (fallback: {why})")
    cal, desc = found
    closed = cal.difference(days)
    basis = desc + (f"; {len(closed)} session(s) without a {mkt_sym} bar left out "
                    f"(first {closed[0]:%Y-%m-%d})" if len(closed) else "")
    return _Calendar(cal.intersection(days), cal, basis)


def _check_on_calendar(r: pd.DataFrame, ticker: str, market: str, cal: _Calendar,
                       mkt_days: pd.DatetimeIndex) -> None:
    """Stock rows on non-sessions, or on sessions without an index bar, are data errors;
    so are index bars on non-sessions (over the rows `r` covers)."""
    if cal.calendar is not None and len(r):
        lo, hi = r["prev_date"].min(), r["date"].max()
        calendars.check_market_on_calendar(mkt_days[(mkt_days >= lo) & (mkt_days <= hi)],
                                           cal.calendar, market, cal.basis)
    bad = r[(r["pos"] < 0) | (r["prev_pos"] < 0)]
    if len(bad):
        row = bad.iloc[0]
        day = row["date"] if row["pos"] < 0 else row["prev_date"]
        if cal.calendar is not None and day not in cal.calendar:
            raise PriceDataError(
                f"{ticker} has a price on {day:%Y-%m-%d}, which is not a trading session "
                f"({cal.basis}): a row on a non-session is a data error; check the file")
        raise PriceDataError(
            f"{ticker} has a price on {day:%Y-%m-%d} but the market index {market} has no bar "
            f"that day; use an index of the stock's own exchange (market=...)")


def _limit_override(ticker: str, price_limits: Any) -> float | None | bool:
    """The limit given by price_limits= for a ticker, or False when none was given."""
    if price_limits is None:
        return False
    if isinstance(price_limits, Mapping):
        if ticker not in price_limits:
            return False
        value = price_limits[ticker]
    else:
        value = price_limits
    if value is None:
        return None
    if not isinstance(value, int | float) or not 0 < float(value) < 1:
        raise ParameterError(f"price_limits for {ticker}: {value!r}; use a fraction such as "
                             "0.1 (10%) or None for no limit")
    return float(value)


def _hit(value: Any) -> bool:
    """True for a limit flag ('up'/'down'); missing values are not hits."""
    return isinstance(value, str) and value in ("up", "down")


def _p(t: float, df: int) -> float:
    return float(2 * stats.t.sf(abs(t), df)) if np.isfinite(t) and df > 0 else float("nan")


# ----------------------------------------------------------------------------- main
@dataclass
class _Fit:
    """Market-model fit of one firm around one event (estimation-window OLS)."""

    alpha: float
    beta: float
    sigma2: float
    xtx_inv: np.ndarray
    dof: int
    n_est: int
    resid: pd.Series


def _check_settings(estimation: int, gap: int, windows: Sequence[tuple[int, int]],
                    min_estimation: int | None) -> tuple[int, list[tuple[int, int]]]:
    """Validated (min_estimation, windows); a clear ParameterError otherwise."""
    for name, value, low in (("estimation", estimation, 3), ("gap", gap, 0)):
        if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < low:
            raise ParameterError(f"{name}={value!r}; use an integer >= {low}")
    min_est = estimation // 2 if min_estimation is None else int(min_estimation)
    if not 3 <= min_est <= estimation:
        raise ParameterError(f"min_estimation={min_estimation!r}; use 3..{estimation}")
    wins: list[tuple[int, int]] = []
    for w in windows:
        try:
            a, b = (int(w[0]), int(w[1]))
        except (TypeError, ValueError, IndexError):
            raise ParameterError(f"window {w!r}; use (first, last) session offsets such as "
                                 "(0, 0) or (-1, 1)") from None
        if a > b or a <= -gap:
            raise ParameterError(f"window {w!r}: first must be <= last and after the "
                                 f"estimation gap (first > -{gap})")
        wins.append((a, b))
    if not wins:
        raise ParameterError("windows is empty; give e.g. ((0, 0), (-1, 1))")
    return min_est, wins


def _limit_setup(ticker: str, kb: Any, price_limits: Any
                 ) -> tuple[str, Callable[[dt.date, float, float], str | None]]:
    """The price-limit rule of `ticker` as (description, function day, prev, close → hit)."""
    exch, board, rules = _limit_rule(ticker, kb)
    limit_basis = f"{exch} {board}" if exch and board else "none (board unknown)"
    override = _limit_override(ticker, price_limits)
    if override is not False:
        exch, board = "override", "override"
        limit_basis = f"price_limits= argument ({override})"
        rules = [calendars.LimitRule("override", "override", override, None,
                                     "price_limits= argument")]

    def limit_of(day: dt.date, prev_close: float, close: float) -> str | None:
        if exch is None or board is None:
            return None
        rule = calendars.limit_for(rules, exch, board, day)
        return calendars.limit_hit(prev_close, close, rule.limit if rule else None)

    return limit_basis, limit_of


def _event_position(pair: Mapping[str, Any], sessions: pd.DatetimeIndex, mkt_sym: str) -> int:
    """Index in `sessions` of the event day: first session on (local) or after (US) the
    announcement."""
    eid, ann = pair["event_id"], pair["announced"]
    ann_ts = pd.Timestamp(ann)
    if ann_ts < sessions[0] or ann_ts > sessions[-1]:
        raise EventSkipped(
            f"event {eid}: announced {ann} is outside the price range of market {mkt_sym} "
            f"({sessions[0]:%Y-%m-%d}..{sessions[-1]:%Y-%m-%d})")
    side = "right" if pair["announced_in"] == "US" else "left"
    e = int(sessions.searchsorted(ann_ts, side=side))
    if e >= len(sessions):
        raise EventSkipped(f"event {eid}: no {mkt_sym} session after {ann} in the prices "
                             f"(last {sessions[-1]:%Y-%m-%d})")
    return e


def _fit(r: pd.DataFrame, where: str, sessions: pd.DatetimeIndex, e: int, estimation: int,
         gap: int, min_est: int) -> _Fit:
    """OLS of the stock's on the market's return over the estimation window (single-session
    returns only: a return spanning a suspension is left out)."""
    est_lo, est_hi = e - gap - estimation, e - gap - 1
    est = r[(r["start_pos"] >= est_lo) & (r["pos"] <= est_hi) & (r["gap_days"] == 0)]
    n_est = len(est)
    if n_est < min_est:
        raise EventSkipped(
            f"{where}: {n_est} estimation returns found between "
            f"{sessions[est_lo]:%Y-%m-%d} and {sessions[est_hi]:%Y-%m-%d}, need at least "
            f"{min_est} (estimation={estimation}, gap={gap}); the stock may not have "
            "traded then")
    y = est["ret"].to_numpy()
    X = np.column_stack([np.ones(n_est), est["market_ret"].to_numpy()])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    res = y - X @ coef
    dof = n_est - 2
    return _Fit(alpha=float(coef[0]), beta=float(coef[1]), sigma2=float(res @ res / dof),
                xtx_inv=np.linalg.inv(X.T @ X), dof=dof, n_est=n_est,
                resid=pd.Series(res, index=est["date"].to_numpy()))


def _abnormal(r: pd.DataFrame, e: int, lo: int, fit: _Fit) -> pd.DataFrame:
    """Returns from the first window day on, with expected and abnormal returns, their
    standard errors (prediction-error corrected) and t; k-session spans use k·α."""
    post = r[r["pos"] >= e + lo].copy()
    k = (post["gap_days"] + 1).to_numpy(dtype=float)
    rm = post["market_ret"].to_numpy()
    post["expected"] = k * fit.alpha + fit.beta * rm
    post["ar"] = post["ret"] - post["expected"]
    xs = np.column_stack([k, rm])
    var = fit.sigma2 * (k + np.einsum("ij,jk,ik->i", xs, fit.xtx_inv, xs))
    post["se"] = np.sqrt(var)
    post["t"] = post["ar"] / post["se"]
    post["rel_day"] = post["pos"] - e
    post["span_start_rel"] = post["start_pos"] - e
    return post


def _window_parts(post: pd.DataFrame, e: int, a: int, b: int, where: str,
                  event_day: pd.Timestamp, last_price: pd.Timestamp
                  ) -> list[tuple[pd.DataFrame, bool]]:
    """The returns of window [a, b]; when it ends at a limit close, also the window run on
    through the first close off the limit (flagged True)."""
    sel = post[(post["pos"] >= e + a) & (post["start_pos"] <= e + b)]
    if sel.empty or post["pos"].max() < e + b:
        raise EventSkipped(f"{where}: window [{a:+d},{b:+d}] around {event_day:%Y-%m-%d} "
                             f"runs past the last price ({last_price:%Y-%m-%d})")
    parts = [(sel, False)]
    last = sel.iloc[-1]
    after = post[post["pos"] > last["pos"]]
    if _hit(last["limit_hit"]) and len(after):  # else: data end; ends_at_limit says so
        free = after[~after["limit_hit"].map(_hit)]
        ext_end = free["pos"].iloc[0] if len(free) else after["pos"].max()
        parts.append((post[(post["pos"] >= e + a) & (post["start_pos"] <= ext_end)], True))
    return parts


def _car_row(part: pd.DataFrame, fit: _Fit, a: int, b: int, through: bool) -> dict[str, Any]:
    """CAR of one window part with its standard error, t and p."""
    s_k = float((part["gap_days"] + 1).sum())
    svec = np.array([s_k, float(part["market_ret"].sum())])
    car = float(part["ar"].sum())
    se = float(np.sqrt(fit.sigma2 * (s_k + svec @ fit.xtx_inv @ svec)))
    t = car / se
    return {"window": f"[{a:+d},{b:+d}]" + (" through limit" if through else ""),
            "start": a, "end": b,
            "first_rel": int(part["span_start_rel"].min()),
            "last_rel": int(part["rel_day"].max()),
            "car": car, "se": se, "t": t, "p": _p(t, fit.dof),
            "n_days": len(part), "spans_gap": bool((part["gap_days"] > 0).any()),
            "ends_at_limit": _hit(part.iloc[-1]["limit_hit"]), "through_limit": through}


def _ar_rows(shown: pd.DataFrame, key: dict[str, Any], dof: int) -> list[dict[str, Any]]:
    """One row per shown session: return, market return, expected, AR with se, t, p."""
    return [{**key, "date": row["date"],
             "rel_day": int(row["rel_day"]), "span_start_rel": int(row["span_start_rel"]),
             "ret": row["ret"], "market_ret": row["market_ret"],
             "expected": row["expected"], "ar": row["ar"], "se": row["se"],
             "t": row["t"], "p": _p(row["t"], dof), "gap_days": int(row["gap_days"]),
             "limit_hit": row["limit_hit"] if _hit(row["limit_hit"]) else None,
             "suspended_before": bool(row["gap_days"] > 0),
             "suspended_days": row["suspended_days"]}
            for _, row in shown.iterrows()]


@dataclass
class _Tables:
    """Rows collected over the firm × event pairs, before they become DataFrames."""

    ar: list[dict[str, Any]] = field(default_factory=list)
    car: list[dict[str, Any]] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    resid: dict[tuple[str, str], pd.Series] = field(default_factory=dict)

    def extend(self, other: _Tables) -> None:
        """Add the rows of another pair's tables (kept apart until that pair succeeded)."""
        for name in ("ar", "car", "params", "events"):
            getattr(self, name).extend(getattr(other, name))
        self.resid.update(other.resid)


def _days_between(days: pd.DatetimeIndex | None, lo: pd.Timestamp, hi: pd.Timestamp) -> str:
    """The days of `days` within [lo, hi] as "YYYY-MM-DD, …" ("" when none or unknown)."""
    if days is None:
        return ""
    return ", ".join(f"{d:%Y-%m-%d}" for d in days[(days >= lo) & (days <= hi)])


def _adjustment_days(px: pd.DataFrame) -> dict[str, pd.DatetimeIndex]:
    """ticker → days on which the provider's adjustment factor (adj_close / close) changes:
    ex-dividend days and splits. Empty when the prices have no adj_close."""
    raw = "close_unadjusted" if "close_unadjusted" in px.columns else "close"
    if "adj_close" not in px.columns:
        return {}
    out = {}
    for t, g in px.groupby("ticker", sort=True):
        g = g.dropna(subset=["adj_close"])
        if len(g) < 2:
            continue
        factor = (g["adj_close"] / g[raw]).to_numpy()
        moved = np.abs(np.diff(factor) / factor[:-1]) > 1e-6
        out[t] = pd.DatetimeIndex(g["date"].to_numpy()[1:][moved])
    return out


def _study_pair(pair: dict[str, Any], out: _Tables, by_ticker: Mapping[str, pd.DataFrame],
                symbols: set[str], kb: Any, opts: dict[str, Any]) -> None:
    """Fit, abnormal returns and CARs of one firm around one event, appended to `out`."""
    eid, ticker = pair["event_id"], pair["ticker"]
    where = f"event {eid}, {ticker}"
    mkt_sym, mkt_basis = _market_for(ticker, opts["market"], symbols, kb)
    if mkt_sym == ticker:
        raise ParameterError(f"event {eid}: {ticker} is its own market index; pass "
                             "market= with an index symbol")
    mkt = by_ticker[mkt_sym].set_index("date")["close"]
    cal = _calendar_for(ticker, mkt_sym, mkt, kb)
    sessions = cal.sessions
    limit_basis, limit_of = _limit_setup(ticker, kb, opts["price_limits"])
    e = _event_position(pair, sessions, mkt_sym)
    event_day = sessions[e]
    estimation, gap = opts["estimation"], opts["gap"]
    est_lo, est_hi = e - gap - estimation, e - gap - 1
    if est_lo < 0:
        raise EventSkipped(
            f"{where}: estimation needs {estimation} sessions ending {gap} "
            f"before the event day {event_day:%Y-%m-%d}; only {max(e - gap, 0)} found in "
            f"{mkt_sym} from {sessions[0]:%Y-%m-%d}. Use earlier prices or a smaller "
            "estimation=")
    stock = by_ticker[ticker]
    r = _returns(stock, mkt, sessions, limit_of)
    horizon = sessions[min(e + opts["hi"] + 30, len(sessions) - 1)]
    _check_on_calendar(r[(r["date"] >= sessions[est_lo]) & (r["date"] <= horizon)],
                       ticker, mkt_sym, cal, pd.DatetimeIndex(mkt.index))
    fit = _fit(r, where, sessions, e, estimation, gap, opts["min_est"])
    out.resid[(eid, ticker)] = fit.resid
    out.params.append({
        "event_id": eid, "ticker": ticker, "market": mkt_sym, "market_basis": mkt_basis,
        "alpha": fit.alpha, "beta": fit.beta, "sigma": float(np.sqrt(fit.sigma2)),
        "n_est": fit.n_est, "est_start": sessions[est_lo], "est_end": sessions[est_hi],
        "limit_rule": limit_basis, "calendar": cal.basis,
        "price_column": opts["price_column"].get(ticker, "close"),
        "adjustment_days": _days_between(opts["adjustments"].get(ticker), sessions[est_lo],
                                         sessions[est_hi])})
    out.events.append({**pair, "announced": pd.Timestamp(pair["announced"]),
                       "event_day": event_day, "market": mkt_sym})
    post = _abnormal(r, e, opts["lo"], fit)
    keep_until = e + opts["hi"]
    key = {"event_id": eid, "ticker": ticker}
    for a, b in opts["wins"]:
        parts = _window_parts(post, e, a, b, where, event_day, stock["date"].max())
        for part, through in parts:
            if through:
                keep_until = max(keep_until, int(part["pos"].max()))
            row = _car_row(part, fit, a, b, through)
            row["first_day"] = sessions[e + row["first_rel"]]
            row["last_day"] = sessions[e + row["last_rel"]]
            out.car.append({**key, **row})
    out.ar.extend(_ar_rows(post[post["start_pos"] <= keep_until], key, fit.dof))


def event_study(prices: pd.DataFrame, events: pd.DataFrame | Sequence[Mapping[str, Any]], *,
                estimation: int = 120, gap: int = 10,
                windows: Sequence[tuple[int, int]] = ((0, 0), (-1, 1), (0, 5)),
                market: str | Mapping[str, str] | None = None, announced: str = "auto",
                min_estimation: int | None = None,
                price_limits: float | Mapping[str, float | None] | None = None,
                ) -> EventStudyResult:
    """Abnormal returns around events (market model, MacKinlay 1997).

    prices: table with date, ticker, close (e.g. `load_prices`). events: DataFrame or list of
    dicts with event_id, date, tickers (price symbols) or targets (KB company ids), optional
    announced_in ("US"/"local") and actor. windows: (first, last) session offsets from the
    event day. market: index symbol, or dict ticker → symbol (default: from the KB exchange).
    announced: "auto" (per event), "US" or "local" for all events. min_estimation: fewest
    estimation returns accepted (default estimation // 2; suspensions shorten the window).
    price_limits: daily limit fraction (0.1) for all tickers or a dict ticker → fraction
    (None: no limit), overriding the KB/fallback rules (e.g. for ST stocks at 0.05).

    A firm × event that these prices cannot cover (announced outside the price range, too
    few estimation returns, a window past the last price) goes to `result.skipped` with the
    reason; the other pairs are studied. Bad arguments raise `ParameterError`.
    """
    min_est, wins = _check_settings(estimation, gap, windows, min_estimation)
    px = _check_prices(prices)
    symbols = set(px["ticker"].unique())
    kb, kb_note = _kb()
    if kb is None:
        warnings.warn(f"event_study: {kb_note}; using the fallback market and price-limit "
                      "tables (see result.settings)", stacklevel=2)
    pairs, skipped = _normalize_events(events, symbols, announced, kb, kb_note)
    if not pairs:
        reasons = "; ".join(f"{s['target']} {s['ticker']}: {s['reason']}" for s in skipped)
        raise ParameterError(f"no firm left to study: {reasons}")
    by_ticker = {t: g[["date", "close"]] for t, g in px.groupby("ticker", sort=True)}
    used = dict(prices.attrs.get("price_column") or {})
    opts = {"market": market, "price_limits": price_limits, "estimation": estimation,
            "price_column": used, "adjustments": _adjustment_days(px),
            "gap": gap, "min_est": min_est, "wins": wins,
            "lo": min(a for a, _ in wins), "hi": max(b for _, b in wins)}
    out = _Tables()
    for pair in pairs:
        one = _Tables()
        try:
            _study_pair(pair, one, by_ticker, symbols, kb, opts)
        except EventSkipped as exc:
            skipped.append({"event_id": pair["event_id"], "target": pair.get("target", ""),
                            "ticker": pair["ticker"], "reason": str(exc)})
            continue
        out.extend(one)
    settings = {"estimation": estimation, "gap": gap, "windows": wins,
                "min_estimation": min_est, "announced": announced,
                "knowledge_base": "loaded" if kb is not None else kb_note,
                "calendars": _per_ticker(out.params, "calendar"),
                "price_column": _per_ticker(out.params, "price_column")}
    return _assemble(out, skipped, wins, settings)


def _per_ticker(params: list[dict[str, Any]], key: str) -> dict[str, str]:
    """ticker → the value of `key` in its parameter rows (the calendar, the price column)."""
    return {p["ticker"]: p[key] for p in sorted(params, key=lambda p: p["ticker"])}


#: Columns of the result tables when no firm × event could be studied.
EMPTY_COLUMNS = {
    "ar": ["event_id", "ticker", "date", "rel_day", "span_start_rel", "ret", "market_ret",
           "expected", "ar", "se", "t", "p", "gap_days", "limit_hit", "suspended_before",
           "suspended_days"],
    "car": ["event_id", "ticker", "window", "start", "end", "first_rel", "last_rel", "car",
            "se", "t", "p", "n_days", "spans_gap", "ends_at_limit", "through_limit",
            "first_day", "last_day", "confounded_with"],
    "params": ["event_id", "ticker", "market", "market_basis", "alpha", "beta", "sigma",
               "n_est", "est_start", "est_end", "limit_rule", "calendar", "price_column"],
    "events": ["event_id", "ticker", "announced", "announced_in", "announced_basis",
               "event_day", "market"],
}


def _table(rows: list[dict[str, Any]], name: str, order: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame sorted by `order`; the documented columns when there are none."""
    if not rows:
        return pd.DataFrame(columns=EMPTY_COLUMNS[name])
    return pd.DataFrame(rows).sort_values(order, kind="stable").reset_index(drop=True)


def _assemble(out: _Tables, skipped: list[dict[str, Any]], wins: list[tuple[int, int]],
              settings: dict[str, Any]) -> EventStudyResult:
    """Sorted DataFrames of the collected rows, with CAARs across firms."""
    ar = _table(out.ar, "ar", ["event_id", "ticker", "date"])
    ar["limit_hit"] = pd.Series(ar["limit_hit"].tolist(), index=ar.index, dtype="str")
    car = _table(out.car, "car", ["event_id", "ticker", "start", "end", "through_limit"])
    caar = _caar(car, out.resid, wins)
    params = _table(out.params, "params", ["event_id", "ticker"])
    evs = _table(out.events, "events", ["event_id", "ticker"])
    if len(car):
        car["confounded_with"] = _confounded(car, evs)
    skip = pd.DataFrame(skipped, columns=["event_id", "target", "ticker", "reason"])
    return EventStudyResult(ar=ar, car=car, caar=caar, params=params, events=evs,
                            skipped=skip, settings=settings)


def _confounded(car: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """Per CAR row: the other studied events of the same firm whose event day falls inside
    the row's sessions (first_day..last_day), comma-joined; "" when none. Their abnormal
    returns overlap, so the window cannot be given to one event alone."""
    days = events.groupby("ticker")[["event_id", "event_day"]]
    by_ticker = {t: list(zip(g["event_id"], g["event_day"], strict=True)) for t, g in days}
    out = []
    for eid, t, lo, hi in zip(car["event_id"], car["ticker"], car["first_day"], car["last_day"],
                              strict=True):
        others = sorted({o for o, d in by_ticker.get(t, []) if o != eid and lo <= d <= hi})
        out.append(", ".join(others))
    return out


#: Fewest firms for a cross-firm (CAAR) test to mean much; below it the row gets a note.
MIN_FIRMS_FOR_TEST = 5


def _caar_note(n: int) -> str:
    if n >= MIN_FIRMS_FOR_TEST:
        return ""
    if n < 2:
        return f"{n} firm: no cross-firm test"
    return (f"{n} firms: the cross-firm test has {n - 1} degree{'s' if n > 2 else ''} of "
            f"freedom, too few to mean much (fewer than {MIN_FIRMS_FOR_TEST} firms)")


def _mean_cross_correlation(series: list[pd.Series]) -> float:
    """Average pairwise correlation of estimation residuals over their common dates."""
    cors = []
    for i in range(len(series)):
        for j in range(i + 1, len(series)):
            both = pd.concat([series[i], series[j]], axis=1, join="inner").dropna()
            if len(both) >= 3:
                cors.append(float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1]))
    return float(np.mean(cors)) if cors else float("nan")


def _caar(car: pd.DataFrame, resid: dict[tuple[str, str], pd.Series],
          wins: list[tuple[int, int]]) -> pd.DataFrame:
    """CAAR per event and window with the BMP test, unadjusted and Kolari–Pynnönen adjusted."""
    cols = ["event_id", "window", "start", "end", "caar", "n_firms", "dof", "mean_scar", "t_bmp",
            "p_bmp", "r_bar", "t_adj_bmp", "p_adj_bmp", "note"]
    rows = []
    if car.empty:
        return pd.DataFrame(columns=cols)
    base = car[~car["through_limit"]]
    for eid, g in base.groupby("event_id", sort=True):
        tickers = sorted(g["ticker"].unique())
        r_bar = _mean_cross_correlation([resid[(eid, t)] for t in tickers])
        for a, b in wins:
            w = g[(g["start"] == a) & (g["end"] == b)]
            n = len(w)
            scar = (w["car"] / w["se"]).to_numpy()
            t_bmp = p_bmp = t_adj = p_adj = float("nan")
            if n >= 2:
                sd = float(np.std(scar, ddof=1))
                t_bmp = float(np.mean(scar) * np.sqrt(n) / sd) if sd > 0 else float("nan")
                p_bmp = _p(t_bmp, n - 1)
                if np.isfinite(r_bar):
                    t_adj = t_bmp * float(np.sqrt((1 - r_bar) / (1 + (n - 1) * r_bar)))
                    p_adj = _p(t_adj, n - 1)
            rows.append({"event_id": eid, "window": f"[{a:+d},{b:+d}]", "start": a, "end": b,
                         "caar": float(w["car"].mean()) if n else float("nan"),
                         "n_firms": n, "dof": max(n - 1, 0), "note": _caar_note(n),
                         "mean_scar": float(np.mean(scar)) if n else float("nan"),
                         "t_bmp": t_bmp, "p_bmp": p_bmp, "r_bar": r_bar if n >= 2 else
                         float("nan"), "t_adj_bmp": t_adj, "p_adj_bmp": p_adj})
    return pd.DataFrame(rows, columns=cols)
