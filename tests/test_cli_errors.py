"""OS errors on the command line: one line naming the path and what would work, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sanctionlens.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_output_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing" / "dir" / "out.csv"
    code, err = _run(capsys, "tag", "-o", str(target))
    line = _one_line(err)
    assert code == 2 and str(target) in line and "does not exist" in line
    assert "create it" in line


def test_output_naming_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "tag", "-o", str(tmp_path))
    line = _one_line(err)
    assert code == 2 and str(tmp_path) in line and "is a folder" in line


def test_output_below_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    code, err = _run(capsys, "tag", "-o", str(blocker / "out.csv"))
    line = _one_line(err)
    assert code == 2 and str(blocker / "out.csv") in line and "give a folder" in line


def test_report_out_naming_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    code, err = _run(capsys, "report", "--out", str(blocker))
    line = _one_line(err)
    assert code == 2 and str(blocker) in line and "folder" in line
    assert blocker.read_text(encoding="utf-8") == "x"


def test_permission_denied_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from sanctionlens.extract import tagging

    target = str(tmp_path / "locked" / "out.csv")

    def denied(*_a: object, **_k: object) -> int:
        raise PermissionError(13, "Permission denied", target)

    monkeypatch.setattr(tagging, "write_tags", denied)
    code, err = _run(capsys, "tag", "-o", target)
    line = _one_line(err)
    assert code == 2 and target in line and "permission denied" in line


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_real_permission_denied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, err = _run(capsys, "tag", "-o", str(locked / "out.csv"))
    finally:
        locked.chmod(0o700)
    assert code == 2 and "permission denied" in _one_line(err)


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "sanctionlens", "--debug", "tag", "-o",
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" in proc.stderr
    assert "IsADirectoryError" in proc.stderr
