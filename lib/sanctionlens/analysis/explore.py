"""Corpus exploration: keyword in context, collocations, word counts, tag highlighting.

Everything here uses parts of NLTK that need no data packages: a RegexpTokenizer
with character spans (so every row points back into ``doc.text``), ConcordanceIndex,
FreqDist and the collocation finders.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
from nltk.collocations import (
    BigramAssocMeasures,
    BigramCollocationFinder,
    TrigramAssocMeasures,
    TrigramCollocationFinder,
)
from nltk.probability import FreqDist
from nltk.text import ConcordanceIndex
from nltk.tokenize import RegexpTokenizer

from ..errors import ParameterError, UnknownNameError
from ..extract.stopwords import STOPWORDS
from ..ingest.load import Corpus, Document

# Abbreviations with dots (U.S., U.N.), decimals (12.1, 1,000), words, apostrophe
# suffixes ('s, ’s kept apart so "SenseTime’s" matches "SenseTime"), any other symbol.
TOKEN_PATTERN = r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)+|\w+|['’]\w+|[^\w\s]"
UNKNOWN_OUTLET = "(unknown)"
MEASURES = ("pmi", "likelihood")

# Background colours per tag label (light, readable under black text).
LABEL_COLOURS: dict[str, str] = {
    "COMPANY": "#ffd8a8", "AGENCY": "#a5d8ff", "INSTRUMENT": "#ffc9c9", "PERSON": "#d0bfff",
    "PLACE": "#b2f2bb", "OUTLET": "#e9ecef", "ORG": "#99e9f2", "MONEY": "#ffec99",
    "PERCENT": "#fcc2d7", "QUANTITY": "#d8f5a2", "DATE": "#eebefa",
}
_DEFAULT_COLOUR = "#dee2e6"


@lru_cache(maxsize=1)
def _tokenizer() -> RegexpTokenizer:
    return RegexpTokenizer(TOKEN_PATTERN)


def normalize(token: str) -> str:
    """Key used for matching and counting: lower case, curly apostrophe made straight."""
    return token.lower().replace("’", "'")


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token of `text`."""
    return list(_tokenizer().span_tokenize(text))


def is_content_word(token: str) -> bool:
    """A token worth counting: starts with a letter or digit, not a stopword or lone letter."""
    key = normalize(token)
    if not key[:1].isalnum() or key in STOPWORDS:
        return False
    return not (len(key) == 1 and key.isalpha())


def _sentence_tokens(corpus: Corpus) -> Iterable[tuple[str, list[str]]]:
    """(doc_id, normalized tokens) per sentence, so no n-gram spans two sentences."""
    for doc in corpus:
        for s in doc.sentences:
            yield doc.id, [normalize(s.text[a:b]) for a, b in token_spans(s.text)]


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """Up to `width` characters left and right of [start, end), cut at whole words."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    if start - width > 0 and " " in left:
        left = left[left.index(" ") + 1:]
    if end + width < len(text) and " " in right:
        right = right[:right.rindex(" ")]
    return " ".join(left.split()), " ".join(right.split())


def kwic(corpus: Corpus, term: str, width: int = 60) -> pd.DataFrame:
    """Keyword in context: every occurrence of `term` (case-insensitive, may be several words).

    Columns: doc_id, sentence_id, left, match, right, start, end, where
    ``doc.text[start:end] == match``. A term that occurs nowhere gives an empty frame.
    """
    if not isinstance(term, str) or not term.strip():
        raise ParameterError(f"term={term!r}: give a non-empty word or phrase, "
                             "e.g. 'Entity List' or 'Hikvision'")
    if not isinstance(width, int) or width < 0:
        raise ParameterError(f"width={width!r}: give a whole number of characters >= 0, e.g. 60")
    phrase = [term[a:b] for a, b in token_spans(term)]
    rows = []
    for doc in corpus:
        spans = token_spans(doc.text)
        index = ConcordanceIndex([doc.text[a:b] for a, b in spans], key=normalize)
        for line in index.find_concordance(phrase, width=max(width, 80)):
            start, end = spans[line.offset][0], spans[line.offset + len(phrase) - 1][1]
            left, right = _context(doc.text, start, end, width)
            sentence = doc.sentence_at(start)
            rows.append({
                "doc_id": doc.id, "sentence_id": sentence.id if sentence else None,
                "left": left, "match": doc.text[start:end], "right": right,
                "start": start, "end": end,
            })
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "left", "match", "right",
                                        "start", "end"])
    frame["sentence_id"] = frame["sentence_id"].astype("Int64")
    return frame.sort_values(["doc_id", "start"], ignore_index=True)


def collocations(corpus: Corpus, n: int = 15, min_freq: int = 2, measure: str = "pmi",
                 size: int = 2) -> pd.DataFrame:
    """Top `n` word pairs (size=2) or triples (size=3) that occur together more than chance.

    Stopwords, punctuation and lone letters are filtered out; n-grams never span two
    sentences. `measure` is "pmi" (pointwise mutual information: rare, tight pairs)
    or "likelihood" (log-likelihood ratio: frequent, reliable pairs).
    Columns: collocation, frequency, score, measure, documents, doc_ids.
    """
    if measure not in MEASURES:
        raise ParameterError(f"measure={measure!r}: use one of {', '.join(MEASURES)}")
    if size not in (2, 3):
        raise ParameterError(f"size={size!r}: use 2 (bigrams) or 3 (trigrams)")
    for name, value in (("n", n), ("min_freq", min_freq)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ParameterError(f"{name}={value!r}: give a whole number >= 1")
    sentences = list(_sentence_tokens(corpus))
    finder_cls, measures = (
        (BigramCollocationFinder, BigramAssocMeasures) if size == 2
        else (TrigramCollocationFinder, TrigramAssocMeasures)
    )
    finder = finder_cls.from_documents(tokens for _, tokens in sentences)
    finder.apply_freq_filter(min_freq)
    finder.apply_word_filter(lambda w: not is_content_word(w))
    score_fn = measures.pmi if measure == "pmi" else measures.likelihood_ratio
    scored = finder.score_ngrams(score_fn)[:n]  # sorted by (-score, ngram): deterministic
    wanted = {ngram for ngram, _ in scored}
    where: dict[tuple[str, ...], set[str]] = {ngram: set() for ngram in wanted}
    for doc_id, tokens in sentences:
        for i in range(len(tokens) - size + 1):
            ngram = tuple(tokens[i:i + size])
            if ngram in where:
                where[ngram].add(doc_id)
    rows = [
        {"collocation": " ".join(ngram), "frequency": finder.ngram_fd[ngram],
         "score": round(score, 6), "measure": measure, "documents": len(where[ngram]),
         "doc_ids": "; ".join(sorted(where[ngram]))}
        for ngram, score in scored
    ]
    return pd.DataFrame(rows, columns=["collocation", "frequency", "score", "measure",
                                       "documents", "doc_ids"])


def words_by_outlet(corpus: Corpus) -> pd.DataFrame:
    """Columns outlet ("(unknown)" when metadata has none), documents, words, sentences."""
    rows = [
        {"outlet": doc.outlet.strip() or UNKNOWN_OUTLET, "documents": 1, "words": doc.words,
         "sentences": len(doc.sentences)}
        for doc in corpus
    ]
    frame = pd.DataFrame(rows, columns=["outlet", "documents", "words", "sentences"])
    frame = frame.groupby("outlet", as_index=False, sort=True).sum()
    return frame.sort_values(["words", "outlet"], ascending=[False, True], ignore_index=True)


def term_frequencies(corpus: Corpus, top: int = 20) -> pd.DataFrame:
    """The `top` most frequent content words (lower case). Columns: term, count, documents."""
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise ParameterError(f"top={top!r}: give a whole number >= 1, e.g. 20")
    counts: FreqDist = FreqDist()
    docs: dict[str, set[str]] = {}
    for doc_id, tokens in _sentence_tokens(corpus):
        for token in tokens:
            if is_content_word(token):
                counts[token] += 1
                docs.setdefault(token, set()).add(doc_id)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return pd.DataFrame(
        [{"term": t, "count": c, "documents": len(docs[t])} for t, c in rows],
        columns=["term", "count", "documents"],
    )


def pick_document(corpus: Corpus, doc_id: str = "", tags: pd.DataFrame | None = None
                  ) -> Document:
    """`corpus[doc_id]`; when `doc_id` is "" the document with the most `tags` (else the first).

    Ties go to the earlier document. An unknown id raises UnknownNameError listing the ids.
    """
    if doc_id:
        try:
            return corpus[doc_id]
        except KeyError:
            known = ", ".join(d.id for d in corpus)
            raise UnknownNameError(f"doc_id={doc_id!r} is not in the corpus; known: {known}; "
                                   "or pass \"\" for the document with the most tags") from None
    if tags is None or tags.empty:
        return corpus.documents[0]
    counts = tags["doc_id"].value_counts()
    best = max(range(len(corpus)), key=lambda i: (int(counts.get(corpus.documents[i].id, 0)), -i))
    return corpus.documents[best]


def highlight_html(doc: Document, tags: pd.DataFrame, labels: Iterable[str] | None = None
                   ) -> str:
    """The text of `doc` as HTML with its tags marked (colour by label, label on hover).

    `tags` has at least doc_id, start, end, label (and optionally text, entity_id), as
    from ``sanctionlens.extract.tagging.tag``; only rows of `doc` are used. Every piece of article
    text is HTML-escaped. Where tags overlap, the earliest (then the longest) is shown.
    """
    missing = {"doc_id", "start", "end", "label"} - set(tags.columns)
    if missing:
        raise ParameterError(f"tags lack column(s) {', '.join(sorted(missing))}; pass the "
                             "frame from sanctionlens.extract.tagging.tag(corpus)")
    rows = tags[tags["doc_id"] == doc.id]
    if labels is not None:
        rows = rows[rows["label"].isin(list(labels))]
    rows = rows.sort_values(["start", "end"], ascending=[True, False])
    parts: list[str] = []
    pos = 0
    shown: set[str] = set()
    for row in rows.itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if not 0 <= start < end <= len(doc.text):
            raise ParameterError(f"tag {start}-{end} of {doc.id} lies outside its text "
                                 f"(0-{len(doc.text)}); were the tags made from this corpus?")
        if "text" in rows.columns and doc.text[start:end] != row.text:
            raise ParameterError(f"tag {start}-{end} of {doc.id} says {row.text!r} but the "
                                 f"text there is {doc.text[start:end]!r}; were the tags made "
                                 "from this corpus?")
        if start < pos:
            continue
        label = str(row.label)
        entity = getattr(row, "entity_id", None)
        title = label if entity is None or pd.isna(entity) or not entity else f"{label}: {entity}"
        colour = LABEL_COLOURS.get(label, _DEFAULT_COLOUR)
        parts.append(html.escape(doc.text[pos:start]))
        parts.append(
            f'<mark class="sl-tag" data-label="{html.escape(label)}" '
            f'title="{html.escape(title)}" style="background:{colour};padding:0 2px">'
            f"{html.escape(doc.text[start:end])}"
            f'<sub style="font-size:0.65em;margin-left:2px">{html.escape(label)}</sub></mark>'
        )
        shown.add(label)
        pos = end
    parts.append(html.escape(doc.text[pos:]))
    legend = " ".join(
        f'<span style="background:{LABEL_COLOURS.get(lab, _DEFAULT_COLOUR)};padding:0 4px">'
        f"{html.escape(lab)}</span>"
        for lab in sorted(shown)
    )
    return (
        f'<div class="sl-highlight"><p><strong>{html.escape(doc.title)}</strong> '
        f"({html.escape(doc.id)})</p><p>{legend}</p>"
        f'<div style="white-space:pre-wrap;line-height:1.7">{"".join(parts)}</div></div>'
    )


def mention_table(corpus: Corpus, tags: pd.DataFrame, label: str = "COMPANY") -> pd.DataFrame:
    """Document × entity mention counts for one tag label (every document a row).

    Columns are entity ids (the tagged text where a tag has no entity id), ordered by
    total mentions, then name. The index is doc_id.
    """
    if "label" not in tags.columns:
        raise ParameterError("tags lack a 'label' column; pass sanctionlens.tag(corpus)")
    rows = tags[tags["label"] == label].copy()
    key = rows["entity_id"] if "entity_id" in rows.columns else rows["text"]
    rows["entity"] = key.where(key.notna() & (key.astype("string") != ""), rows["text"])
    table = pd.crosstab(rows["doc_id"], rows["entity"]) if len(rows) else pd.DataFrame()
    table = table.reindex([d.id for d in corpus], fill_value=0).fillna(0).astype(int)
    order = sorted(table.columns, key=lambda c: (-int(table[c].sum()), str(c)))
    table = table[order]
    table.index.name, table.columns.name = "doc_id", None
    return table
