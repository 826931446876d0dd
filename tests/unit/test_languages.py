"""The one language registry (bot/languages): what every other layer asks about a language."""

from __future__ import annotations

import pytest

from bot import languages
from bot.languages import registry


def test_the_registry_lists_what_is_answered_and_what_is_understood() -> None:
    assert set(languages.answered()) <= set(languages.understood())
    assert languages.default() in languages.answered()
    assert {"en", "zh", "fr"} <= set(languages.answered())
    assert set(languages.understood()) == {"ar", "zh", "en", "fr", "ru", "es"}  # the UN's six


@pytest.mark.parametrize("code", languages.understood())
def test_every_language_is_read_from_its_entry(code: str) -> None:
    lang = languages.get(code)
    assert lang.code == code and lang.name and lang.native
    if lang.answered:
        assert lang.in_english is None
        assert lang.stopwords, "an answered language's questions drop its function words"
    else:
        # Answered in English, and said so in the asker's language.
        assert lang.in_english and languages.in_english(code) == lang.in_english
        assert languages.answer_language(code) == languages.default()


def test_a_code_the_registry_does_not_list_is_answered_in_the_default() -> None:
    assert languages.answer_language("xx") == languages.default()
    assert languages.in_english("xx") is None
    with pytest.raises(languages.UnknownLanguage):
        languages.get("xx")


def test_the_one_detector_serves_every_surface() -> None:
    assert languages.detect("Quel est l'objectif du sous-programme 3 ?") == "fr"
    assert languages.detect("次级方案3的目标是什么？") == "zh"
    assert languages.detect("A/RES/58/109 ?") == languages.default()  # no words to tell by
    assert languages.detect("Какие региональные отделы отвечают за подпрограмму 1?") == "ru"


def test_a_terse_question_the_detector_is_unsure_of_is_weighed_by_who_asks() -> None:
    """ "sp1 indicatrs?" ranks Spanish first at 0.42; staff ask in English far more often."""
    assert registry.unsure_odds("en") > 1 == registry.unsure_odds("es")
    assert languages.detect("sp1 indicatrs?") == "en"
    assert languages.detect("sp3 mandates pls") == "en"
    # A sure detection is not weighed: Spanish stays Spanish.
    assert languages.detect("mandatos del SP4?") == "es"


def test_stopwords_are_dropped_as_the_registry_says() -> None:
    from bot.languages.text import tokenize

    everywhere = [lang for lang in registry.registry().languages if lang.everywhere]
    for lang in everywhere:
        word = sorted(lang.stopwords)[0]
        assert tokenize(word) == [], (lang.code, word)


def test_a_subprogramme_is_numbered_in_every_language_by_its_word_in_the_registry() -> None:
    from bot.question.analysis import explicit_subprogramme

    assert explicit_subprogramme("Какие резолюции служат мандатом для подпрограммы 2?") == 2
    assert explicit_subprogramme("подпрограммой 6") == 6
    assert explicit_subprogramme("ما هو هدف البرنامج الفرعي 5؟") == 5
    assert explicit_subprogramme("¿Cuál es el objetivo del subprograma 3?") == 3
    assert explicit_subprogramme("次级方案的指标有3个") is None  # a count, not SP3


def test_asking_for_every_item_is_a_cue_in_each_language() -> None:
    from bot.languages.cues import asks_every

    for question in (
        "list every body SCAD serves",
        "全部列出来",
        "toutes les résolutions",
        "перечислите все",
    ):
        assert asks_every().search(question), question
    assert not asks_every().search("Qui pilote l'ensemble des activités électorales ?")


def test_the_programme_as_a_whole_and_a_newcomer_are_cues() -> None:
    from bot.languages.cues import any_word_of, new_to_their_unit, speaking_of_themselves

    assert any_word_of("whole_programme").search("ما هو الهدف العام لهذا البرنامج؟")
    assert new_to_their_unit().search("انضممت حديثا إلى وحدة إنهاء الاستعمار.")
    # "new Council members" are not the asker.
    assert not speaking_of_themselves().search("What does SCAD help new Council members do?")


def test_shorthand_is_registry_data_and_spares_symbols() -> None:
    from bot.languages.text import clean_question

    assert clean_question("what % of docs for decol? sanctions cttees") == (
        "what % of documents for decol? sanctions committees"
    )
    assert clean_question("A/RES/58/109 and res 1373") == "A/RES/58/109 and resolution 1373"


def test_follow_up_words_are_read_in_every_language() -> None:
    from bot.languages.cues import points_back

    for text in (
        "and its indicators?",
        "Et pour le SP5 ?",
        "А какие резолюции?",
        "那它呢？",
        "¿Y el subprograma 6?",
        "وماذا عن البرنامج الفرعي 3؟",
    ):
        assert points_back().search(text), text
    assert not points_back().search("What is the objective of SP2?")


def test_an_elided_cue_word_matches_written_onto_the_next() -> None:
    from bot.languages.cues import speaking_of_themselves

    assert speaking_of_themselves().search("Salut, j'arrive à l'UNSCO")


def test_a_numbered_units_title_restated_in_brackets_is_dropped() -> None:
    from bot.languages.cues import without_restated_title

    assert without_restated_title("objective of programme 2 (political affairs)?") == (
        "objective of programme 2?"
    )
    assert without_restated_title("Какова цель подпрограммы 3 (вопросы Совета Безопасности)?") == (
        "Какова цель подпрограммы 3?"
    )
    assert without_restated_title("次级方案3（安全理事会事务）的目标") == "次级方案3的目标"
    assert without_restated_title("who leads EAD (P3, Geneva)?") == "who leads EAD (P3, Geneva)?"
