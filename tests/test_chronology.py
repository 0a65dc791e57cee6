"""The sanction chronology on the seed articles: required events, merging, disagreement,
reference matching, honest dating, validation, determinism, and the timeline figures."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens.analysis.chronology import (
    COLUMNS,
    chronology,
    date_explanations,
    filter_events,
    validate_params,
)
from sanctionlens.errors import ParameterError, UnknownNameError
from sanctionlens.kb import get_kb
from sanctionlens.paths import SEEDS_DIR

D000, D001, D002, D003, D004 = (
    "000_01268d76ed01239e", "001_cb481560be846f44", "002_ffa6ae5ea12d9d3c",
    "003_7627a8d55a239d0a", "004_ba4aa41dde4800f8",
)
STATEMENT = {"company_statement", "denial"}


@pytest.fixture(scope="module")
def corpus() -> sl.Corpus:
    return sl.load_corpus()


@pytest.fixture(scope="module")
def events(corpus: sl.Corpus) -> pd.DataFrame:
    return chronology(corpus)


def rows(events: pd.DataFrame, actions: str | set[str], company: str) -> list:
    acts = {actions} if isinstance(actions, str) else actions
    return [r for r in events.itertuples(index=False)
            if r.source == "corpus" and r.action in acts and company in r.targets]


def one(events: pd.DataFrame, actions: str | set[str], company: str):
    found = rows(events, actions, company)
    assert len(found) == 1, [(r.event_id, r.doc_ids) for r in found]
    return found[0]


def sentences(row, doc_id: str) -> list[str]:
    return [e["text"] for e in row.evidence if e["doc_id"] == doc_id]


def has(row, doc_id: str, *words: str) -> bool:
    return any(all(w.casefold() in s.casefold() for w in words) for s in sentences(row, doc_id))


def ref_on(action_prefix: str, date: str, company: str | None = None):
    found = [e for e in get_kb().events if e.date.isoformat() == date
             and e.action.startswith(action_prefix) and (company is None or company in e.targets)]
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------- shape
def test_columns_sorting_and_ids(events: pd.DataFrame) -> None:
    assert list(events.columns) == COLUMNS
    assert events["event_id"].is_unique
    keys = [(d is None, d or "", i) for d, i in zip(events["date"], events["event_id"],
                                                    strict=True)]
    assert keys == sorted(keys)
    assert set(events["source"]) == {"corpus", "reference"}


def test_evidence_spans_point_into_the_documents(corpus: sl.Corpus,
                                                 events: pd.DataFrame) -> None:
    for r in events[events["source"] == "corpus"].itertuples(index=False):
        assert r.evidence and r.doc_ids == sorted({e["doc_id"] for e in r.evidence})
        for e in r.evidence:
            assert corpus[e["doc_id"]].text[e["start"]:e["end"]] == e["text"]


def test_reference_rows_follow_include_reference(corpus: sl.Corpus,
                                                 events: pd.DataFrame) -> None:
    kb = get_kb()
    assert (events["source"] == "reference").sum() == len(kb.events)
    without = chronology(corpus, include_reference=False)
    assert set(without["source"]) == {"corpus"}
    pd.testing.assert_frame_equal(
        without, events[events["source"] == "corpus"].reset_index(drop=True))


def test_two_runs_are_equal(corpus: sl.Corpus, events: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(chronology(corpus), events)
    assert chronology(corpus).to_json() == events.to_json()


# ----------------------------------------------------------------------------- required events
def test_october_2019_entity_list_addition(events: pd.DataFrame) -> None:
    row = one(events, "added_to_list", "sensetime")
    assert {"sensetime", "hikvision", "megvii"} <= set(row.targets)
    assert row.instrument == "entity_list"
    assert (row.date, row.precision) in {("2019", "year"), ("2019-10", "month")}
    assert has(row, D000, "entity list", "2019") and has(row, D004, "placed on", "2019")
    assert has(row, D002, "Entity List", "October 2019")
    assert has(row, D000, "Megvii", "export blacklist")
    ref = ref_on("added_to_list", "2019-10-07", "sensetime")
    assert row.reference_id == ref.id and row.official_date == "2019-10-07"


@pytest.mark.parametrize("company,written", [
    ("cloudwalk", "CloudWalk"), ("netposa", "NetPosa"), ("sensenets", "SenseNets"),
    ("intellifusion", "Intellifusion"), ("isvision", "IS’Vision"), ("qihoo360", "Qihoo 360"),
])
def test_may_2020_addition_is_undated_in_the_corpus(events: pd.DataFrame, company: str,
                                                    written: str) -> None:
    row = one(events, "added_to_list", company)
    assert row.doc_ids == [D003]
    assert row.date is None and row.precision == "unknown"
    assert any(written in s and ("Entity List" in s or "addition" in s)
               for s in sentences(row, D003))
    assert row.official_date == "2020-05-22"
    assert get_kb().event(row.reference_id).date == dt.date(2020, 5, 22)


def test_june_2021_executive_order_covering_hikvision(events: pd.DataFrame) -> None:
    row = one(events, "eo_signed", "hikvision")
    assert (row.date, row.precision) == ("2021-06", "month")
    assert has(row, D002, "Last June", "executive order", "Hikvision")
    assert row.official_date is not None and row.official_date.startswith("2021-06")


def test_sensetime_treasury_listing_from_two_articles(events: pd.DataFrame) -> None:
    row = one(events, "designated", "sensetime")
    assert (row.date, row.precision) == ("2021-12-10", "day")
    assert {D000, D001} <= set(row.doc_ids)
    assert has(row, D000, "blacklisted", "three days ago")
    assert has(row, D001, "Treasury", "Friday")
    assert row.official_date == "2021-12-10" and row.agreement


def test_sensetime_ipo_postponement(events: pd.DataFrame) -> None:
    row = one(events, "ipo_postponed", "sensetime")
    assert (row.date, row.precision) == ("2021-12-13", "day")
    assert {D000, D001} <= set(row.doc_ids)
    assert has(row, D001, "Monday", "postpon") and has(row, D000, "postpone")


def test_forced_labor_law_signed_last_year(events: pd.DataFrame) -> None:
    found = [r for r in events.itertuples(index=False)
             if r.source == "corpus" and r.action == "law_signed"]
    assert len(found) == 1
    row = found[0]
    assert (row.date, row.precision) == ("2021", "year")
    assert has(row, D004, "signing a law last year", "forced labor")
    assert row.official_date is not None and row.official_date.startswith("2021")


def test_may_2022_hikvision_considered_and_limit_down(events: pd.DataFrame) -> None:
    considered = one(events, "considered", "hikvision")
    assert {D002, D004} <= set(considered.doc_ids)
    assert considered.date is not None and considered.date.startswith("2022-05")
    assert has(considered, D004, "weighing", "Hikvision")
    assert has(considered, D002, "might impose")
    fell = one(events, "shares_fell", "hikvision")
    assert (fell.date, fell.precision) == ("2022-05-05", "day")
    assert {D002, D004} <= set(fell.doc_ids) and fell.agreement
    assert has(fell, D002, "tumbled", "yesterday") and has(fell, D004, "tumbled", "Thursday")


# ----------------------------------------------------------------------------- disagreement
def test_hikvision_statement_dated_differently_is_one_flagged_event(
        events: pd.DataFrame) -> None:
    row = one(events, STATEMENT, "hikvision")
    assert {D002, D004} <= set(row.doc_ids)
    assert has(row, D002, "statement yesterday") and has(row, D004, "statement Wednesday")
    assert row.agreement is False or row.agreement == False  # noqa: E712 (numpy bool)
    says_002 = [d for d in row.disagreements if d.startswith(D002)]
    says_004 = [d for d in row.disagreements if d.startswith(D004)]
    assert len(says_002) == 1 and "2022-05-05" in says_002[0] and "yesterday" in says_002[0]
    assert len(says_004) == 1 and "2022-05-04" in says_004[0] and "Wednesday" in says_004[0]


def test_agreeing_events_have_no_disagreements(events: pd.DataFrame) -> None:
    for r in events.itertuples(index=False):
        assert bool(r.agreement) == (not r.disagreements), r.event_id


def test_one_row_per_matched_reference_event(events: pd.DataFrame) -> None:
    corpus_rows = events[(events["source"] == "corpus") & events["reference_id"].notna()]
    assert corpus_rows["reference_id"].is_unique


# ----------------------------------------------------------------------------- honest dates
def test_document_without_publication_date_is_never_guessed(events: pd.DataFrame) -> None:
    only_003 = [r for r in events.itertuples(index=False) if r.doc_ids == [D003]]
    assert only_003
    for r in only_003:
        assert r.date is None and r.precision == "unknown", r.event_id


def test_removing_the_publication_date_leaves_relative_dates_empty(tmp_path: Path) -> None:
    src = SEEDS_DIR / f"{D004}.txt"
    shutil.copy(src, tmp_path / src.name)
    (tmp_path / "metadata.csv").write_text(
        "file,doc_id,title,outlet,authors,published,published_basis,url,language\n"
        f"{src.name},{D004},Hikvision test,Bloomberg,,,,,en\n", encoding="utf-8")
    ev = chronology(sl.load_corpus(tmp_path), include_reference=False)
    fell = one(ev, "shares_fell", "hikvision")
    assert has(fell, D004, "on Thursday")
    assert fell.date is None and fell.precision == "unknown"
    listed = one(ev, "added_to_list", "hikvision")  # "In 2019" is explicit: still dated
    assert listed.date == "2019"


def test_date_explanations(corpus: sl.Corpus) -> None:
    table = date_explanations(corpus)
    assert len(table) == len(sl.time_expressions(corpus))
    for r in table.itertuples(index=False):
        doc = corpus[r.doc_id]
        assert r.expression in r.sentence
        assert r.article_date == (doc.published.isoformat() if doc.published else None)
    assert table.loc[table["doc_id"] == D003, "value"].isna().all()


# ----------------------------------------------------------------------------- parameters
def test_validate_params() -> None:
    ids, start, end = validate_params("all", "2019-01-01", "2022-12-31")
    assert ids is None and start == dt.date(2019, 1, 1) and end == dt.date(2022, 12, 31)
    ids, start, end = validate_params(["Hikvision", "hikivison", "SenseTime’s"], "", None)
    assert ids == ["hikvision", "sensetime"] and start is None and end is None


def test_validate_params_unknown_company_suggests() -> None:
    with pytest.raises(UnknownNameError, match="Hikvision"):
        validate_params(["Hikvisio n"], "2019-01-01", "2022-12-31")


@pytest.mark.parametrize("companies,start,end,name", [
    (["Hikvision"], "2019-13-01", "2022-12-31", "start"),
    (["Hikvision"], "2019-01-01", "yesterday", "end"),
    ([], "2019-01-01", "2022-12-31", "companies"),
    ([3], "2019-01-01", "2022-12-31", "companies"),
    ("all", "2022-01-01", "2021-01-01", "start"),
])
def test_validate_params_bad_values(companies, start, end, name: str) -> None:
    with pytest.raises(ParameterError, match=name):
        validate_params(companies, start, end)


def test_filter_events(events: pd.DataFrame) -> None:
    hik = filter_events(events, ["hikvision"], dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert len(hik) and all("hikvision" in t for t in hik["targets"])
    dated = hik[hik["date"].notna()]
    assert all(d >= "2021" for d in dated["date"])
    assert "2019-10" not in set(hik["date"])  # the 2019 listing lies outside the window
    assert filter_events(events, None, None, None, keep_undated=False)["date"].notna().all()


# ----------------------------------------------------------------------------- figures
def test_timeline_hover_escapes_article_text(events: pd.DataFrame) -> None:
    from sanctionlens.plots.chronology import timeline_figure

    evil = events[events["source"] == "corpus"].head(2).copy()
    evil["evidence"] = [[{"doc_id": "x", "sentence_id": 0, "start": 0, "end": 5,
                          "text": "<script>alert(1)</script> & <b>bold</b>"}]] * len(evil)
    evil["date"] = ["2021-12-10", "2021"]
    evil["precision"] = ["day", "year"]
    evil["date_end"] = [None, None]
    evil["outlets"] = [["<i>Outlet</i>"]] * len(evil)
    evil["doc_ids"] = [["x"]] * len(evil)
    fig = timeline_figure(evil, title="<b>t</b>")
    hover = " ".join(t for tr in fig.data if tr.hovertext for t in tr.hovertext)
    assert "<script>" not in hover and "&lt;script&gt;" in hover
    assert "<i>Outlet</i>" not in hover and "&lt;i&gt;Outlet" in hover
    assert "<b>t</b>" not in fig.layout.title.text


def test_timeline_figures_draw_every_dated_event(events: pd.DataFrame) -> None:
    from matplotlib.figure import Figure
    from sanctionlens.plots.chronology import timeline_figure, timeline_matplotlib

    fig = timeline_figure(events, y="action")  # one marker per event (rows: kinds of event)
    markers = sum(len(tr.x) for tr in fig.data if tr.mode == "markers" and tr.hovertext)
    assert markers == int(events["date"].notna().sum())
    undated = int(events["date"].isna().sum())
    assert f"{undated} undated" in fig.layout.title.text
    one_company = filter_events(events, ["hikvision"])
    by_company = timeline_figure(one_company, y="company")
    assert {y for tr in by_company.data if tr.mode == "markers" and tr.hovertext
            for y in tr.y} >= {"Hikvision"}
    assert isinstance(timeline_matplotlib(events), Figure)
    with pytest.raises(ParameterError, match="y must be"):
        timeline_figure(events, y="colour")
