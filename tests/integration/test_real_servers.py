"""The real servers other tests start (real_servers.py): loopback only, restartable, gone
afterwards; PostgreSQL runs unprivileged even when the tests run as root (as CI does)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import psycopg
import pytest
import redis
from real_servers import PostgresServer, RedisServer


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_redis_listens_on_loopback_and_keeps_data_through_restart_and_crash(
    redis_server: RedisServer,
) -> None:
    client = redis.Redis.from_url(redis_server.url)
    assert client.config_get("bind")["bind"] == "127.0.0.1"
    client.xadd("work", {"q": "1"})
    redis_server.restart()
    client.xadd("work", {"q": "2"})
    redis_server.kill()  # SIGKILL: the append-only file has every write
    with pytest.raises(redis.ConnectionError):
        client.ping()
    redis_server.start()
    assert [fields[b"q"] for _, fields in client.xrange("work")] == [b"1", b"2"]


def test_redis_without_persistence_starts_empty(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "r", persist=False).start()
    try:
        client = redis.Redis.from_url(server.url)
        client.set("k", "v")
        server.restart()
        assert client.get("k") is None
    finally:
        server.stop()
    assert not listening(server.port)


def test_postgres_is_loopback_only_unprivileged_and_removed_after() -> None:
    server = PostgresServer().start()
    try:
        with psycopg.connect(server.url) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
            assert conn.execute("SHOW unix_socket_directories").fetchone() == ("",)
            data_dir = conn.execute("SHOW data_directory").fetchone()[0]
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to another account
            assert os.stat(data_dir).st_uid != 0
        other = server.new_database("second")
        with psycopg.connect(other) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("second",)
    finally:
        server.remove()
    assert not listening(server.port)
    assert not server.root.exists()
