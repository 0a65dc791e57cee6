"""Reading the knowledge base: YAML files into the model's entries, then the checks.

Source ids must be defined in ``sources.yaml``; a seed quote must occur verbatim in
``seeds/<doc_id>.txt`` (its character span in that file is recorded).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from .. import paths
from ..errors import KBError
from .model import (
    AGENCY_KINDS,
    BOARDS,
    EVENT_ACTIONS,
    INSTRUMENT_KINDS,
    KB,
    LABELS,
    ORG_KINDS,
    OUTLET_KINDS,
    PLACE_KINDS,
    Agency,
    Company,
    Entity,
    Exchange,
    Fact,
    Instrument,
    Listing,
    Organization,
    Outlet,
    Person,
    Place,
    PriceLimit,
    RefEvent,
    SanctionRow,
    Source,
    SourceRef,
)
from .overlay import apply_overlays, overlay_dirs, overlay_files
from .validate import Ctx, check_fields, check_references, enum, parse_date, req_str, str_list


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so a bad date gets a KBError naming its field."""


_YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader:
    def __init__(self, folder: Path, seeds_dir: Path):
        self.folder, self.seeds_dir = folder, seeds_dir
        self.sources: dict[str, Source] = {}
        self._seed_cache: dict[str, str] = {}
        self.ids: dict[str, str] = {}  # entity id -> file

    # ---- files
    def read(self, name: str) -> list[tuple[dict, Ctx]]:
        path = self.folder / name
        if not path.is_file():
            return []
        text = path.read_text(encoding="utf-8")
        try:
            node = yaml.compose(text, Loader=_YamlLoader)
            data = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 (a SafeLoader subclass)
        except yaml.YAMLError as exc:
            raise KBError(f"{name}: not valid YAML: {exc}") from exc
        if data is None:
            return []
        if not isinstance(data, list):
            raise KBError(f"{name}: the file must be a YAML list of entries (- id: ...), "
                          f"got {type(data).__name__}")
        lines = [n.start_mark.line + 1 for n in node.value] if node is not None else []
        out = []
        for i, raw in enumerate(data):
            line = lines[i] if i < len(lines) else None
            if not isinstance(raw, dict):
                raise Ctx(name, str(i), line).error(None, "an entry must be a mapping")
            eid = raw.get("id")
            entry = f"'{eid}'" if isinstance(eid, str) and eid else str(i)
            out.append((raw, Ctx(name, entry, line)))
        return out

    def seed_text(self, ctx: Ctx, fld: str, doc_id: str) -> str:
        if doc_id not in self._seed_cache:
            path = self.seeds_dir / f"{doc_id}.txt"
            if not path.is_file():
                raise ctx.error(fld, f"seed '{doc_id}' not found: no file {path}")
            self._seed_cache[doc_id] = path.read_text(encoding="utf-8")
        return self._seed_cache[doc_id]

    # ---- sources and facts
    def ref(self, ctx: Ctx, fld: str, value: Any) -> SourceRef:
        if isinstance(value, str):
            if value not in self.sources:
                raise ctx.error(fld, f"source '{value}' is not defined in sources.yaml")
            return SourceRef(source_id=value, text=self.sources[value].text)
        if isinstance(value, dict):
            extra = set(value) - {"seed", "quote"}
            if extra or "seed" not in value or "quote" not in value:
                raise ctx.error(fld, "a seed source is {seed: <doc_id>, quote: \"verbatim text\"}, "
                                     f"got {value!r}")
            doc_id = req_str(ctx, fld, value["seed"])
            quote = req_str(ctx, fld, value["quote"])
            text = self.seed_text(ctx, fld, doc_id)
            start = text.find(quote)
            if start < 0:
                hint = ""
                squash = re.compile(r"\s+")
                if squash.sub(" ", quote) in squash.sub(" ", text):
                    hint = (" (it differs only in whitespace: copy the seed's exact characters, "
                            "e.g. a non-breaking space as \\u00a0 in a double-quoted string)")
                raise ctx.error(fld, f"quote {quote!r} does not occur verbatim in seed "
                                     f"'{doc_id}'{hint}")
            return SourceRef(seed=doc_id, quote=quote, span=(start, start + len(quote)),
                             text=quote)
        raise ctx.error(fld, "missing source: give a source id from sources.yaml or "
                             "{seed: <doc_id>, quote: ...}")

    def fact(self, ctx: Ctx, fld: str, raw: Any) -> Fact:
        if not isinstance(raw, dict) or "value" not in raw:
            raise ctx.error(fld, f"a fact is {{value: ..., source: ...}}, got {raw!r}")
        for k in raw:
            if k not in {"value", "source", "as_of", "unit", "note"}:
                raise ctx.error(f"{fld}.{k}", "unknown field; a fact takes value, source, "
                                              "as_of, unit, note")
        if raw.get("source") is None:
            raise ctx.error(fld, "missing source: every fact needs a source")
        value = raw["value"]
        if isinstance(value, dt.datetime):
            value = value.date()
        return Fact(value=value, source=self.ref(ctx, fld, raw["source"]),
                    as_of=parse_date(ctx, fld, raw.get("as_of"), optional=True),
                    unit=str(raw.get("unit") or ""), note=str(raw.get("note") or ""))

    def opt_fact(self, ctx: Ctx, fld: str, raw: dict) -> Fact | None:
        return None if raw.get(fld) is None else self.fact(ctx, fld, raw[fld])

    # ---- sources.yaml
    def load_sources(self) -> None:
        allowed = {"id", "publisher", "title", "date", "citation", "url", "note"}
        for raw, ctx in self.read("sources.yaml"):
            check_fields(ctx, raw, allowed, ("id", "publisher", "title"))
            sid = req_str(ctx, "id", raw["id"])
            if sid in self.sources:
                raise ctx.error("id", f"duplicate id '{sid}'")
            self.sources[sid] = Source(
                id=sid, publisher=req_str(ctx, "publisher", raw["publisher"]),
                title=req_str(ctx, "title", raw["title"]),
                date=parse_date(ctx, "date", raw.get("date"), optional=True),
                citation=str(raw.get("citation") or ""), url=str(raw.get("url") or ""),
                note=str(raw.get("note") or ""))

    # ---- entities
    def base(self, ctx: Ctx, raw: dict, label: str) -> dict[str, Any]:
        eid = req_str(ctx, "id", raw["id"])
        if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", eid):
            raise ctx.error("id", f"id {eid!r} must be lower-case letters, digits, '_' or '-'")
        if eid in self.ids:
            raise ctx.error("id", f"duplicate id '{eid}' (already defined in {self.ids[eid]})")
        self.ids[eid] = ctx.file
        return dict(
            id=eid, name=req_str(ctx, "name", raw["name"]),
            aliases=str_list(ctx, "aliases", raw.get("aliases") or []),
            aliases_exact=str_list(ctx, "aliases_exact", raw.get("aliases_exact") or []),
            source=None if raw.get("source") is None else self.ref(ctx, "source", raw["source"]),
            note=str(raw.get("note") or ""), label=label)

    def entities(self, name: str, extra: set[str], build: Callable[[Ctx, dict, dict], Entity],
                 ) -> dict[str, Any]:
        allowed = {"id", "name", "aliases", "aliases_exact", "source", "note"} | extra
        out: dict[str, Any] = {}
        for raw, ctx in self.read(name):
            check_fields(ctx, raw, allowed, ("id", "name"))
            ent = build(ctx, raw, self.base(ctx, raw, LABELS[name]))
            out[ent.id] = ent
        return out

    def described(self, ctx: Ctx, raw: dict, base: dict, fields: tuple[str, ...]) -> dict:
        """Plain descriptive fields, attributed to the entity-level source (then required)."""
        vals = {f: req_str(ctx, f, raw[f]) for f in fields if raw.get(f) is not None}
        if vals and base["source"] is None:
            first = next(iter(vals))
            raise ctx.error(first, "missing source: this field is attributed to the entry's "
                                   "'source', which is not given")
        return vals

    def company(self, ctx: Ctx, raw: dict, base: dict) -> Company:
        listings = []
        for i, r in enumerate(raw.get("listings") or []):
            fld = f"listings[{i}]"
            if not isinstance(r, dict):
                raise ctx.error(fld, "a listing is a mapping {exchange, ticker, symbol, ...}")
            sub = Ctx(ctx.file, ctx.entry, ctx.line)
            for k in r:
                if k not in {"exchange", "ticker", "symbol", "board", "currency", "listed",
                             "source", "note"}:
                    raise sub.error(f"{fld}.{k}", "unknown field")
            for k in ("exchange", "ticker", "symbol", "board", "currency", "source"):
                if r.get(k) is None:
                    raise sub.error(f"{fld}.{k}", "required field is missing")
            listings.append(Listing(
                exchange=req_str(ctx, f"{fld}.exchange", r["exchange"]),
                ticker=req_str(ctx, f"{fld}.ticker", r["ticker"]),
                symbol=req_str(ctx, f"{fld}.symbol", r["symbol"]),
                board=enum(ctx, f"{fld}.board", r["board"], BOARDS),
                currency=req_str(ctx, f"{fld}.currency", r["currency"]),
                listed=parse_date(ctx, f"{fld}.listed", r.get("listed"), optional=True),
                source=self.ref(ctx, f"{fld}.source", r["source"]),
                note=str(r.get("note") or "")))
        sanctions = []
        keys = {"instrument", "event", "name_as_printed", "name_clean", "listed", "effective",
                "end", "justification", "source", "note"}
        for i, r in enumerate(raw.get("sanctions") or []):
            fld = f"sanctions[{i}]"
            if not isinstance(r, dict):
                raise ctx.error(fld, "a sanction row is a mapping {instrument, listed, ...}")
            for k in r:
                if k not in keys:
                    raise ctx.error(f"{fld}.{k}", "unknown field")
            for k in ("instrument", "name_as_printed", "listed", "source"):
                if r.get(k) is None:
                    raise ctx.error(f"{fld}.{k}", "required field is missing")
            sanctions.append(SanctionRow(
                instrument=req_str(ctx, f"{fld}.instrument", r["instrument"]),
                event=str(r.get("event") or ""),
                name_as_printed=req_str(ctx, f"{fld}.name_as_printed", r["name_as_printed"]),
                name_clean=str(r.get("name_clean") or ""),
                listed=parse_date(ctx, f"{fld}.listed", r["listed"]),
                effective=parse_date(ctx, f"{fld}.effective", r.get("effective"), optional=True),
                end=parse_date(ctx, f"{fld}.end", r.get("end"), optional=True),
                justification=str(r.get("justification") or ""),
                source=self.ref(ctx, f"{fld}.source", r["source"]),
                note=str(r.get("note") or "")))
        legal = raw.get("legal_names") or []
        if not isinstance(legal, list):
            raise ctx.error("legal_names", "expected a list of facts")
        return Company(
            **base,
            legal_names=[self.fact(ctx, f"legal_names[{i}]", f) for i, f in enumerate(legal)],
            **{f: self.opt_fact(ctx, f, raw) for f in (
                "chinese_name", "country", "sector", "founded", "headquarters", "staff",
                "revenue")},
            listings=listings, sanctions=sanctions)

    def agency(self, ctx: Ctx, raw: dict, base: dict) -> Agency:
        kind = enum(ctx, "kind", raw.get("kind"), AGENCY_KINDS)
        vals = self.described(ctx, raw, base, ("parent", "country"))
        if kind != "exchange":
            for k in ("timezone", "yahoo_suffix", "market_indices", "price_limits"):
                if k in raw:
                    raise ctx.error(k, "only entries with kind: exchange take this field")
            return Agency(**base, kind=kind, **vals)
        limits = []
        for i, r in enumerate(raw.get("price_limits") or []):
            fld = f"price_limits[{i}]"
            if not isinstance(r, dict):
                raise ctx.error(fld, "a price limit is {board, limit, from, source}")
            for k in r:
                if k not in {"board", "limit", "from", "source", "note"}:
                    raise ctx.error(f"{fld}.{k}", "unknown field")
            for k in ("board", "limit", "source"):
                if r.get(k) is None:
                    raise ctx.error(f"{fld}.{k}", "required field is missing")
            if "from" not in r:
                raise ctx.error(f"{fld}.from", "required field is missing (null = start not "
                                               "verified, in force before the study window)")
            lim = r["limit"]
            if not isinstance(lim, int | float) or not 0 < lim < 1:
                raise ctx.error(f"{fld}.limit", f"limit is a fraction such as 0.1, got {lim!r}")
            limits.append(PriceLimit(
                board=enum(ctx, f"{fld}.board", r["board"], BOARDS), limit=float(lim),
                from_=parse_date(ctx, f"{fld}.from", r["from"], optional=True),
                source=self.ref(ctx, f"{fld}.source", r["source"]), note=str(r.get("note") or "")))
        return Exchange(
            **base, kind=kind, **vals,
            timezone=req_str(ctx, "timezone", raw.get("timezone")),
            yahoo_suffix=str(raw.get("yahoo_suffix") or ""),
            market_indices=str_list(ctx, "market_indices", raw.get("market_indices") or []),
            price_limits=limits)

    def instrument(self, ctx: Ctx, raw: dict, base: dict) -> Instrument:
        if base["source"] is None:
            raise ctx.error("source", "required field is missing")
        return Instrument(**base, kind=enum(ctx, "kind", raw.get("kind"), INSTRUMENT_KINDS),
                          **self.described(ctx, raw, base, ("authority", "legal_basis", "effect")))

    def person(self, ctx: Ctx, raw: dict, base: dict) -> Person:
        return Person(**base, role=self.opt_fact(ctx, "role", raw),
                      affiliation=self.opt_fact(ctx, "affiliation", raw))

    def place(self, ctx: Ctx, raw: dict, base: dict) -> Place:
        return Place(**base, kind=enum(ctx, "kind", raw.get("kind"), PLACE_KINDS),
                     **self.described(ctx, raw, base, ("country",)))

    def outlet(self, ctx: Ctx, raw: dict, base: dict) -> Outlet:
        return Outlet(**base, kind=enum(ctx, "kind", raw.get("kind"), OUTLET_KINDS),
                      **self.described(ctx, raw, base, ("country", "url")))

    def organization(self, ctx: Ctx, raw: dict, base: dict) -> Organization:
        return Organization(**base, kind=enum(ctx, "kind", raw.get("kind"), ORG_KINDS),
                            **self.described(ctx, raw, base, ("country", "url")))

    def events(self) -> list[RefEvent]:
        allowed = {"id", "date", "effective", "published", "action", "actor", "instrument",
                   "targets", "title", "source", "note"}
        out = []
        for raw, ctx in self.read("events.yaml"):
            check_fields(ctx, raw, allowed, ("id", "date", "action", "actor", "title", "source"))
            eid = req_str(ctx, "id", raw["id"])
            if eid in self.ids:
                raise ctx.error("id", f"duplicate id '{eid}' (already defined in {self.ids[eid]})")
            self.ids[eid] = ctx.file
            out.append((ctx, RefEvent(
                id=eid, date=parse_date(ctx, "date", raw["date"]),
                effective=parse_date(ctx, "effective", raw.get("effective"), optional=True),
                published=parse_date(ctx, "published", raw.get("published"), optional=True),
                action=enum(ctx, "action", raw["action"], EVENT_ACTIONS),
                actor=req_str(ctx, "actor", raw["actor"]),
                instrument=str(raw.get("instrument") or ""),
                targets=tuple(str_list(ctx, "targets", raw.get("targets") or [])),
                title=req_str(ctx, "title", raw["title"]),
                source=self.ref(ctx, "source", raw["source"]), note=str(raw.get("note") or ""))))
        return out


def load_kb(folder: str | Path | None = None, seeds_dir: str | Path | None = None,
            overlays: Sequence[str | Path] | None = None) -> KB:
    """Load and validate the KB in `folder` (default: the bundled YAML), then lay the imported
    lists of `overlays` on it (default: none for a given folder; for the bundled KB the
    folders of ``$SANCTIONLENS_KB``, else ``kb.local/`` when present)."""
    kb = _load_folder(folder, seeds_dir)
    if overlays is None:
        overlays = overlay_dirs() if folder is None else []
    return apply_overlays(kb, [Path(p) for p in overlays])


def _load_folder(folder: str | Path | None, seeds_dir: str | Path | None) -> KB:
    """The KB of one folder of YAML files, checked (no overlays)."""
    root = paths.resolve(folder, paths.KB_DIR)
    if not root.is_dir():
        raise KBError(f"knowledge base folder {root} does not exist")
    seeds = paths.resolve(seeds_dir, paths.SEEDS_DIR)
    ld = _Loader(root, seeds)
    ld.load_sources()
    ctxs: dict[str, Ctx] = {}

    def track(build: Callable[[Ctx, dict, dict], Entity]) -> Callable[[Ctx, dict, dict], Entity]:
        def inner(ctx: Ctx, raw: dict, base: dict) -> Entity:
            ctxs[base["id"]] = ctx
            return build(ctx, raw, base)
        return inner

    companies = ld.entities("companies.yaml", {
        "legal_names", "chinese_name", "country", "sector", "founded", "headquarters", "staff",
        "revenue", "listings", "sanctions"}, track(ld.company))
    agencies = ld.entities("agencies.yaml", {
        "kind", "parent", "country", "timezone", "yahoo_suffix", "market_indices",
        "price_limits"}, track(ld.agency))
    instruments = ld.entities("instruments.yaml", {"kind", "authority", "legal_basis", "effect"},
                              track(ld.instrument))
    people = ld.entities("people.yaml", {"role", "affiliation"}, track(ld.person))
    places = ld.entities("places.yaml", {"kind", "country"}, track(ld.place))
    outlets = ld.entities("outlets.yaml", {"kind", "country", "url"}, track(ld.outlet))
    orgs = ld.entities("organizations.yaml", {"kind", "country", "url"}, track(ld.organization))
    events = ld.events()
    for ctx, e in events:
        ctxs[e.id] = ctx
    kb = KB(folder=root, sources=ld.sources, companies=companies, agencies=agencies,
            instruments=instruments, people=people, places=places, outlets=outlets,
            organizations=orgs,
            events=sorted((e for _, e in events), key=lambda e: (e.date, e.id)))
    check_references(kb, ctxs)
    return kb


def get_kb() -> KB:
    """The bundled knowledge base with the overlays in force, loaded once per state of the
    overlays (``$SANCTIONLENS_KB`` and the import files' names and modification times)."""
    return _cached_kb(_overlay_state())


def _overlay_state() -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    return tuple((str(d), tuple((f.name, f.stat().st_mtime_ns) for f in overlay_files(d)))
                 for d in overlay_dirs())


@functools.lru_cache(maxsize=4)
def _cached_kb(state: tuple) -> KB:
    return load_kb(overlays=[Path(d) for d, _ in state])


def reset_kb() -> None:
    """Forget the cached KB (after editing the YAML files in place)."""
    _cached_kb.cache_clear()

