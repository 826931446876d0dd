"""What the Slack app must remember across restarts, in one SQLite file.

- claimed user messages (an @mention in a thread can arrive as both app_mention and message;
  the claim names the job that answers, so that job can resume after a crash),
- buttons already acted on (Share posts once however often it is clicked),
- threads the bot was asked into, with the last Answer given there (context for follow-ups),
- answers by id (buttons carry only the id: Slack caps a button value at 2,000 characters),
- users already welcomed in the Messages tab,
- where each user is in the guided tour (bot/surfaces/slack/listeners/tour.py), so it resumes there,
  and the self-check answers of a quiz in progress (the first answer to a question stands),
- the feedback outbox: 👍/👎, reasons and self-check answers, written here on the listener's
  thread (fast, local, durable) and delivered to the feedback store by outbox.Courier, so a
  feedback database that is down or hung never touches an ack and loses nothing,
- leases: which process delivers the outbox (one at a time keeps the votes in order).

Seen event ids and pending work live in the same file but behind their own interface
(work_sqlite.py). Connections: sqlite_db.SqliteDb.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.answer import Answer
from bot.stores.feedback import QuizAnswer
from bot.stores.sqlite_db import SqliteDb, open_bookkeeping

MESSAGE_CLAIM_TTL_S = 24 * 60 * 60
ANSWER_TTL_S = 90 * 24 * 60 * 60  # buttons on older answers say the answer has expired
DM_FOLLOW_UP_WINDOW_S = 30 * 60  # a top-level DM is a follow-up only shortly after the last answer

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
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY, holder TEXT NOT NULL, until REAL NOT NULL);
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
    return Answer.from_json(data)


class SlackState:
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
        """True for the one claimant of `key` (and for it again, when it resumes after a crash)."""
        self._db.execute(
            "INSERT OR IGNORE INTO claims (key, claimant, claimed_at) VALUES (?, ?, ?)",
            (key, claimant, time.time()),
        )
        row = self._db.execute("SELECT claimant FROM claims WHERE key = ?", (key,)).fetchone()
        return bool(row) and row[0] == claimant

    def unclaim(self, key: str, claimant: str) -> None:
        """Give a claim back (the claimed action failed and may be tried again)."""
        self._db.execute("DELETE FROM claims WHERE key = ? AND claimant = ?", (key, claimant))

    def claim_message(self, channel: str, ts: str, claimant: str) -> bool:
        """True for the one job that gets to answer this user message."""
        return self.claim(f"message:{channel}:{ts}", claimant)

    # ------------------------------------------------------------------ threads

    def remember_thread(self, channel: str, thread_ts: str, kind: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO threads (channel, thread_ts, kind, started_at) "
            "VALUES (?, ?, ?, ?)",
            (channel, thread_ts, kind, time.time()),
        )

    def thread_kind(self, channel: str, thread_ts: str) -> str | None:
        """'channel', 'dm' or 'assistant' for a thread the bot was asked into, else None."""
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

    def previous_answer(
        self, channel: str, thread_ts: str, max_age_s: float | None = None
    ) -> Answer | None:
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
        payload = json.dumps(answer.to_record(), ensure_ascii=False)
        self._db.execute(
            "INSERT INTO answers (id, created_at, channel, user_id, json) VALUES (?, ?, ?, ?, ?)",
            (answer_id, time.time(), channel, user_id, payload),
        )
        return answer_id

    def load_answer(self, answer_id: str) -> Answer | None:
        row = self._db.execute("SELECT json FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return answer_from_json(json.loads(row[0])) if row else None

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

    def tour_position(self, user_id: str) -> TourPosition | None:
        row = self._db.execute(
            "SELECT subprogramme, language, step, quiz_id FROM tour_positions WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        return TourPosition(*row) if row else None

    def end_tour(self, user_id: str) -> None:
        self._db.execute("DELETE FROM tour_positions WHERE user_id = ?", (user_id,))

    def first_quiz_answer(self, answer: QuizAnswer) -> tuple[QuizAnswer, bool]:
        """The answer that stands for its question of the quiz (the first one given), and
        whether it is `answer` itself, given now."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO quiz_choices (quiz_id, position, user_id, answer, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (answer.quiz_id, answer.position, answer.user_id, quiz_json(answer), time.time()),
        )
        row = self._db.execute(
            "SELECT answer FROM quiz_choices WHERE quiz_id = ? AND position = ? AND user_id = ?",
            (answer.quiz_id, answer.position, answer.user_id),
        ).fetchone()
        return quiz_from_json(row[0]), cursor.rowcount == 1

    def quiz_answers(self, quiz_id: str, user_id: str) -> list[QuizAnswer]:
        rows = self._db.execute(
            "SELECT answer FROM quiz_choices WHERE quiz_id = ? AND user_id = ? ORDER BY position",
            (quiz_id, user_id),
        ).fetchall()
        return [quiz_from_json(row[0]) for row in rows]

    # ------------------------------------------------------------------ the feedback outbox

    def outbox_put(self, kind: str, payload: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO outbox (kind, payload, created_at) VALUES (?, ?, ?)",
            (kind, json.dumps(payload, ensure_ascii=False), time.time()),
        )

    def outbox_peek(self, limit: int) -> list[OutboxItem]:
        rows = self._db.execute(
            "SELECT seq, kind, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        return [OutboxItem(str(seq), kind, json.loads(payload)) for seq, kind, payload in rows]

    def outbox_done(self, item_id: str) -> None:
        self._db.execute("DELETE FROM outbox WHERE seq = ?", (int(item_id),))

    def outbox_size(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Take or renew the lease `name` for `seconds`; True while `holder` holds it."""
        now = time.time()
        self._db.execute(
            "INSERT INTO leases (name, holder, until) VALUES (?, ?, ?) ON CONFLICT (name) DO "
            "UPDATE SET holder = excluded.holder, until = excluded.until "
            "WHERE leases.holder = excluded.holder OR leases.until < ?",
            (name, holder, now + seconds, now),
        )
        row = self._db.execute("SELECT holder FROM leases WHERE name = ?", (name,)).fetchone()
        return bool(row) and row[0] == holder


@dataclass(frozen=True)
class OutboxItem:
    id: str  # the store's id for it, for outbox_done
    kind: str  # "vote" | "reason" | "quiz": see outbox.py
    payload: dict[str, Any]


def quiz_json(answer: QuizAnswer) -> str:
    return json.dumps(asdict(answer), ensure_ascii=False)


def quiz_from_json(text: str) -> QuizAnswer:
    return QuizAnswer(**json.loads(text))


class StateStore(Protocol):
    """What the listeners and workers use: SlackState here, or state_redis.RedisSlackState
    (chosen in deps.Stores.open). Failures of a shared store raise work.StoreUnavailable."""

    def close(self) -> None: ...

    def claim(self, key: str, claimant: str) -> bool: ...

    def unclaim(self, key: str, claimant: str) -> None: ...

    def claim_message(self, channel: str, ts: str, claimant: str) -> bool: ...

    def remember_thread(self, channel: str, thread_ts: str, kind: str) -> None: ...

    def thread_kind(self, channel: str, thread_ts: str) -> str | None: ...

    def set_thread_answer(
        self, channel: str, thread_ts: str, kind: str, answer_id: str
    ) -> None: ...

    def previous_answer(
        self, channel: str, thread_ts: str, max_age_s: float | None = None
    ) -> Answer | None: ...

    def save_answer(self, answer: Answer, channel: str | None, user_id: str | None) -> str: ...

    def load_answer(self, answer_id: str) -> Answer | None: ...

    def first_welcome(self, user_id: str) -> bool: ...

    def save_tour(
        self, user_id: str, subprogramme: int, language: str, step: int, quiz_id: str | None
    ) -> None: ...

    def tour_position(self, user_id: str) -> TourPosition | None: ...

    def end_tour(self, user_id: str) -> None: ...

    def first_quiz_answer(self, answer: QuizAnswer) -> tuple[QuizAnswer, bool]: ...

    def quiz_answers(self, quiz_id: str, user_id: str) -> list[QuizAnswer]: ...

    def outbox_put(self, kind: str, payload: dict[str, Any]) -> None:
        """Record feedback for delivery (oldest first); raises StoreUnavailable."""

    def outbox_peek(self, limit: int) -> list[OutboxItem]: ...

    def outbox_done(self, item_id: str) -> None: ...

    def outbox_size(self) -> int: ...

    def hold_lease(self, name: str, holder: str, seconds: float) -> bool: ...
