"""/programme and /mandate, called as plain functions: what reaches the ack and the work queue."""

from __future__ import annotations

import pytest
from listener_fakes import RESPONSE_URL, USER, FakeAck, command, pending, store_away

from bot.records.library import Library
from bot.settings import Settings
from bot.surfaces.slack.listeners.commands.ask import (
    BUSY,
    MANDATE_USAGE,
    on_mandate,
    on_programme,
    programme_usage,
)
from bot.surfaces.slack.runtime.deps import Deps

# What /programme says it answers about: the library's first programme, named from its manifest.
PROGRAMME_USAGE = programme_usage(Library.load(Settings().corpus_dir).first.programme)


def test_a_question_is_recorded_then_acked_with_nothing_visible(deps: Deps, ack: FakeAck) -> None:
    on_programme(ack=ack, command=command("/programme", "What does subprogramme 3 do?"), deps=deps)
    assert ack.calls == [{}]
    (job,) = pending(deps)
    assert (job.id, job.kind, job.lane) == ("command:trigger.9", "private", "C0CHANNEL1")
    assert job.payload == {
        "text": "What does subprogramme 3 do?",
        "user": USER,
        "channel": "C0CHANNEL1",
        "response_url": RESPONSE_URL,
        "mandates": False,
    }
    deps.wake_workers.assert_called_once()  # type: ignore[attr-defined]


def test_mandate_is_a_private_job_that_asks_for_mandates(deps: Deps, ack: FakeAck) -> None:
    on_mandate(ack=ack, command=command("/mandate", "1373 (2001)"), deps=deps)
    (job,) = pending(deps)
    assert job.payload["mandates"] is True and job.payload["text"] == "1373 (2001)"


def test_the_same_command_delivered_twice_is_one_job(deps: Deps) -> None:
    for _ in range(2):
        on_programme(ack=FakeAck(), command=command("/programme", "What is 58/109?"), deps=deps)
    assert deps.work.pending() == 1


@pytest.mark.parametrize(
    ("listener", "usage"), [(on_programme, PROGRAMME_USAGE), (on_mandate, MANDATE_USAGE)]
)
def test_an_empty_command_gets_its_usage_and_no_job(
    deps: Deps, ack: FakeAck, listener, usage: str
) -> None:
    listener(ack=ack, command=command("/x", "   "), deps=deps)
    assert ack.calls == [{"response_type": "ephemeral", "text": usage}]
    assert deps.work.pending() == 0


def test_pasted_credentials_are_never_stored(deps: Deps) -> None:
    text = "why does xoxb-1234-5678-abcdefghijkl fail?"
    on_programme(ack=FakeAck(), command=command("/programme", text), deps=deps)
    (job,) = pending(deps)
    assert "xoxb-" not in job.payload["text"] and "[redacted]" in job.payload["text"]


def test_programme_map_is_a_map_job_uploaded_where_the_command_was_typed(
    deps: Deps, ack: FakeAck
) -> None:
    on_programme(ack=ack, command=command("/programme", "map 3 zh"), deps=deps)
    assert ack.calls == [{}]
    (job,) = pending(deps)
    assert job.kind == "map"
    assert job.payload["map"] == {"kind": "map", "lang": "zh", "subprogramme": 3, "highlight": None}
    assert job.payload["response_url"] == RESPONSE_URL
    assert job.payload["question"]["conversation"]["kind"] == "command"


@pytest.mark.parametrize(
    ("text", "told"),
    [("map 9", "There is no subprogramme 9"), ("map banana", "I did not understand 'banana'")],
)
def test_a_map_that_cannot_be_drawn_is_refused_in_the_ack(
    deps: Deps, ack: FakeAck, text: str, told: str
) -> None:
    on_programme(ack=ack, command=command("/programme", text), deps=deps)
    (said,) = ack.calls
    assert said["response_type"] == "ephemeral" and said["text"].startswith(told)
    assert deps.work.pending() == 0


def test_a_question_the_queue_cannot_record_is_acked_as_busy(
    deps: Deps, ack: FakeAck, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_away(monkeypatch, deps.work, "admit")
    on_programme(ack=ack, command=command("/programme", "What is 1373 (2001)?"), deps=deps)
    assert ack.calls == [{"response_type": "ephemeral", "text": BUSY}]
    deps.wake_workers.assert_not_called()  # type: ignore[attr-defined]
