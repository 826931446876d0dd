"""The fast tier: the whole question path over an index built with a fake encoder."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeEmbedder

from bot.compose import Composer
from bot.index import ensure_index
from bot.pipeline import Pipeline
from bot.retrieval import Retriever
from bot.settings import get_settings


@pytest.fixture(scope="session")
def fake_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    settings = get_settings()
    embedder = FakeEmbedder()
    index = ensure_index(tmp_path_factory.mktemp("fake-index"), settings.corpus_dir, embedder)
    return Pipeline(
        settings=settings,
        embedder=embedder,  # type: ignore[arg-type]
        index=index,
        retriever=Retriever(index, embedder),  # type: ignore[arg-type]
        composer=Composer(settings.prompts_dir, index.programme, index.glossary),
    )


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return get_settings().corpus_dir
