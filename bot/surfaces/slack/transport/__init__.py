"""How requests reach the app and replies reach Slack: HTTP and Socket Mode intake, payload
validation, Web API calls."""
