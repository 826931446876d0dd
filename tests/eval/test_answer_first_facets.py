"""The answer-first path where what a question asks decides the answer: its facet, read by
the real model from the question bank (corpus/questions/), so these run in the eval tier."""

from __future__ import annotations

import pytest

from bot.pipeline import Pipeline
from bot.question.answer_type import (
    ACTION,
    ARTICLE,
    BODY,
    DATE,
    LATER,
    MONEY,
    NUMBER,
    PERSON,
    RESOLUTION,
    STAFF,
    UNIT,
    VOTE,
    YES_NO,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What's the department's budget for the biennium?", MONEY),
        ("How many staff does the Electoral Assistance Division have?", STAFF),
        ("Who is the current Under-Secretary-General?", PERSON),
        ("Who chairs the Counter-Terrorism Committee now?", PERSON),
        ("Can you book a meeting room for tomorrow?", ACTION),
        ("What is on the agenda of tomorrow's Security Council meeting?", LATER),
        ("安理会明天开会讨论什么？", LATER),
        ("Which resolution concerns the programme budget?", RESOLUTION),
        ("How many Non-Self-Governing Territories are left?", NUMBER),
        ("When was resolution 48/213 adopted?", DATE),
        ("Which Charter article is cited for conflict prevention?", ARTICLE),
        ("Which unit assists the regional divisions?", UNIT),
        ("Does our division help incoming Council members?", YES_NO),
        ("What is the objective of subprogramme 2?", None),
        ("When is the next Special Committee session?", LATER),
        ("Will the General Assembly renew the CEIRPP mandate?", VOTE),
        # The bank's own example: "Which UN agencies does the Special Coordinator coordinate
        # with?" asks for partners; its bodies are what a typed answer looks for.
        ("Who does the Special Coordinator coordinate with?", BODY),
        ("Which year did the General Assembly first consider Palestine?", DATE),
    ],
)
def test_expected_answer_type(pipeline: Pipeline, question: str, kind: str | None) -> None:
    """The type comes from the question's facet, learned from the bank (corpus/questions/):
    even the fake encoder's trigram vectors carry these phrasings to the right facet."""
    (analysis,) = pipeline.retriever.analyser.read(question)
    assert analysis.answer_type == kind, analysis.reading


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("What's the department's budget for the biennium?", "no budget or cost figures"),
        ("How many staff does the Electoral Assistance Division have?", "no staff numbers"),
        ("Who is the current Under-Secretary-General?", "not the people who hold office"),
        # An action, not a question about the text: declined as one ("cannot" alone would
        # accept any refusal, whatever its reason).
        ("Can you book a meeting room for tomorrow?", "only answer from the programme text"),
        ("安理会明天开会讨论什么？", "是一份计划"),
    ],
)
def test_near_topic_questions_are_declined_in_one_line(
    pipeline: Pipeline, question: str, reason: str
) -> None:
    answer = pipeline.ask(question)
    assert answer.abstained and not answer.sources and not answer.mandates
    assert reason in answer.answer.splitlines()[0]
    assert answer.language == ("zh" if "安理会" in question else "en")


def test_an_ordinal_resolves_against_the_previous_list(pipeline: Pipeline) -> None:
    listing = pipeline.ask("列出次级方案4的授权文书")
    third = pipeline.ask("第三个是什么？", previous=listing)
    assert third.mandates[0].symbol == listing.mandates[2].symbol == "1654 (XVI)"
    six = pipeline.ask("What are the six subprogrammes?")
    fourth = pipeline.ask("Which unit is responsible for the fourth one?", previous=six)
    assert "Decolonization Unit" in fourth.answer.splitlines()[0]


def test_a_date_lookup_leads_with_the_date_from_the_sentence(pipeline: Pipeline) -> None:
    answer = pipeline.ask("When was resolution 48/213 adopted?")
    assert answer.answer.startswith("21 December 1993 — ")
    assert "(para. 2.13, unofficial translation)" in answer.answer.splitlines()[0]
    assert answer.mandates[0].symbol == "48/213"
    zh = pipeline.ask("第3376(XXX)号决议是哪天通过的？")
    assert zh.answer.startswith("1975 年 11 月 10 日。")
