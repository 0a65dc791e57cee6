"""Execute the planned notebooks with papermill in parallel and render every edition to HTML."""

from __future__ import annotations

import copy
import os
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import SanctionlensError
from ..pools import mp_context
from .editions import (
    DEFAULT_EDITIONS,
    EDITION_DIRS,
    EDITIONS,
    handout_navigation,
    html_view,
    merge_existing,
    normalise,
    other_editions_files,
    student_notebook,
)
from .htmlexport import PLOTLY_JS, copy_plotly_js, to_html
from .interrupt import Interrupt, kill_process_trees, stop_process_trees, worker_init
from .outdir import (
    atomic_write_notebook,
    atomic_write_text,
    build_lock,
    fresh_staging,
    prepare,
    publish,
    remove_staging,
)
from .plan import Report, describe, load_plan

KERNEL = "sanctionlens"
DEFAULT_TIMEOUT = 300
EXECUTED_DIR = "notebooks"
LOG_DIR = "logs"
Neighbours = tuple[tuple[str, str] | None, tuple[str, str] | None]  # (name, title) either side


@dataclass
class Result:
    """What happened to one report."""

    name: str
    title: str
    parameters: dict[str, Any]
    status: str = "ok"  # ok | failed | interrupted
    error: str = ""
    failed_cell: int | None = None
    pages: dict[str, str] = field(default_factory=dict)  # edition -> path relative to out
    notebooks: dict[str, str] = field(default_factory=dict)  # kind -> path relative to out
    seconds: float = 0.0

    def files(self) -> list[str]:
        """Every file this report wrote, relative to the output folder (log included)."""
        return [*self.pages.values(), *self.notebooks.values(), f"{LOG_DIR}/{self.name}.log"]


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the build; the finished reports and the index were written."""

    def __init__(self, results: list[Result], index: Path) -> None:
        super().__init__(f"build interrupted; index: {index}")
        self.results, self.index = results, index

    def message(self) -> str:
        built = sum(r.status != "interrupted" for r in self.results)
        stopped = len(self.results) - built
        return (f"interrupted: {built} of {len(self.results)} reports finished, {stopped} "
                f"marked interrupted in {self.index}")


def page_path(edition: str, name: str) -> str:
    sub = EDITION_DIRS[edition]
    return f"{sub}/{name}.html" if sub else f"{name}.html"


def _nav_html(edition: str, prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    from ..plots.display import escape

    up = "../" if EDITION_DIRS[edition] else ""
    parts = []
    if prev:
        parts.append(f'<a href="{escape(prev[0])}.html" rel="prev">← {escape(prev[1])}</a>')
    parts.append(f'<a href="{up}index.html">Index of reports</a>')
    if nxt:
        parts.append(f'<a href="{escape(nxt[0])}.html" rel="next">{escape(nxt[1])} →</a>')
    return " | ".join(parts)


@contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send this process's fd 2 (inherited by the kernel) to a log file, then restore it."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "wb") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _error_notebook(message: str) -> Any:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## This report could not be executed")]
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=message)]
    nb.cells.append(cell)
    return nb


def _failed_cell(nb: Any) -> tuple[int | None, str]:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out.get('ename')}: {out.get('evalue')}"
    return None, ""


def _execute(report: Report, running: Path, log: Path, timeout: int, res: Result) -> None:
    """papermill into ``running`` (a temporary path); failures are recorded on ``res``."""
    import papermill as pm

    try:
        with _stderr_to(log):
            pm.execute_notebook(
                str(report.notebook), str(running), parameters=report.parameters,
                kernel_name=KERNEL, progress_bar=False, log_output=False, report_mode=False,
                execution_timeout=timeout, cwd=str(report.notebook.parent),
            )
    except pm.PapermillExecutionError as exc:
        res.status, res.error = "failed", f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, timeout outside a cell, no such kernel ...
        res.status, res.error = "failed", f"{type(exc).__name__}: {exc}"


def _render(nb: Any, out_dir: Path, editions: Sequence[str], res: Result,
            neighbours: Neighbours) -> None:
    """Write the pages (and teacher/student notebooks) of one executed notebook."""
    for edition in editions:
        rel = page_path(edition, res.name)
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        up = "../" if EDITION_DIRS[edition] else ""
        html = to_html(
            html_view(nb, edition), title=res.title, include_input=edition != "reader",
            plotly_src=up + PLOTLY_JS, nav_html=_nav_html(edition, *neighbours),
        )
        atomic_write_text(target, html)
        res.pages[edition] = rel
        if edition in ("teacher", "student"):
            copy_nb = student_notebook(nb) if edition == "student" else copy.deepcopy(nb)
            copy_nb = handout_navigation(copy_nb, *neighbours)  # links that exist there
            nb_rel = f"{EDITION_DIRS[edition]}/{res.name}.ipynb"
            atomic_write_notebook(copy_nb, out_dir / nb_rel)
            res.notebooks[edition] = nb_rel


def run_report(
    report: Report,
    out_dir: Path,
    editions: Sequence[str],
    timeout: int,
    neighbours: Neighbours,
) -> Result:
    """Execute one report and write its pages (runs in a worker process; never raises).

    papermill writes into a hidden temporary notebook; the executed notebook and every page
    are renamed into place only when complete, so a killed run leaves no page that lies.
    """
    import nbformat

    started = time.perf_counter()
    res = Result(report.name, report.display_title, report.parameters)
    executed = out_dir / EXECUTED_DIR / f"{report.name}.ipynb"
    running = executed.with_name(f".{report.name}.running.ipynb")
    log = out_dir / LOG_DIR / f"{report.name}.log"
    for folder in (executed.parent, log.parent):
        folder.mkdir(parents=True, exist_ok=True)
    _execute(report, running, log, timeout, res)
    try:
        if running.is_file():
            nb = nbformat.read(running, as_version=4)
            cell, err = _failed_cell(nb)
            if cell is not None:
                res.status, res.failed_cell = "failed", cell
                res.error = res.error or err
        else:
            nb = _error_notebook(res.error)
        nb = normalise(nb, report.notebook.name)
        atomic_write_notebook(nb, executed)
        res.notebooks["executed"] = f"{EXECUTED_DIR}/{report.name}.ipynb"
        _render(nb, out_dir, editions, res, neighbours)
    except Exception as exc:  # a bug while rendering must not stop the other reports
        res.status = "failed"
        res.error = (res.error + "; " if res.error else "") + (
            f"rendering failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        running.unlink(missing_ok=True)
    res.seconds = time.perf_counter() - started
    return res


class Progress:
    """One progress display for the whole build on stderr (one updating line on a TTY)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.perf_counter()

    def update(self, res: Result) -> None:
        self.done += 1
        self.failed += res.status != "ok"
        status = "ok" if res.status == "ok" else "FAILED"
        line = (f"[{self.done}/{self.total}] {status:6} {res.name} ({res.seconds:.1f} s)"
                + (f" — {self.failed} failed" if self.failed else ""))
        if self.tty:
            self.stream.write("\r\x1b[2K" + line)
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        """A line of its own (after the progress line)."""
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End an unfinished updating line (the build was interrupted)."""
        if self.tty and 0 < self.done < self.total:
            self.stream.write("\n")
            self.stream.flush()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _neighbours(reports: Sequence[Report], i: int) -> Neighbours:
    prev = reports[i - 1] if i > 0 else None
    nxt = reports[i + 1] if i + 1 < len(reports) else None
    return ((prev.name, prev.display_title) if prev else None,
            (nxt.name, nxt.display_title) if nxt else None)


def _collect(fut: Future[Result], r: Report) -> Result:
    try:
        return fut.result()
    except Exception as exc:  # worker crashed
        return Result(r.name, r.display_title, r.parameters, "failed",
                      f"worker crashed: {type(exc).__name__}: {exc}")


def _run_all(reports: Sequence[Report], staging: Path, editions: Sequence[str], timeout: int,
             workers: int, progress: Progress) -> tuple[dict[str, Result], bool]:
    """Run every report in a process pool; on Ctrl-C stop the queue and the running kernels.

    Returns the finished results by name and whether the build was interrupted.
    """
    results: dict[str, Result] = {}
    pids: list[int] = []
    # worker processes even for --jobs 1: each has its own cwd (papermill chdirs) and its own
    # stderr, where the kernels' chatter goes to logs/<name>.log instead of the terminal
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp_context(),
                               initializer=worker_init)
    with Interrupt(on_second=lambda: kill_process_trees(pids)) as interrupt:
        try:
            futures = {pool.submit(run_report, r, staging, editions, timeout,
                                   _neighbours(reports, i)): r for i, r in enumerate(reports)}
            pending = set(futures)
            while pending and not interrupt.requested:
                pids[:] = list(getattr(pool, "_processes", None) or {})  # for a 2nd Ctrl-C
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    results[futures[fut].name] = res = _collect(fut, futures[fut])
                    progress.update(res)
            if interrupt.requested:
                pids[:] = list(getattr(pool, "_processes", None) or {})
                pool.shutdown(wait=False, cancel_futures=True)
                stop_process_trees(pids)  # the workers and the kernels they started
        finally:
            pool.shutdown(wait=True)
        return results, interrupt.requested


def _interrupted(r: Report) -> Result:
    return Result(r.name, r.display_title, r.parameters, "interrupted",
                  "stopped by Ctrl-C before it finished; no page was written")


def build(
    plan: Path | str | None = None,
    out: Path | str | None = None,
    *,
    corpus: str | None = None,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    only: str | None = None,
    editions: Sequence[str] | None = None,
    timestamp: bool = False,
    stream: TextIO | None = None,
) -> list[Result]:
    """Validate the plan, run every report (failures do not stop the others), write the index.

    Returns one Result per report in plan order. Raises SanctionlensError/ParameterError
    before anything runs when the plan is invalid or another build holds the output folder,
    and BuildInterrupted (a KeyboardInterrupt) after writing the index when Ctrl-C stopped it.
    """
    from ..paths import REPORTS_DIR

    editions = tuple(editions or DEFAULT_EDITIONS)
    bad = [e for e in editions if e not in EDITIONS]
    if bad:
        raise SanctionlensError(f"unknown edition(s) {bad}; choose from {list(EDITIONS)}")
    if timeout <= 0:
        raise SanctionlensError(f"--timeout must be a positive number of seconds, got {timeout}")
    if corpus:
        corpus = str(Path(corpus).expanduser().resolve())
        if not Path(corpus).is_dir():
            raise SanctionlensError(f"--corpus {corpus} is not a folder of articles")
    out_dir = Path(out) if out else REPORTS_DIR
    early = out_dir.exists()  # an existing folder: refuse a concurrent build at once
    with ExitStack() as stack:
        if early:
            stack.enter_context(build_lock(prepare(out_dir)))
        reports = load_plan(plan, corpus_dir=corpus, only=only)
        if not early:  # nothing is created for an invalid plan
            stack.enter_context(build_lock(prepare(out_dir)))
        return _build_locked(reports, out_dir, editions, corpus=corpus, jobs=jobs,
                             timeout=timeout, timestamp=timestamp, stream=stream)


def _build_locked(reports: list[Report], out_dir: Path, editions: tuple[str, ...], *,
                  corpus: str | None, jobs: int | None, timeout: int, timestamp: bool,
                  stream: TextIO | None) -> list[Result]:
    """The build proper, with the output folder locked: stage, run, publish, index."""
    from .index import BuildRecord, write_index

    staging = fresh_staging(out_dir)
    copy_plotly_js(out_dir)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(reports)))
    progress = Progress(len(reports), stream)
    done, interrupted = _run_all(reports, staging, editions, timeout, workers, progress)
    progress.close()
    ordered = [done.get(r.name) or _interrupted(r) for r in reports]
    produced = [f for res in ordered if res.status != "interrupted" for f in res.files()
                if (staging / f).is_file()]
    # pages of editions not built now stay (and stay linked): --edition student into
    # reports/ must not remove the reader pages
    kept = other_editions_files(out_dir, editions)
    removed = publish(out_dir, staging, produced, shared=[PLOTLY_JS, *kept])
    remove_staging(staging)
    if removed:
        shown = ", ".join(removed[:10]) + (f" and {len(removed) - 10} more"
                                           if len(removed) > 10 else "")
        progress.note(f"removed {len(removed)} file(s) of an earlier build that this build "
                      f"did not make: {shown}")
    for res in ordered:  # the index links only what is on disk now
        res.pages = {e: p for e, p in res.pages.items() if (out_dir / p).is_file()}
        res.notebooks = {k: p for k, p in res.notebooks.items() if (out_dir / p).is_file()}
    _note_corpus_warnings(corpus, progress)
    record = BuildRecord(interrupted=interrupted, removed=removed)
    shown = merge_existing(out_dir, ordered, editions)
    index = write_index(out_dir, reports, ordered, shown, corpus=corpus, timestamp=timestamp,
                        record=record)
    if interrupted:
        raise BuildInterrupted(ordered, index)
    return ordered


def _note_corpus_warnings(corpus: str | None, progress: Progress) -> None:
    """The loader's warnings (skipped files, guessed encodings) in the build output."""
    from .index import corpus_facts

    _, found = corpus_facts(corpus)
    if found:
        progress.note(f"corpus: {len(found)} warning(s) (also on index.html):")
        for w in found[:10]:
            progress.note(f"  warning: {w}")
        if len(found) > 10:
            progress.note(f"  … and {len(found) - 10} more")


def summary(results: Sequence[Result], out_dir: Path) -> str:
    failed = [r for r in results if r.status != "ok"]
    lines = [f"{len(results) - len(failed)} of {len(results)} reports built: "
             f"{out_dir / 'index.html'}"]
    for r in failed:
        cell = f" (cell {r.failed_cell})" if r.failed_cell is not None else ""
        lines.append(f"  FAILED {r.name}{cell}: {r.error.splitlines()[0] if r.error else ''}")
    return "\n".join(lines)


__all__ = ["BuildInterrupted", "Result", "build", "describe", "run_report", "summary"]
