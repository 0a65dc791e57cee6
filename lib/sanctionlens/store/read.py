"""Reading a store: whole tables, or the rows of a loaded corpus checked against it.

A corpus has a store when it was given one (``sl.load_corpus(path, store=DIR)`` sets
``corpus.store``), when ``$SANCTIONLENS_STORE`` names one, or when its folder holds
``.sanctionlens-store/``. A store is used only when it is fresh for that corpus: same
knowledge base, same extraction code and version, and every document's fingerprint equal to
the stored one. Otherwise the caller recomputes, after a ``StaleStoreWarning`` saying why.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ParameterError
from .fingerprint import code_hash, kb_hash, version
from .layout import STORE_DIRNAME, filesystem, read_manifest, read_part
from .rows import FILE_COLUMN, INFER, merge_dtypes, table_columns, to_frame
from .stages import DEFAULT_STAGES, Stage
from .stages import fingerprint as doc_fingerprint

ENV_VAR = "SANCTIONLENS_STORE"
_OFF = ("", "0", "off", "none", "no")


class StaleStoreWarning(UserWarning):
    """A store exists but does not match the corpus, KB or code; it was not used."""


class Store:
    """An opened store: its manifest, and its tables as DataFrames."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.fs, self.root = filesystem(self.path)
        manifest = read_manifest(self.fs, self.root)
        if manifest is None:
            raise ParameterError(f"{self.path}: no store here (no manifest.json); build one "
                                 f"with `sanctionlens extract CORPUS --store {self.path}`")
        self.manifest = manifest

    @property
    def tables(self) -> list[str]:
        return list(self.manifest["tables"])

    def _parts(self, name: str) -> list[str]:
        if name not in self.manifest["tables"]:
            raise ParameterError(f"{self.path}: no table {name!r}; the store has "
                                 f"{', '.join(self.tables)}")
        buckets = self.manifest["buckets"]
        return [buckets[b]["parts"][name] for b in sorted(buckets) if name in buckets[b]["parts"]]

    def columns(self, name: str, only: list[str] | None = None
                ) -> tuple[list[str], dict[str, list], dict[str, str]]:
        """Column names, Python values and pandas dtypes of one table (or of its columns
        `only`), all parts together."""
        cols: list[str] = []
        data: dict[str, list] = {}
        found: list[dict[str, str]] = []
        n = 0
        for part in self._parts(name):
            table = read_part(self.fs, self.root, part, only)
            pcols, pdata = table_columns(table)
            meta = table.schema.metadata or {}
            if table.num_rows:
                found.append(json.loads(meta.get(b"sanctionlens.dtypes", b"{}")))
            for c in pcols:
                if c not in data:
                    cols.append(c)
                    data[c] = [None] * n
            for c in cols:
                data[c] += pdata.get(c, [None] * table.num_rows)
            n += table.num_rows
        return cols, data, merge_dtypes(found)

    def table(self, name: str) -> pd.DataFrame:
        """A whole stored table, rows in store order (by file, then text order), with the
        ``_file`` column naming the corpus file each row came from."""
        cols, data, dtypes = self.columns(name)
        return to_frame(cols, data, {FILE_COLUMN: "object", **dtypes})


def store_for(corpus: Any) -> Store | None:
    """The store attached to `corpus` (see the module doc), or None. ``corpus.store = False``
    or ``SANCTIONLENS_STORE=off`` turn every store off."""
    given = getattr(corpus, "store", None)
    env = os.environ.get(ENV_VAR)
    if given is None and env is not None:
        given = False if env.strip().lower() in _OFF else env
    if given is None:
        folder = getattr(corpus, "path", None)
        if isinstance(folder, Path):
            folder = folder if folder.is_dir() else folder.parent
            if (folder / STORE_DIRNAME / "manifest.json").is_file():
                given = folder / STORE_DIRNAME
    if given is None or given is False:
        return None
    try:
        return Store(given)
    except ParameterError as exc:
        warnings.warn(f"{exc}; computing instead", StaleStoreWarning, stacklevel=3)
        return None


_FINGERPRINTS: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}


def _stored_fingerprints(store: Store) -> dict[str, str]:
    """doc_id -> stored fingerprint, read once per process for the same documents parts
    (a part's name carries a hash of its content, so new parts are read again)."""
    key = (store.path, tuple(store._parts("documents")))
    if key not in _FINGERPRINTS:
        _, data, _ = store.columns("documents", ["doc_id", "fingerprint"])
        _FINGERPRINTS.clear()  # one store at a time is the common case; keep memory small
        _FINGERPRINTS[key] = dict(zip(data.get("doc_id", []), data.get("fingerprint", []),
                                      strict=True))
    return _FINGERPRINTS[key]


def _stale_reason(store: Store, docs: list[Any], stage: Stage) -> str:
    """Why `store` cannot serve `stage`'s rows for `docs` ("" when it can)."""
    have = store.manifest["fingerprint"]
    if have.get("kb") != kb_hash():
        return "the knowledge base changed since it was built"
    if have.get("version") != version():
        return "the sanctionlens version changed since it was built"
    code = have.get("code", {})
    for s in (DEFAULT_STAGES[0], stage):
        if code.get(s.name) != code_hash([s.run]):
            return f"the code of its {s.name!r} stage changed since it was built"
    stored = _stored_fingerprints(store)
    for d in docs:
        if d.id not in stored:
            return f"document {d.id!r} is not in it"
        if stored[d.id] != doc_fingerprint(d):
            return f"document {d.id!r} differs from the stored one"
    return ""


def fresh_store(corpus: Any, stage: Stage) -> Store | None:
    """The corpus's store if it holds `stage`'s table and is fresh for the corpus; else None
    (with a StaleStoreWarning when a store exists but cannot be used)."""
    store = store_for(corpus)
    if store is None:
        return None
    reason = (f"it has no table {stage.name!r}" if stage.name not in store.manifest["tables"]
              else _stale_reason(store, list(corpus), stage))
    if reason:
        warnings.warn(f"store {store.path} not used ({reason}); computing instead. Refresh "
                      f"it: sanctionlens extract {getattr(corpus, 'path', 'CORPUS')} --store "
                      f"{store.path}", StaleStoreWarning, stacklevel=3)
        return None
    return store


def corpus_columns(store: Store, table: str, docs: list[Any]
                   ) -> tuple[list[str], dict[str, list], dict[str, str]]:
    """The stored columns of `table` for `docs` (internal columns left out), rows in the
    documents' order, then text order."""
    cols, data, dtypes = store.columns(table)
    order = {d.id: i for i, d in enumerate(docs)}
    ids = data.get("doc_id", [])
    idx = sorted((i for i in range(len(ids)) if ids[i] in order), key=lambda i: order[ids[i]])
    public = [c for c in cols if not c.startswith("_")]
    return public, {c: [data[c][i] for i in idx] for c in public}, dtypes


def corpus_rows(store: Store, table: str, docs: list[Any]) -> pd.DataFrame:
    """The stored rows of `table` for `docs` as the public function gives them: the
    documents' order, then the stage's sort columns (stable), the stage's dtypes."""
    public, picked, dtypes = corpus_columns(store, table, docs)
    frame = to_frame(public, picked, {c: dtypes.get(c, INFER) for c in public})
    sort = store.manifest["tables"][table].get("sort") or []
    if sort and len(frame):
        frame = frame.sort_values(sort, kind="stable").reset_index(drop=True)
    return frame
