"""Figures for the company profile (notebooks/02_company_profile.ipynb).

Each builder takes a table from :class:`sanctionlens.analysis.profiles.Profile` and returns a plotly
Figure. Strings from articles are HTML-escaped before they reach labels or hover text (plotly
renders a subset of HTML there).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..errors import ParameterError
from . import labels as L
from .style import FONT, PALETTE
from .style import esc as _esc
from .style import require_columns as _require
from .style import short as _short

# Okabe–Ito colour-blind-safe palette.
LABEL_COLOURS = {"COMPANY": "#0072B2", "PERSON": "#E69F00", "AGENCY": "#009E73",
                 "ORG": "#CC79A7"}
VOICE_COLOURS = {"narration": "#56B4E9", "company quote": "#D55E00",
                 "quote by others": "#009E73", "company quote + quote by others": "#CC79A7"}
HOVER_CHARS = 160
NETWORK_SEED = 7


TITLE_CHARS = 46  # a title line this long still fits a phone screen (420 px)


def _layout(fig: go.Figure, title: str, xtitle: str, ytitle: str, height: int) -> go.Figure:
    import textwrap

    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    fig.update_layout(title={"text": "<br>".join(_esc(t) for t in lines), "x": 0.01,
                             "xanchor": "left"},
                      font=FONT, template="plotly_white", height=height + 22 * len(lines),
                      margin={"l": 10, "r": 20, "t": 40 + 22 * len(lines), "b": 50},
                      hoverlabel={"align": "left"})
    fig.update_xaxes(title_text=_esc(xtitle))
    fig.update_yaxes(title_text=_esc(ytitle), automargin=True)
    return fig


# --------------------------------------------------------------------------- mentions
TOP_ARTICLES = 25  # bars drawn at most; the rest are counted in the title


def mentions_figure(mentions: pd.DataFrame, company: str, top: int = TOP_ARTICLES,
                    title: str | None = None) -> go.Figure:
    """Bars: mentions of the company per article ("Outlet, date — title"), the ``top`` most
    mentioning articles, newest on top."""
    _require(mentions, ("doc_id", "outlet", "published", "mentions", "sentences_about",
                        "title", "first_sentence"), "mentions_figure")
    rows = mentions.sort_values(["mentions", "doc_id"], ascending=[False, True]).head(top)
    rows = rows.assign(pubdate=rows["published"].map(
        lambda d: "" if d is None or pd.isna(d) else d.isoformat()))
    rows = rows.sort_values(["pubdate", "doc_id"])  # oldest at the bottom
    labels = [_esc(L.doc_label(r, 48)) for r in rows.itertuples(index=False)]
    labels = [f"{lab} ·{i}" if labels.count(lab) > 1 else lab for i, lab in enumerate(labels)]
    hover = [f"<b>{_esc(_short(r.title, 90))}</b><br>{r.mentions} mention(s), {r.sentences_about} "
             f"sentence(s) about it<br>first: {_esc(_short(r.first_sentence, HOVER_CHARS))}"
             for r in rows.itertuples(index=False)]
    fig = go.Figure(go.Bar(x=list(rows["mentions"]), y=labels, orientation="h",
                           marker_color=PALETTE[0], hovertext=hover, hoverinfo="text",
                           name="mentions"))
    more = len(mentions) - len(rows)
    heading = title or f"Mentions of {company} per article"
    if more > 0:
        heading += f" (the {len(rows)} articles naming it most; {more} more)"
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    return _layout(fig, heading, "mentions (name or alias)", "", 160 + 34 * len(rows))


# --------------------------------------------------------------------------- network
def network_figure(comentions: pd.DataFrame, company: str, scope: str = "sentence",
                   top: int = 20) -> go.Figure:
    """Star network: the company and the entities named with it (``scope`` "sentence" or
    "document"); edge width and node size grow with the number of shared sentences/documents.
    Layout: networkx ``spring_layout`` with a fixed seed."""
    import networkx as nx

    _require(comentions, ("entity_id", "name", "label", "scope", "units", "mentions"),
             "network_figure")
    if scope not in ("sentence", "document"):
        raise ParameterError(f"network_figure(scope={scope!r}): use 'sentence' or 'document'")
    rows = comentions[comentions["scope"] == scope].head(top)
    g = nx.Graph()
    g.add_node("__company__")
    for r in rows.itertuples(index=False):
        g.add_edge("__company__", r.entity_id, weight=float(r.units))
    pos = nx.spring_layout(g, seed=NETWORK_SEED, weight="weight")
    fig = go.Figure()
    unit = "sentence(s)" if scope == "sentence" else "document(s)"
    for r in rows.itertuples(index=False):
        (x0, y0), (x1, y1) = pos["__company__"], pos[r.entity_id]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip",
                                 line={"width": 1 + 1.5 * math.log1p(r.units), "color": "#999"},
                                 showlegend=False))
    for label, colour in LABEL_COLOURS.items():
        sub = rows[rows["label"] == label]
        if not len(sub):
            continue
        fig.add_trace(go.Scatter(
            x=[pos[e][0] for e in sub["entity_id"]], y=[pos[e][1] for e in sub["entity_id"]],
            mode="markers+text", name=label.lower(), text=[_esc(n) for n in sub["name"]],
            textposition="top center", marker={"size": [10 + 4 * u for u in sub["units"]],
                                               "color": colour},
            hovertext=[f"<b>{_esc(r.name)}</b> ({label.lower()})<br>{r.units} {unit} shared, "
                       f"{r.mentions} mention(s)" for r in sub.itertuples(index=False)],
            hoverinfo="text"))
    cx, cy = pos["__company__"]
    fig.add_trace(go.Scatter(x=[cx], y=[cy], mode="markers+text", text=[f"<b>{_esc(company)}</b>"],
                             textposition="bottom center", name=_esc(company),
                             marker={"size": 26, "color": "#000000", "symbol": "diamond"},
                             hoverinfo="text", hovertext=[_esc(company)]))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    where = "the same sentence" if scope == "sentence" else "the same article"
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"})
    return _layout(fig, f"Named with {company} in {where}", "", "", 560)


# --------------------------------------------------------------------------- tone
TOP_SENTENCES = 200  # dots drawn at most (the most negative and most positive first)


def tone_figure(tone: pd.DataFrame, company: str, docs: Mapping[str, str] | None = None,
                top: int = TOP_SENTENCES, title: str | None = None) -> go.Figure:
    """Dots: VADER compound score (an indicator) of each sentence naming the company, one row
    per article (``docs``: doc_id -> "Outlet, date — title"), colour = whose words."""
    _require(tone, ("doc_id", "sentence_id", "text", "voice", "compound", "pos", "neg"),
             "tone_figure")
    rows = tone.assign(_abs=tone["compound"].abs()).sort_values(
        ["_abs", "doc_id", "sentence_id"], ascending=[False, True, True]).head(top)
    name = {d: _short((docs or {}).get(d, d), 48) for d in rows["doc_id"]}
    order = sorted(set(name.values()), reverse=True)
    fig = go.Figure()
    for voice in sorted(set(rows["voice"])):
        sub = rows[rows["voice"] == voice]
        fig.add_trace(go.Scatter(
            x=list(sub["compound"]), y=[_esc(name[d]) for d in sub["doc_id"]], mode="markers",
            name=_esc(voice), marker={"color": VOICE_COLOURS.get(voice, PALETTE[7]), "size": 10,
                                      "opacity": 0.8},
            hovertext=[f"sentence {r.sentence_id}: compound {r.compound:+.3f} (pos {r.pos:.2f}, "
                       f"neg {r.neg:.2f})<br>{_esc(_short(r.text, HOVER_CHARS))}"
                       for r in sub.itertuples(index=False)],
            hoverinfo="text"))
    fig.update_xaxes(range=[-1.05, 1.05], zeroline=True)
    fig.update_yaxes(categoryorder="array", categoryarray=[_esc(o) for o in order])
    more = len(tone) - len(rows)
    heading = title or f"Tone indicator (VADER) of sentences naming {company}"
    if more > 0:
        heading += f" ({len(rows)} strongest of {len(tone)} sentences)"
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"})
    return _layout(fig, heading, "compound score (−1 negative … +1 positive)", "",
                   220 + 40 * len(order))


__all__ = ["mentions_figure", "network_figure", "tone_figure"]
