"""The guided tour and its self-check: "Take the tour" (Home tab, Messages tab), the division
pick, Back/Next through the cards, and the quiz.

"Take the tour" posts a new message in the user's DM with the app (from the Home tab the DM
is opened first); every later click replaces that message through the click's response_url.
Nothing here runs the question pipeline: the cards and questions come from the library the
answers come from (the same documents, swapped with them by a hot reload), so each handler acks
and answers on the spot.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextlib import suppress
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import languages
from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import Tour, TourGuide
from bot.stores.feedback import QuizAnswer
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.outbox import put_quiz_answer
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.blocks import TOUR_START
from bot.surfaces.slack.views.tour import (
    QUIZ_ANSWER,
    QUIZ_NEXT,
    QUIZ_START,
    TOUR_NAV,
    TOUR_PICK,
    Message,
    answer_message,
    card_message,
    expired_message,
    pick_message,
    question_message,
    score_message,
)

logger = logging.getLogger(__name__)

QUIZ_STEP = 100  # a saved step ≥ this is a quiz question (step - QUIZ_STEP), not a card
_QUIZ_ID = re.compile(r"^[0-9a-f]{12}$")
# ASCII digits, a few: str.isdigit() also takes "²" (int() then fails) and 5,000 digits.
_POSITION = re.compile(r"^[0-9]{1,3}$")


class StaleButton(ValueError):
    """A button value this version cannot read (an old message, or a forged payload)."""


def _parse(value: str, parts: int) -> list[str]:
    fields = value.split(":")
    if len(fields) != parts:
        raise StaleButton(value)
    sp, lang = fields[0], fields[1]
    if not _POSITION.match(sp) or lang not in languages.answered():
        raise StaleButton(value)
    if parts >= 4 and not _QUIZ_ID.match(fields[2]):
        raise StaleButton(value)
    return fields


def _number(text: str, limit: int, respond: Respond) -> int:
    """A position in a button value, below `limit`; else the out-of-date notice."""
    if not _POSITION.match(text) or int(text) >= limit:
        notice = expired_message()
        respond(replace_original=True, blocks=notice.blocks, text=notice.text)
        raise StaleButton(text)
    return int(text)


def register(app: App, deps: Deps) -> None:
    def guide() -> TourGuide:
        return TourGuide.of(deps.answerer.library.first)

    def maker() -> QuizMaker:
        return QuizMaker.of(deps.answerer.library.first)

    def clicked(click: Click, respond: Respond, parts: int) -> tuple[Tour, list[str]]:
        """The tour a button belongs to and the rest of its value ("3:en:2" → tour, ["2"]).
        An unreadable value gets the out-of-date notice in place and raises StaleButton."""
        try:
            sp, lang, *rest = _parse(click.value, parts)
            if int(sp) not in guide().read.programme.subprogrammes:
                raise StaleButton(sp)
            return guide().tour(int(sp), lang), rest
        except StaleButton:
            replace(respond, expired_message())
            raise

    def replace(respond: Respond, message: Message) -> None:
        respond(replace_original=True, blocks=message.blocks, text=message.text)

    def show_step(user: str, sp: int, lang: str, step: int, quiz_id: str | None) -> Message:
        """The message for a saved position: a card, or the quiz question reached."""
        t = guide().tour(sp, lang)
        if step < QUIZ_STEP or not quiz_id:
            return card_message(t, min(step, len(t.cards) - 1), resumed=True)
        quiz = maker().quiz(sp, lang, quiz_id)
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
        user = click.user_id
        opened = client.conversations_open(users=user)  # from the Home tab: no channel yet
        return (opened.get("channel") or {}).get("id")

    @app.action(TOUR_START)
    @contained
    def on_start(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        user = click.user_id
        position = deps.state.tour_position(user) if click.value != "pick" else None
        if position and position.subprogramme in guide().read.programme.subprogrammes:
            message = show_step(
                user, position.subprogramme, position.language, position.step, position.quiz_id
            )
        else:
            message = pick_message(guide())
        if click.value == "pick" and click.in_message:
            replace(respond, message)  # "Other division" on a tour message: the pick, in place
            return
        channel = dm_channel(click, client)
        if channel:
            # In an assistant thread the tour goes into that thread; elsewhere, the DM itself.
            client.chat_postMessage(
                channel=channel, thread_ts=click.thread_ts, blocks=message.blocks, text=message.text
            )

    @app.action(re.compile(rf"^{TOUR_PICK}:({'|'.join(languages.answered())})$"))
    @contained
    def on_pick(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        with suppress(StaleButton):
            t, _ = clicked(click, respond, 2)
            deps.state.save_tour(click.user_id, t.subprogramme, t.language, 0, None)
            replace(respond, card_message(t, 0))

    @app.action(re.compile(rf"^{TOUR_NAV}:(back|next)$"))
    @contained
    def on_nav(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        with suppress(StaleButton):
            t, (step,) = clicked(click, respond, 3)
            index = _number(step, len(t.cards), respond)
            deps.state.save_tour(click.user_id, t.subprogramme, t.language, index, None)
            replace(respond, card_message(t, index))

    @app.action(QUIZ_START)
    @contained
    def on_quiz_start(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        with suppress(StaleButton):
            t, _ = clicked(click, respond, 2)
            quiz_id = uuid.uuid4().hex[:12]
            quiz = maker().quiz(t.subprogramme, t.language, quiz_id)
            user = click.user_id
            deps.state.save_tour(user, t.subprogramme, t.language, QUIZ_STEP, quiz_id)
            replace(respond, question_message(t, quiz_id, quiz[0], 0, len(quiz)))

    @app.action(re.compile(rf"^{QUIZ_ANSWER}:[0-3]$"))
    @contained
    def on_answer(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        with suppress(StaleButton):
            t, (quiz_id, position, choice) = clicked(click, respond, 5)
            quiz = maker().quiz(t.subprogramme, t.language, quiz_id)
            index = _number(position, len(quiz), respond)
            shown = quiz[index]
            chosen = _number(choice, len(shown.choices), respond)
            # The first answer stands, kept with the tour's state; the feedback store gets a copy
            # through the outbox (outbox.py), so its outages never touch a click.
            stands, new = deps.state.first_quiz_answer(
                QuizAnswer(
                    quiz_id=quiz_id,
                    position=index,
                    user_id=click.user_id,
                    channel_id=click.channel.id if click.channel else None,
                    subprogramme=t.subprogramme,
                    language=t.language,
                    question_key=shown.question.key,
                    kind=shown.question.kind,
                    choice_key=shown.choices[chosen].key,
                    correct=chosen == shown.answer,
                )
            )
            if new:
                put_quiz_answer(deps.state, stands)
                deps.wake_courier()
            # A second click on an old copy shows the first answer.
            chosen = next(
                (i for i, c in enumerate(shown.choices) if c.key == stands.choice_key), chosen
            )
            replace(respond, answer_message(t, quiz_id, shown, index, len(quiz), chosen))

    @app.action(QUIZ_NEXT)
    @contained
    def on_next(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.model_validate(body)
        user = click.user_id
        with suppress(StaleButton):
            t, (quiz_id, position) = clicked(click, respond, 4)
            quiz = maker().quiz(t.subprogramme, t.language, quiz_id)
            index = _number(position, len(quiz) + 1, respond)
            if index < len(quiz):
                deps.state.save_tour(user, t.subprogramme, t.language, QUIZ_STEP + index, quiz_id)
                replace(respond, question_message(t, quiz_id, quiz[index], index, len(quiz)))
                return
            answered = {a.position: a.correct for a in deps.state.quiz_answers(quiz_id, user)}
            deps.state.end_tour(user)  # done: "Take the tour" starts with the pick again
            results = [(shown, answered.get(i, False)) for i, shown in enumerate(quiz)]
            replace(respond, score_message(t, results))
