"""French questions are answered in French, with French links; questions in the other UN
languages are answered in English and told so (the real model: ranking across languages)."""

from __future__ import annotations

import pytest

from bot.languages import detect
from bot.ops.evaluate import chinese_share, lead
from bot.pipeline import Pipeline

pytestmark = pytest.mark.slow


def test_a_french_question_gets_a_french_answer(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Quel est l'objectif du sous-programme 3 ?")
    first = lead(answer.answer)
    assert answer.language == "fr" and detect(first) == "fr"
    assert "Sous-programme 3, objectif" in first and "traduction non officielle" in first
    assert first.startswith("Faciliter")  # the answer, not "Objectif de l'Organisation :"
    assert chinese_share(first) < 0.15
    # Its resolutions link to their French texts (the objective above lists none, so a check
    # of its own mandates never ran).
    listing = pipeline.ask("Quels sont les mandats du sous-programme 3 ?")
    urls = [m.url or "" for m in listing.mandates]
    assert listing.language == "fr" and len(urls) == 6
    assert sum(url.startswith("https://undocs.org/fr/") for url in urls) == 5
    assert all("/fr/" in url for url in urls), urls  # the Charter too: un.org/fr/


def test_french_links_and_lists(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Quelles résolutions portent sur le Sahara occidental ?")
    assert "58/109" in [m.symbol for m in answer.mandates]
    assert answer.mandates[0].url.startswith("https://undocs.org/fr/")
    listing = pipeline.ask("Liste les mandats du sous-programme 4")
    assert len(listing.mandates) == 18 and "Assemblée générale" in listing.answer
    none = pipeline.ask(
        "Lesquelles sont des résolutions du Conseil de sécurité ?", previous=listing
    )
    assert none.answer.startswith("Aucune : les 18 sont toutes")


@pytest.mark.parametrize(
    ("question", "note"),
    [
        (
            "ما هي الشعبة المسؤولة عن البرنامج الفرعي المتعلق بقضية فلسطين؟",
            "الإجابة باللغة الإنكليزية.",
        ),
        ("Какие региональные отделы отвечают за подпрограмму 1?", "Ответ на английском языке."),
    ],
)
def test_other_un_languages_are_answered_in_english_and_told_so(
    pipeline: Pipeline, question: str, note: str
) -> None:
    answer = pipeline.ask(question)
    assert not answer.abstained and answer.language == "en"
    assert answer.answer.splitlines()[-1] == note


def test_spanish_is_answered_in_spanish_from_its_tables(pipeline: Pipeline) -> None:
    """Spanish is an answered language (its registry entry, catalogue and tables): no note."""
    answer = pipeline.ask("¿Qué resoluciones tratan del Sáhara Occidental?")
    assert not answer.abstained and answer.language == "es"
    assert "Cuestión del Sáhara Occidental" in answer.answer
    assert "Respuesta en inglés." not in answer.answer
