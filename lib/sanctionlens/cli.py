"""Command line: `sanctionlens corpus|tag|report ...` (also `python -m sanctionlens`)."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence

from .errors import SanctionlensError

Command = Callable[[argparse.Namespace], int]


def _cmd_corpus(args: argparse.Namespace) -> int:
    from .ingest.load import load_corpus

    corpus = load_corpus(args.path)
    frame = corpus.to_frame()[
        ["doc_id", "outlet", "published", "sentences", "words", "removed", "title"]
    ]
    if args.format == "csv":
        from .extract.csvsafe import safe_frame  # titles are article text: no formulas

        safe_frame(frame).to_csv(sys.stdout, index=False)
    else:
        import pandas as pd

        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(frame.to_string(index=False))
        for w in corpus.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 0


def _cmd_tag(args: argparse.Namespace) -> int:
    from .extract.tagging import write_tags

    return write_tags(args.path, fmt=args.format, out=args.output)


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanctionlens",
        description="US sanctions on Chinese AI and surveillance companies: corpus, tags, reports.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("corpus", help="print the document table of a folder of articles",
                       description="Load a folder of articles and print one row per document.")
    p.add_argument("path", nargs="?", default=None,
                   help="folder of .txt/.md/.html articles (default: bundled seeds/)")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=_cmd_corpus)

    p = sub.add_parser("tag", help="tag companies, agencies, instruments, people, numbers",
                       description="Tag every article of a folder; one row per tag.")
    p.add_argument("path", nargs="?", default=None,
                   help="folder of articles (default: bundled seeds/)")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("-o", "--output", default=None, help="file to write (default: stdout)")
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

    p = sub.add_parser("nav", help="insert/refresh previous | index | next cells in notebooks",
                       description="Re-runnable: writes navigation cells (tagged 'navigation') "
                                   "into every notebook of the report plan, in plan order.")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if any notebook's navigation is out of date")
    p.set_defaults(func=_cmd_nav)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # commands print corpus warnings themselves
            return int(args.func(args) or 0)
    except SanctionlensError as exc:
        print(f"sanctionlens {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
