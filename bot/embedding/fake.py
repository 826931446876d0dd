"""A deterministic stand-in for the embedding model: the fast test tier and the tests share it.

It hashes character trigrams (and whole words) into a normalised vector: texts that share
wording come out close, as with the real model, but nothing is learned and nothing is loaded.
Tests that use it check the question path's logic (routing, typed items, declines, follow-ups,
answer shape), not retrieval quality: that is `programme-bot eval` with the real model.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from bot.embedding.engines import Embedder

DIM = 384


class FakeEmbedder(Embedder):
    """The real Embedder (query cache, engine bookkeeping) over a trigram-hash `_encode`."""

    def __init__(self) -> None:
        super().__init__("fake", "fake-trigram-hash-v1", DIM, "query: ", "passage: ")

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([self._vector(f"{prompt or ''}{t}") for t in texts]).astype(np.float32)

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(DIM, np.float32)
        text = re.sub(r"\s+", " ", text.lower())
        grams = [text[i : i + 3] for i in range(max(0, len(text) - 2))] + text.split()
        for gram in grams:
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
            v[h % DIM] += 1.0 if h & 1 << 31 else -1.0
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v
