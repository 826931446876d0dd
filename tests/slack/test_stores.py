"""SQLite stores: exactly-once bookkeeping, thread memory, answers. No server.
(Feedback, in SQLite and PostgreSQL: test_feedback_stores.py.)"""

from __future__ import annotations

import time
from pathlib import Path

from bot.answer import Answer, MandateRef, Source
from bot.slack.state import DM_ROOT, EVENT_TTL_S, SlackState, answer_from_json

ANSWER = Answer(
    question="What is 1373 (2001)?", language="en", answer="Counter-terrorism.", abstained=False,
    sources=[Source("2.4", "para. 2.4", "Overall orientation", None, "text", 0.8)],
    mandates=[MandateRef("1373 (2001)", "Security Council", "标题", "Title", [3])],
)


def test_event_ids_are_handled_once_within_the_ttl(tmp_path: Path) -> None:
    state = SlackState(tmp_path / "s.sqlite3")
    now = time.time()
    assert state.first_sighting("Ev1", now)
    assert not state.first_sighting("Ev1", now + 10)
    assert state.first_sighting("Ev1", now + EVENT_TTL_S + 11)  # long forgotten


def test_a_message_is_claimed_once_even_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    assert SlackState(path).claim_message("C1", "1.1")
    assert not SlackState(path).claim_message("C1", "1.1")


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
