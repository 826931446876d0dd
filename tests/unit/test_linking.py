"""Subjects linked through typos and British spellings: no model, the glossary and the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.languages.text import tokenize
from bot.question.linking import Linker
from bot.question.names import NameIndex
from bot.records.library import Library

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def linker() -> Linker:
    document = Library.load(CORPUS).first
    return Linker(document.glossary, NameIndex(document.programme, document.glossary).known)


def originals(linker: Linker, question: str) -> list[str]:
    return [t.original for t in linker.misspelt(question)]


def test_a_misspelt_unit_is_linked(linker: Linker) -> None:
    assert originals(linker, "what does the Securty Councel Afairs Divison do?") == [
        "安全理事会事务司"
    ]
    assert originals(linker, "objective of the Electorl Asistance Divsion?") == ["选举援助司"]


def test_names_spelt_right_are_left_to_the_glossary(linker: Linker) -> None:
    """A window the text knows word for word never links: Africa I is not Africa II."""
    assert originals(linker, "What does the Africa I Division do?") == []
    assert originals(linker, "What does the Security Council Affairs Division do?") == []


def test_british_spellings_are_the_same_tokens() -> None:
    assert tokenize("the Decolonisation Unit's organisation") == tokenize(
        "the Decolonization Unit's organization"
    )
    assert tokenize("programme centre") == tokenize("program center")
