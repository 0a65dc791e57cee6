"""Throughput of sanctionlens.time_expressions on a large synthetic corpus (not a test).

Also times ``resolve_document(doc, future=False)`` (what ``sanctionlens.tag`` calls) over the
same documents, in milliseconds per MB.

The text is built from the seed articles' own sentences, repeated and shuffled with a fixed
seed, grouped into documents of ``SENTENCES_PER_DOC`` sentences that take the seeds'
publication dates in turn (one in five has none, like seed 003). Sizes are in MB of UTF-8
text (10**6 bytes). Usage: ``.venv/bin/python benchmarks/bench_temporal.py [--size-mb 20]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import sanctionlens as sl
from sanctionlens.errors import ParameterError
from sanctionlens.extract.temporal import resolve_document, time_expressions
from sanctionlens.ingest.load import Corpus, Document, Sentence

SEED = 20211213
SENTENCES_PER_DOC = 200


def build_corpus(size_mb: float, seed: int = SEED) -> Corpus:
    """Documents of shuffled seed sentences totalling at least ``size_mb`` MB of text."""
    if not size_mb > 0:
        raise ParameterError(f"size_mb must be a positive number of MB, got {size_mb!r}; "
                             "try 20")
    seeds = sl.load_corpus()
    pool = [s.text for d in seeds for s in d.sentences]
    dates = [d.published for d in seeds]
    rng = random.Random(seed)
    target = int(size_mb * 1_000_000)
    docs: list[Document] = []
    total = 0
    while total < target:
        chosen = [rng.choice(pool) for _ in range(SENTENCES_PER_DOC)]
        parts: list[str] = []
        sentences: list[Sentence] = []
        pos = 0
        for i, sent in enumerate(chosen):
            if i:
                parts.append(" ")
                pos += 1
            sentences.append(Sentence(i, pos, pos + len(sent), sent, 0))
            parts.append(sent)
            pos += len(sent)
        text = "".join(parts)
        n = len(docs)
        docs.append(Document(id=f"bench_{n:06d}", path=Path(f"bench_{n:06d}.txt"),
                             title=f"bench {n}", published=dates[n % len(dates)], text=text,
                             paragraphs=[(0, len(text))], sentences=sentences))
        total += len(text.encode("utf-8"))
    return Corpus(docs, Path("benchmark"))


def run(size_mb: float = 20.0) -> dict:
    """Build the corpus, time time_expressions and resolve_document(future=False) once each."""
    corpus = build_corpus(size_mb)
    n_bytes = sum(len(d.text.encode("utf-8")) for d in corpus.documents)
    t0 = time.perf_counter()
    frame = time_expressions(corpus)
    seconds = time.perf_counter() - t0
    mb = n_bytes / 1_000_000
    t0 = time.perf_counter()
    for doc in corpus.documents:
        resolve_document(doc, future=False)
    no_future = time.perf_counter() - t0
    return {
        "benchmark": "temporal.time_expressions",
        "size_mb": round(mb, 2),
        "documents": len(corpus.documents),
        "sentences": sum(len(d.sentences) for d in corpus.documents),
        "expressions": len(frame),
        "seconds": round(seconds, 3),
        "mb_per_s": round(mb / seconds, 3),
        "ms_per_mb": round(1000 * seconds / mb, 1),
        "resolve_no_future_ms_per_mb": round(1000 * no_future / mb, 1),
        "seed": SEED,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20.0,
                        help="MB of text to build (default 20)")
    args = parser.parse_args()
    print(json.dumps(run(args.size_mb), sort_keys=True))


if __name__ == "__main__":
    main()
