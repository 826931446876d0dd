"""The tour's self-check: a quiz of five questions on the division toured, one answer per
question (the first stands, kept with the tour's state and copied to the feedback store through
the outbox), and the score."""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Any

from slack_bolt import Ack, Respond

from bot.stores.feedback import QuizAnswer
from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.listeners.tour.buttons import (
    QUIZ_STEP,
    StaleButton,
    clicked,
    number,
    replace,
)
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.outbox import put_quiz_answer
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.tour import answer_message, question_message, score_message


@contained
def on_quiz_start(
    ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps, tours: Tours
) -> None:
    ack()
    click = Click.model_validate(body)
    with suppress(StaleButton):
        t, _ = clicked(tours, click, respond, 2)
        quiz_id = uuid.uuid4().hex[:12]
        quiz = tours.maker.quiz(t.subprogramme, t.language, quiz_id)
        user = click.user_id
        deps.state.save_tour(user, t.subprogramme, t.language, QUIZ_STEP, quiz_id)
        replace(respond, question_message(t, quiz_id, quiz[0], 0, len(quiz)))


@contained
def on_answer(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps, tours: Tours) -> None:
    ack()
    click = Click.model_validate(body)
    with suppress(StaleButton):
        t, (quiz_id, position, choice) = clicked(tours, click, respond, 5)
        quiz = tours.maker.quiz(t.subprogramme, t.language, quiz_id)
        index = number(position, len(quiz), respond)
        shown = quiz[index]
        chosen = number(choice, len(shown.choices), respond)
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


@contained
def on_next(ack: Ack, body: dict[str, Any], respond: Respond, deps: Deps, tours: Tours) -> None:
    ack()
    click = Click.model_validate(body)
    user = click.user_id
    with suppress(StaleButton):
        t, (quiz_id, position) = clicked(tours, click, respond, 4)
        quiz = tours.maker.quiz(t.subprogramme, t.language, quiz_id)
        index = number(position, len(quiz) + 1, respond)
        if index < len(quiz):
            deps.state.save_tour(user, t.subprogramme, t.language, QUIZ_STEP + index, quiz_id)
            replace(respond, question_message(t, quiz_id, quiz[index], index, len(quiz)))
            return
        answered = {a.position: a.correct for a in deps.state.quiz_answers(quiz_id, user)}
        deps.state.end_tour(user)  # done: "Take the tour" starts with the pick again
        results = [(shown, answered.get(i, False)) for i, shown in enumerate(quiz)]
        replace(respond, score_message(t, results))
