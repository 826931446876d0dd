"""Subjects linked through typos and British spellings: no model, the glossary and the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.languages.text import tokenize
from bot.question.linking import MIN_SCORE, Linker
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


def _extract_one_over_all(linker: Linker, question: str) -> list[str]:
    """misspelt() as it was: rapidfuzz's extractOne over every name of a window's length."""
    from rapidfuzz import fuzz, process

    from bot.question import linking

    words = linking._WORD.findall(question.lower())[: linking.MAX_WORDS]
    unknown = [len(w) >= 4 and not linker.known(w) for w in words]
    spans = []
    for n, (names, terms) in linker._by_length.items():
        for i in range(len(words) - n + 1):
            window = " ".join(words[i : i + n])
            if not any(unknown[i : i + n]) or window in linker._names:
                continue
            best = process.extractOne(window, names, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
            if best:
                spans.append((i, i + n, terms[best[2]]))
    found: dict[str, str] = {}
    for start, end, term in sorted(spans, key=lambda s: s[0]):
        if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans):
            found.setdefault(term.original, term.original)
    return list(found)


def test_one_call_per_name_length_finds_what_extract_one_did(linker: Linker) -> None:
    """Scoring the windows of a length in one cdist call, against only the names long or short
    enough to reach the cutoff, links exactly what extractOne over every name linked."""
    import random

    rng = random.Random(7)
    names = [name for names, _ in linker._by_length.values() for name in names]
    questions = []
    for _ in range(400):
        chars = list(rng.choice(names))
        for _ in range(rng.randint(0, 4)):  # typos: a letter dropped, added or changed
            k = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.33:
                del chars[k]
            elif op < 0.66:
                chars.insert(k, rng.choice("aeiourst "))
            else:
                chars[k] = rng.choice("aeiourst")
        questions.append(f"What does the {''.join(chars)} do about Tokelau?")
    linked = 0
    for q in questions:
        expected = _extract_one_over_all(linker, q)
        assert originals(linker, q) == expected, q
        linked += bool(expected)
    assert linked > 100  # the check compares links, not only misses
