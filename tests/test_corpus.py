"""Loader, cleaning, sentence splits and metadata of the bundled seeds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sanctionlens as sl
from sanctionlens.paths import SEEDS_DIR

# Lines of the seed files that are not article body (listed by hand from the files).
NOT_BODY = {
    "001_cb481560be846f44": ["US President Joe Biden meets",  # photo caption with its credit
                             "Read More News On", "Catch all the Business News",
                             "Download The BOL News App", "End of Article", "Next Story"],
    "002_ffa6ae5ea12d9d3c": ["South China Morning Post", "- Zhou Xin and Yaling Jiang",
                             "Newspapers in English", "Newspapers from China"],
    "003_7627a8d55a239d0a": ["Comments"],
    "004_ba4aa41dde4800f8": ["ADVERTISEMENT", "©2022 Bloomberg L.P.",
                             "With assistance from Bloomberg"],
}
CREDITS = re.compile(r"\?\?\s*Photos: Reuters\s*\?\?|\?\?\s*\?\?|^Photos: Reuters\s*|"
                     r"\s*\(Photo by MANDEL NGAN / AFP\)")


@pytest.fixture(scope="module")
def corpus() -> sl.Corpus:
    return sl.load_corpus()


def body_lines(path) -> list[str]:
    skip = NOT_BODY.get(path.stem, [])
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = CREDITS.sub("", line.strip()).strip()
        if line and not any(line.startswith(s) for s in skip):
            out.append(line)
    return out


def test_five_seed_documents(corpus):
    assert len(corpus) == 5
    assert [d.path.name for d in corpus] == sorted(p.name for p in SEEDS_DIR.glob("*.txt"))


def test_every_body_sentence_survives(corpus):
    for doc in corpus:
        for line in body_lines(doc.path):
            assert line in doc.text, f"{doc.id}: body line lost: {line[:80]!r}"


def test_boilerplate_removed_with_reasons(corpus):
    for doc_id, lines in NOT_BODY.items():
        doc = corpus[doc_id]
        logged = " | ".join(r.text for r in doc.cleaning_log)
        for line in lines:
            assert not any(p.startswith(line) for p in doc.text.split("\n")), (doc_id, line)
            assert line in logged or line.strip("- ") in logged, (doc_id, line)
        assert all(r.reason for r in doc.cleaning_log)
    assert "??" not in "".join(d.text for d in corpus)
    assert "Photo by" not in corpus["001_cb481560be846f44"].text


@pytest.mark.parametrize("doc_id,headline,copies", [
    ("001_cb481560be846f44", "China’s SenseTime postpones Hong Kong IPO after US blacklisting", 3),
    ("004_ba4aa41dde4800f8",
     "U.S. Threat to Sanction Hikvision Shows China Ties Near a Tipping Point", 4),
])
def test_repeated_headlines_kept_once(corpus, doc_id, headline, copies):
    doc = corpus[doc_id]
    assert doc.raw.count(headline) == copies
    assert doc.text.count(headline) == 1
    assert sum(r.reason == "repeated headline" for r in doc.cleaning_log) == copies - 1


def test_duplicate_captions_kept_once(corpus):
    doc = corpus["002_ffa6ae5ea12d9d3c"]
    assert doc.text.count("A Hikvision camera in operation in Beijing.") == 1
    assert doc.text.count("Police on patrol in Kashgar, Xinjiang.") == 1


def test_sentence_offsets_and_abbreviations(corpus):
    for doc in corpus:
        for s in doc.sentences:
            assert doc.text[s.start:s.end] == s.text
        assert [s.id for s in doc.sentences] == list(range(len(doc.sentences)))
    texts = [s.text for s in corpus["000_01268d76ed01239e"].sentences]
    assert "The U.S. Treasury Department writes:" in texts
    assert any(t.startswith("If the US adds the Hangzhoubased company")
               for t in (s.text for s in corpus["002_ffa6ae5ea12d9d3c"].sentences))
    hik = [s.text for s in corpus["004_ba4aa41dde4800f8"].sentences]
    assert any("Hangzhou Hikvision Digital Technology Co., which makes cameras" in t for t in hik)


def test_legal_abbreviations_end_no_sentence():
    from sanctionlens.ingest.sentences import split_spans

    text = ("The firms sanctioned under E.O. 13846 are: Qarvon and Zorblax. See 50 U.S.C. 4813 and "
            "Sec. 1260H of the Act. The list grew.")
    assert [text[a:b] for a, b in split_spans(text)] == [
        "The firms sanctioned under E.O. 13846 are: Qarvon and Zorblax.",
        "See 50 U.S.C. 4813 and Sec. 1260H of the Act.", "The list grew."]


def test_metadata_dates_and_fields(corpus):
    published = {d.id: d.published for d in corpus}
    assert published["000_01268d76ed01239e"] == dt.date(2021, 12, 13)
    assert published["003_7627a8d55a239d0a"] is None
    for d in corpus:
        assert d.published_basis, d.id
        assert d.title and d.language == "en"
    assert corpus["002_ffa6ae5ea12d9d3c"].authors == "Zhou Xin and Yaling Jiang"


def test_published_dates_defended_by_text(corpus):
    # Each inferred date rests on words that are really in the article.
    assert "blacklisted by the U.S. three days ago" in corpus["000_01268d76ed01239e"].text
    assert "SenseTime said Monday" in corpus["001_cb481560be846f44"].text
    assert "announced the ban on Friday" in corpus["001_cb481560be846f44"].text
    assert "10 per cent in Shenzhen yesterday" in corpus["002_ffa6ae5ea12d9d3c"].text
    assert "daily limit on Thursday" in corpus["004_ba4aa41dde4800f8"].text
    assert dt.date(2021, 12, 13).weekday() == 0  # a Monday
    assert dt.date(2022, 5, 5).weekday() == 3  # a Thursday


def test_frames(corpus):
    df = corpus.to_frame()
    assert list(df["doc_id"]) == [d.id for d in corpus]
    assert (df["words"] > 300).all() and (df["sentences"] > 5).all()
    sf = corpus.sentences_frame()
    assert len(sf) == sum(len(d.sentences) for d in corpus)
    assert set(sf.columns) >= {"doc_id", "sentence_id", "start", "end", "text"}
    hashes = corpus.file_hashes()
    assert "metadata.csv" in hashes and len(hashes) == 6
