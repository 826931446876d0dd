"""A new assistant thread: remembered as the bot's, greeted, and given the general prompts."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.set_suggested_prompts import SetSuggestedPrompts
from slack_sdk import WebClient

from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import AssistantThreadEvent
from bot.surfaces.slack.views.home import ask_me, assistant_greeting_blocks
from bot.surfaces.slack.views.prompts import GENERAL_PROMPTS, PROMPTS_TITLE


@contained
def on_thread_started(
    payload: dict[str, Any],
    client: WebClient,
    set_suggested_prompts: SetSuggestedPrompts,
    deps: Deps,
) -> None:
    """The greeting is posted with the bot's client, not the assistant's `say`: `say` reads the
    thread's context to build the message's metadata and fails on `"context": null` (which
    Slack may send), and the greeting needs no context."""
    thread = AssistantThreadEvent.model_validate(payload).assistant_thread
    deps.state.remember_thread(thread.channel_id, thread.thread_ts, "assistant")
    programme = deps.answerer.library.first.programme
    client.chat_postMessage(
        channel=thread.channel_id,
        thread_ts=thread.thread_ts,
        blocks=assistant_greeting_blocks(thread.thread_ts, programme),
        text=ask_me(programme),
    )
    set_suggested_prompts(prompts=[p.to_slack() for p in GENERAL_PROMPTS], title=PROMPTS_TITLE)


def on_context_changed() -> None:
    """The channel the user is looking at changed; answers don't depend on it (and Bolt's
    default would store it in message metadata: a Web API call per change)."""
