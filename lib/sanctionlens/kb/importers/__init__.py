"""Official lists as data: read a list file, write it as a local overlay of the knowledge base.

Formats (detected from the file's start unless given):

``csl-csv`` / ``csl-json``
    the US Consolidated Screening List as the International Trade Administration publishes it
    (Entity List, MEU List, NS-CMIC, SDN rows become listings; other lists are counted, not
    imported);
``plain``
    a CSV with the header ``name,aliases,list,start,end,citation,url`` for lists the CSL lacks;
``opensanctions-1260h``
    OpenSanctions' table of the DoD Section 1260H list (CC BY-NC 4.0).

:func:`import_list` writes ``<kb_dir>/imports/<id>.yaml`` (see :mod:`..overlay`); importing
the same source again replaces it. Only ``download=URL`` touches the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ...errors import KBError
from ..overlay import LOCAL_DIR, ImportedEntry, ImportMeta, write_overlay
from .csl import LICENCE as CSL_LICENCE
from .csl import PUBLISHER as CSL_PUBLISHER
from .csl import read_csl_csv, read_csl_json
from .tables import (
    OPENSANCTIONS_LICENCE,
    OPENSANCTIONS_PUBLISHER,
    PLAIN_COLUMNS,
    read_opensanctions_1260h,
    read_plain,
)

FORMATS = ("csl-csv", "csl-json", "plain", "opensanctions-1260h")
DOWNLOAD_TIMEOUT = 120  # seconds


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: the overlay file, its id and the number of entries."""

    path: Path
    id: str
    format: str
    entries: int
    listed: int  # entries with a start date (listings for the reference timeline)


def detect_format(path: Path, text: str) -> str:
    """The format of a list file, from its first characters and CSV header."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "csl-json"
    first = head.splitlines()[0] if head else ""
    cols = [c.strip().strip('"') for c in first.split(",")]
    if {"source", "name", "federal_register_notice"} <= set(cols):
        return "csl-csv"
    if tuple(cols) == PLAIN_COLUMNS:
        return "plain"
    if {"Clean Name", "Start date", "Source Url"} <= set(cols):
        return "opensanctions-1260h"
    raise KBError(f"{path}: line 1: cannot tell the list format from the header {first[:120]!r}; "
                  f"expected a CSL CSV (_id,source,...,federal_register_notice,...), a CSL JSON "
                  f"object, a plain list CSV ({','.join(PLAIN_COLUMNS)}) or the OpenSanctions "
                  "1260H table (Name,Clean Name,Alias,...); or pass --format "
                  f"({'|'.join(FORMATS)})")


def download(url: str, folder: Path) -> Path:
    """Fetch `url` into `folder`/downloads/ (the only network path of the importers)."""
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise KBError(f"--download {url!r}: only http(s) URLs are fetched")
    name = Path(urllib.parse.urlparse(url).path).name or "download"
    out = folder / "downloads" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    req = urllib.request.Request(url, headers={"User-Agent": "sanctionlens kb import"})
    try:
        with urllib.request.urlopen(req, timeout=DOWNLOAD_TIMEOUT) as resp:  # noqa: S310
            out.write_bytes(resp.read())
    except OSError as exc:
        raise KBError(f"--download {url}: could not fetch it ({exc}); download the file "
                      "yourself and import it by path") from exc
    return out


def read_list(path: Path, fmt: str | None = None, instruments: set[str] | None = None,
              countries: set[str] | None = None) -> tuple[str, list[ImportedEntry]]:
    """(format, entries) of a list file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KBError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise KBError(f"{path}: not UTF-8 text (byte {exc.start}); save the list as UTF-8"
                      ) from exc
    fmt = fmt or detect_format(path, text)
    if fmt not in FORMATS:
        raise KBError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "csl-csv":
        return fmt, read_csl_csv(path, text, countries)
    if fmt == "csl-json":
        return fmt, read_csl_json(path, text, countries)
    if fmt == "plain":
        return fmt, read_plain(path, text, instruments or set())
    return fmt, read_opensanctions_1260h(path, text)


def _meta(path: Path, fmt: str, source_id: str | None, licence: str | None,
          publisher: str | None, url: str) -> ImportMeta:
    defaults = {"csl-csv": (CSL_PUBLISHER, CSL_LICENCE), "csl-json": (CSL_PUBLISHER, CSL_LICENCE),
                "opensanctions-1260h": (OPENSANCTIONS_PUBLISHER, OPENSANCTIONS_LICENCE),
                "plain": (f"plain list file {path.name}", "not stated (give --licence)")}
    pub, lic = defaults[fmt]
    sid = source_id or re.sub(r"[^a-z0-9]+", "-", path.stem.casefold()).strip("-") or "list"
    today = dt.date.today().isoformat()
    return ImportMeta(id=sid, file=path.name, format=fmt, publisher=publisher or pub,
                      licence=licence or lic, url=url, retrieved=today if url else "",
                      imported=today, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def import_list(path: str | Path | None = None, kb_dir: str | Path | None = None,
                fmt: str | None = None, download_url: str | None = None,
                countries: set[str] | None = None, licence: str | None = None,
                publisher: str | None = None, source_id: str | None = None) -> ImportResult:
    """Read a list file (or ``download_url``) and write it as an overlay in `kb_dir`
    (default ``kb.local/``); a re-import of the same source id replaces its file."""
    from ..load import load_kb  # the bundled KB, for the instrument ids

    folder = Path(kb_dir) if kb_dir else LOCAL_DIR
    if download_url:
        path = download(download_url, folder)
    if path is None:
        raise KBError("give a list FILE or --download URL")
    path = Path(path)
    instruments = set(load_kb(overlays=[]).instruments)
    fmt, entries = read_list(path, fmt, instruments, countries)
    meta = _meta(path, fmt, source_id, licence, publisher, download_url or "")
    out = write_overlay(meta, entries, folder)
    return ImportResult(path=out, id=meta.id, format=fmt, entries=len(entries),
                        listed=sum(1 for e in entries if e.start))


__all__ = ["FORMATS", "ImportResult", "detect_format", "download", "import_list", "read_list"]
