"""Durable work: what has been acked is written down first, and taken from there by the workers.

A Job is one unit of work the app owes someone: an event to answer (its id is Slack's
`event_id`, which is also how deliveries are deduplicated), or a question from a command or a
button. `WorkQueue` is the small interface the workers use, with the record handling written
once: a job's payload and progress as JSON, a job read back from what is stored, how long an
event id is remembered. The backends only store and fetch: sqlite.SqliteWorkQueue on the state
file (one host), and redis.RedisWorkQueue (Redis Streams) for any number of replicas; the
workers do not notice which.

Order and isolation: jobs are grouped in lanes (a channel). Only the oldest job of a lane can be
taken, and only when nobody holds that lane, so one channel is answered in order while other
channels go on; a job that must wait (429 Retry-After, a back-off) is put back with a time
before which it is not taken, and holds its lane, not a worker thread.
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bot.stores.errors import StoreUnavailable

EVENT_TTL_S = 60 * 60  # Slack retries within minutes; an hour is ample and keeps the table small

__all__ = ["EVENT_TTL_S", "Job", "Later", "StoreUnavailable", "StoredJob", "WorkQueue"]


@dataclass
class Job:
    id: str  # the event_id, or an id derived from the command/button
    lane: str  # jobs of one lane run one at a time, in order (a channel id)
    kind: str  # "event" | "question" | "private": see answering.run_job
    payload: dict[str, Any]
    progress: dict[str, Any] = field(default_factory=dict)  # steps done so far (crash-safe)
    attempts: int = 0  # times taken, including runs cut short by a crash
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Later:
    """The job's outcome: not done, take it again at `at` (monotonic-free: a time.time())."""

    at: float
    reason: str


class StoredJob(NamedTuple):
    """A job as a backend keeps it: payload and progress as JSON text, numbers as they come back
    (Redis gives text)."""

    id: str
    lane: str
    kind: str
    payload: str
    progress: str
    attempts: int | str  # already counting the take that read it
    created_at: float | str

    def job(self) -> Job:
        return Job(
            id=self.id,
            lane=self.lane,
            kind=self.kind,
            payload=json.loads(self.payload),
            progress=json.loads(self.progress),
            attempts=int(self.attempts),
            created_at=float(self.created_at),
        )


class WorkQueue(ABC):
    """The public methods are the workers' interface; a backend implements the abstract ones."""

    def admit(self, job: Job) -> bool:
        """Record `job` as pending, atomically with its id's first sighting. False when the id was
        seen before (a duplicate delivery: nothing is recorded). Raises StoreUnavailable."""
        return self._admit(job, json.dumps(job.payload))

    def seen(self, event_id: str) -> bool:
        """Record a sighting of an event handled without a job (Home tab, ...); True when it was
        seen before. Raises StoreUnavailable."""
        return not self._first_sighting(event_id)

    def take(self, limit: int) -> list[Job]:
        """Up to `limit` jobs, each the head of a lane nobody holds, due now; this process holds
        their lanes until it calls done() or later()."""
        if limit <= 0:
            return []
        return [stored.job() for stored in self._take(limit)]

    def save_progress(self, job: Job) -> None:
        """Persist job.progress (called before each step whose effect is outside the store)."""
        self._save_progress(job.id, json.dumps(job.progress))

    @abstractmethod
    def done(self, job: Job) -> None:
        """The job is finished; its lane is free."""

    def later(self, job: Job, at: float) -> None:
        """Put the job back (with its progress); it is not taken before `at`."""
        self._later(job.id, json.dumps(job.progress), at)

    @abstractmethod
    def release_abandoned(self) -> int:
        """Make work held by processes that died (a crash) takeable again; returns how many."""

    @abstractmethod
    def pending(self) -> int:
        """Jobs recorded and not done."""

    @abstractmethod
    def next_due(self) -> float | None:
        """The earliest time a pending, unheld job becomes due (None: nothing waits)."""

    @abstractmethod
    def writable(self) -> bool:
        """Whether new work can be recorded right now (/healthz)."""

    # ------------------------------------------------------------------ what a backend stores

    @abstractmethod
    def _admit(self, job: Job, payload: str) -> bool:
        """Record the job (its payload as JSON text, no progress, no attempts) together with
        the first sighting of its id within EVENT_TTL_S, or nothing; whether it was recorded."""

    @abstractmethod
    def _first_sighting(self, event_id: str) -> bool:
        """Record a sighting of the id; True when it is the first within EVENT_TTL_S."""

    @abstractmethod
    def _take(self, limit: int) -> list[StoredJob]:
        """Up to `limit` heads of free lanes, due now, now held by this process and each with
        one more attempt."""

    @abstractmethod
    def _save_progress(self, job_id: str, progress: str) -> None:
        """Store the progress JSON of a job still pending (never recreate a finished one)."""

    @abstractmethod
    def _later(self, job_id: str, progress: str, at: float) -> None:
        """Store the progress JSON, make the job due at `at` and let go of it."""
