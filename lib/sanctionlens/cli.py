"""Command line: `sanctionlens corpus|tag|report ...` (also `python -m sanctionlens`)."""

from __future__ import annotations

import argparse
import errno
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import SanctionlensError

Command = Callable[[argparse.Namespace], int]


CORPUS_COLUMNS = ["doc_id", "published", "published_precision", "published_basis", "title",
                  "title_basis", "outlet", "outlet_basis", "sentences", "words", "removed"]


def _cmd_corpus(args: argparse.Namespace) -> int:
    from .ingest.load import load_corpus

    corpus = load_corpus(args.path, fields=args.fields)
    frame = corpus.to_frame()
    frame["published"] = [d.published.isoformat() if d.published else
                          (f"~{d.published_estimate}" if d.published_estimate else "")
                          for d in corpus]
    frame = frame[CORPUS_COLUMNS]
    if args.format == "csv":
        from .extract.csvsafe import safe_frame  # titles are article text: no formulas

        safe_frame(frame).to_csv(sys.stdout, index=False)
    else:
        import pandas as pd

        cut = frame.copy()
        for col in ("doc_id", "published_basis", "title", "title_basis", "outlet",
                    "outlet_basis"):
            cut[col] = [v if len(v) <= 44 else v[:43] + "…" for v in cut[col].astype(str)]
        with pd.option_context("display.width", 250):
            print(cut.to_string(index=False))
        known = sum(d.published is not None for d in corpus)
        est = sum(bool(d.published_estimate) for d in corpus)
        print(f"\n{len(corpus)} documents: {known} dated to the day, {est} estimated "
              f"(~, month or year), {len(corpus) - known - est} without a date; "
              f"{len(corpus.warnings)} warning(s)")
        for w in corpus.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 0


def _cmd_tag(args: argparse.Namespace) -> int:
    from .extract.tagging import write_tags

    return write_tags(args.path, fmt=args.format, out=args.output, workers=args.workers)


def _cmd_report(args: argparse.Namespace) -> int:
    from .reports import run_from_cli

    return run_from_cli(args)


def _cmd_nav(args: argparse.Namespace) -> int:
    from .reports.navigation import refresh_navigation

    changed = refresh_navigation(check=args.check)
    if args.check and changed:
        print(f"navigation out of date in: {', '.join(map(str, changed))}", file=sys.stderr)
        return 1
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from .analysis.evaluate import evaluate

    def split(value: str | None) -> list[str] | None:
        return None if value is None else [v for v in value.split(",") if v.strip()]

    result = evaluate(args.corpus, args.gold, docs=split(args.docs),
                      exclude=split(args.exclude), only=split(args.only))
    if args.format == "json":
        data = result.to_dict()
        if not args.misses:
            data.pop("misses")
        print(json.dumps(data, indent=1, ensure_ascii=False))
    else:
        print(result.to_text(misses=args.misses))
    return 0


def _add_evaluate_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="precision/recall of companies, time expressions and "
                       "events against a gold file",
                       description="Score a folder of articles against gold annotations "
                                   "(format of shared/dev-corpus/gold.json), paired by file "
                                   "name: totals, a table per document, and the misses.")
    p.add_argument("corpus", help="folder of articles")
    p.add_argument("--gold", required=True, help="gold.json")
    p.add_argument("--docs", default=None, help="only these gold keys or doc ids (001,002)")
    p.add_argument("--exclude", default=None, help="leave out these (005,012)")
    p.add_argument("--only", default=None, help="tasks: companies,time,events (default all)")
    p.add_argument("--misses", action="store_true", help="also list every miss")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_cmd_evaluate)


def _cmd_kb(args: argparse.Namespace) -> int:
    from .kb.importers.command import run_kb_command

    return run_kb_command(args)


def _add_text_parsers(sub: Any) -> None:
    """corpus, tag and report: read articles, tag them, build the pages."""
    p = sub.add_parser("corpus", help="print the document table of a folder of articles",
                       description="Load a folder of articles and print one row per document.")
    p.add_argument("path", nargs="?", default=None,
                   help="folder (subfolders too) or file of .txt/.md/.html articles or "
                        ".jsonl/.json/.csv exports (default: bundled seeds/)")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.add_argument("--fields", default=None, metavar="NAME=FIELD,...",
                   help="export field names, e.g. text=article_body,title=headline "
                        "(names: text, title, published, url, outlet, authors, language)")
    p.set_defaults(func=_cmd_corpus)

    p = sub.add_parser("tag", help="tag companies, agencies, instruments, people, numbers",
                       description="Tag every article of a folder; one row per tag.")
    p.add_argument("path", nargs="?", default=None,
                   help="folder of articles (default: bundled seeds/)")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("-o", "--output", default=None, help="file to write (default: stdout)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes that tag (default: 1 for a few MB of text, else one per "
                        "core up to 4); the output is the same")
    p.set_defaults(func=_cmd_tag)

    p = sub.add_parser("report", help="build the HTML reports (what `make report` runs)",
                       description="Execute the notebooks of the report plan with papermill "
                                   "and render them to HTML under --out.")
    try:
        from .reports import add_report_arguments
    except ImportError:  # reports module not built yet
        add_report_arguments = None
    if add_report_arguments is not None:
        add_report_arguments(p)
    p.set_defaults(func=_cmd_report)


def _add_data_parsers(sub: Any) -> None:
    """extract, kb, prices and nav: the store, the knowledge base, prices, notebook cells."""
    p = sub.add_parser("extract", help="extract the per-document tables into a Parquet store",
                       description="Run tagging, time expressions, quotes, numbers and event "
                                   "mentions once per new or changed file and keep them in a "
                                   "store that sl.tag and the notebooks read.")
    from .analysis.extraction import add_extract_arguments, run_extract

    add_extract_arguments(p)
    p.set_defaults(func=run_extract)

    p = sub.add_parser("kb", help="knowledge base: import official lists (kb import FILE)",
                       description="Work with the knowledge base's local overlays.")
    from .kb.importers.command import add_kb_arguments

    add_kb_arguments(p)
    p.set_defaults(func=_cmd_kb)

    p = sub.add_parser("prices", help="daily prices: fetch (with provenance) or list",
                       description="Fetch daily prices into data/prices with a SOURCES.json "
                                   "manifest (the only network path), or list what is there.")
    from .analysis.price_cli import add_prices_arguments, run_prices

    add_prices_arguments(p)
    p.set_defaults(func=run_prices)

    p = sub.add_parser("nav", help="insert/refresh previous | index | next cells in notebooks",
                       description="Re-runnable: writes navigation cells (tagged 'navigation') "
                                   "into every notebook of the report plan, in plan order.")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if any notebook's navigation is out of date")
    p.set_defaults(func=_cmd_nav)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanctionlens",
        description="US sanctions on Chinese AI and surveillance companies: corpus, tags, reports.",
    )
    parser.add_argument("--debug", action="store_true",
                        help="on an error, show the full Python traceback")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _add_text_parsers(sub)
    _add_evaluate_parser(sub)
    _add_data_parsers(sub)
    return parser


def os_error_message(exc: OSError) -> str:
    """One line for an OS error: the path, what went wrong, and what would work."""
    if exc.filename is None:
        return f"{exc.strerror or exc} (operating system error {exc.errno})"
    path = str(exc.filename)
    parent = Path(path).parent
    if isinstance(exc, FileNotFoundError):
        if not parent.is_dir():
            return (f"{path}: the folder {parent} does not exist; create it first "
                    "or give a path in an existing folder")
        return f"{path}: no such file or folder; check the path"
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a folder; give a file name inside it (e.g. {Path(path) / 'out.csv'})"
    if isinstance(exc, NotADirectoryError | FileExistsError):
        return (f"{path}: a file is in the way where a folder is needed; "
                "give a folder path, or move the file")
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied; choose a location you may read and write"
    if exc.errno == errno.ENOSPC:
        return f"{path}: no space left on the device; free some space or write elsewhere"
    return f"{path}: {exc.strerror or exc}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    name = f"sanctionlens {args.command}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # commands print corpus warnings themselves
            return int(args.func(args) or 0)
    except BrokenPipeError:
        return 0
    except (SanctionlensError, OSError) as exc:
        if args.debug:
            raise
        text = os_error_message(exc) if isinstance(exc, OSError) else str(exc)
        print(f"{name}: error: {text}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
