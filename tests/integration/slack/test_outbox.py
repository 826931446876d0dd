"""The feedback outbox and the quiz answers kept with the tour's state, in both state stores
(SQLite, and a real Redis server), and the courier delivering to a real PostgreSQL through an
outage. No Slack server: test_edge.py drives the same through the real one."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from real_servers import PostgresServer, RedisServer, running_postgres

from bot.answer import Answer
from bot.stores.feedback import FeedbackUnavailable, QuizAnswer, answer_fields
from bot.stores.feedback.postgres import PostgresFeedbackStore
from bot.stores.feedback.sqlite import FeedbackStore
from bot.stores.redis_client import connect
from bot.stores.state import StateStore
from bot.stores.state.redis import RedisSlackState
from bot.stores.state.sqlite import SlackState
from bot.surfaces.slack.runtime.outbox import (
    Courier,
    Unstorable,
    put_quiz_answer,
    put_reason,
    put_vote,
    store_away,
)

ANSWER = Answer(question="What is 58/109?", language="en", answer="…", abstained=False)
A1, A2 = "a1" * 16, "a2" * 16  # stored answers' ids: 32 hex digits


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
    put_vote(state, "up", A1, ANSWER, "U1", "C1")
    put_reason(state, A1, "U1", "good\x00 one")
    put_quiz_answer(state, quiz_answer(0, "58/109"))
    items = state.outbox_peek(10)
    assert [i.kind for i in items] == ["vote", "reason", "quiz"]
    assert items[0].payload["fields"]["question"] == ANSWER.question  # copied at the click
    assert items[1].payload == {"answer_id": A1, "user": "U1", "reason": "good one"}
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
            put_vote(state, "down", A1, ANSWER, user, "C1")
            courier.wake()
        put_reason(state, A1, "U2", "missed para 2.5")
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
        put_vote(state, "down", A1, ANSWER, "U1", "C1")
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


def test_an_item_the_store_refuses_is_quarantined_and_the_ones_behind_it_are_delivered(
    tmp_path: Path,
) -> None:
    state = SlackState(tmp_path / "state.sqlite3")
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    state.outbox_put("vote", {"rating": "meh", "answer_id": "a", "fields": {}, "user": "U"})
    put_vote(state, "up", A2, ANSWER, "U1", "C1")
    courier = Courier(state, feedback).start()
    try:
        deadline = time.monotonic() + 10
        while state.outbox_size() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.outbox_size() == 0 and feedback.summary().total == 1
        assert courier.quarantined == 1
        (dead,) = state.dead_letters()
        assert dead.kind == "vote" and dead.payload["rating"] == "meh" and dead.reason
    finally:
        courier.stop()
        feedback.close()
        state.close()


def test_nothing_that_is_no_answer_of_ours_or_too_large_reaches_the_outbox(
    tmp_path: Path,
) -> None:
    state = SlackState(tmp_path / "state.sqlite3")
    try:
        for junk in ("界" * 2000, "a1", "", "٣" * 32, "A1" * 16):
            with pytest.raises(Unstorable):
                put_vote(state, "up", junk, ANSWER, "U1", "C1")
            with pytest.raises(Unstorable):
                put_reason(state, junk, "U1", "why")
        huge = Answer(question="why " * 5000, language="en", answer="…", abstained=False)
        with pytest.raises(Unstorable):
            put_vote(state, "up", A1, huge, "U1", "C1")
        assert state.outbox_size() == 0
        put_reason(state, "12345", "U1", "an older modal's row id")  # still taken
        assert state.outbox_size() == 1
    finally:
        state.close()


@pytest.mark.parametrize(
    ("error", "away"),
    [
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (psycopg.errors.AdminShutdown("terminating connection"), True),
        (psycopg.errors.QueryCanceled("statement timeout"), True),
        (psycopg.errors.TooManyConnections("too many"), True),
        (psycopg.errors.DiskFull("no space"), True),
        (psycopg.errors.SerializationFailure("retry"), True),
        (psycopg.InterfaceError("connection is closed"), True),
        (FeedbackUnavailable("cannot use the feedback database"), True),
        (ConnectionRefusedError(), True),
        (sqlite3.OperationalError("database is locked"), True),
        # The row's fault: PostgreSQL answered, and refused it.
        (psycopg.errors.ProgramLimitExceeded("index row size 6016 exceeds maximum 2704"), False),
        (psycopg.errors.StringDataRightTruncation("value too long"), False),
        (psycopg.errors.CheckViolation("rating"), False),
        (psycopg.errors.UntranslatableCharacter("\\u0000"), False),
        (sqlite3.IntegrityError("CHECK constraint failed"), False),
        (KeyError("fields"), False),
    ],
)
def test_an_unreachable_store_is_told_from_a_refused_row(error: Exception, away: bool) -> None:
    assert store_away(error) is away


def random_cjk(chars: int, seed: int = 23) -> str:
    """Text PostgreSQL cannot compress below its index row limit (repeated text it can)."""
    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(chars))


def test_a_poison_vote_in_postgresql_is_quarantined_and_five_votes_behind_it_stored_at_once(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    """Issue 23, class 4: a 6 KB answer id (2,000 CJK characters, as a click could carry before
    intake bounded it, or an older version stored) is over PostgreSQL's B-tree row limit; the
    refusal used to read as "database unavailable" and the vote was retried forever at the head
    of the outbox, and no vote behind it was ever stored."""
    state = SlackState(tmp_path / "state.sqlite3")
    feedback = PostgresFeedbackStore(postgres_server.url)
    courier = Courier(state, feedback).start()
    try:
        poison = {
            "rating": "up",
            "answer_id": random_cjk(2000),
            "fields": answer_fields(ANSWER),
            "user": "UPOISON001",
            "channel": "C1",
        }
        state.outbox_put("vote", poison)
        started = time.monotonic()
        users = [f"U{i:09d}" for i in range(5)]
        for user in users:
            put_vote(state, "up", A1, ANSWER, user, "C1")
        courier.wake()
        deadline = started + 5.0
        while state.outbox_size() and time.monotonic() < deadline:
            time.sleep(0.05)
        stored_within = time.monotonic() - started
        assert state.outbox_size() == 0 and stored_within < 5.0
        assert feedback.summary().total == 5
        (dead,) = state.dead_letters()
        assert dead.payload["user"] == "UPOISON001" and "ProgramLimitExceeded" in dead.reason
        assert courier.quarantined == 1
    finally:
        courier.stop()
        feedback.close()
        state.close()
