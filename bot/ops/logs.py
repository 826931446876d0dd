"""Logging for the server: one format, and no secret ever written.

slack_sdk already redacts the Authorization header, but a token can still travel in an error
message, a URL or a payload we log. The filter masks every credential shape redaction.py knows
and the configured secrets in every record, whoever logged it (the stores get the same masking).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from bot.ops.redaction import REDACTOR, Redactor

# The correlation id of the work this thread is doing (an answer job sets it when it starts).
_CID: ContextVar[str | None] = ContextVar("correlation_id", default=None)


class RedactSecrets(logging.Filter):
    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._clean = redactor.for_log

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._clean(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction(secrets: list[str]) -> None:
    """Attach the filter to every handler of the root logger (filters on loggers don't
    propagate to records of child loggers; handler filters see them all)."""
    REDACTOR.add_secrets(secrets)  # for the stores too (redaction.redact)
    redact = RedactSecrets(REDACTOR)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.addFilter(redact)


def correlation_id() -> str:
    """Short id printed in the apology and in the log line, to find one from the other; also
    the `cid` of every JSON log line the same work writes afterwards."""
    cid = uuid.uuid4().hex[:10]
    _CID.set(cid)
    return cid


class Throttled:
    """At most one line per `every_s` for a noisy condition (junk requests, a failing disk),
    with the number of lines left out since the last one."""

    def __init__(self, log: logging.Logger, every_s: float = 10.0) -> None:
        self._log = log
        self._every_s = every_s
        self._last = 0.0
        self._skipped = 0
        self._lock = threading.Lock()

    def warning(self, message: str, *args: object) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self._every_s and self._last:
                self._skipped += 1
                return
            skipped, self._skipped, self._last = self._skipped, 0, now
        suffix = f" ({skipped} more like it not logged)" if skipped else ""
        self._log.warning(message + suffix, *args)


class DropContent(logging.Filter):
    """Keeps what people wrote out of the log: slack_sdk's and Bolt's debug records carry whole
    request and response bodies (questions, answers), and Bolt logs the body of a request whose
    signature it rejects. Our own records never contain question text."""

    def filter(self, record: logging.LogRecord) -> bool:
        library = record.name.startswith(("slack_sdk", "slack_bolt")) or ":" in record.name
        if library and record.levelno < logging.WARNING:
            return False
        return "body:" not in record.getMessage() or not library


def keep_content_out() -> None:
    """Unless PROGRAMME_BOT_LOG_CONTENT=1: install DropContent on every root handler."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.addFilter(DropContent())


class JsonLines(logging.Formatter):
    """One JSON object a line (PROGRAMME_BOT_LOG_FORMAT=json), for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        cid = _CID.get()
        if cid:
            entry["cid"] = cid
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def use_json_lines() -> None:
    """Every handler of the root logger writes JSON lines (redaction filters stay in place)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.setFormatter(JsonLines())
