"""The chronology timeline and events table as a reader meets them: rows per company, a short
legend below the chart, a padded date axis, words instead of codes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sanctionlens.plots import chronology as C
from sanctionlens.plots import labels as L


def _event(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "event_id": "e1", "date": "2020-05-21", "precision": "day", "action": "added_to_list",
        "actor": "bis", "instrument": "entity_list", "targets": ["hikvision"], "doc_ids": ["d1"],
        "evidence": [{"doc_id": "d1", "sentence_id": 0, "start": 0, "end": 3, "text": "x"}],
        "source": "corpus", "reference_id": None, "official_date": None, "agreement": True,
        "disagreements": [], "date_end": None, "date_basis": "", "outlets": ["Reuters"],
        "title": "", "citation": ""}
    row.update(kw)
    return row


def _markers(fig: object) -> list[object]:
    return [tr for tr in fig.data if tr.mode == "markers" and tr.hovertext]  # type: ignore[attr-defined]


def test_one_row_per_company_and_a_short_legend_below() -> None:
    ev = pd.DataFrame([_event(), _event(event_id="e2", targets=["sensetime", "megvii"],
                                        action="ipo_postponed", instrument=None),
                       _event(event_id="e3", targets=[], action="eo_signed",
                              instrument="eo_13959", source="reference")])
    fig = C.timeline_figure(ev, title="t")
    rows = {y for tr in _markers(fig) for y in tr.y}
    assert rows == {"Hikvision", "SenseTime", "Megvii", C.GENERAL}
    legend = [tr.name for tr in fig.data if tr.showlegend is not False and tr.x == (None,)]
    assert 1 <= len(legend) <= 6
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0
    assert fig.layout.yaxis.showticklabels is False  # names are written above the rows
    assert {a.text for a in fig.layout.annotations} >= {"<b>Hikvision</b>", "<b>SenseTime</b>"}


def test_one_dated_event_gets_a_year_not_a_millisecond() -> None:
    fig = C.timeline_figure(pd.DataFrame([_event()]))
    lo, hi = (dt.date.fromisoformat(str(x)[:10]) for x in fig.layout.xaxis.range)
    assert (hi - lo).days >= 364 and lo < dt.date(2020, 5, 21) < hi


def test_no_dated_event_gives_no_axis() -> None:
    fig = C.timeline_figure(pd.DataFrame([_event(date=None, precision="unknown")]))
    assert fig.layout.xaxis.visible is False and not fig.data
    assert C.dated_count(pd.DataFrame([_event(date=None, precision="unknown")])) == 0


def test_companies_keeps_only_the_profiled_rows() -> None:
    ev = pd.DataFrame([_event(targets=["hikvision", "megvii"])])
    fig = C.timeline_figure(ev, companies=["hikvision"])
    assert {y for tr in _markers(fig) for y in tr.y} == {"Hikvision"}


def test_many_companies_share_one_row_past_the_cap() -> None:
    ids = ["hikvision", "megvii", "sensetime", "smic", "netposa"]
    ev = pd.DataFrame([_event(event_id=f"e{i}", targets=[c]) for i, c in enumerate(ids)])
    fig = C.timeline_figure(ev, max_lanes=2)
    rows = {y for tr in _markers(fig) for y in tr.y}
    assert "3 other companies" in rows and len(rows) == 3


def test_titles_wrap_for_phones() -> None:
    fig = C.timeline_figure(pd.DataFrame([_event()]), title="word " * 30)
    first = fig.layout.title.text.split("<br>")[0]
    assert len(first) <= C.TITLE_CHARS


def test_matplotlib_version_labels_markers_in_words() -> None:
    from matplotlib.figure import Figure

    fig = C.timeline_matplotlib(pd.DataFrame([
        _event(), _event(event_id="e2", action="shares_fell", date="2021-03-01"),
        _event(event_id="e3", action="ipo_postponed", date="2021-03-02")]))
    assert isinstance(fig, Figure)
    texts = {t.get_text() for t in fig.axes[0].texts}
    # markers close in time share one label instead of printing over each other
    assert texts == {"Added to the Entity List", "Shares fell and 1 more"}
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Hikvision"]


def test_events_table_reads_in_words_and_hides_evidence() -> None:
    ev = pd.DataFrame([_event(evidence=[{"doc_id": "d1", "sentence_id": 0, "start": 0,
                                         "end": 3, "text": "<b>bold</b>"}])] * 3)
    html = str(C.events_table(ev, max_rows=2))
    assert "21 May 2020" in html and "Added to the Entity List" in html
    assert "Hikvision" in html and "Reuters (1 article)" in html
    assert "<details>" in html and "&lt;b&gt;bold" in html and "<b>bold" not in html
    assert "2 of 3 events shown" in html
    assert "entity_list" not in html and "hikvision" not in html


@pytest.mark.parametrize(("value", "precision", "want"), [
    ("2019-10-07", "day", "7 Oct 2019"), ("2019-10", "month", "Oct 2019"),
    ("2021", "year", "2021"), (None, "unknown", "undated")])
def test_date_labels(value: str | None, precision: str, want: str) -> None:
    assert L.date_label(value, precision) == want


def test_names_from_the_kb() -> None:
    assert L.name("bis") == "Bureau of Industry and Security"
    assert L.name("china_mfa") == "China's Ministry of Foreign Affairs"
    assert L.name("no_such_id") == "no_such_id"
    assert L.humanise("entity_list from 2019-10-07") == "Entity List, from 7 Oct 2019"
    assert L.event_what("eo_signed", "eo_14032") == "Executive Order 14032 signed"


def test_status_is_not_repeated_when_the_label_already_says_it() -> None:
    from types import SimpleNamespace

    from sanctionlens.plots.chronology import _what

    row = SimpleNamespace(action="considered", instrument="sdn", status="considered",
                          source="corpus")
    assert "(considered)" not in _what(row) and "considered" in _what(row)
    planned = SimpleNamespace(action="added_to_list", instrument="entity_list",
                              status="planned", source="corpus")
    assert _what(planned).endswith("(planned)")
