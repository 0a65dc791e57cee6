"""Local overlays: official lists imported as data, laid on top of the bundled knowledge base.

``sanctionlens kb import`` writes one YAML file per imported source to ``<overlay>/imports/``
(a re-import of the same source replaces that file). The library reads every overlay named in
the environment variable ``SANCTIONLENS_KB`` (folders separated by ``:``), else ``kb.local/``
at the project root when it exists. An overlay file is::

    import: {id, file, format, publisher, licence, url, retrieved, imported, sha256}
    entries:
      - {name, aliases: [...], list: <instrument id>, start, end, citation, url, row}

Applying it to a KB: each name joins the company it names (a normalised name or alias matches)
or becomes a new company; its spellings become aliases for tagging; each dated entry becomes a
:class:`~sanctionlens.kb.model.SanctionRow` and joins a reference event (one per list, date and
citation) of the same kind as the bundled ``events.yaml`` ones, so the chronology and the
profiles show it. Every fact cites a :class:`~sanctionlens.kb.model.Source` that names the
imported file, its licence and the Federal Register notice (or release) of the row.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import paths
from ..errors import KBError
from .lookup import normalize_name
from .model import KB, Company, RefEvent, SanctionRow, Source, SourceRef

ENV_VAR = "SANCTIONLENS_KB"
LOCAL_DIR = paths.PROJECT_ROOT / "kb.local"
IMPORTS = "imports"
META_FIELDS = ("id", "file", "format", "publisher", "licence", "url", "retrieved", "imported",
               "sha256")
ENTRY_FIELDS = ("name", "aliases", "list", "start", "end", "citation", "url", "row")
# The reference-event action an entry on each kind of list stands for.
LIST_ACTIONS = {"sdn_list": "designated", "ns_cmic_list": "identified"}
_LEGAL_TAIL = re.compile(
    r"(?:[\s,]+(?:co\.?,?\s*ltd|company\s+limited|limited|ltd|inc|incorporated|corporation|"
    r"corp|llc|l\.l\.c|co|plc|s\.a|gmbh)\.?)+$")
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&\-]{1,7}")


@dataclass(frozen=True)
class ImportedEntry:
    """One row of an official list, as the importers read it."""

    name: str
    list: str
    aliases: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    citation: str = ""
    url: str = ""
    row: int = 0


@dataclass
class ImportMeta:
    """Where an import came from: file, format, publisher, licence, download URL and dates."""

    id: str
    file: str
    format: str
    publisher: str
    licence: str
    url: str = ""
    retrieved: str = ""
    imported: str = ""
    sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- where overlays are
def overlay_dirs() -> list[Path]:
    """The overlay folders in force: ``$SANCTIONLENS_KB`` (``:``-separated), else kb.local/."""
    env = os.environ.get(ENV_VAR)
    if env is not None:
        dirs = [Path(p).expanduser() for p in env.split(":") if p.strip()]
        for d in dirs:
            if not d.is_dir():
                raise KBError(f"{ENV_VAR} names {d}, which is not a folder; give overlay "
                              "folders written by `sanctionlens kb import`, separated by ':'")
        return dirs
    return [LOCAL_DIR] if LOCAL_DIR.is_dir() else []


def overlay_files(folder: Path) -> list[Path]:
    """The import files of one overlay folder, in name order."""
    sub = folder / IMPORTS
    return sorted(sub.glob("*.yaml")) if sub.is_dir() else []


# --------------------------------------------------------------------------- writing
def _date_text(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def write_overlay(meta: ImportMeta, entries: list[ImportedEntry], folder: Path) -> Path:
    """Write (or replace) the overlay file of this import; returns its path."""
    out = folder / IMPORTS / f"{meta.id}.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    head = {k: getattr(meta, k) for k in META_FIELDS}
    head.update(meta.extra)
    rows = [{"name": e.name, "aliases": list(e.aliases), "list": e.list,
             "start": _date_text(e.start), "end": _date_text(e.end), "citation": e.citation,
             "url": e.url, "row": e.row} for e in entries]
    text = ("# Written by `sanctionlens kb import`; importing the same source again replaces "
            "this file.\n" + yaml.safe_dump({"import": head, "entries": rows},
                                             allow_unicode=True, sort_keys=False, width=100))
    tmp = out.with_suffix(".yaml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return out


# --------------------------------------------------------------------------- reading
def _read_date(path: Path, i: int, fld: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise KBError(f"{path}: entry {i}: field '{fld}': bad date {value!r}; write an ISO "
                      "date such as 2022-10-05") from None


def read_overlay(path: Path) -> tuple[ImportMeta, list[ImportedEntry]]:
    """Read one overlay file written by :func:`write_overlay` (clear errors if it was edited)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KBError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("import"), dict) \
            or not isinstance(data.get("entries"), list):
        raise KBError(f"{path}: an overlay file is a mapping with 'import' (a mapping) and "
                      "'entries' (a list); write it with `sanctionlens kb import`")
    head = data["import"]
    for k in ("id", "file", "format", "licence"):
        if not head.get(k):
            raise KBError(f"{path}: import: field '{k}' is missing")
    meta = ImportMeta(**{k: str(head.get(k) or "") for k in META_FIELDS},
                      extra={k: v for k, v in head.items() if k not in META_FIELDS})
    entries = []
    for i, raw in enumerate(data["entries"]):
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("list"):
            raise KBError(f"{path}: entry {i}: an entry is a mapping with at least 'name' and "
                          f"'list', got {raw!r}")
        unknown = set(raw) - set(ENTRY_FIELDS)
        if unknown:
            raise KBError(f"{path}: entry {i}: unknown field(s) {', '.join(sorted(unknown))}; "
                          f"allowed: {', '.join(ENTRY_FIELDS)}")
        entries.append(ImportedEntry(
            name=str(raw["name"]), list=str(raw["list"]),
            aliases=tuple(str(a) for a in raw.get("aliases") or ()),
            start=_read_date(path, i, "start", raw.get("start")),
            end=_read_date(path, i, "end", raw.get("end")),
            citation=str(raw.get("citation") or ""), url=str(raw.get("url") or ""),
            row=int(raw.get("row") or 0)))
    return meta, entries


# --------------------------------------------------------------------------- applying
def match_key(name: str) -> str:
    """A company name folded for matching: normalised, legal-form tail dropped."""
    key = normalize_name(name).replace("’", "'")
    return _LEGAL_TAIL.sub("", key).strip(" ,.") or key


def slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", normalize_name(text)).strip("-")
    return (s[:limit].rstrip("-") or "x")


class _Merger:
    """Lays the imports on a freshly loaded KB (which it changes in place)."""

    def __init__(self, kb: KB):
        self.kb = kb
        self.taken: dict[str, str] = {}  # normalised surface form -> entity id
        for group in kb._groups():
            for ent in group.values():
                for form, _ in ent.surface_forms():
                    self.taken.setdefault(normalize_name(form), ent.id)
        self.keys: dict[str, str] = {}  # match key -> company id
        for c in kb.companies.values():
            for form, _ in c.surface_forms():
                self.keys.setdefault(match_key(form), c.id)

    def company(self, e: ImportedEntry, meta: ImportMeta, ref: SourceRef) -> Company | None:
        """The company an entry names (joined by name or alias), else a new one."""
        names = [e.name, *e.aliases]
        for n in names:
            cid = self.keys.get(match_key(n))
            if cid:
                return self.kb.companies[cid]
        owner = self.taken.get(normalize_name(e.name))
        if owner and owner not in self.kb.companies:
            return None  # the name is an agency, place, person ... of the KB, not a company
        cid = base = slug(e.name)
        n = 2
        while cid in self.kb._entities or cid in self.kb.companies:
            cid, n = f"{base}-{n}", n + 1
        comp = Company(id=cid, name=e.name, source=ref, label="COMPANY",
                       note=f"Imported from {meta.file} ({meta.format}).")
        self.kb.companies[cid] = comp
        self.claim(comp, e.name)
        return comp

    def claim(self, comp: Company, form: str) -> None:
        self.taken.setdefault(normalize_name(form), comp.id)
        self.keys.setdefault(match_key(form), comp.id)

    def add_alias(self, comp: Company, alias: str) -> None:
        """Add a spelling for tagging unless it is too short or names another entity."""
        alias = alias.strip()
        key = normalize_name(alias)
        if len(key) < 3 or self.taken.get(key, comp.id) != comp.id:
            return
        if key in {normalize_name(f) for f, _ in comp.surface_forms()}:
            return
        if _ACRONYM.fullmatch(alias):
            comp.aliases_exact.append(alias)
        else:
            comp.aliases.append(alias)
        self.claim(comp, alias)


def _source(kb: KB, meta: ImportMeta, e: ImportedEntry) -> Source:
    inst = kb.instruments[e.list]
    cite = e.citation or e.url or inst.name
    sid = f"{meta.id}:{e.list}:{slug(cite, 80)}"
    got = f"downloaded from {meta.url} on {meta.retrieved}" if meta.url else "a local file"
    return Source(id=sid, publisher=meta.publisher, title=f"{inst.name} ({meta.file})",
                  citation=e.citation, url=e.url,
                  note=(f"Imported from {meta.file} ({meta.format}, {got}) on {meta.imported}; "
                        f"licence: {meta.licence}."))


def _known(kb: KB, inst: str, day: dt.date, cid: str) -> RefEvent | None:
    """A bundled (or earlier imported) event that already lists this company that day."""
    for ev in kb.events:
        if ev.instrument == inst and cid in ev.targets and day in (
                ev.date, ev.effective, ev.published):
            return ev
    return None


def apply_overlay(kb: KB, path: Path) -> None:
    """Lay one overlay file on `kb`: aliases, new companies, sanction rows, reference events."""
    meta, entries = read_overlay(path)
    merger = _Merger(kb)
    groups: dict[tuple[str, str, dt.date, str], list[str]] = defaultdict(list)
    sources: dict[str, Source] = {}
    for i, e in enumerate(entries):
        if e.list not in kb.instruments:
            raise KBError(f"{path}: entry {i} ({e.name!r}): list {e.list!r} is not an "
                          f"instrument of the KB; known: {', '.join(sorted(kb.instruments))}")
        src = sources.setdefault(_source(kb, meta, e).id, _source(kb, meta, e))
        ref = SourceRef(source_id=src.id, text=src.text)
        comp = merger.company(e, meta, ref)
        if comp is None:
            continue
        for a in (e.name, *e.aliases):
            merger.add_alias(comp, a)
        if e.start is None:
            continue
        action = LIST_ACTIONS.get(e.list, "added_to_list")
        old = _known(kb, e.list, e.start, comp.id)
        if old is None:
            groups[(e.list, action, e.start, src.id)].append(comp.id)
        if e.end:
            groups[(e.list, "removed", e.end, src.id)].append(comp.id)
        comp.sanctions.append(SanctionRow(
            instrument=e.list, name_as_printed=e.name, listed=e.start, end=e.end, source=ref,
            event=old.id if old else _event_id(meta, e.list, action, e.start, src.id),
            note=f"{meta.file}, row {e.row}" if e.row else meta.file))
    kb.sources.update(sources)
    kb.events.extend(_events(kb, meta, groups, sources))
    kb.events.sort(key=lambda ev: (ev.date, ev.id))
    kb.index()


def _event_id(meta: ImportMeta, inst: str, action: str, day: dt.date, sid: str) -> str:
    return f"{meta.id}-{inst}-{action}-{day.isoformat()}-{slug(sid.rsplit(':', 1)[-1], 24)}"


def _events(kb: KB, meta: ImportMeta, groups: dict, sources: dict[str, Source],
            ) -> list[RefEvent]:
    out = []
    for (inst, action, day, sid), cids in sorted(groups.items(), key=lambda kv: kv[0][2:]):
        targets = tuple(dict.fromkeys(cids))
        src = sources[sid]
        names = ", ".join(kb.companies[c].name for c in targets[:3])
        more = f" and {len(targets) - 3} more" if len(targets) > 3 else ""
        verb = {"removed": "removed from", "designated": "designated on",
                "identified": "identified on"}.get(action, "added to")
        cite = f" ({src.citation})" if src.citation else ""
        out.append(RefEvent(
            id=_event_id(meta, inst, action, day, sid), date=day, action=action,
            actor=kb.instruments[inst].authority, instrument=inst, targets=targets,
            title=f"{names}{more} {verb} the {kb.instruments[inst].name}{cite}",
            source=SourceRef(source_id=sid, text=src.text),
            note=f"Imported from {meta.file} ({meta.format}); licence: {meta.licence}."))
    return out


def apply_overlays(kb: KB, folders: list[Path]) -> KB:
    """Lay every import file of these overlay folders on `kb`, folder by folder."""
    for folder in folders:
        for path in overlay_files(folder):
            apply_overlay(kb, path)
    return kb


__all__ = ["ENV_VAR", "LOCAL_DIR", "ImportMeta", "ImportedEntry", "apply_overlay",
           "apply_overlays", "match_key", "overlay_dirs", "overlay_files", "read_overlay",
           "write_overlay"]
