"""The report pipeline: plan validation, a small parallel build, failures, determinism, XSS,
offline pages, editions and navigation. Uses its own fixture notebooks in tmp folders."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import make_notebook
from sanctionlens.errors import ParameterError, SanctionlensError
from sanctionlens.reports import build, load_plan, register_expander
from sanctionlens.reports.navigation import refresh_navigation

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(2)>"
SOLUTION_MARKER = "SOLUTION-MARKER-7f3a"

PARAMS = '''corpus_dir: str = ""  # folder of articles; "" = bundled seeds
company: str = "SenseTime"  # company to look at
start: str = "2019-01-01"  # ISO date
top_n: int = 3  # how many rows
'''

FIGURES = [
    ("markdown", "# Figures fixture\n\nGoals: check figures, tables and escaping.", []),
    ("code", PARAMS, ["parameters"]),
    ("code", "import sanctionlens as sl\n"
             "from sanctionlens.plots.display import html_table, md, show\n"
             "corpus = sl.load_corpus(corpus_dir or None)\ndocs = corpus.documents", []),
    ("code", 'html_table(corpus.to_frame()[["doc_id", "title"]], caption=docs[0].title)', []),
    ("code", "print(docs[0].text[:300])", []),
    ("code", "import plotly.graph_objects as go\n"
             "fig = go.Figure(go.Bar(x=[d.title for d in docs], y=[len(d.text) for d in docs]))\n"
             "fig.update_layout(title=docs[0].title)\nshow(fig)", []),
    ("code", 'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\n'
             "fig, ax = plt.subplots()\nax.bar(range(len(docs)), [len(d.text) for d in docs])\n"
             'show(fig, alt="Bars: characters per document")', []),
    ("code", 'md("First title: **{t}**", t=docs[0].title)', []),
    ("markdown", "### Exercise\n\nPrint the company.", ["exercise"]),
    ("code", f'print("{SOLUTION_MARKER}", company)', ["solution"]),
    ("markdown", "## Questions for discussion\n\n1. Why?", []),
]

BROKEN = [
    ("markdown", "# Broken fixture", []),
    ("code", 'corpus_dir: str = ""  # folder of articles', ["parameters"]),
    ("code", 'raise ValueError("deliberate failure for the test")', []),
    ("code", 'print("never reached")', []),
]


def write_plan(folder: Path, body: str) -> Path:
    make_notebook(folder / "figures.ipynb", FIGURES)
    make_notebook(folder / "broken.ipynb", BROKEN)
    plan = folder / "plan.toml"
    plan.write_text(body, encoding="utf-8")
    return plan


GOOD_PLAN = """
[[report]]
notebook = "figures.ipynb"
parameters = { company = "Hikvision", start = "2021-12-10", top_n = 5 }

[[report]]
notebook = "broken.ipynb"
"""


@pytest.fixture(scope="module")
def xss_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xss_corpus")
    (folder / "001_xss.txt").write_text(
        f"Hikvision {XSS_SCRIPT} sanctions story\n\n"
        f"The U.S. Commerce Department added Hikvision to the Entity List. {XSS_IMG} "
        "Shares of Hikvision fell in Shenzhen.\n\nSenseTime said it opposes the designation.\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, xss_corpus: Path) -> dict:
    """One build of the fixture plan (all editions), through the command line."""
    from sanctionlens.cli import main

    folder = tmp_path_factory.mktemp("plan")
    plan = write_plan(folder, GOOD_PLAN)
    out = folder / "out"
    code = main(["report", "--plan", str(plan), "--out", str(out), "--corpus", str(xss_corpus),
                 "--jobs", "2", "--timeout", "120", "--edition", "reader", "--edition",
                 "analyst", "--edition", "teacher", "--edition", "student"])
    return {"code": code, "out": out, "plan": plan, "corpus": xss_corpus}


# --- plan validation (before anything runs) ---------------------------------------------


def test_unknown_parameter_is_named_with_suggestion(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\n'
                                'parameters = { compnay = "Megvii" }\n')
    with pytest.raises(ParameterError) as err:
        load_plan(plan)
    msg = str(err.value)
    assert "figures.ipynb" in msg and "'compnay'" in msg and "did you mean 'company'" in msg


def test_wrong_type_is_named(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\n'
                                'parameters = { top_n = "5" }\n')
    with pytest.raises(ParameterError, match=r"figures\.ipynb.*'top_n' must be int"):
        load_plan(plan)


@pytest.mark.parametrize("bad", ["2021-13-01", "10 Dec 2021", "2021-12-1"])
def test_bad_iso_date_is_named(tmp_path: Path, bad: str) -> None:
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\n'
                                f'parameters = {{ start = "{bad}" }}\n')
    with pytest.raises(ParameterError, match=r"'start' = .* is not an ISO date"):
        load_plan(plan)


def test_missing_notebook_is_named(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\n\n'
                                '[[report]]\nnotebook = "99_not_written_yet.ipynb"\n')
    with pytest.raises(SanctionlensError, match="99_not_written_yet.ipynb"):
        load_plan(plan)


def test_invalid_plan_stops_before_anything_runs(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, GOOD_PLAN + 'parameters = { corpus = "x" }\n')
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match=r"broken\.ipynb.*'corpus'.*did you mean 'corpus_dir'"):
        build(plan, out, jobs=1)
    assert not out.exists()


def test_expansion_is_pluggable(tmp_path: Path) -> None:
    register_expander("stub", lambda corpus_dir: [("co-a", "Alpha Co", "Alpha"),
                                                  ("co-b", "Beta Co", "Beta")])
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\nexpand = "stub"\n'
                                'expand_parameter = "company"\n')
    reports = load_plan(plan)
    assert [(r.name, r.parameters["company"], r.label) for r in reports] == [
        ("figures-co-a", "Alpha", "Alpha Co"), ("figures-co-b", "Beta", "Beta Co")]
    assert reports[0].display_title == "Figures fixture — Alpha Co"


def test_corpus_is_injected_only_where_declared(tmp_path: Path) -> None:
    make_notebook(tmp_path / "plain.ipynb", [("code", "x: int = 1", ["parameters"])])
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\n\n'
                                '[[report]]\nnotebook = "plain.ipynb"\n')
    figures, plain = load_plan(plan, corpus_dir="/some/articles")
    assert figures.parameters == {"corpus_dir": "/some/articles"}
    assert plain.parameters == {}


# --- the build -------------------------------------------------------------------------


def test_failure_does_not_stop_the_others(built: dict) -> None:
    out = built["out"]
    assert built["code"] != 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "deliberate failure for the test" in index
    assert (out / "figures.html").is_file() and (out / "analyst" / "figures.html").is_file()
    assert 'href="figures.html"' in index and 'href="analyst/figures.html"' in index
    broken = (out / "broken.html").read_text(encoding="utf-8")
    # the reader page of a failed report shows the failing cell and its error
    assert "deliberate failure for the test" in broken
    assert "raise" in broken and "ValueError" in broken
    assert "never reached" not in broken


def test_index_has_build_facts(built: dict) -> None:
    index = (built["out"] / "index.html").read_text(encoding="utf-8")
    for package in ("sanctionlens", "pandas", "plotly", "nltk", "papermill", "nbconvert",
                    "matplotlib"):
        assert f"{package} version" in index
    assert "001_xss.txt" in index and "git commit" in index
    assert "company=&quot;Hikvision&quot;" in index


def test_executed_notebook_records_parameters(built: dict) -> None:
    nb = nbformat.read(built["out"] / "notebooks" / "figures.ipynb", as_version=4)
    params = nb.metadata["papermill"]["parameters"]
    assert params == {"company": "Hikvision", "start": "2021-12-10", "top_n": 5,
                      "corpus_dir": str(built["corpus"])}
    assert "start_time" not in nb.metadata["papermill"]


def test_pages_are_small_and_offline(built: dict) -> None:
    pages = sorted(built["out"].rglob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert page.stat().st_size < 1_000_000, page
        for src in re.findall(r"<script[^>]*\bsrc=[\"']([^\"']*)", html, flags=re.I):
            assert "//" not in src and "cdn" not in src.lower(), (page, src)
        assert "require.js" not in html and "mathjax" not in html.lower()
    figures = (built["out"] / "figures.html").read_text(encoding="utf-8")
    assert '<script src="plotly.min.js"></script>' in figures
    assert '<script src="../plotly.min.js"></script>' in (
        built["out"] / "analyst" / "figures.html").read_text(encoding="utf-8")
    assert (built["out"] / "plotly.min.js").stat().st_size > 1_000_000
    assert 'alt="Bars: characters per document"' in figures


def test_article_text_is_shown_as_text(built: dict) -> None:
    for page in sorted(built["out"].rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert XSS_SCRIPT not in html, page
        assert "<img src=x" not in html, page
        assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", ""), page
    figures = (built["out"] / "figures.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in figures
    assert "&lt;img src=x onerror=alert(2)&gt;" in figures


def test_reader_hides_code_analyst_shows_it(built: dict) -> None:
    reader = (built["out"] / "figures.html").read_text(encoding="utf-8")
    analyst = (built["out"] / "analyst" / "figures.html").read_text(encoding="utf-8")
    assert "load_corpus" not in reader and "load_corpus" in analyst


def test_student_edition(built: dict) -> None:
    out = built["out"]
    nb = nbformat.read(out / "student" / "figures.ipynb", as_version=4)
    assert not [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    assert all(not c.outputs and c.execution_count is None
               for c in nb.cells if c.cell_type == "code")
    assert SOLUTION_MARKER not in (out / "student" / "figures.ipynb").read_text(encoding="utf-8")
    assert SOLUTION_MARKER not in (out / "student" / "figures.html").read_text(encoding="utf-8")
    assert SOLUTION_MARKER in (out / "teacher" / "figures.html").read_text(encoding="utf-8")
    assert SOLUTION_MARKER in (out / "teacher" / "figures.ipynb").read_text(encoding="utf-8")


def test_rebuild_is_byte_identical(built: dict, tmp_path: Path) -> None:
    out2 = tmp_path / "out2"
    build(built["plan"], out2, corpus=str(built["corpus"]), jobs=1, timeout=120,
          editions=["reader", "analyst", "teacher", "student"], stream=io.StringIO())
    first = {p.relative_to(built["out"]): p.read_bytes() for p in built["out"].rglob("*")
             if p.is_file() and p.suffix in (".html", ".ipynb")}
    second = {p.relative_to(out2): p.read_bytes() for p in out2.rglob("*")
              if p.is_file() and p.suffix in (".html", ".ipynb")}
    assert sorted(first) == sorted(second)
    different = [str(k) for k in sorted(first) if first[k] != second[k]]
    assert different == []


def test_progress_is_one_line_per_report_off_a_tty(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "broken.ipynb"\n\n'
                                '[[report]]\nnotebook = "broken.ipynb"\nname = "broken-2"\n')
    stream = io.StringIO()
    results = build(plan, tmp_path / "out", jobs=2, timeout=60, editions=["reader"],
                    stream=stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and all("FAILED" in line for line in lines)
    assert [r.status for r in results] == ["failed", "failed"]
    assert "\r" not in stream.getvalue()


def test_navigation_is_idempotent(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, '[[report]]\nnotebook = "figures.ipynb"\n\n'
                                '[[report]]\nnotebook = "broken.ipynb"\n')
    index = tmp_path / "reports" / "index.html"
    assert refresh_navigation(plan, index=index) == [(tmp_path / "figures.ipynb").resolve(),
                                                     (tmp_path / "broken.ipynb").resolve()]
    before = {p: p.read_bytes() for p in tmp_path.glob("*.ipynb")}
    assert refresh_navigation(plan, index=index) == []
    assert {p: p.read_bytes() for p in tmp_path.glob("*.ipynb")} == before
    nb = nbformat.read(tmp_path / "figures.ipynb", as_version=4)
    assert "navigation" in nb.cells[0].metadata["tags"]
    assert "navigation" in nb.cells[-1].metadata["tags"]
    assert nb.cells[0].source == ("[Index of reports](reports/index.html) | "
                                  "[Broken fixture →](broken.ipynb)")
    # the title is still found behind the navigation cell
    assert load_plan(plan)[0].title == "Figures fixture"


@pytest.mark.notebook
def test_every_real_report_escapes_article_text(tmp_path: Path, xss_corpus: Path) -> None:
    """The real plan (tour, chronology, a profile per company, market) on a hostile corpus."""
    hostile = tmp_path / "corpus"
    shutil.copytree(xss_corpus, hostile)
    (hostile / "002_quote.txt").write_text(
        f"Hikvision responds {XSS_IMG}\n\n“We oppose this {XSS_SCRIPT} listing,” Hikvision "
        f"said on Monday. Shares of Hikvision fell by the 10% daily limit {XSS_IMG}.\n",
        encoding="utf-8")
    (hostile / "metadata.csv").write_text(
        "file,title,outlet,published\n"
        f"002_quote.txt,Hikvision {XSS_SCRIPT},Outlet {XSS_IMG},2022-05-06\n",
        encoding="utf-8")
    results = build(None, tmp_path / "out", corpus=str(hostile), jobs=2, timeout=300,
                    stream=io.StringIO())
    names = {r.name for r in results}
    assert {"00_corpus_tour", "01_sanction_chronology", "03_market_effects"} <= names
    assert any(n.startswith("02_company_profile-hikvision") for n in names)
    assert all(r.status == "ok" for r in results), [(r.name, r.error) for r in results]
    pages = list((tmp_path / "out").rglob("*.html"))
    assert len(pages) >= 2 * len(results)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert XSS_SCRIPT not in html and "<img src=x" not in html, page
    profile = (tmp_path / "out" / "02_company_profile-hikvision.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in profile


def test_profile_pages_for_companies_outside_the_kb(tmp_path: Path, capsys) -> None:
    """A user's corpus names companies the KB does not know: those named in two documents
    get a page (most mentioned first, capped); the others are named on stderr."""
    from sanctionlens.reports.plan import companies

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Zorblax Technologies Co., Ltd. and Hikvision were added to "
                                  "the Entity List. Qarvon Holdings Ltd. said nothing.\n")
    (folder / "b.txt").write_text("Zorblax Technologies Co., Ltd. said it would appeal.\n")
    got = companies(str(folder))
    assert [eid for eid, _, _ in got] == ["hikvision", "new:zorblax"]
    assert got[1][1] == "Zorblax Technologies Co., Ltd."
    assert "1 other company named in the corpus has none" in capsys.readouterr().err


def test_every_study_company_the_seeds_name_gets_a_page() -> None:
    from sanctionlens.kb import get_kb
    from sanctionlens.reports.plan import companies

    ids = [eid for eid, _, _ in companies(None)]
    assert "alibaba" in ids and "hikvision" in ids  # KB companies, facts or not
    kb = get_kb()
    assert not any(kb.companies[eid].recognition_only for eid in ids if eid in kb.companies)
