"""Builds that can be interrupted, killed, run twice at once, and never leave a page that lies.

The interrupt and kill tests (marked `notebook`: real kernels) run a `sanctionlens report`
subprocess on a tiny plan whose notebooks sleep, and look at what is left on disk and in the
process table.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from conftest import make_notebook
from sanctionlens.errors import SanctionlensError
from sanctionlens.reports.outdir import (
    MANIFEST,
    STAGING_DIR,
    atomic_write_text,
    build_lock,
    previous_outputs,
    publish,
)

QUICK = [("markdown", "# Quick", []), ("code", "x: int = 1  # a number", ["parameters"]),
         ("code", "print('quick', x)", [])]
SLEEPY = [("markdown", "# Sleepy", []),
          ("code", "seconds: int = 60  # how long to sleep", ["parameters"]),
          ("code", "import time\ntime.sleep(seconds)\nprint('woke up')", [])]


def write_plan(folder: Path, sleepers: list[str], seconds: int = 60) -> Path:
    """A plan: the quick notebook, then one sleeping report per name in ``sleepers``."""
    make_notebook(folder / "quick.ipynb", QUICK)
    make_notebook(folder / "sleepy.ipynb", SLEEPY)
    body = '[[report]]\nnotebook = "quick.ipynb"\n'
    for name in sleepers:
        body += (f'\n[[report]]\nnotebook = "sleepy.ipynb"\nname = "{name}"\n'
                 f"parameters = {{ seconds = {seconds} }}\n")
    plan = folder / f"plan-{len(sleepers)}-{seconds}.toml"
    plan.write_text(body, encoding="utf-8")
    return plan


def start_build(plan: Path, out: Path, log: Path, jobs: int = 2) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "sanctionlens", "report", "--plan", str(plan), "--out",
           str(out), "--jobs", str(jobs), "--edition", "reader", "--timeout", "120"]
    with open(log, "wb") as err:
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)


def kernels(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The ipykernel processes below ``proc``."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for p in children:
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                out.append(p)
        except psutil.Error:
            continue
    return out


def wait_for(check: Callable[[], object], what: str, timeout: float = 90) -> object:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def gone(procs: list[psutil.Process], timeout: float = 15) -> bool:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def running_with_kernels(proc: subprocess.Popen[bytes], log: Path, n: int) -> list:
    """Wait until the quick report is done and ``n`` sleeping kernels run; return them."""
    wait_for(lambda: "ok     quick" in log.read_text(errors="replace"), "the quick report")
    return wait_for(lambda: len(kernels(proc)) >= n and kernels(proc), f"{n} kernels")


@pytest.mark.notebook  # real kernels, 10-30 s each
def test_ctrl_c_stops_kernels_marks_index_and_exits_130(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, ["sleepy-a", "sleepy-b", "sleepy-c"])
    out, log = tmp_path / "out", tmp_path / "stderr.txt"
    proc = start_build(plan, out, log)
    try:
        running = running_with_kernels(proc, log, 1)
        time.sleep(1.0)  # let the sleeping cell start
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        proc.kill()
    err = log.read_text(encoding="utf-8")
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"sanctionlens report: interrupted: 1 of 4 reports finished, 3 marked interrupted in "
        f"{out / 'index.html'}")
    assert gone(running), "a kernel outlived the interrupted build"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<span class="interrupted">interrupted</span>') == 3
    assert "1 built, 0 failed, 3 interrupted" in index and 'href="quick.html"' in index
    assert (out / "quick.html").is_file() and (out / "notebooks" / "quick.ipynb").is_file()
    left = sorted(p.name for p in out.rglob("*") if "sleepy" in p.name)
    assert left == [], "a half-executed notebook or page was left"
    assert not (out / STAGING_DIR).exists()


@pytest.mark.notebook  # real kernels, 10-30 s each
def test_second_ctrl_c_exits_at_once(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, ["sleepy-a", "sleepy-b"])
    out, log = tmp_path / "out", tmp_path / "stderr.txt"
    proc = start_build(plan, out, log)
    try:
        running = running_with_kernels(proc, log, 1)
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130
    finally:
        proc.kill()
    assert "Traceback" not in log.read_text(encoding="utf-8")
    assert gone(running)


@pytest.mark.notebook  # real kernels, 10-30 s each
def test_killed_build_leaves_the_previous_one_and_a_rerun_cleans_up(tmp_path: Path) -> None:
    out, log = tmp_path / "out", tmp_path / "stderr.txt"
    first = write_plan(tmp_path, ["sleepy-a"], seconds=0)
    assert start_build(first, out, log).wait(timeout=120) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")}
    assert Path("sleepy-a.html") in before
    proc = start_build(write_plan(tmp_path, ["sleepy-a"], seconds=60), out, log)
    try:
        running = running_with_kernels(proc, log, 1)
        proc.send_signal(signal.SIGKILL)  # no clean-up at all
        proc.wait(timeout=10)
    finally:
        proc.kill()
    assert gone(running, timeout=20), "kernels of a killed build kept running"
    # the previous build is still whole: same index, same pages, nothing half written
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")
            if STAGING_DIR not in p.parts} == before
    final = out / "notebooks" / "sleepy-a.ipynb"
    assert "woke up" in final.read_text(encoding="utf-8")
    # a clean rerun with a smaller plan: staging cleared, the stale report's files named
    result = subprocess.run(
        [sys.executable, "-m", "sanctionlens", "report", "--plan", str(write_plan(tmp_path, [])),
         "--out", str(out), "--jobs", "1", "--edition", "reader"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "sleepy-a.html" in result.stderr and "did not make" in result.stderr
    assert not (out / STAGING_DIR).exists() and not final.exists()
    assert not (out / "sleepy-a.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 reports, all built" in index and "sleepy-a.html" in index  # named as removed
    assert "written by this build" in index


def test_a_second_build_into_the_same_folder_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\n"
         "from sanctionlens.reports.outdir import build_lock\n"
         f"with build_lock(Path({str(out)!r})):\n"
         "    print('locked', flush=True)\n    time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "sanctionlens", "report", "--plan",
             str(write_plan(tmp_path, [])), "--out", str(out)],
            capture_output=True, text=True, timeout=120)
        took = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"pid {holder.pid}" in lines[0] and str(out) in lines[0]
    assert took < 20 and not (out / "index.html").exists()


def test_lock_in_process_names_the_holder(tmp_path: Path) -> None:
    with build_lock(tmp_path), pytest.raises(SanctionlensError) as err:
        with build_lock(tmp_path):
            pass
    assert f"pid {os.getpid()}" in str(err.value) and str(tmp_path) in str(err.value)
    with build_lock(tmp_path):  # released: a later build gets it
        pass


# --- the output folder, without notebooks ------------------------------------------------


def _stage(staging: Path, files: dict[str, str]) -> list[str]:
    for rel, text in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text, encoding="utf-8")
    return list(files)


def test_publish_removes_only_files_of_earlier_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "mine").mkdir(parents=True)
    (out / "mine" / "notes.txt").write_text("the user's own file", encoding="utf-8")
    staging = out / STAGING_DIR
    staging.mkdir()
    removed = publish(out, staging, _stage(staging, {"a.html": "A", "analyst/b.html": "B"}))
    assert removed == []
    assert json.loads((out / MANIFEST).read_text())["files"] == ["a.html", "analyst/b.html",
                                                                 "index.html"]
    staging.mkdir(exist_ok=True)
    removed = publish(out, staging, _stage(staging, {"a.html": "A2"}))
    assert removed == ["analyst/b.html"]
    assert (out / "a.html").read_text() == "A2" and not (out / "analyst").exists()
    assert (out / "mine" / "notes.txt").is_file()


def test_folders_of_older_builds_are_recognised_by_their_index(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    for rel in ("old.html", "notebooks/old.ipynb", "readme.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert previous_outputs(tmp_path) == set()  # no index of ours: nothing is ours
    (tmp_path / "index.html").write_text("<title>sanctionlens reports</title>", encoding="utf-8")
    assert previous_outputs(tmp_path) == {"index.html", "old.html", "notebooks/old.ipynb"}


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")

    def fail(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["page.html"]
