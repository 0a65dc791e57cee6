"""Tests for analysis.explore, extract.stopwords and plots.corpus."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
import sanctionlens as sl
from sanctionlens.analysis import explore
from sanctionlens.errors import ParameterError, UnknownNameError
from sanctionlens.extract.stopwords import STOPWORDS, is_stopword
from sanctionlens.plots import corpus as plots
from sanctionlens.plots import display

KWIC_COLUMNS = ["doc_id", "sentence_id", "left", "match", "right", "start", "end"]


@pytest.fixture(scope="module")
def seeds() -> sl.Corpus:
    return sl.load_corpus()


def write_corpus(folder: Path, articles: dict[str, str]) -> sl.Corpus:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sl.load_corpus(folder)


@pytest.fixture()
def small(tmp_path: Path) -> sl.Corpus:
    return write_corpus(tmp_path / "small", {
        "a.txt": "Widget makers face the Entity List.\n\n"
                 "Acme Widget said the entity list hurts. Acme Widget’s shares fell.\n\n"
                 "The U.S. Commerce Department added Acme Widget in May.\n",
        "b.txt": "Another report.\n\nAcme Widget denied it. Officials at the U.S. Commerce "
                 "Department declined to comment on the Entity-List move.\n",
    })


def regex_count(corpus: sl.Corpus, pattern: str) -> int:
    return sum(len(re.findall(pattern, d.text, flags=re.I)) for d in corpus)


# --- kwic -------------------------------------------------------------------------------------

def test_kwic_rows_point_back_into_text(seeds: sl.Corpus) -> None:
    frame = explore.kwic(seeds, "Entity List")
    assert list(frame.columns) == KWIC_COLUMNS
    assert len(frame) == regex_count(seeds, r"(?<!\w)entity\s+list(?!\w)")
    for row in frame.itertuples(index=False):
        doc = seeds[row.doc_id]
        assert doc.text[row.start:row.end] == row.match
        assert " ".join(row.match.lower().split()) == "entity list"
        sentence = doc.sentences[row.sentence_id]
        assert sentence.start <= row.start < sentence.end
        assert " ".join(doc.text[:row.start].split()).endswith(row.left)
        assert " ".join(doc.text[row.end:].split()).startswith(row.right)


def test_kwic_is_case_insensitive_and_sorted(seeds: sl.Corpus) -> None:
    upper = explore.kwic(seeds, "ENTITY LIST")
    lower = explore.kwic(seeds, "entity list")
    pd.testing.assert_frame_equal(upper, lower)
    assert list(zip(upper["doc_id"], upper["start"], strict=True)) == sorted(
        zip(upper["doc_id"], upper["start"], strict=True))


def test_kwic_finds_possessives_and_abbreviations(small: sl.Corpus) -> None:
    acme = explore.kwic(small, "Acme Widget")
    assert len(acme) == regex_count(small, r"\bAcme Widget\b")  # includes "Acme Widget’s"
    us = explore.kwic(small, "U.S. Commerce Department")
    assert len(us) == 2
    assert set(us["match"]) == {"U.S. Commerce Department"}


def test_kwic_does_not_match_across_punctuation(small: sl.Corpus) -> None:
    frame = explore.kwic(small, "Entity List")
    assert "Entity-List" not in set(frame["match"])
    assert len(frame) == 2


def test_kwic_width_limits_context(small: sl.Corpus) -> None:
    frame = explore.kwic(small, "entity list", width=10)
    assert all(len(s) <= 10 for s in frame["left"]) and all(len(s) <= 10 for s in frame["right"])


def test_kwic_unknown_term_gives_empty_frame(seeds: sl.Corpus) -> None:
    frame = explore.kwic(seeds, "zebra crossing")
    assert frame.empty and list(frame.columns) == KWIC_COLUMNS


@pytest.mark.parametrize("term", ["", "   ", None])
def test_kwic_empty_term_raises(seeds: sl.Corpus, term: object) -> None:
    with pytest.raises(ParameterError, match="term"):
        explore.kwic(seeds, term)  # type: ignore[arg-type]


# --- collocations -----------------------------------------------------------------------------

def test_collocations_filter_stopwords_and_punctuation(seeds: sl.Corpus) -> None:
    for measure in explore.MEASURES:
        frame = explore.collocations(seeds, n=20, min_freq=2, measure=measure)
        assert 0 < len(frame) <= 20
        assert (frame["frequency"] >= 2).all()
        assert frame["score"].is_monotonic_decreasing
        for words in frame["collocation"].str.split(" "):
            assert len(words) == 2
            assert not any(w in STOPWORDS or not w[0].isalnum() for w in words)


def test_collocations_counts_and_provenance(small: sl.Corpus) -> None:
    frame = explore.collocations(small, n=50, min_freq=2)
    row = frame.set_index("collocation").loc["acme widget"]
    assert row["frequency"] == regex_count(small, r"\bacme widget\b")
    assert row["doc_ids"] == "; ".join(sorted(d.id for d in small))
    assert row["documents"] == len(small)


def test_collocations_trigrams(small: sl.Corpus) -> None:
    frame = explore.collocations(small, n=5, min_freq=2, size=3)
    assert "u.s. commerce department" in set(frame["collocation"])


@pytest.mark.parametrize("kwargs", [{"measure": "chi"}, {"size": 4}, {"n": 0}, {"min_freq": 0}])
def test_collocations_bad_parameters(seeds: sl.Corpus, kwargs: dict) -> None:
    with pytest.raises(ParameterError):
        explore.collocations(seeds, **kwargs)


# --- counts -----------------------------------------------------------------------------------

def test_words_by_outlet_totals(seeds: sl.Corpus) -> None:
    frame = explore.words_by_outlet(seeds)
    docs = seeds.to_frame()
    assert list(frame.columns) == ["outlet", "documents", "words", "sentences"]
    assert frame["documents"].sum() == len(seeds)
    assert frame["words"].sum() == docs["words"].sum()
    assert frame["sentences"].sum() == docs["sentences"].sum()
    unknown = (docs["outlet"].fillna("").str.strip() == "").sum()
    got = frame.set_index("outlet")["documents"].get(explore.UNKNOWN_OUTLET, 0)
    assert got == unknown
    assert "" not in set(frame["outlet"])


def test_term_frequencies(seeds: sl.Corpus) -> None:
    frame = explore.term_frequencies(seeds, top=12)
    assert len(frame) == 12 and frame["count"].is_monotonic_decreasing
    assert not set(frame["term"]) & STOPWORDS
    counts = dict(zip(frame["term"], frame["count"], strict=True))
    assert counts["xinjiang"] == regex_count(seeds, r"\bxinjiang\b")
    with pytest.raises(ParameterError):
        explore.term_frequencies(seeds, top=0)


def test_stopwords() -> None:
    assert is_stopword("The") and is_stopword("of")
    assert not is_stopword("US")  # the country, lower-cased
    assert all(w == w.lower() for w in STOPWORDS)


# --- highlighting and mentions ----------------------------------------------------------------

def tags_for(doc: sl.Document, pieces: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Tag rows for the first occurrence of each (text, label, entity_id)."""
    rows = []
    for text, label, entity in pieces:
        start = doc.text.index(text)
        rows.append({"doc_id": doc.id, "sentence_id": 0, "start": start,
                     "end": start + len(text), "text": text, "label": label,
                     "entity_id": entity, "value": None})
    return pd.DataFrame(rows)


def test_highlight_escapes_article_text(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "evil", {
        "x.txt": "Title <b>bold</b>\n\nEvil <script>alert(1)</script> Corp & Co said \"hi\".\n",
    })
    doc = corpus.documents[0]
    tags = tags_for(doc, [("<script>alert(1)</script> Corp", "COMPANY", 'evil"><i>'),
                          ("Evil", "PERSON", "")])
    out = display.highlight_tags(doc, tags).markup
    assert "<script>" not in out and "<b>" not in out and '"><i>' not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in out
    assert "&amp; Co" in out
    visible = html.unescape(re.sub(r"<sub[^>]*>.*?</sub>|<[^>]+>", "", out))
    assert doc.text in visible
    assert out.count('class="sl-tag"') == 2


def test_highlight_checks_and_overlaps(small: sl.Corpus) -> None:
    doc = small.documents[0]
    tags = tags_for(doc, [("Acme Widget", "COMPANY", "acme"), ("Acme", "ORG", "")])
    out = display.highlight_tags(doc, tags).markup
    assert out.count('class="sl-tag"') == 1 and 'title="COMPANY: acme"' in out
    assert 'class="sl-tag"' not in display.highlight_tags(doc, tags, labels=["PERSON"]).markup
    bad = tags.assign(text="Something else")
    with pytest.raises(ParameterError, match="were the tags made"):
        display.highlight_tags(doc, bad)
    with pytest.raises(ParameterError, match="lack column"):
        display.highlight_tags(doc, tags.drop(columns=["label"]))


def test_mention_table_and_pick_document(small: sl.Corpus) -> None:
    a, b = small.documents
    tags = pd.concat([
        tags_for(a, [("Acme Widget", "COMPANY", "acme"), ("Commerce Department", "AGENCY", "doc")]),
        tags_for(b, [("Acme Widget", "COMPANY", "acme")]),
        tags_for(a, [("Widget makers", "COMPANY", "")]),
    ], ignore_index=True)
    table = explore.mention_table(small, tags)
    assert list(table.index) == [d.id for d in small]
    assert list(table.columns) == ["acme", "Widget makers"]
    assert table.loc[a.id, "acme"] == 1 and table.loc[b.id, "Widget makers"] == 0
    empty = explore.mention_table(small, tags, label="PLACE")
    assert empty.shape == (2, 0)
    assert explore.pick_document(small, tags=tags).id == a.id
    assert explore.pick_document(small, tags=tags[tags["doc_id"] == b.id]).id == b.id
    assert explore.pick_document(small, b.id, tags).id == b.id
    assert explore.pick_document(small).id == a.id
    with pytest.raises(UnknownNameError, match="known"):
        explore.pick_document(small, "nope")


# --- figures ----------------------------------------------------------------------------------

def test_words_per_outlet_figure_escapes_hover() -> None:
    frame = pd.DataFrame({"outlet": ["<img src=x onerror=alert(1)>", "Daily"],
                          "documents": [1, 2], "words": [10, 20], "sentences": [1, 3]})
    fig = plots.words_per_outlet_figure(frame)
    assert isinstance(fig, go.Figure)
    text = fig.to_json()
    assert "<img" not in text and "&lt;img" in text
    assert list(fig.data[0].x) == [10, 20]


def test_cleaning_figure(seeds: sl.Corpus) -> None:
    cleaning = seeds.cleaning_frame()
    fig = plots.cleaning_figure(cleaning)
    assert sum(sum(t.x) for t in fig.data) == len(cleaning)
    assert {t.name for t in fig.data} == set(cleaning["doc_id"])
    evil = pd.DataFrame({"doc_id": ["d"], "line": [1], "text": ["<script>x</script>"],
                         "reason": ["<b>why</b>"]})
    assert "<script>" not in plots.cleaning_figure(evil).to_json()
    empty = plots.cleaning_figure(cleaning.iloc[0:0])
    assert not empty.data and empty.layout.annotations
    with pytest.raises(ParameterError, match="lacks column"):
        plots.cleaning_figure(cleaning.drop(columns=["reason"]))


def test_term_frequency_figure(seeds: sl.Corpus) -> None:
    frame = explore.term_frequencies(seeds, top=5)
    fig = plots.term_frequency_figure(frame)
    assert list(fig.data[0].x)[::-1] == frame["count"].tolist()


def test_term_counts_join_abbreviation_spellings_and_fixed_pairs(tmp_path) -> None:
    from sanctionlens.analysis import explore as ex

    (tmp_path / "a.txt").write_text(
        "Title here\n\nThe U.S. blacklisted firms in Hong Kong. The US acted. They told us so. "
        "Hong Kong shares fell in Hong Kong.\n", encoding="utf-8")
    terms = ex.term_frequencies(sl.load_corpus(tmp_path), top=50).set_index("term")["count"]
    assert terms["US"] == 2 and "u.s." not in terms
    assert terms["hong kong"] == 3 and "hong" not in terms and "kong" not in terms
