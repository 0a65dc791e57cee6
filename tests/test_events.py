"""Event rules on sentences written for the tests: verb forms and voice, status, dates by
tense and source, the merge's blocking keys, and links to the official record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens.analysis.chronology import chronology, detect_mentions
from sanctionlens.analysis.events.link import ReferenceIndex
from sanctionlens.analysis.events.mentions import Mention
from sanctionlens.analysis.events.merge import merge
from sanctionlens.extract.temporal import resolve_document
from sanctionlens.kb import get_kb


def corpus(tmp_path: Path, texts: dict[str, tuple[str, str]]) -> sl.Corpus:
    """A corpus of {doc_id: (published ISO date or "", text)}."""
    folder = tmp_path / "_".join(texts)
    n = 0
    while folder.exists():
        n += 1
        folder = tmp_path / f"{'_'.join(texts)}_{n}"
    folder.mkdir()
    rows = ["file,doc_id,title,outlet,authors,published,published_basis,url,language"]
    for doc_id, (published, text) in texts.items():
        (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
        rows.append(f"{doc_id}.txt,{doc_id},Story {doc_id},Test Wire,,{published},,,en")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return sl.load_corpus(folder)


def mentions_of(tmp_path: Path, text: str, published: str = "2022-12-16") -> list[Mention]:
    c = corpus(tmp_path, {"t1": (published, text)})
    return detect_mentions(c.documents[0])


def only(ms: list[Mention], family: str) -> Mention:
    found = [m for m in ms if m.family == family]
    assert len(found) == 1, [(m.family, m.status, m.text) for m in ms]
    return found[0]


# ----------------------------------------------------------------------------- verb forms
@pytest.mark.parametrize("sentence", [
    "The Commerce Department added Hikvision to the Entity List on Dec. 15.",  # active past
    "Hikvision was added to the Entity List on Dec. 15.",  # passive
    "The Commerce Department adds Hikvision to the Entity List on Dec. 15.",  # present
    "The Commerce Department announced the addition of Hikvision to the Entity List on Dec. 15.",
    "The Commerce Department placed Hikvision on the Entity List on Dec. 15.",
])
def test_listing_forms_give_one_done_entity_list_event(tmp_path: Path, sentence: str) -> None:
    m = only(mentions_of(tmp_path, "Intro line.\n\n" + sentence), "entity_list")
    assert m.status == "done" and m.targets == ("hikvision",)
    assert (m.value, m.precision) == ("2022-12-15", "day")


@pytest.mark.parametrize("sentence,family", [
    ("On Dec. 15, the Pentagon added SenseTime to its list of Chinese military companies.",
     "dod_1260h"),
    ("On Dec. 15, the Department of Defense named SenseTime in the Pentagon's list of "
     "Chinese military companies.", "dod_1260h"),
    ("On Dec. 15, OFAC added SenseTime to the Non-SDN Chinese Military-Industrial Complex "
     "Companies List.", "ns_cmic"),
    ("On Dec. 15, DHS announced the addition of SenseTime to the UFLPA Entity List.",
     "uflpa_entity_list"),
    ("On Dec. 15, the FCC added SenseTime to its Covered List.", "fcc_covered_list"),
    ("On Dec. 15, BIS removed SenseTime from the Unverified List.", "other"),
])
def test_the_list_decides_the_family(tmp_path: Path, sentence: str, family: str) -> None:
    ms = mentions_of(tmp_path, "Intro line.\n\n" + sentence)
    m = only(ms, family)
    assert m.value == "2022-12-15"


def test_future_and_announced_forms(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Intro line.\n\nThe Commerce Department said it will add "
                     "Hikvision to the Entity List next week.")
    assert only(ms, "entity_list").status == "announced"
    ms = mentions_of(tmp_path, "Intro line.\n\nThe Commerce Department is set to add "
                     "Hikvision to the Entity List.")
    assert only(ms, "entity_list").status == "planned"


def test_a_consideration_is_not_a_listing(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Intro line.\n\nThe U.S. is weighing whether to add Hikvision "
                     "to the Entity List, people familiar with the matter said.")
    assert ms and all(m.status == "considered" for m in ms)
    assert not [m for m in ms if m.status == "done"]


def test_removal_and_negation(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Intro line.\n\nOn Dec. 15, BIS removed 25 Chinese parties "
                     "from the Unverified List. Hikvision was not added to the Entity List.")
    assert [m.status for m in ms] == ["removed"]


# ----------------------------------------------------------------------------- dates
def test_announced_monday_published_wednesday(tmp_path: Path) -> None:
    # published Tuesday 2019-10-08: "Monday" is past, "Wednesday" (future) looks forward
    ms = mentions_of(tmp_path, "Intro line.\n\nThe U.S. Commerce Department announced Monday "
                     "it is blacklisting Hikvision, in an update to the Federal Register set "
                     "to be published Wednesday.", published="2019-10-08")
    m = only(ms, "entity_list")
    assert m.value == "2019-10-07" and m.status == "announced"
    c = corpus(tmp_path, {"t2": ("2019-10-08", "A note.\n\nThe rule is set to be published "
                                               "Wednesday.")})
    (x,) = [x for x in resolve_document(c.documents[0]) if x.text.endswith("Wednesday")]
    assert x.value == "2019-10-09" and x.future


def test_today_in_a_release_and_in_a_quote(tmp_path: Path) -> None:
    text = ("Dec. 16, 2022\n\nToday, OFAC identified eight Chinese technology firms.\n\n"
            "BIS released two rules Thursday. “Today we are building on our work,” said the "
            "Under Secretary.")
    c = corpus(tmp_path, {"t3": ("2022-12-16", text)})
    todays = [x for x in resolve_document(c.documents[0]) if x.text.lower() == "today"]
    assert [x.value for x in todays] == ["2022-12-16", "2022-12-15"]
    assert "speaker" in todays[1].basis


def test_hong_kong_dateline_weekday_may_be_the_next_day(tmp_path: Path) -> None:
    text = "HONG KONG (Wire) — Shares of Tencent fell on Tuesday after the listing."
    c = corpus(tmp_path, {"t4": ("2025-01-06", text)})  # a Monday, US date
    (x,) = [x for x in resolve_document(c.documents[0]) if "Tuesday" in x.text]
    assert x.value == "2025-01-07"
    c = corpus(tmp_path, {"t5": ("2025-01-06", "WASHINGTON — Shares fell on Tuesday.")})
    (x,) = [x for x in resolve_document(c.documents[0]) if "Tuesday" in x.text]
    assert x.value == "2024-12-31"


def test_news_of_the_day_gets_the_publication_date_with_its_basis(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Headline words\n\nThe Department of Homeland Security has "
                     "announced the addition of 37 entities to the UFLPA Entity List.",
                     published="2025-01-14")
    m = only(ms, "uflpa_entity_list")
    assert m.value == "2025-01-14" and m.soft and "news of the day" in m.basis


def test_background_and_recent_acts_stay_undated(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Headline words\n\nHesai is threatening to sue the government "
                     "after it was included in a list of Chinese military companies. It was "
                     "among 17 companies the Department of Defense recently added to its list "
                     "of Chinese military companies.", published="2024-02-09")
    listings = [m for m in ms if m.family == "dod_1260h"]
    assert listings and all(m.value is None for m in listings)


def test_law_and_fiscal_year_names_are_not_time_expressions(tmp_path: Path) -> None:
    c = corpus(tmp_path, {"t6": ("2025-01-07", "Note.\n\nThe National Defense Authorization "
                                               "Act for Fiscal Year 1999 and the NDAA of 2024 "
                                               "apply; overnight the ADRs fell.")})
    found = {x.text: x.value for x in resolve_document(c.documents[0])}
    assert "1999" not in found and "2024" not in found
    assert found.get("overnight") == "2025-01-06"


# ----------------------------------------------------------------------------- merging
def _m(doc: str, sid: int, family: str, value: str | None, precision: str, targets=("x",),
       instrument: str | None = None) -> Mention:
    return Mention(doc_id=doc, sentence_id=sid, start=0, end=1, text="t",
                   action="designated", trigger=(0, 1), instrument=instrument,
                   targets=tuple(targets), value=value, precision=precision, family=family)


def test_merge_never_joins_other_lists_or_distant_dates() -> None:
    ms = [_m("a", 0, "dod_1260h", "2019-10", "month", instrument="dod_1260h"),
          _m("b", 0, "dod_1260h", "2022-10-05", "day", instrument="dod_1260h"),
          _m("c", 0, "ns_cmic", "2019-10-07", "day", instrument="ns_cmic_list"),
          _m("d", 0, "dod_1260h", "2019-10-08", "day", instrument="dod_1260h")]
    groups = merge(ms)
    assert sorted(map(sorted, groups)) == [[0, 3], [1], [2]]


def test_merge_joins_close_days_from_two_documents_and_undated_continuations() -> None:
    ms = [_m("a", 0, "sdn", "2021-12-10", "day", instrument="sdn_list"),
          _m("b", 0, "sdn", "2021-12-12", "day", instrument="sdn_list"),
          _m("b", 1, "sdn", None, "unknown")]
    assert merge(ms) == [[0, 1, 2]]


def test_merge_cost_grows_about_linearly() -> None:
    import time

    def run(n: int) -> float:
        ms = [_m(f"d{i}", 0, "dod_1260h", (dt.date(2020, 1, 1) + dt.timedelta(days=i % 900))
                 .isoformat(), "day", targets=(f"c{i % 50}",), instrument="dod_1260h")
              for i in range(n)]
        ms += [_m(f"d{i}", 1, "dod_1260h", None, "unknown", targets=(f"c{i % 50}",))
               for i in range(n)]
        t0 = time.process_time()  # CPU time: the machine's cores are shared
        merge(ms)
        return time.process_time() - t0

    small, large = min(run(2000) for _ in range(3)), run(20000)
    assert large < 40 * small  # ten times the mentions: far from a hundred times the time


# ----------------------------------------------------------------------------- links
def test_reported_event_links_to_the_reference_action() -> None:
    kb = get_kb()
    refs = ReferenceIndex(kb.events)
    ev = refs.match(("entity_list",), ["sensetime"], (dt.date(2019, 10, 1), dt.date(2019, 10, 31)))
    assert ev is not None and ev.date == dt.date(2019, 10, 7)
    assert refs.match(("entity_list",), ["sensetime"],
                      (dt.date(2022, 10, 1), dt.date(2022, 10, 31))) is None
    assert refs.match(("dod_1260h",), ["sensetime"],
                      (dt.date(2019, 10, 1), dt.date(2019, 10, 31))) is None


def test_rows_show_reported_and_official_dates(tmp_path: Path) -> None:
    c = corpus(tmp_path, {"t7": ("2019-10-09", "A story.\n\nThe Commerce Department added "
                                               "SenseTime and Megvii to the Entity List on "
                                               "Monday.")})
    ev = chronology(c, include_reference=False)
    row = ev[ev["family"] == "entity_list"].iloc[0]
    assert (row["date"], row["official_date"], row["official_agrees"]) == (
        "2019-10-07", "2019-10-07", True)
    assert row["doc_dates"] == {"t7": "2019-10-07"} and row["status"] == "done"
    assert isinstance(ev, pd.DataFrame)
