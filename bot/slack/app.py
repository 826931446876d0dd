"""The Bolt app: its Web API client, the middleware that records events before the ack, and the
listeners. Nothing here answers questions; see listeners/, jobs.py and answering.py."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.slack.api_metrics import metered
from bot.slack.config import api_base_url
from bot.slack.deps import Deps
from bot.slack.listeners import register_all
from bot.slack.listeners.events import QUESTION_EVENTS, may_ask
from bot.slack.logs import correlation_id
from bot.slack.middleware import record_events

logger = logging.getLogger(__name__)

# Bolt runs ack functions (commands, actions) here; answers run on the dispatcher's threads, so
# a burst of questions can never delay an ack.
ACK_THREADS = 32


def web_client(settings: Settings) -> WebClient:
    """The listeners' client (modals, Home tab, welcome). No automatic retries: a retried post
    whose first try landed (a dropped connection) would post twice; the workers' calls go
    through calls.SlackCalls, which knows which calls are safe to repeat."""
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=api_base_url(settings) or WebClient.BASE_URL,
        timeout=settings.slack_timeout,  # type: ignore[arg-type]
    )
    client.retry_handlers = metered({})  # every call counted in /metrics, none retried blindly
    return client


class _DropTokenUnusedNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client wins; it is meant to."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _ack_then_contain(listener: Callable[..., Any]) -> Callable[..., Any]:
    """An error after ack() is logged here. Left to Bolt, it resets the ack and the request
    waits 3 s for a 404 (Bolt's ThreadListenerRunner); before ack() Bolt answers 500 as usual."""

    @functools.wraps(listener)  # Bolt reads the wrapped function's argument names
    def contained(**kwargs: Any) -> Any:
        try:
            return listener(**kwargs)
        except Exception as exc:
            ack = kwargs.get("ack")
            if ack is None or getattr(ack, "response", None) is None:
                raise
            if isinstance(exc, SlackApiError):  # Slack said no: its error says it all
                logger.warning(
                    "%s failed after its ack: %s",
                    listener.__name__,
                    exc.response.get("error", "unknown"),
                )
            else:
                logger.exception("listener failed after its ack cid=%s", correlation_id())
            return None

    return contained


class ProgrammeApp(App):
    def _register_listener(  # type: ignore[override]
        self, functions: Sequence[Callable[..., Any]], *args: Any, **kwargs: Any
    ) -> Any:
        registered = super()._register_listener(
            [_ack_then_contain(f) for f in functions], *args, **kwargs
        )
        return functions[0] if len(functions) == 1 else registered


def create_app(deps: Deps, socket_mode: bool) -> App:
    settings = deps.settings
    bolt_logger = logging.getLogger("bot.slack.bolt")
    bolt_logger.addFilter(_DropTokenUnusedNotice())
    app = ProgrammeApp(
        client=web_client(settings),
        # Socket Mode requests arrive over an authenticated WebSocket, not signed HTTP.
        signing_secret=None if socket_mode else settings.slack_signing_secret,
        request_verification_enabled=not socket_mode,
        process_before_response=False,  # ack first; the work happens after the response
        listener_executor=ThreadPoolExecutor(max_workers=ACK_THREADS, thread_name_prefix="ack"),
        logger=bolt_logger,
    )
    app.use(record_events(deps, QUESTION_EVENTS, may_ask))
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
