"""`programme-bot serve`: check credentials, verify the token, load the pipeline once, serve.

Order matters: anything that can be wrong with the configuration is found before the 5–10 s
model load, and the socket opens only once answers can be computed (so /healthz = ready).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.settings import get_settings
from bot.slack.config import credentials_problem, secrets
from bot.slack.feedback import FeedbackUnavailable
from bot.slack.logs import install_redaction, use_json_lines

CONFIG_ERROR = 2
logger = logging.getLogger(__name__)


def _fail(message: str) -> int:
    print(f"programme-bot serve: {message}", file=sys.stderr, flush=True)
    return CONFIG_ERROR


def serve(
    socket_mode: bool,
    host: str,
    port: int,
    progress: Callable[[str], None],
    verbose: bool = False,
) -> int:
    settings = get_settings()
    problem = credentials_problem(settings, socket_mode)
    if problem:
        return _fail(problem)
    install_redaction(secrets(settings))
    if settings.log_format == "json":
        use_json_lines()
    for name in ("bot", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.INFO)

    from bot.slack.app import create_app, web_client

    try:  # a revoked or mistyped token is reported now, not after loading the model
        identity = web_client(settings).auth_test()
    except SlackApiError as exc:
        return _fail(f"SLACK_BOT_TOKEN was rejected by Slack: {exc.response.get('error')}")
    except OSError as exc:
        return _fail(f"cannot reach the Slack Web API: {exc}")
    progress(f"Slack: signed in as {identity.get('user')} in {identity.get('team')}")

    from bot.index_reload import IndexWatcher
    from bot.pipeline import Pipeline
    from bot.slack.deps import Deps, SerialPipeline

    pipeline = Pipeline.load(settings=settings, progress=progress)
    serial = SerialPipeline(pipeline)
    try:
        deps = Deps.create(settings, serial)
    except FeedbackUnavailable as exc:
        return _fail(str(exc))
    watcher = IndexWatcher(pipeline, serial.swap, settings.index_reload_s).start()
    try:
        app = create_app(deps, socket_mode=socket_mode)
        if socket_mode:
            from bot.slack.socket_mode import run_socket_mode

            progress("Serving over Socket Mode (Ctrl-C to stop)")
            run_socket_mode(app, settings.slack_app_token)
        else:
            from bot.slack.http_server import run_http

            progress(f"Serving Slack events on http://{host}:{port}/slack/events")
            run_http(app, host, port)
    finally:
        watcher.stop()
        deps.close()
    return 0
