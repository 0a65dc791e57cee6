"""Company profiles: name resolution, facts and events checked against the article texts."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens.analysis import sentiment
from sanctionlens.analysis.profiles import PARTS, profile
from sanctionlens.errors import ParameterError, UnknownNameError
from sanctionlens.plots import profile as profile_plots

SEED_COMPANIES = ["SenseTime", "Hikvision", "Megvii", "CloudWalk", "NetPosa", "SenseNets",
                  "Intellifusion", "IS'Vision", "Qihoo 360", "Huawei", "TSMC", "SMIC", "Alibaba"]


@pytest.fixture(scope="module")
def corpus() -> sl.Corpus:
    return sl.load_corpus()


@pytest.fixture(scope="module")
def tags(corpus: sl.Corpus) -> pd.DataFrame:
    return sl.tag(corpus)


@pytest.fixture(scope="module")
def quotes(corpus: sl.Corpus) -> pd.DataFrame:
    return sl.quotes(corpus)


@pytest.fixture(scope="module")
def profiles(corpus, tags, quotes) -> dict[str, sl.profiles.Profile]:
    return {name: profile(corpus, name, tags=tags, quotes=quotes) for name in SEED_COMPANIES}


def span(corpus: sl.Corpus, doc_id: str, start: int, end: int) -> str:
    return corpus[doc_id].text[int(start):int(end)]


# --------------------------------------------------------------------------- resolution
@pytest.mark.parametrize("name", ["Hikvision", "Hangzhou Hikvision Digital Technology Co.",
                                  "hikivison", "HIKVISION", "Hikvision’s"])
def test_aliases_and_misspellings_resolve(corpus, tags, quotes, name: str) -> None:
    assert profile(corpus, name, tags=tags, quotes=quotes).company_id == "hikvision"


def test_unknown_name_lists_known_companies_and_closest_match(corpus) -> None:
    with pytest.raises(UnknownNameError) as err:
        profile(corpus, "Hikvisoin Digital")
    msg = str(err.value)
    assert "Known companies" in msg and "SenseTime" in msg
    assert "closest matches: Hikvision" in msg
    with pytest.raises(UnknownNameError):
        profile(corpus, "Acme Widgets")


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
def test_empty_or_non_string_name_is_a_parameter_error(corpus, bad) -> None:
    with pytest.raises(ParameterError, match="company"):
        profile(corpus, bad)


def test_to_frame_rejects_unknown_part(profiles) -> None:
    with pytest.raises(ParameterError, match="facts"):
        profiles["Hikvision"].to_frame("gossip")


# --------------------------------------------------------------------------- seed facts
def test_hikvision_founded_and_staff_come_with_evidence(corpus, profiles) -> None:
    facts = profiles["Hikvision"].to_frame("facts")
    founded = facts[facts["field"] == "founded"]
    assert len(founded) and (founded["value"] == "2001").any()
    for r in founded.itertuples(index=False):
        evidence = r.source_text if r.origin == "corpus" else span(corpus, r.doc_id, r.start,
                                                                     r.end)
        assert "2001" in evidence and "ounded" in evidence
    staff = facts[(facts["field"] == "staff") & (facts["origin"] == "corpus")]
    assert len(staff) == 1
    row = staff.iloc[0]
    assert "53,000" in row["value"]
    assert "53,000 staff" in row["source_text"]
    assert "53,000" in span(corpus, row["doc_id"], row["start"], row["end"])


def test_hikvision_sanction_history_has_reference_and_reported_events(profiles) -> None:
    s = profiles["Hikvision"].to_frame("sanctions")
    ref = s[s["source"] == "reference"]
    assert ((ref["instrument"] == "entity_list")
            & ref["date"].astype(str).str.startswith("2019-10")).any()
    reported = s[s["source"] == "corpus"]
    assert reported["evidence_text"].str.contains("Entity List since October 2019").any()
    assert reported["evidence_text"].str.contains("Specially Designated Nationals").any()
    assert all("hikvision" in list(t) for t in s["targets"])


def test_hikvision_statements_include_fair_treatment_quote(profiles) -> None:
    st = profiles["Hikvision"].to_frame("statements")
    quotes = st[st["kind"] == "quote"]
    assert quotes["text"].str.contains("credible evidence and due process").sum() >= 2  # 002, 004
    assert (quotes["speaker"] == "Hikvision").all()


def test_sensetime_ipo_size_and_postponement(corpus, profiles) -> None:
    nums = profiles["SenseTime"].to_frame("numbers")
    ipo = nums[(nums["label"] == "MONEY") & (nums["amount"] == 767_000_000)]
    assert len(ipo) >= 3  # 000 (twice or more) and 001
    assert ipo["sentence"].str.contains("postpone").any()
    for r in ipo.itertuples(index=False):
        assert span(corpus, r.doc_id, r.start, r.end) == r.text == "$767 million"
    assert set(ipo["topic"]) == {"IPO"}


def test_sensetime_statement_accusations_unfounded(profiles) -> None:
    st = profiles["SenseTime"].to_frame("statements")
    hits = st[st["text"].str.startswith("The accusations are unfounded")]
    assert len(hits) == 1 and hits.iloc[0]["kind"] == "quote" and hits.iloc[0]["denial"]
    # the AFP version is inside a longer quote
    assert st["text"].str.contains("We strongly oppose the designation").any()


def test_sensetime_founded_2014_via_the_company(profiles) -> None:
    facts = profiles["SenseTime"].to_frame("facts")
    founded = facts[(facts["field"] == "founded") & (facts["origin"] == "corpus")]
    assert list(founded["value"]) == ["2014"]
    assert "Founded in 2014" in founded.iloc[0]["source_text"]


def test_megvii_star_market_sentence(profiles) -> None:
    p = profiles["Megvii"]
    for part in ("sentences", "others"):
        text = p.to_frame(part)["text"]
        assert text.str.contains("scrapped its Hong Kong IPO plan").any()
        assert text.str.contains("STAR Market").any()


# --------------------------------------------------------------------------- all companies
@pytest.mark.parametrize("name", SEED_COMPANIES)
def test_every_seed_company_gets_a_profile_with_spans_that_match(corpus, profiles,
                                                                 name: str) -> None:
    p = profiles[name]
    assert len(p.mentions) >= 1 and p.mention_count >= 1
    for part in PARTS:
        assert isinstance(p.to_frame(part), pd.DataFrame)
    for r in p.sentences.itertuples(index=False):
        assert span(corpus, r.doc_id, r.start, r.end) == r.text
    for r in p.numbers.itertuples(index=False):
        assert span(corpus, r.doc_id, r.start, r.end) == r.text
    for r in p.mentions.itertuples(index=False):
        assert span(corpus, r.doc_id, r.first_start, r.first_end) == r.first_text
    q = p.statements[p.statements["kind"] == "quote"]
    for r in q.itertuples(index=False):
        assert span(corpus, r.doc_id, r.start, r.end) == r.text
    f = p.facts[p.facts["origin"] == "corpus"]
    for r in f.itertuples(index=False):
        assert span(corpus, r.doc_id, r.start, r.end) in r.source_text
    kb_quoted = p.facts[(p.facts["origin"] == "knowledge base") & p.facts["start"].notna()]
    for r in kb_quoted.itertuples(index=False):  # seed quotes, located in the cleaned text
        assert span(corpus, r.doc_id, r.start, r.end) == r.source_text
    assert p.summary().startswith(f"**{p.name}**")


def test_single_mention_company_has_empty_parts_not_errors(profiles) -> None:
    p = profiles["Alibaba"]
    assert p.mention_count == 1
    assert p.to_frame("statements").empty and p.to_frame("numbers").empty
    assert p.exchanges().columns.tolist()[:2] == ["doc_id", "sentence_id"]


def test_profiles_are_deterministic(corpus, tags, quotes, profiles) -> None:
    again = profile(corpus, "SenseTime", tags=tags, quotes=quotes)
    for part in PARTS:
        pd.testing.assert_frame_equal(again.to_frame(part), profiles["SenseTime"].to_frame(part))
    assert again.summary() == profiles["SenseTime"].summary()


def test_comentions_say_their_scope(profiles) -> None:
    co = profiles["Hikvision"].to_frame("comentions")
    assert set(co["scope"]) == {"sentence", "document"}
    same = co[(co["scope"] == "sentence") & (co["entity_id"] == "sensetime")]
    assert len(same) == 1 and same.iloc[0]["units"] >= 1


# --------------------------------------------------------------------------- summary
def test_summary_uses_only_facts_present(profiles) -> None:
    p = profiles["Hikvision"]
    text = p.summary()
    assert "was founded in 2001<sup>" in text and "53,000" in text
    assert "Entity List from 7 Oct 2019" in text and "Sources:" in text
    from dataclasses import replace
    bare = replace(p, facts=p.facts.iloc[0:0], statements=p.statements.iloc[0:0])
    bare_text = bare.summary()
    for absent in ("founded", "based in", "staff", "works in", "revenue", "2001", "53,000",
                   "quoted"):
        assert absent not in bare_text
    assert f"{p.mention_count} mentions" in text
    assert "entity_list" not in text and "time(s)" not in text


def test_summary_of_a_minor_company_reads_as_sentences(profiles) -> None:
    text = profiles["SMIC"].summary()
    assert "1 of the 5 articles names it" in text or "of the" in text
    assert "the one sentence that names it" in text or "sentences that name it" in text
    assert "0 of them" not in text


def test_summary_escapes_markdown(profiles) -> None:
    from dataclasses import replace
    p = profiles["Hikvision"]
    row = p.facts.iloc[[0]].assign(field="founded", value="<b>*x*</b>", origin="corpus")
    text = replace(p, facts=row).summary()
    assert "<b>" not in text and "&lt;b&gt;" in text and r"\*x\*" in text


# --------------------------------------------------------------------------- tone
def test_tone_is_labelled_an_indicator(profiles) -> None:
    tone = profiles["SenseTime"].to_frame("tone")
    assert len(tone) and (tone["indicator"] == sentiment.INDICATOR).all()
    assert "indicator" in sentiment.INDICATOR
    assert tone["compound"].between(-1, 1).all()
    assert ((tone["pos"] + tone["neu"] + tone["neg"]).round(2).between(0.99, 1.01)).all()
    assert "indicator" in profiles["SenseTime"].summary().lower()


def test_vader_reads_the_wheel_lexicon_from_a_zip_on_nltk_path(tmp_path: Path) -> None:
    import nltk.data

    folder = sentiment.ensure_lexicon(tmp_path / "nltk")
    zpath = folder / "sentiment" / "vader_lexicon.zip"
    with zipfile.ZipFile(zpath) as zf:
        assert zf.read("vader_lexicon/vader_lexicon.txt") == sentiment.lexicon_bytes()
    assert str(folder) in nltk.data.path
    first = zpath.read_bytes()
    sentiment.ensure_lexicon(tmp_path / "nltk")
    assert zpath.read_bytes() == first  # built once, deterministic
    assert sentiment.score("This is good.")["compound"] > 0
    assert sentiment.score("This is terrible.")["compound"] < 0
    lookup = sentiment.lexicon_lookup(["sanctions", "good"]).set_index("word")
    assert not lookup.loc["sanctions", "in_lexicon"] and lookup.loc["good", "in_lexicon"]


# --------------------------------------------------------------------------- figures
def test_figures_escape_article_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Hikvision <script>alert(1)</script> news\n\n"
        "Hikvision said the <b>rules</b> were unfair. The company has 9,000 staff.\n",
        encoding="utf-8")
    c = sl.load_corpus(tmp_path)
    p = profile(c, "Hikvision")
    figs = [profile_plots.mentions_figure(p.mentions, p.name),
            profile_plots.tone_figure(p.tone, p.name),
            profile_plots.network_figure(p.comentions, p.name, scope="document")]
    for fig in figs:
        payload = fig.to_json()
        assert "<script>" not in payload and "<b>rules" not in payload
    assert re.search(r"&lt;b&gt;rules", figs[1].to_json())


def test_network_figure_rejects_bad_scope(profiles) -> None:
    p = profiles["Hikvision"]
    with pytest.raises(ParameterError, match="scope"):
        profile_plots.network_figure(p.comentions, p.name, scope="paragraph")


# --------------------------------------------------------------------------- key figures
def test_key_figures_are_about_the_company_not_its_country(profiles) -> None:
    nums = profiles["Hikvision"].to_frame("numbers")
    texts = set(nums["text"])
    assert "around 53,000 staff" in texts and "10 per cent" in texts  # subject / near the name
    assert not any("billion citizens" in t for t in texts)  # a clause about its government


def test_number_in_a_clause_about_someone_else_is_left_out() -> None:
    from types import SimpleNamespace

    from sanctionlens.analysis.profiles import _about_company

    text = ("The biggest buyer for Acme is the city government, which has paid 5 billion "
            "yuan for cameras.")
    s = SimpleNamespace(text=text, via="named", named_as="Acme")
    at = text.index("5 billion")
    assert not _about_company(s, at, at + 14)
    text2 = "Acme said its sales rose 12% last year."
    s2 = SimpleNamespace(text=text2, via="named", named_as="Acme")
    assert _about_company(s2, text2.index("12%"), text2.index("12%") + 3)


@pytest.mark.parametrize(("text", "named", "accused"), [
    ("Hikvision was accused of helping surveillance in Xinjiang.", "Hikvision", True),
    ("Rights groups allege that Dahua cameras track Uyghurs.", "Dahua", True),
    ("Hikvision is one of several firms targeted for human rights violations in Xinjiang, a "
     "list that includes start-ups SenseTime and Megvii, which are backed by investors "
     "including Alibaba.", "Alibaba", False),
    ("Tencent's shares rose 3% on Tuesday.", "Tencent", False),
])
def test_a_sentence_accuses_the_company_only_when_the_accusation_is_about_it(
        text: str, named: str, accused: bool) -> None:
    from types import SimpleNamespace

    from sanctionlens.analysis.profiles import _accuses_company

    s = SimpleNamespace(via="named", named_as=named, text=text)
    assert _accuses_company(s) is accused
