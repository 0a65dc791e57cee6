"""Event study: synthetic series with known abnormal returns, then the real price files."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sanctionlens import paths
from sanctionlens.analysis.eventstudy import event_study
from sanctionlens.errors import ParameterError, PriceDataError, UnknownNameError

SHARED = Path(os.environ.get("SANCTIONLENS_TEST_PRICES")
              or paths.PROJECT_ROOT.parent / "shared" / "prices")
needs_prices = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")

N_DAYS = 260
EVENT_POS = 200  # session index of the synthetic event day
JUMP = 0.05


@pytest.fixture(autouse=True)
def _quiet_kb_warning():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="event_study: knowledge base")
        yield


def synthetic(seed: int = 7, n_firms: int = 1, jump: float = JUMP, common: float = 0.0,
              alpha: float = 0.0003, beta: float = 1.2, noise: float = 0.004) -> pd.DataFrame:
    """Market random walk + firms following the market model with a jump on the event day."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2021-01-04", periods=N_DAYS)
    rm = rng.normal(0.0003, 0.01, N_DAYS)
    rm[0] = 0.0
    frames = [pd.DataFrame({"date": dates, "ticker": "MKT", "close": 100 * np.cumprod(1 + rm)})]
    factor = rng.normal(0, noise, N_DAYS)
    for i in range(n_firms):
        eps = common * factor + np.sqrt(1 - common**2) * rng.normal(0, noise, N_DAYS)
        r = alpha + beta * rm + eps
        r[EVENT_POS] += jump
        r[0] = 0.0
        frames.append(pd.DataFrame({"date": dates, "ticker": f"F{i}",
                                    "close": np.round(20 * np.cumprod(1 + r), 6)}))
    return pd.concat(frames, ignore_index=True)


def event_date(prices: pd.DataFrame) -> pd.Timestamp:
    return sorted(prices["date"].unique())[EVENT_POS]


def one_event(prices: pd.DataFrame, **kw) -> list[dict]:
    return [{"event_id": "E", "date": event_date(prices), "tickers": ["F0"], **kw}]


def test_known_abnormal_return_is_found_and_significant() -> None:
    px = synthetic()
    res = event_study(px, one_event(px), market="MKT", announced="local")
    par = res.params.iloc[0]
    assert par["n_est"] == 120
    assert abs(par["beta"] - 1.2) < 0.05
    assert abs(par["sigma"] - 0.004) < 0.001
    ar = res.ar.set_index("rel_day")
    assert abs(ar.loc[0, "ar"] - JUMP) < 0.004 * 3
    assert ar.loc[0, "p"] < 1e-6
    assert (ar.drop(index=0)["ar"].abs() < 0.004 * 4).all()
    car = res.car.set_index("window")
    for w in ("[+0,+0]", "[-1,+1]", "[+0,+5]"):
        assert abs(car.loc[w, "car"] - JUMP) < 0.004 * 4
        assert car.loc[w, "p"] < 1e-4
    assert car.loc["[+0,+5]", "n_days"] == 6 and car.loc["[-1,+1]", "n_days"] == 3
    # estimation ends gap=10 sessions before the event day
    sessions = sorted(px["date"].unique())
    assert par["est_end"] == sessions[EVENT_POS - 11]
    assert par["est_start"] == sessions[EVENT_POS - 130]


def test_prediction_error_correction_in_standard_errors() -> None:
    px = synthetic(seed=3)
    res = event_study(px, one_event(px), market="MKT", announced="local")
    sessions = sorted(px["date"].unique())
    wide = px.pivot(index="date", columns="ticker", values="close").pct_change()
    est = wide.loc[sessions[EVENT_POS - 130]:sessions[EVENT_POS - 11]]
    x, y = est["MKT"].to_numpy(), est["F0"].to_numpy()
    b, a = np.polyfit(x, y, 1)
    s2 = ((y - a - b * x) ** 2).sum() / (len(x) - 2)
    x0 = wide.loc[sessions[EVENT_POS], "MKT"]
    se0 = np.sqrt(s2 * (1 + 1 / len(x) + (x0 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum()))
    row = res.ar.set_index("rel_day").loc[0]
    assert row["se"] == pytest.approx(se0, rel=1e-9)
    assert row["ar"] == pytest.approx(wide.loc[sessions[EVENT_POS], "F0"] - a - b * x0, abs=1e-12)


def test_gap_return_spans_the_suspension() -> None:
    px = synthetic()
    sessions = sorted(px["date"].unique())
    halted = [sessions[EVENT_POS], sessions[EVENT_POS + 1], sessions[100], sessions[101]]
    px = px[~((px["ticker"] == "F0") & px["date"].isin(halted))]
    res = event_study(px, one_event(px), market="MKT", announced="local")
    ar = res.ar
    assert not ar["date"].isin(halted).any()
    assert (ar["ret"] != 0).all()
    first = ar[ar["date"] == sessions[EVENT_POS + 2]].iloc[0]
    assert first["gap_days"] == 2 and bool(first["suspended_before"])
    assert first["span_start_rel"] == 0 and first["rel_day"] == 2
    c = px.pivot(index="date", columns="ticker", values="close")
    prev, now = sessions[EVENT_POS - 1], sessions[EVENT_POS + 2]
    assert first["ret"] == pytest.approx(c.loc[now, "F0"] / c.loc[prev, "F0"] - 1)
    assert first["market_ret"] == pytest.approx(c.loc[now, "MKT"] / c.loc[prev, "MKT"] - 1)
    assert abs(first["ar"] - JUMP) < 0.004 * 4  # the jump is inside the spanned return
    car = res.car.set_index("window").loc["[+0,+0]"]
    assert car["last_rel"] == 2 and bool(car["spans_gap"]) and car["n_days"] == 1
    # the suspension in the estimation window: 2 missing returns + 1 spanning return left out
    assert res.params.iloc[0]["n_est"] == 117


def test_limit_hit_flag_and_car_through_the_limit() -> None:
    px = synthetic(jump=0.0)
    sessions = sorted(px["date"].unique())
    f0 = px["ticker"] == "F0"
    closes = px.loc[f0].set_index("date")["close"].copy()
    prev = round(closes[sessions[EVENT_POS - 1]], 2)
    closes[sessions[EVENT_POS - 1]] = prev
    down1 = round(prev * 0.9 + 1e-9, 2)
    down2 = round(down1 * 0.9 + 1e-9, 2)
    closes[sessions[EVENT_POS]] = down1
    closes[sessions[EVENT_POS + 1]] = down2
    closes[sessions[EVENT_POS + 2]] = round(down2 * 0.97, 2)
    after = closes.index > sessions[EVENT_POS + 2]
    closes[after] = closes[after] / closes[after].iloc[0] * down2 * 0.97
    px.loc[f0, "close"] = closes.to_numpy()
    res = event_study(px, one_event(px), market="MKT", announced="local",
                      windows=((0, 0), (0, 5)), price_limits={"F0": 0.10})
    ar = res.ar.set_index("rel_day")
    assert ar.loc[0, "limit_hit"] == "down" and ar.loc[1, "limit_hit"] == "down"
    assert pd.isna(ar.loc[2, "limit_hit"])
    car = res.car.set_index("window")
    assert bool(car.loc["[+0,+0]", "ends_at_limit"])
    through = car.loc["[+0,+0] through limit"]
    assert bool(through["through_limit"]) and through["last_rel"] == 2
    assert through["car"] < car.loc["[+0,+0]", "car"] < -0.08
    assert not car.loc["[+0,+5]", "through_limit"]
    # a close one tick above the limit price is not a limit close
    closes[sessions[EVENT_POS]] = down1 + 0.01
    px.loc[f0, "close"] = closes.to_numpy()
    res2 = event_study(px, one_event(px), market="MKT", announced="local",
                       windows=((0, 0),), price_limits=0.10)
    assert pd.isna(res2.ar.set_index("rel_day").loc[0, "limit_hit"])


def test_us_announcement_moves_to_the_next_session() -> None:
    px = synthetic()
    sessions = sorted(px["date"].unique())
    d = sessions[EVENT_POS]
    us = event_study(px, one_event(px, announced_in="US"), market="MKT")
    assert us.events.iloc[0]["event_day"] == sessions[EVENT_POS + 1]
    assert us.events.iloc[0]["announced_basis"] == "event's announced_in"
    local = event_study(px, one_event(px), market="MKT")
    assert local.events.iloc[0]["event_day"] == d
    by_actor = event_study(px, one_event(px, actor="US Department of Commerce"), market="MKT")
    assert by_actor.events.iloc[0]["announced_in"] == "US"
    saturday = d - pd.Timedelta(days=(d.weekday() - 5) % 7)  # the Saturday before d
    wk = event_study(px, [{"event_id": "W", "date": saturday, "tickers": "F0"}], market="MKT")
    assert wk.events.iloc[0]["event_day"] == min(s for s in sessions if s >= saturday)


def test_caar_with_bmp_and_cross_correlation_adjustment() -> None:
    px = synthetic(n_firms=4, common=0.6)
    ev = pd.DataFrame([{"event_id": "E", "date": event_date(px),
                        "tickers": ["F0", "F1", "F2", "F3"]}])
    res = event_study(px, ev, market="MKT", announced="local")
    caar = res.caar.set_index("window")
    row = caar.loc["[+0,+0]"]
    assert row["n_firms"] == 4
    assert abs(row["caar"] - JUMP) < 0.004 * 3
    assert 0.2 < row["r_bar"] < 0.55  # residuals share a factor with correlation 0.36
    assert abs(row["t_adj_bmp"]) < abs(row["t_bmp"])
    assert row["p_adj_bmp"] > row["p_bmp"]
    assert row["p_adj_bmp"] < 0.05
    # the BMP t is the cross-sectional t of the standardized CARs
    w = res.car[res.car["window"] == "[+0,+0]"]
    scar = w["car"] / w["se"]
    assert row["t_bmp"] == pytest.approx(scar.mean() / scar.std(ddof=1) * 2)
    r = row["r_bar"]
    assert row["t_adj_bmp"] == pytest.approx(row["t_bmp"] * np.sqrt((1 - r) / (1 + 3 * r)))


def test_no_effect_is_not_significant() -> None:
    px = synthetic(jump=0.0, n_firms=3, seed=11)
    ev = [{"event_id": "N", "date": event_date(px), "tickers": ["F0", "F1", "F2"]}]
    res = event_study(px, ev, market="MKT", announced="local")
    assert (res.caar["caar"].abs() < 0.01).all()
    assert (res.car["car"].abs() < 0.004 * 8).all()


def test_clear_errors() -> None:
    px = synthetic()
    with pytest.raises(UnknownNameError, match="'NOPE' is not in the price table"):
        event_study(px, [{"event_id": "E", "date": event_date(px), "tickers": ["NOPE"]}],
                    market="MKT")
    with pytest.raises(ParameterError, match="event_id"):
        event_study(px, [{"date": event_date(px), "tickers": ["F0"]}], market="MKT")
    with pytest.raises(ParameterError, match="window"):
        event_study(px, one_event(px), market="MKT", windows=((2, 1),))
    with pytest.raises(ParameterError, match="announced"):
        event_study(px, one_event(px), market="MKT", announced="Beijing")
    with pytest.raises(PriceDataError, match="lacks column"):
        event_study(px.drop(columns="close"), one_event(px), market="MKT")


def _skip_reason(px: pd.DataFrame, date, **kw) -> str:
    res = event_study(px, [{"event_id": "X", "date": date, "tickers": ["F0"]}],
                      market="MKT", **kw)
    assert res.car.empty and res.ar.empty and res.caar.empty
    assert res.skipped[["event_id", "ticker"]].values.tolist() == [["X", "F0"]]
    return res.skipped.iloc[0]["reason"]


def test_events_without_enough_prices_are_skipped_with_the_reason() -> None:
    px = synthetic()
    sessions = sorted(px["date"].unique())
    assert "outside the price range" in _skip_reason(px, "2030-01-02")
    assert re.search(r"needs 120 sessions .* only 40 found", _skip_reason(px, sessions[50]))
    thin = px[~((px["ticker"] == "F0") & px["date"].isin(sessions[70:160]))]
    assert re.search("29 estimation returns found .* at least 60",
                     _skip_reason(thin, event_date(thin)))
    assert "past the last price" in _skip_reason(px, sessions[-3])


def test_mixed_events_keep_the_studied_ones() -> None:
    px = synthetic(n_firms=2)
    sessions = sorted(px["date"].unique())
    ev = [{"event_id": "E", "date": event_date(px), "tickers": ["F0", "F1"]},
          {"event_id": "early", "date": sessions[20], "tickers": ["F0"]},
          {"event_id": "late", "date": "2031-05-05", "tickers": ["F1"]}]
    res = event_study(px, ev, market="MKT")
    assert sorted(res.events["event_id"].unique()) == ["E"]
    assert set(res.car["event_id"]) == {"E"} and set(res.ar["event_id"]) == {"E"}
    assert res.skipped["event_id"].tolist() == ["early", "late"]
    assert res.skipped["reason"].str.len().gt(20).all()
    alone = event_study(px, ev[:1], market="MKT")
    pd.testing.assert_frame_equal(res.car, alone.car)


def test_outputs_are_deterministic_and_frame_has_provenance() -> None:
    px = synthetic(n_firms=2)
    ev = [{"event_id": "E", "date": event_date(px), "tickers": ["F1", "F0"]}]
    a = event_study(px, ev, market="MKT").to_frame()
    b = event_study(px.sample(frac=1, random_state=1), ev, market="MKT").to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert {"event_day", "market", "alpha", "beta", "n_est", "car", "window"} <= set(a.columns)
    assert a["ticker"].tolist() == sorted(a["ticker"].tolist())


# ----------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def real_prices() -> pd.DataFrame:
    from sanctionlens.analysis.prices import load_prices
    return load_prices(SHARED)


@needs_prices
def test_hikvision_limit_down_2022(real_prices: pd.DataFrame) -> None:
    res = event_study(real_prices,
                      [{"event_id": "hik_sdn_report", "date": "2022-05-05",
                        "tickers": ["002415.SZ"], "announced_in": "local"}],
                      market="399001.SZ", windows=((0, 0), (0, 1)))
    ar = res.ar.set_index("date")
    day0 = ar.loc[pd.Timestamp("2022-05-05")]
    assert day0["rel_day"] == 0
    assert day0["ret"] == pytest.approx(38.24 / 42.49 - 1)
    assert day0["limit_hit"] == "down"
    assert day0["ar"] < -0.05 and day0["p"] < 0.01
    day1 = ar.loc[pd.Timestamp("2022-05-06")]
    assert day1["ret"] == pytest.approx(34.80 / 38.24 - 1)
    assert pd.isna(day1["limit_hit"])  # limit would be 34.42
    car = res.car.set_index("window")
    two = car.loc["[+0,+1]"]
    assert two["car"] == pytest.approx(day0["ar"] + day1["ar"])
    assert two["car"] < day0["ar"] and two["p"] < 0.01
    through = car.loc["[+0,+0] through limit"]
    assert through["last_rel"] == 1 and through["car"] == pytest.approx(two["car"])


@needs_prices
def test_entity_list_october_2019(real_prices: pd.DataFrame) -> None:
    ev = pd.DataFrame([{"event_id": "entity_list_2019", "date": "2019-10-07",
                        "tickers": ["002415.SZ", "002236.SZ", "002230.SZ"],
                        "announced_in": "US"}])
    res = event_study(real_prices, ev, market="399001.SZ")
    assert (res.events["event_day"] == pd.Timestamp("2019-10-08")).all()
    ar = res.ar
    halted = ar["ticker"].isin(["002415.SZ", "002236.SZ"])
    days = pd.to_datetime(["2019-10-08", "2019-10-09"])
    assert not ar[halted]["date"].isin(days).any()
    for t in ("002415.SZ", "002236.SZ"):
        first = ar[(ar["ticker"] == t) & (ar["date"] == pd.Timestamp("2019-10-10"))].iloc[0]
        assert first["gap_days"] == 2 and bool(first["suspended_before"])
        assert first["span_start_rel"] == 0
    ifly = ar[(ar["ticker"] == "002230.SZ") & (ar["date"] == pd.Timestamp("2019-10-08"))]
    assert len(ifly) == 1 and ifly.iloc[0]["rel_day"] == 0 and ifly.iloc[0]["gap_days"] == 0
    px = real_prices.set_index(["ticker", "date"])["close"]
    assert ifly.iloc[0]["ret"] == pytest.approx(
        31.01 / px[("002230.SZ", pd.Timestamp("2019-09-30"))] - 1)
    caar = res.caar.set_index("window")
    assert (caar["n_firms"] == 3).all()
    assert caar[["t_bmp", "t_adj_bmp", "r_bar"]].notna().all().all()
    assert (caar["r_bar"] > 0).all()  # same sector, same market: positively correlated
    assert (caar["t_adj_bmp"].abs() < caar["t_bmp"].abs()).all()


def test_us_actor_from_knowledge_base_ids() -> None:
    px = synthetic()
    sessions = sorted(px["date"].unique())
    for actor in ("bis", "us_commerce", "ofac"):
        res = event_study(px, one_event(px, actor=actor), market="MKT")
        assert res.events.iloc[0]["announced_in"] == "US", actor
        assert res.events.iloc[0]["event_day"] == sessions[EVENT_POS + 1]
    res = event_study(px, one_event(px, actor="china_mofcom"), market="MKT")
    assert res.events.iloc[0]["announced_in"] == "local"


def test_same_window_events_are_confounded_and_few_firms_noted() -> None:
    from sanctionlens.analysis.eventnotes import flag_sentences

    px = synthetic(n_firms=3)
    day = event_date(px)
    sessions = sorted(px["date"].unique())
    ev = [{"event_id": "A", "date": day, "tickers": ["F0", "F1", "F2"]},
          {"event_id": "B", "date": day, "tickers": ["F0"]},
          {"event_id": "C", "date": sessions[EVENT_POS + 3], "tickers": ["F1"]}]
    res = event_study(px, ev, market="MKT", windows=((0, 0), (0, 5)))
    car = res.car.set_index(["event_id", "ticker", "window"])["confounded_with"]
    assert car[("A", "F0", "[+0,+0]")] == "B" and car[("B", "F0", "[+0,+0]")] == "A"
    assert car[("A", "F1", "[+0,+0]")] == "" and car[("A", "F1", "[+0,+5]")] == "C"
    assert car[("A", "F2", "[+0,+5]")] == ""
    caar = res.caar.set_index(["event_id", "window"])
    assert caar.loc[("A", "[+0,+0]"), "dof"] == 2
    assert "2 degrees of freedom, too few" in caar.loc[("A", "[+0,+0]"), "note"]
    text = " ".join(flag_sentences(res, {"F0": "Firm zero"}))
    assert ("Firm zero (F0): A (event day " in text and "fall in the same [+0,+0] window"
            in text)
    assert "Cross-firm test for A: 3 firms" in text
    many = synthetic(n_firms=5)
    res5 = event_study(many, [{"event_id": "M", "date": event_date(many),
                               "tickers": [f"F{i}" for i in range(5)]}], market="MKT")
    assert (res5.caar["note"] == "").all() and (res5.caar["dof"] == 4).all()


def test_dividend_day_in_the_estimation_window_is_listed_and_adjusting_moves_the_car(
        tmp_path: Path) -> None:
    """An ex-dividend day (the raw close drops by the dividend, adj_close does not) inside the
    estimation window is named in params; the adjusted series gives a different fit."""
    from sanctionlens.analysis.prices import load_prices

    px = synthetic()
    firm = px[px["ticker"] == "F0"].reset_index(drop=True)
    ex_day = 120  # inside the 120-session window that ends 10 sessions before EVENT_POS
    raw = firm["close"].to_numpy().copy()
    raw[ex_day:] *= 0.97  # a 3% cash dividend paid out of the raw price from that day on
    adj = firm["close"].to_numpy() * raw[-1] / firm["close"].to_numpy()[-1]
    for t, g in px.groupby("ticker"):
        out = g[["date", "close"]].copy()
        out["date"] = out["date"].dt.strftime("%Y-%m-%d")
        out["adj_close"] = out["close"]  # the market index: nothing to adjust
        if t == "F0":
            out["close"], out["adj_close"] = np.round(raw, 6), np.round(adj, 6)
        out.to_csv(tmp_path / f"{t}.csv", index=False)
    ev = one_event(px, announced_in="local")
    plain = event_study(load_prices(tmp_path), ev, market="MKT")
    adjusted = event_study(load_prices(tmp_path, adjusted=True), ev, market="MKT")
    day = f"{sorted(px['date'].unique())[ex_day]:%Y-%m-%d}"
    assert plain.params.loc[0, "adjustment_days"] == day
    assert plain.params.loc[0, "price_column"] == "close"
    assert adjusted.params.loc[0, "price_column"] == "adj_close"
    car = {name: r.car.query("start == 0 and end == 0")["car"].iloc[0]
           for name, r in (("plain", plain), ("adjusted", adjusted))}
    assert car["plain"] != pytest.approx(car["adjusted"], abs=1e-6)
    assert car["adjusted"] == pytest.approx(JUMP, abs=0.02)
    assert plain.params.loc[0, "sigma"] > adjusted.params.loc[0, "sigma"]
    from sanctionlens.analysis.eventnotes import flag_sentences

    said = " ".join(flag_sentences(plain))
    assert f"one ex-dividend or split day ({day})" in said and "unadjusted close" in said
    assert "adjusted close was used" in " ".join(flag_sentences(adjusted))
