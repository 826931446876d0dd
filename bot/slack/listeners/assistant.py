"""The Messages tab as an assistant: suggested prompts when a thread opens.

Slack shows at most four suggested prompts, so a new thread gets the general set, and its
greeting has a button that swaps in the set for colleagues new to Security Council affairs
(handled in actions.py). Questions typed in these threads arrive as direct messages (events.py).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.blocks import assistant_greeting_blocks
from bot.slack.deps import Deps
from bot.slack.prompts import GENERAL_PROMPTS, PROMPTS_TITLE

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.event("assistant_thread_started")
    def on_thread_started(event: dict[str, Any], client: WebClient) -> None:
        thread = event.get("assistant_thread") or {}
        channel, thread_ts = thread.get("channel_id"), thread.get("thread_ts")
        if not channel or not thread_ts:
            return
        deps.state.remember_thread(channel, thread_ts, "assistant")
        client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            blocks=assistant_greeting_blocks(thread_ts),
            text="Ask me about Programme 2 (Political affairs).",
        )
        client.assistant_threads_setSuggestedPrompts(
            channel_id=channel,
            thread_ts=thread_ts,
            title=PROMPTS_TITLE,
            prompts=[p.to_slack() for p in GENERAL_PROMPTS],
        )

    @app.event("assistant_thread_context_changed")
    def on_context_changed() -> None:
        """The channel the user is looking at changed; answers don't depend on it."""
