"""Event families and statuses, and which instrument (list) a sentence speaks of.

A *family* is the kind of official action an event is, as the development corpus annotates it
(``FAMILIES``); a *status* says how the text reports it (``STATUSES``). The instrument comes
from an INSTRUMENT tag when the sentence names the list; otherwise from how news names it
("the Pentagon's list of Chinese military companies", "the Unverified List") or from the
agency that acts (the Pentagon keeps the 1260H list, DHS the UFLPA Entity List).
"""

from __future__ import annotations

import re

FAMILIES = ("entity_list", "dod_1260h", "ns_cmic", "sdn", "uflpa_entity_list",
            "fcc_covered_list", "meu_list", "executive_order", "law", "ipo_filed",
            "ipo_postponed", "ipo_listed", "shares", "other", "statement", "response")
STATUSES = ("done", "announced", "effective", "planned", "considered", "denied", "removed")
# Which status wins when one event is reported in several ways (most settled first).
STATUS_ORDER = ("done", "announced", "effective", "removed", "planned", "considered", "denied")

# Instrument id (kb/instruments.yaml) -> family.
INSTRUMENT_FAMILY = {
    "entity_list": "entity_list", "dod_1260h": "dod_1260h", "ns_cmic_list": "ns_cmic",
    "sdn_list": "sdn", "uflpa_entity_list": "uflpa_entity_list",
    "fcc_covered_list": "fcc_covered_list", "meu_list": "meu_list",
    "eo_13959": "executive_order", "eo_14032": "executive_order", "uflpa": "law",
}
# Actions whose family does not depend on an instrument.
ACTION_FAMILY = {
    "eo_signed": "executive_order", "law_signed": "law", "ipo_filed": "ipo_filed",
    "ipo_postponed": "ipo_postponed", "ipo_scrapped": "ipo_postponed",
    "ipo_relaunch_planned": "ipo_filed", "ipo_listed": "ipo_listed", "shares_fell": "shares",
    "shares_rose": "shares", "company_statement": "statement", "denial": "statement",
    "government_response": "response", "removed": "other", "other_action": "other",
}
# The list an acting agency keeps, when the sentence names none ("the agency's blacklist").
AGENCY_INSTRUMENT = {
    "us_commerce": "entity_list", "bis": "entity_list", "us_defense": "dod_1260h",
    "dhs": "uflpa_entity_list", "fletf": "uflpa_entity_list", "fcc": "fcc_covered_list",
    "ofac": "sdn_list", "us_treasury": "sdn_list",
}
_S = r"[^\S\n]+"
# How news names a list without its official name; checked in this order, first hit wins.
INSTRUMENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("unverified_list", re.compile(r"\bUnverified{_S}List\b|\bUVL\b".replace("{_S}", _S))),
    ("ns_cmic_list", re.compile(
        rf"\bNon-(?:SDN|Specially{_S}Designated{_S}Nationals?)\b|\bCMIC\b|"
        rf"\bmilitary[- ]industrial{_S}complex{_S}compan(?:y|ies)\b|\binvest(?:ing|ment){_S}in\b|"
        rf"\binvestment{_S}(?:ban|blacklist)\b", re.I)),
    ("dod_1260h", re.compile(
        rf"\b(?:1260H|1237|CCMC)\b|\bmilitary{_S}compan(?:y|ies)\b|"
        rf"\bcompanies{_S}(?:linked|tied|with{_S}(?:links|ties)|affiliated){_S}"
        rf"(?:with|to){_S}(?:\w+['’]s{_S})?(?:the{_S})?(?:Chinese{_S})?military\b|"
        rf"\bPentagon['’]?s?{_S}(?:black)?list\b|\b(?:defen[cs]e|military){_S}blacklist\b",
        re.I)),
    ("uflpa_entity_list", re.compile(
        rf"\bUF[LP]{{2}}A{_S}Entit(?:y|ies){_S}List\b|\bforced{_S}labou?r{_S}list\b", re.I)),
    ("fcc_covered_list", re.compile(rf"\bCovered{_S}List\b")),
    # Reuters and AP call the Entity List "a trade blacklist" or "an export blacklist"
    ("entity_list", re.compile(rf"\b(?:trade|export|export{_S}control)(?:{_S}|-)blacklists?\b|"
                               rf"\brestrict(?:ed|s|ing)?{_S}exports{_S}to\b", re.I)),
]
# Instrument ids that are not in the KB but name a family ("other": Unverified List).
CUE_FAMILY = {"unverified_list": "other"}
# A military cue beside an OFAC actor means the NS-CMIC list, not the SDN list.
_MILITARY = re.compile(r"\bmilitary\b|\binvest(?:ment|ors?|ing)\b", re.I)
# (not the "Assets" of the Office of Foreign Assets Control's own name)
_BLOCKING = re.compile(r"\bsanction(?:s|ed)\b|\bblock(?:ed|ing)\b|\bassets?\b(?!\s+Control)|"
                       r"\bfr[eo]ze", re.I)


# One pass that any cue needs to match (most sentences name no list).
_ANY_CUE = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in INSTRUMENT_CUES), re.I)


def instrument_cue(text: str) -> str | None:
    """The list a clause names in news words, or None."""
    if _ANY_CUE.search(text) is None:
        return None
    for instrument, rx in INSTRUMENT_CUES:
        if rx.search(text):
            return instrument
    return None


def agency_instrument(agency: str | None, clause: str) -> str | None:
    """The list an acting agency keeps (Treasury/OFAC: NS-CMIC when the clause speaks of the
    military or of investment, SDN when of sanctions, blocking or assets, else unknown)."""
    inst = AGENCY_INSTRUMENT.get(agency or "")
    if inst == "sdn_list":  # Treasury keeps both: say which only when the clause tells
        if _MILITARY.search(clause):
            return "ns_cmic_list"
        return "sdn_list" if _BLOCKING.search(clause) else None
    return inst


def family_of(action: str, instrument: str | None) -> str:
    """The event family of an action on an instrument (listing actions take the list's)."""
    if action in ACTION_FAMILY and action not in ("removed",):
        return ACTION_FAMILY[action]
    if action == "removed":
        return "other"
    if instrument in CUE_FAMILY:
        return CUE_FAMILY[instrument]
    return INSTRUMENT_FAMILY.get(instrument or "", "other")


LISTING_FAMILIES = tuple(f for f in dict.fromkeys(INSTRUMENT_FAMILY.values())
                         if f not in ("executive_order", "law"))
