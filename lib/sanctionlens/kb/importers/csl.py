"""The US Consolidated Screening List (International Trade Administration), CSV and JSON.

CSV (``consolidated.csv``): ``_id, source, entity_number, type, programs, name, title,
addresses, federal_register_notice, start_date, end_date, ..., alt_names, ...``; names in a
cell are ``;``-separated and each address ends with its ISO country code. JSON
(``consolidated.json``, and the search API): ``{"results": [...]}`` with the same fields,
``alt_names`` a list and ``addresses`` a list of ``{address, city, ..., country}``.
The list data are US government works (public domain).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ...errors import KBError
from ..overlay import ImportedEntry
from .common import clean_name, parse_date, read_csv, row_error, split_names

PUBLISHER = "International Trade Administration, Consolidated Screening List"
LICENCE = "public domain (US government works), via the Consolidated Screening List"
REQUIRED = ("source", "name", "federal_register_notice", "start_date", "alt_names")
# CSL `source` -> KB instrument id. Order matters: "Non-SDN ... (CMIC)" also contains "SDN".
SOURCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.IGNORECASE), inst) for rx, inst in (
        (r"Military-Industrial Complex|\bN?S?-?CMIC\b", "ns_cmic_list"),
        (r"Military End User|\(MEU\)", "meu_list"),
        (r"^Entity List\b|\(EL\)", "entity_list"),
        (r"Specially Designated Nationals|\(SDN\)", "sdn_list"),
    ))
SKIP_TYPES = {"individual", "vessel", "aircraft"}


def instrument_for(source: str) -> str | None:
    """The KB instrument of a CSL `source` value, None for lists the KB does not describe."""
    for rx, inst in SOURCES:
        if rx.search(source or ""):
            return inst
    return None


def _countries(addresses: Any) -> set[str]:
    if isinstance(addresses, list):
        return {str(a.get("country") or "").strip().upper() for a in addresses
                if isinstance(a, dict)} - {""}
    return {part.rsplit(",", 1)[-1].strip().upper()
            for part in str(addresses or "").split(";") if "," in part}


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [" ".join(str(v).split()) for v in value if str(v).strip()]
    return split_names(str(value or ""))


def _entry(path: Path, n: int, r: dict[str, Any], countries: set[str] | None,
           ) -> ImportedEntry | None:
    inst = instrument_for(str(r.get("source") or ""))
    if inst is None or str(r.get("type") or "").strip().casefold() in SKIP_TYPES:
        return None
    if countries and not (_countries(r.get("addresses")) & countries):
        return None
    name, extra = clean_name(str(r.get("name") or ""))
    if not name:
        raise row_error(path, n, "column 'name' is empty")
    aliases = [a for raw in _names(r.get("alt_names")) for a in
               (lambda nm: [nm[0], *nm[1]])(clean_name(raw)) if a]
    return ImportedEntry(
        name=name, list=inst, aliases=tuple(dict.fromkeys(extra + aliases)),
        start=parse_date(path, n, "start_date", str(r.get("start_date") or "")),
        end=parse_date(path, n, "end_date", str(r.get("end_date") or "")),
        citation=" ".join(str(r.get("federal_register_notice") or "").split()),
        url=str(r.get("source_information_url") or r.get("source_list_url") or ""), row=n)


def read_csl_csv(path: Path, text: str, countries: set[str] | None = None,
                 ) -> list[ImportedEntry]:
    """Entries of a CSL CSV on the lists the KB knows (individuals, vessels, aircraft left
    out; `countries`: keep only rows with an address in one of these ISO codes)."""
    rows = read_csv(path, text, REQUIRED)
    return [e for n, r in rows if (e := _entry(path, n, r, countries))]


def read_csl_json(path: Path, text: str, countries: set[str] | None = None,
                  ) -> list[ImportedEntry]:
    """Entries of a CSL JSON file (``{"results": [...]}`` or a bare list of results)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KBError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise KBError(f"{path}: expected a JSON object with a 'results' list (the CSL "
                      f"download or search API), got {type(data).__name__}")
    out = []
    for n, r in enumerate(results, start=1):
        if not isinstance(r, dict) or "name" not in r or "source" not in r:
            raise row_error(path, n, "a CSL result is an object with at least 'source' and "
                                     "'name'")
        e = _entry(path, n, r, countries)
        if e:
            out.append(e)
    return out
