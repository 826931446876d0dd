"""What the app remembers: feedback (SQLite or PostgreSQL), Slack state (SQLite or Redis) and
durable work (SQLite or Redis). Each store is a package: base.py holds its interface and all its
record handling, and one module per backend does only the storage I/O."""

from __future__ import annotations

from bot.settings import Settings
from bot.stores.feedback import Feedback
from bot.stores.feedback.sqlite import FeedbackStore


def open_feedback(settings: Settings) -> Feedback:
    """PostgreSQL when DATABASE_URL is set, else the SQLite file PROGRAMME_BOT_FEEDBACK_DB."""
    if settings.database_url:
        # Optional heavy dependency: psycopg, only when DATABASE_URL is set.
        from bot.stores.feedback.postgres import PostgresFeedbackStore

        return PostgresFeedbackStore(settings.database_url)
    return FeedbackStore(settings.feedback_db)
