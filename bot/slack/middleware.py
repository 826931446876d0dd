"""Exactly-once handling of Events API deliveries, before any listener runs.

Slack re-delivers an event it thinks was not acknowledged in time (X-Slack-Retry-Num, or
retry_attempt in Socket Mode) and can deliver the same event twice anyway. Retries are answered
200 with X-Slack-No-Retry and dropped; every event id is handled once within a TTL, remembered
in SQLite so a restart does not reopen the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse

from bot import metrics
from bot.slack.state import SlackState

logger = logging.getLogger(__name__)


def _retry_number(req: BoltRequest) -> int:
    values = req.headers.get("x-slack-retry-num") or []
    try:
        return int(values[0]) if values else 0
    except ValueError:
        return 0


def exactly_once(state: SlackState) -> Callable[..., BoltResponse | None]:
    def ignore_retries_and_duplicates(
        req: BoltRequest,
        next: Callable[[], None],  # noqa: A002 (Bolt injects by this name)
    ) -> BoltResponse | None:
        body = req.body if isinstance(req.body, dict) else {}
        event_id = body.get("event_id")
        retry = _retry_number(req)
        if retry > 0:  # Socket Mode sends retry_attempt 0 on the first delivery
            reason = (req.headers.get("x-slack-retry-reason") or ["?"])[0]
            logger.info("ignored retry %d of event %s (%s)", retry, event_id, reason)
            metrics.retried("event_delivery", reason)
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        if event_id and not state.first_sighting(str(event_id)):
            logger.info("ignored duplicate event %s", event_id)
            metrics.dedupe_hit("event")
            return BoltResponse(status=200, body="")
        next()
        return None

    return ignore_retries_and_duplicates
