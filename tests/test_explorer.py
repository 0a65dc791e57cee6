"""The analyst's explorer (ipywidgets) and the HTML pages' company menu (plotly updatemenus)."""

from __future__ import annotations

import datetime as dt

import pytest
import sanctionlens as sl
from sanctionlens.plots import explorer
from sanctionlens.plots.chronology import timeline_figure
from sanctionlens.plots.menus import add_company_menu


@pytest.fixture(scope="module")
def seeds():
    corpus = sl.load_corpus()
    return corpus, sl.chronology(corpus)


def test_live_kernel_only_in_jupyterlab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANCTIONLENS_WIDGETS", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert not explorer.live_kernel()  # papermill / nbclient / pytest
    monkeypatch.setenv("JPY_SESSION_NAME", "/work/notebooks/01_sanction_chronology.ipynb")
    assert explorer.live_kernel()
    monkeypatch.setenv("SANCTIONLENS_WIDGETS", "0")
    assert not explorer.live_kernel()


def test_select_by_company_dates_and_instrument(seeds) -> None:
    _, events = seeds
    hik = explorer.select(events, "hikvision")
    assert len(hik) and all("hikvision" in ts for ts in hik["targets"])
    window = explorer.select(events, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    dated = [str(d) for d in window["date"] if isinstance(d, str)]
    assert dated and all(d[:4] == "2021" for d in dated)
    el = explorer.select(events, instrument="entity_list")
    assert len(el) and all("entity_list" in str(v) for v in el["instrument"])
    companies, instruments = explorer.choices(events)
    assert companies[0] == (explorer.ALL, "") and ("Hikvision", "hikvision") in companies
    assert any(i == "entity_list" for _, i in instruments)


def test_explorer_widget_builds(seeds) -> None:
    pytest.importorskip("ipywidgets")
    corpus, events = seeds
    box = explorer.explore_chronology(events, corpus)
    pick = box.children[0].children[0]
    pick.value = "hikvision"  # redraws without error
    assert len(box.children) == 3


def test_company_menu_selects_the_company_points(seeds) -> None:
    _, events = seeds
    fig = add_company_menu(timeline_figure(events))
    buttons = fig.layout.updatemenus[0].buttons
    assert buttons[0].label == "All companies"
    hik = next(b for b in buttons if b.label == "Hikvision")
    selected = hik.args[0]["selectedpoints"]
    for trace, idx in zip(fig.data, selected, strict=True):
        if idx is None:
            continue
        assert all("hikvision" in trace.customdata[i].split(",") for i in idx)
    assert sum(len(i) for i in selected if i) >= 2
    lo, hi = hik.args[1]["xaxis.range"]
    assert lo < "2019-10-07" < hi
