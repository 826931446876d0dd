"""Redis connection pools for the shared state (REDIS_URL): one for the workers, one for acks.

Timeouts are short and retries few, on purpose. Each command reconnects by itself when Redis is
back (the pool drops dead connections); a command that fails after its retries raises
StoreUnavailable, which the callers already handle like a full disk: 503 to Slack (it retries
later), the job kept pending, /healthz 503.

What runs before an ack (recording an event, a command, a click; /healthz) and the listeners'
state (they run on the ack threads) use `for_acks`: a 0.3 s socket timeout, one retry and no
health-check PING, so with Redis hung (not down: the kernel still accepts connections, nothing
answers) the ack or the 503 leaves in about two thirds of a second, well within Slack's 3 s. The
workers' pool allows a slower Redis (a blip, a busy fsync) a second per command, twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from bot.stores.errors import StoreUnavailable
from bot.stores.sqlite_db import StoreError

SOCKET_TIMEOUT_S = 1.0
CONNECT_TIMEOUT_S = 0.5
RETRIES = 2  # with jittered back-off 50 ms → 0.5 s: a blip is absorbed, an outage is reported
ACK_TIMEOUT_S = 0.3  # × (1 + ACK_RETRIES) + a back-off of at most 50 ms: ≤ 0.65 s per call
ACK_RETRIES = 1
PREFIX = "programme-bot:"  # every key this app writes starts with it
_RETRY_ON = [redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError]


def connect(url: str) -> redis.Redis:
    """The workers' client."""
    return _client(url, SOCKET_TIMEOUT_S, CONNECT_TIMEOUT_S, Retry(_backoff(0.05, 0.5), RETRIES))


def for_acks(url: str) -> redis.Redis:
    """The client of everything that runs before an ack: bounded to about two thirds of a
    second; no health-check PING (it would be one more wait before the command)."""
    retry = Retry(_backoff(0.02, 0.05), ACK_RETRIES)
    return _client(url, ACK_TIMEOUT_S, ACK_TIMEOUT_S, retry, health_check_interval=0)


def _backoff(base: float, cap: float) -> ExponentialWithJitterBackoff:
    return ExponentialWithJitterBackoff(base=base, cap=cap)


def _client(
    url: str, timeout: float, connect_timeout: float, retry: Retry, health_check_interval: int = 10
) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=timeout,
        socket_connect_timeout=connect_timeout,
        retry=retry,
        retry_on_error=_RETRY_ON,
        health_check_interval=health_check_interval,
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
