"""Figures for the corpus tour (notebooks/00_corpus_tour.ipynb).

Each builder takes a DataFrame from the library and returns a plotly Figure. Every
string that comes from articles or metadata is HTML-escaped before it reaches a label
or hover text, since plotly renders those as (a subset of) HTML.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .style import FONT, PALETTE
from .style import esc as _esc
from .style import require_columns as _require
from .style import short as _short

BAR_COLOUR = "#4263eb"
# Colour-blind-safe qualitative palette (Okabe–Ito), cycled per document.
HOVER_EXAMPLE_CHARS = 80


def _layout(fig: go.Figure, title: str, xtitle: str, ytitle: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": _esc(title)}, font=FONT, template="plotly_white", height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 50}, hoverlabel={"align": "left"},
    )
    fig.update_xaxes(title_text=_esc(xtitle))
    fig.update_yaxes(title_text=_esc(ytitle), automargin=True)
    return fig


def words_per_outlet_figure(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars: words per outlet, from ``explore.words_by_outlet(corpus)``."""
    _require(df, ("outlet", "documents", "words", "sentences"), "words_per_outlet_figure")
    rows = df.sort_values(["words", "outlet"], ascending=[True, False])  # largest on top
    hover = [
        f"<b>{_esc(r.outlet)}</b><br>{r.documents} document(s)<br>{r.words} words<br>"
        f"{r.sentences} sentences"
        for r in rows.itertuples(index=False)
    ]
    fig = go.Figure(go.Bar(
        x=rows["words"].tolist(), y=[_esc(o) for o in rows["outlet"]], orientation="h",
        marker_color=BAR_COLOUR, hovertext=hover, hoverinfo="text",
        text=rows["words"].tolist(), textposition="auto",
    ))
    return _layout(fig, "Words per outlet", "words (after cleaning)", "outlet",
                   height=max(260, 70 + 45 * len(rows)))


def cleaning_figure(cleaning: pd.DataFrame) -> go.Figure:
    """Stacked bars: what cleaning removed, by reason and document (``corpus.cleaning_frame()``).

    Hover text shows the document, the count and the first removed line (escaped).
    """
    _require(cleaning, ("doc_id", "line", "text", "reason"), "cleaning_figure")
    fig = go.Figure()
    if cleaning.empty:
        fig.add_annotation(text="Cleaning removed nothing from these articles.",
                           showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _layout(fig, "What cleaning removed", "", "", height=220)
    reasons = sorted(cleaning["reason"].unique(), key=lambda r: (-(cleaning["reason"] == r).sum(),
                                                                   str(r)))
    for i, (doc_id, rows) in enumerate(cleaning.groupby("doc_id", sort=True)):
        counts, hover = [], []
        for reason in reasons:
            hit = rows[rows["reason"] == reason].sort_values("line")
            counts.append(len(hit))
            first = hit.iloc[0] if len(hit) else None
            example = ("" if first is None else f"<br>line {first['line']}: "
                       f"“{_esc(_short(first['text'], HOVER_EXAMPLE_CHARS))}”")
            hover.append(f"<b>{_esc(doc_id)}</b><br>{_esc(reason)}: {len(hit)}{example}")
        fig.add_trace(go.Bar(
            name=_esc(doc_id), x=counts, y=[_esc(r) for r in reasons], orientation="h",
            marker_color=PALETTE[i % len(PALETTE)], hovertext=hover, hoverinfo="text",
        ))
    fig.update_layout(barmode="stack", legend={"title": {"text": "document"}})
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "What cleaning removed, by reason", "lines or pieces removed", "reason",
                   height=max(280, 90 + 32 * len(reasons)))


def term_frequency_figure(df: pd.DataFrame, title: str = "Most frequent content words"
                          ) -> go.Figure:
    """Horizontal bars of ``explore.term_frequencies(corpus)`` (term, count, documents)."""
    _require(df, ("term", "count", "documents"), "term_frequency_figure")
    rows = df.iloc[::-1]  # most frequent on top
    hover = [f"<b>{_esc(r.term)}</b><br>{r.count} times in {r.documents} document(s)"
             for r in rows.itertuples(index=False)]
    fig = go.Figure(go.Bar(
        x=rows["count"].tolist(), y=[_esc(t) for t in rows["term"]], orientation="h",
        marker_color=BAR_COLOUR, hovertext=hover, hoverinfo="text",
    ))
    return _layout(fig, title, "occurrences", "word", height=max(260, 70 + 24 * len(rows)))


EXCERPT_CHARS = 20_000  # a highlighted article longer than this is cut (page size)


def highlighted_excerpt(doc: Any, tags: pd.DataFrame, max_chars: int = EXCERPT_CHARS) -> Any:
    """``highlight_tags`` over at most the first ``max_chars`` characters of ``doc``.

    A long article is cut at the last line break before the limit and a note says how much
    is shown, so a 50 MB article does not make a 50 MB page.
    """
    from dataclasses import replace

    from .display import HTML, escape, highlight_tags

    if len(doc.text) <= max_chars:
        return highlight_tags(doc, tags)
    cut = doc.text.rfind("\n", 0, max_chars)
    cut = cut if cut > max_chars // 2 else max_chars
    rows = tags[(tags["doc_id"] == doc.id) & (tags["end"] <= cut)]
    shown = highlight_tags(replace(doc, text=doc.text[:cut]), rows)
    note = escape(f"The first {cut:,} of {len(doc.text):,} characters are shown.")
    return HTML(f"{shown.markup}<p><em>{note}</em></p>", text=shown.text)
