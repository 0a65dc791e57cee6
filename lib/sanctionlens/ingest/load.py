"""Load a folder of news articles: decode, clean, split into paragraphs and sentences."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import CorpusError, MetadataError
from .clean import Removal, clean_lines
from .decode import decode_bytes
from .html import extract_html
from .metadata import Hints, infer
from .records import RECORD_SUFFIXES, iter_records, map_record, parse_fields
from .sentences import split_spans

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
ALL_SUFFIXES = ARTICLE_SUFFIXES + RECORD_SUFFIXES
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
    published_precision: str = ""  # day | month | year | "" (unknown)
    published_estimate: str = ""  # ISO year or year-month when not known to the day
    title_basis: str = ""
    outlet_basis: str = ""
    authors_basis: str = ""
    source: str = ""  # file path relative to the corpus folder (+ "#N" for export records)
    record: int | None = None  # record number inside an export file
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
    _index: dict[str, Document] = field(default_factory=dict, repr=False, compare=False)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, doc_id: str) -> Document:
        if len(self._index) != len(self.documents):
            self._index = {d.id: d for d in self.documents}
        if doc_id in self._index:
            return self._index[doc_id]
        raise KeyError(f"no document {doc_id!r}; known: {', '.join(d.id for d in self)}")

    def to_frame(self) -> pd.DataFrame:
        """One row per document with its metadata and word, sentence and removal counts."""
        rows = [
            {
                "doc_id": d.id, "title": d.title, "outlet": d.outlet, "authors": d.authors,
                "published": d.published, "published_basis": d.published_basis, "url": d.url,
                "language": d.language, "file": d.path.name, "encoding": d.encoding,
                "published_precision": d.published_precision,
                "published_estimate": d.published_estimate, "title_basis": d.title_basis,
                "outlet_basis": d.outlet_basis, "source": d.source,
                "paragraphs": len(d.paragraphs), "sentences": len(d.sentences),
                "words": d.words, "chars": len(d.text), "removed": len(d.cleaning_log),
            }
            for d in self.documents
        ]
        return pd.DataFrame(rows, columns=[
            "doc_id", "title", "outlet", "authors", "published", "published_basis", "url",
            "language", "file", "encoding", "paragraphs", "sentences", "words", "chars", "removed",
            "published_precision", "published_estimate", "title_basis", "outlet_basis", "source",
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
        folder = self.path if self.path.is_dir() else self.path.parent
        files = {d.source.split("#")[0] or d.path.name: d.path for d in self.documents}
        meta = folder / "metadata.csv"
        if meta.is_file():
            files["metadata.csv"] = meta
        return {k: hashlib.sha256(files[k].read_bytes()).hexdigest() for k in sorted(files)}


def load_corpus(path: str | Path | None = None, fields: str | dict[str, str] | None = None
                ) -> Corpus:
    """Load every article of a folder and its subfolders (default: the bundled seeds/), or one
    file.

    Articles are ``.txt``/``.md`` files, saved web pages (``.html``/``.htm``) and exports with
    one article per record (``.jsonl``, ``.json``, ``.csv``; `fields` maps other field names,
    e.g. ``{"text": "article_body"}``). An optional ``metadata.csv`` gives title, outlet,
    authors, publication date and more (see seeds/README.md) and always wins; what it leaves
    empty is read from the article, each value with its basis.
    """
    root = paths.resolve(path, paths.SEEDS_DIR)
    corpus_warnings: list[str] = []
    docs = list(iter_documents(root, corpus_warnings, fields=fields))
    counts = Counter(d.id for d in docs)
    dupes = sorted(i for i, n in counts.items() if n > 1)
    if dupes:
        raise CorpusError(f"{root}: duplicate doc_id {', '.join(dupes)}; give each file its "
                          "own doc_id in metadata.csv")
    if not docs:
        raise CorpusError(f"{root}: every article file is empty; nothing to analyse")
    for w in corpus_warnings:
        warnings.warn(w, CorpusWarning, stacklevel=2)
    return Corpus(docs, root, corpus_warnings)


def iter_documents(path: str | Path | None = None, collect: list[str] | None = None,
                   fields: str | dict[str, str] | None = None) -> Iterator[Document]:
    """Yield the documents of a folder (subfolders included) or file one at a time.

    Memory does not grow with the number of files: folders are walked lazily and only
    ``metadata.csv`` is held (one dict keyed by file). Warnings (skipped files, guessed
    encodings, records without text) are appended to `collect` when given, else issued as
    CorpusWarning.
    """
    root = paths.resolve(path, paths.SEEDS_DIR)

    def note(msg: str) -> None:
        if collect is not None:
            collect.append(msg)
        else:
            warnings.warn(msg, CorpusWarning, stacklevel=3)

    if not root.exists():
        raise CorpusError(f"{root}: no such file or folder; pass a folder of articles "
                          f"({', '.join(ALL_SUFFIXES)}; default: the bundled seeds/)")
    mapping = parse_fields(fields)
    folder = root if root.is_dir() else root.parent
    meta_path = folder / "metadata.csv"
    meta = read_metadata(meta_path, folder) if meta_path.is_file() else {}
    found = False
    for p in _walk(root, note):
        found = True
        rel = p.relative_to(folder).as_posix()
        if p.suffix.lower() in RECORD_SUFFIXES:
            yield from _record_documents(p, rel, mapping, meta, note)
            continue
        doc = load_document(p, meta.get(rel) or meta.get(p.name) if "/" in rel
                            else meta.get(rel), rel=rel)
        if doc is None:
            note(f"{p}: empty file skipped")
            continue
        for w in doc.warnings:
            note(w)
        yield doc
    if not found:
        raise CorpusError(f"{root}: no articles found (expected {', '.join(ALL_SUFFIXES)} "
                          "files, in this folder or its subfolders)")


def _walk(root: Path, note) -> Iterator[Path]:
    """Article files under `root` in sorted order, depth first; others named in a warning."""
    if root.is_file():
        yield root
        return
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise CorpusError(f"{root}: cannot list the folder ({exc.strerror})") from exc
    for e in entries:
        p = Path(e.path)
        if e.name.startswith("."):
            continue
        if e.is_dir(follow_symlinks=False):
            yield from _walk(p, note)
        elif e.name.lower() in NOT_ARTICLES:
            continue
        elif p.suffix.lower() in ALL_SUFFIXES:
            yield p
        else:
            note(f"{p}: ignored (not an article type; use {', '.join(ALL_SUFFIXES)})")


def read_metadata(path: Path, folder: Path | None = None) -> dict[str, dict[str, str]]:
    """Read and validate metadata.csv once into a dict keyed by its `file` column.

    `file` is a path relative to the folder (``sub/a.txt``) or a bare name; each must exist.
    Every bad row is reported with its line number.
    """
    folder = folder or path.parent
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
        elif not (folder / name).is_file():
            problems.append(f"{path}:{line}: file {name!r} is not an article in {folder}")
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


def _read_text(path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc}); check the path "
                          "and its permissions") from exc
    if not data.strip():
        return None
    return decode_bytes(data, path)


def load_document(path: Path, meta: dict[str, str] | None = None, *, rel: str | None = None
                  ) -> Document | None:
    """Read, decode, extract and clean one article file; None for an empty file."""
    decoded = _read_text(path)
    if decoded is None:
        return None
    raw, suffix = decoded.text, path.suffix.lower()
    body, hints, pre = raw, Hints(), []
    if suffix in (".html", ".htm"):
        body, hints, pre = extract_html(raw)
    elif suffix in (".md", ".markdown"):
        m = re.search(r"^#\s+(.+?)\s*#*\s*$", raw, re.M)
        hints.markdown_title = m.group(1) if m else ""
    rel = rel or path.name
    doc = build_document(body, meta or {}, hints, doc_id=_stem(rel), path=path, source=rel,
                         markdown=suffix in (".md", ".markdown"), raw=raw)
    if doc is None:
        return None
    doc.cleaning_log[:0] = pre
    doc.encoding, doc.warnings = decoded.encoding, decoded.warnings
    return doc


def _stem(rel: str) -> str:
    return rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel


def _record_documents(path: Path, rel: str, mapping: dict[str, str],
                      meta: dict[str, dict[str, str]], note) -> Iterator[Document]:
    decoded = _read_text(path)
    if decoded is None:
        note(f"{path}: empty file skipped")
        return
    for w in decoded.warnings:
        note(w)
    for i, rec in iter_records(path, decoded.text):
        if not isinstance(rec, dict):
            note(f"{path}: record {i} is not an object; skipped")
            continue
        vals = map_record(rec, mapping)
        if not vals.get("text"):
            keys = ", ".join(list(rec)[:12])
            note(f"{path}: record {i} has no article text (fields: {keys}); skipped — name "
                 "the text field with fields={'text': ...} or --fields text=...")
            continue
        src = f"record field {vals.get('published_field', '')!r}"
        hints = Hints(title=vals.get("title", ""), date=vals.get("published", ""),
                      url=vals.get("url", ""), outlet=vals.get("outlet", ""),
                      authors=vals.get("authors", ""), source=src)
        hints.source = "export record"
        key = f"{rel}#{i}"
        doc = build_document(vals["text"], meta.get(key, {}), hints, doc_id=f"{_stem(rel)}#{i}",
                             path=path, source=key, raw=vals["text"])
        if doc is None:
            note(f"{path}: record {i} is empty after cleaning; skipped")
            continue
        doc.record, doc.language = i, doc.language or vals.get("language", "")
        doc.encoding = decoded.encoding
        yield doc


def build_document(body: str, meta: dict[str, str], hints: Hints, *, doc_id: str, path: Path,
                   source: str, raw: str, markdown: bool = False) -> Document | None:
    """Infer what metadata.csv leaves empty, clean the body and split it into sentences."""
    if not body.strip():
        return None
    want = frozenset(n for n in ("title", "outlet", "authors") if not meta.get(n))
    if not (meta.get("published") or meta.get("published_basis")):
        want |= {"published"}
    inf = infer(body, hints, want=want)
    fields = _merge(meta, inf)
    paragraphs, removals = clean_lines(
        body, title=fields["title"] or None, outlet=meta.get("outlet") or None,
        authors=meta.get("authors") or None, markdown=markdown)
    if not paragraphs:
        return None
    text, para_spans, sentences = _assemble(paragraphs)
    if not fields["title"]:
        fields["title"], fields["title_basis"] = paragraphs[0].text[:120], "first paragraph"
    return Document(id=meta.get("doc_id") or doc_id, path=path, raw=raw, text=text,
                    paragraphs=para_spans, sentences=sentences, cleaning_log=removals,
                    source=source, **fields)


def _merge(meta: dict[str, str], inf) -> dict:
    """metadata.csv wins where it has a value; a published_basis without a date means the
    person who wrote it found none (kept, nothing inferred)."""
    out: dict = {"language": meta.get("language", ""), "url": meta.get("url", "")}
    for name in ("title", "outlet", "authors"):
        if meta.get(name):
            out[name], out[f"{name}_basis"] = meta[name], "metadata.csv"
        else:
            out[name], out[f"{name}_basis"] = getattr(inf, name), getattr(inf, f"{name}_basis")
    if meta.get("published") or meta.get("published_basis"):
        pub = dt.date.fromisoformat(meta["published"]) if meta.get("published") else None
        out.update(published=pub, published_basis=meta.get("published_basis", "metadata.csv"),
                   published_precision="day" if pub else "", published_estimate="")
    else:
        out.update(published=inf.published, published_basis=inf.published_basis,
                   published_precision=inf.published_precision,
                   published_estimate=inf.published_estimate)
    return out


def _assemble(paragraphs) -> tuple[str, list[tuple[int, int]], list[Sentence]]:
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
    return "".join(text_parts), para_spans, sentences
