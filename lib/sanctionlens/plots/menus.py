"""A company dropdown on the chronology timeline (plotly's own ``updatemenus``): it works in
an offline HTML page with no kernel. Choosing a company keeps its markers and fades the others,
and zooms the date axis to its events; "All companies" restores the chart.

The marker traces of :func:`sanctionlens.plots.chronology.timeline_figure` carry each point's
company ids in ``customdata`` ("hikvision,megvii"); that is all this module reads.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from . import labels as L
from .style import esc, short

MAX_CHOICES = 30  # companies in the menu (the most often drawn first, then by name)
FADED = 0.12
MENU_PX = 64  # height added above the chart for the menu (and the title below the tool bar)


def _companies(fig: Any) -> list[str]:
    count: Counter[str] = Counter()
    for tr in fig.data:
        for ids in tr.customdata or ():
            count.update(i for i in str(ids).split(",") if i)
    ranked = sorted(count, key=lambda c: (-count[c], L.name(c)))[:MAX_CHOICES]
    return sorted(ranked, key=L.name)


def _span(dates: list[str]) -> list[str]:
    """The padded date range of ``dates`` (never under a year)."""
    days = [dt.date.fromisoformat(d[:10]) for d in dates]
    lo, hi = min(days), max(days)
    pad = max((hi - lo) * 0.08, dt.timedelta(days=45))
    lo, hi = lo - pad, hi + pad
    if hi - lo < dt.timedelta(days=365):
        mid = lo + (hi - lo) / 2
        lo, hi = mid - dt.timedelta(days=183), mid + dt.timedelta(days=183)
    return [lo.isoformat(), hi.isoformat()]


def _choice(fig: Any, company: str) -> dict[str, Any]:
    selected: list[Any] = []
    dates: list[str] = []
    for tr in fig.data:
        if tr.customdata is None:
            selected.append(None)
            continue
        idx = [i for i, ids in enumerate(tr.customdata) if company in str(ids).split(",")]
        selected.append(idx)
        dates += [str(tr.x[i]) for i in idx]
    layout = {"xaxis.range": _span(dates)} if dates else {}
    return {"label": esc(short(L.name(company), 28)), "method": "update",
            "args": [{"selectedpoints": selected}, layout]}


def add_company_menu(fig: Any) -> Any:
    """Add a "Show: All companies | <company> …" dropdown above a chronology timeline.

    A figure without company data (e.g. the empty-axis figure) is returned unchanged.
    """
    companies = _companies(fig)
    if len(companies) < 2:
        return fig
    for tr in fig.data:
        if tr.customdata is not None:
            tr.update(selected={"marker": {"opacity": 1}},
                      unselected={"marker": {"opacity": FADED}})
    everyone = {"label": "All companies", "method": "update",
                "args": [{"selectedpoints": [None] * len(fig.data)},
                         {"xaxis.range": list(fig.layout.xaxis.range or [])}]}
    top = (fig.layout.margin.t or 80) + MENU_PX
    fig.update_layout(
        height=(fig.layout.height or 525) + MENU_PX, margin={"t": top},
        # the title stays at the top of the figure; the menu sits between it and the chart
        title={"y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 34}},
        updatemenus=[{"buttons": [everyone, *(_choice(fig, c) for c in companies)],
                      "direction": "down", "showactive": True, "active": 0,
                      "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom",
                      "pad": {"b": 18}, "bgcolor": "white", "font": {"size": 12}}])
    return fig


__all__ = ["add_company_menu"]
