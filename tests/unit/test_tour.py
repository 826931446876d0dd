"""The tour's cards come from the records: every line is text of the corpus (or its
translation data), every card opens with a cited answer, every mandate is linked."""

from __future__ import annotations

import pytest

from bot.languages import answered
from bot.onboarding.tour import (
    DOES,
    MANDATES,
    MEASURED,
    MEETS,
    OBJECTIVE_CARD,
    TourGuide,
)
from bot.records.glossary import Glossary
from bot.records.model import ACCOMPLISHMENT
from bot.records.parser import load_programme
from bot.records.reader import Reader
from bot.settings import REPO_ROOT

LANGUAGES = answered()

PROGRAMME = load_programme(REPO_ROOT / "corpus" / "programme-2")
GUIDE = TourGuide(PROGRAMME, Glossary.load(REPO_ROOT / "corpus" / "programme-2"))
CASES = [(sp, lang) for sp in range(1, 7) for lang in LANGUAGES]


def _source_text(pid: str, lang: str) -> str:
    p = PROGRAMME.passage(pid)
    return " ".join((p.text_in(lang) or p.text).split())


@pytest.mark.parametrize("sp, lang", CASES)
def test_five_cards_each_opening_with_a_cited_answer(sp: int, lang: str) -> None:
    tour = GUIDE.tour(sp, lang)
    assert [c.key for c in tour.cards] == [DOES, OBJECTIVE_CARD, MEASURED, MANDATES, MEETS]
    for card in tour.cards:
        closing = "）。" if lang == "zh" else ")."
        assert card.lead.endswith(closing), card.lead
        assert "\n" not in card.lead
        assert all(pid in {p.id for p in PROGRAMME.passages} for pid in card.sources)
        assert bool(card.unofficial) == (lang != "zh")  # translations are marked unofficial


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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_translated_indicators_line_up_with_the_chinese_ones(lang: str) -> None:
    read = Reader(PROGRAMME, GUIDE.read.glossary)
    for p in PROGRAMME.retrievable():
        if p.kind == ACCOMPLISHMENT:
            translated, zh = read.accomplishment(p, lang), read.accomplishment(p, "zh")
            assert len(translated[1]) == len(zh[1]) and translated != zh  # not the fallback


@pytest.mark.parametrize("sp, lang", CASES)
def test_the_mandates_card_lists_the_subprogramme_s_mandates_linked(sp: int, lang: str) -> None:
    card = GUIDE.tour(sp, lang).cards[3]
    assert [line.label for line in card.lines] == list(
        PROGRAMME.passage(f"sp{sp}.mandates").symbols
    )
    assert all(line.url and line.url.startswith("https://") for line in card.lines)
    assert all(("/zh/" in line.url or "zh_CN" in line.url) == (lang == "zh") for line in card.lines)
    assert all(("/fr/" in line.url or "ln=fr" in line.url) == (lang == "fr") for line in card.lines)


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
    assert GUIDE.order[0] == 3
    assert GUIDE.choices("en")[0][1] == "Security Council Affairs Division"
    assert GUIDE.choices("zh")[0][1] == "安全理事会事务司"
    assert sorted(sp for sp, _, _ in GUIDE.choices("en")) == [1, 2, 3, 4, 5, 6]


def test_the_french_tour_cites_the_french_text_and_says_it_is_unofficial() -> None:
    tour = GUIDE.tour(3, "fr")
    assert tour.unit == "Division des affaires du Conseil de sécurité"
    assert tour.name == "Sous-programme 3 : Affaires du Conseil de sécurité"
    does, objective, measured, mandates, meets = tour.cards
    assert does.title == "Ce que fait la division"
    assert does.lead.startswith("La responsabilité du sous-programme incombe à la Division des")
    assert does.lead.endswith("le Comité d'état-major (par. 2.8).")  # "selon les modalités…" off
    assert any("sanctions « intelligentes »" in line.text for line in does.lines)
    assert objective.lead.endswith("(Sous-programme 3, objectif).")
    assert measured.lead.startswith("Le travail du sous-programme 3 est mesuré par 3 réalisations")
    assert (
        measured.lines[0].text
        == "Tenue des séances en temps voulu et selon les procédures établies"
    )
    assert measured.lines[1].level == 1 and measured.lines[1].text.startswith(
        "Degré de satisfaction"
    )
    assert mandates.lead == (
        "Le sous-programme 3 repose sur 6 textes portant autorisation : la Charte des Nations "
        "Unies, 3 résolutions de l'Assemblée générale et 2 résolutions du Conseil de sécurité "
        "(Sous-programme 3, textes portant autorisation)."
    )
    line = next(line for line in mandates.lines if line.label == "1535 (2004)")
    assert line.text == "Revitalisation du Comité contre le terrorisme"
    assert line.url == "https://undocs.org/fr/S/RES/1535(2004)"
    counter_terrorism = next(line for line in meets.lines if line.label == "1373 (2001)")
    assert (
        counter_terrorism.ref == "par. 2.4"
        and "lutte contre le terrorisme" in counter_terrorism.text
    )
    notice = "Texte français : traduction non officielle de l'original chinois."
    assert all(card.unofficial == notice for card in tour.cards)
    assert GUIDE.choices("fr")[0][1] == "Division des affaires du Conseil de sécurité"


def test_bad_choices_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="no subprogramme 9"):
        GUIDE.tour(9, "en")
    with pytest.raises(ValueError, match="French"):
        GUIDE.tour(3, "de")
