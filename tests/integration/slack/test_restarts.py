"""Killing and restarting the real server: acked work is answered once; damaged files are set
aside (state) or stop start-up with one line (feedback), before the model loads."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from slack_payloads import event_body, mention, send_event, uid
from slack_server import REPO_ROOT, running_server, slack_env
from slack_stand_in import StandIn

pytestmark = pytest.mark.slow

QUESTIONS = [
    "What is resolution 1373 (2001) about?",
    "Which resolutions cover Western Sahara?",
    "What does subprogramme 3 do?",
]


def _replies(stand_in: StandIn, event: dict[str, Any]) -> list[dict[str, Any]]:
    return stand_in.replies(event["channel"], event["ts"])


def _wait_all_answered(stand_in: StandIn, events: list[dict[str, Any]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(_replies(stand_in, e) for e in events):
            return
        time.sleep(0.2)
    missing = [e["ts"] for e in events if not _replies(stand_in, e)]
    raise AssertionError(f"{len(missing)} of {len(events)} never answered")


def test_killed_after_acking_answers_everything_exactly_once_after_restart(
    stand_in: StandIn, tmp_path: Path
) -> None:
    channels = [uid("C") for _ in range(8)]
    events = [mention(channels[i % len(channels)], QUESTIONS[i % 3]) for i in range(32)]
    # Two channels' posts are in flight when the process dies: one lands, one does not.
    stand_in.fail_next("chat.postMessage", hang_s=30, carried_out=True, channel=channels[0])
    stand_in.fail_next("chat.postMessage", hang_s=30, carried_out=False, channel=channels[1])
    with running_server(stand_in, tmp_path) as first:
        with ThreadPoolExecutor(max_workers=16) as pool:
            replies = list(pool.map(lambda e: send_event(first.events, event_body(e)), events))
        assert [r.status for r in replies] == [200] * len(events)  # every one acked
        for channel in channels[:2]:  # killed while those two posts are in flight
            stand_in.wait_for(
                "chat.postMessage", lambda c, ch=channel: c.get("channel") == ch, timeout=60
            )
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        before = sum(1 for e in events if _replies(stand_in, e))
    # Sent while the server was down: Slack's retries (X-Slack-Retry-Num) bring them later.
    lost = [mention(uid("C"), QUESTIONS[0]) for _ in range(4)]
    with running_server(
        stand_in, tmp_path, PROGRAMME_BOT_SLACK_STATE_DB=str(first.state_db)
    ) as second:
        for event in lost:
            assert send_event(second.events, event_body(event), retry=1).status == 200
        _wait_all_answered(stand_in, events + lost, timeout=120)
        time.sleep(2.0)  # anything that would be a duplicate has had time to arrive
        # A graceful stop (SIGTERM, when the block ends) right after acking still answers.
        stopping = [mention(channels[i % 3], QUESTIONS[i % 3]) for i in range(12)]
        for event in stopping:
            assert send_event(second.events, event_body(event)).status == 200
    assert second.process.returncode == 0
    for event in stopping:
        assert len(_replies(stand_in, event)) == 1, event
    print(
        f"\nanswered before the kill: {before}/{len(events)}; after the restart: "
        f"{len(events)}/{len(events)}"
    )
    assert before < len(events)  # the kill really cut work short
    for event in events + lost:
        assert len(_replies(stand_in, event)) == 1, event
        marks = [
            c.method
            for c in stand_in.calls
            if c.method.startswith("reactions.") and c.get("timestamp") == event["ts"]
        ]
        assert marks and marks[-1] == "reactions.remove"  # the 👀 is off
    assert stand_in.find("conversations.replies", lambda c: c.get("channel") == channels[0])


def test_a_damaged_state_store_is_set_aside_with_one_warning(
    stand_in: StandIn, tmp_path: Path
) -> None:
    state_db = tmp_path / "slack-state.sqlite3"
    state_db.write_bytes(b"this is not a database" * 100)
    with running_server(stand_in, tmp_path) as server:
        event = mention(uid("C"), QUESTIONS[0])
        send_event(server.events, event_body(event))
        stand_in.wait_for("chat.postMessage", lambda c: c.get("thread_ts") == event["ts"])
    log = server.log.read_text()
    assert log.count("was damaged") == 1 and "Traceback" not in log
    [aside] = list(tmp_path.glob("slack-state.sqlite3.damaged-*"))
    assert aside.read_bytes().startswith(b"this is not a database")


def _start_up_refusal(env: dict[str, str]) -> list[str]:
    """Run `serve` expecting it to stop at start-up (exit 2); its stderr lines."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", "9"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    return done.stderr.strip().splitlines()


def _truncated(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "a directory"])
def test_a_damaged_or_unwritable_feedback_store_stops_start_up_with_one_line(
    stand_in: StandIn, tmp_path: Path, damage: str
) -> None:
    feedback = tmp_path / "feedback.sqlite3"
    if damage == "garbage":
        feedback.write_bytes(b"\x00\x01 not sqlite" * 300)
    elif damage == "truncated":
        _truncated(feedback)
    else:
        feedback.mkdir()
    before = feedback.read_bytes() if feedback.is_file() else None
    env = slack_env(stand_in, tmp_path)
    started = time.perf_counter()
    lines = _start_up_refusal(env)
    assert len(lines) == 1 and str(feedback) in lines[0], lines
    assert "PROGRAMME_BOT_FEEDBACK_DB" in lines[0]
    assert time.perf_counter() - started < 10  # before the model loads
    if before is not None:
        assert feedback.read_bytes() == before  # feedback is data: left as it was


def test_an_unusable_state_path_stops_start_up_with_one_line(
    stand_in: StandIn, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    env = slack_env(
        stand_in, tmp_path, PROGRAMME_BOT_SLACK_STATE_DB=str(blocker / "slack-state.sqlite3")
    )
    lines = _start_up_refusal(env)
    assert len(lines) == 1 and "slack-state.sqlite3" in lines[0], lines
