"""Which messages ask for the programme map (bot/onboarding/map/request.py), and which are
questions."""

from __future__ import annotations

import json

import pytest

from bot.onboarding.map.draw import MapRequest
from bot.onboarding.map.request import CommandError, command, detect
from bot.settings import REPO_ROOT

ASKS = {
    "Show me the programme": MapRequest("en"),
    "programme map": MapRequest("en"),
    "Programme map?": MapRequest("en"),
    "Can you show me the whole programme, please?": MapRequest("en"),
    "Is there a map of the programme?": MapRequest("en"),
    "map of subprogramme 3": MapRequest("en", 3),
    "show me sub-programme 5": MapRequest("en", 5),
    "Subprogramme 4 diagram": MapRequest("en", 4),
    "draw SP 2": MapRequest("en", 2),
    "map of subprogramme 9": MapRequest("en", 9),  # refused by the drawing, with a reason
    "方案结构图": MapRequest("zh"),
    "给我看方案结构图。": MapRequest("zh"),
    "画出整个方案": MapRequest("zh"),
    "次级方案三的结构图": MapRequest("zh", 3),
    "次级方案3的图？": MapRequest("zh", 3),
}
QUESTIONS = [
    "What does subprogramme 3 do?",
    "Which mandates map onto subprogramme 3?",
    "Show me the mandates of subprogramme 3",
    "show me the programme budget",
    "What is the programme of work?",
    "map of Palestine",
    "Which resolutions cover Western Sahara?",
    "方案的结构是什么？",
    "次级方案3的图书馆",
    "安理会事务的预期成果有哪些？",
]


@pytest.mark.parametrize("text", list(ASKS))
def test_map_requests_are_recognised_with_their_subprogramme_and_language(text: str) -> None:
    assert detect(text) == ASKS[text]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_are_left_to_the_pipeline(text: str) -> None:
    assert detect(text) is None


def test_the_command_takes_a_number_and_a_language() -> None:
    assert command("map") == MapRequest("en")
    assert command("map 3") == MapRequest("en", 3)
    assert command("MAP sp4 zh") == MapRequest("zh", 4)
    assert command("map 中文") == MapRequest("zh")
    assert command("地图 2") == MapRequest("zh", 2)
    assert command("map 9") == MapRequest("en", 9)  # refused later, with the programme's range
    assert command("What does subprogramme 3 do?") is None
    assert command("mapping of mandates") is None
    with pytest.raises(CommandError, match=r"did not understand 'three'.*/programme map 3"):
        command("map three")


def test_no_question_of_the_evaluation_sets_is_taken_for_a_map_request() -> None:
    questions = [
        json.loads(line)["q"]
        for path in sorted((REPO_ROOT / "tests" / "eval").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 100
    assert [q for q in questions if detect(q)] == []
