"""Insert or refresh navigation cells (previous | index | next) in the plan's notebooks.

Re-runnable: a second run changes nothing. Usage: ``python -m sanctionlens.reports.navigation
[--plan reports.toml]``; the function for the CLI is :func:`refresh_navigation`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

from ..errors import SanctionlensError
from .plan import PLAN_FILE, notebook_title, read_notebook

TAG = "navigation"


def plan_notebooks(plan_path: Path) -> list[Path]:
    """Distinct notebooks of the plan, in plan order."""
    if not plan_path.is_file():
        raise SanctionlensError(f"report plan {plan_path} does not exist")
    data = tomllib.loads(plan_path.read_text(encoding="utf-8"))
    seen: list[Path] = []
    for i, entry in enumerate(data.get("report", []), start=1):
        if "notebook" not in entry:
            raise SanctionlensError(f"{plan_path.name} [[report]] #{i}: missing key 'notebook'")
        path = (plan_path.parent / entry["notebook"]).resolve()
        if path not in seen:
            seen.append(path)
    return seen


def navigation_source(
    here: Path, prev: tuple[Path, str] | None, nxt: tuple[Path, str] | None, index: Path
) -> str:
    """The markdown of a navigation cell (links relative to ``here``'s folder)."""
    def rel(p: Path) -> str:
        return Path(os.path.relpath(p, here.parent)).as_posix()

    parts = []
    if prev:
        parts.append(f"[← {prev[1]}]({rel(prev[0])})")
    parts.append(f"[Index of reports]({rel(index)})")
    if nxt:
        parts.append(f"[{nxt[1]} →]({rel(nxt[0])})")
    return " | ".join(parts)


def refresh_navigation(plan: Path | str | None = None, index: Path | str | None = None,
                       check: bool = False) -> list[Path]:
    """Write a `navigation` cell at the top and bottom of every plan notebook.

    Returns the notebooks that changed (with ``check``, that would change; nothing written).
    """
    import nbformat

    from ..paths import REPORTS_DIR

    plan_path = Path(plan) if plan else PLAN_FILE
    index_path = Path(index) if index else REPORTS_DIR / "index.html"
    paths = plan_notebooks(plan_path)
    books = [read_notebook(p) for p in paths]
    titles = [notebook_title(nb) or p.stem for p, nb in zip(paths, books, strict=True)]
    changed = []
    for i, (path, nb) in enumerate(zip(paths, books, strict=True)):
        prev = (paths[i - 1], titles[i - 1]) if i > 0 else None
        nxt = (paths[i + 1], titles[i + 1]) if i + 1 < len(paths) else None
        source = navigation_source(path, prev, nxt, index_path)
        body = [c for c in nb.cells if TAG not in c.get("metadata", {}).get("tags", [])]
        top = nbformat.v4.new_markdown_cell(source, metadata={"tags": [TAG]})
        bottom = nbformat.v4.new_markdown_cell(source, metadata={"tags": [TAG]})
        top["id"], bottom["id"] = "navigation-top", "navigation-bottom"
        new_cells = [top, *body, bottom]
        if new_cells != nb.cells:
            changed.append(path)
            if not check:
                nb.cells = new_cells
                nbformat.write(nb, path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sanctionlens.reports.navigation",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default=None, help="report plan (default: reports.toml)")
    parser.add_argument("--check", action="store_true",
                        help="only list notebooks whose navigation is out of date (exit 1)")
    args = parser.parse_args(argv)
    try:
        changed = refresh_navigation(args.plan, check=args.check)
    except SanctionlensError as exc:
        print(f"navigation: error: {exc}", file=sys.stderr)
        return 2
    for path in changed:
        print(("out of date: " if args.check else "updated: ") + str(path))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
