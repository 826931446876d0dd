"""What counts as a question (bot.pipeline.validate_question): junk is refused with a clear
message, every real question and resolution number gets through."""

from __future__ import annotations

import json
import random

import pytest

from bot.pipeline import QuestionError, validate_question
from bot.settings import REPO_ROOT

EVAL_SETS = [
    REPO_ROOT / "tests" / "eval" / "heldout.jsonl",
    REPO_ROOT / "tests" / "eval" / "structured.jsonl",
    REPO_ROOT / "tests" / "eval" / "dev.jsonl",
]


def _random_line(rng: random.Random) -> str:
    raw = bytes(rng.getrandbits(8) for _ in range(rng.randint(5, 120)))
    return raw.decode("utf-8", errors="replace").replace("\n", " ").replace("\r", " ")


def test_random_bytes_are_not_read_as_questions() -> None:
    rng = random.Random(20261128)
    refused = 0
    for _ in range(50):
        try:
            validate_question(_random_line(rng), 2000)
        except QuestionError as exc:
            assert "could not read a question" in str(exc) or "empty" in str(exc)
            refused += 1
    assert refused >= 47


@pytest.mark.parametrize("junk", ["?", "!!!???", "%$#@!~^&*", "\ufffd\ufffd\ufffd abc"])
def test_symbols_are_not_a_question(junk: str) -> None:
    with pytest.raises(QuestionError, match="could not read a question"):
        validate_question(junk, 2000)


@pytest.mark.parametrize(
    "question",
    [
        "58/109",
        "1373 (2001)",
        "S/RES/1373",
        "第58/109号决议",
        "1514(XV)",
        "52/12 A 和 B",
        "安理会事务的预期成果有哪些？",
    ],
)
def test_resolution_numbers_and_short_questions_get_through(question: str) -> None:
    assert validate_question(question, 2000)


def test_every_evaluation_question_gets_through() -> None:
    rows = [
        json.loads(line)
        for path in EVAL_SETS  # in the repository: a missing one is an error, not a skip
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    questions = [row.get("question") or row["q"] for row in rows]
    assert len(questions) > 100
    for question in questions:
        validate_question(question, 2000)
