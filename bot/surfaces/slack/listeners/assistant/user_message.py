"""A question typed in an assistant thread.

It is recorded as pending work by record_question, the listener's middleware, which runs before
Bolt's automatic ack (an acked question is never lost); the listener itself runs after the ack:
it shows the status, then wakes the workers, so the status is set before the answer that clears
it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.context.set_status import SetStatus

from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.runtime.answering import WORKING_STATUS
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.middleware import not_recorded, record_event
from bot.surfaces.slack.transport.payloads import QuestionEvent


def record_question(
    req: BoltRequest,
    deps: Deps,
    next: Callable[[], None],  # noqa: A002 (Bolt injects by this name)
) -> BoltResponse | None:
    try:
        if not record_event(deps, req.body, wake=False):
            return BoltResponse(status=200, body="")  # a duplicate: answered already
    except StoreUnavailable as exc:
        return not_recorded(exc)
    next()
    return None


@contained
def on_user_message(payload: dict[str, Any], set_status: SetStatus, deps: Deps) -> None:
    event = QuestionEvent.model_validate(payload)
    try:
        if event.thread_ts and deps.state.thread_kind(event.channel, event.thread_ts) == (
            "assistant"
        ):
            set_status(WORKING_STATUS)
    finally:
        deps.wake_workers()
