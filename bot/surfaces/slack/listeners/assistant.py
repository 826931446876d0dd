"""The Messages tab as an assistant, through Bolt's Assistant middleware: suggested prompts when
a thread opens, and the "is reading…" status while a question typed there is answered.

Slack shows at most four suggested prompts, so a new thread gets the general set, and its
greeting has a button that swaps in the set for colleagues new to Security Council affairs
(handled in actions.py).

A question typed in an assistant thread is recorded as pending work by the user_message
listener's middleware, which runs before Bolt's automatic ack (an acked question is never lost);
the listener itself runs after the ack: it shows the status, then wakes the workers, so the
status is set before the answer that clears it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse, Say
from slack_bolt.context.set_status import SetStatus
from slack_bolt.context.set_suggested_prompts import SetSuggestedPrompts
from slack_bolt.middleware import CustomMiddleware
from slack_bolt.middleware.assistant import Assistant

from bot.stores.work import StoreUnavailable
from bot.surfaces.slack.runtime.answering import WORKING_STATUS
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.runtime.middleware import not_recorded, record_event
from bot.surfaces.slack.transport.payloads import AssistantThreadEvent, QuestionEvent
from bot.surfaces.slack.views.home import ask_me, assistant_greeting_blocks
from bot.surfaces.slack.views.prompts import GENERAL_PROMPTS, PROMPTS_TITLE

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    assistant = Assistant(logger=logging.getLogger("bot.slack.bolt"))

    @assistant.thread_started
    @contained
    def on_thread_started(
        payload: dict[str, Any], say: Say, set_suggested_prompts: SetSuggestedPrompts
    ) -> None:
        thread = AssistantThreadEvent.model_validate(payload).assistant_thread
        deps.state.remember_thread(thread.channel_id, thread.thread_ts, "assistant")
        programme = deps.answerer.library.first.programme
        say(
            blocks=assistant_greeting_blocks(thread.thread_ts, programme),
            text=ask_me(programme),
        )
        set_suggested_prompts(prompts=[p.to_slack() for p in GENERAL_PROMPTS], title=PROMPTS_TITLE)

    @assistant.thread_context_changed
    def on_context_changed() -> None:
        """The channel the user is looking at changed; answers don't depend on it (and Bolt's
        default would store it in message metadata: a Web API call per change)."""

    def record_question(
        req: BoltRequest,
        next: Callable[[], None],  # noqa: A002 (Bolt injects by this name)
    ) -> BoltResponse | None:
        try:
            if not record_event(deps, req.body, wake=False):
                return BoltResponse(status=200, body="")  # a duplicate: answered already
        except StoreUnavailable as exc:
            return not_recorded(exc)
        next()
        return None

    @assistant.user_message(middleware=[CustomMiddleware(app_name=app.name, func=record_question)])
    @contained
    def on_user_message(payload: dict[str, Any], set_status: SetStatus) -> None:
        event = QuestionEvent.model_validate(payload)
        try:
            if event.thread_ts and deps.state.thread_kind(event.channel, event.thread_ts) == (
                "assistant"
            ):
                set_status(WORKING_STATUS)
        finally:
            deps.wake_workers()

    app.assistant(assistant)
