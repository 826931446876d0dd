"""What the app remembers: feedback (SQLite or PostgreSQL), Slack state (SQLite or Redis) and
durable work (SQLite or Redis)."""
