"""response_urls: where the answers to commands and buttons are posted. Only Slack's own hooks
host (SLACK_HOOKS_URL, https://hooks.slack.com/) is ever posted to; a signed payload naming any
other URL (loopback, a private address, another site) is ignored at intake (intake.py), and a
job checks again before it posts (a job recorded by an older version)."""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk.webhook import WebhookClient

from bot.settings import SLACK_HOOKS_URL


class OffHooksHost(ValueError):
    """A response_url that is not on Slack's hooks host: nothing is posted to it."""


def on_hooks_host(url: str, hooks: str = SLACK_HOOKS_URL) -> bool:
    """Whether `url` is under `hooks`: the same scheme, host and port, a path below it, and no
    credentials."""
    try:
        got, allowed = urlsplit(url), urlsplit(hooks)
        return (
            got.scheme == allowed.scheme
            and got.hostname == allowed.hostname
            and got.port == allowed.port
            and got.username is None
            and got.password is None
            and got.path.startswith(allowed.path or "/")
        )
    except ValueError:  # a port that is no number
        return False


def webhook(url: str, hooks: str, timeout: int) -> WebhookClient:
    """A client posting to `url`; OffHooksHost when it is not on Slack's hooks host."""
    if not on_hooks_host(url, hooks):
        raise OffHooksHost("a response_url off Slack's hooks host")
    return WebhookClient(url, timeout=timeout)
