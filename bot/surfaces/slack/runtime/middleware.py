"""Events API deliveries: deduplicated by event_id, and recorded as pending work before the ack.

Slack re-delivers an event it got no timely 200 for (X-Slack-Retry-Num, or retry_attempt in
Socket Mode). A retry is nothing special: its event id was either seen (a duplicate, acked and
dropped) or not (the first delivery never reached us, e.g. during a restart: it is answered).

Events that may ask a question (events.may_ask) are written to the WorkQueue in the same
transaction as their id's first sighting, and only then acked; a worker takes them from there
(jobs.py). When the store cannot record them the reply is 503, not 200, so Slack delivers them
again later. A person's message in an assistant thread is recorded the same way, by the
Assistant's user_message listener (listeners/assistant/user_message.py), which also shows the
status.

By the time a request gets here, intake.py has validated it (payloads.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.request.payload_utils import is_user_message_event_in_assistant_thread

from bot.ops import metrics
from bot.ops.logs import Throttled
from bot.ops.redaction import redact
from bot.stores.work import Job, StoreUnavailable
from bot.surfaces.slack.runtime.deps import Deps

logger = logging.getLogger(__name__)
_store_trouble = Throttled(logger, every_s=10.0)

# X-Slack-Retry-Reason is not signed: anything else becomes "other", so a sender cannot mint
# metric series or write what it likes into the log.
RETRY_REASONS = frozenset(
    {
        "http_timeout",
        "http_error",
        "connection_failed",
        "ssl_error",
        "unknown_error",
        "too_many_websocket_connections",
    }
)
MAX_RETRY_NUM = 99


def retry_of(req: BoltRequest) -> tuple[int, str]:
    """(retry number, reason) of a delivery; (0, "") for a first delivery."""
    numbers = req.headers.get("x-slack-retry-num") or []
    number = numbers[0] if numbers else ""
    if not (number.isascii() and number.isdigit() and len(number) <= 2):
        return 0, ""
    reasons = req.headers.get("x-slack-retry-reason") or []
    reason = reasons[0] if reasons else ""
    return min(int(number), MAX_RETRY_NUM), reason if reason in RETRY_REASONS else "other"


def provide(**values: Any) -> Callable[..., None]:
    """The first middleware: puts `values` (deps, tours) into every request's context, where
    Bolt hands each to any listener or middleware with an argument of that name. So listeners
    are module-level functions (listeners/), and a test calls one with values of its own."""

    def into_context(
        context: BoltContext,
        next: Callable[[], None],  # noqa: A002 (Bolt injects by this name)
    ) -> None:
        context.update(values)
        next()

    return into_context


def record_event(deps: Deps, body: dict[str, Any], wake: bool = True) -> bool:
    """Record the question event `body` carries as pending work: True when it is recorded now,
    False for a duplicate. Raises StoreUnavailable."""
    event_id = str(body["event_id"])
    event = body["event"]
    if isinstance(event.get("text"), str):  # pasted credentials are never stored (redaction.py)
        event = {**event, "text": redact(event["text"])}
    lane = str(event.get("channel") or "-")
    if deps.enqueue(Job(event_id, lane, "event", {"event": event}), wake=wake):
        return True
    logger.info("ignored duplicate event %s", event_id)
    metrics.dedupe_hit("event")
    return False


def not_recorded(exc: StoreUnavailable) -> BoltResponse:
    """Not acked: Slack delivers the event again later."""
    _store_trouble.warning("cannot record events (%s): answering 503, Slack will retry", exc)
    return BoltResponse(status=503, body="")


def record_events(
    deps: Deps, question_events: Collection[str], may_ask: Callable[[dict[str, Any]], bool]
) -> Callable[..., BoltResponse | None]:
    """question_events: the event types the workers answer (no Bolt listener has them);
    may_ask: whether one of them is worth a pending job (else it is acked and dropped)."""

    def dedupe_and_record(
        req: BoltRequest,
        next: Callable[[], None],  # noqa: A002 (Bolt injects by this name)
    ) -> BoltResponse | None:
        body = req.body if isinstance(req.body, dict) else {}
        event_id = str(body.get("event_id") or "")
        if body.get("type") != "event_callback" or not event_id:
            next()
            return None
        event = body.get("event") or {}
        retry, reason = retry_of(req)
        if retry:
            logger.info("retry %d of event %s (%s)", retry, event_id, reason)
            metrics.retried("event_delivery", reason)
        if may_ask(event) and is_user_message_event_in_assistant_thread(body):
            next()  # the Assistant's user_message listener records it
            return None
        try:
            if may_ask(event):
                record_event(deps, body)
                return BoltResponse(status=200, body="")
            if deps.work.seen(event_id):
                logger.info("ignored duplicate event %s", event_id)
                metrics.dedupe_hit("event")
                return BoltResponse(status=200, body="")
        except StoreUnavailable as exc:
            return not_recorded(exc)
        if event.get("type") in question_events:  # asks nothing (a bot, an edit, chatter)
            return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe_and_record
