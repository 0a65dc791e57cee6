"""Dates for mentions: the text's own date when it gives one, else the publication date when
the text reports the act as news of the day, else none (never a guess).

1. **In the clause.** A time expression dates the nearest trigger of its clause that may use
   it: a future expression ("set to be published Wednesday", "will take effect on August 2")
   dates only planned and effective mentions and considerations; a possessive ("yesterday's
   price") dates nothing.
2. **The reporting date.** A date right after a reporting verb ("the agency said Dec. 10",
   "announced Monday") dates every act the sentence reports that has none of its own.
3. **"Also".** An undated act in a sentence that says it happened alongside ("also",
   "additionally", "furthermore") takes the date of the act reported just before.
4. **Named moves.** Share moves named company by company without a date take the date of
   the move told first without companies (:func:`date_named_moves`).
5. **News of the day.** An undated act reported in the lead (the first sentences that report
   an act) by a finite verb with an acting agency, or a share move told in the present tense
   or "during the day", gets the publication date, ``date_basis`` saying so (``soft``: an
   explicit date of the same act in the same document wins over it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .mentions import Mention, clause
from .status import PROGRESSIVE

_S = r"[^\S\n]+"
_SPEECH_BEFORE = re.compile(
    rf"\b(?:said|says|announced|announces|stated|disclosed|reported|notices{_S}released|"
    rf"released|dated){_S}(?:on{_S})?$", re.I)
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")
_ALSO = re.compile(r"\b(?:also|[Aa]dditionally|[Ff]urthermore|[Ii]n{_S}addition|as{_S}well|"
                   r"[Cc]oncurrently|[Ss]imultaneously|[Aa]t{_S}the{_S}same{_S}time|"
                   r"[Ss]eparately|[Ii]n{_S}a{_S}separate{_S}(?:move|action|notice|rule))\b"
                   .replace("{_S}", _S))
_SUBORDINATE = re.compile(r"\b(?:after|since|when|before|because|until|once|if|due{_S}to|"
                          r"owing{_S}to|because{_S}of|following)\b".replace("{_S}", _S), re.I)
_NOT_NEWS = re.compile(
    rf"\brecent(?:ly)?\b|\b(?:past|last){_S}(?:\w+{_S})?(?:days|weeks|months|years)\b|\bsince\b|"
    rf"\balready\b|\bpreviously\b|\bin{_S}the{_S}past\b|\bearlier\b", re.I)
_PRESENT = re.compile(
    r"\b(?:adds|removes|amends|designates|identifies|imposes|places|blacklists|dives|falls|"
    r"tumbles|plunges|sinks|closes|drops|rises|jumps|soars|surges|"
    # a plural subject's present: "Shares in CATL jump 11% in Hong Kong debut"
    r"(?<=shares )(?:\S+ ){0,6}?(?:jump|soar|surge|rise|climb|rally|fall|tumble|plunge|sink|"
    r"drop|slide|slump|dive))\b", re.I)
_ACTING_GOVERNMENT = ("united_states", "washington")
# A listing named as what a company contests: "challenging its placement on", "an appeal
# against its designation", "a lawsuit over its inclusion".
_CHALLENGED = re.compile(
    rf"\b(?:challeng\w*|contest\w*|appeal\w*|disput\w*|fight\w*|against|over|overturn\w*)"
    rf"{_S}(?:its|their|the{_S}(?:company|firm)['’]s|[A-Z][\w.]*['’]s?){_S}$", re.I)
_TODAY = re.compile(rf"\bduring{_S}the{_S}day\b|\bon{_S}the{_S}day\b", re.I)
_REDUCED_RELATIVE = re.compile(rf"^added{_S}to\b", re.I)
_BE_BEFORE = re.compile(rf"\b(?:is|are|was|were|be|been|being|has|have|had|get|got){_S}"
                        rf"(?:\w+{_S})?$", re.I)
_FUTURE_OK = {"planned", "effective", "considered"}
_ACT_KINDS = ("added_to_list", "designated", "removed", "eo_signed", "law_signed",
              "other_action", "ipo_filed", "ipo_postponed", "ipo_scrapped", "ipo_listed",
              "shares_fell", "shares_rose")
LEAD_SENTENCES = 3  # the lead: sentences up to the third that reports an act
ALSO_SENTENCES = 6  # "also" continues an act reported at most this many sentences back


def date_sentence(ms: list[Mention], stx: list[Any], sent: Any) -> None:
    """Rules 1 and 2 for the mentions of one sentence (in place)."""
    text, offset = sent.text, sent.start
    chosen: list[Any] = [None] * len(ms)
    best: list[tuple[int, int, int]] = [(9, 9, 10**9)] * len(ms)
    speech: list[Any] = []
    for x in stx:
        xs, xe = x.start - offset, x.end - offset
        if x.precision == "vague" or _POSSESSIVE_AFTER.match(text[xe:xe + 2]):
            continue
        scheduled = _SCHEDULED.search(text[max(0, xs - 40):xs]) is not None
        said = not x.future and _SPEECH_BEFORE.search(text[max(0, xs - 40):xs]) is not None
        if said:
            speech.append(x)
        future = _future(x, text[:xs])
        cands = []
        for i, m in enumerate(ms):
            s, e = m.trigger[0] - offset, m.trigger[1] - offset
            if (scheduled or (future and not _next_morning(x, m))) and \
                    m.status not in _FUTURE_OK:
                continue  # "postponed its IPO from the previously scheduled December 17"
            lo, hi = clause(text, s)
            if not (lo <= xs and xe <= hi):
                continue
            if e <= xs and _RELATIVE.search(text[e:xs]):
                continue  # the date of a clause after the verb, not the verb's
            cands.append((s - xe if xe <= s else (xs - e if xs >= e else 0), s < xs, i))
        fronted = _FRONTED.search(text[:xs]) is not None
        if said and not any(before for _, before, _ in cands):
            continue  # "announced on March 5 that ...": the day it was said (rule 2 only)
        pick = _binding(cands, fronted)
        if pick is not None:
            dist, i = pick
            # a verb phrase's own date before a fronted one, a date before a relative one
            key = (int(fronted), int(not x.basis.startswith("explicit")),
                   dist)
            if key < best[i]:
                best[i], chosen[i] = key, x
    company_speaks = any(m.action in ("company_statement", "denial") for m in ms)
    for i, m in enumerate(ms):
        x = chosen[i]
        s = m.trigger[0] - offset
        if x is not None and company_speaks and m.action not in ("company_statement", "denial") \
                and x.start > _first_speech(ms):
            x = None  # "criticised the latest blacklisting, saying ... over the weekend"
        if x is None and speech and m.action in _ACT_KINDS and m.status not in _FUTURE_OK \
                and not company_speaks and not _SUBORDINATE.search(text[max(0, s - 30):s]) \
                and _reported_by(m, speech[-1], ms):
            x = speech[-1]  # "the agency said Dec. 10", not "... after it was blacklisted"
        if x is not None:
            _set(m, x)
    moves = [m for m in ms if m.action in ("shares_fell", "shares_rose")]
    debut = [m for m in ms if m.action == "ipo_listed"  # not "up a fifth since its debut"
             and not re.search(r"\bsince\W+(?:\w+\W+)?$", text[:m.trigger[0] - offset])]
    for m in moves:  # share moves told in one sentence happened on one day (a debut's day)
        if not m.dated:
            other = next((o for o in moves + debut if o.dated), None)
            if other is not None:
                m.value, m.precision, m.basis, m.expression = (other.value, other.precision,
                                                               other.basis, other.expression)


# A time adverbial at the start of a clause or conjunct ("In October, ...", "... and on
# Monday its shares fell") governs what follows it; anywhere else it closes the verb phrase
# before it ("revoked licences in May and unveiled controls in September").
# A relative or adverbial clause between a verb and a later date: the date is the clause's
# ("identified the firms ... where the State Department in January declared ...").
_RELATIVE = re.compile(r"\b(?:where|which|who|whose|whom|when|while|after|before|since|"
                       r"because|although)\b", re.I)
_FRONTED = re.compile(
    r"(?:^|[,;:(\"“]|\b(?:and|but|while|then|as|after|before|since|when))[^\S\n]*$", re.I)


def _binding(cands: list[tuple[int, bool, int]], fronted: bool) -> tuple[int, int] | None:
    """(distance, mention index) of the trigger a time expression dates: the nearest trigger
    before (or around) it when it closes a verb phrase, else the nearest one."""
    if not cands:
        return None
    before = [(d, i) for d, is_before, i in cands if is_before]
    if before and not fronted:
        return min(before)
    return min((d, i) for d, _, i in cands)


# A date something was scheduled for is not the date of what happened to it.
_SCHEDULED = re.compile(rf"\b(?:scheduled|planned|slated|set|due){_S}(?:for{_S}|on{_S})?$", re.I)
def _first_speech(ms: list[Mention]) -> int:
    """Where the first company statement of the sentence starts (its words follow it)."""
    return min((m.trigger[0] for m in ms if m.action in ("company_statement", "denial")),
               default=0)


def _next_morning(x: Any, m: Mention) -> bool:
    """A day after the publication day, told of in the past tense: a story filed in the US
    evening about the next trading day in Asia ("shares were 6.5% lower in Hong Kong on
    Tuesday", published Monday in New York)."""
    if x.precision != "day" or not x.value or not m.published:
        return False
    try:
        gap = (dt.date.fromisoformat(x.value) - dt.date.fromisoformat(m.published)).days
    except ValueError:
        return False
    return gap == 1 and (m.action in ("shares_fell", "shares_rose") or "dateline" in x.basis)


def _reported_by(m: Mention, x: Any, ms: list[Mention]) -> bool:
    """Does the reporting verb dated by `x` report `m`? Yes when `m` follows it ("said Dec. 10
    it added ..."), or comes before it with no other act between ("added ..., the agency said
    Monday"); not "postponed its IPO due to a ban announced on Dec. 10"."""
    if m.trigger[0] >= x.start:
        return True
    return not any(o is not m and m.trigger[1] <= o.trigger[0] < x.start for o in ms)


_FUTURE_CUE = re.compile(
    rf"\b(?:will|shall|set{_S}to|due{_S}to|expected|scheduled|slated|plans?{_S}to|to{_S}take"
    rf"{_S}effect)\b", re.I)


def _future(x: Any, before: str) -> bool:
    """Is the expression about the future? A date the text spells out with its year ("as early
    as August 2019", "As of June 3, 2021, ... has removed") is so only after a future cue."""
    if not x.future:
        return False
    if x.basis == "explicit" and x.precision in ("day", "month", "year"):
        return _FUTURE_CUE.search(before) is not None
    return True


def _set(m: Mention, x: Any) -> None:
    m.unresolved = x.value is None
    m.basis = x.basis
    m.expression = x.text
    if x.value is not None:
        m.value, m.precision = x.value, x.precision
        m.range_end = x.range_end if x.precision in ("range", "vague") else None


def date_by_context(doc: Any, ms: list[Mention], tags_by_sentence: dict[int, list[Any]]) -> None:
    """Rules 3 and 4 over a document's mentions, in text order (in place)."""
    lead_left = LEAD_SENTENCES
    lead_sentences: set[int] = set()
    for m in ms:
        if m.action in _ACT_KINDS and lead_left and m.sentence_id not in lead_sentences:
            lead_sentences.add(m.sentence_id)
            lead_left -= 1
    last_dated: Mention | None = None
    for m in ms:
        if m.dated or m.unresolved or (m.action not in _ACT_KINDS and m.status != "considered"):
            if m.dated and m.action in _ACT_KINDS:
                last_dated = m
            continue
        s = m.trigger[0] - m.start
        if last_dated is not None and _ALSO.search(m.text[:s + 40]) and \
                m.sentence_id - last_dated.sentence_id <= ALSO_SENTENCES and \
                m.status not in _FUTURE_OK:
            m.value, m.precision, m.range_end = (last_dated.value, last_dated.precision,
                                                 last_dated.range_end)
            m.basis = (f"context: 'also' continues the act of sentence "
                       f"{last_dated.sentence_id} ({last_dated.value})")
            continue
        if m.status == "considered":
            _considered_now(doc, m)
            continue
        reason = _news_of_the_day(m, m.sentence_id in lead_sentences,
                                  tags_by_sentence.get(m.sentence_id, []))
        if reason is None and lead_sentences and m.sentence_id == min(lead_sentences):
            reason = _first_act_passive(m)
        if reason and doc.published is not None:
            m.value, m.precision = doc.published.isoformat(), "day"
            m.basis = f"publication date {doc.published.isoformat()}: news of the day ({reason})"
            m.soft = True


def _news_of_the_day(m: Mention, in_lead: bool, stags: list[Any]) -> str | None:
    """Why an undated act counts as the day's news, or None."""
    text = m.text
    s, e = m.trigger[0] - m.start, m.trigger[1] - m.start
    lo, hi = clause(text, s)
    piece = text[lo:hi]
    if m.status not in ("done", "announced", "removed") or _NOT_NEWS.search(piece):
        return None
    if _SUBORDINATE.search(text[lo:s]):
        return None  # "... after it was included in a list": background to the news
    if _CHALLENGED.search(text[max(lo, s - 40):s]):
        return None  # "a lawsuit challenging its placement on the list": what is contested
    if m.action in ("shares_fell", "shares_rose"):
        if _TODAY.search(piece):
            return "a share move 'during the day'"
        if _PRESENT.search(text[s:e]) and in_lead:
            return "a share move told in the present tense in the lead"
        return None
    if _REDUCED_RELATIVE.match(text[s:e]) and not _BE_BEFORE.search(text[max(0, s - 30):s]):
        return None  # "companies added to the list include ...": not a finite verb
    agency = any(t.label == "AGENCY" and lo <= t.start - m.start < hi for t in stags)
    if in_lead and agency:
        return "reported in the lead with its acting agency"
    if in_lead and any(t.label == "PLACE" and t.entity_id in _ACTING_GOVERNMENT
                       and lo <= t.start - m.start < s for t in stags):
        return "reported in the lead with the government acting"  # "The U.S. has taken ..."
    if in_lead and (_PRESENT.search(text[s:e]) or (PROGRESSIVE.search(text[:s])
                                                    and text[s:e].split()[0].endswith("ing"))
                    or text[s:e] == "Sanctions"):
        return "told in the present tense in the lead"  # "The U.S. is imposing sanctions on"
    return None


def _first_act_passive(m: Mention) -> str | None:
    """The story's first act told as a finite passive without its agent ("AO Kaspersky Lab
    and China Telecom (Americas) Corp were added to a U.S. list ..."), or a debut or share
    move ("Shares of Hygon doubled in their debut"): the day's news."""
    s = m.trigger[0] - m.start
    if m.status != "done" or _NOT_NEWS.search(m.text) or _SUBORDINATE.search(m.text[:s]):
        return None
    if m.action in ("ipo_listed", "shares_fell", "shares_rose") and \
            not m.text[s:].startswith("raised") and not _PERFECT_BEFORE.search(m.text[:s]):
        return "the story's first act, a debut or a share move"  # a market story's news
    if m.action not in ("added_to_list", "designated"):
        return None
    if _FINITE_PASSIVE.search(m.text[max(0, s - 20):m.trigger[1] - m.start]):
        return "the story's first act, told as a finite passive"
    return None


_FINITE_PASSIVE = re.compile(r"\b(?:was|were|has[^\S\n]+been|have[^\S\n]+been)[^\S\n]+"
                             r"(?:\w+[^\S\n]+)?(?:added|placed|designated|included|listed|"
                             r"named|blacklisted)\b", re.I)
_PERFECT_BEFORE = re.compile(r"\b(?:has|have)[^\S\n]+$", re.I)


_PRESENT_REPORT = re.compile(r"\b(?:is|are)\b|\bmay\b|\bmight\b|\bsays\b", re.I)


def _considered_now(doc: Any, m: Mention) -> None:
    """A present-tense report that sanctions are weighed is dated to the month of publication."""
    s, e = m.trigger[0] - m.start, m.trigger[1] - m.start
    if doc.published is None or not _PRESENT_REPORT.search(m.text[max(0, s - 60):e]):
        return
    m.value, m.precision = doc.published.strftime("%Y-%m"), "month"
    m.basis = (f"context: present-tense report, as of publication "
               f"{doc.published.isoformat()} (month precision)")


_MOVES = ("shares_fell", "shares_rose")


def date_named_moves(ms: list[Mention]) -> None:
    """A share move told first without its companies ("Shares in two surveillance firms
    plunged Wednesday") and then company by company without a date ("Shares of Hikvision
    dived 5.5% and Dahua tumbled 6%") is one move: the named moves take its date, and it
    becomes evidence of the first of them (in place). A market wrap's risers and fallers
    told without a date ("AIA Group, which gained 6%") are moves of the session its dated
    moves report, in either direction, when those agree on one day."""
    session = [m for m in ms if m.action in _MOVES and m.dated and not m.targets]
    for action in _MOVES:
        _date_from_unnamed([m for m in session if m.action == action],
                           [m for m in ms if m.action == action], retarget=True)
    _date_from_unnamed(session, [m for m in ms if m.action in _MOVES], retarget=False)


def _date_from_unnamed(unnamed: list[Mention], moves: list[Mention], retarget: bool) -> None:
    """The undated named ``moves`` take the one date of the ``unnamed`` dated moves."""
    named = [m for m in moves if not m.dated and not m.unresolved and m.targets]
    if not named or len({(m.value, m.precision) for m in unnamed}) != 1:
        return
    src = unnamed[0]
    for m in named:
        m.value, m.precision, m.range_end, m.soft = (src.value, src.precision,
                                                     src.range_end, src.soft)
        m.expression = src.expression
        m.basis = f"the move reported in sentence {src.sentence_id}"
    for m in unnamed if retarget else ():
        m.targets = named[0].targets


def date_moves_after_debut(ms: list[Mention]) -> None:
    """"Shares of A doubled in their Shanghai debut. The stock soared as much as 105%": a
    move told in the sentence after a dated debut or move of the same company is that day's."""
    for m in ms:
        if m.action not in _MOVES or m.dated or m.unresolved:
            continue
        prev = [o for o in ms if o.dated and o.sentence_id == m.sentence_id - 1
                and o.action in (*_MOVES, "ipo_listed") and o.targets == m.targets]
        if prev:
            src = prev[0]
            m.value, m.precision, m.range_end, m.soft = (src.value, src.precision,
                                                         src.range_end, src.soft)
            m.expression, m.basis = src.expression, f"the move told in sentence {src.sentence_id}"
