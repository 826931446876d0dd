"""Where a question's words stand in a sentence (bot/search/facts.py): what puts a fact near
the question."""

from __future__ import annotations

from bot.search.facts import _word_pattern


def test_a_short_word_matches_only_as_a_whole_word() -> None:
    text = "2.2 the objectives of the programme are designed around six subprogrammes"
    assert not _word_pattern("prog").search(text)  # "per the prog 2 text" names the source
    assert not _word_pattern("24").search("in 1244 and 2424")
    assert _word_pattern("six").search(text)
    assert _word_pattern("nsgt").search("the nsgts remaining")


def test_a_long_word_matches_a_longer_word_from_its_start() -> None:
    assert _word_pattern("assist").search("with the assistance of the unit")
    assert not _word_pattern("sistan").search("with the assistance of the unit")
    assert _word_pattern("协助").search("政策规划股将提供协助")


def test_a_word_inside_an_item_counts_only_when_it_names_its_kind() -> None:
    from bot.search.facts import Item, _inside, _kind_word

    text = "the Department of Political Affairs and the sanctions committees"
    item = Item(text="Department of Political Affairs", start=4)
    assert _inside(item, 4, 6) and _kind_word(text, 4, 6)  # "depart": the kind asked for
    assert not _kind_word(text, 44, 8)  # "sanction" names no kind of unit
