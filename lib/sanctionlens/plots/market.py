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


# --------------------------------------------------------------------------- what texts state
IPO_STEPS = {"ipo_postponed": "IPO postponed", "ipo_scrapped": "IPO scrapped",
             "ipo_relaunch_planned": "IPO relaunch planned", "listed": "Shares listed",
             "ipo_listed": "Shares listed", "listing_venue": "Listing venue named",
             "ipo_size": "IPO size stated", "ipo_size_initial": "First IPO size stated",
             "ipo_offer_price": "Offer price stated"}
MODEBAR_PX = 34  # the title starts below plotly's tool bar (it would cover a title at 420 px)
PERCENT_KINDS = {"share_move": "Share price move", "ipo_size_change": "IPO size cut",
                 "revenue_growth": "Revenue growth"}


def _wrap(text: str, width: int = 46) -> str:
    """Escaped text with <br> between lines (plotly titles do not wrap; phones cut them)."""
    import textwrap

    return "<br>".join(_esc(line) for line in textwrap.wrap(text, width) or [""])


def _source_label(source: object, articles: dict[str, str]) -> str:
    """"Bloomberg, 5 May 2022 — Title" for "<doc_id> sentence N: …", else the text as given."""
    text = str(source)
    doc_id = text.split(" sentence ")[0]
    return articles.get(doc_id, text)


def ipo_timeline_figure(timeline: pd.DataFrame, articles: dict[str, str]) -> go.Figure:
    """The IPO steps of each company on a date axis (rows of `analysis.ipo.ipo_timeline`):
    one row per company, one marker per dated step; the title counts the undated steps.
    ``articles``: doc_id -> "Outlet, date — title" for the hover text."""
    from . import labels as L

    dated = timeline[timeline["date"].notna()]
    fig = go.Figure()
    for i, (step, g) in enumerate(dated.groupby("step", sort=True)):
        fig.add_trace(go.Scatter(
            x=list(g["date"]), y=[_esc(L.name(c)) for c in g["company"]], mode="markers",
            name=_esc(IPO_STEPS.get(step, step)), marker={"size": 13, "color":
                                                           PALETTE[i % len(PALETTE)]},
            hovertext=[f"<b>{_esc(IPO_STEPS.get(step, step))}</b> {_esc(L.date_label(d))}<br>"
                       f"{_esc(_source_label(s, articles))}"
                       for d, s in zip(g["date"], g["source"], strict=True)],
            hoverinfo="text"))
    undated = len(timeline) - len(dated)
    companies = dated["company"].nunique()
    title = "<br>".join(_wrap(_steps_line(g)) for _, g in
                        list(dated.sort_values("date").groupby("company", sort=False))[:3])
    if undated:
        title += "<br><sup>" + _wrap(f"{undated} undated step(s) stated in the texts are "
                                     "listed in the method section", 70) + "</sup>"
    lines = title.count("<br>") + 1
    fig.update_layout(title={"text": title, "x": 0.01, "xanchor": "left", "y": 1,
                             "yanchor": "top", "yref": "container", "pad": {"t": MODEBAR_PX}},
                      font=FONT, template="plotly_white",
                      height=190 + 22 * lines + 50 * max(companies, 1),
                      margin={"l": 10, "r": 20, "t": 20 + MODEBAR_PX + 22 * lines, "b": 90},
                      legend={"orientation": "h", "y": -0.35, "yanchor": "top", "x": 0})
    fig.update_yaxes(automargin=True)
    lo, hi = pd.Timestamp(min(dated["date"])), pd.Timestamp(max(dated["date"]))
    pad = max((hi - lo) * 0.1, pd.Timedelta(days=20))
    fig.update_xaxes(type="date", tickformat="%-d %b<br>%Y", tickangle=0, nticks=4,
                     range=[(lo - pad).date().isoformat(), (hi + pad).date().isoformat()])
    return fig


def _steps_line(g: pd.DataFrame) -> str:
    """"SenseTime: IPO postponed 13 Dec 2021, Shares listed 30 Dec 2021" (first steps)."""
    from . import labels as L

    steps = dict.fromkeys(f"{IPO_STEPS.get(s, s)} {L.date_label(d)}"
                          for s, d in zip(g["step"], g["date"], strict=True))
    return f"{L.name(g['company'].iloc[0])}: " + ", ".join(list(steps)[:3])


def stated_changes_figure(moves: pd.DataFrame, articles: dict[str, str]) -> go.Figure | None:
    """Changes the texts state in percent (share moves, IPO size cuts, revenue growth), one
    bar per company and fact, the sentence and article in the hover text; None when the
    texts state none."""
    from . import labels as L

    rows = moves[moves["kind"].isin(list(PERCENT_KINDS)) & (moves["unit"] == "%")]
    if rows.empty:
        return None
    rows = rows.drop_duplicates(["company", "kind", "value", "date"])
    fig = go.Figure()
    for i, (kind, g) in enumerate(rows.groupby("kind", sort=True)):
        labels = [f"{L.name(c)}" + (f", {L.date_label(d)}" if isinstance(d, str) else "")
                  for c, d in zip(g["company"], g["date"], strict=True)]
        fig.add_trace(go.Bar(
            y=[_esc(x) for x in labels], x=[float(v) for v in g["value"]], orientation="h",
            name=_esc(PERCENT_KINDS[kind]), marker_color=PALETTE[i % len(PALETTE)],
            hovertext=[f"<b>{_esc(PERCENT_KINDS[kind])}: {float(v):+.1f}%</b><br>"
                       f"“{_esc(str(t)[:160])}”<br>{_esc(articles.get(d, 'an article'))}"
                       for v, t, d in zip(g["value"], g["evidence"], g["doc_id"], strict=True)],
            hoverinfo="text"))
    fig.add_vline(x=0, line={"color": "#adb5bd", "width": 1})
    top = rows.reindex(rows["value"].astype(float).abs().sort_values(ascending=False).index)
    said = "; ".join(f"{L.name(r.company)} {PERCENT_KINDS[r.kind].lower()} {float(r.value):+.0f}%"
                     for r in top.head(2).itertuples())
    title = _wrap(f"Stated in the articles (percent): {said}")
    lines = title.count("<br>") + 1
    fig.update_layout(title={"text": title, "x": 0.01, "xanchor": "left", "y": 1,
                             "yanchor": "top", "yref": "container", "pad": {"t": MODEBAR_PX}},
                      font=FONT, template="plotly_white", barmode="group",
                      height=170 + 22 * lines + 40 * len(rows),
                      margin={"l": 10, "r": 20, "t": 20 + MODEBAR_PX + 22 * lines, "b": 100},
                      legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0})
    fig.update_yaxes(automargin=True)
    return fig
