"""The Home tab, its language switch and the Messages tab's welcome, as plain functions."""

from __future__ import annotations

from typing import Any
from unittest.mock import Mock

from listener_fakes import USER, FakeAck, click

from bot.surfaces.slack.listeners.home.app_home_opened import on_home_opened
from bot.surfaces.slack.listeners.home.language_switch import on_language
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.views.home import HOME_LANGUAGE, home_view, welcome_blocks


def opened(tab: str, shown_in: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "app_home_opened", "user": USER, "tab": tab}
    if tab == "messages":
        event["channel"] = "D0DMCHANNEL"
    if shown_in:
        event["view"] = {"type": "home", "private_metadata": shown_in}
    return event


def test_the_home_tab_is_published_in_the_language_it_was_last_shown_in(
    deps: Deps, client: Mock
) -> None:
    on_home_opened(event=opened("home", shown_in="zh"), client=client, deps=deps)
    client.views_publish.assert_called_once_with(user_id=USER, view=home_view("zh"))


def test_a_home_tab_never_published_is_in_english(deps: Deps, client: Mock) -> None:
    on_home_opened(event=opened("home"), client=client, deps=deps)
    client.views_publish.assert_called_once_with(user_id=USER, view=home_view("en"))


def test_the_messages_tab_is_welcomed_once(deps: Deps, client: Mock) -> None:
    on_home_opened(event=opened("messages"), client=client, deps=deps)
    on_home_opened(event=opened("messages"), client=client, deps=deps)
    client.chat_postMessage.assert_called_once_with(
        channel="D0DMCHANNEL",
        blocks=welcome_blocks(),
        text="Ask me about Programme 2 (Political affairs).",
    )
    client.views_publish.assert_not_called()


def test_the_language_switch_republishes_the_tab(ack: FakeAck, client: Mock, deps: Deps) -> None:
    on_language(
        ack=ack, body=click(f"{HOME_LANGUAGE}:fr", "fr", channel=None), client=client, deps=deps
    )
    assert ack.calls == [{}]
    client.views_publish.assert_called_once_with(user_id=USER, view=home_view("fr"))


def test_a_stale_language_value_is_acked_and_ignored(
    ack: FakeAck, client: Mock, deps: Deps
) -> None:
    on_language(
        ack=ack,
        body=click(f"{HOME_LANGUAGE}:fr", "klingon", channel=None),
        client=client,
        deps=deps,
    )
    assert ack.calls == [{}]
    client.views_publish.assert_not_called()
