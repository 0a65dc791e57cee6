"""Knowledge base: companies, agencies, instruments, people, places, outlets, organisations
and a reference timeline, read from YAML files in which every fact carries its source.

A fact is ``{value: ..., source: <source id> | {seed: <doc_id>, quote: "..."}}`` with optional
``as_of``, ``unit`` and ``note``. Source ids must be defined in ``sources.yaml``; a seed quote must
occur verbatim in ``seeds/<doc_id>.txt`` (its character span in that file is recorded). Plain
descriptive fields of an entity (an instrument's ``effect``, a place's ``country``, ...) are
attributed to the entity-level ``source``, which is then required. Classification fields
(``kind``) and market configuration (``timezone``, ``yahoo_suffix``, ``market_indices``) are not
facts. Every problem raises :class:`~sanctionlens.errors.KBError` naming file, entry and field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import paths
from ..errors import KBError, UnknownNameError

KB_FILES = (
    "sources.yaml", "companies.yaml", "agencies.yaml", "instruments.yaml", "people.yaml",
    "places.yaml", "outlets.yaml", "organizations.yaml", "events.yaml",
)
LABELS = {
    "companies.yaml": "COMPANY", "agencies.yaml": "AGENCY", "instruments.yaml": "INSTRUMENT",
    "people.yaml": "PERSON", "places.yaml": "PLACE", "outlets.yaml": "OUTLET",
    "organizations.yaml": "ORG",
}
EVENT_ACTIONS = (
    "added_to_list", "designated", "identified", "removed", "eo_signed", "law_signed",
    "law_effective", "ipo_listed", "initiative_announced",
)
BOARDS = ("main", "chinext", "star", "st", "hk_main")
AGENCY_KINDS = (
    "executive", "department", "bureau", "office", "legislature", "ministry", "exchange", "board",
)
INSTRUMENT_KINDS = ("list", "executive_order", "law", "initiative", "regulation")
PLACE_KINDS = ("country", "region", "city", "territory")
OUTLET_KINDS = ("newspaper", "news_agency", "magazine", "website", "broadcaster", "newsletter")
ORG_KINDS = (
    "think_tank", "consultancy", "university", "industry_group", "intergovernmental", "party",
    "research_firm",
)


# --------------------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class Source:
    """A citable document: Federal Register notice, press release, law, filing."""

    id: str
    publisher: str
    title: str
    date: dt.date | None = None
    citation: str = ""
    url: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        """Short citation: publisher, title, citation, date."""
        parts = [self.publisher, self.title]
        if self.citation:
            parts.append(self.citation)
        if self.date:
            parts.append(self.date.isoformat())
        return ", ".join(parts)


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: a source id, or a verbatim quote from a seed article."""

    source_id: str | None = None
    seed: str | None = None
    quote: str | None = None
    span: tuple[int, int] | None = None  # character span of the quote in seeds/<seed>.txt
    text: str = ""  # the citation or the quote

    @property
    def id(self) -> str:
        return self.source_id if self.source_id else f"seed:{self.seed}"


@dataclass(frozen=True)
class Fact:
    value: Any
    source: SourceRef
    as_of: dt.date | None = None
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Listing:
    exchange: str
    ticker: str
    symbol: str
    board: str
    currency: str
    source: SourceRef
    listed: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class SanctionRow:
    """One listing period on one instrument (OpenSanctions shape: removal closes, never deletes)."""

    instrument: str
    name_as_printed: str
    listed: dt.date
    source: SourceRef
    event: str = ""
    name_clean: str = ""
    effective: dt.date | None = None
    end: dt.date | None = None
    justification: str = ""
    note: str = ""


@dataclass(frozen=True)
class PriceLimit:
    """Daily price limit (a fraction, 0.10 = ±10%) of a board, from a date on."""

    board: str
    limit: float
    from_: dt.date | None  # None: in force before the study window, start day not verified
    source: SourceRef
    note: str = ""

    def __getitem__(self, key: str) -> Any:  # also usable as {board, limit, from}
        return {"board": self.board, "limit": self.limit, "from": self.from_}[key]


@dataclass
class Entity:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    aliases_exact: list[str] = field(default_factory=list)
    source: SourceRef | None = None
    note: str = ""
    label: str = ""

    def surface_forms(self) -> Iterator[tuple[str, bool]]:
        """(form, case_sensitive) for the name and every alias."""
        if self.name not in self.aliases_exact:  # an acronym name ("DJI") stays case-sensitive
            yield self.name, False
        for a in self.aliases:
            yield a, False
        for a in self.aliases_exact:
            yield a, True


@dataclass
class Company(Entity):
    legal_names: list[Fact] = field(default_factory=list)
    chinese_name: Fact | None = None
    country: Fact | None = None
    sector: Fact | None = None
    founded: Fact | None = None
    headquarters: Fact | None = None
    staff: Fact | None = None
    revenue: Fact | None = None
    listings: list[Listing] = field(default_factory=list)
    sanctions: list[SanctionRow] = field(default_factory=list)

    def surface_forms(self) -> Iterator[tuple[str, bool]]:
        yield from super().surface_forms()
        for f in self.legal_names:
            yield str(f.value), False


@dataclass
class Agency(Entity):
    kind: str = ""
    parent: str = ""
    country: str = ""


@dataclass
class Exchange(Agency):
    timezone: str = ""
    yahoo_suffix: str = ""
    market_indices: list[str] = field(default_factory=list)
    price_limits: list[PriceLimit] = field(default_factory=list)

    def price_limit(self, board: str, on: dt.date) -> PriceLimit | None:
        """The limit row in force for `board` on date `on` (latest `from` not after it)."""
        rows = [p for p in self.price_limits
                if p.board == board and (p.from_ is None or p.from_ <= on)]
        return max(rows, key=lambda p: p.from_ or dt.date.min) if rows else None


@dataclass
class Instrument(Entity):
    kind: str = ""
    authority: str = ""
    legal_basis: str = ""
    effect: str = ""


@dataclass
class Person(Entity):
    role: Fact | None = None
    affiliation: Fact | None = None


@dataclass
class Place(Entity):
    kind: str = ""
    country: str = ""


@dataclass
class Outlet(Entity):
    kind: str = ""
    country: str = ""
    url: str = ""


@dataclass
class Organization(Entity):
    kind: str = ""
    country: str = ""
    url: str = ""


@dataclass(frozen=True)
class RefEvent:
    """An official action of the reference timeline."""

    id: str
    date: dt.date
    action: str
    actor: str
    title: str
    source: SourceRef
    instrument: str = ""
    targets: tuple[str, ...] = ()
    effective: dt.date | None = None
    published: dt.date | None = None
    note: str = ""


# --------------------------------------------------------------------------- normalisation
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_POSSESSIVE = re.compile(r"(?:'s|s')$")


def normalize_name(text: str) -> str:
    """Fold case, curly quotes, possessives, whitespace and trailing dots for name lookup."""
    s = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES).casefold()
    s = re.sub(r"\s+", " ", s).strip().rstrip(".,;:").strip()
    if s.endswith("'s"):
        s = s[:-2]
    elif s.endswith("s'"):
        s = s[:-1]
    return s


# --------------------------------------------------------------------------- parsing helpers
class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so a bad date gets a KBError naming its field."""


_YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Ctx:
    """Error context: file name, entry id (or index) and line."""

    def __init__(self, file: str, entry: str, line: int | None = None):
        self.file, self.entry, self.line = file, entry, line

    def error(self, fld: str | None, msg: str) -> KBError:
        where = f"{self.file}: entry {self.entry}"
        if fld:
            where += f": field '{fld}'"
        tail = f" (line {self.line})" if self.line else ""
        return KBError(f"{where}: {msg}{tail}")


def _parse_date(ctx: _Ctx, fld: str, value: Any, *, optional: bool = False) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ctx.error(fld, f"bad date {value!r}; write an ISO date such as 2019-10-07")


def _str(ctx: _Ctx, fld: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(fld, f"expected a non-empty string, got {value!r} (quote numbers "
                             "such as tickers: \"0020\")")
    return value


def _str_list(ctx: _Ctx, fld: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ctx.error(fld, f"expected a list of strings, got {value!r}")
    return [_str(ctx, f"{fld}[{i}]", v) for i, v in enumerate(value)]


def _enum(ctx: _Ctx, fld: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ctx.error(fld, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _check_fields(ctx: _Ctx, raw: dict, allowed: set[str], required: tuple[str, ...]) -> None:
    for k in raw:
        if k not in allowed:
            close = difflib.get_close_matches(str(k), sorted(allowed), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ctx.error(str(k), f"unknown field{hint}; allowed: {', '.join(sorted(allowed))}")
    for k in required:
        if raw.get(k) is None:
            raise ctx.error(k, "required field is missing")


class _Loader:
    def __init__(self, folder: Path, seeds_dir: Path):
        self.folder, self.seeds_dir = folder, seeds_dir
        self.sources: dict[str, Source] = {}
        self._seed_cache: dict[str, str] = {}
        self.ids: dict[str, str] = {}  # entity id -> file

    # ---- files
    def read(self, name: str) -> list[tuple[dict, _Ctx]]:
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
                raise _Ctx(name, str(i), line).error(None, "an entry must be a mapping")
            eid = raw.get("id")
            entry = f"'{eid}'" if isinstance(eid, str) and eid else str(i)
            out.append((raw, _Ctx(name, entry, line)))
        return out

    def seed_text(self, ctx: _Ctx, fld: str, doc_id: str) -> str:
        if doc_id not in self._seed_cache:
            path = self.seeds_dir / f"{doc_id}.txt"
            if not path.is_file():
                raise ctx.error(fld, f"seed '{doc_id}' not found: no file {path}")
            self._seed_cache[doc_id] = path.read_text(encoding="utf-8")
        return self._seed_cache[doc_id]

    # ---- sources and facts
    def ref(self, ctx: _Ctx, fld: str, value: Any) -> SourceRef:
        if isinstance(value, str):
            if value not in self.sources:
                raise ctx.error(fld, f"source '{value}' is not defined in sources.yaml")
            return SourceRef(source_id=value, text=self.sources[value].text)
        if isinstance(value, dict):
            extra = set(value) - {"seed", "quote"}
            if extra or "seed" not in value or "quote" not in value:
                raise ctx.error(fld, "a seed source is {seed: <doc_id>, quote: \"verbatim text\"}, "
                                     f"got {value!r}")
            doc_id = _str(ctx, fld, value["seed"])
            quote = _str(ctx, fld, value["quote"])
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

    def fact(self, ctx: _Ctx, fld: str, raw: Any) -> Fact:
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
                    as_of=_parse_date(ctx, fld, raw.get("as_of"), optional=True),
                    unit=str(raw.get("unit") or ""), note=str(raw.get("note") or ""))

    def opt_fact(self, ctx: _Ctx, fld: str, raw: dict) -> Fact | None:
        return None if raw.get(fld) is None else self.fact(ctx, fld, raw[fld])

    # ---- sources.yaml
    def load_sources(self) -> None:
        allowed = {"id", "publisher", "title", "date", "citation", "url", "note"}
        for raw, ctx in self.read("sources.yaml"):
            _check_fields(ctx, raw, allowed, ("id", "publisher", "title"))
            sid = _str(ctx, "id", raw["id"])
            if sid in self.sources:
                raise ctx.error("id", f"duplicate id '{sid}'")
            self.sources[sid] = Source(
                id=sid, publisher=_str(ctx, "publisher", raw["publisher"]),
                title=_str(ctx, "title", raw["title"]),
                date=_parse_date(ctx, "date", raw.get("date"), optional=True),
                citation=str(raw.get("citation") or ""), url=str(raw.get("url") or ""),
                note=str(raw.get("note") or ""))

    # ---- entities
    def base(self, ctx: _Ctx, raw: dict, label: str) -> dict[str, Any]:
        eid = _str(ctx, "id", raw["id"])
        if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", eid):
            raise ctx.error("id", f"id {eid!r} must be lower-case letters, digits, '_' or '-'")
        if eid in self.ids:
            raise ctx.error("id", f"duplicate id '{eid}' (already defined in {self.ids[eid]})")
        self.ids[eid] = ctx.file
        return dict(
            id=eid, name=_str(ctx, "name", raw["name"]),
            aliases=_str_list(ctx, "aliases", raw.get("aliases") or []),
            aliases_exact=_str_list(ctx, "aliases_exact", raw.get("aliases_exact") or []),
            source=None if raw.get("source") is None else self.ref(ctx, "source", raw["source"]),
            note=str(raw.get("note") or ""), label=label)

    def entities(self, name: str, extra: set[str], build: Callable[[_Ctx, dict, dict], Entity],
                 ) -> dict[str, Any]:
        allowed = {"id", "name", "aliases", "aliases_exact", "source", "note"} | extra
        out: dict[str, Any] = {}
        for raw, ctx in self.read(name):
            _check_fields(ctx, raw, allowed, ("id", "name"))
            ent = build(ctx, raw, self.base(ctx, raw, LABELS[name]))
            out[ent.id] = ent
        return out

    def described(self, ctx: _Ctx, raw: dict, base: dict, fields: tuple[str, ...]) -> dict:
        """Plain descriptive fields, attributed to the entity-level source (then required)."""
        vals = {f: _str(ctx, f, raw[f]) for f in fields if raw.get(f) is not None}
        if vals and base["source"] is None:
            first = next(iter(vals))
            raise ctx.error(first, "missing source: this field is attributed to the entry's "
                                   "'source', which is not given")
        return vals

    def company(self, ctx: _Ctx, raw: dict, base: dict) -> Company:
        listings = []
        for i, r in enumerate(raw.get("listings") or []):
            fld = f"listings[{i}]"
            if not isinstance(r, dict):
                raise ctx.error(fld, "a listing is a mapping {exchange, ticker, symbol, ...}")
            sub = _Ctx(ctx.file, ctx.entry, ctx.line)
            for k in r:
                if k not in {"exchange", "ticker", "symbol", "board", "currency", "listed",
                             "source", "note"}:
                    raise sub.error(f"{fld}.{k}", "unknown field")
            for k in ("exchange", "ticker", "symbol", "board", "currency", "source"):
                if r.get(k) is None:
                    raise sub.error(f"{fld}.{k}", "required field is missing")
            listings.append(Listing(
                exchange=_str(ctx, f"{fld}.exchange", r["exchange"]),
                ticker=_str(ctx, f"{fld}.ticker", r["ticker"]),
                symbol=_str(ctx, f"{fld}.symbol", r["symbol"]),
                board=_enum(ctx, f"{fld}.board", r["board"], BOARDS),
                currency=_str(ctx, f"{fld}.currency", r["currency"]),
                listed=_parse_date(ctx, f"{fld}.listed", r.get("listed"), optional=True),
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
                instrument=_str(ctx, f"{fld}.instrument", r["instrument"]),
                event=str(r.get("event") or ""),
                name_as_printed=_str(ctx, f"{fld}.name_as_printed", r["name_as_printed"]),
                name_clean=str(r.get("name_clean") or ""),
                listed=_parse_date(ctx, f"{fld}.listed", r["listed"]),
                effective=_parse_date(ctx, f"{fld}.effective", r.get("effective"), optional=True),
                end=_parse_date(ctx, f"{fld}.end", r.get("end"), optional=True),
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

    def agency(self, ctx: _Ctx, raw: dict, base: dict) -> Agency:
        kind = _enum(ctx, "kind", raw.get("kind"), AGENCY_KINDS)
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
                board=_enum(ctx, f"{fld}.board", r["board"], BOARDS), limit=float(lim),
                from_=_parse_date(ctx, f"{fld}.from", r["from"], optional=True),
                source=self.ref(ctx, f"{fld}.source", r["source"]), note=str(r.get("note") or "")))
        return Exchange(
            **base, kind=kind, **vals,
            timezone=_str(ctx, "timezone", raw.get("timezone")),
            yahoo_suffix=str(raw.get("yahoo_suffix") or ""),
            market_indices=_str_list(ctx, "market_indices", raw.get("market_indices") or []),
            price_limits=limits)

    def instrument(self, ctx: _Ctx, raw: dict, base: dict) -> Instrument:
        if base["source"] is None:
            raise ctx.error("source", "required field is missing")
        return Instrument(**base, kind=_enum(ctx, "kind", raw.get("kind"), INSTRUMENT_KINDS),
                          **self.described(ctx, raw, base, ("authority", "legal_basis", "effect")))

    def person(self, ctx: _Ctx, raw: dict, base: dict) -> Person:
        return Person(**base, role=self.opt_fact(ctx, "role", raw),
                      affiliation=self.opt_fact(ctx, "affiliation", raw))

    def place(self, ctx: _Ctx, raw: dict, base: dict) -> Place:
        return Place(**base, kind=_enum(ctx, "kind", raw.get("kind"), PLACE_KINDS),
                     **self.described(ctx, raw, base, ("country",)))

    def outlet(self, ctx: _Ctx, raw: dict, base: dict) -> Outlet:
        return Outlet(**base, kind=_enum(ctx, "kind", raw.get("kind"), OUTLET_KINDS),
                      **self.described(ctx, raw, base, ("country", "url")))

    def organization(self, ctx: _Ctx, raw: dict, base: dict) -> Organization:
        return Organization(**base, kind=_enum(ctx, "kind", raw.get("kind"), ORG_KINDS),
                            **self.described(ctx, raw, base, ("country", "url")))

    def events(self) -> list[RefEvent]:
        allowed = {"id", "date", "effective", "published", "action", "actor", "instrument",
                   "targets", "title", "source", "note"}
        out = []
        for raw, ctx in self.read("events.yaml"):
            _check_fields(ctx, raw, allowed, ("id", "date", "action", "actor", "title", "source"))
            eid = _str(ctx, "id", raw["id"])
            if eid in self.ids:
                raise ctx.error("id", f"duplicate id '{eid}' (already defined in {self.ids[eid]})")
            self.ids[eid] = ctx.file
            out.append((ctx, RefEvent(
                id=eid, date=_parse_date(ctx, "date", raw["date"]),
                effective=_parse_date(ctx, "effective", raw.get("effective"), optional=True),
                published=_parse_date(ctx, "published", raw.get("published"), optional=True),
                action=_enum(ctx, "action", raw["action"], EVENT_ACTIONS),
                actor=_str(ctx, "actor", raw["actor"]),
                instrument=str(raw.get("instrument") or ""),
                targets=tuple(_str_list(ctx, "targets", raw.get("targets") or [])),
                title=_str(ctx, "title", raw["title"]),
                source=self.ref(ctx, "source", raw["source"]), note=str(raw.get("note") or ""))))
        return out


# --------------------------------------------------------------------------- the KB
@dataclass
class KB:
    """The loaded knowledge base; build it with :func:`load_kb` or :func:`get_kb`."""

    folder: Path
    sources: dict[str, Source]
    companies: dict[str, Company]
    agencies: dict[str, Agency]
    instruments: dict[str, Instrument]
    people: dict[str, Person]
    places: dict[str, Place]
    outlets: dict[str, Outlet]
    organizations: dict[str, Organization]
    events: list[RefEvent]

    def __post_init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        for group in self._groups():
            self._entities.update(group)
        self._company_index: dict[str, str] = {}
        for c in self.companies.values():
            for form, _ in c.surface_forms():
                self._company_index.setdefault(normalize_name(form), c.id)

    def _groups(self) -> list[dict[str, Any]]:
        return [self.companies, self.agencies, self.instruments, self.people, self.places,
                self.outlets, self.organizations]

    # ---- lookups
    def entity(self, entity_id: str) -> Entity:
        """The entity (of any type) with this id."""
        try:
            return self._entities[entity_id]
        except KeyError:
            close = difflib.get_close_matches(entity_id, sorted(self._entities), n=3)
            raise UnknownNameError(
                f"unknown entity id {entity_id!r}; closest ids: {', '.join(close) or 'none'}"
            ) from None

    def label_of(self, entity_id: str) -> str:
        return self.entity(entity_id).label

    def event(self, event_id: str) -> RefEvent:
        for e in self.events:
            if e.id == event_id:
                return e
        raise UnknownNameError(f"unknown reference event {event_id!r}; known events: "
                               + ", ".join(e.id for e in self.events))

    def resolve_company(self, name: str) -> Company:
        """The company for any name, alias or legal name (case, curly quote, possessive folded)."""
        key = normalize_name(name)
        if key in self._company_index:
            return self.companies[self._company_index[key]]
        close = difflib.get_close_matches(key, sorted(self._company_index), n=5, cutoff=0.6)
        names: list[str] = []
        for k in close:
            n = self.companies[self._company_index[k]].name
            if n not in names:
                names.append(n)
        known = ", ".join(sorted(c.name for c in self.companies.values()))
        raise UnknownNameError(
            f"unknown company {name!r}; closest matches: {', '.join(names) or 'none'}. "
            f"Known companies: {known}. Add new ones to companies.yaml in {self.folder}")

    def listing_for_symbol(self, symbol: str) -> tuple[Company, Listing]:
        """(company, listing) for a price-table symbol such as '002415.SZ'."""
        for c in self.companies.values():
            for lst in c.listings:
                if lst.symbol.casefold() == str(symbol).strip().casefold():
                    return c, lst
        known = sorted(lst.symbol for c in self.companies.values() for lst in c.listings)
        raise UnknownNameError(f"no listing with symbol {symbol!r}; known symbols: "
                               + ", ".join(known))

    def exchange(self, exchange_id: str) -> Exchange:
        ag = self.agencies.get(exchange_id)
        if isinstance(ag, Exchange):
            return ag
        known = sorted(k for k, v in self.agencies.items() if isinstance(v, Exchange))
        raise UnknownNameError(f"unknown exchange {exchange_id!r}; known exchanges: "
                               + ", ".join(known))

    def gazetteer(self) -> list[tuple[str, str, str, bool]]:
        """(surface form, LABEL, entity_id, case_sensitive) for every name and alias."""
        rows: dict[tuple[str, str, bool], tuple[str, str, str, bool]] = {}
        for group in self._groups():
            for ent in group.values():
                for form, cs in ent.surface_forms():
                    key = (form if cs else form.casefold(), ent.id, cs)  # one row per variant
                    rows.setdefault(key, (form, ent.label, ent.id, cs))
        return sorted(rows.values())

    # ---- facts
    def iter_facts(self) -> Iterator[tuple[str, str, Any, SourceRef, Fact | None]]:
        """(entity_id, field, value, source, fact) for every sourced statement in the KB."""
        for group in self._groups():
            for ent in group.values():
                if ent.source is not None:
                    yield ent.id, "name", ent.name, ent.source, None
                    for f in ("authority", "legal_basis", "effect", "parent", "country", "url"):
                        v = getattr(ent, f, None)
                        if isinstance(v, str) and v:
                            yield ent.id, f, v, ent.source, None
                for f in ("chinese_name", "country", "sector", "founded", "headquarters",
                          "staff", "revenue", "role", "affiliation"):
                    fact = getattr(ent, f, None)
                    if isinstance(fact, Fact):
                        yield ent.id, f, fact.value, fact.source, fact
                if isinstance(ent, Company):
                    for fact in ent.legal_names:
                        yield ent.id, "legal_name", fact.value, fact.source, fact
                    for lst in ent.listings:
                        yield ent.id, "listing", f"{lst.symbol} ({lst.exchange}, {lst.board})", \
                            lst.source, None
                    for s in ent.sanctions:
                        end = f" to {s.end.isoformat()}" if s.end else ""
                        yield ent.id, "sanction", f"{s.instrument} from {s.listed.isoformat()}" \
                            f"{end}", s.source, None
                if isinstance(ent, Exchange):
                    for p in ent.price_limits:
                        since = f" from {p.from_.isoformat()}" if p.from_ else ""
                        yield ent.id, "price_limit", f"{p.board} ±{p.limit:.0%}{since}", \
                            p.source, None
        for e in self.events:
            yield e.id, "date", e.date.isoformat(), e.source, None
            for f in ("effective", "published"):
                v = getattr(e, f)
                if v:
                    yield e.id, f, v.isoformat(), e.source, None
            if e.targets:
                yield e.id, "targets", ", ".join(e.targets), e.source, None

    def facts(self) -> pd.DataFrame:
        """One row per fact: entity_id, field, value, source_id, source_text, seed span, ..."""
        rows = []
        for eid, fld, value, ref, fact in self.iter_facts():
            if isinstance(value, dt.date):
                value = value.isoformat()
            rows.append({
                "entity_id": eid, "field": fld, "value": str(value), "source_id": ref.id,
                "source_text": ref.text, "seed_start": ref.span[0] if ref.span else None,
                "seed_end": ref.span[1] if ref.span else None,
                "as_of": fact.as_of.isoformat() if fact and fact.as_of else "",
                "unit": fact.unit if fact else "", "note": fact.note if fact else ""})
        cols = ["entity_id", "field", "value", "source_id", "source_text", "seed_start",
                "seed_end", "as_of", "unit", "note"]
        df = pd.DataFrame(rows, columns=cols)
        df["seed_start"] = df["seed_start"].astype("Int64")
        df["seed_end"] = df["seed_end"].astype("Int64")
        return df.sort_values(["entity_id", "field", "value"], kind="stable").reset_index(drop=True)

    def events_frame(self) -> pd.DataFrame:
        """The reference timeline as a table."""
        rows = [{"event_id": e.id, "date": e.date, "effective": e.effective,
                 "published": e.published, "action": e.action, "actor": e.actor,
                 "instrument": e.instrument, "targets": list(e.targets), "title": e.title,
                 "source_id": e.source.id, "source_text": e.source.text, "note": e.note}
                for e in self.events]
        return pd.DataFrame(rows, columns=["event_id", "date", "effective", "published",
                                           "action", "actor", "instrument", "targets", "title",
                                           "source_id", "source_text", "note"])


# --------------------------------------------------------------------------- cross-checks
def _check_references(kb: KB, ctxs: dict[str, _Ctx]) -> None:
    def need(ctx: _Ctx, fld: str, value: str, group: dict, what: str) -> None:
        if value and value not in group:
            close = difflib.get_close_matches(value, sorted(group), n=3)
            raise ctx.error(fld, f"{what} '{value}' is not defined (closest: "
                                 f"{', '.join(close) or 'none'})")

    for c in kb.companies.values():
        ctx = ctxs[c.id]
        for i, lst in enumerate(c.listings):
            if not isinstance(kb.agencies.get(lst.exchange), Exchange):
                need(ctx, f"listings[{i}].exchange", lst.exchange, {}, "exchange")
        for i, s in enumerate(c.sanctions):
            need(ctx, f"sanctions[{i}].instrument", s.instrument, kb.instruments, "instrument")
            need(ctx, f"sanctions[{i}].event", s.event, {e.id: e for e in kb.events}, "event")
            if s.end and s.end < s.listed:
                raise ctx.error(f"sanctions[{i}].end", "end date is before the listed date")
        for f in ("headquarters", "country"):
            fact = getattr(c, f)
            if fact is not None:
                need(ctx, f, str(fact.value), kb.places, "place")
    for a in kb.agencies.values():
        need(ctxs[a.id], "parent", a.parent, kb.agencies, "agency")
        need(ctxs[a.id], "country", a.country, kb.places, "place")
    for i in kb.instruments.values():
        need(ctxs[i.id], "authority", i.authority, kb.agencies, "agency")
    for group in (kb.places, kb.outlets, kb.organizations):
        for p in group.values():
            need(ctxs[p.id], "country", p.country, kb.places, "place")
    for e in kb.events:
        ctx = ctxs[e.id]
        need(ctx, "actor", e.actor, kb.agencies, "agency")
        need(ctx, "instrument", e.instrument, kb.instruments, "instrument")
        for t in e.targets:
            need(ctx, "targets", t, kb.companies, "company")
    # aliases: one surface form, one entity (case-insensitive comparison)
    seen: dict[str, tuple[str, str]] = {}
    for group in kb._groups():
        for ent in group.values():
            for form, _ in ent.surface_forms():
                key = normalize_name(form)
                other = seen.get(key)
                if other and other[0] != ent.id:
                    raise ctxs[ent.id].error(
                        "aliases", f"alias {form!r} also names {other[1]} '{other[0]}'; "
                        "make it more specific or drop it")
                seen[key] = (ent.id, ent.label)


def load_kb(folder: str | Path | None = None, seeds_dir: str | Path | None = None) -> KB:
    """Load and validate the KB in `folder` (default: the bundled YAML)."""
    root = paths.resolve(folder, paths.KB_DIR)
    if not root.is_dir():
        raise KBError(f"knowledge base folder {root} does not exist")
    seeds = paths.resolve(seeds_dir, paths.SEEDS_DIR)
    ld = _Loader(root, seeds)
    ld.load_sources()
    ctxs: dict[str, _Ctx] = {}

    def track(build: Callable[[_Ctx, dict, dict], Entity]) -> Callable[[_Ctx, dict, dict], Entity]:
        def inner(ctx: _Ctx, raw: dict, base: dict) -> Entity:
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
    _check_references(kb, ctxs)
    return kb


@functools.cache
def get_kb() -> KB:
    """The bundled knowledge base, loaded once per process."""
    return load_kb()


__all__ = [
    "KB", "Agency", "Company", "Entity", "Exchange", "Fact", "Instrument", "Listing",
    "Organization", "Outlet", "Person", "Place", "PriceLimit", "RefEvent", "SanctionRow",
    "Source", "SourceRef", "get_kb", "load_kb", "normalize_name",
]
