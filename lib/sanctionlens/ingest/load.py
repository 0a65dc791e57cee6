"""Load a folder of news articles: decode, clean, split into paragraphs and sentences."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import CorpusError, MetadataError
from .clean import Removal, clean_lines, html_to_text
from .decode import decode_bytes
from .sentences import split_spans

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
NOT_ARTICLES = {"readme.md", "readme.txt", "metadata.csv", "sources.md", "license", "license.md"}
METADATA_COLUMNS = (
    "file", "doc_id", "title", "outlet", "authors", "published", "published_basis", "url",
    "language",
)
_WORD = re.compile(r"[^\W_][\w'’.-]*", re.UNICODE)


class CorpusWarning(UserWarning):
    """Something in the corpus was skipped or guessed; the message says what and where."""


@dataclass(frozen=True)
class Sentence:
    id: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass
class Document:
    id: str
    path: Path
    title: str
    outlet: str = ""
    authors: str = ""
    published: dt.date | None = None
    published_basis: str = ""
    url: str = ""
    language: str = ""
    raw: str = ""
    text: str = ""
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    cleaning_log: list[Removal] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing character `offset` of `text`."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def __repr__(self) -> str:
        return f"Document({self.id!r}, {self.title[:50]!r}, published={self.published})"


@dataclass
class Corpus:
    documents: list[Document]
    path: Path
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(f"no document {doc_id!r}; known: {', '.join(d.id for d in self)}")

    def to_frame(self) -> pd.DataFrame:
        """One row per document with its metadata and word, sentence and removal counts."""
        rows = [
            {
                "doc_id": d.id, "title": d.title, "outlet": d.outlet, "authors": d.authors,
                "published": d.published, "published_basis": d.published_basis, "url": d.url,
                "language": d.language, "file": d.path.name, "encoding": d.encoding,
                "paragraphs": len(d.paragraphs), "sentences": len(d.sentences),
                "words": d.words, "chars": len(d.text), "removed": len(d.cleaning_log),
            }
            for d in self.documents
        ]
        return pd.DataFrame(rows, columns=[
            "doc_id", "title", "outlet", "authors", "published", "published_basis", "url",
            "language", "file", "encoding", "paragraphs", "sentences", "words", "chars", "removed",
        ])

    def sentences_frame(self) -> pd.DataFrame:
        """One row per sentence: doc_id, sentence_id, paragraph, start, end, text."""
        rows = [
            (d.id, s.id, s.paragraph, s.start, s.end, s.text)
            for d in self.documents for s in d.sentences
        ]
        return pd.DataFrame(
            rows, columns=["doc_id", "sentence_id", "paragraph", "start", "end", "text"]
        )

    def cleaning_frame(self) -> pd.DataFrame:
        """Everything cleaning removed: doc_id, line, text, reason."""
        rows = [(d.id, r.line, r.text, r.reason) for d in self.documents for r in d.cleaning_log]
        return pd.DataFrame(rows, columns=["doc_id", "line", "text", "reason"])

    def file_hashes(self) -> dict[str, str]:
        """SHA-256 of each article file (and metadata.csv), for build provenance."""
        files = [d.path for d in self.documents]
        meta = self.path / "metadata.csv" if self.path.is_dir() else None
        if meta and meta.is_file():
            files.append(meta)
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


def load_corpus(path: str | Path | None = None) -> Corpus:
    """Load every article of a folder (default: the bundled seeds/), or one article file.

    Articles are ``.txt``, ``.md`` or ``.html`` files; an optional ``metadata.csv``
    adds title, outlet, authors, publication date and more (see seeds/README.md).
    """
    root = paths.resolve(path, paths.SEEDS_DIR)
    corpus_warnings: list[str] = []
    docs = list(iter_documents(root, corpus_warnings))
    ids = [d.id for d in docs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CorpusError(f"{root}: duplicate doc_id {', '.join(dupes)}; give each file its "
                          "own doc_id in metadata.csv")
    if not docs:
        raise CorpusError(f"{root}: every article file is empty; nothing to analyse")
    for w in corpus_warnings:
        warnings.warn(w, CorpusWarning, stacklevel=2)
    return Corpus(docs, root, corpus_warnings)


def iter_documents(path: str | Path | None = None,
                   collect: list[str] | None = None) -> Iterator[Document]:
    """Yield the documents of a folder one at a time (for streams of many files).

    Warnings (skipped empty files, ignored file types, cp1252 fallbacks) are appended to
    `collect` when given, else issued as CorpusWarning.
    """
    root = paths.resolve(path, paths.SEEDS_DIR)

    def note(msg: str) -> None:
        if collect is not None:
            collect.append(msg)
        else:
            warnings.warn(msg, CorpusWarning, stacklevel=3)

    if not root.exists():
        raise CorpusError(f"{root}: no such file or folder; pass a folder of .txt/.md/.html "
                          "articles (default: the bundled seeds/)")
    folder = root if root.is_dir() else root.parent
    files = [root] if root.is_file() else _article_files(root)
    if root.is_dir():
        for p in sorted(root.iterdir()):
            if p.is_file() and not p.name.startswith(".") and p not in files \
                    and p.name.lower() not in NOT_ARTICLES:
                note(f"{p}: ignored (not an article type; use {', '.join(ARTICLE_SUFFIXES)})")
    if not files:
        raise CorpusError(f"{root}: no articles found (expected .txt, .md or .html files)")
    meta = read_metadata(folder / "metadata.csv", {p.name for p in files}) \
        if (folder / "metadata.csv").is_file() else {}
    for p in files:
        doc = load_document(p, meta.get(p.name, {}))
        if doc is None:
            note(f"{p}: empty file skipped")
            continue
        for w in doc.warnings:
            note(w)
        yield doc


def _article_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
        and p.name.lower() not in NOT_ARTICLES
    )


def read_metadata(path: Path, files: set[str]) -> dict[str, dict[str, str]]:
    """Read and validate metadata.csv; every bad row is reported with its line number."""
    try:
        decoded = decode_bytes(path.read_bytes(), path).text
    except OSError as exc:
        raise MetadataError(f"{path}: cannot read ({exc.strerror})") from exc
    reader = csv.DictReader(io.StringIO(decoded))
    header = reader.fieldnames or []
    if "file" not in header:
        raise MetadataError(
            f"{path}:1: no 'file' column; columns are {', '.join(METADATA_COLUMNS)}")
    unknown = [c for c in header if c not in METADATA_COLUMNS]
    if unknown:
        raise MetadataError(f"{path}:1: unknown column(s) {', '.join(unknown)}; "
                            f"known: {', '.join(METADATA_COLUMNS)}")
    rows: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"{path}:{line}: more fields than columns")
            continue
        row = {k: (v or "").strip() for k, v in row.items()}
        name = row.get("file", "")
        if not name:
            problems.append(f"{path}:{line}: empty 'file' field")
        elif name not in files:
            problems.append(f"{path}:{line}: file {name!r} is not an article in {path.parent}")
        elif name in rows:
            problems.append(f"{path}:{line}: second row for {name!r}")
        if row.get("published"):
            try:
                dt.date.fromisoformat(row["published"])
            except ValueError:
                problems.append(f"{path}:{line}: published {row['published']!r} is not an ISO "
                                "date (YYYY-MM-DD); leave it empty if unknown")
        rows[name] = row
    if problems:
        raise MetadataError("metadata.csv has invalid rows:\n  " + "\n  ".join(problems))
    return rows


def load_document(path: Path, meta: dict[str, str] | None = None) -> Document | None:
    """Read, decode and clean one article; None for an empty file."""
    meta = meta or {}
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc}); check the path "
                          "and its permissions") from exc
    if not data.strip():
        return None
    decoded = decode_bytes(data, path)
    raw = decoded.text
    body, html_title, removals_pre = raw, None, []
    if path.suffix.lower() in (".html", ".htm"):
        body, html_title, skipped = html_to_text(raw)
        removals_pre.append(Removal(0, f"{skipped} script/style/nav blocks and all tags",
                                    "HTML markup"))
    if not body.strip():
        return None
    paragraphs, removals = clean_lines(
        body,
        title=meta.get("title") or html_title,
        outlet=meta.get("outlet"),
        authors=meta.get("authors"),
        markdown=path.suffix.lower() in (".md", ".markdown"),
    )
    text_parts: list[str] = []
    para_spans: list[tuple[int, int]] = []
    sentences: list[Sentence] = []
    pos = 0
    for pi, para in enumerate(paragraphs):
        if text_parts:
            text_parts.append("\n\n")
            pos += 2
        para_spans.append((pos, pos + len(para.text)))
        for a, b in split_spans(para.text):
            sentences.append(Sentence(len(sentences), pos + a, pos + b, para.text[a:b], pi))
        text_parts.append(para.text)
        pos += len(para.text)
    text = "".join(text_parts)
    title = meta.get("title") or html_title or (paragraphs[0].text if paragraphs else path.stem)
    published = dt.date.fromisoformat(meta["published"]) if meta.get("published") else None
    return Document(
        id=meta.get("doc_id") or path.stem,
        path=path,
        title=title,
        outlet=meta.get("outlet", ""),
        authors=meta.get("authors", ""),
        published=published,
        published_basis=meta.get("published_basis", ""),
        url=meta.get("url", ""),
        language=meta.get("language", ""),
        raw=raw,
        text=text,
        paragraphs=para_spans,
        sentences=sentences,
        cleaning_log=removals_pre + removals,
        encoding=decoded.encoding,
        warnings=decoded.warnings,
    )
