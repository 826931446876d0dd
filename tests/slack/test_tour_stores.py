"""Where the tour keeps its state: positions in the Slack state store (they survive a new
connection, as after a restart), self-check answers beside the answer feedback."""

from __future__ import annotations

from pathlib import Path

from bot.slack.feedback import FeedbackStore, QuizAnswer, format_summary
from bot.slack.state import SlackState, TourPosition


def _answer(position: int, choice: str, correct: bool, user: str = "U1") -> QuizAnswer:
    return QuizAnswer(
        "0123456789ab", position, user, "D1", 3, "en", f"title:{position}", "title", choice, correct
    )


def test_a_tour_position_survives_a_reopened_store_and_ends_with_the_tour(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    state = SlackState(path)
    assert state.tour_position("U1") is None
    state.save_tour("U1", 3, "en", 2, None)
    state.save_tour("U1", 4, "zh", 101, "0123456789ab")  # moving on overwrites
    state.close()
    again = SlackState(path)
    assert again.tour_position("U1") == TourPosition(4, "zh", 101, "0123456789ab")
    assert again.tour_position("U2") is None
    again.end_tour("U1")
    assert again.tour_position("U1") is None
    again.close()


def test_the_first_answer_to_a_quiz_question_stands(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    first = store.record_quiz_answer(_answer(0, "58/109", True))
    second = store.record_quiz_answer(_answer(0, "58/110", False))  # an old message, clicked
    assert first == second and second.choice_key == "58/109" and second.correct
    store.record_quiz_answer(_answer(1, "57/5", False))
    store.record_quiz_answer(_answer(0, "57/5", False, user="U2"))  # someone else's quiz row
    assert [a.position for a in store.quiz_answers("0123456789ab", "U1")] == [0, 1]
    summary = store.summary()
    assert (summary.quiz_answers, summary.quiz_right) == (3, 1)
    assert dict(summary.quiz_missed) == {"title:1": 1, "title:0": 1}
    assert "Tour self-check: 3 answers, 33% right" in format_summary(summary)
    store.close()
