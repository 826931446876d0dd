"""`programme-bot serve --socket` against a Socket Mode stand-in: envelopes in, acks out,
answers through the Web API stand-in. Plus the manifest that creates the app."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_payloads import assert_valid_blocks, event_body, mention, uid
from slack_server import REPO_ROOT, slack_env
from slack_socket_stand_in import SocketModeStandIn
from slack_stand_in import StandIn

APP_TOKEN = "xapp-1-A0000APP01-1111-standinapptoken"
MANIFEST = REPO_ROOT / "slack" / "manifest.yml"


@pytest.fixture(scope="module")
def socket_server(
    stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SocketModeStandIn, subprocess.Popen[bytes], Path]]:
    socket_stand_in = SocketModeStandIn()
    stand_in.socket_url = socket_stand_in.url
    tmp = tmp_path_factory.mktemp("socket-mode")
    log = tmp / "server.log"
    env = slack_env(stand_in, tmp, SLACK_APP_TOKEN=APP_TOKEN)
    env.pop("SLACK_SIGNING_SECRET")  # not needed in Socket Mode
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--socket"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=log_file,
        )
    try:
        deadline = time.monotonic() + 600
        while not socket_stand_in.connected.wait(0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"no Socket Mode connection:\n{log.read_text()}")
        yield socket_stand_in, process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        socket_stand_in.stop()
        stand_in.socket_url = None


def _envelope(
    kind: str, payload: dict[str, Any], retry_attempt: int | None = None
) -> dict[str, Any]:
    envelope = {
        "envelope_id": uid("env-"),
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
    }
    if kind == "events_api":
        envelope.update(retry_attempt=retry_attempt or 0, retry_reason="")
    return envelope


@pytest.mark.slow
def test_socket_mode_acks_and_answers_in_the_thread(socket_server: Any, stand_in: StandIn) -> None:
    socket_stand_in, _, _ = socket_server
    channel = uid("C")
    event = mention(channel, "What is resolution 1373 (2001) about?")
    first = _envelope("events_api", event_body(event))
    started = time.perf_counter()
    socket_stand_in.send(first)  # retry_attempt 0 is a first delivery, not a retry
    socket_stand_in.wait_for_ack(first["envelope_id"], timeout=3)
    ack_s = time.perf_counter() - started
    answer = stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == channel)[0]
    assert answer.get("thread_ts") == event["ts"]
    assert_valid_blocks(answer.get("blocks"))
    print(f"\nsocket mode ack: {ack_s:.3f}s")

    # A re-delivery of the same event (retry_attempt 1) is acked and not answered again.
    again = _envelope("events_api", first["payload"], retry_attempt=1)
    socket_stand_in.send(again)
    socket_stand_in.wait_for_ack(again["envelope_id"], timeout=3)
    time.sleep(1.0)
    assert len(stand_in.find("chat.postMessage", lambda c: c.get("channel") == channel)) == 1


@pytest.mark.slow
def test_socket_mode_slash_command(socket_server: Any, stand_in: StandIn) -> None:
    socket_stand_in, _, _ = socket_server
    hook = uid("cmd")
    command = {
        "command": "/mandate",
        "text": "Western Sahara",
        "user_id": "UHUMAN0001",
        "channel_id": uid("C"),
        "team_id": "T0000TEAM1",
        "api_app_id": "A0000APP01",
        "response_url": stand_in.response_url(hook),
        "trigger_id": uid("t."),
    }
    envelope = _envelope("slash_commands", command)
    socket_stand_in.send(envelope)
    socket_stand_in.wait_for_ack(envelope["envelope_id"], timeout=3)
    response = stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
    assert response.get("response_type") == "ephemeral"
    assert "58/109" in json.dumps(response.params)


@pytest.mark.slow
def test_socket_mode_stops_cleanly_on_sigterm(socket_server: Any) -> None:
    _, process, log = socket_server
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0, log.read_text()


def test_manifest_matches_the_app() -> None:
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(MANIFEST.read_text())
    settings = manifest["settings"]
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/programme", "/mandate"}
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {
        "app_mention",
        "message.im",
        "message.channels",
        "message.groups",
        "app_home_opened",
        "assistant_thread_started",
    } <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "reactions:write",
        "im:history",
        "channels:history",
        "groups:history",
        "assistant:write",
    } <= scopes
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ] + [c["url"] for c in manifest["features"]["slash_commands"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
