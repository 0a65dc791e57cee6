"""Companies the knowledge base does not know: one test per rule (positive and negative
sentences written for these tests, with invented names), spelling joins, the basis column,
exact spans, profile() of a company found by the rules, and recall/precision on the shared
development corpus when it is present."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
import sanctionlens as sl
from sanctionlens.errors import UnknownNameError
from sanctionlens.extract.companies import BASES, initials, name_key, short_form
from sanctionlens.extract.tagging import tag_document


def _doc(text: str):
    doc = sl.load_corpus().documents[0]
    doc.text = text
    doc.sentences = []
    return doc


def companies(text: str) -> list[tuple[str, str, str]]:
    """(text, entity_id, basis) of the COMPANY tags of one made-up document."""
    doc = _doc(text)
    tags = tag_document(doc, dates=False)
    for t in tags:
        assert doc.text[t.start:t.end] == t.text
    return [(t.text, t.entity_id, t.basis) for t in tags if t.label == "COMPANY"]


def names(text: str) -> list[str]:
    return [n for n, _, _ in companies(text)]


# --------------------------------------------------------------------------- the rules
@pytest.mark.parametrize("text, name", [
    ("Qarvon Green Energy Co., Ltd. was listed on Tuesday.", "Qarvon Green Energy Co., Ltd."),
    ("The rule names Vextra Semiconductor Corp. and others.", "Vextra Semiconductor Corp."),
    ("Analysts said Zorblax Technologies would appeal.", "Zorblax Technologies"),
    ("Jinmora Mobile Ltd said in a statement that it disagreed.", "Jinmora Mobile Ltd"),
    ("Shipments from Pelmora Holdings fell.", "Pelmora Holdings"),
    ("It listed Xandu Silicon Materials (Batou) Co., Ltd. too.",
     "Xandu Silicon Materials (Batou) Co., Ltd."),
    ("Orders at Trenlo Iron and Steel Co. rose.", "Trenlo Iron and Steel Co."),
])
def test_legal_form(text, name):
    assert (name, "legal_form") in [(n, b) for n, _, b in companies(text)]


@pytest.mark.parametrize("text", [
    "The Chinese Military Company Sanctions Program was amended.",  # a form inside a name
    "Chinese Technology Company Lashes Back at US Claims Over Military Links",  # headline
    "→ America's worst nightmare? (From Porter & Company) (Ad)",  # an ad line
    "Officials said Advanced Technology was the aim.",  # generic words only
    "The Semiconductor Industry Association said rules hurt.",  # an association
    "The Working Group met in Geneva.",
])
def test_legal_form_negatives(text):
    assert names(text) == []


def test_place_based_name_and_place_inside_a_name():
    got = companies("Beijing-based Zorblax Technologies was added on Friday.")
    assert [n for n, _, _ in got] == ["Zorblax Technologies"]
    assert got[0][2] in ("appositive", "legal_form")
    tags = tag_document(_doc("Xinjiang Qorvel Zinc Co., Ltd. was named."), dates=False)
    assert [(t.text, t.label) for t in tags if t.label in ("PLACE", "COMPANY")] == [
        ("Xinjiang Qorvel Zinc Co., Ltd.", "COMPANY")]


@pytest.mark.parametrize("text, name", [
    ("Quillon (NASDAQ: QLLN) said it would sue.", "Quillon"),
    ("Vantrix (688327.SH) rose 20% on Tuesday.", "Vantrix"),
    ("Pelmora (00981:HK) dived over 7%.", "Pelmora"),
])
def test_ticker(text, name):
    assert (name, "ticker") in [(n, b) for n, _, b in companies(text)]


@pytest.mark.parametrize("text, expected", [
    ("It hit automakers such as Fordex and Teslon.", ["Fordex", "Teslon"]),
    ("Foreign manufacturers including Merzo-Benz, BWX, Volkar and Hundo use them.",
     ["Merzo-Benz", "BWX", "Volkar", "Hundo"]),
    ("Chinese firms like Zorblax and Quantum Nebula were hit.", ["Zorblax", "Quantum Nebula"]),
    ("The entities are Zorblax Vision Co., Ltd.; Quantum Nebula Systems; and Lumina Optics.",
     ["Zorblax Vision Co., Ltd.", "Quantum Nebula Systems", "Lumina Optics"]),
    ("Commerce added Zorblax, Quillon and Vantrix Optics to the Entity List on Friday.",
     ["Zorblax", "Quillon", "Vantrix Optics"]),
    ("Several were named. Alpha Qorvel Co., Ltd., Beta Qorvel Co., Ltd., Gamma Qorvel Zinc Ind",
     ["Alpha Qorvel Co., Ltd.", "Beta Qorvel Co., Ltd.", "Gamma Qorvel Zinc Ind"]),
])
def test_list_context(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "Agencies including Homeland Security, the Pentagon and the FBI flagged it.",
    "The removal of Indian entities Bhabha Atomic Research Center (BARC) helps.",
    "Commerce added rules to the Entity List on Friday.",
])
def test_list_context_negatives(text):
    assert names(text) == []


@pytest.mark.parametrize("text, name", [
    ("Zorblax, a Chinese maker of drones, said it disagreed.", "Zorblax"),
    ("Quillon Capital, a major private equity investment company, is listed.",
     "Quillon Capital"),
    ("The list includes battery maker Vantrix.", "Vantrix"),
    ("Chinese tech giant Pelmora fell.", "Pelmora"),
    ("These include China's largest genomics firm, Genexo Genomics, among others.",
     "Genexo Genomics"),
])
def test_appositive(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Stanford University, a private school, said so.",
    "WeChat, a messaging app, is popular.",
    "Raymond Qiu, a partner at a law firm, said so.",
    "Consequently, the artificial intelligence firm shifted its focus.",
    "Li, the company's chief executive, said no.",
    "In Hefei, the company said it would appeal.",  # an introductory phrase
])
def test_appositive_negatives(text):
    assert names(text) == []


@pytest.mark.parametrize("text, name", [
    ("Zorblax's shares fell 5% in Hong Kong.", "Zorblax"),
    ("Shares of Quillon tumbled.", "Quillon"),
    ("Vantrix shares, which fell as much as 5.6%, recovered.", "Vantrix"),
    ("Pelmora, which makes cameras, was listed.", "Pelmora"),
    ("In a response, Genexo said in a statement that it was surprised.", "Genexo"),
    ("Nexora CEO Wu Fan said he would appeal.", "Nexora"),
])
def test_company_verb(text, name):
    assert (name, "company_verb") in [(n, b) for n, _, b in companies(text)]


@pytest.mark.parametrize("text", [
    "The Commerce Department said in a statement that the rule is final.",
    "Secretary Mayorkas said in a statement that it is done.",
    "Hesta CEO Yifan \"David\" Li said in a statement that it was unjust.",
    "Reuters said in a statement that it stood by its story.",
    "Sign in to Subscribe. Meanwhile, the company said it would appeal.",
    "Hong Kong shares fell 2% on Monday.",
    "Committee chair John Moolenaar said in a statement that it was right.",
    "Former CEO Li Wei said so, and Class A shares rose.",
])
def test_company_verb_negatives(text):
    assert [n for n in names(text) if n != "Hesta"] == []


# --------------------------------------------------------------------------- spellings
def test_spellings_join_one_entity():
    got = companies("Chinese tech heavyweight Quillon Holdings tumbled. Later Quillon said "
                    "in a statement that it was a mistake. Quillon's shares recovered.")
    assert {e for _, e, _ in got} == {"new:quillon"}
    assert [n for n, _, _ in got] == ["Quillon Holdings", "Quillon", "Quillon"]


def test_acronym_in_parentheses_and_by_initials():
    got = companies("Yantra Memory Technologies Co., Ltd. (YXMC) was added. YXMC said little.")
    assert {e for _, e, _ in got} == {"new:yxmc"}
    assert [b for _, _, b in got] == ["legal_form", "acronym", "recurrence"]
    got = companies("BIS Adds Chinese Entities, Including YXMT\n\nIt added chipmaker "
                    "Yantra Xeno Memory Technologies on Thursday.")
    assert [(n, b) for n, _, b in got] == [("YXMT", "acronym"),
                                           ("Yantra Xeno Memory Technologies", "appositive")]
    assert len({e for _, e, _ in got}) == 1


def test_short_form_joins_and_a_longer_name_does_not():
    got = companies("Surveillance firm Tiandro Technologies was added. Tiandro said it would "
                    "comply, unlike Tiandro Music Group.")
    assert [(n, e) for n, e, _ in got][:2] == [("Tiandro Technologies", "new:tiandro"),
                                               ("Tiandro", "new:tiandro")]
    assert ("Tiandro Music Group", "new:tiandro-music") in [(n, e) for n, e, _ in got]


def test_known_acronym_introduces_its_long_name():
    """"Da Jiang Innovations (DJI)": the name before a KB company's acronym is that company."""
    got = companies("Commerce placed Da Jiang Innovations (DJI) on the list.")
    assert ("Da Jiang Innovations", "dji", "acronym") in got or \
        ("Da Jiang Innovations", "dji", "list_context") in got
    got = companies("It added Shenzhen Dajiang Zorb Technology Co., Ltd. (DJI) on Friday.")
    assert got[0] == ("Shenzhen Dajiang Zorb Technology Co., Ltd.", "dji", "legal_form")


def test_numbered_list_and_multiword_alias():
    got = companies("Those entities include:\n\n  1. Qarvon Zhidao Information Technology Co., "
                    "Ltd (Qarvon Kownsec)\n  2. Genexo Genomics Co., Ltd. (GGX)\n"
                    "  3. Trenlo National Chemical Eng")
    assert [(n, b) for n, _, b in got] == [
        ("Qarvon Zhidao Information Technology Co., Ltd", "legal_form"),
        ("Qarvon Kownsec", "acronym"), ("Genexo Genomics Co., Ltd.", "legal_form"),
        ("GGX", "acronym"), ("Trenlo National Chemical Eng", "list_context")]
    assert got[0][1] == got[1][1] and got[2][1] == got[3][1]


def test_list_goes_on_after_two_companies():
    got = companies("Investors include Alibaba, Ant Group and Bank of Qarvon, it said.")
    assert ("Bank of Qarvon", "list_context") in [(n, b) for n, _, b in got]
    # "and" joins words inside a legal name, not a first company to the next
    assert names("Qarvon and Ant Group said so, Beijing added.") == ["Ant Group"]
    assert names("Zorblax Bayi Iron and Steel Co., Ltd. was added.") == [
        "Zorblax Bayi Iron and Steel Co., Ltd."]


def test_official_list_aliases():
    got = companies("(1) Xylo Semiconductor Co., Ltd., a.k.a., the following two aliases: "
                    "-Xylo Chips; and -XSC Microelectronics. 12 Road, Shenzhen, China.")
    assert [n for n, _, _ in got] == ["Xylo Semiconductor Co., Ltd.", "Xylo Chips",
                                      "XSC Microelectronics"]
    assert len({e for _, e, _ in got}) == 1


def test_recurrence_across_the_corpus(tmp_path):
    (tmp_path / "a.txt").write_text("Drone maker\n\nDrone maker Zorblax was added on Friday.\n")
    (tmp_path / "b.txt").write_text("Markets\n\nIn Shenzhen, Zorblax rose 3% on Monday.\n")
    tags = sl.tag(sl.load_corpus(tmp_path))
    comp = tags[tags.label == "COMPANY"]
    assert list(zip(comp.doc_id, comp.entity_id, comp.basis, strict=True)) == [
        ("a", "new:zorblax", "appositive"), ("b", "new:zorblax", "recurrence")]


def test_a_rule_found_company_is_named_as_the_articles_spell_it(tmp_path):
    from sanctionlens.plots.labels import name

    (tmp_path / "a.txt").write_text("Drone maker\n\nDrone maker Zorblax was added on Friday.\n")
    (tmp_path / "b.txt").write_text("Markets\n\nZorblax Robotics Co., Ltd. (Zorblax) fell.\n")
    tags = sl.tag(sl.load_corpus(tmp_path))
    eids = set(tags[tags.label == "COMPANY"].entity_id)
    assert eids == {"new:zorblax"}
    assert name("new:zorblax") == "Zorblax"  # the spelling used most, not the id
    assert name("new:never-seen") == "new:never-seen"


def test_recurrences_take_their_place_among_a_documents_tags(tmp_path):
    """A document whose only rule-found companies are recurrences gets them inserted into its
    columns: text order, sentence ids and texts as for any tag, on one process or several."""
    (tmp_path / "a.txt").write_text("Drone maker\n\nDrone maker Zorblax was added on Friday.\n")
    (tmp_path / "b.txt").write_text(
        "Markets\n\nIn Shenzhen, Zorblax rose 3% on Monday. Later, Zorblax fell 2%.\n")
    corpus = sl.load_corpus(tmp_path)
    tags = sl.tag(corpus, workers=1)
    b = tags[tags.doc_id == "b"]
    assert list(zip(b.text, b.label, b.sentence_id, strict=True)) == [
        ("Shenzhen", "PLACE", 1), ("Zorblax", "COMPANY", 1), ("3%", "PERCENT", 1),
        ("on Monday", "DATE", 1), ("Zorblax", "COMPANY", 2), ("2%", "PERCENT", 2)]
    assert list(b.start) == sorted(b.start)
    text = corpus["b"].text
    assert all(text[s:e] == t for s, e, t in zip(b.start, b.end, b.text, strict=True))
    assert set(b[b.label == "COMPANY"].entity_id) == {"new:zorblax"}
    assert sl.tag(corpus, workers=2).equals(tags)


def test_a_ticker_symbol_is_a_spelling_of_the_company_before_it():
    got = companies("Hesai Group (NASDAQ: HSAI) said on Monday it would sue. "
                    "HSAI shares were trading lower on Tuesday.")
    assert [(n, e) for n, e, _ in got] == [("Hesai Group", "hesai"), ("HSAI", "hesai"),
                                           ("HSAI", "hesai")]
    assert [b for _, _, b in got][1] == "ticker"
    # a company the KB does not know: its name and its symbol are one entity
    got = companies("Qarvon Robotics Inc. (NYSE:QRVR) fell 5%. QRVR stock later recovered.")
    assert [n for n, _, _ in got] == ["Qarvon Robotics Inc.", "QRVR", "QRVR"]
    assert len({e for _, e, _ in got}) == 1
    # no company right before the brackets: the symbol is left alone
    assert names("Shares rose on the exchange (NASDAQ: QRVR) on Friday.") == []


def test_a_name_does_not_start_with_a_connector():
    assert names("Shares of Zorblax Robotics Inc. fell 4% on Friday.") == [
        "Zorblax Robotics Inc."]


def test_generic_words_before_a_strong_legal_form_are_no_name():
    assert "Chinese Military Company" not in names(
        "Judge Upholds Pentagon's Classification of Zorblax as Chinese Military Company")
    assert "Military Company" not in names("It was named a Military Company on Friday.")
    assert names("National Qarvon Chemical Company said it would appeal.") == [
        "National Qarvon Chemical Company"]


@pytest.mark.parametrize("text", [
    "Two Chinese shipbuilders – Qarvon State Shipbuilding and Zorblax Trading – were listed.",
    "Two Chinese chipmakers, Qarvon State Shipbuilding and Zorblax Trading, were listed.",
])
def test_a_plural_role_noun_heads_a_list_set_off_by_dashes_or_commas(text):
    assert names(text) == ["Qarvon State Shipbuilding", "Zorblax Trading"]


def test_a_plural_role_noun_before_one_parenthetical_name_heads_no_list():
    assert names("Other chipmakers, Qarvon said, were hit.") == []


def test_an_apostrophe_inside_a_word_is_no_possessive():
    """"Xi'an" is a city, not the name "Xi": the company named after it is found whole."""
    got = companies("The companies are Xi’an Qarvon Innovative Information Technology Co. "
                    "and Zorblax Co., Ltd.")
    assert [n for n, _, _ in got] == ["Xi’an Qarvon Innovative Information Technology Co.",
                                      "Zorblax Co., Ltd."]
    tags = tag_document(_doc("Xi's visit. Xi said so. Officials in Xi'an disagreed."))
    assert [t.text for t in tags if t.label == "PERSON"] == ["Xi", "Xi"]


def test_aliases_in_brackets_join_the_name_before_them():
    got = companies("The entities added today include Qarvon Shoes Co., Ltd. (also known as "
                    "Qarvon Shoe Industry Co., Ltd.; and Lvzhou Shoes Co., Ltd.), Zorblax Group "
                    "Co., Ltd. (also known as Rizhao Zorblax Group), and Habahe Vextra Copper "
                    "Co., Ltd. (also known as Vextra Copper); and others.")
    assert [n for n, _, _ in got] == [
        "Qarvon Shoes Co., Ltd.", "Qarvon Shoe Industry Co., Ltd.", "Lvzhou Shoes Co., Ltd.",
        "Zorblax Group Co., Ltd.", "Rizhao Zorblax Group", "Habahe Vextra Copper Co., Ltd.",
        "Vextra Copper"]
    ids = [e for _, e, _ in got]
    assert len(set(ids[:3])) == 1 and len(set(ids[3:5])) == 1 and len(set(ids[5:])) == 1
    assert len(set(ids)) == 3


def test_a_hong_kong_stock_code_marks_the_name_before_it():
    got = companies("Fibre makers fell. Qarvon (06869) dipped 2.6% to HK$17.02, while rates "
                    "rose (0.5%) on Friday.")
    assert [(n, b) for n, _, b in got] == [("Qarvon", "ticker")]


def test_a_known_company_opening_a_name_registered_elsewhere_is_another_company():
    got = companies("Listed parties include a SMIC affiliate: SMIC Qarvon Integrated Circuit "
                    "Manufacturing (Beijing) Co., Ltd.")
    assert [(n, e) for n, e, _ in got] == [
        ("SMIC", "smic"),
        ("SMIC Qarvon Integrated Circuit Manufacturing (Beijing) Co., Ltd.",
         "new:smic-qarvon-integrated-circuit-manufacturing")]
    # without a place of registration of its own, the known company is named with its form
    assert companies("The list names Inspur Electronic Information Industry Co.")[0][1] == \
        "inspur"
    assert [e for _, e, _ in companies(
        "It names China Mobile Communications and China Telecommunications Corp.")][0] == \
        "china_mobile_ltd"


def test_they_were_lists_the_companies_the_sentence_before_counted():
    got = names("Three companies were added to the list for using forced labor. They were "
                "Qarvon Zorblax, its subsidiary Qarvon Zorblax Real Estate and Vextra Mining.")
    assert got == ["Qarvon Zorblax", "Qarvon Zorblax Real Estate", "Vextra Mining"]
    assert names("The officials met on Monday. They were Qarvon Wei and Zorblax Na.") == []


def test_a_fund_named_after_its_role_noun():
    assert names("Jiang Hao, a manager at Shanghai-based hedge fund Qarvon Asset, said so.") == [
        "Qarvon Asset"]
    assert names("The fund said it would invest. The Big Fund invested too.") == []


def test_a_common_word_opening_a_bulleted_line_is_no_company():
    text = ("The list names these firms:\n- Qarvon Technologies Co., Ltd.\n"
            "- Zorblax Robotics Inc.\n- Joint statement on export controls / The White House\n"
            "The two governments issued a joint statement.")  # a bullet starts a sentence
    assert names(text) == ["Qarvon Technologies Co., Ltd.", "Zorblax Robotics Inc."]


def test_the_firm_a_quoted_analyst_works_at():
    assert names("“It is small,” said Willer Chen, associate director at Qarvon Barr Asia.") == [
        "Qarvon Barr Asia"]
    assert names("Ivan Su, an analyst at Zorblax, said so. A fellow at the Center for Strategic "
                 "Studies and a director at Qarvon University disagreed.") == ["Zorblax"]


def test_and_after_a_relative_clause_joins_another_company():
    assert names("The U.S. is imposing sanctions on Qarvon Aircraft Engine Company, which "
                 "produces drone engines, and Zorblax Vector Industry, which has worked with "
                 "a Russian entity.") == ["Qarvon Aircraft Engine Company",
                                          "Zorblax Vector Industry"]
    assert names("Qarvon Co., Ltd., which is based in Shenzhen, and the United States "
                 "disagree.") == ["Qarvon Co., Ltd."]


def test_helpers():
    assert name_key("Xinjiang Energy (Group) Co., Ltd.") == "xinjiang energy"
    assert short_form("Tiandy Technologies") == "Tiandy"
    assert short_form("Chinese Technology") is None
    assert {"YMTC", "YMT"} <= initials("Yangtze Memory Technologies Co.")


# --------------------------------------------------------------------------- columns
def test_basis_column_and_kb_tags():
    tags = sl.tag(sl.load_corpus())
    assert set(tags.basis.dropna()) <= set(BASES)
    named = tags[tags.label.isin(["COMPANY", "AGENCY", "PERSON", "PLACE"])]
    assert named.basis.notna().all()
    assert (tags.loc[tags.label.isin(["DATE", "MONEY"]), "basis"].isna()).all()
    kb_companies = set(sl.get_kb().companies)
    comp = tags[tags.label == "COMPANY"]
    assert (comp.entity_id.isin(kb_companies) == (comp.basis == "kb")).all()


def test_seeds_keep_their_twenty_companies():
    tags = sl.tag(sl.load_corpus())
    comp = tags[tags.label == "COMPANY"]
    assert len(set(comp.entity_id) & set(sl.get_kb().companies)) >= 13
    assert not comp.entity_id.str.startswith("new:").any()  # the seeds name KB companies


# --------------------------------------------------------------------------- profile
def test_profile_of_a_company_found_by_rules(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Quillon listed\n\nChinese tech giant Quillon Holdings was added to the list on "
        "Monday. Quillon said in a statement that the move was a mistake. The company "
        "employs 5,000 staff.\n")
    corpus = sl.load_corpus(tmp_path)
    prof = sl.profile(corpus, "Quillon")
    assert prof.company_id == "new:quillon" and prof.mention_count == 3  # title, 2 in text
    assert sl.profile(corpus, "new:quillon").company_id == "new:quillon"
    assert sl.profile(corpus, "Quillon Holdings Ltd.").name == prof.name
    with pytest.raises(UnknownNameError, match="closest: Quillon"):
        sl.profile(corpus, "Quilon")


# --------------------------------------------------------------------------- dev corpus
SHARED = Path(os.environ.get("SANCTIONLENS_SHARED",
                             Path(__file__).resolve().parents[2] / "shared"))
DEV = SHARED / "dev-corpus"
_LEGAL = {"co", "ltd", "limited", "company", "corporation", "corp", "inc", "group", "holdings",
          "holding", "technology", "technologies", "tech", "the", "international"}


def _norm(s: str) -> str:
    words = re.findall(r"[a-z0-9]+", s.lower())
    return " ".join([w for w in words if w not in _LEGAL] or words)


def score(tags, gold: dict, kb, corpus) -> tuple[int, int, list]:
    """(gold companies found, gold companies, tagged entities matching no gold company):
    a gold company is found when a COMPANY tag of its document belongs to an entity one of
    whose spellings (in the corpus or the KB) is the gold name, with or without legal form
    (or its start, for a name cut off by the end of an excerpt)."""
    comp = tags[tags.label == "COMPANY"]
    forms = defaultdict(set)
    cut = defaultdict(set)
    for text, eid, doc_id, end in zip(comp.text, comp.entity_id, comp.doc_id, comp.end,
                                      strict=True):
        forms[eid].add(_norm(text))
        if end >= len(corpus[doc_id].text.rstrip()):
            cut[eid].add(_norm(text))
        if eid in kb.companies:
            c = kb.companies[eid]
            forms[eid] |= {_norm(a) for a in [c.name, *c.aliases, *c.aliases_exact]}

    def match(g: str, eid: str) -> bool:
        n = _norm(g)
        return any(f == n or f.startswith(n + " ") for f in forms[eid]) or \
            any(n.startswith(c) for c in cut[eid])

    found = total = 0
    extra = []
    for doc_id, g in gold.items():
        eids = set(comp.loc[comp.doc_id == doc_id, "entity_id"])
        total += len(g["companies"])
        found += sum(any(match(n, e) for e in eids) for n in g["companies"])
        extra += [(doc_id, e) for e in eids if not any(match(n, e) for n in g["companies"])]
    return found, total, extra


@pytest.mark.skipif(not (DEV / "gold.json").exists(), reason="shared dev corpus not present")
def test_dev_corpus_recall_and_precision():
    corpus = sl.load_corpus(DEV / "articles")
    gold = json.loads((DEV / "gold.json").read_text(encoding="utf-8"))["documents"]
    tags = sl.tag(corpus)
    for row in tags.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.text
    kb = sl.get_kb()
    found, total, extra = score(tags, gold, kb, corpus)
    assert found / total >= 0.85, f"company recall {found}/{total}"
    assert len(extra) <= 3, f"COMPANY entities not in the gold: {extra}"
    comp = tags[tags.label == "COMPANY"]
    others = {a.casefold() for a, label, _, _ in kb.gazetteer() if label != "COMPANY"}
    assert not [t for t in comp.text if t.casefold() in others]


def test_places_are_no_companies():
    assert names("The New York Stock Exchange said it would delist China Telecom, China Mobile "
                 "and Qarvon Unicom's shares. New York and Guangdong said nothing.") == [
        "China Telecom", "China Mobile", "Qarvon Unicom"]


def test_a_legal_form_makes_an_institute_a_company():
    assert names("Zorblax Research Institute Co. LTD was added, and so was Qarvon Testing "
                 "Center Co., Ltd.; the Beijing Institute of Technology was not.") == [
        "Zorblax Research Institute Co. LTD", "Qarvon Testing Center Co., Ltd."]


def test_a_company_called_and_the_listing_of():
    assert names("The list also includes a lesser-known company based in Singapore called "
                 "Qarvon Air.") == ["Qarvon Air"]
    assert names("It is the largest IPO since the US$334.5 million listing of Zorblax in "
                 "October 2021.") == ["Zorblax"]
    assert names("A man called Zhang Wei said the firm was named after its founder.") == []


def test_a_headline_list_and_trading_of():
    assert names("Hikvision, iFlytek and Other Sanctioned Chinese Firms Protest US Trade Ban\n\n"
                 "The firms said so.") == ["Hikvision", "iFlytek"]
    assert names("Trading of Zorblax Corp. shares will be suspended, and trading of other "
                 "shares goes on.") == ["Zorblax Corp."]


def test_a_ticker_printed_after_the_name_is_not_a_company():
    assert names("Hesai Group HSAI shares are plummeting on Thursday.") == ["Hesai Group"]
    assert names("Qarvon Holdings QRVN shares rose.") == ["Qarvon Holdings"]
