"""Sentences and clauses of the records, and their English, line up with the corpus."""

from __future__ import annotations

import re

import pytest

from bot.records.parser import load_programme
from bot.records.sentences import (
    SPLIT_KINDS,
    read_sentence_translations,
    record_clauses,
    split_clauses,
)
from bot.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus" / "programme-2"


@pytest.fixture(scope="module")
def programme():
    return load_programme(CORPUS)


def test_clauses_split_after_stops_and_semicolons_and_list_openers() -> None:
    assert split_clauses("甲。乙；丙") == ["甲。", "乙；", "丙"]
    # A colon opens a list only when ；-separated items follow in the same sentence.
    assert split_clauses("方式如下：一；二。时间：明天。") == [
        "方式如下：",
        "一；",
        "二。",
        "时间：明天。",
    ]


def test_every_record_is_its_sentences_in_order(programme) -> None:
    for p in programme.retrievable():
        if p.kind not in SPLIT_KINDS:
            assert programme.sentences_of(p.id) == []
            continue
        parts = [s.text for s in programme.sentences_of(p.id)]
        assert parts == record_clauses(p)
        squeeze = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
        assert squeeze("".join(parts)) == squeeze(
            p.text if p.kind != "accomplishment" else p.accomplishment + "".join(p.indicators)
        )


def test_the_translations_match_the_parse_one_for_one(programme) -> None:
    data = read_sentence_translations(CORPUS / "sentences.en.tsv")
    ids = [s.id for s in programme.sentences]
    assert sorted(data) == sorted(ids)  # none missing, none left over
    for s in programme.sentences:
        zh, en = data[s.id]
        assert zh == s.text, s.id  # the Chinese the English was written for
        assert en and s.text_in("en") == en


def test_enumerations_become_clauses(programme) -> None:
    items = [s.text for s in programme.sentences_of("2.8")]
    assert len(items) == 9 and items[0].endswith("方式如下：")
    assert items[7] == "与“聪明”制裁概念有关的宣传和咨询；"
    assert [s.text[:3] for s in programme.sentences_of("2.6")][2:5] == ["(a)", "(b)", "(c)"]
    cells = programme.sentences_of("sp1.ea.1")
    assert [c.is_indicator for c in cells] == [False, True, True, True]


def test_numbers_and_dates_survive_in_the_english(programme) -> None:
    english = {s.id: s.text_in("en") for s in programme.sentences}
    assert "16 remaining Non-Self-Governing Territories" in english["sp4.ea.1#1"]
    assert "10 November 1975" in english["2.12#2"]
    assert "95 per cent" in english["sp4.ea.1#2"]


def test_an_item_opens_with_its_label() -> None:
    from bot.records.sentences import ITEM_LABEL, item_label

    assert item_label("(a) 安全理事会成员及联合国广大会员的满意程度") == "(a)"
    assert item_label(" (ii) 100 per cent response") == "(ii)"
    assert item_label("At least 95 per cent (a)") is None
    assert ITEM_LABEL.search("SP6 : quel est l'indicateur pour la réalisation escomptée (a) ?")
