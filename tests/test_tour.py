"""The tour's cards come from the records: every line is text of the corpus (or its
translation data), every card opens with a cited answer, every mandate is linked."""

from __future__ import annotations

import pytest

from bot.corpus import ACCOMPLISHMENT, load_programme
from bot.glossary import Glossary
from bot.settings import REPO_ROOT
from bot.tour import (
    DOES,
    LANGUAGES,
    MANDATES,
    MEASURED,
    MEETS,
    OBJECTIVE_CARD,
    TOUR_ORDER,
    Reader,
    TourGuide,
)

PROGRAMME = load_programme(REPO_ROOT / "corpus")
GUIDE = TourGuide(PROGRAMME, Glossary.load(REPO_ROOT / "corpus"))
CASES = [(sp, lang) for sp in range(1, 7) for lang in LANGUAGES]


def _source_text(pid: str, lang: str) -> str:
    p = PROGRAMME.passage(pid)
    return " ".join((p.text_en if lang == "en" else p.text).split())


@pytest.mark.parametrize("sp, lang", CASES)
def test_five_cards_each_opening_with_a_cited_answer(sp: int, lang: str) -> None:
    tour = GUIDE.tour(sp, lang)
    assert [c.key for c in tour.cards] == [DOES, OBJECTIVE_CARD, MEASURED, MANDATES, MEETS]
    for card in tour.cards:
        closing = "）。" if lang == "zh" else ")."
        assert card.lead.endswith(closing), card.lead
        assert "\n" not in card.lead
        assert all(pid in {p.id for p in PROGRAMME.passages} for pid in card.sources)
        assert bool(card.unofficial) == (lang == "en")  # English is marked as unofficial


@pytest.mark.parametrize("sp, lang", CASES)
def test_what_the_division_does_is_its_strategy_clause_by_clause(sp: int, lang: str) -> None:
    card = GUIDE.tour(sp, lang).cards[0]
    strategy = " ".join(_source_text(pid, lang) for pid in card.sources)
    for line in card.lines:
        assert " ".join(line.text.split()) in strategy  # verbatim, never reworded
    assert GUIDE.read.unit(sp).name(lang).lower() in card.lead.lower() or sp == 6


@pytest.mark.parametrize("sp, lang", CASES)
def test_each_accomplishment_comes_with_its_own_indicators(sp: int, lang: str) -> None:
    card = GUIDE.tour(sp, lang).cards[2]
    records = [
        p for p in PROGRAMME.retrievable() if p.subprogramme == sp and p.kind == ACCOMPLISHMENT
    ]
    assert sum(1 for line in card.lines if line.level == 0) == len(records)
    assert sum(1 for line in card.lines if line.level == 1) == sum(
        len(p.indicators) for p in records
    )
    for line in card.lines:
        record = next(
            p
            for p in records
            if line.ref
            and line.ref.endswith(p.label or "")
            and " ".join(line.text.split()) in _source_text(p.id, lang)
        )
        assert record


def test_english_indicators_line_up_with_the_chinese_ones() -> None:
    read = Reader(PROGRAMME, GUIDE.read.glossary)
    for p in PROGRAMME.retrievable():
        if p.kind == ACCOMPLISHMENT:
            en, zh = read.accomplishment(p, "en"), read.accomplishment(p, "zh")
            assert len(en[1]) == len(zh[1]) and en != zh  # translated, not the fallback


@pytest.mark.parametrize("sp, lang", CASES)
def test_the_mandates_card_lists_the_subprogramme_s_mandates_linked(sp: int, lang: str) -> None:
    card = GUIDE.tour(sp, lang).cards[3]
    assert [line.label for line in card.lines] == list(
        PROGRAMME.passage(f"sp{sp}.mandates").symbols
    )
    assert all(line.url and line.url.startswith("https://") for line in card.lines)
    assert all(("/zh/" in line.url or "zh_CN" in line.url) == (lang == "zh") for line in card.lines)


def test_security_council_affairs_meets_counter_terrorism_in_para_2_4() -> None:
    card = GUIDE.tour(3, "en").cards[4]
    assert card.lead.startswith("Subprogramme 3 meets the rest of the programme")
    line = next(line for line in card.lines if line.label == "1373 (2001)")
    assert line.ref == "para. 2.4" and "counter-terrorism" in line.text
    assert line.url == "https://undocs.org/S/RES/1373(2001)"
    zh = GUIDE.tour(3, "zh").cards[4]
    assert any(line.ref == "第2.4段" and "1373" in line.text for line in zh.lines)


def test_decolonization_and_conflict_prevention_share_western_sahara() -> None:
    for sp, other in ((1, 4), (4, 1)):
        card = GUIDE.tour(sp, "en").cards[4]
        line = next(line for line in card.lines if line.label == "58/109")
        assert f"subprogramme {other}" in line.text


def test_security_council_affairs_division_comes_first() -> None:
    assert TOUR_ORDER[0] == 3
    assert GUIDE.choices("en")[0][1] == "Security Council Affairs Division"
    assert GUIDE.choices("zh")[0][1] == "安全理事会事务司"
    assert sorted(sp for sp, _, _ in GUIDE.choices("en")) == [1, 2, 3, 4, 5, 6]


def test_bad_choices_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="no subprogramme 9"):
        GUIDE.tour(9, "en")
    with pytest.raises(ValueError, match="English"):
        GUIDE.tour(3, "fr")
