"""Take the tour: where the user left off (a card, or the quiz question reached), else the
division pick; posted in the DM (or the assistant thread) the button was clicked in."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.listeners.tour.buttons import QUIZ_STEP, replace
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.tour import (
    Message,
    answer_message,
    card_message,
    pick_message,
    question_message,
)


@contained
def on_start(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, deps: Deps, tours: Tours
) -> None:
    ack()
    click = Click.model_validate(body)
    user = click.user_id
    position = deps.state.tour_position(user) if click.value != "pick" else None
    if position and position.subprogramme in tours.programme.subprogrammes:
        sp, lang = position.subprogramme, position.language
        message = show_step(deps, tours, user, sp, lang, position.step, position.quiz_id)
    else:
        message = pick_message(tours.guide)
    if click.value == "pick" and click.in_message:
        replace(respond, message)  # "Other division" on a tour message: the pick, in place
        return
    channel = dm_channel(click, client)
    if channel:
        # In an assistant thread the tour goes into that thread; elsewhere, the DM itself.
        client.chat_postMessage(
            channel=channel, thread_ts=click.thread_ts, blocks=message.blocks, text=message.text
        )


def show_step(
    deps: Deps, tours: Tours, user: str, sp: int, lang: str, step: int, quiz_id: str | None
) -> Message:
    """The message for a saved position: a card, or the quiz question reached."""
    t = tours.guide.tour(sp, lang)
    if step < QUIZ_STEP or not quiz_id:
        return card_message(t, min(step, len(t.cards) - 1), resumed=True)
    quiz = tours.maker.quiz(sp, lang, quiz_id)
    position = min(step - QUIZ_STEP, len(quiz) - 1)
    answered = {a.position: a for a in deps.state.quiz_answers(quiz_id, user)}
    shown = quiz[position]
    if position in answered:
        chosen = next(
            (i for i, c in enumerate(shown.choices) if c.key == answered[position].choice_key),
            shown.answer,
        )
        return answer_message(t, quiz_id, shown, position, len(quiz), chosen)
    return question_message(t, quiz_id, shown, position, len(quiz))


def dm_channel(click: Click, client: WebClient) -> str | None:
    if click.channel_id:
        return click.channel_id
    opened = client.conversations_open(users=click.user_id)  # from the Home tab: no channel yet
    return (opened.get("channel") or {}).get("id")
