"""Display helpers for notebooks: figures that work live in JupyterLab and in offline HTML.

Every figure goes through :func:`show`. Any HTML built from article text goes through
:func:`escape` (or :func:`html_table`, :func:`highlight`, :func:`md`): article text is data,
never markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import ParameterError

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_HEIGHT = 525  # plotly's own notebook renderer default, in px

_seen_ids: Counter[str] = Counter()


def escape(value: object) -> str:
    """HTML-escape any value (quotes included); ``None`` becomes an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def escape_md(value: object) -> str:
    """Escape a value for a Markdown cell: HTML-escaped and Markdown punctuation neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", escape(value))


def md(template: str, **values: object) -> Any:
    """Markdown from a trusted ``template`` with ``{name}`` fields filled by escaped ``values``."""
    from IPython.display import Markdown

    return Markdown(template.format(**{k: escape_md(v) for k, v in values.items()}))


def plotly_div_id(fig_json: str) -> str:
    """A deterministic div id from the figure JSON (repeats in one kernel get -2, -3, ...)."""
    base = "plotly-" + hashlib.sha256(fig_json.encode("utf-8")).hexdigest()[:16]
    _seen_ids[base] += 1
    n = _seen_ids[base]
    return base if n == 1 else f"{base}-{n}"


def plotly_bundle(fig: Any, alt: str | None = None) -> dict[str, Any]:
    """MIME bundle for a plotly figure: live JSON for JupyterLab, HTML for nbconvert."""
    import json

    import plotly.io as pio

    fig_json = pio.to_json(fig, validate=False, remove_uids=False)
    div = pio.to_html(
        fig,
        include_plotlyjs=False,  # the report pages load one shared plotly.min.js
        include_mathjax=False,
        full_html=False,
        div_id=plotly_div_id(fig_json),
        default_width="100%",
        default_height=PLOTLY_HEIGHT,
        validate=False,
        config={"displaylogo": False, "responsive": True},
    )
    if alt:
        div = f'<div role="figure" aria-label="{escape(alt)}">{div}</div>'
    text = "Plotly figure" + (f": {alt}" if alt else "")
    return {PLOTLY_MIME: json.loads(fig_json), "text/html": div, "text/plain": text}


def matplotlib_bundle(fig: Any, alt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data, metadata) for a matplotlib figure as PNG with its alt text."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    data = {
        "image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
        "text/plain": f"Figure: {alt}",
    }
    return data, {"image/png": {"alt": alt}}


def _is_plotly(fig: Any) -> bool:
    return hasattr(fig, "to_plotly_json")


def _is_matplotlib(fig: Any) -> bool:
    return hasattr(fig, "savefig") and hasattr(fig, "canvas")


def show(fig: Any, alt: str | None = None) -> None:
    """Display a plotly or matplotlib figure so it renders in JupyterLab and in offline HTML.

    Plotly: a bundle with ``application/vnd.plotly.v1+json`` and ``text/html`` (no plotly.js,
    deterministic div id). Matplotlib: a PNG whose ``alt`` text is required, and the figure is
    closed so it is not drawn twice.
    """
    from IPython.display import display

    if _is_plotly(fig):
        display(plotly_bundle(fig, alt), raw=True)
    elif _is_matplotlib(fig):
        if not alt or not str(alt).strip():
            raise ParameterError(
                "show(): a matplotlib figure needs alt text for readers who cannot see it; "
                'pass alt="one sentence saying what the chart shows"'
            )
        import matplotlib.pyplot as plt

        data, metadata = matplotlib_bundle(fig, str(alt))
        display(data, raw=True, metadata=metadata)
        plt.close(fig)
    else:
        raise ParameterError(
            f"show(): expected a plotly or matplotlib figure, got {type(fig).__name__}; "
            "use html_table() for a DataFrame"
        )


class HTML:
    """Escaped HTML fragment that displays itself in a notebook (``_repr_html_``)."""

    def __init__(self, markup: str, text: str = "") -> None:
        self.markup = markup
        self.text = text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text or self.markup

    def __str__(self) -> str:
        return self.markup


def _cell(value: object) -> str:
    try:
        import pandas as pd

        if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
            return ""
        if isinstance(value, pd.Timestamp) and value == value.normalize():
            return escape(value.date().isoformat())
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        return escape(f"{value:,.0f}" if value.is_integer() and abs(value) >= 1e4
                      else f"{value:.4g}")
    return escape(value)


def html_table(
    df: Any,
    caption: str | None = None,
    columns: Sequence[str] | None = None,
    max_rows: int | None = None,
    index: bool = False,
) -> HTML:
    """An HTML table of a DataFrame with every header, cell and caption escaped."""
    cols = list(columns) if columns is not None else [str(c) for c in df.columns]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError(
            f"html_table(): unknown column(s) {missing}; available: {list(map(str, df.columns))}"
        )
    frame = df if max_rows is None else df.head(max_rows)
    parts = ['<table class="sl-table">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    head = ([escape(df.index.name or "")] if index else []) + [escape(c) for c in cols]
    parts.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>")
    parts.append("<tbody>")
    for idx, row in zip(frame.index, frame[cols].itertuples(index=False, name=None), strict=True):
        cells = [f"<th>{_cell(idx)}</th>"] if index else []
        cells += [f"<td>{_cell(v)}</td>" for v in row]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    if max_rows is not None and len(df) > max_rows:
        parts.append(f"<p><em>{max_rows} of {len(df)} rows shown.</em></p>")
    return HTML("\n".join(parts), text=f"table: {len(df)} rows × {len(cols)} columns")


def highlight(
    text: str, spans: Iterable[tuple[int, int]], labels: Mapping[tuple[int, int], str] | None = None
) -> HTML:
    """Escaped text with character spans wrapped in ``<mark>`` (overlaps are skipped)."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(set(spans)):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(escape(text[pos:start]))
        title = labels.get((start, end)) if labels else None
        attr = f' title="{escape(title)}"' if title else ""
        out.append(f"<mark{attr}>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    body = "".join(out).replace("\n\n", "</p><p>")
    return HTML(f'<div class="sl-text"><p>{body}</p></div>', text=text)


def _configure_pandas() -> None:
    """Readable tables in notebooks: 4 significant decimals, dates without 00:00:00."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return
    pd.set_option("display.precision", 4)
    pd.set_option("display.max_colwidth", 120)


_configure_pandas()
