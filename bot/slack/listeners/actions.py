"""Buttons: Share in channel, Show full passage, 👍/👎, and the starter-question buttons.

Every button carries an answer id (the answer itself lives in SQLite). Each handler acks first;
the ones that open a modal do it right after, while the trigger_id is still valid (3 s).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.answering import Conversation, Question
from bot.slack.blocks import (
    ASK_PROMPT,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SHARE_ANSWER,
    SHOW_PASSAGE,
    SHOW_SECURITY_COUNCIL_PROMPTS,
    answer_blocks,
    answer_fallback_text,
    feedback_modal,
    missing_answer_modal,
    parse_passage_value,
    passage_modal,
)
from bot.slack.deps import Deps
from bot.slack.prompts import SECURITY_COUNCIL_PROMPTS, SECURITY_COUNCIL_TITLE
from bot.slack.work import Job

logger = logging.getLogger(__name__)

EXPIRED = "This answer is no longer stored. Ask the question again."


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return (body.get("actions") or [{}])[0]


def _channel_id(body: dict[str, Any]) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def register(app: App, deps: Deps) -> None:
    @app.action(SHARE_ANSWER)
    def on_share(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        answer_id = _action(body).get("value", "")
        answer = deps.state.load_answer(answer_id)
        if answer is None:
            respond(response_type="ephemeral", replace_original=False, text=EXPIRED)
            return
        user = body["user"]["id"]
        # Shared once, however often it is clicked (a double click, Slack re-sending the click).
        claim, claimant = f"share:{answer_id}", body.get("trigger_id") or user
        if not deps.state.claim(claim, claimant):
            return
        try:  # a new public message from the app, then the private one goes away
            respond(
                response_type="in_channel",
                replace_original=False,
                text=answer_fallback_text(answer),
                blocks=answer_blocks(answer, answer_id, shared_by=user),
            )
        except Exception:
            deps.state.unclaim(claim, claimant)  # not shared: the button may be used again
            raise
        respond(delete_original=True)

    @app.action(SHOW_PASSAGE)
    def on_show_passage(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            answer_id, index = parse_passage_value(_action(body).get("value", ""))
        except ValueError:
            answer_id, index = "", -1
        answer = deps.state.load_answer(answer_id) if answer_id else None
        if answer is None or not 0 <= index < len(answer.sources):
            view = missing_answer_modal()
        else:
            view = passage_modal(answer.sources[index])
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_vote(ack: Ack, body: dict[str, Any], client: WebClient, rating: str) -> None:
        ack()
        answer_id = _action(body).get("value", "")
        answer = deps.state.load_answer(answer_id)
        user = body["user"]["id"]
        feedback_id = deps.feedback.record(rating, answer_id, answer, user, _channel_id(body))
        language = answer.language if answer else "en"
        client.views_open(
            trigger_id=body["trigger_id"], view=feedback_modal(rating, feedback_id, language)
        )

    @app.action(FEEDBACK_UP)
    def on_up(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_vote(ack, body, client, "up")

    @app.action(FEEDBACK_DOWN)
    def on_down(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_vote(ack, body, client, "down")

    @app.action(re.compile(rf"^{ASK_PROMPT}:\d+$"))
    def on_prompt(ack: Ack, body: dict[str, Any]) -> None:
        """A starter question from the welcome message: answer it in the same DM."""
        channel = _channel_id(body)
        question = _action(body).get("value", "")
        if not channel or not question:
            ack()
            return
        message = body.get("message") or {}
        user = body["user"]["id"]
        conversation = Conversation(channel, message.get("thread_ts"), "dm")
        asked = Question(question, user, conversation, show_question=True)
        # One answer per button of a message per person: a double click is one question.
        job_id = f"prompt:{channel}:{message.get('ts')}:{_action(body).get('action_id')}:{user}"
        deps.enqueue(Job(job_id, channel, "question", {"question": asked.to_json()}))
        ack()  # after the question is recorded: an acked click is answered

    @app.action(SHOW_SECURITY_COUNCIL_PROMPTS)
    def on_security_council_prompts(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        channel, thread_ts = _channel_id(body), _action(body).get("value")
        if not channel or not thread_ts:
            return
        client.assistant_threads_setSuggestedPrompts(
            channel_id=channel,
            thread_ts=thread_ts,
            title=SECURITY_COUNCIL_TITLE,
            prompts=[p.to_slack() for p in SECURITY_COUNCIL_PROMPTS],
        )
