"""The Messages tab as an assistant, through Bolt's Assistant middleware: suggested prompts when
a thread opens, and the "is reading…" status while a question typed there is answered.

Slack shows at most four suggested prompts, so a new thread gets the general set, and its
greeting has a button that swaps in the set for colleagues new to Security Council affairs
(actions/starter_questions.py).
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.middleware import CustomMiddleware
from slack_bolt.middleware.assistant import Assistant

from bot.surfaces.slack.listeners.assistant.thread_started import (
    on_context_changed,
    on_thread_started,
)
from bot.surfaces.slack.listeners.assistant.user_message import on_user_message, record_question


def register(app: App) -> None:
    assistant = Assistant(logger=logging.getLogger("bot.slack.bolt"))
    assistant.thread_started(on_thread_started)
    assistant.thread_context_changed(on_context_changed)
    # The question is recorded by this listener's middleware, before Bolt's automatic ack.
    assistant.user_message(
        on_user_message,
        middleware=[CustomMiddleware(app_name=app.name, func=record_question)],
    )
    app.assistant(assistant)
