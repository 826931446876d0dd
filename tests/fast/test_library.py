"""A second programme document beside Programme 2: the made-up TEST FIXTURE in
tests/fixtures/programme-99-made-up (lighthouses and weather balloons; never shipped, never in
the default library). Loaded with Programme 2 into one library, it is answered with its own
references, never mixed with Programme 2's, and has its own tour and map; Programme 2's
answers stay as they are. The fast tier's fake encoder: coverage of the question's words, not
the model, tells the documents apart here."""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import pytest

from bot.embedding import FakeEmbedder
from bot.onboarding.map.draw import MapRequest, draw
from bot.onboarding.map.words import describe
from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.pipeline import Pipeline
from bot.records.library import Library
from bot.search.index import ensure_index
from bot.settings import REPO_ROOT, get_settings
from tests.fast.conftest import FAKE_PARAMS, fake_library

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "programme-99-made-up"
MADE_UP, P2 = "programme-99-made-up", "programme-2"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of two documents: Programme 2 as shipped, and the fixture."""
    documents = {P2: REPO_ROOT / "corpus" / P2, MADE_UP: FIXTURE}
    return fake_library(tmp_path_factory.mktemp("two") / "library", documents)


@pytest.fixture(scope="module")
def two(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    embedder = FakeEmbedder()
    index = ensure_index(tmp_path_factory.mktemp("two-index"), corpus, embedder)
    index = dataclasses.replace(index, facets=None)  # as the tier's pipeline: see its conftest
    settings = get_settings()
    return Pipeline(settings=settings, embedder=embedder, index=index, params=FAKE_PARAMS)  # type: ignore[arg-type]


def test_the_fixture_is_test_data_never_in_the_default_library() -> None:
    shipped = Library.load(get_settings().corpus_dir)
    assert [d.id for d in shipped] == [P2]
    made_up = Library.load(FIXTURE).first
    assert made_up.manifest.fixture and made_up.manifest.number == 99
    assert "纯属虚构" in made_up.programme.passage("99.1").text  # says so in its own text


def test_the_library_holds_both_each_record_carrying_its_document(corpus: Path) -> None:
    library = Library.load(corpus)
    assert [d.id for d in library] == [P2, MADE_UP]  # by programme number
    made_up = library.document(MADE_UP)
    assert sorted(made_up.programme.subprogrammes) == [1, 2]
    assert made_up.programme.passage("99.3").key == f"{MADE_UP}/99.3"
    assert library.document(P2).programme.passage("2.4").key == f"{P2}/2.4"
    # Records with the same id in both documents are different records.
    ours, theirs = (library.document(d).programme.passage("sp1.objective") for d in (P2, MADE_UP))
    assert ours.document != theirs.document and "灯塔" in theirs.text and "灯塔" not in ours.text


def test_questions_about_the_fixture_get_its_records_and_name_it(two: Pipeline) -> None:
    answer = two.ask("Which division inspects lighthouses each year?")
    assert answer.document == MADE_UP, answer.answer
    assert {s.id for s in answer.sources} <= {
        p.id for p in two.library.document(MADE_UP).programme.passages
    }
    assert all(s.document == MADE_UP for s in answer.sources)
    assert "Lighthouse Maintenance Division" in answer.answer
    assert "para. 99.3" in answer.answer
    assert answer.answer.splitlines()[-1] == (
        "Source document: Programme 99: Made-up affairs (test fixture)."
    )
    data = answer.to_json()
    assert data["document"] == MADE_UP and {s["document"] for s in data["sources"]} == {MADE_UP}


def test_its_subprogrammes_and_units_are_never_confused_with_programme_2s(two: Pipeline) -> None:
    made_up = two.ask("What are the indicators for subprogramme 1 of programme 99?")
    assert made_up.document == MADE_UP
    assert "97" in made_up.answer and "lit on time" in made_up.answer, made_up.answer
    assert "conflict" not in made_up.answer.lower()
    # Programme 2's subprogramme 1 is Programme 2's, named or not.
    ours = two.ask("What are the indicators for subprogramme 1 of programme 2?")
    assert ours.document == P2 and "conflict" in ours.answer.lower()
    assert "lighthouse" not in ours.answer.lower()
    plain = two.ask("Which unit assists the regional divisions in conflict prevention?")
    assert plain.document == P2 and "Policy Planning Unit" in plain.answer
    assert all(s.document == P2 for s in plain.sources)


def test_a_follow_up_stays_in_the_document_of_the_turn_before(two: Pipeline) -> None:
    first = two.ask("What does the Balloon Observation Unit do?")
    assert first.document == MADE_UP, first.answer
    then = two.ask("and its objective?", previous=first)
    assert then.document == MADE_UP and "balloon" in then.answer.lower(), then.answer


def test_programme_2_alone_answers_as_before(fake_pipeline: Pipeline) -> None:
    """One document: no document named, and the JSON contract as it always was."""
    answer = fake_pipeline.ask("Which unit assists the regional divisions in conflict prevention?")
    data = answer.to_json()
    assert "document" not in data and all("document" not in s for s in data["sources"])
    assert not answer.answer.splitlines()[-1].startswith("Source document")
    json.dumps(data)


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_the_tour_works_for_the_fixture(corpus: Path, lang: str) -> None:
    made_up = Library.load(corpus).document(MADE_UP)
    guide = TourGuide.of(made_up)
    assert guide.order == (2, 1)  # its manifest's order
    tour = guide.tour(2, lang)
    assert [c.key for c in tour.cards] == ["does", "objective", "measured", "mandates", "meets"]
    text = " ".join([tour.name, tour.unit] + [c.lead for c in tour.cards])
    assert "99.4" in text and "99/102" in " ".join(
        line.label or "" for c in tour.cards for line in c.lines
    )
    assert "2.8" not in text and "Security Council" not in text
    if lang == "en":
        assert tour.unit == "Balloon Observation Unit"
    quiz = QuizMaker.of(made_up).quiz(2, lang, "seed")
    assert quiz and all(s.question.subprogramme == 2 for s in quiz)


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_the_map_works_for_the_fixture(corpus: Path, lang: str) -> None:
    outline = Library.load(corpus).document(MADE_UP).outline
    svg = html.unescape(draw(outline, MapRequest(lang), "svg").decode("utf-8"))
    words = describe(outline, lang)
    names = {
        "en": ("Programme 99: Made-up affairs (test fixture)", "Department of Made-up Tests"),
        "fr": ("Programme 99 : Affaires fictives (jeu d'essai)", "Département des essais"),
        "zh": ("方案99：虚构事务（测试样例）", "虚构测试部"),
    }[lang]
    assert all(n in svg for n in names), (lang, names)
    assert len(outline.subprogrammes) == 2 and "Political affairs" not in svg
    assert words and "Security Council" not in words
    detail = draw(outline, MapRequest(lang, 1), "svg").decode("utf-8")
    assert "99/101" in detail
