"""What every listener needs, built once per process and passed to `register(app, deps)`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.answer import Answer
from bot.settings import Settings
from bot.slack.feedback import Feedback, open_feedback
from bot.slack.state import SlackState

if TYPE_CHECKING:
    from bot.pipeline import Pipeline

logger = logging.getLogger(__name__)


class Answerer(Protocol):
    def ask(self, question: str, previous: Answer | None = None) -> Answer: ...

    def ask_mandates(self, topic_or_symbol: str) -> Answer: ...


class SerialPipeline:
    """The pipeline behind a lock: it is CPU-bound (2 cores) and its model and index were not
    written for concurrent use, so answers are computed one at a time while Slack I/O overlaps."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self._lock = threading.Lock()

    def ask(self, question: str, previous: Answer | None = None) -> Answer:
        with self._lock:
            return self._pipeline.ask(question, previous=previous)

    def ask_mandates(self, topic_or_symbol: str) -> Answer:
        with self._lock:
            return self._pipeline.ask_mandates(topic_or_symbol)

    def swap(self, pipeline: Pipeline) -> None:
        """Answer with `pipeline` from the next question on (a reloaded index); the question
        being answered finishes on the old one."""
        self._pipeline = pipeline


class Workers:
    """Heavy work after the ack, on its own threads.

    Bolt's listener executor also runs the ack functions of commands and actions; if answering
    shared it, a burst of questions would queue acks behind answers and miss Slack's 3 s.
    """

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="answer")

    def submit(self, job: Callable[[], None]) -> None:
        def run() -> None:
            try:
                job()
            except Exception:  # a job handles its own errors; this is the last resort
                logger.exception("unhandled error in background job")

        self._pool.submit(run)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)  # let questions already taken get their answer


@dataclass
class Deps:
    settings: Settings
    answerer: Answerer
    state: SlackState
    feedback: Feedback
    workers: Workers

    @classmethod
    def create(cls, settings: Settings, answerer: Answerer) -> Deps:
        return cls(
            settings=settings,
            answerer=answerer,
            state=SlackState(settings.slack_state_db),
            feedback=open_feedback(settings),
            workers=Workers(settings.slack_workers),
        )

    def close(self) -> None:
        self.workers.shutdown()
        self.state.close()
        self.feedback.close()
