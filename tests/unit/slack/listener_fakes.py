"""Fakes for calling Slack listeners as plain functions, as Slack's Bolt templates test theirs:
Bolt's own Ack, which also keeps its calls; Recorders in place of Respond, Say and the
assistant's utilities; payloads as Slack sends them. No server, no network."""

from __future__ import annotations

import inspect
import time
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pytest
from slack_bolt import Ack

from bot.answer import Answer
from bot.records.library import Library
from bot.settings import Settings
from bot.stores.work import Job, StoreUnavailable
from bot.surfaces.slack.runtime.deps import Deps

USER = "UHUMAN0001"
CHANNEL = "D0DMCHANNEL"
RESPONSE_URL = "https://hooks.slack.test/actions/T1/1/abc"


def _arguments(method: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict:
    """The arguments as named by Bolt's own signature (raises TypeError for one it lacks)."""
    bound = inspect.signature(method).bind(None, *args, **kwargs)
    return {name: value for name, value in bound.arguments.items() if name != "self"}


class FakeAck(Ack):
    """Bolt's Ack (its `response` is what Bolt would send Slack) that also keeps each call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.calls.append(_arguments(Ack.__call__, args, kwargs))
        return super().__call__(*args, **kwargs)


class Recorder:
    """Stands in for one of Bolt's utilities (Respond, Say, SetStatus, ...): keeps each call,
    its arguments named as the real one's signature names them (one it lacks: TypeError), and
    sends nothing. `fails`: the error every call raises (Slack unreachable)."""

    def __init__(self, of: type, fails: Exception | None = None) -> None:
        self.of = of
        self.calls: list[dict[str, Any]] = []
        self.fails = fails

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(_arguments(self.of.__call__, args, kwargs))
        if self.fails:
            raise self.fails


@lru_cache(maxsize=1)
def _library() -> Library:
    return Library.load(Settings().corpus_dir)


class NoAnswers:
    """Listeners ack on the spot: the pipeline is for the workers, after the ack. They read the
    library the answers come from (the tour, the Home tab, the map): the corpus's, read once."""

    @property
    def library(self) -> Library:
        return _library()

    def ask(self, question: str, previous: Answer | None = None, job: str | None = None) -> Answer:
        raise AssertionError("a listener computed an answer")

    def ask_mandates(self, topic_or_symbol: str, job: str | None = None) -> Answer:
        raise AssertionError("a listener computed an answer")


def store_away(monkeypatch: pytest.MonkeyPatch, store: object, method: str) -> None:
    """One method of a real store fails as it does when the store is away (disk full, Redis
    down): StoreUnavailable."""

    def unavailable(*_: object) -> None:
        raise StoreUnavailable(f"{method}: the store is away")

    monkeypatch.setattr(store, method, unavailable)


def pending(deps: Deps) -> list[Job]:
    """Every job the listeners recorded (taken, so a test sees each once)."""
    return deps.work.take(100)


def message_ts() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 1_000_000:06d}"


def click(
    action_id: str,
    value: str,
    channel: str | None = CHANNEL,
    *,
    label: str = "",
    thread_ts: str | None = None,
    in_message: bool = True,
    trigger_id: str | None = "trigger.1",
) -> dict[str, Any]:
    """A block_actions payload: one button clicked, in a message of `channel` (None: the Home
    tab, which has no channel)."""
    body: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": USER},
        "team": {"id": "T0TEAM0001"},
        "api_app_id": "A0APP00001",
        "response_url": RESPONSE_URL,
        "actions": [{"action_id": action_id, "type": "button", "value": value}],
    }
    if label:
        body["actions"][0]["text"] = {"type": "plain_text", "text": label}
    if trigger_id:
        body["trigger_id"] = trigger_id
    if channel:
        body["channel"] = {"id": channel}
    if in_message:
        body["container"] = {"type": "message", "channel_id": channel, "message_ts": "1.000001"}
        body["message"] = {"ts": "1.000001", **({"thread_ts": thread_ts} if thread_ts else {})}
    else:
        body["container"] = {"type": "view"}
    return body


def command(name: str, text: str, trigger_id: str = "trigger.9") -> dict[str, Any]:
    return {
        "command": name,
        "text": text,
        "user_id": USER,
        "channel_id": "C0CHANNEL1",
        "team_id": "T0TEAM0001",
        "response_url": RESPONSE_URL,
        "trigger_id": trigger_id,
    }
