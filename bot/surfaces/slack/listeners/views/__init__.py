"""Modal submissions: the optional reason that follows a 👍/👎."""

from __future__ import annotations

from slack_bolt import App

from bot.surfaces.slack.listeners.views.feedback_reason import on_feedback_reason
from bot.surfaces.slack.views.blocks import FEEDBACK_MODAL


def register(app: App) -> None:
    app.view(FEEDBACK_MODAL)(on_feedback_reason)
