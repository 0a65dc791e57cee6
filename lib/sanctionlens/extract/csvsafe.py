"""CSV cells a spreadsheet will not run: the OWASP rule against CSV (formula) injection.

Article text reaches CSV exports; a cell such as ``=HYPERLINK("http://…")`` or ``@SUM(…)``
would be evaluated by Excel or LibreOffice when the file is opened. Every text cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single
quote, which spreadsheets show as text and never evaluate
(https://owasp.org/www-community/attacks/CSV_Injection). Numbers are written as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of a CSV row through ``neutralise``."""
    return [neutralise(v) for v in row]


def safe_frame(frame: Any) -> Any:
    """A copy of a DataFrame whose text cells are neutralised (for ``DataFrame.to_csv``)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(neutralise)
    return out


__all__ = ["FORMULA_STARTS", "neutralise", "safe_frame", "safe_row"]
