"""Two table formats: the project's plain list CSV and OpenSanctions' 1260H source table.

Plain list CSV (for lists the CSL lacks: the DoD 1260H list, the UFLPA Entity List, the FCC
Covered List ...), header ``name,aliases,list,start,end,citation,url``: ``aliases``
``;``-separated, ``list`` an instrument id of the KB, ``start``/``end`` ISO dates,
``citation`` the Federal Register notice or release, ``url`` where it is published.

OpenSanctions ``us_dod_chinese_milcorps`` table (CC BY-NC 4.0): ``Name, Clean Name, Alias,
Previous Name, Parent Name, Note, Start date, End date, Source Url``; one row per listing
period, ``*`` marks names carried over from an earlier edition.
"""

from __future__ import annotations

from pathlib import Path

from ..overlay import ImportedEntry
from .common import clean_name, parse_date, read_csv, row_error, split_names

PLAIN_COLUMNS = ("name", "aliases", "list", "start", "end", "citation", "url")
OPENSANCTIONS_1260H = ("Name", "Clean Name", "Alias", "Previous Name", "Start date",
                       "End date", "Source Url")
OPENSANCTIONS_PUBLISHER = "OpenSanctions (dataset us_dod_chinese_milcorps)"
OPENSANCTIONS_LICENCE = "CC BY-NC 4.0 (OpenSanctions): non-commercial use, with attribution"


def read_plain(path: Path, text: str, instruments: set[str]) -> list[ImportedEntry]:
    """Entries of a plain list CSV; every row needs a name, a known list and a citation."""
    out = []
    for n, r in read_csv(path, text, PLAIN_COLUMNS):
        name = " ".join(r["name"].split())
        if not name:
            raise row_error(path, n, "column 'name' is empty")
        lst = r["list"].strip()
        if lst not in instruments:
            raise row_error(path, n, f"column 'list': {lst!r} is not an instrument id; use "
                                     f"one of {', '.join(sorted(instruments))}")
        start = parse_date(path, n, "start", r["start"])
        if start and not (r["citation"].strip() or r["url"].strip()):
            raise row_error(path, n, "a dated listing needs a 'citation' (Federal Register "
                                     "notice or release) or a 'url'")
        out.append(ImportedEntry(
            name=name, list=lst, aliases=tuple(split_names(r["aliases"])), start=start,
            end=parse_date(path, n, "end", r["end"]), citation=" ".join(r["citation"].split()),
            url=r["url"].strip(), row=n))
    return out


def read_opensanctions_1260h(path: Path, text: str) -> list[ImportedEntry]:
    """Entries of OpenSanctions' DoD 1260H table (list ``dod_1260h``)."""
    out = []
    for n, r in read_csv(path, text, OPENSANCTIONS_1260H):
        printed, extra = clean_name(r["Name"])
        name = " ".join(r["Clean Name"].split()) or printed
        if not name:
            raise row_error(path, n, "columns 'Name' and 'Clean Name' are both empty")
        aliases = extra + split_names(r["Alias"], commas=True) \
            + split_names(r["Previous Name"])
        url = r["Source Url"].strip()
        out.append(ImportedEntry(
            name=name, list="dod_1260h", aliases=tuple(dict.fromkeys(a for a in aliases if a)),
            start=parse_date(path, n, "Start date", r["Start date"]),
            end=parse_date(path, n, "End date", r["End date"]),
            citation=url and "DoD list of Chinese military companies (Section 1260H)", url=url,
            row=n))
    return out
