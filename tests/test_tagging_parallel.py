"""tag(workers=N): the same frame from N processes as from one; automatic mode; bad values;
Ctrl-C ends the workers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens import pools
from sanctionlens.cli import main
from sanctionlens.errors import ParameterError
from sanctionlens.extract import tag_workers
from sanctionlens.extract.tagging import iter_tags, tag

SHARED = Path(os.environ.get("SANCTIONLENS_SHARED")
              or Path(__file__).resolve().parents[2] / "shared")
DEV = SHARED / "dev-corpus" / "articles"


@pytest.fixture(scope="module")
def docs() -> list:
    """The seeds, and the development articles when ../shared is there (read, not copied)."""
    found = list(sl.load_corpus())
    if DEV.is_dir():
        found += list(sl.load_corpus(DEV))
    return found


def _no_pool(*args: object, **kwargs: object) -> None:
    raise AssertionError("a process pool was started")


def test_two_workers_give_the_serial_frame(docs: list) -> None:
    serial = tag(docs, workers=1)
    assert len(serial) > 300
    for workers in (2, 3):
        assert tag(docs, workers=workers).equals(serial)
    assert tag(docs, dates=False, workers=2).equals(tag(docs, dates=False, workers=1))


def test_spawned_workers_receive_the_documents(monkeypatch: pytest.MonkeyPatch,
                                               docs: list) -> None:
    monkeypatch.setattr(pools, "mp_context", lambda: multiprocessing.get_context("spawn"))
    assert tag(docs[:6], workers=2).equals(tag(docs[:6], workers=1))


def test_sl_tag_passes_workers_on(docs: list) -> None:
    corpus = sl.load_corpus(store=False)
    assert sl.tag(corpus, workers=2).equals(sl.tag(corpus, workers=1))


def test_automatic_mode_is_serial_for_a_small_corpus(monkeypatch: pytest.MonkeyPatch,
                                                     docs: list) -> None:
    assert sum(len(d.text) for d in docs) < tag_workers.AUTO_MIN_CHARS
    monkeypatch.setattr(pools, "ordered_map", _no_pool)
    monkeypatch.setattr(tag_workers, "ordered_map", _no_pool)
    assert len(tag(docs)) == len(tag(docs, workers=1))
    assert list(iter_tags()) == list(iter_tags(workers=1))


def test_automatic_mode_uses_the_cores_above_the_threshold(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tag_workers, "usable_cores", lambda: 8)
    threshold = tag_workers.AUTO_MIN_CHARS
    assert tag_workers.resolve_workers(None, threshold - 1) == 1
    assert tag_workers.resolve_workers(None, threshold) == tag_workers.MAX_AUTO_WORKERS == 4
    monkeypatch.setattr(tag_workers, "usable_cores", lambda: 1)
    assert tag_workers.resolve_workers(None, 10 * threshold) == 1
    assert tag_workers.resolve_workers(3, 0) == 3


@pytest.mark.parametrize("bad", [0, -1, "x", "2", 1.5, True])
def test_a_bad_worker_count_is_a_clear_error(bad: object, docs: list) -> None:
    with pytest.raises(ParameterError, match="workers must be a whole number"):
        tag(docs, workers=bad)
    with pytest.raises(ParameterError, match="workers must be"):
        sl.tag(docs, workers=bad)


def test_chunks_are_contiguous_and_cover_every_document() -> None:
    sizes = [5, 1, 1, 30, 2, 2, 2, 9, 0, 4]
    for n in (1, 2, 3, 8, 20):
        bounds = tag_workers.chunk_bounds(sizes, n)
        assert 1 <= len(bounds) <= n
        assert bounds[0][0] == 0 and bounds[-1][1] == len(sizes)
        assert all(a < b for a, b in bounds)
        assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:], strict=False))
    assert tag_workers.chunk_bounds([], 4) == []


def test_a_stream_closed_early_leaves_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tag_workers, "BATCH_CHARS", 1)  # one document per task
    stream = iter_tags(workers=2)
    first = next(stream)
    assert multiprocessing.active_children()
    stream.close()
    assert multiprocessing.active_children() == []
    assert first == next(iter_tags(workers=1))


def test_cli_workers_give_the_same_file(tmp_path: Path, capsys: pytest.CaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tag_workers, "BATCH_CHARS", 5000)  # several tasks from the seeds
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(["tag", "--workers", "1", "-o", str(one)]) == 0
    assert main(["tag", "--workers", "2", "-o", str(two)]) == 0
    assert two.read_bytes() == one.read_bytes()
    assert len(pd.read_csv(one)) > 300
    assert main(["tag", "--workers", "0", "-o", str(tmp_path / "no.csv")]) == 2
    err = capsys.readouterr().err
    assert "workers must be a whole number" in err and "got 0" in err
    assert not (tmp_path / "no.csv").exists()


_INTERRUPTED = r"""
import sys
import sanctionlens as sl
from sanctionlens.extract.tagging import tag
docs = list(sl.load_corpus()) * 2000
print("ready", flush=True)
try:
    tag(docs, workers=2)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_ctrl_c_cancels_and_leaves_no_worker() -> None:
    psutil = pytest.importorskip("psutil")
    proc = subprocess.Popen([sys.executable, "-c", _INTERRUPTED], stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        parent = psutil.Process(proc.pid)
        deadline = time.monotonic() + 10
        while len(kids := parent.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(kids) == 2
        time.sleep(0.3)  # the workers are tagging
        os.killpg(proc.pid, signal.SIGINT)  # what a Ctrl-C in the terminal sends
        out, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and out.strip() == "interrupted"
    _, alive = psutil.wait_procs(kids, timeout=5)
    assert alive == []


def test_chronology_in_two_processes_gives_the_same_rows() -> None:
    from sanctionlens.analysis.chronology import chronology

    corpus = sl.load_corpus(store=False)
    docs = corpus.documents * 3  # several chunks for two workers
    copies = [d.__class__(**{**d.__dict__, "id": f"{d.id}_{i}"}) for i, d in enumerate(docs)]
    serial = chronology(copies, include_reference=False, workers=1)
    assert chronology(copies, include_reference=False, workers=2).equals(serial)
    assert len(serial) > 0


def test_names_of_rule_found_companies_come_back_from_the_workers(tmp_path: Path) -> None:
    from sanctionlens.analysis.chronology import chronology
    from sanctionlens.extract import companies
    from sanctionlens.plots.labels import name

    for i in range(4):
        (tmp_path / f"a{i}.txt").write_text(
            f"Story {i}\n\nOn March 3, 2023, the Commerce Department added drone maker "
            f"Qarvon{i} Robotics Co., Ltd. to the Entity List.\n")
    corpus = sl.load_corpus(tmp_path, store=False)
    companies._DISPLAY.clear()
    chronology(corpus, include_reference=False, workers=2)
    assert name("new:qarvon0") == "Qarvon0 Robotics Co., Ltd."
