"""Whole questions whose answers rest on what they ask (their facet, read by the real model
from the question bank, corpus/questions/): the eval tier."""

from __future__ import annotations

from bot.pipeline import Pipeline


def test_a_list_is_complete(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Which mandates does subprogramme 4 have?")
    assert len(answer.mandates) == 18
    assert answer.answer.splitlines()[0].startswith("Subprogramme 4: Decolonization has 18")
    assert all(m.symbol in answer.answer for m in answer.mandates)


def test_a_newcomer_gets_a_unit_card(pipeline: Pipeline) -> None:
    card = pipeline.ask("I just joined SCAD. What does my division do?")
    text = card.answer
    assert text.startswith("Security Council Affairs Division (安全理事会事务司)")
    for item in ("sanctions committees", "Counter-Terrorism Committee", "Military Staff Committee"):
        assert item in text  # the bodies it serves
    assert "“smart” sanctions" in text and "new members" in text  # each clause once
    assert text.count("Issuing meeting documents") == 1
    assert "Objective: To facilitate" in text and "Measured by:" in text
    # Six mandates: few enough to be named on the card.
    assert "Mandates: Charter" in text and "1373 (2001)" in text
    assert "tour" in text


def test_a_yes_no_question_about_the_text_gets_no_when_it_holds_no_such_thing(
    pipeline: Pipeline,
) -> None:
    answer = pipeline.ask("Does the programme give the number of staff in EAD?")
    assert answer.answer.startswith("No: ")
    assert not answer.answer.startswith("Yes")


def test_time_words_about_the_asker_are_no_later_events(pipeline: Pipeline) -> None:
    card = pipeline.ask("Starting in the decolonization team next week, what will I work on?")
    assert not card.abstained
    assert card.answer.startswith("Decolonization Unit (非殖民化股)")
