"""Knowledge base: the bundled YAML loads, every fact is sourced, bad YAML fails loudly."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from sanctionlens import paths
from sanctionlens.errors import KBError, UnknownNameError
from sanctionlens.kb import KB, Exchange, get_kb, load_kb, normalize_name

# Companies the seed articles name, with the surface form each seed prints.
SEED_COMPANY_FORMS = {
    "sensetime": ["SenseTime", "SenseTime Group Ltd.", "SenseTime’s"],
    "hikvision": ["Hikvision", "Hangzhou Hikvision Digital Technology Co.", "Hikivison",
                  "HIKVISION"],
    "megvii": ["Megvii", "Megvii Technology Ltd."],
    "cloudwalk": ["CloudWalk"],
    "netposa": ["NetPosa"],
    "sensenets": ["SenseNets"],
    "intellifusion": ["Intellifusion"],
    "isvision": ["IS’Vision"],
    "qihoo360": ["Qihoo 360"],
    "huawei": ["Huawei", "Huawei Technologies Co.", "Huawei’s"],
    "tsmc": ["Taiwan Semiconductor Manufacturing Co.", "TSMC"],
    "smic": ["Semiconductor Manufacturing International Corp.", "SMIC"],
    "alibaba": ["Alibaba"],
}


@pytest.fixture(scope="module")
def kb() -> KB:
    return get_kb()


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(paths.SEEDS_DIR.glob("*.txt"))}


# --------------------------------------------------------------------------- bundled KB
def test_bundled_kb_loads_every_kind(kb: KB) -> None:
    for group in (kb.companies, kb.agencies, kb.instruments, kb.people, kb.places, kb.outlets,
                  kb.organizations, kb.sources):
        assert group
    labels = {kb.label_of(e) for e in ("hikvision", "us_treasury", "entity_list", "zhao_lijian",
                                       "xinjiang", "bloomberg", "carnegie", "hkex")}
    assert labels == {"COMPANY", "AGENCY", "INSTRUMENT", "PERSON", "PLACE", "OUTLET", "ORG"}


def test_every_fact_has_a_source_and_seed_quotes_are_verbatim(kb: KB, seed_texts) -> None:
    n = 0
    for entity_id, fld, _value, ref, _fact in kb.iter_facts():
        n += 1
        where = f"{entity_id}.{fld}"
        if ref.source_id is not None:
            assert ref.source_id in kb.sources, where
        else:
            assert ref.seed in seed_texts, where
            start, end = ref.span
            assert seed_texts[ref.seed][start:end] == ref.quote, where
    assert n > 100
    facts = kb.facts()
    assert len(facts) == n
    assert facts["source_id"].str.len().min() > 0
    assert facts["source_text"].str.len().min() > 0


def test_sources_are_documents_with_publisher_and_title(kb: KB) -> None:
    for s in kb.sources.values():
        assert s.publisher and s.title
        assert s.citation or s.url or s.note, s.id


def test_events_sorted_and_reference_known_entities(kb: KB) -> None:
    keys = [(e.date, e.id) for e in kb.events]
    assert keys == sorted(keys)
    for e in kb.events:
        assert kb.label_of(e.actor) == "AGENCY"
        for t in e.targets:
            assert kb.label_of(t) == "COMPANY"


# --------------------------------------------------------------------------- lookups
@pytest.mark.parametrize("name", ["Hikvision", "Hangzhou Hikvision Digital Technology Co.",
                                  "hikivison", "HIKVISION", "  Hikvision’s "])
def test_resolve_company_hikvision(kb: KB, name: str) -> None:
    assert kb.resolve_company(name).id == "hikvision"


def test_resolve_company_possessive_and_curly_quotes(kb: KB) -> None:
    assert kb.resolve_company("SenseTime’s").id == "sensetime"
    assert kb.resolve_company("IS’Vision").id == "isvision"
    assert kb.resolve_company("IS'Vision").id == "isvision"


@pytest.mark.parametrize(("name", "expected"), [("Hikvisio n", "Hikvision"),
                                                ("Sensetiem", "SenseTime")])
def test_unknown_company_lists_close_matches(kb: KB, name: str, expected: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        kb.resolve_company(name)
    msg = str(info.value)
    assert name in msg
    closest = msg.split("closest matches:")[1].split(".")[0]
    assert expected in closest
    assert "Known companies:" in msg and "Megvii" in msg


def test_every_company_the_seeds_name_is_known(kb: KB, seed_texts) -> None:
    corpus = "\n".join(seed_texts.values())
    for company_id, forms in SEED_COMPANY_FORMS.items():
        for form in forms:
            assert form in corpus, f"{form!r} is not printed in the seeds; fix the test table"
            assert kb.resolve_company(form).id == company_id, form


def test_every_company_alias_is_in_the_gazetteer(kb: KB) -> None:
    gaz = {(f, eid) for f, _label, eid, _cs in kb.gazetteer()}
    for c in kb.companies.values():
        for a in [c.name, *c.aliases, *c.aliases_exact]:
            assert (a, c.id) in gaz or any(f.casefold() == a.casefold() and e == c.id
                                           for f, e in gaz), a


def test_gazetteer_case_sensitivity(kb: KB) -> None:
    rows = {(f, eid): cs for f, _label, eid, cs in kb.gazetteer()}
    assert rows[("US", "united_states")] is True
    assert rows[("SMIC", "smic")] is True
    assert rows[("DJI", "dji")] is True
    assert ("DJI", "dji") in rows and sum(1 for f, e in rows if e == "dji" and f == "DJI") == 1
    assert rows[("Hikvision", "hikvision")] is False
    assert all(len(f) > 3 or cs for (f, _e), cs in rows.items()), "short forms are case-sensitive"


def test_no_non_company_alias_is_a_company_alias(kb: KB) -> None:
    company_forms = {normalize_name(f) for f, label, _e, _cs in kb.gazetteer()
                     if label == "COMPANY"}
    for form, label, eid, _cs in kb.gazetteer():
        if label in {"OUTLET", "PLACE", "PERSON", "ORG"}:
            assert normalize_name(form) not in company_forms, (form, eid)


def test_company_aliases_are_specific(kb: KB) -> None:
    banned = {"360", "leon", "dawning", "yixin", "star", "sense"}
    for c in kb.companies.values():
        for a in [c.name, *c.aliases]:
            assert normalize_name(a) not in banned, (c.id, a)


def test_entity_and_label_of_unknown_id(kb: KB) -> None:
    assert kb.entity("sensetime").name == "SenseTime"
    with pytest.raises(UnknownNameError, match="sensetime"):
        kb.entity("sensetme")


def test_listing_for_symbol_and_exchange(kb: KB) -> None:
    company, listing = kb.listing_for_symbol("002415.SZ")
    assert company.id == "hikvision" and listing.exchange == "szse" and listing.board == "main"
    ex = kb.exchange(listing.exchange)
    assert isinstance(ex, Exchange)
    assert ex.market_indices and ex.market_indices[0] in {"399001.SZ", "000300.SH"}
    limits = {(p.board, p.limit) for p in ex.price_limits}
    assert ("main", 0.10) in limits and ("chinext", 0.20) in limits
    assert kb.exchange("hkex").market_indices == ["HSI"]
    with pytest.raises(UnknownNameError, match="002415.SZ"):
        kb.listing_for_symbol("999999.SZ")
    with pytest.raises(UnknownNameError, match="szse"):
        kb.exchange("nyse")


# --------------------------------------------------------------------------- the whole story
def test_kb_covers_the_story_with_cited_listings(kb: KB) -> None:
    assert len(kb.companies) >= 60
    listed = [c for c in kb.companies.values() if c.sanctions]
    assert len(listed) >= 55
    instruments = {s.instrument for c in listed for s in c.sanctions}
    assert {"entity_list", "ns_cmic_list", "eo_14032", "dod_1260h",
            "uflpa_entity_list"} <= instruments
    for c in listed:
        for s in c.sanctions:
            doc = kb.sources[s.source.source_id]
            assert doc.citation or doc.url or doc.note, (c.id, s.source.source_id)
            assert s.name_as_printed.strip(), c.id


@pytest.mark.parametrize(("name", "expected"), [
    ("DJI", "dji"), ("SZ DJI Technology", "dji"), ("Da-Jiang Innovations", "dji"),
    ("Sugon", "sugon"), ("Dawning Information Industry", "sugon"),
    ("YMTC", "ymtc"), ("Yangtze Memory Technologies", "ymtc"),
    ("CXMT", "cxmt"), ("ChangXin Memory Technologies", "cxmt"),
    ("Tencent Holdings", "tencent"), ("Contemporary Amperex Technology", "catl"),
    ("Hygon", "haiguang_ic"), ("Beijing Zhipu Huazhang Technology", "zhipu"),
    ("Inspur Group", "inspur"), ("Qihoo 360", "qihoo360"),
    ("360 Security Technology", "security360"),
])
def test_story_spellings_resolve(kb: KB, name: str, expected: str) -> None:
    assert kb.resolve_company(name).id == expected


@pytest.mark.parametrize(("symbol", "company", "board"), [
    ("688327.SH", "cloudwalk", "star"), ("300188.SZ", "meiya_pico", "chinext"),
    ("300367.SZ", "netposa", "chinext"), ("603019.SH", "sugon", "main"),
    ("300603.SZ", "leon", "chinext"),
])
def test_known_listings(kb: KB, symbol: str, company: str, board: str) -> None:
    c, listing = kb.listing_for_symbol(symbol)
    assert (c.id, listing.board) == (company, board)
    if symbol == "688327.SH":
        assert listing.listed == dt.date(2022, 5, 27)


def test_listing_rows_by_rule(kb: KB) -> None:
    def rows(cid: str, instrument: str) -> list:
        return [s for s in kb.companies[cid].sanctions if s.instrument == instrument]

    assert rows("sugon", "entity_list")[0].listed == dt.date(2019, 6, 21)
    assert rows("sugon", "entity_list")[0].source.source_id == "fr-2019-13245"
    assert {r.listed for r in rows("dji", "entity_list")} == {dt.date(2020, 12, 18)}
    assert rows("tencent", "dod_1260h")[0].listed == dt.date(2025, 1, 6)
    assert rows("megvii", "dod_1260h")[0].end == dt.date(2025, 1, 6)
    assert rows("sensetime", "ns_cmic_list")[0].listed == dt.date(2021, 12, 10)
    eight = {c.id for c in kb.companies.values()
             if any(s.event == "nscmic-2021-12-eight" for s in c.sanctions)}
    assert eight == {"cloudwalk", "sugon", "leon", "megvii", "netposa", "dji", "meiya_pico",
                     "yitu"}
    assert not kb.companies["security360"].aliases_exact
    assert "qihoo360" != kb.resolve_company("360 Security Technology Inc.").id


# --------------------------------------------------------------------------- malformed YAML
SEED_TEXT = "Acme Corp was added to the list on Monday.\n"

GOOD_SOURCES = """\
- id: doc-1
  publisher: Example Agency
  title: Example notice
  date: 2019-10-09
  citation: "1 FR 1"
"""

GOOD_COMPANIES = """\
- id: acme
  name: Acme Corp
  aliases: ["Acme Corporation"]
  founded: {value: 2001, source: doc-1}
  sector: {value: widgets, source: {seed: s1, quote: "Acme Corp was added"}}
"""


def _write_kb(tmp_path: Path, **files: str) -> tuple[Path, Path]:
    folder, seeds = tmp_path / "kb", tmp_path / "seeds"
    folder.mkdir()
    seeds.mkdir()
    (seeds / "s1.txt").write_text(SEED_TEXT, encoding="utf-8")
    contents = {"sources.yaml": GOOD_SOURCES, "companies.yaml": GOOD_COMPANIES}
    contents.update({f"{k}.yaml": v for k, v in files.items()})
    for name, text in contents.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder, seeds


def test_minimal_kb_loads_and_records_seed_span(tmp_path: Path) -> None:
    kb = load_kb(*_write_kb(tmp_path))
    acme = kb.companies["acme"]
    assert acme.founded.value == 2001 and acme.founded.source.source_id == "doc-1"
    assert acme.sector.source.span == (0, len("Acme Corp was added"))
    assert kb.resolve_company("acme corporation").id == "acme"


BAD_CASES = [
    # (id, companies.yaml text, expected pieces of the message)
    ("unknown field", GOOD_COMPANIES.replace("  aliases:", "  alias:"),
     ["companies.yaml", "'acme'", "'alias'", "unknown field"]),
    ("unknown fact field", GOOD_COMPANIES.replace("source: doc-1}", "sourc: doc-1}"),
     ["companies.yaml", "'acme'", "'founded.sourc'"]),
    ("missing source", GOOD_COMPANIES.replace("{value: 2001, source: doc-1}", "{value: 2001}"),
     ["companies.yaml", "'acme'", "'founded'", "missing source"]),
    ("undefined source", GOOD_COMPANIES.replace("source: doc-1", "source: fr-x"),
     ["companies.yaml", "'acme'", "'founded'", "source 'fr-x' is not defined in sources.yaml"]),
    ("quote not in seed", GOOD_COMPANIES.replace("Acme Corp was added", "Acme Corp was removed"),
     ["companies.yaml", "'acme'", "'sector'", "does not occur verbatim", "s1"]),
    ("missing seed", GOOD_COMPANIES.replace("seed: s1", "seed: s9"),
     ["companies.yaml", "'acme'", "'sector'", "s9"]),
    ("bad date", GOOD_COMPANIES + """\
  sanctions:
    - {instrument: x, name_as_printed: Acme, listed: 2019-13-45, source: doc-1}
""", ["companies.yaml", "'acme'", "'sanctions[0].listed'", "bad date"]),
    ("duplicate id", GOOD_COMPANIES + GOOD_COMPANIES.replace("Acme Corp", "Acme Two").replace(
        "Acme Corporation", "Acme Two Inc"), ["companies.yaml", "'acme'", "'id'", "duplicate"]),
    ("missing name", GOOD_COMPANIES.replace("  name: Acme Corp\n", ""),
     ["companies.yaml", "'acme'", "'name'", "required"]),
    ("duplicate alias", GOOD_COMPANIES + """\
- id: acme2
  name: Acme Two
  aliases: ["ACME CORPORATION"]
""", ["companies.yaml", "'acme2'", "'aliases'", "acme"]),
    ("numeric ticker", GOOD_COMPANIES + """\
  listings:
    - {exchange: x, ticker: 0020, symbol: 0020.HK, board: hk_main, currency: HKD, source: doc-1}
""", ["companies.yaml", "'acme'", "'listings[0].ticker'"]),
]


@pytest.mark.parametrize(("case", "companies", "pieces"), BAD_CASES,
                         ids=[c[0] for c in BAD_CASES])
def test_malformed_companies_raise_kberror(tmp_path: Path, case: str, companies: str,
                                           pieces: list[str]) -> None:
    with pytest.raises(KBError) as info:
        load_kb(*_write_kb(tmp_path, companies=companies))
    msg = str(info.value)
    for piece in pieces:
        assert piece in msg, (case, msg)


def test_bad_source_date_and_bad_yaml(tmp_path: Path) -> None:
    folder, seeds = _write_kb(tmp_path, sources=GOOD_SOURCES.replace("2019-10-09", "9 Oct 2019"))
    with pytest.raises(KBError, match=r"sources.yaml: entry 'doc-1': field 'date': bad date"):
        load_kb(folder, seeds)
    (folder / "sources.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KBError, match="sources.yaml: not valid YAML"):
        load_kb(folder, seeds)


def test_unknown_reference_between_files(tmp_path: Path) -> None:
    events = """\
- id: ev1
  date: 2019-10-07
  action: added_to_list
  actor: nobody
  title: Something
  source: doc-1
"""
    with pytest.raises(KBError, match=r"events.yaml: entry 'ev1': field 'actor'"):
        load_kb(*_write_kb(tmp_path, events=events))


def test_load_kb_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="does not exist"):
        load_kb(tmp_path / "nope")


def test_kb_yaml_has_no_invented_dates_in_the_future(kb: KB) -> None:
    today_bound = dt.date(2026, 1, 1)  # the study window runs 2019-2025 (issue 13)
    for e in kb.events:
        assert e.date < today_bound, e.id
    for s in kb.sources.values():
        assert s.date is None or s.date < dt.date(2026, 1, 1), s.id
    for f in kb.facts()["value"]:
        assert not re.fullmatch(r"20[3-9]\d-\d\d-\d\d", f)


def test_price_limit_in_force_by_date(kb: KB) -> None:
    szse = kb.exchange("szse")
    assert szse.price_limit("chinext", dt.date(2020, 8, 21)).limit == pytest.approx(0.10)
    assert szse.price_limit("chinext", dt.date(2020, 8, 24)).limit == pytest.approx(0.20)
    assert szse.price_limit("main", dt.date(2022, 5, 5)).limit == pytest.approx(0.10)
    assert szse.price_limit("main", dt.date(2022, 5, 5))["limit"] == pytest.approx(0.10)
    assert kb.exchange("hkex").price_limit("hk_main", dt.date(2022, 5, 5)) is None


def test_sanction_rows_point_at_events_that_target_the_company(kb: KB) -> None:
    events = {e.id: e for e in kb.events}
    for c in kb.companies.values():
        for row in c.sanctions:
            if row.event:
                ev = events[row.event]
                assert c.id in ev.targets, (c.id, row.event)
                assert ev.instrument == row.instrument
                assert row.listed == ev.date


def test_facts_frame_columns(kb: KB) -> None:
    facts = kb.facts()
    assert list(facts.columns[:5]) == ["entity_id", "field", "value", "source_id", "source_text"]
    seed_rows = facts[facts["source_id"].str.startswith("seed:")]
    assert seed_rows["seed_start"].notna().all()


def test_a_listing_must_cite_an_official_document(tmp_path: Path) -> None:
    instruments = """\
- id: el
  name: Example List
  kind: list
  source: doc-1
"""
    companies = GOOD_COMPANIES + """\
  sanctions:
    - {instrument: el, name_as_printed: Acme Corp, listed: 2019-10-09,
       source: {seed: s1, quote: "Acme Corp was added"}}
"""
    with pytest.raises(KBError, match=r"entry 'acme': field 'sanctions\[0\]\.source': a listing"):
        load_kb(*_write_kb(tmp_path, instruments=instruments, companies=companies))
