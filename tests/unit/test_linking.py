"""Subjects linked through typos and British spellings: no model, the glossary and the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.languages.text import tokenize
from bot.question.linking import MIN_SCORE, Linker, respelt
from bot.question.names import NameIndex
from bot.records.library import Library

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def names() -> NameIndex:
    document = Library.load(CORPUS).first
    return NameIndex(document.programme, document.glossary)


@pytest.fixture(scope="module")
def linker(names: NameIndex) -> Linker:
    return Linker(Library.load(CORPUS).first.glossary, names.known)


def test_a_misspelt_word_is_read_as_the_text_writes_it(names: NameIndex) -> None:
    assert respelt("sp1 indicatrs?", names.respell) == "sp1 indicators?"
    assert respelt("what are the mandtes of sp4", names.respell) == "what are the mandates of sp4"


def test_names_inflections_and_known_words_are_left_as_written(names: NameIndex) -> None:
    for question in (
        "What does Kosovo's office do?",  # a capitalised name is never respelt
        "what end does subprogramme 5 serve?",  # "serves" is in the text; "serve" is no typo
        "Quelle unité est chargée du SP4 ?",
        "thanks, newcomer here",
        "I'm new in the UNSCO front office",  # "font" is shorter: a typo drops letters
    ):
        assert respelt(question, names.respell) == question


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


def test_a_country_named_in_russian_or_arabic_the_text_never_names(names: NameIndex) -> None:
    """pycountry's names in the registry entry's locale, any case ending or joined particle."""
    assert names.unheld_countries("Что программа говорит о Сомали?", "ru") == ["Сомали"]
    assert names.unheld_countries("ماذا يقول البرنامج عن الصومال؟", "ar") == ["الصومال"]
    assert names.unheld_countries("Что происходит в Афганистане?", "ru") == ["Афганистане"]
    # Held: the text names Lebanon, Jordan and Gibraltar.
    assert names.unheld_countries("Какова роль ООН в Ливане?", "ru") == []
    assert names.unheld_countries("ما دور الأمم المتحدة في الأردن ولبنان؟", "ar") == []
    assert names.unheld_countries("Какие резолюции касаются Гибралтара?", "ru") == []


def test_a_capitalised_russian_name_no_glossary_name_holds(names: NameIndex) -> None:
    """Not only countries: "Косово" is no country of pycountry's, and no glossary name."""
    assert names.unheld_countries("Что программа говорит о Косово?", "ru") == ["Косово"]
    # Held, in any case ending: a glossary name, a country the text names.
    assert names.unheld_countries("Кто помогает Совету Безопасности?", "ru") == []
    assert names.unheld_countries("Какие резолюции касаются Западной Сахары?", "ru") == []
    assert names.unheld_countries("Что программа говорит об УВКБ?", "ru") == ["УВКБ"]
    assert names.unheld_countries("Какова роль ООН в Ливане?", "ru") == []
    # A capital that opens a sentence names nothing.
    assert names.unheld_countries("Спасибо. Какие цели у подпрограммы 4?", "ru") == []


def test_the_askers_numbering_of_questions_is_no_name(names: NameIndex) -> None:
    assert names.numbers_a_question("Q1") and names.numbers_a_question("q12")
    assert not names.numbers_a_question("UNSCO")


def test_held_acronyms_joined_by_a_preposition_name_no_one_thing(names: NameIndex) -> None:
    question = "P-2 in Vienna, liaising w/ DPA on CT. Which resolution is DPA the lead on?"
    assert "DPA on CT" not in names.unheld(question, "en")
    assert names.unheld("DPA on UNRWA?", "en") == ["DPA on UNRWA"]  # UNRWA is not held
    assert names.unheld("What does the Department of Peacekeeping Operations do?", "en")


def test_one_capitalised_word_opening_a_sentence_is_no_name(names: NameIndex) -> None:
    question = "Salut ! Deux questions sur le SP3 : quel est l'objectif ?"
    assert names.unheld(question, "fr") == []
    assert names.unheld("Hola equipo! Acabo de llegar. ¿Qué hace la División?", "es") == []
    assert names.unheld("Thanks. What about the Kosovo Force?", "en") == ["Kosovo Force"]


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


def test_a_place_the_text_names_is_found_however_it_is_accented(names: NameIndex) -> None:
    assert names.held_places("Et la Nouvelle-Calédonie ?") == ["Nouvelle-Calédonie"]
    assert names.held_places("Et le Kenya ?") == []  # a country the text never names


def test_a_place_alone_in_brackets_after_a_held_name_is_where_the_asker_is(
    names: NameIndex,
) -> None:
    question = "刚加入中东和平进程协调员办事处（耶路撒冷），我们办事处的目标是什么？"
    assert names.where_the_asker_is("耶路撒冷", question, "zh")
    assert names.where_the_asker_is("Jerusalem", "I just joined UNSCO (Jerusalem): our job?", "en")


def test_names_written_as_alternatives_are_each_looked_for(names: NameIndex) -> None:
    assert names.unheld("and the one for American Samoa/Bermuda/Guam etc?", "en") == []
    assert names.unheld("UNSCO/UNRWA cooperation?", "en") == ["UNRWA"]


def test_the_askers_post_is_no_name(names: NameIndex) -> None:
    question = "New at DPR (Division for Palestinian Rights), JPO from Norway. What is DPR for?"
    assert "JPO" in names.unheld(question, "en")  # a name the text never writes…
    assert names.is_grade("JPO") and names.is_grade("P-4")  # …but the asker's, like a grade
    assert not names.is_grade("UNAMA")


def test_a_name_with_one_short_typo_is_held_and_a_different_name_is_not(
    names: NameIndex,
) -> None:
    assert names.held_english("Decolonization Unt")
    # Another first letter or another number: a different name, not a typo.
    assert not names.held_english("Comision de Consolidacion de la Paz")
    assert not names.held_english("Africa III Division")


def test_a_word_is_respelt_from_the_askers_language_only(names: NameIndex) -> None:
    question = "what are the regional divisions responsible for?"
    assert respelt(question, lambda w: names.respell(w, "en")) == question


def test_a_lower_case_part_of_a_held_name_is_no_institution_of_its_own(names: NameIndex) -> None:
    assert names.unheld("I'm new in the UNSCO front office — our resolutions?", "en") == []
    assert names.unheld("EAD needs assessment missions — where's that described?", "en") == []
    assert names.unheld("what does the peacebuilding commission do?", "en") != []


def test_the_kind_of_body_asked_for_is_no_name(names: NameIndex) -> None:
    question = "安理会事务司除了制裁委员会，还给哪个军事机构提供服务？"
    assert names.unheld(question, "zh") == []


def test_a_place_in_brackets_before_the_askers_grade_is_where_the_asker_is(
    names: NameIndex,
) -> None:
    question = "大家好，我刚调到非殖民化股（纽约，P2），想问下我们股在方案里具体负责什么？"
    assert names.where_the_asker_is("纽约", question, "zh")
    assert not names.where_the_asker_is("纽约", "纽约在方案里出现过吗？", "zh")


def test_another_programme_of_the_plan_is_a_name_the_text_does_not_hold(
    names: NameIndex,
) -> None:
    assert names.other_programmes("方案3裁军事务的目标是什么？") == ["方案3"]
    assert names.other_programmes("what is the objective of programme 4?") == ["programme 4"]
    # Its own number, and a subprogramme's, are no other programme.
    assert names.other_programmes("次级方案3的目标是什么？") == []
    assert names.other_programmes("programme 2's objective? and subprogramme 3's?") == []
