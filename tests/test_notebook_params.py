"""A notebook run directly under papermill rejects parameters it does not declare."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import make_notebook
from sanctionlens.errors import ParameterError
from sanctionlens.reports.injected import check_parameters, injected_cells

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PARAMS = 'corpus_dir: str = ""  # folder\ncompany: str = "SenseTime"  # company\ntop_n: int = 3\n'
CHECK = "check_parameters(globals())"


def _namespace(*cells: str, **values: object) -> dict:
    return {"In": ["", *cells], **values}


def test_nothing_injected_is_fine() -> None:
    check_parameters(_namespace(PARAMS, "import sanctionlens"))
    check_parameters({})  # not in IPython at all


def test_declared_names_pass() -> None:
    check_parameters(_namespace(PARAMS, '# Parameters\ncompany = "Hikvision"\ntop_n = 5\n',
                                company="Hikvision", top_n=5))


def test_misspelled_name_is_named_with_suggestion() -> None:
    with pytest.raises(ParameterError) as err:
        check_parameters(_namespace(PARAMS, '# Parameters\ncompnay = "Hikvision"\n',
                                    compnay="Hikvision"))
    msg = str(err.value)
    assert "'compnay'" in msg and "did you mean 'company'" in msg and "papermill" in msg


def test_wrong_type_is_named() -> None:
    with pytest.raises(ParameterError, match="'top_n' must be int"):
        check_parameters(_namespace(PARAMS, '# Parameters\ntop_n = "many"\n', top_n="many"))


def test_the_latest_injection_counts() -> None:
    history = ["", PARAMS, '# Parameters\ncompnay = "x"\n', "setup", PARAMS,
               '# Parameters\ncompany = "x"\n']
    assert injected_cells(history) == (PARAMS, '# Parameters\ncompany = "x"\n')


def test_no_parameters_cell_declares_nothing() -> None:
    with pytest.raises(ParameterError, match="no cell tagged 'parameters'"):
        check_parameters({"In": ["", '# Parameters\ncompany = "x"\n'], "company": "x"})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_checks_its_parameters_first(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    assert CHECK in code[first + 1].source, f"{path.name}: the setup cell must call {CHECK}"


def _papermill(notebook: Path, out: Path, *params: str) -> subprocess.CompletedProcess[str]:
    papermill = Path(sys.executable).with_name("papermill")
    return subprocess.run([str(papermill), str(notebook), str(out), "-k", "sanctionlens",
                           "--cwd", str(notebook.parent), *params],
                          capture_output=True, text=True, timeout=300)


def test_papermill_with_a_misspelled_name_fails(tmp_path: Path) -> None:
    nb = make_notebook(tmp_path / "small.ipynb", [
        ("code", PARAMS, ["parameters"]),
        ("code", f"from sanctionlens.reports.injected import check_parameters\n{CHECK}", []),
        ("code", "print('profiled', company)", []),
    ])
    run = _papermill(nb, tmp_path / "out.ipynb", "-p", "compnay", "Hikvision")
    assert run.returncode != 0
    assert "unknown parameter 'compnay'; did you mean 'company'?" in run.stderr
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    printed = [o.get("text", "") for c in executed.cells for o in c.get("outputs", [])]
    assert not [t for t in printed if "profiled" in t]  # the default was not profiled


@pytest.mark.notebook
def test_profile_notebook_under_papermill_rejects_a_misspelling(tmp_path: Path) -> None:
    run = _papermill(ROOT / "notebooks" / "02_company_profile.ipynb", tmp_path / "out.ipynb",
                     "-p", "compnay", "Hikvision")
    assert run.returncode != 0
    assert "unknown parameter 'compnay'; did you mean 'company'?" in run.stderr
