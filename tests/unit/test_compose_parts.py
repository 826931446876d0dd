"""A multi-part answer prints each line once (bot/compose/composer.py)."""

from __future__ import annotations

from bot.compose.composer import _notes, _notes_last, _once


def test_a_line_two_parts_share_is_printed_once() -> None:
    first = "UNODC — …work together with UNODC… (para. 2.4).\n1373 (2001): Measures…"
    second = "1373 (2001) — …work together… (para. 2.4).\n1373 (2001): Measures…"
    assert _once([first, second]) == [first, "1373 (2001) — …work together… (para. 2.4)."]


def test_a_part_with_nothing_new_adds_nothing() -> None:
    assert _once(["a\nb", "b", "c"]) == ["a\nb", "c"]


def test_a_translation_note_comes_once_after_the_last_part() -> None:
    notes = _notes("en")
    note = next(iter(n for n in notes if "titles" in n))
    first = f"Subprogramme 4 has 18 mandates:\n• 1514 (XV)\n{note}"
    second = "Indicators of Subprogramme 4:\n• (i) …"
    joined = _notes_last(_once([first, second]), notes)
    assert joined.splitlines()[-1] == note
    assert joined.count(note) == 1
    assert joined.index("Indicators") < joined.index(note)


def test_a_language_without_notes_keeps_its_lines() -> None:
    assert _notes("zh") == frozenset()
    assert _notes_last(["甲\n乙", "丙"], _notes("zh")) == "甲\n乙\n丙"
