"""What every listener needs, built once per process and handed to the listeners through Bolt's
context (`deps`: middleware.provide, in app.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from bot.answer import Answer
from bot.settings import Settings
from bot.stores import open_feedback
from bot.stores.feedback import Feedback
from bot.stores.sqlite_db import StoreError, open_bookkeeping
from bot.stores.state import StateStore
from bot.stores.state.sqlite import SCHEMA as STATE_SCHEMA
from bot.stores.state.sqlite import SlackState
from bot.stores.work import Job, StoreUnavailable, WorkQueue
from bot.stores.work.sqlite import WORK_SCHEMA, SqliteWorkQueue
from bot.surfaces.slack.transport.calls import Cooldowns, LocalCooldowns, SlackCalls
from bot.surfaces.slack.transport.intake import Installation

if TYPE_CHECKING:
    from bot.records.library import Library

logger = logging.getLogger(__name__)


class Answerer(Protocol):
    """What computes answers (lanes.Lanes in the server). `job`: the job asking, whose deadline
    runs from its first try."""

    def ask(
        self, question: str, previous: Answer | None = None, job: str | None = None
    ) -> Answer: ...

    def ask_mandates(self, topic_or_symbol: str, job: str | None = None) -> Answer: ...

    @property
    def library(self) -> Library:
        """The documents the answers come from: the tour, the quiz and the map read the same
        ones (a hot reload swaps them with the index)."""
        ...


@dataclass
class Deps:
    settings: Settings
    answerer: Answerer
    state: StateStore
    feedback: Feedback
    work: WorkQueue  # pending work and event dedupe (work.py)
    calls: SlackCalls  # the workers' Web API calls (calls.py)
    bot_user_id: str = ""
    installation: Installation = field(default_factory=Installation)  # requests for others: ignored
    wake_workers: Callable[[], None] = lambda: None  # set once the dispatcher runs
    wake_courier: Callable[[], None] = lambda: None  # feedback was put in the outbox (outbox.py)

    def enqueue(self, job: Job, wake: bool = True) -> bool:
        """Record work before the ack (StoreUnavailable if it cannot be); False for a duplicate.
        wake=False: the caller wakes the workers itself, once it has done its part (they also
        look every second)."""
        admitted = self.work.admit(job)
        if admitted and wake:
            self.wake_workers()
        return admitted


@dataclass
class Stores:
    """The state and feedback stores, opened (and checked) before the slow model load.

    The one place that picks where state lives: Redis when REDIS_URL is set (any number of
    replicas), else the SQLite state file (one host)."""

    state: StateStore
    feedback: Feedback
    work: WorkQueue
    cooldowns: Cooldowns  # Slack's Retry-After, per method and channel
    close_also: Callable[[], None] = lambda: None  # a connection pool the stores share

    @classmethod
    def open(cls, settings: Settings) -> Stores:
        """Raises StoreError or FeedbackUnavailable, with one line for the operator."""
        feedback = open_feedback(settings)
        if settings.redis_url:
            # Optional dependency: redis, only when REDIS_URL is set.
            from bot.stores.redis_client import for_acks, open_checked
            from bot.stores.state.redis import RedisCooldowns, RedisSlackState
            from bot.stores.work.redis import RedisWorkQueue

            try:
                client = open_checked(settings.redis_url)
                # Listeners' state runs on the ack threads: the ack client's short timeouts keep
                # a hung Redis from blocking them (and the acks queued behind them).
                acks = for_acks(settings.redis_url)
                work = RedisWorkQueue(client, settings.redis_reclaim_s, acks=acks)
            except StoreUnavailable as exc:  # it went away right after answering
                feedback.close()
                raise StoreError(f"Redis: {exc}; check REDIS_URL") from exc
            except BaseException:
                feedback.close()
                raise
            return cls(
                state=RedisSlackState(acks),
                feedback=feedback,
                work=work,
                cooldowns=RedisCooldowns(client),
                close_also=client.close,
            )
        db = open_bookkeeping(settings.slack_state_db, STATE_SCHEMA + WORK_SCHEMA)
        return cls(
            state=SlackState(db),
            feedback=feedback,
            work=SqliteWorkQueue(db),
            cooldowns=LocalCooldowns(),
        )

    def close(self) -> None:
        close_work = getattr(self.work, "close", None)
        if close_work:  # Redis: hand back held work to the other replicas
            close_work()
        self.state.close()
        self.feedback.close()
        self.close_also()
