"""Every bad input gives a clear error or a recorded warning; nothing is silently lost."""

from __future__ import annotations

import codecs

import pytest
import sanctionlens as sl
from sanctionlens.ingest.load import CorpusWarning

BODY = "Hikvision said on Monday it was added to the Entity List. Shares fell 10%.\n"


def write(folder, name, data: bytes):
    (folder / name).write_bytes(data)
    return folder / name


def test_utf8_bom_utf16_and_crlf(tmp_path):
    write(tmp_path, "a.txt", codecs.BOM_UTF8 + "Title A\r\n\r\nBody “quoted” café.\r\n".encode())
    write(tmp_path, "b.txt", "Title B\n\nZhao Lijian said “no”.\n".encode("utf-16"))
    c = sl.load_corpus(tmp_path)
    a, b = c["a"], c["b"]
    assert a.title == "Title A" and "\r" not in a.text and "\ufeff" not in a.text
    assert "café" in a.text and a.encoding == "utf-8-sig"
    assert b.encoding == "utf-16" and "Zhao Lijian" in b.text


def test_nfc_normalisation(tmp_path):
    write(tmp_path, "a.txt", "Title\n\nCafe\u0301 owner.\n".encode())
    assert "Caf\u00e9" in sl.load_corpus(tmp_path)["a"].text


def test_cp1252_fallback_is_recorded(tmp_path):
    write(tmp_path, "a.txt", "Title\n\nThe firm said \x93no\x94 to caf\xe9.\n".encode("latin-1"))
    with pytest.warns(CorpusWarning, match="not valid UTF-8"):
        c = sl.load_corpus(tmp_path)
    assert "“no”" in c["a"].text and c["a"].encoding == "cp1252"
    assert any("cp1252" in w for w in c.warnings)


def test_binary_file_names_the_file(tmp_path):
    write(tmp_path, "good.txt", BODY.encode())
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(sl.CorpusError, match=r"image\.txt: binary file"):
        sl.load_corpus(tmp_path)


def test_unreadable_path_names_the_file(tmp_path):
    write(tmp_path, "good.txt", BODY.encode())
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing-target.txt")
    with pytest.raises(sl.CorpusError, match=r"broken\.txt: cannot read"):
        sl.load_corpus(tmp_path)


def test_missing_folder_and_empty_folder(tmp_path):
    with pytest.raises(sl.CorpusError, match="no such file or folder"):
        sl.load_corpus(tmp_path / "nope")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(sl.CorpusError, match="no articles found"):
        sl.load_corpus(empty)


def test_empty_file_skipped_with_warning(tmp_path):
    write(tmp_path, "good.txt", BODY.encode())
    write(tmp_path, "empty.txt", b"  \n")
    with pytest.warns(CorpusWarning, match=r"empty\.txt: empty file skipped"):
        c = sl.load_corpus(tmp_path)
    assert [d.id for d in c] == ["good"]


def test_other_file_types_are_reported(tmp_path):
    write(tmp_path, "good.txt", BODY.encode())
    write(tmp_path, "notes.pdf", b"%PDF-1.4")
    with pytest.warns(CorpusWarning, match=r"notes\.pdf: ignored"):
        sl.load_corpus(tmp_path)


def test_metadata_bad_date_and_unknown_file_with_line_numbers(tmp_path):
    write(tmp_path, "a.txt", BODY.encode())
    (tmp_path / "metadata.csv").write_text(
        "file,doc_id,published\n"
        "a.txt,a,2021-13-45\n"
        "ghost.txt,g,2021-01-01\n", encoding="utf-8")
    with pytest.raises(sl.MetadataError) as err:
        sl.load_corpus(tmp_path)
    msg = str(err.value)
    assert "metadata.csv:2: published '2021-13-45' is not an ISO date" in msg
    assert "metadata.csv:3: file 'ghost.txt' is not an article" in msg


def test_metadata_unknown_column(tmp_path):
    write(tmp_path, "a.txt", BODY.encode())
    (tmp_path / "metadata.csv").write_text("file,pubdate\na.txt,2021\n", encoding="utf-8")
    with pytest.raises(sl.MetadataError, match="unknown column.*pubdate"):
        sl.load_corpus(tmp_path)


def test_folder_without_metadata_uses_first_line_as_title(tmp_path):
    write(tmp_path, "x.md",
          b"# Megvii scraps IPO\n\nMegvii said it would list\non the STAR Market.\n")
    d = sl.load_corpus(tmp_path)["x"]
    assert d.title == "Megvii scraps IPO" and d.outlet == "" and d.published is None
    assert "Megvii said it would list on the STAR Market." in d.text


def test_html_article(tmp_path):
    write(tmp_path, "p.html", b"<html><head><title>SenseTime delays IPO</title>"
          b"<script>alert(1)</script></head><body><nav>Home | World</nav>"
          b"<h1>SenseTime delays IPO</h1><p>SenseTime said &ldquo;we regret&rdquo; it.</p>"
          b"<p>ADVERTISEMENT</p></body></html>")
    d = sl.load_corpus(tmp_path)["p"]
    assert d.title == "SenseTime delays IPO"
    assert "alert" not in d.text and "Home | World" not in d.text
    assert "SenseTime said “we regret” it." in d.text
    assert any(r.reason == "advertisement marker" for r in d.cleaning_log)


def test_duplicate_doc_ids(tmp_path):
    write(tmp_path, "a.txt", BODY.encode())
    write(tmp_path, "b.txt", BODY.encode())
    (tmp_path / "metadata.csv").write_text("file,doc_id\na.txt,same\nb.txt,same\n")
    with pytest.raises(sl.CorpusError, match="duplicate doc_id same"):
        sl.load_corpus(tmp_path)
