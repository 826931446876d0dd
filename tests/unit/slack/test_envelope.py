"""The whole envelope is validated before Bolt reads it (issue 23, class 1), and the installation
is pinned failing closed (class 2): every field Bolt's request parsing reads, in every payload,
given every wrong type, is either refused at intake or read by the real app without a 5xx.

Each body goes through intake.admit as the HTTP server and Socket Mode run it; what it admits
is dispatched to the app create_app builds (its middleware, listeners and error handler), in
process. The Web API is an unroutable local port: listeners that call it fail after the ack,
which is theirs to contain; what is asserted is the status of the ack."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from listener_fakes import CHANNEL, RESPONSE_URL, USER, click, command, message_ts
from slack_bolt import App, BoltRequest
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot.surfaces.slack.app import create_app
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.transport.hooks import on_hooks_host
from bot.surfaces.slack.transport.intake import Installation, admit, parse_body
from bot.surfaces.slack.transport.payloads import Unreadable
from bot.surfaces.slack.views.blocks import FEEDBACK_MODAL, FEEDBACK_UP

TEAM, APP, HOOKS = "T0TEAM0001", "A0APP00001", "https://hooks.slack.test/"
OURS = Installation(TEAM, APP, hooks_url=HOOKS)
EVENT_ID = "Ev0ENVELOPE"


def envelope(event: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "event_id": EVENT_ID,
        "team_id": TEAM,
        "api_app_id": APP,
        "authorizations": [{"team_id": TEAM, "user_id": "U0BOT00001", "is_bot": True}],
        "event": event,
        **top,
    }


def mention() -> dict[str, Any]:
    ts = message_ts()
    return {"type": "app_mention", "channel": "C0CHANNEL1", "user": USER, "text": "hi", "ts": ts}


BASES: dict[str, dict[str, Any]] = {
    "app_mention": envelope(mention()),
    "im message": envelope(
        {**mention(), "type": "message", "channel": CHANNEL, "channel_type": "im"}
    ),
    "reaction_added": envelope(
        {
            "type": "reaction_added",
            "user": USER,
            "reaction": "eyes",
            "item": {"type": "message", "channel": "C0CHANNEL1", "ts": "1.000001"},
        }
    ),
    "app_home_opened": envelope({"type": "app_home_opened", "user": USER, "tab": "home"}),
    "assistant_thread_started": envelope(
        {
            "type": "assistant_thread_started",
            "assistant_thread": {"channel_id": CHANNEL, "thread_ts": "1.000001", "context": {}},
        }
    ),
    "block_actions": click(FEEDBACK_UP, "0" * 32),
    "view_submission": {
        "type": "view_submission",
        "user": {"id": USER},
        "team": {"id": TEAM},
        "api_app_id": APP,
        "view": {
            "type": "modal",
            "callback_id": FEEDBACK_MODAL,
            "private_metadata": "answer:" + "0" * 32,
        },
    },
}
# Where Bolt looks (slack_bolt.request.internals.build_context, payload_utils): at the top, and
# again in the event, message, item and assistant thread.
PATHS = [
    "user",
    "user_id",
    "channel",
    "channel_id",
    "team",
    "team_id",
    "enterprise",
    "enterprise_id",
    "authorizations",
    "authorizations.0",
    "authorizations.0.team_id",
    "authorizations.0.enterprise_id",
    "view",
    "view.app_installed_team_id",
    "view.type",
    "view.callback_id",
    "thread_ts",
    "response_url",
    "response_urls",
    "message",
    "item",
    "event",
    "event.type",
    "event.user",
    "event.channel",
    "event.team",
    "event.user_team",
    "event.thread_ts",
    "event.subtype",
    "event.channel_type",
    "event.bot_id",
    "event.item",
    "event.item.channel",
    "event.message",
    "event.previous_message",
    "event.assistant_thread",
    "event.assistant_thread.channel_id",
    "event.assistant_thread.context",
]
WRONG: list[Any] = [5, 2.5, True, [], [5], ["U1"], {}, {"id": 5}, "two words", "x" * 300]


def put(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    node: Any = body
    *parents, last = path.split(".")
    for part in parents:
        if isinstance(node, list):
            node = node[int(part)] if node else None
        else:
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if not isinstance(node, dict | list):
            return body
    if isinstance(node, list):
        if node:
            node[int(last)] = value
    else:
        node[last] = value
    return body


def cases() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, base in BASES.items():
        for path in PATHS:
            for value in WRONG:
                yield f"{name}: {path}={json.dumps(value)[:12]}", put(base, path, value)


@pytest.fixture()
def app(deps: Deps) -> App:
    def authorize(**_: Any) -> AuthorizeResult:  # instead of auth.test over the network
        return AuthorizeResult(
            enterprise_id=None, team_id=TEAM, bot_user_id="U0BOT00001", bot_token="xoxb-own"
        )

    deps.installation = OURS
    # Nothing listens on port 9: a listener's Web API call fails at once, after its ack.
    deps.settings = dataclasses.replace(deps.settings, slack_api_url="http://127.0.0.1:9/api/")
    return create_app(deps, socket_mode=False, authorize=authorize)


def test_every_wrong_type_where_bolt_reads_is_refused_or_read_without_a_5xx(
    app: App, deps: Deps
) -> None:
    refused = admitted = 0
    for name, body in cases():
        raw = json.dumps(body)
        try:
            admit(parse_body(raw, "application/json"), deps.installation)
        except Unreadable:
            refused += 1
            continue
        admitted += 1
        request = BoltRequest(body=raw, headers={"content-type": ["application/json"]})
        response = app.dispatch(request)
        assert response.status < 500, (name, response.status, response.body)
    assert refused > 1000 and admitted > 50, (refused, admitted)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event.type", ["app_mention"]),
        ("event.type", {"t": 1}),
        ("user", 5),
        ("event.user", 5),
        ("event.channel", 5),
        ("team", 5),
        ("team_id", 5),
        ("enterprise", 5),
        ("authorizations", 5),
        ("authorizations", [5]),
        ("event.item.channel", 5),
    ],
)
def test_the_type_confusions_that_crashed_bolt_are_refused(field: str, value: Any) -> None:
    body = put(BASES["reaction_added"], field, value)
    with pytest.raises(Unreadable):
        admit(body, OURS)


def test_enterprise_as_a_number_on_a_click_is_refused() -> None:
    with pytest.raises(Unreadable):
        admit({**click(FEEDBACK_UP, "0" * 32), "enterprise": 5}, OURS)


# ----------------------------------------------------------------------------- pinning


def reason(body: dict[str, Any], installation: Installation = OURS) -> str | None:
    try:
        admit(body, installation)
    except Unreadable as exc:
        return exc.kind
    return None


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda b: b, None),
        # Slack Connect: the top-level team is the other side's, the installation ours.
        (lambda b: b.update(team_id="T0THER0001"), None),
        (lambda b: b["authorizations"][0].update(team_id="T0THER0001"), "another_workspace"),
        (lambda b: b["authorizations"][0].update(team_id=None), "no_workspace"),
        (lambda b: b["authorizations"][0].pop("team_id"), "no_workspace"),
        (lambda b: [b.pop("authorizations"), b.pop("team_id")], "no_workspace"),
        (lambda b: [b.pop("authorizations"), b.update(team_id="T0THER0001")], "another_workspace"),
        (lambda b: b.update(authorizations=[]), None),  # then the envelope's team_id
        (lambda b: b.pop("api_app_id"), "no_app"),
        (lambda b: b.update(api_app_id="A0THER0001"), "another_app"),
    ],
    ids=[
        "ours",
        "slack connect",
        "another team authorised",
        "null team authorised",
        "no team authorised",
        "no workspace at all",
        "another team, no authorisations",
        "empty authorisations",
        "no app",
        "another app",
    ],
)
def test_events_are_pinned_to_the_workspace_failing_closed(edit: Any, expected: str) -> None:
    body = copy.deepcopy(BASES["app_mention"])
    edit(body)
    assert reason(body) == expected


def test_a_foreign_team_with_a_null_authorisation_is_not_ours() -> None:
    body = envelope(mention(), team_id="T0THER0001", authorizations=[{"team_id": None}])
    assert reason(body) == "no_workspace"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (click(FEEDBACK_UP, "0" * 32), None),
        ({**click(FEEDBACK_UP, "0" * 32), "team": {"id": "T0THER0001"}}, "another_workspace"),
        ({**click(FEEDBACK_UP, "0" * 32), "team": None}, "no_workspace"),
        (
            {**command("/programme", "hi"), "api_app_id": APP, "team_id": "T0THER0001"},
            "another_workspace",
        ),
        ({**command("/programme", "hi"), "api_app_id": APP}, None),
        (command("/programme", "hi"), "no_app"),
    ],
    ids=["click", "click elsewhere", "click nowhere", "command elsewhere", "command", "no app"],
)
def test_interactions_and_commands_are_pinned_too(body: dict[str, Any], expected: str) -> None:
    assert reason(body) == expected


def test_an_org_wide_install_takes_every_workspace_of_its_org_and_no_other() -> None:
    org = Installation(
        None, APP, enterprise_id="E0ORG00001", enterprise_install=True, hooks_url=HOOKS
    )
    body = envelope(mention())
    body["authorizations"] = [{"enterprise_id": "E0ORG00001", "team_id": None}]
    assert reason(body, org) is None
    body["authorizations"] = [{"enterprise_id": "E0THER0001", "team_id": None}]
    assert reason(body, org) == "another_workspace"
    body["authorizations"] = [{"team_id": TEAM}]
    assert reason(body, org) == "no_workspace"


def test_url_verification_names_no_workspace_and_is_answered() -> None:
    assert reason({"type": "url_verification", "challenge": "abc", "token": "t"}) is None


# ----------------------------------------------------------------------------- response_url


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        (RESPONSE_URL, True),
        ("https://hooks.slack.test/commands/T1/2/x", True),
        ("http://hooks.slack.test/actions/T1/1/abc", False),  # not https
        ("https://hooks.slack.test:8443/actions/x", False),
        ("https://hooks.slack.test.evil.example/actions/x", False),
        ("https://user:pw@hooks.slack.test/actions/x", False),
        ("https://127.0.0.1/actions/x", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("https://10.0.0.5/hook", False),
    ],
)
def test_answers_go_only_to_response_urls_on_slacks_hooks_host(url: str, ok: bool) -> None:
    assert on_hooks_host(url, HOOKS) is ok
    body = {**click(FEEDBACK_UP, "0" * 32), "response_url": url}
    assert reason(body) == (None if ok else "hook")
    view = {**BASES["view_submission"], "response_urls": [{"response_url": url}]}
    assert reason(view) == (None if ok else "hook")


def test_by_default_only_https_hooks_slack_com_is_slacks_hooks_host() -> None:
    assert on_hooks_host("https://hooks.slack.com/commands/T1/2/x")
    assert not on_hooks_host("http://hooks.slack.com/commands/T1/2/x")
    assert not on_hooks_host("https://hooks.slack.com:99999/x")


# ----------------------------------------------------------------------------- the bot's own token


def test_a_token_carried_in_a_payload_is_never_used(app: App, deps: Deps) -> None:
    event = {
        "type": "app_home_opened",
        "user": USER,
        "tab": "home",
        "function_execution_id": "Fx0EXEC0001",
        "bot_access_token": "xoxb-not-ours",
    }
    body = envelope(event, function_execution_id="Fx0EXEC0001", bot_access_token="xoxb-not-ours")
    admit(body, deps.installation)
    request = BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]})
    seen: list[str | None] = []
    app.use(lambda context, next: (seen.append(context.client.token), next()))
    app.dispatch(request)
    assert seen == ["xoxb-own"]


def test_the_web_client_is_a_client(app: App) -> None:
    assert isinstance(app.client, WebClient)


# ----------------------------------------------------------------------------- Content-Type


def test_conflicting_content_types_are_refused_and_one_is_read_once() -> None:
    from starlette.datastructures import Headers

    from bot.surfaces.slack.http_server import headers_for_bolt
    from bot.surfaces.slack.transport.intake import NotJson

    def headers(*pairs: tuple[str, str]) -> Headers:
        return Headers(raw=[(k.encode(), v.encode()) for k, v in pairs])

    form, json_ = "application/x-www-form-urlencoded", "application/json"
    with pytest.raises(NotJson):
        headers_for_bolt(headers(("content-type", form), ("content-type", json_)))
    same = headers(("Content-Type", "Application/JSON; charset=utf-8"), ("content-type", json_))
    assert headers_for_bolt(same) == {"content-type": [json_]}
    with pytest.raises(NotJson):
        headers_for_bolt(headers(("x-slack-retry-num", "1"), ("x-slack-retry-num", "2")))
    chosen = headers_for_bolt(headers(("content-type", form), ("x-other", "a"), ("x-other", "b")))
    assert chosen == {"content-type": [form]}  # what Bolt is not given, it cannot misread
