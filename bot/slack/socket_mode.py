"""Socket Mode: Slack pushes events over a WebSocket the app opens; no public URL needed.

Uses slack_sdk's built-in WebSocket client (no extra dependency). Runs until SIGINT/SIGTERM.
"""

from __future__ import annotations

import logging
import signal
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

logger = logging.getLogger(__name__)


def run_socket_mode(app: App, app_token: str) -> None:
    handler = SocketModeHandler(app, app_token=app_token)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    handler.connect()
    logger.info("connected to Slack over Socket Mode")
    stop.wait()
    logger.info("closing the Socket Mode connection")
    handler.close()
