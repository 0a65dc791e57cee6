"""Corpus exploration: keyword in context, collocations, word counts, mention tables.

Everything here uses parts of NLTK that need no data packages: a RegexpTokenizer
with character spans (so every row points back into ``doc.text``), ConcordanceIndex,
FreqDist and the collocation finders.
"""

from __future__ import annotations

import re
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


_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]{2,3}")


def term_key(token: str) -> str:
    """Counting key: "U.S.", "US" and "u.s." are one term ("US"; an all-caps word of two or
    three letters or a dotted abbreviation is an acronym, kept upper case without dots, so the
    pronoun "us" stays apart); every other word in lower case."""
    if _ABBREVIATION.fullmatch(token):
        return token.replace(".", "").upper()
    return normalize(token)


def _fixed_pairs(sentences: list[list[str]]) -> dict[str, str]:
    """First word -> second word of pairs whose words never occur apart ("hong" -> "kong"):
    such a pair is one name and is counted as one term."""
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for tokens in sentences:
        for i, t in enumerate(tokens):
            after.setdefault(t, set()).add(tokens[i + 1] if i + 1 < len(tokens) else "")
            before.setdefault(t, set()).add(tokens[i - 1] if i else "")
    return {a: next(iter(nx)) for a, nx in after.items() if len(nx) == 1 and next(iter(nx))
            and before.get(next(iter(nx))) == {a} and is_content_word(a)
            and is_content_word(next(iter(nx)))}


def term_frequencies(corpus: Corpus, top: int = 20) -> pd.DataFrame:
    """The `top` most frequent content words (lower case; acronyms such as "US" upper case,
    whatever their dots; a pair that never occurs apart, such as "hong kong", as one term).
    Columns: term, count, documents."""
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise ParameterError(f"top={top!r}: give a whole number >= 1, e.g. 20")
    sentences = [(doc.id, [term_key(s.text[a:b]) for a, b in token_spans(s.text)])
                 for doc in corpus for s in doc.sentences]
    pairs = _fixed_pairs([tokens for _, tokens in sentences])
    counts: FreqDist = FreqDist()
    docs: dict[str, set[str]] = {}
    for doc_id, tokens in sentences:
        i = 0
        while i < len(tokens):
            term, step = tokens[i], 1
            if term in pairs and i + 1 < len(tokens) and tokens[i + 1] == pairs[term]:
                term, step = f"{term} {pairs[term]}", 2
            if step == 2 or is_content_word(term):
                counts[term] += 1
                docs.setdefault(term, set()).add(doc_id)
            i += step
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
