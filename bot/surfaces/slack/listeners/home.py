"""The Home tab and the Messages tab's first visit: the Home tab is published in the language
it was last shown in (kept in the view's private_metadata, which Slack sends back with every
app_home_opened), and its language switch republishes it in English, Chinese or French; the
first visit to the Messages tab gets a welcome with one-click starter questions."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.records.model import Programme
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click, HomeOpened
from bot.surfaces.slack.views.home import (
    HOME_LANGUAGE,
    HOME_LANGUAGES,
    ask_me,
    home_language,
    home_view,
    welcome_blocks,
)

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    def programme() -> Programme:
        """The programme answered now (a hot reload swaps it with the answers)."""
        return deps.answerer.library.first.programme

    @app.event("app_home_opened")
    @contained
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        opened = HomeOpened.model_validate(event)
        user = opened.user
        if opened.tab == "messages":
            # First visit to the Messages tab: a welcome with one-click starter questions.
            if opened.channel and deps.state.first_welcome(user):
                client.chat_postMessage(
                    channel=opened.channel,
                    blocks=welcome_blocks(programme()),
                    text=ask_me(programme()),
                )
            return
        shown = opened.view.private_metadata if opened.view else None
        client.views_publish(user_id=user, view=home_view(home_language(shown), programme()))

    @app.action(re.compile(rf"^{HOME_LANGUAGE}:({'|'.join(HOME_LANGUAGES)})$"))
    @contained
    def on_language(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = Click.model_validate(body)
        if click.value not in HOME_LANGUAGES:
            logger.info("ignored a Home tab language click: a stale value")
            return
        client.views_publish(user_id=click.user_id, view=home_view(click.value, programme()))
