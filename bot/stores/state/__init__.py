"""What the Slack app remembers across restarts: the interface and its records in base.py, one
module per backend (sqlite.py, redis.py). deps.Stores.open picks one."""

from bot.stores.state.base import (
    ANSWER_TTL_S,
    DM_FOLLOW_UP_WINDOW_S,
    DM_ROOT,
    MAX_OUTBOX_ITEM_CHARS,
    MESSAGE_CLAIM_TTL_S,
    DeadLetter,
    OutboxItem,
    StateStore,
    TooLarge,
    TourPosition,
    answer_from_json,
)

__all__ = [
    "ANSWER_TTL_S",
    "DM_FOLLOW_UP_WINDOW_S",
    "DM_ROOT",
    "MAX_OUTBOX_ITEM_CHARS",
    "MESSAGE_CLAIM_TTL_S",
    "DeadLetter",
    "OutboxItem",
    "StateStore",
    "TooLarge",
    "TourPosition",
    "answer_from_json",
]
