"""Time-expression rules about how news is written, on sentences written for these tests:
a past verb before a weekday, schedules, and wire datelines written before the page date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sanctionlens.extract.temporal import resolve_document
from sanctionlens.ingest.metadata import dateline_day
from test_events import corpus


def _values(tmp_path: Path, text: str, published: str) -> dict[str, str | None]:
    doc = corpus(tmp_path, {"t1": (published, text)}).documents[0]
    return {x.text: x.value for x in resolve_document(doc)}


def test_a_past_verb_before_a_weekday_is_the_past(tmp_path: Path) -> None:
    got = _values(tmp_path, "The United States confirmed on Friday it will add dozens of "
                  "Chinese companies to a trade blacklist.", "2020-12-18")
    assert got["on Friday"] == "2020-12-18"


def test_a_schedule_points_forward(tmp_path: Path) -> None:
    got = _values(tmp_path, "The rule is scheduled to be published in the Federal Register on "
                  "August 24. The restrictions begin on Friday.", "2022-08-23")
    assert got["on August 24"] == "2022-08-24"
    assert got["on Friday"] == "2022-08-26"


def test_relative_days_count_from_the_wire_dateline(tmp_path: Path) -> None:
    text = ("(Yicai Global) Oct. 9 -- Hikvision said yesterday that the US move would have "
            "little impact.")
    assert _values(tmp_path, text, "2019-10-10")["yesterday"] == "2019-10-08"
    assert dateline_day(text, dt.date(2019, 10, 10)) == dt.date(2019, 10, 9)
    assert dateline_day(text, dt.date(2019, 10, 30)) is None  # too far: not the writing day
    assert dateline_day("BEIJING, Dec 30 (Reuters) - X", dt.date(2020, 1, 1)) == \
        dt.date(2019, 12, 30)


def test_a_story_goes_on_from_publication_after_a_deadline(tmp_path: Path) -> None:
    text = ("It forces investors to divest their holdings on November 11, 2021. In February, "
            "Xiaomi sued the government.")
    assert _values(tmp_path, text, "2021-03-15")["In February"] == "2021-02"


def test_a_month_between_a_determiner_and_a_noun(tmp_path: Path) -> None:
    got = _values(tmp_path, "Its stock fell to the lowest level since its July debut. The firms "
                  "were sanctioned under a June presidential order. A June Smith spoke.",
                  "2021-09-28")
    assert got["July"] == "2021-07" and got["June"] == "2021-06"
    doc = corpus(tmp_path, {"t2": ("2021-09-28", "A June Smith spoke.")}).documents[0]
    assert resolve_document(doc) == []  # a name, not a month


def test_a_pages_day_month_year_with_hyphens(tmp_path: Path) -> None:
    got = _values(tmp_path, "Updated 09:42, 21-Jul-2020. Shares rose 5-10% in 2020.", "2020-07-21")
    assert got["21-Jul-2020"] == "2020-07-21"
    assert "5-10" not in " ".join(got)


def test_a_month_after_for(tmp_path: Path) -> None:
    got = _values(tmp_path, "China reported weaker industrial output for April this week.",
                  "2019-05-17")
    assert got["April"] == "2019-04"
