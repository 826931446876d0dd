"""`programme-bot serve`: check credentials and stores, verify the token, load the pipeline
once, resume pending work, serve.

The Slack stack (slack_bolt, uvicorn, the payload models: ~0.5 s) is imported inside the
functions that need it, once the configuration is known to be good: a bad one fails at once, and
other commands of the CLI never load it.

Order matters: anything that can be wrong with the configuration or the files is found before
the 5–10 s model load (one line, exit 2: a supervisor does not loop on a traceback), and the
socket opens only once answers can be computed (so /healthz = ready).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.ops.logs import install_redaction, keep_content_out, use_json_lines
from bot.settings import get_settings
from bot.stores.feedback import FeedbackUnavailable
from bot.surfaces.slack.transport.config import api_base_url, credentials_problem, secrets

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.surfaces.slack.runtime.deps import Stores

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
    if not settings.log_content:
        keep_content_out()

    from bot.stores.sqlite_db import StoreError
    from bot.surfaces.slack.runtime.deps import Stores
    from bot.surfaces.slack.runtime.metrics_server import MetricsUnavailable, serve_metrics

    try:  # feedback is data: a damaged file stops here, before the model load
        stores = Stores.open(settings)
    except (StoreError, FeedbackUnavailable) as exc:
        return _fail(str(exc))
    try:
        stop_metrics = serve_metrics(settings.metrics_addr) if settings.metrics_addr else None
    except MetricsUnavailable as exc:
        stores.close()
        return _fail(str(exc))
    if settings.metrics_addr:
        progress("Metrics on http://{}:{}/metrics".format(*settings.metrics_addr))
    try:
        return _serve(settings, stores, socket_mode, host, port, progress)
    finally:
        stores.close()
        if stop_metrics:
            stop_metrics()


def _serve(
    settings: Settings,
    stores: Stores,
    socket_mode: bool,
    host: str,
    port: int,
    progress: Callable[[str], None],
) -> int:
    from bot.surfaces.slack.app import create_app, web_client

    try:  # a revoked or mistyped token is reported now, not after loading the model
        identity = web_client(settings).auth_test()
    except SlackApiError as exc:
        return _fail(f"SLACK_BOT_TOKEN was rejected by Slack: {exc.response.get('error')}")
    except OSError as exc:
        return _fail(f"cannot reach the Slack Web API: {exc}")
    progress(f"Slack: signed in as {identity.get('user')} in {identity.get('team')}")

    from bot.ops import metrics
    from bot.ops.reload import IndexWatcher
    from bot.pipeline import Pipeline
    from bot.surfaces.slack.runtime.deps import Deps
    from bot.surfaces.slack.runtime.dispatcher import Dispatcher
    from bot.surfaces.slack.runtime.jobs import run_job
    from bot.surfaces.slack.runtime.lanes import Lanes
    from bot.surfaces.slack.runtime.outbox import Courier
    from bot.surfaces.slack.transport.calls import SlackCalls, web_client_without_retries
    from bot.surfaces.slack.transport.intake import Installation

    pipeline = Pipeline.load(settings=settings, progress=progress)
    lanes = Lanes(pipeline, settings.answer_deadline_s)
    calls = SlackCalls(
        web_client_without_retries(
            settings.slack_bot_token,
            api_base_url(settings) or "https://slack.com/api/",
            settings.slack_timeout,
        ),
        cooldowns=stores.cooldowns,
    )
    deps = Deps(
        settings=settings,
        answerer=lanes,
        state=stores.state,
        feedback=stores.feedback,
        work=stores.work,
        calls=calls,
        bot_user_id=str(identity.get("user_id") or ""),
        installation=Installation.of(
            identity, settings.slack_team_id, settings.slack_app_id, settings.slack_hooks_url
        ),
    )
    dispatcher = Dispatcher(deps.work, lambda job: run_job(deps, job), settings.slack_workers)
    deps.wake_workers = dispatcher.wake
    courier = Courier(deps.state, deps.feedback).start()  # feedback left in the outbox, too
    deps.wake_courier = courier.wake
    app = create_app(deps, socket_mode=socket_mode)
    dispatcher.start()  # resumes work a crash left pending
    metrics.track_pending(deps.work.pending)
    watcher = IndexWatcher(pipeline, lanes.swap, settings.index_reload_s).start()
    try:
        if socket_mode:
            from bot.surfaces.slack.transport.socket_mode import run_socket_mode

            progress("Serving over Socket Mode (Ctrl-C to stop)")
            run_socket_mode(app, settings.slack_app_token, deps.installation)
        else:
            from bot.surfaces.slack.http_server import run_http

            progress(f"Serving Slack events on http://{host}:{port}/slack/events")
            run_http(app, deps, host, port)
    finally:
        watcher.stop()
        dispatcher.stop()
        courier.stop()
        lanes.close()
    return 0
