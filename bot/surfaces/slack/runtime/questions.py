"""Questions that arrive as events: @mentions, direct messages, follow-ups in the bot's threads
(the Home tab and the Messages tab's welcome: home.py).

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

from bot.surfaces.slack.runtime.answering import Conversation, Question
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.transport.payloads import QuestionEvent, question_event
from bot.surfaces.slack.views.mrkdwn import from_slack, mentions, strip_mention

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


# Events that may ask a question are recorded as pending work before the ack (middleware.py)
# and decided on by a worker (question_for), so a crash after the ack loses none of them.
QUESTION_EVENTS = frozenset({"app_mention", "message"})


def may_ask(event: dict[str, Any]) -> bool:
    """A cheap first look, before the ack: False for events that surely ask nothing (bots,
    edits, top-level channel chatter), so they cost a dedupe entry and no pending job."""
    if event.get("type") not in QUESTION_EVENTS or not _from_a_person(event):
        return False
    if event.get("type") == "message" and event.get("channel_type") != "im":
        return bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
    return True


def question_for(deps: Deps, recorded: dict[str, Any], claimant: str) -> Question | None:
    """The question the recorded event asks the bot, or None when it is not for the bot to
    answer. Raises payloads.ValidationError for an event no version of intake would pass.

    `claimant` (the job id) claims the user message, so that of the two events an @mention in a
    thread produces only one answers, and the same job still does when it resumes.
    """
    event = question_event(recorded)
    if not _from_a_person(recorded) or event.user is None:
        return None
    if event.type == "app_mention":
        return _mention(deps, event, event.user, claimant)
    return _message(deps, event, event.user, claimant)


def _mention(deps: Deps, event: QuestionEvent, user: str, claimant: str) -> Question | None:
    channel, ts = event.channel, event.ts
    if not deps.state.claim_message(channel, ts, claimant):
        return None
    thread_ts = event.thread_ts or ts
    # Remember the thread before answering, so a quick follow-up is already recognised.
    deps.state.remember_thread(channel, thread_ts, "channel")
    text = from_slack(strip_mention(event.text or "", deps.bot_user_id))
    conversation = Conversation(channel=channel, thread_ts=thread_ts, kind="channel")
    return Question(text, user, conversation, ts)


def _message(deps: Deps, event: QuestionEvent, user: str, claimant: str) -> Question | None:
    channel, ts = event.channel, event.ts
    thread_ts = event.thread_ts
    raw = event.text or ""
    if event.channel_type == "im":
        kind = deps.state.thread_kind(channel, thread_ts) if thread_ts else None
        conversation = Conversation(
            channel, thread_ts, "assistant" if kind == "assistant" else "dm"
        )
        text = strip_mention(raw, deps.bot_user_id)
    else:
        if not thread_ts or thread_ts == ts:
            return None  # a new top-level message in a channel: only a mention asks the bot
        if mentions(raw, deps.bot_user_id):
            return None  # app_mention answers it
        if deps.state.thread_kind(channel, thread_ts) is None:
            return None  # a human thread the bot was never asked into
        conversation = Conversation(channel, thread_ts, "channel")
        text = raw
    if not deps.state.claim_message(channel, ts, claimant):
        return None
    return Question(from_slack(text), user, conversation, ts)
