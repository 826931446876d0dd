"""The gate every signed request passes before Bolt sees it: parse, validate, and check that it
is for this installation.

Bolt parses bodies and reads ids out of them with few type checks (`"user": 5`, `"event": "x"`
or a JSON list raise inside its request constructor and middleware: a 500 with a traceback), so
the body is parsed here the way Bolt will parse it and validated with payloads.py first. What
fails is acknowledged (Slack needs the 200) and dropped with one short log line; what passes
reaches Bolt knowing every field it reads has the right type.

The installation: one bot token means one workspace (and one app). An event or command whose
team_id, or any payload whose api_app_id, is not ours was signed with our secret but is not for
us (an app distributed elsewhere, a replayed capture): acknowledged and ignored. An event's team
is read as Bolt reads it, from `authorizations` when present (in a Slack Connect channel the
top-level team_id may be the other side's). Interactions are not checked by team: in a Slack
Connect channel the person clicking may belong to another workspace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from bot.surfaces.slack.transport.payloads import (
    EventEnvelope,
    Payload,
    SlashCommand,
    Unreadable,
    read,
)


class NotJson(Exception):
    """The body does not parse at all (not even as Bolt would): a 400, not a payload."""


@dataclass(frozen=True)
class Installation:
    """Who the app is: from auth.test, or SLACK_TEAM_ID / SLACK_APP_ID when set. None: not
    known, not checked."""

    team_id: str | None = None
    app_id: str | None = None
    enterprise_id: str | None = None
    enterprise_install: bool = False

    @classmethod
    def of(
        cls, identity: Any, team_id: str | None = None, app_id: str | None = None
    ) -> Installation:
        """identity: auth.test's response (anything with .get)."""

        def text(value: Any) -> str | None:
            return value if isinstance(value, str) and value else None

        return cls(
            team_id=team_id or text(identity.get("team_id")),
            app_id=app_id or text(identity.get("app_id")),
            enterprise_id=text(identity.get("enterprise_id")),
            enterprise_install=identity.get("is_enterprise_install") is True,
        )

    def foreign(self, payload: Payload) -> str | None:
        """Why `payload` is for another installation, or None when it is (or may be) ours."""
        app = getattr(payload, "api_app_id", None)
        if self.app_id and app and app != self.app_id:
            return "another app"
        if self.enterprise_install:  # org-wide: every workspace of the org is ours
            return None
        if self.team_id and self._teams(payload) - {self.team_id}:
            return "another workspace"
        return None

    @staticmethod
    def _teams(payload: Payload) -> set[str]:
        if isinstance(payload, EventEnvelope):
            # The installations an event is delivered for, as Bolt reads them: in a Slack
            # Connect channel the top-level team_id may be the other side's workspace.
            if payload.authorizations:
                return {a.team_id for a in payload.authorizations if a.team_id}
            return {payload.team_id} if payload.team_id else set()
        if isinstance(payload, SlashCommand) and payload.team_id:
            return {payload.team_id}
        return set()


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
    payload = read(body)
    foreign = installation.foreign(payload)
    if foreign:
        raise Unreadable(f"a payload for {foreign}")
    return payload
