"""Figures for the company profile (notebooks/02_company_profile.ipynb).

Each builder takes a table from :class:`sanctionlens.analysis.profiles.Profile` and returns a plotly
Figure. Strings from articles are HTML-escaped before they reach labels or hover text (plotly
renders a subset of HTML there).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..errors import ParameterError
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


def _layout(fig: go.Figure, title: str, xtitle: str, ytitle: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": _esc(title)}, font=FONT, template="plotly_white",
                      height=height, margin={"l": 10, "r": 20, "t": 60, "b": 50},
                      hoverlabel={"align": "left"})
    fig.update_xaxes(title_text=_esc(xtitle))
    fig.update_yaxes(title_text=_esc(ytitle), automargin=True)
    return fig


# --------------------------------------------------------------------------- mentions
def mentions_figure(mentions: pd.DataFrame, company: str) -> go.Figure:
    """Bars: mentions of the company per document, labelled by publication date and outlet."""
    _require(mentions, ("doc_id", "outlet", "published", "mentions", "sentences_about",
                        "title", "first_sentence"), "mentions_figure")
    rows = mentions.assign(pubdate=mentions["published"].map(lambda d: "" if d is None or pd.isna(d)
                                                        else d.isoformat()))
    rows = rows.sort_values(["pubdate", "doc_id"], ascending=[False, False])  # oldest on top
    labels = [f"{r.pubdate or 'undated'} · {_esc(r.outlet or 'outlet not stated')} · {r.doc_id[:3]}"
              for r in rows.itertuples(index=False)]
    hover = [f"<b>{_esc(_short(r.title, 90))}</b><br>{r.mentions} mention(s), {r.sentences_about} "
             f"sentence(s) about it<br>first: {_esc(_short(r.first_sentence, HOVER_CHARS))}"
             for r in rows.itertuples(index=False)]
    fig = go.Figure(go.Bar(x=list(rows["mentions"]), y=labels, orientation="h",
                           marker_color=PALETTE[0], hovertext=hover, hoverinfo="text",
                           name="mentions"))
    return _layout(fig, f"Mentions of {company} per article (by date and outlet)",
                   "mentions (name or alias)", "", 200 + 40 * len(rows))


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
    return _layout(fig, f"Named with {company} in {where}", "", "", 560)


# --------------------------------------------------------------------------- tone
def tone_figure(tone: pd.DataFrame, company: str) -> go.Figure:
    """Bars: VADER compound score (an indicator) of each sentence naming the company."""
    _require(tone, ("doc_id", "sentence_id", "text", "voice", "compound", "pos", "neg"),
             "tone_figure")
    fig = go.Figure()
    rows = tone.sort_values(["doc_id", "sentence_id"]).reset_index(drop=True)
    rows = rows.assign(xcat=[f"{d[:3]}:{s}" for d, s in zip(rows["doc_id"], rows["sentence_id"],
                                                            strict=True)])
    for voice in sorted(set(rows["voice"])):
        sub = rows[rows["voice"] == voice]
        fig.add_trace(go.Bar(
            x=list(sub["xcat"]), y=list(sub["compound"]), name=_esc(voice),
            marker_color=VOICE_COLOURS.get(voice, PALETTE[7]),
            hovertext=[f"{_esc(r.doc_id)} sentence {r.sentence_id}<br>compound "
                       f"{r.compound:+.3f} (pos {r.pos:.2f}, neg {r.neg:.2f})<br>"
                       f"{_esc(_short(r.text, HOVER_CHARS))}" for r in sub.itertuples(index=False)],
            hoverinfo="text"))
    fig.update_xaxes(categoryorder="array", categoryarray=list(rows["xcat"]), type="category")
    fig.update_yaxes(range=[-1.05, 1.05])
    return _layout(fig, f"Tone indicator (VADER compound) of sentences naming {company}",
                   "document:sentence", "compound score (−1 … +1)", 420)


__all__ = ["mentions_figure", "network_figure", "tone_figure"]
