"""The Bolt app: its Web API client, the middleware that hands the listeners what they need and
records events before the ack, and the listeners. Nothing here answers questions; see
listeners/, runtime/jobs.py and runtime/answering.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient

from bot.ops.logs import Throttled
from bot.settings import Settings
from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.listeners import register_listeners
from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import one_line
from bot.surfaces.slack.runtime.middleware import provide, record_events
from bot.surfaces.slack.runtime.questions import QUESTION_EVENTS, may_ask
from bot.surfaces.slack.transport.api_metrics import metered
from bot.surfaces.slack.transport.config import api_base_url

logger = logging.getLogger(__name__)
_unhandled = Throttled(logger, every_s=10.0)

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


def create_app(
    deps: Deps, socket_mode: bool, authorize: Callable[..., AuthorizeResult] | None = None
) -> App:
    """authorize: instead of auth.test with the bot token (tests dispatching in process)."""
    settings = deps.settings
    bolt_logger = logging.getLogger("bot.slack.bolt")
    bolt_logger.addFilter(_DropTokenUnusedNotice())
    app = App(
        client=web_client(settings),
        authorize=authorize,
        # Socket Mode requests arrive over an authenticated WebSocket; HTTP requests have had
        # their signature checked by http_server, on the bytes Slack signed, before anything
        # parsed them (the body Bolt gets may differ: intake.for_bolt).
        signing_secret=None if socket_mode else settings.slack_signing_secret,
        request_verification_enabled=False,
        process_before_response=False,  # ack first; the work happens after the response
        listener_executor=ThreadPoolExecutor(max_workers=ACK_THREADS, thread_name_prefix="ack"),
        logger=bolt_logger,
        # A request no listener takes (a button of an older version, an event type we do not
        # read) comes to on_error below, not to Bolt's 404 with the payload in a warning.
        raise_error_for_unhandled_request=True,
        # The app declares no custom functions: a token carried in a payload (a
        # function_executed event's bot_access_token) is never used in place of the bot's own.
        attaching_function_token_enabled=False,
    )
    # First, so every later middleware and listener finds them in the context.
    app.use(provide(deps=deps, tours=Tours.serving(deps.answerer)))
    app.use(record_events(deps, QUESTION_EVENTS, may_ask))
    register_listeners(app)

    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], response: BoltResponse | None
    ) -> BoltResponse | None:
        """Before the ack (after it, errors.contained logs them): Slack gets its 200 for what
        no retry can mend, and a 503 while the state store is away (an event is sent again)."""
        kind = body.get("type") if isinstance(body, dict) else None
        if response is None:  # acknowledged already: there is nothing left to answer
            logger.error("listener error after the ack type=%s: %s", kind, one_line(error))
            return None
        if isinstance(error, BoltUnhandledRequestError):
            _unhandled.warning("nothing handles a %s request: acknowledged", kind or "command")
            return BoltResponse(status=200, body="")
        if isinstance(error, StoreUnavailable):
            _unhandled.warning("%s request not taken: %s (503)", kind or "command", error)
            return BoltResponse(status=503, body="")
        logger.error("listener error type=%s: %s", kind, one_line(error))
        return BoltResponse(status=200, body="")

    return app
