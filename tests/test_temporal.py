"""Time expressions: seeds resolved by hand from text + publication date, rules, guards."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens.errors import ParameterError
from sanctionlens.extract.temporal import COLUMNS, resolve_document, time_expressions
from sanctionlens.ingest.load import Document, Sentence
from sanctionlens.ingest.sentences import split_spans

D000, D001, D002, D003, D004 = (
    "000_01268d76ed01239e", "001_cb481560be846f44", "002_ffa6ae5ea12d9d3c",
    "003_7627a8d55a239d0a", "004_ba4aa41dde4800f8",
)
REL = "relative to published "


@pytest.fixture(scope="module")
def corpus() -> sl.Corpus:
    return sl.load_corpus()


@pytest.fixture(scope="module")
def timex(corpus: sl.Corpus) -> pd.DataFrame:
    return time_expressions(corpus)


def make_doc(text: str, published: dt.date | None = dt.date(2021, 12, 13)) -> Document:
    """A one-paragraph document split into sentences like the corpus loader does."""
    sents = [Sentence(i, a, b, text[a:b], 0) for i, (a, b) in enumerate(split_spans(text))]
    return Document(id="t", path=Path("t.txt"), title="t", published=published, text=text,
                    paragraphs=[(0, len(text))], sentences=sents)


def resolve(text: str, published: dt.date | None = dt.date(2021, 12, 13)) -> list[dict]:
    return [dataclasses.asdict(t) for t in resolve_document(make_doc(text, published))]


def one(text: str, published: dt.date | None = dt.date(2021, 12, 13)) -> dict:
    rows = resolve(text, published)
    assert len(rows) == 1, rows
    return rows[0]


def _na(x: object) -> object:
    return None if x is None or (not isinstance(x, str) and pd.isna(x)) else x


# ---------------------------------------------------------------- seeds, worked out by hand
# Every time expression of the five seeds, in text order. Publication dates from
# seeds/metadata.csv: 000/001 -> Mon 2021-12-13, 002 -> Fri 2022-05-06, 003 -> none,
# 004 -> Thu 2022-05-05.
SEED_TEXTS = {
    D000: ["in 2019", "later this week", "three days ago", "Back in 2019", "Earlier that year",
           "as soon as this month", "this month"],
    D001: ["Monday", "on Friday", "a week later", "On Monday", "in 2019",
           "over the weekend", "in recent years", "in 2014"],
    D002: ["since October 2019", "yesterday", "yesterday", "Last June"],
    D003: ["recently", "last year"],
    D004: ["on Thursday", "last year", "starting in June", "in recent months", "on Thursday",
           "on Thursday", "in 2001", "Wednesday", "In 2019", "2021"],
}

# (doc, text, occurrence, value, precision, basis, range_start, range_end, future)
SEED_CASES = [
    # 000: "accused in 2019 of developing facial recognition software" -- a bare year.
    (D000, "in 2019", 0, "2019", "year", "explicit", None, None, False),
    # IPO "had been expected for later this week"; published Monday 2021-12-13, so the rest of
    # that Monday-Sunday week: 2021-12-13..2021-12-19, and it points forward.
    (D000, "later this week", 0, "2021-12-13", "range", REL + "2021-12-13", "2021-12-13",
     "2021-12-19", True),
    # "blacklisted by the U.S. three days ago": 2021-12-13 minus 3 days = Friday 2021-12-10.
    (D000, "three days ago", 0, "2021-12-10", "day", REL + "2021-12-13", None, None, False),
    # "Back in 2019, the U.S. Commerce Department added ... to its entity list".
    (D000, "Back in 2019", 0, "2019", "year", "explicit", None, None, False),
    # "Earlier that year" continues from "Back in 2019": only the year is known.
    (D000, "Earlier that year", 0, "2019", "year",
     "anaphoric: year of previous expression (2019)", None, None, False),
    # "planning to relaunch the deal as soon as this month": December 2021, future.
    (D000, "as soon as this month", 0, "2021-12", "month", REL + "2021-12-13", None, None, True),
    # Quoted WSJ passage, "officials are planning to discuss this month": the only date the
    # text offers is 000's own (the WSJ piece is undated here), so December 2021, future.
    (D000, "this month", 0, "2021-12", "month", REL + "2021-12-13", None, None, True),
    # (001's photo caption "… Washington, DC, November 15, 2021." is page furniture, removed
    # by cleaning with its credit, so its date is no longer an expression of the text.)
    # "SenseTime said Monday": published on a Monday, the publication day itself counts.
    (D001, "Monday", 0, "2021-12-13", "day", REL + "2021-12-13", None, None, False),
    # "The US Treasury announced the ban on Friday": last Friday before Mon 12-13 = 12-10.
    (D001, "on Friday", 0, "2021-12-10", "day", REL + "2021-12-13", None, None, False),
    # IPO "had been due to take place a week later" than the Friday ban (previous expression,
    # 2021-12-10): 2021-12-17, which lies after publication, hence future.
    (D001, "a week later", 0, "2021-12-17", "day",
     "anaphoric: 1 week after previous expression (2021-12-10)", None, None, True),
    # "On Monday, SenseTime filed a statement": again the publication day.
    (D001, "On Monday", 0, "2021-12-13", "day", REL + "2021-12-13", None, None, False),
    # "placed the company on the US Department of Commerce's blacklist in 2019".
    (D001, "in 2019", 0, "2019", "year", "explicit", None, None, False),
    # "in a statement over the weekend": Saturday-Sunday before Monday 12-13 = 12-11..12-12.
    (D001, "over the weekend", 0, "2021-12-11", "range", REL + "2021-12-13", "2021-12-11",
     "2021-12-12", False),
    # "under increased international scrutiny in recent years": 3 years back (the documented
    # RECENT_WINDOWS convention) to the publication day.
    (D001, "in recent years", 0, "2018-12-13", "vague",
     REL + "2021-12-13; 'recent' = 3 years back", "2018-12-13", "2021-12-13", False),
    # "Founded in 2014 by academic Tang Xiao'ou".
    (D001, "in 2014", 0, "2014", "year", "explicit", None, None, False),
    # 002: "on the so-called US Entity List since October 2019".
    (D002, "since October 2019", 0, "2019-10", "month", "explicit", None, None, False),
    # "tumbled ... in Shenzhen yesterday", published Fri 2022-05-06 -> Thu 2022-05-05.
    (D002, "yesterday", 0, "2022-05-05", "day", REL + "2022-05-06", None, None, False),
    # "In a statement yesterday" -> the same Thursday.
    (D002, "yesterday", 1, "2022-05-05", "day", REL + "2022-05-06", None, None, False),
    # "Last June, ... Biden signed an executive order": the June before May 2022 = 2021-06
    # (EO 14032 of 2021-06-03).
    (D002, "Last June", 0, "2021-06", "month", REL + "2022-05-06", None, None, False),
    # 003 has no publication date: relative and vague expressions stay unresolved.
    (D003, "recently", 0, None, "vague", "no publication date", None, None, False),
    (D003, "last year", 0, None, "year", "no publication date", None, None, False),
    # 004, published Thu 2022-05-05: "shares tumbled ... on Thursday" = the publication day.
    (D004, "on Thursday", 0, "2022-05-05", "day", REL + "2022-05-05", None, None, False),
    # "signing a law last year": 2021 (the Uyghur Forced Labor Prevention Act, Dec 2021).
    (D004, "last year", 0, "2021", "year", REL + "2022-05-05", None, None, False),
    # "bans imports ... starting in June": the next June from May 2022 = 2022-06, future.
    (D004, "starting in June", 0, "2022-06", "month", REL + "2022-05-05", None, None, True),
    # "declines in China's markets in recent months": 6 months back to publication.
    (D004, "in recent months", 0, "2021-11-05", "vague",
     REL + "2022-05-05; 'recent' = 6 months back", "2021-11-05", "2022-05-05", False),
    # Blinken "had planned to give an address ... on Thursday, but it was delayed": past
    # perfect, not future -> the publication Thursday, not the next one.
    (D004, "on Thursday", 1, "2022-05-05", "day", REL + "2022-05-05", None, None, False),
    # "China on Thursday expressed grave concern".
    (D004, "on Thursday", 2, "2022-05-05", "day", REL + "2022-05-05", None, None, False),
    # "Founded in 2001 with help from a state-owned electronics research institute".
    (D004, "in 2001", 0, "2001", "year", "explicit", None, None, False),
    # "it said in a statement Wednesday": the Wednesday before Thu 2022-05-05 = 05-04.
    (D004, "Wednesday", 0, "2022-05-04", "day", REL + "2022-05-05", None, None, False),
    # "In 2019, Hikvision was placed on an entity list".
    (D004, "In 2019", 0, "2019", "year", "explicit", None, None, False),
    # "The company's 2021 sales jumped by 28%": the fiscal year 2021.
    (D004, "2021", 0, "2021", "year", "explicit", None, None, False),
]


@pytest.mark.parametrize("doc_id", sorted(SEED_TEXTS))
def test_seed_expressions_found_exactly(timex: pd.DataFrame, doc_id: str) -> None:
    assert timex.loc[timex.doc_id == doc_id, "text"].tolist() == SEED_TEXTS[doc_id]


@pytest.mark.parametrize(
    "doc_id,text,occ,value,precision,basis,rs,re_,future", SEED_CASES,
    ids=[f"{c[0][:3]}-{c[1]}-{c[2]}" for c in SEED_CASES])
def test_seed_values(timex: pd.DataFrame, doc_id: str, text: str, occ: int, value: str | None,
                     precision: str, basis: str, rs: str | None, re_: str | None,
                     future: bool) -> None:
    rows = timex[(timex.doc_id == doc_id) & (timex.text == text)]
    row = rows.iloc[occ]
    assert _na(row.value) == value
    assert row.precision == precision
    assert row.basis == basis
    assert (_na(row.range_start), _na(row.range_end)) == (rs, re_)
    assert bool(row.future) is future


def test_seed_cases_cover_every_expression() -> None:
    assert sum(len(v) for v in SEED_TEXTS.values()) == len(SEED_CASES)


def test_frame_shape_spans_and_order(corpus: sl.Corpus, timex: pd.DataFrame) -> None:
    assert list(timex.columns) == COLUMNS
    assert timex[["doc_id", "start"]].equals(
        timex[["doc_id", "start"]].sort_values(["doc_id", "start"]).reset_index(drop=True))
    for row in timex.itertuples():
        doc = corpus[row.doc_id]
        assert doc.text[row.start:row.end] == row.text
        sent = doc.sentences[row.sentence_id]
        assert sent.start <= row.start and row.end <= sent.end
    assert set(timex.precision) <= {"day", "month", "year", "range", "vague"}


def test_deterministic(corpus: sl.Corpus, timex: pd.DataFrame) -> None:
    assert time_expressions(corpus).equals(timex)


def test_seed_guards(corpus: sl.Corpus, timex: pd.DataFrame) -> None:
    # The seeds hold "10 per cent", "10%", "$12.1 billion", "53,000 staff", "150 countries",
    # "1.4 billion", "may impose", "COVID-19", "We regret": none overlaps an expression.
    spans = [(r.doc_id, r.start, r.end) for r in timex.itertuples()]
    for doc_id, needle in [(D002, "10 per cent"), (D004, "10%"), (D004, "$12.1 billion"),
                           (D004, "53,000 staff"), (D004, "150 countries"),
                           (D004, "1.4 billion"), (D002, "may impose"), (D003, "COVID-19"),
                           (D000, "We regret")]:
        at = corpus[doc_id].text.index(needle)
        assert not any(d == doc_id and s < at + len(needle) and at < e for d, s, e in spans)


# ---------------------------------------------------------------- explicit dates
@pytest.mark.parametrize("sentence,text,value,precision", [
    ("The summit took place on November 15, 2021.", "on November 15, 2021", "2021-11-15", "day"),
    ("It was listed on Oct 7, 2019 in New York.", "on Oct 7, 2019", "2019-10-07", "day"),
    ("The rule took effect 7 October 2020 after review.", "7 October 2020", "2020-10-07", "day"),
    ("The file is dated 2021-12-10 in the register.", "2021-12-10", "2021-12-10", "day"),
    ("It has been on the list since October 2019.", "since October 2019", "2019-10", "month"),
    ("May 2019 was the month of the order.", "May 2019", "2019-05", "month"),
    ("The firm was founded in 2014 in Beijing.", "in 2014", "2014", "year"),
    ("Back in 2019, the list grew.", "Back in 2019", "2019", "year"),
    ("Revenue in early 2020 fell.", "in early 2020", "2020", "year"),
    ("Its 2021 sales jumped by 28%.", "2021", "2021", "year"),
    ("The ban was 2019's biggest story.", "2019", "2019", "year"),
])
def test_explicit(sentence: str, text: str, value: str, precision: str) -> None:
    row = one(sentence)
    assert (row["text"], row["value"], row["precision"], row["basis"]) == (
        text, value, precision, "explicit")


def test_year_lists() -> None:
    rows = resolve("Sales fell in 2019 and 2020.")
    assert [(r["text"], r["value"]) for r in rows] == [("in 2019", "2019"), ("2020", "2020")]


def test_month_day_without_year_takes_year_from_publication() -> None:
    # Published 2021-12-13: "Oct. 7" on or before it -> 2021-10-07.
    row = one("The order was signed on Oct. 7 in Washington.")
    assert row["value"] == "2021-10-07"
    assert row["basis"] == "explicit month-day; year from published 2021-12-13"
    # "Dec. 20" after 2021-12-13 in a past sentence -> the previous year's Dec. 20.
    assert one("It was signed Dec. 20 in Washington.")["value"] == "2020-12-20"
    # A future sentence takes the next such day on or after publication.
    row = one("The shares will start trading on Jan. 5 in Hong Kong.")
    assert (row["value"], row["future"]) == ("2022-01-05", True)


def test_invalid_calendar_date_is_reported_not_dropped() -> None:
    row = one("The notice is dated February 30, 2021 in the file.")
    assert row["value"] is None and row["basis"].startswith("explicit: not a calendar date")


# ---------------------------------------------------------------- relative to publication
# Published Monday 2021-12-13 unless stated.
@pytest.mark.parametrize("sentence,value,precision,rs,re_", [
    ("It said yesterday that it disagreed.", "2021-12-12", "day", None, None),
    ("Trading resumed today in Hong Kong.", "2021-12-13", "day", None, None),
    ("The listing happens tomorrow in Hong Kong.", "2021-12-14", "day", None, None),
    ("The ban came three days ago.", "2021-12-10", "day", None, None),
    ("The probe began two months ago.", "2021-10", "month", None, None),
    ("The probe began two years ago.", "2019", "year", None, None),
    ("Shares fell last month.", "2021-11", "month", None, None),
    ("Shares fell last year.", "2020", "year", None, None),
    ("Shares fell this year.", "2021", "year", None, None),
    ("Shares fell last week.", "2021-12-06", "range", "2021-12-06", "2021-12-12"),
    ("Shares fell earlier this year.", "2021-01-01", "range", "2021-01-01", "2021-12-13"),
    ("It said it may list later this month.", "2021-12-13", "range", "2021-12-13", "2021-12-31"),
    ("It said so over the weekend.", "2021-12-11", "range", "2021-12-11", "2021-12-12"),
    ("The board met last Monday.", "2021-12-06", "day", None, None),
    ("The board meets next Monday.", "2021-12-20", "day", None, None),
])
def test_relative(sentence: str, value: str, precision: str, rs: str | None,
                  re_: str | None) -> None:
    row = one(sentence)
    assert (row["value"], row["precision"], row["range_start"], row["range_end"]) == (
        value, precision, rs, re_)
    assert row["basis"] == "relative to published 2021-12-13"


def test_weekday_news_convention() -> None:
    # Publication day counts: a Monday paper's "said Monday" is that Monday.
    assert one("The firm said Monday it would delay.")["value"] == "2021-12-13"
    # Most recent Friday on or before Mon 2021-12-13.
    assert one("The ban was announced on Friday.")["value"] == "2021-12-10"
    # A future sentence takes the next Friday after publication.
    row = one("The committee will vote on Friday.")
    assert (row["value"], row["future"]) == ("2021-12-17", True)
    # "said ... it will": the weekday is when it was said, not the future act.
    row = one("The firm said on Friday it will appeal.")
    assert (row["value"], row["future"]) == ("2021-12-10", False)
    # Past perfect "had planned" is not future.
    row = one("He had planned to speak on Thursday, but it was delayed.",
              dt.date(2022, 5, 5))
    assert (row["value"], row["future"]) == ("2022-05-05", False)


def test_months_relative_to_publication() -> None:
    fri = dt.date(2022, 5, 6)
    # "Last June" read in May 2022 is June 2021.
    assert one("Last June, an order was signed.", fri)["value"] == "2021-06"
    assert one("An order was signed last June.", fri)["value"] == "2021-06"
    # "starting in June" points forward: the next June, 2022-06.
    row = one("The ban applies starting in June unless firms prove otherwise.", fri)
    assert (row["value"], row["future"], row["text"]) == ("2022-06", True, "starting in June")
    # A past "in June" read in May 2022 is June 2021; "in March" is March 2022.
    assert one("The order was signed in June after a review.", fri)["value"] == "2021-06"
    assert one("The order was signed in March after a review.", fri)["value"] == "2022-03"
    assert one("The ban takes effect next June.", fri)["value"] == "2022-06"


def test_future_flags() -> None:
    row = one("The company is planning to relaunch the deal as soon as this month.")
    assert (row["text"], row["value"], row["future"]) == ("as soon as this month", "2021-12", True)
    row = one("The IPO had been expected for later this week.")
    assert (row["precision"], row["future"]) == ("range", True)
    assert one("Officials are planning to discuss this month a proposal.")["future"] is True
    assert one("Shares fell last month.")["future"] is False


@pytest.mark.parametrize("sentence,value,future", [
    # Future cue before the weekday, or after it in the same clause -> the next Friday.
    ("On Friday, the committee will vote.", "2021-12-17", True),
    ("The committee on Friday will vote.", "2021-12-17", True),
    # The cue belongs to another clause -> the Friday before publication.
    ("On Friday, the committee voted and will meet again.", "2021-12-10", False),
    ("The firm will appeal, it said on Friday.", "2021-12-10", False),
])
def test_future_cue_scope(sentence: str, value: str, future: bool) -> None:
    row = one(sentence)
    assert (row["value"], row["future"]) == (value, future)


def test_over_the_next_year_is_not_anaphoric() -> None:
    rows = resolve("In 2019, it grew. Sales will rise over the next year.")
    assert [r["basis"] for r in rows] == ["explicit", "relative to published 2021-12-13"]


def test_vague() -> None:
    row = one("The firm was recently hit with sanctions.")
    assert (row["precision"], row["range_start"], row["range_end"]) == (
        "vague", "2021-09-13", "2021-12-13")
    row = one("Markets fell in recent months.")
    assert (row["text"], row["range_start"], row["range_end"]) == (
        "in recent months", "2021-06-13", "2021-12-13")


# ---------------------------------------------------------------- anaphoric
def test_anaphoric_year_and_month() -> None:
    rows = resolve("In October 2019, the list grew. The same month, a firm sued. "
                   "Two years later, it settled.")
    assert [(r["text"], r["value"], r["basis"]) for r in rows] == [
        ("In October 2019", "2019-10", "explicit"),
        ("The same month", "2019-10", "anaphoric: month of previous expression (2019-10)"),
        ("Two years later", "2021", "anaphoric: 2 years after previous expression (2019-10)"),
    ]


def test_anaphoric_day_and_clipped_year() -> None:
    rows = resolve("On June 5, 2019, the list grew. The following day, a firm sued.")
    assert rows[1]["value"] == "2019-06-06"
    assert rows[1]["basis"] == "anaphoric: 1 day after previous expression (2019-06-05)"
    rows = resolve("On June 5, 2019, the list grew. Earlier that year, a firm sued.")
    assert (rows[1]["precision"], rows[1]["range_start"], rows[1]["range_end"]) == (
        "range", "2019-01-01", "2019-06-05")


def test_anaphoric_without_usable_anchor() -> None:
    row = one("A week later, the firm sued.")
    assert (row["value"], row["basis"]) == (None, "anaphoric: no previous expression")
    rows = resolve("In 2019, the list grew. A week later, the firm sued.")
    assert rows[1]["value"] is None
    assert rows[1]["basis"] == "anaphoric: previous expression (2019) too coarse"


# ---------------------------------------------------------------- no publication date
def test_no_publication_date() -> None:
    rows = resolve("On November 15, 2021, they met. It said yesterday it was sorry. "
                   "It was signed on Oct. 7 in Washington. The ban came on Friday.", None)
    assert [(r["value"], r["basis"]) for r in rows] == [
        ("2021-11-15", "explicit"), (None, "no publication date"),
        (None, "no publication date"), (None, "no publication date")]


# ---------------------------------------------------------------- guards
@pytest.mark.parametrize("sentence", [
    "Shares fell 10% in Shenzhen.",
    "Shares fell 10 per cent in Shenzhen.",
    "Sales reached $12.1 billion.",
    "The stock costs $12 a share.",
    "We regret to have been caught in the middle.",
    "Washington may impose new sanctions.",
    "Protesters March on the capital.",
    "Sun Yat-sen University is in Guangzhou.",
    "It has around 53,000 staff.",
    "It sells in more than 150 countries.",
    "Its IPO was cut from $2 billion to $767 million.",
    "The country has 1.4 billion citizens.",
    "It employs 2019 engineers in 2000 cities.",
    "The fund holds $2019 in cash.",
    "The fight against the COVID-19 outbreak continued.",
    "Nothing happened in 2200 or in 1850.",
    "The case number is 2019 and the file is lost.",
])
def test_guards(sentence: str) -> None:
    assert resolve(sentence) == []


def test_may_the_month_still_found() -> None:
    row = one("In May, the order was signed.", dt.date(2022, 5, 6))
    assert (row["text"], row["value"]) == ("In May", "2022-05")


# ---------------------------------------------------------------- errors and edge cases
def test_bad_inputs_raise_parameter_error() -> None:
    with pytest.raises(ParameterError, match="expected a Corpus"):
        time_expressions("seeds/")
    with pytest.raises(ParameterError, match="expected a sanctionlens Document"):
        resolve_document(42)
    bad = make_doc("On Friday it fell.")
    bad.published = "2021-12-13"  # type: ignore[assignment]
    with pytest.raises(ParameterError, match="published must be a datetime.date"):
        resolve_document(bad)


def test_empty_input_gives_typed_empty_frame() -> None:
    frame = time_expressions([])
    assert list(frame.columns) == COLUMNS and frame.empty


def test_list_of_documents_accepted(corpus: sl.Corpus) -> None:
    frame = time_expressions([corpus[D002]])
    assert frame.text.tolist() == SEED_TEXTS[D002]


# ---------------------------------------------------------------- fast paths = plain paths
# resolve_document matches each rule only at its trigger words and skips the future test where
# it cannot matter; these compare it with the plain per-rule scans on awkward text.
_AWKWARD = [
    "He said it will list this  past   June, or the coming\u00a0week, as soon as next week.",
    "During the last  few days and earlier in the\tsame year, on 31st of May 2019 it fell.",
    "It fell 3 of June, on\u00a0Friday, mid-2019, Oct. 7 and Sept. 30, 2021 (2019-05-06).",
    "Two weeks after, 12 months later, a year earlier, the following day: that year.",
    "Since October 2019, back in 2019, starting in June, as of 2020, in recent years.",
    "It is expected to close on Monday; the board had planned to vote on Tuesday.",
    "Over the next year, the previous week, this weekend, over the weekend, at the weekend.",
    "$2019 and No. 2019 are not years, 2019 sales are, and so is Good Friday's 5 years ago.",
    "Long    spaces before    May 5 and last     year stay on the plain path.",
    "Case-folding letters: laſt June, thıs week, dayſ ago, yesterday wıll matter.",
    "Words run on: May 5will, the weekly 2019x, holidays, Mondays and todays remain.",
    "Updated 09:42, 21-Jul-2020, 3rd-June-2019, 4-May 2020, 7 May-2021 and 2-Jul-20 remain.",
]


def _plain_rows(doc: Document, future: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    import sanctionlens.extract.temporal as temporal

    with monkeypatch.context() as m:
        m.setattr(temporal, "_sentence_safe", lambda text: False)  # full scan per rule
        return [dataclasses.astuple(t) for t in resolve_document(doc, future=future)]


def _awkward_docs() -> list[Document]:
    import random

    rng = random.Random(20211213)
    docs = [make_doc(t, pub) for t in _AWKWARD
            for pub in (dt.date(2021, 12, 13), dt.date(2020, 2, 29), None)]
    words = " ".join(_AWKWARD).split(" ")
    for k in range(120):  # shuffled words, sentences cut at arbitrary places (mid-word too)
        text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 60)))
        cuts = sorted(rng.sample(range(1, len(text)), min(4, len(text) - 1)))
        bounds = [0, *cuts, len(text)]
        sents = [Sentence(i, a, b, text[a:b], 0) for i, (a, b) in
                 enumerate(zip(bounds, bounds[1:], strict=False))]
        docs.append(Document(id=f"a{k}", path=Path("a.txt"), title="a",
                             published=dt.date(2022, 5, 6), text=text,
                             paragraphs=[(0, len(text))], sentences=sents))
    return docs


def test_anchored_matching_equals_full_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _awkward_docs()
    total = 0
    for doc in docs:
        fast = [dataclasses.astuple(t) for t in resolve_document(doc)]
        assert fast == _plain_rows(doc, True, monkeypatch), doc.text
        total += len(fast)
    assert total > 200  # the texts are full of expressions


def test_future_false_keeps_values(corpus: sl.Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    for doc in [*corpus.documents, *_awkward_docs()]:
        full = [dataclasses.astuple(t)[:-1] for t in resolve_document(doc)]
        fast = [dataclasses.astuple(t)[:-1] for t in resolve_document(doc, future=False)]
        assert fast == full, doc.text
        plain = [r[:-1] for r in _plain_rows(doc, False, monkeypatch)]
        assert fast == plain, doc.text


def test_letters_that_ignorecase_folds_to_ascii_do_not_crash():
    # re.IGNORECASE matches "ſ" to "s" and "ı" to "i"; str.lower() does not map them, and
    # looking the matched word up in the rule tables used to raise KeyError.
    rows = resolve("Yesterday, or yeſterday, he returned ſix days ago.")  # published Mon
    assert [(r["text"], r["value"]) for r in rows] == [
        ("Yesterday", "2021-12-12"), ("yeſterday", "2021-12-12"), ("ſix days ago", "2021-12-07")]


def test_lowered_text_from_the_tagger_gives_the_same_expressions(corpus):
    from sanctionlens.extract.tagging import fold

    docs = [*corpus.documents,
            make_doc("On\u00a0Friday—“last week”—the ban ‘began’ 3\u00a0days ago, in May 2019.")]
    for doc in docs:
        assert resolve_document(doc, lowered=fold(doc.text)) == resolve_document(doc)
    assert len(resolve_document(docs[-1])) == 4


def test_trigger_hits_from_another_automaton_give_the_same_expressions(corpus):
    import ahocorasick
    from sanctionlens.extract.tagging import fold
    from sanctionlens.extract.temporal import trigger_words

    auto = ahocorasick.Automaton()
    for word, payload in trigger_words(cues=False).items():
        auto.add_word(word, payload)
    auto.make_automaton()
    for doc in corpus.documents:
        lowered = fold(doc.text)
        hits = list(auto.iter(lowered))[::-1]  # any order
        assert resolve_document(doc, future=False, lowered=lowered, trigger_hits=hits) \
            == resolve_document(doc, future=False)
    with pytest.raises(ParameterError, match="pass lowered"):
        resolve_document(corpus.documents[0], trigger_hits=[])
    with pytest.raises(ParameterError, match="keeps the length"):
        resolve_document(corpus.documents[0], lowered="too short")


def test_spaces_table_holds_every_unicode_space():
    from sanctionlens.extract.temporal import SPACES

    assert SPACES == "".join(c for c in map(chr, range(0x110000)) if c.isspace())
