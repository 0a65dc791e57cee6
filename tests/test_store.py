"""The store: per-document tables extracted once, refreshed per new/changed/removed file, read
back identical to computing them, never used when stale."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
import sanctionlens as sl
from sanctionlens import paths
from sanctionlens.analysis.chronology import detect_mentions
from sanctionlens.analysis.extraction import STAGES
from sanctionlens.cli import main
from sanctionlens.extract import quotes as quotes_mod
from sanctionlens.extract import tagging, temporal
from sanctionlens.store import StaleStoreWarning, Store, build_store, fingerprint
from sanctionlens.store import read as store_read
from sanctionlens.store import refresh as store_refresh

PARTS = 4


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """The seeds (articles + metadata.csv) copied into a folder the test may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(paths.SEEDS_DIR, folder, ignore=shutil.ignore_patterns(".*"))
    return folder


def _extract(folder: Path, store: Path, **kw) -> store_refresh.Summary:
    kw.setdefault("jobs", 1)
    return sl.extract_corpus(folder, store, parts=PARTS, **kw)


def _files(store: Path) -> dict[str, bytes]:
    return {p.relative_to(store).as_posix(): p.read_bytes()
            for p in sorted(store.rglob("*")) if p.is_file()}


def test_refresh_counts_new_changed_removed_unchanged(corpus_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = _extract(corpus_dir, store)
    assert first.line() == "5 new, 0 changed, 0 removed, 0 unchanged"
    assert first.documents == 5 and first.rebuilt == ""
    assert _extract(corpus_dir, store).line() == "0 new, 0 changed, 0 removed, 5 unchanged"
    articles = sorted(corpus_dir.glob("*.txt"))
    text = articles[0].read_text(encoding="utf-8")
    (corpus_dir / "zz_added.txt").write_text(text + "\n\nOne more paragraph.\n", "utf-8")
    assert _extract(corpus_dir, store).line() == "1 new, 0 changed, 0 removed, 5 unchanged"
    articles[1].write_text(articles[1].read_text("utf-8") + "\n\nA correction.\n", "utf-8")
    changed = _extract(corpus_dir, store)
    assert changed.line() == "0 new, 1 changed, 0 removed, 5 unchanged"
    assert changed.changed == [articles[1].name]
    (corpus_dir / "zz_added.txt").unlink()
    assert _extract(corpus_dir, store).line() == "0 new, 0 changed, 1 removed, 5 unchanged"
    manifest = json.loads((store / "manifest.json").read_text("utf-8"))
    assert "zz_added.txt" not in manifest["files"]
    docs = Store(store).table("documents")
    assert sorted(docs["doc_id"]) == sorted(d.id for d in sl.load_corpus(corpus_dir))
    listed = {p.relative_to(store).as_posix() for p in store.rglob("*.parquet")}
    named = {p for b in manifest["buckets"].values() for p in b["parts"].values()}
    assert listed == named, "old generations of parts are deleted"


def test_manifest_records_hashes_version_kb_and_schemas(corpus_dir: Path, tmp_path: Path
                                                        ) -> None:
    store = tmp_path / "store"
    _extract(corpus_dir, store)
    manifest = json.loads((store / "manifest.json").read_text("utf-8"))
    for path in corpus_dir.glob("*.txt"):
        entry = manifest["files"][path.name]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["meta"], "each seed has a metadata.csv row"
    assert manifest["sanctionlens"] == manifest["fingerprint"]["version"]
    assert len(manifest["fingerprint"]["kb"]) == 64
    assert set(manifest["fingerprint"]["code"]) == {s.name for s in STAGES}
    assert set(manifest["tables"]) == {s.name for s in STAGES}
    cols = {c["name"]: c["type"] for c in manifest["tables"]["tags"]["columns"]}
    assert cols["start"] == "int64" and cols["label"] == "string"
    assert manifest["tables"]["tags"]["rows"] == len(Store(store).table("tags"))


def test_stored_tables_equal_computing_them(corpus_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    _extract(corpus_dir, store)
    corpus = sl.load_corpus(corpus_dir, store=store)
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleStoreWarning)
        pd.testing.assert_frame_equal(sl.tag(corpus), tagging.tag(corpus))
        pd.testing.assert_frame_equal(sl.time_expressions(corpus),
                                      temporal.time_expressions(corpus))
        pd.testing.assert_frame_equal(sl.quotes(corpus), quotes_mod.quotes(corpus))
    s = Store(store)
    pd.testing.assert_frame_equal(
        s.table("sentences").drop(columns="_file").sort_values(["doc_id", "sentence_id"])
        .reset_index(drop=True), corpus.sentences_frame(), check_dtype=False)
    mentions = s.table("mentions")
    for doc in corpus:
        want = [dataclasses.asdict(m) for m in detect_mentions(doc)]
        got = mentions[mentions["doc_id"] == doc.id]
        assert len(got) == len(want)
        for row, m in zip(got.to_dict("records"), want, strict=True):
            assert row["action"] == m["action"] and row["start"] == m["start"]
            assert list(row["targets"]) == list(m["targets"])
    fps = dict(zip(s.table("documents")["doc_id"], s.table("documents")["fingerprint"],
                   strict=True))
    assert fps == {d.id: fingerprint(d) for d in corpus}


def test_tag_reads_the_store_instead_of_tagging(corpus_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    _extract(corpus_dir, store)
    corpus = sl.load_corpus(corpus_dir, store=store)
    expected = tagging.tag(corpus)

    def refuse(*args, **kwargs):
        raise AssertionError("per-document tagging ran although the store is fresh")

    with monkeypatch.context() as m:
        m.setattr(tagging, "_document_rows", refuse)
        pd.testing.assert_frame_equal(sl.tag(corpus), expected)
    # profile() reads its tags and quotes from the store: the same profile as without
    plain = sl.load_corpus(corpus_dir, store=False)
    assert sl.profile(corpus, "SenseTime").summary() == sl.profile(plain, "SenseTime").summary()


def test_subfolders_and_exports_match_load_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    sub = corpus_dir / "more"
    sub.mkdir()
    first = sorted(corpus_dir.glob("*.txt"))[0].read_text("utf-8")
    (sub / "nested.txt").write_text(first.replace("SenseTime", "Megvii"), "utf-8")
    records = [{"title": "Export one", "text": first[:800]},
               {"title": "Export two", "text": first[800:1600]}]
    (corpus_dir / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    store = tmp_path / "store"
    _extract(corpus_dir, store)
    corpus = sl.load_corpus(corpus_dir)
    docs = Store(store).table("documents")
    assert list(docs["doc_id"]) == sorted(docs["doc_id"], key=list(docs["doc_id"]).index)
    assert dict(zip(docs["doc_id"], docs["fingerprint"], strict=True)) == \
        {d.id: fingerprint(d) for d in corpus}
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleStoreWarning)
        pd.testing.assert_frame_equal(sl.tag(sl.load_corpus(corpus_dir, store=store)),
                                      tagging.tag(corpus))


def test_stale_kb_is_rebuilt_and_never_served(corpus_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    _extract(corpus_dir, store)
    monkeypatch.setattr(store_read, "kb_hash", lambda: "another knowledge base")
    monkeypatch.setattr(store_refresh, "kb_hash", lambda: "another knowledge base")
    corpus = sl.load_corpus(corpus_dir, store=store)
    with pytest.warns(StaleStoreWarning, match="knowledge base changed"):
        tags = sl.tag(corpus)
    pd.testing.assert_frame_equal(tags, tagging.tag(corpus))
    again = _extract(corpus_dir, store)
    assert again.rebuilt == "knowledge base changed"
    assert again.buckets == len({json.loads((store / "manifest.json").read_text())["files"][f]
                                 ["bucket"] for f in again.unchanged})
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleStoreWarning)
        sl.tag(corpus)  # fresh again: no warning


def test_a_changed_article_is_not_served_from_the_store(corpus_dir: Path, tmp_path: Path
                                                        ) -> None:
    store = tmp_path / "store"
    _extract(corpus_dir, store)
    path = sorted(corpus_dir.glob("*.txt"))[2]
    path.write_text(path.read_text("utf-8").replace("the", "a", 3), "utf-8")
    corpus = sl.load_corpus(corpus_dir, store=store)
    with pytest.warns(StaleStoreWarning, match="differs from the stored one"):
        tags = sl.tag(corpus)
    pd.testing.assert_frame_equal(tags, tagging.tag(corpus))


def test_store_found_beside_the_corpus_or_by_env(corpus_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANCTIONLENS_STORE", raising=False)
    summary = sl.extract(corpus_dir, jobs=1, parts=PARTS)  # the package is callable
    assert Path(summary.store) == corpus_dir / ".sanctionlens-store"
    assert sl.extract.tagging is tagging  # and still the extract package
    corpus = sl.load_corpus(corpus_dir)
    assert store_read.store_for(corpus) is not None
    assert len(sl.load_corpus(corpus_dir)) == 5, "the store folder is not read as articles"
    monkeypatch.setenv("SANCTIONLENS_STORE", "off")
    assert store_read.store_for(corpus) is None
    other = tmp_path / "elsewhere"
    _extract(corpus_dir, other)
    monkeypatch.setenv("SANCTIONLENS_STORE", str(other))
    assert store_read.store_for(corpus).path == str(other)
    assert store_read.store_for(sl.load_corpus(corpus_dir, store=False)) is None


def test_cli_prints_the_counts(corpus_dir: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    args = ["extract", str(corpus_dir), "--store", str(store), "--jobs", "1", "--parts", "4"]
    assert main(args) == 0
    assert capsys.readouterr().out == "5 new, 0 changed, 0 removed, 0 unchanged\n"
    shutil.copy(sorted(corpus_dir.glob("*.txt"))[0], corpus_dir / "copy.txt")
    (corpus_dir / "metadata.csv").unlink()  # copy.txt would repeat a doc_id of metadata.csv
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1 new, 5 changed, 0 removed, 0 unchanged"


def test_cli_bad_engine_and_duplicate_ids(corpus_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert main(["extract", str(corpus_dir), "--store", str(store), "--jobs", "0"]) == 2
    assert "jobs must be 1 or more" in capsys.readouterr().err
    shutil.copy(sorted(corpus_dir.glob("*.txt"))[0], corpus_dir / "sub.txt")
    meta = (corpus_dir / "metadata.csv").read_text("utf-8").splitlines()
    row = meta[1].split(",", 2)
    meta.append(",".join(["sub.txt", row[1], row[2]]))
    (corpus_dir / "metadata.csv").write_text("\n".join(meta) + "\n", "utf-8")
    assert main(["extract", str(corpus_dir), "--store", str(store), "--jobs", "1"]) == 2
    assert "duplicate doc_id" in capsys.readouterr().err
    assert not (store / "manifest.json").exists()


def test_process_pool_writes_the_same_bytes(corpus_dir: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    _extract(corpus_dir, one, jobs=1)
    _extract(corpus_dir, two, jobs=2)
    assert _files(one) == _files(two)


def test_incremental_equals_fresh_build(corpus_dir: Path, tmp_path: Path) -> None:
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    _extract(corpus_dir, grown)
    path = sorted(corpus_dir.glob("*.txt"))[3]
    path.write_text(path.read_text("utf-8") + "\n\nUpdated on Friday.\n", "utf-8")
    _extract(corpus_dir, grown)
    _extract(corpus_dir, fresh)
    assert _files(grown) == _files(fresh)


def test_dask_local_cluster_writes_the_same_rows(corpus_dir: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local, on_dask = tmp_path / "local", tmp_path / "dask"
    _extract(corpus_dir, local)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = _extract(corpus_dir, on_dask, engine="dask", scheduler=client)
    assert summary.line() == "5 new, 0 changed, 0 removed, 0 unchanged"
    for table in Store(local).tables:
        pd.testing.assert_frame_equal(Store(on_dask).table(table), Store(local).table(table))
    assert _files(local) == _files(on_dask)


def test_store_on_an_fsspec_filesystem(corpus_dir: Path) -> None:
    pytest.importorskip("fsspec")
    url = "memory://sanctionlens-test/store"
    first = _extract(corpus_dir, url)
    assert first.line() == "5 new, 0 changed, 0 removed, 0 unchanged"
    assert _extract(corpus_dir, url).line() == "0 new, 0 changed, 0 removed, 5 unchanged"
    assert len(Store(url).table("documents")) == 5


def test_bad_stages_are_refused(corpus_dir: Path, tmp_path: Path) -> None:
    from sanctionlens.errors import ParameterError
    from sanctionlens.store import Stage

    with pytest.raises(ParameterError, match="not table names"):
        build_store(corpus_dir, tmp_path / "s", stages=[Stage("Bad Name", len)])
    with pytest.raises(ParameterError, match="no store here"):
        Store(tmp_path / "nothing")


def test_chronology_reads_stored_mentions(corpus_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from sanctionlens.analysis import chronology as chron

    store = tmp_path / "store"
    _extract(corpus_dir, store)
    plain = sl.chronology(sl.load_corpus(corpus_dir, store=False))
    corpus = sl.load_corpus(corpus_dir, store=store)

    def refuse(*args, **kwargs):
        raise AssertionError("mentions detected although the store is fresh")

    monkeypatch.setattr(chron, "detect_mentions", refuse)
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleStoreWarning)
        pd.testing.assert_frame_equal(sl.chronology(corpus), plain)


def test_parts_grow_with_the_corpus_so_a_bucket_stays_small() -> None:
    from sanctionlens.store.files import CorpusFile

    def files(n: int, size: int) -> list[CorpusFile]:
        return [CorpusFile(f"{i}.txt", "0" * 64, None, size) for i in range(n)]

    assert store_refresh.parts_for(files(5, 4000)) == store_refresh.DEFAULT_PARTS
    big = files(10_000, 4300)  # 43 MB of text
    parts = store_refresh.parts_for(big)
    assert parts > store_refresh.DEFAULT_PARTS
    assert 4300 * 10_000 / parts <= store_refresh.BUCKET_BYTES
    summary = store_refresh.Summary("x")
    store_refresh._note_big_buckets(big, store_refresh.DEFAULT_PARTS, summary)
    assert summary.notes and f"--parts {parts}" in summary.notes[0]


def test_adding_one_article_extracts_that_article_only(corpus_dir: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from sanctionlens.store import build as store_build

    store = tmp_path / "store"
    _extract(corpus_dir, store)
    before = json.loads((store / "manifest.json").read_text("utf-8"))["buckets"]
    read: list[str] = []
    real = store_build.corpus_files.documents

    def documents(folder, rel, *args):
        read.append(rel)
        return real(folder, rel, *args)

    monkeypatch.setattr(store_build.corpus_files, "documents", documents)
    text = sorted(corpus_dir.glob("*.txt"))[0].read_text("utf-8")
    (corpus_dir / "zz_added.txt").write_text(text + "\n\nA later paragraph.\n", "utf-8")
    summary = _extract(corpus_dir, store)
    assert summary.line() == "1 new, 0 changed, 0 removed, 5 unchanged"
    assert read == ["zz_added.txt"] and summary.buckets == 1
    after = json.loads((store / "manifest.json").read_text("utf-8"))
    own = after["files"]["zz_added.txt"]["bucket"]
    assert {b: v for b, v in after["buckets"].items() if b != own} == \
        {b: v for b, v in before.items() if b != own}, "other buckets' parts are untouched"
