"""Time expressions in news text, resolved to ISO dates against each article's publication date.

Plain regular expressions and ``datetime``; no third-party date parser.

Rules (each row's ``basis`` column says which one applied):

* **explicit** -- the text names the calendar: ``November 15, 2021``, ``Oct 7, 2019``,
  ``October 2019``, ``in 2019``, ``2021 sales``, ``2021-12-10``. A month-day without a year
  (``Oct. 7``) takes its year from the publication date: the most recent such day on or
  before publication, or the next one on or after it when the sentence is about the future.
* **relative to published** -- ``yesterday``, ``today``, ``three days ago``, ``last year``,
  ``this month``, ``later this week``, ``Last June``, ``starting in June``, ``over the
  weekend``, weekdays. A weekday is, by news convention, the most recent such day on or
  before publication (the publication day counts), or the next one after it when the
  sentence is about the future. Weeks run Monday to Sunday. ``over the weekend`` is the
  most recent Saturday-Sunday whose Saturday precedes the publication day.
* **anaphoric** -- ``earlier that year``, ``the same month``, ``that year``, ``a week later``,
  ``the following day``: the anchor is the previous *resolved* expression of the same
  document (value not None, precision not vague), which in news prose is the event the
  sentence continues from (e.g. "announced the ban on Friday ... due a week later"); a range
  anchors on its first day. An anchor coarser than the step ("In 2019 ... a week later")
  gives value None and says so in ``basis``.
* **vague** -- ``recently``, ``in recent months``, ``in recent years``: a range ending on the
  publication day and reaching back a conventional span (``RECENT_WINDOWS``); ``value`` is
  the first day of that range. Without a publication date, value and range are None.

A sentence is about the future when the expression itself points forward (``later this``,
``next``, ``as soon as``, ``starting in <month>``), when a future cue (``will``, ``expected
to``, ``planning to``, ...; not in the past perfect "had planned") precedes it in the same
sentence after the last reporting verb, or follows it in the same clause; the ``future``
column is also True when the resolved date lies after publication. Without a publication
date, relative expressions get value None and basis ``"no publication date"``.
``resolve_document(doc, future=False)`` skips the future test where the resolution does not
need it (same values, faster; the ``future`` field is then not meaningful).

Speed: one Aho-Corasick pass over the lower-cased text finds the trigger words of each
sentence; a rule is tried only in sentences holding its trigger words, and only at the
positions where one of its matches can start (see ``_candidates_anchored``), which gives
exactly the matches of a full scan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import NamedTuple

import ahocorasick
import pandas as pd

from ..errors import ParameterError
from ..ingest.load import Corpus, Document
from ..ingest.metadata import dateline_day

__all__ = [
    "COLUMNS", "PRECISIONS", "RECENT_WINDOWS", "TimeExpression", "expressions",
    "resolve_document", "time_expressions", "trigger_words",
]

PRECISIONS = ("day", "month", "year", "range", "vague")
# How far back "recently" / "in recent <unit>" reach from the publication day (a convention).
RECENT_WINDOWS: dict[str, tuple[str, int]] = {
    "recently": ("months", 3), "lately": ("months", 3),
    "days": ("days", 7), "weeks": ("days", 28), "months": ("months", 6), "years": ("years", 3),
}


@dataclass(frozen=True)
class TimeExpression:
    """One time expression: its span in ``doc.text`` and its resolved value."""

    doc_id: str
    sentence_id: int
    start: int
    end: int
    text: str
    value: str | None
    precision: str
    basis: str
    range_start: str | None = None
    range_end: str | None = None
    future: bool = False


COLUMNS = [f.name for f in fields(TimeExpression)]

# --------------------------------------------------------------------------- patterns
SP = r"[^\S\n]+"  # spaces that do not cross a line (paragraph) break
# Every character str.isspace() accepts lies below U+3001 (U+3000 is the last one;
# tests/test_temporal.py checks the whole range), so the import need not scan 1.1M.
SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_SPACE_NOT_NEWLINE = SPACES.replace("\n", "")
MONTH_NAMES = ("January February March April May June July August September October "
               "November December").split()
_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
         "sept": 9, "oct": 10, "nov": 11, "dec": 12}
MONTH_FULL = "|".join(MONTH_NAMES)
# Month names are case-sensitive: "may" the verb is never May.
MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b)"
MONTH = rf"(?P<month>(?:{MONTH_FULL})\b|{MONTH_ABBR})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d%]|[.,]\d)"
YEAR = r"(?P<year>(?:19|20)\d\d|2100)(?![\d%]|[.,]\d)"
LEAD = (rf"(?:back{SP}in|(?:starting|beginning)(?:{SP}(?:in|on|from))?|as{SP}(?:soon|early|late)"
        rf"{SP}as|as{SP}of|in|on|since|by|until|till|from|before|after|during|through|throughout)")
# Words before a date that belong to the expression ("since October 2019", "Back in 2019"),
# matched backwards from the date (an optional prefix in the main pattern is slow).
PRE_BEFORE = re.compile(rf"(?:\b{LEAD}{SP})?(?:\b(?:early|late|mid){SP}|\bmid-)?$", re.I)
WEEKDAY_PRE_BEFORE = re.compile(
    rf"(?:\b(?:on|last|this|next|coming|by|until|since|from|early|late|(?:earlier|later){SP}on)"
    rf"{SP})?$", re.I)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# Nouns a bare year may modify ("2021 sales"); a year before them stands as a date.
YEAR_NOUNS = ("sales|revenues?|earnings|profits?|results|budget|elections?|reports?|filings?|"
              "figures|forecasts?|guidance|rules?|law|act|sanctions|census|survey|summit|"
              "Olympics|Games|season|fiscal|IPO|listing|levels?|annual|interim")
# Nouns that make a 4-digit number a quantity ("2000 employees").
COUNT_NOUNS = re.compile(
    r"[^\S\n]*(?:%|per[^\S\n]*cent|percent|(?:million|billion|trillion|thousand|hundred|"
    r"people|persons|staff|employees|workers|users|customers|clients|countries|cities|"
    r"companies|firms|units|cameras|devices|shares|stores|jobs|times|students|members|"
    r"yuan|dollars|euros|won|yen|rupees|pounds|tons|tonnes|km|miles|patents|products|"
    r"projects|cases|deaths|vehicles|words|pages|items|entities|citizens|sites)\b)", re.I)
YEAR_EVIDENCE_BEFORE = re.compile(
    r"(?:\b(?:of|for|between|fiscal|year|circa|in|since|until|by|from|during)|©|\(c\))"
    r"[^\S\n]*$", re.I)
YEAR_LIST_BEFORE = re.compile(r"(?:19|20)\d\d[^\S\n]*(?:,|and|or|to|through|-|–)[^\S\n]*$")
MONTH_EVIDENCE_BEFORE = re.compile(r"\b(?:of|the|until|by|end|start|beginning|for)[^\S\n]*$",
                                   re.I)  # "output for April"
CURRENCY_BEFORE = re.compile(r"(?:[$€£¥#]|\b(?:US|HK|RMB|USD|HKD|CNY))[^\S\n]*$")
DURATION_BEFORE = re.compile(r"\b(?:over|within|for|during|in|throughout)[^\S\n]*$", re.I)
HOLIDAY_BEFORE = re.compile(r"\b(?:Good|Black|Cyber|Holy|Easter|Palm|Ash)[^\S\n]+$")

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)\b(?!-)")),
    # also a month glued to a page label before it ("PublishedJan 16, 2025")
    ("mdy", re.compile(rf"(?:\b|(?<=[a-z])){MONTH}{SP}{DAY}(?:,{SP}?|{SP}){YEAR}")),
    # also a page's "21-Jul-2020"
    ("dmy", re.compile(
        rf"\b(?P<day>[0-3]?\d)(?:(?:st|nd|rd|th)?{SP}(?:of{SP})?|-){MONTH}(?:,?{SP}|-){YEAR}")),
    ("my", re.compile(rf"\b{MONTH}(?:{SP}of)?,?{SP}{YEAR}")),
    ("md", re.compile(rf"\b{MONTH}{SP}{DAY}")),
    ("dm", re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?{SP}(?:of{SP})?{MONTH}")),
    ("month_rel", re.compile(
        rf"\b(?P<mod>(?i:last|this|next|coming|this{SP}past)){SP}(?P<month>{MONTH_FULL})\b")),
    ("month", re.compile(rf"\b(?P<month>{MONTH_FULL})\b(?![^\S\n]*\d)")),
    ("year", re.compile(
        rf"\b{YEAR}(?P<post>(?=['’]s\b|{SP}(?:{YEAR_NOUNS})\b))?")),
    ("weekday", re.compile(
        rf"\b(?P<wd>{'|'.join(WEEKDAYS)})\b")),
    ("fixed_day", re.compile(r"\b(?i:(?P<word>yesterday|today|tonight|tomorrow|overnight))\b")),
    ("unit_rel", re.compile(
        rf"\b(?i:(?P<mod>last|this|next|coming|the{SP}coming|this{SP}past|"
        rf"(?:earlier|later){SP}this|as{SP}(?:soon|early){SP}as{SP}(?:this|next)|"
        rf"over{SP}the|at{SP}the){SP}(?P<unit>week|weekend|month|year))\b(?!-)")),
    ("offset", re.compile(
        rf"\b(?i:(?P<n>\d{{1,3}}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
        rf"twelve){SP}(?P<unit>day|week|month|year)s?{SP}(?P<dir>ago|later|earlier|before|after))"
        r"\b")),
    ("vague", re.compile(
        rf"\b(?i:(?:(?:in|over|during){SP}(?:the{SP})?)?(?:recent|past{SP}few|last{SP}few)"
        rf"{SP}(?P<unit>days|weeks|months|years))\b")),
    ("vague_word", re.compile(r"\b(?i:(?P<word>recently|lately))\b")),
    ("ana_same", re.compile(
        rf"\b(?i:(?P<mod>(?:earlier|later|early|late){SP}(?:in{SP})?)?(?:that|the{SP}same)"
        rf"{SP}(?P<unit>year|month|week|day))\b(?!-)")),
    ("ana_next", re.compile(
        rf"\b(?i:the{SP}(?P<dir>following|next|previous|prior){SP}(?P<unit>day|week|month|year))"
        r"\b(?!-)")),
]
# What a text must contain for a rule to have a chance (see _rules_for).
_NEEDS: dict[str, tuple[str, ...]] = {
    "iso": ("year4",), "mdy": ("year4", "month"), "dmy": ("year4", "month"),
    "my": ("year4", "month"), "md": ("digit", "month"), "dm": ("digit", "month"),
    "month_rel": ("month",), "month": ("month",), "year": ("year4",), "weekday": ("weekday",),
    "fixed_day": ("fixed",), "unit_rel": ("unit",), "offset": ("unit",), "vague": ("vague",),
    "vague_word": ("vague_word",), "ana_same": ("unit",), "ana_next": ("unit",),
}
_MONTH_TOKENS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())
_GATE = re.compile(r"\d+|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
                   r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?i:yesterday|today|overnight|"
                   r"tonight|tomorrow|day|week|month|year|recently|recent|lately|few)")
_WEEKDAY_TOKENS = frozenset(w.lower() for w in WEEKDAYS)
_TAKES_PRE = frozenset({"iso", "mdy", "dmy", "my", "md", "dm", "month", "year"})
_PRIORITY = {name: i for i, (name, _) in enumerate(_RULES)}
SPEECH = re.compile(r"\b(?:said|says|say|saying|told|announced|announces|statement|reported|"
                    r"reports|wrote|added|noted)\b", re.I)
SPEECH_JUST_BEFORE = re.compile(
    r"\b(?:said|says|saying|told|announced|statement|reported|wrote|added|noted)[^\S\n]*$", re.I)
# A month-day without a year in a sentence that says in the present tense when something takes
# effect ("The order goes into effect on August 2") is the last such day before publication,
# unless that was more than half a year ago and the next one comes within three months.
_EFFECT_PRESENT = re.compile(
    r"\b(?:takes?|goes|go|comes?)[^\S\n]+(?:into[^\S\n]+)?(?:effect|force)\b|"
    r"\b(?:is|are|becomes?)[^\S\n]+effective\b", re.I)
NEAR_PAST_DAYS = 183
NEAR_FUTURE_DAYS = 92
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won['’]t|would|(?:is|are|was|were|be|been)\s+(?:expected|due|set|scheduled|"
    r"slated|poised|going)\s+to|expected\s+(?:to|for|in|on|by|as)|plan(?:s|ning)?\s+to|"
    r"intend(?:s|ing)?\s+to|aims?\s+to|upcoming|forthcoming|"
    # "a document scheduled to be published on August 24"; "restrictions begin on Friday"
    r"(?:scheduled|slated|set)\s+to\s+(?:be|take|go|come|begin|start)|due\s+to\s+be|"
    r"(?:begin|start)s?(?=\s+(?:on|in|at|from|next|this)\b|\s*$))\b", re.I)
PAST_PERFECT = re.compile(r"\bhad\s+(?:been\s+)?$", re.I)
CLAUSE_END = re.compile(
    r"[,;:]|\b(?:and|but|while|although|though|because|which|who|after|before)\b|"
    + SPEECH.pattern, re.I)


# --------------------------------------------------------------------------- calendar helpers
def _month_end(y: int, m: int) -> dt.date:
    return _add_months(dt.date(y, m, 1), 1) - dt.timedelta(days=1)


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    first = dt.date(d.year + y, m + 1, 1)
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first.replace(day=min(d.day, (nxt - first).days))


def _add_years(d: dt.date, n: int) -> dt.date:
    return _add_months(d, 12 * n)


def _week_start(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _on_or_before(d: dt.date, wd: int) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() - wd) % 7)


def _before(d: dt.date, wd: int) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() - wd - 1) % 7 + 1)


def _after(d: dt.date, wd: int) -> dt.date:
    return d + dt.timedelta(days=(wd - d.weekday() - 1) % 7 + 1)


def _iso(d: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    if name in MONTH_NAMES:
        return MONTH_NAMES.index(name) + 1
    return _ABBR[name.lower()]


# --------------------------------------------------------------------------- resolution
class _Res(NamedTuple):
    """A resolved value; its first five fields are TimeExpression's value..range_end."""

    value: str | None
    precision: str
    basis: str
    range_start: str | None = None
    range_end: str | None = None
    first_day: dt.date | None = None  # earliest day covered, for anchors and the future flag


class _Anchor(NamedTuple):
    day: dt.date
    precision: str  # day, month or year
    label: str
    explicit: bool = False  # spelled out with its year
    sentence: int = -1


_FINER = {"day": 0, "month": 1, "year": 2}


def _point(d: dt.date, precision: str, basis: str) -> _Res:
    return _Res(_iso(d, precision), precision, basis, first_day=d)


def _span(a: dt.date, b: dt.date, basis: str, precision: str = "range") -> _Res:
    return _Res(a.isoformat(), precision, basis, a.isoformat(), b.isoformat(), first_day=a)


def _none(precision: str, basis: str) -> _Res:
    return _Res(None, precision, basis)


class _Context:
    """What the steps know about the document: publication day, dateline, previous anchor."""

    def __init__(self, published: dt.date | None, ahead: bool = False):
        self.pub = published
        self.ahead = ahead  # datelined in a time zone ahead of the publication date's
        self.prev: _Anchor | None = None
        self.sentence = -1  # sentence id of the expression being resolved
        self.quoted = False  # the expression stands inside a quotation
        self.opens_sentence = False  # "In October, ..." at the start of its sentence
        self.effect_ahead = False  # the sentence says in the present when something takes effect
        self.rel_basis = (f"relative to published {published.isoformat()}" if published
                          else "no publication date")


class _ExplicitSteps(_Context):
    """Dates the text spells out, with the year from the publication date where it lacks one."""

    def explicit_day(self, y: int, m: int, d: int) -> _Res:
        try:
            return _point(dt.date(y, m, d), "day", "explicit")
        except ValueError:
            return _none("day", f"explicit: not a calendar date ({y:04d}-{m:02d}-{d:02d})")

    def month_day(self, m: int, d: int, future: bool) -> _Res:
        if self.pub is None:
            return _none("day", "no publication date")
        basis = f"explicit month-day; year from published {self.pub.isoformat()}"
        found = None
        for y in ((self.pub.year, self.pub.year + 1) if future
                  else (self.pub.year, self.pub.year - 1)):
            try:
                cand = dt.date(y, m, d)
            except ValueError:
                continue
            if (cand >= self.pub) if future else (cand <= self.pub):
                found = cand
                break
        if found is None:
            return _none("day", f"explicit: not a calendar date (--{m:02d}-{d:02d})")
        ahead = self._soon_after(m, d)
        if not future and self.effect_ahead and ahead is not None and \
                (self.pub - found).days > NEAR_PAST_DAYS:
            return _point(ahead, "day", basis + "; the coming one (the last was long ago)")
        return _point(found, "day", basis)

    def _soon_after(self, m: int, d: int) -> dt.date | None:
        """The month-day within NEAR_FUTURE_DAYS after publication, if there is one."""
        assert self.pub is not None
        for y in (self.pub.year, self.pub.year + 1):
            try:
                cand = dt.date(y, m, d)
            except ValueError:
                continue
            if self.pub < cand <= self.pub + dt.timedelta(days=NEAR_FUTURE_DAYS):
                return cand
        return None

    def bare_month(self, m: int, mod: str, future: bool) -> _Res:
        narrative = self.narrative_month(m, mod)
        if narrative is not None:
            return narrative
        if self.pub is None:
            return _none("month", "no publication date")
        p = self.pub
        if mod == "last":
            y = p.year if m < p.month else p.year - 1
        elif mod in ("next", "coming"):
            y = p.year if m > p.month else p.year + 1
        elif mod in ("this", "this past"):
            y = p.year
        elif future:
            y = p.year if m >= p.month else p.year + 1
        else:
            y = p.year if m <= p.month else p.year - 1
        return _point(dt.date(y, m, 1), "month", self.rel_basis)

    def narrative_month(self, m: int, mod: str) -> _Res | None:
        """"In October, ..." opening a sentence right after one dated explicitly (with its
        year) continues that story: the first such month on or after the previous date."""
        a = self.prev
        if mod or not self.opens_sentence or a is None or not a.explicit or \
                a.sentence not in (self.sentence, self.sentence - 1) or a.precision == "year":
            return None
        y = a.day.year if m >= a.day.month else a.day.year + 1
        if self.pub is not None and a.day > self.pub and dt.date(y, m, 1) > self.pub:
            return None  # after a deadline still to come ("divest by November 11, 2021"), the
            # story goes on from the publication day, not from the deadline
        return _point(dt.date(y, m, 1), "month",
                      f"narrative: month after previous expression ({a.label})")


class _RelativeSteps(_Context):
    """Words counted from the publication day: weekdays, today, last week, three days ago."""

    def weekday(self, wd: int, mod: str, future: bool) -> _Res:
        if self.pub is None:
            return _none("day", "no publication date")
        basis = self.rel_basis
        if mod == "last":
            d = _before(self.pub, wd)
        elif mod in ("next", "coming"):
            d = _after(self.pub, wd)
        elif mod == "this":
            d = _week_start(self.pub) + dt.timedelta(days=wd)
        elif future:
            d = _after(self.pub, wd)
        elif self.ahead and (self.pub + dt.timedelta(days=1)).weekday() == wd:
            d = self.pub + dt.timedelta(days=1)  # the dateline's local day is a day ahead
            basis += "; dateline's local day (a time zone ahead)"
        else:
            d = _on_or_before(self.pub, wd)
        return _point(d, "day", basis)

    def fixed_day(self, word: str) -> _Res:
        if self.pub is None:
            return _none("day", "no publication date")
        if word in ("today", "tonight") and self.quoted:
            spoken = self.speaker_day()
            if spoken is not None:
                return spoken
        shift = {"yesterday": -1, "overnight": -1, "today": 0, "tonight": 0,
                 "tomorrow": 1}[word]
        return _point(self.pub + dt.timedelta(days=shift), "day", self.rel_basis)

    def speaker_day(self) -> _Res | None:
        """A quoted "today" is the speaker's day: the day of the act the story reported just
        before (a day in the week before publication), else the publication day."""
        a = self.prev
        if a is None or a.precision != "day" or self.pub is None or \
                not 0 < (self.pub - a.day).days <= 6:
            return None
        return _point(a.day, "day", f"quoted: the speaker's day ({a.label})")

    def unit_rel(self, mod: str, unit: str, future: bool) -> _Res:
        precision = {"week": "range", "weekend": "range", "month": "month", "year": "year"}[unit]
        if self.pub is None:
            return _none(precision, "no publication date")
        step = {"last": -1, "next": 1, "coming": 1, "the coming": 1}.get(mod, 0)
        if mod.startswith("as ") and mod.endswith("next"):
            step = 1
        if unit == "weekend":
            return self.weekend(mod, future)
        if unit == "week":
            return self.week(mod, step)
        return self.month_or_year(mod, unit, step)

    def weekend(self, mod: str, future: bool) -> _Res:
        p = self.pub
        assert p is not None
        if mod in ("over the", "at the", "last", "this past") or (mod == "this" and not future
                                                                  and p.weekday() == 0):
            sat = _before(p, 5)
        elif mod in ("coming", "the coming") or (mod == "this" and future):
            sat = p if p.weekday() == 5 else _after(p, 5)
        elif mod == "next":
            sat = _week_start(p) + dt.timedelta(days=12)
        else:  # "this weekend": the Saturday-Sunday of the publication week
            sat = _week_start(p) + dt.timedelta(days=5)
        return _span(sat, sat + dt.timedelta(days=1), self.rel_basis)

    def week(self, mod: str, step: int) -> _Res:
        p, b = self.pub, self.rel_basis
        assert p is not None
        mon = _week_start(p) + dt.timedelta(days=7 * step)
        sun = mon + dt.timedelta(days=6)
        if mod.startswith("later"):
            return _span(p, sun, b)
        if mod.startswith("earlier"):
            return _span(mon, p, b)
        return _span(mon, sun, b)

    def month_or_year(self, mod: str, unit: str, step: int) -> _Res:
        p, b = self.pub, self.rel_basis
        assert p is not None
        if unit == "month":
            first = _add_months(p.replace(day=1), step)
            last = _month_end(p.year, p.month)
        else:
            first, last = dt.date(p.year + step, 1, 1), dt.date(p.year, 12, 31)
        if mod.startswith("later"):
            return _span(p, last, b)
        if mod.startswith("earlier"):
            return _span(first, p, b)
        return _point(first, unit, b)

    def ago(self, n: int, unit: str) -> _Res:
        precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
        if self.pub is None:
            return _none(precision, "no publication date")
        return _point(_shift(self.pub, unit, -n), precision, self.rel_basis)

    def vague(self, key: str) -> _Res:
        if self.pub is None:
            return _none("vague", "no publication date")
        unit, n = RECENT_WINDOWS[key]
        if unit == "days":
            first = self.pub - dt.timedelta(days=n)
        elif unit == "months":
            first = _add_months(self.pub, -n)
        else:
            first = _add_years(self.pub, -n)
        return _span(first, self.pub, f"{self.rel_basis}; 'recent' = {n} {unit} back",
                     precision="vague")


class _AnaphoricSteps(_Context):
    """Words counted from the previous resolved expression: "that year", "a week later"."""

    def _anchor_or_none(self, precision: str, need: str) -> _Res | _Anchor:
        a = self.prev
        if a is None:
            return _none(precision, "anaphoric: no previous expression")
        if _FINER[a.precision] > _FINER[need]:
            return _none(precision, f"anaphoric: previous expression ({a.label}) too coarse")
        return a

    def same(self, mod: str, unit: str) -> _Res:
        need = "day" if unit in ("day", "week") else unit
        a = self._anchor_or_none("range" if unit == "week" else unit, need)
        if isinstance(a, _Res):
            return a
        basis = f"anaphoric: {unit} of previous expression ({a.label})"
        if unit == "week":
            mon = _week_start(a.day)
            return _span(mon, mon + dt.timedelta(days=6), basis)
        if unit == "day":
            return _point(a.day, "day", basis)
        first = a.day.replace(day=1) if unit == "month" else a.day.replace(month=1, day=1)
        last = _month_end(first.year, first.month) if unit == "month" else first.replace(
            month=12, day=31)
        if mod and a.precision != unit:  # clip "earlier/later that <unit>" at the anchor day
            where = "earlier" if mod.startswith("earl") else "later"
            basis = f"anaphoric: {where} in {unit} of previous expression ({a.label})"
            return _span(first, a.day, basis) if where == "earlier" else _span(a.day, last, basis)
        return _point(first, unit, basis)

    def offset_from_anchor(self, n: int, unit: str, direction: str) -> _Res:
        precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
        a = self._anchor_or_none(precision, precision)
        if isinstance(a, _Res):
            return a
        sign = 1 if direction in ("later", "after", "following", "next") else -1
        word = "after" if sign > 0 else "before"
        label = f"{n} {unit}{'s' if n != 1 else ''}"
        return _point(_shift(a.day, unit, sign * n), precision,
                      f"anaphoric: {label} {word} previous expression ({a.label})")

    def remember(self, res: _Res) -> None:
        if res.value is None or res.first_day is None or res.precision == "vague":
            return
        precision = "day" if res.precision == "range" else res.precision
        label = res.value if res.precision != "range" else f"{res.range_start}..{res.range_end}"
        self.prev = _Anchor(res.first_day, precision, label, res.basis.startswith("explicit"),
                            self.sentence)


class _Resolver(_ExplicitSteps, _RelativeSteps, _AnaphoricSteps):
    """Resolves the expressions of one document in text order (anaphora need the order)."""


def _shift(d: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(days=7 * n)
    if unit == "month":
        return _add_months(d, n)
    return _add_years(d, n)


# --------------------------------------------------------------------------- matching
# A candidate is a plain tuple (start, end, rule, match, pre) -- many are made per document;
# ``pre`` holds the normalised words before the core match that belong to the expression.
_Cand = tuple[int, int, str, re.Match[str], str]


# Letters that ``re.IGNORECASE`` matches to ASCII ones but ``str.lower`` leaves alone
# ("yeſterday" matches ``(?i:yesterday)``): mapped before matched words are looked up.
_ASCII_FOLD = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"})


def _low(s: str | None) -> str:
    """A matched word in lower case, as a key of the tables above."""
    if not s:
        return ""
    return s.lower() if s.isascii() else s.translate(_ASCII_FOLD).lower()


def _norm(s: str | None) -> str:
    return " ".join(_low(s).split())


def _accept(rule: str, m: re.Match[str], text: str, pre: str) -> bool:
    """Guards: reject matches that are quantities, verbs or names rather than dates."""
    if rule in _NO_GUARD:
        return True
    before = text[max(0, m.start() - 40):m.start()]
    after = text[m.end():m.end() + 40]
    gd = m.groupdict()
    if "year" in gd and gd["year"] and not 1900 <= int(gd["year"]) <= 2100:
        return False
    if gd.get("day") and not 1 <= int(gd["day"]) <= 31:
        return False
    if rule in ("md", "dm", "iso", "mdy", "dmy", "year") and _ends_with(_CURRENCY_END, before):
        return False
    if rule in ("md", "dm") and COUNT_NOUNS.match(after):
        return False
    if rule == "md" and _DIGIT_AFTER.match(after):
        return False
    if rule == "month":  # a bare month name needs a preposition or "of/the" before it,
        # or a determiner before and a word after ("its July debut", "a June order")
        return bool(pre) or _ends_with(_MONTH_EVIDENCE_END, before) or (
            _DETERMINER_END.search(before) is not None and _WORD_AFTER.match(after) is not None)
    if rule == "year":
        if COUNT_NOUNS.match(after) or _NUMBER_AFTER.match(after):
            return False
        if _LAW_YEAR_BEFORE.search(before):
            return False  # "Act for Fiscal Year 1999", "NDAA of 2024": a name, not a date
        if before[-1:] in ("$", "€", "£", "¥", "#", "+", "-", "–", "/", ".", ",") and \
                not before.endswith(("-", "–")) or before.endswith(("No.", "no.", "#")):
            return False
        return bool(pre or gd["post"] is not None
                    or _ends_with(_YEAR_EVIDENCE_END, before) or YEAR_LIST_BEFORE.search(before))
    if rule == "weekday" and _ends_with(_HOLIDAY_END, before, space=True):
        return False
    if rule == "unit_rel" and _norm(gd["mod"]) in ("over the", "at the") and \
            _low(gd["unit"]) != "weekend":
        return False
    if rule == "ana_next" and _ends_with(_DURATION_END, before):
        return False  # "over the next year" is a span from now, not "the year after X"
    if rule == "offset" and _low(gd["dir"]) in ("before", "after") and \
            not _PUNCT_AFTER.match(after):
        return False  # "two days after the ban" is anchored on an event we cannot see
    return True


_DETERMINER_END = re.compile(r"\b(?:its|their|his|her|a|an)[^\S\n]+$")
_WORD_AFTER = re.compile(r"[^\S\n]+[a-z]")
_LAW_YEAR_BEFORE = re.compile(
    r"(?:\b(?:[Ff]iscal|FISCAL)(?:[^\S\n]+(?:[Yy]ear|YEAR))?|\bFY|\b(?:Act|ACT|NDAA|Law)[^\S\n]+of)"
    r"[^\S\n]*$")
_DIGIT_AFTER = re.compile(r"[^\S\n]*(?:,[^\S\n]*)?\d")
_NUMBER_AFTER = re.compile(r"[^\S\n]*(?:[-–/]\d|[.,]\d)")
_PUNCT_AFTER = re.compile(r"[^\S\n]*(?:[,.;:)”\"'’]|$)")


def _at_end(pattern: re.Pattern[str], longest: int) -> tuple[re.Pattern[str], int]:
    """``X[^\\S\\n]*$`` → (``X\\Z``, the most characters X matches): see _ends_with."""
    core = pattern.pattern.removesuffix("[^\\S\\n]*$").removesuffix("[^\\S\\n]+$")
    return re.compile(core + r"\Z", pattern.flags), longest


_CURRENCY_END = _at_end(CURRENCY_BEFORE, 3)  # "USD"
_MONTH_EVIDENCE_END = _at_end(MONTH_EVIDENCE_BEFORE, 9)  # "beginning"
_YEAR_EVIDENCE_END = _at_end(YEAR_EVIDENCE_BEFORE, 7)  # "between"
_HOLIDAY_END = _at_end(HOLIDAY_BEFORE, 6)  # "Easter"
_DURATION_END = _at_end(DURATION_BEFORE, 10)  # "throughout"


def _ends_with(end: tuple[re.Pattern[str], int], before: str, space: bool = False) -> bool:
    """``PATTERN.search(before)`` for PATTERN = ``X[^\\S\\n]*$`` (``+`` if ``space``), where X
    ends in a letter or sign and matches at most ``end[1]`` characters: strip the spaces
    (and the one final newline ``$`` may precede) and look for X at the very end only."""
    pattern, longest = end
    if before.endswith("\n"):
        before = before[:-1]
    stripped = before.rstrip(_SPACE_NOT_NEWLINE)
    if space and len(stripped) == len(before):
        return False
    return pattern.search(stripped, max(0, len(stripped) - longest)) is not None


# Rules none of whose guards in _accept can apply (no year or day group; no rule-specific test).
_NO_GUARD = frozenset({"fixed_day", "vague", "vague_word", "ana_same", "month_rel"})


# The gate as a bit mask: which kinds of trigger token a sentence holds.
_FLAG_NAMES = ("digit", "year4", "month", "weekday", "unit", "fixed", "vague", "vague_word")
_BIT = {name: 1 << k for k, name in enumerate(_FLAG_NAMES)}
_TOKEN_BITS: dict[str, int] = {
    **{t: _BIT["month"] for t in _MONTH_TOKENS}, **{t: _BIT["weekday"] for t in _WEEKDAY_TOKENS},
    **{t: _BIT["unit"] for t in ("day", "week", "month", "year")},
    **{t: _BIT["fixed"] for t in ("yesterday", "today", "tonight", "tomorrow")},
    "recent": _BIT["vague"], "few": _BIT["vague"],
    "recently": _BIT["vague_word"], "lately": _BIT["vague_word"],
    **{str(y): _BIT["digit"] | _BIT["year4"] for y in range(1900, 2101)},
}


def _mask(tokens: Iterable[str]) -> int:
    """The gate bits of a set of lower-cased trigger tokens (any digit string counts)."""
    tokens = set(tokens)
    return sum(bit for bit, on in zip(_BIT.values(), (
        any(t[0].isdigit() for t in tokens),
        any(len(t) == 4 and t[:2] in ("19", "20", "21") for t in tokens),
        not tokens.isdisjoint(_MONTH_TOKENS),
        not tokens.isdisjoint(_WEEKDAY_TOKENS),
        not tokens.isdisjoint(("day", "week", "month", "year")),
        not tokens.isdisjoint(("yesterday", "today", "tonight", "tomorrow", "overnight")),
        not tokens.isdisjoint(("recent", "few")),
        not tokens.isdisjoint(("recently", "lately")),
    ), strict=True) if on)


@functools.lru_cache(maxsize=256)
def _rules_for(mask: int) -> list[tuple[str, re.Pattern[str]]]:
    """The rules whose trigger words all occur (bits of ``mask``) in a sentence."""
    return [(rule, pattern) for rule, pattern in _RULES
            if all(mask & _BIT[need] for need in _NEEDS[rule])]


# Anchored matching. Every match of a rule starts either at one of its trigger words
# (``_AT``: a month name, a weekday, a year, ...) or a few words before one (``_BEFORE``: the
# words the rule puts in front of a month or unit word, found by searching backwards from the
# trigger). Trying ``pattern.match`` only at those starts, in text order and skipping starts
# inside the previous match, gives exactly ``pattern.finditer``'s matches: ``match(text, pos)``
# sees the whole string, so ``\b`` and look-arounds behave as in the full scan.
_AT = {"iso": "year", "year": "year", "mdy": "month", "my": "month", "md": "month",
       "month": "month", "weekday": "weekday", "fixed_day": "fixed", "vague_word": "vague_word"}
_DAY_BEFORE = re.compile(rf"\b[0-3]?\d(?:(?:st|nd|rd|th)?{SP}(?:of{SP})?|-)$")
_BEFORE: dict[str, tuple[str, re.Pattern[str]]] = {
    "dmy": ("month", _DAY_BEFORE),
    "dm": ("month", _DAY_BEFORE),
    "month_rel": ("month", re.compile(rf"\b(?i:last|this|next|coming|this{SP}past){SP}$")),
    "unit_rel": ("unit", re.compile(
        rf"\b(?i:last|this|next|coming|the{SP}coming|this{SP}past|(?:earlier|later){SP}this|"
        rf"as{SP}(?:soon|early){SP}as{SP}(?:this|next)|over{SP}the|at{SP}the){SP}$")),
    "offset": ("unit", re.compile(
        rf"\b(?i:\d{{1,3}}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
        rf"twelve){SP}$")),
    "vague": ("unit", re.compile(
        rf"\b(?i:(?:(?:in|over|during){SP}(?:the{SP})?)?(?:recent|past{SP}few|last{SP}few))"
        rf"{SP}$")),
    "ana_same": ("unit", re.compile(
        rf"\b(?i:(?:(?:earlier|later|early|late){SP}(?:in{SP})?)?(?:that|the{SP}same)){SP}$")),
    "ana_next": ("unit", re.compile(
        rf"\b(?i:the{SP}(?:following|next|previous|prior)){SP}$")),
}
assert set(_AT) | set(_BEFORE) == {rule for rule, _ in _RULES}
# From match start to trigger, the words of a _BEFORE rule hold at most 16 letters and 4 runs
# of spaces ("during the last few "); with runs of at most 3 spaces (else _sentence_safe
# fails) they fit in _BACK characters.
_BACK = 30
# The word just before the trigger (after one space) tells which _BEFORE rules can match.
_LAST_WORD: dict[str, dict[str, tuple[str, ...]]] = {"unit": {}, "month": {}}
for _words, _kind, _rule in (
        ("last this next coming past the", "unit", "unit_rel"),
        ("next following previous prior", "unit", "ana_next"),
        ("recent few", "unit", "vague"),
        ("that same", "unit", "ana_same"),
        (" ".join(NUMBER_WORDS), "unit", "offset"),
        ("last this next coming past", "month", "month_rel"),
        ("of", "month", "dm"), ("of", "month", "dmy")):
    for _w in _words.split():
        _LAST_WORD[_kind][_w] = (*_LAST_WORD[_kind].get(_w, ()), _rule)
_KIND_RULES = {kind: tuple(r for r, (k, _) in _BEFORE.items() if k == kind)
               for kind in ("unit", "month")}
_DIGIT_RULES = {"unit": ("offset",), "month": ("dm", "dmy")}
_DAY_SUFFIXES = ("st", "nd", "rd", "th")
# Sentences the anchored path does not handle take the plain per-rule scan: long runs of
# spaces, and the non-ASCII letters that match ASCII ones case-insensitively in ``re`` but
# not after ``str.lower`` (so the trigger scan on lower-cased text could miss them).
_LONG_SPACE = re.compile(r"[^\S\n]{4,}")
_FOLD_LETTERS = "\u0130\u0131\u017f\u212a"
_ODD_CHARS = re.compile("[" + "".join(
    c for c in SPACES if c not in " \n") + _FOLD_LETTERS + "]")


def _sentence_safe(text: str) -> bool:
    """No run of 4+ spaces and no case-folding letter in ``text`` (see above)."""
    if _ODD_CHARS.search(text) is None:  # the only spaces are " " and "\n"
        return "    " not in text
    return _LONG_SPACE.search(text) is None and not any(c in text for c in _FOLD_LETTERS)


def _before_rules(text: str, t: int, kind: str) -> tuple[str, ...]:
    """The _BEFORE rules of ``kind`` that can put words before the trigger at ``t``.

    Each needs spaces then one of its own last words before the trigger; unusual spacing or
    punctuation keeps them all (a superset is always safe).
    """
    if t < 2 or text[t - 1] != " ":
        if kind == "month" and text[t - 1] == "-" and text[t - 2].isdigit():
            return ("dmy",)  # "21-Jul-2020"
        return _KIND_RULES[kind] if t and text[t - 1].isspace() else ()
    word = text[text.rfind(" ", 0, t - 1) + 1:t - 1]
    if not (word.isascii() and word.isalnum()):
        return _KIND_RULES[kind]
    if word.isdigit() or (word[-2:].lower() in _DAY_SUFFIXES and word[:-2].isdigit()):
        return _DIGIT_RULES[kind]
    return _LAST_WORD[kind].get(word.lower(), ())


def _choose(found: list[_Cand]) -> list[_Cand]:
    """Leftmost, then longest, then earliest rule; no overlaps."""
    if len(found) < 2:  # most sentences with a trigger hold one expression
        return found
    found.sort(key=lambda c: (c[0], c[0] - c[1], _PRIORITY[c[2]]))
    chosen: list[_Cand] = []
    last_end = -1
    for c in found:
        if c[0] >= last_end:
            chosen.append(c)
            last_end = c[1]
    return chosen


def _take(rule: str, m: re.Match[str], text: str, found: list[_Cand]) -> None:
    """Add the words before ``m`` that belong to it, apply the guards, keep the candidate."""
    start, pre = m.start(), ""
    pre_re = _PRE_RE.get(rule)
    if pre_re is not None and _may_have_pre(text, start, rule):
        p = pre_re.search(text, max(0, start - 30), start)
        if p is not None and p.start() < start:
            start, pre = p.start(), _norm(p.group())
    if _accept(rule, m, text, pre):
        found.append((start, m.end(), rule, m, pre))


_PRE_RE = {rule: (WEEKDAY_PRE_BEFORE if rule == "weekday" else PRE_BEFORE)
           for rule in (*_TAKES_PRE, "weekday")}
# The last words of PRE_BEFORE / WEEKDAY_PRE_BEFORE (lower case): without one of them (or
# "mid-") just before a match, the search can only find the empty match.
_PRE_LAST_WORDS = frozenset(
    "in on from as of since by until till before after during through throughout starting "
    "beginning early late mid".split())
_WEEKDAY_PRE_LAST_WORDS = frozenset(
    "on last this next coming by until since from early late".split())


def _may_have_pre(text: str, start: int, rule: str) -> bool:
    """False when the words before ``start`` cannot belong to the expression (a cheap test)."""
    if start < 2 or text[start - 1] != " ":
        return start > 0  # "mid-", unusual spaces: search
    word = text[text.rfind(" ", 0, start - 1) + 1:start - 1]
    if not (word.isascii() and word.isalnum()):  # "ı" and "ſ" match "i" and "s" under re.I
        return True
    words = _WEEKDAY_PRE_LAST_WORDS if rule == "weekday" else _PRE_LAST_WORDS
    return word.lower() in words


def _candidates(text: str, mask: int | None = None) -> list[_Cand]:
    """The expressions of one sentence, by a full scan of each gated rule."""
    if mask is None:
        mask = _mask(t.lower() for t in _GATE.findall(text))
    found: list[_Cand] = []
    for rule, pattern in _rules_for(mask):
        for m in pattern.finditer(text):
            _take(rule, m, text, found)
    return _choose(found)


def _candidates_anchored(text: str, mask: int, anchors: dict[str, list[int]]) -> list[_Cand]:
    """Same as ``_candidates``, matching each gated rule only at its trigger words."""
    found: list[_Cand] = []
    before: dict[str, list[int]] | None = None
    for rule, pattern in _rules_for(mask):
        kind = _AT.get(rule)
        if kind is not None:
            starts = anchors.get(kind, ())
        else:
            if before is None:  # where the _BEFORE rules can start, for all of them at once
                before = {}
                for kind in ("unit", "month"):
                    for t in anchors.get(kind, ()):
                        for r in _before_rules(text, t, kind):
                            p = _BEFORE[r][1].search(text, t - _BACK if t > _BACK else 0, t)
                            if p is not None:
                                before.setdefault(r, []).append(p.start())
            starts = sorted(before.get(rule, ()))
        pos = 0
        for s in starts:
            if s < pos:
                continue
            m = pattern.match(text, s)
            if m is not None:
                pos = m.end()
                _take(rule, m, text, found)
    return _choose(found)


def _is_future(start: int, end: int, m: re.Match[str], pre: str, sent_text: str,
               cue: bool = True, speech_ends: list[int] | None = None) -> bool:
    """Does the sentence speak of the future at this expression?

    ``cue``: False when no word of _CUE_WORDS starts a word of ``sent_text`` (then
    FUTURE_CUE matches nowhere in it).
    ``speech_ends``: None or the ends of ``SPEECH.finditer(sent_text)`` (``_speech_ends``);
    those up to ``start`` are the matches in ``sent_text[:start]``, as an expression starts
    a word.
    """
    gd = m.groupdict()
    pre = pre or _norm(gd.get("mod"))
    if pre.startswith(("later this", "as soon as", "as early as", "next", "coming", "the coming",
                       "starting", "beginning")) or _low(gd.get("word")) == "tomorrow":
        return True
    if not cue and not (0 < end < len(sent_text) and _is_word(sent_text[end - 1])
                        and _is_word(sent_text[end])):
        return False  # (a word running on after the expression: "May 5will", look)
    before = sent_text[:start]
    # A cue after the last reporting verb is also a cue of ``before``: look there first.
    if FUTURE_CUE.search(before) is not None:
        if speech_ends is None:
            speech_ends = _speech_ends(sent_text)
        k = bisect.bisect_right(speech_ends, start)
        window = before[speech_ends[k - 1]:] if k else before
        for m in FUTURE_CUE.finditer(window):
            if m.group().lower() == "would" and not k:
                continue  # "would" is a future only as reported speech ("said it would")
            if not PAST_PERFECT.search(window[:m.start()]):
                return True
    if _speech_just_before(before) or _PAST_VERB_JUST_BEFORE.search(before):
        return False  # "said Monday it will ...", "confirmed on Friday it will ...": the day
        # is when it was said
    after = sent_text[end:].lstrip(" ,")  # "On Friday, the board will ..."
    stop = CLAUSE_END.search(after)
    after = after[:stop.start()] if stop else after
    return any(not PAST_PERFECT.search(after[:m.start()]) and m.group().lower() != "would"
               for m in FUTURE_CUE.finditer(after))


# A verb in the past tense right before the expression: "confirmed on Friday", "added Monday".
_PAST_VERB_JUST_BEFORE = re.compile(r"\b[a-z]{3,}ed[^\S\n]+(?:(?:on|last)[^\S\n]+)?$")
# Every FUTURE_CUE match starts with one of these words (lower case), or with is/are/was/were/
# be/been followed by one of them: a sentence where none starts a word has no cue.
_CUE_WORDS = ("will", "shall", "won", "would", "expected", "due", "set", "scheduled", "slated",
              "poised", "going", "plan", "intend", "aim", "upcoming", "forthcoming", "begin",
              "start")
_CUE_START = re.compile(rf"\b(?:{'|'.join(_CUE_WORDS)})")  # on lower-cased text


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _speech_ends(sent_text: str) -> list[int]:
    return [m.end() for m in SPEECH.finditer(sent_text)]


# SPEECH_JUST_BEFORE.search(before) without scanning all of ``before``: strip the spaces (and
# the one final newline ``$`` may precede), then look for the word at the very end.
_SPEECH_AT_END = re.compile(SPEECH_JUST_BEFORE.pattern.removesuffix(r"[^\S\n]*$") + r"\Z", re.I)


def _speech_just_before(before: str) -> bool:
    if before.endswith("\n"):
        before = before[:-1]
    before = before.rstrip(_SPACE_NOT_NEWLINE)
    return _SPEECH_AT_END.search(before, max(0, len(before) - 9)) is not None


def _needs_future(rule: str, m: re.Match[str]) -> bool:
    """Does the resolution of this match depend on the future flag (see _Resolver)?"""
    if rule == "month_rel":  # bare_month: only an unknown modifier ("laſt") looks at it
        return _norm(m["mod"]) not in ("last", "next", "coming", "this", "this past")
    return rule in _FUTURE_RULES or (rule == "unit_rel" and _low(m["unit"]) == "weekend")


_FUTURE_RULES = frozenset({"md", "dm", "month", "weekday"})


def _resolve(rule: str, m: re.Match[str], pre: str, r: _Resolver, future: bool) -> _Res:
    gd = m.groupdict()
    if rule == "iso":
        return r.explicit_day(int(gd["year"]), int(gd["mon"]), int(gd["day"]))
    if rule in ("mdy", "dmy"):
        return r.explicit_day(int(gd["year"]), _month_number(gd["month"]), int(gd["day"]))
    if rule == "my":
        return _point(dt.date(int(gd["year"]), _month_number(gd["month"]), 1), "month",
                      "explicit")
    if rule == "year":
        return _point(dt.date(int(gd["year"]), 1, 1), "year", "explicit")
    if rule in ("md", "dm"):
        return r.month_day(_month_number(gd["month"]), int(gd["day"]), future)
    if rule in ("month", "month_rel"):
        return r.bare_month(_month_number(gd["month"]), _norm(gd.get("mod")), future)
    if rule == "weekday":
        return r.weekday(WEEKDAYS.index(gd["wd"]), pre, future)
    if rule == "fixed_day":
        return r.fixed_day(_low(gd["word"]))
    if rule == "unit_rel":
        mod = _norm(gd["mod"])
        if mod.startswith(("as soon as", "as early as")):
            mod = "as " + mod.split()[-1]
        return r.unit_rel(mod, _low(gd["unit"]), future)
    if rule == "offset":
        n = _norm(gd["n"])
        count = int(n) if n.isdigit() else NUMBER_WORDS[n]
        unit, direction = _low(gd["unit"]), _low(gd["dir"])
        if direction == "ago":
            return r.ago(count, unit)
        return r.offset_from_anchor(count, unit, direction)
    if rule == "vague":
        return r.vague(_low(gd["unit"]))
    if rule == "vague_word":
        return r.vague(_low(gd["word"]))
    if rule == "ana_same":
        return r.same(_norm(gd["mod"]), _low(gd["unit"]))
    if rule == "ana_next":
        sign = "later" if _low(gd["dir"]) in ("following", "next") else "earlier"
        return r.offset_from_anchor(1, _low(gd["unit"]), sign)
    raise AssertionError(f"unhandled rule {rule}")  # pragma: no cover


# --------------------------------------------------------------------------- public API
_DIGITS = re.compile(r"\d+")
# Trigger words (lower case) → token; unit words must stand as whole words.
_TRIGGER_WORDS = {
    **{w: w for w in ("yesterday", "today", "tonight", "tomorrow", "recently", "recent",
                      "lately", "few")},
    "overnight": "today",  # the same kind of trigger: a fixed day from publication
    **{f"{u}{suffix}": u for u in ("day", "week", "month", "year") for suffix in ("", "s")},
    "weekend": "week",
    **{str(y): str(y) for y in range(1900, 2101)},  # years, as YEAR accepts them
}
_WHOLE_WORD = frozenset(w for w, tok in _TRIGGER_WORDS.items()
                        if tok in ("day", "week", "month", "year"))
_YEAR_WORDS = frozenset(str(y) for y in range(1900, 2101))
# Month abbreviations and weekdays are found on the lower-cased text too, then checked
# case-sensitively ("may" the verb is never May); anywhere, like _GATE ("Sept" holds "Sep").
_CASED_WORDS = (*(m[:3] for m in MONTH_NAMES), *WEEKDAYS)
# Which anchor list (see _AT/_BEFORE) a trigger token starts; "recent"/"few" start none.
_ANCHOR_KIND = {
    **{t: "month" for t in _MONTH_TOKENS}, **{t: "weekday" for t in _WEEKDAY_TOKENS},
    **{t: "unit" for t in ("day", "week", "month", "year")},
    **{t: "fixed" for t in ("yesterday", "today", "tonight", "tomorrow")},
    "recently": "vague_word", "lately": "vague_word", **{y: "year" for y in _YEAR_WORDS},
}


@functools.lru_cache(maxsize=2)
def _trigger_automaton(cues: bool = True) -> ahocorasick.Automaton:
    """Lower-case word → (length - 1, token, check, cased word, gate bits, anchor kind)."""
    auto = ahocorasick.Automaton()
    for word, token in _TRIGGER_WORDS.items():
        check = 1 if word in _WHOLE_WORD else 2 if word in _YEAR_WORDS else 0
        auto.add_word(word, (len(word) - 1, token, check, "", _TOKEN_BITS[token],
                             _ANCHOR_KIND.get(token)))
    for word in _CASED_WORDS:
        token = word.lower()
        auto.add_word(token, (len(word) - 1, token, 3, word, _TOKEN_BITS[token],
                              _ANCHOR_KIND[token]))
    for word in _CUE_WORDS if cues else ():
        auto.add_word(word, (len(word) - 1, word, 4, "", 0, "cue"))
    auto.make_automaton()
    return auto


def trigger_words(cues: bool = False) -> dict[str, tuple]:
    """The trigger words (lower case) and their payloads, for a caller that scans the text
    with an automaton of its own (the tagger) and passes the hits to ``resolve_document``."""
    return dict(_trigger_automaton(cues).items())


def _trigger_hits(text: str, lowered: str, cues: bool = True,
                  hits: Iterable[tuple[int, tuple]] | None = None
                  ) -> list[tuple[int, int, int, int, str | None]]:
    """(start, end, bad, gate bits, anchor kind) of each trigger word, by one Aho-Corasick pass.

    ``end`` is the index of the last letter; ``bad`` flags a letter (unit words) or digit
    (years) just before (1) or just after (2) the word: such a hit gives no gate bits, but may
    still anchor a match when that character lies outside the sentence.
    """
    out = []
    last = len(lowered) - 1
    if hits is None:
        hits = _trigger_automaton(cues).iter(lowered)
    for end, (length, _token, check, cased, bits, kind) in hits:
        start = end - length
        if check == 0:
            out.append((start, end, 0, bits, kind))
        elif check == 3:
            if text.startswith(cased, start):
                out.append((start, end, 0, bits, kind))
        elif check == 4:  # a future cue word: only where a word starts
            c = lowered[start - 1] if start else " "
            out.append((start, end, int(c.isalnum() or c == "_"), bits, kind))
        elif check == 1:
            out.append((start, end, (start > 0 and lowered[start - 1].isalpha())
                         | (end < last and lowered[end + 1].isalpha()) << 1, bits, kind))
        else:
            out.append((start, end, (start > 0 and lowered[start - 1].isdigit())
                         | (end < last and lowered[end + 1].isdigit()) << 1, bits, kind))
    out.sort()
    return out


# sentence index → [gate bits, {anchor kind: [positions]}, may hold a future cue]
_Triggers = dict[int, list]


def _sentence_triggers(doc: Document, cues: bool = True, lowered: str | None = None,
                       hits: Iterable[tuple[int, tuple]] | None = None
                       ) -> tuple[_Triggers, bool]:
    """Gate bits and anchor positions per sentence index, from one scan of the text.

    The second value says whether the anchors can be used (see ``_candidates_anchored``).
    """
    text = doc.text
    if lowered is None:
        lowered = text.lower()
    sents = doc.sentences
    i, n = 0, len(sents)
    triggers: _Triggers = {}
    if len(lowered) != len(text):  # rare: case folding changed the length
        tokens: dict[int, set[str]] = {}
        for m in _GATE.finditer(text):
            pos = m.start()
            while i < n and sents[i].end <= pos:
                i += 1
            if i == n:
                break
            if sents[i].start <= pos:
                tokens.setdefault(i, set()).add(m.group().lower())
        triggers = {i: [_mask(toks), {}, True] for i, toks in tokens.items()}
        anchored = False
    else:
        anchors: dict[int, dict[str, list[int]]] = {}
        cue_sents: set[int] = set()
        for pos, end, bad, bits, kind in _trigger_hits(text, lowered, cues, hits):
            while i < n and sents[i].end <= pos:
                i += 1
            if i == n:
                break
            s = sents[i]
            if s.start <= pos:
                if kind == "cue":
                    if not bad or pos == s.start:
                        cue_sents.add(i)
                    continue
                if not bad:
                    entry = triggers.get(i)
                    if entry is None:
                        triggers[i] = [bits, {}, False]
                    else:
                        entry[0] |= bits
                elif (bad & 1 and pos > s.start) or (bad & 2 and end + 1 < s.end):
                    continue  # the offending neighbour is inside the sentence: no anchor
                if kind is not None:
                    anchors.setdefault(i, {}).setdefault(kind, []).append(pos - s.start)
        for i, entry in triggers.items():
            entry[1] = anchors.get(i, {})
            entry[2] = (i in cue_sents) if cues else None
        anchored = True
    # "Oct. 7" needs a day number: look for digits only where a month was found
    month, digit = _BIT["month"], _BIT["digit"]
    for i, entry in triggers.items():
        if entry[0] & month and not entry[0] & digit and _DIGITS.search(sents[i].text):
            entry[0] |= digit
    return triggers, anchored


# A dateline of a place whose clock runs ahead of the Americas and Europe ("HONG KONG (CNN)
# --", "BEIJING, Jan 7 --"): its weekdays may fall a day after a US publication date.
_AHEAD_DATELINE = re.compile(
    r"(?m)^[^\S\n]*(?:HONG[^\S\n]+KONG|Hong[^\S\n]+Kong|BEIJING|Beijing|SHANGHAI|Shanghai|"
    r"SHENZHEN|Shenzhen|TAIPEI|Taipei|TOKYO|Tokyo|SEOUL|Seoul|SINGAPORE|Singapore)"
    r"[^\S\n]*(?:,[^\n]{0,30}?)?(?:\([A-Za-z. ]{2,30}\))?[^\S\n]*(?:--|—|–|-)")


def _dateline_ahead(text: str) -> bool:
    return _AHEAD_DATELINE.search(text, 0, 3000) is not None


def _in_quote(text: str, pos: int) -> bool:
    """Is position ``pos`` of a sentence inside a quotation (curly or straight quotes)?"""
    before = text[:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _situate(r: _Resolver, sent_id: int, start: int, rule: str, pre: str, text: str) -> None:
    """Tell the resolver where the expression stands: sentence, quotation, sentence opening."""
    r.sentence = sent_id
    r.quoted = rule == "fixed_day" and _in_quote(text, start)
    r.opens_sentence = (rule == "month" and pre == "in"
                        and not text[:start].strip(" \n\t“\"‘'("))


def resolve_document(doc: Document, future: bool = True, lowered: str | None = None,
                     trigger_hits: Iterable[tuple[int, tuple]] | None = None
                     ) -> list[TimeExpression]:
    """Every time expression of one document, in text order, resolved against its date.

    With ``future=False`` the future test runs only where the resolution depends on it
    (month-days, bare months, weekdays, weekends); elsewhere the ``future`` field is then False
    unless the resolved date lies after publication, so it is not meaningful. Values,
    precisions, bases and ranges are the same either way (and faster without).
    ``lowered``: ``doc.text.lower()`` if the caller has it (curly quotes, dashes and
    no-break spaces may be folded to ASCII too, as the tagger's folded text has them);
    ``trigger_hits``: the (end index, payload) hits of ``trigger_words(future)`` in
    ``lowered``, in any order, when the caller's own automaton found them.
    """
    found = expressions(doc, future, lowered, trigger_hits)
    text, doc_id = doc.text, doc.id
    return [TimeExpression(doc_id, sid, start, end, text[start:end], *res[:5], fut)
            for sid, start, end, res, fut in found]


def expressions(doc: Document, future: bool = True, lowered: str | None = None,
                trigger_hits: Iterable[tuple[int, tuple]] | None = None
                ) -> list[tuple[int, int, int, _Res, bool]]:
    """``resolve_document``'s expressions as (sentence id, start, end, resolved, future) tuples,
    for callers that make millions of them (the tagger)."""
    for attr in ("id", "text", "sentences", "published"):
        if not hasattr(doc, attr):
            raise ParameterError(
                f"resolve_document: expected a sanctionlens Document (with .{attr}), got "
                f"{type(doc).__name__}; load one with sanctionlens.load_corpus()[doc_id]")
    published = doc.published
    if published is not None and (not isinstance(published, dt.date)
                                  or isinstance(published, dt.datetime)):
        raise ParameterError(
            f"document {doc.id!r}: published must be a datetime.date or None, got "
            f"{published!r}; fix the 'published' field of metadata.csv (YYYY-MM-DD)")
    if trigger_hits is not None and lowered is None:
        raise ParameterError("resolve_document: trigger_hits need the lowered text they were "
                             "found in; pass lowered= as well")
    if lowered is not None and len(lowered) != len(doc.text):
        raise ParameterError(
            f"document {doc.id!r}: lowered has {len(lowered)} characters, the text "
            f"{len(doc.text)}; pass doc.text.lower() only when it keeps the length (or None)")
    # relative days count from the day the story was written ("(Yicai Global) Oct. 9 --" on a
    # page of Oct. 10): its wire dateline when that is a little before the page's date
    written = dateline_day(doc.text, published)
    resolver = _Resolver(written or published, _dateline_ahead(doc.text))
    if written is not None:
        resolver.rel_basis = f"relative to the wire dateline {written.isoformat()}"
    out = []
    # One pass of the trigger scan over the whole text; sentences without a trigger are
    # skipped (most sentences of news prose hold no time expression).
    triggers, anchored = _sentence_triggers(doc, future, lowered, trigger_hits)
    sents = doc.sentences
    for i in sorted(triggers):
        sent = sents[i]
        sent_text = sent.text
        mask, anchors, cue = triggers[i]
        if anchored and _sentence_safe(sent_text):
            cands = _candidates_anchored(sent_text, mask, anchors)
        else:  # the cue words were looked up in lower case too: not for "wıll"
            cands, cue = _candidates(sent_text, mask), True
        for start, end, rule, m, pre in cands:
            if future or _needs_future(rule, m):
                if cue is None:  # not looked up in the trigger scan (future=False): now
                    cue = _CUE_START.search(sent_text.lower()) is not None
                fut = _is_future(start, end, m, pre, sent_text, cue)
            else:
                fut = False
            _situate(resolver, sent.id, start, rule, pre, sent_text)
            resolver.effect_ahead = rule in ("md", "dm") and \
                _EFFECT_PRESENT.search(sent_text) is not None
            res = _resolve(rule, m, pre, resolver, fut)
            resolver.remember(res)
            if published is not None and res.first_day is not None and res.first_day > published:
                fut = True
            out.append((sent.id, sent.start + start, sent.start + end, res, fut))
    return out


def time_expressions(corpus: Corpus | Iterable[Document]) -> pd.DataFrame:
    """One row per time expression of every document, sorted by doc_id and start.

    Columns: doc_id, sentence_id, start, end, text, value, precision, basis, range_start,
    range_end, future. ``doc.text[start:end] == text`` always.
    """
    docs = _documents(corpus)
    rows = [[getattr(t, c) for c in COLUMNS] for d in docs for t in resolve_document(d)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.astype({"sentence_id": "int64", "start": "int64", "end": "int64",
                          "future": "bool"})
    return frame.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _documents(corpus: object) -> list[Document]:
    docs = getattr(corpus, "documents", corpus)
    if hasattr(docs, "text") or not isinstance(docs, Iterable) or isinstance(docs, str | bytes):
        raise ParameterError(
            f"time_expressions: expected a Corpus (or a list of Documents), got "
            f"{type(corpus).__name__}; use sanctionlens.load_corpus(path)")
    return list(docs)

