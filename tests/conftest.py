"""Shared fixtures: execute a notebook with papermill; build small notebooks for report tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Tests run on the bundled knowledge base: a user's kb.local/ overlay is not read (tests that
# exercise overlays set SANCTIONLENS_KB themselves).
os.environ.setdefault("SANCTIONLENS_KB", "")
# ... and computes its tables: a store left by `make report` in seeds/ is not read (tests of the
# store attach theirs explicitly).
os.environ.setdefault("SANCTIONLENS_STORE", "off")

KERNEL = "sanctionlens"
CELL_TIMEOUT = 300  # seconds per cell


@pytest.fixture
def run_notebook(tmp_path: Path) -> Callable[..., Any]:
    """``run_notebook(path, **params) -> executed notebook`` (kernel sanctionlens, cell timeout).

    Raises papermill's PapermillExecutionError when a cell fails, so a test fails loudly.
    """
    import nbformat
    import papermill as pm

    def run(path: str | Path, timeout: int = CELL_TIMEOUT, **params: Any) -> Any:
        path = Path(path)
        out = tmp_path / f"executed-{path.name}"
        pm.execute_notebook(str(path), str(out), parameters=params, kernel_name=KERNEL,
                            progress_bar=False, log_output=False, execution_timeout=timeout,
                            cwd=str(path.parent))
        return nbformat.read(out, as_version=4)

    return run


def make_notebook(path: Path, cells: list[tuple[str, str, list[str]]]) -> Path:
    """Write a notebook from (cell_type, source, tags) triples; returns the path."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python (sanctionlens)",
                                 "language": "python"}
    for i, (kind, source, tags) in enumerate(cells):
        new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = new(source, metadata={"tags": tags} if tags else {})
        cell["id"] = f"c{i}"
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path
