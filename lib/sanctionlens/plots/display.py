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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from ..errors import ParameterError

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_HEIGHT = 525  # plotly's own notebook renderer default, in px

_seen_ids: Counter[str] = Counter()


def escape(value: object) -> str:
    """HTML-escape any value (quotes included); ``None`` becomes an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


# Markdown text: HTML's three specials as named entities, Markdown's punctuation as numeric
# character references (rendered literally by every Markdown renderer; a backslash escape is
# not, and "&#x27;" followed by a backslash-escaped "#" breaks the entity).
_MD_TABLE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;",
             **{ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~-\"'"}}


def escape_md(value: object) -> str:
    """Escape a value for a Markdown cell: HTML specials and Markdown punctuation become
    character references, so the text shows exactly as written and never turns into markup."""
    return "" if value is None else str(value).translate(_MD_TABLE)


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


# plotly's "responsive" redraws on a window resize only; this redraws a chart whenever its own
# box changes width (a scroll bar appears, a <details> section opens, the page first settles).
# (plotly's post_script: "{plot_id}" is the div id)
_REFIT = ("(function(){var d=document.getElementById('{plot_id}'),w=0;"
          "if(!d||!window.ResizeObserver)return;"
          "new ResizeObserver(function(){var c=d.clientWidth;if(c&&c!==w){w=c;"
          "if(d._fullLayout&&d._fullLayout.width!==c)Plotly.Plots.resize(d);}}).observe(d);"
          "})();")


def plotly_bundle(fig: Any, alt: str | None = None) -> dict[str, Any]:
    """MIME bundle for a plotly figure: live JSON for JupyterLab, HTML for nbconvert."""
    import json

    import plotly.io as pio

    fig_json = pio.to_json(fig, validate=False, remove_uids=False)
    div_id = plotly_div_id(fig_json)
    div = pio.to_html(
        fig,
        include_plotlyjs=False,  # the report pages load one shared plotly.min.js
        include_mathjax=False,
        full_html=False,
        div_id=div_id,
        default_width="100%",
        default_height=PLOTLY_HEIGHT,
        validate=False,
        config={"displaylogo": False, "responsive": True},
        post_script=_REFIT,
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


def show(fig: Any, alt: str | None = None, source: str | None = None) -> None:
    """Display a plotly or matplotlib figure so it renders in JupyterLab and in offline HTML.

    Plotly: a bundle with ``application/vnd.plotly.v1+json`` and ``text/html`` (no plotly.js,
    deterministic div id). Matplotlib: a PNG whose ``alt`` text is required, and the figure is
    closed so it is not drawn twice. ``source`` ("Source: …") is shown as a line under it.
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
    if source:
        display(HTML(f'<p class="sl-source" style="font-size:0.85em;color:#555;margin-top:0">'
                     f"{escape(source)}</p>", text=str(source)))


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
    parts = ['<div class="sl-scroll" style="overflow-x:auto"><table class="sl-table">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    head = ([escape(df.index.name or "")] if index else []) + [escape(c) for c in cols]
    parts.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>")
    parts.append("<tbody>")
    for idx, row in zip(frame.index, frame[cols].itertuples(index=False, name=None), strict=True):
        cells = [f"<th>{_cell(idx)}</th>"] if index else []
        cells += [f"<td>{_cell(v)}</td>" for v in row]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    if max_rows is not None and len(df) > max_rows:
        parts.append(f"<p><em>{max_rows} of {len(df)} rows shown.</em></p>")
    return HTML("\n".join(parts), text=f"table: {len(df)} rows × {len(cols)} columns")


def details(summary: str, *parts: Any) -> HTML:
    """A collapsed section (``<details>``): ``summary`` escaped, each part an object with
    ``_repr_html_`` (a table, a figure bundle's HTML) or text (escaped)."""
    body = []
    for part in parts:
        html_of = getattr(part, "_repr_html_", None)
        body.append(html_of() if callable(html_of) else f"<p>{escape(part)}</p>")
    return HTML(f"<details class=\"sl-details\"><summary>{escape(summary)}</summary>"
                + "".join(body) + "</details>", text=summary)


#: Background colour of each tag label in highlighted text (pale, so the text stays legible).
LABEL_COLOURS: dict[str, str] = {
    "COMPANY": "#ffd8a8", "AGENCY": "#a5d8ff", "INSTRUMENT": "#ffc9c9", "PERSON": "#d0bfff",
    "PLACE": "#b2f2bb", "OUTLET": "#e9ecef", "ORG": "#99e9f2", "MONEY": "#ffec99",
    "PERCENT": "#fcc2d7", "QUANTITY": "#d8f5a2", "DATE": "#eebefa",
}
DEFAULT_COLOUR = "#dee2e6"


class Mark(NamedTuple):
    """A span to highlight: the markup that opens and closes it, and its label (or "")."""

    start: int
    end: int
    opening: str
    closing: str
    label: str = ""


def _marked(text: str, marks: Iterable[Mark]) -> tuple[str, list[Mark]]:
    """Escaped `text` with each mark's markup wrapped around its span, and the marks used.

    Marks are taken earliest first, then longest; one that overlaps a mark already taken, or
    that lies outside the text, is left out. The only highlighter: every other helper builds
    its marks and calls this.
    """
    out: list[str] = []
    used: list[Mark] = []
    pos = 0
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        if m.start < pos or m.end > len(text) or m.start >= m.end:
            continue
        out.append(escape(text[pos:m.start]))
        out.append(f"{m.opening}{escape(text[m.start:m.end])}{m.closing}")
        used.append(m)
        pos = m.end
    out.append(escape(text[pos:]))
    return "".join(out), used


def highlight(
    text: str, spans: Iterable[tuple[int, int]], labels: Mapping[tuple[int, int], str] | None = None
) -> HTML:
    """Escaped text with character spans wrapped in ``<mark>`` (overlaps are skipped)."""
    marks = []
    for start, end in set(spans):
        title = labels.get((start, end)) if labels else None
        attr = f' title="{escape(title)}"' if title else ""
        marks.append(Mark(start, end, f"<mark{attr}>", "</mark>"))
    body = _marked(text, marks)[0].replace("\n\n", "</p><p>")
    return HTML(f'<div class="sl-text"><p>{body}</p></div>', text=text)


def _tag_marks(doc: Any, tags: Any, labels: Iterable[str] | None) -> list[Mark]:
    """Checked marks for the tag rows of `doc` (a tag must be a span of this document)."""
    missing = {"doc_id", "start", "end", "label"} - set(tags.columns)
    if missing:
        raise ParameterError(f"tags lack column(s) {', '.join(sorted(missing))}; pass the "
                             "frame from sanctionlens.tag(corpus)")
    rows = tags[tags["doc_id"] == doc.id]
    if labels is not None:
        rows = rows[rows["label"].isin(list(labels))]
    marks = []
    for row in rows.itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if not 0 <= start < end <= len(doc.text):
            raise ParameterError(f"tag {start}-{end} of {doc.id} lies outside its text "
                                 f"(0-{len(doc.text)}); were the tags made from this corpus?")
        if "text" in rows.columns and doc.text[start:end] != row.text:
            raise ParameterError(f"tag {start}-{end} of {doc.id} says {row.text!r} but the "
                                 f"text there is {doc.text[start:end]!r}; were the tags made "
                                 "from this corpus?")
        label = str(row.label)
        entity = getattr(row, "entity_id", None)
        title = label if not isinstance(entity, str) or not entity else f"{label}: {entity}"
        colour = LABEL_COLOURS.get(label, DEFAULT_COLOUR)
        marks.append(Mark(start, end,
                      f'<mark class="sl-tag" data-label="{escape(label)}" '
                      f'title="{escape(title)}" style="background:{colour};padding:0 2px">',
                      f'<sub style="font-size:0.65em;margin-left:2px">{escape(label)}</sub>'
                      "</mark>", label))
    return marks


def highlight_tags(doc: Any, tags: Any, labels: Iterable[str] | None = None) -> HTML:
    """The text of `doc` with its tags marked (colour by label, label and entity on hover).

    `tags` has at least doc_id, start, end, label (and optionally text, entity_id), as from
    ``sanctionlens.tag``; only rows of `doc` are used. Where tags overlap, the earliest (then
    the longest) is shown. Every piece of article text is HTML-escaped.
    """
    from .labels import doc_label

    body, used = _marked(doc.text, _tag_marks(doc, tags, labels))
    legend = " ".join(
        f'<span style="background:{LABEL_COLOURS.get(lab, DEFAULT_COLOUR)};padding:0 4px">'
        f"{escape(lab)}</span>" for lab in sorted({m.label for m in used}))
    return HTML(
        f'<div class="sl-highlight"><p><strong>{escape(doc_label(doc, 120))}</strong>'
        f"</p><p>{legend}</p>"
        f'<div style="white-space:pre-wrap;line-height:1.7">{body}</div></div>', text=doc.title)


def _configure_pandas() -> None:
    """Readable tables in notebooks: 4 significant decimals, dates without 00:00:00."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return
    pd.set_option("display.precision", 4)
    pd.set_option("display.max_colwidth", 120)


_configure_pandas()
