"""Time-expression rules about how news and releases write dates, on sentences written for
these tests: reported futures ("said ... would ... on Thursday"), effect dates in the present
tense, fiscal-year names, page labels glued to a date."""

from __future__ import annotations

import datetime as dt

from test_temporal import one, resolve

WED = dt.date(2022, 3, 2)  # a Wednesday


def test_reported_future_weekday_is_the_coming_one() -> None:
    row = one("A newspaper said the agency would name the firms on Friday.", WED)
    assert row["value"] == "2022-03-04"


def test_would_in_a_conditional_is_no_future() -> None:
    row = one("If the rule passes, it would hurt the firm, which has been listed since "
              "October 2019.", WED)
    assert row["value"] == "2019-10" and not row["future"]


def test_present_tense_effect_date_comes_next_when_the_last_was_long_ago() -> None:
    assert one("The order goes into effect on August 2.", dt.date(2022, 6, 3))["value"] == \
        "2022-08-02"
    # a few days back stays in the past, whatever the tense
    assert one("The listings take effect on May 30.", dt.date(2022, 6, 3))["value"] == \
        "2022-05-30"
    # a past sentence keeps the last such day
    assert one("It was signed on Aug. 2 in Washington.", dt.date(2022, 6, 3))["value"] == \
        "2021-08-02"


def test_fiscal_year_name_is_not_a_date() -> None:
    assert resolve("The list was first required by the fiscal 2003 defense law.", WED) == []


def test_a_page_label_glued_to_a_date() -> None:
    row = one("Effective DateFeb 9, 2022", WED)
    assert (row["text"], row["value"]) == ("Feb 9, 2022", "2022-02-09")
