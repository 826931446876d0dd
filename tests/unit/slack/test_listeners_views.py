"""The feedback modal's submission (the reason after a 👍/👎), as a plain function."""

from __future__ import annotations

from typing import Any

import pytest
from listener_fakes import USER, FakeAck, store_away

from bot.surfaces.slack.listeners.views.feedback_reason import NOT_KEPT, on_feedback_reason
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.views.blocks import (
    FEEDBACK_MODAL,
    FEEDBACK_REASON_BLOCK,
    FEEDBACK_REASON_INPUT,
    FEEDBACK_VOTE_PREFIX,
)

ANSWER_ID = "0123456789abcdef0123456789abcdef"


def submitted(reason: str, metadata: str = FEEDBACK_VOTE_PREFIX + ANSWER_ID) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": USER},
        "view": {
            "type": "modal",  # Slack's modals always say so
            "callback_id": FEEDBACK_MODAL,
            "private_metadata": metadata,
            "state": {
                "values": {FEEDBACK_REASON_BLOCK: {FEEDBACK_REASON_INPUT: {"value": reason}}}
            },
        },
    }


def test_a_reason_goes_to_the_outbox_then_the_modal_closes(deps: Deps, ack: FakeAck) -> None:
    on_feedback_reason(ack=ack, body=submitted("  The quote was cut short.  "), deps=deps)
    assert ack.calls == [{}]
    (item,) = deps.state.outbox_peek(10)
    assert (item.kind, item.payload) == (
        "reason",
        {"answer_id": ANSWER_ID, "user": USER, "reason": "The quote was cut short."},
    )
    deps.wake_courier.assert_called_once()  # type: ignore[attr-defined]


def test_an_older_modal_attaches_the_reason_to_its_feedback_row(deps: Deps, ack: FakeAck) -> None:
    on_feedback_reason(ack=ack, body=submitted("wrong unit", metadata="42"), deps=deps)
    (item,) = deps.state.outbox_peek(10)
    assert item.payload["feedback_id"] == "42"


def test_an_empty_reason_closes_the_modal_and_stores_nothing(deps: Deps, ack: FakeAck) -> None:
    on_feedback_reason(ack=ack, body=submitted("   "), deps=deps)
    assert ack.calls == [{}]
    assert deps.state.outbox_peek(10) == []


def test_a_modal_without_a_vote_is_closed(deps: Deps, ack: FakeAck) -> None:
    on_feedback_reason(ack=ack, body=submitted("why", metadata="answer-ish"), deps=deps)
    assert ack.calls == [{}]
    assert deps.state.outbox_peek(10) == []


def test_a_reason_that_cannot_be_kept_keeps_the_modal_open_and_says_so(
    deps: Deps, ack: FakeAck, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_away(monkeypatch, deps.state, "outbox_put")
    on_feedback_reason(ack=ack, body=submitted("too long"), deps=deps)
    assert ack.calls == [{"response_action": "errors", "errors": {FEEDBACK_REASON_BLOCK: NOT_KEPT}}]
    deps.wake_courier.assert_not_called()  # type: ignore[attr-defined]
