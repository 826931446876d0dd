"""Every language the bot answers in is data: each document's translation tables line up with
the parse, in every answered language at once (English, French, and any other the registry
lists). A language added as data is checked here without a test of its own."""

from __future__ import annotations

import re

import pytest

from bot import languages
from bot.languages.symbols import find_symbols
from bot.records.glossary import Glossary
from bot.records.library import Library
from bot.records.parser import SENTENCES, table_file, translated_languages
from bot.records.sentences import read_sentence_translations
from bot.settings import REPO_ROOT

LIBRARY = Library.load(REPO_ROOT / "corpus")
CASES = [(d, lang) for d in LIBRARY for lang in translated_languages(d.programme.language)]
IDS = [f"{d.id}-{lang}" for d, lang in CASES]


@pytest.mark.parametrize(("document", "lang"), CASES, ids=IDS)
def test_each_sentence_is_translated_from_the_text_as_parsed(document, lang: str) -> None:
    programme = document.programme
    data = read_sentence_translations(document.folder / table_file(SENTENCES, lang))
    assert sorted(data) == sorted(s.id for s in programme.sentences), lang
    for s in programme.sentences:
        original, translated = data[s.id]
        assert original == s.text, (lang, s.id)  # the text the translation was written for
        assert translated and s.text_in(lang) == translated
        # Resolution symbols and figures survive translation.
        ours = {m.symbol.base for m in find_symbols(s.text)}
        assert ours <= {m.symbol.base for m in find_symbols(translated)}, (lang, s.id)
        digits = [n for n in re.findall(r"\d+", s.text) if len(n) >= 3]  # years, symbols
        assert all(n in translated for n in digits), (lang, s.id, digits)


@pytest.mark.parametrize(("document", "lang"), CASES, ids=IDS)
def test_paragraphs_are_their_sentences_and_every_record_is_translated(document, lang) -> None:
    programme = document.programme
    for p in programme.retrievable():
        if p.kind != "mandate_list":
            assert p.text_in(lang), (lang, p.id)
        sentences = programme.sentences_of(p.id)
        if sentences and p.kind == "paragraph":
            assert p.text_in(lang) == " ".join(s.text_in(lang) or "" for s in sentences), p.id
    assert [m.symbol for m in programme.mandates if not m.translation(lang)] == []


@pytest.mark.parametrize(("document", "lang"), CASES, ids=IDS)
def test_every_unit_and_body_is_named(document, lang: str) -> None:
    glossary = Glossary.load(document.folder, document.programme.language)
    unnamed = [t.original for t in glossary.terms if t.kind != "term" and not t.names_in(lang)]
    assert unnamed == [], (lang, unnamed)
    # Every subprogramme's title, and the programme's own, in the language.
    for sp in document.programme.subprogrammes:
        title = document.programme.subprogrammes[sp].title
        assert glossary.term(title) and glossary.term(title).names_in(lang), (lang, sp)
    assert lang in document.manifest.titles


def test_every_answered_language_has_its_catalogue_and_its_entry() -> None:
    from bot.languages.messages import CATALOGUES
    from bot.settings import get_settings

    for lang in languages.answered():
        assert (get_settings().prompts_dir / CATALOGUES / f"{lang}.toml").is_file(), lang
        entry = languages.get(lang)
        assert entry.name and entry.native and entry.stopwords
