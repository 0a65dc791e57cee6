"""Trigger patterns: how news and official releases say that an action happened.

Each pattern is a rule about a verb and its forms -- active ("adds", "added"), passive ("was
added to", "were included on"), nominal ("the addition of", "blacklisting", "inclusion on")
and future ("will add") -- not about one sentence. A trigger's *kind* says what it reports;
the status (done, planned, ...) is read from the words around it (:mod:`.status`).
"""

from __future__ import annotations

import re

_S = r"[^\S\n]+"
_ANY = r"[^;:\n]"  # within one sentence; dots allowed ("U.S.")
_LIST = r"\b(?:[Ll]ists?|blacklists?|watchlists?|[Ee]ntit(?:y|ies){_S}[Ll]ist)\b".replace(
    "{_S}", _S)
_DET = r"(?:its|the|their|a|an|his|her|this|that|OFAC['’]s|[A-Z][\w.]*['’]s?)"
_SHARE_DOWN = (r"fell|falls?|tumbled?|tumbles|dropped|drops?|plunged?|plunges|plummet(?:s|ed)?|"
               r"slumped|sank|sinks?|slid|slides?|declined|dived?|dives|dove|lost|shed|"
               r"plummeting|plunging|falling|tumbling|sliding|sinking|dropping|diving|"
               r"trading{_S}lower|(?:were|was|is|are|closed|ended|traded){_S}(?:[\d.]+%{_S})?lower|"
               r"were{_S}(?:last{_S})?down|was{_S}(?:last{_S})?down|closed{_S}down|"
               r"closes{_S}down").replace("{_S}", _S)
_SHARE_UP = (r"rose|rises?|jump(?:s|ed)?|surge[sd]?|rall(?:ied|ies|y)|climb(?:s|ed)?|gained|"
             r"soar(?:s|ed)?|(?:is|was|are|were){_S}up|(?:were|was|is|are|closed|ended|traded){_S}"
             r"(?:[\d.]+%{_S})?higher")
_SHARE_UP = _SHARE_UP.replace("{_S}", _S)
_SHARES = r"\b(?:shares?|stocks?|share{_S}price|stock{_S}price|depository{_S}receipts|ADRs?)\b"
_SHARES = _SHARES.replace("{_S}", _S)
_TICKER = r"(?:[^;:\n]|:(?=[A-Z]{2,6}\b))"  # a colon only inside a ticker ("00981:HK",
# "(OTCPK:ZTCOF)")

TRIGGERS: list[tuple[str, str]] = [
    # considered: reports that sanctions may come (a consideration is not a listing)
    ("considered", rf"\b(?:is|are|was|were){_S}(?:also{_S})?(?:weighing|considering|mulling|"
                   rf"looking{_S}to|evaluating|reviewing|studying|exploring)\b"),
    ("considered", rf"\b(?:may|might|could){_S}(?:impose|add|sanction|blacklist)\b"),
    ("considered", rf"\breported(?:ly)?{_S}(?:to{_S}be{_S})?(?:considering|weighing)\b"),
    ("considered", rf"\bthreat(?:ens?|ened)?{_S}to{_S}sanction\b"),
    ("considered", rf"\bproposed{_S}(?:sanctions|adding|to{_S}add)\b"),
    ("considered", rf"\bpossib(?:le|ility{_S}of)\b{_ANY}{{0,30}}?\b(?:blacklisting|sanctions|"
                   rf"listings?|additions)\b"),
    # listings: active, passive and future forms of add / place / include / name / list
    ("listing", rf"\badd(?:s|ed|ing)?\b(?!{_S}that\b){_ANY}{{0,240}}?\bto{_S}{_DET}\b"
                rf"{_ANY}{{0,80}}?{_LIST}"),
    # an object complement: "Xiaomi was designated a CCMC in January"
    ("listing", rf"\b(?:was|were|been|is|are|being){_S}designated{_S}(?:an?|as){_S}"),
    ("listing", rf"\baddition{_S}of\b{_ANY}{{0,150}}?\bto{_S}{_DET}\b"),
    ("listing", rf"\b(?:placed|put|places|puts|placing|putting)\b{_ANY}{{0,240}}?\bon{_S}{_DET}\b"
                rf"{_ANY}{{0,60}}?{_LIST}"),
    ("listing", rf"\bincluded\b{_ANY}{{0,120}}?\b(?:on|in){_S}{_DET}\b{_ANY}{{0,60}}?{_LIST}"),
    ("listing", rf"\b(?:classified|labell?ed|branded)\b{_ANY}{{0,100}}?\bas{_S}(?:an?{_S}|"
                rf"members?{_S}of{_S}|part{_S}of{_S})?(?:the{_S})?(?:Chinese{_S})?(?:military|"
                rf"Communist|national{_S}security)\b"),
    ("listing", rf"\b(?:placement|inclusion){_S}(?:of{_S}{_ANY}{{0,80}}?)?(?:on|in|onto)\b"),
    # "will be added for ...", "DHS also will add X": the list is the one just spoken of
    # (kept only when the document named a list in the last sentences: see mentions)
    ("listing", rf"\b(?:also{_S}will{_S}(?:also{_S})?add|will{_S}(?:also{_S})?add|will{_S}be{_S}"
                rf"added)\b(?!{_ANY}{{0,240}}?\bto{_S}{_DET}\b)"),
    ("listing", rf"\b(?:was|were|is|are|been|being|be|get|got){_S}(?:\w+{_S})?"
                rf"(?:included|named|listed){_S}(?:on|in){_S}{_DET}\b{_ANY}{{0,60}}?{_LIST}"),
    ("listing", rf"\b(?:included|named){_S}(?:on|in){_S}(?:the{_S})?(?:Pentagon|Defense|DoD)"
                rf"\w*['’]?s?{_ANY}{{0,30}}?{_LIST}"),
    ("listing", rf"\b(?:named|included)\b{_ANY}{{0,60}}?\b(?:in|on){_S}(?:the{_S})?(?:Pentagon|"
                rf"Defense|DoD|Department|Treasury|Commerce)\w*['’]?s?\b{_ANY}{{0,40}}?{_LIST}"),
    ("listing", r"\bblacklist(?:ed|s|ing)\b(?!\s+(?:of|includes|additionally))"),
    ("listing", rf"\b(?:has|have|had){_S}been{_S}on\b{_ANY}{{0,40}}?\b[Ll]ist\b"),
    ("listing", rf"\bannounced{_S}the{_S}(?:ban|blacklisting|designation|sanctions)\b"),
    ("listing", rf"\b(?:announc|impos)(?:ed|es|ing){_S}(?:new{_S}|fresh{_S}|further{_S})?sanctions"
                rf"{_S}(?:against|on)\b"),
    ("listing", rf"\bEntity{_S}List{_S}(?:expansion|additions?)\b"),
    ("listing", rf"\b(?<!specially )designat(?:ed|es|ing){_S}(?:by|as|under|on|it|them)\b"),
    # "The FCC has designated Huawei and ZTE as national security threats"
    ("listing", rf"\bdesignat(?:ed|es|ing)\b{_TICKER}{{0,80}}?\bas{_S}(?:an?{_S})?national{_S}"
                rf"security{_S}(?:threats?|risks?)\b"),
    ("listing", rf"\b(?:identified|identifies|identifying)\b(?!{_S}(?:as{_S}a{_S}(?:risk|threat)"
                rf"|nearly|more{_S}than|over|about|sources|people|officials|persons))"),
    ("listing", rf"\blisted{_S}(?:\w+{_S}){{1,4}}?as{_S}(?:an?|one)\b"),
    ("listing", rf"\breleased{_S}(?:the{_S}names{_S}of|(?:its|the|an?){_S}(?:initial{_S}|"
                rf"updated{_S}|revised{_S}|new{_S})?list)\b"),
    ("listing", rf"\b(?:list|List)\b{_ANY}{{0,60}}?\b(?:was|were){_S}(?:released|published)\b"),
    # "first published the 1260H List in 2021 ... and updated it to include 13 more in 2022"
    ("listing", rf"\b(?:published|issued|updated|updating|expanded|expanding){_S}(?:the|its|it|an?)"
                rf"{_S}"
                rf"(?:(?:[\w-]+{_S}){{0,3}}?[Ll]ist\b|to{_S}include)"),
    ("listing", rf"\b(?:released|published|issued){_S}(?:an?{_S})?(?:update|revision)s?{_S}to{_S}"
                rf"(?:its|the|their){_S}(?:\w+{_S})?list\b"),
    # the Pentagon tying a firm to China's military is how news reports a 1260H listing
    ("listing", rf"\b(?:Defense|Pentagon|DoD){_S}(?:tied|linked|ties|links)\b"
                rf"{_ANY}{{0,60}}?\bto{_S}(?:the{_S}|China['’]s{_S})?(?:Chinese{_S})?military\b"),
    ("listing", rf"\brenew(?:ed|s)?{_S}(?:the|its|their){_S}(?:designation|listing)\b"),
    ("listing", rf"\bimpos(?:ed|es|ing){_S}(?:investment{_S})?(?:restrictions|sanctions|"
                rf"(?:a{_S})?(?:investment{_S}|trade{_S})?bans?){_S}on\b"),
    # "ordered a ban on U.S. imports of ... from A" (import bans), "restricted exports to A"
    ("other_action", rf"\b(?:ordered|imposed|announced){_S}an?{_S}ban{_S}on{_S}"
                     rf"(?:U\.S\.{_S}|US{_S})?imports\b"),
    ("listing", rf"\b(?<!list )restrict(?:ed|s){_S}exports{_S}to\b"),
    ("listing", rf"\bsanction(?:ed|s|ing){_S}(?!\w+{_S}(?:over|for){_S}alleged)"
                rf"(?:\d+|[a-z]+{_S}(?:people|individuals|entities|companies|firms))"),
    # a headline's verb: "U.S. Sanctions COSCO Companies for Transporting Iranian Oil"
    ("listing", r"(?<=U\.S\. )Sanctions(?= [A-Z])|(?<=US )Sanctions(?= [A-Z])"),
    # investment bans: what Treasury's NS-CMIC list does, said of its companies
    ("listing", rf"\b(?:ban(?:s|ned|ning)?|bar(?:s|red|ring)?|prohibit(?:s|ed|ing)?)\b"
                rf"{_ANY}{{0,60}}?\bfrom{_S}investing{_S}in\b"),
    ("listing", rf"\brestrict(?:s|ed|ing)?{_S}(?:\w+{_S})?investments?{_S}in\b"),
    ("listing", rf"\binvestment{_S}ban{_S}on\b"),
    # a measure named by its noun and dated by a participle: "a U.S. investment ban announced
    # on December 10", "sanctions imposed last year"
    ("listing", rf"\b(?:investment{_S}ban|blacklisting|designation)\b(?={_S}(?:announced|"
                rf"imposed|unveiled)\b)"),
    # removals
    ("removed", rf"\bremov(?:e|es|ed|ing)\b{_ANY}{{0,120}}?\bfrom{_S}{_DET}?\b"),
    ("removed", rf"\bby{_S}removing\b"),
    ("removed", rf"\b(?:the|this|that|its){_S}removal{_S}of\b"),
    # executive orders and laws
    ("eo_signed", rf"\bsign(?:ed|s|ing)?{_S}(?:an?{_S}|the{_S})?executive{_S}order\b"),
    ("eo_signed", rf"\border,?{_S}signed{_S}(?:by|on|in|last)\b"),
    ("law_signed", rf"\bsign(?:ed|s|ing){_S}(?:a|the){_S}(?:[\w-]+{_S}){{0,3}}?(?:law|act|bill)\b"),
    ("law_signed", rf"\bsigned\b{_ANY}{{0,80}}?\binto{_S}law\b"),
    ("law_signed", rf"\b(?:was|were|is|had{_S}been|has{_S}been){_S}(?:enacted|passed)\b"),
    ("law_signed", rf"\b(?:Congress|Senate|House|lawmakers){_S}(?:passed|enacted)\b"),
    # other government actions on a firm's status
    ("other_action", rf"\brevok(?:ed|es|ing|e)\b{_ANY}{{0,60}}?\b(?:licen[cs]es?|"
                     rf"authori[sz]ations?|certificates?)\b"),
    ("other_action", rf"\b(?:unveil(?:ed|s|ing)?|announc(?:ed|es|ing)|impos(?:ed|es|ing)"
                     rf"|issu(?:ed|es|ing)|introduc(?:ed|es|ing)|tighten(?:ed|s|ing)?){_S}"
                     rf"(?:[\w-]+{_S}){{0,3}}?"
                     rf"(?:export{_S})?controls\b"),
    ("other_action", rf"\bactions?{_S}(?:we|it|they|the{_S}agency){_S}took\b"),
    # import bans and licence requirements: "CBP issued a Withhold Release Order against A",
    # "US firms must now apply for a license to export ... to the chipmaker"
    ("other_action", rf"\b(?:issued|imposed|issues|imposes){_S}(?:an?{_S})?(?:Withhold{_S}Release"
                     rf"{_S}Order|WRO|import{_S}ban|detention{_S}order)\b"),
    ("other_action", rf"\b(?:must|need{_S}to|are{_S}required{_S}to){_S}(?:now{_S})?(?:apply{_S}for"
                     rf"|obtain|seek){_S}(?:an?{_S})?(?:export{_S})?licen[cs]es?\b"),
    ("other_action", rf"\b(?:announced|unveiled){_S}(?:a{_S})?new\b{_ANY}{{0,20}}?\bpolicy\b"),
    ("other_action", rf"\bissued{_S}(?:a|another|its){_S}statement\b{_ANY}{{0,40}}?\bwarning\b"),
    ("other_action", rf"\b(?:sued|sues|suing|filed{_S}(?:a{_S})?(?:law)?suit{_S}against)\b"),
    ("other_action", rf"\bfiled{_S}(?:a|an|its){_S}(?:\w+{_S})?(?:case|complaint|lawsuit|suit|"
                     rf"petition)\b"),
    ("other_action", rf"\b(?:complaint|lawsuit|suit|petition){_S}filed\b"),
    # courts: "Judge Contreras issued an initial injunction", "a court blocked the designation",
    # "The Court of International Trade on July 30 stayed A's lawsuit"
    ("other_action", rf"\b(?:court|judge|tribunal)\b{_ANY}{{0,60}}?\b(?:stayed|dismissed|upheld|"
                     rf"blocked|enjoined|vacated|struck{_S}down|overturned|ruled|rejected|"
                     rf"sided{_S}with)\b"),
    ("other_action", rf"\b(?:issued|granted|grants|issues){_S}(?:an?{_S}|the{_S})?(?:[\w-]+{_S})?"
                     rf"injunction\b"),
    # IPOs
    ("ipo_filed", rf"\bfiled{_S}(?:(?:its|a|an|the){_S})?(?:prospectus|application|"
                  rf"(?:IPO{_S})?listing{_S}application)\b"),
    ("ipo_filed", rf"\bfiled{_S}(?:to|for){_S}(?:go{_S}public|an?{_S}(?:IPO|listing))\b"),
    ("ipo_filed", rf"\bpass(?:ed|ing){_S}(?:the|its)?{_S}?(?:listing{_S})?review\b"),
    ("ipo_filed", rf"\b(?:restart(?:ed|s)?|resum(?:ed|es))\b{_ANY}{{0,40}}?\bregistration\b"),
    ("ipo_filed", rf"\bpre-IPO{_S}tutoring\b"),
    # the exchange's side: "The Shanghai Stock Exchange received CXMT's application for a listing"
    ("ipo_filed", rf"\b(?:received|accepted)\b{_ANY}{{0,40}}?\bapplication{_S}for{_S}(?:an?{_S})?"
                  rf"(?:listing|IPO|initial{_S}public{_S}offering)\b"),
    # working with a sponsor before filing: "is preparing for an initial public offering",
    # "working with CITIC Securities to prepare for its planned listing"
    ("ipo_filed", rf"\bprepar(?:e|es|ing){_S}for{_S}(?:an?|its|their){_S}(?:planned{_S}|"
                  rf"proposed{_S})?(?:IPO|listing|initial{_S}public{_S}offering|flotation)\b"),
    ("ipo_postponed", rf"\b(?:postpon|suspend)(?:e|es|ed|ing)?\b(?={_ANY}{{0,80}}?\b(?:IPO|listing"
                      rf"|share{_S}sale|(?:share{_S})?offering)\b)"),
    ("ipo_scrapped", rf"\b(?:scrap(?:s|ped)?|cancel(?:s|led|ed)?|withdr(?:ew|awn)|lapsed)\b"
                     rf"(?={_ANY}{{0,40}}?\b(?:IPO|listing|offering|application)\b)"),
    ("ipo_relaunch_planned", rf"\b(?:relaunch|re-launch|revive|resume)\b"
                             rf"(?={_ANY}{{0,30}}?\b(?:deal|IPO|listing|offering)\b)"),
    ("ipo_relaunch_planned", rf"\bremains?{_S}committed\W{{0,2}}{_S}to{_S}listing\b"),
    ("ipo_listed", rf"\b(?:debuted|debut{_S}(?:in|on)|began{_S}trading|started{_S}trading|"
                   rf"was{_S}listed{_S}on)\b"),
    ("ipo_listed", rf"\b(?:on|in|at){_S}(?:its|their){_S}(?:[A-Z][\w-]*{_S}){{0,2}}(?:market{_S})?"
                   rf"debut\b"),
    # money raised in a listing, and a listing named with its size: "QuantaSing raised US$40
    # million on January 24" (in a sentence about listings), "the US$334.5 million listing
    # of Lianbio"
    ("ipo_listed", rf"\braised{_S}(?:about{_S}|nearly{_S}|some{_S})?(?:US|HK|S)?\$[\d.,]+"
                   rf"(?:{_S}(?:million|billion|bn|m)\b)?"),
    ("ipo_listed", rf"\$[\d.,]+{_S}(?:million|billion){_S}(?:IPO|listing|initial{_S}public"
                   rf"{_S}offering|flotation){_S}of\b"),
    # a company's own listing told with its year: "SMIC's listing in 2020" (not its listing
    # on a sanctions list)
    ("ipo_listed", rf"(?<=['’]s )(?:listing|IPO|debut){_S}(?:in|on){_S}(?=(?:19|20)\d\d\b|"
                   rf"[A-Z])(?!{_ANY}{{0,30}}?{_LIST})"),
    # share moves
    ("shares_fell", rf"{_SHARES}{_TICKER}{{0,60}}?\b(?:{_SHARE_DOWN})\b"),
    ("shares_fell", r"\blimit[- ]down\b"),
    # a company's first-day move: "X plunged on its Shanghai debut"
    ("shares_fell", rf"\b(?:{_SHARE_DOWN})\b(?={_S}(?:[\d.]+%{_S})?(?:on|in){_S}(?:its|their)"
                    rf"{_S}(?:[A-Z][\w-]*{_S}){{0,2}}debut\b)"),
    ("shares_rose", rf"\b(?:{_SHARE_UP})\b(?={_S}(?:[\d.]+%{_S})?(?:on|in){_S}(?:its|their)"
                    rf"{_S}(?:[A-Z][\w-]*{_S}){{0,2}}debut\b)"),
    ("shares_rose", rf"{_SHARES}{_TICKER}{{0,60}}?\b(?:{_SHARE_UP})\b"),
    # a market wrap's movers: a percentage move told right after a company's name ("AIA Group
    # Ltd, which gained 5.99%", "China Vanke Co Ltd, up by 0.82%", "Sinopec Corp up 2.33%")
    ("shares_fell", rf"(?-i:[A-Z][\w.&)]*),?{_S}(?:which{_S})?(?:{_SHARE_DOWN}|down|losing)"
                    rf"(?:{_S}by)?{_S}[\d.]+(?:{_S})?(?:%|percent\b|per{_S}cent\b)"),
    ("shares_rose", rf"(?-i:[A-Z][\w.&)]*),?{_S}(?:which{_S})?(?:{_SHARE_UP}|up|gaining|rising)"
                    rf"(?:{_S}by)?{_S}[\d.]+(?:{_S})?(?:%|percent\b|per{_S}cent\b)"),
    # statements
    ("effective", rf"\b(?:took|takes|take|taking){_S}effect\b|\b(?:is|are|becomes?|was|were)"
                  rf"{_S}effective\b|^[^\S\n]*Effective\b"),
    ("statement", rf"\b(?:said|says|stated){_S}in{_S}a{_S}statement\b"),
    ("statement", rf"\b(?:in|filed){_S}a{_S}statement\b"),
    ("statement", rf"\bspokes(?:person|man|woman){_S}(?:said|says)\b"),
    ("statement", rf"\b(?:the{_S}(?:firm|company)|it){_S}(?:said|says|added|noted|stated)\b"),
    ("statement", r"\b(?:(?:has|have)\s*(?:repeatedly\s+)?denied|repeatedly\s+denied|denied)\b"),
    ("company_said", r"\b(?:said|says|added|noted|criticised|criticized|stated|called)\b"),
    # government responses (China)
    ("government_response", rf"\b(?:Foreign{_S}Ministry|Ministry{_S}of{_S}Foreign{_S}Affairs"
                            rf"|Chinese{_S}government|China|Beijing)\b[^,;:\n]{{0,30}}?\b(?:accused"
                            r"|expressed|demanded|said|added|condemned|opposes|opposed|urged"
                            r"|criticised|criticized|vowed|responded|respond)\b"),
    ("government_response", rf"\bMinistry{_S}spokes(?:person|man|woman)\b"),
]
COMPILED = [(k, re.compile(p, re.I)) for k, p in TRIGGERS]

# Reporting kinds (not actions): statements, responses.
ACTION_KINDS = ("listing", "removed", "eo_signed", "law_signed", "other_action", "ipo_filed",
                "ipo_postponed", "ipo_scrapped", "ipo_relaunch_planned", "ipo_listed",
                "shares_fell", "shares_rose", "considered")


def _split_top(p: str) -> list[str]:
    """``p`` split at its top-level ``|`` (not inside a group or a class)."""
    parts, depth, cur, esc, cls = [], 0, "", False, False
    for ch in p:
        if esc:
            cur, esc = cur + ch, False
            continue
        if ch == "\\":
            cur, esc = cur + ch, True
            continue
        cls = (cls or ch == "[") and ch != "]"
        if not cls:
            depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0 and not cls:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [*parts, cur]


def _group_end(body: str) -> int:
    """Index of the ``)`` that closes a group whose body starts ``body``."""
    depth = 1
    for i, ch in enumerate(body):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i
    return len(body)


def _first_words(pattern: str) -> tuple[str, ...] | None:
    """Lower-case stems one of which every match of ``pattern`` starts with (a cheap gate for
    the sentence), or None when they cannot be read off the pattern's start."""
    stems: list[str] = []
    for alt in _split_top(pattern):
        alt = re.sub(r"^(?:\^|\[\^\\S\\n\]\*|\\b|\(\?<!?[^)]*\))+", "", alt)
        if alt.startswith("(?:"):
            body = alt[3:]
            end = _group_end(body)
            if body[end + 1:end + 2] in ("?", "*", "{"):
                return None
            inner = _first_words(body[:end])
            if inner is None:
                return None
            stems += inner
            continue
        m = re.match(r"([A-Za-z][A-Za-z-]+)([?*{]?)", alt)
        if m is None:
            return None
        stem = m.group(1)[:-1] if m.group(2) else m.group(1)  # "shares?" -> "share"
        if len(stem) < 2:
            return None
        stems.append(stem.lower())
    return tuple(stems)


GATES = [_first_words(p) for _, p in TRIGGERS]

_STEMS = sorted({g for gate in GATES if gate for g in gate}, key=lambda g: (-len(g), g))
# One pass over a sentence finds every stem; a longer stem found also stands for the stems
# that begin it ("shares" holds "share").
STEM_SCAN = re.compile(r"\b(?:" + "|".join(re.escape(g) for g in _STEMS) + ")")
STEM_PREFIXES = {g: frozenset(h for h in _STEMS if g.startswith(h)) for g in _STEMS}

# For each stem the scan can find, the patterns it opens (a pattern with no readable gate is
# always tried): a sentence costs one scan plus the patterns its words can start.
_ALWAYS = frozenset(i for i, gate in enumerate(GATES) if gate is None)
_OPENS = {g: frozenset(i for i, gate in enumerate(GATES)
                       if gate is not None and not STEM_PREFIXES[g].isdisjoint(gate))
          for g in _STEMS}


def patterns_for(lowered: str) -> list[int]:
    """Indexes (in TRIGGERS order) of the patterns worth trying on a lower-cased sentence."""
    todo = set(_ALWAYS)
    for m in STEM_SCAN.finditer(lowered):
        todo |= _OPENS[m.group()]
    return sorted(todo)
