"""The Bolt app: a Web API client that backs off when rate-limited, exactly-once middleware,
and the listeners. Nothing here answers questions; see listeners/ and answering.py."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.settings import Settings
from bot.slack.api_metrics import metered
from bot.slack.config import api_base_url
from bot.slack.deps import Deps
from bot.slack.listeners import register_all
from bot.slack.logs import correlation_id
from bot.slack.middleware import exactly_once

logger = logging.getLogger(__name__)

# Bolt runs ack functions (commands, actions) here; answers run on Deps.workers instead, so a
# burst of questions can never delay an ack.
ACK_THREADS = 32


def web_client(settings: Settings) -> WebClient:
    return WebClient(
        token=settings.slack_bot_token,
        base_url=api_base_url(settings) or WebClient.BASE_URL,
        timeout=15,
        retry_handlers=metered(  # every attempt and retry counted in /metrics
            {
                "connection_error": ConnectionErrorRetryHandler(max_retry_count=2),
                "rate_limited": RateLimitErrorRetryHandler(max_retry_count=3),  # Retry-After
            }
        ),
    )


class _DropTokenUnusedNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client wins; it is meant to."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def create_app(deps: Deps, socket_mode: bool) -> App:
    settings = deps.settings
    bolt_logger = logging.getLogger("bot.slack.bolt")
    bolt_logger.addFilter(_DropTokenUnusedNotice())
    app = App(
        client=web_client(settings),
        # Socket Mode requests arrive over an authenticated WebSocket, not signed HTTP.
        signing_secret=None if socket_mode else settings.slack_signing_secret,
        request_verification_enabled=not socket_mode,
        process_before_response=False,  # ack first; the work happens after the response
        listener_executor=ThreadPoolExecutor(max_workers=ACK_THREADS, thread_name_prefix="ack"),
        logger=bolt_logger,
    )
    app.use(exactly_once(deps.state))
    register_all(app, deps)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        cid = correlation_id()
        kind = body.get("type") if isinstance(body, dict) else None
        logger.error(
            "listener error cid=%s type=%s: %s", cid, kind, type(error).__name__, exc_info=error
        )
        return None

    return app
