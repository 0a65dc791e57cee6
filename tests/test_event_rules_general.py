"""Event rules about how news and releases are written, on sentences written for these tests:
parties listed after the act, investment bans, reported intentions, reduced relatives,
generic statements about a list, China's own lists, first-day share moves."""

from __future__ import annotations

from pathlib import Path

from sanctionlens.analysis.chronology import chronology
from sanctionlens.analysis.evaluate import event_family
from test_events import corpus, mentions_of


def _rows(tmp_path: Path, text: str, published: str, family: str):
    """The chronology rows of one made-up article, of one family."""
    ch = chronology(corpus(tmp_path, {"t1": (published, text)}), include_reference=False)
    return ch[ch["family"] == family]


def _scored(ms):
    return [m for m in ms if event_family({"family": m.family, "status": m.status,
                                           "action": m.action}) is not None]


def test_parties_named_in_the_sentences_after_the_act(tmp_path: Path) -> None:
    text = ("On March 3, 2023, the Commerce Department added seven firms to the Entity List. "
            "The companies are:\n\nHangzhou Hikvision Digital Technology Co., Ltd.;\n\n"
            "Zhejiang Dahua Technology Co., Ltd.; and\n\niFlytek Co., Ltd.\n\n"
            "The rule takes effect on March 4.")
    ms = mentions_of(tmp_path, text, "2023-03-06")
    act = next(m for m in ms if m.value == "2023-03-03")
    assert {"hikvision", "dahua", "iflytek"} <= set(act.targets)


def test_these_included_stops_at_a_relative_clause(tmp_path: Path) -> None:
    text = ("In January, the Commerce Department added a dozen Chinese firms to the Entity List. "
            "These included Megvii and DJI, whose cameras were found in Hikvision products.")
    ms = mentions_of(tmp_path, text, "2023-05-10")
    act = next(m for m in ms if m.family == "entity_list" and m.dated)
    assert set(act.targets) == {"megvii", "dji"}


def test_an_order_banning_investment_is_an_ns_cmic_listing(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "The president signed an executive order on Wednesday banning "
                     "Americans from investing in Hikvision and other Chinese firms.", "2022-06-09")
    assert [m.family for m in _scored(ms)] == ["ns_cmic"]
    ms = mentions_of(tmp_path, "In May 2022, the Treasury imposed an investment ban on "
                     "SenseTime.", "2022-06-09")
    assert [m.family for m in _scored(ms)] == ["ns_cmic"]


def test_what_a_report_says_the_us_would_do_is_a_plan(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Shares slid after a newspaper said the United States would add "
                     "DJI, the drone maker, to an investment blacklist on Friday.", "2022-03-02")
    assert all(m.status == "planned" for m in ms if m.action in ("designated", "added_to_list"))


def test_a_consideration_governs_the_listing_later_in_its_sentence(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Commerce is reportedly considering a wider rule for chipmakers, "
                     "potentially placing Megvii and other AI firms on the Entity List.",
                     "2024-05-02")
    assert not [m for m in _scored(ms) if m.family == "entity_list"]


def test_descriptions_of_listed_parties_are_no_events(tmp_path: Path) -> None:
    text = ("Importers must prove that goods made by entities identified in the UFLPA Entity "
            "List are free of forced labor. Placement on the Entity List restricts exports to a "
            "firm. Being added to the list bars American suppliers.")
    assert _scored(mentions_of(tmp_path, text, "2024-04-04")) == []


def test_chinas_own_list_is_not_a_us_listing(tmp_path: Path) -> None:
    text = ("On April 2, China’s Ministry of Commerce placed 11 American defense firms on an "
            "export control list.")
    assert _scored(mentions_of(tmp_path, text, "2024-04-04")) == []


def test_more_parties_of_the_same_act_join_it(tmp_path: Path) -> None:
    text = ("Hikvision was among dozens of Chinese entities added to the Entity List yesterday, "
            "the Commerce Department said. Over 40 are based in China. Dahua and Megvii are among "
            "the other companies added to the list.")
    c = corpus(tmp_path, {"a1": ("2022-06-09", text)})
    ev = chronology(c, include_reference=False)
    rows = ev[ev["family"] == "entity_list"]
    assert len(rows) == 1
    assert {"hikvision", "dahua", "megvii"} <= set(rows.iloc[0]["targets"])
    assert rows.iloc[0]["date"] == "2022-06-08"


def test_first_day_move_and_debut(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Chinese AI firm SenseTime plunged 9% on its Hong Kong debut on "
                     "Thursday.", "2022-06-10")
    fams = {m.family for m in _scored(ms)}
    assert {"shares", "ipo_listed"} <= fams


def test_an_undated_mention_does_not_join_a_plan_in_another_article(tmp_path: Path) -> None:
    c = corpus(tmp_path, {
        "p1": ("2022-03-02", "A newspaper said the United States would put DJI on the Pentagon's "
                             "list of Chinese military companies on Friday."),
        "p2": ("2022-10-09", "DJI has been added to the Pentagon's list of Chinese military "
                             "companies."),
    })
    ev = chronology(c, include_reference=False)
    for row in ev.itertuples():
        assert not ({"p1", "p2"} <= set(row.doc_ids)), row


def test_a_date_closing_a_verb_phrase_dates_that_verb(tmp_path: Path) -> None:
    # "in May" ends the first verb phrase, "in September" the second; the fronted "Last year"
    # only gives the year (it may not replace a verb phrase's own month).
    ms = mentions_of(tmp_path, "Last year, Commerce revoked licences to sell chips to Huawei in "
                     "May and unveiled new export controls on quantum computing in September.",
                     "2025-01-07")
    acts = sorted((m.value, m.trigger[0]) for m in ms if m.action == "other_action")
    assert [v for v, _ in acts] == ["2024-05", "2024-09"]
    assert acts[0][1] < acts[1][1]  # May dates the revocation, which comes first


def test_a_fronted_date_dates_the_verb_after_it(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Huawei was added to the Entity List in 2019, and on May 20 its "
                     "shares fell 5%.", "2019-05-25")
    by_action = {m.action: m.value for m in ms}
    assert by_action["added_to_list"] == "2019"
    assert by_action["shares_fell"] == "2019-05-20"


def test_a_recalled_earlier_list_does_not_take_the_new_lists_parties(tmp_path: Path) -> None:
    text = ("The Pentagon added DJI and a dozen other firms to its list of Chinese military "
            "companies on October 5, 2022. The first list, which included Huawei, was released "
            "in 2021. The new additions include iFlytek and Megvii.")
    ms = mentions_of(tmp_path, text, "2022-10-06")
    new = next(m for m in ms if m.value == "2022-10-05")
    old = next(m for m in ms if m.value == "2021")
    assert {"dji", "iflytek", "megvii"} <= set(new.targets)
    assert not {"iflytek", "megvii"} & set(old.targets)


def test_the_original_order_is_the_same_kind_of_order(tmp_path: Path) -> None:
    text = ("The president signed an executive order on Thursday banning Americans from "
            "investing in 59 Chinese firms. The original order, signed by his predecessor in "
            "November, applied to 31 companies. Huawei and Hikvision remain on the list.")
    ms = [m for m in _scored(mentions_of(tmp_path, text, "2021-06-04")) if m.dated]
    assert sorted((m.family, m.value) for m in ms) == [("ns_cmic", "2020-11"),
                                                       ("ns_cmic", "2021-06-03")]
    new = next(m for m in ms if m.value == "2021-06-03")
    assert {"huawei", "hikvision"} <= set(new.targets)


def test_controls_introduced_also_take_the_date_before(tmp_path: Path) -> None:
    text = ("In January, Commerce added a dozen Chinese firms to the Entity List. At that time, "
            "the department also introduced stricter controls on advanced chips.")
    ms = _scored(mentions_of(tmp_path, text, "2025-03-10"))
    assert ("other", "2025-01") in {(m.family, m.value) for m in ms}


def test_share_moves_told_first_without_companies(tmp_path: Path) -> None:
    text = ("Shares in two Chinese camera makers plunged Wednesday following reports that "
            "Washington may blacklist them, just as the blacklisting of Huawei hit the sector. "
            "Shares of Hikvision dived 5.5 percent and Dahua tumbled 6 percent in Shenzhen.")
    ms = [m for m in mentions_of(tmp_path, text, "2019-05-22") if m.action == "shares_fell"]
    assert "huawei" not in {t for m in ms for t in m.targets}
    named = {m.targets: m.value for m in ms}
    assert named[("hikvision",)] == named[("dahua",)] == "2019-05-22"


def test_a_market_wraps_risers_and_fallers_are_moves_of_its_session(tmp_path: Path) -> None:
    text = ("Hong Kong shares fell on Monday as investors stepped back from tech names. "
            "The top gainer on the index was Qarvon Group Ltd, which gained 5.99%, while the "
            "biggest loser was Hikvision, which fell 3.56%. Among H-shares, Zorblax Holdings "
            "Ltd rose most, up by 0.82%. The yuan was 0.17% firmer.")
    ms = [m for m in mentions_of(tmp_path, text, "2020-09-07") if m.family == "shares"]
    moved = {t: (m.action, m.value) for m in ms for t in m.targets}
    assert moved["hikvision"] == ("shares_fell", "2020-09-07")
    assert moved["new:qarvon"] == moved["new:zorblax"] == ("shares_rose", "2020-09-07")
    assert not [m for m in ms if m.targets == () and m.action == "shares_rose"]


def test_aliases_in_brackets_do_not_end_the_list_of_parties(tmp_path: Path) -> None:
    text = ("The entities added to the UFLPA Entity List today include Qarvon Shoes Co., Ltd. "
            "(also known as Qarvon Shoe Industry Co., Ltd.; and Lvzhou Shoes Co., Ltd.), "
            "Zorblax Group Co., Ltd., and Vextra Coal Co., Ltd.")
    ms = mentions_of(tmp_path, text, "2024-06-11")
    act = next(m for m in ms if m.family == "uflpa_entity_list")
    assert len(act.targets) == 3


def test_the_list_of_an_act_is_the_list_the_next_sentences_speak_of(tmp_path: Path) -> None:
    text = ("Today, DHS announced the addition of three footwear companies to the Uygur Forced "
            "Labor Prevention Act (UFLPA) Entity List. Effective June 12, 2024, CBP will apply a "
            "rebuttable presumption to goods made by these entities.")
    ms = mentions_of(tmp_path, text, "2024-06-11")
    assert {m.family for m in _scored(ms)} == {"uflpa_entity_list"}


def test_a_court_stays_a_lawsuit_over_a_listing(tmp_path: Path) -> None:
    text = ("The Court of International Trade on July 30 stayed Ninestar Corp.'s lawsuit "
            "challenging its placement on the UFLPA Entity List for four months.")
    ms = [m for m in _scored(mentions_of(tmp_path, text, "2024-07-31"))]
    court = next(m for m in ms if m.family == "other")
    assert court.value == "2024-07-30"
    # the contested listing is background: not dated by the ruling, not news of the day
    assert all(m.value is None for m in ms if m.family == "uflpa_entity_list")


def test_a_lead_in_the_present_perfect_is_the_act_the_next_sentence_dates(
        tmp_path: Path) -> None:
    text = ("A federal judge has upheld the Pentagon's decision to classify DJI as a Chinese "
            "military company. Judge Paul Friedman ruled on Friday that the Pentagon had "
            "presented substantial evidence about DJI. DJI filed its lawsuit last year.")
    rows = _rows(tmp_path, text, "2025-09-29", "other")
    assert sorted(rows["date"].astype(str)) == ["2024", "2025-09-26"]


def test_a_court_act_naming_no_company_is_in_the_storys_companys_case(
        tmp_path: Path) -> None:
    text = ("Xiaomi sued the Defense Department in February over its designation. Xiaomi "
            "called it unlawful. A district judge issued an initial injunction over the weekend, "
            "granting a "
            "temporary halt to the ban.")
    ms = mentions_of(tmp_path, text, "2021-03-15")
    court = next(m for m in ms if "injunction" in m.text[m.trigger[0] - m.start:])
    assert court.targets == ("xiaomi",)


def test_a_lead_with_the_us_acting_and_its_parties_listed_after_a_colon(
        tmp_path: Path) -> None:
    text = ("The U.S. has taken further action against the Iranian regime by imposing sanctions "
            "on four Chinese companies. The State Department says the companies shipped oil "
            "from Iran. The firms sanctioned under E.O. 13846 are: Qarvon Petroleum Co., "
            "Limited, Zorblax Shipping Company Limited, and Vextra Tanker Co., Ltd.")
    ms = mentions_of(tmp_path, text, "2019-09-25")
    act = next(m for m in ms if m.family == "sdn")
    assert act.value == "2019-09-25" and len(act.targets) == 3


def test_a_headline_blacklisting_takes_the_list_the_story_names(tmp_path: Path) -> None:
    import sanctionlens as sl
    from sanctionlens.analysis.chronology import detect_mentions

    title = "US Blacklists Chinese AI Company Zhipu AI"
    (tmp_path / "t1.txt").write_text(
        f"{title}\n\nZhipu AI objected to the decision. The ban is part of wider trade "
        "restrictions. Beijing said it would respond. Analysts were not surprised. On "
        "Wednesday, the Commerce Department added 25 Chinese companies to the Entity List.\n")
    (tmp_path / "metadata.csv").write_text(
        "file,doc_id,title,outlet,authors,published,published_basis,url,language\n"
        f"t1.txt,t1,{title},Test Wire,,2025-01-16,,,en\n")
    doc = sl.load_corpus(tmp_path).documents[0]
    ms = [m for m in detect_mentions(doc) if m.sentence_id == 0]
    assert [(m.action, m.instrument) for m in ms] == [("designated", "entity_list")]


def test_confirmed_it_will_add_is_announced_and_a_trade_blacklist_is_the_entity_list(
        tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "The United States confirmed it will add dozens of Chinese "
                     "companies, including SMIC, to a trade blacklist.", "2020-12-18")
    act = next(m for m in ms if m.action == "added_to_list")
    assert (act.family, act.status) == ("entity_list", "announced")


def test_a_scheduled_date_and_a_cause_announced_later_in_the_sentence(tmp_path: Path) -> None:
    text = ("The company postponed its IPO from the previously scheduled December 17 due to a "
            "U.S. investment ban announced on December 10.")
    ms = mentions_of(tmp_path, text, "2021-12-30")
    post = next(m for m in ms if m.action == "ipo_postponed")
    ban = next(m for m in ms if m.family == "ns_cmic")
    assert post.value != "2021-12-17" and post.value != "2021-12-10"
    assert ban.value == "2021-12-10"


def test_a_first_day_move_takes_the_debut_date(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "SenseTime saw its shares jump 23 percent on its debut in Hong "
                     "Kong Thursday.", "2021-12-30")
    move = next(m for m in ms if m.action == "shares_rose")
    assert move.value == "2021-12-30"
    ms = mentions_of(tmp_path, "The share price is up by a fifth since its debut in May.",
                     "2022-08-01")
    assert all(m.value is None for m in ms if m.action == "shares_rose")


def test_listings_told_by_the_money_raised(tmp_path: Path) -> None:
    text = ("Two other Chinese firms have listed in the US this year: iFlytek raised US$40 "
            "million on January 24 and Megvii raised US$16 million on February 3. It is the "
            "largest IPO since the US$334.5 million listing of SenseTime in October 2021.")
    ms = [m for m in mentions_of(tmp_path, text, "2023-02-10") if m.action == "ipo_listed"]
    got = {(m.targets, m.value) for m in ms}
    assert {(("iflytek",), "2023-01-24"), (("megvii",), "2023-02-03"),
            (("sensetime",), "2021-10")} <= got
    bond = mentions_of(tmp_path, "Hikvision raised US$500 million in a bond sale on Monday.",
                       "2023-02-10")
    assert not [m for m in bond if m.action == "ipo_listed"]


def test_an_agency_adding_parties_sentence_by_sentence_is_one_act(tmp_path: Path) -> None:
    text = ("DHS will add a battery maker and a spice maker to the UFLPA Entity List, the agency "
            "said in a notice released Aug. 1. Hikvision will be added for working with the "
            "Xinjiang government. DHS also will add Dahua Technology Co., Ltd., for sourcing "
            "material from Xinjiang.")
    rows = _rows(tmp_path, text, "2023-08-01", "uflpa_entity_list")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["date"], row["status"]) == ("2023-08-01", "announced")
    assert {"hikvision", "dahua"} <= set(row["targets"])


def test_evaluating_an_inclusion_is_a_consideration(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "BIS is also evaluating the inclusion of subsidiaries of SMIC on "
                     "the Entity List, the source said.", "2025-05-16")
    assert {m.status for m in ms if m.family == "entity_list"} <= {"considered"}


def test_a_list_published_then_updated(tmp_path: Path) -> None:
    ms = _scored(mentions_of(tmp_path, "DoD first published the 1260H List in 2021 with 47 "
                            "entities and updated it to include 13 more entities in 2022.",
                            "2024-02-06"))
    assert sorted((m.family, m.value) for m in ms) == [("dod_1260h", "2021"),
                                                       ("dod_1260h", "2022")]


def test_another_company_on_the_list_is_a_party(tmp_path: Path) -> None:
    text = ("On Wednesday, the Commerce Department added 25 companies to its Entity List. "
            "Zhipu AI said the decision was unfounded. Another notable company on the updated "
            "blacklist is Sophgo, a chip designer.")
    ms = mentions_of(tmp_path, text, "2025-01-16")
    act = next(m for m in ms if m.family == "entity_list" and m.dated)
    assert "sophgo" in act.targets


def test_treasury_list_named_in_the_next_sentences(tmp_path: Path) -> None:
    text = ("The Treasury Department on Thursday blacklisted eight Chinese companies, including "
            "DJI. The Office of Foreign Assets Control identified the firms as linked to "
            "surveillance in Xinjiang, where the State Department in January declared a "
            "genocide. The companies were sanctioned under a June order designed to prevent "
            "American securities from financing the Chinese military.")
    ms = [m for m in mentions_of(tmp_path, text, "2021-12-16") if m.action == "designated"]
    assert {m.family for m in ms} == {"ns_cmic"}
    assert "2021-01" not in {m.value for m in ms}  # January dates the declaration


def test_a_latest_act_is_not_the_initial_one_and_numbered_lists(tmp_path: Path) -> None:
    text = ("On Wednesday, the Pentagon officially included DJI on a department blacklist. "
            "The Pentagon previously blacklisted an initial tranche of 47 Chinese entities on "
            "June 3, 2021. The Pentagon added DJI and 12 other entities in its latest "
            "blacklisting. Those additional entities include:\n\n1.\n\nHikvision\n\n2.\n\n"
            "Dahua Technology\n\n3.\n\niFlytek\n\n4.\n\nMegvii\n\n5.\n\nSenseTime\n\n6.\n\nYitu")
    rows = _rows(tmp_path, text, "2022-10-10", "dod_1260h")
    new = rows[rows["date"] == "2022-10-05"].iloc[0]
    assert {"dji", "hikvision", "dahua", "iflytek", "megvii", "sensetime"} <= set(new["targets"])
    old = rows[rows["date"] == "2021-06-03"].iloc[0]
    assert not {"hikvision", "yitu"} & set(old["targets"])


def test_the_next_trading_day_in_asia_dates_a_move(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "HONG KONG (Reuters) - Shares in Tencent were 6.5% lower in Hong "
                     "Kong on Tuesday.", "2025-01-06")
    move = next(m for m in ms if m.action == "shares_fell")
    assert move.value == "2025-01-07"


def test_the_adviser_is_not_the_listing_company(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Megvii is preparing for an initial public offering. The company "
                     "is working with CITIC Securities to prepare for its planned listing, the "
                     "regulator said on Tuesday.", "2021-01-12")
    assert {t for m in ms if m.action == "ipo_filed" for t in m.targets} == {"megvii"}


def test_identifying_sectors_is_no_listing(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "DHS has identified new high priority sectors subject to "
                     "stricter enforcement.", "2024-08-12")
    assert not [m for m in ms if m.action in ("designated", "added_to_list")]
    ms = mentions_of(tmp_path, "Today, OFAC identified eight Chinese technology firms.",
                     "2021-12-16")
    assert [m.family for m in ms if m.action == "designated"]


def test_sanctions_announced_and_imposed_are_sdn_news_of_the_day(tmp_path: Path) -> None:
    text = ("The U.S. Treasury on Thursday announced sanctions against two Chinese makers of "
            "drone engines. The U.S. is imposing sanctions on Hikvision, which makes cameras.")
    rows = _rows(tmp_path, text, "2024-10-17", "sdn")
    assert len(rows) == 1
    assert rows.iloc[0]["date"] == "2024-10-17" and "hikvision" in rows.iloc[0]["targets"]


def test_a_possible_listing_is_no_listing(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Congress mandated a review, which could lead to DJI drones being "
                     "added to the FCC Covered List.", "2024-12-19")
    assert not [m for m in _scored(ms) if m.family == "fcc_covered_list"]


def test_a_company_speaking_after_the_date_keeps_it(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "In February, Xiaomi sued the U.S. government over the "
                     "designation, claiming it is unconstitutional.", "2021-03-15")
    assert next(m for m in ms if m.action == "other_action").value == "2021-02"


def test_designated_a_military_company_and_a_tally_is_not_its_list(tmp_path: Path) -> None:
    text = ("Xiaomi was designated a CCMC in January. A 1999 law requires the Defense Department "
            "to compile a catalog. The Pentagon has added 35 companies so far, including Huawei "
            "and SMIC. Judge Contreras issued an initial injunction over the weekend.")
    ms = mentions_of(tmp_path, text, "2021-03-15")
    act = next(m for m in ms if m.family == "dod_1260h")
    assert (act.value, act.targets) == ("2021-01", ("xiaomi",))
    assert any(m.action == "other_action" and m.value == "2021-03-13" for m in ms)


def test_he_added_that_is_no_addition(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "He added that the memorandum that led to Xiaomi being added to "
                     "the list was flawed.", "2021-03-15")
    adds = [m for m in ms if m.action in ("added_to_list", "designated")]
    assert adds and all(not m.text[m.trigger[0] - m.start:].startswith("added that")
                        for m in adds)  # the addition is "being added to the list"


def test_a_list_named_by_the_agency_of_the_next_sentence(tmp_path: Path) -> None:
    text = ("Kaspersky Lab, China Telecom and Hikvision were added to a U.S. list of companies "
            "deemed a threat to national security. The action by the Federal Communications "
            "Commission is part of its efforts. The FCC last year placed five Chinese companies "
            "on the list. They were Huawei, ZTE, Hytera, Dahua and Tiandy.")
    rows = _rows(tmp_path, text, "2022-03-25", "fcc_covered_list")
    today = rows[rows["date"] == "2022-03-25"].iloc[0]
    assert "hikvision" in today["targets"] and "huawei" not in today["targets"]
    last_year = rows[rows["date"] == "2021"].iloc[0]
    assert {"huawei", "dahua"} <= set(last_year["targets"])


def test_a_dated_act_walks_past_its_own_next_step(tmp_path: Path) -> None:
    text = ("The Commerce Department said on Tuesday it is adding seven entities to the Entity "
            "List. They will be listed on the Entity List in a rule to be published on August "
            "24. The list includes Hikvision and Dahua Technology.")
    ms = mentions_of(tmp_path, text, "2022-08-23")
    act = next(m for m in ms if m.value == "2022-08-23")
    assert {"hikvision", "dahua"} <= set(act.targets)


def test_watchlists_applications_received_and_a_listing_with_its_year(tmp_path: Path) -> None:
    ms = _scored(mentions_of(tmp_path, "CATL drew scrutiny, with the Pentagon placing it on a "
                             "watchlist in January.", "2025-05-20"))
    assert ("dod_1260h", "2025-01") in {(m.family, m.value) for m in ms}
    ms = _scored(mentions_of(tmp_path, "The Shanghai Stock Exchange received CXMT's application "
                             "for a listing on the Star Market, a filing showed on Tuesday.",
                             "2025-12-31"))
    assert ("ipo_filed", "2025-12-30") in {(m.family, m.value) for m in ms}
    ms = _scored(mentions_of(tmp_path, "It trails only the sum raised by SMIC's listing in 2020; "
                             "Hikvision's listing on the Entity List came in 2019.", "2025-12-31"))
    assert [(m.family, m.value) for m in ms if m.family == "ipo_listed"] == [("ipo_listed", "2020")]


def test_a_date_after_announced_is_the_announcement_and_concurrently(tmp_path: Path) -> None:
    text = ("Zorblax Corp. announced on March 5, 2021, that Nasdaq will suspend trading of its "
            "shares due to its inclusion on the Pentagon's list.")
    ms = mentions_of(tmp_path, text, "2021-03-06")
    assert all(m.value is None for m in ms if m.family == "dod_1260h")  # a reason, not news
    text = ("The Pentagon added Zorblax to its list on March 5, 2021. Concurrently, Zorblax filed "
            "a case in the District Court challenging its designation.")
    case = next(m for m in mentions_of(tmp_path, text, "2021-03-06")
                if m.action == "other_action")
    assert case.value == "2021-03-05"


def test_import_bans_licence_requirements_and_a_list_updated(tmp_path: Path) -> None:
    text = ("On June 24, 2021, Customs and Border Protection issued a Withhold Release Order "
            "against Hoshine Silicon Industry Co. Ltd. On June 23, 2021, the Department of "
            "Labor published a notice updating its List of Goods Produced by Forced Labor. US "
            "firms must now apply for a license to export to SMIC, the Commerce Department said "
            "in a letter dated Sept 25.")
    got = {(m.family, m.value) for m in _scored(mentions_of(tmp_path, text, "2021-09-28"))}
    assert {("other", "2021-06-24"), ("other", "2021-06-23"), ("other", "2021-09-25")} <= got


def test_designated_as_national_security_threats_and_a_long_placed_on(tmp_path: Path) -> None:
    ms = _scored(mentions_of(tmp_path, "The FCC has designated China's Huawei and ZTE "
                             "(OTCPK:ZTCOF) as national security threats.", "2020-06-30"))
    assert [(m.family, m.value) for m in ms] == [("fcc_covered_list", "2020-06-30")]
    ms = mentions_of(tmp_path, "The US Commerce Department on Monday placed 28 Chinese "
                     "government agencies and companies, including video surveillance gear "
                     "maker Hikvision and artificial intelligence firms SenseTime and Megvii, on "
                     "a trade blacklist over the treatment of Uighurs.", "2019-10-08")
    act = next(m for m in ms if m.family == "entity_list")
    assert act.value == "2019-10-07" and {"hikvision", "sensetime", "megvii"} <= set(act.targets)


def test_a_debut_leading_a_market_story_is_the_days_news(tmp_path: Path) -> None:
    ms = mentions_of(tmp_path, "Shares of Hygon Information Technology Co. doubled in their "
                     "trading debut in Shanghai.", "2022-08-12")
    assert next(m for m in ms if m.action == "ipo_listed").value == "2022-08-12"
    ms = mentions_of(tmp_path, "Hesai Group has raised US$190 million in the largest US IPO by "
                     "a Chinese company in 15 months.", "2023-02-10")
    assert all(m.value is None for m in ms if m.action == "ipo_listed")


def test_a_follow_up_act_keeps_the_parties_it_found(tmp_path: Path) -> None:
    text = ("The Commerce Department on Monday placed 28 agencies and companies, including "
            "Hikvision, on a trade blacklist. Why it matters: talks resume this week. Details: "
            "The organizations added to the Entity List include eight commercial firms. The "
            "companies include Dahua Technology. The list also includes Megvii and Yitu.")
    ms = mentions_of(tmp_path, text, "2019-10-08")
    act = next(m for m in ms if m.sentence_id == 0)
    assert {"hikvision", "dahua", "megvii", "yitu"} <= set(act.targets)


def test_trade_bans_import_bans_export_restrictions_and_the_stock(tmp_path: Path) -> None:
    text = ("The Biden administration imposed trade bans on five Chinese companies, the White "
            "House said on Thursday. It ordered a ban on U.S. imports from Hoshine Silicon "
            "Industry Co and separately restricted exports to Hoshine and three other firms.")
    got = {(m.family, m.value) for m in _scored(mentions_of(tmp_path, text, "2021-06-24"))}
    assert {("other", "2021-06-24"), ("entity_list", "2021-06-24")} <= got
    ms = mentions_of(tmp_path, "Shares of Hygon Information Technology Co. doubled in their "
                     "Shanghai debut. The stock soared as much as 105 percent.", "2022-08-12")
    move = next(m for m in ms if m.action == "shares_rose")
    assert move.value == "2022-08-12" and move.targets
    ms = mentions_of(tmp_path, "Commerce will place firms on a list restricting exports to them.",
                     "2021-12-15")
    assert all(m.status == "planned" for m in ms if m.family == "entity_list")


def test_a_complaint_filed_on_monday_and_a_drop_in_stock_price(tmp_path: Path) -> None:
    text = ("Its placement on the list has caused it to suffer a significant drop in stock price, "
            "and lost business opportunities, according to a complaint filed on Monday.")
    ms = mentions_of(tmp_path, text, "2024-05-14")
    assert not [m for m in ms if m.action == "shares_fell"]
    assert next(m for m in ms if m.action == "other_action").value == "2024-05-13"
