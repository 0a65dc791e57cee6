"""Notebook → HTML with nbconvert's Python API: one exporter per process, offline, deterministic."""

from __future__ import annotations

import copy
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PLOTLY_JS = "plotly.min.js"
STYLESHEET = "sanctionlens.css"


def plotly_js_source() -> Path:
    """plotly.min.js of the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / PLOTLY_JS


def copy_plotly_js(out_dir: Path) -> Path:
    """Copy the shared plotly.min.js and write the shared stylesheet beside the pages (each
    only when it differs)."""
    src, dst = plotly_js_source(), out_dir / PLOTLY_JS
    if not dst.is_file() or dst.stat().st_size != src.stat().st_size:
        shutil.copyfile(src, dst)
    write_stylesheet(out_dir)
    return dst


def stylesheet() -> str:
    """nbconvert's JupyterLab stylesheet (index + light theme) and the project's additions."""
    import nbconvert  # noqa: F401  (its data files sit under the environment's share/jupyter)
    from jupyter_core.paths import jupyter_path

    for root in jupyter_path("nbconvert", "templates", "lab", "static"):
        index = Path(root) / "index.css"
        if index.is_file():
            parts = [index, Path(root) / "theme-light.css", TEMPLATES_DIR / STYLESHEET]
            return "\n".join(p.read_text(encoding="utf-8") for p in parts)
    raise FileNotFoundError("nbconvert's lab template (static/index.css) is not installed; "
                            "reinstall nbconvert")


def write_stylesheet(out_dir: Path) -> Path:
    """The one stylesheet every page links to, written beside the pages."""
    dst = out_dir / STYLESHEET
    css = stylesheet()
    if not dst.is_file() or dst.read_text(encoding="utf-8") != css:
        dst.write_text(css, encoding="utf-8")
    return dst


@lru_cache(maxsize=1)
def exporter() -> Any:
    """The process's HTMLExporter (lab look, our template); creating one costs ~0.3 s."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True
    config.HTMLExporter.template_name = "lab"
    config.HTMLExporter.extra_template_paths = [str(TEMPLATES_DIR)]
    config.HTMLExporter.template_file = "sanctionlens.html.j2"
    return HTMLExporter(config=config)


def to_html(nb: Any, *, title: str, include_input: bool, plotly_src: str, nav_html: str) -> str:
    """Render an executed notebook to a standalone HTML page (no network needed to view).

    Without input (reader edition) code cells are hidden, except a cell that raised, so a
    failed page shows the failing cell and its error.
    """
    nb = copy.deepcopy(nb)
    if not include_input:
        for cell in nb.cells:
            failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            if cell.cell_type == "code" and not failed:
                cell.metadata.setdefault("transient", {})["remove_source"] = True
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)  # widget state would load the widget manager from a CDN
    css_href = plotly_src[: -len(PLOTLY_JS)] + STYLESHEET  # beside plotly.min.js
    resources = {"sanctionlens": {"plotly_src": plotly_src, "nav_html": nav_html,
                                  "css_href": css_href},
                 "metadata": {"name": title}}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return with_contents(body)


_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.S)
_TAG = re.compile(r"<[^>]+>")
CONTENTS_MARK = "<!--sl-contents-->"


def with_contents(page: str) -> str:
    """The page with an id on each section heading (h2) and, where the template marks it, a
    contents list linking to them (none for a page with fewer than two sections)."""
    items: list[str] = []

    def number(m: re.Match[str]) -> str:
        text = " ".join(_TAG.sub("", m.group("inner")).split())
        if not text or "id=" in m.group("attrs"):
            return m.group(0)
        items.append(f'<li><a href="#sec-{len(items) + 1}">{text}</a></li>')
        return f'<h2{m.group("attrs")} id="sec-{len(items)}">{m.group("inner")}</h2>'

    start = page.find(CONTENTS_MARK)
    head, rest = (page[:start], page[start:]) if start >= 0 else (page, "")
    rest = _H2.sub(number, rest)
    toc = ('<nav class="sl-toc" aria-label="contents"><span>Contents:</span><ol>'
           + "".join(items) + "</ol></nav>") if len(items) >= 2 else ""
    return head + rest.replace(CONTENTS_MARK, toc, 1)
