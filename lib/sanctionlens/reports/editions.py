"""Report editions: reader (no code), analyst (code), teacher (solutions), student (hand-out)."""

from __future__ import annotations

import copy
import re
from typing import Any

EDITIONS = ("reader", "analyst", "teacher", "student")
DEFAULT_EDITIONS = ("reader", "analyst")
# sub-folder of the output directory; the reader edition sits beside index.html
EDITION_DIRS = {"reader": "", "analyst": "analyst", "teacher": "teacher", "student": "student"}
EDITION_LABELS = {"reader": "read", "analyst": "with code", "teacher": "teacher",
                  "student": "student"}
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}")


def tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def normalise(nb: Any, input_name: str) -> Any:
    """Strip what differs between two runs of the same inputs (times, random ids, paths).

    Keeps ``metadata.papermill.parameters`` (and the defaults) so the notebook records them.
    """
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {
        k: pm[k] for k in ("parameters", "default_parameters", "exception", "version") if k in pm
    }
    nb.metadata["papermill"]["input_path"] = input_name
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        cpm = cell.metadata.pop("papermill", None)
        if cpm and cpm.get("exception"):
            cell.metadata["papermill"] = {"exception": True, "status": cpm.get("status")}
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = _ADDRESS.sub(" at 0x…", out["text"])
            data = out.get("data", {})
            if isinstance(data.get("text/plain"), str):
                data["text/plain"] = _ADDRESS.sub(" at 0x…", data["text/plain"])
    return nb


def without_tag(nb: Any, tag: str) -> Any:
    """A copy without the cells carrying ``tag``."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if tag not in tags(c)]
    return nb


def clear_outputs(nb: Any) -> Any:
    """Outputs and execution counts cleared (a hand-out to run in class)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def student_notebook(nb: Any) -> Any:
    """Hand-out: `solution` cells removed, outputs cleared, papermill status dropped."""
    nb = clear_outputs(without_tag(nb, "solution"))
    nb.metadata.get("papermill", {}).pop("exception", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
    # papermill's error banner makes no sense in a cleared hand-out
    nb.cells = [c for c in nb.cells if "papermill-error-cell-tag" not in tags(c)]
    return nb


# Cells a newsroom reader does not need: the notebook's own title cell (the page is headed by
# what the notebook displays, e.g. the company's name), the classroom material, and notes for
# whoever runs the notebook ("notebook-only": setup, long method notes the page folds away).
READER_DROPS = ("page-title", "exercise", "solution", "discussion", "notebook-only")


def html_view(nb: Any, edition: str) -> Any:
    """The notebook an edition renders: navigation cells out (the page has its own nav bar);
    the reader page without the classroom cells, the student page without solutions."""
    nb = without_tag(nb, "navigation")
    if edition == "reader":
        for tag in READER_DROPS:
            nb = without_tag(nb, tag)
    if edition == "student":
        nb = without_tag(nb, "solution")
    return nb


# --------------------------------------------------------------------------- several builds
def edition_of(rel: str) -> str | None:
    """The edition a file of the output folder belongs to ("x.html" → reader,
    "student/x.ipynb" → student), or None for shared files (index, logs, notebooks/, …)."""
    parts = rel.split("/")
    if len(parts) == 1:
        return "reader" if rel.endswith(".html") and rel != "index.html" else None
    sub = {d: e for e, d in EDITION_DIRS.items() if d}
    return sub.get(parts[0]) if len(parts) == 2 else None


def other_editions_files(out_dir: Any, editions: Any) -> list[str]:
    """Files on disk of editions this build does not make: kept, so building the student
    edition into reports/ leaves the reader pages (and the links to them) in place."""
    from pathlib import Path

    out = Path(out_dir)
    if not out.is_dir():
        return []
    found = []
    for path in out.rglob("*"):
        rel = path.relative_to(out).as_posix()
        e = edition_of(rel)
        if path.is_file() and e is not None and e not in editions:
            found.append(rel)
    return sorted(found)


def merge_existing(out_dir: Any, results: Any, editions: Any) -> tuple[str, ...]:
    """Add to each result the pages and notebooks of other editions found on disk; return
    every edition the index should offer (built now or earlier), in the usual order."""
    from pathlib import Path

    out = Path(out_dir)
    for res in results:
        for e in EDITIONS:
            page = f"{EDITION_DIRS[e]}/{res.name}.html" if EDITION_DIRS[e] else f"{res.name}.html"
            if e not in res.pages and (out / page).is_file():
                res.pages[e] = page
            book = f"{EDITION_DIRS[e]}/{res.name}.ipynb"
            if e in ("teacher", "student") and e not in res.notebooks and (out / book).is_file():
                res.notebooks[e] = book
    return tuple(e for e in EDITIONS if e in editions or any(e in r.pages for r in results))


def handout_navigation(nb: Any, prev: tuple[str, str] | None,
                       nxt: tuple[str, str] | None) -> Any:
    """Navigation cells of a teacher/student notebook pointing to the notebooks beside it
    (``prev``/``nxt``: (report name, title)) and to the index one folder up."""
    parts = [f"[← {p[1]}]({p[0]}.ipynb)" for p in [prev] if p]
    parts.append("[Index of reports](../index.html)")
    parts += [f"[{n[1]} →]({n[0]}.ipynb)" for n in [nxt] if n]
    for cell in nb.cells:
        if "navigation" in tags(cell):
            cell.source = " | ".join(parts)
    return nb
