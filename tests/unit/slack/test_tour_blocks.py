"""Every message of the tour and its self-check, for every subprogramme in both languages, is
valid Block Kit within Slack's limits, links every mandate properly, and mentions no one.
No model, no server (test_tour_server.py drives the same messages over HTTP)."""

from __future__ import annotations

import re

import pytest
from slack_payloads import assert_valid_blocks, live_mentions

from bot.languages import answered
from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.records.glossary import Glossary
from bot.records.parser import load_programme
from bot.settings import REPO_ROOT
from bot.surfaces.slack.views import blocks as B
from bot.surfaces.slack.views import tour as T

LANGUAGES = answered()

PROGRAMME = load_programme(REPO_ROOT / "corpus" / "programme-2")
GUIDE = TourGuide(PROGRAMME, Glossary.load(REPO_ROOT / "corpus" / "programme-2"))
MAKER = QuizMaker(GUIDE.read)
CASES = [(sp, lang) for sp in range(1, 7) for lang in LANGUAGES]
# A mrkdwn link: <https://…|label>, where the URL has no raw & < > | and the label no < >.
LINK = re.compile(r"<(https://[^<>|\s]+)\|([^<>]+)>")


def _links(blocks: list[dict]) -> list[tuple[str, str]]:
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    return [m.groups() for t in texts for m in LINK.finditer(t)]


def _actions(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_the_pick_lists_every_division_security_council_affairs_first() -> None:
    message = T.pick_message(GUIDE)
    assert_valid_blocks(message.blocks)
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"][1:]
    # The division in every language the tour is given in, each name once, the first in bold.
    names = list(dict.fromkeys(GUIDE.read.unit(3).name(lang) for lang in LANGUAGES))
    assert sections[0].startswith(f"*{names[0]}* · " + " · ".join(names[1:]) + "\n")
    assert names[:3] == [
        "Security Council Affairs Division",
        "安全理事会事务司",
        "Division des affaires du Conseil de sécurité",
    ]
    values = [e["value"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert values[: len(LANGUAGES)] == [f"3:{lang}" for lang in LANGUAGES]
    assert len(values) == len(LANGUAGES) * len(GUIDE.order)
    assert [e["action_id"] for e in message.blocks[3]["elements"]] == [
        f"{T.TOUR_PICK}:{lang}" for lang in LANGUAGES
    ]


@pytest.mark.parametrize("sp, lang", CASES)
def test_cards_are_valid_and_link_every_mandate(sp: int, lang: str) -> None:
    tour = GUIDE.tour(sp, lang)
    for index, card in enumerate(tour.cards):
        message = T.card_message(tour, index)
        assert_valid_blocks(message.blocks)
        assert live_mentions(message.blocks) == []
        actions = _actions(message.blocks)
        assert (f"{T.TOUR_NAV}:back" in actions) == (index > 0)
        assert (T.QUIZ_START in actions) == (index == len(tour.cards) - 1)
        assert (T.MAP_SHOW in actions) == (index == 0)  # "See the map" on the first card
        assert B.TOUR_START in actions
        linked = [label for _, label in _links(message.blocks)]
        assert linked == [line.label for line in card.lines if line.url]
        for url, _ in _links(message.blocks):
            assert "&" not in url.replace("&amp;", "")  # every & escaped inside the link
    mandates = T.card_message(tour, 3)
    listing = PROGRAMME.passage(f"sp{sp}.mandates").symbols
    assert [label for _, label in _links(mandates.blocks)] == list(listing)


@pytest.mark.parametrize("sp, lang", CASES)
def test_quiz_messages_are_valid_and_reveal_the_answer(sp: int, lang: str) -> None:
    tour = GUIDE.tour(sp, lang)
    quiz = MAKER.quiz(sp, lang, "0123456789ab")
    for position, shown in enumerate(quiz):
        asked = T.question_message(tour, "0123456789ab", shown, position, len(quiz))
        assert_valid_blocks(asked.blocks)
        assert _actions(asked.blocks) == [f"{T.QUIZ_ANSWER}:{i}" for i in range(4)]
        for chosen in range(4):
            told = T.answer_message(tour, "0123456789ab", shown, position, len(quiz), chosen)
            assert_valid_blocks(told.blocks)
            assert live_mentions(told.blocks) == []
            verdict = told.text
            assert verdict.startswith("✅" if chosen == shown.answer else "❌")
            assert shown.choices[shown.answer].text in verdict
            if shown.question.url:
                assert any(
                    url.replace("&amp;", "&") == shown.question.url
                    for url, _ in _links(told.blocks)
                )
    score = T.score_message(tour, [(s, i % 2 == 0) for i, s in enumerate(quiz)])
    assert_valid_blocks(score.blocks)
    expected = {
        "en": "You scored 3 out of 5.",
        "zh": "您答对了3题，共5题。",
        "fr": "Vous avez obtenu 3 sur 5.",
    }
    assert score.text == expected.get(lang, score.text) and "3" in score.text


def test_a_french_card_cites_the_french_text_and_says_it_is_unofficial() -> None:
    tour = GUIDE.tour(3, "fr")
    text = T.blocks_as_text(T.card_message(tour, 0).blocks)
    assert text.startswith("# Visite guidée · Division des affaires du Conseil de sécurité")
    assert "Fiche 1 sur 5 : *Ce que fait la division*" in text
    assert "le Comité d'état-major (par. 2.8).*" in text
    assert "_Texte français : traduction non officielle de l'original chinois._" in text
    assert "[Suivante ▶]" in text and "[Autre division]" in text
    # The map is drawn in every answered language: the French tour shows the French one.
    first = T.card_message(tour, 0).blocks[-1]["elements"]
    see = next(e for e in first if e["action_id"] == T.MAP_SHOW)
    assert see["value"] == "3:fr" and see["text"]["text"] == "Voir la carte"
    mandates = T.card_message(tour, 3).blocks
    assert ("https://undocs.org/fr/S/RES/1535(2004)", "1535 (2004)") in _links(mandates)
    assert "Revitalisation du Comité contre le terrorisme" in T.blocks_as_text(mandates)


def test_blocks_as_text_reads_like_the_message() -> None:
    text = T.blocks_as_text(T.card_message(GUIDE.tour(3, "en"), 0).blocks)
    assert text.startswith("# Tour · Security Council Affairs Division")
    assert "[Next ▶]" in text and "para. 2.8" in text
