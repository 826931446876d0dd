"""Feedback in PostgreSQL (DATABASE_URL=postgresql://…): the same votes, self-check answers and
summary as the SQLite store (all of it base.Feedback's), for teams that run several replicas
against one database. Only storage here: the table layout, PostgreSQL's types (TIMESTAMPTZ,
BOOLEAN, JSONB), the connection and its bounds.

One connection per process behind a lock: votes are rare, and a pool would only add moving parts.
A connection lost to a database restart is reopened once per call; every write is idempotent
(an upsert keyed by answer and user, an update by id, an insert of a self-check answer that keeps
the first one), so repeating it after a reconnect is safe.

Every call is bounded: connecting by CONNECT_TIMEOUT_S, a statement by the server's
statement_timeout, and a server that answers nothing at all (hung, or gone without closing the
connection) by QUERY_TIMEOUT_S, after which the socket is shut down under the waiting call, which
then fails as a lost connection. Nothing on Slack's ack path calls this store: the Slack app
writes feedback to an outbox in the state store, and outbox.Courier delivers it here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import psycopg
from psycopg.types.json import Jsonb

from bot.ops.logs import Throttled
from bot.stores.feedback.base import TABLES, Feedback, FeedbackUnavailable

logger = logging.getLogger(__name__)
# One line every 10 s however many calls find the connection gone (a click each, in an outage).
_reconnects = Throttled(logger, every_s=10.0)

CONNECT_TIMEOUT_S = 5
QUERY_TIMEOUT_S = 5.0
SCHEMA_LOCK = 0x5042_4642  # advisory lock id: replicas starting together create the table once
SCHEMA = TABLES.format(
    key="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    time="TIMESTAMPTZ",
    flag="BOOLEAN",
    json="JSONB",
)

T = TypeVar("T")


def where(url: str) -> str:
    """host:port/database of a URL, for messages (the user name and password stay out)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 5432}{parts.path or '/'}"


class PostgresFeedbackStore(Feedback):
    PLACEHOLDER = "%s"
    NOW = "date_trunc('second', now())"

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        with self._lock:
            self._conn = self._connect()
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                self._conn.execute(SCHEMA)

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_S,
                options=f"-c statement_timeout={int(QUERY_TIMEOUT_S * 1000)}",
            )
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise FeedbackUnavailable(
                f"cannot use the feedback database at {where(self._url)} (DATABASE_URL): {reason}"
            ) from exc

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        with self._lock:
            try:
                return _bounded(work, self._conn)
            except psycopg.OperationalError:
                if not self._conn.broken and not self._conn.closed:
                    raise
                _reconnects.warning("feedback database connection lost; reconnecting")
                self._conn = self._connect()
                return _bounded(work, self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _json(self, value: list[str]) -> Jsonb:
        return Jsonb(value)

    # base.Feedback's statements are built from constants, never from user input.
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._run(lambda conn: conn.execute(sql, params or None).fetchall())  # type: ignore[arg-type]

    def _update(self, sql: str, params: tuple[Any, ...]) -> int:
        return self._run(lambda conn: conn.execute(sql, params).rowcount)  # type: ignore[arg-type]


def _bounded(work: Callable[[psycopg.Connection[Any]], T], conn: psycopg.Connection[Any]) -> T:
    """work(conn), cut off after QUERY_TIMEOUT_S however unresponsive the server is."""
    timer = threading.Timer(QUERY_TIMEOUT_S, _cut_off, args=(conn,))
    timer.daemon = True
    timer.start()
    try:
        return work(conn)
    finally:
        timer.cancel()


def _cut_off(conn: psycopg.Connection[Any]) -> None:
    """Shut the connection's socket down (not close: the descriptor stays the waiting call's):
    the call sees the connection end and raises OperationalError."""
    with contextlib.suppress(OSError, psycopg.Error, ValueError):
        sock = socket.socket(fileno=os.dup(conn.pgconn.socket))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()
