"""Errors sorted by whether trying again can help, and told in one log line.

Transient: the state store (locked, full, Redis away), the network, Slack's 5xx and 429. Work
that meets one waits and is tried again. Anything else (input that cannot be read, a bug) fails
the same way every time: it is recorded once and never retried, so it cannot hold up a channel.

One line, not a traceback: the type, the message (cut short) and where in this code it was
raised is enough to find the cause, and hostile input cannot fill the log with tracebacks.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from slack_sdk.errors import SlackApiError

from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.transport.calls import OutcomeUnknown, RateLimited
from bot.surfaces.slack.transport.payloads import describe

logger = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[4]
MESSAGE_CHARS = 160
TRANSIENT: tuple[type[BaseException], ...] = (
    StoreUnavailable,
    sqlite3.OperationalError,  # locked, full, I/O
    OutcomeUnknown,
    RateLimited,
    ConnectionError,
    TimeoutError,
)


def transient(exc: BaseException) -> bool:
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        return status == 429 or status >= 500
    return isinstance(exc, TRANSIENT)


def one_line(exc: BaseException) -> str:
    """`TypeError: … (at bot/surfaces/slack/runtime/jobs.py:42 in run_job)`: the innermost frame
    of this code."""
    # A ValidationError's message quotes the input: say where it failed, not what it held.
    invalid = isinstance(exc, ValidationError)
    message = describe(exc) if invalid else " ".join(str(exc).split())
    if len(message) > MESSAGE_CHARS:
        message = message[:MESSAGE_CHARS] + "…"
    where = ""
    ours = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith(str(_ROOT / "bot"))
    ]
    if ours:
        frame = ours[-1]
        path = Path(frame.filename).relative_to(_ROOT)
        where = f" (at {path}:{frame.lineno} in {frame.name})"
    return f"{type(exc).__name__}: {message}{where}"


def contained(listener: Callable[..., Any]) -> Callable[..., Any]:
    """For listeners: an error after ack() is logged here in one line. Left to Bolt, an error
    raised right after the ack resets it, and the request waits 3 s for a 404
    (ThreadListenerRunner); before ack() Bolt's error handler (app.py) answers as usual."""

    @functools.wraps(listener)  # Bolt reads the wrapped function's argument names
    def run(**kwargs: Any) -> Any:
        try:
            return listener(**kwargs)
        except Exception as exc:
            ack = kwargs.get("ack")
            if ack is not None and getattr(ack, "response", None) is None:
                raise
            if isinstance(exc, SlackApiError):  # Slack said no: its error says it all
                error = exc.response.get("error", "unknown") if exc.response.data else "unknown"
                logger.warning("%s failed after its ack: %s", listener.__name__, error)
            else:
                logger.error("%s failed after its ack: %s", listener.__name__, one_line(exc))
            return None

    return run
