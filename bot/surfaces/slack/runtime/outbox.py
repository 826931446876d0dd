"""Feedback through an outbox: 👍/👎, their reasons and self-check answers are written to the state
store when they are clicked, and a courier thread delivers them to the feedback store.

Why: the feedback store may be PostgreSQL on another host. Written from the click's listener, a
database that was down lost the votes silently (the user saw the modal, nothing was stored), and
one that hung held the ack threads until clicks went unacknowledged and modals opened after
their trigger_id had expired. The state store is what acks already depend on (SQLite on this
host, or Redis with short timeouts), so writing there costs a click nothing new; the courier
waits out the database and delivers everything, oldest first, once it is back.

Exactly once in the feedback store: every delivery is idempotent (a vote is an upsert by answer
and user, a reason an update, a self-check answer an insert that keeps the first), so an item
delivered again after a crash between delivering and crossing it off changes nothing. One
courier at a time (a lease in the state store) keeps a changed vote and its reason in order
across processes.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from dataclasses import asdict
from typing import Any

import psycopg

from bot.answer import Answer
from bot.ops.logs import Throttled
from bot.ops.redaction import redact
from bot.stores.feedback import Feedback, FeedbackUnavailable, QuizAnswer, answer_fields
from bot.stores.state import OutboxItem, StateStore
from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.runtime.errors import one_line

logger = logging.getLogger(__name__)
_trouble = Throttled(logger, every_s=10.0)

LEASE = "feedback-courier"
LEASE_S = 30.0
BATCH = 50
IDLE_S = 1.0  # also picks up what another process's listeners wrote
MAX_BACKOFF_S = 5.0
DRAIN_S = 5.0  # on a graceful stop; what is left waits for the next start
REASON_CHARS = 2000
# The feedback store is away: the item waits. Anything else is the item's fault (it cannot be
# delivered, ever): it is dropped with one line rather than blocking the ones behind it.
UNAVAILABLE = (
    FeedbackUnavailable,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    OSError,
)


# ----------------------------------------------------------------------------- writing


def put_vote(
    state: StateStore,
    rating: str,
    answer_id: str,
    answer: Answer | None,
    user_id: str,
    channel_id: str | None,
) -> None:
    """Raises StoreUnavailable (and then nothing is recorded)."""
    fields = answer_fields(answer)  # copied now: the answer may expire before delivery
    fields["question"] = redact(fields["question"])
    payload = {
        "rating": rating,
        "answer_id": answer_id,
        "fields": fields,
        "user": user_id,
        "channel": channel_id,
    }
    state.outbox_put("vote", payload)


def put_reason(state: StateStore, vote: str, user_id: str, reason: str) -> None:
    """vote: the answer id the modal carries, or an older modal's feedback row id (digits)."""
    key = "feedback_id" if vote.isascii() and vote.isdigit() else "answer_id"
    text = redact(reason.replace("\x00", ""))[:REASON_CHARS]
    state.outbox_put("reason", {key: vote, "user": user_id, "reason": text})


def put_quiz_answer(state: StateStore, answer: QuizAnswer) -> None:
    state.outbox_put("quiz", {"answer": asdict(answer)})


def deliver(feedback: Feedback, item: OutboxItem) -> None:
    p = item.payload
    if item.kind == "vote":
        feedback.record_fields(p["rating"], p["answer_id"], p["fields"], p["user"], p["channel"])
    elif item.kind == "reason" and "feedback_id" in p:
        feedback.add_reason(int(p["feedback_id"]), p["user"], p["reason"])
    elif item.kind == "reason":
        feedback.add_reason_for(p["answer_id"], p["user"], p["reason"])
    elif item.kind == "quiz":
        feedback.record_quiz_answer(QuizAnswer(**p["answer"]))
    else:
        raise ValueError(f"unknown outbox item kind {item.kind!r}")


# ----------------------------------------------------------------------------- delivering


class Courier:
    def __init__(self, state: StateStore, feedback: Feedback) -> None:
        self._state = state
        self._feedback = feedback
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="feedback-courier", daemon=True)
        self._backoff = 0.0
        self.delivered = 0

    def start(self) -> Courier:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Something was put in the outbox: deliver it now rather than at the next look."""
        self._wake.set()

    def stop(self, drain_s: float = DRAIN_S) -> None:
        """Deliver what is waiting for up to drain_s (unless the store is away), then stop."""
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=drain_s + 1.0)

    def _loop(self) -> None:
        stop_by: float | None = None
        while True:
            if self._stopping.is_set():
                stop_by = stop_by or time.monotonic() + DRAIN_S
            pause = self._round()
            if self._stopping.is_set() and (pause or time.monotonic() > (stop_by or 0)):
                return  # nothing left, or the store is away: the rest waits for the next start
            if pause:
                self._wake.wait(pause)
                self._wake.clear()

    def _round(self) -> float:
        """Deliver one batch; how long to wait before the next (0: go on at once)."""
        try:
            if not self._state.hold_lease(LEASE, self._holder, LEASE_S):
                return LEASE_S / 3  # another process delivers
            items = self._state.outbox_peek(BATCH)
        except (StoreUnavailable, sqlite3.Error) as exc:
            _trouble.warning("cannot read the feedback outbox (%s); trying again", exc)
            return IDLE_S
        if not items:
            return IDLE_S
        for item in items:
            try:
                deliver(self._feedback, item)
            except UNAVAILABLE as exc:
                return self._unavailable(exc)
            except Exception as exc:  # this item can never be delivered
                logger.error(
                    "dropped an undeliverable %s from the outbox: %s", item.kind, one_line(exc)
                )
            try:
                self._state.outbox_done(item.id)
            except (StoreUnavailable, sqlite3.Error) as exc:
                # Delivered but not crossed off: delivered again later, which changes nothing.
                _trouble.warning("cannot update the feedback outbox (%s)", exc)
                return IDLE_S
            self.delivered += 1
        if self._backoff:
            logger.info("feedback store is back: delivering what waited in the outbox")
            self._backoff = 0.0
        return 0.0

    def _unavailable(self, exc: BaseException) -> float:
        self._backoff = min(MAX_BACKOFF_S, max(0.5, self._backoff * 2))
        try:
            waiting: Any = self._state.outbox_size()
        except (StoreUnavailable, sqlite3.Error):
            waiting = "?"
        _trouble.warning(
            "feedback store unavailable (%s): %s item(s) wait in the outbox", one_line(exc), waiting
        )
        return self._backoff
