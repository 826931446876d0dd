"""SQLite stores: exactly-once bookkeeping, thread memory, answers. No server.
(Feedback, in SQLite and PostgreSQL: test_feedback_stores.py.)"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bot.answer import Answer, MandateRef, Source
from bot.stores.feedback import FeedbackUnavailable
from bot.stores.feedback.sqlite import FeedbackStore
from bot.stores.sqlite_db import open_bookkeeping
from bot.stores.state import DM_ROOT, answer_from_json
from bot.stores.state.sqlite import SlackState
from bot.stores.work import EVENT_TTL_S, Job
from bot.stores.work.sqlite import WORK_SCHEMA, SqliteWorkQueue

ANSWER = Answer(
    question="What is 1373 (2001)?",
    language="en",
    answer="Counter-terrorism.",
    abstained=False,
    sources=[Source("2.4", "para. 2.4", "Overall orientation", None, "text", 0.8)],
    mandates=[MandateRef("1373 (2001)", "Security Council", "标题", "Title", [3])],
)


def test_event_ids_are_handled_once_within_the_ttl(tmp_path: Path, monkeypatch) -> None:
    queue = SqliteWorkQueue(open_bookkeeping(tmp_path / "s.sqlite3", WORK_SCHEMA))
    assert not queue.seen("Ev1")
    assert queue.seen("Ev1")
    later = time.time() + EVENT_TTL_S + 11
    monkeypatch.setattr(time, "time", lambda: later)
    assert not queue.seen("Ev1")  # long forgotten


def test_a_message_is_claimed_by_one_job_which_keeps_it_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    assert SlackState(path).claim_message("C1", "1.1", "Ev1")
    assert not SlackState(path).claim_message("C1", "1.1", "Ev2")  # the other delivery
    assert SlackState(path).claim_message("C1", "1.1", "Ev1")  # Ev1 resumed after a crash


def test_threads_and_their_last_answer_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    state = SlackState(path)
    state.remember_thread("C1", "1.1", "channel")
    answer_id = state.save_answer(ANSWER, "C1", "U1")
    state.set_thread_answer("C1", "1.1", "channel", answer_id)
    state.close()

    reopened = SlackState(path)
    assert reopened.thread_kind("C1", "1.1") == "channel"
    assert reopened.thread_kind("C1", "9.9") is None
    assert reopened.previous_answer("C1", "1.1") == ANSWER
    assert reopened.load_answer(answer_id) == ANSWER
    assert reopened.load_answer("missing") is None


def test_a_top_level_dm_follows_up_only_on_a_recent_answer(tmp_path: Path) -> None:
    state = SlackState(tmp_path / "s.sqlite3")
    state.set_thread_answer("D1", DM_ROOT, "dm", state.save_answer(ANSWER, "D1", "U1"))
    assert state.previous_answer("D1", DM_ROOT, max_age_s=60) == ANSWER
    assert state.previous_answer("D1", DM_ROOT, max_age_s=-1) is None


def test_answer_from_json_ignores_fields_it_does_not_know() -> None:
    data = ANSWER.to_json() | {"new_field": 1}
    data["sources"][0]["extra"] = "x"
    assert answer_from_json(data) == ANSWER


# ----------------------------------------------------------------------------- the work queue
# The contract every WorkQueue keeps (the workers rely on nothing else).


def _queue(tmp_path: Path) -> SqliteWorkQueue:
    return SqliteWorkQueue(open_bookkeeping(tmp_path / "s.sqlite3", WORK_SCHEMA))


def _job(job_id: str, lane: str) -> Job:
    return Job(job_id, lane, "event", {"event": {"channel": lane}})


def test_work_is_admitted_once_per_id(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    assert queue.admit(_job("Ev1", "C1"))
    assert not queue.admit(_job("Ev1", "C1"))  # a re-delivery
    assert queue.seen("Ev1")
    assert queue.pending() == 1


def test_a_lane_runs_in_order_and_other_lanes_go_on(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    for job_id, lane in [("a1", "A"), ("a2", "A"), ("b1", "B")]:
        queue.admit(_job(job_id, lane))
    assert sorted(j.id for j in queue.take(10)) == ["a1", "b1"]  # heads only
    assert queue.take(10) == []  # A is held, B is held
    a1 = _job("a1", "A")
    a1.progress = {"reply": "kept"}
    queue.later(a1, time.time() + 60)  # rate-limited: A waits, holding its order
    assert queue.take(10) == []
    assert queue.next_due() and queue.next_due() > time.time() + 50
    queue.later(a1, time.time())
    [again] = queue.take(10)
    assert again.id == "a1" and again.progress == {"reply": "kept"} and again.attempts == 2
    queue.done(again)
    assert [j.id for j in queue.take(10)] == ["a2"]


def _finished_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_work_held_by_a_dead_process_is_released(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    queue = SqliteWorkQueue(open_bookkeeping(path, WORK_SCHEMA))
    queue.admit(_job("Ev1", "C1"))
    [taken] = queue.take(1)
    dead_pid = _finished_pid()  # as if a process that no longer exists had taken it
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE work SET owner = ? WHERE id = 'Ev1'", (f"{socket.gethostname()}:{dead_pid}",)
        )
    restarted = SqliteWorkQueue(open_bookkeeping(path, WORK_SCHEMA))
    assert restarted.take(1) == []
    assert restarted.release_abandoned() == 1
    [resumed] = restarted.take(1)
    assert resumed.id == taken.id and resumed.attempts == 2


def test_damaged_state_is_set_aside_and_damaged_feedback_refused(tmp_path: Path) -> None:
    state, feedback = tmp_path / "state.sqlite3", tmp_path / "feedback.sqlite3"
    state.write_bytes(b"garbage" * 100)
    feedback.write_bytes(b"garbage" * 100)
    SlackState(state).close()
    assert len(list(tmp_path.glob("state.sqlite3.damaged-*"))) == 1
    with pytest.raises(FeedbackUnavailable, match="feedback.sqlite3 is damaged"):
        FeedbackStore(feedback)
    assert feedback.read_bytes() == b"garbage" * 100
