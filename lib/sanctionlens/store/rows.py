"""Rows to Arrow tables and back to the DataFrames the public functions return.

Columns holding dicts, lists or tuples (a tag's ``value``), or values of mixed types, are
stored as JSON text and flagged in the field's metadata; they come back as Python objects.
Each part records the pandas dtype its stage gave each column, so a reader rebuilds the
frame the public function would have built (object columns stay object, ints stay int64).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

JSON_FLAG = {b"sanctionlens": b"json"}
DTYPES_KEY = b"sanctionlens.dtypes"
COLUMNS_KEY = b"sanctionlens.columns"
FILE_COLUMN = "_file"
INFER = "infer"


def _as_columns(rows: pd.DataFrame | list[dict[str, Any]]) -> tuple[list[str], dict[str, list]]:
    if isinstance(rows, pd.DataFrame):
        cols = [str(c) for c in rows.columns]
        return cols, {c: rows[c].tolist() for c in cols}
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols]
    return cols, {c: [r.get(c) for r in rows] for c in cols}


def frame_dtypes(rows: pd.DataFrame | list[dict[str, Any]]) -> dict[str, str] | None:
    """The pandas dtype of each column of a stage's output (None for a list of dicts)."""
    if isinstance(rows, pd.DataFrame):
        return {str(c): str(t) for c, t in rows.dtypes.items()}
    return None


def _needs_json(values: list) -> bool:
    return any(isinstance(v, dict | list | tuple) for v in values)


def _dump(v: Any) -> str | None:
    if v is None:
        return None
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=str)


def _clean(values: list) -> list:
    """NaN and pandas' missing markers to None, so Arrow sees a null."""
    return [None if (v is None or v is pd.NA or (isinstance(v, float) and v != v)) else v
            for v in values]


def to_arrow(columns: list[str], data: dict[str, list], dtypes: dict[str, str]) -> pa.Table:
    """An Arrow table of `data`, JSON-encoding the columns Arrow cannot hold as they are."""
    arrays, fields = [], []
    for c in columns:
        values = _clean(data[c])
        flag = None
        if _needs_json(values):
            values, flag = [_dump(v) for v in values], JSON_FLAG
        try:
            arr = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            arr, flag = pa.array([_dump(v) for v in values], type=pa.string()), JSON_FLAG
        arrays.append(arr)
        fields.append(pa.field(c, arr.type, metadata=flag))
    meta = {DTYPES_KEY: json.dumps(dtypes, sort_keys=True).encode(),
            COLUMNS_KEY: json.dumps(columns).encode()}
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))


def merge_dtypes(found: Iterable[dict[str, str] | None]) -> dict[str, str]:
    """One dtype per column: the one every non-empty output agreed on, else ``infer``."""
    out: dict[str, str] = {}
    for dtypes in found:
        for c, t in (dtypes or {}).items():
            out[c] = t if out.get(c, t) == t else INFER
    return out


class Collected:
    """The rows of one table for one bucket, built file by file."""

    def __init__(self) -> None:
        self.columns: list[str] = [FILE_COLUMN]
        self.data: dict[str, list] = {FILE_COLUMN: []}
        self.dtypes_full: list[dict[str, str] | None] = []
        self.dtypes_empty: list[dict[str, str] | None] = []
        self.rows = 0

    def add(self, file: str, rows: pd.DataFrame | list[dict[str, Any]]) -> int:
        cols, data = _as_columns(rows)
        n = len(next(iter(data.values()), [])) if data else 0
        (self.dtypes_full if n else self.dtypes_empty).append(frame_dtypes(rows))
        for c in cols:
            if c not in self.data:
                self.columns.append(c)
                self.data[c] = [None] * self.rows
        for c in self.columns[1:]:
            self.data[c] += data.get(c, [None] * n)
        self.data[FILE_COLUMN] += [file] * n
        self.rows += n
        return n

    def add_table(self, table: pa.Table) -> None:
        """Rows kept from an earlier part (already in this bucket's column layout)."""
        cols, data = table_columns(table)
        meta = table.schema.metadata or {}
        self.dtypes_full.append(json.loads(meta.get(DTYPES_KEY, b"{}")))
        n = table.num_rows
        for c in cols:
            if c not in self.data:
                self.columns.append(c)
                self.data[c] = [None] * self.rows
        for c in self.columns:
            self.data[c] += data.get(c, [None] * n)
        self.rows += n

    def table(self) -> pa.Table:
        dtypes = merge_dtypes(self.dtypes_full) or merge_dtypes(self.dtypes_empty)
        return to_arrow(self.columns, self.data, dtypes)


def table_columns(table: pa.Table) -> tuple[list[str], dict[str, list]]:
    """Column names and Python values of a stored table, JSON columns decoded."""
    cols = json.loads((table.schema.metadata or {}).get(COLUMNS_KEY, b"null")) \
        or table.column_names
    data = {}
    for c in table.column_names:
        values = table.column(c).to_pylist()
        if (table.schema.field(c).metadata or {}) == JSON_FLAG:
            values = [None if v is None else json.loads(v) for v in values]
        data[c] = values
    return [c for c in cols if c in data], data


def to_frame(columns: Sequence[str], data: dict[str, list], dtypes: dict[str, str]
             ) -> pd.DataFrame:
    """The DataFrame a stage's public function builds: its dtypes where every part agreed,
    pandas' own inference elsewhere."""
    out = {}
    for c in columns:
        values, dtype = data[c], dtypes.get(c, INFER)
        if dtype == INFER:
            out[c] = pd.Series(values) if values else pd.Series([], dtype=object)
        elif dtype == "object":
            out[c] = pd.Series(values, dtype=object)
        else:
            out[c] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(out, columns=list(columns))
