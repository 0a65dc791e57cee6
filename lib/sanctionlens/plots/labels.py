"""Words for readers instead of codes: entity names from the KB, dates, actions, documents.

``name("bis")`` → "Bureau of Industry and Security"; ``name("china_mfa")`` → "China's Ministry
of Foreign Affairs" (a Chinese body's official "… of the People's Republic of China" is shortened
the way news copy writes it); ``date_label("2019-10-07", "day")`` → "7 Oct 2019";
``event_what(row)`` → "Added to the Entity List"; ``doc_label(doc)`` → "Bloomberg, 5 May 2022 —
Title". Unknown ids are returned as written, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .style import short

_PRC = re.compile(r"^(?P<body>.+?) of the People['’]s Republic of China$")
LONG_NAME = 30  # an instrument name longer than this is shown by its shortest acronym alias
_ACRONYM = re.compile(r"\b[A-Z0-9][A-Z0-9-]{2,}\b")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# What happened, in words; "{i}" is the instrument's name (an action without one drops it).
ACTIONS: dict[str, tuple[str, str]] = {
    "added_to_list": ("Added to the {i}", "Added to a US list"),
    "designated": ("Designated under the {i}", "Designated by the US"),
    "identified": ("Named on the {i}", "Named on a US list"),
    "removed": ("Removed from the {i}", "Removed from a US list"),
    "considered": ("{i} sanctions considered", "Sanctions considered"),
    "eo_signed": ("{i} signed", "Executive order signed"),
    "law_signed": ("{i} signed into law", "Law signed"),
    "law_effective": ("{i} takes effect", "Law takes effect"),
    "initiative_announced": ("{i} announced", "Initiative announced"),
    "ipo_postponed": ("IPO postponed", "IPO postponed"),
    "ipo_scrapped": ("IPO scrapped", "IPO scrapped"),
    "ipo_relaunch_planned": ("IPO relaunch planned", "IPO relaunch planned"),
    "ipo_listed": ("Shares listed", "Shares listed"),
    "shares_fell": ("Shares fell", "Shares fell"),
    "shares_rose": ("Shares rose", "Shares rose"),
    "company_statement": ("Company statement", "Company statement"),
    "denial": ("Company denial", "Company denial"),
    "government_response": ("Chinese government response", "Chinese government response"),
}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from ..kb import get_kb

    kb = get_kb()
    out: dict[str, str] = {}
    for group in (kb.companies, kb.agencies, kb.instruments, kb.places, kb.people,
                  kb.outlets, kb.organizations):
        out.update({k: _readable(v.name) for k, v in group.items()})
    for k, v in kb.instruments.items():
        out[k] = _short_instrument(v.name, [*v.aliases, *v.aliases_exact])
    return out


def _readable(official: str) -> str:
    m = _PRC.match(official)
    return f"China's {m.group('body')}" if m else official


def _short_instrument(official: str, aliases: Iterable[str]) -> str:
    """A long list name by its shortest alias with an acronym ("NS-CMIC List", "SDN list")."""
    if len(official) <= LONG_NAME:
        return official
    fits = [a for a in aliases if " " in a and _ACRONYM.search(a) and len(a) < len(official)]
    # an acronym printed in the official name ("1260H") beats one only its initials make
    return min(fits, key=lambda a: (not any(t in official for t in _ACRONYM.findall(a)),
                                    len(a), a)) if fits else official


def name(entity_id: object) -> str:
    """The reader's name of a KB id (instrument names shortened when long), of a company the
    tagger's rules found (as the articles spell it most); else the id."""
    if entity_id is None or entity_id == "":
        return ""
    eid = str(entity_id)
    got = _names().get(eid)
    if got is None and eid.startswith("new:"):
        from ..extract.companies import display_name

        got = display_name(eid)
    return got or eid


def names(ids: Iterable[object], limit: int | None = None) -> str:
    """Comma-separated names; past ``limit`` ends with "and N more"."""
    got = [name(i) for i in ids if i]
    if limit is not None and len(got) > limit:
        return ", ".join(got[:limit]) + f" and {len(got) - limit} more"
    return ", ".join(got)


def date_label(value: object, precision: str = "day") -> str:
    """"7 Oct 2019" (day), "Oct 2019" (month), "2019" (year); None → "undated"."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "undated"
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = str(value)
    if precision == "year" or re.fullmatch(r"\d{4}", text):
        return text[:4]
    if precision == "month" or re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    try:
        return date_label(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return text


def event_what(action: str, instrument: object = None) -> str:
    """"Added to the Entity List", "Executive Order 14032 signed", "IPO postponed"."""
    with_i, without = ACTIONS.get(str(action), (str(action).replace("_", " ").capitalize(),) * 2)
    inst = instrument if isinstance(instrument, str) and instrument else ""
    if not inst or "{i}" not in with_i:
        return without if not inst else with_i
    return with_i.format(i=", ".join(name(i) for i in inst.split(", ")))


def doc_label(doc: Any, limit: int = 90) -> str:
    """"Outlet, 13 Dec 2021 — Title" for a Document (or a row with outlet/published/title)."""
    outlet = getattr(doc, "outlet", "") or "outlet not stated"
    published = getattr(doc, "published", None)
    when = date_label(published) if published is not None and str(published) not in (
        "", "NaT", "nan", "None") else "undated"
    title = short(getattr(doc, "title", "") or "untitled", limit)
    return f"{outlet}, {when} — {title}"


_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def humanise(text: object) -> str:
    """KB ids with an underscore ("entity_list", "china_mfa") and ISO dates in a machine
    string replaced by names and "7 Oct 2019"; "entity_list from 2019-10-07" → "Entity List,
    from 7 Oct 2019"."""
    out = _ID.sub(lambda m: name(m.group(0)), "" if text is None else str(text))
    out = re.sub(r"(?<=\w) from (?=\d{4}-)", ", from ", out)
    return _ISO.sub(lambda m: date_label(m.group(0)), out)


def span_label(instrument: object, start: object = None, end: object = None) -> str:
    """"Entity List, from 7 Oct 2019" (and "to …" when the listing ended)."""
    out = name(instrument)
    if start:
        out += f", from {date_label(start)}"
    if end:
        out += f" to {date_label(end)}"
    return out


__all__ = ["ACTIONS", "date_label", "doc_label", "event_what", "humanise", "name", "names",
           "span_label"]
