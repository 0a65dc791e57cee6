"""Calendar dates as news pages print them, for reading publication dates (not extract/temporal).

Finds explicit dates ("Dec. 16, 2022", "December 19, 2022", "16 May 2024", "2021-12-13",
"10/09/2019", "Jan 16, 2025" glued to a label as in "PublishedJan 16, 2025"), month-year
("October 2022") and month-day without a year ("Dec 15"). Only what the page states; no
relative expressions (those belong to extract/temporal.py, which ingest must not import).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
_MON = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
        r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# A month name may be glued to a preceding label ("PublishedJan 16, 2025"): no \b before it.
_PATTERNS = [
    re.compile(rf"{_MON}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b"),
    re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MON}\s*,?\s+{_YEAR}\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b"),
]
_MONTH_YEAR = re.compile(rf"(?<![a-z]){_MON}\s+(?:of\s+)?{_YEAR}\b")
_MONTH_DAY = re.compile(rf"(?<![a-z]){_MON}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s*\d)")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


@dataclass(frozen=True)
class DateMention:
    """A date printed in the text, at the precision it was printed ('day' or 'month')."""

    start: int
    end: int
    text: str
    year: int
    month: int
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month"

    @property
    def date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day else None

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)


def month_number(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _month(m: re.Match[str]) -> int:
    return month_number(m.group("mon")) if "mon" in m.re.groupindex and m.group("mon") \
        else int(m.group("mnum"))


def full_dates(text: str) -> list[DateMention]:
    """Every day-precision date in `text`, in order of position."""
    out: dict[int, DateMention] = {}
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            y, mo, d = int(m.group("year")), _month(m), int(m.group("day"))
            if m.start() not in out and _valid(y, mo, d):
                out[m.start()] = DateMention(m.start(), m.end(), m.group(0), y, mo, d)
    return [out[k] for k in sorted(out)]


def month_years(text: str) -> list[DateMention]:
    """Month-year mentions ("October 2022", "June of 2020")."""
    return [DateMention(m.start(), m.end(), m.group(0), int(m.group("year")), _month(m))
            for m in _MONTH_YEAR.finditer(text)]


def month_days(text: str) -> list[tuple[re.Match[str], int, int]]:
    """Month-day mentions without a year ("Dec 15", "July 17"): (match, month, day)."""
    out = []
    for m in _MONTH_DAY.finditer(text):
        mo, d = _month(m), int(m.group("day"))
        if 1 <= d <= 31 and _valid(2000, mo, d):  # 2000 is a leap year: Feb 29 allowed
            out.append((m, mo, d))
    return out


def weekdays(text: str) -> list[int]:
    """Weekday numbers (Monday 0) named in `text`."""
    return [WEEKDAYS[m.group(1).lower()] for m in _WEEKDAY.finditer(text)]


def parse_date(value: str) -> tuple[dt.date | None, str]:
    """An ISO or printed date string as (date, precision); (None, '') when unreadable."""
    value = (value or "").strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m and _valid(int(m[1]), int(m[2]), int(m[3])):
        return dt.date(int(m[1]), int(m[2]), int(m[3])), "day"
    found = full_dates(value)
    if found:
        return found[0].date, "day"
    return None, ""
