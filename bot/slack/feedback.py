"""👍/👎 on answers, with an optional reason, in SQLite; the answers given to the tour's
self-check (one per person per question of a quiz); and the summary `programme-bot feedback`
prints.

One vote per person per answer: pressing the other button changes the vote rather than counting
twice. The question and the answer's source ids are copied in, so the table stands on its own
after stored answers expire.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import asdict, astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.answer import Answer
from bot.slack.sqlite_db import open_data

RATINGS = ("up", "down")

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


@dataclass
class Vote:
    created_at: str
    rating: str
    reason: str | None
    question: str
    source_ids: list[str]
    user_id: str
    channel_id: str | None


@dataclass
class FeedbackSummary:
    total: int = 0
    up: int = 0
    down: int = 0
    with_reason: int = 0
    abstained_down: int = 0
    sources_down: list[tuple[str, int]] = field(default_factory=list)
    recent_down: list[Vote] = field(default_factory=list)
    quiz_answers: int = 0  # answers to the tour's self-check
    quiz_right: int = 0
    quiz_missed: list[tuple[str, int]] = field(default_factory=list)  # question key, misses

    def to_json(self) -> dict:
        return asdict(self)


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        """Raises StoreError when the file is damaged or cannot be written (nothing is lost)."""
        self._store = open_data(path, SCHEMA, "PROGRAMME_BOT_FEEDBACK_DB")

    @property
    def _db(self) -> sqlite3.Connection:
        return self._store.conn

    def close(self) -> None:
        self._store.close()

    def record(
        self,
        rating: str,
        answer_id: str,
        answer: Answer | None,
        user_id: str,
        channel_id: str | None,
    ) -> int:
        """Store (or change) a user's vote on an answer; returns the row id."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        values = (
            now,
            rating,
            answer.question if answer else "",
            answer.language if answer else None,
            int(answer.abstained) if answer else None,
            json.dumps([s.id for s in answer.sources] if answer else []),
            json.dumps([m.symbol for m in answer.mandates] if answer else [], ensure_ascii=False),
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

    def add_reason(self, feedback_id: int, user_id: str, reason: str) -> bool:
        """Attach the modal's reason; only the person who voted can."""
        reason = reason.strip()
        if not reason:
            return False
        cursor = self._db.execute(
            "UPDATE feedback SET reason = ? WHERE id = ? AND user_id = ?",
            (reason[:2000], feedback_id, user_id),
        )
        return cursor.rowcount == 1

    def votes(self) -> list[Vote]:
        rows = self._db.execute(
            "SELECT created_at, rating, reason, question, source_ids, user_id, channel_id "
            "FROM feedback ORDER BY created_at DESC, id DESC"
        ).fetchall()
        return [
            Vote(
                created_at=r[0],
                rating=r[1],
                reason=r[2],
                question=r[3],
                source_ids=json.loads(r[4]),
                user_id=r[5],
                channel_id=r[6],
            )
            for r in rows
        ]

    def summary(self, recent: int = 10) -> FeedbackSummary:
        votes = self.votes()
        abstained_down = self._db.execute(
            "SELECT COUNT(*) FROM feedback WHERE rating = 'down' AND abstained = 1"
        ).fetchone()[0]
        down = [v for v in votes if v.rating == "down"]
        sources = Counter(sid for v in down for sid in v.source_ids[:1])  # the top source
        quiz = self._db.execute("SELECT question_key, correct FROM quiz_answers").fetchall()
        missed = Counter(key for key, correct in quiz if not correct)
        return FeedbackSummary(
            quiz_answers=len(quiz),
            quiz_right=sum(correct for _, correct in quiz),
            quiz_missed=missed.most_common(5),
            total=len(votes),
            up=len(votes) - len(down),
            down=len(down),
            with_reason=sum(1 for v in votes if v.reason),
            abstained_down=abstained_down,
            sources_down=sources.most_common(10),
            recent_down=down[:recent],
        )

    # ------------------------------------------------------------------ the tour's self-check

    def record_quiz_answer(self, answer: QuizAnswer) -> QuizAnswer:
        """Store a self-check answer; the first answer to a question of a quiz stands (a second
        click on an old message changes nothing). Returns the answer that stands."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._db.execute(
            "INSERT OR IGNORE INTO quiz_answers (created_at, quiz_id, position, user_id, "
            "channel_id, subprogramme, language, question_key, kind, choice_key, correct) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now, *astuple(answer)[:-1], int(answer.correct)),
        )
        return next(
            a
            for a in self.quiz_answers(answer.quiz_id, answer.user_id)
            if a.position == answer.position
        )

    def quiz_answers(self, quiz_id: str, user_id: str) -> list[QuizAnswer]:
        rows = self._db.execute(
            "SELECT quiz_id, position, user_id, channel_id, subprogramme, language, "
            "question_key, kind, choice_key, correct FROM quiz_answers "
            "WHERE quiz_id = ? AND user_id = ? ORDER BY position",
            (quiz_id, user_id),
        ).fetchall()
        return [QuizAnswer(*row[:-1], correct=bool(row[-1])) for row in rows]


@dataclass(frozen=True)
class QuizAnswer:
    quiz_id: str
    position: int  # which question of the quiz, from 0
    user_id: str
    channel_id: str | None
    subprogramme: int
    language: str
    question_key: str  # bot/quiz.py Question.key, e.g. "title:58/109"
    kind: str
    choice_key: str  # what the chosen answer stands for
    correct: bool


def format_summary(summary: FeedbackSummary) -> str:
    if summary.total == 0 and summary.quiz_answers == 0:
        return "No feedback yet."
    share = 100 * summary.up / summary.total if summary.total else 0
    lines = [
        f"Feedback: {summary.total} votes · 👍 {summary.up} · 👎 {summary.down} "
        f"({share:.0f}% helpful) · {summary.with_reason} with a reason",
    ]
    if summary.quiz_answers:
        right = 100 * summary.quiz_right / summary.quiz_answers
        missed = ", ".join(f"{key} ({n})" for key, n in summary.quiz_missed)
        lines.append(
            f"Tour self-check: {summary.quiz_answers} answers, {right:.0f}% right"
            + (f" · most missed: {missed}" if missed else "")
        )
    if summary.abstained_down:
        lines.append(f"👎 on abstentions: {summary.abstained_down}")
    if summary.sources_down:
        top = ", ".join(f"{sid} ({n})" for sid, n in summary.sources_down)
        lines.append(f"Top source of 👎 answers: {top}")
    if summary.recent_down:
        lines += ["", "Recent 👎:"]
        for v in summary.recent_down:
            lines.append(f"  {v.created_at}  {v.question!r}")
            if v.reason:
                lines.append(f"      reason: {v.reason}")
            if v.source_ids:
                lines.append(f"      sources: {', '.join(v.source_ids)}")
    return "\n".join(lines)
