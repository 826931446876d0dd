"""Slack state on Redis (REDIS_URL): what sqlite.SlackState keeps in one file, shared by every
replica. Only storage; the records are base.StateStore's. Expiry is Redis's (EXPIRE) instead of
purge().

Keys, under redis_client.PREFIX: `claim:<key>` (SET NX: one claimant), `thread:<ch>:<ts>`
(hash: kind, last_answer_id, last_answer_at), `answer:<id>` (JSON), `welcomed:<user>`,
`tour:<user>` (hash), `quiz:<quiz>:<user>` (hash: position → the answer that stands, HSETNX),
`outbox` (a Stream: feedback waiting for the feedback store, oldest first), `lease:<name>`, and
`cooldown:<method>:<where>` for Slack's Retry-After (RedisCooldowns), so a 429 seen by one
replica holds back the others too.
"""

from __future__ import annotations

import time
from typing import Any

import redis

from bot.stores.feedback import QuizAnswer
from bot.stores.redis_client import PREFIX, store_errors
from bot.stores.state.base import ANSWER_TTL_S, MESSAGE_CLAIM_TTL_S, StateStore

THREAD_TTL_S = ANSWER_TTL_S  # a thread's context lasts as long as the answers it points at
_UNCLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# KEYS: lease. ARGV: holder, milliseconds. Take it if free, renew it if ours.
_LEASE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
OUTBOX = PREFIX + "outbox"
DEAD_LETTERS = PREFIX + "outbox:dead"  # a Stream too, capped: an operator reads the newest
DEAD_LETTERS_KEPT = 10_000


class RedisSlackState(StateStore):
    def __init__(self, client: redis.Redis) -> None:
        self._r = client
        self._unclaim = client.register_script(_UNCLAIM)
        self._lease = client.register_script(_LEASE)

    def close(self) -> None:
        self._r.close()

    def purge(self, now: float | None = None) -> None:
        """Nothing to do: every key carries its own expiry."""

    # ------------------------------------------------------------------ exactly-once

    def claim(self, key: str, claimant: str) -> bool:
        name = PREFIX + "claim:" + key
        with store_errors():
            if self._r.set(name, claimant, nx=True, ex=MESSAGE_CLAIM_TTL_S):
                return True
            return self._r.get(name) == claimant

    def unclaim(self, key: str, claimant: str) -> None:
        with store_errors():
            self._unclaim(keys=[PREFIX + "claim:" + key], args=[claimant])

    # ------------------------------------------------------------------ threads

    @staticmethod
    def _thread(channel: str, thread_ts: str) -> str:
        return f"{PREFIX}thread:{channel}:{thread_ts}"

    def remember_thread(self, channel: str, thread_ts: str, kind: str) -> None:
        name = self._thread(channel, thread_ts)
        with store_errors():
            if self._r.hsetnx(name, "kind", kind):
                self._r.expire(name, THREAD_TTL_S)

    def thread_kind(self, channel: str, thread_ts: str) -> str | None:
        with store_errors():
            return self._r.hget(self._thread(channel, thread_ts), "kind")

    def set_thread_answer(self, channel: str, thread_ts: str, kind: str, answer_id: str) -> None:
        name = self._thread(channel, thread_ts)
        with store_errors():
            pipe = self._r.pipeline()  # MULTI/EXEC: the answer and its time change together
            pipe.hsetnx(name, "kind", kind)
            pipe.hset(name, mapping={"last_answer_id": answer_id, "last_answer_at": time.time()})
            pipe.expire(name, THREAD_TTL_S)
            pipe.execute()

    def _thread_answer(self, channel: str, thread_ts: str) -> tuple[str, float] | None:
        with store_errors():
            answer_id, at = self._r.hmget(
                self._thread(channel, thread_ts), "last_answer_id", "last_answer_at"
            )
        return (answer_id, float(at or 0)) if answer_id else None

    # ------------------------------------------------------------------ answers

    def _put_answer(
        self, answer_id: str, payload: str, channel: str | None, user_id: str | None
    ) -> None:
        with store_errors():
            self._r.set(PREFIX + "answer:" + answer_id, payload, ex=ANSWER_TTL_S)

    def _get_answer(self, answer_id: str) -> str | None:
        with store_errors():
            return self._r.get(PREFIX + "answer:" + answer_id)

    # ------------------------------------------------------------------ welcome

    def first_welcome(self, user_id: str) -> bool:
        with store_errors():
            return bool(self._r.set(PREFIX + "welcomed:" + user_id, time.time(), nx=True))

    # ------------------------------------------------------------------ tour

    def save_tour(
        self, user_id: str, subprogramme: int, language: str, step: int, quiz_id: str | None
    ) -> None:
        fields = {"subprogramme": subprogramme, "language": language, "step": step}
        name = PREFIX + "tour:" + user_id
        with store_errors():
            pipe = self._r.pipeline()
            pipe.hset(name, mapping={**fields, "quiz_id": quiz_id or "", "updated_at": time.time()})
            pipe.expire(name, ANSWER_TTL_S)
            pipe.execute()

    def _tour_row(self, user_id: str) -> tuple[Any, Any, Any, Any] | None:
        with store_errors():
            row = self._r.hgetall(PREFIX + "tour:" + user_id)
        if not row:
            return None
        return row["subprogramme"], row["language"], row["step"], row["quiz_id"]

    def end_tour(self, user_id: str) -> None:
        with store_errors():
            self._r.delete(PREFIX + "tour:" + user_id)

    def _first_quiz_choice(self, answer: QuizAnswer, text: str) -> tuple[str, bool]:
        name = f"{PREFIX}quiz:{answer.quiz_id}:{answer.user_id}"
        with store_errors():
            pipe = self._r.pipeline()
            pipe.hsetnx(name, str(answer.position), text)
            pipe.hget(name, str(answer.position))
            pipe.expire(name, ANSWER_TTL_S)
            new, standing, _ = pipe.execute()
        return standing, bool(new)

    def _quiz_choices(self, quiz_id: str, user_id: str) -> list[str]:
        with store_errors():
            return list(self._r.hgetall(f"{PREFIX}quiz:{quiz_id}:{user_id}").values())

    # ------------------------------------------------------------------ the feedback outbox

    def _outbox_add(self, kind: str, payload: str) -> None:
        with store_errors():
            self._r.xadd(OUTBOX, {"kind": kind, "payload": payload})

    def _outbox_rows(self, limit: int) -> list[tuple[Any, str, str]]:
        with store_errors():
            entries = self._r.xrange(OUTBOX, count=limit)
        return [(entry, f["kind"], f["payload"]) for entry, f in entries]

    def outbox_done(self, item_id: str) -> None:
        with store_errors():
            self._r.xdel(OUTBOX, item_id)

    def outbox_size(self) -> int:
        with store_errors():
            return int(self._r.xlen(OUTBOX))

    def _quarantine(self, item_id: str, record: str) -> None:
        # MULTI/EXEC: the item is in the outbox or among the dead letters, never both or neither.
        with store_errors(), self._r.pipeline(transaction=True) as both:
            both.xadd(DEAD_LETTERS, {"record": record}, maxlen=DEAD_LETTERS_KEPT)
            both.xdel(OUTBOX, item_id)
            both.execute()

    def _dead_letter_rows(self, limit: int) -> list[str]:
        with store_errors():
            entries = self._r.xrevrange(DEAD_LETTERS, count=limit)
        return [fields["record"] for _entry, fields in entries]

    def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        with store_errors():
            return bool(
                self._lease(keys=[PREFIX + "lease:" + name], args=[holder, int(seconds * 1000)])
            )


class RedisCooldowns:
    """Slack's Retry-After per (method, channel), shared by the replicas (calls.Cooldowns)."""

    def __init__(self, client: redis.Redis) -> None:
        self._r = client

    @staticmethod
    def _key(method: str, where: str) -> str:
        return f"{PREFIX}cooldown:{method}:{where}"

    def until(self, method: str, where: str) -> float | None:
        try:
            value = self._r.get(self._key(method, where))
        except redis.RedisError:
            return None  # Redis down: Slack's next 429 tells us again
        return float(value) if value else None

    def hold(self, method: str, where: str, until: float) -> None:
        ttl_ms = int((until - time.time()) * 1000)
        if ttl_ms <= 0:
            return
        try:
            current = self.until(method, where)
            if current is None or until > current:
                self._r.set(self._key(method, where), until, px=ttl_ms)
        except redis.RedisError:
            pass  # best effort: this replica still waits (the caller raises RateLimited)
