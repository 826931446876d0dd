"""The Home tab's language switch (English · 中文 · Français · …): the tab republished in the
language clicked."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.home import HOME_LANGUAGES, home_view

logger = logging.getLogger(__name__)


@contained
def on_language(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    click = Click.model_validate(body)
    if click.value not in HOME_LANGUAGES:
        logger.info("ignored a Home tab language click: a stale value")
        return
    programme = deps.answerer.library.first.programme
    client.views_publish(user_id=click.user_id, view=home_view(click.value, programme))
