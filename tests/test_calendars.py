"""Trading calendars: exchange sessions, suspensions told apart from data errors."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sanctionlens import paths
from sanctionlens.analysis import calendars
from sanctionlens.analysis.eventstudy import event_study
from sanctionlens.analysis.prices import load_prices
from sanctionlens.errors import PriceDataError

SHARED = Path(os.environ.get("SANCTIONLENS_SHARED") or paths.PROJECT_ROOT.parent / "shared"
              ) / "prices"
needs_prices = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")


@pytest.fixture(autouse=True)
def _quiet_kb_warning():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="event_study: knowledge base")
        yield


def test_exchange_calendars_for_the_markets_studied() -> None:
    assert calendars.exchange_for_symbol("002415.SZ") == "SZSE"
    assert calendars.exchange_for_symbol("688327.SH") == "SSE"
    assert calendars.exchange_for_symbol("HSI") == "HKEX"
    assert calendars.exchange_for_symbol("^HSI") == "HKEX"
    assert calendars.exchange_for_symbol("F0") is None
    sz, why = calendars.sessions("SZSE", "2019-09-30", "2019-10-11")
    assert "XSHG" in why and "no XSHE" in why  # Shenzhen uses the Shanghai calendar
    # National Day week 2019: closed 1-7 October
    assert [f"{d:%m-%d}" for d in sz] == ["09-30", "10-08", "10-09", "10-10", "10-11"]
    hk, why = calendars.sessions("HKEX", "2022-05-06", "2022-05-10")
    assert "XHKG" in why and pd.Timestamp("2022-05-09") not in hk  # Buddha's Birthday
    assert calendars.sessions("XYZ", "2020-01-01", "2020-02-01") is None
    assert calendars.sessions("SSE", "1980-01-01", "1981-01-01") is None  # outside its years


def _market(days: pd.DatetimeIndex, ticker: str, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    r = rng.normal(0, 0.01, len(days))
    return pd.DataFrame({"date": days, "ticker": ticker, "close": 100 * np.cumprod(1 + r)})


def test_suspension_is_flagged_and_a_row_on_a_non_session_is_an_error() -> None:
    days, _ = calendars.sessions("SZSE", "2019-01-02", "2019-12-31")
    mkt = _market(days, "399001.SZ")
    stock = _market(days, "002999.SZ", seed=4)
    halted = pd.to_datetime(["2019-10-08", "2019-10-09"])
    stock = stock[~stock["date"].isin(halted)]
    px = pd.concat([mkt, stock], ignore_index=True)
    ev = [{"event_id": "E", "date": "2019-10-07", "tickers": ["002999.SZ"],
           "announced_in": "US"}]
    res = event_study(px, ev, market="399001.SZ")
    assert "XSHG" in res.settings["calendars"]["002999.SZ"]
    first = res.ar[res.ar["date"] == pd.Timestamp("2019-10-10")].iloc[0]
    assert first["gap_days"] == 2 and first["suspended_days"] == "2019-10-08, 2019-10-09"
    assert res.car.set_index("window").loc["[+0,+0]", "spans_gap"]
    saturday = pd.DataFrame({"date": [pd.Timestamp("2019-09-28")], "ticker": "002999.SZ",
                             "close": [10.0]})
    bad = pd.concat([px, saturday], ignore_index=True)
    with pytest.raises(PriceDataError, match="2019-09-28, which is not a trading session"):
        event_study(bad, ev, market="399001.SZ")


def test_unknown_exchange_falls_back_to_the_index_days() -> None:
    days = pd.bdate_range("2021-01-04", periods=200)
    px = pd.concat([_market(days, "MKT"), _market(days, "F0", 5)], ignore_index=True)
    res = event_study(px, [{"event_id": "E", "date": days[150], "tickers": ["F0"]}],
                      market="MKT")
    assert res.settings["calendars"]["F0"].startswith("trading days of market index MKT")
    assert "exchange unknown" in res.params.iloc[0]["calendar"]


@needs_prices
@pytest.mark.prices
def test_shared_files_against_their_calendars(tmp_path: Path) -> None:
    shutil.copytree(SHARED, tmp_path / "prices")
    px = load_prices(tmp_path / "prices")
    report = {t: calendars.calendar_check(g["date"], calendars.exchange_for_symbol(t))
              for t, g in px.groupby("ticker")}
    assert all(not r["off_session"] for r in report.values())
    halted = [pd.Timestamp("2019-10-08"), pd.Timestamp("2019-10-09")]
    assert report["002415.SZ"]["missing"] == halted  # Hikvision suspended two sessions
    assert report["002236.SZ"]["missing"] == halted
    assert report["002230.SZ"]["missing"] == [] and report["HSI"]["missing"] == []
    res = event_study(px, [{"event_id": "el-2019-10", "date": "2019-10-07",
                            "tickers": ["002415.SZ"], "announced_in": "US"}],
                      market="399001.SZ")
    day0 = res.car.set_index("window").loc["[+0,+0]"]
    assert bool(day0["spans_gap"]) and day0["first_rel"] == 0 and day0["last_rel"] == 2


@needs_prices
@pytest.mark.prices
def test_suspension_in_words_on_the_shared_files() -> None:
    from sanctionlens.analysis.eventnotes import flag_sentences

    px = load_prices(SHARED)
    res = event_study(px, [{"event_id": "el-2019-10", "date": "2019-10-07",
                            "tickers": ["002415.SZ"], "announced_in": "US"}],
                      market="399001.SZ")
    words = flag_sentences(res, {"002415.SZ": "Hikvision"})
    assert words[0].startswith("Hikvision (002415.SZ), el-2019-10: day 0 spans three sessions "
                               "because trading was suspended on 2019-10-08 and 2019-10-09")


@needs_prices
@pytest.mark.prices
def test_flags_name_kb_events_and_companies_in_words() -> None:
    from sanctionlens.analysis.eventnotes import event_labels, flag_sentences
    from sanctionlens.kb import get_kb

    kb = get_kb()
    labels = event_labels(["el-2019-10-xinjiang", "hikvision-reported-move-2022-05-05", "x"], kb)
    assert labels == {"el-2019-10-xinjiang": "the Entity List action of 7 Oct 2019",
                      "hikvision-reported-move-2022-05-05":
                          "the share move reported for 5 May 2022", "x": "x"}
    px = load_prices(SHARED)
    res = event_study(px, [{"event_id": "el-2019-10-xinjiang", "date": "2019-10-07",
                            "targets": ["hikvision", "megvii"], "actor": "bis"}])
    words = " ".join(flag_sentences(res, {"002415.SZ": "Hikvision"}, kb))
    assert "Hikvision (002415.SZ), the Entity List action of 7 Oct 2019: day 0 spans" in words
    assert "Not studied: Megvii around the Entity List action of 7 Oct 2019" in words
    assert "el-2019-10-xinjiang" not in words
