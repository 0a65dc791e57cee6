"""Project paths, so notebooks run the same from JupyterLab, papermill and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
KB_DIR = PACKAGE_DIR / "kb"


def _find_root() -> Path:
    env = os.environ.get("SANCTIONLENS_ROOT")
    if env:
        return Path(env).resolve()
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "seeds").is_dir():
            return parent
    return Path.cwd()


PROJECT_ROOT = _find_root()
SEEDS_DIR = PROJECT_ROOT / "seeds"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
PRICES_DIR = PROJECT_ROOT / "data" / "prices"


def resolve(path: str | os.PathLike[str] | None, default: Path) -> Path:
    """Resolve a user path; relative paths are taken from the project root if not found as given."""
    if path is None or str(path) == "":
        return default
    p = Path(path).expanduser()
    if not p.is_absolute() and not p.exists() and (PROJECT_ROOT / p).exists():
        return PROJECT_ROOT / p
    return p
