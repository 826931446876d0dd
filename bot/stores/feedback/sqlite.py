"""Feedback in one SQLite file (the default): PROGRAMME_BOT_FEEDBACK_DB.

Only storage: the table layout, and timestamps, flags and lists in SQLite's types (ISO text, 0/1,
JSON text). Everything else is base.Feedback's. A damaged or unwritable file stops start-up with
one line (sqlite_db.open_data); the file is left as it was.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import astuple
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.stores.feedback.base import Feedback, FeedbackUnavailable, QuizAnswer
from bot.stores.sqlite_db import StoreError, open_data

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT,
    question TEXT NOT NULL,
    language TEXT,
    abstained INTEGER,
    source_ids TEXT NOT NULL,
    mandate_symbols TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT,
    UNIQUE (answer_id, user_id)
);
CREATE TABLE IF NOT EXISTS quiz_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    quiz_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT,
    subprogramme INTEGER NOT NULL,
    language TEXT NOT NULL,
    question_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    choice_key TEXT NOT NULL,
    correct INTEGER NOT NULL,
    UNIQUE (quiz_id, position, user_id)
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackStore(Feedback):
    """Feedback in one SQLite file (the default)."""

    PLACEHOLDER = "?"

    def __init__(self, path: Path) -> None:
        """Raises FeedbackUnavailable when the file is damaged or cannot be written, with one
        line that names it and says what to do; the file is left as it was."""
        try:
            self._store = open_data(path, SCHEMA, "PROGRAMME_BOT_FEEDBACK_DB")
        except StoreError as exc:
            raise FeedbackUnavailable(str(exc)) from exc

    @property
    def _db(self) -> sqlite3.Connection:
        return self._store.conn

    def close(self) -> None:
        self._store.close()

    def _upsert_vote(
        self,
        rating: str,
        answer_id: str,
        fields: dict[str, Any],
        user_id: str,
        channel_id: str | None,
    ) -> int:
        values = (
            _now(),
            rating,
            fields["question"],
            fields["language"],
            None if fields["abstained"] is None else int(fields["abstained"]),
            json.dumps(fields["source_ids"]),
            json.dumps(fields["mandate_symbols"], ensure_ascii=False),
            answer_id,
            user_id,
            channel_id,
        )
        self._db.execute(
            "INSERT INTO feedback (created_at, rating, question, language, abstained, "
            "source_ids, mandate_symbols, answer_id, user_id, channel_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (answer_id, user_id) DO UPDATE SET "
            "rating = excluded.rating, created_at = excluded.created_at",
            values,
        )
        row = self._db.execute(
            "SELECT id FROM feedback WHERE answer_id = ? AND user_id = ?", (answer_id, user_id)
        ).fetchone()
        return int(row[0])

    def _insert_quiz_answer(self, answer: QuizAnswer) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO quiz_answers (created_at, quiz_id, position, user_id, "
            "channel_id, subprogramme, language, question_key, kind, choice_key, correct) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), *astuple(answer)[:-1], int(answer.correct)),
        )

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, params).fetchall()

    def _update(self, sql: str, params: tuple[Any, ...]) -> int:
        return self._db.execute(sql, params).rowcount
