"""The feedback outbox and the quiz answers kept with the tour's state, in both state stores
(SQLite, and a real Redis server), and the courier delivering to a real PostgreSQL through an
outage. No Slack server: test_edge.py drives the same through the real one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from real_servers import PostgresServer, RedisServer, running_postgres

from bot.answer import Answer
from bot.stores.feedback import QuizAnswer
from bot.stores.feedback.postgres import PostgresFeedbackStore
from bot.stores.feedback.sqlite import FeedbackStore
from bot.stores.redis_client import connect
from bot.stores.state import StateStore
from bot.stores.state.redis import RedisSlackState
from bot.stores.state.sqlite import SlackState
from bot.surfaces.slack.runtime.outbox import Courier, put_quiz_answer, put_reason, put_vote

ANSWER = Answer(question="What is 58/109?", language="en", answer="…", abstained=False)


def quiz_answer(position: int, choice: str) -> QuizAnswer:
    return QuizAnswer("0123456789ab", position, "U1", "D1", 3, "en", "k", "title", choice, True)


@pytest.fixture(params=["sqlite", "redis"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    if request.param == "sqlite":
        store: StateStore = SlackState(tmp_path / "state.sqlite3")
    else:
        redis_server: RedisServer = request.getfixturevalue("redis_server")
        store = RedisSlackState(connect(redis_server.url))
    try:
        yield store
    finally:
        store.close()


def test_the_outbox_keeps_order_until_items_are_crossed_off(state: StateStore) -> None:
    put_vote(state, "up", "a1", ANSWER, "U1", "C1")
    put_reason(state, "a1", "U1", "good\x00 one")
    put_quiz_answer(state, quiz_answer(0, "58/109"))
    items = state.outbox_peek(10)
    assert [i.kind for i in items] == ["vote", "reason", "quiz"]
    assert items[0].payload["fields"]["question"] == ANSWER.question  # copied at the click
    assert items[1].payload == {"answer_id": "a1", "user": "U1", "reason": "good one"}
    state.outbox_done(items[0].id)
    assert [i.kind for i in state.outbox_peek(10)] == ["reason", "quiz"]
    assert state.outbox_size() == 2


def test_one_courier_holds_the_lease_until_it_lapses(state: StateStore) -> None:
    assert state.hold_lease("courier", "A", 0.5)
    assert not state.hold_lease("courier", "B", 0.5)
    assert state.hold_lease("courier", "A", 0.5)  # renewed
    time.sleep(0.7)
    assert state.hold_lease("courier", "B", 0.5)  # A stopped renewing


def test_the_first_answer_to_a_quiz_question_stands_in_the_state(state: StateStore) -> None:
    first, new = state.first_quiz_answer(quiz_answer(1, "58/109"))
    again, new_again = state.first_quiz_answer(quiz_answer(1, "57/5"))
    assert new and not new_again and again == first == quiz_answer(1, "58/109")
    state.first_quiz_answer(quiz_answer(0, "57/5"))
    assert [a.position for a in state.quiz_answers("0123456789ab", "U1")] == [0, 1]
    assert state.quiz_answers("0123456789ab", "U2") == []


@pytest.fixture()
def postgres_server() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


def test_the_courier_waits_out_a_database_outage_and_delivers_each_item_once(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    state = SlackState(tmp_path / "state.sqlite3")
    feedback = PostgresFeedbackStore(postgres_server.url)
    courier = Courier(state, feedback).start()
    try:
        postgres_server.stop()
        for user in ("U1", "U2", "U3"):
            put_vote(state, "down", "a1", ANSWER, user, "C1")
            courier.wake()
        put_reason(state, "a1", "U2", "missed para 2.5")
        put_quiz_answer(state, quiz_answer(0, "58/109"))
        time.sleep(1.5)
        assert state.outbox_size() == 5  # nothing delivered, nothing lost
        postgres_server.start()
        deadline = time.monotonic() + 30
        while state.outbox_size() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert state.outbox_size() == 0
        summary = feedback.summary()
        assert (summary.total, summary.down, summary.with_reason) == (3, 3, 1)
        assert summary.quiz_answers == 1
        # Delivered again (a crash between delivering and crossing off): nothing changes.
        put_vote(state, "down", "a1", ANSWER, "U1", "C1")
        put_quiz_answer(state, quiz_answer(0, "58/109"))
        courier.wake()
        deadline = time.monotonic() + 10
        while state.outbox_size() and time.monotonic() < deadline:
            time.sleep(0.1)
        again = feedback.summary()
        assert (again.total, again.quiz_answers) == (3, 1)
    finally:
        courier.stop()
        feedback.close()
        state.close()


def test_an_item_that_can_never_be_delivered_is_dropped_not_retried(tmp_path: Path) -> None:
    state = SlackState(tmp_path / "state.sqlite3")
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    state.outbox_put("vote", {"rating": "meh", "answer_id": "a", "fields": {}, "user": "U"})
    put_vote(state, "up", "a2", ANSWER, "U1", "C1")
    courier = Courier(state, feedback).start()
    try:
        deadline = time.monotonic() + 10
        while state.outbox_size() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.outbox_size() == 0 and feedback.summary().total == 1
    finally:
        courier.stop()
        feedback.close()
        state.close()
