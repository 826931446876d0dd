"""Takes pending work from the WorkQueue and runs it on a bounded pool of threads.

One scheduler thread asks the queue for due jobs whenever a thread is free, something was
admitted, a job finished, or a deferred job falls due. The queue hands out only the head of a
lane nobody holds, so a channel's questions are answered in order and a channel that waits
(rate-limited, backing off) holds its lane but no thread: the others go on.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.ops.logs import Throttled
from bot.stores.work import Job, Later, StoreUnavailable, WorkQueue
from bot.surfaces.slack.runtime.errors import one_line, transient

logger = logging.getLogger(__name__)
_trouble = Throttled(logger, every_s=10.0)

IDLE_POLL_S = 1.0  # also picks up work another process released or admitted
RELEASE_EVERY_S = 30.0
DRAIN_S = 10.0  # on SIGTERM, after uvicorn's own graceful shutdown

Runner = Callable[[Job], Later | None]


class Dispatcher:
    def __init__(self, queue: WorkQueue, run: Runner, threads: int) -> None:
        self._queue = queue
        self._run = run
        self._threads = max(1, threads)
        self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="answer")
        self._busy = 0
        self._wake = threading.Condition()
        self._stopping = False
        self._scheduler: threading.Thread | None = None

    def start(self) -> None:
        """Resume what a previous process left (crash), then serve new work."""
        released = self._queue.release_abandoned()
        pending = self._queue.pending()
        if pending:
            logger.info(
                "resuming %d pending job(s) (%d left by a stopped process)", pending, released
            )
        self._scheduler = threading.Thread(target=self._loop, name="dispatcher", daemon=True)
        self._scheduler.start()

    def wake(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def stop(self, drain_s: float = DRAIN_S) -> None:
        """Answer what is pending and due (a graceful stop: no new work arrives by now), for up
        to drain_s; whatever is left (running late, or waiting on a Retry-After) stays pending
        and the next start resumes it."""
        deadline = time.monotonic() + drain_s
        while time.monotonic() < deadline and (self._busy or self._due_work()):
            with self._wake:
                self._wake.notify_all()
                self._wake.wait(0.1)
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._scheduler:
            self._scheduler.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _due_work(self) -> bool:
        try:
            due = self._queue.next_due()
        except Exception:
            return False
        return due is not None and due <= time.time()

    def _loop(self) -> None:
        last_release = time.monotonic()
        while True:
            with self._wake:
                if self._stopping:
                    return
                free = self._threads - self._busy
            jobs: list[Job] = []
            try:
                if time.monotonic() - last_release > RELEASE_EVERY_S:
                    self._queue.release_abandoned()
                    last_release = time.monotonic()
                jobs = self._queue.take(free)
            except Exception as exc:  # the store is locked or full: nothing is lost, wait
                _trouble.warning("cannot take pending work (%s); trying again", exc)
                with self._wake:
                    self._wake.wait(IDLE_POLL_S)
                continue
            for job in jobs:
                with self._wake:
                    self._busy += 1
                self._pool.submit(self._execute, job)
            with self._wake:
                if self._stopping:
                    return
                if jobs and self._threads - self._busy > 0:
                    continue  # there may be more due work
                self._wake.wait(self._idle_wait())

    def _idle_wait(self) -> float:
        try:
            due = self._queue.next_due()
        except Exception:
            return IDLE_POLL_S
        if due is None:
            return IDLE_POLL_S
        return min(IDLE_POLL_S, max(0.01, due - time.time()))

    def _execute(self, job: Job) -> None:
        try:
            outcome = self._run(job)
        except (sqlite3.Error, StoreUnavailable) as exc:
            # The store: the job stays pending, its progress kept.
            _trouble.warning("job %s paused: the state store failed (%s)", job.id, exc)
            outcome = Later(time.time() + 5.0, "state store")
        except Exception as exc:  # a job handles its own errors; this is the last resort
            if transient(exc):
                _trouble.warning("job %s paused: %s", job.id, one_line(exc))
                outcome = Later(time.time() + 5.0, "transient error")
            else:  # no retry can mend it: retrying would only hold up its channel
                logger.error("job %s failed for good: %s", job.id, one_line(exc))
                outcome = None
        try:
            if outcome is None:
                self._queue.done(job)
            else:
                self._queue.later(job, outcome.at)
        except Exception as exc:  # it stays held: released at the next start or after a while
            _trouble.warning("could not record the outcome of job %s (%s)", job.id, exc)
        finally:
            with self._wake:
                self._busy -= 1
                self._wake.notify_all()
