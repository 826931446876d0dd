"""The tour's cards: a division picked (its first card, in the language of the button), and
Back/Next. Each click saves the position, so "Take the tour" resumes there."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from slack_bolt import Ack, Respond

from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.listeners.tour.buttons import StaleButton, clicked, number, replace
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.tour import card_message


@contained
def on_pick(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps, tours: Tours) -> None:
    ack()
    click = Click.model_validate(body)
    with suppress(StaleButton):
        t, _ = clicked(tours, click, respond, 2)
        deps.state.save_tour(click.user_id, t.subprogramme, t.language, 0, None)
        replace(respond, card_message(t, 0))


@contained
def on_nav(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps, tours: Tours) -> None:
    ack()
    click = Click.model_validate(body)
    with suppress(StaleButton):
        t, (step,) = clicked(tours, click, respond, 3)
        index = number(step, len(t.cards), respond)
        deps.state.save_tour(click.user_id, t.subprogramme, t.language, index, None)
        replace(respond, card_message(t, index))
