"""Feedback stores: the same behaviour from SQLite (default) and from a real PostgreSQL server
(DATABASE_URL), for votes and for the tour's self-check answers; the PostgreSQL store's life
through a database restart; and `programme-bot feedback` summarising either."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from real_servers import PostgresServer, free_port

from bot.answer import Answer, MandateRef, Source
from bot.settings import REPO_ROOT, Settings
from bot.stores import open_feedback
from bot.stores.feedback import Feedback, FeedbackUnavailable, QuizAnswer, format_summary
from bot.stores.feedback.postgres import PostgresFeedbackStore, where
from bot.stores.feedback.sqlite import FeedbackStore

ANSWER = Answer(
    question="What is 1373 (2001)?",
    language="en",
    answer="Counter-terrorism.",
    abstained=False,
    sources=[Source("2.4", "para. 2.4", "Overall orientation", None, "text", 0.8)],
    mandates=[MandateRef("1373 (2001)", "Security Council", "标题", "Title", [3])],
)
ABSTAINED = Answer(
    question="法国的首都是哪里？", language="zh", answer="方案不涉及这个问题。", abstained=True
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Feedback]:
    if request.param == "sqlite":
        opened = open_feedback(Settings(feedback_db=tmp_path / "f.sqlite3"))
        assert isinstance(opened, FeedbackStore)
    else:
        url = request.getfixturevalue("postgres_url")
        opened = open_feedback(Settings(feedback_db=tmp_path / "unused", database_url=url))
        assert isinstance(opened, PostgresFeedbackStore)
        assert not (tmp_path / "unused").exists()
    try:
        yield opened
    finally:
        opened.close()


def test_one_vote_per_person_and_reason_only_from_the_voter(store: Feedback) -> None:
    first = store.record("up", "a1", ANSWER, "U1", "C1")
    assert store.record("down", "a1", ANSWER, "U1", "C1") == first  # changed their mind
    store.record("up", "a1", ANSWER, "U2", "C1")
    assert not store.add_reason(first, "U2", "not yours")
    assert not store.add_reason(first, "U1", "   ")
    assert store.add_reason(first, "U1", "missed para 2.5")

    summary = store.summary()
    assert (summary.total, summary.up, summary.down, summary.with_reason) == (2, 1, 1, 1)
    assert summary.sources_down == [("2.4", 1)]
    text = format_summary(summary)
    assert "👎 1" in text and "missed para 2.5" in text and "2.4" in text


def test_votes_keep_what_the_answer_said(store: Feedback) -> None:
    store.record("down", "a2", ABSTAINED, "U1", "D1")
    store.record("down", "gone", None, "U1", None)  # the answer had expired: still counted
    store.record("up", "a3", ANSWER, "U3", "C1")
    votes = {v.question: v for v in store.votes()}
    assert votes["法国的首都是哪里？"].abstained is True
    assert votes[""].abstained is None and votes[""].source_ids == []
    assert votes[ANSWER.question].source_ids == ["2.4"]
    assert all(len(v.created_at) == 25 and v.created_at.endswith("+00:00") for v in votes.values())
    summary = store.summary()
    assert (summary.down, summary.abstained_down) == (2, 1)
    assert "👎 on abstentions: 1" in format_summary(summary)


def test_an_unknown_rating_is_refused(store: Feedback) -> None:
    with pytest.raises(ValueError, match="rating must be one of"):
        store.record("meh", "a1", ANSWER, "U1", "C1")
    assert store.summary().total == 0
    assert format_summary(store.summary()) == "No feedback yet."


def _quiz_answer(position: int, choice: str, correct: bool, user: str = "U1") -> QuizAnswer:
    return QuizAnswer(
        "0123456789ab", position, user, "D1", 3, "en", f"title:{position}", "title", choice, correct
    )


def test_the_first_answer_to_a_quiz_question_stands(store: Feedback) -> None:
    first = store.record_quiz_answer(_quiz_answer(0, "58/109", True))
    second = store.record_quiz_answer(_quiz_answer(0, "58/110", False))  # an old message, clicked
    assert first == second == _quiz_answer(0, "58/109", True)
    store.record_quiz_answer(_quiz_answer(1, "57/5", False))
    store.record_quiz_answer(_quiz_answer(0, "57/5", False, user="U2"))  # someone else's quiz row
    assert store.quiz_answers("0123456789ab", "U1") == [
        _quiz_answer(0, "58/109", True),
        _quiz_answer(1, "57/5", False),
    ]
    assert store.quiz_answers("another-quiz", "U1") == []
    summary = store.summary()
    assert (summary.total, summary.quiz_answers, summary.quiz_right) == (0, 3, 1)
    assert dict(summary.quiz_missed) == {"title:1": 1, "title:0": 1}
    text = format_summary(summary)
    assert text.startswith("Feedback: 0 votes")  # self-check answers alone are not "no feedback"
    assert "Tour self-check: 3 answers, 33% right · most missed: title:" in text


def test_votes_and_quiz_answers_summarise_together(store: Feedback) -> None:
    store.record("down", "a1", ANSWER, "U1", "C1")
    store.record_quiz_answer(_quiz_answer(0, "58/109", True))
    summary = store.summary()
    assert (summary.total, summary.down, summary.quiz_answers, summary.quiz_right) == (1, 1, 1, 1)
    assert summary.quiz_missed == []
    assert "Tour self-check: 1 answers, 100% right\n" in format_summary(summary)


def test_replicas_answering_at_once_keep_the_first_quiz_answer(postgres_url: str) -> None:
    """Two clicks on copies of one question, handled by different replicas: one answer stands
    and every replica reports that one."""
    replicas = [PostgresFeedbackStore(postgres_url) for _ in range(3)]
    clicks = [(replicas[i % 3], _quiz_answer(0, f"choice-{i}", i % 2 == 0)) for i in range(30)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        stood = list(pool.map(lambda c: c[0].record_quiz_answer(c[1]), clicks))
    assert len(set(stood)) == 1
    assert replicas[1].quiz_answers("0123456789ab", "U1") == [stood[0]]
    assert replicas[2].summary().quiz_answers == 1
    for replica in replicas:
        replica.close()


def test_replicas_voting_at_once_keep_one_vote_per_person(postgres_url: str) -> None:
    """Several processes share one database: concurrent upserts of the same vote stay one row."""
    replicas = [PostgresFeedbackStore(postgres_url) for _ in range(3)]  # each creates the schema
    votes = [(replicas[i % 3], "up" if i % 2 else "down", f"U{i % 4}") for i in range(60)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(lambda v: v[0].record(v[1], "shared", ANSWER, v[2], "C1"), votes))
    assert len(set(ids)) == 4
    assert replicas[0].summary().total == 4
    for replica in replicas:
        replica.close()


def test_the_store_reconnects_after_a_database_restart(postgres: PostgresServer) -> None:
    url = postgres.new_database("restart_test")
    store = PostgresFeedbackStore(url)
    store.record("up", "a1", ANSWER, "U1", "C1")
    postgres.restart()
    store.record("down", "a2", ANSWER, "U1", "C1")  # the old connection died with the server
    assert store.summary().total == 2
    store.close()


def test_an_unreachable_database_is_one_clear_error() -> None:
    url = f"postgresql://bot:s3cret-pw@127.0.0.1:{free_port()}/feedback"
    with pytest.raises(FeedbackUnavailable) as caught:
        PostgresFeedbackStore(url)
    message = str(caught.value)
    assert message.startswith(f"cannot use the feedback database at {where(url)} (DATABASE_URL)")
    assert "s3cret-pw" not in message and "\n" not in message


def _feedback_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "feedback", *args],
        cwd=REPO_ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_cli_summarises_postgresql_from_database_url(postgres_url: str) -> None:
    store = PostgresFeedbackStore(postgres_url)
    store.record("down", "a1", ANSWER, "U1", "C1")
    store.add_reason(store.record("down", "a1", ANSWER, "U2", "C1"), "U2", "wrong paragraph")
    store.record("up", "a2", ANSWER, "U1", "C1")
    store.record_quiz_answer(_quiz_answer(0, "58/109", True))
    store.record_quiz_answer(_quiz_answer(1, "57/5", False))
    store.close()

    done = _feedback_cli(DATABASE_URL=postgres_url)
    assert done.returncode == 0, done.stderr
    assert "Feedback: 3 votes · 👍 1 · 👎 2" in done.stdout and "wrong paragraph" in done.stdout
    assert "Tour self-check: 2 answers, 50% right · most missed: title:1 (1)" in done.stdout

    as_json = _feedback_cli("--json", "--db", postgres_url)
    assert as_json.returncode == 0 and '"down": 2' in as_json.stdout
    assert '"quiz_answers": 2' in as_json.stdout


def test_the_cli_reports_a_bad_database_url_in_one_line() -> None:
    down = _feedback_cli(DATABASE_URL=f"postgresql://bot@127.0.0.1:{free_port()}/x")
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert down.stderr.startswith("programme-bot feedback: cannot use the feedback database at")

    wrong = _feedback_cli(DATABASE_URL="mysql://bot@127.0.0.1/x")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert "DATABASE_URL must be a postgresql:// URL" in wrong.stderr


def test_rows_are_plain_sql_for_other_tools(postgres_url: str) -> None:
    """Analysts query the table directly: JSON columns are real JSONB, ratings checked."""
    store = PostgresFeedbackStore(postgres_url)
    store.record("up", "a1", ANSWER, "U1", "C1")
    store.close()
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT source_ids->>0, mandate_symbols->>0 FROM feedback").fetchone()
        assert row == ("2.4", "1373 (2001)")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "INSERT INTO feedback (created_at, rating, question, source_ids, mandate_symbols,"
                " answer_id, user_id) VALUES (now(), 'meh', '', '[]', '[]', 'x', 'y')"
            )
