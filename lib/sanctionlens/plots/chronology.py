"""Timeline figures for the sanction chronology (notebooks 01 and 02).

Both builders take the frame of :func:`sanctionlens.analysis.chronology.chronology` (or any filtered
part of it, e.g. the events of one company). A dated event is drawn at the start of its date
interval, with a line across the interval when the date is only known to the month or year;
undated events cannot be placed and are counted in the title. Every piece of article text
that goes into hover text is HTML-escaped: plotly renders hover text as (a subset of) HTML.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..errors import ParameterError
from .style import FONT, PALETTE
from .style import esc as _esc
from .style import short as _short

# Okabe-Ito, colour-blind safe; instruments get colours in sorted order, "none" is grey.
NO_INSTRUMENT = "#999999"
HOVER_CHARS = 160
REQUIRED = ("event_id", "date", "precision", "action", "instrument", "targets", "source",
            "evidence")


def _require(events: pd.DataFrame, what: str) -> None:
    if not isinstance(events, pd.DataFrame):
        raise ParameterError(f"{what}: expected the DataFrame of sanctionlens.chronology(), "
                             f"got {type(events).__name__}")
    missing = [c for c in REQUIRED if c not in events.columns]
    if missing:
        raise ParameterError(f"{what}: the frame lacks column(s) {', '.join(missing)}; pass "
                             "the frame returned by sanctionlens.chronology(corpus)")


def _interval(row: Any) -> tuple[dt.date, dt.date] | None:
    from ..analysis.chronology import _interval as interval

    return interval(row.date, row.precision, getattr(row, "date_end", None))


def _names() -> dict[str, str]:
    from ..kb import get_kb

    kb = get_kb()
    out: dict[str, str] = {}
    for group in (kb.companies, kb.agencies, kb.instruments, kb.places, kb.people):
        out.update({k: v.name for k, v in group.items()})
    return out


def _colours(events: pd.DataFrame) -> dict[str, str]:
    ids = sorted({i for i in events["instrument"] if isinstance(i, str) and i})
    return {i: PALETTE[n % len(PALETTE)] for n, i in enumerate(ids)}


def _label(action: str) -> str:
    return str(action).replace("_", " ")


def _hover(row: Any, names: dict[str, str]) -> str:
    targets = ", ".join(names.get(t, t) for t in row.targets) or "no company named"
    date = row.date if row.date else "undated"
    lines = [f"<b>{_esc(_label(row.action))}</b>: {_esc(targets)}",
             f"date: {_esc(date)} ({_esc(row.precision)})"]
    if row.instrument:
        lines.append(f"instrument: {_esc(names.get(row.instrument, row.instrument))}")
    if row.source == "reference":
        lines.append(f"official (reference): {_esc(getattr(row, 'title', ''))}")
        cit = getattr(row, "citation", "")
        if cit:
            lines.append(f"source: {_esc(_short(cit, 120))}")
        return "<br>".join(lines)
    official = getattr(row, "official_date", None)
    if official:
        lines.append(f"official date: {_esc(official)} ({_esc(row.reference_id)})")
    if not getattr(row, "agreement", True):
        lines.append("<i>sources disagree:</i>")
        lines += [f"– {_esc(_short(d, 120))}" for d in getattr(row, "disagreements", [])]
    outlets = dict(zip(getattr(row, "doc_ids", []) or [], getattr(row, "outlets", []) or [],
                       strict=False))
    shown: set[str] = set()
    for ev in row.evidence:
        if ev["doc_id"] in shown:
            continue  # one sentence per article keeps the box readable
        shown.add(ev["doc_id"])
        outlet = outlets.get(ev["doc_id"]) or "outlet not stated"
        quote = _esc(_short(ev["text"], HOVER_CHARS))
        lines.append(f"{_esc(outlet)} ({_esc(ev['doc_id'])}): “{quote}”")
    return "<br>".join(lines)


def _rows(events: pd.DataFrame, y: str, names: dict[str, str]) -> list[tuple[Any, str]]:
    out = []
    for row in events.itertuples(index=False):
        if y == "company":
            for t in (row.targets or [None]):
                out.append((row, names.get(t, t) if t else "(no company named)"))
        else:
            out.append((row, _label(row.action)))
    return out


def timeline_figure(events: pd.DataFrame, title: str | None = None,
                    y: str = "action") -> go.Figure:
    """Interactive timeline: one marker per event (per target company when ``y="company"``).

    Colour = instrument; filled circles are events reported in the articles, open diamonds the
    official reference events; a line spans the interval of a month- or year-precision date.
    """
    _require(events, "timeline_figure")
    if y not in ("action", "company"):
        raise ParameterError(f"timeline_figure: y must be \"action\" or \"company\", got {y!r}")
    names = _names()
    colours = _colours(events)
    dated = [(r, lab) for r, lab in _rows(events, y, names) if _interval(r) is not None]
    undated = sum(1 for r in events.itertuples(index=False) if _interval(r) is None)
    fig = go.Figure()
    groups: dict[tuple[str, str], list[tuple[Any, str]]] = {}
    for r, lab in dated:
        inst = r.instrument if isinstance(r.instrument, str) and r.instrument else ""
        groups.setdefault((r.source, inst), []).append((r, lab))
    # official events first, so the reported markers are drawn on top of them
    order = sorted(groups, key=lambda k: (k[0] != "reference", k[1]))
    for source, inst in order:
        items = groups[(source, inst)]
        colour = colours.get(inst, NO_INSTRUMENT)
        inst_name = names.get(inst, inst) if inst else "no instrument named"
        name = f"{inst_name} ({'official' if source == 'reference' else 'reported'})"
        xs, ys, hover, lx, ly = [], [], [], [], []
        for r, lab in items:
            first, last = _interval(r)  # type: ignore[misc]
            xs.append(first.isoformat())
            ys.append(lab)
            hover.append(_hover(r, names))
            if last > first:
                lx += [first.isoformat(), last.isoformat(), None]
                ly += [lab, lab, None]
        if lx:
            fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines", line={"color": colour, "width": 4},
                                     opacity=0.35, hoverinfo="skip", showlegend=False,
                                     legendgroup=name))
        reference = source == "reference"
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=_esc(name), legendgroup=name,
            # an open symbol is drawn in marker.color (white would vanish on white)
            marker={"color": colour, "size": 14 if reference else 9,
                    "symbol": "diamond-open" if reference else "circle",
                    "line": {"color": colour, "width": 2}},
            hovertext=hover, hoverinfo="text"))
    heading = title or "Sanction chronology"
    if undated:
        heading += f" — {undated} undated event(s) not drawn (see the table)"
    fig.update_layout(
        title={"text": _esc(heading)}, font=FONT, template="plotly_white",
        height=max(320, 60 + 38 * len({lab for _, lab in dated})),
        margin={"l": 10, "r": 20, "t": 60, "b": 40}, hoverlabel={"align": "left"},
        legend={"title": {"text": "instrument"}})
    fig.update_xaxes(title_text="date (start of the stated period)", type="date")
    fig.update_yaxes(title_text="", automargin=True,
                     categoryorder="array",
                     categoryarray=sorted({lab for _, lab in dated}, reverse=True))
    return fig


def timeline_matplotlib(events: pd.DataFrame, title: str | None = None) -> Any:
    """Static timeline for print: rows = actions, filled = reported, open diamond = official."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    _require(events, "timeline_matplotlib")
    names = _names()
    colours = _colours(events)
    dated = [(r, lab) for r, lab in _rows(events, "action", names) if _interval(r) is not None]
    labels = sorted({lab for _, lab in dated})
    pos = {lab: i for i, lab in enumerate(labels)}
    fig = Figure(figsize=(12, max(2.5, 0.5 * len(labels) + 1.5)))
    ax = fig.subplots()
    for r, lab in dated:
        first, last = _interval(r)  # type: ignore[misc]
        c = colours.get(r.instrument or "", NO_INSTRUMENT)
        yv = pos[lab]
        if last > first:
            ax.plot([first, last], [yv, yv], color=c, linewidth=4, alpha=0.35,
                    solid_capstyle="butt")
        if r.source == "reference":
            ax.plot([first], [yv], marker="D", markersize=11, markerfacecolor="white",
                    markeredgecolor=c, markeredgewidth=1.8, linestyle="none", zorder=2)
        else:
            ax.plot([first], [yv], marker="o", markersize=6, color=c, linestyle="none",
                    zorder=3)
    ax.set_yticks(range(len(labels)), labels)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date (start of the stated period)")
    undated = sum(1 for r in events.itertuples(index=False) if _interval(r) is None)
    heading = title or "Sanction chronology"
    if undated:
        heading += f" ({undated} undated event(s) not drawn)"
    ax.set_title(heading)
    handles = [Line2D([], [], marker="o", color=c, linestyle="none", label=names.get(i, i))
               for i, c in sorted(colours.items())]
    handles.append(Line2D([], [], marker="o", color=NO_INSTRUMENT, linestyle="none",
                          label="no instrument named"))
    handles.append(Line2D([], [], marker="D", markerfacecolor="white", markeredgecolor="black",
                          linestyle="none", label="official (reference)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
              frameon=False)
    fig.tight_layout()
    return fig
