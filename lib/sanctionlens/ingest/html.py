"""Saved web pages: main text, title, date, site name and author with trafilatura and htmldate.

The project's own block extractor (clean.html_to_text) is kept as a fallback only, for pages
where trafilatura finds no main text; the cleaning log says when it was used.
"""

from __future__ import annotations

import logging
import re

from .clean import Removal, html_to_text
from .metadata import Hints

SOURCE = "HTML metadata"


def extract_html(html: str) -> tuple[str, Hints, list[Removal]]:
    """(main text with blank lines between blocks, hints from the page, cleaning-log entries)."""
    import trafilatura
    from htmldate import find_date

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    hints = Hints(source=SOURCE)
    text = ""
    if doc is not None:
        text = re.sub(r"\n+", "\n\n", (doc.text or "").strip())
        hints.title = _strip_site(doc.title or "", doc.sitename or "")
        hints.url, hints.outlet = doc.url or "", doc.sitename or ""
        hints.authors = (doc.author or "").replace("; ", " and ")
    # Only the page's markup and URL: a date guessed from the text would be read again, with
    # its basis, by metadata.infer.
    date = find_date(html, extensive_search=False, original_date=True, url=hints.url or None)
    hints.date = date or ""
    if text:
        return text, hints, [Removal(0, "page template, menus, scripts and all tags",
                                     "HTML: not the main text (trafilatura)")]
    body, title, skipped = html_to_text(html)
    hints.title = hints.title or (title or "")
    return body, hints, [Removal(0, f"{skipped} script/style/nav blocks and all tags",
                                 "HTML markup (trafilatura found no main text: fallback "
                                 "block extractor used)")]


def _strip_site(title: str, site: str) -> str:
    """'Headline | Site' or 'Headline - Site' -> 'Headline'."""
    title = re.sub(r"\s+", " ", title).strip()
    if site:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
    return title
