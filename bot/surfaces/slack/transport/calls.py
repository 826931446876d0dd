"""Slack Web API calls made by the workers, with faults sorted by what they mean for a retry.

- 429: Slack did not do it. Retry-After (seconds, decimal seconds or an HTTP date) is honoured
  for that method in that channel only: further calls there raise RateLimited at once, without
  a request, until it has passed; every other channel and method goes on.
- 5xx, a dropped connection, a timeout: the outcome is unknown. A call that is safe to repeat
  (reading, reactions) is retried here, a few times, with exponential back-off and jitter; a
  post is not (it may have landed): OutcomeUnknown goes to the caller, which looks in the
  thread before posting again (answering.py).
- any other error (`ok: false`): Slack refused it; repeating will not help.

The WebClient here has no retry handlers of its own and a short timeout, so a hung call costs
one worker thread for `timeout` seconds and never more.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
import urllib.error
from collections.abc import Callable
from http.client import HTTPException
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.ops import metrics
from bot.surfaces.slack.transport.api_metrics import metered

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER_S = 1.0  # a 429 without a usable Retry-After
MAX_RETRY_AFTER_S = 15 * 60.0
IN_PLACE_ATTEMPTS = 3  # for calls that are safe to repeat
BACKOFF_S = 0.5


class RateLimited(Exception):
    def __init__(self, method: str, until: float) -> None:
        super().__init__(f"{method} rate-limited for {max(0.0, until - time.time()):.1f}s")
        self.until = until


class OutcomeUnknown(Exception):
    """The request may or may not have been carried out (connection lost, timeout, 5xx)."""


class Refused(Exception):
    """Slack answered `ok: false` (other than rate limiting): repeating will not help."""

    def __init__(self, method: str, error: str) -> None:
        super().__init__(f"{method}: {error}")
        self.error = error


def retry_after_seconds(value: str | None, now: float | None = None) -> float:
    """Retry-After as seconds: "20", "1.5" or an HTTP date; unusable values give the default."""
    if not value:
        return DEFAULT_RETRY_AFTER_S
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER_S
        if when is None:
            return DEFAULT_RETRY_AFTER_S
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # nan
        return DEFAULT_RETRY_AFTER_S
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def backoff(attempt: int, base: float = BACKOFF_S, cap: float = 30.0) -> float:
    """Exponential back-off with full jitter around the step (0.5×–1.5×), attempt ≥ 1."""
    step = min(cap, base * 2 ** max(0, attempt - 1))
    return step * random.uniform(0.5, 1.5)


_CONNECTION_ERRORS = (urllib.error.URLError, HTTPException, ConnectionError, TimeoutError, OSError)


class Cooldowns(Protocol):
    """Until when a (method, channel) is rate-limited: in this process (LocalCooldowns) or
    shared by the replicas (stores.state.redis.RedisCooldowns)."""

    def until(self, method: str, where: str) -> float | None: ...

    def hold(self, method: str, where: str, until: float) -> None: ...


class LocalCooldowns:
    def __init__(self) -> None:
        self._until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def until(self, method: str, where: str) -> float | None:
        with self._lock:
            until = self._until.get((method, where))
            if until is not None and until <= time.time():
                del self._until[(method, where)]
                return None
            return until

    def hold(self, method: str, where: str, until: float) -> None:
        with self._lock:
            self._until[(method, where)] = max(until, self._until.get((method, where), 0))


class SlackCalls:
    def __init__(
        self,
        client: WebClient,
        sleep: Callable[[float], None] = time.sleep,
        cooldowns: Cooldowns | None = None,
    ) -> None:
        self.client = client
        self._sleep = sleep
        self._cooldowns = cooldowns or LocalCooldowns()

    def call(
        self, method: str, where: str, send: Callable[[WebClient], SlackResponse], *, safe: bool
    ) -> SlackResponse:
        """Run `send(client)`, the call of `method` in channel `where`.

        safe: repeating it does no harm (reads, reactions), so 5xx/connection errors are retried
        here; otherwise they raise OutcomeUnknown at once.
        """
        attempt = 0
        while True:
            attempt += 1
            self._check_cooldown(method, where)
            started = time.perf_counter()
            try:
                response = send(self.client)
                logger.debug("slack %s channel=%s ok ms=%.0f", method, where, _ms(started))
                return response
            except SlackApiError as exc:
                status = exc.response.status_code
                error = exc.response.get("error", "unknown") if exc.response.data else "unknown"
                if status == 429:
                    raise self._rate_limited(method, where, exc.response) from exc
                if status < 500:
                    logger.debug("slack %s channel=%s refused: %s", method, where, error)
                    raise Refused(method, str(error)) from exc
                problem: str = f"HTTP {status}"
            except _CONNECTION_ERRORS as exc:
                problem = type(exc).__name__
            logger.warning(
                "slack %s channel=%s failed (%s) after %.0f ms, attempt %d",
                method,
                where,
                problem,
                _ms(started),
                attempt,
            )
            if not safe or attempt >= IN_PLACE_ATTEMPTS:
                raise OutcomeUnknown(f"{method}: {problem}")
            metrics.retried(method, "server_error" if problem.startswith("HTTP") else "connection")
            self._sleep(backoff(attempt))

    def _check_cooldown(self, method: str, where: str) -> None:
        until = self._cooldowns.until(method, where)
        if until is not None and until > time.time():
            raise RateLimited(method, until)

    def _rate_limited(self, method: str, where: str, response: SlackResponse) -> RateLimited:
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        value = headers.get("retry-after")
        if isinstance(value, list):
            value = value[0] if value else None
        until = time.time() + retry_after_seconds(value)
        self._cooldowns.hold(method, where, until)
        logger.warning(
            "slack %s channel=%s rate-limited: Retry-After %s", method, where, value or "(none)"
        )
        metrics.retried(method, "rate_limited")  # the job is taken again once it has passed
        return RateLimited(method, until)


def _ms(started: float) -> float:
    return 1000 * (time.perf_counter() - started)


def web_client_without_retries(token: str, base_url: str, timeout: float) -> WebClient:
    """The workers' client: faults come back to SlackCalls, which knows which are safe."""
    client = WebClient(token=token, base_url=base_url, timeout=timeout)  # type: ignore[arg-type]
    client.retry_handlers = metered({})  # counts every call in /metrics; retries nothing
    return client


def message_metadata(job_id: str, kind: str) -> dict[str, Any]:
    """Marks a message as the one that finishes `job_id` (answer, notice or apology)."""
    return {"event_type": "programme_bot_reply", "event_payload": {"job": job_id, "kind": kind}}


def marked_job(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != "programme_bot_reply":
        return None
    return (metadata.get("event_payload") or {}).get("job")
