"""The bilingual data: glossary terms and translations line up with the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.languages.text import tokenize
from bot.records.glossary import Glossary
from bot.records.model import CHARTER
from bot.records.parser import load_programme
from bot.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus" / "programme-2"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(CORPUS)


def test_every_chinese_term_occurs_in_the_programme(glossary: Glossary) -> None:
    text = re.sub(r"\s+", "", (CORPUS / "programme-2-political-affairs.zh.txt").read_text("utf-8"))
    missing = [t.original for t in glossary.terms if re.sub(r"\s+", "", t.original) not in text]
    assert missing == []


def test_terms_have_english_names_and_known_kinds(glossary: Glossary) -> None:
    kinds = {"department", "subprogramme", "division", "body", "section", "term"}
    assert all(t.name_in("en") and t.kind in kinds for t in glossary.terms)
    assert len([t for t in glossary.terms if t.kind == "subprogramme"]) == 6


def test_english_names_and_aliases_find_terms(glossary: Glossary) -> None:
    found = {
        t.original
        for t in glossary.terms_in_english(tokenize("What does the C-24 do about decolonisation?"))
    }
    assert "特别委员会" in found
    found = {
        t.original
        for t in glossary.terms_in_english(tokenize("Security Council affairs indicators"))
    }
    assert {"安全理事会事务", "绩效指标"} <= found


def test_every_mandate_and_passage_has_a_translation() -> None:
    programme = load_programme(CORPUS)
    assert [
        m.symbol for m in programme.mandates if m.body != CHARTER and not m.translation("en")
    ] == []
    assert [
        p.id for p in programme.retrievable() if p.kind != "mandate_list" and not p.text_in("en")
    ] == []


def test_missing_glossary_file_means_an_empty_glossary(tmp_path: Path) -> None:
    assert Glossary.load(tmp_path).terms == []


def test_names_in_russian_and_arabic_are_read_as_written(glossary: Glossary) -> None:
    # An inflected form is one of the names; the term is found whatever the case of letters.
    ru = glossary.terms_written_in("Я только что пришёл в Отдел по правам палестинцев.", "ru")
    assert [t.original for t in ru] == ["巴勒斯坦人民权利司"]
    ar = glossary.terms_written_in("ما هو دور شعبة شؤون مجلس الأمن؟", "ar")
    assert "安全理事会事务司" in [t.original for t in ar]
    assert glossary.terms_written_in("Что такое ЮНИСЕФ?", "ru") == []
