"""Count every Slack Web API request and retry, by method and status (bot.ops.metrics).

slack_sdk has no request hook, but it shows each attempt's outcome to its retry handlers, and
Bolt copies the app client's handlers into the client it makes for each request. So the meter is
a retry handler that never retries (placed first, it sees every attempt), and each real retry
handler is wrapped to count the retries it asks for.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.ops import metrics


def method_of(request: HttpRequest) -> str:
    return urlsplit(request.url).path.rsplit("/", 1)[-1] or "unknown"


def status_of(response: HttpResponse | None, error: Exception | None) -> str:
    if response is None:
        reason = getattr(error, "reason", error)  # urllib wraps socket errors in URLError
        return "timeout" if isinstance(reason, TimeoutError) else "connection_error"
    if response.status_code != 200:
        return f"http_{response.status_code}"
    body = response.body if isinstance(response.body, dict) else {}
    if body.get("ok", True):
        return "ok"
    return metrics.bounded(str(body.get("error", "")), "error")


class MeterCalls(RetryHandler):
    """Sees each attempt and counts it; never asks for a retry itself."""

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        metrics.slack_api_call(method_of(request), status_of(response, error))
        return False


class CountRetries(RetryHandler):
    """A retry handler as given, whose retries are counted with a reason."""

    def __init__(self, inner: RetryHandler, reason: str) -> None:
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner = inner
        self.reason = reason

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return self.inner.can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        metrics.retried(method_of(request), self.reason)
        self.inner.prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )


def metered(handlers: dict[str, RetryHandler]) -> list[RetryHandler]:
    """Retry handlers for a WebClient, by the reason each retries for, plus the call meter."""
    return [MeterCalls(), *(CountRetries(h, reason) for reason, h in handlers.items())]
