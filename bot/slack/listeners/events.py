"""Questions that arrive as events: @mentions, direct messages, follow-ups in the bot's threads;
and the Home tab.

Who gets an answer:
- an @mention anywhere → in the thread of that message, which becomes a bot thread;
- a message in a bot thread, without a mention → in that thread, with the previous answer as
  context (a thread the bot was never asked into is left alone);
- a direct message → in the DM (in its thread, if it was written in one).
Bots (this one and others) and edits/deletions never get an answer. An @mention inside a thread
arrives twice (app_mention and message): claiming the message makes sure one of them answers.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack import answering
from bot.slack.answering import Conversation, Question
from bot.slack.blocks import home_view, welcome_blocks
from bot.slack.deps import Deps
from bot.slack.mrkdwn import from_slack, mentions, strip_mention

logger = logging.getLogger(__name__)

# Message subtypes that are a person writing; everything else (message_changed, message_deleted,
# bot_message, channel_join, ...) is not a question.
QUESTION_SUBTYPES = {None, "file_share", "thread_broadcast"}


def _from_a_person(event: dict[str, Any]) -> bool:
    return (
        event.get("subtype") in QUESTION_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and bool(event.get("user"))
    )


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if not _from_a_person(event):
            return
        channel, ts = event["channel"], event["ts"]
        if not deps.state.claim_message(channel, ts):
            return
        thread_ts = event.get("thread_ts") or ts
        # Remember the thread before answering, so a quick follow-up is already recognised.
        deps.state.remember_thread(channel, thread_ts, "channel")
        text = from_slack(strip_mention(event.get("text", ""), context.bot_user_id))
        conversation = Conversation(channel=channel, thread_ts=thread_ts, kind="channel")
        answering.start(deps, client, Question(text, event["user"], conversation, ts))

    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if not _from_a_person(event):
            return
        channel, ts = event["channel"], event["ts"]
        thread_ts = event.get("thread_ts")
        raw = event.get("text", "")
        if event.get("channel_type") == "im":
            kind = deps.state.thread_kind(channel, thread_ts) if thread_ts else None
            conversation = Conversation(
                channel, thread_ts, "assistant" if kind == "assistant" else "dm"
            )
            text = strip_mention(raw, context.bot_user_id)
        else:
            if not thread_ts or thread_ts == ts:
                return  # a new top-level message in a channel: only a mention asks the bot
            if mentions(raw, context.bot_user_id):
                return  # app_mention answers it
            if deps.state.thread_kind(channel, thread_ts) is None:
                return  # a human thread the bot was never asked into
            conversation = Conversation(channel, thread_ts, "channel")
            text = raw
        if not deps.state.claim_message(channel, ts):
            return
        question = Question(from_slack(text), event["user"], conversation, ts)
        answering.start(deps, client, question)

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        user = event.get("user")
        if not user:
            return
        if event.get("tab") == "messages":
            # First visit to the Messages tab: a welcome with one-click starter questions.
            if event.get("channel") and deps.state.first_welcome(user):
                client.chat_postMessage(
                    channel=event["channel"],
                    blocks=welcome_blocks(),
                    text="Ask me about Programme 2 (Political affairs).",
                )
            return
        client.views_publish(user_id=user, view=home_view())
