"""Name normalisation and the knowledge base's lookups (by id, by name, by ticker).

:class:`Lookups` is mixed into :class:`~sanctionlens.kb.model.KB`; it reads the KB's entity
groups and builds a name index (every name, alias and legal name of a company, normalised).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..errors import UnknownNameError

if TYPE_CHECKING:
    from pathlib import Path

    from .model import Company, Entity, Exchange, Listing, RefEvent

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



class Lookups:
    """Lookups over a KB's entity groups (mixed into :class:`~sanctionlens.kb.model.KB`)."""

    folder: Path
    companies: dict[str, Company]
    agencies: dict[str, Any]
    events: list[RefEvent]
    _entities: dict[str, Entity]
    _company_index: dict[str, str]

    def _groups(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def index(self) -> None:
        """(Re)build the id table and the company name index (after the groups change)."""
        self._entities = {}
        for group in self._groups():
            self._entities.update(group)
        self._company_index = {}
        for c in self.companies.values():
            for form, _ in c.surface_forms():
                self._company_index.setdefault(normalize_name(form), c.id)

    def find_company(self, name: str) -> Company | None:
        """The company for a name, alias or legal name, or None (see resolve_company)."""
        cid = self._company_index.get(normalize_name(name))
        return self.companies[cid] if cid else None

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
        from .model import Exchange  # model imports this module, so not at the top

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
