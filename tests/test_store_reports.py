"""Reports built from a corpus's store are the reports built without one, byte for byte.

Two reports of the real plan (the corpus tour and one company profile) on a copy of the seeds:
once as ``make report`` builds them (the store extracted beside the corpus, found there by
the kernels), once with stores off. Every page must be the same bytes. Then the store's tag
rows are emptied (its manifest still says fresh) and the tour built again: its page must
change, or the kernels never read the store and the comparison proved nothing.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sanctionlens as sl
from sanctionlens import paths
from sanctionlens.reports import build
from sanctionlens.store import ENV_VAR, STORE_DIRNAME

ONLY = ("tour", "sensetime")


def _build(corpus: Path, out: Path, only: tuple[str, ...] = ONLY) -> dict[str, bytes]:
    """The reader and analyst pages of the reports `only` names (one build each)."""
    pages = {}
    for pattern in only:
        folder = out / pattern
        results = build(None, folder, corpus=str(corpus), jobs=1, timeout=300, only=pattern,
                        editions=["reader", "analyst"], stream=io.StringIO())
        assert [r.status for r in results] == ["ok"], [r.error for r in results]
        pages.update({p.relative_to(out).as_posix(): p.read_bytes()
                      for p in sorted(folder.rglob("*.html")) if p.name != "index.html"})
    return pages


def _empty_tags(store: Path) -> None:
    manifest = json.loads((store / "manifest.json").read_text("utf-8"))
    for bucket in manifest["buckets"].values():
        part = store / bucket["parts"]["tags"]
        pq.write_table(pq.read_table(part).slice(0, 0), part)


@pytest.mark.notebook  # real kernels, about 10 s per report
def test_pages_from_the_store_equal_pages_computed(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(paths.SEEDS_DIR, corpus, ignore=shutil.ignore_patterns(".*"))
    assert sl.extract_corpus(corpus, jobs=1).line() == "5 new, 0 changed, 0 removed, 0 unchanged"

    monkeypatch.delenv(ENV_VAR, raising=False)  # as make report: the store beside the corpus
    with_store = _build(corpus, tmp_path / "with_store")
    executed = "".join(p.read_text("utf-8") for p in (tmp_path / "with_store").rglob("*.ipynb"))
    assert "StaleStoreWarning" not in executed and "not used (" not in executed

    monkeypatch.setenv(ENV_VAR, "off")
    computed = _build(corpus, tmp_path / "computed")

    assert len(with_store) == 2 * len(ONLY)  # reader and analyst page of each report
    assert sorted(with_store) == sorted(computed)
    assert [k for k in with_store if with_store[k] != computed[k]] == []

    monkeypatch.delenv(ENV_VAR)
    _empty_tags(corpus / STORE_DIRNAME)
    emptied = _build(corpus, tmp_path / "emptied", only=("tour",))
    assert all(emptied[k] != with_store[k] for k in emptied), "the kernels read the store"
