"""Real Redis and PostgreSQL servers (real_servers.py beside this file) for the stores that can
live in them: loopback only, in a temporary directory, stopped at the end."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from real_servers import PostgresServer, RedisServer, running_postgres, running_redis


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
