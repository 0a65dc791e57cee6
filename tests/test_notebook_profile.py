"""Execute notebooks/02_company_profile.ipynb under papermill for every company the seeds name."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest
import sanctionlens as sl
from sanctionlens import paths
from sanctionlens.plots import chronology as chronology_plots

NOTEBOOK = paths.NOTEBOOKS_DIR / "02_company_profile.ipynb"
COMPANIES = ["SenseTime", "Hikvision", "Megvii", "CloudWalk", "NetPosa", "SenseNets",
             "Intellifusion", "IS'Vision", "Qihoo 360", "Huawei", "TSMC", "SMIC", "Alibaba"]

pytestmark = pytest.mark.notebook


def outputs(nb: nbformat.NotebookNode, mime: str) -> list[str]:
    return [str(o["data"][mime]) for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if mime in o.get("data", {})]


def test_committed_notebook_parameters_and_figures() -> None:
    """Profile-specific checks (the shared conventions: test_notebooks_committed.py)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert 'company: str = "SenseTime"' in params[0].source
    source = "\n".join(c.source for c in code)
    assert "chronology_plots.timeline_figure" in source and "network_figure" in source


@pytest.mark.parametrize("company", COMPANIES)
def test_notebook_runs_for_every_seed_company(run_notebook, company: str) -> None:
    nb = run_notebook(NOTEBOOK, company=company)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    markdown = "\n".join(outputs(nb, "text/markdown"))
    assert markdown.startswith("# ")  # the page is headed by the company's name
    assert "In brief" in markdown and "indicator" in markdown.lower()
    figures = outputs(nb, "application/vnd.plotly.v1+json")
    prof = sl.profile(sl.load_corpus(), company)
    dated = chronology_plots.dated_count(prof.sanctions) if len(prof.sanctions) else 0
    if len(prof.mentions) > 1 or dated:  # something to draw: a figure, not a sentence
        assert figures, "no plotly figure was shown"
    else:  # a company named once, with no dated event: a short page saying what is absent
        assert "Not in these articles:" in markdown
    tables = [h for h in outputs(nb, "text/html") if 'class="sl-table' in h]
    assert tables and not any("<script" in t for t in tables)


def test_single_mention_company_says_what_is_missing(run_notebook) -> None:
    nb = run_notebook(NOTEBOOK, company="Alibaba")
    markdown = "\n".join(outputs(nb, "text/markdown"))
    assert markdown.startswith("# Alibaba")
    assert "Not in these articles:" in markdown and "key figures" in markdown
    assert "## What it said" not in markdown and "## Key figures" not in markdown


def test_bad_company_name_fails_with_the_library_error(run_notebook) -> None:
    with pytest.raises(pm.PapermillExecutionError) as err:
        run_notebook(NOTEBOOK, company="Hikvisoin Digital")
    assert err.value.ename == "UnknownNameError"
    assert "Hikvision" in err.value.evalue and "Known companies" in err.value.evalue
