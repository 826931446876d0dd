"""The terminal chat draws the map when asked for it, and answers questions as before."""

from __future__ import annotations

import io
from pathlib import Path

from bot.onboarding.map.draw import MapRequest, png_size
from bot.surfaces.terminal.chat import chat, draw_map


def test_a_map_request_in_the_chat_writes_the_png_and_says_it_in_words(
    fake_pipeline, tmp_path: Path
) -> None:
    said = draw_map(fake_pipeline, MapRequest("zh", 3), tmp_path)
    written = tmp_path / "programme-map-sp3-zh.png"
    assert png_size(written.read_bytes())[0] >= 1200
    assert str(written) in said and "安全理事会事务司" in said
    refused = draw_map(fake_pipeline, MapRequest("en", 9), tmp_path)
    assert (
        refused == "bot> Cannot draw the map: there is no subprogramme 9; the programme has 1 to 6"
    )


def test_the_chat_loop_sends_map_requests_to_the_map_and_questions_to_the_pipeline(
    fake_pipeline,
) -> None:
    out = io.StringIO()
    chat(fake_pipeline, stdin=io.StringIO("programme map\nWhat is 1373 (2001)?\n"), stdout=out)
    said = out.getvalue()
    assert "programme-map.png" in said and "Map of Programme 2" in said
    assert "1373" in said.split("Map of Programme 2", 1)[1]  # the question got its answer
