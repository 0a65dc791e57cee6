"""Separate article body from page furniture, logging every removal with its reason.

Rules are decided per pattern, never per file: full-line boilerplate, inline photo
credits, mastheads and bylines known from metadata, repeated headlines and repeated
paragraphs (captions printed twice). Body sentences are never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Full-line patterns: the whole (stripped) line must match. Each is about the shape of page
# furniture (short labels, widgets, calls to action), never about one site's article.
LINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"advertisement|sponsored( content)?|paid (post|content)|promoted", re.I),
     "advertisement marker"),
    (re.compile(r".{0,120}\((?:Ad|Advertisement|Sponsored)\)", re.I), "advertisement"),
    (re.compile(r"comments?(\s*\(\d+\))?", re.I), "comments widget label"),
    (re.compile(r"read more news on", re.I), "site navigation"),
    (re.compile(r"next story|previous story|related stories|related articles?|read more|"
                r"more from .{1,40}|recommended( for you)?|most (read|popular)|trending( now)?|"
                r"top stories|back to top|skip to (main )?content|jump to|view original "
                r"document|article content|story continues below( advertisement)?|"
                r"continue reading( below)?", re.I), "site navigation"),
    (re.compile(r"end of article", re.I), "end-of-article marker"),
    (re.compile(r"catch all the .{0,80}news.*", re.I), "site promotion"),
    (re.compile(r"download the .{0,60}\bapp\b.*", re.I), "app promotion"),
    (re.compile(r"follow us on .{0,60}", re.I), "site promotion"),
    (re.compile(r"newspapers (in|from) [A-Z][\w ]{1,40}", re.I), "newspaper-archive footer"),
    (re.compile(r"(©|\(c\)|copyright)\s*\d{4}\b.{0,80}", re.I), "copyright line"),
    (re.compile(r"[-—–]*\s*with assistance from [A-Z][\w.' ,]{1,80}\.?", re.I), "credit line"),
    (re.compile(r"(\?\?\s*)+"), "photo-credit placeholder"),
    (re.compile(r"(?=.*\bcookies?\b)(?=.*\b(we|our|you|your|this (web)?site|accept|consent|"
                r"preferences|settings)\b).{0,600}", re.I), "cookie banner"),
    (re.compile(r"(accept|reject|allow|decline)( all)?( cookies)?|manage (cookie )?"
                r"(preferences|settings)|(privacy|cookie) (policy|notice|settings)|"
                r"terms (of|and) (use|service|conditions)|do not sell my .{0,40}", re.I),
     "cookie or legal-notice button"),
    (re.compile(r"(?=.{0,200}$)(?=.*\b(sign up|subscribe|log ?in|sign in|register)\b)"
                r"(?=.*\b(to (unlock|read|continue|access|keep reading)|free (trial|preview)|"
                r"newsletter|inbox|unlimited access|already a subscriber)\b).*", re.I),
     "subscription or newsletter prompt"),
    (re.compile(r"(subscribe|sign up|sign in|log in|register)( (now|today|here|for free))?"
                r"[.!]?", re.I), "subscription or newsletter prompt"),
    (re.compile(r".{0,160}>\s*(?:[A-Z]{2,}\s*){1,6}"), "call-to-action button"),
    (re.compile(r"(share|share this (article|story|page)|share on \w+|share via \w+|"
                r"copy link|email|print|tweet)( ?[|/·•,] ?(facebook|twitter|x|linkedin|email|"
                r"whatsapp|reddit|print|copy link|telegram))*", re.I), "share buttons"),
    (re.compile(r"(listen to (this|the) (article|story)|audio is not supported.{0,80}|"
                r"(play|pause) (audio|article)|article audio)( ?[·|-]? ?\d+:\d\d)?"
                r"(.{0,30}\bmin(ute)?s?\b.{0,10})?", re.I), "audio widget"),
    (re.compile(r"(\d+\s*(min|mins|minute|minutes)\s*(read|listen)|reading time:? ?\d+ "
                r"min\w*)", re.I), "reading-time widget"),
    (re.compile(r"file photo:.{0,400}|photos?:\s*\S+(\s+\S+){0,5}|(photo credit|image credit|"
                r"image source)\b.{0,160}", re.I), "photo caption or credit"),
    (re.compile(r".{0,400}\((?:AP|AFP|Reuters|Getty|EPA|Xinhua|Bloomberg)?\s*"
                r"(?:Photo|Photograph|Picture|Image)s?\s*(?:/|by|credit:?)\s*[^)]{1,80}\)\s*"),
     "photo caption (ends with a photo credit)"),
    (re.compile(r"(for )?immediate release\s*\|?|media contact:.{0,80}", re.I),
     "press-release label"),
    (re.compile(r"(for [\w ]{1,30}, )?click here( and here)?.{0,40}", re.I), "link text"),
    (re.compile(r"\d{1,2}:\d\d(\s*(am|pm|a\.m\.|p\.m\.))?\s*(gmt|utc|et|est|edt|bst|hkt|"
                r"cet|sgt)?|[A-Z]{2,6}\d{1,2}:\d\d", re.I), "time stamp or widget code"),
]
# Navigation: short lines made of menu words, or items split by | • · › > / separators.
MENU_WORDS = frozenset("""home news world business markets market tech technology politics opinion
sport sports video videos podcasts podcast menu search login subscribe newsletters newsletter
more sections latest live climate science health lifestyle culture travel economy finance
asia china us u.s. europe americas africa entertainment weather local nation shop deals
contact about careers advertise account topics""".split())
_MENU_SPLIT = re.compile(r"\s+[/>]\s+|\s*[|•·›»\t]\s*")
_ICON_START = re.compile("^[\u2190-\u2bff\u2600-\u27bf\U0001f300-\U0001faff]")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")
_BYLINE = re.compile(r"(?:[Aa]uthored by|By|BY|[Ww]ritten by)\s+[A-Z][\w.'’-]+"
                     r"(\s+([A-Z][\w.'’-]+|and|van|de|von))*"
                     r"(\s+via\s+[A-Z][\w.&' ]{1,50})?\s*[,.]?")
_PAYWALL_BLURB = re.compile(r"[A-Z][\w&]*(?: [A-Z][\w&]*){0,4} (?:Daily|News|Times|Post|"
                            r"Journal|Weekly|Report|Review|Wire|Today|Magazine|Insider) (?:is|"
                            r"combines|brings|delivers|provides|offers|covers)\b")


def furniture_reason(line: str) -> str | None:
    """Why a whole line is page furniture, or None for a line that may be article text."""
    s = line.strip()
    for pattern, reason in LINE_RULES:
        if pattern.fullmatch(s):
            return reason
    if not re.search(r"[^\W\d_]", s) and re.search(r"[{}<>;$?]", s):
        return "markup debris (no words)"
    words = s.split()
    if _ICON_START.match(s) and len(words) <= 12:
        return "widget or navigation label (starts with an icon)"
    if len(words) <= 10 and _BYLINE.fullmatch(s):
        return "byline"
    if _SENTENCE_END.search(s) or len(words) > 14:
        return None
    items = [i for i in _MENU_SPLIT.split(s) if i]
    if len(items) >= 3 and all(len(i.split()) <= 3 for i in items):
        return "navigation menu (short items between separators)"
    low = [w.strip(",.:;|").lower() for w in words]
    if len(low) >= 3 and sum(w in MENU_WORDS for w in low) / len(low) >= 0.6:
        return "navigation menu (menu words)"
    return None


_AGENCIES = r"(?:Reuters|AFP|AP|EPA|Getty Images|Bloomberg|Xinhua|SCMP|Shutterstock)"
# Inline patterns: removed from within a line, the rest of the line kept.
INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:FOR )?IMMEDIATE RELEASE\s*\|\s*", re.I), "press-release label"),
    (re.compile(r"\s*\|\s*Media Contact:.*$", re.I), "press-release contact"),
    (re.compile(r"\?\?\s*Photos?:\s*[^?]{1,60}?\s*\?\?\s*"), "photo credit"),
    (re.compile(r"\?\?\s*\?\?\s*"), "photo-credit placeholder"),
    (re.compile(rf"^Photos?:\s*{_AGENCIES}(?:\s*/\s*{_AGENCIES})*\s+"), "photo credit"),
    (re.compile(r"\s*\((?:Photo|Photograph|Picture|Image)s?\s+(?:by|credit:?)\s+[^)]{1,80}\)"),
     "photo credit"),
]

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_ITEM = re.compile(r"^\s*([-*•–]|\d+[.)])\s+")
_TERMINAL = tuple(".!?:;\"”’)]…")


@dataclass(frozen=True)
class Removal:
    """One thing cleaning removed: where (1-based line of the source text), what, why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # first source line


def norm_line(s: str) -> str:
    """Comparison key: case-, quote- and whitespace-insensitive."""
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().casefold()


def html_to_text(html: str) -> tuple[str, str | None, int]:
    """Extract block text from HTML; returns (text, <title> or first <h1>, skipped blocks)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "\n".join(line.strip() for line in "".join(parser.out).split("\n"))
    title = (parser.title or parser.h1 or "").strip() or None
    return re.sub(r"\n{3,}", "\n\n", text).strip(), title, parser.skipped


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
             "article", "blockquote", "header", "figcaption", "ul", "ol", "table", "hr"}
    SKIP = {"script", "style", "noscript", "nav", "footer", "aside", "form", "iframe", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.skipped = 0
        self.title: str | None = None
        self.h1: str | None = None
        self._in: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
            self.skipped += 1
        elif tag in self.BLOCK:
            self.out.append("\n\n")
        if tag in ("title", "h1") and self._in is None:
            self._in, self._buf = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag in self.BLOCK:
            self.out.append("\n\n")
        if tag == self._in:
            value = re.sub(r"\s+", " ", "".join(self._buf)).strip()
            if tag == "title" and self.title is None:
                self.title = value
            elif tag == "h1" and self.h1 is None:
                self.h1 = value
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)
        if self.skip_depth or self._in == "title":
            return
        self.out.append(re.sub(r"[ \t\n]+", " ", data))


def clean_lines(
    text: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    authors: str | None = None,
    markdown: bool = False,
) -> tuple[list[Paragraph], list[Removal]]:
    """Split text into body paragraphs and a log of what was removed and why."""
    # Longer than a screen: one pass over the lines with the paragraph being built, the
    # headline/masthead/byline keys and the paywall flag as shared state; the rules
    # themselves live in _line_rule, INLINE_RULES and _continues.
    removals: list[Removal] = []
    kept: list[Paragraph] = []
    seen: set[str] = set()
    headline_keys = {norm_line(title)} if title else set()
    masthead = norm_line(outlet) if outlet else None
    byline_keys = _byline_keys(authors)
    pending: list[tuple[int, str]] = []  # lines of the paragraph being built
    after_paywall = False  # the paragraph after a paywall prompt may be the publisher's blurb

    def flush() -> None:
        if not pending:
            return
        line_no = pending[0][0]
        body = pending[0][1]
        for _, nxt in pending[1:]:
            body = f"{body} {nxt}"
        pending.clear()
        key = norm_line(body)
        if kept and key in headline_keys and key in seen:
            removals.append(Removal(line_no, body, "repeated headline"))
            return
        if key in seen and len(key.split()) >= 4:
            removals.append(Removal(line_no, body, "repeated paragraph (caption or pull-quote)"))
            return
        if not kept:
            headline_keys.add(key)
        seen.add(key)
        kept.append(Paragraph(body, line_no))

    for i, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if markdown and _MD_HEADING.match(stripped):
            flush()
            stripped = _MD_HEADING.sub("", stripped)
        reason = _line_rule(stripped)
        if not reason and after_paywall and not pending and _PAYWALL_BLURB.match(stripped):
            reason = "publisher blurb (after a paywall prompt)"
        if reason:
            flush()
            removals.append(Removal(i, stripped, reason))
            after_paywall = reason == "subscription or newsletter prompt"
            continue
        if not pending:
            after_paywall = False
        for pattern, why in INLINE_RULES:
            for m in list(pattern.finditer(stripped)):
                removals.append(Removal(i, m.group(0).strip(), why))
            stripped = pattern.sub("", stripped).strip()
        if not stripped:
            continue
        key = norm_line(stripped)
        if len(kept) < 3 and not pending and masthead and key == masthead:
            flush()
            removals.append(Removal(i, stripped, "masthead (outlet name)"))
            continue
        if len(kept) < 4 and key in byline_keys:
            flush()
            removals.append(Removal(i, stripped, "byline (authors are in metadata)"))
            continue
        if pending and _continues(pending[-1][1], stripped, markdown):
            pending.append((i, stripped))
        else:
            flush()
            pending.append((i, stripped))
    flush()
    return kept, removals


def _line_rule(line: str) -> str | None:
    return furniture_reason(line)


def _byline_keys(authors: str | None) -> set[str]:
    if not authors:
        return set()
    a = norm_line(authors).replace(";", " and ")
    a = re.sub(r"\s+", " ", a)
    out = {a, f"by {a}"}
    return out | {f"{dash} {k}" for k in list(out) for dash in "-–—"}


def _continues(prev: str, nxt: str, markdown: bool) -> bool:
    """Is `nxt` a wrapped continuation of `prev` (same paragraph)?"""
    if _LIST_ITEM.match(nxt):
        return False
    if markdown:
        return True
    return not prev.endswith(_TERMINAL) and nxt[:1].islower()
