"""Sentence splitting with NLTK Punkt and supplied abbreviations (no NLTK data needed)."""

from __future__ import annotations

from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

# Lower-case, without the final period, as Punkt stores them.
ABBREVIATIONS = frozenset(
    """u.s u.k u.n e.u p.r.c u.s.a mr mrs ms dr prof gen col lt sgt capt sen rep gov pres
    st co corp ltd inc no nos vs etc jr sr plc bros dept govt approx est fig
    jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m e.g i.e rmb hk e.o u.s.c sec
    pub""".split()
)
# Words that start a new sentence even after an abbreviation ("... the U.S. The company").
SENTENCE_STARTERS = frozenset(
    """the a an it its he she they we this that these those but and however in on
    at after before while when if as for since there his her their our""".split()
)


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(SENTENCE_STARTERS)
    return PunktSentenceTokenizer(params)


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, trimmed of surrounding spaces."""
    spans = []
    for start, end in _tokenizer().span_tokenize(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
