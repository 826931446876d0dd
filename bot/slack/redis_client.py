"""One Redis connection pool per process, for the shared state (REDIS_URL).

Timeouts are short and retries few, on purpose: an event is acked (or answered 503) within
Slack's 3 s even while Redis is down, and /healthz answers at once. Each command reconnects by
itself when Redis is back (the pool drops dead connections); a command that fails after its
retries raises StoreUnavailable, which the callers already handle like a full disk: 503 to
Slack (it retries later), the job kept pending, /healthz 503.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from bot.slack.sqlite_db import StoreError
from bot.slack.work import StoreUnavailable

SOCKET_TIMEOUT_S = 1.0
CONNECT_TIMEOUT_S = 0.5
RETRIES = 2  # with jittered back-off 50 ms → 0.5 s: a blip is absorbed, an outage is reported
PREFIX = "programme-bot:"  # every key this app writes starts with it


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=SOCKET_TIMEOUT_S,
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), RETRIES),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError],
        health_check_interval=10,
    )


def where(url: str) -> str:
    """The URL without credentials, for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


def open_checked(url: str) -> redis.Redis:
    """A client whose server answered a PING now; else StoreError, one line for the operator."""
    client = connect(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        raise StoreError(
            f"cannot reach Redis at {where(url)} ({exc}): start it, or check REDIS_URL"
        ) from exc
    return client


@contextlib.contextmanager
def store_errors() -> Iterator[None]:
    """Redis unreachable, or refusing writes (MISCONF: it cannot persist; OOM; a replica that
    is read-only) is the store being unavailable: the callers know what to do."""
    try:
        yield
    except redis.RedisError as exc:
        raise StoreUnavailable(f"Redis: {exc}") from exc
