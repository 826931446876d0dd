"""Answers computed in lanes, each answer with a deadline: no question holds up the others.

The pipeline is CPU-bound, and its cost grows with the question's length: a question of 2,000
characters has cost seconds where a usual one costs milliseconds (issue 23). With the pipeline
answering one question at a time, every channel waited behind such a question. So:

- Two lanes. A question of more than LONG_QUESTION_CHARS characters is computed in the long
  lane, any other in the short lane; each lane computes one question at a time, and the two run
  side by side. The pipeline is read-only once loaded (its caches are thread-safe), and each lane
  encodes with an engine of its own (Embedder.add_engines), so a long question's work never
  holds up a short one: a usual question waits at most for the short questions ahead of it.
- A deadline. An answer not computed within PROGRAMME_BOT_ANSWER_DEADLINE_S of its job's first
  try (waiting for the lane included) is not waited for: the asker is told the question took too
  long (TooLong, a notice), counted in programme_bot_answer_deadlines_total, and the channel goes
  on. A computation cannot be stopped from outside (Python threads are not killed); one that
  overruns finishes in its lane and is thrown away, and questions queued behind it that have not
  started by their own deadline are dropped from the lane.
- Bounded waiting. At most LONG_BACKLOG long questions are in the long lane at once (running or
  queued); a job finding it full is put back (LaneBusy → Later), holding its channel, not a worker
  thread, until the lane has room or its deadline passes. The worker threads are never all
  waiting on the long lane.

Deadlines are kept per job id in this process: a job put back keeps its first try's time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from bot.answer import Answer
from bot.languages import detect
from bot.languages.messages import messages
from bot.ops import metrics
from bot.pipeline import QuestionError

if TYPE_CHECKING:
    from bot.pipeline import Pipeline
    from bot.records.library import Library

logger = logging.getLogger(__name__)

LONG_QUESTION_CHARS = 200  # longer than nearly every question asked (the dev set's longest: 93)
LONG_BACKLOG = 2  # long questions in their lane at once: one running, one next
BUSY_RETRY_S = 1.0  # a job finding the long lane full looks again this much later
LANES = ("short", "long")


class TooLong(QuestionError):
    """The answer was not computed within the deadline; the message tells the asker."""


class LaneBusy(Exception):
    """The long lane is full: try again at `until` (time.time())."""

    def __init__(self, until: float) -> None:
        super().__init__("the long-question lane is full")
        self.until = until


def too_long(question: str) -> str:
    """The notice (slack.too_long), in the question's language, told from its start: the whole
    of a question that took too long may take long to read again."""
    return messages(detect(question[:200]))("slack.too_long")


class Lanes:
    """The answerer the Slack workers use (deps.Answerer): Pipeline.ask in lanes, with deadlines."""

    def __init__(
        self,
        pipeline: Pipeline,
        deadline_s: float,
        long_chars: int = LONG_QUESTION_CHARS,
        long_backlog: int = LONG_BACKLOG,
    ) -> None:
        self._pipeline = pipeline
        self._deadline_s = deadline_s
        self._long_chars = long_chars
        self._pools = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"lane-{lane}")
            for lane in LANES
        }
        self._long_room = threading.BoundedSemaphore(long_backlog)
        self._first_try: dict[str, float] = {}
        self._lock = threading.Lock()
        pipeline.embedder.add_engines(len(LANES))

    # ------------------------------------------------------------------ deps.Answerer

    def ask(self, question: str, previous: Answer | None = None, job: str | None = None) -> Answer:
        return self._run(question, job, lambda p: p.ask(question, previous=previous))

    def ask_mandates(self, topic_or_symbol: str, job: str | None = None) -> Answer:
        return self._run(topic_or_symbol, job, lambda p: p.ask_mandates(topic_or_symbol))

    @property
    def library(self) -> Library:
        """The documents the answers come from (swapped with the index on a reload)."""
        return self._pipeline.library

    def swap(self, pipeline: Pipeline) -> None:
        """Answer with `pipeline` from the next question on (a reloaded index); questions being
        answered finish on the old one."""
        pipeline.embedder.add_engines(len(LANES))
        self._pipeline = pipeline

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ the lanes

    def lane_of(self, question: str) -> str:
        return "long" if len(question) > self._long_chars else "short"

    def _run(self, question: str, job: str | None, work: Callable[[Pipeline], Answer]) -> Answer:
        lane = self.lane_of(question)
        deadline = self._deadline(job)
        if time.monotonic() >= deadline:
            self._overran(lane, job, "waiting for its lane")
            raise TooLong(too_long(question))
        if lane == "long" and not self._long_room.acquire(blocking=False):
            raise LaneBusy(time.time() + BUSY_RETRY_S)
        pipeline = self._pipeline
        future: Future[Answer] = self._pools[lane].submit(work, pipeline)
        if lane == "long":  # the room is given back when the work ends, not when we stop waiting
            future.add_done_callback(lambda _: self._long_room.release())
        try:
            answer = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except (FutureTimeout, CancelledError):
            started = not future.cancel()  # a computation not begun leaves the lane now
            self._overran(lane, job, "computing" if started else "queued in its lane")
            raise TooLong(too_long(question)) from None
        except Exception:
            self._forget(job)
            raise
        self._forget(job)
        return answer

    def _deadline(self, job: str | None) -> float:
        now = time.monotonic()
        if job is None:
            return now + self._deadline_s
        with self._lock:
            if len(self._first_try) > 10_000:  # jobs that never came back (failed, taken over)
                old = now - 10 * self._deadline_s
                self._first_try = {k: v for k, v in self._first_try.items() if v > old}
            return self._first_try.setdefault(job, now) + self._deadline_s

    def _forget(self, job: str | None) -> None:
        if job is not None:
            with self._lock:
                self._first_try.pop(job, None)

    def _overran(self, lane: str, job: str | None, where: str) -> None:
        self._forget(job)
        metrics.deadline_passed(lane)
        logger.warning(
            "answer past its deadline (%.0f s, %s lane) job=%s: %s; the asker is told",
            self._deadline_s,
            lane,
            job,
            where,
        )
