"""Editions built one after another into one folder: the index keeps every edition, hand-out
navigation points to files that exist there, every exercise has an answer."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest
from sanctionlens import paths
from sanctionlens.reports import build
from sanctionlens.reports.editions import edition_of, handout_navigation, html_view
from test_reports import write_plan

PLAN = """
[[report]]
notebook = "figures.ipynb"

[[report]]
notebook = "figures.ipynb"
name = "figures-2"
"""


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#:]+\.html)"', html))


def test_student_build_keeps_the_reader_pages_and_links(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, PLAN)
    out = tmp_path / "out"
    build(plan, out, jobs=2, timeout=120, editions=["reader"], stream=io.StringIO())
    build(plan, out, jobs=2, timeout=120, editions=["student"], stream=io.StringIO())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (out / "figures.html").is_file() and (out / "student" / "figures.html").is_file()
    assert {"figures.html", "student/figures.html"} <= _links(index)
    assert all((out / link).is_file() for link in _links(index))
    nb = nbformat.read(out / "student" / "figures.ipynb", as_version=4)
    nav = [c.source for c in nb.cells if "navigation" in c.metadata.get("tags", [])]
    for source in nav:
        for target in re.findall(r"\]\(([^)]+)\)", source):
            assert (out / "student" / target).resolve().is_file(), target


def test_handout_navigation_and_edition_of() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("old", metadata={"tags": ["navigation"]})]
    handout_navigation(nb, ("a", "A"), ("c", "C"))
    assert nb.cells[0].source == ("[← A](a.ipynb) | [Index of reports](../index.html) | "
                                  "[C →](c.ipynb)")
    assert edition_of("x.html") == "reader" and edition_of("student/x.ipynb") == "student"
    assert edition_of("index.html") is None and edition_of("notebooks/x.ipynb") is None


def test_reader_page_leaves_out_the_classroom_cells() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(t, metadata={"tags": [t]})
                for t in ("page-title", "exercise", "solution", "discussion", "notebook-only",
                          "story")]
    assert [c.source for c in html_view(nb, "reader").cells] == ["story"]
    assert len(html_view(nb, "teacher").cells) == 6


NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("0*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_an_answer(path: Path) -> None:
    """Each exercise (a markdown cell tagged exercise) is followed by a solution before the
    next exercise; the profile's numbered parts each get an answer."""
    cells = nbformat.read(path, as_version=4).cells
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown"
              and "exercise" in c.metadata.get("tags", [])]
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(cells)
        answers = [c.source for c in cells[i:end] if "solution" in c.metadata.get("tags", [])]
        assert answers, f"{path.name}: exercise at cell {i} has no solution cell"
        if path.stem == "02_company_profile":
            parts = re.findall(r"^\d+\. ", cells[i].source, re.M)
            text = "\n".join(answers)
            assert all(f"part {k}" in text or f"({k})" in text
                       for k in range(1, len(parts) + 1))
