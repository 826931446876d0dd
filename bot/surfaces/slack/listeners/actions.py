"""Buttons: Share in channel, Show full passage, Whole card, 👍/👎, and the starter-question
buttons.

Every button carries an answer id (the answer itself lives in SQLite). Each handler acks first;
the ones that open a modal do it right after, while the trigger_id is still valid (3 s). The
click is read through payloads.Click, which intake.py has already validated.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.ops.redaction import redact
from bot.stores.work import Job, StoreUnavailable
from bot.surfaces.slack.runtime.answering import Conversation, Question
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.outbox import put_vote
from bot.surfaces.slack.transport.payloads import Click, stored_answer_id
from bot.surfaces.slack.views.blocks import (
    ASK_PROMPT,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SHARE_ANSWER,
    SHOW_PASSAGE,
    SHOW_SECURITY_COUNCIL_PROMPTS,
    WHOLE_CARD,
    answer_blocks,
    answer_fallback_text,
    feedback_modal,
    missing_answer_modal,
    parse_passage_value,
    passage_modal,
    whole_card_modal,
)
from bot.surfaces.slack.views.prompts import SECURITY_COUNCIL_PROMPTS, SECURITY_COUNCIL_TITLE

logger = logging.getLogger(__name__)

EXPIRED = "This answer is no longer stored. Ask the question again."
NOT_RECORDED = "Sorry, your vote could not be recorded just now. Please try again in a minute."


def register(app: App, deps: Deps) -> None:
    @app.action(SHARE_ANSWER)
    @contained
    def on_share(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        answer_id = click.value
        answer = deps.state.load_answer(answer_id) if answer_id else None
        if answer is None:
            respond(response_type="ephemeral", replace_original=False, text=EXPIRED)
            return
        user = click.user_id
        # Shared once, however often it is clicked (a double click, Slack re-sending the click).
        claim, claimant = f"share:{answer_id}", click.trigger_id or user
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
    @contained
    def on_show_passage(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = Click.model_validate(body)
        try:
            answer_id, index = parse_passage_value(click.value)
        except ValueError:
            answer_id, index = "", -1
        answer = deps.state.load_answer(answer_id) if answer_id else None
        if answer is None or not 0 <= index < len(answer.sources):
            view = missing_answer_modal()
        else:
            view = passage_modal(answer.sources[index], answer.language)
        if click.trigger_id:
            client.views_open(trigger_id=click.trigger_id, view=view)

    @app.action(WHOLE_CARD)
    @contained
    def on_whole_card(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A unit card's whole text in a modal (the message shows it shortened: card_fit.py)."""
        ack()
        click = Click.model_validate(body)
        stored = stored_answer_id(click.value)  # a uuid's hex, else never looked up
        answer = deps.state.load_answer(stored) if stored else None
        view = whole_card_modal(answer) if answer is not None else missing_answer_modal()
        if click.trigger_id:
            client.views_open(trigger_id=click.trigger_id, view=view)

    def on_vote(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, rating: str
    ) -> None:
        """The vote goes to the feedback outbox (state store), never straight to the feedback
        database: an outage there cannot lose it or hold up this click (outbox.py)."""
        ack()
        click = Click.model_validate(body)
        answer_id = click.value
        try:
            answer = deps.state.load_answer(answer_id) if answer_id else None
            put_vote(deps.state, rating, answer_id, answer, click.user_id, click.channel_id)
        except StoreUnavailable:
            respond(response_type="ephemeral", replace_original=False, text=NOT_RECORDED)
            return
        deps.wake_courier()
        if click.trigger_id:
            language = answer.language if answer else "en"
            client.views_open(
                trigger_id=click.trigger_id, view=feedback_modal(rating, answer_id, language)
            )

    @app.action(FEEDBACK_UP)
    @contained
    def on_up(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_vote(ack, body, client, respond, "up")

    @app.action(FEEDBACK_DOWN)
    @contained
    def on_down(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_vote(ack, body, client, respond, "down")

    @app.action(re.compile(rf"^{ASK_PROMPT}:\d+$"))
    @contained
    def on_prompt(ack: Ack, body: dict[str, Any]) -> None:
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

    @app.action(SHOW_SECURITY_COUNCIL_PROMPTS)
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
