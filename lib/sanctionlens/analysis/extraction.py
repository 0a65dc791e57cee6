"""Every per-document stage, extracted once into a store: the store's default tables plus
the chronology's event mentions (``detect_mentions``), which live here in analysis.

``extract_corpus`` is ``sanctionlens.extract(...)`` and ``sanctionlens extract CORPUS``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..store import DEFAULT_STAGES, Stage, Summary, build_store, stored_rows
from ..store.stages import resolved_times
from .chronology import detect_mentions  # module level: its code is in the stage's hash
from .events.mentions import Mention


def mention_rows(doc: Any) -> list[dict[str, Any]]:
    """The event mentions of one document (``chronology.detect_mentions``), one row each,
    every field of the mention as a column."""
    found = detect_mentions(doc, timex=resolved_times(doc))  # its own tags, as chronology
    return [{"doc_id": doc.id, **{k: v for k, v in dataclasses.asdict(m).items()
                                  if k != "doc_id"}} for m in found]


MENTIONS = Stage("mentions", mention_rows)


def _mention(row: dict[str, Any]) -> Mention:
    kw = {}
    for f in dataclasses.fields(Mention):
        value = row[f.name]
        if isinstance(value, list) and str(f.type).startswith("tuple"):
            value = tuple(value)
        kw[f.name] = value
    return Mention(**kw)


def stored_mentions(corpus: Any, docs: list[Any]) -> list[Mention] | None:
    """The event mentions of `docs` (in that order) from the corpus's fresh store, as
    ``detect_mentions`` made them; None when there is no fresh store (compute them)."""
    rows = stored_rows(corpus, MENTIONS, docs)
    return None if rows is None else [_mention(r) for r in rows]
STAGES: tuple[Stage, ...] = (*DEFAULT_STAGES, MENTIONS)


def extract_corpus(corpus: Any = None, store: str | Path | None = None, *,
                   engine: str = "local", jobs: int | None = None, scheduler: Any = None,
                   parts: int | None = None, fields: str | dict[str, str] | None = None,
                   stages: tuple[Stage, ...] = STAGES) -> Summary:
    """Extract every per-document table of `corpus` (a folder, a file or a loaded Corpus;
    default: the seeds) into the Parquet store `store` (default:
    ``<corpus>/.sanctionlens-store``), processing only new or changed files.

    `engine`: ``"local"`` (a process pool of `jobs` workers) or ``"dask"`` (`scheduler`: an
    address such as ``tcp://HOST:8786``, a ``distributed.Client``, or None for a local
    cluster). Returns a Summary (``summary.line()``: "1 new, 0 changed, 0 removed, 5
    unchanged").
    """
    return build_store(corpus, store, stages=stages, engine=engine, jobs=jobs,
                       scheduler=scheduler, parts=parts, fields=fields)


def add_extract_arguments(p: Any) -> None:
    """The options of ``sanctionlens extract``."""
    p.add_argument("corpus", nargs="?", default=None,
                   help="folder (or file) of articles (default: bundled seeds/)")
    p.add_argument("--store", default=None,
                   help="store folder or fsspec URL (default: CORPUS/.sanctionlens-store)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local process pool (default) or a Dask cluster")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="Dask scheduler address (default with --engine dask: a local cluster)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: the cores available)")
    p.add_argument("--parts", type=int, default=None, metavar="N",
                   help="buckets the corpus files are spread over (default: 16, or one per "
                        "0.5 MB of text for larger corpora; kept once the store exists; a new "
                        "value rewrites it)")
    p.add_argument("--fields", default=None, metavar="NAME=FIELD,...",
                   help="export field names, as for `sanctionlens corpus`")


def run_extract(args: Any) -> int:
    """``sanctionlens extract``: refresh the store, print what changed."""
    import sys

    summary = extract_corpus(args.corpus, args.store, engine=args.engine, jobs=args.jobs,
                             scheduler=args.scheduler, parts=args.parts, fields=args.fields)
    print(summary.line())
    if summary.rebuilt:
        print(f"every file extracted again: {summary.rebuilt}")
    for note in summary.notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"{summary.documents} documents in {summary.store} ({summary.buckets} parts "
          f"rewritten, {summary.seconds:.1f} s, peak worker memory {summary.peak_mb:.0f} MB)",
          file=sys.stderr)
    return 0
