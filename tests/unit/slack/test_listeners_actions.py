"""The buttons under an answer and the starter questions, called as plain functions."""

from __future__ import annotations

from typing import Any
from unittest.mock import Mock

import pytest
from listener_fakes import CHANNEL, USER, FakeAck, Recorder, click, pending, store_away
from slack_bolt import Respond

from bot.answer import Answer, Source
from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.listeners.actions.answer_buttons import (
    EXPIRED,
    on_share,
    on_show_passage,
    on_whole_card,
)
from bot.surfaces.slack.listeners.actions.starter_questions import (
    on_prompt,
    on_security_council_prompts,
)
from bot.surfaces.slack.listeners.actions.votes import NOT_RECORDED, on_down, on_up
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.views.blocks import (
    ASK_PROMPT,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    FEEDBACK_VOTE_PREFIX,
    SHARE_ANSWER,
    SHOW_PASSAGE,
    SHOW_SECURITY_COUNCIL_PROMPTS,
    WHOLE_CARD,
    answer_blocks,
    missing_answer_modal,
    passage_modal,
    passage_value,
    whole_card_modal,
)
from bot.surfaces.slack.views.prompts import SECURITY_COUNCIL_PROMPTS, SECURITY_COUNCIL_TITLE

ANSWER = Answer(
    question="Which unit assists the regional divisions?",
    language="fr",
    answer="Policy Planning Unit — with the assistance of the Policy Planning Unit (para. 2.6).",
    abstained=False,
    sources=[Source("2.6", "para. 2.6", "Subprogramme 1", 1, "2.6 本次级方案的实质性责任…", 0.9)],
)


def stored(deps: Deps) -> str:
    return deps.state.save_answer(ANSWER, CHANNEL, USER)


# ----------------------------------------------------------------------------- Share


def test_share_posts_the_answer_in_channel_then_removes_the_private_one(
    deps: Deps, ack: FakeAck, respond: Recorder
) -> None:
    answer_id = stored(deps)
    on_share(ack=ack, body=click(SHARE_ANSWER, answer_id), respond=respond, deps=deps)
    assert ack.calls == [{}]
    public, removed = respond.calls
    assert public["response_type"] == "in_channel"
    assert public["replace_original"] is False
    assert public["blocks"] == answer_blocks(ANSWER, answer_id, shared_by=USER)
    assert removed == {"delete_original": True}


def test_share_clicked_twice_is_shared_once(deps: Deps, respond: Recorder) -> None:
    answer_id = stored(deps)
    on_share(ack=FakeAck(), body=click(SHARE_ANSWER, answer_id), respond=respond, deps=deps)
    again = click(SHARE_ANSWER, answer_id, trigger_id="trigger.2")
    on_share(ack=FakeAck(), body=again, respond=respond, deps=deps)
    assert len(respond.calls) == 2  # the first click's post and delete; nothing for the second


def test_share_that_did_not_reach_slack_can_be_clicked_again(deps: Deps) -> None:
    answer_id = stored(deps)
    failing = Recorder(Respond, fails=ConnectionError("response_url unreachable"))
    ack = FakeAck()
    # After the ack the error is contained (logged in one line), not raised into Bolt.
    on_share(ack=ack, body=click(SHARE_ANSWER, answer_id), respond=failing, deps=deps)
    assert ack.calls == [{}] and len(failing.calls) == 1
    respond = Recorder(Respond)
    later = click(SHARE_ANSWER, answer_id, trigger_id="trigger.2")  # another click, later
    on_share(ack=FakeAck(), body=later, respond=respond, deps=deps)
    assert respond.calls[-1] == {"delete_original": True}


def test_share_of_an_answer_no_longer_stored_says_so_privately(
    deps: Deps, ack: FakeAck, respond: Recorder
) -> None:
    on_share(ack=ack, body=click(SHARE_ANSWER, "0" * 32), respond=respond, deps=deps)
    assert respond.calls == [
        {"response_type": "ephemeral", "replace_original": False, "text": EXPIRED}
    ]


# ----------------------------------------------------------------------------- modals


def test_show_passage_opens_the_whole_record_in_the_answers_language(
    deps: Deps, ack: FakeAck, client: Mock
) -> None:
    body = click(SHOW_PASSAGE, passage_value(stored(deps), 0))
    on_show_passage(ack=ack, body=body, client=client, deps=deps)
    assert ack.calls == [{}]
    client.views_open.assert_called_once_with(
        trigger_id="trigger.1", view=passage_modal(ANSWER.sources[0], "fr")
    )


@pytest.mark.parametrize("value", ["not-a-passage", "{answer}:7", ":0"])
def test_show_passage_of_a_stale_button_opens_the_missing_answer_modal(
    deps: Deps, ack: FakeAck, client: Mock, value: str
) -> None:
    body = click(SHOW_PASSAGE, value.format(answer=stored(deps)))
    on_show_passage(ack=ack, body=body, client=client, deps=deps)
    client.views_open.assert_called_once_with(trigger_id="trigger.1", view=missing_answer_modal())


def test_whole_card_opens_the_stored_card(deps: Deps, ack: FakeAck, client: Mock) -> None:
    on_whole_card(ack=ack, body=click(WHOLE_CARD, stored(deps)), client=client, deps=deps)
    client.views_open.assert_called_once_with(trigger_id="trigger.1", view=whole_card_modal(ANSWER))


def test_whole_card_never_looks_up_a_value_that_is_no_answer_id(
    deps: Deps, ack: FakeAck, client: Mock
) -> None:
    deps.state = Mock(wraps=deps.state)
    on_whole_card(ack=ack, body=click(WHOLE_CARD, "../../etc"), client=client, deps=deps)
    deps.state.load_answer.assert_not_called()
    client.views_open.assert_called_once_with(trigger_id="trigger.1", view=missing_answer_modal())


# ----------------------------------------------------------------------------- votes


def test_a_vote_goes_to_the_outbox_and_opens_the_reason_modal(
    deps: Deps, ack: FakeAck, client: Mock, respond: Recorder
) -> None:
    answer_id = stored(deps)
    body = click(FEEDBACK_DOWN, answer_id)
    on_down(ack=ack, body=body, client=client, respond=respond, deps=deps)
    assert ack.calls == [{}]
    (item,) = deps.state.outbox_peek(10)
    assert (item.kind, item.payload["rating"], item.payload["answer_id"]) == (
        "vote",
        "down",
        answer_id,
    )
    assert item.payload["fields"]["question"] == ANSWER.question
    deps.wake_courier.assert_called_once()  # type: ignore[attr-defined]
    view = client.views_open.call_args.kwargs["view"]
    assert view["private_metadata"] == FEEDBACK_VOTE_PREFIX + answer_id
    assert view["title"]["text"] != "Feedback"  # in the answer's language (French)
    assert respond.calls == []


def test_a_vote_the_state_store_cannot_keep_is_told_and_opens_nothing(
    deps: Deps, ack: FakeAck, client: Mock, respond: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_away(monkeypatch, deps.state, "outbox_put")
    on_up(ack=ack, body=click(FEEDBACK_UP, stored(deps)), client=client, respond=respond, deps=deps)
    assert ack.calls == [{}]
    assert respond.calls == [
        {"response_type": "ephemeral", "replace_original": False, "text": NOT_RECORDED}
    ]
    client.views_open.assert_not_called()
    deps.wake_courier.assert_not_called()  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- starter questions


def test_a_starter_question_is_recorded_before_the_ack(deps: Deps) -> None:
    pending_at_ack: list[int] = []

    class Watching(FakeAck):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            pending_at_ack.append(deps.work.pending())
            return super().__call__(*args, **kwargs)

    ack = Watching()
    question = "What is resolution 1373 (2001) about?"
    on_prompt(ack=ack, body=click(f"{ASK_PROMPT}:2", question), deps=deps)
    assert ack.calls == [{}] and pending_at_ack == [1]
    (job,) = pending(deps)
    assert (job.kind, job.lane) == ("question", CHANNEL)
    assert job.id == f"prompt:{CHANNEL}:1.000001:{ASK_PROMPT}:2:{USER}"
    asked = job.payload["question"]
    assert asked["text"] == question and asked["user"] == USER
    deps.wake_workers.assert_called_once()  # type: ignore[attr-defined]


def test_a_starter_question_clicked_twice_is_asked_once(deps: Deps) -> None:
    body = click(f"{ASK_PROMPT}:0", "What is the overall objective of the programme?")
    on_prompt(ack=FakeAck(), body=body, deps=deps)
    on_prompt(ack=FakeAck(), body=body, deps=deps)
    assert deps.work.pending() == 1


def test_a_starter_question_the_queue_cannot_record_is_not_acked(
    deps: Deps, ack: FakeAck, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_away(monkeypatch, deps.work, "admit")
    # Raised to Bolt before any ack: its error handler answers 503 and Slack sends it again.
    with pytest.raises(StoreUnavailable):
        on_prompt(ack=ack, body=click(f"{ASK_PROMPT}:1", "a question"), deps=deps)
    assert ack.calls == []


def test_a_starter_question_without_a_channel_is_acked_and_dropped(
    deps: Deps, ack: FakeAck
) -> None:
    on_prompt(ack=ack, body=click(f"{ASK_PROMPT}:1", "a question", channel=None), deps=deps)
    assert ack.calls == [{}]
    assert deps.work.pending() == 0


def test_security_council_prompts_replace_the_threads_prompts(ack: FakeAck, client: Mock) -> None:
    body = click(SHOW_SECURITY_COUNCIL_PROMPTS, "1700000000.000100")
    on_security_council_prompts(ack=ack, body=body, client=client)
    assert ack.calls == [{}]
    client.assistant_threads_setSuggestedPrompts.assert_called_once_with(
        channel_id=CHANNEL,
        thread_ts="1700000000.000100",
        title=SECURITY_COUNCIL_TITLE,
        prompts=[p.to_slack() for p in SECURITY_COUNCIL_PROMPTS],
    )
