"""index/: built atomically, verified on load, rebuilt when stale or corrupt, never half-read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.pipeline import Pipeline
from bot.search.index import CURRENT, IndexUnusable, check_index, ensure_index, load_index
from bot.settings import get_settings

pytestmark = pytest.mark.slow


@pytest.fixture()
def copies(tmp_path: Path, pipeline: Pipeline) -> tuple[Path, Path]:
    """A private copy of the built index and of the corpus, safe to damage."""
    settings = get_settings()
    index_dir, corpus_dir = tmp_path / "index", tmp_path / "corpus"
    build = (settings.index_dir / CURRENT).resolve()
    index_dir.mkdir()
    shutil.copytree(build, index_dir / build.name)
    (index_dir / CURRENT).symlink_to(build.name)
    shutil.copytree(settings.corpus_dir, corpus_dir)
    return index_dir, corpus_dir


def test_fresh_copy_checks_clean(copies, pipeline: Pipeline) -> None:
    index_dir, corpus_dir = copies
    assert check_index(index_dir, corpus_dir, pipeline.embedder.fingerprint) is None


def test_missing_index_is_reported(tmp_path: Path, pipeline: Pipeline) -> None:
    problem = check_index(tmp_path, get_settings().corpus_dir, pipeline.embedder.fingerprint)
    assert problem == "no index has been built yet"


def test_changed_corpus_makes_the_index_stale(copies, pipeline: Pipeline) -> None:
    index_dir, corpus_dir = copies
    glossary = corpus_dir / "programme-2" / "glossary.tsv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "term\t战略\tstrategy\t\n", "utf-8")
    assert check_index(index_dir, corpus_dir, pipeline.embedder.fingerprint).startswith("stale")


def test_a_new_phrasing_in_the_question_bank_makes_the_index_stale(copies, pipeline) -> None:
    """One line of data: the facet classifier is refitted at the next build."""
    index_dir, corpus_dir = copies
    bank = corpus_dir / "questions" / "en.tsv"
    bank.write_text(
        bank.read_text(encoding="utf-8") + "count\tHow many units, all told?\n", "utf-8"
    )
    assert check_index(index_dir, corpus_dir, pipeline.embedder.fingerprint).startswith("stale")


def test_a_corrupt_facet_model_is_reported(copies, pipeline: Pipeline) -> None:
    index_dir, corpus_dir = copies
    facets = (index_dir / CURRENT).resolve() / "facets.npz"
    facets.write_bytes(b"not an npz")
    with pytest.raises(IndexUnusable, match="corrupt: facets.npz does not match"):
        load_index(index_dir, corpus_dir, pipeline.embedder.fingerprint)


def test_other_model_makes_the_index_stale(copies) -> None:
    index_dir, corpus_dir = copies
    assert "stale: built with model" in check_index(index_dir, corpus_dir, "another/model")


def test_corrupt_file_is_a_clear_error_then_rebuilt(copies, pipeline: Pipeline) -> None:
    index_dir, corpus_dir = copies
    faiss_file = (index_dir / CURRENT).resolve() / "programme-2" / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(IndexUnusable, match="corrupt: programme-2/dense.faiss does not match"):
        load_index(index_dir, corpus_dir, pipeline.embedder.fingerprint)
    messages: list[str] = []
    loaded = ensure_index(index_dir, corpus_dir, pipeline.embedder, messages.append)
    assert any("corrupt" in m for m in messages) and any("Index built" in m for m in messages)
    assert loaded.first.dense.ntotal == pipeline.index.first.dense.ntotal
    assert check_index(index_dir, corpus_dir, pipeline.embedder.fingerprint) is None
    # The old build is gone and current points at the new one: nothing half-written remains.
    assert [p.name for p in index_dir.iterdir() if p.name.startswith(".build-")] == []
    assert len(list(index_dir.glob("build-*"))) == 1


def test_unreadable_manifest_is_corrupt(copies, pipeline: Pipeline) -> None:
    index_dir, corpus_dir = copies
    ((index_dir / CURRENT).resolve() / "manifest.json").write_text("{not json", "utf-8")
    assert check_index(index_dir, corpus_dir, pipeline.embedder.fingerprint).startswith("corrupt")


def test_manifest_records_what_built_it(pipeline: Pipeline) -> None:
    manifest = pipeline.index.manifest
    assert manifest["model"] == pipeline.embedder.fingerprint
    assert set(manifest["versions"]) >= {"faiss-cpu", "bm25s"}
    # One folder per document of the library, each with its rows' fingerprint.
    assert {"programme-2/dense.faiss", "programme-2/records.json"} <= set(manifest["files"])
    assert set(manifest["documents"]) == {"programme-2"}


def test_documents_built_differently_make_the_index_stale(copies, pipeline: Pipeline) -> None:
    """A code change to what is indexed (not only a corpus change) triggers a rebuild."""
    import json

    index_dir, corpus_dir = copies
    manifest_path = (index_dir / CURRENT).resolve() / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["documents"]["programme-2"]["docs_sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    problem = check_index(index_dir, corpus_dir, pipeline.embedder.fingerprint)
    assert problem == "stale: the indexed documents are built differently since the index was built"
