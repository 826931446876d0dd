"""Starter questions: a button of the Messages tab's welcome asks its question in the same DM,
and the assistant greeting's button swaps in the prompts for Security Council newcomers."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.ops.redaction import redact
from bot.stores.work import Job
from bot.surfaces.slack.runtime.answering import Conversation, Question
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.prompts import SECURITY_COUNCIL_PROMPTS, SECURITY_COUNCIL_TITLE


@contained
def on_prompt(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """A starter question from the welcome message: answer it in the same DM."""
    click = Click.model_validate(body)
    channel, question = click.channel_id, redact(click.value)
    if not channel or not question:
        ack()
        return
    user = click.user_id
    conversation = Conversation(channel, click.thread_ts, "dm")
    asked = Question(question, user, conversation, show_question=True)
    # One answer per button of a message per person: a double click is one question.
    message_ts = click.message.ts if click.message else None
    job_id = f"prompt:{channel}:{message_ts}:{click.action.action_id}:{user}"
    deps.enqueue(Job(job_id, channel, "question", {"question": asked.to_json()}))
    ack()  # after the question is recorded: an acked click is answered


@contained
def on_security_council_prompts(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    click = Click.model_validate(body)
    channel, thread_ts = click.channel_id, click.value
    if not channel or not thread_ts:
        return
    client.assistant_threads_setSuggestedPrompts(
        channel_id=channel,
        thread_ts=thread_ts,
        title=SECURITY_COUNCIL_TITLE,
        prompts=[p.to_slack() for p in SECURITY_COUNCIL_PROMPTS],
    )
