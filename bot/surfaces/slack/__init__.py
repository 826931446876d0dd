"""The Slack surface: a view of the pipeline's Answer in threads, DMs and slash commands.

app.py wires Bolt; listeners/ holds one package per surface (what is acked on the spot);
transport/ takes requests in and makes Web API calls; runtime/ does the work after the ack;
views/ renders Block Kit. What must survive a restart lives in bot/stores.
"""
