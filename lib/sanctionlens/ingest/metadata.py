"""Publication date, title, outlet and authors read from the article itself when nobody typed them.

Every value comes with its ``basis`` (what in the page it rests on) and the date with its
precision. Order of trust for the date: what the page's own markup or export record says,
then lines that state it (Federal Register headers, "Published …" lines, a date line under the
headline, a wire dateline), the URL, a wire dateline whose year comes from the content, a
copyright year, and last an *estimate* from the newest date the lead mentions (month precision,
``published`` left empty so no relative expression is resolved against a guess).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from .clean import furniture_reason
from .dates import DateMention, full_dates, month_number, month_years, weekdays


@dataclass
class Hints:
    """Values an input format carried (HTML metadata, an export record's fields)."""

    title: str = ""
    date: str = ""
    url: str = ""
    outlet: str = ""
    authors: str = ""
    source: str = ""  # where these came from, for the bases ("HTML metadata", "record field")
    markdown_title: str = ""


@dataclass
class Inferred:
    published: dt.date | None = None
    published_precision: str = ""  # day | month | year | "" (unknown)
    published_estimate: str = ""  # ISO year or year-month when not known to the day
    published_basis: str = ""
    title: str = ""
    title_basis: str = ""
    outlet: str = ""
    outlet_basis: str = ""
    authors: str = ""
    authors_basis: str = ""
    notes: list[str] = field(default_factory=list)


_LABEL = re.compile(r"^\W*(first published|published|posted|updated|last updated|released)"
                    r"(?=[\sA-Z:\d]|$)[\s:]*(?:on\s+)?", re.I)
_FR_HEADER = re.compile(r"Federal Register\s*/\s*Vol\.\s*\d+,\s*No\.\s*\d+\s*/\s*"
                        r"(?:[A-Z][a-z]+day,\s*)?([A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4})")
_FR_SCHEDULED = re.compile(r"(?:scheduled to be |to be |will be )?published in the Federal "
                           r"Register on\s+([A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4}|"
                           r"\d{1,2}/\d{1,2}/\d{4})")
_FR_FILED = re.compile(r"FR Doc\.?\s*[\d-]+\s+Filed\s+(\d{1,2})-(\d{1,2})-(\d{2})\b")
_MD = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?"
_DATELINE = re.compile(
    rf"^(?P<city>[A-Z][\w.'’ -]{{1,40}}?(?:,\s*[A-Z][\w.]{{1,12}}(?:\s[A-Z][\w.]{{1,12}})?)?)?"
    rf"(?:,?\s*(?P<md1>{_MD}))?\s*(?:\((?P<agency>[A-Z][\w&.' -]{{1,40}})\))?"
    rf"\s*(?P<md2>{_MD})?\s*(?:--|[-–—])\s+")
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/-]([01]?\d)[/-]([0-3]?\d)(?!\d)")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*((?:19|20)\d\d)\b\s*(.{0,60})", re.I)
_BYLINE = re.compile(r"^(?:authored by|by|author:?)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)"
                     r"{0,3}(?:\s+and\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})?)"
                     r"(?:\s+via\s+(?P<via>[A-Z][\w.&' ]{1,50}?))?\s*[,.]?$", re.I)
_AUTHOR_LABEL = re.compile(r"\bAuthor:\s*(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}?)"
                           r"(?=\s+(?:[A-Z][a-z]{2}\.?\s+\d|\d|$))")
_LAW_YEAR = re.compile(r"(?:fiscal year|FY|Act of|Act for Fiscal Year|NDAA of)\s*$", re.I)
_MONTH_YEAR_SRC = r"([A-Z][a-z]{2,8}\.?)\s+((?:19|20)\d\d)"
_LATER = re.compile(r"\b(?:in\s+)?(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                    r"twelve)\s+(months?|years?)\s+after\b[^.]{0,80}?" + _MONTH_YEAR_SRC)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
HEAD_LINES = 12


def is_body_line(line: str) -> bool:
    """A line of running prose: 12 words or more ending a sentence, or 30 words or more (an
    excerpt may stop mid-sentence); headlines are shorter and end without a full stop."""
    n = len(line.split())
    return n >= 30 or n >= 12 and bool(re.search(r"[.!?][\"”’)]?$", line)) \
        and not furniture_reason(line)


def head_lines(lines: list[str]) -> list[str]:
    """The non-empty lines before the first line of running prose (at most HEAD_LINES)."""
    out = []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if is_body_line(s) or _DATELINE.match(s) and _dateline_parts(s):
            break
        out.append(s)
        if len(out) >= HEAD_LINES:
            break
    return out


def body_paragraphs(lines: list[str], n: int = 3) -> list[str]:
    """The first `n` lines of running prose (the lead)."""
    return [s for s in (x.strip() for x in lines) if is_body_line(s)
            and not furniture_reason(s)][:n]


def infer(text: str, hints: Hints | None = None, today: dt.date | None = None,
          want: frozenset[str] = frozenset({"published", "title", "outlet", "authors"})
          ) -> Inferred:
    """Infer what `text` (an article after format extraction) says about itself; only the
    fields in `want` (those metadata.csv leaves empty)."""
    hints = hints or Hints()
    today = today or dt.date.today()
    lines = text.split("\n")
    head, lead = head_lines(lines), body_paragraphs(lines)
    out = Inferred()
    if "published" in want:
        _infer_date(out, text, head, lead, hints, today)
    if "title" in want:
        _infer_title(out, head, lead, hints)
    if want & {"outlet", "authors"}:
        _infer_outlet_authors(out, text, head, lead, hints)
    return out


# ---------------------------------------------------------------- dates
def _set(out: Inferred, d: dt.date | None, basis: str) -> bool:
    if d is None:
        return False
    out.published, out.published_precision, out.published_basis = d, "day", basis
    return True


def _infer_date(out: Inferred, text: str, head: list[str], lead: list[str], hints: Hints,
                today: dt.date) -> None:
    if hints.date:
        from .dates import parse_date

        d, _ = parse_date(hints.date)
        if _set(out, d, f"stated: {hints.source or 'page metadata'} date {hints.date!r}"):
            return
    if _set(out, *_federal_register(text)) or _set(out, *_labelled(text)) \
            or _set(out, *_date_line(head)):
        return
    dateline = next((p for p in (_dateline_parts(s) for s in lead[:1]) if p), None)
    if dateline and dateline[1] and _set(out, dateline[1], f"stated: wire dateline "
                                                          f"{dateline[0]!r}"):
        return
    if hints.url and _set(out, *_url_date(hints.url)):
        return
    if dateline and dateline[2]:
        year, why = year_for(dateline[2], text, lead[0], today)
        if year and _set(out, dt.date(year, *dateline[2]),
                         f"inferred: wire dateline {dateline[0]!r}; year {year} {why}"):
            return
        out.notes.append(f"wire dateline {dateline[0]!r} has no year and {why}")
    _estimate(out, text, lead)


def _federal_register(text: str) -> tuple[dt.date | None, str]:
    m = _FR_HEADER.search(text)
    if m and (found := full_dates(m.group(1))):
        return found[0].date, f"stated: Federal Register header {m.group(0).strip()!r}"
    m = _FR_SCHEDULED.search(text)
    if m and (found := full_dates(m.group(1))):
        return found[0].date, f"stated: {m.group(0).strip()!r}"
    m = _FR_FILED.search(text)
    if m:
        try:
            filed = dt.date(2000 + int(m.group(3)), int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None, ""
        pub = filed + dt.timedelta(days=1)
        while pub.weekday() >= 5:
            pub += dt.timedelta(days=1)
        return pub, (f"inferred: {m.group(0)!r}; the Federal Register prints a document on "
                     "the business day after it is filed for public inspection")
    return None, ""


def _labelled(text: str) -> tuple[dt.date | None, str]:
    """'Published …' beats 'Updated …' (the first publication is the article's date)."""
    best: tuple[int, dt.date, str] | None = None
    for line in text.split("\n"):
        s = line.strip()
        m = _LABEL.match(s)
        if not m or len(s.split()) > 20 or not (found := full_dates(s[m.start(1):])):
            continue
        rank = 1 if "updated" in m.group(1).lower() else 0
        if best is None or rank < best[0]:
            best = (rank, found[0].date, s)
    if best is None:
        return None, ""
    note = "" if best[0] == 0 else " (only an update time is printed; first publication " \
                                   "may be earlier)"
    return best[1], f"stated: {best[2][:80]!r} line{note}"


def _date_line(head: list[str]) -> tuple[dt.date | None, str]:
    """A line above the story that is a date, a timestamp or a release/byline line with one."""
    for s in head:
        found = full_dates(s)
        if not found:
            continue
        rest = s[:found[0].start] + s[found[0].end:]
        words = re.findall(r"[A-Za-z]{2,}", rest)
        if len(words) <= 8 and not s.rstrip().endswith((".", "?", "!")) or len(words) <= 2:
            return found[0].date, f"stated: date line {s[:80]!r}"
    return None, ""


DATELINE_LAG_DAYS = 3  # a story filed on its dateline day may be published this much later
_LEAD_LINES = 12


def dateline_day(text: str, published: dt.date | None) -> dt.date | None:
    """The day a wire dateline in the first lines gives ("(Yicai Global) Oct. 9 --",
    "BEIJING, Oct 9 (Reuters) -"), when it is up to ``DATELINE_LAG_DAYS`` before `published`:
    the day the story was written, which its "yesterday" and "two days ago" count from."""
    if published is None:
        return None
    lines = [s for s in text[:1500].splitlines() if s.strip()][:_LEAD_LINES]
    for line in lines:
        parts = _dateline_parts(line.strip())
        if parts is None:
            continue
        if parts[1] is not None:
            day = parts[1]
        elif parts[2] is not None:
            month, d = parts[2]
            year = published.year - (month > published.month)  # a December line, January page
            try:
                day = dt.date(year, month, d)
            except ValueError:
                return None
        else:
            continue
        return day if 1 <= (published - day).days <= DATELINE_LAG_DAYS else None
    return None


def _dateline_parts(line: str) -> tuple[str, dt.date | None, tuple[int, int] | None,
                                        str] | None:
    """(dateline text, full date, (month, day) without year, agency) or None."""
    m = _DATELINE.match(line)
    if not m or not (m.group("md1") or m.group("md2") or m.group("agency")):
        return None
    city = (m.group("city") or "").strip()
    if city and not city.split(",")[0].isupper():
        return None  # a sentence that happens to hold a dash, not a dateline
    md = m.group("md1") or m.group("md2") or ""
    full, partial = None, None
    if md:
        mon, rest = md.split(None, 1)
        month = month_number(mon)
        if month is None:
            return None
        nums = re.findall(r"\d+", rest)
        day = int(nums[0])
        try:
            if len(nums) > 1:
                full = dt.date(int(nums[1]), month, day)
            else:
                dt.date(2000, month, day)
                partial = (month, day)
        except ValueError:
            return None
    return m.group(0).strip(" -–—"), full, partial, (m.group("agency") or "").strip()


def _url_date(url: str) -> tuple[dt.date | None, str]:
    path = urlparse(url).path
    for m in _URL_DATE.finditer(path):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), f"inferred: date in the URL " \
                                                              f"{m.group(0)!r}"
        except ValueError:
            continue
    return None, ""


def dated_mentions(text: str, today: dt.date) -> list[DateMention]:
    """Full and month-year dates the text states (law and fiscal-year names left out), plus
    dates implied by "N months after <Month YYYY>"; none after `today`."""
    found = {m.start: m for m in month_years(text)}
    found.update({m.start: m for m in full_dates(text)})
    out = [m for m in found.values() if not _LAW_YEAR.search(text[max(0, m.start - 25):m.start])
           and not re.search(r"(?:fiscal year|FY)\s*$", text[max(0, m.end - 20):m.end - 4], re.I)]
    for m in _LATER.finditer(text):
        n = int(m[1]) if m[1].isdigit() else _NUMBER_WORDS[m[1].lower()]
        month, year = month_number(m[3]), int(m[4])
        if month is None:
            continue
        total = year * 12 + month - 1 + (n if m[2].startswith("month") else 12 * n)
        out.append(DateMention(m.start(), m.end(), m.group(0), total // 12, total % 12 + 1))
    for m in re.finditer(r"\b(?:in|since|during|of|by early|by late|late|early)\s+"
                         r"((?:19|20)\d\d)\b(?!\s*(?:NDAA|National Defense|Act))", text):
        if not _LAW_YEAR.search(text[max(0, m.start() - 25):m.start() + 3]):
            out.append(DateMention(m.start(1), m.end(1), m.group(1), int(m.group(1)), 1))
    return [m for m in out if (m.year, m.month) <= (today.year, today.month)]


def year_for(month_day: tuple[int, int], text: str, lead: str, today: dt.date
             ) -> tuple[int | None, str]:
    """Year of a dateline without one: the latest year the text mentions (not after today),
    or the next year when that would put the article before an event it reports; a weekday
    named in the lead sentence must fall on the dateline's day (first fitting year from the
    content year on; with no year in the text, the latest fitting year up to today)."""
    month, day = month_day
    years = [m for m in dated_mentions(text, today)]
    days = weekdays(re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0])
    if years:
        latest = max(years, key=lambda m: m.key)
        y = latest.year + ((month, day) < (latest.month, latest.day or 1))
        why = f"from the latest date the text mentions ({latest.text!r})"
        if days:
            for cand in range(y, today.year + 1):
                if dt.date(cand, month, day).weekday() == days[0]:
                    return cand, why + f" and the weekday of the lead ({_WD[days[0]]})"
            return y, why + f" (the lead's {_WD[days[0]]} does not fit)"
        return (y, why) if y <= today.year else (None, "the year would be in the future")
    if days:
        for cand in range(today.year, today.year - 12, -1):
            if dt.date(cand, month, day).weekday() == days[0] and dt.date(cand, month, day) \
                    <= today:
                return cand, (f"the latest year up to today in which {month}/{day} is a "
                              f"{_WD[days[0]]}, the weekday the lead names (no year in the text)")
    return None, "the text names no year"


_WD = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _estimate(out: Inferred, text: str, lead: list[str]) -> None:
    """Copyright year (year precision) or the newest date in the lead (month precision)."""
    lead_text = "\n".join(lead[:2])
    mentions = [m for m in month_years(lead_text) + full_dates(lead_text)
                if not _LAW_YEAR.search(lead_text[max(0, m.start - 25):m.start])]
    cr = _COPYRIGHT.search(text)
    if mentions:
        latest = max(mentions, key=lambda m: m.key)
        if not cr or int(cr.group(1)) == latest.year:
            out.published_precision = "month"
            out.published_estimate = f"{latest.year:04d}-{latest.month:02d}"
            out.published_basis = (f"estimate: the newest date the lead mentions "
                                   f"({latest.text!r}); the text states no publication date")
            return
    if cr:
        out.published_precision, out.published_estimate = "year", cr.group(1)
        out.published_basis = f"estimate: copyright line {cr.group(0).strip()[:60]!r} (year only)"
        return
    out.published_basis = "unknown: the text states no publication date" + (
        f" ({out.notes[-1]})" if out.notes else "")


# ---------------------------------------------------------------- title
def _infer_title(out: Inferred, head: list[str], lead: list[str], hints: Hints) -> None:
    if hints.markdown_title:
        out.title, out.title_basis = hints.markdown_title, "Markdown heading"
        return
    if hints.title:
        out.title, out.title_basis = hints.title, f"{hints.source or 'page metadata'} title"
        return
    cands = [s for s in head if _headline_shaped(s)]
    if cands:
        best = max(cands, key=lambda s: len(s.split()))
        out.title = best
        out.title_basis = ("headline: the first line" if best == head[0] else
                           "headline: the longest headline-shaped line above the story")
        return
    rest = [s for s in head if not furniture_reason(s) and not _BYLINE.match(s)]
    first = rest[0] if rest else (lead[0] if lead else "")
    parts = _dateline_parts(first)
    if parts:
        first = first[len(_DATELINE.match(first).group(0)):]
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) > 110:
        sentence = sentence[:110].rsplit(" ", 1)[0] + "…"
    out.title, out.title_basis = sentence, "no headline in the text: its first sentence"


def _headline_shaped(s: str) -> bool:
    words = s.split()
    if not 3 <= len(words) <= 30 or s.endswith((".", ",", ":", ";")) or furniture_reason(s):
        return False
    if full_dates(s) or _BYLINE.match(s) or _dateline_parts(s):
        return False
    return sum(w[:1].isalpha() for w in words) >= len(words) / 2


# ---------------------------------------------------------------- outlet and authors
def _infer_outlet_authors(out: Inferred, text: str, head: list[str], lead: list[str],
                          hints: Hints) -> None:
    if hints.authors:
        out.authors, out.authors_basis = hints.authors, f"{hints.source or 'page'} author"
    for s in head + lead[:1]:
        m = _BYLINE.match(s)
        a = _AUTHOR_LABEL.search(s)
        if m and not out.authors:
            out.authors, out.authors_basis = m.group("name"), f"byline {s[:60]!r}"
        elif a and not out.authors:
            out.authors, out.authors_basis = a.group("name"), f"byline {s[:60]!r}"
        if m and m.group("via") and not hints.outlet:
            out.outlet, out.outlet_basis = known_outlet(m.group("via").strip()), \
                f"byline {s[:60]!r}"
            return
    if hints.outlet:
        out.outlet, out.outlet_basis = hints.outlet, f"{hints.source or 'page'} site name"
        return
    parts = _dateline_parts(lead[0]) if lead else None
    if parts and parts[3]:
        out.outlet = known_outlet(parts[3])
        out.outlet_basis = f"wire dateline {parts[0]!r} (the wire service that wrote the story)"
        return
    if hints.url and (host := urlparse(hints.url).hostname):
        out.outlet, known = outlet_for_host(host)
        out.outlet_basis = f"URL host {host}" + ("" if known else " (not in kb/outlets.yaml)")
        return
    cr = _COPYRIGHT.search(text)
    if cr and (holder := known_outlet(cr.group(2).strip(" .,"), strict=True)):
        out.outlet, out.outlet_basis = holder, f"copyright line {cr.group(0).strip()[:60]!r}"


def _compact(s: str) -> str:
    s = re.sub(r"^the\s+", "", s.strip().casefold())
    return re.sub(r"[^a-z0-9]", "", s)


def _outlet_index() -> dict[str, str]:
    global _INDEX
    if _INDEX is None:
        from ..errors import SanctionlensError
        from ..kb import get_kb

        _INDEX = {}
        try:
            outlets = list(get_kb().outlets.values())
        except SanctionlensError:  # a broken KB must not stop reading articles
            outlets = []
        for o in outlets:
            for alias in [o.name, *o.aliases, *getattr(o, "aliases_exact", [])]:
                _INDEX.setdefault(_compact(alias), o.name)
            if getattr(o, "url", ""):
                host = urlparse(o.url).hostname or ""
                _INDEX.setdefault(_compact(host.removeprefix("www.")), o.name)
    return _INDEX


_INDEX: dict[str, str] | None = None


def known_outlet(name: str, strict: bool = False) -> str:
    """The KB's name for an outlet printed as `name` (as printed if unknown; '' if strict)."""
    return _outlet_index().get(_compact(name), "" if strict else name)


def outlet_for_host(host: str) -> tuple[str, bool]:
    """(outlet, known) for a web host: its registered name matched to kb/outlets.yaml names."""
    host = host.lower().removeprefix("www.")
    index = _outlet_index()
    if _compact(host) in index:
        return index[_compact(host)], True
    labels = host.split(".")
    for i in range(len(labels) - 1):
        if (key := _compact(labels[i])) in index:
            return index[key], True
    return host, False
