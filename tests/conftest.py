"""Shared fixtures: one real pipeline (model + index) per test session, and real Redis and
PostgreSQL servers (tests/real_servers.py) for the stores that can live in them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from real_servers import PostgresServer, RedisServer

from bot.pipeline import Pipeline
from bot.settings import get_settings


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    # The real model and the repo's index/ (built here on first use, then reused).
    return Pipeline.load(get_settings(), progress=print)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the session (initdb takes a second or two)."""
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.remove()


@pytest.fixture()
def postgres_url(postgres: PostgresServer) -> str:
    """A fresh, empty database for one test: tests never see each other's rows."""
    return postgres.new_database(f"test_{uuid.uuid4().hex[:12]}")


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of the test's own (it starts in milliseconds), free to stop, kill and restart."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()
