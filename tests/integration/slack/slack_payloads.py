"""Payloads as Slack sends them (events, slash commands, interactions), signed with the
SignatureVerifier scheme, and checks on what the app sent back (valid blocks, no live mentions).
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier
from slack_stand_in import APP_ID, BOT_USER_ID, TEAM_ID

from bot.surfaces.slack.views import limits

SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
BOT_TOKEN = "xoxb-1111-2222-standintoken"

LIVE_MARKUP = re.compile(r"<[!@#]")
BARE_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def uid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def message_ts() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 1_000_000:06d}"


# ---------------------------------------------------------------------------- building


def event_body(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "type": "event_callback",
        "event_id": event_id or uid("Ev"),
        "event_time": int(time.time()),
        "event": {"event_ts": event.get("ts", message_ts()), **event},
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }


def mention(
    channel: str,
    text: str,
    user: str = "UHUMAN0001",
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "channel": channel,
        "ts": ts or message_ts(),
        "text": f"<@{BOT_USER_ID}> {text}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(
    channel: str,
    text: str,
    channel_type: str = "channel",
    user: str = "UHUMAN0001",
    ts: str | None = None,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    event = {
        "type": "message",
        "user": user,
        "channel": channel,
        "channel_type": channel_type,
        "ts": ts or message_ts(),
        "text": text,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_form(
    command: str, text: str, channel: str, response_url: str, user: str = "UHUMAN0001"
) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "stand-in",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "ada",
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": uid("trigger."),
        }
    )


def block_action(
    action_id: str,
    value: str,
    channel: str,
    response_url: str,
    user: str = "UHUMAN0001",
    message_ts_: str | None = None,
    trigger_id: str | None = None,
) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "ada", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "team": {"id": TEAM_ID, "domain": "stand-in"},
        "trigger_id": trigger_id or uid("trigger."),
        "response_url": response_url,
        "channel": {"id": channel, "name": "general"},
        "container": {
            "type": "message",
            "message_ts": message_ts_ or message_ts(),
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "message": {"type": "message", "ts": message_ts_ or message_ts(), "text": "…"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission(
    callback_id: str, private_metadata: str, values: dict[str, Any], user: str = "UHUMAN0001"
) -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "stand-in"},
        "user": {"id": user, "username": "ada", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": uid("trigger."),
        "view": {
            "id": uid("V"),
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "team_id": TEAM_ID,
            "app_id": APP_ID,
        },
    }
    return urlencode({"payload": json.dumps(payload)})


# ---------------------------------------------------------------------------- sending


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]
    seconds: float


def signed_headers(
    body: str,
    timestamp: int | None = None,
    secret: str = SIGNING_SECRET,
    content_type: str = "application/json",
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }


def post(url: str, body: str, headers: dict[str, str], timeout: float = 10.0) -> Reply:
    request = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode("utf-8")
            status, got = response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        text, status, got = exc.read().decode("utf-8"), exc.code, dict(exc.headers)
    return Reply(
        status, text, {k.lower(): v for k, v in got.items()}, time.perf_counter() - started
    )


def send_event(url: str, body: dict[str, Any], retry: int | None = None, **sign: Any) -> Reply:
    raw = json.dumps(body)
    headers = signed_headers(raw, **sign)
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return post(url, raw, headers)


def send_form(url: str, form: str, **sign: Any) -> Reply:
    return post(
        url, form, signed_headers(form, content_type="application/x-www-form-urlencoded", **sign)
    )


# ---------------------------------------------------------------------------- checking


def strings(value: Any) -> list[str]:
    """Every string inside a JSON-like value that Slack may read as mrkdwn (plain_text objects
    never render mentions)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if value.get("type") == "plain_text":
            return []
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def live_mentions(value: Any, allowed: tuple[str, ...] = ()) -> list[str]:
    """Text that Slack would render as a live mention or broadcast."""
    found = []
    for text in strings(value):
        for allowed_mention in allowed:
            text = text.replace(allowed_mention, "")
        found += [m.group(0) for m in LIVE_MARKUP.finditer(text)]
        found += [m.group(0) for m in BARE_BROADCAST.finditer(text)]
    return found


def assert_valid_blocks(
    blocks: list[dict[str, Any]], max_blocks: int = limits.MESSAGE_BLOCKS
) -> None:
    assert 0 < len(blocks) <= max_blocks
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None and parsed.type == block["type"], block
        parsed.validate_json()  # raises SlackObjectFormationError past any limit
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= limits.SECTION_TEXT
        if block["type"] == "context":
            assert len(block["elements"]) <= limits.CONTEXT_ELEMENTS


def assert_valid_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    assert_valid_blocks(view["blocks"], max_blocks=limits.MODAL_BLOCKS)
