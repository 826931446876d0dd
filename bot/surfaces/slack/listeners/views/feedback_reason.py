"""The feedback modal's submission: the optional reason that follows a 👍/👎."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack

from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.outbox import Unstorable, put_reason
from bot.surfaces.slack.transport.payloads import Submission
from bot.surfaces.slack.views.blocks import (
    FEEDBACK_REASON_BLOCK,
    FEEDBACK_REASON_INPUT,
    FEEDBACK_VOTE_PREFIX,
)

logger = logging.getLogger(__name__)

NOT_KEPT = "Sorry, this could not be saved just now. Please try again in a minute."


@contained
def on_feedback_reason(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    submitted = Submission.model_validate(body)
    reason = submitted.input(FEEDBACK_REASON_BLOCK, FEEDBACK_REASON_INPUT).strip()
    vote = vote_of(submitted.view.private_metadata)
    if vote is None:
        ack()
        logger.warning("feedback modal without a vote to attach the reason to")
        return
    if reason:
        # To the outbox like the vote (outbox.py), and before the ack: when it cannot be
        # kept, the modal stays open and says so.
        try:
            put_reason(deps.state, vote, submitted.user.id, reason)
        except StoreUnavailable:
            ack(response_action="errors", errors={FEEDBACK_REASON_BLOCK: NOT_KEPT})
            return
        except Unstorable as exc:  # a modal of ours names a stored answer: not this one
            ack()
            logger.warning("feedback reason not kept: %s", exc)
            return
        deps.wake_courier()
    ack()  # closes the modal


def vote_of(metadata: str) -> str | None:
    """The answer id the modal carries ("answer:<id>"), or an older modal's feedback row id."""
    if metadata.startswith(FEEDBACK_VOTE_PREFIX):
        return metadata[len(FEEDBACK_VOTE_PREFIX) :]
    if metadata.isascii() and metadata.isdigit() and len(metadata) < 19:
        return metadata
    return None
