"""Publication date, title and outlet read from article text, each with its basis."""

from __future__ import annotations

import datetime as dt

import pytest
from sanctionlens.ingest.metadata import Hints, infer, year_for

TODAY = dt.date(2026, 11, 25)
LEAD = ("The Commerce Department added 36 companies to the Entity List on Thursday, saying "
        "they support military modernization.")


@pytest.mark.parametrize("text,expected,basis", [
    ("Headline about export rules here\n\nPublished December 13, 2021\nUpdated December 14, "
     f"2021\n\n{LEAD}", dt.date(2021, 12, 13), "Published"),
    (f"Headline about export rules here\n\nUpdated May 23, 2020 8:13 AM ET\n\n{LEAD}",
     dt.date(2020, 5, 23), "update"),
    (f"Headline about export rules here\n\nMay 23, 2020 8:13 AM ET\n\n{LEAD}",
     dt.date(2020, 5, 23), "date line"),
    (f"BEIJING, May 5, 2022 (Xinhua) -- {LEAD}", dt.date(2022, 5, 5), "wire dateline"),
    (f"{LEAD}\n\nFederal Register / Vol. 84, No. 196 / Wednesday, October 9, 2019 / Rules",
     dt.date(2019, 10, 9), "Federal Register header"),
    (f"{LEAD}\n\n[FR Doc. 2019-22210 Filed 10-8-19; 8:45 am]", dt.date(2019, 10, 9), "FR Doc"),
    (f"{LEAD} The rule is scheduled to be published in the Federal Register on 10/09/2019.",
     dt.date(2019, 10, 9), "Federal Register"),
])
def test_stated_dates(text, expected, basis):
    inf = infer(text, today=TODAY)
    assert inf.published == expected and inf.published_precision == "day"
    assert basis in inf.published_basis


def test_wire_dateline_year_from_content_and_weekday():
    text = ("WASHINGTON, Dec 15 (KUNA) -- The department added Thursday 36 entities to the "
            "list, after rules it issued in October 2022 on advanced chips.")
    inf = infer(text, today=TODAY)
    assert inf.published == dt.date(2022, 12, 15) and "inferred" in inf.published_basis
    assert inf.outlet == "KUNA" and "wire dateline" in inf.outlet_basis
    # No year in the text: the weekday picks the latest fitting year up to today.
    assert year_for((12, 15), "added Thursday", "The agency added Thursday 36 firms.",
                    TODAY)[0] == 2022
    # A dateline before the latest event the text reports moves to the next year.
    assert year_for((7, 17), "passed the review in September 2021.", "It listed.",
                    TODAY)[0] == 2022
    # "N months after <Month YYYY>" implies a later date.
    assert year_for((7, 17), "in 22 months after passing the review in September 2021",
                     "It listed.", TODAY)[0] == 2023


def test_no_year_anywhere_leaves_the_date_unknown():
    inf = infer("WASHINGTON, Jan 7 — The department added two firms to a list required by "
                "the National Defense Authorization Act for fiscal year 2021.", today=TODAY)
    assert inf.published is None and inf.published_basis.startswith("unknown")


def test_url_date_and_host_outlet():
    inf = infer(LEAD, Hints(url="https://www.reuters.com/world/2021/12/13/story-slug/"),
                today=TODAY)
    assert inf.published == dt.date(2021, 12, 13) and "URL" in inf.published_basis
    assert inf.outlet == "Reuters" and "URL host" in inf.outlet_basis


def test_estimates_are_flagged_and_leave_published_empty():
    inf = infer("Firms hit by new rule\n\nThe Pentagon added the drone maker to its list on "
                "October 5, 2022, along with a dozen other firms, officials said.", today=TODAY)
    assert inf.published is None and inf.published_estimate == "2022-10"
    assert inf.published_precision == "month" and inf.published_basis.startswith("estimate")
    cr = infer(f"{LEAD}\n\n©2022 Bloomberg L.P.", today=TODAY)
    assert cr.published is None and cr.published_estimate == "2022"
    assert cr.published_precision == "year"


def test_title_skips_page_furniture():
    text = ("Skip to main content\nView original document\nArticle content\n"
            "FILE PHOTO: A flag flies outside an office in Beijing, China, May 5, 2022. "
            "REUTERS/Staff/File Photo\n"
            "U.S. adds sensor maker to export blacklist over military ties\n"
            "By Jane Doe\n" + LEAD)
    inf = infer(text, today=TODAY)
    assert inf.title == "U.S. adds sensor maker to export blacklist over military ties"
    assert inf.title_basis.startswith("headline")
    assert inf.authors == "Jane Doe"


def test_byline_via_outlet():
    inf = infer(f"Authored by Lily Zhou via The Epoch Times,\n\n{LEAD}", today=TODAY)
    assert inf.outlet == "The Epoch Times" and inf.authors == "Lily Zhou"
