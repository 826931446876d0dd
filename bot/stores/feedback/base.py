"""Feedback: 👍/👎 on answers, with an optional reason; the answers given to the tour's self-check
(one per person per question of a quiz); and the summary `programme-bot feedback` prints.

`Feedback` is the interface and everything that does not depend on where feedback is kept: the
records (Vote, QuizAnswer, FeedbackSummary), what a vote copies from its answer, the ratings
allowed, the reason's length, which self-check answer stands, the rows read back into records
and the summary. A backend only stores and fetches: SQLite, the default (sqlite.FeedbackStore,
one file on the host), or PostgreSQL when DATABASE_URL is set (postgres.PostgresFeedbackStore),
for several replicas sharing one database. `bot.stores.open_feedback(settings)` picks.

One vote per person per answer: pressing the other button changes the vote rather than counting
twice. The question and the answer's source ids are copied in, so the table stands on its own
after stored answers expire.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import asdict, astuple, dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from bot.answer import Answer

RATINGS = ("up", "down")
REASON_MAX = 2000  # characters of a reason kept (a modal's text can be longer)


@dataclass
class Vote:
    created_at: str
    rating: str
    reason: str | None
    question: str
    source_ids: list[str]
    user_id: str
    channel_id: str | None
    abstained: bool | None = None  # None: the answer had expired when the vote was given


@dataclass(frozen=True)
class QuizAnswer:
    quiz_id: str
    position: int  # which question of the quiz, from 0
    user_id: str
    channel_id: str | None
    subprogramme: int
    language: str
    question_key: str  # bot/onboarding/quiz.py Question.key, e.g. "title:58/109"
    kind: str
    choice_key: str  # what the chosen answer stands for
    correct: bool


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


class FeedbackUnavailable(RuntimeError):
    """The feedback database cannot be used; the message names it (never a password)."""


# The tables and statements of both backends (both are SQL). In TABLES, each backend's types:
# {key} an auto-numbered primary key, {time} a UTC time, {flag} a boolean, {json} a JSON list.
# In the statements, {p}: the driver's parameter marker; {now}: the time now, to the second.
# One vote per person per answer, and one self-check answer per person per question of a quiz:
# the two UNIQUE constraints, which the upsert and the insert below rely on.
TABLES = """
CREATE TABLE IF NOT EXISTS feedback (
    id {key},
    created_at {time} NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT,
    question TEXT NOT NULL,
    language TEXT,
    abstained {flag},
    source_ids {json} NOT NULL,
    mandate_symbols {json} NOT NULL,
    answer_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT,
    UNIQUE (answer_id, user_id)
);
CREATE TABLE IF NOT EXISTS quiz_answers (
    id {key},
    created_at {time} NOT NULL,
    quiz_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT,
    subprogramme INTEGER NOT NULL,
    language TEXT NOT NULL,
    question_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    choice_key TEXT NOT NULL,
    correct {flag} NOT NULL,
    UNIQUE (quiz_id, position, user_id)
);
"""
# A second vote by the same person on the same answer changes the rating and the time.
VOTE_UPSERT = (
    "INSERT INTO feedback (created_at, rating, question, language, abstained, "
    "source_ids, mandate_symbols, answer_id, user_id, channel_id) "
    "VALUES ({now}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT (answer_id, user_id) DO UPDATE SET "
    "rating = excluded.rating, created_at = excluded.created_at RETURNING id"
)
# A reason for one person's vote; {column}: "id" or "answer_id".
REASON_UPDATE = "UPDATE feedback SET reason = {p} WHERE {column} = {p} AND user_id = {p}"
# Newest first; rows read by vote_from_row.
VOTES_QUERY = (
    "SELECT created_at, rating, reason, question, source_ids, user_id, channel_id, abstained "
    "FROM feedback ORDER BY created_at DESC, id DESC"
)
# The first answer to a question of a quiz stands, also when replicas record two clicks at once.
QUIZ_INSERT = (
    "INSERT INTO quiz_answers (created_at, quiz_id, position, user_id, channel_id, "
    "subprogramme, language, question_key, kind, choice_key, correct) "
    "VALUES ({now}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT (quiz_id, position, user_id) DO NOTHING"
)
# A quiz's answers for one person; rows read by quiz_answer_from_row.
QUIZ_ANSWERS_QUERY = (
    "SELECT quiz_id, position, user_id, channel_id, subprogramme, language, question_key, kind, "
    "choice_key, correct FROM quiz_answers WHERE quiz_id = {p} AND user_id = {p} ORDER BY position"
)
# Every self-check answer, for the summary.
QUIZ_TALLY_QUERY = "SELECT question_key, correct FROM quiz_answers"


class Feedback(ABC):
    """What the Slack app and `programme-bot feedback` need from a feedback store, written once.

    A backend supplies its dialect (PLACEHOLDER, NOW, how a JSON list is passed: `_json`) and
    the connection: `_query`, `_update` and `close`."""

    PLACEHOLDER: ClassVar[str]  # "?" for sqlite3, "%s" for psycopg
    NOW: ClassVar[str]  # an SQL expression: the time now, to the second, in the {time} type

    def record(
        self,
        rating: str,
        answer_id: str,
        answer: Answer | None,
        user_id: str,
        channel_id: str | None,
    ) -> int:
        """Store (or change) a user's vote on an answer; returns the row id."""
        return self.record_fields(rating, answer_id, answer_fields(answer), user_id, channel_id)

    def record_fields(
        self,
        rating: str,
        answer_id: str,
        fields: dict[str, Any],
        user_id: str,
        channel_id: str | None,
    ) -> int:
        """record() with the answer's fields copied already (answer_fields): what the feedback
        outbox (outbox.py) delivers."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}")
        values = (
            rating,
            fields["question"],
            fields["language"],
            fields["abstained"],
            self._json(fields["source_ids"]),
            self._json(fields["mandate_symbols"]),
            answer_id,
            user_id,
            channel_id,
        )
        return int(self._query(self._sql(VOTE_UPSERT), values)[0][0])

    def add_reason(self, feedback_id: int, user_id: str, reason: str) -> bool:
        """Attach the modal's reason; only the person who voted can."""
        return self._set_reason("id", feedback_id, user_id, reason)

    def add_reason_for(self, answer_id: str, user_id: str, reason: str) -> bool:
        """add_reason() for the vote of `user_id` on `answer_id`."""
        return self._set_reason("answer_id", answer_id, user_id, reason)

    def _set_reason(self, column: str, key: int | str, user_id: str, reason: str) -> bool:
        reason = reason.strip()
        if not reason:
            return False
        sql = self._sql(REASON_UPDATE, column=column)
        return self._update(sql, (reason[:REASON_MAX], key, user_id)) == 1

    def votes(self) -> list[Vote]:
        """Every vote, newest first."""
        return [vote_from_row(row) for row in self._query(VOTES_QUERY)]

    def summary(self, recent: int = 10) -> FeedbackSummary:
        return summarise(self.votes(), self._query(QUIZ_TALLY_QUERY), recent)

    # ------------------------------------------------------------------ the tour's self-check

    def record_quiz_answer(self, answer: QuizAnswer) -> QuizAnswer:
        """Store a self-check answer; the first answer to a question of a quiz stands (a second
        click on an old message changes nothing). Returns the answer that stands."""
        self._update(self._sql(QUIZ_INSERT), astuple(answer))
        return next(
            a
            for a in self.quiz_answers(answer.quiz_id, answer.user_id)
            if a.position == answer.position
        )

    def quiz_answers(self, quiz_id: str, user_id: str) -> list[QuizAnswer]:
        rows = self._query(self._sql(QUIZ_ANSWERS_QUERY), (quiz_id, user_id))
        return [quiz_answer_from_row(row) for row in rows]

    def _sql(self, statement: str, **names: str) -> str:
        """One of the statements above in this backend's dialect."""
        return statement.format(p=self.PLACEHOLDER, now=self.NOW, **names)

    # ------------------------------------------------------------------ what a backend does

    @abstractmethod
    def close(self) -> None: ...

    def ping(self) -> bool:
        """Whether the store answers a trivial query now: a row it refused was refused for
        what it holds, not because the store is away (outbox.Courier tells them apart)."""
        try:
            return self._query("SELECT 1") == [(1,)]
        except Exception:
            return False

    @abstractmethod
    def _json(self, value: list[str]) -> Any:
        """A list as the driver passes it to a {json} column."""

    @abstractmethod
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run a statement; all the rows it gives."""

    @abstractmethod
    def _update(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run a statement; how many rows it changed."""


def vote_from_row(row: tuple[Any, ...]) -> Vote:
    """A VOTES_QUERY row from either store: SQLite keeps ISO text, JSON text and 0/1;
    PostgreSQL a timestamp, JSONB and a boolean. The Vote is the same."""
    created_at, rating, reason, question, source_ids, user_id, channel_id, abstained = row
    if isinstance(created_at, datetime):
        created_at = created_at.astimezone(UTC).isoformat(timespec="seconds")
    return Vote(
        created_at=created_at,
        rating=rating,
        reason=reason,
        question=question,
        source_ids=json.loads(source_ids) if isinstance(source_ids, str) else list(source_ids),
        user_id=user_id,
        channel_id=channel_id,
        abstained=None if abstained is None else bool(abstained),
    )


def quiz_answer_from_row(row: tuple[Any, ...]) -> QuizAnswer:
    """A QUIZ_ANSWERS_QUERY row from either store (`correct` is 0/1 in SQLite, a boolean in
    PostgreSQL)."""
    *columns, correct = row
    return QuizAnswer(*columns, correct=bool(correct))


def summarise(votes: list[Vote], quiz: list[tuple[str, Any]], recent: int = 10) -> FeedbackSummary:
    """The same summary whichever store the votes (newest first) and the self-check answers
    (QUIZ_TALLY_QUERY rows) come from."""
    down = [v for v in votes if v.rating == "down"]
    sources = Counter(sid for v in down for sid in v.source_ids[:1])  # the top source
    missed = Counter(key for key, correct in quiz if not correct)
    return FeedbackSummary(
        total=len(votes),
        up=len(votes) - len(down),
        down=len(down),
        with_reason=sum(1 for v in votes if v.reason),
        abstained_down=sum(1 for v in down if v.abstained),
        sources_down=sources.most_common(10),
        recent_down=down[:recent],
        quiz_answers=len(quiz),
        quiz_right=sum(1 for _, correct in quiz if correct),
        quiz_missed=missed.most_common(5),
    )


def answer_fields(answer: Answer | None) -> dict[str, Any]:
    """What a vote copies from its answer, so the row stands on its own once the answer expires."""
    return {
        "question": answer.question if answer else "",
        "language": answer.language if answer else None,
        "abstained": answer.abstained if answer else None,
        "source_ids": [s.id for s in answer.sources] if answer else [],
        "mandate_symbols": [m.symbol for m in answer.mandates] if answer else [],
    }


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
