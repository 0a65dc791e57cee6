"""Errors raised by sanctionlens: each names what is wrong, where, and what would work."""

from __future__ import annotations


class SanctionlensError(Exception):
    """Base class for every error the library raises on bad input."""


class CorpusError(SanctionlensError):
    """A folder or file of articles cannot be read as a corpus."""


class MetadataError(CorpusError):
    """Rows of a metadata.csv are invalid (each problem carries its line number)."""


class KBError(SanctionlensError):
    """The knowledge base YAML is malformed (names the file, the entry and the field)."""


class UnknownNameError(SanctionlensError, KeyError):
    """A name (company, event, parameter value) is not known; lists what would work."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ParameterError(SanctionlensError, ValueError):
    """A notebook or function parameter is invalid."""


class PriceDataError(SanctionlensError):
    """A price file does not follow the documented layout."""
