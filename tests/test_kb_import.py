"""Official lists as data: the importers (CSL CSV/JSON, plain CSV, OpenSanctions 1260H), the
overlay they write, and the round trip through tag(), chronology() and profile().

The fixtures are real files in ../shared/sanctions-fixtures/ (see its SOURCES.md). The
OpenSanctions table is CC BY-NC: the tests read it and compare against values they read from
it at run time; nothing from it is written into the repository.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sanctionlens as sl
import yaml
from sanctionlens.errors import KBError
from sanctionlens.kb import get_kb, load_kb, reset_kb
from sanctionlens.kb.importers import detect_format, import_list, read_list
from sanctionlens.kb.importers.common import clean_name
from sanctionlens.kb.overlay import ENV_VAR, match_key, overlay_dirs

SHARED = Path(os.environ.get("SANCTIONLENS_SHARED",
                             Path(__file__).resolve().parents[2] / "shared"))
FIXTURES = SHARED / "sanctions-fixtures"
CSL = FIXTURES / "csl_consolidated_sample.csv"
OS_1260H = FIXTURES / "opensanctions_us_dod_chinese_milcorps.csv"
needs_fixtures = pytest.mark.skipif(not CSL.is_file() or not OS_1260H.is_file(),
                                    reason="../shared/sanctions-fixtures not available")
PLAIN_HEADER = "name,aliases,list,start,end,citation,url\n"


def _clear_caches() -> None:
    from sanctionlens.extract import tagging

    reset_kb()
    cached = getattr(tagging, "_default_gazetteer", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty overlay folder in force through SANCTIONLENS_KB; caches reset around the test."""
    folder = tmp_path / "kb.local"
    folder.mkdir()
    monkeypatch.setenv(ENV_VAR, str(folder))
    _clear_caches()
    yield folder
    monkeypatch.delenv(ENV_VAR)
    _clear_caches()


def _csl_entity_row() -> dict[str, str]:
    """The fixture's Entity List row (read at run time)."""
    with CSL.open(encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["source"].startswith("Entity List"))


def _article(folder: Path, text: str) -> sl.Corpus:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "001_synthetic.txt").write_text(text, encoding="utf-8")
    return sl.load_corpus(folder)


# --------------------------------------------------------------------------- reading formats
@needs_fixtures
def test_formats_are_detected_from_the_header() -> None:
    assert detect_format(CSL, CSL.read_text(encoding="utf-8")) == "csl-csv"
    assert detect_format(OS_1260H, OS_1260H.read_text(encoding="utf-8")) == "opensanctions-1260h"
    assert detect_format(Path("x.csv"), PLAIN_HEADER) == "plain"
    assert detect_format(Path("x.json"), '{"results": []}') == "csl-json"


@needs_fixtures
def test_csl_csv_keeps_kb_lists_and_drops_people_and_other_lists() -> None:
    fmt, entries = read_list(CSL)
    assert fmt == "csl-csv"
    assert {e.list for e in entries} <= {"entity_list", "meu_list", "ns_cmic_list", "sdn_list"}
    row = _csl_entity_row()
    el = next(e for e in entries if e.list == "entity_list")
    name, extra = clean_name(row["name"])
    assert el.name == name and set(extra) <= set(el.aliases)
    assert el.start is not None and el.start.isoformat() == row["start_date"]
    assert el.citation == row["federal_register_notice"]
    assert set(el.aliases) >= {a.strip().removeprefix("and ")
                               for a in row["alt_names"].split(";") if a.strip()}
    assert not any(a.lower().startswith("and ") for e in entries for a in e.aliases)
    # the SDN rows of the sample are individuals: not companies
    assert all(e.list != "sdn_list" for e in entries)
    meu = next(e for e in entries if e.list == "meu_list")
    assert "(" not in meu.name and meu.aliases  # "(ACRONYM)" became an alias


@needs_fixtures
def test_csl_json_reads_like_the_csv(tmp_path: Path) -> None:
    with CSL.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    results = []
    for r in rows:  # the JSON shape: alt_names a list, addresses a list of objects
        r = dict(r)
        r["alt_names"] = [a.strip() for a in r["alt_names"].split(";") if a.strip()]
        r["addresses"] = [{"address": a.strip(), "country": a.rsplit(",", 1)[-1].strip()}
                          for a in r["addresses"].split(";") if "," in a]
        results.append(r)
    path = tmp_path / "consolidated.json"
    path.write_text(json.dumps({"total": len(results), "results": results}), encoding="utf-8")
    fmt, from_json = read_list(path)
    assert fmt == "csl-json"
    assert [(e.name, e.list, e.start) for e in from_json] == \
        [(e.name, e.list, e.start) for e in read_list(CSL)[1]]
    only_cn = read_list(path, countries={"CN"})[1]
    assert only_cn and all(e.list in {"entity_list", "meu_list"} for e in only_cn)
    assert read_list(path, countries={"ZZ"})[1] == []


@needs_fixtures
def test_opensanctions_1260h_rows_become_dod_1260h_periods() -> None:
    fmt, entries = read_list(OS_1260H)
    assert fmt == "opensanctions-1260h"
    with OS_1260H.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(entries) == len(rows)
    assert {e.list for e in entries} == {"dod_1260h"}
    for e, r in zip(entries, rows, strict=True):
        assert e.name == (r["Clean Name"].strip() or e.name)
        assert "*" not in e.name
        assert (e.start.isoformat() if e.start else "") == r["Start date"]
        assert (e.end.isoformat() if e.end else "") == r["End date"]
    # a comma inside a legal form does not split an alias ("X Co., Ltd.")
    assert not any(a.strip().lower() in {"ltd.", "ltd", "inc."} for e in entries
                   for a in e.aliases)


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(("text", "fmt", "needle"), [
    (PLAIN_HEADER + "Acme Vision Co.,,entity_list,2020-13-01,,85 FR 1,\n", None,
     "line 2: column 'start': bad date '2020-13-01'"),
    (PLAIN_HEADER + "Acme Vision Co.,,entity_lst,2020-01-01,,85 FR 1,\n", None,
     "line 2: column 'list': 'entity_lst' is not an instrument id"),
    (PLAIN_HEADER + ",,entity_list,2020-01-01,,85 FR 1,\n", None, "line 2: column 'name'"),
    (PLAIN_HEADER + "Acme Vision Co.,,entity_list,2020-01-01,,,\n", None,
     "needs a 'citation'"),
    ("name,aliases,list\nAcme,,entity_list\n", "plain", "missing column(s) start, end"),
    (PLAIN_HEADER + "Acme Co.,Ltd.,,entity_list,2020-01-01,,85 FR 1,\n", None,
     "line 2: 8 cells but the header has 7"),
    ("who,what\n1,2\n", None, "cannot tell the list format"),
    ('{"results": [1, 2]}', None, "row 1: a CSL result is an object"),
    ('{"results": [', None, "not valid JSON"),
])
def test_bad_files_say_where_and_what(tmp_path: Path, text: str, fmt: str | None,
                                      needle: str) -> None:
    path = tmp_path / ("list.json" if text.startswith("{") else "list.csv")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KBError) as err:
        import_list(path, kb_dir=tmp_path / "out", fmt=fmt)
    assert str(path) in str(err.value) and needle in str(err.value)


def test_an_overlay_folder_that_does_not_exist_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(KBError, match="SANCTIONLENS_KB names"):
        overlay_dirs()


def test_an_empty_env_var_means_no_overlays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "")
    assert overlay_dirs() == []


def test_an_edited_overlay_file_gets_a_clear_error(overlay: Path) -> None:
    (overlay / "imports").mkdir()
    (overlay / "imports" / "x.yaml").write_text(
        yaml.safe_dump({"import": {"id": "x", "file": "x.csv", "format": "plain",
                                   "licence": "test"},
                        "entries": [{"name": "Acme", "list": "entity_list",
                                     "start": "2020-02-30"}]}), encoding="utf-8")
    with pytest.raises(KBError, match=r"x\.yaml: entry 0: field 'start': bad date"):
        get_kb()


# --------------------------------------------------------------------------- overlay & merge
@needs_fixtures
def test_import_writes_one_file_per_source_and_reimport_replaces_it(overlay: Path) -> None:
    res = import_list(CSL, kb_dir=overlay)
    assert res.path == overlay / "imports" / f"{res.id}.yaml"
    first = yaml.safe_load(res.path.read_text(encoding="utf-8"))
    assert first["import"]["file"] == CSL.name
    assert "public domain" in first["import"]["licence"]
    again = import_list(CSL, kb_dir=overlay)
    assert again.path == res.path and list((overlay / "imports").iterdir()) == [res.path]
    assert yaml.safe_load(again.path.read_text(encoding="utf-8"))["entries"] == first["entries"]
    kb = get_kb()
    n = len(kb.companies)
    import_list(CSL, kb_dir=overlay)
    reset_kb()
    assert len(get_kb().companies) == n


def test_plain_list_joins_known_companies_and_adds_new_ones(overlay: Path) -> None:
    bundled = load_kb(overlays=[])
    hik = bundled.companies["hikvision"]
    path = overlay.parent / "uflpa.csv"
    path.write_text(
        PLAIN_HEADER
        + f'"{hik.name}",Hik-Vision Digital,uflpa_entity_list,2023-01-02,,Test notice 1,\n'
        + '"Northwind Optics Co.,Ltd.",NWO;Northwind,uflpa_entity_list,2023-01-02,,'
          "Test notice 1,https://example.org/n1\n", encoding="utf-8")
    import_list(path, kb_dir=overlay, licence="test data")
    kb = get_kb()
    assert len(kb.companies) == len(bundled.companies) + 1
    assert "Hik-Vision Digital" in kb.companies["hikvision"].aliases
    new = kb.resolve_company("Northwind")
    assert new.id not in bundled.companies and "NWO" in new.aliases_exact
    row = new.sanctions[0]
    assert (row.instrument, row.listed.isoformat()) == ("uflpa_entity_list", "2023-01-02")
    src = kb.sources[row.source.source_id]
    assert src.citation == "Test notice 1" and "uflpa.csv" in src.note and "test data" in src.note
    ev = kb.event(row.event)
    assert set(ev.targets) == {"hikvision", new.id} and ev.actor == "fletf"
    assert ev.instrument == "uflpa_entity_list" and ev.action == "added_to_list"


def test_match_key_drops_the_legal_form_only() -> None:
    assert match_key("Zhejiang Dahua Technology Co., Ltd.") == "zhejiang dahua technology"
    assert match_key("SenseTime Group Limited") == "sensetime group"
    assert match_key("China Mobile") != match_key("China Mobile Communications Group")


# --------------------------------------------------------------------------- round trip
@needs_fixtures
def test_round_trip_tag_chronology_profile(overlay: Path, tmp_path: Path) -> None:
    row = _csl_entity_row()
    res = import_list(CSL, kb_dir=overlay)
    assert res.listed >= 1
    kb = get_kb()
    comp = kb.resolve_company(clean_name(row["name"])[0])
    short = next(a.strip() for a in row["alt_names"].split(";") if a.strip())
    corpus = _article(tmp_path / "docs", (
        f"Beijing, March 3 (Example Wire) - {short}, a state-owned research institute, said on "
        "Tuesday that its chip output rose. The institute was placed on the US Entity List "
        "years ago.\n"))
    tags = sl.tag(corpus)
    hits = tags[(tags["label"] == "COMPANY") & (tags["entity_id"] == comp.id)]
    assert list(hits["text"]) == [short]

    events = sl.chronology(corpus, include_reference=True)
    ref = events[(events["source"] == "reference")
                 & events["targets"].map(lambda t: comp.id in t)]
    assert len(ref) == 1
    r = ref.iloc[0]
    assert (r["date"], r["instrument"], r["action"]) == \
        (row["start_date"], "entity_list", "added_to_list")
    assert row["federal_register_notice"] in r["citation"]

    prof = sl.profile(corpus, comp.name)
    assert prof.company_id == comp.id
    sanc = prof.sanctions
    assert (sanc["source"] == "reference").sum() == 1
    assert sanc.iloc[0]["date"] == row["start_date"]
    facts = prof.facts
    assert facts["field"].eq("sanction").any()


@needs_fixtures
def test_1260h_import_reaches_the_profile_of_a_bundled_company(overlay: Path,
                                                               tmp_path: Path) -> None:
    import_list(OS_1260H, kb_dir=overlay)
    kb = get_kb()
    bundled = load_kb(overlays=[])
    with OS_1260H.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # a row whose name (or alias) is a bundled company: its periods join that company
    joined = [(r, bundled.find_company(r["Clean Name"]) or bundled.find_company(r["Alias"]))
              for r in rows if r["Alias"] and r["Start date"]]
    r, comp = next((r, c) for r, c in joined if c is not None)
    got = {(s.instrument, s.listed.isoformat()) for s in kb.companies[comp.id].sanctions}
    assert ("dod_1260h", r["Start date"]) in got
    corpus = _article(tmp_path / "docs", f"{comp.name} said on Monday it disagreed.\n")
    prof = sl.profile(corpus, comp.name)
    ref = prof.sanctions[prof.sanctions["source"] == "reference"]
    assert (ref["instrument"] == "dod_1260h").any()


def test_without_overlays_the_bundled_kb_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "")
    _clear_caches()
    try:
        assert get_kb().companies.keys() == load_kb(overlays=[]).companies.keys()
    finally:
        _clear_caches()
