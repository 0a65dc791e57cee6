"""Tone of sentences with NLTK's VADER — an *indicator*, not a measurement of stance.

NLTK's :class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer` loads its lexicon with
``nltk.data.load("sentiment/vader_lexicon.zip/vader_lexicon/vader_lexicon.txt")``, i.e. from a
zip on ``nltk.data.path``. NLTK data packages are not installed and are never downloaded here:
the zip is built once from the lexicon shipped in the installed ``vaderSentiment`` wheel, into a
private cache folder whose name carries the lexicon's hash, and that folder is appended to
``nltk.data.path``.

VADER was built for social-media text. On news prose it misreads negation, quoted accusations
and denials alike, and domain words ("sanctions", "blacklist", "Entity List") are absent from its
lexicon. Every score here is labelled ``indicator``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SanctionlensError

INDICATOR = "indicator (VADER lexicon tone, not a measure of stance)"
LEXICON_MEMBER = "vader_lexicon/vader_lexicon.txt"
ZIP_NAME = "sentiment/vader_lexicon.zip"
SCORE_COLUMNS = ("compound", "pos", "neu", "neg")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # deterministic archive bytes


def lexicon_bytes() -> bytes:
    """The VADER lexicon from the installed ``vaderSentiment`` wheel."""
    try:
        return resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise SanctionlensError(
            "sentiment: the VADER lexicon was not found in the installed 'vaderSentiment' "
            "package (expected vaderSentiment/vader_lexicon.txt); install the project's "
            "environment (environment.yml) — NLTK data is never downloaded") from exc


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sanctionlens"


def _write_zip(folder: Path, data: bytes) -> Path:
    """Write ``folder/sentiment/vader_lexicon.zip`` (private, deterministic, atomic)."""
    target = folder / ZIP_NAME
    if target.is_file():
        with zipfile.ZipFile(target) as zf:
            if zf.read(LEXICON_MEMBER) == data:
                return target
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in ("vader_lexicon/",):
                info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
                info.external_attr = 0o40700 << 16
                zf.writestr(info, b"")
            info = zipfile.ZipInfo(LEXICON_MEMBER, date_time=_FIXED_ZIP_TIME)
            info.external_attr = 0o600 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def ensure_lexicon(cache_dir: str | Path | None = None) -> Path:
    """Build the NLTK-style lexicon zip once and put its folder on ``nltk.data.path``.

    Returns the data folder. The folder name carries the lexicon's SHA-256 prefix, so a new
    wheel gets a new folder; a user cache (``$XDG_CACHE_HOME`` or ``~/.cache``) is tried first,
    then the system temp dir (per user).
    """
    import nltk.data

    data = lexicon_bytes()
    name = "nltk_data-vader-" + hashlib.sha256(data).hexdigest()[:12]
    candidates = [Path(cache_dir)] if cache_dir else [
        _cache_root() / name, Path(tempfile.gettempdir()) / f"sanctionlens-{os.getuid()}" / name]
    errors = []
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write_zip(folder, data)
        except OSError as exc:
            errors.append(f"{folder}: {exc}")
            continue
        if str(folder) not in nltk.data.path:
            nltk.data.path.append(str(folder))
        return folder
    raise SanctionlensError("sentiment: cannot build the VADER lexicon cache; tried "
                            + "; ".join(errors) + ". Set XDG_CACHE_HOME to a writable folder")


@functools.cache
def analyzer() -> Any:
    """A shared NLTK VADER analyzer reading the wheel's lexicon (no download)."""
    ensure_lexicon()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score(text: str) -> dict[str, float]:
    """VADER scores of one text: compound (-1..1), pos, neu, neg (shares summing to ~1)."""
    s = analyzer().polarity_scores(str(text))
    return {k: float(s[k]) for k in SCORE_COLUMNS}


def score_frame(rows: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """``rows`` with compound, pos, neu, neg and an ``indicator`` label column added."""
    if text_column not in rows.columns:
        raise SanctionlensError(f"score_frame: no column {text_column!r}; columns are "
                                f"{', '.join(map(str, rows.columns))}")
    scores = [score(t) for t in rows[text_column]]
    out = rows.copy()
    for k in SCORE_COLUMNS:
        out[k] = pd.Series([s[k] for s in scores], index=rows.index, dtype="float64")
    out["indicator"] = INDICATOR
    return out


def lexicon_lookup(words: Iterable[str]) -> pd.DataFrame:
    """Each word (lower-cased) with its VADER valence, or NaN when the lexicon lacks it."""
    lex = analyzer().lexicon
    rows = sorted({str(w).lower() for w in words})
    return pd.DataFrame({"word": rows, "in_lexicon": [w in lex for w in rows],
                         "valence": [lex.get(w, float("nan")) for w in rows]})


__all__ = ["INDICATOR", "analyzer", "ensure_lexicon", "lexicon_bytes", "lexicon_lookup", "score",
           "score_frame"]
