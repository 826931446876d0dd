"""What every listener needs, built once per process and passed to `register(app, deps)`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.answer import Answer
from bot.settings import Settings
from bot.slack.calls import SlackCalls
from bot.slack.feedback import Feedback, open_feedback
from bot.slack.sqlite_db import SqliteDb, open_bookkeeping
from bot.slack.state import SCHEMA as STATE_SCHEMA
from bot.slack.state import SlackState
from bot.slack.work import Job, WorkQueue
from bot.slack.work_sqlite import WORK_SCHEMA, SqliteWorkQueue

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


@dataclass
class Deps:
    settings: Settings
    answerer: Answerer
    state: SlackState
    feedback: Feedback
    work: WorkQueue  # pending work and event dedupe (work.py)
    calls: SlackCalls  # the workers' Web API calls (calls.py)
    bot_user_id: str = ""
    wake_workers: Callable[[], None] = lambda: None  # set once the dispatcher runs

    def enqueue(self, job: Job) -> bool:
        """Record work before the ack (StoreUnavailable if it cannot be); False for a duplicate."""
        admitted = self.work.admit(job)
        if admitted:
            self.wake_workers()
        return admitted


@dataclass
class Stores:
    """The state and feedback stores, opened (and checked) before the slow model load."""

    db: SqliteDb
    state: SlackState
    feedback: Feedback
    work: WorkQueue

    @classmethod
    def open(cls, settings: Settings) -> Stores:
        """Raises StoreError or FeedbackUnavailable, with one line for the operator."""
        feedback = open_feedback(settings)
        db = open_bookkeeping(settings.slack_state_db, STATE_SCHEMA + WORK_SCHEMA)
        return cls(db=db, state=SlackState(db), feedback=feedback, work=SqliteWorkQueue(db))

    def close(self) -> None:
        self.state.close()
        self.feedback.close()
