"""Execute notebooks/00_corpus_tour.ipynb through papermill with default and other parameters."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest
from sanctionlens import paths

NOTEBOOK = paths.NOTEBOOKS_DIR / "00_corpus_tour.ipynb"
TIMEOUT = 180  # seconds per cell

pytestmark = pytest.mark.notebook

ARTICLES = {
    "a_story.txt": (
        "Export controls tighten on camera makers\n\n"
        "Washington widened its export controls on Tuesday, officials said. "
        "Hikvision said the export controls were unfair.\n"
    ),
    "b_story.txt": (
        "Markets shrug off new rules\n\n"
        "Shares of SenseTime rose in Hong Kong. Analysts said Export Controls matter less "
        "than demand at home.\n"
    ),
}


def run(tmp_path: Path, name: str, **parameters: object) -> nbformat.NotebookNode:
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, kernel_name="sanctionlens",
        execution_timeout=TIMEOUT, cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def outputs(nb: nbformat.NotebookNode, mime: str) -> list[str]:
    return [
        str(o["data"][mime]) for c in nb.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if mime in o.get("data", {})
    ]


def assert_clean_run(nb: nbformat.NotebookNode) -> None:
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    assert all(not c.metadata.get("papermill", {}).get("exception") for c in nb.cells)


def test_papermill_documents_every_parameter() -> None:
    # papermill skips a parameter line holding a second "=" (e.g. in its comment)
    found = {p["name"]: p for p in pm.inspect_notebook(str(NOTEBOOK)).values()}
    assert set(found) == {"corpus_dir", "term", "top_n", "doc_id"}
    assert all(p["help"] and p["inferred_type_name"] in ("str", "int") for p in found.values())


def test_runs_with_default_parameters(tmp_path: Path) -> None:
    nb = run(tmp_path, "default")
    assert_clean_run(nb)
    assert nb.metadata.papermill.parameters == {}
    markdown = " ".join(outputs(nb, "text/markdown"))
    assert "**Entity List** occurs" in markdown
    html = " ".join(outputs(nb, "text/html"))
    assert "000_01268d76ed01239e" in html and 'class="sl-tag"' in html


def test_runs_on_another_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    expected = sum(t.lower().count("export controls") for t in ARTICLES.values())
    nb = run(tmp_path, "other", corpus_dir=str(folder), term="export controls", top_n=5)
    assert_clean_run(nb)
    assert nb.metadata.papermill.parameters == {
        "corpus_dir": str(folder), "term": "export controls", "top_n": 5}
    markdown = " ".join(outputs(nb, "text/markdown"))
    assert f"occurs {expected} times in 2 of 2 documents" in markdown
    html = " ".join(outputs(nb, "text/html"))
    assert "a_story" in html and "b_story" in html
    assert "000_01268d76ed01239e" not in html  # the seeds were not read


def test_absent_term_is_reported(tmp_path: Path) -> None:
    nb = run(tmp_path, "absent", term="zebra crossing")
    assert_clean_run(nb)
    assert "does not occur in these documents" in " ".join(outputs(nb, "text/markdown"))


@pytest.mark.parametrize(("parameters", "message"), [
    ({"term": "  "}, "ParameterError"),
    ({"top_n": 0}, "ParameterError"),
    ({"doc_id": "no-such-doc"}, "UnknownNameError"),
])
def test_bad_parameters_stop_in_the_setup_cell(tmp_path: Path, parameters: dict,
                                                message: str) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, "bad", **parameters)
    assert info.value.ename == message
    nb = nbformat.read(tmp_path / "bad.ipynb", as_version=4)
    failed = [c for c in nb.cells if c.metadata.get("papermill", {}).get("exception")]
    assert len(failed) == 1 and "sl.load_corpus(" in failed[0].source
