"""Money, percentages and counted quantities in news text, normalised to number and unit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

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

MONEY_RE = re.compile(
    rf"(?:(?P<q1>{_QUAL})\s+)?(?:(?P<cur>{_PREFIX})\s?(?P<n1>{_NUM})(?:\s?(?P<s1>{_SCALE}|[mbk]\b))?"
    rf"|(?P<n2>{_NUM})\s?(?P<s2>{_SCALE})?\s+(?P<suf>{_SUFFIX})\b)",
    re.I,
)
PERCENT_RE = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUM}|{_WORDNUM})\s?(?:%|per\s?cent\b|percent\b|pct\b)",
    re.I,
)
QUANTITY_RE = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUM}|\b(?:{_WORDNUM}))(?:\s+(?P<s>{_SCALE}))?\s+"
    rf"(?P<mods>(?:(?!(?:of|the|a|an|and|or|to|in|for|with|from|by|these|those|its|their)\b)"
    rf"[A-Za-z][\w-]*\s+){{0,3}}?)(?P<noun>{COUNT_NOUNS})\b",
    re.I,
)
EQUIVALENT_RE = re.compile(r"\s*\(\s*$")


@dataclass(frozen=True)
class NumberMatch:
    start: int
    end: int
    label: str  # MONEY, PERCENT or QUANTITY
    value: dict


def to_number(text: str) -> int | float:
    """'53,000' → 53000, '12.1' → 12.1, 'three' → 3."""
    key = text.lower()
    if key in NUMBER_WORDS:
        return NUMBER_WORDS[key]
    d = Decimal(text.replace(",", ""))
    return int(d) if d == d.to_integral_value() else float(d)


def _scaled(num: str, scale: str | None) -> int | float:
    d = Decimal(str(to_number(num)))
    if scale:
        d *= SCALES[scale.lower()]
    return int(d) if d == d.to_integral_value() else float(d)


def find_numbers(text: str) -> Iterator[NumberMatch]:
    """Every MONEY, PERCENT and QUANTITY expression of `text`, non-overlapping, in order."""
    found: list[NumberMatch] = []
    for m in MONEY_RE.finditer(text):
        if m.group("cur"):
            unit = CURRENCY_PREFIX.get(m.group("cur")) or CURRENCY_PREFIX[m.group("cur").upper()]
            amount = _scaled(m.group("n1"), m.group("s1"))
        else:
            unit = CURRENCY_SUFFIX[m.group("suf").lower()]
            amount = _scaled(m.group("n2"), m.group("s2"))
        value = {"amount": amount, "unit": unit}
        if m.group("q1"):
            value["qualifier"] = QUALIFIERS[m.group("q1").lower()]
        found.append(NumberMatch(m.start(), m.end(), "MONEY", value))
    _link_equivalents(text, found)
    taken = [(f.start, f.end) for f in found]
    for m in PERCENT_RE.finditer(text):
        if _overlaps(m.start(), m.end(), taken) or _inside_word(text, m.start("n")):
            continue
        value = {"amount": to_number(m.group("n")), "unit": "%"}
        if m.group("q"):
            value["qualifier"] = QUALIFIERS[m.group("q").lower()]
        found.append(NumberMatch(m.start(), m.end(), "PERCENT", value))
        taken.append((m.start(), m.end()))
    for m in QUANTITY_RE.finditer(text):
        if _overlaps(m.start(), m.end(), taken) or _inside_word(text, m.start("n")):
            continue
        n = m.group("n")
        if re.fullmatch(r"(19|20)\d\d", n) and not m.group("s"):
            continue  # a year, not a count
        value = {"amount": _scaled(n, m.group("s")), "unit": m.group("noun").lower()}
        if m.group("q"):
            value["qualifier"] = QUALIFIERS[m.group("q").lower()]
        found.append(NumberMatch(m.start(), m.end(), "QUANTITY", value))
        taken.append((m.start(), m.end()))
    return iter(sorted(found, key=lambda f: f.start))


def _link_equivalents(text: str, found: list[NumberMatch]) -> None:
    """'80 billion yuan ($12.1 billion)': link the amount to its stated equivalent."""
    for a, b in zip(found, found[1:], strict=False):
        between = text[a.end:b.start]
        if EQUIVALENT_RE.fullmatch(between) and text[b.end:b.end + 1] == ")" \
                and a.value["unit"] != b.value["unit"]:
            a.value["equivalent"] = {"amount": b.value["amount"], "unit": b.value["unit"]}
            b.value["equivalent_of"] = {"amount": a.value["amount"], "unit": a.value["unit"]}


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _inside_word(text: str, pos: int) -> bool:
    """True when a number starts inside a word ('COVID-19', 'G20')."""
    return pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "-")
