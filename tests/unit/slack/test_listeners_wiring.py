"""The listeners as Bolt runs them: `provide` puts deps and tours in the context, and a real
Bolt App (no server, no network: a request is dispatched in process, as bolt-python's own
tests do) hands them to the module-level listeners that register_listeners registered."""

from __future__ import annotations

import inspect
from typing import Any
from unittest.mock import Mock

import pytest
from listener_fakes import USER, click, command, pending
from slack_bolt import App, BoltContext, BoltRequest
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.middleware.assistant import Assistant

from bot.surfaces.slack.listeners import register_listeners
from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.middleware import provide
from bot.surfaces.slack.views.blocks import ASK_PROMPT
from bot.surfaces.slack.views.tour import MAP_SHOW


def test_provide_puts_its_values_in_the_context_then_goes_on() -> None:
    context, go_on, deps = BoltContext(), Mock(), object()
    provide(deps=deps, tours="tours")(context=context, next=go_on)
    assert context["deps"] is deps and context["tours"] == "tours"
    go_on.assert_called_once()


def bolt_app(deps: Deps, tours: Tours) -> App:
    def authorize(**_: Any) -> AuthorizeResult:  # instead of auth.test over the network
        return AuthorizeResult(
            enterprise_id=None, team_id="T0TEAM0001", bot_user_id="U0BOT00001", bot_token="xoxb-x"
        )

    app = App(
        authorize=authorize,
        request_verification_enabled=False,
        process_before_response=True,  # the listener has run when dispatch returns
        raise_error_for_unhandled_request=True,
    )
    app.use(provide(deps=deps, tours=tours))
    register_listeners(app)
    return app


def test_all_22_listeners_are_module_level_functions(deps: Deps, tours: Tours) -> None:
    app = bolt_app(deps, tours)
    # Bolt keeps no public list: the app's listeners, and the assistant's in its middleware.
    (assistant,) = [m for m in app._middleware_list if isinstance(m, Assistant)]
    listeners = app._listeners + [
        *assistant._thread_started_listeners,
        *assistant._thread_context_changed_listeners,
        *assistant._user_message_listeners,
    ]
    names = [inspect.unwrap(listener.ack_function).__qualname__ for listener in listeners]
    assert len(names) == 22 and len(set(names)) == 22
    assert [name for name in names if "<locals>" in name] == []  # no closure over deps


def test_a_command_reaches_its_listener_with_deps_from_the_context(
    deps: Deps, tours: Tours
) -> None:
    body = command("/programme", "Which unit assists the regional divisions?")
    response = bolt_app(deps, tours).dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200
    (job,) = pending(deps)
    assert job.kind == "private" and job.payload["user"] == USER


@pytest.mark.parametrize(
    ("action_id", "value", "kind"),
    [(f"{ASK_PROMPT}:3", "What is 58/109?", "question"), (MAP_SHOW, "3:en", "map")],
)
def test_a_button_reaches_its_listener_with_deps_from_the_context(
    deps: Deps, tours: Tours, action_id: str, value: str, kind: str
) -> None:
    request = BoltRequest(body=click(action_id, value), mode="socket_mode")
    response = bolt_app(deps, tours).dispatch(request)
    assert response.status == 200
    (job,) = pending(deps)
    assert job.kind == kind
