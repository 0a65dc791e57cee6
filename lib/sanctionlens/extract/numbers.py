"""Money, percentages and counted quantities in news text, normalised to number and unit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import ahocorasick
import numpy as np

from ..errors import ParameterError

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozens": 24,
}
SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
          "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12}
CURRENCY_PREFIX = {"US$": "USD", "$": "USD", "HK$": "HKD", "NT$": "TWD", "S$": "SGD",
                   "€": "EUR", "£": "GBP", "¥": "CNY", "RMB": "CNY", "Rmb": "CNY",
                   "CNY": "CNY", "USD": "USD", "HKD": "HKD", "EUR": "EUR"}
CURRENCY_SUFFIX = {"yuan": "CNY", "renminbi": "CNY", "dollars": "USD", "us dollars": "USD",
                   "hong kong dollars": "HKD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
                   "yen": "JPY"}
QUALIFIERS = {"more than": "more than", "over": "more than", "above": "more than",
              "at least": "at least", "around": "about", "about": "about", "some": "about",
              "roughly": "about", "nearly": "less than", "almost": "less than",
              "up to": "at most", "less than": "less than", "under": "less than",
              "fewer than": "less than", "approximately": "about"}
# Nouns that a bare number counts ("53,000 staff", "150 countries", "33 new companies").
COUNT_NOUNS = (
    "staff|employees|workers|people|persons|countries|regions|companies|firms|entities|"
    "providers|suppliers|citizens|members|cameras|users|customers|students|researchers|"
    "cities|provinces|institutions|organisations|organizations|individuals|products|"
    "shares|units|factories|stores|offices|engineers|officials|"
    "detainees|camps|universities|banks|investors|agencies|groups|makers|startups|start-ups"
)

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|tn)"
_PREFIX = "|".join(sorted((re.escape(c) for c in CURRENCY_PREFIX), key=len, reverse=True))
_SUFFIX = "|".join(sorted((re.escape(c) for c in CURRENCY_SUFFIX), key=len, reverse=True))

# One scan finds every number token; the patterns below are then matched at each token.
# The digit comes first so that the regex engine can skip ahead to the next digit; the
# look-behind then checks that the digit starts a number (a leading look-behind is 3x slower).
DIGIT_TOKEN = re.compile(r"\d(?<![\w.-]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?")
WORD_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")
WORD_TOKEN_ANYCASE = re.compile(rf"(?<![\w.-])(?:{_WORDNUM})\b", re.I)
CURRENCY_BEFORE = re.compile(rf"(?:{_PREFIX})\s?$")
MONEY_AFTER_PREFIX = re.compile(rf"(?P<n>{_NUM})(?:\s?(?P<s>{_SCALE}|[mbk]\b))?", re.I)
MONEY_SUFFIXED = re.compile(rf"(?P<n>{_NUM})\s?(?P<s>{_SCALE})?\s+(?P<suf>{_SUFFIX})\b", re.I)
PERCENT_AT = re.compile(
    rf"(?P<n>{_NUM}|{_WORDNUM})\s?(?:%|per\s?cent\b|percent\b|pct\b)", re.I)
QUANTITY_AT = re.compile(
    rf"(?P<n>{_NUM}|{_WORDNUM})(?:\s+(?P<s>{_SCALE}))?\s+"
    rf"(?P<mods>(?:(?!(?:of|the|a|an|and|or|to|in|for|with|from|by|these|those|its|their)\b)"
    rf"[A-Za-z][\w-]*\s+){{0,3}}?)(?P<noun>{COUNT_NOUNS})\b",
    re.I,
)


def _renamed(prefix: str, pattern: re.Pattern[str]) -> str:
    """``pattern``'s source with each group ``(?P<x>`` renamed ``(?P<prefix_x>``."""
    return re.sub(r"\(\?P<(\w+)>", lambda g: f"(?P<{prefix}_{g[1]}>", pattern.pattern)


# MONEY_SUFFIXED, PERCENT_AT and QUANTITY_AT as one alternation, tried in that order (so the
# same match as trying each in turn), with the groups renamed apart: one call per number.
_AFTER_NUMBER = re.compile("|".join(
    f"(?:{_renamed(k, p)})"
    for k, p in (("money", MONEY_SUFFIXED), ("percent", PERCENT_AT), ("qty", QUANTITY_AT))),
    re.I)
EQUIVALENT_RE = re.compile(r"\s*\(\s*$")
# A qualifier just before a number ("more than 150 countries"), looked up after a match.
QUALIFIER_BEFORE = re.compile(rf"\b(?P<q>{_QUAL})\s+$", re.I)


class NumberMatch(NamedTuple):
    """One expression: its span and value (``value`` is filled in by ``find_numbers``)."""

    start: int
    end: int
    label: str  # MONEY, PERCENT or QUANTITY
    value: dict


@lru_cache(maxsize=4096)
def to_number(text: str) -> int | float:
    """'53,000' → 53000, '12.1' → 12.1, 'three' → 3."""
    key = text.lower()
    if key in NUMBER_WORDS:
        return NUMBER_WORDS[key]
    d = Decimal(text.replace(",", ""))
    return int(d) if d == d.to_integral_value() else float(d)


@lru_cache(maxsize=4096)
def _scaled(num: str, scale: str | None) -> int | float:
    d = Decimal(str(to_number(num)))
    if scale:
        d *= SCALES[scale.lower()]
    return int(d) if d == d.to_integral_value() else float(d)


def find_numbers(text: str, lowered: str | None = None, word_starts: list[int] | None = None,
                 codes: np.ndarray | None = None) -> Iterator[NumberMatch]:
    """Every MONEY, PERCENT and QUANTITY expression of `text`, non-overlapping, in order.

    ``lowered``: ``text`` already lower-cased (same length), if the caller has it;
    ``word_starts``: where the number words start, if the caller found them already;
    ``codes``: code points of ``lowered`` (see ``digit_starts``), if the caller has them.
    """
    found: list[NumberMatch] = []
    last_end = -1
    if word_starts is None:
        starts = _token_starts(text, lowered)
    else:
        starts = sorted(digit_starts(text, codes) + word_starts)
    for pos in starts:
        if pos < last_end:
            continue
        hit = _match_at(text, pos)
        if hit is None:
            continue
        start, end, label, value = hit
        q = QUALIFIER_BEFORE.search(text, max(0, start - 16), start)
        if q:
            value["qualifier"] = QUALIFIERS[q.group("q").lower()]
            start = q.start()
        found.append(NumberMatch(start, end, label, value))
        last_end = end
    _link_equivalents(text, found)
    return iter(found)


_ASCII_NOT_BEFORE_DIGIT = np.array([chr(c).isalnum() or chr(c) in "_.-" for c in range(128)])


def digit_starts(text: str, codes: np.ndarray | None = None) -> list[int]:
    """Where ``DIGIT_TOKEN.finditer(text)`` finds a number, by array operations.

    ``codes``: the code points (uint32) of a same-length copy of ``text`` with the same
    digits and letters (its lower-cased, mark-folded form), or None to use ``text``'s own.
    """
    if codes is None:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    elif len(codes) != len(text):
        raise ParameterError(
            f"digit_starts: codes has {len(codes)} code points, the text {len(text)}; pass the "
            "code points of a same-length copy of the text (or None)")
    digit = (codes - 48) < 10  # "0".."9"; below "0" the unsigned difference wraps around
    for i in np.flatnonzero(codes >= 128).tolist():  # \d is any Unicode decimal digit
        if text[i].isdecimal():
            digit[i] = True
    at = np.flatnonzero(digit)
    if not at.size:
        return []
    # A number starts at a digit with no word character, "." or "-" just before it. Decided
    # here for ASCII characters before; a non-ASCII one, or a "-" that may have been a
    # dash before folding, is looked at in the text itself.
    prev = codes[np.maximum(at - 1, 0)]
    ascii_prev = prev < 128
    blocked = np.zeros(at.shape, dtype=bool)
    blocked[ascii_prev] = _ASCII_NOT_BEFORE_DIGIT[prev[ascii_prev]]
    look = (~ascii_prev | (prev == 45)) & (at > 0)
    blocked[at == 0] = False
    out: list[int] = []
    last_end = -1
    for p in at[~blocked | look].tolist():
        if p < last_end:
            continue  # inside the previous number ("53,000")
        if p and (text[p - 1].isalnum() or text[p - 1] in "_.-"):
            continue
        last_end = DIGIT_TOKEN.match(text, p).end()
        out.append(p)
    return out


def _token_starts(text: str, lowered: str | None = None) -> list[int]:
    """Start of every digit run or number word, in order.

    ``lowered`` is ``text`` lower-cased with the same length (the tagger's folded text does);
    number words are then found by one Aho-Corasick pass instead of a regex alternation.
    """
    starts = digit_starts(text)
    if lowered is None:
        lowered = text.lower()
    if len(lowered) != len(text):
        starts += [m.start() for m in WORD_TOKEN_ANYCASE.finditer(text)]
        return sorted(starts)
    n = len(lowered)
    last = -1
    for end, length in _word_automaton().iter(lowered):
        start = end - length + 1
        if start == last or (start and lowered[start - 1] in WORD_BEFORE):
            continue
        if end + 1 < n and (lowered[end + 1].isalnum() or lowered[end + 1] == "_"):
            continue
        starts.append(start)
        last = start
    return sorted(set(starts))


@lru_cache(maxsize=1)
def _word_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for word in NUMBER_WORDS:
        auto.add_word(word, len(word))
    auto.make_automaton()
    return auto


# The last character of each currency prefix: only after one of them (and an optional
# space) can a number be an amount of money with its currency in front.
_PREFIX_LAST = frozenset(c[-1] for c in CURRENCY_PREFIX) | {c[-1].lower() for c in CURRENCY_PREFIX}
_YEAR = re.compile(r"(?:19|20)\d\d")


def _match_at(text: str, pos: int) -> tuple[int, int, str, dict] | None:
    cur = None
    if pos and (text[pos - 1] in _PREFIX_LAST or (
            pos > 1 and text[pos - 1].isspace() and text[pos - 2] in _PREFIX_LAST)):
        cur = CURRENCY_BEFORE.search(text, max(0, pos - 4), pos)
    if cur and (m := MONEY_AFTER_PREFIX.match(text, pos)):
        sym = cur.group(0).strip()
        unit = CURRENCY_PREFIX.get(sym) or CURRENCY_PREFIX[sym.upper()]
        return cur.start(), m.end(), "MONEY", {"amount": _scaled(m["n"], m["s"]), "unit": unit}
    m = _AFTER_NUMBER.match(text, pos)
    if m is None:
        return None
    if m["money_suf"] is not None:
        unit = CURRENCY_SUFFIX[m["money_suf"].lower()]
        return pos, m.end(), "MONEY", {"amount": _scaled(m["money_n"], m["money_s"]),
                                       "unit": unit}
    if m["percent_n"] is not None:
        return pos, m.end(), "PERCENT", {"amount": to_number(m["percent_n"]), "unit": "%"}
    if _YEAR.fullmatch(m["qty_n"]) and not m["qty_s"]:
        return None
    return pos, m.end(), "QUANTITY", {"amount": _scaled(m["qty_n"], m["qty_s"]),
                                      "unit": m["qty_noun"].lower()}


def _link_equivalents(text: str, found: list[NumberMatch]) -> None:
    """'80 billion yuan ($12.1 billion)': link the amount to its stated equivalent."""
    for a, b in zip(found, found[1:], strict=False):
        between = text[a.end:b.start]
        if EQUIVALENT_RE.fullmatch(between) and text[b.end:b.end + 1] == ")" \
                and a.value["unit"] != b.value["unit"]:
            a.value["equivalent"] = {"amount": b.value["amount"], "unit": b.value["unit"]}
            b.value["equivalent_of"] = {"amount": a.value["amount"], "unit": a.value["unit"]}
