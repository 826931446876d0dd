"""Slash commands: /programme <question> (a private answer with "Share in channel"),
/programme map [N] [zh] (the programme map) and /mandate <topic|symbol>."""

from __future__ import annotations

from slack_bolt import App

from bot.surfaces.slack.listeners.commands.ask import on_mandate, on_programme


def register(app: App) -> None:
    app.command("/programme")(on_programme)
    app.command("/mandate")(on_mandate)
