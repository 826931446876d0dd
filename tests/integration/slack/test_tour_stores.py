"""Where the tour keeps its state: positions in the Slack state store (they survive a new
connection, as after a restart). Self-check answers are kept beside the answer feedback, in
either feedback store: tests/integration/slack/test_feedback_stores.py."""

from __future__ import annotations

from pathlib import Path

from bot.stores.state import TourPosition
from bot.stores.state.sqlite import SlackState


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
