"""The fast gazetteer scan against a plain reference, on random text built from the KB.

The reference is the tagger's rule written the slow, obvious way: every occurrence of every
alias key (str.find), word boundaries checked one by one, leftmost-longest greedy choice.
"""

from __future__ import annotations

import random
import re

import pytest
from sanctionlens.extract.numbers import NUMBER_WORDS, WORD_BEFORE
from sanctionlens.extract.tagging import (
    Gazetteer,
    _alias_key,
    _default_gazetteer,
    _glued,
    _name_parts,
    fold,
    fold_marks,
)
from sanctionlens.kb import get_kb

ENTRIES = get_kb().gazetteer()
EXACT = {_alias_key(alias, True) for alias, _, _, cs in ENTRIES if cs}


def reference_names(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, entity_id) by the definition, not by the automaton."""
    keys: list[dict[str, tuple[str, str]]] = [{}, {}]  # case-insensitive, case-sensitive
    for alias, label, eid, cs in ENTRIES:
        key = _alias_key(alias, cs)
        if len(key) >= 2:
            keys[cs][key] = (label, eid)  # a later alias with the same key wins
    cands = []
    n = len(text)
    for k, haystack in ((0, fold(text)), (1, fold_marks(text))):
        for key, (label, eid) in keys[k].items():
            start = haystack.find(key)
            while start >= 0:
                end = start + len(key)
                if not (start and haystack[start - 1].isalnum()) and not (
                        end < n and haystack[end].isalnum()
                        and not _glued(haystack, end, label)):
                    cands.append((start, -end, k, label, eid))
                start = haystack.find(key, start + 1)
    cands.sort()
    out, last_end = [], -1
    for start, neg_end, _k, label, eid in cands:
        if start >= last_end:
            out.append((start, -neg_end, label, eid))
            last_end = -neg_end
    return out


def reference_parts(text: str, parts: set[str]) -> list[tuple[int, int]]:
    """Word-bounded (regex ``\\b``) occurrences of the people's name parts."""
    marks = fold_marks(text)
    return sorted((m.start(), m.end()) for part in parts
                  for m in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", marks))


def reference_number_words(text: str) -> list[int]:
    lowered = fold(text)
    starts = set()
    for word in NUMBER_WORDS:
        for m in re.finditer(rf"(?={re.escape(word)}(?!\w))", lowered):
            if not (m.start() and lowered[m.start() - 1] in WORD_BEFORE):
                starts.add(m.start())
    return sorted(starts)


def random_text(rng: random.Random) -> str:
    aliases = [alias for alias, *_ in ENTRIES]
    people = sorted({p for alias, label, *_ in ENTRIES if label == "PERSON"
                     for p in _name_parts(alias)})
    glue = [" ", " ", " ", "", "-", "_", "’s ", "'s ", ", ", ". ", "\u00a0", "–", "(", ") ",
            "based ", "é", "旷视", "\n", "s ", "x"]
    words = ["the", "based", "US", "us", "using", "Xi", "xin", "Treasury", "TREASURY", "one",
             "phone", "a dozen", "Seven", "-one", "2019", "Wang", "WANG", "Li", "Megviis"]
    out = []
    for _ in range(rng.randint(5, 40)):
        pick = rng.random()
        if pick < 0.45:
            w = rng.choice(aliases)
            w = rng.choice([w, w, w.upper(), w.lower(), w.replace("'", "’")])
        elif pick < 0.6:
            w = rng.choice(people)
        else:
            w = rng.choice(words)
        out.append(w + rng.choice(glue))
    return "".join(out)


@pytest.mark.parametrize("seed", range(8))
def test_scan_matches_the_reference_on_random_text(seed):
    rng = random.Random(seed)
    gaz = _default_gazetteer()
    for _ in range(60):
        text = random_text(rng)
        scan = gaz.scan(text, fold(text))
        assert gaz.find(text) == reference_names(text), text
        # name parts that are case-sensitive aliases ("Biden") come out as names instead
        assert sorted(scan.parts) == reference_parts(text, gaz.name_parts - EXACT), text
        assert sorted(scan.number_words) == reference_number_words(text), text


def test_reference_is_not_trivially_equal():
    # The references must see what the scan sees: a text with each kind of hit.
    text = "Hikvision’s US unit and Zhao Lijian; Zhao said three firms. USbased; using"
    assert [text[a:b] for a, b, *_ in reference_names(text)] == [
        "Hikvision", "US", "Zhao Lijian", "Zhao", "US"]
    z1, z2 = text.index("Zhao"), text.index("Zhao said")
    assert reference_parts(text, {"Zhao", "Lijian"}) == [(z1, z1 + 4), (z1 + 5, z1 + 11),
                                                         (z2, z2 + 4)]
    assert reference_number_words(text) == [text.index("three")]
    assert Gazetteer([]).find(text) == []


@pytest.mark.parametrize("seed", range(4))
def test_digit_starts_match_the_regex_on_random_text(seed):
    import numpy as np
    from sanctionlens.extract.numbers import DIGIT_TOKEN, digit_starts

    rng = random.Random(seed)
    pieces = ["53,000", "1,2", "12.5", "3", "2019", "٣٤", "１２", "x", "é", "_", ".", "-", "–",
              "‑", " ", ", ", "$", "(", "’", "a", "\u00a0", ",000", "7th"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        want = [m.start() for m in DIGIT_TOKEN.finditer(text)]
        assert digit_starts(text) == want, text
        codes = np.frombuffer(fold(text).encode("utf-32-le"), dtype=np.uint32)
        assert digit_starts(text, codes) == want, text


def test_digit_starts_refuses_code_points_of_another_text():
    import numpy as np
    from sanctionlens.errors import ParameterError
    from sanctionlens.extract.numbers import digit_starts

    with pytest.raises(ParameterError, match="same-length copy"):
        digit_starts("In 2019", np.zeros(3, dtype=np.uint32))
