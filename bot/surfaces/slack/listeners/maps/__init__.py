"""The tour's "See the map" button (/programme map: commands/; a map asked for in words is a
question the worker tells apart: runtime/answering.py)."""

from __future__ import annotations

from slack_bolt import App

from bot.surfaces.slack.listeners.maps.see_the_map import on_see_the_map
from bot.surfaces.slack.views.tour import MAP_SHOW


def register(app: App) -> None:
    app.action(MAP_SHOW)(on_see_the_map)
