"""Every Slack listener, one package per surface, each with `register(app)`: the layout of
Slack's Bolt templates (slack-samples/bolt-python-starter-template).

Listeners are module-level functions. What they need reaches them through Bolt's context, put
there by the first middleware (runtime/middleware.provide, in app.py): `deps` (the stores, the
work queue, the settings: runtime/deps.Deps) and, for the tour, `tours` (tour/book.Tours). Bolt
hands a context value to any listener argument of the same name, so a test calls a listener
with a fake ack, respond and client and the values of its own (tests/unit/slack/).
"""

from __future__ import annotations

from slack_bolt import App

from bot.surfaces.slack.listeners import actions, assistant, commands, home, maps, tour, views


def register_listeners(app: App) -> None:
    # In this order: Bolt runs the first listener that matches a request.
    for surface in (home, assistant, commands, actions, views, tour, maps):
        surface.register(app)
