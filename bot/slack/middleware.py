"""Events API deliveries: deduplicated by event_id, and recorded as pending work before the ack.

Slack re-delivers an event it got no timely 200 for (X-Slack-Retry-Num, or retry_attempt in
Socket Mode). A retry is nothing special: its event id was either seen (a duplicate, acked and
dropped) or not (the first delivery never reached us, e.g. during a restart: it is answered).

Events that may ask a question (events.may_ask) are written to the WorkQueue in the same
transaction as their id's first sighting, and only then acked; a worker takes them from there
(jobs.py). When the store cannot record them the reply is 503, not 200, so Slack delivers them
again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot import metrics
from bot.slack.deps import Deps
from bot.slack.logs import Throttled
from bot.slack.work import Job, StoreUnavailable

logger = logging.getLogger(__name__)
_store_trouble = Throttled(logger, every_s=10.0)


def _retry_number(req: BoltRequest) -> int:
    values = req.headers.get("x-slack-retry-num") or []
    try:
        return int(values[0]) if values else 0
    except ValueError:
        return 0


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
        retry = _retry_number(req)
        if retry:
            reason = (req.headers.get("x-slack-retry-reason") or ["?"])[0]
            logger.info("retry %d of event %s (%s)", retry, event_id, reason)
            metrics.retried("event_delivery", reason)
        try:
            if may_ask(event):
                lane = str(event.get("channel") or "-")
                if not deps.enqueue(Job(event_id, lane, "event", {"event": event})):
                    logger.info("ignored duplicate event %s", event_id)
                    metrics.dedupe_hit("event")
                return BoltResponse(status=200, body="")
            if deps.work.seen(event_id):
                logger.info("ignored duplicate event %s", event_id)
                metrics.dedupe_hit("event")
                return BoltResponse(status=200, body="")
            if event.get("type") in question_events:  # asks nothing (a bot, an edit, chatter)
                return BoltResponse(status=200, body="")
        except StoreUnavailable as exc:
            _store_trouble.warning(
                "cannot record events (%s): answering 503, Slack will retry", exc
            )
            return BoltResponse(status=503, body="")
        next()
        return None

    return dedupe_and_record
