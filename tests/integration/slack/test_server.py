"""The real `programme-bot serve --http` process, driven over HTTP with signed Slack payloads;
assertions are on what reached the Slack Web API stand-in.

Each test uses its own channel ids, so tests share one server without seeing each other's calls.
"""

from __future__ import annotations

import json
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_payloads import (
    BOT_TOKEN,
    SIGNING_SECRET,
    assert_valid_blocks,
    assert_valid_view,
    block_action,
    command_form,
    event_body,
    live_mentions,
    mention,
    message,
    message_ts,
    send_event,
    send_form,
    uid,
    view_submission,
)
from slack_server import REPO_ROOT, Server, running_server, slack_env
from slack_stand_in import BOT_ID, BOT_USER_ID, Call, StandIn

from bot.surfaces.slack.views import blocks as B

pytestmark = pytest.mark.slow

QUESTION = "What is resolution 1373 (2001) about?"


def in_thread(channel: str, thread_ts: str | None):
    return lambda c: c.get("channel") == channel and c.get("thread_ts") == thread_ts


def in_channel(channel: str):
    return lambda c: c.get("channel") == channel


def in_channel_id(channel: str):
    return lambda c: c.get("channel_id") == channel


def answer_in(stand_in: StandIn, channel: str, thread_ts: str | None, timeout: float = 30) -> Call:
    return stand_in.wait_for("chat.postMessage", in_thread(channel, thread_ts), timeout=timeout)[0]


def settle(server: Server, channel: str) -> None:
    """Wait until an answer to a fresh mention in `channel` lands: anything sent before it has
    been decided on by then."""
    sentinel = mention(channel, QUESTION)
    assert send_event(server.events, event_body(sentinel)).status == 200
    answer_in(server.stand_in, channel, sentinel["ts"])
    time.sleep(0.3)


def button_value(call: Call, action_id: str) -> str:
    for block in call.get("blocks") or []:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements = [block["accessory"]]
        for element in elements:
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button in {call.params}")


# ----------------------------------------------------------------------------- basics


def test_url_verification_challenge_is_echoed(server: Server) -> None:
    """What Slack sends when the Events request URL is saved in the app settings."""
    reply = send_event(
        server.events, {"token": "legacy", "challenge": "c-123", "type": "url_verification"}
    )
    assert reply.status == 200 and "c-123" in reply.body


def test_healthz(server: Server) -> None:
    import urllib.request

    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read())["ok"] is True


def test_mention_is_answered_in_its_thread_with_valid_blocks(server: Server) -> None:
    channel = uid("C")
    event = mention(channel, QUESTION)
    reply = send_event(server.events, event_body(event))
    assert reply.status == 200 and reply.seconds < 3

    answer = answer_in(server.stand_in, channel, event["ts"])
    assert_valid_blocks(answer.get("blocks"))
    assert "1373" in json.dumps(answer.params, ensure_ascii=False)
    assert answer.get("text")  # fallback for notifications
    # 👀 went on before the answer and came off after it.
    added = server.stand_in.wait_for("reactions.add", lambda c: c.get("timestamp") == event["ts"])
    removed = server.stand_in.wait_for(
        "reactions.remove", lambda c: c.get("timestamp") == event["ts"]
    )
    assert added[0].get("name") == removed[0].get("name") == "eyes"
    assert added[0].at <= answer.at <= removed[0].at


def test_mention_inside_a_thread_answers_in_that_thread(server: Server) -> None:
    channel, root = uid("C"), message_ts()
    event = mention(channel, QUESTION, thread_ts=root)
    send_event(server.events, event_body(event))
    answer_in(server.stand_in, channel, root)


def test_a_mention_without_a_question_gets_a_hint(server: Server) -> None:
    channel = uid("C")
    event = mention(channel, "   ")
    send_event(server.events, event_body(event))
    reply = answer_in(server.stand_in, channel, event["ts"])
    assert "empty" in reply.get("text")
    assert_valid_blocks(reply.get("blocks"))
    server.stand_in.wait_for("reactions.remove", lambda c: c.get("timestamp") == event["ts"])


def test_a_dm_is_answered_in_the_dm(server: Server) -> None:
    channel = uid("D")
    event = message(channel, "Which resolutions cover Western Sahara?", channel_type="im")
    send_event(server.events, event_body(event))
    answer = answer_in(server.stand_in, channel, None)
    assert_valid_blocks(answer.get("blocks"))
    assert "58/109" in json.dumps(answer.params)


# ----------------------------------------------------------------------------- exactly once


def test_event_delivered_three_times_is_answered_once(server: Server) -> None:
    channel = uid("C")
    body = event_body(mention(channel, QUESTION))
    replies = [send_event(server.events, body) for _ in range(3)]
    assert [r.status for r in replies] == [200, 200, 200]
    settle(server, channel)
    assert (
        len(server.stand_in.find("chat.postMessage", in_thread(channel, body["event"]["ts"]))) == 1
    )


def test_retries_are_deduplicated_by_event_id_and_an_unseen_retry_is_answered(
    server: Server,
) -> None:
    channel = uid("C")
    body = event_body(mention(channel, QUESTION))
    assert send_event(server.events, body).status == 200
    for retry in (1, 2):
        assert send_event(server.events, body, retry=retry).status == 200
    # A retry of an event never seen (its first delivery was lost, e.g. during a restart) is
    # how that message reaches us: it is answered.
    lost = event_body(mention(channel, QUESTION))
    assert send_event(server.events, lost, retry=1).status == 200
    answer_in(server.stand_in, channel, lost["event"]["ts"])
    settle(server, channel)
    assert (
        len(server.stand_in.find("chat.postMessage", in_thread(channel, body["event"]["ts"]))) == 1
    )
    assert (
        len(server.stand_in.find("chat.postMessage", in_thread(channel, lost["event"]["ts"]))) == 1
    )


def test_burst_of_fifty_mentions_acked_in_time_and_answered_once_each(
    server: Server, record_property: Any
) -> None:
    channel = uid("C")
    events = [
        mention(channel, q)
        for q in [
            QUESTION,
            "Which resolutions cover Western Sahara?",
            "What does subprogramme 3 do?",
            "安理会事务次级方案的目标是什么？",
            "How is electoral assistance measured?",
        ]
        * 10
    ]
    bodies = [event_body(e) for e in events]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(lambda b: send_event(server.events, b), bodies))
    assert [r.status for r in replies] == [200] * 50
    latencies = sorted(r.seconds for r in replies)
    assert latencies[-1] < 3.0, latencies

    calls = server.stand_in.wait_for("chat.postMessage", in_channel(channel), count=50, timeout=180)
    all_answered = time.perf_counter() - started
    time.sleep(1.0)
    calls = server.stand_in.find("chat.postMessage", in_channel(channel))
    threads = sorted(c.get("thread_ts") for c in calls)
    assert threads == sorted(e["ts"] for e in events)  # each answered exactly once
    for call in calls:
        assert_valid_blocks(call.get("blocks"))
    removed = server.stand_in.find("reactions.remove", in_channel(channel))
    assert len(removed) == 50

    numbers = {
        "ack_p50_s": statistics.median(latencies),
        "ack_max_s": latencies[-1],
        "all_answered_s": all_answered,
    }
    for name, value in numbers.items():
        record_property(name, round(value, 3))
    print(f"\nburst of 50: {json.dumps({k: round(v, 3) for k, v in numbers.items()})}")


# ----------------------------------------------------------------------------- verification


def test_bad_signature_is_rejected(server: Server) -> None:
    channel = uid("C")
    reply = send_event(server.events, event_body(mention(channel, QUESTION)), secret="f" * 32)
    assert reply.status == 401


def test_stale_timestamp_is_rejected(server: Server) -> None:
    channel = uid("C")
    body = event_body(mention(channel, QUESTION))
    reply = send_event(server.events, body, timestamp=int(time.time()) - 6 * 60)
    assert reply.status == 401
    settle(server, channel)
    assert server.stand_in.find("chat.postMessage", in_thread(channel, body["event"]["ts"])) == []


# ----------------------------------------------------------------------------- who is answered


def test_follow_up_in_a_bot_thread_needs_no_mention(server: Server) -> None:
    channel = uid("C")
    first = mention(channel, "Which resolutions cover Western Sahara?")
    send_event(server.events, event_body(first))
    answer_in(server.stand_in, channel, first["ts"])

    follow_up = message(channel, "And what is its first one about?", thread_ts=first["ts"])
    send_event(server.events, event_body(follow_up))
    calls = server.stand_in.wait_for("chat.postMessage", in_thread(channel, first["ts"]), count=2)
    assert_valid_blocks(calls[1].get("blocks"))
    server.stand_in.wait_for("reactions.remove", lambda c: c.get("timestamp") == follow_up["ts"])


def test_bot_threads_survive_a_restart(server: Server, tmp_path: Any) -> None:
    """Threads live in SQLite: a new process (same state file) still follows up in them."""
    channel = uid("C")
    first = mention(channel, QUESTION)
    send_event(server.events, event_body(first))
    answer_in(server.stand_in, channel, first["ts"])

    with running_server(
        server.stand_in, tmp_path, PROGRAMME_BOT_SLACK_STATE_DB=str(server.state_db)
    ) as restarted:
        follow_up = message(channel, "Which subprogramme cites it?", thread_ts=first["ts"])
        send_event(restarted.events, event_body(follow_up))
        calls = restarted.stand_in.wait_for(
            "chat.postMessage", in_thread(channel, first["ts"]), count=2
        )
        assert_valid_blocks(calls[1].get("blocks"))
    assert restarted.process.returncode == 0  # SIGTERM: a graceful stop


def test_threads_the_bot_was_never_asked_into_are_left_alone(server: Server) -> None:
    channel = uid("C")
    human_thread = message(channel, QUESTION, thread_ts=message_ts())
    top_level = message(channel, QUESTION)
    for event in (human_thread, top_level):
        assert send_event(server.events, event_body(event)).status == 200
    settle(server, channel)
    for event in (human_thread, top_level):
        assert (
            server.stand_in.find("reactions.add", lambda c, e=event: c.get("timestamp") == e["ts"])
            == []
        )
    assert len(server.stand_in.find("chat.postMessage", in_channel(channel))) == 1  # sentinel


def test_bots_edits_and_deletions_are_ignored(server: Server) -> None:
    channel = uid("D")
    ignored = [
        message(channel, QUESTION, channel_type="im", bot_id="BOTHER0001"),
        message(channel, QUESTION, channel_type="im", user=BOT_USER_ID, bot_id=BOT_ID),
        message(channel, QUESTION, channel_type="im", subtype="bot_message"),
        message(
            channel,
            QUESTION,
            channel_type="im",
            subtype="message_changed",
            message={"text": QUESTION, "user": "UHUMAN0001"},
        ),
        message(channel, QUESTION, channel_type="im", subtype="message_deleted"),
    ]
    for event in ignored:
        assert send_event(server.events, event_body(event)).status == 200
    sentinel = message(channel, QUESTION, channel_type="im")
    send_event(server.events, event_body(sentinel))
    server.stand_in.wait_for("reactions.remove", lambda c: c.get("timestamp") == sentinel["ts"])
    time.sleep(0.3)
    assert len(server.stand_in.find("chat.postMessage", in_channel(channel))) == 1


def test_channel_injection_is_neutralised(server: Server) -> None:
    channel = uid("C")
    event = mention(
        channel, "<!channel> <!here> <!everyone> <@U024BE7LH> @channel what is 9999 (2099)?"
    )
    send_event(server.events, event_body(event))
    answer = answer_in(server.stand_in, channel, event["ts"])
    assert live_mentions(answer.params) == []
    assert_valid_blocks(answer.get("blocks"))


# ----------------------------------------------------------------------------- slash commands


def test_programme_command_answers_privately_with_a_share_button(server: Server) -> None:
    channel, hook = uid("C"), uid("cmd")
    form = command_form(
        "/programme", "<!channel> " + QUESTION, channel, server.stand_in.response_url(hook)
    )
    reply = send_form(server.events, form)
    assert reply.status == 200 and reply.seconds < 3
    response = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
    assert response.get("response_type") == "ephemeral"
    assert_valid_blocks(response.get("blocks"))
    assert live_mentions(response.params) == []
    assert "@\u2060channel" in json.dumps(response.params, ensure_ascii=False)  # shown, inert
    assert button_value(response, B.SHARE_ANSWER)
    assert server.stand_in.find("chat.postMessage", in_channel(channel)) == []  # nothing public


def test_programme_command_without_a_question_explains_usage(server: Server) -> None:
    form = command_form("/programme", "  ", uid("C"), server.stand_in.response_url(uid("cmd")))
    reply = send_form(server.events, form)
    assert reply.status == 200
    assert "/programme" in json.loads(reply.body)["text"]


def test_mandate_command_lists_resolutions(server: Server) -> None:
    hook = uid("cmd")
    form = command_form("/mandate", "Western Sahara", uid("C"), server.stand_in.response_url(hook))
    assert send_form(server.events, form).status == 200
    response = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
    assert response.get("response_type") == "ephemeral"
    assert_valid_blocks(response.get("blocks"))
    assert "58/109" in json.dumps(response.params)


def _private_answer(server: Server, channel: str) -> tuple[Call, str]:
    hook = uid("cmd")
    form = command_form("/programme", QUESTION, channel, server.stand_in.response_url(hook))
    send_form(server.events, form)
    response = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
    return response, button_value(response, B.SHARE_ANSWER)


# ----------------------------------------------------------------------------- buttons, modals


def test_share_in_channel_posts_publicly_and_removes_the_private_copy(server: Server) -> None:
    channel = uid("C")
    _, answer_id = _private_answer(server, channel)
    hook = uid("act")
    form = block_action(
        B.SHARE_ANSWER, answer_id, channel, server.stand_in.response_url(hook), user="U024BE7LH"
    )
    assert send_form(server.events, form).status == 200
    posts = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook), count=2)
    public = next(p for p in posts if p.get("response_type") == "in_channel")
    assert_valid_blocks(public.get("blocks"))
    assert "<@U024BE7LH>" in json.dumps(public.params)
    assert live_mentions(public.params, allowed=("<@U024BE7LH>",)) == []
    assert any(p.get("delete_original") for p in posts)


def test_show_full_passage_opens_a_modal_with_the_passage(server: Server) -> None:
    channel = uid("C")
    response, answer_id = _private_answer(server, channel)
    value = button_value(response, B.SHOW_PASSAGE)
    trigger = uid("trigger.")
    form = block_action(
        B.SHOW_PASSAGE, value, channel, server.stand_in.response_url(uid("a")), trigger_id=trigger
    )
    assert send_form(server.events, form).status == 200
    view = server.stand_in.wait_for("views.open", lambda c: c.get("trigger_id") == trigger)[0].get(
        "view"
    )
    assert_valid_view(view)
    assert "1373" in json.dumps(view, ensure_ascii=False)  # the passage the answer rests on


def test_feedback_is_stored_with_its_reason(server: Server) -> None:
    channel = uid("C")
    event = mention(channel, QUESTION)
    send_event(server.events, event_body(event))
    answer = answer_in(server.stand_in, channel, event["ts"])
    answer_id = button_value(answer, B.FEEDBACK_DOWN)

    user, trigger = uid("U"), uid("trigger.")
    form = block_action(
        B.FEEDBACK_DOWN,
        answer_id,
        channel,
        server.stand_in.response_url(uid("a")),
        user=user,
        trigger_id=trigger,
    )
    assert send_form(server.events, form).status == 200
    modal = server.stand_in.wait_for("views.open", lambda c: c.get("trigger_id") == trigger)[0].get(
        "view"
    )
    assert modal["callback_id"] == B.FEEDBACK_MODAL
    assert_valid_view(modal)

    values = {
        B.FEEDBACK_REASON_BLOCK: {
            B.FEEDBACK_REASON_INPUT: {
                "type": "plain_text_input",
                "value": "It missed paragraph 2.4",
            }
        }
    }
    reply = send_form(
        server.events,
        view_submission(B.FEEDBACK_MODAL, modal["private_metadata"], values, user=user),
    )
    assert reply.status == 200

    deadline = time.monotonic() + 10
    row = None
    while time.monotonic() < deadline:
        with sqlite3.connect(server.feedback_db) as db:
            row = db.execute(
                "SELECT rating, reason, question, source_ids, user_id, channel_id, "
                "created_at FROM feedback WHERE answer_id = ?",
                (answer_id,),
            ).fetchone()
        if row and row[1]:
            break
        time.sleep(0.1)
    assert row is not None
    rating, reason, question, source_ids, user_id, channel_id, created_at = row
    assert (rating, reason, question, user_id, channel_id) == (
        "down",
        "It missed paragraph 2.4",
        QUESTION,
        user,
        channel,
    )
    assert json.loads(source_ids) and created_at

    summary = subprocess.run(
        [sys.executable, "-m", "bot", "feedback", "--db", str(server.feedback_db)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert summary.returncode == 0
    assert "👎" in summary.stdout and "It missed paragraph 2.4" in summary.stdout


# ----------------------------------------------------------------------------- Home, Messages tab


def test_home_tab_is_published(server: Server) -> None:
    user = uid("U")
    event = {"type": "app_home_opened", "user": user, "channel": uid("D"), "tab": "home"}
    send_event(server.events, event_body(event))
    view = server.stand_in.wait_for("views.publish", lambda c: c.get("user_id") == user)[0]
    published = view.get("view")
    assert published["type"] == "home"
    assert_valid_blocks(published["blocks"], max_blocks=100)
    assert "Security Council" in json.dumps(published)


def test_messages_tab_welcome_is_sent_once(server: Server) -> None:
    user, channel = uid("U"), uid("D")
    for _ in range(2):
        event = {"type": "app_home_opened", "user": user, "channel": channel, "tab": "messages"}
        send_event(server.events, event_body(event))
    welcome = server.stand_in.wait_for("chat.postMessage", in_channel(channel))[0]
    assert_valid_blocks(welcome.get("blocks"))
    time.sleep(1.0)
    assert len(server.stand_in.find("chat.postMessage", in_channel(channel))) == 1

    # A starter-question button asks that question in the DM.
    question = button_value(welcome, f"{B.ASK_PROMPT}:4")
    form = block_action(
        f"{B.ASK_PROMPT}:4", question, channel, server.stand_in.response_url(uid("a")), user=user
    )
    send_form(server.events, form)
    calls = server.stand_in.wait_for("chat.postMessage", in_channel(channel), count=2)
    assert_valid_blocks(calls[1].get("blocks"))
    assert "Security Council" in json.dumps(calls[1].params)


def test_assistant_thread_gets_suggested_prompts_including_security_council_set(
    server: Server,
) -> None:
    channel, thread_ts = uid("D"), message_ts()
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "UHUMAN0001",
            "channel_id": channel,
            "thread_ts": thread_ts,
            "context": {"channel_id": None, "team_id": None, "enterprise_id": None},
        },
    }
    send_event(server.events, event_body(event))
    prompts = server.stand_in.wait_for(
        "assistant.threads.setSuggestedPrompts", lambda c: c.get("channel_id") == channel
    )[0]
    assert len(prompts.get("prompts")) == 4
    greeting = answer_in(server.stand_in, channel, thread_ts)
    assert_valid_blocks(greeting.get("blocks"))

    form = block_action(
        B.SHOW_SECURITY_COUNCIL_PROMPTS, thread_ts, channel, server.stand_in.response_url(uid("a"))
    )
    send_form(server.events, form)
    calls = server.stand_in.wait_for(
        "assistant.threads.setSuggestedPrompts", lambda c: c.get("channel_id") == channel, count=2
    )
    assert "Security Council" in json.dumps(calls[1].get("prompts"))

    # A question typed in the assistant thread (Bolt's Assistant user_message): the status is
    # set first, then the answer comes in the thread; a re-delivery changes nothing.
    question = event_body(message(channel, QUESTION, channel_type="im", thread_ts=thread_ts))
    assert send_event(server.events, question).status == 200
    answer = server.stand_in.wait_for("chat.postMessage", in_thread(channel, thread_ts), count=2)
    status = server.stand_in.wait_for(
        "assistant.threads.setStatus", lambda c: c.get("channel_id") == channel
    )
    assert status[0].get("status") and status[0].at < answer[1].at
    assert send_event(server.events, question, retry=1).status == 200
    time.sleep(1.0)
    assert len(server.stand_in.find("chat.postMessage", in_thread(channel, thread_ts))) == 2
    assert len(server.stand_in.find("assistant.threads.setStatus", in_channel_id(channel))) == 1


# ----------------------------------------------------------------------------- failures


def test_rate_limited_post_is_retried(server: Server) -> None:
    channel = uid("C")
    server.stand_in.fail_next(
        "chat.postMessage",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "1"},
    )
    event = mention(channel, QUESTION)
    send_event(server.events, event_body(event))
    calls = server.stand_in.wait_for("chat.postMessage", in_thread(channel, event["ts"]), count=2)
    assert button_value(calls[1], B.FEEDBACK_UP)  # the answer itself, not an apology
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After: 1 was honoured


def test_failure_gives_an_apology_with_a_correlation_id_and_removes_the_reaction(
    server: Server,
) -> None:
    channel = uid("C")
    server.stand_in.fail_next("chat.postMessage", body={"ok": False, "error": "internal_error"})
    event = mention(channel, QUESTION)
    send_event(server.events, event_body(event))
    calls = server.stand_in.wait_for("chat.postMessage", in_thread(channel, event["ts"]), count=2)
    apology = calls[-1].get("text")
    ref = re.search(r"ref ([0-9a-f]{10})", apology)
    assert ref, apology
    server.stand_in.wait_for("reactions.remove", lambda c: c.get("timestamp") == event["ts"])
    deadline = time.monotonic() + 5
    while f"cid={ref.group(1)}" not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"answer failed cid={ref.group(1)}" in server.log.read_text()


def test_secrets_never_reach_the_log(server: Server) -> None:
    settle(server, uid("C"))  # at least one full round trip at debug level
    log = server.log.read_text()
    assert "auth.test" in log or "chat.postMessage" in log  # the log is really verbose
    assert BOT_TOKEN not in log
    assert SIGNING_SECRET not in log
    assert not re.search(r"xox[bp]-\d", log)


# ----------------------------------------------------------------------------- start-up checks


@pytest.mark.parametrize(
    "overrides, missing, variable",
    [
        ({}, "SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
        ({}, "SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token-not-a-bot"}, None, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "has spaces in it!"}, None, "SLACK_SIGNING_SECRET"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_line(
    stand_in: StandIn,
    tmp_path: Any,
    overrides: dict[str, str],
    missing: str | None,
    variable: str,
) -> None:
    env = slack_env(stand_in, tmp_path, **overrides)
    if missing:
        env.pop(missing)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", "9"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], done.stderr
    assert time.perf_counter() - started < 10  # before the model loads
    for secret in (BOT_TOKEN, SIGNING_SECRET, *overrides.values()):
        assert secret not in done.stderr


def test_socket_mode_needs_an_app_token(stand_in: StandIn, tmp_path: Any) -> None:
    env = slack_env(stand_in, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--socket"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "SLACK_APP_TOKEN" in done.stderr


def test_a_revoked_token_is_reported_before_the_model_loads(
    stand_in: StandIn, tmp_path: Any
) -> None:
    env = slack_env(stand_in, tmp_path, SLACK_BOT_TOKEN="xoxb-1111-revoked-token")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", "9"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN was rejected by Slack: invalid_auth" in done.stderr
    assert "xoxb-1111-revoked-token" not in done.stderr
