"""The status of a mention, read from the words around its trigger.

``considered`` (reported to be weighed: "is weighing", "may add"), ``removed`` ("removes ...
from"), ``denied`` (a company's denial), ``effective`` ("took effect", "is effective"),
``planned`` (future: "will add", "is set to", "plans to"), ``announced`` (an announcement of a
present or future act: "announced Monday it is blacklisting", "said it will add", "will add
..., the agency said"), else
``done``.
"""

from __future__ import annotations

import re

_S = r"[^\S\n]+"
_FUTURE_BEFORE = re.compile(
    rf"\b(?:will|shall|(?:is|are|was|were){_S}(?:set|due|expected|scheduled|slated|poised|going|"
    rf"planning|about){_S}to|plans?{_S}to|intends?{_S}to|to{_S}be)\b(?:{_S}\w+){{0,3}}{_S}?$",
    re.I)
_ANNOUNCE = re.compile(
    rf"\b(?:announced|announces|said|says|stated|notified|confirmed|confirms)\b"
    rf"(?:{_S}\w+){{0,2}}?{_S}(?:that{_S})?"
    rf"(?:it|they|the{_S}\w+){_S}(?:will|would|is|are|was|were){_S}(?:\w+{_S})?$", re.I)
# Reported intention: "a report that the US would add ...", "said the US would put ...";
# "would" before the act's verb anywhere earlier in its clause.
_WOULD = re.compile(rf"\bwould{_S}(?:\w+{_S}){{0,2}}?(?:add|put|place|include|blacklist|"
                    rf"designate|name|list|sanction|ban|bar)\b[^;:.]*$", re.I)
# The government's own word on a coming act: "DHS will add ..., the agency said".
_AGENCY_SAID = re.compile(
    rf",{_S}(?:the{_S})?(?:agency|department|ministry|government|administration|officials|"
    rf"Commerce|Treasury|Pentagon|DHS|BIS|OFAC|FCC|Commerce{_S}Department|Defense{_S}Department"
    rf"|State{_S}Department)\b(?:{_S}\w+){{0,2}}?{_S}(?:said|says|announced|stated)\b", re.I)
# A trigger that is itself future ("will be added", "also will add") and a present
# progressive before one ("is adding"); mentions and dating read them too.
FUTURE_TRIGGER = re.compile(rf"(?:also{_S})?(?:will|to{_S}be)\b", re.I)
PROGRESSIVE = re.compile(rf"\b(?:is|are){_S}(?:also{_S})?$", re.I)


def status_of(kind: str, text: str, s: int, e: int) -> str:
    """The status of a trigger of ``kind`` at ``text[s:e]``."""
    if kind == "considered":
        return "considered"
    if kind == "removed":
        return "removed"
    if kind == "denial":
        return "denied"
    if kind == "effective":
        return "effective"
    before = text[max(0, s - 80):s]
    if FUTURE_TRIGGER.match(text, s):  # the trigger itself is future: "will be added"
        before += " will "
    if _WOULD.search(text[max(0, s - 200):s]):
        return "planned"
    if _ANNOUNCE.search(before):
        return "announced"
    if _FUTURE_BEFORE.search(before):
        return "announced" if _AGENCY_SAID.search(text[e:]) else "planned"
    if kind == "ipo_relaunch_planned":
        return "planned"
    if PROGRESSIVE.search(before):
        return "announced"  # "BIS is adding ..." reports an act under way as news
    return "done"
