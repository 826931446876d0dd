"""Where a message is cut into parts (bot/question/parts.py), with a reader whose facets are
given: the cutting's logic, whatever the model reads."""

from __future__ import annotations

from bot.question import facets as f
from bot.question.parts import split_parts


def reader(table: dict[str, str | None]):
    """Reads a piece as the first key it contains (None: unsure)."""

    def read(text: str) -> f.Reading:
        for key, facet in table.items():
            if key in text:
                return f.Reading(facet, 0.9 if facet else 0.2, 0.5, facet or "")
        return f.NO_READING

    return read


def texts(question: str, table: dict[str, str | None]) -> list[str]:
    return [p.text for p in split_parts(question, reader(table))]


def test_two_questions_joined_by_and_are_two_parts_and_keep_their_words() -> None:
    table = {"budget": f.MONEY, "objective": f.OBJECTIVE}
    assert texts("What is the objective of SP2, and what is its budget?", table) == [
        "What is the objective of SP2",
        "what is its budget?",
    ]


def test_a_topic_after_and_is_not_a_question() -> None:
    """No question word opens the right side: "conflict-resolution efforts" is a topic."""
    table = {"efforts": f.MANDATES, "principle": f.PRINCIPLES}
    question = "Which principle is key to prevention and conflict-resolution efforts?"
    assert texts(question, table) == [question]


def test_two_names_stay_one_question() -> None:
    table = {"resolutions": f.MANDATES}
    assert len(texts("Which resolutions cover Jordan and Lebanon?", table)) == 1


def test_sentences_asking_the_same_thing_or_nothing_are_one_part() -> None:
    table = {"Thanks": f.FILLER, "responsible": f.RESPONSIBLE}
    assert len(texts("Who is responsible for SP1? Thanks!", table)) == 1
    table = {"new": f.ONBOARDING, "do": f.DOES}
    (part,) = split_parts("I'm new at EAD. What do we do?", reader(table))
    assert part.reading is not None and part.reading.facet == f.ONBOARDING  # the card


def test_chinese_parts_are_cut_at_a_joint_before_a_question_word() -> None:
    table = {"指标": f.INDICATORS, "目标": f.OBJECTIVE}
    assert texts("目标是什么，以及有哪些指标？", table) == ["目标是什么", "有哪些指标？"]


def test_without_a_reader_nothing_is_cut() -> None:
    assert len(split_parts("Who is responsible for SP1 and who helps them?")) == 1


def test_a_message_of_many_commas_tries_a_bounded_number_of_cuts() -> None:
    calls: list[str] = []

    def read(text: str) -> f.Reading:
        calls.append(text)
        return f.Reading(f.DETAIL, 0.9, 0.5, f.DETAIL)

    split_parts(", ".join(["what is SCAD"] * 300), read)
    assert len(calls) <= 2 * 6 + 2
