"""Union annotations in a parameters cell (`companies: list | str = "all"`)."""

from __future__ import annotations

from pathlib import Path

from sanctionlens.reports.plan import check_value, read_parameters

CHRONOLOGY = Path(__file__).resolve().parents[1] / "notebooks" / "01_sanction_chronology.ipynb"


def test_union_parameter_accepts_each_member_and_rejects_others():
    param = read_parameters(CHRONOLOGY)["companies"]
    assert param.type == "list | str"
    assert check_value("01", param, ["Hikvision"]) is None
    assert check_value("01", param, "all") is None
    problem = check_value("01", param, 3)
    assert problem and "'companies' must be list | str" in problem
