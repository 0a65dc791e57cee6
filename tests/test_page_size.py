"""A very long article does not make a huge page: tables and highlighted text are cut."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens.plots.corpus import highlighted_excerpt

PARAGRAPH = ("The U.S. Commerce Department added Hikvision to the Entity List on Monday, "
             "and shares of Hikvision fell in Shenzhen.")


def long_article(folder: Path, paragraphs: int) -> Path:
    """One article of many paragraphs, each followed by a line cleaning removes."""
    folder.mkdir()
    body = "\n\n".join(f"{PARAGRAPH} Item {i}.\n\nAdvertisement" for i in range(paragraphs))
    (folder / "001_long.txt").write_text(f"A very long story\n\n{body}\n", encoding="utf-8")
    return folder


def test_highlighted_excerpt_is_cut_with_a_note(tmp_path: Path) -> None:
    corpus = sl.load_corpus(long_article(tmp_path / "c", 2_000))
    doc = corpus.documents[0]
    html = highlighted_excerpt(doc, sl.tag(corpus), max_chars=5_000).markup
    assert len(html) < 80_000 and f"of {len(doc.text):,} characters are shown" in html
    assert "<mark" in html


def test_short_text_is_not_cut() -> None:
    corpus = sl.load_corpus()
    doc = corpus.documents[0]
    html = highlighted_excerpt(doc, sl.tag(corpus)).markup
    assert "characters are shown" not in html


def test_tags_beyond_the_cut_are_left_out(tmp_path: Path) -> None:
    corpus = sl.load_corpus(long_article(tmp_path / "c", 200))
    doc = corpus.documents[0]
    far = pd.DataFrame([{"doc_id": doc.id, "start": len(doc.text) - 5, "end": len(doc.text),
                         "label": "COMPANY", "text": doc.text[-5:], "entity_id": ""}])
    assert "characters are shown" in highlighted_excerpt(doc, far, max_chars=1_000).markup


@pytest.mark.notebook
def test_tour_page_of_a_long_article_stays_small(tmp_path: Path) -> None:
    from sanctionlens.reports import build

    corpus = long_article(tmp_path / "corpus", 8_000)  # ~1 MB, 8,000 cleaning rows
    assert (corpus / "001_long.txt").stat().st_size > 900_000
    results = build(None, tmp_path / "out", corpus=str(corpus), only="00_corpus_tour",
                    editions=["reader"], jobs=1, stream=io.StringIO())
    assert [r.status for r in results] == ["ok"], results[0].error
    page = tmp_path / "out" / "00_corpus_tour.html"
    assert page.stat().st_size < 1_500_000, page.stat().st_size
    html = page.read_text(encoding="utf-8")
    assert re.search(r"\b\d{1,3} of 8000 rows shown", html), "the cleaning table is not cut"
    assert "characters are shown" in html
