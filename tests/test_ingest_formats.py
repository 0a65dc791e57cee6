"""Each input format on a small file written here: a saved news page, exports, subfolders."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sanctionlens as sl
from sanctionlens.ingest.load import CorpusWarning

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Drone maker Skyward sues over Pentagon listing | Harbor Ledger</title>
<meta property="og:title" content="Drone maker Skyward sues over Pentagon listing">
<meta property="og:site_name" content="Harbor Ledger">
<meta property="og:url" content="https://www.harborledger.example/world/2024/10/21/skyward-sues/">
<meta property="article:published_time" content="2024-10-21T08:13:00Z">
<meta name="author" content="Mei Tanaka">
<script>window.dataLayer = [];</script>
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/tech">Tech</a></li></ul></nav></header>
<main><article>
<h1>Drone maker Skyward sues over Pentagon listing</h1>
<p class="byline">By Mei Tanaka</p>
<p>WASHINGTON (Reuters) - Skyward Robotics sued the U.S. Department of Defense on Friday,
asking a federal court to remove it from a list of companies the Pentagon says work with
China's military.</p>
<p>The company said the designation had cost it contracts and that it is neither owned nor
controlled by any military. The department declined to comment on the lawsuit.</p>
<div class="ad">Advertisement</div>
<p>Skyward was added to the list in January of last year, along with a dozen other firms
that make sensors, batteries and cameras.</p>
</article></main>
<footer><p>© 2024 Harbor Ledger. All rights reserved.</p></footer>
</body></html>
"""

RECORDS = [
    {"headline": "Sensor maker added to trade blacklist", "article_body":
     "BEIJING, May 5 (Xinhua) -- The Commerce Department added sensor maker Lidar Peak to "
     "the Entity List on Thursday, the company said in a statement in 2022.",
     "publishedAt": "2022-05-05T10:00:00Z", "source": {"id": None, "name": "Xinhua"},
     "url": "https://example.org/a"},
    {"title": "No text here", "url": "https://example.org/b"},
    {"headline": "Chipmaker shares slide", "article_body":
     "Shares of a chipmaker fell 5% after it was added to a Pentagon list, traders said.",
     "link": "https://news.example.com/markets/2021/12/13/chipmaker-shares-slide"},
]


def test_saved_news_page(tmp_path):
    (tmp_path / "skyward.html").write_text(PAGE, encoding="utf-8")
    d = sl.load_corpus(tmp_path)["skyward"]
    assert d.title == "Drone maker Skyward sues over Pentagon listing"
    assert d.published == dt.date(2024, 10, 21) and "HTML metadata" in d.published_basis
    assert d.outlet == "Harbor Ledger" and d.authors == "Mei Tanaka"
    assert "Skyward Robotics sued the U.S. Department of Defense on Friday" in d.text
    assert "The department declined to comment on the lawsuit." in d.text
    for furniture in ("cookies", "Advertisement", "Home", "dataLayer", "All rights reserved"):
        assert furniture not in d.text, furniture
    assert any("trafilatura" in r.reason for r in d.cleaning_log)


def test_html_without_main_text_falls_back_and_says_so(tmp_path):
    (tmp_path / "p.html").write_bytes(b"<html><head><title>T</title></head><body>"
                                      b"<div>Hikvision said on Monday.</div></body></html>")
    d = sl.load_corpus(tmp_path)["p"]
    assert "Hikvision said on Monday." in d.text
    assert any("fallback" in r.reason for r in d.cleaning_log) or \
        any("trafilatura" in r.reason for r in d.cleaning_log)


def test_jsonl_export_with_field_mapping(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"record 2 has no article text"):
        c = sl.load_corpus(tmp_path)
    assert [d.id for d in c] == ["export#1", "export#3"]
    a, b = c["export#1"], c["export#3"]
    assert a.title == "Sensor maker added to trade blacklist" and a.outlet == "Xinhua"
    assert a.published == dt.date(2022, 5, 5) and a.record == 1 and a.path.name == "export.jsonl"
    assert b.published == dt.date(2021, 12, 13) and "URL" in b.published_basis
    assert b.outlet == "news.example.com" and "URL host" in b.outlet_basis


def test_fields_parameter_and_unknown_name(tmp_path):
    (tmp_path / "e.json").write_text(json.dumps({"articles": [
        {"story_html_free": "Megvii said on Monday it would list in Shanghai.",
         "hed": "Megvii to list"}]}), encoding="utf-8")
    d = sl.load_corpus(tmp_path, fields={"text": "story_html_free", "title": "hed"})["e#1"]
    assert d.title == "Megvii to list" and "Megvii said on Monday" in d.text
    assert sl.load_corpus(tmp_path, fields="text=story_html_free,title=hed")["e#1"].title \
        == "Megvii to list"
    with pytest.raises(sl.CorpusError, match="unknown name.*body"):
        sl.load_corpus(tmp_path, fields={"body": "x"})


def test_csv_export_and_cli_fields(tmp_path, capsys):
    from sanctionlens.cli import main

    (tmp_path / "rows.csv").write_text(
        "hed,copy,date\nTencent shares fall,\"Tencent shares fell 5% in Hong Kong on Tuesday, "
        "traders said.\",2025-01-07\n", encoding="utf-8")
    assert main(["corpus", str(tmp_path), "--fields", "text=copy,title=hed", "--format",
                 "csv"]) == 0
    out = capsys.readouterr().out
    assert "rows#1" in out and "2025-01-07" in out and "Tencent shares fall" in out


def test_subfolders_are_read_and_single_file_uses_metadata(tmp_path):
    sub = tmp_path / "2024" / "oct"
    sub.mkdir(parents=True)
    (sub / "a.txt").write_text("Hikvision hit by new rule\n\nHikvision said on Monday it "
                               "would appeal.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("SenseTime delays IPO\n\nSenseTime said it would wait.\n",
                                    encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "metadata.csv").write_text(
        "file,published,outlet\nb.txt,2021-12-13,Reuters\n2024/oct/a.txt,2024-10-07,\n",
        encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"notes\.pdf: ignored"):
        c = sl.load_corpus(tmp_path)
    assert sorted(d.id for d in c) == ["2024/oct/a", "b"]
    assert c["2024/oct/a"].published == dt.date(2024, 10, 7)
    one = sl.load_corpus(tmp_path / "b.txt")
    assert len(one) == 1 and one["b"].outlet == "Reuters" and one["b"].title_basis
    assert one["b"].published == dt.date(2021, 12, 13) and one["b"].published_basis


def test_metadata_wins_over_inference(tmp_path):
    (tmp_path / "a.txt").write_text("Headline of the day here\n\nDec. 16, 2022\n\nThe rule "
                                    "was published on Thursday by the department.\n",
                                    encoding="utf-8")
    assert sl.load_corpus(tmp_path)["a"].published == dt.date(2022, 12, 16)
    (tmp_path / "metadata.csv").write_text("file,published,published_basis,title\n"
                                           "a.txt,2022-12-17,checked,My title\n")
    d = sl.load_corpus(tmp_path)["a"]
    assert (d.published, d.published_basis, d.title) == (dt.date(2022, 12, 17), "checked",
                                                          "My title")
    assert d.title_basis == "metadata.csv"
