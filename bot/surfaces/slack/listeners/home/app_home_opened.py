"""app_home_opened: the Home tab, published in the language it was last shown in (kept in the
view's private_metadata, which Slack sends back with every app_home_opened); on the first visit
to the Messages tab, a welcome with one-click starter questions."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import HomeOpened
from bot.surfaces.slack.views.home import ask_me, home_language, home_view, welcome_blocks


@contained
def on_home_opened(event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    opened = HomeOpened.model_validate(event)
    user = opened.user
    programme = deps.answerer.library.first.programme  # the one answered now
    if opened.tab == "messages":
        # First visit to the Messages tab: a welcome with one-click starter questions.
        if opened.channel and deps.state.first_welcome(user):
            client.chat_postMessage(
                channel=opened.channel, blocks=welcome_blocks(programme), text=ask_me(programme)
            )
        return
    shown = opened.view.private_metadata if opened.view else None
    client.views_publish(user_id=user, view=home_view(home_language(shown), programme))
