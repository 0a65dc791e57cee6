"""CSV exports never hand a spreadsheet a formula taken from an article (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from sanctionlens.cli import main
from sanctionlens.extract.csvsafe import neutralise, safe_frame, safe_row

FORMULA_TITLE = '=HYPERLINK("http://example.invalid/x","click")'


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_get_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Hikvision", "", "a=b", " =1", "'quoted", 5, -5, -1.5, None])
def test_other_cells_are_unchanged(cell: object) -> None:
    assert neutralise(cell) == cell


def test_rows_and_frames() -> None:
    assert safe_row(["=x", 3, -3, "ok"]) == ["'=x", 3, -3, "ok"]
    frame = pd.DataFrame({"title": ["@cmd", "fine"], "n": [-1, 2]})
    out = safe_frame(frame)
    assert out["title"].tolist() == ["'@cmd", "fine"] and out["n"].tolist() == [-1, 2]
    assert frame["title"].tolist() == ["@cmd", "fine"]  # the input is not changed


@pytest.fixture
def formula_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "=cmd.txt").write_text(
        f"{FORMULA_TITLE}\n\nThe U.S. Commerce Department added Hikvision to the Entity List.\n",
        encoding="utf-8")
    return folder


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_tag_csv_is_neutralised(formula_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "tags.csv"
    assert main(["tag", str(formula_corpus), "--format", "csv", "-o", str(out)]) == 0
    cells = _cells(out.read_text(encoding="utf-8"))
    assert "'=cmd" in cells and "Hikvision" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_corpus_csv_is_neutralised(formula_corpus: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", str(formula_corpus), "--format", "csv"]) == 0
    cells = _cells(capsys.readouterr().out)
    assert "'" + FORMULA_TITLE in cells and "'=cmd" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
