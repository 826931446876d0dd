"""One module per Slack surface, each with `register(app, deps)`."""

from __future__ import annotations

from slack_bolt import App

from bot.surfaces.slack.listeners import actions, assistant, commands, home, maps, tour, views
from bot.surfaces.slack.runtime.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    for surface in (home, assistant, commands, actions, views, tour, maps):
        surface.register(app, deps)
