"""What the Slack app must remember across restarts, in one SQLite file.

- seen event ids (Slack re-delivers late events; each is handled once within a TTL),
- claimed user messages (an @mention in a thread can arrive as both app_mention and message),
- threads the bot was asked into, with the last Answer given there (context for follow-ups),
- answers by id (buttons carry only the id: Slack caps a button value at 2,000 characters),
- users already welcomed in the Messages tab,
- where each user is in the guided tour (bot/slack/listeners/tour.py), so it resumes there.

One connection guarded by a lock: Bolt calls us from many threads, and SQLite writes are
serialised anyway. WAL keeps readers from blocking the writer.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bot.answer import Answer, MandateRef, Source

EVENT_TTL_S = 60 * 60  # Slack retries within minutes; an hour is ample and keeps the table small
MESSAGE_CLAIM_TTL_S = 24 * 60 * 60
ANSWER_TTL_S = 90 * 24 * 60 * 60  # buttons on older answers say the answer has expired
DM_FOLLOW_UP_WINDOW_S = 30 * 60  # a top-level DM is a follow-up only shortly after the last answer
PURGE_EVERY = 1000  # event sightings between purges of expired rows

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_events (event_id TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS claimed_messages (
    channel TEXT NOT NULL, ts TEXT NOT NULL, claimed_at REAL NOT NULL,
    PRIMARY KEY (channel, ts));
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
"""

DM_ROOT = ""  # thread_ts key for the top level of a direct message


@dataclass(frozen=True)
class TourPosition:
    subprogramme: int
    language: str
    step: int  # a card (0-4), or QUIZ_STEP + the question shown
    quiz_id: str | None


def answer_from_json(data: dict) -> Answer:
    """Rebuild an Answer from Answer.to_json(), ignoring keys a newer version may have added."""

    def known(cls: type, values: dict) -> dict:
        names = {f.name for f in dataclasses.fields(cls)}
        return {k: v for k, v in values.items() if k in names}

    fields = known(Answer, data)
    fields["sources"] = [Source(**known(Source, s)) for s in data.get("sources", [])]
    fields["mandates"] = [MandateRef(**known(MandateRef, m)) for m in data.get("mandates", [])]
    return Answer(**fields)


class SlackState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._sightings = 0
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(SCHEMA)
        self.purge()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def purge(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            self._db.execute("DELETE FROM seen_events WHERE seen_at < ?", (now - EVENT_TTL_S,))
            self._db.execute(
                "DELETE FROM claimed_messages WHERE claimed_at < ?", (now - MESSAGE_CLAIM_TTL_S,)
            )
            self._db.execute("DELETE FROM answers WHERE created_at < ?", (now - ANSWER_TTL_S,))

    # ------------------------------------------------------------------ exactly-once

    def first_sighting(self, event_id: str, now: float | None = None) -> bool:
        """True the first time an event id is seen within EVENT_TTL_S."""
        now = time.time() if now is None else now
        self._sightings += 1
        if self._sightings % PURGE_EVERY == 0:  # keep the tables small on a long-running server
            self.purge(now)
        with self._lock:
            self._db.execute(
                "DELETE FROM seen_events WHERE event_id = ? AND seen_at < ?",
                (event_id, now - EVENT_TTL_S),
            )
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO seen_events (event_id, seen_at) VALUES (?, ?)",
                (event_id, now),
            )
            return cursor.rowcount == 1

    def claim_message(self, channel: str, ts: str) -> bool:
        """True for the one caller that gets to answer this user message."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO claimed_messages (channel, ts, claimed_at) VALUES (?, ?, ?)",
                (channel, ts, time.time()),
            )
            return cursor.rowcount == 1

    # ------------------------------------------------------------------ threads

    def remember_thread(self, channel: str, thread_ts: str, kind: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO threads (channel, thread_ts, kind, started_at) "
                "VALUES (?, ?, ?, ?)",
                (channel, thread_ts, kind, time.time()),
            )

    def thread_kind(self, channel: str, thread_ts: str) -> str | None:
        """'channel', 'dm' or 'assistant' for a thread the bot was asked into, else None."""
        with self._lock:
            row = self._db.execute(
                "SELECT kind FROM threads WHERE channel = ? AND thread_ts = ?", (channel, thread_ts)
            ).fetchone()
        return row[0] if row else None

    def set_thread_answer(self, channel: str, thread_ts: str, kind: str, answer_id: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO threads (channel, thread_ts, kind, started_at, last_answer_id, "
                "last_answer_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (channel, thread_ts) DO UPDATE SET "
                "last_answer_id = excluded.last_answer_id, "
                "last_answer_at = excluded.last_answer_at",
                (channel, thread_ts, kind, time.time(), answer_id, time.time()),
            )

    def previous_answer(
        self, channel: str, thread_ts: str, max_age_s: float | None = None
    ) -> Answer | None:
        with self._lock:
            row = self._db.execute(
                "SELECT a.json, t.last_answer_at FROM threads t JOIN answers a "
                "ON a.id = t.last_answer_id WHERE t.channel = ? AND t.thread_ts = ?",
                (channel, thread_ts),
            ).fetchone()
        if row is None:
            return None
        if max_age_s is not None and time.time() - row[1] > max_age_s:
            return None
        return answer_from_json(json.loads(row[0]))

    # ------------------------------------------------------------------ answers

    def save_answer(self, answer: Answer, channel: str | None, user_id: str | None) -> str:
        answer_id = uuid.uuid4().hex
        payload = json.dumps(answer.to_json(), ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT INTO answers (id, created_at, channel, user_id, json) "
                "VALUES (?, ?, ?, ?, ?)",
                (answer_id, time.time(), channel, user_id, payload),
            )
        return answer_id

    def load_answer(self, answer_id: str) -> Answer | None:
        with self._lock:
            row = self._db.execute("SELECT json FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return answer_from_json(json.loads(row[0])) if row else None

    # ------------------------------------------------------------------ welcome

    def first_welcome(self, user_id: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO welcomed_users (user_id, welcomed_at) VALUES (?, ?)",
                (user_id, time.time()),
            )
            return cursor.rowcount == 1

    # ------------------------------------------------------------------ tour

    def save_tour(
        self, user_id: str, subprogramme: int, language: str, step: int, quiz_id: str | None
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO tour_positions (user_id, subprogramme, language, step, quiz_id, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "subprogramme = excluded.subprogramme, language = excluded.language, "
                "step = excluded.step, quiz_id = excluded.quiz_id, "
                "updated_at = excluded.updated_at",
                (user_id, subprogramme, language, step, quiz_id, time.time()),
            )

    def tour_position(self, user_id: str) -> TourPosition | None:
        with self._lock:
            row = self._db.execute(
                "SELECT subprogramme, language, step, quiz_id FROM tour_positions "
                "WHERE user_id = ?",
                (user_id,),
            ).fetchone()
        return TourPosition(*row) if row else None

    def end_tour(self, user_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM tour_positions WHERE user_id = ?", (user_id,))
