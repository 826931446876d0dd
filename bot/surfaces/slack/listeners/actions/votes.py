"""👍/👎 under an answer: the vote goes to the feedback outbox (state store), never straight to
the feedback database, so an outage there cannot lose it or hold up the click (outbox.py); then
a modal asks for an optional reason (views/feedback_reason.py)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.ops.logs import Throttled
from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.outbox import put_vote
from bot.surfaces.slack.transport.payloads import Click, stored_answer_id
from bot.surfaces.slack.views.blocks import feedback_modal

_odd = Throttled(logging.getLogger(__name__), every_s=10.0)
NOT_RECORDED = "Sorry, your vote could not be recorded just now. Please try again in a minute."


@contained
def on_up(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps) -> None:
    _vote(ack, body, client, respond, deps, "up")


@contained
def on_down(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    _vote(ack, body, client, respond, deps, "down")


def _vote(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps, rating: str
) -> None:
    ack()
    click = Click.model_validate(body)
    answer_id = click.value
    if not stored_answer_id(answer_id):  # our buttons carry an answer's id, nothing else
        _odd.warning("ignored a vote that names no answer (%d characters)", len(answer_id))
        return
    try:
        answer = deps.state.load_answer(answer_id)
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
