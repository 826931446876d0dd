"""WorkQueue on the SQLite state file: dedupe and pending work in one transaction. Only storage;
jobs are read and written by base.WorkQueue.

Recording an event is one INSERT into `seen_events` and, when it is new, one into `work`, in a
single transaction that is committed before the ack is sent, so a kill at any moment leaves
either nothing (Slack gets no 200 and retries) or a pending job that the next start resumes.

Who holds a job: `owner` is "host:pid" of the process running it. Processes on one host may
share the file; a job held by a process that no longer exists (kill -9) is released at start-up
and then every RELEASE_EVERY_S by any process on that host; a hold older than HOLD_MAX_S is
released whatever happened (no job legitimately runs that long: every Slack call times out).
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator

from bot.stores.sqlite_db import SqliteDb
from bot.stores.work.base import EVENT_TTL_S, Job, StoredJob, StoreUnavailable, WorkQueue

HOLD_MAX_S = 15 * 60
PURGE_EVERY = 1000  # sightings between purges of expired ids

WORK_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_events (event_id TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS work (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    lane TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    progress TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL,
    not_before REAL NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    held_at REAL);
CREATE INDEX IF NOT EXISTS work_lane ON work (lane, seq);
"""


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str, host: str) -> bool:
    owner_host, _, pid = owner.rpartition(":")
    if owner_host != host or not pid.isdigit():
        return True  # another host's process: only HOLD_MAX_S releases its work
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE, then COMMIT, unless the block rolled back itself; ROLLBACK if anything
    (the COMMIT too) fails."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        if conn.in_transaction:
            conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


class SqliteWorkQueue(WorkQueue):
    def __init__(self, db: SqliteDb) -> None:
        self._db = db
        self._owner = _this_process()
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        self._sightings = 0

    # ------------------------------------------------------------------ recording

    def _admit(self, job: Job, payload: str) -> bool:
        try:
            conn = self._db.conn
            with _immediate(conn):
                if not self._sighting(conn, job.id, time.time()):
                    conn.execute("ROLLBACK")
                    return False
                conn.execute(
                    "INSERT INTO work (id, lane, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                    (job.id, job.lane, job.kind, payload, job.created_at),
                )
                return True
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    def _first_sighting(self, event_id: str) -> bool:
        try:
            return self._sighting(self._db.conn, event_id, time.time())
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    def _sighting(self, conn: sqlite3.Connection, event_id: str, now: float) -> bool:
        self._sightings += 1
        if self._sightings % PURGE_EVERY == 0:
            conn.execute("DELETE FROM seen_events WHERE seen_at < ?", (now - EVENT_TTL_S,))
        conn.execute(
            "DELETE FROM seen_events WHERE event_id = ? AND seen_at < ?",
            (event_id, now - EVENT_TTL_S),
        )
        cursor = conn.execute(
            "INSERT OR IGNORE INTO seen_events (event_id, seen_at) VALUES (?, ?)", (event_id, now)
        )
        return cursor.rowcount == 1

    # ------------------------------------------------------------------ taking

    def _take(self, limit: int) -> list[StoredJob]:
        now = time.time()
        conn = self._db.conn
        with _immediate(conn):
            heads = conn.execute(
                "SELECT seq, id, lane, kind, payload, progress, attempts, created_at FROM work "
                "WHERE seq IN (SELECT MIN(seq) FROM work GROUP BY lane) "
                "AND owner IS NULL AND not_before <= ? ORDER BY seq LIMIT ?",
                (now, limit),
            ).fetchall()
            for row in heads:
                conn.execute(
                    "UPDATE work SET owner = ?, held_at = ?, attempts = attempts + 1 WHERE seq = ?",
                    (self._owner, now, row[0]),
                )
        taken = [  # attempts: counting this take
            StoredJob(job_id, lane, kind, payload, progress, attempts + 1, created_at)
            for _seq, job_id, lane, kind, payload, progress, attempts, created_at in heads
        ]
        with self._held_lock:
            self._held.update(stored.id for stored in taken)
        return taken

    def _save_progress(self, job_id: str, progress: str) -> None:
        self._db.conn.execute("UPDATE work SET progress = ? WHERE id = ?", (progress, job_id))

    def done(self, job: Job) -> None:
        try:
            self._db.conn.execute("DELETE FROM work WHERE id = ?", (job.id,))
        finally:  # if the write failed, release_abandoned() hands the job out again
            self._let_go(job.id)

    def _later(self, job_id: str, progress: str, at: float) -> None:
        try:
            self._db.conn.execute(
                "UPDATE work SET progress = ?, not_before = ?, owner = NULL, held_at = NULL "
                "WHERE id = ?",
                (progress, at, job_id),
            )
        finally:
            self._let_go(job_id)

    def _let_go(self, job_id: str) -> None:
        with self._held_lock:
            self._held.discard(job_id)

    def release_abandoned(self) -> int:
        host = socket.gethostname()
        now = time.time()
        with self._held_lock:
            mine = set(self._held)
        rows = self._db.conn.execute(
            "SELECT id, owner, held_at FROM work WHERE owner IS NOT NULL"
        ).fetchall()
        abandoned = [
            job_id
            for job_id, owner, held_at in rows
            if (owner == self._owner and job_id not in mine)
            or (owner != self._owner and not _alive(owner, host))
            or (held_at or 0) < now - HOLD_MAX_S
        ]
        for job_id in abandoned:
            self._db.conn.execute(
                "UPDATE work SET owner = NULL, held_at = NULL WHERE id = ?", (job_id,)
            )
        return len(abandoned)

    # ------------------------------------------------------------------ looking

    def pending(self) -> int:
        return int(self._db.conn.execute("SELECT COUNT(*) FROM work").fetchone()[0])

    def next_due(self) -> float | None:
        row = self._db.conn.execute(
            "SELECT MIN(not_before) FROM work WHERE owner IS NULL "
            "AND seq IN (SELECT MIN(seq) FROM work GROUP BY lane)"
        ).fetchone()
        return row[0] if row and row[0] is not None else None

    def writable(self) -> bool:
        return self._db.writable()
