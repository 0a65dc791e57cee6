"""Where a store keeps things, on a local disk or any fsspec filesystem.

``DIR/manifest.json`` names every current part; ``DIR/<table>/part-<bucket>-<key>.parquet``
holds the rows of one bucket of corpus files (a file's bucket is fixed by a hash of its
relative path). A part's name carries a hash of what went into it, so a rebuild writes new
names beside the old ones, the manifest switches to them in one write, and the old parts are
deleted after: a reader or an interrupted build never sees a half-written state.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ..errors import ParameterError

MANIFEST = "manifest.json"
FORMAT = 1
STORE_DIRNAME = ".sanctionlens-store"


def filesystem(root: str) -> tuple[pafs.FileSystem, str]:
    """A pyarrow filesystem and the path inside it: local paths as they are; ``s3://``,
    ``gs://``, ``memory://`` ... through fsspec (installed with the ``[scale]`` extra)."""
    if "://" not in root or root.startswith("file://"):
        local = root.removeprefix("file://")
        return pafs.LocalFileSystem(), posixpath.abspath(local)
    try:
        import fsspec
    except ImportError as exc:
        raise ParameterError(f"store {root!r}: a URL store needs fsspec; install the "
                             "'scale' extra (pip install 'sanctionlens[scale]') or give a "
                             "local folder") from exc
    fs, path = fsspec.core.url_to_fs(root)
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


def bucket_of(rel: str, parts: int) -> int:
    """The bucket of a corpus file: fixed by its relative path, whatever else changes."""
    return int(hashlib.sha256(rel.encode("utf-8")).hexdigest()[:8], 16) % parts


def part_name(table: str, bucket: int, key: str) -> str:
    return f"{table}/part-{bucket:03d}-{key[:16]}.parquet"


def read_manifest(fs: pafs.FileSystem, root: str) -> dict[str, Any] | None:
    path = posixpath.join(root, MANIFEST)
    if fs.get_file_info(path).type != pafs.FileType.File:
        return None
    with fs.open_input_stream(path) as f:
        data = json.loads(f.read().decode("utf-8"))
    if data.get("format") != FORMAT:
        return None  # an older layout: rebuilt from scratch
    return data


def write_manifest(fs: pafs.FileSystem, root: str, manifest: dict[str, Any]) -> None:
    """Write the manifest in one step (a temporary file moved over the old one)."""
    fs.create_dir(root, recursive=True)
    blob = (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    tmp = posixpath.join(root, MANIFEST + ".tmp")
    with fs.open_output_stream(tmp) as f:
        f.write(blob)
    fs.move(tmp, posixpath.join(root, MANIFEST))


def write_part(fs: pafs.FileSystem, root: str, name: str, table: pa.Table) -> None:
    """One Parquet file, written the same way on every engine (same rows, same bytes)."""
    path = posixpath.join(root, name)
    fs.create_dir(posixpath.dirname(path), recursive=True)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", use_dictionary=True, write_statistics=True)
    with fs.open_output_stream(path) as f:
        f.write(buf.getvalue())


def read_part(fs: pafs.FileSystem, root: str, name: str,
              columns: list[str] | None = None) -> pa.Table:
    with fs.open_input_file(posixpath.join(root, name)) as f:
        return pq.read_table(f, columns=columns)


def remove_unlisted(fs: pafs.FileSystem, root: str, keep: set[str], tables: set[str]) -> int:
    """Delete part files the manifest no longer names (old generations, dropped tables)."""
    removed = 0
    for info in fs.get_file_info(pafs.FileSelector(root, allow_not_found=True, recursive=True)):
        if info.type != pafs.FileType.File or not info.path.endswith(".parquet"):
            continue
        rel = posixpath.relpath(info.path, root)
        if rel not in keep and rel.split("/", 1)[0] in tables:
            fs.delete_file(info.path)
            removed += 1
    return removed
