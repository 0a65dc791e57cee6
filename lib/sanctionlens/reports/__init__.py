"""The report pipeline (`sanctionlens report`, what `make report` runs).

plan.py      reports.toml → validated list of Report (parameters checked before anything runs)
build.py     papermill in parallel → executed notebooks → HTML editions, progress on stderr
htmlexport.py  nbconvert (in-process, one exporter), offline plotly, deterministic pages
editions.py  reader / analyst / teacher / student views
index.py     reports/index.html with status, links and build facts
outdir.py    the output folder: lock, staging, atomic writes, stale files removed
interrupt.py Ctrl-C: stop the queue and the kernels, a second Ctrl-C exits at once
navigation.py  previous | index | next cells in the source notebooks (re-runnable)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import DEFAULT_TIMEOUT, BuildInterrupted, Result, build, summary
from .editions import DEFAULT_EDITIONS, EDITIONS
from .interrupt import EXIT_INTERRUPTED
from .plan import EXPANDERS, Report, load_plan, read_parameters, register_expander


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `sanctionlens report` (the lead's cli.py calls this)."""
    parser.add_argument("--plan", default=None,
                        help="report plan (default: reports.toml at the project root)")
    parser.add_argument("--out", default=None, help="output folder (default: reports/)")
    parser.add_argument("--corpus", default=None, metavar="PATH",
                        help="folder of articles, injected as corpus_dir (default: bundled seeds/)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="notebooks run in parallel (default: number of CPUs)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"per-cell execution timeout (default: {DEFAULT_TIMEOUT})")
    parser.add_argument("--only", default=None, metavar="PATTERN",
                        help="build only reports whose name matches (substring or glob)")
    parser.add_argument("--edition", action="append", choices=EDITIONS, default=None,
                        help="edition(s) to build, repeatable (default: "
                             + " and ".join(DEFAULT_EDITIONS) + ")")
    parser.add_argument("--timestamp", action="store_true",
                        help="write the build time into index.html (pages stay reproducible)")


def run_from_cli(args: argparse.Namespace) -> int:
    """Build the reports; exit code 0 when all succeeded, 1 when any failed, 130 on Ctrl-C."""
    from ..paths import REPORTS_DIR

    if args.jobs is not None and args.jobs < 1:
        from ..errors import SanctionlensError

        raise SanctionlensError(f"--jobs must be at least 1, got {args.jobs}")
    try:
        results = build(
            args.plan, args.out, corpus=args.corpus, jobs=args.jobs, timeout=args.timeout,
            only=args.only, editions=args.edition, timestamp=args.timestamp,
        )
    except BuildInterrupted as stop:
        print(f"sanctionlens report: {stop.message()}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary(results, Path(args.out) if args.out else REPORTS_DIR), file=sys.stderr)
    return 0 if all(r.status == "ok" for r in results) else 1


__all__ = [
    "EXPANDERS", "BuildInterrupted", "Report", "Result", "add_report_arguments", "build",
    "load_plan", "read_parameters", "register_expander", "run_from_cli",
]
