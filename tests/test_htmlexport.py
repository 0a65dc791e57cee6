"""Report pages link one shared stylesheet instead of inlining ~260 KB of CSS each."""

from __future__ import annotations

from pathlib import Path

import nbformat
from sanctionlens.reports.htmlexport import STYLESHEET, to_html, write_stylesheet


def _page(plotly_src: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nSome text.")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return to_html(nb, title="t", include_input=False, plotly_src=plotly_src, nav_html="")


def test_pages_link_the_shared_stylesheet_beside_plotly() -> None:
    top, nested = _page("plotly.min.js"), _page("../plotly.min.js")
    assert f'href="{STYLESHEET}"' in top and f'href="../{STYLESHEET}"' in nested
    assert "--jp-ui-font-family" not in top  # the lab theme variables are not inlined
    assert len(top.encode()) < 60_000


def test_stylesheet_holds_the_lab_theme_and_our_rules(tmp_path: Path) -> None:
    css = write_stylesheet(tmp_path).read_text(encoding="utf-8")
    assert "--jp-ui-font-family" in css and ".sl-nav" in css and ".jp-Collapser" in css
    before = (tmp_path / STYLESHEET).stat().st_mtime_ns
    write_stylesheet(tmp_path)  # unchanged content is not rewritten
    assert (tmp_path / STYLESHEET).stat().st_mtime_ns == before
