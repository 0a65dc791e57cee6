"""The output folder of a build: one build at a time, files renamed into place when complete.

A build holds ``<out>/.lock`` (``fcntl.flock``) from start to end, so a second build into the
same folder stops at once, naming the first one's pid. Reports execute into ``<out>/.staging/``;
only when the build ends (finished, or stopped by Ctrl-C) are the finished reports' files
renamed into place, the pages of earlier builds that this one did not make removed, and the
index written last. A build killed while notebooks run leaves the previous build untouched
(the next build clears the staging folder). ``<out>/.manifest.json`` lists what the last
build wrote, so only a build's own files are ever removed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import SanctionlensError

LOCK_FILE = ".lock"
STAGING_DIR = ".staging"
MANIFEST = ".manifest.json"
INDEX = "index.html"
INDEX_TITLE = "<title>sanctionlens reports</title>"
# what builds made before the manifest existed (only used when index.html is ours)
_LEGACY_PATTERNS = ("*.html", "analyst/*.html", "teacher/*", "student/*", "notebooks/*.ipynb",
                    "logs/*.log")
_OUTPUT_SUBDIRS = ("analyst", "teacher", "student", "notebooks", "logs")


def prepare(out_dir: Path) -> Path:
    """Create the output folder (and its parents); refuse a path that is a file."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SanctionlensError(f"--out {out_dir} is a file; give a folder for the reports "
                                "(it is created when missing)")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``<out>/.lock`` for the duration; a build already holding it is named by pid."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, builds must not overlap
        yield
        return
    fh = open(out_dir / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 (held until exit)
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "unknown"
        fh.close()
        raise SanctionlensError(
            f"another sanctionlens build (pid {holder}) is writing into {out_dir}; wait for it "
            "to finish, or build into another folder with --out") from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        fh.truncate(0)
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def temp_path(path: Path) -> Path:
    """A hidden sibling of ``path`` for writing it before the rename."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``path`` through a temporary sibling and a rename: never half written."""
    tmp = temp_path(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_notebook(nb: object, path: Path) -> Path:
    """``nbformat.write`` through a temporary sibling and a rename."""
    import nbformat

    tmp = temp_path(path)
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def fresh_staging(out_dir: Path) -> Path:
    """An empty ``<out>/.staging`` (what a killed build left there is removed)."""
    staging = out_dir / STAGING_DIR
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def previous_outputs(out_dir: Path) -> set[str]:
    """Files (relative paths) that earlier builds wrote into ``out_dir``."""
    manifest = out_dir / MANIFEST
    if manifest.is_file():
        try:
            return set(json.loads(manifest.read_text(encoding="utf-8"))["files"])
        except (ValueError, KeyError, TypeError):
            pass  # a damaged manifest: fall back to the patterns below
    index = out_dir / INDEX
    if not index.is_file() or INDEX_TITLE not in index.read_text("utf-8", errors="replace"):
        return set()  # not a folder of ours: remove nothing
    return {p.relative_to(out_dir).as_posix() for pattern in _LEGACY_PATTERNS
            for p in out_dir.glob(pattern) if p.is_file()}


def publish(out_dir: Path, staging: Path, produced: Iterable[str],
            shared: Iterable[str] = ()) -> list[str]:
    """Rename this build's files into place and remove the earlier builds' files it did not make.

    ``produced`` are paths relative to the staging folder; ``shared`` are files written
    directly into ``out_dir`` (plotly.min.js, the index). The old index is removed first, so
    a crash in between leaves no index that describes other pages. Returns the removed paths.
    """
    produced = sorted(set(produced))
    keep = set(produced) | set(shared) | {INDEX}
    old = previous_outputs(out_dir)
    (out_dir / INDEX).unlink(missing_ok=True)
    for rel in produced:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    stale = sorted(old - keep)
    for rel in stale:
        (out_dir / rel).unlink(missing_ok=True)
    for sub in _OUTPUT_SUBDIRS:  # an edition folder this build no longer fills
        folder = out_dir / sub
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    atomic_write_text(out_dir / MANIFEST, json.dumps({"files": sorted(keep)}, indent=1) + "\n")
    return stale


def remove_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


__all__ = [
    "LOCK_FILE", "MANIFEST", "STAGING_DIR", "atomic_write_notebook", "atomic_write_text",
    "build_lock", "fresh_staging", "prepare", "previous_outputs", "publish", "remove_staging",
]
