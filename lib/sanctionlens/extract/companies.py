"""Companies the knowledge base does not know, found by how English news and official
releases name companies.

Rules (the ``basis`` of each tag):

``legal_form``    a capitalised name ending in a legal form: "Tiandy Technologies",
                  "Hongyuan Green Energy Co., Ltd.", "Ant Group", "Tencent Holdings".
``ticker``        a name followed by a ticker: "Hesai (NASDAQ: HSAI)", "SMIC (0981.HK)".
``list_context``  items of a list whose head says they are companies: "automakers such as Ford
                  and Tesla", "the entities are A; B; C", "added A, B and C to the Entity List",
                  and further items of a list of companies ("A Co., Ltd., B Co., Ltd., C").
``appositive``    a role noun beside the name: "IDG Capital, a private equity company",
                  "battery maker CATL", "Beijing-based Tiandy Technologies".
``company_verb``  what only companies do: "Tencent's shares", "shares of A", "CATL shares
                  fell", "A said in a statement", "A, which makes ...", "Hesai CEO ...".
``acronym``       an acronym introduced in parentheses or spelled by a company's initials
                  ("Yangtze Memory Technologies Co. ... YMTC"), or a name introducing a known
                  company's acronym ("Da Jiang Innovations (DJI)").
``recurrence``    a name found by a rule elsewhere in the document or the corpus, or its short
                  form ("Tiandy" after "Tiandy Technologies").

Negative evidence wins over every rule: names the knowledge base knows as agencies, outlets,
organisations, places, people or instruments; words of non-companies (Department, University,
Exchange, Times, ...); page furniture (ad lines, menus); title-case headlines (no discovery
there, only recurrences); a capitalised common word.

The rules run only where the tagger's one Aho-Corasick scan found a cue word
(:data:`CUE_WORDS`), so a document is still scanned once. Spellings of one company join one
entity (:class:`Registry`): ``new:<slug>`` of the shortest spelling, or the KB company's id when
a spelling is the KB's.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from .stopwords import PLACE_NAMES, STOPWORDS

BASES = ("kb", "legal_form", "ticker", "list_context", "appositive", "company_verb",
         "acronym", "recurrence")

# --------------------------------------------------------------------------- word lists
# Legal forms that make any capitalised name a company ("Hongyuan Green Energy Co., Ltd.").
STRONG_FORMS = frozenset("""Co. Co Ltd. Ltd Limited Corporation Corp. Corp Inc. Inc
    Incorporated Company LLC L.L.C. PLC plc GmbH LTD LTD. CO. INC. CORP. LIMITED""".split())
# Words that end company names but also ordinary phrases ("Information Technology"): the
# name needs a word of its own besides them.
WEAK_FORMS = frozenset("""Group Holdings Holding Technologies Technology Tech Electronics
    Semiconductor Semiconductors Industries Microelectronics Optoelectronics Motors
    Pharmaceutical Pharmaceuticals Biotech Biotechnology Robotics Capital Securities""".split()
                       + ["Information Industry"])  # not "Industry" alone: "US industry"
LEGAL_FORMS = STRONG_FORMS | WEAK_FORMS
_STRONG_TITLED = frozenset(f.title() for f in STRONG_FORMS)
# Words of institutions that a company's legal name may hold ("... Research Institute Co.,
# Ltd."): with a strong legal form at its end such a name is a company.
INSTITUTION_WORDS = frozenset("""Institute Institutes Academy Laboratory Laboratories Lab Labs
    Center Centre Centers Centres Hospital Fund Funds""".split())
# Words of names that are not companies.
NON_COMPANY_WORDS = frozenset("""Department Departments Ministry Ministries Bureau Office
    Administration Agency Agencies Commission Council Congress Court Courts Senate House
    Parliament Assembly Committee Authority Embassy Consulate Police Guard Command Corps
    University Universities Institute Institutes Academy Laboratory Laboratories Lab Labs
    Center Centre Centers Centres School College Hospital Association Federation Foundation
    Union Party Army Navy Force Forces Government Governments Exchange Exchanges Market Markets
    Board Bourse Index Nasdaq NYSE News Times Post Daily Journal Reuters Bloomberg Press Herald
    Tribune Gazette Magazine Weekly Wire Radio Television TV Newsletter Act Law Laws List
    Lists Rule Rules Regulations Program Programme Policy Sanctions Province Region City County
    Republic Kingdom Islands Autonomous Street Secretary Minister President Commerce Justice
    Labor Labour Interior Homeland Customs Immigration
    Treasury Pentagon Fund Funds Alliance Initiative Project Summit Conference Forum
    Home Subscribe Sign Login Log Advertisement Privacy Cookie Cookies Menu Search Newsletters
    Contact Skip Click Read Watch Follow Terms Copyright Sponsored Ad Photo Image Video
    Working Task STAR""".split())
# Capitalised words that describe rather than name ("Chinese Technology Group"), months,
# days, and common sentence starters.
GENERIC_WORDS = frozenset("""Chinese American Japanese Korean Russian Indian German French
    British European Asian Western Eastern Global International National Federal Foreign
    Domestic Military Defense Defence Security Civil Fusion Industrial Complex Advanced High
    High-Tech Hi-Tech New Top Big Major Leading Other Others Additional Several Many Some All
    Any Each Every Both Its Their Our Your His Her This That These Those Such Certain Various
    Technology Tech Information Digital Smart Data Internet Chip Chips AI Artificial
    Intelligence Intelligent Computing Surveillance Memory Energy Green Solar Communist
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
    Oct Nov Dec Today Yesterday Tomorrow Meanwhile However Also Still Yet Then Now Last Next
    First Second Third Earlier Later According Under Over After Before Since Despite Shares
    Stocks Stock Entity Entities Companies Company Firms Firm Chinese-owned State-owned IPO
    CEO Mr Ms Mrs Dr US U.S. USA UK EU PRC China Former Acting Interim Deputy Class""".split())
# Sentence starters that never begin a company's name ("Meanwhile Huawei Technologies ...").
_STARTERS = frozenset("""Meanwhile However Also Still Yet Then Now Last Next Earlier Later
    According Under Over After Before Since Despite Shares Stocks Other Others Several Many
    Some All Both Each Every Such These Those This That Its Their Our Today Yesterday
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Former Acting""".split())
# Titles before a personal name ("CEO Yifan Li said", "Secretary Mayorkas said").
PERSON_TITLES = frozenset("""Mr Mr. Ms Ms. Mrs Mrs. Dr Dr. CEO chief executive founder
    co-founder chairman chairwoman president spokesperson spokesman spokeswoman Secretary
    Minister President Senator Sen. Rep. analyst director Director Chairman""".split())
# Role nouns: "A, a maker of drones", "battery maker CATL".
ROLE_NOUNS = ("company", "firm", "maker", "chipmaker", "automaker", "carmaker", "manufacturer",
              "producer", "giant", "heavyweight", "startup", "start-up", "supplier", "provider",
              "developer", "operator", "conglomerate", "retailer", "vendor", "subsidiary",
              "affiliate", "lender", "brokerage", "insurer", "outfit", "titan", "behemoth",
              "corporation", "exporter", "contractor", "chipmakers", "companies",
              "firms", "makers", "manufacturers", "automakers", "carmakers", "giants",
              "suppliers", "producers", "affiliates", "subsidiaries", "conglomerates",
              "corporations", "entities", "brands", "startups", "vendors", "developers",
              "lenders", "shipbuilder", "shipbuilders", "airline", "airlines", "fund")
_PLURAL_ROLES = frozenset(r for r in ROLE_NOUNS if r.endswith("s"))
LIST_HEADS = ("companies", "firms", "entities", "manufacturers", "makers", "automakers",
              "carmakers", "chipmakers", "suppliers", "corporations", "conglomerates",
              "brands", "giants", "startups", "subsidiaries", "affiliates", "vendors",
              "producers", "developers", "lenders", "shipbuilders", "airlines")
LIST_VERBS = ("added", "adds", "adding", "placed", "places", "blacklisted", "designated")
COMPANY_VERBS = ("said in a statement", "said in a filing", "said in a stock exchange filing",
                 "which makes", "which produces", "which manufactures", "which develops",
                 "which sells", "which supplies", "which designs", "which operates",
                 "which owns", "shares", "stock", "share price", "depository receipts",
                 "depositary receipts", "ceo", "chief executive", "listing of", "ipo of",
                 "debut of", "called", "named")
TICKER_CUES = ("(nasdaq", "(nyse", "(hkex", "(hkg", "(sehk", "(sse", "(szse", "(otc",
               ".hk)", ":hk)", ".sh)", ":sh)", ".ss)", ".sz)", ":sz)", ".o)", ".n)", "(0")
BASED_CUES = ("-based", "-headquartered")
# A person's job at a firm, as market stories quote analysts: "an analyst at Morningstar".
EMPLOYER_CUES = ("analyst at", "analysts at", "strategist at", "economist at", "director at",
                 "partner at", "manager at", "trader at", "banker at", "investor at")
# A sentence that names the companies the one before it counted: "They were A, B and C."
PRONOUN_LISTS = ("they were", "they are", "they include", "they included", "these are",
                 "these were", "these include", "those are", "those were")


class Cue(NamedTuple):
    """Payload of a company cue key in the tagger's automaton."""

    kinds: tuple[str, ...]  # rules to try: "legal_form", "role", "list_verb", "verb", ...
    length: int
    stem: bool  # a stem of cue words ("tech" for "technology"): look up the whole word


_LEGAL_ONLY = ("legal_form",)
_ROLE_ONLY = ("role",)
_TICKER_ONLY = ("ticker",)


def _cue_words() -> dict[str, tuple[str, ...]]:
    """Cue word (lower case) → the rules to try where it occurs."""
    out: dict[str, tuple[str, ...]] = {}
    forms = {w.lower() for w in LEGAL_FORMS}
    groups = (("legal_form", sorted(forms)), ("role", ROLE_NOUNS + LIST_HEADS),
              ("list_verb", LIST_VERBS), ("verb", COMPANY_VERBS), ("ticker", TICKER_CUES),
              ("based", BASED_CUES), ("pronoun_list", PRONOUN_LISTS), ("employer", EMPLOYER_CUES))
    for kind, words in groups:
        for w in words:
            if kind not in out.get(w, ()):
                out[w] = out.get(w, ()) + (kind,)
    shared = {("legal_form",): _LEGAL_ONLY, ("role",): _ROLE_ONLY}
    return {w: shared.get(k, k) for w, k in out.items()}  # one tuple each: `is` tests


CUE_WORDS = _cue_words()
_MARKED_ONLY = frozenset(w for w in CUE_WORDS if w.isalpha() and (len(w) <= 2 or w == "inc"))


def cue_payloads() -> dict[str, Cue]:
    """The keys for the tagger's automaton and their payloads. A word that contains another
    cue word made of letters only ("technology" holds "tech", "chipmakers" holds "maker") is
    found through that stem, so each occurrence is reported once. Keys of two letters or
    fewer, and "inc", need their mark ("co." not "co", which would fire inside "company",
    "inc." not "inc", inside "including")."""
    words = [w for w in CUE_WORDS if w not in _MARKED_ONLY]
    stems = [w for w in words if w.isalpha()]
    keys = {}
    for w in words:
        if not any(k != w and k in w for k in stems):
            keys[w] = Cue(CUE_WORDS.get(w, ()), len(w), w.isalpha())
    return keys


# --------------------------------------------------------------------------- name spans
_ABBREV = frozenset("Co. Corp. Inc. Ltd. Bros. Mfg. Int'l. L.L.C. U.S. U.K. S.A.".split())
_CONNECTORS = frozenset(("of", "and", "&", "de", "du", "for"))
_LEGAL_TAIL = re.compile(
    r"\(?(?:Co\.,? ?Ltd\.?|Company Limited|" + "|".join(
        sorted((re.escape(w) for w in LEGAL_FORMS), key=len, reverse=True))
    + r")\)?(?:,? \(?(?:Co\.,? ?Ltd\.?|Company Limited|" + "|".join(
        sorted((re.escape(w) for w in LEGAL_FORMS), key=len, reverse=True))
    + r")\)?)*(?![\w-])")
_NAME_CHARS = re.compile(r"[^\W_]+(?:['&.-]+[^\W_]*)*\.?|&")
_COMMA_TAIL = re.compile(r"(?:Ltd\.?|Limited|Inc\.?|LLC)(?![\w-])")
_TICKER = re.compile(r"\((?:(?:NASDAQ|Nasdaq|NYSE|HKEX|HKG|SEHK|SSE|SZSE|OTC)\s?:\s?[A-Z0-9.]+|"
                     r"\d{3,6}[.:](?:HK|SH|SS|SZ)|[A-Z]{1,5}\.[ON]|0\d{4})\)")  # (06869): HK


def _name_token(tok: str) -> bool:
    """A chunk that can be a word of a company name: capitalised, an acronym, a number
    inside a name, "(Group)"; not a possessive, a sentence end or "Beijing-based"."""
    if tok.isalnum():  # the common case: "Tiandy", "BMW", "360"
        return tok[0].isupper() or (tok[0].isdigit() and not tok.isdigit())
    if not tok:
        return False
    if tok[0] == "(" and tok[-1] == ")":
        return len(tok) > 2 and tok[1].isupper() and all(_name_token(t) for t in tok[1:-1]
                                                         .split())
    if not (tok[0].isupper() or (tok[0].isdigit() and any(c.isalpha() for c in tok))):
        return False
    if tok[-1] == "'" or tok.endswith("'s") or "'s-" in tok:
        return False
    if tok[-1] == "." and tok not in _ABBREV and not re.fullmatch(r"(?:[A-Z]\.)+", tok):
        return False
    if "-" in tok and tok.rsplit("-", 1)[1][:1].islower():
        return False  # "Beijing-based", "Alibaba-backed"
    return _NAME_CHARS.fullmatch(tok) is not None


_JOINS = frozenset(("of", "&", "de", "du", "for"))


def name_before(marks: str, end: int, reach: int = 160, joins: frozenset[str] = _JOINS
                ) -> int | None:
    """Start of the capitalised name that ends at ``end`` ("... maker Tiandy| Technologies"
    gives the start of "Tiandy"), or None. Names do not cross a line, a comma or a
    possessive; ``joins`` ("of", "&", ...) join two capitalised words; "and" joins only
    where asked ("Iron and Steel Co.") and never after a legal form ("Ant Group and ...")."""
    lo = max(0, end - reach)
    nl = marks.rfind("\n", lo, end)
    lo = nl + 1 if nl >= 0 else lo
    start = None
    join = None  # a connector waiting for a name word before it
    before_and, words_before_and = None, 0  # "Bayi Iron and Steel", not "Tencent and Ant"
    pos = end
    while pos > lo:
        sp = marks.rfind(" ", lo, pos)
        a = sp + 1 if sp >= 0 else lo
        tok = marks[a:pos]
        if _name_token(tok):
            if join == "and" and tok.strip("()") in LEGAL_FORMS:
                break
            start, join = a, None
            words_before_and += before_and is not None
        elif tok in joins and start is not None and join is None:
            join = tok
            if tok == "and":
                before_and, words_before_and = start, 0
        else:
            break
        if sp < 0:
            break
        pos = sp
    if before_and is not None and words_before_and < 2:
        return before_and  # "and" joins words inside a name, not a first word to a name
    return start


def name_after(marks: str, start: int, reach: int = 200, joins: frozenset[str] = _JOINS
               ) -> int | None:
    """End of the capitalised name that starts at ``start``, with a legal tail that has a
    comma ("Cloudwalk Technology Co., Ltd."), or None."""
    hi = min(len(marks), start + reach)
    nl = marks.find("\n", start, hi)
    hi = nl if nl >= 0 else hi
    end = None
    pos = start
    join = False
    while pos < hi:
        sp = marks.find(" ", pos, hi)
        b = sp if sp >= 0 else hi
        tok = marks[pos:b]
        core = tok.rstrip(",;:")
        if core.endswith(")") and "(" not in core:
            core = core[:-1]  # the bracket closes an aside: "(also known as Ashele Copper);"
        if core == tok and tok.endswith(".") and tok not in _ABBREV:
            core = tok[:-1]  # the end of a sentence: "... such as Ford and Tesla."
        if core != tok:
            if _name_token(core):
                end = pos + len(core)
            break
        if _name_token(tok):
            end, join = b, False
        elif tok in joins and end is not None and not join:
            join = True
        else:
            if tok.endswith("'s") and _name_token(tok[:-2]):
                end = b - 2
            break
        if sp < 0:
            break
        pos = sp + 1
    if end is not None and marks.startswith(", ", end) and marks[end - 3:end] in ("Co.", " Co"):
        tail = _COMMA_TAIL.match(marks, end + 2)
        end = tail.end() if tail else end
    return end


# --------------------------------------------------------------------------- candidates
class Mention(NamedTuple):
    """A company mention found by a rule: its span, basis and name key."""

    start: int
    end: int
    basis: str
    key: str  # normalised name (see name_key)


_KEY_DROP = re.compile(r"\([^)]*\)|[^\w\s&-]")


def name_key(name: str) -> str:
    """Lower-case name without legal forms, parentheses and punctuation ("Xinjiang Energy
    (Group) Co., Ltd." → "xinjiang energy")."""
    words = _KEY_DROP.sub(" ", name.replace("’", "'")).split()
    legal = {w.lower().rstrip(".") for w in LEGAL_FORMS}
    while len(words) > 1 and words[-1].lower().rstrip(".") in legal:
        words.pop()
    return " ".join(w.lower() for w in words)


def short_form(name: str) -> str | None:
    """The name without its trailing legal forms ("Tiandy Technologies" → "Tiandy"), when that
    is distinctive enough to stand alone; else None."""
    tokens = name.split()
    while len(tokens) > 1 and (tokens[-1].rstrip(".,") in LEGAL_FORMS or tokens[-1] in (
            "Co.,", "Ltd.,") or tokens[-1].startswith("(")):
        tokens.pop()
    while tokens and tokens[-1] in _CONNECTORS:
        tokens.pop()
    short = " ".join(tokens).rstrip(",")
    if short == name or len(short) < 3 or short in GENERIC_WORDS or short in LEGAL_FORMS:
        return None
    if short.lower() in STOPWORDS or (len(tokens) == 1 and short.isdigit()):
        return None
    return short


def initials(name: str) -> set[str]:
    """Acronyms a name may be shortened to ("Yangtze Memory Technologies Co." → {"YMTC",
    "YMT"})."""
    words = [w for w in re.findall(r"[A-Za-z][\w'&-]*", name) if w not in _CONNECTORS]
    out = set()
    for n in range(len(words), max(len(words) - 3, 1), -1):
        letters = "".join(w[0].upper() for w in words[:n])
        if len(letters) >= 2:
            out.add(letters)
    return out


@dataclass
class Negatives:
    """What the knowledge base knows is not a company, and its companies' names."""

    others: frozenset[str]  # folded names of agencies, outlets, places, people, ...
    places: frozenset[str]
    companies: dict[str, str] = field(default_factory=dict)  # name key → KB company id

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, str, str, bool]]) -> Negatives:
        others, places, companies = set(), set(), {}
        for alias, label, eid, _cs in entries:
            if label == "COMPANY":
                companies.setdefault(name_key(alias), eid)
            else:
                others.add(alias.replace("’", "'").lower().removeprefix("the "))
                if label == "PLACE":
                    places.add(alias.replace("’", "'").lower())
        places |= PLACE_NAMES
        return cls(frozenset(others | PLACE_NAMES), frozenset(places), companies)


# --------------------------------------------------------------------------- the rules
_APPOSITION = re.compile(r", (?:a|an|the|one of the|one of|two|three|two of the|its)"
                         r" (?:(?!(?:at|of|for|in|with|from|by|on|to|and|or|who|that|which)"
                         r" )[\w'-]+ ){0,7}")
_APPOSITION_STARTS = ("a ", "an ", "the ", "one ", "two ", "three ", "its ")
_LIST_LINK = re.compile(r",? (?:such as|including|like|include|includes|included|are|were|"
                        r"namely)(?::? |: )|: | - | ")
_LINK_WORDS = ("such as ", "including ", "like ", "include", "are ", "were ", "namely ",
               "the ")
_RELATIVE_THEN_AND = re.compile(r", (?:which|that) [^,;:.\n()]{3,120}, and (?:the )?")
_LIST_SEP = re.compile(r"(?:,? and |,? or |, as well as |; and |; |, )(?:the )?")
_LIST_END = re.compile(r" (?:to|on|onto) (?:the|its|a|their) (?:[\w'\"-]+ ){0,6}?"
                       r"(?:[Ll]ist|blacklist)\b")
_SHARE_OWNER = re.compile(r"'s (?:[A-Z][\w.]*(?: [A-Z][\w.]*)? )?$")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s+$|^\s*$")

Candidate = tuple[int, int, str, bool]  # (start, end, basis, strict)


def _word_at(folded: str, a: int, b: int) -> bool:
    """Is folded[a:b] a whole word (the cue may end in a mark such as "(nasdaq")?"""
    left = a == 0 or not folded[a - 1].isalnum() or not folded[a].isalnum()
    right = b >= len(folded) or not folded[b].isalnum() or not folded[b - 1].isalnum()
    return left and right


def legal_form_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"Tiandy Technologies", "Xinjiang Energy (Group) Co., Ltd.", "Aviation Industry
    Corporation of China": a capitalised name ending in a legal form."""
    if not marks[a].isupper():
        return []
    a0 = a - 1 if a and marks[a - 1] == "(" else a
    if a0 < 2 or marks[a0 - 1] != " ":
        return []
    tail = _LEGAL_TAIL.match(marks, a0)
    if not tail:
        return []
    end = tail.end()
    rest = marks[end:end + 40]
    if rest.startswith(" of ") and rest[4:5].isupper():  # "Bank of China"
        more = name_after(marks, end + 4)
        end = more if more else end
    elif rest[:1] == " " and rest[1:2] != "(" and _name_token(_first_chunk(rest[1:])):
        return []  # "Company Sanctions Program": the form is inside a longer name
    head = name_before(marks, a0 - 1, joins=_CONNECTORS)
    if head is None:
        return []
    strict = not any(w.strip("(),") in STRONG_FORMS for w in tail.group(0).split())
    return [(head, end, "legal_form", strict)]


def _taken_end(rows: list[Row], pos: int) -> bool:
    """Does a tag other than a place end at ``pos`` (a KB name before a cue: no rule
    can add a company there)?"""
    i = bisect.bisect_left(rows, (pos,))
    return i > 0 and rows[i - 1][1] == pos and rows[i - 1][2] != "PLACE"


def _taken_start(rows: list[Row], pos: int) -> bool:
    """Does a tag other than a place start at ``pos``?"""
    i = bisect.bisect_left(rows, (pos,))
    return i < len(rows) and rows[i][0] == pos and rows[i][2] != "PLACE"


def _first_chunk(text: str) -> str:
    return text.split(" ", 1)[0].rstrip(",.;:")


def _with_ticker_symbols(marks: str, cues: list[int], rows: list[Row], found: list[Row]
                         ) -> list[Row]:
    """``found`` with the symbol of each exchange ticker printed right after a company
    ("Hesai Group (NASDAQ: HSAI)") as a mention of that company: its spelling joins the
    company's entity, so "HSAI shares fell" elsewhere is the same company."""
    ends = {r[1]: r for r in rows if r[2] == "COMPANY"}
    ends.update((r[1], r) for r in found)
    out = list(found)
    for a in cues:
        paren = a if marks[a] == "(" else marks.rfind("(", max(0, a - 12), a)
        m = _TICKER_SYMBOL.match(marks, paren) if paren >= 1 else None
        if m is None:
            continue
        company = ends.get(paren - 1 if marks[paren - 1] == " " else paren)
        s, e = m.span(1)
        if company is None or _overlaps(rows, s, e) or _overlaps(out, s, e):
            continue
        eid = company[3] or "\0" + name_key(marks[company[0]:company[1]])
        bisect.insort(out, (s, e, "COMPANY", eid, None, "ticker"))
    return out


# An exchange's ticker of letters: "(NASDAQ: HSAI)", "(NYSE:BABA)"; the symbol is group 1.
_TICKER_SYMBOL = re.compile(r"\((?:NASDAQ|Nasdaq|NYSE|OTC|OTCPK|OTCQX)\s?:\s?([A-Z]{2,5})\)")


def ticker_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"Hesai (NASDAQ: HSAI)", "SMIC (0981.HK)": the name just before a ticker."""
    paren = a if marks[a] == "(" else marks.rfind("(", max(0, a - 12), a)
    if paren < 2 or not _TICKER.match(marks, paren):
        return []
    end = paren - 1 if marks[paren - 1] == " " else paren
    head = name_before(marks, end)
    return [(head, end, "ticker", False)] if head is not None else []


def _role_possible(marks: str, a: int, b: int) -> bool:
    """Can a role noun here start a rule at all: lower case, and a capital or a list word
    after it, or a comma before it (an apposition)?"""
    if marks[a].isupper():
        return False
    if marks[b + 1:b + 2].isupper() or marks[b:b + 1] in (",", ":") or \
            marks.startswith(_LINK_WORDS, b + 1) or marks.startswith(" - ", b):
        return True
    comma = marks.rfind(", ", (a - 90 if a > 90 else 0), a)
    return comma >= 0 and marks.startswith(_APPOSITION_STARTS, comma + 2)


def role_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """Appositives ("IDG Capital, a private equity company"; "battery maker CATL") and
    lists headed by a plural role noun ("automakers such as Ford and Tesla")."""
    if marks[a].isupper():
        return []
    out: list[Candidate] = []
    comma = marks.rfind(", ", (a - 90 if a > 90 else 0), a)
    if comma >= 0 and marks[b:b + 2] != "'s" and \
            marks.startswith(_APPOSITION_STARTS, comma + 2) and \
            _APPOSITION.fullmatch(marks, comma, a) and "." not in marks[comma + 2:a]:
        head = None if _taken_end(rows, comma) else name_before(marks, comma)
        if head is not None:
            out.append((head, comma, "appositive", False))
    role = marks[a:b]
    if role in _PLURAL_ROLES:
        nxt = marks[b + 1:b + 2]
        if nxt.islower() and not marks.startswith(_LINK_WORDS, b + 1):
            return out  # "companies that ...", the common case
        link = _LIST_LINK.match(marks, b)
        if link and (marks[link.end():link.end() + 1].isupper()
                     or marks.startswith("the ", link.end())):
            out += [(s, e, "list_context", False) for s, e in list_items(marks, link.end())]
        elif marks.startswith(", ", b) and marks[b + 2:b + 3].isupper():
            items = list_items(marks, b + 2)  # "two chipmakers, A and B, were added"
            if len(items) >= 2:
                out += [(s, e, "list_context", False) for s, e in items]
        return out
    after = b + 2 if marks.startswith(", ", b) else b + 1
    if marks[b:b + 1] in (" ", ",") and marks[after:after + 1].isupper() and \
            not _taken_start(rows, after):
        end = name_after(marks, after)
        if end is not None:
            out.append((after, end, "appositive", False))
    return out


def list_items(marks: str, pos: int, limit: int = 60) -> list[tuple[int, int]]:
    """The names of a list starting at ``pos``: "A, B and C", "A; B; and C" (items of an
    official list may carry an address after the name: "A, Room 5, Beijing; B, ...")."""
    items: list[tuple[int, int]] = []
    if marks.startswith("the ", pos) and marks[pos + 4:pos + 5].isupper():
        pos += 4
    semicolons = ";" in marks[pos:pos + 400].split("\n", 1)[0]
    while len(items) < limit and marks[pos:pos + 1].isupper():
        end = name_after(marks, pos)
        if end is None:
            break
        items.append((pos, end))
        sep = _LIST_SEP.match(marks, end)
        if sep is None and semicolons:  # skip the address to the next "; "
            nxt = marks.find("; ", end, end + 300)
            sep = _LIST_SEP.match(marks, nxt) if nxt >= 0 and "\n" not in marks[end:nxt] \
                else None
        if sep is None:
            break
        pos = sep.end()
        kin = _KIN.match(marks, pos)  # "A, its subsidiary B and C"
        pos = kin.end() if kin else pos
    return items


_KIN = re.compile(r"(?:its|their) (?:\w+ )?(?:subsidiary|subsidiaries|affiliate|affiliates|"
                  r"parent|unit|units|sister company) ")


def list_verb_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"added A, B and C to the Entity List": the objects of a listing verb."""
    if marks[a].isupper() or marks[b:b + 1] != " " or not (
            marks[b + 1:b + 2].isupper() or marks.startswith("the ", b + 1)):
        return []
    items = list_items(marks, b + 1)
    if items and _LIST_END.match(marks, items[-1][1]):
        return [(s, e, "list_context", False) for s, e in items]
    return []


def pronoun_list_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"Three companies were added ... They were A, its subsidiary B and C.": a sentence
    opening with "They were" lists the companies its previous sentence counted."""
    if not marks[a].isupper() or not _sentence_initial(marks, a):
        return []
    pos = b + 2 if marks.startswith(": ", b) else b + 1
    if marks[b:b + 1] not in (" ", ":") or not marks[pos:pos + 1].isupper():
        return []
    stop = max(marks.rfind(". ", max(0, a - 400), a - 2), marks.rfind("\n", max(0, a - 400), a))
    previous = marks[stop + 1:a].lower()
    if not any(re.search(rf"\b{head}\b", previous) for head in _COUNTED_HEADS):
        return []
    items = list_items(marks, pos)
    return [(s, e, "list_context", False) for s, e in items] if len(items) >= 2 else []


_COUNTED_HEADS = ("companies", "firms", "entities", "manufacturers", "makers", "suppliers",
                  "corporations", "subsidiaries")


def based_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"Beijing-based Tiandy Technologies": a name right after "<place>-based"."""
    return _name_right_after(marks, b) if marks[a - 1].isalpha() else []


def employer_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"said Willer Chen, associate director at Forsyth Barr Asia": the firm a person quoted
    works at (universities, institutes and think tanks fail the negative rules)."""
    return [] if marks[a].isupper() else _name_right_after(marks, b)


def _name_right_after(marks: str, b: int) -> list[Candidate]:
    """The capitalised name after the space that follows a cue ending at ``b``."""
    if marks[b:b + 1] != " " or not marks[b + 1:b + 2].isupper():
        return []
    end = name_after(marks, b + 1)
    return [(b + 1, end, "appositive", True)] if end is not None else []


def verb_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """Company verbs: "A said in a statement", "A, which makes", "A's shares", "shares of A",
    "A shares fell", "A CEO"."""
    cue = marks[a:b]
    low = cue.lower()
    if low in ("ceo",) and cue != "CEO" or low == "chief executive" and cue != low:
        return []
    if low.startswith("which "):
        if marks[a - 2:a] != ", ":
            return []
        end = a - 2
    elif low in ("shares", "stock", "share price", "depository receipts",
                 "depositary receipts", "ceo", "chief executive"):
        return _share_rule(marks, a, b, rows)
    elif low in ("listing of", "ipo of", "debut of", "called", "named"):
        return _name_after_rule(marks, a, b)
    else:  # said in a statement / filing
        if marks[a - 1:a] != " ":
            return []
        end = a - 1
        head = None if _taken_end(rows, end) else name_before(marks, end)
        if head is None or (" " in marks[head:end] and not _company_shaped(marks[head:end])):
            return []  # "John Moolenaar said in a statement": people speak so too
        return [(head, end, "company_verb", True)]
    head = None if _taken_end(rows, end) else name_before(marks, end)
    return [(head, end, "company_verb", True)] if head is not None else []


# "a lesser-known company based in Singapore called PowerAIR", "a start-up named Zhipu"
_ROLE_BEFORE_NAMING = re.compile(
    r"\b(?:company|firm|start-?up|maker|manufacturer|supplier|developer|chipmaker|"
    r"automaker|subsidiary|unit|group|entity|business)\b[^.;:\n]{0,50}$", re.I)


def _name_after_rule(marks: str, a: int, b: int) -> list[Candidate]:
    """The name after "the $300 million listing of", "the IPO of", "a company ... called"."""
    low = marks[a:b].lower()
    if low in ("called", "named") and not _ROLE_BEFORE_NAMING.search(marks, max(0, a - 60), a):
        return []  # "named to the list", "a person called"
    start = b + 1
    if marks[b:start] != " " or not marks[start:start + 1].isupper():
        return []
    end = name_after(marks, start)
    return [(start, end, "company_verb", True)] if end else []


def _company_shaped(name: str) -> bool:
    """A name of several words that does not read as a person's: a legal form, an acronym,
    an inner capital ("SenseTime") or a digit in one of its words."""
    return any(w in LEGAL_FORMS or (len(w) > 1 and w.isupper()) or any(c.isdigit() for c in w)
               or any(c.isupper() for c in w[1:]) for w in name.split())


def _share_rule(marks: str, a: int, b: int, rows: list[Row]) -> list[Candidate]:
    """"Tencent's (U.S.) shares", "CATL shares", "Hesai CEO", "shares of / in A"."""
    if marks.startswith((" of ", " in "), b) and marks[a:b].lower() in ("shares", "stock"):
        start = b + 4 + (4 if marks.startswith("the ", b + 4) else 0)
        end = name_after(marks, start) if marks[start:start + 1].isupper() else None
        return [(start, end, "company_verb", True)] if end else []
    lo = max(0, a - 40)
    own = _SHARE_OWNER.search(marks, lo, a)
    if own:
        end = own.start()
    elif marks[a - 1:a] == " ":
        end = a - 1
    else:
        return []
    head = None if _taken_end(rows, end) else name_before(marks, end)
    if head is not None and _ticker_after_name(marks, head, end, rows):
        return []  # "Hesai Group HSAI shares": the ticker of the company before it
    if head is not None:
        words = marks[head:end].split(" ")
        if len(words) >= 3 and words[-2] in LEGAL_FORMS and _is_ticker(words[-1]):
            end -= len(words[-1]) + 1  # "Qarvon Holdings QRVN shares": the name, not its ticker
    return [(head, end, "company_verb", True)] if head is not None else []


def _ticker_after_name(marks: str, s: int, e: int, rows: list[Row]) -> bool:
    """Is ``marks[s:e]`` an all-capitals ticker printed right after a company's name?"""
    return _is_ticker(marks[s:e]) and marks[s - 1:s] == " " and _taken_end(rows, s - 1)


def _is_ticker(word: str) -> bool:
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


RULES = {"legal_form": legal_form_rule, "ticker": ticker_rule, "role": role_rule,
         "list_verb": list_verb_rule, "based": based_rule, "verb": verb_rule,
         "pronoun_list": pronoun_list_rule, "employer": employer_rule}


# --------------------------------------------------------------------------- the finder
def sentence_lines(marks: str, starts: Iterable[int]) -> str:
    """``marks`` with the space before a sentence that follows one without end punctuation
    made a line break, so that no name runs from a headline into the next sentence (after
    a full stop a name stops anyway; "4. China ..." stays one list item)."""
    cuts = [s for s in starts if s > 1 and marks[s - 1] == " " and marks[s - 2] not in _ENDS]
    if not cuts:
        return marks
    parts, last = [], 0
    for s in cuts:
        parts.append(marks[last:s - 1])
        last = s
    parts.append(marks[last:])
    return "\n".join(parts)


_HEADLINE_WORD = re.compile(r"(?<![\w'-])[A-Za-z][\w'-]{3,}")
_AKA = re.compile(r",? \(?(?:a\.k\.a\.|also known as|formerly known as|f\.k\.a\.),?"
                  r"(?: the following (?:\w+ )?alias(?:es)?:)?\s*-?\s*")
_AKA_SEP = re.compile(r"(?:;? and |; |, )-?\s*")
_PAREN_ALIAS = re.compile(r" \(([A-Z][\w&.-]{1,15}(?: [A-Z][\w&.-]{1,15}){0,2})\)")
_MARKER_ENDS = frozenset(".)-*\u2022")  # last character of "4." or a bullet
_ENDS = frozenset(".!?:;,\"')]")
_LIST_LINE = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[-*\u2022])[ \t]+")
_RECUR_JOINS = frozenset(("of", "&", "de", "du", "for"))

_PLAIN = frozenset(("kb", None))  # bases of rows that need no resolving
Row = tuple  # (start, end, label, entity_id, value, basis): the tagger's rows
_Found = tuple[int, int, str, str]  # (start, end, basis, provisional id or "")


class CompanyFinder:
    """Runs the rules at the cue words of one document and keeps what no negative rule
    rejects. Mentions come out as rows with a provisional entity id (``"\\0" + key``) that
    :func:`resolve` turns into ``new:<slug>`` or a KB id."""

    def __init__(self, negatives: Negatives):
        self.neg = negatives

    def find(self, marks: str, folded: str, rows: list[Row],
             cues: list[tuple[int, Cue]]) -> list[Row]:
        """Company rows found by the rules (not overlapping ``rows`` except places inside a
        company's name), in text order. ``cues``: (index of the last character, Cue)."""
        found: list[_Found] = []
        done = -1
        n = len(folded)
        words, rules, accept = CUE_WORDS.get, RULES, self.accept
        tails: list[Row] = []  # KB companies right before a legal form
        tickers: list[int] = []  # where a ticker cue was looked at
        for last, (kinds, length, stem) in cues:
            b = last + 1
            a = b - length
            if a < done:
                continue
            if stem:  # the whole word: "technologies" from "tech"
                grown = False
                while a and folded[a - 1].isalpha():
                    a -= 1
                    grown = True
                while b < n and folded[b].isalpha():
                    b += 1
                    grown = True
                if grown:
                    kinds = words(folded[a:b])
                    if kinds is None:
                        continue
            elif kinds != _TICKER_ONLY and not _word_at(folded, a, b):
                continue  # (a ticker cue may end inside its code: "(0" of "(06869)")
            if kinds is _LEGAL_ONLY:
                if not marks[a].isupper():
                    continue  # "technology" in prose
                i = bisect.bisect_left(rows, (a,))
                if (i < len(rows) and rows[i][0] < b) or (i and rows[i - 1][1] > a):
                    continue  # inside a KB name
                if i and rows[i - 1][2] == "COMPANY" and a - rows[i - 1][1] in (1, 2):
                    tails.append(rows[i - 1])  # "Cloudwalk Technology" + " Co., Ltd"
                    continue
            elif kinds is _ROLE_ONLY and not _role_possible(marks, a, b):
                continue
            for kind in kinds:
                if kind == "ticker":
                    tickers.append(a)
                for s, e, basis, strict in rules[kind](marks, a, b, rows):
                    span = accept(marks, s, e, basis, strict, rows)
                    if span:
                        found.append((*span, basis, ""))
                        done = max(done, span[1]) if kind == "legal_form" else done
        known = [r for r in rows if r[2] == "COMPANY"]  # the KB's companies
        found = _non_overlapping(found)
        found += self._continue_lists(marks, found, rows, known)
        found += self._parentheticals(marks, found, rows, known)
        found += self._aliases(marks, found, rows)
        out = sorted([(s, e, "COMPANY", key or "\0" + name_key(marks[s:e]), None, basis)
                      for s, e, basis, key in _non_overlapping(found)]
                     + _kb_tails(marks, tails, rows))
        return _with_ticker_symbols(marks, tickers, rows, out) if tickers else out

    def accept(self, marks: str, s: int, e: int, basis: str, strict: bool,
               rows: list[Row], sure: bool = False) -> tuple[int, int] | None:
        """The span of a company name, trimmed, or None when negative evidence wins.
        ``sure``: the context alone says it is a company (no headline test)."""
        if not _fits_rows(s, e, rows) and not (  # first: most rejected spans are KB names
                basis == "legal_form" and not strict and _kb_parent_first(marks, s, e, rows)):
            return None
        span = _trim(marks, s, e)
        if span is None:
            return None
        s, e = span
        name = marks[s:e]
        words = [w.strip("(),.'") for w in name.split()]
        # "Changsha Tianyi Space Science and Technology Research Institute Co. LTD": a
        # strong legal form at the end makes an institute, a centre or a fund a company
        formal = basis == "legal_form" and name.split()[-1].strip(",").title() in _STRONG_TITLED
        if any(w in NON_COMPANY_WORDS and not (formal and w in INSTITUTION_WORDS)
               for w in words) or len(name) < 2:
            return None
        if not self._distinctive(words, strict or basis != "legal_form"):
            return None
        low = name.lower()
        if low in self.neg.others or low.removeprefix("the ") in self.neg.others:
            return None
        if _page_furniture(marks, s):
            return None
        sure = sure or basis == "ticker" or (basis == "legal_form" and not strict)
        if not sure and _headline(marks, s):
            return None
        if basis in ("company_verb", "appositive") and _person_like(marks, s, e, words):
            return None
        if basis == "appositive" and _after_preposition(marks, s):
            return None  # "In Hefei, the company said": a place
        if len(words) == 1 and _sentence_initial(marks, s) and _common_word(marks, words[0]):
            return None
        return s, e

    def _distinctive(self, words: list[str], strict: bool) -> bool:
        core = [w for w in words if w and w not in LEGAL_FORMS and w not in _CONNECTORS]
        if not core:
            return False
        if not strict:  # "Chinese Military Company": a strong form after generic words only
            return any(w.lower() not in STOPWORDS and w not in GENERIC_WORDS for w in core)
        return any(w not in GENERIC_WORDS and w.lower() not in STOPWORDS
                   and w.lower() not in self.neg.places and not w.isdigit() for w in core)

    def _continue_lists(self, marks: str, found: list[_Found], rows: list[Row],
                        known: list[Row]) -> list[_Found]:
        """Further items of a list of two or more companies: "A Co., Ltd., B Co., Ltd., C",
        "Alibaba, Ant Group and Bank of China"; and the other lines of a numbered or bulleted
        list with two companies at the start of its lines."""
        ends = {f[1] for f in found} | {r[1] for r in known}
        known_spans = {(r[0], r[1]) for r in known}
        spans = [(f[0], f[1]) for f in found] + sorted(known_spans)
        out: list[_Found] = []
        for s, e in spans:  # a list of known companies goes on too ("Alibaba, Ant Group and B")
            sep = marks[s - 2:s]
            if sep not in (", ", "; ") or s - 2 not in ends:
                continue
            pos = e
            if (s, e) in known_spans and _headline(marks, s):
                continue  # "Hikvision, iFlytek and Other Sanctioned Chinese Firms Protest"
            while (link := _next_item(marks, pos, sep)) and marks[link:link + 1].isupper():
                end = name_after(marks, link, joins=_RECUR_JOINS)
                span = end and self.accept(marks, link, end, "list_context", True, rows,
                                           sure=True)
                if not span or any(a < span[1] and span[0] < b for a, b in spans) or any(
                        f[0] < span[1] and span[0] < f[1] for f in out):
                    break
                out.append((*span, "list_context", ""))
                pos = span[1]
        out += self._after_relative(marks, spans, rows, out)
        return out + self._list_lines(marks, found + out, rows, known)

    def _after_relative(self, marks: str, spans: list[tuple[int, int]], rows: list[Row],
                        taken: list[_Found]) -> list[_Found]:
        """"sanctions on A Company, which produces drone engines, and B, which ...": the
        company joined to another by "and" after the other's relative clause."""
        out: list[_Found] = []
        for _s, e in spans:
            m = _RELATIVE_THEN_AND.match(marks, e)
            if m is None or not marks[m.end():m.end() + 1].isupper():
                continue
            end = name_after(marks, m.end(), joins=_RECUR_JOINS)
            span = end and self.accept(marks, m.end(), end, "list_context", True, rows,
                                       sure=True)
            if span and not any(a < span[1] and span[0] < b for a, b in spans) and not any(
                    f[0] < span[1] and span[0] < f[1] for f in taken + out):
                out.append((*span, "list_context", ""))
        return out

    def _list_lines(self, marks: str, found: list[_Found], rows: list[Row],
                    known: list[Row]) -> list[_Found]:
        """The names opening the other lines of a numbered or bulleted list in which two
        lines open with a company ("1. BGI Genomics Co., Ltd.")."""
        starts = [f[0] for f in found] + [r[0] for r in known]
        heads = {s for s in starts
                 if marks[s - 2:s - 1] in _MARKER_ENDS and _opens_list_line(marks, s)}
        if len(heads) < 2:
            return []
        out: list[_Found] = []
        lo = marks.rfind("\n", 0, min(heads)) + 1
        while lo < len(marks):
            m = _LIST_LINE.match(marks, lo)
            nl = marks.find("\n", lo)
            hi = nl if nl >= 0 else len(marks)
            if m and m.end() not in heads and marks[m.end():m.end() + 1].isupper():
                end = name_after(marks, m.end())
                span = end and self.accept(marks, m.end(), end, "list_context", True, rows,
                                           sure=True)
                if span and not any(f[0] < span[1] and span[0] < f[1] for f in found):
                    out.append((*span, "list_context", ""))
            elif not m and marks[lo:hi].strip():
                break  # the list ends at a line that is not an item (blank lines pass)
            lo = hi + 1
        return out

    def _parentheticals(self, marks: str, found: list[_Found], rows: list[Row],
                        known: list[Row]) -> list[_Found]:
        """"Yangtze Memory Technologies Co., Ltd. (YMTC)": the alias in parentheses; and
        "Da Jiang Innovations (DJI)": a name introducing a known company's acronym."""
        out: list[_Found] = []
        for s, e, _, key in found:
            m = _PAREN_ALIAS.match(marks, e)
            if m and m.group(1) not in GENERIC_WORDS and not _TICKER.match(marks, e + 1):
                span = self.accept(marks, m.start(1), m.end(1), "acronym", False, rows,
                                   sure=True)
                if span:  # the alias joins the name it follows
                    out.append((*span, "acronym", key or "\0" + name_key(marks[s:e])))
        starts = {f[1] + 2: i for i, f in enumerate(found)}
        for r in known:
            if marks[r[0] - 2:r[0]] != " (" or marks[r[1]:r[1] + 1] != ")":
                continue
            if r[0] in starts:  # a name found by a rule, then the KB's acronym for it
                f = found[starts[r[0]]]
                found[starts[r[0]]] = (f[0], f[1], f[2], r[3])
            else:
                head = name_before(marks, r[0] - 2)
                span = head is not None and self.accept(marks, head, r[0] - 2, "acronym",
                                                        True, rows)
                if span:
                    out.append((*span, "acronym", r[3]))
        return out


    def _aliases(self, marks: str, found: list[_Found], rows: list[Row]) -> list[_Found]:
        """An official list's aliases: "A Co., Ltd., a.k.a., the following two aliases:
        -B; and -C." join A."""
        out: list[_Found] = []
        ends = {f[0]: f[1] for f in found}  # an alias a rule found whole: "A Group)"
        for s, e, _, key in found:
            m = _AKA.match(marks, e)
            if not m:
                continue
            pos = m.end()
            while pos < len(marks) and marks[pos:pos + 1].isupper():
                end = max(name_after(marks, pos) or 0, ends.get(pos, 0)) or None
                span = end and self.accept(marks, pos, end, "list_context", False, rows)
                if not span:
                    break
                out.append((*span, "list_context", key or "\0" + name_key(marks[s:e])))
                sep = _AKA_SEP.match(marks, span[1])
                if not sep:
                    break
                pos = sep.end()
        return out


def _kb_tails(marks: str, known: list[Row], rows: list[Row]) -> list[Row]:
    """KB company tags stretched over the legal form that follows them in the text
    ("Cloudwalk Technology" + " Co., Ltd"): same entity, basis ``kb``."""
    out = []
    for r in known:
        if marks[r[1]:r[1] + 1] not in (" ", ","):
            continue
        gap = 2 if marks.startswith(", ", r[1]) else 1
        if not marks[r[1] + gap:r[1] + gap + 1].isupper():
            continue
        tail = _LEGAL_TAIL.match(marks, r[1] + gap)
        if not tail or (gap == 2 and not marks.startswith(("Ltd", "Limited", "Inc"), r[1] + 2)):
            continue
        rest = marks[tail.end():tail.end() + 30]
        if not (rest[:1] == " " and _name_token(_first_chunk(rest[1:]))) and \
                not _overlaps(rows, r[1] + 1, tail.end()):
            out.append((r[0], tail.end(), "COMPANY", r[3], None, "kb"))
    return out


def _opens_list_line(marks: str, s: int) -> bool:
    """Does ``s`` follow a list item's number or bullet at the start of a line ("  4. ")?"""
    lo = max(0, s - 8)
    nl = marks.rfind("\n", lo, s)
    if nl < 0 and lo > 0:
        return False
    return _LIST_LINE.fullmatch(marks, nl + 1, s) is not None


def _next_item(marks: str, pos: int, sep: str) -> int | None:
    """Start of the list item after ``pos`` when the list goes on with ``sep`` or ends
    with "and" ("A, B and C"; "A; B; and C")."""
    for link in (sep, sep + "and ", " and "):
        if marks.startswith(link, pos):
            return pos + len(link)
    return None


def _non_overlapping(found: list[_Found]) -> list[_Found]:
    """Leftmost, then longest, then one that joins another name (an alias) before one
    that does not; a later overlapping span is dropped."""
    out: list[_Found] = []
    for f in sorted(found, key=lambda f: (f[0], -f[1], not f[3])):
        if not out or f[0] >= out[-1][1]:
            out.append(f)
    return out


def _sentence_initial(marks: str, s: int) -> bool:
    """Does a sentence, a line or a bulleted line ("- Joint statement ...") start at ``s``?"""
    if s == 0 or marks[s - 1] == "\n" or _SENTENCE_END.search(marks[max(0, s - 3):s]):
        return True
    line = marks.rfind("\n", max(0, s - 8), s) + 1 if s > 8 else 0
    return _LIST_LINE.fullmatch(marks, line, s) is not None


def _common_word(marks: str, word: str) -> bool:
    """A capitalised sentence start that is a common word: an adverb ("Consequently"), a
    function or generic word, or a word the text also writes in lower case."""
    if word.endswith("ly") or word in GENERIC_WORDS or word.lower() in STOPWORDS:
        return True
    low = word.lower()
    return low != word and re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", marks) is not None


def _trim(marks: str, s: int, e: int) -> tuple[int, int] | None:
    """Without a leading article or sentence-initial function word, a trailing possessive or
    full stop."""
    while s < e:
        first = marks[s:e].split(" ", 1)[0]
        initial = _sentence_initial(marks, s)
        if first in ("The", "A", "An") or (initial and (
                first.lower() in STOPWORDS or first in _STARTERS) and " " in marks[s:e]):
            s += len(first) + 1
        elif initial and marks.startswith(f"{first} of ", s) and _common_word(marks, first):
            s += len(first) + 4  # "Trading of Luokung shares": the name is after "of"
        elif first in _CONNECTORS and " " in marks[s:e]:
            s += len(first) + 1  # a name never starts with "of", "and", "for": "Shares of A"
        else:
            break
    name = marks[s:e]
    if name.endswith(")") and name.count("(") < name.count(")"):
        e -= 1  # the bracket closes an aside around the name: "(also known as A)"
        name = marks[s:e]
    if name.endswith("'s"):
        e -= 2
    elif name.endswith(".") and name.rsplit(" ", 1)[-1] not in _ABBREV:
        e -= 1
    return (s, e) if e - s >= 2 else None


def _kb_parent_first(marks: str, s: int, e: int, rows: list[Row]) -> bool:
    """A known company's name opening a longer legal name registered in a place of its own,
    "SMIC Northern Integrated Circuit Manufacturing (Beijing) Co., Ltd.": a subsidiary, a
    company of its own. The bracketed place and a word of the name's own are needed (not
    "Huawei Technologies Co., Ltd.", not "Inspur Electronic Information Industry Co."), and
    no "and" (not "China Mobile Communications and China Telecommunications Corp.")."""
    i = bisect.bisect_left(rows, (s,))
    if i == len(rows) or rows[i][0] != s or rows[i][2] != "COMPANY":
        return False
    middle = marks[rows[i][1]:e]
    place = _BRACKETED_PLACE.search(middle)
    if place is None or " and " in middle or not _fits_rows(rows[i][1], e, rows):
        return False
    return any(w[:1].isupper() and w not in LEGAL_FORMS and w not in GENERIC_WORDS
               for w in middle[:place.start()].split())


_BRACKETED_PLACE = re.compile(r" \([A-Z][a-z]+(?: [A-Z][a-z]+)?\) ")


def _fits_rows(s: int, e: int, rows: list[Row]) -> bool:
    """A rule's name may hold a place ("Xinjiang Zijin Zinc") but no other tag, and is not
    itself a place."""
    i = bisect.bisect_left(rows, (s,))
    if i > 0 and rows[i - 1][1] > s:
        i -= 1
    while i < len(rows) and rows[i][0] < e:
        r = rows[i]
        if r[2] != "PLACE" or (r[0] <= s and r[1] >= e):
            return False
        i += 1
    return True


def _line(marks: str, s: int) -> tuple[int, int]:
    lo = marks.rfind("\n", max(0, s - 300), s) + 1 or max(0, s - 300)
    hi = marks.find("\n", s, s + 300)
    return lo, hi if hi >= 0 else min(len(marks), s + 300)


def _page_furniture(marks: str, s: int) -> bool:
    """An ad or navigation line ("(From Porter & Company) (Ad)", "Sponsored", "→ ...")."""
    lo, hi = _line(marks, s)
    line = marks[lo:hi]
    return "(Ad)" in line or "Advertisement" in line or "Sponsored" in line or \
        line.lstrip().startswith(("→", ">"))


def _headline(marks: str, s: int) -> bool:
    """Is the line a title-case headline: short, no full stop at its end, and most words of
    four letters or more capitalised?"""
    lo, hi = _line(marks, s)
    if hi - lo >= 300 or marks[lo:hi].rstrip().endswith((".", '."', ".'", ":")):
        return False
    words = _HEADLINE_WORD.findall(marks, lo, hi)
    caps = sum(w[0].isupper() for w in words)
    return len(words) >= 4 and caps >= 0.8 * len(words)


_PREPOSITIONS = frozenset("""in at from for after before since during unlike like besides
    across outside inside within beyond despite near under over through throughout to of on
    by with into""".split())


def _after_preposition(marks: str, s: int) -> bool:
    """Is the name the object of a sentence-initial preposition ("In Hefei, the company
    said ...": an introductory phrase, not an apposition)?"""
    if marks[s - 1:s] != " ":
        return False
    p = marks.rfind(" ", max(0, s - 20), s - 1) + 1 or max(0, s - 20)
    prev = marks[p:s - 1]
    return prev[:1].isupper() and prev.lower() in _PREPOSITIONS and _sentence_initial(marks, p)


def _person_like(marks: str, s: int, e: int, words: list[str]) -> bool:
    """A personal name: after a title ("CEO Yifan Li"), or a lone word right after another
    capitalised word or a quoted nickname ("Yifan \\"David\\" Li said")."""
    before = marks[max(0, s - 30):s].rstrip().rsplit(" ", 1)[-1]
    if before.rstrip(",") in PERSON_TITLES or before.lower() in PERSON_TITLES:
        return True
    if len(words) == 1 and before[:1] in ('"', "'") or (
            len(words) == 1 and before[:1].isupper() and before not in GENERIC_WORDS
            and not before.endswith((".", ",", ":", "'s"))):
        return True
    return False


# --------------------------------------------------------------------------- entities
def slug(key: str) -> str:
    """"yangtze memory" → "yangtze-memory"."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "company"


class Registry:
    """The spellings of companies found by the rules in a corpus, joined into entities.

    Keys are :func:`name_key` values; a parenthetical alias, a short form or an acronym
    found in the text joins its key to the name's. An entity whose keys include a KB
    company's name takes the KB id, else ``new:`` + the slug of its shortest key.
    """

    def __init__(self, negatives: Negatives):
        self.neg = negatives
        self._parent: dict[str, str] = {}
        self.kb: dict[str, str] = {}  # key → KB company id
        self.surfaces: dict[str, str | None] = {}  # spelling → key (None: ambiguous)
        self._ids: dict[str, str] | None = None

    def _root(self, key: str) -> str:
        parent = self._parent.setdefault(key, key)
        while parent != key:
            grand = self._parent.setdefault(parent, parent)
            self._parent[key] = grand
            key, parent = parent, grand
        return key

    def join(self, a: str, b: str) -> None:
        ra, rb = self._root(a), self._root(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)
            self._ids = None

    def add(self, surface: str, eid: str) -> None:
        """Register one mention's spelling (``eid``: provisional ``"\\0" + key`` or a KB id)."""
        key = name_key(surface)
        if eid.startswith("\0"):
            self.join(key, eid[1:])
        else:
            self.kb[key] = eid
            self._root(key)
        forms = [surface]
        short = short_form(surface)
        if short and short.lower() not in self.neg.others:
            forms.append(short)
        forms += [i for i in initials(surface) if len(i) >= 3 and i.lower() not in self.neg.others]
        for form in forms:
            if self.surfaces.setdefault(form, key) not in (key, None) and \
                    self._root(self.surfaces[form]) != self._root(key):
                self.surfaces[form] = None  # two companies share this short form

    def add_rows(self, text: str, rows: list[Row], fold: Callable[[str], str] = str) -> None:
        """Register the companies among one document's rule-found ``rows``."""
        for r in rows:
            if r[2] == "COMPANY":
                self.add(fold(text[r[0]:r[1]]), r[3])

    def entity_id(self, key: str) -> str:
        """The entity id of a key: a KB id or ``new:<slug>``."""
        if self._ids is None:
            groups: dict[str, list[str]] = defaultdict(list)
            for k in list(self._parent):
                groups[self._root(k)].append(k)
            self._ids = {}
            for members in groups.values():
                kb = [self.kb.get(k) or self.neg.companies.get(k) for k in members]
                kb_ids = sorted({i for i in kb if i})
                eid = kb_ids[0] if kb_ids else "new:" + slug(
                    min(members, key=lambda k: (len(k), k)))
                self._ids.update(dict.fromkeys(members, eid))
        return self._ids.get(self._root(key)) or self._ids.get(key) or "new:" + slug(key)

    def automaton(self) -> ahocorasick.Automaton | None:
        """An automaton over the registered spellings (case-sensitive), or None."""
        forms = [(f, k) for f, k in self.surfaces.items() if k is not None]
        if not forms:
            return None
        auto = ahocorasick.Automaton()
        for form, key in forms:
            auto.add_word(form, (len(form), key))
        auto.make_automaton()
        return auto


def recurrences(marks: str, rows: Sequence[Row], auto: ahocorasick.Automaton | None,
                registry: Registry, starts: Sequence[int] | None = None,
                ends: Sequence[int] | None = None) -> list[Row]:
    """Where a registered spelling recurs in ``marks`` outside the document's tags, whole and
    not part of a longer capitalised name: rows with basis ``recurrence`` (or ``acronym`` for
    an acronym spelled by a company's initials). The tags are ``rows``, or the columns
    ``starts`` and ``ends`` when given."""
    if auto is None:
        return []
    hits = sorted(((last + 1 - n, -(last + 1), key) for last, (n, key) in auto.iter(marks)))
    out: list[Row] = []
    taken = -1
    n = len(marks)
    for s, neg_e, key in hits:
        e = -neg_e
        if s < taken or (s and marks[s - 1].isalnum()) or (e < n and marks[e].isalnum()):
            continue
        taken_span = _overlaps_spans(starts, ends, s, e) if starts is not None \
            else _overlaps(rows, s, e)
        if taken_span or _inside_longer_name(marks, s, e):
            continue
        form = marks[s:e]
        basis = "recurrence"
        if form.isupper() and name_key(form) != key and len(form) >= 3:
            basis = "acronym"
            registry.join(name_key(form), key)
        out.append((s, e, "COMPANY", "\0" + key, None, basis))
        taken = e
    return out


def _overlaps_spans(starts: Sequence[int], ends: Sequence[int], s: int, e: int) -> bool:
    i = bisect.bisect_left(starts, s)
    return (i < len(starts) and starts[i] < e) or (i > 0 and ends[i - 1] > s)


def with_ids(rows: list[Row], more: list[Row], registry: Registry) -> list[Row]:
    """A document's rows with its recurrences and the entity ids of rule-found companies."""
    return [(*r[:3], registry.entity_id(r[3][1:]), *r[4:])
            if r[5] not in _PLAIN and r[3] and r[3][0] == "\0" else r
            for r in (sorted(rows + more) if more else rows)]


# The reader's name of each company the rules found (``new:`` id → the spelling the texts
# use most), kept by the tagger for labels (plots.labels.name); the last corpus tagged wins.
_DISPLAY: dict[str, str] = {}


class Spellings:
    """Counts the spellings of the ``new:`` companies of a corpus's rows."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, text: str, rows: list[Row]) -> None:
        for r in rows:
            if r[2] == "COMPANY" and r[3] and r[3].startswith("new:"):
                self.counts[r[3]][text[r[0]:r[1]]] += 1

    def remember(self) -> None:
        """Keep the most used spelling of each (the shortest among equals)."""
        for eid, counts in self.counts.items():
            _DISPLAY[eid] = min(counts, key=lambda w: (-counts[w], len(w), w))


def display_name(entity_id: str) -> str | None:
    """How the articles tagged last spell a company found by the rules, or None."""
    return _DISPLAY.get(entity_id)


def display_names() -> dict[str, str]:
    """Every remembered spelling (``new:`` id → name), e.g. to send from a worker process."""
    return dict(_DISPLAY)


def remember_names(names: dict[str, str]) -> None:
    """Keep spellings remembered elsewhere (a worker process's :func:`display_names`)."""
    _DISPLAY.update(names)


def ruled_rows(rows: list[Row]) -> list[Row]:
    """The rows a rule of this module found (not ``kb``, not dates or numbers)."""
    return [r for r in rows if r[5] not in _PLAIN]


def _overlaps(rows: Sequence[Row], s: int, e: int) -> bool:
    i = bisect.bisect_left(rows, (s,))
    return (i < len(rows) and rows[i][0] < e) or (i > 0 and rows[i - 1][1] > s)


def _inside_longer_name(marks: str, s: int, e: int) -> bool:
    """"Tencent Music" is not "Tencent": a capitalised word right after (other than a legal
    form) or right before (other than at a sentence start) makes a longer name."""
    after = marks[e:e + 30]
    if after[:1] == " " and _name_token(nxt := _first_chunk(after[1:])) and \
            nxt not in LEGAL_FORMS:
        return True
    before = marks[max(0, s - 30):s]
    if before[-1:] == " ":
        prev = before[:-1].rsplit(" ", 1)[-1]
        if _name_token(prev) and prev not in GENERIC_WORDS and not _SENTENCE_END.search(
                marks[max(0, s - 4):s]) and not _headline(marks, s):
            return True
    return False


def resolve(texts: Sequence[str], docs_rows: list[list[Row]], registry: Registry,
            fold: Callable[[str], str] = str) -> list[list[Row]]:
    """Across documents: register the rule mentions, tag their recurrences, and replace
    provisional ids by entity ids. ``fold`` turns a text into the one the rules read
    (curly quotes folded, same length). Returns the rows of each document, in text order."""
    ruled = [ruled_rows(rows) for rows in docs_rows]
    for text, rows in zip(texts, ruled, strict=True):
        registry.add_rows(text, rows, fold)
    auto = registry.automaton()
    if auto is None:
        return docs_rows
    more = [recurrences(fold(text), rows, auto, registry)
            for text, rows in zip(texts, docs_rows, strict=True)]
    out = [with_ids(rows, add, registry) if add or own else rows  # once all are joined
           for rows, add, own in zip(docs_rows, more, ruled, strict=True)]
    spellings = Spellings()
    for text, rows, add, own in zip(texts, out, more, ruled, strict=True):
        if add or own:
            spellings.add(text, rows)
    spellings.remember()
    return out
