"""The buttons under an answer that show it again: Share in channel, Show full passage, Whole
card.

Every button carries an answer id (the answer itself lives in the state store). Each listener
acks first; the ones that open a modal do it right after, while the trigger_id is still valid
(3 s). The click is read through payloads.Click, which intake.py has already validated.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click, stored_answer_id
from bot.surfaces.slack.views.blocks import (
    answer_blocks,
    answer_fallback_text,
    missing_answer_modal,
    parse_passage_value,
    passage_modal,
    whole_card_modal,
)

EXPIRED = "This answer is no longer stored. Ask the question again."


@contained
def on_share(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps) -> None:
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


@contained
def on_show_passage(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
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


@contained
def on_whole_card(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """A unit card's whole text in a modal (the message shows it shortened: card_fit.py)."""
    ack()
    click = Click.model_validate(body)
    stored = stored_answer_id(click.value)  # a uuid's hex, else never looked up
    answer = deps.state.load_answer(stored) if stored else None
    view = whole_card_modal(answer) if answer is not None else missing_answer_modal()
    if click.trigger_id:
        client.views_open(trigger_id=click.trigger_id, view=view)
