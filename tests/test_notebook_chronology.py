"""Notebook 01 (sanction chronology) runs under papermill with its defaults and for one
company, and a bad company name stops it with the library's error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sanctionlens.paths import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "01_sanction_chronology.ipynb"


def _outputs(nb: Any) -> list[Any]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(nb: Any) -> str:
    parts = []
    for o in _outputs(nb):
        data = o.get("data", {})
        parts += [str(data.get(k, "")) for k in ("text/plain", "text/markdown", "text/html")]
        parts.append(str(o.get("text", "")))
    return "\n".join(parts)


def test_runs_with_defaults(run_notebook: Callable[..., Any]) -> None:
    nb = run_notebook(NOTEBOOK)
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)
    text = _text(nb)
    assert "2022-05-04" in text and "2022-05-05" in text  # the flagged Hikvision statement
    assert "2019-10-07" in text  # an official date beside a reported one


def test_runs_for_one_company(run_notebook: Callable[..., Any]) -> None:
    nb = run_notebook(NOTEBOOK, companies=["Hikvision"])
    assert nb.metadata["papermill"]["parameters"]["companies"] == ["Hikvision"]
    text = _text(nb)
    assert "Hikvision" in text
    tables = [o["data"]["text/html"] for o in _outputs(nb)
              if "sl-table" in str(o.get("data", {}).get("text/html", ""))]
    events_html = tables[0]  # section 3, the events table
    assert "Hikvision" in events_html
    assert "ipo postponed" not in events_html  # SenseTime's IPO is filtered out


def test_bad_company_fails_with_library_error(run_notebook: Callable[..., Any]) -> None:
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        run_notebook(NOTEBOOK, companies=["Hikvisio n"])
    assert info.value.ename == "UnknownNameError"
    assert "Hikvision" in info.value.evalue  # the closest match is suggested
