"""The guided tour and its self-check, called as plain functions: each click's message replaces
the last one through respond, and the position and answers are kept in the state store."""

from __future__ import annotations

from unittest.mock import Mock

import pytest
from listener_fakes import CHANNEL, USER, FakeAck, Recorder, click

from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.listeners.tour.buttons import QUIZ_STEP
from bot.surfaces.slack.listeners.tour.cards import on_nav, on_pick
from bot.surfaces.slack.listeners.tour.self_check import on_answer, on_next, on_quiz_start
from bot.surfaces.slack.listeners.tour.start import on_start
from bot.surfaces.slack.runtime.deps import Deps
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


def replaced_by(message: Message) -> dict:
    return {"replace_original": True, "blocks": message.blocks, "text": message.text}


def test_take_the_tour_posts_the_pick_in_the_dm(
    deps: Deps, tours: Tours, ack: FakeAck, client: Mock, respond: Recorder
) -> None:
    body = click(TOUR_START, "resume")
    on_start(ack=ack, body=body, client=client, respond=respond, deps=deps, tours=tours)
    assert ack.calls == [{}]
    pick = pick_message(tours.guide)
    client.chat_postMessage.assert_called_once_with(
        channel=CHANNEL, thread_ts=None, blocks=pick.blocks, text=pick.text
    )
    assert respond.calls == []


def test_take_the_tour_from_the_home_tab_opens_the_dm_first(
    deps: Deps, tours: Tours, ack: FakeAck, client: Mock, respond: Recorder
) -> None:
    body = click(TOUR_START, "resume", channel=None, in_message=False)
    on_start(ack=ack, body=body, client=client, respond=respond, deps=deps, tours=tours)
    client.conversations_open.assert_called_once_with(users=USER)
    assert client.chat_postMessage.call_args.kwargs["channel"] == "D0OPENEDDM"


def test_a_pick_shows_the_first_card_and_take_the_tour_resumes_at_the_card_reached(
    deps: Deps, tours: Tours, client: Mock, respond: Recorder
) -> None:
    given = {"respond": respond, "deps": deps, "tours": tours}
    on_pick(ack=FakeAck(), body=click(f"{TOUR_PICK}:fr", "3:fr"), **given)
    tour = tours.guide.tour(3, "fr")
    assert respond.calls == [replaced_by(card_message(tour, 0))]
    on_nav(ack=FakeAck(), body=click(f"{TOUR_NAV}:next", "3:fr:2"), **given)
    assert respond.calls[-1] == replaced_by(card_message(tour, 2))
    position = deps.state.tour_position(USER)
    assert position is not None
    assert (position.subprogramme, position.language, position.step) == (3, "fr", 2)
    on_start(ack=FakeAck(), body=click(TOUR_START, "resume"), client=client, **given)
    resumed = card_message(tour, 2, resumed=True)
    assert client.chat_postMessage.call_args.kwargs["blocks"] == resumed.blocks


def test_other_division_on_a_tour_message_puts_the_pick_in_its_place(
    deps: Deps, tours: Tours, ack: FakeAck, client: Mock, respond: Recorder
) -> None:
    deps.state.save_tour(USER, 3, "en", 2, None)
    given = {"client": client, "respond": respond, "deps": deps, "tours": tours}
    on_start(ack=ack, body=click(TOUR_START, "pick"), **given)
    assert respond.calls == [replaced_by(pick_message(tours.guide))]
    client.chat_postMessage.assert_not_called()


@pytest.mark.parametrize(
    "value", ["3:fr:99", "3:fr:²", "9:fr:1", "3:xx:1", "3:fr", "3:fr:1:extra", "x"]
)
def test_a_stale_nav_button_gets_the_out_of_date_notice(
    deps: Deps, tours: Tours, ack: FakeAck, respond: Recorder, value: str
) -> None:
    on_nav(ack=ack, body=click(f"{TOUR_NAV}:next", value), respond=respond, deps=deps, tours=tours)
    assert ack.calls == [{}]
    assert respond.calls == [replaced_by(expired_message())]
    assert deps.state.tour_position(USER) is None


def test_the_self_check_from_first_question_to_score(
    deps: Deps, tours: Tours, respond: Recorder
) -> None:
    on_quiz_start(
        ack=FakeAck(), body=click(QUIZ_START, "2:en"), respond=respond, deps=deps, tours=tours
    )
    tour = tours.guide.tour(2, "en")
    position = deps.state.tour_position(USER)
    assert position is not None and position.step == QUIZ_STEP and position.quiz_id
    quiz_id = position.quiz_id
    quiz = tours.maker.quiz(2, "en", quiz_id)
    assert respond.calls == [replaced_by(question_message(tour, quiz_id, quiz[0], 0, len(quiz)))]

    right = quiz[0].answer
    wrong = (right + 1) % len(quiz[0].choices)
    answer = click(f"{QUIZ_ANSWER}:{right}", f"2:en:{quiz_id}:0:{right}")
    on_answer(ack=FakeAck(), body=answer, respond=respond, deps=deps, tours=tours)
    shown = answer_message(tour, quiz_id, quiz[0], 0, len(quiz), right)
    assert respond.calls[-1] == replaced_by(shown)
    (item,) = deps.state.outbox_peek(10)  # a copy for the feedback store, through the outbox
    assert item.kind == "quiz" and item.payload["answer"]["correct"] is True
    deps.wake_courier.assert_called_once()  # type: ignore[attr-defined]

    # A second click on an old copy shows the first answer, and records nothing new.
    again = click(f"{QUIZ_ANSWER}:{wrong}", f"2:en:{quiz_id}:0:{wrong}")
    on_answer(ack=FakeAck(), body=again, respond=respond, deps=deps, tours=tours)
    assert respond.calls[-1] == replaced_by(shown)
    assert len(deps.state.outbox_peek(10)) == 1

    nxt = click(QUIZ_NEXT, f"2:en:{quiz_id}:1")
    on_next(ack=FakeAck(), body=nxt, respond=respond, deps=deps, tours=tours)
    assert respond.calls[-1] == replaced_by(question_message(tour, quiz_id, quiz[1], 1, len(quiz)))

    end = click(QUIZ_NEXT, f"2:en:{quiz_id}:{len(quiz)}")
    on_next(ack=FakeAck(), body=end, respond=respond, deps=deps, tours=tours)
    results = [(shown, i == 0) for i, shown in enumerate(quiz)]  # only the first was answered
    assert respond.calls[-1] == replaced_by(score_message(tour, results))
    assert deps.state.tour_position(USER) is None  # done: the next tour starts with the pick


def test_take_the_tour_in_the_middle_of_the_self_check_shows_the_question_reached(
    deps: Deps, tours: Tours, client: Mock, respond: Recorder
) -> None:
    quiz_id = "0123456789ab"
    deps.state.save_tour(USER, 5, "zh", QUIZ_STEP + 1, quiz_id)
    given = {"client": client, "respond": respond, "deps": deps, "tours": tours}
    on_start(ack=FakeAck(), body=click(TOUR_START, "resume"), **given)
    quiz = tours.maker.quiz(5, "zh", quiz_id)
    expected = question_message(tours.guide.tour(5, "zh"), quiz_id, quiz[1], 1, len(quiz))
    assert client.chat_postMessage.call_args.kwargs["blocks"] == expected.blocks
