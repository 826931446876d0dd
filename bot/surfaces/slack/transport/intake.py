"""The gate every signed request passes before Bolt sees it: parse, validate, and check that it
is for this installation.

Bolt parses bodies and reads ids out of them with few type checks (`"user": 5`, `"event": "x"`
or a JSON list raise inside its request constructor and middleware: a 500 with a traceback), so
the body is parsed here the way Bolt will parse it and validated with payloads.py first: the
envelope (every field Bolt reads) and the payload (every field the app reads). What fails is
acknowledged (Slack needs the 200) and dropped with one short log line; what passes reaches Bolt
knowing every field it reads has the right type.

The installation, pinned and failing closed: one bot token means one workspace (or one org, for
an org-wide install) and one app. A payload is ours only when the workspace Bolt reads from it
(the same functions, slack_bolt.request.internals) is ours and its api_app_id is ours; one that
names another, or none at all, was signed with our secret but is not for us (an app distributed
elsewhere, a replayed capture, a forged envelope): acknowledged, ignored, counted
(programme_bot_ignored_requests_total). Bolt reads an event's workspace from `authorizations`
first, so in a Slack Connect channel, where the top-level team_id may be the other side's, our
own installation is still recognised. Slack's URL check (url_verification) names no workspace.

Every response_url a payload names must be on Slack's hooks host (SLACK_HOOKS_URL): Bolt's
`respond` and the jobs post answers there, and a signed payload must not send them elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.request.internals import extract_enterprise_id, extract_team_id

from bot.settings import SLACK_HOOKS_URL
from bot.surfaces.slack.transport.hooks import on_hooks_host
from bot.surfaces.slack.transport.payloads import (
    Payload,
    Unreadable,
    UrlVerification,
    checked,
)


class NotJson(Exception):
    """The body does not parse at all (not even as Bolt would): a 400, not a payload."""


class Foreign(Unreadable):
    """Signed, readable, and not for this installation; `kind` is the metric's reason."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"a payload for {kind.replace('_', ' ')}", kind)


@dataclass(frozen=True)
class Installation:
    """Who the app is: from auth.test, or SLACK_TEAM_ID / SLACK_APP_ID when set. None: not
    known, not checked (only before auth.test has answered: serve always knows)."""

    team_id: str | None = None
    app_id: str | None = None
    enterprise_id: str | None = None
    enterprise_install: bool = False
    hooks_url: str = SLACK_HOOKS_URL

    @classmethod
    def of(
        cls,
        identity: Any,
        team_id: str | None = None,
        app_id: str | None = None,
        hooks_url: str = SLACK_HOOKS_URL,
    ) -> Installation:
        """identity: auth.test's response (anything with .get)."""

        def text(value: Any) -> str | None:
            return value if isinstance(value, str) and value else None

        return cls(
            team_id=team_id or text(identity.get("team_id")),
            app_id=app_id or text(identity.get("app_id")),
            enterprise_id=text(identity.get("enterprise_id")),
            enterprise_install=identity.get("is_enterprise_install") is True,
            hooks_url=hooks_url,
        )

    def foreign(self, body: dict[str, Any]) -> str | None:
        """Why a validated payload is not for this installation (a metric reason: no_app,
        another_app, no_workspace, another_workspace), or None when it is ours."""
        if self.app_id:
            app = body.get("api_app_id")
            if not app:
                return "no_app"
            if app != self.app_id:
                return "another_app"
        if self.enterprise_install:  # org-wide: every workspace of the org is ours
            ours, theirs = self.enterprise_id, extract_enterprise_id(body)
        else:
            ours, theirs = self.team_id, extract_team_id(body)
        if not ours:
            return None
        if not theirs:
            return "no_workspace"
        return None if theirs == ours else "another_workspace"


def for_bolt(raw: str, content_type: str | None) -> str:
    """The body to hand Bolt. Bolt takes any form containing the word "payload" for an
    interaction and finds no `payload` field in a slash command whose text says "payload": the
    command would be unhandled. Percent-encoding the word ("%70ayload") keeps the form the same
    once decoded and keeps Bolt on the right path. (Bolt does not check the signature again:
    http_server did, on the bytes Slack signed.)"""
    if content_type == "application/json" or raw.startswith("{") or "payload" not in raw:
        return raw
    if "payload" in dict(parse_qsl(raw, keep_blank_values=True)):
        return raw
    return raw.replace("payload", "%70ayload")


def parse_body(raw: str, content_type: str | None) -> Any:
    """The body as Bolt's request parser reads it (slack_bolt.request.internals.parse_body):
    JSON when declared or when it starts with "{", a form's `payload` field as JSON, or a form."""
    try:
        if not raw:
            return {}
        if content_type == "application/json" or raw.startswith("{"):
            return json.loads(raw)
        if "payload" in raw:
            payload = dict(parse_qsl(raw, keep_blank_values=True)).get("payload")
            return json.loads(payload) if payload is not None else {}
        return dict(parse_qsl(raw, keep_blank_values=True))
    except (ValueError, RecursionError) as exc:
        raise NotJson(type(exc).__name__) from None


def admit(body: Any, installation: Installation) -> Payload:
    """The validated payload; Unreadable (with a short reason) when it is not one for us."""
    payload, envelope = checked(body)
    if isinstance(payload, UrlVerification):  # Slack checking the URL: no workspace in it
        return payload
    foreign = installation.foreign(body)
    if foreign:
        raise Foreign(foreign)
    for url in envelope.response_urls_named():
        if not on_hooks_host(url, installation.hooks_url):
            raise Unreadable("a response_url off Slack's hooks host", "hook")
    return payload
