"""Market facts stated in the texts: patterns over sentences and tags, with evidence spans."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens import paths
from sanctionlens.analysis.market import COLUMNS, compare_share_moves, reported_moves


@pytest.fixture(scope="module")
def seeds():
    corpus = sl.load_corpus()
    return corpus, reported_moves(corpus)


def rows(moves: pd.DataFrame, company: str, kind: str) -> pd.DataFrame:
    return moves[(moves["company"] == company) & (moves["kind"] == kind)]


def test_every_row_points_at_its_text(seeds) -> None:
    corpus, moves = seeds
    assert list(moves.columns) == COLUMNS
    assert len(moves) > 0
    for r in moves.itertuples():
        doc = corpus[r.doc_id]
        assert doc.text[r.start:r.end] == r.span_text
        assert doc.sentences[r.sentence_id].text == r.evidence
        s = doc.sentences[r.sentence_id]
        assert s.start <= r.start <= r.end <= s.end


def test_sensetime_ipo_cut_and_postponement(seeds) -> None:
    _, moves = seeds
    initial = rows(moves, "sensetime", "ipo_size_initial")
    assert initial["value"].tolist() == [2_000_000_000.0]
    sizes = set(rows(moves, "sensetime", "ipo_size")["value"])
    assert sizes == {767_000_000.0}
    change = rows(moves, "sensetime", "ipo_size_change").iloc[0]
    assert change["value"] == pytest.approx((767e6 - 2e9) / 2e9 * 100, abs=0.01)
    assert "$2 billion to $767 million" in change["span_text"]
    post = rows(moves, "sensetime", "ipo_postponed")
    assert set(post["venue"].dropna()) <= {"hong_kong", "hkex"}
    assert set(post["date"].dropna()) == {"2021-12-13"}  # "Monday" after the Friday ban
    sanc = rows(moves, "sensetime", "sanction_announced")
    assert set(sanc["date"]) == {"2021-12-10"}  # "three days ago" and "on Friday"
    days = rows(moves, "sensetime", "days_sanction_to_postponement")
    assert days["value"].tolist() == [3]
    assert "2021-12-13" in days.iloc[0]["derived_from"]


def test_megvii_scrapped_hong_kong_ipo_for_star(seeds) -> None:
    _, moves = seeds
    scrapped = rows(moves, "megvii", "ipo_scrapped")
    assert len(scrapped) == 1 and scrapped.iloc[0]["venue"] == "hong_kong"
    venue = rows(moves, "megvii", "listing_venue").iloc[0]
    assert venue["venue"] == "star_market" and "STAR Market" in venue["value"]
    # SenseTime, named between Megvii and the verb as "a domestic rival of SenseTime's",
    # is not taken as the subject
    assert rows(moves, "sensetime", "ipo_scrapped").empty


def test_hikvision_limit_down_and_revenue(seeds) -> None:
    _, moves = seeds
    share = rows(moves, "hikvision", "share_move")
    assert set(share["value"]) == {-10.0}
    assert set(share["date"]) == {"2022-05-05"}
    assert (share["qualifier"] == "at the daily price limit").all()
    assert "shenzhen" in set(share["venue"].dropna())
    growth = rows(moves, "hikvision", "revenue_growth").iloc[0]
    assert growth["value"] == 28.0 and growth["unit"] == "%" and growth["date"] == "2021"
    rev = rows(moves, "hikvision", "revenue").set_index("unit")
    assert rev.loc["CNY", "value"] == 80e9 and rev.loc["CNY", "qualifier"] == "more than"
    assert rev.loc["USD", "value"] == 12.1e9


def test_patterns_generalize_to_another_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Test wire\n\n"
        "Dahua said on March 3, 2021 it had postponed its $500 million IPO in Hong Kong after "
        "it was blacklisted by the U.S. Commerce Department on March 1, 2021.\n\n"
        "Shares in Megvii fell 7% in Shenzhen on March 4, 2021.\n\n"
        "iFlytek said its 2020 revenue rose by 15% to 13 billion yuan.\n\n"
        "CloudWalk, a rival of Megvii, cancelled its Shanghai IPO and is seeking a listing on "
        "the STAR Market.\n", encoding="utf-8")
    moves = reported_moves(sl.load_corpus(tmp_path))
    got = {(r.company, r.kind): r for r in moves.itertuples()}
    assert got[("dahua", "ipo_size")].value == 500e6
    assert got[("dahua", "ipo_postponed")].venue == "hong_kong"
    assert got[("dahua", "days_sanction_to_postponement")].value == 2
    assert got[("megvii", "share_move")].value == -7.0
    assert got[("megvii", "share_move")].qualifier == ""
    assert got[("iflytek", "revenue_growth")].value == 15.0
    assert got[("iflytek", "revenue")].value == 13e9
    assert got[("cloudwalk", "ipo_scrapped")].venue == "shanghai"
    assert got[("cloudwalk", "listing_venue")].venue == "star_market"
    assert ("megvii", "ipo_scrapped") not in got


def test_deterministic(seeds) -> None:
    corpus, moves = seeds
    pd.testing.assert_frame_equal(moves, reported_moves(corpus))


def test_compare_share_moves_with_a_price_table() -> None:
    moves = pd.DataFrame([{**dict.fromkeys(COLUMNS), "company": "x", "kind": "share_move",
                           "value": -10.0, "date": "2020-01-03", "doc_id": "d", "sentence_id": 0,
                           "span_text": "fell 10%"},
                          {**dict.fromkeys(COLUMNS), "company": "y", "kind": "share_move",
                           "value": 5.0, "date": "2020-01-03", "doc_id": "d", "sentence_id": 1,
                           "span_text": "rose 5%"}])
    prices = pd.DataFrame({"date": pd.to_datetime(["2020-01-02", "2020-01-03"]),
                           "ticker": ["X.SZ", "X.SZ"], "close": [10.0, 9.0]})
    out = compare_share_moves(moves, prices, {"x": "X.SZ"}).set_index("company")
    assert out.loc["x", "actual_pct"] == pytest.approx(-10.0)
    assert out.loc["x", "previous_close_day"] == "2020-01-02"
    assert out.loc["y", "note"] == "no price symbol given for y"


NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_market_effects.ipynb"
SHARED = Path(os.environ.get("SANCTIONLENS_TEST_PRICES")
              or paths.PROJECT_ROOT.parent / "shared" / "prices")


def _outputs(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise AssertionError(f"cell failed: {out['ename']}: {out['evalue']}")
            parts += [str(v) for v in out.get("data", {}).values()] + [out.get("text", "")]
    return "\n".join(parts)


@pytest.mark.notebook
def test_notebook_text_only_mode(run_notebook, tmp_path: Path) -> None:
    nb = run_notebook(NOTEBOOK, prices_dir=str(tmp_path / "no-prices"))
    text = _outputs(nb)
    assert "How to add prices" in text and "make prices" in text
    assert "ipo\\_size\\_change" in text or "ipo_size_change" in text
    assert "Event study" not in text  # no empty sections without prices


@pytest.mark.notebook
@pytest.mark.prices
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")
def test_notebook_with_prices(run_notebook) -> None:
    nb = run_notebook(NOTEBOOK, prices_dir=str(SHARED))
    text = _outputs(nb)
    assert "How to add prices" not in text
    assert "t_adj_bmp" in text and "el-2019-10-xinjiang" in text
    assert "hikvision-reported-move-2022-05-05" in text


@pytest.mark.notebook
@pytest.mark.prices
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no price files in {SHARED}")
def test_notebook_says_the_flags_and_the_ipo_gaps_in_words(run_notebook, tmp_path) -> None:
    import shutil

    shutil.copytree(SHARED, tmp_path / "prices")
    nb = run_notebook(NOTEBOOK, prices_dir=str(tmp_path / "prices"))
    text = _outputs(nb)
    assert "day 0 spans three sessions because trading was suspended on 2019" in text
    assert "too few to mean much" in text
    assert "source not recorded" in text and "XSHG" in text
    import html
    assert "sanctionlens prices fetch 0020.HK --start 2021-12-30" in html.unescape(text)


def test_events_with_prices_are_every_kb_event_touching_a_priced_company() -> None:
    from sanctionlens.analysis.market import events_with_prices
    from sanctionlens.errors import UnknownNameError
    from sanctionlens.kb import get_kb

    kb = get_kb()
    hik = [lst.symbol for lst in kb.resolve_company("Hikvision").listings]
    got = events_with_prices(kb, hik)
    assert "el-2019-10-xinjiang" in set(got["event_id"])
    assert all("hikvision" in ts for ts in got["targets"])
    assert list(got["date"]) == sorted(got["date"])
    assert events_with_prices(kb, []).empty
    chosen = events_with_prices(kb, hik, ["el-2019-10-xinjiang"])
    assert list(chosen["event_id"]) == ["el-2019-10-xinjiang"]
    with pytest.raises(UnknownNameError):
        events_with_prices(kb, hik, ["no-such-event"])
