"""Knowledge base: companies, agencies, instruments, people, places, outlets, organisations
and a reference timeline, read from YAML files in which every fact carries its source.

The package is split by job: :mod:`.model` (the dataclasses and the loaded :class:`KB`),
:mod:`.load` (YAML files, overlays), :mod:`.validate` (field and cross-reference checks) and
:mod:`.lookup` (name normalisation, lookups). It imports no other stage of the pipeline.
"""

from __future__ import annotations

from .load import get_kb, load_kb, reset_kb
from .lookup import normalize_name
from .model import (
    AGENCY_KINDS,
    BOARDS,
    EVENT_ACTIONS,
    INSTRUMENT_KINDS,
    KB,
    KB_FILES,
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

__all__ = [
    "AGENCY_KINDS", "BOARDS", "EVENT_ACTIONS", "INSTRUMENT_KINDS", "KB_FILES", "LABELS",
    "ORG_KINDS", "OUTLET_KINDS", "PLACE_KINDS",
    "KB", "Agency", "Company", "Entity", "Exchange", "Fact", "Instrument", "Listing",
    "Organization", "Outlet", "Person", "Place", "PriceLimit", "RefEvent", "SanctionRow",
    "Source", "SourceRef", "get_kb", "load_kb", "normalize_name", "reset_kb",
]
