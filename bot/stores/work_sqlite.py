"""WorkQueue on the SQLite state file: dedupe and pending work in one transaction.

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
import json
import os
import socket
import sqlite3
import threading
import time

from bot.stores.sqlite_db import SqliteDb
from bot.stores.work import Job, StoreUnavailable

EVENT_TTL_S = 60 * 60  # Slack retries within minutes; an hour is ample and keeps the table small
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


class SqliteWorkQueue:
    def __init__(self, db: SqliteDb) -> None:
        self._db = db
        self._owner = _this_process()
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        self._sightings = 0

    # ------------------------------------------------------------------ recording

    def admit(self, job: Job) -> bool:
        try:
            conn = self._db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._first_sighting(conn, job.id, time.time()):
                    conn.execute("ROLLBACK")
                    return False
                conn.execute(
                    "INSERT INTO work (id, lane, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                    (job.id, job.lane, job.kind, json.dumps(job.payload), job.created_at),
                )
                conn.execute("COMMIT")
                return True
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    def seen(self, event_id: str) -> bool:
        """Record a sighting of an event handled without a job; True if it was seen before."""
        try:
            return not self._first_sighting(self._db.conn, event_id, time.time())
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    def _first_sighting(self, conn: sqlite3.Connection, event_id: str, now: float) -> bool:
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

    def take(self, limit: int) -> list[Job]:
        if limit <= 0:
            return []
        now = time.time()
        conn = self._db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
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
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        jobs = [
            Job(
                id=r[1],
                lane=r[2],
                kind=r[3],
                payload=json.loads(r[4]),
                progress=json.loads(r[5]),
                attempts=r[6] + 1,
                created_at=r[7],
            )
            for r in heads
        ]
        with self._held_lock:
            self._held.update(j.id for j in jobs)
        return jobs

    def save_progress(self, job: Job) -> None:
        self._db.conn.execute(
            "UPDATE work SET progress = ? WHERE id = ?", (json.dumps(job.progress), job.id)
        )

    def done(self, job: Job) -> None:
        try:
            self._db.conn.execute("DELETE FROM work WHERE id = ?", (job.id,))
        finally:  # if the write failed, release_abandoned() hands the job out again
            self._let_go(job)

    def later(self, job: Job, at: float) -> None:
        try:
            self._db.conn.execute(
                "UPDATE work SET progress = ?, not_before = ?, owner = NULL, held_at = NULL "
                "WHERE id = ?",
                (json.dumps(job.progress), at, job.id),
            )
        finally:
            self._let_go(job)

    def _let_go(self, job: Job) -> None:
        with self._held_lock:
            self._held.discard(job.id)

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
