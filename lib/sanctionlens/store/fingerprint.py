"""What stored tables depend on besides the articles: the knowledge base in force, the code
of the stages, the project version. A change to any of them makes the whole store stale."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import inspect
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from .. import paths

_PACKAGE = "sanctionlens"
# Per-document extraction lives here; any edit to them may change a stored row.
_ALWAYS = ("ingest", "extract", "kb", "store")


def version() -> str:
    """The installed sanctionlens version ("unknown" when not installed)."""
    try:
        return importlib.metadata.version(_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _digest(files: Iterable[Path], root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(set(files)):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(f.read_bytes() + b"\0")
    return h.hexdigest()


def kb_hash() -> str:
    """SHA-256 of the bundled KB's YAML files and of the overlays in force (the files of
    ``$SANCTIONLENS_KB`` or ``kb.local/``): a KB change invalidates every stored tag."""
    from ..kb.overlay import overlay_dirs, overlay_files

    h = hashlib.sha256(_digest(paths.KB_DIR.glob("*.yaml"), paths.KB_DIR).encode())
    for d in overlay_dirs():
        files = overlay_files(d)
        h.update(_digest(files, d).encode() if files else b"-")
    return h.hexdigest()


def _modules_of(obj: object, seen: set[str]) -> None:
    """The sanctionlens modules `obj`'s module uses (through its globals), transitively."""
    name = obj.__name__ if isinstance(obj, ModuleType) else getattr(obj, "__module__", "")
    if not name.startswith(_PACKAGE + ".") or name in seen:
        return
    seen.add(name)
    module = sys.modules.get(name)
    for value in vars(module).values() if module else ():
        if isinstance(value, ModuleType) or callable(value):
            _modules_of(value, seen)


def code_hash(functions: Iterable[object]) -> str:
    """SHA-256 of the source of ingest/, extract/, kb/, store/ and of every module the stage
    `functions` reach: editing a rule re-extracts, nothing stale is served.

    Computed once per process: the code that runs is the code imported, whatever happens
    to the files afterwards."""
    return _code_hash(tuple(functions))


@functools.lru_cache(maxsize=64)
def _code_hash(functions: tuple[object, ...]) -> str:
    pkg = paths.PACKAGE_DIR
    files = [f for sub in _ALWAYS for f in (pkg / sub).rglob("*.py")]
    seen: set[str] = set()
    for fn in functions:
        _modules_of(fn, seen)
    for name in seen:
        src = inspect.getsourcefile(sys.modules[name]) if name in sys.modules else None
        if src:
            files.append(Path(src).resolve())
    return _digest((f for f in files if f.is_relative_to(pkg)), pkg)
