"""French: the translations line up with the parse and the six UN languages are told apart
(French answers, with the real model: tests/eval/test_french_answers.py)."""

from __future__ import annotations

import re

import pytest

from bot.languages import answer_language, answered, default, detect
from bot.languages.symbols import find_symbols
from bot.languages.text import tokenize
from bot.records.glossary import Glossary
from bot.records.parser import load_programme
from bot.records.sentences import read_sentence_translations
from bot.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus" / "programme-2"


@pytest.fixture(scope="module")
def programme():
    return load_programme(CORPUS)


def test_the_french_matches_the_parse_one_for_one(programme) -> None:
    data = read_sentence_translations(CORPUS / "sentences.fr.tsv")
    assert sorted(data) == sorted(s.id for s in programme.sentences)
    for s in programme.sentences:
        zh, fr = data[s.id]
        assert zh == s.text, s.id  # the Chinese the French was written for
        assert fr and s.text_in("fr") == fr
        # Symbols and numbers survive translation.
        english = {m.symbol.base for m in find_symbols(s.text_in("en") or "")}
        assert english <= {m.symbol.base for m in find_symbols(fr)}, s.id
        assert re.findall(r"\d+", s.text_in("en") or "") == re.findall(r"\d+", fr), s.id


def test_split_records_are_their_french_sentences(programme) -> None:
    for p in programme.retrievable():
        sentences = programme.sentences_of(p.id)
        if sentences and p.kind == "paragraph":
            assert p.text_in("fr") == " ".join(s.text_in("fr") for s in sentences), p.id


def test_mandates_and_glossary_have_french_names(programme) -> None:
    assert all(m.translation("fr") for m in programme.mandates)
    charter = next(m for m in programme.mandates if m.symbol == "Charter (Art. 99)")
    assert charter.translation("fr") == "Charte des Nations Unies, en particulier l'Article 99"
    glossary = Glossary.load(CORPUS)
    council = next(t for t in glossary.terms if t.original == "安全理事会")
    assert council.name_in("fr") == "Conseil de sécurité" and "CS" in council.names_in("fr")
    assert "fr" in council.official
    # French short forms are matched like the English ones.
    found = glossary.terms_in_english(tokenize("le rôle de la DAE"))
    assert any(t.original == "选举援助司" for t in found)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Quels sont les objectifs du sous-programme 3 ?", "fr"),
        ("¿Qué resoluciones tratan del Sáhara Occidental?", "es"),
        ("Какие региональные отделы отвечают за подпрограмму 1?", "ru"),
        ("ما هو هدف البرنامج الفرعي الخاص بشؤون مجلس الأمن؟", "ar"),
        ("安理会事务司的职责是什么？", "zh"),
        ("What does SCAD do?", "en"),
        ("A/RES/58/109", "en"),  # no words: English
        ("1373 (2001)?", "en"),
    ],
)
def test_the_six_languages_are_told_apart(text: str, language: str) -> None:
    assert detect(text) == language
    expected = language if language in answered() else default()
    assert answer_language(language) == expected


def test_a_text_the_detector_is_unsure_of_goes_to_a_language_the_bot_writes() -> None:
    # "Sahara occidental": Spanish or French, either way answered in the asker's language.
    assert detect("Sahara occidental") in {"fr", "es"} & set(answered())


def test_the_six_language_model_is_packaged_and_read_back(tmp_path, monkeypatch) -> None:
    from bot.languages import detector as language

    packaged = tmp_path / "langid-6.pickle.xz"
    language.save(packaged)
    assert 0 < packaged.stat().st_size < 2_000_000  # not py3langid's 97 languages
    assert oct(packaged.stat().st_mode & 0o777) == "0o644"
    monkeypatch.setenv(language.MODEL_ENV, str(packaged))
    language._identifier.cache_clear()
    try:
        assert detect("Что делает Отдел по проведению выборов?") == "ru"
    finally:
        language._identifier.cache_clear()
