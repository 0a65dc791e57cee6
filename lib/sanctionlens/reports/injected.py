"""Check, inside a running notebook, the parameters papermill injected.

`sanctionlens report` validates a plan before anything runs, but a notebook run directly
(``papermill notebooks/02_company_profile.ipynb out.ipynb -p compnay Hikvision``) would
silently use the defaults: papermill injects ``compnay = "Hikvision"`` in a cell after the
``parameters`` cell and nothing reads it. Each notebook's setup cell therefore calls
``check_parameters(globals())``: it finds papermill's injected cell (it starts with
``# Parameters``) and the cell executed just before it (the ``parameters`` cell) in the
kernel's input history, and rejects names the notebook does not declare, with "did you mean",
and values of the wrong type. In JupyterLab, with nothing injected, it does nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ParameterError
from .plan import parse_parameters, validate_parameters

INJECTED_MARK = "# Parameters"  # the first line of papermill's injected cell
WHERE = "parameters given to papermill (-p/-y/-f)"


def injected_cells(history: Sequence[str]) -> tuple[str, str] | None:
    """(source of the cell run before the injection, injected source) or None.

    ``history`` is IPython's input history (``In``); the latest injection counts.
    """
    for i in range(len(history) - 1, -1, -1):
        cell = history[i]
        if isinstance(cell, str) and cell.lstrip().startswith(INJECTED_MARK):
            before = history[i - 1] if i > 0 and isinstance(history[i - 1], str) else ""
            return before, cell
    return None


def assigned_names(source: str) -> list[str]:
    """Names a cell of plain assignments binds, in order."""
    names = []
    for node in ast.parse(source).body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def check_parameters(namespace: Mapping[str, Any]) -> None:
    """Raise ParameterError when papermill injected an undeclared name or a wrong type.

    ``namespace`` is the notebook's ``globals()``; its ``In`` is the input history.
    """
    found = injected_cells(namespace.get("In") or namespace.get("_ih") or [])
    if found is None:
        return  # not run by papermill, or nothing injected
    declared_source, injected_source = found
    declared = parse_parameters(declared_source, "the parameters cell")
    given = {name: namespace.get(name) for name in assigned_names(injected_source)}
    problems = validate_parameters(WHERE, declared, given)
    if problems:
        if not declared:
            problems.append("this notebook has no cell tagged 'parameters' before them")
        raise ParameterError("; ".join(problems))


__all__ = ["assigned_names", "check_parameters", "injected_cells"]
