"""A multi-part answer prints each line once (bot/compose/composer.py)."""

from __future__ import annotations

from bot.compose.composer import _once


def test_a_line_two_parts_share_is_printed_once() -> None:
    first = "UNODC — …work together with UNODC… (para. 2.4).\n1373 (2001): Measures…"
    second = "1373 (2001) — …work together… (para. 2.4).\n1373 (2001): Measures…"
    assert _once([first, second]) == [first, "1373 (2001) — …work together… (para. 2.4)."]


def test_a_part_with_nothing_new_adds_nothing() -> None:
    assert _once(["a\nb", "b", "c"]) == ["a\nb", "c"]
