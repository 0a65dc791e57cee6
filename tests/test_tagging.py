"""Tagger: exact provenance, KB names per seed, numbers, quotes, unknown-name candidates."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens.cli import main
from sanctionlens.extract.tagging import Gazetteer, fold, tag_document
from sanctionlens.ingest.load import load_document

S000, S001, S002, S003, S004 = (
    "000_01268d76ed01239e", "001_cb481560be846f44", "002_ffa6ae5ea12d9d3c",
    "003_7627a8d55a239d0a", "004_ba4aa41dde4800f8",
)
# Read off the articles by hand: who and what each one names.
EXPECTED = {
    S000: {
        "COMPANY": {"sensetime", "megvii", "smic"},
        "AGENCY": {"us_treasury", "us_commerce", "china_mfa", "us_defense", "white_house"},
        "INSTRUMENT": {"entity_list"},
        "PERSON": set(),
    },
    S001: {
        "COMPANY": {"sensetime"},
        "AGENCY": {"us_treasury", "us_commerce"},  # White House only in the photo caption
        "INSTRUMENT": {"ns_cmic_list"},
        "PERSON": {"tang_xiaoou"},  # Biden and Xi appear only in the photo caption
    },
    S002: {
        "COMPANY": {"hikvision", "sensetime", "megvii"},
        "AGENCY": {"us_treasury", "white_house", "us_congress"},
        "INSTRUMENT": {"sdn_list", "entity_list"},
        "PERSON": {"jon_bateman", "joe_biden", "kendra_schaefer"},
    },
    S003: {
        "COMPANY": {"cloudwalk", "netposa", "sensenets", "intellifusion", "isvision", "huawei",
                    "tsmc", "qihoo360"},
        "AGENCY": {"china_mfa"},
        "INSTRUMENT": {"entity_list"},
        "PERSON": {"zhao_lijian", "raymond_wang", "xiang_ligang"},
    },
    S004: {
        "COMPANY": {"hikvision", "sensetime", "megvii", "alibaba", "huawei"},
        "AGENCY": {"us_treasury", "china_mfa", "white_house"},
        "INSTRUMENT": {"sdn_list", "entity_list"},
        "PERSON": {"jon_bateman", "joe_biden", "antony_blinken", "zhao_lijian", "vivian_zhan",
                   "wen_ti_sung", "xi_jinping"},
    },
}
MONEY = {S000: {("USD", 767000000), ("USD", 2000000000)}, S001: {("USD", 767000000)},
         S002: set(), S003: set(), S004: {("CNY", 80000000000), ("USD", 12100000000)}}


@pytest.fixture(scope="module")
def corpus():
    return sl.load_corpus()


@pytest.fixture(scope="module")
def tags(corpus):
    return sl.tag(corpus)


def test_columns_and_exact_spans(corpus, tags):
    assert list(tags.columns) == ["doc_id", "sentence_id", "start", "end", "text", "label",
                                  "entity_id", "value", "basis"]
    for row in tags.itertuples():
        doc = corpus[row.doc_id]
        assert doc.text[row.start:row.end] == row.text
        s = doc.sentences[row.sentence_id]
        assert s.start <= row.start < s.end or row.label == "DATE"


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_names_per_seed(tags, doc_id):
    got = tags[tags.doc_id == doc_id]
    for label, ids in EXPECTED[doc_id].items():
        found = set(got.loc[got.label == label, "entity_id"])
        assert ids <= found, f"{doc_id} {label}: missing {ids - found}"
    if EXPECTED[doc_id]["COMPANY"]:
        kb_ids = {e for e in got.loc[got.label == "COMPANY", "entity_id"]
                  if not e.startswith("new:")}
        assert kb_ids == EXPECTED[doc_id]["COMPANY"]


@pytest.mark.parametrize("doc_id", sorted(MONEY))
def test_money_per_seed(tags, doc_id):
    got = tags[(tags.doc_id == doc_id) & (tags.label == "MONEY")]
    assert {(v["unit"], v["amount"]) for v in got["value"]} == MONEY[doc_id]


def test_no_outlet_place_or_person_is_a_company(tags):
    kb = sl.get_kb()
    companies = tags[tags.label == "COMPANY"]
    assert {e for e in companies.entity_id if not e.startswith("new:")} <= set(kb.companies)
    for text in companies.text:
        assert text.lower() not in {"wsj", "bloomberg", "ft", "afp", "xinjiang", "hong kong",
                                    "china daily", "ipo", "sdn", "uyghurs"}


def test_longest_match_and_misspelling(corpus, tags):
    t4 = tags[tags.doc_id == S004]
    full = t4[t4.text == "Hangzhou Hikvision Digital Technology Co."]
    assert len(full) == 1 and full.iloc[0].entity_id == "hikvision"
    assert (t4[t4.text == "Hikivison"].entity_id == "hikvision").all()
    assert len(t4[t4.text == "Hikivison"]) == 1
    assert not ((t4.label == "PLACE") & (t4.text == "Hangzhou") & (t4.start == full.iloc[0].start)
                ).any()


def test_case_quote_possessive_insensitive_and_word_bounded():
    gaz = Gazetteer([("SenseTime", "COMPANY", "sensetime", False),
                     ("IS'Vision", "COMPANY", "isvision", False),
                     ("Megvii", "COMPANY", "megvii", False),
                     ("SMIC", "COMPANY", "smic", True)])
    text = "SENSETIME’s rival IS’Vision and Megvii's unit; xMegvii and Megviis; smic vs SMIC."
    found = [(text[a:b], e) for a, b, _, e in gaz.find(text)]
    assert found == [("SENSETIME", "sensetime"), ("IS’Vision", "isvision"),
                     ("Megvii", "megvii"), ("SMIC", "smic")]


def test_america_inside_region_names_is_not_the_united_states():
    doc = sl.load_corpus().documents[0]
    doc.text = "Sales in Latin America grew while America imposed limits."
    doc.sentences = []
    found = {(t.text, t.entity_id) for t in tag_document(doc, dates=False)}
    assert ("Latin America", "latin_america") in found
    assert ("America", "united_states") in found and len(found) == 2


def test_fold_keeps_length():
    s = "İstanbul’s “Quote” — ß"
    assert len(fold(s)) == len(s)


def test_numbers_normalised(tags):
    values = [v for v in tags.loc[tags.label == "PERCENT", "value"]]
    assert {"amount": 10, "unit": "%"} in values and {"amount": 0, "unit": "%"} in values
    q = tags[(tags.label == "QUANTITY") & (tags.doc_id == S004)]
    got = {(v["amount"], v["unit"]) for v in q["value"]}
    assert {(53000, "staff"), (150, "countries"), (7, "companies")} <= got
    q3 = tags[(tags.label == "QUANTITY") & (tags.doc_id == S003)]
    assert (33, "companies") in {(v["amount"], v["unit"]) for v in q3["value"]}
    yuan = tags[(tags.label == "MONEY") & (tags.text.str.contains("yuan"))].iloc[0].value
    assert yuan["equivalent"] == {"amount": 12100000000, "unit": "USD"}
    assert yuan["qualifier"] == "more than"


def test_html_and_new_folder(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Dahua shares fell\n\nZhejiang Dahua Technology said on Tuesday its shares fell 5%.\n")
    c = sl.load_corpus(tmp_path)
    t = sl.tag(c)
    assert "dahua" in set(t.entity_id)


def test_quotes_and_speakers(corpus):
    q = sl.quotes(corpus)
    assert list(q.columns[:6]) == ["doc_id", "sentence_id", "start", "end", "quote", "speaker"]
    for row in q.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end].strip() == row.quote

    def speaker_of(fragment: str) -> str | None:
        rows = q[q.quote.str.contains(fragment, regex=False)]
        assert len(rows) >= 1, fragment
        return rows.iloc[0].speaker_id

    assert speaker_of("fundamental misunderstanding of our company") == "sensetime"
    assert speaker_of("We regret to have been caught") == "sensetime"
    assert speaker_of("There will be immediate calls") == "jon_bateman"
    assert speaker_of("At this point, Chinese tech companies") == "jon_bateman"
    assert speaker_of("violated basic norms") == "zhao_lijian"
    assert speaker_of("So decoupling does no good") == "raymond_wang"
    assert speaker_of("We formulate and implement strict ethical") == "cloudwalk"
    assert speaker_of("zero per cent chance") == "kendra_schaefer"
    assert speaker_of("it might potentially work") == "vivian_zhan"
    assert speaker_of("guided more by interests") == "wen_ti_sung"
    assert speaker_of("China firmly opposes") == "zhao_lijian"
    # scare quotes are not quotes
    assert not q.quote.str.fullmatch(r"entity list,?").any()
    assert not q.quote.str.contains("automated racism").any()


def test_candidates_lists_unknown_names(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Zorblax Vision added\n\nThe US added Zorblax Vision Ltd. and Hikvision to the Entity "
        "List, officials at Quantum Nebula Systems said.\n")
    cands = sl.candidates(sl.load_corpus(tmp_path))
    names = set(cands.name)
    assert "Quantum Nebula Systems" in names
    assert not any("Hikvision" in n for n in names)


def test_cli_tag_csv_and_jsonl(tmp_path, capsys):
    out = tmp_path / "tags.csv"
    assert main(["tag", "--format", "csv", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "doc_id,sentence_id,start,end,text,label,entity_id,value,basis"
    assert len(lines) > 200
    assert main(["tag", "--format", "jsonl"]) == 0
    rec = json.loads(capsys.readouterr().out.splitlines()[0])
    assert set(rec) == {"doc_id", "sentence_id", "start", "end", "text", "label", "entity_id",
                        "value", "basis"}


def test_cli_corpus_and_errors(capsys, tmp_path):
    assert main(["corpus"]) == 0
    assert "001_cb481560be846f44" in capsys.readouterr().out
    assert main(["corpus", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "missing" in err and "Traceback" not in err
    assert main(["tag", str(tmp_path / "missing")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "no such file or folder" in err
    with pytest.raises(SystemExit) as exc:
        main(["tag", "--help"])
    assert exc.value.code == 0


def test_tag_document_without_dates_has_no_date_rows(corpus):
    doc = load_document(corpus[S004].path)
    assert not [t for t in tag_document(doc, dates=False) if t.label == "DATE"]


def test_case_sensitive_spelling_and_unicode_neighbours():
    gaz = Gazetteer([("US", "PLACE", "united_states", True),
                     ("Treasury", "AGENCY", "us_treasury", True),
                     ("treasury", "AGENCY", "us_treasury_any_case", False),
                     ("Megvii", "COMPANY", "megvii", False)])
    text = "us and US; USbased; using; TREASURY; Megviié; 旷视Megvii; (Megvii)."
    found = [(text[a:b], e) for a, b, _, e in gaz.find(text)]
    # "us" is not the US; a case-insensitive alias wins over a case-sensitive one with the
    # same letters; a letter of any script next to a name is part of another word.
    assert found == [("US", "united_states"), ("US", "united_states"),
                     ("TREASURY", "us_treasury_any_case"), ("Megvii", "megvii")]
    assert found[1] == ("US", "united_states") and text.index("USbased") == 11


def test_short_names_from_the_scan_and_from_other_spellings():
    doc = sl.load_corpus().documents[0]
    doc.text = ("Raymond Wang spoke first. Wang said more. WANG left. "
                "MANDEL NGAN took photos; NGAN said Wangs and Mr Wang disagreed.")
    doc.sentences = []
    people = [(t.text, t.entity_id) for t in tag_document(doc, dates=False)
              if t.label == "PERSON"]
    assert people == [("Raymond Wang", "raymond_wang"), ("Wang", "raymond_wang"),
                      ("MANDEL NGAN", "mandel_ngan"), ("NGAN", "mandel_ngan"),
                      ("Wang", "raymond_wang")]


@pytest.mark.parametrize("text", [
    "three firms, a dozen staff, one-third, phone, -one, one_x, Twenty-two and 4 five",
    "More than 150 countries; ten per cent; two billion yuan ($300 million)",
])
def test_number_words_from_the_gazetteer_scan_match_the_plain_search(text, corpus):
    from sanctionlens.extract.numbers import find_numbers
    from sanctionlens.extract.tagging import _default_gazetteer

    gaz = _default_gazetteer()
    for t in [text] + [d.text for d in corpus]:
        plain = list(find_numbers(t))
        scanned = list(find_numbers(t, fold(t), gaz.scan(t, fold(t)).number_words))
        assert scanned == plain
    assert [m.value["amount"] for m in find_numbers(text)]


def test_date_rows_are_the_time_expressions(corpus, tags):
    timex = sl.time_expressions(corpus).set_index(["doc_id", "start", "end"])
    dates = tags[tags.label == "DATE"]
    assert len(dates) >= 25
    for row in dates.itertuples():
        tx = timex.loc[(row.doc_id, row.start, row.end)]
        value = None if pd.isna(tx.value) else tx.value  # a missing value is NaN in a frame
        assert row.value == {"value": value, "precision": tx.precision, "basis": tx.basis}


def test_gazetteer_without_names_still_finds_number_words():
    from sanctionlens.extract.numbers import NUMBER_WORDS

    gaz = Gazetteer([], number_words=NUMBER_WORDS)
    text = "three Americans and a dozen firms"
    scan = gaz.scan(text, fold(text))
    assert scan.names == [] and scan.number_words == [0, text.index("a dozen")]
