"""Checks of the knowledge base: field types and names of one entry (with file, entry and line
in every error), and the cross-references between entries once all files are read.

Every problem raises :class:`~sanctionlens.errors.KBError` naming file, entry and field.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from ..errors import KBError
from .lookup import normalize_name
from .model import KB, Exchange


class Ctx:
    """Error context: file name, entry id (or index) and line."""

    def __init__(self, file: str, entry: str, line: int | None = None):
        self.file, self.entry, self.line = file, entry, line

    def error(self, fld: str | None, msg: str) -> KBError:
        where = f"{self.file}: entry {self.entry}"
        if fld:
            where += f": field '{fld}'"
        tail = f" (line {self.line})" if self.line else ""
        return KBError(f"{where}: {msg}{tail}")


def parse_date(ctx: Ctx, fld: str, value: Any, *, optional: bool = False) -> dt.date | None:
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


def req_str(ctx: Ctx, fld: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(fld, f"expected a non-empty string, got {value!r} (quote numbers "
                             "such as tickers: \"0020\")")
    return value


def str_list(ctx: Ctx, fld: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ctx.error(fld, f"expected a list of strings, got {value!r}")
    return [req_str(ctx, f"{fld}[{i}]", v) for i, v in enumerate(value)]


def enum(ctx: Ctx, fld: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ctx.error(fld, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def check_fields(ctx: Ctx, raw: dict, allowed: set[str], required: tuple[str, ...]) -> None:
    for k in raw:
        if k not in allowed:
            close = difflib.get_close_matches(str(k), sorted(allowed), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ctx.error(str(k), f"unknown field{hint}; allowed: {', '.join(sorted(allowed))}")
    for k in required:
        if raw.get(k) is None:
            raise ctx.error(k, "required field is missing")


def check_references(kb: KB, ctxs: dict[str, Ctx]) -> None:
    def need(ctx: Ctx, fld: str, value: str, group: dict, what: str) -> None:
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
            if s.source.source_id is None:
                raise ctx.error(f"sanctions[{i}].source", "a listing cites an official document "
                                "from sources.yaml (Federal Register notice or release), not a "
                                "seed quote")
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

