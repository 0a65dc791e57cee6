"""Price loading, validation and the optional download (never needs yfinance or network)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pandas as pd
import pytest
from sanctionlens import paths
from sanctionlens.analysis import calendars
from sanctionlens.analysis.prices import (
    PriceDownloadUnavailable,
    download_prices,
    load_prices,
    prices_available,
    yahoo_symbol,
)
from sanctionlens.errors import PriceDataError

SHARED = Path(os.environ.get("SANCTIONLENS_TEST_PRICES")
              or paths.PROJECT_ROOT.parent / "shared" / "prices")
needs_prices = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")


def write(folder: Path, name: str, text: str, bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


GOOD = "date,open,close,volume\n2020-01-02,10,10.5,100\n2020-01-03,10.5,11,200\n"


def test_folder_layout_with_bom_sorted_and_typed(tmp_path: Path) -> None:
    write(tmp_path, "B.SZ.csv", GOOD)
    write(tmp_path, "A.SH.csv", "date,close\n2020-01-03,3\n2020-01-06,4\n", bom=True)
    df = load_prices(tmp_path)
    assert list(df.columns[:3]) == ["date", "ticker", "close"]
    assert df["ticker"].tolist() == ["A.SH", "A.SH", "B.SZ", "B.SZ"]
    assert str(df["date"].dtype).startswith("datetime64")
    assert df.loc[df["ticker"] == "B.SZ", "volume"].tolist() == [100, 200]
    assert df.loc[0, "close"] == 3.0


def test_long_csv_file(tmp_path: Path) -> None:
    p = write(tmp_path, "all.csv",
              "date,ticker,close\n2020-01-03,X,2\n2020-01-02,Y,5\n2020-01-06,X,3\n")
    df = load_prices(p)
    assert df[["ticker", "close"]].values.tolist() == [["X", 2.0], ["X", 3.0], ["Y", 5.0]]


@pytest.mark.parametrize(("text", "needle"), [
    ("date,open\n2020-01-02,1\n", "line 1: missing column(s) ['close']"),
    ("date,close\n2020-13-02,1\n", "line 2: date '2020-13-02' is not an ISO date"),
    ("date,close\n2020-01-03,1\n2020-01-02,1\n", "line 3: date 2020-01-02 for T comes after"),
    ("date,close\n2020-01-03,1\n2020-01-03,2\n", "line 3: duplicate date 2020-01-03"),
    ("date,close\n2020-01-02,1\n2020-01-03,0\n", "line 3: close 0 is not a positive price"),
    ("date,close\n2020-01-02,abc\n", "line 2: close 'abc' is not a number"),
    ("date,close\n2020-01-02,\n", "line 2: close is empty"),
    ("date,close\n2020-01-02,1,2\n", "line 2: 3 fields"),
    ("", "the file is empty"),
    ("date,close\n", "no data rows"),
])
def test_validation_names_file_and_line(tmp_path: Path, text: str, needle: str) -> None:
    write(tmp_path, "T.csv", text)
    with pytest.raises(PriceDataError) as err:
        load_prices(tmp_path)
    assert needle in str(err.value)
    assert "T.csv" in str(err.value)


def test_missing_folder_says_how_to_get_prices(tmp_path: Path) -> None:
    with pytest.raises(PriceDataError, match=r"<SYMBOL>\.csv.*prices fetch"):
        load_prices(tmp_path / "nope")
    ok, why = prices_available(tmp_path / "nope")
    assert not ok and "does not exist" in why
    (tmp_path / "empty").mkdir()
    assert prices_available(tmp_path / "empty")[0] is False
    write(tmp_path / "full", "T.csv", GOOD)
    assert prices_available(tmp_path / "full") == (True, "")


def test_same_ticker_in_two_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "T.csv", GOOD)
    write(tmp_path, "long.csv", "date,ticker,close\n2020-01-02,T,1\n")
    with pytest.raises(PriceDataError, match="ticker T is also in"):
        load_prices(tmp_path)


def test_yahoo_symbols() -> None:
    assert yahoo_symbol("002415.SZ") == "002415.SZ"
    assert yahoo_symbol("000300.SH") == "000300.SS"
    assert yahoo_symbol("HSI") == "^HSI"
    assert yahoo_symbol("0020.HK") == "0020.HK"
    assert yahoo_symbol("00020.HK") == "0020.HK"


def test_download_without_yfinance_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    real = importlib.import_module

    def no_yfinance(name: str, *args, **kwargs):
        if name == "yfinance":
            raise ImportError("No module named 'yfinance'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", no_yfinance)
    with pytest.raises(PriceDownloadUnavailable, match="yfinance is not installed"):
        download_prices(["002415.SZ"], tmp_path)
    assert issubclass(PriceDownloadUnavailable, PriceDataError)
    # a cached file is used as is: nothing to download, so no yfinance needed
    write(tmp_path, "002415.SZ.csv", GOOD)
    assert download_prices(["002415.SZ"], tmp_path) == {"002415.SZ": tmp_path / "002415.SZ.csv"}


def test_download_writes_documented_layout(tmp_path: Path, monkeypatch) -> None:
    calls = []

    class FakeTicker:
        def __init__(self, symbol: str) -> None:
            calls.append(symbol)

        def history(self, **kwargs):
            calls.append(kwargs)
            idx = pd.DatetimeIndex(["2020-01-02", "2020-01-03"], name="Date")
            return pd.DataFrame({"Open": [1.0, 2.0], "Close": [1.5, 2.5],
                                 "Adj Close": [1.4, 2.4], "Volume": [10, 20]}, index=idx)

    fake = type("yf", (), {"Ticker": FakeTicker})
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module",
                        lambda name, *a, **k: fake if name == "yfinance" else real(name, *a, **k))
    out = download_prices(["000300.SH"], tmp_path, "2020-01-01", "2020-01-03")
    assert calls[0] == "000300.SS"
    assert calls[1]["end"] == "2020-01-04" and calls[1]["auto_adjust"] is False
    df = load_prices(out["000300.SH"].parent)
    assert df.columns.tolist() == ["date", "ticker", "close", "open", "adj_close", "volume"]
    assert df["close"].tolist() == [1.5, 2.5]


def test_limit_price_rounding_to_tick() -> None:
    # SZSE rounds limit prices half-up to the 0.01 tick
    assert calendars.limit_prices(42.49, 0.10) == (46.74, 38.24)
    assert calendars.limit_prices(10.05, 0.10)[0] == 11.06  # 11.055 rounds up, not to 11.05
    assert calendars.limit_hit(42.49, 38.24, 0.10) == "down"
    assert calendars.limit_hit(42.49, 38.25, 0.10) is None
    assert calendars.limit_hit(10.0, 11.0, 0.10) == "up"
    assert calendars.limit_hit(10.0, 11.0, None) is None


def test_fallback_limit_rules() -> None:
    import datetime as dt
    rules = calendars.FALLBACK_LIMITS
    assert calendars.board_for_symbol("002415.SZ") == "main"
    assert calendars.board_for_symbol("300750.SZ") == "chinext"
    assert calendars.board_for_symbol("399001.SZ") is None
    assert calendars.limit_for(rules, "SZSE", "chinext", dt.date(2020, 8, 21)).limit == 0.10
    assert calendars.limit_for(rules, "SZSE", "chinext", dt.date(2020, 8, 24)).limit == 0.20
    assert calendars.limit_for(rules, "HKEX", "hk_main", dt.date(2021, 12, 30)).limit is None


@needs_prices
def test_real_price_files_load() -> None:
    df = load_prices(SHARED)
    counts = df.groupby("ticker").size().to_dict()
    assert set(counts) == {"000300.SH", "002230.SZ", "002236.SZ", "002415.SZ", "399001.SZ", "HSI"}
    assert (df["close"] > 0).all()
    hik = df[df["ticker"] == "002415.SZ"].set_index("date")["close"]
    assert hik[pd.Timestamp("2022-05-05")] == 38.24
    assert pd.Timestamp("2019-10-08") not in hik.index  # suspended
    assert df.groupby("ticker")["date"].apply(lambda s: s.is_monotonic_increasing).all()
