"""Socket Mode: Slack pushes events over a WebSocket the app opens; no public URL needed.

Uses slack_sdk's built-in WebSocket client (no extra dependency). Runs until SIGINT/SIGTERM.
Every envelope passes intake.py first, as HTTP requests do: what is malformed or for another
installation is acknowledged (so Slack does not send it again) and dropped with one line.
"""

from __future__ import annotations

import logging
import signal
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.ops import metrics
from bot.ops.logs import Throttled
from bot.surfaces.slack.transport.intake import Installation, admit
from bot.surfaces.slack.transport.payloads import Unreadable

logger = logging.getLogger(__name__)
_ignored = Throttled(logger, every_s=10.0)


class CheckedSocketModeHandler(SocketModeHandler):
    def __init__(self, app: App, app_token: str, installation: Installation) -> None:
        super().__init__(app, app_token=app_token)
        self.installation = installation

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        try:
            admit(req.payload, self.installation)
        except Unreadable as exc:
            metrics.ignored(exc.kind)
            _ignored.warning("ignored a %s envelope: %s", req.type, exc.reason)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        super().handle(client, req)  # type: ignore[arg-type]


def run_socket_mode(app: App, app_token: str, installation: Installation) -> None:
    handler = CheckedSocketModeHandler(app, app_token, installation)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    handler.connect()
    logger.info("connected to Slack over Socket Mode")
    stop.wait()
    logger.info("closing the Socket Mode connection")
    handler.close()
