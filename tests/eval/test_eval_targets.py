"""The issue targets as a regression guard, with the real model on the evaluation sets.

`programme-bot eval` prints the figures; these fail when a change drops one below its target
(the held-out sets' own figures are in the README, with the sets they come from).
"""

from __future__ import annotations

import pytest

from bot.ops.evaluate import answer_lengths, evaluate, summarise
from bot.pipeline import Pipeline
from bot.settings import REPO_ROOT

pytestmark = pytest.mark.slow
EVAL = REPO_ROOT / "tests" / "eval"
SETS = {
    "dev": EVAL / "dev.jsonl",
    "examples": EVAL / "answer-first.jsonl",
    "heldout": EVAL / "heldout.jsonl",
    "structured": EVAL / "structured.jsonl",
    "blind2": EVAL / "answer-first-blind2.jsonl",
    "whole": EVAL / "whole-question-blind.jsonl",
    "french": EVAL / "french-blind.jsonl",
    "un": EVAL / "un-languages-blind.jsonl",
    # Written blind before the question path was rebuilt (issues 20 and 21), scored once at the
    # end (README, Measured), kept as regression guards: nobody tunes on them.
    "locked": EVAL / "whole-locked.jsonl",
    "spanish": EVAL / "spanish-locked.jsonl",
    "twins": EVAL / "spanish-locked-en-twins.jsonl",
    # Issue 20's second round: written blind before it began, scored once at 3ed0db2.
    "locked2": EVAL / "whole-locked-2.jsonl",
    # …and its third, written blind while the second round's changes were made; scored once at
    # 6904397.
    "locked3": EVAL / "whole-locked-3.jsonl",
    # …and its third round: written blind at the round's start, scored once at 37d2f16.
    "locked4": EVAL / "whole-locked-4.jsonl",
    # …and its fifth: written blind at the round's start, scored once at 7a210fb.
    "locked5": EVAL / "whole-locked-5.jsonl",
    # …and a sixth, written blind while the fifth round's changes were made, scored once at
    # df1b5ee when they were done.
    "locked6": EVAL / "whole-locked-6.jsonl",
    # …and a seventh, written blind at round 6's start, scored once at 59deaf3 when it was done.
    "locked7": EVAL / "whole-locked-7.jsonl",
    # …and an eighth, written blind at round 7's start, scored once at 676efa5 when it was done.
    "locked8": EVAL / "whole-locked-8.jsonl",
    # …a ninth at round 8's start, scored once at c204b9e; a tenth at round 9's, once at d024174;
    # an eleventh at round 10's, once at 7121767.
    "locked9": EVAL / "whole-locked-9.jsonl",
    "locked10": EVAL / "whole-locked-10.jsonl",
    "locked11": EVAL / "whole-locked-11.jsonl",
}
HELD_AT_THEIR_SCORE = (
    "locked3",
    "locked4",
    "locked5",
    "locked6",
    "locked7",
    "locked8",
    "locked9",
    "locked10",
    "locked11",
)
# Which sets hold which kinds (from the files): each target is checked on every set named here,
# so a set that is missing or lost its items fails rather than passing unchecked.
WITH_NUMBERS = ("dev", "heldout", "structured", "french")
WITH_ABSENT = ("dev", "heldout", "french")
WITH_LISTS = ("dev", "heldout", "structured")
IN_ENGLISH = ("dev", "examples", "heldout", "structured", "blind2", "whole")


@pytest.fixture(scope="module")
def results(pipeline: Pipeline) -> dict[str, list]:
    missing = [str(path) for path in SETS.values() if not path.exists()]
    if missing:
        pytest.fail(f"evaluation sets missing from the repository: {', '.join(missing)}")
    return {name: evaluate(pipeline, path) for name, path in SETS.items()}


def _metric(outcomes: list, key: str, metric: str) -> float:
    return summarise(outcomes)[f"all/{key}"][metric]


def test_lookups_absences_and_declines_are_exact(results: dict[str, list]) -> None:
    # A locked set is held at the figure it was scored at (test_the_locked_sets_hold_…).
    for name in (name for name in SETS if name not in HELD_AT_THEIR_SCORE):
        assert summarise(results[name])["all/in-scope"]["false_abstention"] <= 0.02, name
    for name in WITH_NUMBERS:
        assert _metric(results[name], "number", "top1") == 1.0, name
    for name in WITH_ABSENT:
        assert _metric(results[name], "absent", "abstain") == 1.0, name


def test_lists_are_complete(results: dict[str, list]) -> None:
    for name in WITH_LISTS:
        assert _metric(results[name], "listall", "named_all") == 1.0, name


def test_the_lead_answers_in_the_askers_language(results: dict[str, list]) -> None:
    assert _metric(results["dev"], "passage", "hit@1") >= 0.85
    assert _metric(results["examples"], "first", "lead_fact") >= 0.9
    assert _metric(results["examples"], "oos", "abstain") == 1.0
    for name in IN_ENGLISH:
        assert _metric(results[name], "en-lead", "lead_english") >= 0.95, name


def test_answers_are_short(results: dict[str, list]) -> None:
    # French runs a tenth longer: its own bound is with its targets.
    # Russian and Arabic questions (in "un") name their units now (glossary.ru/ar.tsv) and get
    # the unit's whole list of indicators, with a line saying the answer is in English: 353.
    for name in (name for name in SETS if name != "french"):
        _, median, p90 = answer_lengths(results[name])["all"]
        assert median <= (360 if name == "un" else 350) and p90 <= 900, name


def test_the_whole_question_is_answered(results: dict[str, list]) -> None:
    """Issue 14's targets on its blind set: every part, newcomers' units, unheld names."""
    outcomes = results["whole"]
    assert _metric(outcomes, "parts", "all_parts") >= 0.85
    assert _metric(outcomes, "unit", "named_all") >= 0.85
    assert _metric(outcomes, "unheld", "declined") >= 0.90
    _, median, _ = answer_lengths(outcomes, kinds=None)["all"]
    assert median <= 450


def test_french_is_answered_on_a_par_with_english(results: dict[str, list]) -> None:
    """Issue 17's targets on its blind sets."""
    french = summarise(results["french"])
    assert french["all/first"]["lead_fact"] >= 0.85
    assert french["all/fr-lead"]["lead_french"] >= 0.95
    assert french["all/oos"]["abstain"] >= 0.90
    english_hit1 = min(
        summarise(results[name])["en/passage"]["hit@1"] for name in ("dev", "heldout", "structured")
    )
    assert french["all/passage"]["hit@1"] >= english_hit1 - 0.05
    _, median, p90 = answer_lengths(results["french"])["all"]
    assert median <= 385 and p90 <= 990  # the English bounds, plus a tenth
    others = summarise(results["un"])
    assert others["all/in-scope"]["false_abstention"] == 0.0  # none declined for its language
    assert others["all/passage"]["hit@3"] >= 0.90


def test_the_locked_sets_hold_their_first_score(results: dict[str, list]) -> None:
    """Issue 20's and 21's locked sets: each figure a little below the one scored once."""
    # (set, group, metric): the floor, a little below the figure scored once (in the comment).
    floors = {
        ("locked", "all/first", "lead_fact"): 0.85,  # 0.906
        ("locked", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked", "all/unit", "named_all"): 0.70,  # 0.733
        ("locked", "all/parts", "all_parts"): 0.60,  # 0.667
        ("locked2", "all/first", "lead_fact"): 0.78,  # 0.811
        ("locked2", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked2", "all/unit", "named_all"): 0.60,  # 0.667
        ("locked2", "all/parts", "all_parts"): 0.35,  # 0.412
        ("locked2", "all/passage", "hit@1"): 0.85,  # 0.889
        ("locked3", "all/first", "lead_fact"): 0.70,  # 0.730
        ("locked3", "all/unit", "named_all"): 0.70,  # 0.750
        ("locked3", "all/parts", "all_parts"): 0.55,  # 0.588
        ("locked3", "all/passage", "hit@1"): 0.80,  # 0.828
        ("locked4", "all/first", "lead_fact"): 0.68,  # 0.711
        ("locked4", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked4", "all/unit", "named_all"): 0.70,  # 0.750
        ("locked4", "all/parts", "all_parts"): 0.70,  # 0.765
        ("locked4", "all/passage", "hit@1"): 0.88,  # 0.929
        ("locked5", "all/first", "lead_fact"): 0.70,  # 0.730
        ("locked5", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked5", "all/unit", "named_all"): 0.76,  # 0.824
        ("locked5", "all/parts", "all_parts"): 0.77,  # 0.833
        ("locked5", "all/passage", "hit@1"): 0.85,  # 0.889
        ("locked6", "all/first", "lead_fact"): 0.88,  # 0.926
        ("locked6", "all/oos", "abstain"): 0.80,  # 0.833
        ("locked6", "all/unit", "named_all"): 0.80,  # 0.846
        ("locked6", "all/parts", "all_parts"): 0.55,  # 0.615
        ("locked6", "all/passage", "hit@1"): 0.90,  # 0.947
        ("locked7", "all/first", "lead_fact"): 0.70,  # 0.750
        ("locked7", "all/oos", "abstain"): 0.80,  # 0.900
        ("locked7", "all/unit", "named_all"): 0.90,  # 1.00
        ("locked7", "all/parts", "all_parts"): 0.60,  # 0.650
        ("locked7", "all/passage", "hit@1"): 0.93,  # 1.00
        ("locked8", "all/first", "lead_fact"): 0.66,  # 0.714
        ("locked8", "all/oos", "abstain"): 0.80,  # 0.875
        ("locked8", "all/unit", "named_all"): 0.55,  # 0.600
        ("locked8", "all/parts", "all_parts"): 0.75,  # 0.800
        ("locked8", "all/passage", "hit@1"): 0.90,  # 0.938
        ("locked9", "all/first", "lead_fact"): 0.70,  # 0.750
        ("locked9", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked9", "all/unit", "named_all"): 0.55,  # 0.583
        ("locked9", "all/parts", "all_parts"): 0.45,  # 0.500
        ("locked9", "all/passage", "hit@1"): 0.70,  # 0.750
        ("locked10", "all/first", "lead_fact"): 0.68,  # 0.737
        ("locked10", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked10", "all/unit", "named_all"): 0.85,  # 0.909
        ("locked10", "all/parts", "all_parts"): 0.52,  # 0.571
        ("locked10", "all/passage", "hit@1"): 0.80,  # 0.857
        ("locked11", "all/first", "lead_fact"): 0.60,  # 0.667
        ("locked11", "all/oos", "abstain"): 0.90,  # 1.00
        ("locked11", "all/unit", "named_all"): 0.94,  # 1.00
        ("locked11", "all/parts", "all_parts"): 0.78,  # 0.821
        ("locked11", "all/passage", "hit@1"): 0.93,  # 1.00
    }
    ceilings = {
        "locked": 0.02,
        "locked2": 0.04,
        "locked3": 0.05,
        "locked4": 0.05,
        "locked5": 0.05,
        "locked6": 0.03,
        "locked7": 0.03,
        "locked8": 0.04,
        "locked9": 0.02,
        "locked10": 0.03,
        "locked11": 0.02,
    }  # false declines: 0.016 0.031 0.037 0.038 0.038 (now 0.008) 0.010 0.019 0.028 0.010 0.019
    # 0.009
    summaries = {name: summarise(results[name]) for name in ceilings}
    for (name, group, metric), floor in floors.items():
        assert summaries[name][group][metric] >= floor, (name, group, metric)
    for name, ceiling in ceilings.items():
        assert summaries[name]["all/in-scope"]["false_abstention"] <= ceiling, name
    spanish, twins = summarise(results["spanish"]), summarise(results["twins"])
    assert spanish["all/first"]["lead_fact"] >= 0.85  # 0.875
    assert spanish["all/es-lead"]["lead_spanish"] >= 0.95  # 1.00
    assert spanish["all/passage"]["hit@1"] >= twins["all/passage"]["hit@1"] - 0.05  # 1.00 / 1.00
