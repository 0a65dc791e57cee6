"""Prices with provenance: fetch through a stand-in downloader (no network), SOURCES.json,
load_prices' attrs, adjusted closes."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sanctionlens import cli, paths
from sanctionlens.analysis import price_sources
from sanctionlens.analysis.eventstudy import event_study
from sanctionlens.analysis.price_sources import (
    PriceDownloadUnavailable,
    fetch_prices,
    file_sha256,
    read_manifest,
    source_note,
)
from sanctionlens.analysis.prices import load_prices
from sanctionlens.errors import PriceDataError

SHARED = Path(os.environ.get("SANCTIONLENS_SHARED") or paths.PROJECT_ROOT.parent / "shared"
              ) / "prices"
needs_prices = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")
PROVIDER = {"source": "stand-in provider", "library": "fake 1.0", "api": "fake()"}


def fake_download(ysym: str, start: str, end_exclusive: str) -> pd.DataFrame:
    """Yahoo-shaped daily rows: 2020-01-02 .. 2020-01-08 business days."""
    idx = pd.bdate_range(start, end_exclusive, inclusive="left", name="Date")
    close = np.linspace(10, 11, len(idx))
    return pd.DataFrame({"Open": close, "High": close + 0.1, "Low": close - 0.1,
                         "Close": close, "Adj Close": close * 0.98, "Volume": 1000}, index=idx)


def test_fetch_writes_files_and_manifest(tmp_path: Path) -> None:
    calls = []

    def spy(ysym, start, end_exclusive):
        calls.append((ysym, start, end_exclusive))
        return fake_download(ysym, start, end_exclusive)

    out = fetch_prices(["0020.HK", "HSI"], tmp_path, "2020-01-02", "2020-01-08",
                       downloader=spy, provider=PROVIDER)
    assert calls == [("0020.HK", "2020-01-02", "2020-01-09"), ("^HSI", "2020-01-02",
                                                                "2020-01-09")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0020.HK.csv", "HSI.csv",
                                                          "SOURCES.json"]
    doc = json.loads((tmp_path / "SOURCES.json").read_text())
    e = doc["files"]["0020.HK"]
    assert e["source"] == "stand-in provider" and e["library"] == "fake 1.0"
    assert e["rows"] == 5 and (e["first"], e["last"]) == ("2020-01-02", "2020-01-08")
    assert e["sha256"] == file_sha256(out["0020.HK"]) and e["adjusted"] is False
    assert e["retrieved"].endswith("Z") and e["url"].endswith("0020.HK/history")
    assert "adj_close" not in out["0020.HK"].read_text().splitlines()[0]
    px = load_prices(tmp_path)
    assert px.attrs["sources"]["HSI"]["provider_symbol"] == "^HSI"
    assert px.attrs["sources"]["HSI"]["sha256_ok"] is True
    note = source_note(px)
    assert note.startswith("Prices: 0020.HK, HSI: stand-in provider (fake 1.0), retrieved ")
    assert "(unadjusted)" in note
    # a hand-edited file no longer matches its recorded sha256, and the note says so
    out["HSI"].write_text(out["HSI"].read_text().replace("10.0,", "10.5,", 1))
    assert read_manifest(tmp_path)["HSI"]["sha256_ok"] is False
    assert "file changed since retrieval" in source_note(load_prices(tmp_path), ["HSI"])


def test_fetch_adjusted_and_load_adjusted(tmp_path: Path) -> None:
    fetch_prices(["0020.HK"], tmp_path, "2020-01-02", "2020-01-08", adjusted=True,
                 downloader=fake_download, provider=PROVIDER)
    assert read_manifest(tmp_path)["0020.HK"]["adjusted"] is True
    raw = load_prices(tmp_path)
    adj = load_prices(tmp_path, adjusted=True)
    assert adj.attrs["price_column"] == {"0020.HK": "adj_close"}
    assert adj["close"].tolist() == pytest.approx((raw["close"] * 0.98).tolist())
    assert adj["close_unadjusted"].tolist() == raw["close"].tolist()
    assert "adj_close" in source_note(adj)


def test_adjusted_without_adj_close_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "002415.SZ.csv").write_text("date,close\n2020-01-02,10\n")
    (tmp_path / "399001.SZ.csv").write_text("date,close\n2020-01-02,10\n")
    with pytest.raises(PriceDataError, match=r"no complete adj_close column for 002415\.SZ;"
                                             r" fetch with `sanctionlens prices fetch"):
        load_prices(tmp_path, adjusted=True)
    (tmp_path / "002415.SZ.csv").write_text("date,close,adj_close\n2020-01-02,10,9\n")
    px = load_prices(tmp_path, adjusted=True)  # the index needs no adjustment
    assert px.attrs["price_column"]["399001.SZ"].startswith("close (index")
    assert px.attrs["sources"]["399001.SZ"]["note"].startswith("source not recorded")


def test_adjusted_prices_change_the_car_on_a_dividend_day() -> None:
    """An ex-dividend drop on the event day is an abnormal return in unadjusted prices."""
    rng = np.random.default_rng(11)
    days = pd.bdate_range("2021-01-04", periods=200)
    rm = rng.normal(0, 0.01, len(days))
    r = 1.1 * rm + rng.normal(0, 0.003, len(days))
    adj = 20 * np.cumprod(1 + r)
    raw = adj.copy()
    ex = 150  # a 3% cash dividend goes ex on day 150: raw closes before it are higher
    raw[:ex] = adj[:ex] / 0.97
    px = pd.DataFrame({"date": np.tile(days, 2), "ticker": ["MKT"] * 200 + ["F0"] * 200,
                       "close": np.r_[100 * np.cumprod(1 + rm), raw],
                       "adj_close": np.r_[100 * np.cumprod(1 + rm), adj]})
    ev = [{"event_id": "E", "date": days[ex], "tickers": ["F0"]}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unadj = event_study(px, ev, market="MKT", windows=((0, 0),))
        adjusted = px.assign(close=px["adj_close"])
        adjusted.attrs["price_column"] = {"F0": "adj_close", "MKT": "adj_close"}
        fixed = event_study(adjusted, ev, market="MKT", windows=((0, 0),))
    assert unadj.car.iloc[0]["car"] < -0.025  # the dividend looks like bad news
    assert abs(fixed.car.iloc[0]["car"]) < 0.012
    assert unadj.settings["price_column"] == {"F0": "close"}
    assert fixed.settings["price_column"] == {"F0": "adj_close"}
    assert fixed.params.iloc[0]["price_column"] == "adj_close"


def test_fetch_without_yfinance_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    real = importlib.import_module

    def no_yfinance(name: str, *args, **kwargs):
        if name == "yfinance":
            raise ImportError("No module named 'yfinance'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", no_yfinance)
    with pytest.raises(PriceDownloadUnavailable, match=r"yfinance is not installed.*online"):
        fetch_prices(["002415.SZ"], tmp_path)
    assert not (tmp_path / "SOURCES.json").exists()


def test_cli_prices_fetch_and_list(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(price_sources, "_yfinance_download", fake_download)
    monkeypatch.setattr(price_sources, "_provider", lambda: dict(PROVIDER))
    d = tmp_path / "px"
    code = cli.main(["prices", "fetch", "0020.HK", "HSI", "--start", "2020-01-02",
                     "--end", "2020-01-08", "--adjusted", "--dir", str(d)])
    assert code == 0
    err = capsys.readouterr().err
    assert "0020.HK: 5 rows 2020-01-02..2020-01-08" in err and "SOURCES.json" in err
    assert read_manifest(d)["HSI"]["adjusted"] is True
    assert cli.main(["prices", "list", "--dir", str(d)]) == 0
    out = capsys.readouterr().out
    assert "0020.HK" in out and "stand-in provider" in out and "XHKG" in out
    assert cli.main(["prices", "list", "--dir", str(tmp_path / "none")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_prices_fetch_for_companies_takes_listings_and_indices(tmp_path: Path, monkeypatch,
                                                                  capsys) -> None:
    from sanctionlens.analysis.price_cli import symbols_for_companies
    from sanctionlens.errors import UnknownNameError

    asked: list[str] = []

    def recording(ysym: str, start: str, end_exclusive: str) -> pd.DataFrame:
        asked.append(ysym)
        return fake_download(ysym, start, end_exclusive)

    monkeypatch.setattr(price_sources, "_yfinance_download", recording)
    monkeypatch.setattr(price_sources, "_provider", lambda: dict(PROVIDER))
    symbols = symbols_for_companies(["hikvision"])
    assert "002415.SZ" in symbols and "399001.SZ" in symbols  # the stock and its market
    assert set(symbols) <= set(symbols_for_companies(None))
    with pytest.raises(UnknownNameError):
        symbols_for_companies(["no such company anywhere"])
    d = tmp_path / "px"
    assert cli.main(["prices", "fetch", "--companies", "Hikvision", "--start", "2020-01-02",
                     "--end", "2020-01-08", "--dir", str(d)]) == 0
    assert set(read_manifest(d)) == set(symbols) and len(asked) == len(symbols)


@needs_prices
@pytest.mark.prices
def test_list_on_the_shared_files(tmp_path: Path, capsys) -> None:
    shutil.copytree(SHARED, tmp_path / "prices")
    assert cli.main(["prices", "list", "--dir", str(tmp_path / "prices")]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("002415.SZ"))
    assert "962" in line and "2019-10-08" in line and "source not recorded" in line
