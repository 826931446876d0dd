"""Opening the SQLite files the Slack app keeps, and telling a damaged one from a healthy one.

Two policies, because the files hold different things:
- the state store (dedupe, pending work, threads) is bookkeeping: a damaged file is set aside
  (renamed with a timestamp) and a fresh one created, with one warning;
- the feedback store is data people gave us: a damaged or unwritable file stops start-up with
  one line that names it and says what to do (StoreError), and nothing is overwritten.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from pathlib import Path

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 2000  # a request waiting longer than this has missed Slack's 3 s anyway
PROBE_TIMEOUT_MS = 500
_SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreError(Exception):
    """A store that cannot be used; the message is one line for an operator."""


class SqliteDb:
    """A connection per thread (Bolt, uvicorn and the workers call from many threads): SQLite
    itself orders the writers (busy_timeout), so a request never queues behind a worker in
    Python. WAL: readers never block the writer, and a commit survives the process being killed
    (synchronous=NORMAL loses at most the last commits on power loss)."""

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._probe: sqlite3.Connection | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._prepare(schema)
        except BaseException:
            self.close()
            raise

    def _prepare(self, schema: str) -> None:
        conn = self.conn
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(schema)
        conn.executescript(
            "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value REAL)"
        )
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {check[0] if check else '?'}")
        conn.execute(
            "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('opened', ?)", (time.time(),)
        )  # a real write: an unwritable file fails here, at start-up

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; BEGIN IMMEDIATE for multi-statement writes)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    def writable(self) -> bool:
        """For /healthz: a probe write that answers within PROBE_TIMEOUT_MS."""
        with self._probe_lock:
            try:
                if self._probe is None:
                    self._probe = sqlite3.connect(
                        str(self.path), check_same_thread=False, isolation_level=None
                    )
                    self._probe.execute(f"PRAGMA busy_timeout={PROBE_TIMEOUT_MS}")
                self._probe.execute(
                    "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('health', ?)",
                    (time.time(),),
                )
                return True
            except sqlite3.Error:
                return False

    def close(self) -> None:
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        with self._probe_lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def open_bookkeeping(path: Path, schema: str) -> SqliteDb:
    """Open the state store; a damaged file is renamed aside and replaced by an empty one."""
    try:
        return SqliteDb(path, schema)
    except sqlite3.DatabaseError as exc:
        if not _damaged(exc):
            raise StoreError(_cannot_write(path, exc)) from exc
        aside = set_aside(path)
        logger.warning(
            "state store %s was damaged (%s): moved to %s and started a new one; threads and "
            "pending work recorded in the old file are not resumed",
            path,
            exc,
            aside.name,
        )
    except OSError as exc:
        raise StoreError(_cannot_write(path, exc)) from exc
    try:
        return SqliteDb(path, schema)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(_cannot_write(path, exc)) from exc


def open_data(path: Path, schema: str, variable: str) -> SqliteDb:
    """Open a store whose contents matter: any problem is a StoreError, the file is untouched."""
    try:
        return SqliteDb(path, schema)
    except sqlite3.DatabaseError as exc:
        if _damaged(exc):
            raise StoreError(
                f"{path} is damaged ({exc}): move it aside (or restore a backup) and start "
                f"again, or point {variable} at another file"
            ) from exc
        raise StoreError(f"{_cannot_write(path, exc)}, or point {variable} elsewhere") from exc
    except OSError as exc:
        raise StoreError(f"{_cannot_write(path, exc)}, or point {variable} elsewhere") from exc


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return any(
        sign in text
        for sign in ("not a database", "malformed", "integrity check", "corrupt", "disk image")
    )


def _cannot_write(path: Path, exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc)
    return (
        f"cannot open {path} for writing ({reason}): check the path, its permissions and free space"
    )


def set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(aside)
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(aside.with_name(aside.name + suffix))
    return aside
