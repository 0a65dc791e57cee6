"""What every figure builder shares: font, colour-blind-safe palette, escaping, column checks."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from ..errors import ParameterError

FONT = {"family": "Helvetica, Arial, sans-serif", "size": 13}
# Okabe–Ito qualitative palette (colour-blind safe).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")


def esc(value: object) -> str:
    """Article text is data, never markup: escape it for plotly hover text and titles."""
    return html.escape("" if value is None else str(value), quote=True)


def short(text: object, limit: int) -> str:
    """Whitespace collapsed and cut to `limit` characters with an ellipsis (not escaped)."""
    t = " ".join(str(text).split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ParameterError naming the missing columns of a frame given to a builder."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ParameterError(f"{what}: the frame lacks column(s) {', '.join(missing)}; "
                             f"it has {', '.join(map(str, df.columns)) or 'none'}")
