"""IPO outcomes: first-day return (offer price or first open), returns after listing against
the index, and the fetch command when prices are missing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens import paths
from sanctionlens.analysis.ipo import fetch_command, ipo_outcomes, ipo_timeline
from sanctionlens.analysis.market import reported_moves
from sanctionlens.analysis.prices import load_prices
from sanctionlens.kb import get_kb

SHARED = Path(os.environ.get("SANCTIONLENS_SHARED") or paths.PROJECT_ROOT.parent / "shared"
              ) / "prices"
needs_prices = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")


def _kb_listing():
    kb = get_kb()
    for c in sorted(kb.companies.values(), key=lambda c: c.id):
        for lst in c.listings:
            if lst.listed is not None:
                return kb, c, lst
    pytest.skip("no listing with a listed date in the knowledge base")


def _synthetic_prices(symbol: str, index: str, listed: dt.date) -> pd.DataFrame:
    """Made-up series: the stock opens at 10, closes at 11 on day one, then +1% a session;
    the index +0.5% a session."""
    days = pd.bdate_range(listed, periods=80)
    stock = pd.DataFrame({"date": days, "ticker": symbol, "close": 11 * 1.01 ** np.arange(80),
                          "open": [10.0] + [np.nan] * 79})
    idx = pd.DataFrame({"date": pd.bdate_range(listed - dt.timedelta(days=30), periods=110),
                        "ticker": index})
    idx["close"] = 100 * 1.005 ** np.arange(110)
    return pd.concat([stock, idx], ignore_index=True)


def test_first_day_from_the_open_and_returns_against_the_index() -> None:
    kb, company, lst = _kb_listing()
    index = kb.exchange(lst.exchange).market_indices[0]
    px = _synthetic_prices(lst.symbol, index, lst.listed)
    row = ipo_outcomes(px, kb).set_index("symbol").loc[lst.symbol]
    assert row["status"] == "measured" and row["index"] == index
    assert row["first_day_return"] == pytest.approx(0.1)
    assert row["first_day_basis"].startswith("first open → first close")
    assert row["ret_5d"] == pytest.approx(1.01 ** 5 - 1)
    assert row["index_5d"] == pytest.approx(1.005 ** 5 - 1, rel=0.2)  # same calendar days
    assert row["excess_5d"] == pytest.approx(row["ret_5d"] - row["index_5d"])
    assert row["ret_to_last"] == pytest.approx(1.01 ** 79 - 1)


def test_offer_price_stated_in_a_text_is_used(tmp_path: Path) -> None:
    kb, company, lst = _kb_listing()
    (tmp_path / "a.txt").write_text(
        f"Test wire\n\n{company.name} priced its IPO at HK$8.80 per share on "
        f"{lst.listed - dt.timedelta(days=10):%B %-d, %Y}.\n", encoding="utf-8")
    moves = reported_moves(sl.load_corpus(tmp_path))
    offer = moves[moves["kind"] == "ipo_offer_price"]
    assert offer["value"].tolist() == [8.8] and offer["company"].tolist() == [company.id]
    index = kb.exchange(lst.exchange).market_indices[0]
    row = ipo_outcomes(_synthetic_prices(lst.symbol, index, lst.listed), kb, moves
                       ).set_index("symbol").loc[lst.symbol]
    assert row["first_day_return"] == pytest.approx(11 / 8.8 - 1)
    assert row["first_day_basis"].startswith("offer price HKD 8.8 stated in a")
    timeline = ipo_timeline(moves, kb)
    assert {"ipo_offer_price", "listed"} <= set(timeline["step"])


def test_missing_prices_give_the_fetch_command() -> None:
    kb, company, lst = _kb_listing()
    row = ipo_outcomes(None, kb).set_index("symbol").loc[lst.symbol]
    assert row["status"].startswith(f"prices missing for {lst.symbol}")
    assert row["fetch"].startswith(f"sanctionlens prices fetch {lst.symbol} ")
    assert f"--start {lst.listed:%Y-%m-%d}" in row["fetch"]
    assert fetch_command(["0020.HK", "HSI"], dt.date(2021, 12, 30)) == (
        "sanctionlens prices fetch 0020.HK HSI --start 2021-12-30 --end 2022-12-30")


@needs_prices
@pytest.mark.prices
def test_sensetime_on_the_shared_files() -> None:
    kb = get_kb()
    out = ipo_outcomes(load_prices(SHARED), kb).set_index("symbol")
    if "0020.HK" not in out.index:
        pytest.skip("SenseTime's listing is not in the knowledge base")
    row = out.loc["0020.HK"]
    assert row["index"] == "HSI"  # present in the shared files
    assert row["status"] == "prices missing for 0020.HK"
    assert row["fetch"] == ("sanctionlens prices fetch 0020.HK --start 2021-12-30 "
                            "--end 2022-12-30")
