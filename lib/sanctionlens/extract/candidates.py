"""Capitalised names that stay uncertain: neither the knowledge base nor a company rule of
:mod:`.companies` tagged them (so users can review them and add what they are).

Without NLTK data there is no POS tagger or ne_chunk: tokens get pseudo-tags from their
shape (CAP for a capitalised word, CONN for of/and/de inside a name, O otherwise) and
NLTK's RegexpParser chunks runs of them into candidate names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd
from nltk.chunk import RegexpParser
from nltk.tokenize import RegexpTokenizer

from ..ingest.load import Corpus
from .stopwords import STOPWORDS
from .tagging import tag

_TOKENS = RegexpTokenizer(r"[A-Z][\w’'&.-]*[\w]|[A-Z]|\w+|[^\w\s]")
_GRAMMAR = RegexpParser("NAME: {<CAP>+(<CONN><CAP>+)*}")
_CONNECTORS = {"of", "and", "for", "de", "&"}
_NOT_NAMES = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Chinese", "American", "Americans", "Western", "Muslim", "Uyghur",
    "Uyghurs", "IPO", "AI", "CEO", "Covid-19", "COVID-19", "See", "What’s", "Read", "Photo",
}


def candidates(corpus: Corpus, min_count: int = 1) -> pd.DataFrame:
    """Capitalised names no tag covers (KB names, companies found by rules, dates, numbers):
    name, count, documents, example sentence."""
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    example: dict[str, str] = {}
    tags = tag(corpus)  # the whole corpus: a company found in one document counts in all
    by_doc = {d: list(zip(g["start"], g["end"], strict=True)) for d, g in tags.groupby("doc_id")}
    for doc in corpus:
        covered = by_doc.get(doc.id, [])
        for sent in doc.sentences:
            spans = list(_TOKENS.span_tokenize(sent.text))
            words = [i for i, (a, b) in enumerate(spans) if sent.text[a:b][:1].isalpha()]
            long_words = [sent.text[a:b] for a, b in spans if b - a >= 4
                          and sent.text[a].isalpha()]
            if not words or all(w[0].isupper() for w in long_words):
                continue  # a headline in title case: every longer word is capitalised
            tagged = [(i, _shape(sent.text[a:b], i == words[0]))
                      for i, (a, b) in enumerate(spans)]
            tree = _GRAMMAR.parse(tagged)
            for sub in tree.subtrees(lambda t: t.label() == "NAME"):
                idx = [i for i, _ in sub.leaves()]
                while idx and sent.text[slice(*spans[idx[0]])] in _NOT_NAMES:
                    idx = idx[1:]
                if not idx or (len(idx) == 1 and idx[0] == words[0]):
                    continue  # nothing left, or a lone sentence-initial capital
                a, b = sent.start + spans[idx[0]][0], sent.start + spans[idx[-1]][1]
                if any(a < e and s < b for s, e in covered):
                    continue
                name = re.sub(r"[’']s$", "", doc.text[a:b])
                if name in _NOT_NAMES or name.lower() in STOPWORDS or len(name) < 3:
                    continue
                counts[name] += 1
                docs[name].add(doc.id)
                example.setdefault(name, sent.text)
    rows = [(n, c, ", ".join(sorted(docs[n])), example[n])
            for n, c in counts.items() if c >= min_count]
    frame = pd.DataFrame(rows, columns=["name", "count", "doc_ids", "example"])
    return frame.sort_values(["count", "name"], ascending=[False, True], ignore_index=True)


def _shape(token: str, sentence_initial: bool) -> str:
    if token in _CONNECTORS:
        return "CONN"
    if token[:1].isupper() and not (sentence_initial and token.lower() in STOPWORDS):
        return "CAP"
    return "O"
