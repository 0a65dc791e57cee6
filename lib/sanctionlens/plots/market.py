"""Figures for the market notebook (notebooks/03_market_effects.ipynb).

Builders take tables from `sanctionlens.analysis.eventstudy` and return plotly Figures. Strings
from data are HTML-escaped before they reach labels or hover text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..analysis.eventstudy import EventStudyResult
from ..errors import ParameterError
from .style import FONT, PALETTE
from .style import esc as _esc


def _event(result: EventStudyResult, event_id: str) -> pd.DataFrame:
    ar = result.ar[result.ar["event_id"] == event_id]
    if ar.empty:
        known = ", ".join(sorted(result.ar["event_id"].unique())) or "none"
        raise ParameterError(f"event {event_id!r} is not in the result; studied: {known}")
    return ar


def cumulative_ar(result: EventStudyResult, event_id: str) -> go.Figure:
    """Cumulative abnormal return by session offset, one line per firm.

    A point that spans a suspension is drawn at the day trading resumed, and the hover text
    says how many sessions it spans. Limit closes are marked with a triangle.
    """
    ar = _event(result, event_id)
    fig = go.Figure()
    for i, (ticker, g) in enumerate(ar.groupby("ticker", sort=True)):
        g = g.sort_values("rel_day")
        cum = g["ar"].cumsum() * 100
        hover = [
            f"{_esc(ticker)} {d:%Y-%m-%d} (day {r:+d})<br>AR {a * 100:.2f}%, cumulative {c:.2f}%"
            + (f"<br>return spans {gd + 1} sessions (not traded before)" if gd else "")
            + (f"<br>closed at the {lh} limit" if isinstance(lh, str) else "")
            for d, r, a, c, gd, lh in zip(g["date"], g["rel_day"], g["ar"], cum, g["gap_days"],
                                          g["limit_hit"], strict=True)]
        symbols = ["triangle-down" if lh == "down" else "triangle-up" if lh == "up" else "circle"
                   for lh in g["limit_hit"]]
        colour = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(
            x=g["rel_day"], y=cum, mode="lines+markers", name=_esc(ticker),
            line={"color": colour}, marker={"symbol": symbols, "size": 10, "color": colour},
            hovertext=hover, hoverinfo="text"))
    fig.add_vline(x=0, line={"dash": "dot", "color": "#868e96"})
    fig.add_hline(y=0, line={"color": "#adb5bd", "width": 1})
    fig.update_layout(
        title=f"Cumulative abnormal return around {_esc(event_id)}", font=FONT,
        xaxis_title="sessions from the event day (0)", yaxis_title="cumulative AR (%)",
        template="plotly_white", legend_title_text="symbol", height=420)
    return fig


def car_bars(result: EventStudyResult, event_id: str) -> go.Figure:
    """CAR per firm and window with 95% intervals from the market-model standard errors."""
    car = result.car[(result.car["event_id"] == event_id) & ~result.car["through_limit"]]
    if car.empty:
        raise ParameterError(f"event {event_id!r} has no CAR rows")
    from scipy import stats
    dof = result.params.set_index(["event_id", "ticker"])["n_est"] - 2
    fig = go.Figure()
    for i, (window, g) in enumerate(car.groupby("window", sort=False)):
        q = [stats.t.ppf(0.975, dof[(event_id, t)]) for t in g["ticker"]]
        half = [qq * se * 100 for qq, se in zip(q, g["se"], strict=True)]
        fig.add_trace(go.Bar(
            x=[_esc(t) for t in g["ticker"]], y=g["car"] * 100, name=_esc(window),
            marker_color=PALETTE[i % len(PALETTE)],
            error_y={"type": "data", "array": half, "visible": True},
            hovertext=[f"{_esc(t)} {_esc(window)}: CAR {c * 100:.2f}% (p = {p:.3f}), covers days "
                       f"{a:+d}..{b:+d}" for t, c, p, a, b in
                       zip(g["ticker"], g["car"], g["p"], g["first_rel"], g["last_rel"],
                           strict=True)],
            hoverinfo="text"))
    fig.update_layout(barmode="group", title=f"CAR by window, {_esc(event_id)}", font=FONT,
                      yaxis_title="CAR (%) with 95% interval", template="plotly_white",
                      legend_title_text="window", height=420)
    return fig


def ipo_returns(outcomes: pd.DataFrame) -> go.Figure:
    """Return from the first close after 5, 20, 60 sessions and to the last price, stock
    beside its index, one group of bars per listing (rows of `ipo_outcomes`, measured)."""
    if outcomes.empty:
        raise ParameterError("ipo_returns(): no measured listing (status 'measured')")
    spans = [("5d", "+5 sessions"), ("20d", "+20"), ("60d", "+60"), ("to_last", "to last price")]
    fig = go.Figure()
    for i, r in enumerate(outcomes.itertuples()):
        for j, (who, col) in enumerate(((r.symbol, "ret"), (r.index, "index"))):
            y = [getattr(r, f"{col}_{s}") * 100 for s, _ in spans]
            fig.add_trace(go.Bar(
                x=[label for _, label in spans], y=y, name=_esc(f"{who}"),
                marker_color=PALETTE[(2 * i + j) % len(PALETTE)],
                hovertext=[f"{_esc(who)} {label}: {v:+.1f}% (listed {r.listed})"
                           for (_, label), v in zip(spans, y, strict=True)],
                hoverinfo="text"))
    fig.add_hline(y=0, line={"color": "#adb5bd", "width": 1})
    fig.update_layout(barmode="group", title="Returns after listing, from the first close",
                      font=FONT, yaxis_title="return (%)", template="plotly_white",
                      legend_title_text="symbol", height=400)
    return fig
