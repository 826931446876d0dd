"""The Home tab and the Messages tab's first visit: the Home tab is published in the language
it was last shown in, and its language switch republishes it in English, Chinese or French;
the first visit to the Messages tab gets a welcome with one-click starter questions."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.surfaces.slack.listeners.home.app_home_opened import on_home_opened
from bot.surfaces.slack.listeners.home.language_switch import on_language
from bot.surfaces.slack.views.home import HOME_LANGUAGE, HOME_LANGUAGES


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)
    app.action(re.compile(rf"^{HOME_LANGUAGE}:({'|'.join(HOME_LANGUAGES)})$"))(on_language)
