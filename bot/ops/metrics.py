"""Prometheus metrics: every series the service exposes, defined here once, and the small
functions the rest of the code calls to record them. The HTTP server serves them at /metrics.

Labels stay few and bounded (no channel, user or question text): a Slack method name, a Slack
error code, a conversation kind, a language, an outcome.

Pending work and retries are recorded by whoever owns the work queue and the Slack retry policy:
`track_pending(depth)` once at start-up with a function returning the current depth (evaluated
at every scrape, so it is right for a queue in SQLite or Redis alike), and `retried(op, reason)`
each time something is tried again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.answer import Answer

ANSWERED, ABSTAINED, INVALID, ERROR = "answered", "abstained", "invalid", "error"
# Up to a minute: the slowest answers wait behind a burst on the serial pipeline.
_CODE = re.compile(r"^[a-z0-9_.]{1,60}$")
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60)

ANSWERS = Counter(
    "programme_bot_answers",
    "Questions taken, by conversation kind (channel, dm, assistant, command), answer language "
    "and outcome (answered, abstained, invalid: not a question, error: an apology was posted)",
    ["kind", "language", "outcome"],
)
ANSWER_SECONDS = Histogram(
    "programme_bot_answer_seconds",
    "From taking a question off the queue to its answer posted, by conversation kind",
    ["kind"],
    buckets=LATENCY_BUCKETS,
)
SLACK_API_CALLS = Counter(
    "programme_bot_slack_api_calls",
    "Slack Web API requests (each attempt), by method and status: ok, Slack's error code, "
    "http_<status>, timeout or connection_error",
    ["method", "status"],
)
RETRIES = Counter(
    "programme_bot_retries",
    "Things tried again, by operation (a Slack method, event_delivery: Slack re-sending an "
    "event) and reason",
    ["operation", "reason"],
)
DEDUPE_HITS = Counter(
    "programme_bot_dedupe_hits",
    "Deliveries dropped because they were already handled (event: same event id; message: "
    "the same user message through another event)",
    ["what"],
)
PENDING = Gauge(
    "programme_bot_pending_work",
    "Questions acknowledged to Slack and not yet answered",
)
IGNORED = Counter(
    "programme_bot_ignored_requests",
    "Signed requests acknowledged and dropped, by reason: unreadable (a field of the wrong type "
    "or shape), no_workspace / another_workspace, no_app / another_app (not this installation), "
    "hook (a response_url off Slack's hooks host)",
    ["reason"],
)
DEADLINES = Counter(
    "programme_bot_answer_deadlines",
    "Answers not computed within PROGRAMME_BOT_ANSWER_DEADLINE_S (the asker is told the question "
    "took too long), by lane (short or long questions)",
    ["lane"],
)
QUARANTINED = Counter(
    "programme_bot_feedback_quarantined",
    "Feedback items the feedback store refused however often tried (too large, invalid, "
    "rejected): moved from the outbox to the dead-letter list, by kind (vote, reason, quiz)",
    ["kind"],
)
INDEX_RELOADS = Counter(
    "programme_bot_index_reloads",
    "New index builds seen while serving, by outcome (loaded, refused)",
    ["outcome"],
)
INDEX_BUILT_AT = Gauge(
    "programme_bot_index_built_at_seconds",
    "When the index being served was built (Unix time)",
)


def bounded(value: str, otherwise: str = "other") -> str:
    """A label value from outside (a header, an error code): kept only when it looks like a
    code, so a stray value cannot create unbounded series."""
    return value if _CODE.match(value) else otherwise


def outcome_of(answer: Answer) -> str:
    return ABSTAINED if answer.abstained else ANSWERED


def answer_done(kind: str, language: str, outcome: str, seconds: float | None = None) -> None:
    ANSWERS.labels(kind, language, outcome).inc()
    if seconds is not None:
        ANSWER_SECONDS.labels(kind).observe(seconds)


def slack_api_call(method: str, status: str) -> None:
    SLACK_API_CALLS.labels(method, status).inc()


def retried(operation: str, reason: str) -> None:
    RETRIES.labels(operation, bounded(reason)).inc()


def dedupe_hit(what: str = "event") -> None:
    DEDUPE_HITS.labels(what).inc()


IGNORE_REASONS = frozenset(
    {"unreadable", "no_workspace", "another_workspace", "no_app", "another_app", "hook"}
)


def ignored(reason: str) -> None:
    IGNORED.labels(reason if reason in IGNORE_REASONS else "unreadable").inc()


def deadline_passed(lane: str) -> None:
    DEADLINES.labels(lane).inc()


def quarantined(kind: str) -> None:
    QUARANTINED.labels(bounded(kind)).inc()


def track_pending(depth: Callable[[], float]) -> None:
    """Report the pending-work depth from `depth()`, evaluated at each scrape."""
    PENDING.set_function(depth)


def index_loaded(built_at: float | None, reloaded: bool = True) -> None:
    if reloaded:
        INDEX_RELOADS.labels("loaded").inc()
    if built_at is not None:
        INDEX_BUILT_AT.set(built_at)


def index_refused() -> None:
    INDEX_RELOADS.labels("refused").inc()


def exposition() -> tuple[bytes, str]:
    """The text format Prometheus scrapes, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
