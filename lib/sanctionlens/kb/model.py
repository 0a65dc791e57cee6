"""The knowledge base's data model: sourced facts, entries of each kind and the loaded KB.

A fact is ``{value: ..., source: <source id> | {seed: <doc_id>, quote: "..."}}`` with optional
``as_of``, ``unit`` and ``note``. Plain descriptive fields of an entity (an instrument's
``effect``, a place's ``country``, ...) are attributed to the entity-level ``source``.
Classification fields (``kind``) and market configuration (``timezone``, ``yahoo_suffix``,
``market_indices``) are not facts. Loading is in :mod:`.load`, checks in :mod:`.validate`,
name lookups in :mod:`.lookup`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .lookup import Lookups

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


RECOGNITION_ONLY = "recognition only"  # the note of companies.yaml's names-only entries


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

    @property
    def recognition_only(self) -> bool:
        """Kept so that the tagger knows the name, with no facts (see companies.yaml)."""
        return self.note.startswith(RECOGNITION_ONLY)


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

# --------------------------------------------------------------------------- the KB
@dataclass
class KB(Lookups):
    """The loaded knowledge base; build it with :func:`load_kb` or :func:`get_kb`.

    Name and id lookups (``entity``, ``resolve_company``, ``gazetteer`` ...) come from
    :class:`~sanctionlens.kb.lookup.Lookups`."""

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
        self.index()

    def _groups(self) -> list[dict[str, Any]]:
        return [self.companies, self.agencies, self.instruments, self.people, self.places,
                self.outlets, self.organizations]

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


