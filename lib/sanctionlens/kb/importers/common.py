"""Shared pieces of the list readers: errors naming file and row, dates, name splitting."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from ...errors import KBError

# A trailing "(ACRONYM)" or "(short name)" in a printed name, and the carried-over mark "*".
_TRAILING_PARENS = re.compile(r"\s*\(([^()]{1,60})\)\s*\**\s*$")
# Boilerplate of State Department (ISN) rows: "X; and any successor, sub-unit, or subsidiary".
_SUCCESSOR = re.compile(r";?\s*and any successor[^;]*$", re.IGNORECASE)
# "and" before the last name of a list ("A; B; and C").
_LEADING_AND = re.compile(r"^and\s+", re.IGNORECASE)
# A comma that does not start a legal form ("Co., Ltd.", "Group, Inc.") separates two names.
_NAME_COMMA = re.compile(r",(?!\s*(?:ltd|inc|limited|co\b|corp|llc|l\.l\.c|s\.a|plc|jsc)\.?)",
                         re.IGNORECASE)


def row_error(path: Path | str, row: int, msg: str) -> KBError:
    """An import error naming the file and the row (a CSV row's line number, or the index
    of a JSON result counted from 1)."""
    return KBError(f"{path}: {'line' if str(path).endswith('.csv') else 'row'} {row}: {msg}")


def parse_date(path: Path | str, row: int, column: str, value: str | None) -> dt.date | None:
    """An ISO date (a timestamp's date part is accepted), or None for an empty cell."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise row_error(path, row, f"column '{column}': bad date {text!r}; expected an ISO "
                                   "date such as 2022-10-05") from None


def clean_name(name: str) -> tuple[str, list[str]]:
    """A printed name without list boilerplate; a trailing '(X)' becomes an alias X."""
    name = _SUCCESSOR.sub("", " ".join(name.split())).strip().rstrip("*").strip()
    aliases = []
    m = _TRAILING_PARENS.search(name)
    if m and m.start() > 0:
        aliases.append(m.group(1).strip())
        name = name[:m.start()].strip()
    return name, aliases


def split_names(text: str, *, commas: bool = False) -> list[str]:
    """Names in one cell, separated by ';' (and by ',' when `commas`, except before a legal
    form such as 'Co., Ltd.')."""
    parts = [p for chunk in (text or "").split(";") for p in
             (_NAME_COMMA.split(chunk) if commas else [chunk])]
    names = (_LEADING_AND.sub("", " ".join(p.split())) for p in parts)
    return [n for n in names if n]


def read_csv(path: Path, text: str, required: tuple[str, ...]
             ) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of a CSV text, after checking that the header has `required` columns."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise KBError(f"{path}: header: missing column(s) {', '.join(missing)}; the header "
                      f"read is {','.join(header) or '(empty)'}")
    reader.fieldnames = header
    rows = []
    try:
        for r in reader:
            if None in r:
                raise KBError(f"{path}: line {reader.line_num}: {len(header) + len(r[None])} "
                              f"cells but the header has {len(header)}; put a value that "
                              'contains commas in double quotes ("X Co., Ltd.")')
            rows.append((reader.line_num, {k: (v or "") for k, v in r.items()
                                           if isinstance(k, str) and isinstance(v, str | None)}))
    except csv.Error as exc:
        raise KBError(f"{path}: line {reader.line_num}: not valid CSV: {exc}") from exc
    return rows
