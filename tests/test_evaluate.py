"""sanctionlens evaluate: scoring companies, time expressions and events against a gold file."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
import sanctionlens as sl
from sanctionlens.analysis.evaluate import _date_distance, event_family, names_match
from sanctionlens.cli import main
from sanctionlens.errors import ParameterError

ARTICLES = {
    "a1.txt": ("US blacklists Hikvision\n\n"
               "The Commerce Department added Hikvision to the Entity List on October 7, 2019, "
               "officials said.\n\nShares of Hikvision fell 5% on October 8, 2019.\n\n"
               "SenseTime said in a statement on Tuesday that it opposed the decision.\n"),
    "a2.txt": ("Megvii shares slide\n\n"
               "Megvii shares tumbled after the company was added to the Entity List.\n"),
    "a3.txt": "No gold\n\nThis file has no annotation.\n",
    "a5.txt": ("Rules\n\nIn October 2022, the agency acted. The October 2022 rules were broad."
               "\n\nOfficials recently said that in January this year the company changed "
               "course.\n"),
    "a4.txt": ("Filing\n\nThe Commerce Department added SenseTime to the Entity List on "
               "March 3, 2021.\n"),
}
METADATA = ("file,doc_id,title,published\n"
            "a1.txt,a1,US blacklists Hikvision,2019-10-09\n"
            "a2.txt,a2,Megvii shares slide,2019-10-09\n"
            "a3.txt,a3,No gold,2019-10-09\n"
            "a4.txt,a4,Filing,2021-03-05\n"
            "a5.txt,a5,Rules,2023-03-01\n")


def _event(family: str, date: str, companies: list[str], tol: int = 0,
           optional: bool = False) -> dict:
    return {"family": family, "date": date, "tol": tol, "optional": optional,
            "companies": companies, "evidence": ""}


GOLD = {"documents": {
    "001": {
        "file": "a1.txt", "published": "2019-10-09",
        "companies": ["Hikvision", "Megvii"],  # Megvii is not in a1: a miss
        "time": [{"text": "October 7, 2019", "value": "2019-10-07"},  # inside "on October 7, 2019"
                 {"text": "Tuesday", "value": "2019-10-01"},          # found, wrong value
                 {"text": "last week", "value": "2019-09-30"}],       # not in the text: a miss
        "events": [
            _event("entity_list", "2019-10-08", ["Hikvision"], tol=1),   # predicted 10-07: in tol
            _event("dod_1260h", "2019-10-07", ["Hikvision"]),            # no such family: miss
            _event("shares", "2019-10-08", ["Hikvision"], optional=True),  # found: counted
            _event("ipo_listed", "2019", [], optional=True),             # missed: not counted
        ],
    },
    "002": {
        "file": "a2.txt", "published": "2019-10-09", "companies": ["Megvii"], "time": [],
        "events": [_event("entity_list", "2019-10", ["Megvii"]),
                   _event("shares", "2019-10-09", ["Megvii"], optional=True)],
    },
    "004": {"file": "a4.txt", "published": "2021-03-05", "companies": ["SenseTime Group"],
            "time": [{"text": "March 3, 2021", "value": "2021-03-03"}], "events": []},
    "005": {"file": "a5.txt", "published": "2023-03-01", "companies": [], "events": [],
            "time": [{"text": "October 2022", "value": "2022-10"},
                     {"text": "in January this year", "value": "2023-01"}]},
    "009": {"file": "missing.txt", "companies": [], "time": [], "events": []},
}}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "metadata.csv").write_text(METADATA, encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(GOLD), encoding="utf-8")
    return folder, gold


@pytest.fixture
def result(setup: tuple[Path, Path]) -> sl.Evaluation:
    folder, gold = setup
    return sl.evaluate(folder, gold)


def _doc(result: sl.Evaluation, key: str) -> dict:
    return result.documents.set_index("doc").loc[key].to_dict()


def _misses(result: sl.Evaluation, doc: str, task: str, kind: str) -> list[dict]:
    m = result.misses
    return m[(m["doc"] == doc) & (m["task"] == task) & (m["kind"] == kind)].to_dict("records")


def test_companies_found_missed_false_positive(result: sl.Evaluation) -> None:
    row = _doc(result, "001")
    assert (row["companies_tp"], row["companies_fp"], row["companies_fn"]) == (1, 1, 1)
    assert [m["gold"] for m in _misses(result, "001", "companies", "miss")] == ["Megvii"]
    assert [m["predicted"] for m in _misses(result, "001", "companies", "false_positive")] \
        == ["SenseTime"]
    # "SenseTime Group" (gold) ~ "SenseTime" (tag): trailing legal form dropped
    assert _doc(result, "004")["companies_tp"] == 1


def test_time_correct_wrong_value_and_miss(result: sl.Evaluation) -> None:
    row = _doc(result, "001")
    assert row["time_tp"] == 1 and row["time_wrong_value"] == 1 and row["time_fn"] == 2
    assert row["time_fp"] == 2  # "on October 8, 2019" unmatched, "on Tuesday" wrong value
    wrong = _misses(result, "001", "time", "wrong_value")
    assert len(wrong) == 1 and "2019-10-08" in wrong[0]["predicted"]


def test_time_repeats_pieces_and_vague_are_not_false_positives(result: sl.Evaluation) -> None:
    # "In October 2022" repeats the gold "October 2022" (same value); "this year" is a piece
    # of the gold "in January this year"; "recently" is vague, which the gold never annotates
    row = _doc(result, "005")
    assert (row["time_tp"], row["time_fp"], row["time_fn"]) == (2, 0, 0)


def test_events_tol_family_optional(result: sl.Evaluation) -> None:
    row = _doc(result, "001")
    # entity_list within tol + the optional shares event; dod_1260h (wrong family) missed;
    # the missed optional ipo_listed is not counted
    assert (row["events_tp"], row["events_fp"], row["events_fn"]) == (2, 0, 1)
    missed = _misses(result, "001", "events", "miss")
    assert len(missed) == 1 and missed[0]["gold"].startswith("dod_1260h")
    # a2: the merged, dated listing row counts for a2 too; the undated share move matches
    # only because the gold event is optional
    row2 = _doc(result, "002")
    assert (row2["events_tp"], row2["events_fp"], row2["events_fn"]) == (2, 0, 0)


def test_dated_where_nothing_is_reported(result: sl.Evaluation) -> None:
    row = _doc(result, "004")
    assert row["events_fp"] == 1 and row["events_dated_unreported"] == 1
    assert "reports nothing" in _misses(result, "004", "events", "false_positive")[0]["detail"]


def test_unmatched_documents_are_reported(result: sl.Evaluation) -> None:
    assert list(result.documents["doc"]) == ["001", "002", "004", "005"]
    text = " ".join(result.unmatched)
    assert "gold 009 (missing.txt)" in text and "corpus a3 (a3.txt)" in text


def test_totals(result: sl.Evaluation) -> None:
    t = result.totals.set_index("task")
    assert list(t.index) == ["companies", "time", "events"]
    ev = t.loc["events"]
    assert (ev["tp"], ev["fp"], ev["fn"]) == (4, 1, 1)
    assert ev["precision"] == pytest.approx(4 / 5) and ev["recall"] == pytest.approx(4 / 5)
    assert "Per document" in result.to_text()


def test_selection_and_bad_input(setup: tuple[Path, Path]) -> None:
    folder, gold = setup
    res = sl.evaluate(folder, gold, docs=["001", "a2"], only=["events"])
    assert list(res.documents["doc"]) == ["001", "002"] and list(res.totals["task"]) == ["events"]
    assert list(sl.evaluate(folder, gold, exclude=["001", "005"]).documents["doc"]) \
        == ["002", "004"]
    with pytest.raises(ParameterError, match="--docs 777"):
        sl.evaluate(folder, gold, docs=["777"])
    with pytest.raises(ParameterError, match="choose from companies, time, events"):
        sl.evaluate(folder, gold, only=["names"])
    bad = gold.with_name("bad.json")
    bad.write_text('{"docs": {}}', encoding="utf-8")
    with pytest.raises(ParameterError, match="'documents' mapping"):
        sl.evaluate(folder, bad)


def test_cli_json(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    folder, gold = setup
    assert main(["evaluate", str(folder), "--gold", str(gold), "--format", "json",
                 "--misses"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["task"] for r in data["totals"]} == {"companies", "time", "events"}
    assert data["misses"] and len(data["documents"]) == 4
    assert main(["evaluate", str(folder), "--gold", str(gold), "--only", "time"]) == 0
    assert "Totals" in capsys.readouterr().out


@pytest.mark.parametrize(("a", "b", "strength"), [
    ("Hikvision", "hikvision", 3),
    ("Tiandy", "Tiandy Technologies Co., Ltd.", 3),   # legal forms dropped
    ("China National Chemical", "China National Chemical Engineering", 2),  # token prefix
    ("YMTC", "Yangtze Memory Technologies Co., Ltd.", 1),  # initials
    ("Société Générale", "Societe Generale", 3),       # diacritics
    ("Tencent's", "Tencent Holdings", 3),              # possessive
    ("COSCO", "China Overseas Shipping (COSCO)", 3),   # a bracketed alias
    ("China Overseas Shipping", "China Overseas Shipping (COSCO)", 3),
    ("Hikvision", "Dahua", 0),
    ("China Mobile", "China Telecom", 0),
    ("Xinjiang Bayi Iron and Steel", "Baowu Group Xinjiang Bayi Iron and Steel", 2),
    ("Bayi Steel", "Xinjiang Bayi Steel", 0),  # a two-token suffix is too weak
])
def test_names_match(a: str, b: str, strength: int) -> None:
    assert names_match([a], [b]) == strength
    assert names_match([b], [a]) == strength


@pytest.mark.parametrize(("row", "family"), [
    ({"action": "added_to_list", "instrument": "entity_list"}, "entity_list"),
    ({"action": "designated", "instrument": "ns_cmic_list"}, "ns_cmic"),
    ({"action": "added_to_list", "instrument": None}, "other"),
    ({"action": "considered", "instrument": "entity_list"}, None),
    ({"action": "denial"}, None),
    ({"action": "ipo_scrapped"}, "ipo_postponed"),
    ({"action": "shares_rose"}, "shares"),
    ({"action": "law_signed"}, "law"),
    ({"action": "added_to_list", "instrument": "entity_list", "family": "dod_1260h"},
     "dod_1260h"),
])
def test_event_family(row: dict, family: str | None) -> None:
    assert event_family(row) == family


def test_date_agreement() -> None:
    gold = {"date": "2022-12-15", "tol": 1}
    assert _date_distance(gold, "2022-12-16", "day", None) == 1
    assert _date_distance(gold, "2022-12-17", "day", None) is None
    assert _date_distance(gold, "2022-12", "month", None) is None  # coarser than gold
    assert _date_distance(gold, "2022-12-14", "range", "2022-12-15") == 1  # within ±1
    assert _date_distance(gold, "2022-12-13", "range", "2022-12-14") is None
    assert _date_distance({"date": "2022-12-15"}, "2022-12-14", "range", "2022-12-15") is None
    month = {"date": "2022-10", "tol": 0}
    assert _date_distance(month, "2022-10-05", "day", None) == 4
    assert _date_distance(month, "2022-10", "month", None) == 0
    assert _date_distance(month, "2022", "year", None) is None


def _shared() -> Path:
    env = os.environ.get("SANCTIONLENS_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def test_dev_corpus() -> None:
    dev = _shared() / "dev-corpus"
    if not (dev / "gold.json").is_file() or not (dev / "articles").is_dir():
        pytest.skip("shared/dev-corpus not present")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sl.evaluate(dev / "articles", dev / "gold.json")
    assert len(res.documents) == 25 and res.unmatched == []
    assert list(res.totals["task"]) == ["companies", "time", "events"]
    for col in ("precision", "recall", "f1"):
        assert res.totals[col].between(0, 1).all(), col
