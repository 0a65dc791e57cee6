"""The ``sanctionlens kb import`` command (arguments and run)."""

from __future__ import annotations

import argparse
import sys

from . import FORMATS, import_list


def add_kb_arguments(parser: argparse.ArgumentParser) -> None:
    """Sub-commands of ``sanctionlens kb``."""
    sub = parser.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    p = sub.add_parser(
        "import", help="import an official list file as a local overlay of the knowledge base",
        description="Read a Consolidated Screening List CSV/JSON, a plain list CSV "
                    "(name,aliases,list,start,end,citation,url) or the OpenSanctions 1260H "
                    "table, and write it to the overlay folder (default kb.local/), which the "
                    "library loads on top of the bundled knowledge base (or set "
                    "SANCTIONLENS_KB=DIR[:DIR...]). Importing the same source again replaces it.")
    p.add_argument("file", nargs="?", default=None, help="the list file (or use --download)")
    p.add_argument("--kb-dir", default=None, help="overlay folder to write (default: kb.local/ "
                                                  "at the project root)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="the file's format (default: detected from its header)")
    p.add_argument("--download", metavar="URL", default=None,
                   help="fetch the list from URL first (the only network access); the URL "
                        "and retrieval date are recorded")
    p.add_argument("--country", default=None, metavar="CODES",
                   help="CSL only: keep rows with an address in these ISO codes, e.g. CN,HK,MO")
    p.add_argument("--licence", default=None, help="licence of the data (recorded with "
                                                   "every fact; CSL and OpenSanctions known)")
    p.add_argument("--publisher", default=None, help="who publishes the list (recorded)")
    p.add_argument("--id", dest="source_id", default=None,
                   help="source id of the import (default: from the file name); a re-import "
                        "with the same id replaces the earlier one")


def run_kb_command(args: argparse.Namespace) -> int:
    """Run ``sanctionlens kb ...``; prints what was written."""
    countries = {c.strip().upper() for c in args.country.split(",") if c.strip()} \
        if args.country else None
    res = import_list(args.file, kb_dir=args.kb_dir, fmt=args.format,
                      download_url=args.download, countries=countries, licence=args.licence,
                      publisher=args.publisher, source_id=args.source_id)
    print(f"imported {res.entries} entries ({res.listed} dated listings) as {res.format} "
          f"into {res.path}", file=sys.stderr)
    return 0
