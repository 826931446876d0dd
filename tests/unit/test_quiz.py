"""Every question the self-check can ask has exactly one correct choice, judged against the
corpus by an oracle that reads the records itself (not the generator's own `correct`)."""

from __future__ import annotations

import re

import pytest

from bot.languages import answered
from bot.onboarding.quiz import (
    BLANK,
    CHARTER_CITE,
    FIGURE,
    INDICATOR,
    KIND_ORDER,
    MANDATE_OF,
    OBJECTIVE_OF,
    QUIZ_LENGTH,
    TITLE,
    UNIT,
    Choice,
    Question,
    QuizMaker,
    charter_citation,
)
from bot.records.glossary import Glossary
from bot.records.parser import load_programme
from bot.records.reader import Reader
from bot.settings import REPO_ROOT

LANGUAGES = answered()

PROGRAMME = load_programme(REPO_ROOT / "corpus" / "programme-2")
GLOSSARY = Glossary.load(REPO_ROOT / "corpus" / "programme-2")
MAKER = QuizMaker(Reader(PROGRAMME, GLOSSARY))
MANDATES = {m.symbol: m for m in PROGRAMME.mandates}
CASES = [(sp, lang) for sp in range(1, 7) for lang in LANGUAGES]


def _text(pid: str, lang: str) -> str:
    p = PROGRAMME.passage(pid)
    return " ".join((p.text_in(lang) or p.text).split())


def _squash(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> str:
    """What a question quotes, in any language's quotation marks: “…”, « … », «…»."""
    found = re.search(r"“(.+)”|«\s?(.+?)\s?»", text)
    assert found, text
    return found.group(1) or found.group(2)


def _first_sentence(pid: str, lang: str) -> str:
    text = _text(pid, lang)
    return re.split(r"。|\.\s", text, maxsplit=1)[0]


def is_right(q: Question, choice: Choice) -> bool:
    """What the corpus says about one choice of one question."""
    sp, lang = q.subprogramme, q.language
    if q.kind == UNIT:
        strategy = [
            p for p in PROGRAMME.retrievable() if p.subprogramme == sp and p.kind == "paragraph"
        ]
        return choice.text.lower() in _first_sentence(strategy[0].id, lang).lower()
    if q.kind == TITLE:
        asked = MANDATES[q.key.split(":", 1)[1]]
        other = MANDATES[choice.key]
        return choice.text == choice.key and other.title_in(lang) == asked.title_in(lang)
    if q.kind == INDICATOR:
        asked = q.key.split(":", 1)[1].split("#")[0]
        return _squash(choice.text) in _text(asked, lang)
    if q.kind == CHARTER_CITE:
        pid, span = choice.key.split("|")
        shown = span if lang == PROGRAMME.language else charter_citation(span, lang)
        assert choice.text == shown and span in PROGRAMME.passage(pid).text
        own = " ".join(p.text for p in PROGRAMME.retrievable() if p.subprogramme == sp)
        return span in own
    if q.kind == FIGURE:
        cloze = _quoted(q.text)
        return _squash(cloze.replace(BLANK, choice.text)) in _text(q.source, lang)
    if q.kind == OBJECTIVE_OF:
        return _squash(_quoted(q.text)) in _text(f"{choice.key}.objective", lang)
    if q.kind == MANDATE_OF:
        return choice.key in PROGRAMME.passage(f"sp{sp}.mandates").symbols
    raise AssertionError(f"unknown kind {q.kind}")


@pytest.mark.parametrize("sp, lang", CASES)
def test_every_question_has_exactly_one_correct_choice(sp: int, lang: str) -> None:
    questions = MAKER.questions(sp, lang)
    assert questions
    for q in questions:
        assert is_right(q, q.correct), (q.key, q.correct)
        wrong = [c.text for c in q.distractors if is_right(q, c)]
        assert wrong == [], (q.key, wrong)
        assert len(q.distractors) >= 3, q.key  # four choices can always be shown
        texts = [q.correct.text, *(c.text for c in q.distractors)]
        assert len(set(texts)) == len(texts), q.key  # no two choices read the same
        assert q.explanation and q.source in {p.id for p in PROGRAMME.passages}
        assert len({q.key for q in questions}) == len(questions)  # distinct questions


@pytest.mark.parametrize("sp, lang", CASES)
@pytest.mark.parametrize("seed", ["a", "b", "c", "1f3e9"])
def test_a_quiz_is_five_questions_of_different_kinds_each_with_one_right_answer(
    sp: int, lang: str, seed: str
) -> None:
    quiz = MAKER.quiz(sp, lang, seed)
    assert len(quiz) == QUIZ_LENGTH
    assert len({s.question.kind for s in quiz}) == QUIZ_LENGTH
    for shown in quiz:
        assert len(shown.choices) == 4
        truth = [is_right(shown.question, c) for c in shown.choices]
        assert truth.count(True) == 1 and truth.index(True) == shown.answer
    assert [s.question.key for s in MAKER.quiz(sp, lang, seed)] == [
        s.question.key for s in quiz
    ]  # the seed reproduces it


def test_the_quiz_asks_the_issue_s_kinds_where_the_text_has_them() -> None:
    kinds = {sp: [s.question.kind for s in MAKER.quiz(sp, "en", "x")] for sp in range(1, 7)}
    assert kinds[3] == [UNIT, TITLE, INDICATOR, CHARTER_CITE, OBJECTIVE_OF]
    assert kinds[4] == [UNIT, TITLE, INDICATOR, CHARTER_CITE, FIGURE]  # 16 territories…
    assert all(k[:3] == [UNIT, TITLE, INDICATOR] for k in kinds.values())


def test_how_many_territories_remain_is_asked_from_the_text() -> None:
    figures = [q for q in MAKER.questions(4, "en") if q.kind == FIGURE]
    territories = [q for q in figures if "remaining Non-Self-Governing Territories" in q.text]
    assert territories and all(q.correct.text == "16" for q in territories)


def test_counts_are_the_same_in_every_language() -> None:
    for sp in range(1, 7):
        for kind in KIND_ORDER:
            keys = {
                lang: [q.key for q in MAKER.questions(sp, lang) if q.kind == kind]
                for lang in LANGUAGES
            }
            assert keys["en"] == keys["zh"] == keys["fr"] and MAKER.counts(sp)[kind] == len(
                keys["en"]
            )


def test_charter_citations_in_english_and_french() -> None:
    assert charter_citation("第九十九条") == "Article 99"
    assert charter_citation("第十一至第十三章") == "Chapters XI to XIII"
    assert charter_citation("第七十三条(辰)款") == "Article 73 (e)"
    assert charter_citation("第一、第十二（乙）和第五十条") == "Articles 1, 12(b) and 50"
    assert charter_citation("第十一至第十三章", "fr") == "Chapitres XI à XIII"
    assert charter_citation("第七十三条(辰)款", "fr") == "Article 73 e)"
    assert charter_citation("第一、第十二（乙）和第五十条", "fr") == "Articles 1, 12 b) et 50"


def test_the_french_quiz_asks_in_french_from_the_french_text() -> None:
    quiz = MAKER.quiz(3, "fr", "x")
    assert quiz[0].question.text == "Quel service est chargé du sous-programme 3 ?"
    assert quiz[0].question.correct.text == "Division des affaires du Conseil de sécurité"
    assert quiz[0].question.explanation.endswith("(par. 2.8).")
    title = next(s.question for s in quiz if s.question.kind == TITLE)
    assert title.text.startswith("Quelle résolution s'intitule « ")
    assert title.url and "undocs.org/fr/" in title.url
    measured = next(s.question for s in quiz if s.question.kind == INDICATOR)
    assert measured.explanation.endswith("(Sous-programme 3, réalisation escomptée (a)).")
    figure = next(q for q in MAKER.questions(4, "fr") if q.kind == FIGURE)
    assert "territoires non autonomes restants" in figure.text and figure.correct.text == "16"
