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
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields

import ahocorasick
import pandas as pd

from .corpus import Corpus, Document
from .errors import ParameterError

__all__ = [
    "COLUMNS", "PRECISIONS", "RECENT_WINDOWS", "TimeExpression", "resolve_document",
    "time_expressions",
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
MONTH_EVIDENCE_BEFORE = re.compile(r"\b(?:of|the|until|by|end|start|beginning)[^\S\n]*$", re.I)
CURRENCY_BEFORE = re.compile(r"(?:[$€£¥#]|\b(?:US|HK|RMB|USD|HKD|CNY))[^\S\n]*$")
DURATION_BEFORE = re.compile(r"\b(?:over|within|for|during|in|throughout)[^\S\n]*$", re.I)
HOLIDAY_BEFORE = re.compile(r"\b(?:Good|Black|Cyber|Holy|Easter|Palm|Ash)[^\S\n]+$")

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)\b(?!-)")),
    ("mdy", re.compile(rf"\b{MONTH}{SP}{DAY}(?:,{SP}?|{SP}){YEAR}")),
    ("dmy", re.compile(
        rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?{SP}(?:of{SP})?{MONTH},?{SP}{YEAR}")),
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
    ("fixed_day", re.compile(r"\b(?i:(?P<word>yesterday|today|tonight|tomorrow))\b")),
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
                   r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?i:yesterday|today|"
                   r"tonight|tomorrow|day|week|month|year|recently|recent|lately|few)")
# The same gate split for speed: months case-sensitively on the text, the rest on lower case.
_GATE_MONTH = re.compile(r"(?=[JFMASONDTW])(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
                         r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)")
_WEEKDAY_TOKENS = frozenset(w.lower() for w in WEEKDAYS)
# Unit words only as whole words ("day" inside "Monday" or "holiday" triggers nothing);
# the group captures the unit without its plural or "-end" ("years" → "year").
_GATE_LOWER = re.compile(r"(?=[\dytdwmrlf])(?:\d+|yesterday|today|tonight|tomorrow|"
                         r"\b(day|week|month|year)(?:s|end)?\b|recently|recent|lately|few)")
_TAKES_PRE = frozenset({"iso", "mdy", "dmy", "my", "md", "dm", "month", "year"})
_PRIORITY = {name: i for i, (name, _) in enumerate(_RULES)}
SPEECH = re.compile(r"\b(?:said|says|say|saying|told|announced|announces|statement|reported|"
                    r"reports|wrote|added|noted)\b", re.I)
SPEECH_JUST_BEFORE = re.compile(
    r"\b(?:said|says|saying|told|announced|statement|reported|wrote|added|noted)[^\S\n]*$", re.I)
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won['’]t|(?:is|are|was|were|be|been)\s+(?:expected|due|set|scheduled|"
    r"slated|poised|going)\s+to|expected\s+(?:to|for|in|on|by|as)|plan(?:s|ning)?\s+to|"
    r"intend(?:s|ing)?\s+to|aims?\s+to|upcoming|forthcoming)\b", re.I)
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
@dataclass(frozen=True)
class _Res:
    value: str | None
    precision: str
    basis: str
    range_start: str | None = None
    range_end: str | None = None
    first_day: dt.date | None = None  # earliest day covered, for anchors and the future flag


@dataclass(frozen=True)
class _Anchor:
    day: dt.date
    precision: str  # day, month or year
    label: str


_FINER = {"day": 0, "month": 1, "year": 2}


def _point(d: dt.date, precision: str, basis: str) -> _Res:
    return _Res(_iso(d, precision), precision, basis, first_day=d)


def _span(a: dt.date, b: dt.date, basis: str, precision: str = "range") -> _Res:
    return _Res(a.isoformat(), precision, basis, a.isoformat(), b.isoformat(), first_day=a)


def _none(precision: str, basis: str) -> _Res:
    return _Res(None, precision, basis)


class _Resolver:
    """Resolves the expressions of one document in text order (anaphora need the order)."""

    def __init__(self, published: dt.date | None):
        self.pub = published
        self.prev: _Anchor | None = None
        self.rel_basis = (f"relative to published {published.isoformat()}" if published
                          else "no publication date")

    # -- explicit
    def explicit_day(self, y: int, m: int, d: int) -> _Res:
        try:
            return _point(dt.date(y, m, d), "day", "explicit")
        except ValueError:
            return _none("day", f"explicit: not a calendar date ({y:04d}-{m:02d}-{d:02d})")

    def month_day(self, m: int, d: int, future: bool) -> _Res:
        if self.pub is None:
            return _none("day", "no publication date")
        basis = f"explicit month-day; year from published {self.pub.isoformat()}"
        for y in ((self.pub.year, self.pub.year + 1) if future
                  else (self.pub.year, self.pub.year - 1)):
            try:
                cand = dt.date(y, m, d)
            except ValueError:
                continue
            if (cand >= self.pub) if future else (cand <= self.pub):
                return _point(cand, "day", basis)
        return _none("day", f"explicit: not a calendar date (--{m:02d}-{d:02d})")

    def bare_month(self, m: int, mod: str, future: bool) -> _Res:
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

    # -- relative to publication
    def weekday(self, wd: int, mod: str, future: bool) -> _Res:
        if self.pub is None:
            return _none("day", "no publication date")
        if mod == "last":
            d = _before(self.pub, wd)
        elif mod in ("next", "coming"):
            d = _after(self.pub, wd)
        elif mod == "this":
            d = _week_start(self.pub) + dt.timedelta(days=wd)
        else:
            d = _after(self.pub, wd) if future else _on_or_before(self.pub, wd)
        return _point(d, "day", self.rel_basis)

    def fixed_day(self, word: str) -> _Res:
        if self.pub is None:
            return _none("day", "no publication date")
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
        return _point(self.pub + dt.timedelta(days=shift), "day", self.rel_basis)

    def unit_rel(self, mod: str, unit: str, future: bool) -> _Res:
        precision = {"week": "range", "weekend": "range", "month": "month", "year": "year"}[unit]
        if self.pub is None:
            return _none(precision, "no publication date")
        p, b = self.pub, self.rel_basis
        step = {"last": -1, "next": 1, "coming": 1, "the coming": 1}.get(mod, 0)
        if mod.startswith("as ") and mod.endswith("next"):
            step = 1
        if unit == "weekend":
            if mod in ("over the", "at the", "last", "this past") or (mod == "this" and not future
                                                                      and p.weekday() == 0):
                sat = _before(p, 5)
            elif mod in ("coming", "the coming") or (mod == "this" and future):
                sat = p if p.weekday() == 5 else _after(p, 5)
            elif mod == "next":
                sat = _week_start(p) + dt.timedelta(days=12)
            else:  # "this weekend": the Saturday-Sunday of the publication week
                sat = _week_start(p) + dt.timedelta(days=5)
            return _span(sat, sat + dt.timedelta(days=1), b)
        if unit == "week":
            mon = _week_start(p) + dt.timedelta(days=7 * step)
            sun = mon + dt.timedelta(days=6)
            if mod.startswith("later"):
                return _span(p, sun, b)
            if mod.startswith("earlier"):
                return _span(mon, p, b)
            return _span(mon, sun, b)
        if unit == "month":
            first = _add_months(p.replace(day=1), step)
            if mod.startswith("later"):
                return _span(p, _month_end(p.year, p.month), b)
            if mod.startswith("earlier"):
                return _span(first, p, b)
            return _point(first, "month", b)
        first = dt.date(p.year + step, 1, 1)
        if mod.startswith("later"):
            return _span(p, dt.date(p.year, 12, 31), b)
        if mod.startswith("earlier"):
            return _span(first, p, b)
        return _point(first, "year", b)

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

    # -- anaphoric
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
        self.prev = _Anchor(res.first_day, precision, label)


def _shift(d: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(days=7 * n)
    if unit == "month":
        return _add_months(d, n)
    return _add_years(d, n)


# --------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    rule: str
    match: re.Match[str]
    pre: str = ""  # normalised words before the core match that belong to the expression


def _norm(s: str | None) -> str:
    return " ".join((s or "").lower().split())


def _accept(rule: str, m: re.Match[str], text: str, pre: str) -> bool:
    """Guards: reject matches that are quantities, verbs or names rather than dates."""
    before = text[max(0, m.start() - 40):m.start()]
    after = text[m.end():m.end() + 40]
    gd = m.groupdict()
    if "year" in gd and gd["year"] and not 1900 <= int(gd["year"]) <= 2100:
        return False
    if gd.get("day") and not 1 <= int(gd["day"]) <= 31:
        return False
    if rule in ("md", "dm", "iso", "mdy", "dmy", "year") and CURRENCY_BEFORE.search(before):
        return False
    if rule in ("md", "dm") and COUNT_NOUNS.match(after):
        return False
    if rule == "md" and re.match(r"[^\S\n]*(?:,[^\S\n]*)?\d", after):
        return False
    if rule == "month":  # a bare month name needs a preposition or "of/the" before it
        return bool(pre) or bool(MONTH_EVIDENCE_BEFORE.search(before))
    if rule == "year":
        if COUNT_NOUNS.match(after) or re.match(r"[^\S\n]*(?:[-–/]\d|[.,]\d)", after):
            return False
        if before[-1:] in ("$", "€", "£", "¥", "#", "+", "-", "–", "/", ".", ",") and \
                not before.endswith(("-", "–")) or before.endswith(("No.", "no.", "#")):
            return False
        return bool(pre or gd["post"] is not None
                    or YEAR_EVIDENCE_BEFORE.search(before) or YEAR_LIST_BEFORE.search(before))
    if rule == "weekday" and HOLIDAY_BEFORE.search(before):
        return False
    if rule == "unit_rel" and _norm(gd["mod"]) in ("over the", "at the") and \
            gd["unit"].lower() != "weekend":
        return False
    if rule == "ana_next" and DURATION_BEFORE.search(before):
        return False  # "over the next year" is a span from now, not "the year after X"
    if rule == "offset" and gd["dir"].lower() in ("before", "after") and \
            not re.match(r"[^\S\n]*(?:[,.;:)”\"'’]|$)", after):
        return False  # "two days after the ban" is anchored on an event we cannot see
    return True


def _rules_for(text: str, tokens: set[str] | None = None) -> list[tuple[str, re.Pattern[str]]]:
    """The rules whose trigger words occur in ``text`` (substring tests are cheap)."""
    if tokens is None:
        tokens = {t.lower() for t in _GATE.findall(text)}
    return _rules_for_flags((
        any(t[0].isdigit() for t in tokens),
        any(len(t) == 4 and t[:2] in ("19", "20", "21") for t in tokens),
        not tokens.isdisjoint(_MONTH_TOKENS),
        not tokens.isdisjoint(_WEEKDAY_TOKENS),
        not tokens.isdisjoint(("day", "week", "month", "year")),
        not tokens.isdisjoint(("yesterday", "today", "tonight", "tomorrow")),
        not tokens.isdisjoint(("recent", "few")),
        not tokens.isdisjoint(("recently", "lately")),
    ))


_FLAG_NAMES = ("digit", "year4", "month", "weekday", "unit", "fixed", "vague", "vague_word")


@functools.lru_cache(maxsize=64)
def _rules_for_flags(flags: tuple[bool, ...]) -> list[tuple[str, re.Pattern[str]]]:
    has = dict(zip(_FLAG_NAMES, flags, strict=True))
    return [(rule, pattern) for rule, pattern in _RULES
            if all(has[need] for need in _NEEDS[rule])]


def _candidates(text: str, tokens: set[str] | None = None) -> list[_Cand]:
    found: list[_Cand] = []
    for rule, pattern in _rules_for(text, tokens):
        pre_re = WEEKDAY_PRE_BEFORE if rule == "weekday" else (
            PRE_BEFORE if rule in _TAKES_PRE else None)
        for m in pattern.finditer(text):
            start, pre = m.start(), ""
            if pre_re is not None:
                p = pre_re.search(text, max(0, start - 30), start)
                if p is not None and p.start() < start:
                    start, pre = p.start(), _norm(p.group())
            if _accept(rule, m, text, pre):
                found.append(_Cand(start, m.end(), rule, m, pre))
    found.sort(key=lambda c: (c.start, -(c.end - c.start), _PRIORITY[c.rule]))
    chosen: list[_Cand] = []
    last_end = -1
    for c in found:
        if c.start >= last_end:
            chosen.append(c)
            last_end = c.end
    return chosen


def _is_future(c: _Cand, sent_text: str) -> bool:
    """Does the sentence speak of the future at this expression?"""
    gd = c.match.groupdict()
    pre = c.pre or _norm(gd.get("mod"))
    if pre.startswith(("later this", "as soon as", "as early as", "next", "coming", "the coming",
                       "starting", "beginning")) or gd.get("word", "").lower() == "tomorrow":
        return True
    before = sent_text[:c.start]
    cut = [m.end() for m in SPEECH.finditer(before)]
    window = before[cut[-1]:] if cut else before
    for m in FUTURE_CUE.finditer(window):
        if not PAST_PERFECT.search(window[:m.start()]):
            return True
    if SPEECH_JUST_BEFORE.search(before):
        return False  # "said Monday it will ...": the day is when it was said
    after = sent_text[c.end:].lstrip(" ,")  # "On Friday, the board will ..."
    stop = CLAUSE_END.search(after)
    after = after[:stop.start()] if stop else after
    return any(not PAST_PERFECT.search(after[:m.start()]) for m in FUTURE_CUE.finditer(after))


def _resolve(c: _Cand, r: _Resolver, future: bool) -> _Res:
    gd = c.match.groupdict()
    rule = c.rule
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
        return r.weekday(WEEKDAYS.index(gd["wd"]), c.pre, future)
    if rule == "fixed_day":
        return r.fixed_day(gd["word"].lower())
    if rule == "unit_rel":
        mod = _norm(gd["mod"])
        if mod.startswith(("as soon as", "as early as")):
            mod = "as " + mod.split()[-1]
        return r.unit_rel(mod, gd["unit"].lower(), future)
    if rule == "offset":
        n = _norm(gd["n"])
        count = int(n) if n.isdigit() else NUMBER_WORDS[n]
        unit, direction = gd["unit"].lower(), gd["dir"].lower()
        if direction == "ago":
            return r.ago(count, unit)
        return r.offset_from_anchor(count, unit, direction)
    if rule == "vague":
        return r.vague(gd["unit"].lower())
    if rule == "vague_word":
        return r.vague(gd["word"].lower())
    if rule == "ana_same":
        return r.same(_norm(gd["mod"]), gd["unit"].lower())
    if rule == "ana_next":
        sign = "later" if gd["dir"].lower() in ("following", "next") else "earlier"
        return r.offset_from_anchor(1, gd["unit"].lower(), sign)
    raise AssertionError(f"unhandled rule {rule}")  # pragma: no cover


# --------------------------------------------------------------------------- public API
_DIGITS = re.compile(r"\d+")
# Trigger words (lower case) → token; unit words must stand as whole words.
_TRIGGER_WORDS = {
    **{w: w for w in ("yesterday", "today", "tonight", "tomorrow", "recently", "recent",
                      "lately", "few")},
    **{f"{u}{suffix}": u for u in ("day", "week", "month", "year") for suffix in ("", "s")},
    "weekend": "week",
    **{str(y): str(y) for y in range(1900, 2101)},  # years, as YEAR accepts them
}
_WHOLE_WORD = frozenset(w for w, tok in _TRIGGER_WORDS.items()
                        if tok in ("day", "week", "month", "year"))
_YEAR_WORDS = frozenset(str(y) for y in range(1900, 2101))


@functools.lru_cache(maxsize=1)
def _trigger_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for word, token in _TRIGGER_WORDS.items():
        auto.add_word(word, (len(word), word, token))
    auto.make_automaton()
    return auto


def _trigger_words(lowered: str) -> list[tuple[int, str]]:
    """(start, token) of each trigger word, found by one Aho-Corasick pass (C speed)."""
    out = []
    n = len(lowered)
    for end, (length, word, token) in _trigger_automaton().iter(lowered):
        start = end - length + 1
        if word in _WHOLE_WORD and ((start > 0 and lowered[start - 1].isalpha())
                                    or (end + 1 < n and lowered[end + 1].isalpha())):
            continue
        if word in _YEAR_WORDS and ((start > 0 and lowered[start - 1].isdigit())
                                    or (end + 1 < n and lowered[end + 1].isdigit())):
            continue
        out.append((start, token))
    return out


def _sentence_triggers(doc: Document) -> dict[int, set[str]]:
    """Trigger tokens per sentence index, from one scan of the whole text."""
    text = doc.text
    lowered = text.lower()
    if len(lowered) != len(text):  # rare: case folding changed the length
        hits = [(m.start(), m.group().lower()) for m in _GATE.finditer(text)]
    else:
        hits = [(m.start(), m.group().lower()) for m in _GATE_MONTH.finditer(text)]
        hits += _trigger_words(lowered)
        hits.sort()
    triggers: dict[int, set[str]] = {}
    sents = doc.sentences
    i, n = 0, len(sents)
    for pos, tok in hits:
        while i < n and sents[i].end <= pos:
            i += 1
        if i == n:
            break
        if sents[i].start <= pos:
            triggers.setdefault(i, set()).add(tok)
    # "Oct. 7" needs a day number: look for digits only where a month was found
    for i, toks in triggers.items():
        if not toks.isdisjoint(_MONTH_TOKENS) and _DIGITS.search(sents[i].text):
            toks.add("0")
    return triggers


def resolve_document(doc: Document) -> list[TimeExpression]:
    """Every time expression of one document, in text order, resolved against its date."""
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
    text = doc.text
    resolver = _Resolver(published)
    out: list[TimeExpression] = []
    # One pass of the trigger scan over the whole text; sentences without a trigger are
    # skipped (most sentences of news prose hold no time expression).
    triggers = _sentence_triggers(doc)
    for i, sent in enumerate(doc.sentences):
        if i not in triggers:
            continue
        for c in _candidates(sent.text, triggers[i]):
            future = _is_future(c, sent.text)
            res = _resolve(c, resolver, future)
            resolver.remember(res)
            if published is not None and res.first_day is not None and res.first_day > published:
                future = True
            start, end = sent.start + c.start, sent.start + c.end
            out.append(TimeExpression(
                doc_id=doc.id, sentence_id=sent.id,
                start=start, end=end, text=text[start:end], value=res.value,
                precision=res.precision, basis=res.basis, range_start=res.range_start,
                range_end=res.range_end, future=future))
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

