"""Durable work: what has been acked is written down first, and taken from there by the workers.

A Job is one unit of work the app owes someone: an event to answer (its id is Slack's
`event_id`, which is also how deliveries are deduplicated), or a question from a command or a
button. `WorkQueue` is the small interface the workers use; `work_sqlite.SqliteWorkQueue`
implements it on the state file, and a shared implementation (Redis Streams) can take its place
without the workers noticing.

Order and isolation: jobs are grouped in lanes (a channel). Only the oldest job of a lane can be
taken, and only when nobody holds that lane, so one channel is answered in order while other
channels go on; a job that must wait (429 Retry-After, a back-off) is put back with a time
before which it is not taken, and holds its lane, not a worker thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol


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


class StoreUnavailable(Exception):
    """The queue could not record the work (disk full, locked): do not ack, Slack will retry."""


class WorkQueue(Protocol):
    def admit(self, job: Job) -> bool:
        """Record `job` as pending, atomically with its id's first sighting. False when the id was
        seen before (a duplicate delivery: nothing is recorded). Raises StoreUnavailable."""

    def seen(self, event_id: str) -> bool:
        """Record a sighting of an event handled without a job (Home tab, ...); True when it was
        seen before. Raises StoreUnavailable."""

    def take(self, limit: int) -> list[Job]:
        """Up to `limit` jobs, each the head of a lane nobody holds, due now; this process holds
        their lanes until it calls done() or later()."""

    def save_progress(self, job: Job) -> None:
        """Persist job.progress (called before each step whose effect is outside the store)."""

    def done(self, job: Job) -> None:
        """The job is finished; its lane is free."""

    def later(self, job: Job, at: float) -> None:
        """Put the job back (with its progress); it is not taken before `at`."""

    def release_abandoned(self) -> int:
        """Make work held by processes that died (a crash) takeable again; returns how many."""

    def pending(self) -> int:
        """Jobs recorded and not done."""

    def next_due(self) -> float | None:
        """The earliest time a pending, unheld job becomes due (None: nothing waits)."""

    def writable(self) -> bool:
        """Whether new work can be recorded right now (/healthz)."""
