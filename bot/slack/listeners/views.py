"""Modal submissions: the optional reason that follows a 👍/👎."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.slack.blocks import FEEDBACK_MODAL, FEEDBACK_REASON_BLOCK, FEEDBACK_REASON_INPUT
from bot.slack.deps import Deps
from bot.slack.errors import contained
from bot.slack.payloads import Submission

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.view(FEEDBACK_MODAL)
    @contained
    def on_feedback_reason(ack: Ack, body: dict[str, Any]) -> None:
        ack()  # closes the modal
        submitted = Submission.model_validate(body)
        reason = submitted.input(FEEDBACK_REASON_BLOCK, FEEDBACK_REASON_INPUT)
        metadata = submitted.view.private_metadata
        if not (metadata.isascii() and metadata.isdigit() and len(metadata) < 19):
            logger.warning("feedback modal without a feedback id")
            return
        deps.feedback.add_reason(int(metadata), submitted.user.id, reason)
