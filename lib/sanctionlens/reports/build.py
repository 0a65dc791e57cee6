"""Execute the planned notebooks with papermill in parallel and render every edition to HTML."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import SanctionlensError
from .editions import (
    DEFAULT_EDITIONS,
    EDITION_DIRS,
    EDITIONS,
    html_view,
    normalise,
    student_notebook,
)
from .htmlexport import PLOTLY_JS, copy_plotly_js, to_html
from .plan import Report, describe, load_plan

KERNEL = "sanctionlens"
DEFAULT_TIMEOUT = 300
EXECUTED_DIR = "notebooks"
LOG_DIR = "logs"


@dataclass
class Result:
    """What happened to one report."""

    name: str
    title: str
    parameters: dict[str, Any]
    status: str = "ok"  # ok | failed
    error: str = ""
    failed_cell: int | None = None
    pages: dict[str, str] = field(default_factory=dict)  # edition -> path relative to out
    notebooks: dict[str, str] = field(default_factory=dict)  # kind -> path relative to out
    seconds: float = 0.0


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


def run_report(
    report: Report,
    out_dir: Path,
    editions: Sequence[str],
    timeout: int,
    neighbours: tuple[tuple[str, str] | None, tuple[str, str] | None],
) -> Result:
    """Execute one report and write its pages (runs in a worker process; never raises)."""
    import nbformat
    import papermill as pm

    started = time.perf_counter()
    res = Result(report.name, report.display_title, report.parameters)
    executed = out_dir / EXECUTED_DIR / f"{report.name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    log = out_dir / LOG_DIR / f"{report.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _stderr_to(log):
            pm.execute_notebook(
                str(report.notebook), str(executed), parameters=report.parameters,
                kernel_name=KERNEL, progress_bar=False, log_output=False, report_mode=False,
                execution_timeout=timeout, cwd=str(report.notebook.parent),
            )
    except pm.PapermillExecutionError as exc:
        res.status, res.error = "failed", f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, timeout outside a cell, no such kernel ...
        res.status, res.error = "failed", f"{type(exc).__name__}: {exc}"
    try:
        if executed.is_file():
            nb = nbformat.read(executed, as_version=4)
            cell, err = _failed_cell(nb)
            if cell is not None:
                res.status, res.failed_cell = "failed", cell
                res.error = res.error or err
        else:
            nb = _error_notebook(res.error)
        nb = normalise(nb, report.notebook.name)
        nbformat.write(nb, executed)
        res.notebooks["executed"] = f"{EXECUTED_DIR}/{report.name}.ipynb"
        for edition in editions:
            rel = page_path(edition, report.name)
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            up = "../" if EDITION_DIRS[edition] else ""
            html = to_html(
                html_view(nb, edition), title=res.title, include_input=edition != "reader",
                plotly_src=up + PLOTLY_JS, nav_html=_nav_html(edition, *neighbours),
            )
            target.write_text(html, encoding="utf-8")
            res.pages[edition] = rel
            if edition in ("teacher", "student"):
                copy_nb = student_notebook(nb) if edition == "student" else nb
                nb_rel = f"{EDITION_DIRS[edition]}/{report.name}.ipynb"
                nbformat.write(copy_nb, out_dir / nb_rel)
                res.notebooks[edition] = nb_rel
    except Exception as exc:  # a bug while rendering must not stop the other reports
        res.status = "failed"
        res.error = (res.error + "; " if res.error else "") + (
            f"rendering failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
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

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _mp_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


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
    before anything runs when the plan is invalid.
    """
    from ..paths import REPORTS_DIR
    from .index import write_index

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
    reports = load_plan(plan, corpus_dir=corpus, only=only)
    out_dir = Path(out) if out else REPORTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_plotly_js(out_dir)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(reports)))
    progress = Progress(len(reports), stream)
    results: dict[str, Result] = {}

    def neighbours(i: int) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        prev = reports[i - 1] if i > 0 else None
        nxt = reports[i + 1] if i + 1 < len(reports) else None
        return ((prev.name, prev.display_title) if prev else None,
                (nxt.name, nxt.display_title) if nxt else None)

    # worker processes even for --jobs 1: each has its own cwd (papermill chdirs) and its own
    # stderr, where the kernels' chatter goes to logs/<name>.log instead of the terminal
    with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()) as pool:
        futures = {pool.submit(run_report, r, out_dir, editions, timeout, neighbours(i)): r
                   for i, r in enumerate(reports)}
        for fut in as_completed(futures):
            r = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # worker crashed
                res = Result(r.name, r.display_title, r.parameters, "failed",
                             f"worker crashed: {type(exc).__name__}: {exc}")
            results[r.name] = res
            progress.update(res)
    ordered = [results[r.name] for r in reports]
    write_index(out_dir, reports, ordered, editions, corpus=corpus, timestamp=timestamp)
    return ordered


def summary(results: Sequence[Result], out_dir: Path) -> str:
    failed = [r for r in results if r.status != "ok"]
    lines = [f"{len(results) - len(failed)} of {len(results)} reports built: "
             f"{out_dir / 'index.html'}"]
    for r in failed:
        cell = f" (cell {r.failed_cell})" if r.failed_cell is not None else ""
        lines.append(f"  FAILED {r.name}{cell}: {r.error.splitlines()[0] if r.error else ''}")
    return "\n".join(lines)


__all__ = ["Result", "build", "describe", "run_report", "summary"]
