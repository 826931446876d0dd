"""Check the Slack credentials before anything slow starts.

A missing or malformed variable stops `programme-bot serve` with one line that names it; the
value itself is never printed.
"""

from __future__ import annotations

import re

from bot.settings import Settings

_TOKEN = {
    "SLACK_BOT_TOKEN": ("xoxb-", "a bot token (xoxb-…) from OAuth & Permissions"),
    "SLACK_APP_TOKEN": ("xapp-", "an app-level token (xapp-…) with connections:write"),
}
_TOKEN_BODY = re.compile(r"^[A-Za-z0-9-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9]{16,}$")  # Slack issues 32 hex characters


def _check_token(name: str, value: str) -> str | None:
    prefix, what = _TOKEN[name]
    if not value:
        return f"{name} is not set: it must be {what}"
    if not value.startswith(prefix) or not _TOKEN_BODY.match(value) or len(value) < 15:
        return f"{name} is malformed: it must be {what}"
    return None


def credentials_problem(settings: Settings, socket_mode: bool) -> str | None:
    """One line naming the first missing or malformed variable, or None when all are fine."""
    problem = _check_token("SLACK_BOT_TOKEN", settings.slack_bot_token)
    if problem:
        return problem
    if settings.slack_api_url and not re.match(r"^https?://\S+$", settings.slack_api_url):
        return "SLACK_API_URL is malformed: it must be an http(s) URL, e.g. https://slack.com/api/"
    if socket_mode:
        return _check_token("SLACK_APP_TOKEN", settings.slack_app_token)
    secret = settings.slack_signing_secret
    if not secret:
        return "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from Basic Information"
    if not _SECRET.match(secret):
        return (
            "SLACK_SIGNING_SECRET is malformed: it must be the Signing Secret from Basic "
            "Information (letters and digits)"
        )
    return None


def secrets(settings: Settings) -> list[str]:
    return [
        s
        for s in (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret)
        if s
    ]


def api_base_url(settings: Settings) -> str | None:
    """SLACK_API_URL with the trailing slash slack_sdk needs to join method names."""
    url = settings.slack_api_url
    return url if not url or url.endswith("/") else url + "/"
