"""The house's one rule: imports only point down the pipeline.

reports → plots → analysis → store → extract → ingest → kb. The root modules errors, paths and
pools are shared by every stage; cli and the package's __init__/__main__ sit above all of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sanctionlens

PACKAGE = Path(sanctionlens.__file__).resolve().parent
STAGES = ["kb", "ingest", "extract", "store", "analysis", "plots", "reports"]
SHARED = {"errors", "paths", "pools"}
TOP = {"cli", "__init__", "__main__"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every sanctionlens import in `source`, lazy ones too."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.split(".")[0] == "sanctionlens"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "sanctionlens":
                continue
            if not node.module or mod == "sanctionlens":  # from . import x: x may be a module
                found += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, mod))
    return found


def _file_imports(path: Path) -> list[tuple[int, str]]:
    return _imports(path.read_text(encoding="utf-8"), _module_name(path),
                    path.name == "__init__.py")


def _stage(module: str) -> str | None:
    """The stage a module belongs to, "shared", "top", or None for the package itself."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    if parts[1] in STAGES:
        return parts[1]
    if parts[1] in SHARED:
        return "shared"
    return "top" if parts[1] in TOP else parts[1]


def _rank(stage: str | None) -> int:
    if stage == "shared":
        return -1
    if stage in STAGES:
        return STAGES.index(stage)
    return len(STAGES)  # top: cli and the package root may import anything


def test_every_module_belongs_to_a_stage() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py")
             if p.stem not in SHARED | TOP]
    assert loose == [], f"modules outside a stage subpackage: {loose}"


def test_imports_point_down_the_pipeline() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _stage(_module_name(path))
        if here in ("top", None):
            continue
        for line, target in _file_imports(path):
            there = _stage(target)
            if there is None:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports the package root "
                             f"({target}); import the stage module instead")
            elif _rank(there) > _rank(here):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({here}) imports {target} "
                             f"({there}), a later stage")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(("source", "stage", "ok"), [
    ("from ..analysis.chronology import chronology", "extract", False),
    ("from ..kb import get_kb", "extract", True),
    ("from ..errors import ParameterError", "kb", True),
    ("from ..ingest.load import Corpus", "kb", False),
    ("import sanctionlens.reports.build", "plots", False),
    ("    from .. import paths", "analysis", True),
    ("from ..store import build_store", "extract", False),
    ("from ..extract.tagging import tag", "store", True),
    ("from ..analysis.chronology import detect_mentions", "store", False),
])
def test_the_check_catches_an_upward_import(source: str, stage: str, ok: bool) -> None:
    found = _imports(source.strip(), f"sanctionlens.{stage}.probe")
    assert found, source
    assert all((_rank(_stage(t)) <= _rank(stage)) == ok for _, t in found)
