"""The analyst's explorer in JupyterLab (ipywidgets): pick a company, a date range and an
instrument; the timeline, the evidence table and the company's "In brief" follow.

Only for a live kernel: notebooks call it ``if live_kernel():`` so a report build (papermill)
or a test never creates widgets, whose random ids would break byte-identical pages and whose
state would need the widget manager from a CDN. The HTML pages get plotly's own company menu
instead (:mod:`sanctionlens.plots.menus`).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from . import labels as L

ALL = "(all)"
LIVE_ENV = "SANCTIONLENS_WIDGETS"  # "1" forces the explorer on, "0" off


def live_kernel() -> bool:
    """True in a kernel JupyterLab (jupyter_server) started for an open notebook; False in a
    papermill/nbclient run (report builds, tests). ``SANCTIONLENS_WIDGETS=0/1`` overrides."""
    forced = os.environ.get(LIVE_ENV)
    if forced in ("0", "1"):
        return forced == "1"
    return bool(os.environ.get("JPY_SESSION_NAME")) and "PAPERMILL_INPUT" not in os.environ


def _targets(value: Any) -> list[str]:
    return [t for t in value if t] if isinstance(value, (list, tuple)) else []


def choices(events: pd.DataFrame) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(label, id) options for the company and instrument pickers, names sorted."""
    companies = sorted({t for ts in events["targets"] for t in _targets(ts)}, key=L.name)
    instruments = sorted({i for v in events["instrument"] if isinstance(v, str) and v
                          for i in v.split(", ")}, key=L.name)
    return ([(ALL, ""), *((L.name(c), c) for c in companies)],
            [(ALL, ""), *((L.name(i), i) for i in instruments)])


def select(events: pd.DataFrame, company: str = "", start: dt.date | None = None,
           end: dt.date | None = None, instrument: str = "") -> pd.DataFrame:
    """The events of ``company`` (KB id; "" all), between ``start`` and ``end`` (undated
    events are kept: they cannot be ruled out), of ``instrument`` ("" all)."""
    keep = pd.Series(True, index=events.index)
    if company:
        keep &= events["targets"].map(lambda ts: company in _targets(ts))
    if instrument:
        keep &= events["instrument"].map(
            lambda v: isinstance(v, str) and instrument in v.split(", "))
    dates = [str(d)[:10] if isinstance(d, str) and d else "" for d in events["date"]]
    lo = start.isoformat() if start is not None else ""
    hi = end.isoformat() if end is not None else ""
    # a date given to the month or year is kept when its period overlaps the range
    keep &= pd.Series([not d or ((not lo or d >= lo[:len(d)]) and (not hi or d <= hi[:len(d)]))
                       for d in dates], index=events.index)
    return events[keep]


def explore_chronology(events: pd.DataFrame, corpus: Any) -> Any:
    """The explorer widget (a VBox): pickers on top, then the timeline, the events table with
    their evidence and, when one company is picked, its profile in brief."""
    import ipywidgets as w
    from IPython.display import display

    from ..analysis.profiles import profile
    from .chronology import events_table, headline, timeline_figure
    from .display import md, show

    companies, instruments = choices(events)
    pick = w.Dropdown(options=companies, description="Company")
    inst = w.Dropdown(options=instruments, description="Instrument")
    first = w.DatePicker(description="From", value=dt.date(2019, 1, 1))
    last = w.DatePicker(description="To", value=dt.date(2022, 12, 31))
    out = w.Output()

    def redraw(*_: Any) -> None:
        chosen = select(events, pick.value, first.value, last.value, inst.value)
        out.clear_output(wait=True)
        with out:
            if chosen.empty:
                display(md("No event matches these choices."))
                return
            name = L.name(pick.value) if pick.value else None
            show(timeline_figure(chosen, title=headline(chosen, name),
                                 companies=[pick.value] if pick.value else None))
            display(events_table(chosen, max_rows=60))
            if pick.value:
                from IPython.display import Markdown
                display(Markdown(profile(corpus, pick.value).summary()))  # escaped by brief.py

    for widget in (pick, inst, first, last):
        widget.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([pick, inst]), w.HBox([first, last]), out])


__all__ = ["choices", "explore_chronology", "live_kernel", "select"]
