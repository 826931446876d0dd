"""Modal submissions: the optional reason that follows a 👍/👎."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.slack.blocks import FEEDBACK_MODAL, FEEDBACK_REASON_BLOCK, FEEDBACK_REASON_INPUT
from bot.slack.deps import Deps

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.view(FEEDBACK_MODAL)
    def on_feedback_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()  # closes the modal
        values = (view.get("state") or {}).get("values") or {}
        reason = (values.get(FEEDBACK_REASON_BLOCK, {}).get(FEEDBACK_REASON_INPUT) or {}).get(
            "value"
        ) or ""
        try:
            feedback_id = int(view.get("private_metadata") or "")
        except ValueError:
            logger.warning("feedback modal without a feedback id")
            return
        deps.feedback.add_reason(feedback_id, body["user"]["id"], reason)
