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

A store that is away is not a row it refuses. An error that says the database cannot be reached
(the connection, the server shutting down or out of resources, a timeout) makes the courier wait
with a back-off, with one warning every 10 s. Any other error is put to the test: if the store
answers a trivial query, it refused this item for what it holds (an index row over PostgreSQL's
limit, a value it will not take, an unknown kind). Such an item is tried MAX_TRIES times, then
quarantined: moved to the dead letters in the state store (a table, or a Redis stream), counted
(programme_bot_feedback_quarantined_total) and logged once; the items behind it are delivered
at once. Nothing reaches the outbox over MAX_OUTBOX_ITEM_CHARS, and a vote names a stored
answer (32 hex digits) or an older feedback row (digits), never anything a click could carry.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import sqlite3
import threading
import time
import uuid
from dataclasses import asdict
from typing import Any

import psycopg

from bot.answer import Answer
from bot.ops import metrics
from bot.ops.logs import Throttled
from bot.ops.redaction import redact
from bot.stores.feedback import Feedback, FeedbackUnavailable, QuizAnswer, answer_fields
from bot.stores.state import OutboxItem, StateStore, TooLarge
from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.runtime.errors import one_line
from bot.surfaces.slack.transport.payloads import stored_answer_id

logger = logging.getLogger(__name__)
_trouble = Throttled(logger, every_s=10.0)

LEASE = "feedback-courier"
LEASE_S = 30.0
BATCH = 50
IDLE_S = 1.0  # also picks up what another process's listeners wrote
MAX_BACKOFF_S = 5.0
DRAIN_S = 5.0  # on a graceful stop; what is left waits for the next start
REASON_CHARS = 2000
MAX_TRIES = 3  # an item the store refuses (while answering) this often is quarantined
# SQLSTATE classes that mean the database cannot do anything now, whatever the row: connection
# exceptions, insufficient resources, operator intervention (shutdown, statement timeout),
# system errors, transaction rollbacks (serialization, deadlock), a lock not available.
_AWAY_CLASSES = ("08", "53", "57", "58", "40")
_AWAY_STATES = ("55P03",)
_SQLITE_AWAY = ("locked", "busy", "disk i/o", "unable to open", "readonly", "full")
_OLDER_FEEDBACK_ID = re.compile(r"[0-9]{1,18}")


class Unstorable(ValueError):
    """Feedback no store should be asked to keep (a vote for no answer of ours, too large)."""


def store_away(exc: BaseException) -> bool:
    """Whether `exc` says the feedback store cannot be reached now (the item waits), rather than
    that it refused the item (which may be the item's fault: outbox.Courier then checks)."""
    if isinstance(exc, FeedbackUnavailable | psycopg.InterfaceError | OSError):
        return True
    if isinstance(exc, psycopg.Error):
        state = exc.sqlstate
        if state is None:  # raised by the client: the connection went away mid-call
            return isinstance(exc, psycopg.OperationalError)
        return state.startswith(_AWAY_CLASSES) or state in _AWAY_STATES
    if isinstance(exc, sqlite3.OperationalError):
        return any(word in str(exc).lower() for word in _SQLITE_AWAY)
    return False


# ----------------------------------------------------------------------------- writing


def put_vote(
    state: StateStore,
    rating: str,
    answer_id: str,
    answer: Answer | None,
    user_id: str,
    channel_id: str | None,
) -> None:
    """Raises StoreUnavailable (and then nothing is recorded), or Unstorable when `answer_id`
    is no answer's id (a vote carries the id its button was given: nothing else is stored)."""
    if not (stored_answer_id(answer_id) or _OLDER_FEEDBACK_ID.fullmatch(answer_id)):
        raise Unstorable("a vote for no stored answer")
    fields = answer_fields(answer)  # copied now: the answer may expire before delivery
    fields["question"] = redact(fields["question"])
    payload = {
        "rating": rating,
        "answer_id": answer_id,
        "fields": fields,
        "user": user_id,
        "channel": channel_id,
    }
    _put(state, "vote", payload)


def put_reason(state: StateStore, vote: str, user_id: str, reason: str) -> None:
    """vote: the answer id the modal carries, or an older modal's feedback row id (digits)."""
    if not (stored_answer_id(vote) or _OLDER_FEEDBACK_ID.fullmatch(vote)):
        raise Unstorable("a reason for no stored answer")
    key = "feedback_id" if vote.isascii() and vote.isdigit() else "answer_id"
    text = redact(reason.replace("\x00", ""))[:REASON_CHARS]
    _put(state, "reason", {key: vote, "user": user_id, "reason": text})


def put_quiz_answer(state: StateStore, answer: QuizAnswer) -> None:
    _put(state, "quiz", {"answer": asdict(answer)})


def _put(state: StateStore, kind: str, payload: dict[str, Any]) -> None:
    try:
        state.outbox_put(kind, payload)
    except TooLarge as exc:
        raise Unstorable(str(exc)) from exc


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
        self._tries: dict[str, int] = {}  # refusals of an item, while the store answered
        self.delivered = 0
        self.quarantined = 0

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
            except Exception as exc:
                if store_away(exc) or not self._feedback.ping():
                    return self._unavailable(exc)
                if not self._refused(item, exc):
                    return 0.0  # the store is up: try it again at once, MAX_TRIES in all
                continue  # quarantined: on to the items behind it
            try:
                self._state.outbox_done(item.id)
            except (StoreUnavailable, sqlite3.Error) as exc:
                # Delivered but not crossed off: delivered again later, which changes nothing.
                _trouble.warning("cannot update the feedback outbox (%s)", exc)
                return IDLE_S
            self._tries.pop(item.id, None)
            self.delivered += 1
        if self._backoff:
            logger.info("feedback store is back: delivering what waited in the outbox")
            self._backoff = 0.0
        return 0.0

    def _refused(self, item: OutboxItem, exc: Exception) -> bool:
        """The store, answering, refused `item`: count the try; after MAX_TRIES move it to the
        dead letters. Whether it was moved."""
        tries = self._tries.get(item.id, 0) + 1
        if tries < MAX_TRIES:
            self._tries[item.id] = tries
            return False
        why = one_line(exc)
        try:
            self._state.outbox_quarantine(item, why)
        except (StoreUnavailable, sqlite3.Error) as problem:
            _trouble.warning("cannot set aside a refused %s (%s)", item.kind, problem)
            return False
        self._tries.pop(item.id, None)
        self.quarantined += 1
        metrics.quarantined(item.kind)
        logger.error(
            "quarantined a %s the feedback store refused %d times (kept in the dead letters): %s",
            item.kind,
            tries,
            why,
        )
        return True

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
