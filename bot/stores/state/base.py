"""What the Slack app must remember across restarts, and everything about it that does not
depend on where it is kept.

- claimed user messages (an @mention in a thread can arrive as both app_mention and message;
  the claim names the job that answers, so that job can resume after a crash),
- buttons already acted on (Share posts once however often it is clicked),
- threads the bot was asked into, with the last Answer given there (context for follow-ups),
- answers by id (buttons carry only the id: Slack caps a button value at 2,000 characters),
- users already welcomed in the Messages tab,
- where each user is in the guided tour (bot/surfaces/slack/listeners/tour/), so it resumes there,
  and the self-check answers of a quiz in progress (the first answer to a question stands),
- the feedback outbox: 👍/👎, reasons and self-check answers, written here on the listener's
  thread (fast, local, durable) and delivered to the feedback store by outbox.Courier, so a
  feedback database that is down or hung never touches an ack and loses nothing; and its dead
  letters, the items the feedback store refused however often they were tried (kept for an
  operator to read, out of the way of the items behind them),
- leases: which process delivers the outbox (one at a time keeps the votes in order).

`StateStore` is the interface and the record handling: how long things are kept, the key of a
message's claim, answers and self-check answers as JSON, when a thread's last answer is too old
to follow, tour positions and outbox items read back. Backends only store and fetch:
sqlite.SlackState (one file on one host) and redis.RedisSlackState (REDIS_URL, shared by every
replica); deps.Stores.open picks. Failures of a shared store raise StoreUnavailable.
"""

from __future__ import annotations

import json
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from bot.answer import Answer
from bot.stores.feedback import QuizAnswer

MESSAGE_CLAIM_TTL_S = 24 * 60 * 60
ANSWER_TTL_S = 90 * 24 * 60 * 60  # buttons on older answers say the answer has expired
DM_FOLLOW_UP_WINDOW_S = 30 * 60  # a top-level DM is a follow-up only shortly after the last answer

DM_ROOT = ""  # thread_ts key for the top level of a direct message


@dataclass(frozen=True)
class TourPosition:
    subprogramme: int
    language: str
    step: int  # a card (0-4), or QUIZ_STEP + the question shown
    quiz_id: str | None


MAX_OUTBOX_ITEM_CHARS = 16_000  # a vote with its question and sources is ~1-7 KB; nothing more


@dataclass(frozen=True)
class OutboxItem:
    id: str  # the store's id for it, for outbox_done
    kind: str  # "vote" | "reason" | "quiz": see outbox.py
    payload: dict[str, Any]


@dataclass(frozen=True)
class DeadLetter:
    kind: str
    payload: dict[str, Any]
    reason: str  # why the feedback store refused it (one line, no payload)
    at: float  # when it was set aside (time.time())


class TooLarge(ValueError):
    """An item over MAX_OUTBOX_ITEM_CHARS: refused at intake, never stored."""


def answer_from_json(data: dict) -> Answer:
    """Rebuild an Answer from Answer.to_json(), ignoring keys a newer version may have added."""
    return Answer.from_json(data)


def quiz_json(answer: QuizAnswer) -> str:
    return json.dumps(asdict(answer), ensure_ascii=False)


def quiz_from_json(text: str) -> QuizAnswer:
    return QuizAnswer(**json.loads(text))


class StateStore(ABC):
    """What the listeners and workers use. The public methods that handle records are written
    here; a backend implements the abstract ones, which take and give plain strings and
    numbers (JSON text, ids, times)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def purge(self, now: float | None = None) -> None:
        """Drop what has outlived its TTL."""

    # ------------------------------------------------------------------ exactly-once

    @abstractmethod
    def claim(self, key: str, claimant: str) -> bool:
        """True for the one claimant of `key` (and for it again, when it resumes after a crash);
        a claim lasts MESSAGE_CLAIM_TTL_S."""

    @abstractmethod
    def unclaim(self, key: str, claimant: str) -> None:
        """Give a claim back (the claimed action failed and may be tried again)."""

    def claim_message(self, channel: str, ts: str, claimant: str) -> bool:
        """True for the one job that gets to answer this user message."""
        return self.claim(f"message:{channel}:{ts}", claimant)

    # ------------------------------------------------------------------ threads

    @abstractmethod
    def remember_thread(self, channel: str, thread_ts: str, kind: str) -> None:
        """Note a thread the bot was asked into (the first kind noted stays)."""

    @abstractmethod
    def thread_kind(self, channel: str, thread_ts: str) -> str | None:
        """'channel', 'dm' or 'assistant' for a thread the bot was asked into, else None."""

    @abstractmethod
    def set_thread_answer(self, channel: str, thread_ts: str, kind: str, answer_id: str) -> None:
        """The answer just given in the thread (remembering the thread if it is new), now."""

    def previous_answer(
        self, channel: str, thread_ts: str, max_age_s: float | None = None
    ) -> Answer | None:
        """The last answer given in the thread, unless older than max_age_s or expired."""
        last = self._thread_answer(channel, thread_ts)
        if last is None:
            return None
        answer_id, answered_at = last
        if max_age_s is not None and time.time() - answered_at > max_age_s:
            return None
        return self.load_answer(answer_id)

    # ------------------------------------------------------------------ answers

    def save_answer(self, answer: Answer, channel: str | None, user_id: str | None) -> str:
        """Keep the answer for ANSWER_TTL_S under a new id, which is returned."""
        answer_id = uuid.uuid4().hex
        payload = json.dumps(answer.to_record(), ensure_ascii=False)
        self._put_answer(answer_id, payload, channel, user_id)
        return answer_id

    def load_answer(self, answer_id: str) -> Answer | None:
        payload = self._get_answer(answer_id)
        return answer_from_json(json.loads(payload)) if payload else None

    # ------------------------------------------------------------------ welcome

    @abstractmethod
    def first_welcome(self, user_id: str) -> bool:
        """True the first time only."""

    # ------------------------------------------------------------------ tour

    @abstractmethod
    def save_tour(
        self, user_id: str, subprogramme: int, language: str, step: int, quiz_id: str | None
    ) -> None: ...

    def tour_position(self, user_id: str) -> TourPosition | None:
        row = self._tour_row(user_id)
        if row is None:
            return None
        subprogramme, language, step, quiz_id = row
        return TourPosition(int(subprogramme), str(language), int(step), quiz_id or None)

    @abstractmethod
    def end_tour(self, user_id: str) -> None: ...

    def first_quiz_answer(self, answer: QuizAnswer) -> tuple[QuizAnswer, bool]:
        """The answer that stands for its question of the quiz (the first one given), and
        whether it is `answer` itself, given now."""
        standing, new = self._first_quiz_choice(answer, quiz_json(answer))
        return quiz_from_json(standing), new

    def quiz_answers(self, quiz_id: str, user_id: str) -> list[QuizAnswer]:
        """The answers that stand in a quiz, in the order of its questions."""
        found = (quiz_from_json(text) for text in self._quiz_choices(quiz_id, user_id))
        return sorted(found, key=lambda a: a.position)

    # ------------------------------------------------------------------ the feedback outbox

    def outbox_put(self, kind: str, payload: dict[str, Any]) -> None:
        """Record feedback for delivery (oldest first); raises StoreUnavailable, or TooLarge
        for an item no feedback store should be asked to keep."""
        text = json.dumps(payload, ensure_ascii=False)
        if len(text) > MAX_OUTBOX_ITEM_CHARS:
            raise TooLarge(f"a {kind} of {len(text):,} characters")
        self._outbox_add(kind, text)

    def outbox_peek(self, limit: int) -> list[OutboxItem]:
        """The oldest `limit` items, left in place until outbox_done."""
        return [
            OutboxItem(str(item_id), kind, json.loads(payload))
            for item_id, kind, payload in self._outbox_rows(limit)
        ]

    @abstractmethod
    def outbox_done(self, item_id: str) -> None: ...

    @abstractmethod
    def outbox_size(self) -> int: ...

    def outbox_quarantine(self, item: OutboxItem, reason: str) -> None:
        """Move `item` from the outbox to the dead letters, in one step."""
        record = {"kind": item.kind, "payload": item.payload, "reason": reason[:300]}
        self._quarantine(item.id, json.dumps({**record, "at": time.time()}, ensure_ascii=False))

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        """The most recent items set aside, newest first."""
        return [DeadLetter(**json.loads(text)) for text in self._dead_letter_rows(limit)]

    @abstractmethod
    def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Take or renew the lease `name` for `seconds`; True while `holder` holds it."""

    # ------------------------------------------------------------------ what a backend stores

    @abstractmethod
    def _thread_answer(self, channel: str, thread_ts: str) -> tuple[str, float] | None:
        """The id and time (time.time()) of the thread's last answer; None if it has none."""

    @abstractmethod
    def _put_answer(
        self, answer_id: str, payload: str, channel: str | None, user_id: str | None
    ) -> None:
        """Keep the answer's JSON for ANSWER_TTL_S."""

    @abstractmethod
    def _get_answer(self, answer_id: str) -> str | None:
        """The answer's JSON, None once it expired."""

    @abstractmethod
    def _tour_row(self, user_id: str) -> tuple[Any, Any, Any, Any] | None:
        """subprogramme, language, step, quiz_id (empty or None: no quiz) as stored."""

    @abstractmethod
    def _first_quiz_choice(self, answer: QuizAnswer, text: str) -> tuple[str, bool]:
        """Keep `text` for the answer's (quiz, position, user) unless one is kept already
        (for ANSWER_TTL_S); the text that stands, and whether it is `text`, kept now."""

    @abstractmethod
    def _quiz_choices(self, quiz_id: str, user_id: str) -> Iterable[str]:
        """The texts kept for the quiz and user, in any order."""

    @abstractmethod
    def _outbox_add(self, kind: str, payload: str) -> None:
        """Append an item after every other."""

    @abstractmethod
    def _outbox_rows(self, limit: int) -> list[tuple[Any, str, str]]:
        """id, kind and payload of the oldest `limit` items, oldest first."""

    @abstractmethod
    def _quarantine(self, item_id: str, record: str) -> None:
        """Delete the outbox item and keep `record` (JSON) among the dead letters, atomically."""

    @abstractmethod
    def _dead_letter_rows(self, limit: int) -> list[str]:
        """The newest `limit` dead letters' JSON, newest first."""
