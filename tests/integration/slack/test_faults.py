"""The real server under faults injected by the Web API stand-in: dropped connections, hangs,
429s with each form of Retry-After, 5xx; junk requests; a store that cannot be written.

Faults are armed for one channel, so these tests share the session server with the others.
"""

from __future__ import annotations

import email.utils
import json
import re
import sqlite3
import time
import urllib.request
from typing import Any

import pytest
from slack_payloads import (
    block_action,
    command_form,
    event_body,
    mention,
    post,
    send_event,
    send_form,
    signed_headers,
    uid,
)
from slack_server import Server
from slack_stand_in import Call

from bot.surfaces.slack.views import blocks as B

pytestmark = pytest.mark.slow

QUESTION = "What is resolution 1373 (2001) about?"
APOLOGY = re.compile(r"\(ref [0-9a-f]{10}\)")


def finished(server: Server, event: dict[str, Any], timeout: float = 60) -> Call:
    """The 👀 came off the question's message: the job is over, whatever happened."""
    return server.stand_in.wait_for(
        "reactions.remove", lambda c: c.get("timestamp") == event["ts"], timeout=timeout
    )[0]


def replies(server: Server, channel: str, event: dict[str, Any]) -> list[dict[str, Any]]:
    return server.stand_in.replies(channel, event["ts"])


def kinds(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("metadata", {}).get("event_payload", {}).get("kind", "?") for m in messages]


def ask(server: Server, channel: str, text: str = QUESTION) -> dict[str, Any]:
    event = mention(channel, text)
    assert send_event(server.events, event_body(event)).status == 200
    return event


# ----------------------------------------------------------------------------- exactly once


@pytest.mark.parametrize("carried_out", [True, False], ids=["landed", "lost"])
def test_a_dropped_connection_never_posts_twice(server: Server, carried_out: bool) -> None:
    channel = uid("C")
    server.stand_in.fail_next(
        "chat.postMessage", drop=True, carried_out=carried_out, channel=channel, times=2
    )
    event = ask(server, channel)
    finished(server, event)
    assert kinds(replies(server, channel, event)) == ["answer"]  # no duplicate, no apology
    lookups = server.stand_in.find("conversations.replies", lambda c: c.get("channel") == channel)
    assert lookups and lookups[0].get("include_all_metadata") == "true"


def test_a_post_that_hangs_past_the_timeout_lands_once_without_an_apology(server: Server) -> None:
    channel = uid("C")
    server.stand_in.fail_next("chat.postMessage", hang_s=3.0, channel=channel)  # timeout is 2 s
    event = ask(server, channel)
    finished(server, event)
    time.sleep(1.5)  # the hung response has come and gone
    assert kinds(replies(server, channel, event)) == ["answer"]


@pytest.mark.parametrize("failures, expected", [(1, "answer"), (2, "answer"), (3, "apology")])
def test_server_errors_are_retried_and_the_apology_only_when_the_answer_never_landed(
    server: Server, failures: int, expected: str
) -> None:
    channel = uid("C")
    server.stand_in.fail_next("chat.postMessage", status=500, channel=channel, times=failures)
    event = ask(server, channel)
    finished(server, event)
    [reply] = replies(server, channel, event)
    assert kinds([reply]) == [expected]
    assert bool(APOLOGY.search(reply["text"])) == (expected == "apology")


@pytest.mark.parametrize("form", ["integer", "decimal", "http-date"])
def test_retry_after_is_honoured_in_each_form(server: Server, form: str) -> None:
    channel = uid("C")
    value = {
        "integer": "2",
        "decimal": "1.5",
        "http-date": email.utils.formatdate(time.time() + 3, usegmt=True),
    }[form]
    server.stand_in.fail_next(
        "chat.postMessage",
        status=429,
        channel=channel,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": value},
    )
    event = ask(server, channel)
    finished(server, event)
    posts = server.stand_in.find("chat.postMessage", lambda c: c.get("channel") == channel)
    assert len(posts) == 2
    waited = posts[1].at - posts[0].at
    assert waited >= {"integer": 1.9, "decimal": 1.4, "http-date": 1.0}[form], waited
    assert kinds(replies(server, channel, event)) == ["answer"]


def test_a_rate_limited_channel_does_not_hold_up_another(server: Server) -> None:
    slow, other = uid("C"), uid("C")
    server.stand_in.fail_next(
        "chat.postMessage",
        status=429,
        channel=slow,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "6"},
    )
    first = ask(server, slow)
    server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == slow)
    queued = ask(server, slow)  # same channel: waits its turn, in order
    sent = time.monotonic()
    elsewhere = ask(server, other)
    answered = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == other)[0]
    assert answered.at - sent < 5.0  # long before the 6 s Retry-After is over
    assert server.stand_in.replies(slow, first["ts"]) == []
    finished(server, queued, timeout=60)
    posts = server.stand_in.find("chat.postMessage", lambda c: c.get("channel") == slow)
    assert [p.get("thread_ts") for p in posts] == [first["ts"], first["ts"], queued["ts"]]
    assert kinds(replies(server, other, elsewhere)) == ["answer"]


def test_hung_calls_in_some_channels_do_not_stall_the_others(server: Server) -> None:
    hung = [uid("C") for _ in range(3)]
    for channel in hung:
        server.stand_in.fail_next("reactions.add", hang_s=8.0, channel=channel)
    for channel in hung:
        ask(server, channel)
    time.sleep(0.3)
    others = [uid("C") for _ in range(4)]
    sent = time.monotonic()
    for channel in others:
        ask(server, channel)
    for channel in others:
        answered = server.stand_in.wait_for(
            "chat.postMessage", lambda c, ch=channel: c.get("channel") == ch
        )[0]
        assert answered.at - sent < 8.0  # not behind the hung calls


# ----------------------------------------------------------------------------- buttons


def test_share_clicked_twice_posts_once(server: Server) -> None:
    channel, hook = uid("C"), uid("cmd")
    form = command_form("/programme", QUESTION, channel, server.stand_in.response_url(hook))
    send_form(server.events, form)
    response = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
    answer_id = next(
        e["value"]
        for b in response.get("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == B.SHARE_ANSWER
    )
    share_hook = uid("act")
    for _ in range(2):
        click = block_action(
            B.SHARE_ANSWER, answer_id, channel, server.stand_in.response_url(share_hook)
        )
        assert send_form(server.events, click).status == 200
    server.stand_in.wait_for("response", lambda c: c.path.endswith(share_hook), count=2)
    time.sleep(1.0)
    public = server.stand_in.find(
        "response", lambda c: c.path.endswith(share_hook) and c.get("response_type") == "in_channel"
    )
    assert len(public) == 1


def test_an_error_after_the_ack_still_returns_200_at_once(server: Server) -> None:
    channel = uid("C")
    server.stand_in.fail_next("views.open", status=500)
    click = block_action(
        B.SHOW_PASSAGE, "nothing:0", channel, server.stand_in.response_url(uid("a"))
    )
    reply = send_form(server.events, click)
    assert reply.status == 200 and reply.seconds < 2.0


# ----------------------------------------------------------------------------- junk requests


def test_unsigned_and_malformed_requests_get_401_and_no_traceback(server: Server) -> None:
    before = server.log.read_text()
    junk = [
        ("{", {"Content-Type": "application/json"}),
        ("\x00\xff garbage", {}),
        (
            '{"type": "event_callback"}',
            {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"},
        ),
    ]
    for _ in range(60):
        for body, headers in junk:
            assert post(server.events, body, headers).status == 401
    # Signed, but the timestamp is not a number.
    body = json.dumps(event_body(mention(uid("C"), "a question nobody may log")))
    headers = signed_headers(body)
    headers["X-Slack-Request-Timestamp"] = "12abc"
    assert post(server.events, body, headers).status == 401
    # Signed with the wrong secret (Bolt used to log such bodies at -v).
    wrong = event_body(mention(uid("C"), "a question nobody may log"))
    assert send_event(server.events, wrong, secret="f" * 32).status == 401
    # Correctly signed, yet not a payload.
    assert post(server.events, "{", signed_headers("{")).status == 400
    time.sleep(0.5)
    added = server.log.read_text()[len(before) :]
    assert "Traceback" not in added
    assert len([line for line in added.splitlines() if "rejected" in line]) <= 2  # rate-limited
    assert len(added.splitlines()) < 20  # 180 junk requests, a handful of lines
    assert "a question nobody may log" not in added


def test_question_text_stays_out_of_the_debug_log(server: Server) -> None:
    channel, secret_question = uid("C"), "What is 58/109 about, zebracorn?"
    event = ask(server, channel, secret_question)
    finished(server, event)
    assert "zebracorn" not in server.log.read_text()


# ----------------------------------------------------------------------------- the state store


def _health(server: Server) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_state_store_that_cannot_be_written_is_not_ready_and_loses_nothing(
    server: Server,
) -> None:
    channel = uid("C")
    body = event_body(mention(channel, QUESTION))
    blocker = sqlite3.connect(server.state_db, timeout=10, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the file: nothing can be written
        status, health = _health(server)
        assert status == 503 and health["state_store"] == "not writable"
        assert send_event(server.events, body).status == 503  # not acked: Slack will retry
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert _health(server)[0] == 200
    assert send_event(server.events, body, retry=1).status == 200  # Slack's retry
    finished(server, body["event"])
    assert kinds(replies(server, channel, body["event"])) == ["answer"]
