"""The assistant thread's listeners and the middleware that records its questions before the
ack, called as plain functions."""

from __future__ import annotations

from typing import Any
from unittest.mock import Mock

import pytest
from listener_fakes import CHANNEL, USER, Recorder, message_ts, pending, store_away
from slack_bolt import BoltRequest
from slack_bolt.context.set_status import SetStatus
from slack_bolt.context.set_suggested_prompts import SetSuggestedPrompts

from bot.surfaces.slack.listeners.assistant.thread_started import on_thread_started
from bot.surfaces.slack.listeners.assistant.user_message import on_user_message, record_question
from bot.surfaces.slack.runtime.answering import WORKING_STATUS
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.views.home import assistant_greeting_blocks
from bot.surfaces.slack.views.prompts import GENERAL_PROMPTS, PROMPTS_TITLE

THREAD = "1700000000.000100"


def typed(text: str, thread_ts: str = THREAD) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "im",
        "user": USER,
        "text": text,
        "ts": message_ts(),
        "thread_ts": thread_ts,
    }


def delivery(event: dict[str, Any], event_id: str = "Ev0TYPED01") -> BoltRequest:
    body = {"type": "event_callback", "event_id": event_id, "event": event}
    return BoltRequest(body=body, mode="socket_mode")


@pytest.mark.parametrize(
    "context",
    [{"channel_id": "C0FOCUSED1", "team_id": "T0000TEAM1"}, None, "missing"],
    ids=["with context", "context null", "no context"],
)
def test_a_new_thread_is_remembered_greeted_and_given_the_general_prompts(
    deps: Deps, client: Mock, context: Any
) -> None:
    """With a null or missing context too: the assistant's `say` failed on it after the ack."""
    prompts = Recorder(SetSuggestedPrompts)
    thread: dict[str, Any] = {"channel_id": CHANNEL, "thread_ts": THREAD}
    if context != "missing":
        thread["context"] = context
    started = {"type": "assistant_thread_started", "assistant_thread": thread}
    on_thread_started(payload=started, client=client, set_suggested_prompts=prompts, deps=deps)
    assert deps.state.thread_kind(CHANNEL, THREAD) == "assistant"
    client.chat_postMessage.assert_called_once_with(
        channel=CHANNEL,
        thread_ts=THREAD,
        blocks=assistant_greeting_blocks(THREAD),
        text="Ask me about Programme 2 (Political affairs).",
    )
    assert prompts.calls == [
        {"prompts": [p.to_slack() for p in GENERAL_PROMPTS], "title": PROMPTS_TITLE}
    ]


def test_a_typed_question_is_recorded_before_the_ack_and_the_workers_wait(deps: Deps) -> None:
    event = typed("What is resolution 1373 (2001) about? token xoxp-1234-5678-abcdefghijkl")
    go_on = Mock()
    assert record_question(req=delivery(event), deps=deps, next=go_on) is None
    go_on.assert_called_once()  # on to Bolt's ack, then the listener
    (job,) = pending(deps)
    assert (job.id, job.kind, job.lane) == ("Ev0TYPED01", "event", CHANNEL)
    assert job.payload["event"]["text"].startswith("What is resolution 1373 (2001) about?")
    assert "xoxp-" not in job.payload["event"]["text"]  # credentials never stored
    # The listener sets the status first and wakes them itself.
    deps.wake_workers.assert_not_called()  # type: ignore[attr-defined]


def test_a_question_delivered_again_is_acked_and_goes_no_further(deps: Deps) -> None:
    event = typed("What does subprogramme 3 do?")
    record_question(req=delivery(event), deps=deps, next=Mock())
    go_on = Mock()
    response = record_question(req=delivery(event), deps=deps, next=go_on)
    assert response is not None and response.status == 200
    go_on.assert_not_called()
    assert deps.work.pending() == 1


def test_a_question_the_queue_cannot_record_gets_a_503_for_slack_to_retry(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_away(monkeypatch, deps.work, "admit")
    go_on = Mock()
    response = record_question(req=delivery(typed("a question")), deps=deps, next=go_on)
    assert response is not None and response.status == 503
    go_on.assert_not_called()


def test_the_status_is_shown_in_the_bots_thread_then_the_workers_wake(deps: Deps) -> None:
    deps.state.remember_thread(CHANNEL, THREAD, "assistant")
    status = Recorder(SetStatus)
    on_user_message(payload=typed("What is 58/109?"), set_status=status, deps=deps)
    assert status.calls == [{"status": WORKING_STATUS}]
    deps.wake_workers.assert_called_once()  # type: ignore[attr-defined]


def test_no_status_outside_the_bots_threads_but_the_workers_still_wake(deps: Deps) -> None:
    status = Recorder(SetStatus)
    on_user_message(payload=typed("hello", thread_ts="1.000009"), set_status=status, deps=deps)
    assert status.calls == []
    deps.wake_workers.assert_called_once()  # type: ignore[attr-defined]


def test_the_workers_wake_even_when_the_status_cannot_be_set(deps: Deps) -> None:
    deps.state.remember_thread(CHANNEL, THREAD, "assistant")
    status = Recorder(SetStatus, fails=ConnectionError("slack unreachable"))
    # No ack to wait for (Bolt acked already): the error is logged, not raised.
    on_user_message(payload=typed("What is 58/109?"), set_status=status, deps=deps)
    deps.wake_workers.assert_called_once()  # type: ignore[attr-defined]
