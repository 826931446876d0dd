"""Answers in lanes, with deadlines (runtime/lanes.py), on a stand-in pipeline whose questions
cost what their text says ("slow 3" takes 3 s): a slow question holds only its own lane, a job
past its deadline is told so, and the long lane never holds more than its backlog."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.answer import Answer
from bot.languages.messages import messages
from bot.surfaces.slack.runtime.lanes import (
    LONG_QUESTION_CHARS,
    LaneBusy,
    Lanes,
    TooLong,
)

LONG = "x" * (LONG_QUESTION_CHARS + 1)


class Engines:
    def __init__(self) -> None:
        self.total = 1

    def add_engines(self, total: int) -> None:
        self.total = max(self.total, total)


class CostlyPipeline:
    """ask(q) sleeps for the seconds q ends with (after "slow"), else answers at once."""

    def __init__(self) -> None:
        self.embedder = Engines()
        self.started: list[str] = []
        self.lock = threading.Lock()

    def ask(self, question: str, previous: Answer | None = None) -> Answer:
        with self.lock:
            self.started.append(question)
        if "slow" in question:
            time.sleep(float(question.rsplit(" ", 1)[1]))
        return Answer(question=question, language="en", answer="ok", abstained=False)

    def ask_mandates(self, topic: str) -> Answer:
        return self.ask(topic)


@pytest.fixture()
def pipeline() -> CostlyPipeline:
    return CostlyPipeline()


def lanes(pipeline: CostlyPipeline, deadline_s: float = 5.0, **kw: Any) -> Lanes:
    return Lanes(pipeline, deadline_s, **kw)  # type: ignore[arg-type]


def test_each_lane_gets_an_engine_of_its_own(pipeline: CostlyPipeline) -> None:
    lanes(pipeline)
    assert pipeline.embedder.total == 2


def test_a_slow_long_question_never_delays_a_short_one(pipeline: CostlyPipeline) -> None:
    answerer = lanes(pipeline)
    with ThreadPoolExecutor(4) as pool:
        slow = pool.submit(answerer.ask, f"{LONG} slow 2", None, "job-long")
        time.sleep(0.1)
        started = time.monotonic()
        assert answerer.ask("What does subprogramme 3 do?", job="job-short").answer == "ok"
        assert time.monotonic() - started < 0.5
        assert slow.result().answer == "ok"
    answerer.close()


def test_a_job_past_its_deadline_is_told_and_the_next_question_is_answered(
    pipeline: CostlyPipeline,
) -> None:
    answerer = lanes(pipeline, deadline_s=0.5)
    started = time.monotonic()
    with pytest.raises(TooLong) as told:
        answerer.ask("What does subprogramme 3 do? slow 3", job="job-1")
    assert 0.5 <= time.monotonic() - started < 1.0
    assert str(told.value) == messages("en")("slack.too_long")
    answerer.close()


def test_the_notice_is_in_the_questions_language(pipeline: CostlyPipeline) -> None:
    answerer = lanes(pipeline, deadline_s=0.2)
    for question, language in [
        ("次级方案3的目标是什么？请详细说明 slow 1", "zh"),
        ("Quel est l'objectif du sous-programme 3 ? slow 1", "fr"),
    ]:
        with pytest.raises(TooLong) as told:
            answerer.ask(question)
        assert str(told.value) == messages(language)("slack.too_long")
    answerer.close()


def test_the_long_lane_holds_its_backlog_and_puts_other_jobs_back(
    pipeline: CostlyPipeline,
) -> None:
    answerer = lanes(pipeline, deadline_s=10.0, long_backlog=2)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(answerer.ask, f"{LONG} slow 1", None, "job-1")
        second = pool.submit(answerer.ask, f"{LONG} slow 0.2", None, "job-2")
        time.sleep(0.1)
        with pytest.raises(LaneBusy) as busy:  # a third: not a thread held, a time to come back
            answerer.ask(f"{LONG} slow 0", job="job-3")
        assert busy.value.until > time.time()
        assert first.result().answer == second.result().answer == "ok"
    assert answerer.ask(f"{LONG} slow 0", job="job-3").answer == "ok"  # room again
    answerer.close()


def test_a_job_put_back_keeps_the_deadline_of_its_first_try(pipeline: CostlyPipeline) -> None:
    answerer = lanes(pipeline, deadline_s=0.6, long_backlog=1)
    with ThreadPoolExecutor(2) as pool:
        hog = pool.submit(answerer.ask, f"{LONG} slow 2", None, "hog")
        time.sleep(0.1)
        with pytest.raises(LaneBusy):
            answerer.ask(f"{LONG} slow 0", job="waiter")
        time.sleep(0.6)  # as the dispatcher would, after LaneBusy's time
        with pytest.raises(TooLong):  # the deadline ran from the first try
            answerer.ask(f"{LONG} slow 0", job="waiter")
        with pytest.raises(TooLong):
            hog.result()
    answerer.close()


def test_a_question_that_overran_leaves_the_lane_to_the_ones_behind_it_in_time(
    pipeline: CostlyPipeline,
) -> None:
    """A queued computation whose job stopped waiting is dropped from the lane, not run."""
    answerer = lanes(pipeline, deadline_s=0.4)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(answerer.ask, "short but slow 1.0", None, "a")
        time.sleep(0.05)
        second = pool.submit(answerer.ask, "queued behind it", None, "b")
        for future in (first, second):
            with pytest.raises(TooLong):
                future.result()
    time.sleep(0.8)
    assert "queued behind it" not in pipeline.started
    assert answerer.ask("and now?", job="c").answer == "ok"
    answerer.close()


def test_mandates_go_through_the_lanes_too(pipeline: CostlyPipeline) -> None:
    answerer = lanes(pipeline, deadline_s=0.3)
    with pytest.raises(TooLong):
        answerer.ask_mandates("Western Sahara slow 1", job="m")
    answerer.close()
