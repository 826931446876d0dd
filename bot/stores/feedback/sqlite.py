"""Feedback in one SQLite file (the default): PROGRAMME_BOT_FEEDBACK_DB.

Only storage: SQLite's types (times as ISO text, flags as 0/1, lists as JSON text) and the
connection; the tables, statements and records are base.Feedback's. A damaged or unwritable
file stops start-up with one line (sqlite_db.open_data); the file is left as it was.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from bot.stores.feedback.base import TABLES, Feedback, FeedbackUnavailable
from bot.stores.sqlite_db import StoreError, open_data

SCHEMA = TABLES.format(
    key="INTEGER PRIMARY KEY AUTOINCREMENT", time="TEXT", flag="INTEGER", json="TEXT"
)


class FeedbackStore(Feedback):
    """Feedback in one SQLite file (the default)."""

    PLACEHOLDER = "?"
    NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"  # as datetime.isoformat(timespec="seconds")

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

    def _json(self, value: list[str]) -> str:
        return json.dumps(value, ensure_ascii=False)

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, params).fetchall()  # all: the statement is finished

    def _update(self, sql: str, params: tuple[Any, ...]) -> int:
        return self._db.execute(sql, params).rowcount
