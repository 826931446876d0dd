"""The Slack surface: a view of the pipeline's Answer in threads, DMs and slash commands.

app.py wires Bolt; listeners/ holds one module per surface; blocks.py and mrkdwn.py render;
state.py and feedback.py keep what must survive a restart in SQLite.
"""
