"""Slack state in one SQLite file (the default: one host). Only storage: the tables, and
purge() for what has outlived its TTL; everything else is base.StateStore's.

Seen event ids and pending work live in the same file but behind their own interface
(bot/stores/work/sqlite.py). Connections: sqlite_db.SqliteDb; a damaged file is set aside and a
new one started (sqlite_db.open_bookkeeping).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.stores.feedback import QuizAnswer
from bot.stores.sqlite_db import SqliteDb, open_bookkeeping
from bot.stores.state.base import ANSWER_TTL_S, MESSAGE_CLAIM_TTL_S, StateStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY, claimant TEXT NOT NULL, claimed_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS threads (
    channel TEXT NOT NULL, thread_ts TEXT NOT NULL, kind TEXT NOT NULL,
    started_at REAL NOT NULL, last_answer_id TEXT, last_answer_at REAL,
    PRIMARY KEY (channel, thread_ts));
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, created_at REAL NOT NULL, channel TEXT, user_id TEXT,
    json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS welcomed_users (user_id TEXT PRIMARY KEY, welcomed_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tour_positions (
    user_id TEXT PRIMARY KEY, subprogramme INTEGER NOT NULL, language TEXT NOT NULL,
    step INTEGER NOT NULL, quiz_id TEXT, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS quiz_choices (
    quiz_id TEXT NOT NULL, position INTEGER NOT NULL, user_id TEXT NOT NULL,
    answer TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (quiz_id, position, user_id));
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY, holder TEXT NOT NULL, until REAL NOT NULL);
"""


class SlackState(StateStore):
    def __init__(self, db: SqliteDb | Path) -> None:
        self._store = db if isinstance(db, SqliteDb) else open_bookkeeping(db, SCHEMA)
        self.purge()

    @property
    def _db(self) -> sqlite3.Connection:
        return self._store.conn

    def close(self) -> None:
        self._store.close()

    def purge(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self._db.execute("DELETE FROM claims WHERE claimed_at < ?", (now - MESSAGE_CLAIM_TTL_S,))
        self._db.execute("DELETE FROM answers WHERE created_at < ?", (now - ANSWER_TTL_S,))
        self._db.execute("DELETE FROM quiz_choices WHERE created_at < ?", (now - ANSWER_TTL_S,))

    # ------------------------------------------------------------------ exactly-once

    def claim(self, key: str, claimant: str) -> bool:
        self._db.execute(
            "INSERT OR IGNORE INTO claims (key, claimant, claimed_at) VALUES (?, ?, ?)",
            (key, claimant, time.time()),
        )
        row = self._db.execute("SELECT claimant FROM claims WHERE key = ?", (key,)).fetchone()
        return bool(row) and row[0] == claimant

    def unclaim(self, key: str, claimant: str) -> None:
        self._db.execute("DELETE FROM claims WHERE key = ? AND claimant = ?", (key, claimant))

    # ------------------------------------------------------------------ threads

    def remember_thread(self, channel: str, thread_ts: str, kind: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO threads (channel, thread_ts, kind, started_at) "
            "VALUES (?, ?, ?, ?)",
            (channel, thread_ts, kind, time.time()),
        )

    def thread_kind(self, channel: str, thread_ts: str) -> str | None:
        row = self._db.execute(
            "SELECT kind FROM threads WHERE channel = ? AND thread_ts = ?", (channel, thread_ts)
        ).fetchone()
        return row[0] if row else None

    def set_thread_answer(self, channel: str, thread_ts: str, kind: str, answer_id: str) -> None:
        self._db.execute(
            "INSERT INTO threads (channel, thread_ts, kind, started_at, last_answer_id, "
            "last_answer_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (channel, thread_ts) DO UPDATE SET "
            "last_answer_id = excluded.last_answer_id, "
            "last_answer_at = excluded.last_answer_at",
            (channel, thread_ts, kind, time.time(), answer_id, time.time()),
        )

    def _thread_answer(self, channel: str, thread_ts: str) -> tuple[str, float] | None:
        row = self._db.execute(
            "SELECT last_answer_id, last_answer_at FROM threads "
            "WHERE channel = ? AND thread_ts = ? AND last_answer_id IS NOT NULL",
            (channel, thread_ts),
        ).fetchone()
        return (row[0], row[1]) if row else None

    # ------------------------------------------------------------------ answers

    def _put_answer(
        self, answer_id: str, payload: str, channel: str | None, user_id: str | None
    ) -> None:
        self._db.execute(
            "INSERT INTO answers (id, created_at, channel, user_id, json) VALUES (?, ?, ?, ?, ?)",
            (answer_id, time.time(), channel, user_id, payload),
        )

    def _get_answer(self, answer_id: str) -> str | None:
        row = self._db.execute("SELECT json FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ welcome

    def first_welcome(self, user_id: str) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO welcomed_users (user_id, welcomed_at) VALUES (?, ?)",
            (user_id, time.time()),
        )
        return cursor.rowcount == 1

    # ------------------------------------------------------------------ tour

    def save_tour(
        self, user_id: str, subprogramme: int, language: str, step: int, quiz_id: str | None
    ) -> None:
        self._db.execute(
            "INSERT INTO tour_positions (user_id, subprogramme, language, step, quiz_id, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "subprogramme = excluded.subprogramme, language = excluded.language, "
            "step = excluded.step, quiz_id = excluded.quiz_id, "
            "updated_at = excluded.updated_at",
            (user_id, subprogramme, language, step, quiz_id, time.time()),
        )

    def _tour_row(self, user_id: str) -> tuple[Any, Any, Any, Any] | None:
        return self._db.execute(
            "SELECT subprogramme, language, step, quiz_id FROM tour_positions WHERE user_id = ?",
            (user_id,),
        ).fetchone()

    def end_tour(self, user_id: str) -> None:
        self._db.execute("DELETE FROM tour_positions WHERE user_id = ?", (user_id,))

    def _first_quiz_choice(self, answer: QuizAnswer, text: str) -> tuple[str, bool]:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO quiz_choices (quiz_id, position, user_id, answer, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (answer.quiz_id, answer.position, answer.user_id, text, time.time()),
        )
        row = self._db.execute(
            "SELECT answer FROM quiz_choices WHERE quiz_id = ? AND position = ? AND user_id = ?",
            (answer.quiz_id, answer.position, answer.user_id),
        ).fetchone()
        return row[0], cursor.rowcount == 1

    def _quiz_choices(self, quiz_id: str, user_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT answer FROM quiz_choices WHERE quiz_id = ? AND user_id = ?",
            (quiz_id, user_id),
        ).fetchall()
        return [row[0] for row in rows]

    # ------------------------------------------------------------------ the feedback outbox

    def _outbox_add(self, kind: str, payload: str) -> None:
        self._db.execute(
            "INSERT INTO outbox (kind, payload, created_at) VALUES (?, ?, ?)",
            (kind, payload, time.time()),
        )

    def _outbox_rows(self, limit: int) -> list[tuple[Any, str, str]]:
        return self._db.execute(
            "SELECT seq, kind, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()

    def outbox_done(self, item_id: str) -> None:
        self._db.execute("DELETE FROM outbox WHERE seq = ?", (int(item_id),))

    def outbox_size(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def _quarantine(self, item_id: str, record: str) -> None:
        with self._db:  # one transaction: the item is in the outbox or among the dead letters
            self._db.execute("INSERT INTO dead_letters (record) VALUES (?)", (record,))
            self._db.execute("DELETE FROM outbox WHERE seq = ?", (int(item_id),))

    def _dead_letter_rows(self, limit: int) -> list[str]:
        rows = self._db.execute(
            "SELECT record FROM dead_letters ORDER BY seq DESC LIMIT ?", (limit,)
        ).fetchall()
        return [row[0] for row in rows]

    def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        now = time.time()
        self._db.execute(
            "INSERT INTO leases (name, holder, until) VALUES (?, ?, ?) ON CONFLICT (name) DO "
            "UPDATE SET holder = excluded.holder, until = excluded.until "
            "WHERE leases.holder = excluded.holder OR leases.until < ?",
            (name, holder, now + seconds, now),
        )
        row = self._db.execute("SELECT holder FROM leases WHERE name = ?", (name,)).fetchone()
        return bool(row) and row[0] == holder
