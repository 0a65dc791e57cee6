"""The project's English stopword list (NLTK's stopwords corpus is not installed).

Function words only: articles, pronouns, auxiliaries, prepositions, conjunctions,
common adverbs and contraction fragments left by tokenization ("s", "t", "ll").
Lower case; compare with ``word.lower() in STOPWORDS``. Content words that matter
in this corpus ("said", "company", "sanctions") are kept out of it, and so is "us",
which lower-cases the country name "US".
"""

from __future__ import annotations

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are aren as at
    be because been before being below between both but by
    can cannot could couldn
    did didn do does doesn doing don down during
    each either
    few for from further
    had hadn has hasn have haven having he her here hers herself him himself his how
    i if in into is isn it its itself
    just
    ll
    m may me might more most must mustn my myself
    neither no nor not now
    of off on once only or other our ours ourselves out over own
    re
    s same shall shan she should shouldn so some such
    t than that the their theirs them themselves then there these they this those
    through to too
    under until up upon
    ve very
    was wasn we were weren what when where whether which while who whom whose why will
    with won would wouldn
    you your yours yourself yourselves
    """.split()
)


def is_stopword(word: str) -> bool:
    """True if `word` (any case) is a stopword."""
    return word.lower() in STOPWORDS
