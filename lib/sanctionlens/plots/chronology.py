"""Timeline figures and the events table for the sanction chronology (notebooks 01 and 02).

The builders take the frame of :func:`sanctionlens.analysis.chronology.chronology` (or any
filtered part of it, e.g. the events of one company). The timeline has one row per company
(swimlanes; measures that name no company share a row at the top), colour for the kind of
action (at most six legend entries), an open diamond for the official record and a dot for
what the articles report; a dotted line pairs a reported date with the official one it
matches. A dated event is drawn at the start of its date interval, with a faint bar across a
month or year; undated events cannot be placed and are counted in the title. Every piece of
article text that reaches hover text or the table is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..errors import ParameterError
from . import labels as L
from .style import FONT
from .style import esc as _esc
from .style import short as _short

HOVER_CHARS = 160
MAX_LANES = 14  # companies beyond this many (the least covered) share one row
GENERAL = "Measures naming no company"
NO_COMPANY = "(no company named)"
MIN_SPAN = dt.timedelta(days=365)  # the axis always shows at least a year
REQUIRED = ("event_id", "date", "precision", "action", "instrument", "targets", "source",
            "evidence")
# Kinds of action, each one colour (Okabe-Ito, colour-blind safe); unknown actions: "Other".
FAMILIES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("US lists", "#0072B2",
     frozenset({"added_to_list", "designated", "identified", "removed", "considered"})),
    ("Orders and laws", "#009E73",
     frozenset({"eo_signed", "law_signed", "law_effective", "initiative_announced"})),
    ("IPO and shares", "#E69F00",
     frozenset({"ipo_postponed", "ipo_scrapped", "ipo_relaunch_planned", "ipo_listed",
                "shares_fell", "shares_rose"})),
    ("Company statements", "#CC79A7", frozenset({"company_statement", "denial"})),
    ("China's response", "#D55E00", frozenset({"government_response"})),
)
OTHER = ("Other", "#999999")
KEY = ("◇ official record · ● reported in the articles · ┈ reported date to official date")
TITLE_CHARS = 46  # a title line this long still fits a phone screen (420 px)


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


def family(action: str) -> tuple[str, str]:
    """(legend label, colour) of an action's kind."""
    for label, colour, actions in FAMILIES:
        if action in actions:
            return label, colour
    return OTHER


def _targets(row: Any) -> list[str]:
    t = row.targets
    return [x for x in t if x] if isinstance(t, (list, tuple)) else []


def dated_count(events: pd.DataFrame) -> int:
    """How many events have a date that can be placed on the axis."""
    return sum(_interval(r) is not None for r in events.itertuples(index=False))


def _lanes(events: pd.DataFrame, max_lanes: int,
           only: Iterable[str] | None = None) -> dict[str, str]:
    """Company id (or "") -> its row label; companies past ``max_lanes`` share one row.
    With ``only``, other companies named in the same events get no row."""
    count: Counter[str] = Counter()
    first: dict[str, str] = {}
    for r in events.itertuples(index=False):
        for t in _targets(r) or [""]:
            count[t] += 1
            if isinstance(r.date, str) and r.date:
                first[t] = min(first.get(t, r.date), r.date)
    companies = [c for c in count if c and (only is None or c in only)]
    kept = set(sorted(companies, key=lambda c: (-count[c], L.name(c)))[:max_lanes])
    rest = len(companies) - len(kept)
    out = {c: (L.name(c) if c in kept else f"{rest} other companies") for c in companies}
    if "" in count:
        out[""] = GENERAL
    return out


def _lane_order(events: pd.DataFrame, lanes: dict[str, str]) -> list[str]:
    """Row labels top to bottom: general measures, then companies by their first date."""
    first: dict[str, str] = {}
    for r in events.itertuples(index=False):
        for t in _targets(r) or [""]:
            d = r.date if isinstance(r.date, str) and r.date else "9999"
            if t in lanes:
                first[lanes[t]] = min(first.get(lanes[t], "9999"), d)
    def key(lab: str) -> tuple[int, str, str]:
        return (0 if lab == GENERAL else 2 if lab.endswith("other companies") else 1,
                first.get(lab, "9999"), lab)
    return sorted(set(lanes.values()), key=key)


def _wrap(text: str, width: int = TITLE_CHARS) -> str:
    """Escaped text with <br> between lines of at most ``width`` characters (plotly titles
    do not wrap by themselves and are cut at phone width)."""
    import textwrap

    return "<br>".join(_esc(line) for line in textwrap.wrap(text, width) or [""])


def _what(row: Any) -> str:
    what = L.event_what(row.action, row.instrument)
    status = getattr(row, "status", "done")
    if (isinstance(status, str) and status not in ("done", "") and row.source != "reference"
            and status not in what.lower()):  # "Sanctions considered" needs no "(considered)"
        what += f" ({status})"  # considered, planned, announced, removed, denied, effective
    return what


def _hover(row: Any) -> str:
    who = L.names(_targets(row), limit=6) or "no company named"
    lines = [f"<b>{_esc(_what(row))}</b>", f"who: {_esc(who)}",
             f"date: {_esc(L.date_label(row.date, row.precision))}"]
    actor = getattr(row, "actor", None)
    if isinstance(actor, str) and actor:
        lines.append(f"by: {_esc(L.name(actor))}")
    if row.source == "reference":
        lines.append("official record: " + _esc(_short(getattr(row, "citation", "") or
                                                        getattr(row, "title", ""), 120)))
        return "<br>".join(lines)
    official = getattr(row, "official_date", None)
    if isinstance(official, str) and official:
        lines.append(f"official date: {_esc(L.date_label(official))}")
    if not getattr(row, "agreement", True):
        lines.append("<i>sources disagree:</i>")
        lines += [f"– {_esc(_short(d, 120))}" for d in getattr(row, "disagreements", [])]
    outlets = dict(zip(getattr(row, "doc_ids", []) or [], getattr(row, "outlets", []) or [],
                       strict=False))
    shown: set[str] = set()
    for ev in row.evidence:
        if ev["doc_id"] in shown or len(shown) >= 3:
            continue  # one sentence per article, three articles: the box stays readable
        shown.add(ev["doc_id"])
        outlet = outlets.get(ev["doc_id"]) or "outlet not stated"
        lines.append(f"{_esc(outlet)}: “{_esc(_short(ev['text'], HOVER_CHARS))}”")
    return "<br>".join(lines)


def _xrange(spans: list[tuple[dt.date, dt.date]]) -> tuple[str, str]:
    """Axis range with padding; never narrower than MIN_SPAN (one event: ±6 months)."""
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    pad = max((hi - lo) * 0.05, dt.timedelta(days=30))
    lo, hi = lo - pad, hi + pad
    if hi - lo < MIN_SPAN:
        mid = lo + (hi - lo) / 2
        lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    return lo.isoformat(), hi.isoformat()


def _points(events: pd.DataFrame, lanes: dict[str, str]) -> list[tuple[Any, str]]:
    """(event row, lane label) per dated event and lane; one per lane even when several
    companies of an event share the 'other companies' row."""
    out = []
    for r in events.itertuples(index=False):
        if _interval(r) is None:
            continue
        for lab in dict.fromkeys(lanes[t] for t in (_targets(r) or [""]) if t in lanes):
            out.append((r, lab))
    return out


def _action_points(events: pd.DataFrame) -> list[tuple[Any, str]]:
    return [(r, _what(r)) for r in events.itertuples(index=False) if _interval(r) is not None]


def _empty_figure(heading: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="No event here has a date that can be placed on a time axis; "
                            "they are listed in the table.", showarrow=False,
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(title={"text": _esc(heading)}, font=FONT, template="plotly_white",
                      height=180, xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def _add_traces(fig: go.Figure, points: list[tuple[Any, str]]) -> None:
    """Interval bars, reported→official pairing lines, then markers per (kind, source)."""
    groups: dict[tuple[str, str], list[tuple[Any, str]]] = {}
    bars: dict[str, tuple[list[Any], list[Any]]] = {}
    for r, lab in points:
        fam, colour = family(r.action)
        groups.setdefault((fam, r.source), []).append((r, lab))
        first, last = _interval(r)  # type: ignore[misc]
        official = getattr(r, "official_date", None)
        xs, ys = bars.setdefault(colour, ([], []))
        if last > first:
            xs += [first.isoformat(), last.isoformat(), None]
            ys += [lab, lab, None]
        if r.source != "reference" and isinstance(official, str) and official[:10] != \
                first.isoformat():
            xs += [first.isoformat(), official[:10], None]
            ys += [lab, lab, None]
    for colour, (xs, ys) in bars.items():
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", opacity=0.45, hoverinfo="skip",
                                 line={"color": colour, "width": 2, "dash": "dot"},
                                 showlegend=False))
    for fam, source in sorted(groups, key=lambda k: (k[1] != "reference", k[0])):
        items = groups[(fam, source)]
        colour = family(items[0][0].action)[1]
        ref = source == "reference"
        fig.add_trace(go.Scatter(
            x=[_interval(r)[0].isoformat() for r, _ in items],  # type: ignore[index]
            y=[lab for _, lab in items], mode="markers", legendgroup=fam, showlegend=False,
            name=_esc(f"{fam} ({'official' if ref else 'reported'})"),
            # an open symbol is drawn in marker.color (white would vanish on white)
            marker={"color": colour, "size": 15 if ref else 9,
                    "symbol": "diamond-open" if ref else "circle",
                    "line": {"color": colour, "width": 2}},
            hovertext=[_hover(r) for r, _ in items], hoverinfo="text",
            customdata=[",".join(_targets(r)) for r, _ in items]))  # company ids (menus.py)
    for fam in dict.fromkeys(f for f, _ in sorted(groups)):  # the legend: one entry per kind
        colour = next(c for lab, c, _ in (*FAMILIES, (*OTHER, None)) if lab == fam)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=_esc(fam),
                                 legendgroup=fam, marker={"color": colour, "size": 10,
                                                          "symbol": "square"}))


def timeline_figure(events: pd.DataFrame, title: str | None = None, y: str = "company",
                    max_lanes: int = MAX_LANES,
                    companies: Iterable[str] | None = None) -> go.Figure:
    """Interactive timeline: one row per company (``y="action"``: one row per kind of event).

    Colour = kind of action (legend below the chart, at most six entries, readable at phone
    width); open diamonds are official events, dots events reported in the articles; a faint
    bar spans a month or year; a dotted line joins a reported date to the official date it
    matches. The date axis is padded and never narrower than a year. ``companies`` (KB ids):
    rows for these companies only (a profile leaves out the others listed with it).
    """
    _require(events, "timeline_figure")
    if y not in ("action", "company"):
        raise ParameterError(f"timeline_figure: y must be \"action\" or \"company\", got {y!r}")
    heading = title or "Sanction chronology"
    undated = len(events) - dated_count(events)
    if y == "company":
        lanes = _lanes(events, max_lanes, set(companies) if companies is not None else None)
        points, order = _points(events, lanes), _lane_order(events, lanes)
    else:
        points = _action_points(events)
        order = sorted({lab for _, lab in points})
    if not points:
        return _empty_figure(heading)
    order = [lab for lab in order if lab in {p for _, p in points}]
    fig = go.Figure()
    _add_traces(fig, points)
    note = KEY + (f" · {undated} undated event(s) not drawn (see the table)" if undated
                  else "")
    title_html = f"{_wrap(heading)}<br><sup>{_wrap(note, 70)}</sup>"
    top = 40 + 22 * title_html.count("<br>")
    plot_px = 40 + 46 * len(order)
    _lane_labels(fig, order)
    fig.update_layout(
        title={"text": title_html, "x": 0.01, "xanchor": "left", "xref": "container"},
        font=FONT, template="plotly_white", height=top + plot_px + 110,
        margin={"l": 10, "r": 20, "t": top + 20, "b": 20}, hoverlabel={"align": "left"},
        # below the chart, horizontal, from the left edge of the page: at phone width it wraps
        # instead of covering the chart
        legend={"orientation": "h", "x": 0, "xanchor": "left",
                "y": -40 / plot_px, "yanchor": "top", "title": {"text": ""}})
    spans = [_interval(r) for r, _ in points]
    fig.update_xaxes(type="date", range=list(_xrange(spans)),  # type: ignore[arg-type]
                     showgrid=True)
    fig.update_yaxes(title_text="", showticklabels=False, categoryorder="array",
                     categoryarray=list(reversed(order)), range=[-0.6, len(order) - 0.3])
    return fig


def _lane_labels(fig: go.Figure, order: list[str]) -> None:
    """Row names written above each row at the left edge, not as tick labels: long company
    names then take no width from the chart (at 420 px they would leave it none)."""
    for lab in order:
        fig.add_annotation(text=f"<b>{_esc(lab)}</b>", xref="paper", x=0, xanchor="left",
                           y=lab, yref="y", yshift=13, showarrow=False,
                           font={"size": 12, "color": "#333333"},
                           bgcolor="rgba(255,255,255,0.75)")


def timeline_matplotlib(events: pd.DataFrame, title: str | None = None,
                        max_lanes: int = MAX_LANES) -> Any:
    """Static timeline for print: the same rows and colours, each marker labelled in words."""
    from matplotlib.figure import Figure

    _require(events, "timeline_matplotlib")
    lanes = _lanes(events, max_lanes)
    points = _points(events, lanes)
    order = [lab for lab in _lane_order(events, lanes) if lab in {p for _, p in points}]
    heading = title or "Sanction chronology"
    fig = Figure(figsize=(12, max(2.8, 0.62 * len(order) + 2.0)))
    ax = fig.subplots()
    if not points:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No event here has a date that can be placed on a time axis.",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_title(heading, loc="left")
        return fig
    pos = {lab: len(order) - 1 - i for i, lab in enumerate(order)}
    _draw_points(ax, points, pos)
    ax.set_yticks(list(pos.values()), list(pos))
    ax.set_ylim(-0.7, len(order) - 0.3)
    lo, hi = _xrange([_interval(r) for r, _ in points])  # type: ignore[misc]
    ax.set_xlim(dt.date.fromisoformat(lo[:10]), dt.date.fromisoformat(hi[:10]))
    _date_axis(ax)
    undated = len(events) - dated_count(events)
    ax.set_title(heading + (f" ({undated} undated event(s) not drawn)" if undated else ""),
                 loc="left", fontsize=11)
    _legend(ax, points)
    fig.tight_layout()
    return fig


LABEL_GAP = dt.timedelta(days=75)  # markers of one row closer than this share one label


def _draw_points(ax: Any, points: list[tuple[Any, str]], pos: dict[str, int]) -> None:
    """Markers, interval bars and word labels: markers of a row close in time share one
    label ("Added to the Entity List and 2 more"), alternating above and below the row."""
    clusters: dict[str, list[tuple[dt.date, list[str]]]] = {}
    for r, lab in sorted(points, key=lambda p: (p[0].source != "reference", str(p[0].date))):
        first, last = _interval(r)  # type: ignore[misc]
        colour, yv = family(r.action)[1], pos[lab]
        if last > first:
            ax.plot([first, last], [yv, yv], color=colour, linewidth=4, alpha=0.3,
                    solid_capstyle="butt")
        if r.source == "reference":
            ax.plot([first], [yv], marker="D", markersize=10, markerfacecolor="white",
                    markeredgecolor=colour, markeredgewidth=1.8, linestyle="none", zorder=2)
        else:
            ax.plot([first], [yv], marker="o", markersize=6, color=colour, linestyle="none",
                    zorder=3)
        row = clusters.setdefault(lab, [])
        near = next((c for c in row if abs(c[0] - first) < LABEL_GAP), None)
        if near is None:
            row.append((first, [_what(r)]))
        elif _what(r) not in near[1]:
            near[1].append(_what(r))
    for lab, row in clusters.items():
        if lab.endswith("other companies"):
            continue  # a shared row of many companies: hover / the table tell them apart
        for n, (when, whats) in enumerate(sorted(row)):
            text = _short(whats[0], 34) + (f" and {len(whats) - 1} more" if len(whats) > 1
                                           else "")
            up = n % 2 == 0
            ax.annotate(text, (when, pos[lab]), xytext=(4, 7 if up else -9),
                        textcoords="offset points", fontsize=7, color="#333333",
                        va="bottom" if up else "top")


def _date_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(ax: Any, points: list[tuple[Any, str]]) -> None:
    from matplotlib.lines import Line2D

    fams = dict.fromkeys(family(r.action) for r, _ in sorted(points, key=lambda p: p[0].action))
    handles = [Line2D([], [], marker="s", color=c, linestyle="none", label=f)
               for f, c in sorted(fams)]
    handles += [Line2D([], [], marker="D", markerfacecolor="white", markeredgecolor="#333",
                       linestyle="none", label="official record"),
                Line2D([], [], marker="o", color="#333", linestyle="none",
                       label="reported in the articles")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8,
              frameon=False, ncol=min(4, len(handles)))


# --------------------------------------------------------------------------- words
def headline(events: pd.DataFrame, company: str | None = None) -> str:
    """A title that states what the timeline shows (counts and the first official action)."""
    ref = events[events["source"] == "reference"]
    rep = events[events["source"] != "reference"]
    first = ref[ref["date"].notna()].sort_values("date").head(1)
    if company:
        if len(first):
            r = first.iloc[0]
            what = L.event_what(r["action"], r["instrument"])
            lead = f"{company}: {what[:1].lower() + what[1:]} on " \
                   f"{L.date_label(r['date'], r['precision'])}"
            lead = lead.replace(": added", " was added").replace(": named", " was named")
        else:
            lead = f"{company}: no official action in the knowledge base"
        return lead + f"; {len(rep)} event(s) reported in the articles"
    dated = events[events["date"].notna()]["date"].astype(str)
    span = f", {dated.min()[:4]}–{dated.max()[:4]}" if len(dated) else ""
    who: Counter[str] = Counter(t for r in events.itertuples(index=False) for t in _targets(r))
    top = f"; most concern {L.name(who.most_common(1)[0][0])}" if who else ""
    return f"{len(ref)} official actions and {len(rep)} reported events{span}{top}"


def source_line(events: pd.DataFrame) -> str:
    """"Source: …" for under a chart: the official record and the outlets of the reports."""
    parts = []
    if (events["source"] == "reference").any():
        parts.append("official record from the project's knowledge base (Federal Register, "
                     "Treasury and White House releases, each cited in the hover text)")
    outlets = sorted({o for v in events.get("outlets", []) if isinstance(v, (list, tuple))
                      for o in v if o})
    docs = {d for v in events.get("doc_ids", []) if isinstance(v, (list, tuple)) for d in v}
    if docs:
        parts.append(f"{len(docs)} article(s)" + (f" ({', '.join(outlets[:6])}"
                                                  + (", …" if len(outlets) > 6 else "") + ")"
                                                  if outlets else ""))
    return "Source: " + ("; ".join(parts) or "no events") + ". Events detected by sanctionlens."


def _sources_cell(r: Any) -> str:
    if r.source == "reference":
        return "Official record: " + _esc(_short(getattr(r, "citation", "") or
                                                  getattr(r, "title", ""), 90))
    outlets = [o or "outlet not stated" for o in (getattr(r, "outlets", []) or [])]
    n = len(set(getattr(r, "doc_ids", []) or []))
    names = ", ".join(dict.fromkeys(outlets)) or "—"
    return _esc(f"{names} ({n} article{'s' if n != 1 else ''})" if n else names)


def _evidence_cell(r: Any) -> str:
    ev = [e for e in (r.evidence or []) if isinstance(e, dict)][:3]
    if not ev:
        return ""
    outlets = dict(zip(getattr(r, "doc_ids", []) or [], getattr(r, "outlets", []) or [],
                       strict=False))
    quotes = "".join(f"<li>{_esc(outlets.get(e['doc_id']) or 'outlet not stated')}: "
                     f"“{_esc(_short(e.get('text', ''), 240))}”</li>" for e in ev)
    more = len(r.evidence) - len(ev)
    tail = f"<li>… and {more} more sentence(s)</li>" if more > 0 else ""
    return f"<details><summary>evidence</summary><ul>{quotes}{tail}</ul></details>"


def events_table(events: pd.DataFrame, max_rows: int | None = 30) -> Any:
    """The events as a reader's table: date, what happened, who, sources, agreement; the
    evidence sentences open on demand. Rows past ``max_rows`` are counted, not shown."""
    from .display import HTML

    _require(events, "events_table")
    rows = events if max_rows is None else events.head(max_rows)
    body = []
    for r in rows.itertuples(index=False):
        date = L.date_label(r.date, r.precision)
        official = getattr(r, "official_date", None)
        if r.source != "reference" and isinstance(official, str) and official:
            agrees = getattr(r, "official_agrees", None)
            verdict = {True: " (agrees)", False: " (differs)"}.get(agrees, "")
            date += f"<br><small>official: {_esc(L.date_label(official))}{verdict}</small>"
        agree = "" if r.source == "reference" else (
            "yes" if getattr(r, "agreement", True) else "<b>sources disagree</b>")
        body.append(f"<tr><td>{date}</td><td>{_esc(_what(r))}{_evidence_cell(r)}</td>"
                    f"<td>{_esc(L.names(_targets(r), limit=5) or '—')}</td>"
                    f"<td>{_sources_cell(r)}</td><td>{agree}</td></tr>")
    more = (f"<p><em>{len(rows)} of {len(events)} events shown; the full table is in the "
            "analyst edition and the executed notebook.</em></p>" if len(rows) < len(events)
            else "")
    html = ('<div class="sl-scroll" style="overflow-x:auto"><table class="sl-table sl-events">'
            "<thead><tr><th>Date</th><th>What happened</th><th>Who</th><th>Sources</th>"
            "<th>Sources agree</th></tr></thead><tbody>" + "".join(body)
            + "</tbody></table></div>" + more)
    return HTML(html, text=f"events table: {len(events)} rows")


__all__ = ["FAMILIES", "dated_count", "events_table", "family", "headline", "source_line",
           "timeline_figure", "timeline_matplotlib"]
