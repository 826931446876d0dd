"""Feedback (👍/👎, reasons, the tour's self-check answers): the interface and its records in
base.py, one module per backend (sqlite.py, postgres.py). `bot.stores.open_feedback` picks one."""

from bot.stores.feedback.base import (
    RATINGS,
    Feedback,
    FeedbackSummary,
    FeedbackUnavailable,
    QuizAnswer,
    Vote,
    answer_fields,
    format_summary,
)

__all__ = [
    "RATINGS",
    "Feedback",
    "FeedbackSummary",
    "FeedbackUnavailable",
    "QuizAnswer",
    "Vote",
    "answer_fields",
    "format_summary",
]
