"""plots.display: figure bundles for JupyterLab + offline HTML, escaped tables and text."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from sanctionlens.errors import ParameterError
from sanctionlens.plots import display

PAYLOAD = "<script>alert(1)</script>"


def test_plotly_bundle_is_offline_and_deterministic() -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    first = display.plotly_bundle(fig)
    again = display.plotly_bundle(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
    assert set(first) == {display.PLOTLY_MIME, "text/html", "text/plain"}
    assert first[display.PLOTLY_MIME]["data"][0]["type"] == "bar"
    html = first["text/html"]
    assert "<script src" not in html and "cdn" not in html and "require" not in html
    assert 'Plotly.newPlot' in html
    # same figure: same id base; a repeat in the same kernel gets a suffix, never a random id
    id1 = html.split('id="')[1].split('"')[0]
    id2 = again["text/html"].split('id="')[1].split('"')[0]
    assert id2 == id1 + "-2"
    other = display.plotly_bundle(go.Figure(go.Bar(x=["a"], y=[3])))["text/html"]
    assert other.split('id="')[1].split('"')[0].split("-")[1] != id1.split("-")[1]


def test_plotly_json_cannot_close_the_script() -> None:
    fig = go.Figure(go.Bar(x=[PAYLOAD], y=[1]))
    html = display.plotly_bundle(fig, alt='A "quoted" <b>alt</b>')["text/html"]
    assert PAYLOAD not in html and "</script>" in html  # only plotly's own closing tag
    assert html.count("</script>") == 1
    assert 'aria-label="A &quot;quoted&quot; &lt;b&gt;alt&lt;/b&gt;"' in html


def test_matplotlib_png_carries_alt_and_is_closed() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    data, meta = display.matplotlib_bundle(fig, "A falling line")
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert meta == {"image/png": {"alt": "A falling line"}}
    again, _ = display.matplotlib_bundle(fig, "A falling line")
    assert again["image/png"] == data["image/png"]  # byte-identical rebuilds
    display.show(fig, alt="A falling line")
    assert not plt.fignum_exists(fig.number)


def test_matplotlib_without_alt_is_an_error() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    with pytest.raises(ParameterError, match="alt text"):
        display.show(fig)
    plt.close(fig)


def test_show_rejects_other_objects() -> None:
    with pytest.raises(ParameterError, match="html_table"):
        display.show(pd.DataFrame({"a": [1]}))


def test_html_table_escapes_everything() -> None:
    df = pd.DataFrame({"<th>": [PAYLOAD, None], "n": [1, 2]})
    html = display.html_table(df, caption="<i>c</i>").markup
    assert PAYLOAD not in html and "<i>" not in html and "<th><th>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<caption>&lt;i&gt;c&lt;/i&gt;</caption>" in html
    assert html.count("<tr>") == 3


def test_html_table_unknown_column() -> None:
    with pytest.raises(ParameterError, match="unknown column"):
        display.html_table(pd.DataFrame({"a": [1]}), columns=["b"])


def test_highlight_marks_spans_and_escapes() -> None:
    text = "Hikvision <b>fell</b> 10%"
    html = display.highlight(text, [(0, 9)], labels={(0, 9): "COMPANY"}).markup
    assert '<mark title="COMPANY">Hikvision</mark>' in html
    assert "&lt;b&gt;fell&lt;/b&gt;" in html and "<b>" not in html


def test_md_escapes_values_not_template() -> None:
    out = display.md("**{t}**", t="[x](javascript:alert(1)) <img src=x>").data
    assert out.startswith("**") and "<img" not in out and "](" not in out


@pytest.mark.parametrize("value", ["IS'Vision", "000_01268d76ed01239e", "a *b* [c](d) #e",
                                   "<script>x</script> & \\ `code` 1 - 2 | 3 > 2"])
def test_md_values_render_exactly_as_written(value: str) -> None:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = markdown2html_mistune(display.md("Profile of **{v}**", v=value).data)
    shown = html.unescape(re.sub(r"<[^>]+>", "", page)).strip()
    assert shown == f"Profile of {value}"
    assert "<script>" not in page and "<em>" not in page and "<a " not in page
