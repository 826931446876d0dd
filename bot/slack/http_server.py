"""HTTP mode: Bolt behind uvicorn (an ASGI server) through Bolt's Starlette adapter.

Why uvicorn + Starlette rather than gunicorn + WSGI: the pipeline (model + index, ~5–10 s to
load, a few hundred MB) must live once in one process with the worker threads that use it.
uvicorn serves one process with graceful shutdown, keep-alive and HTTP/1.1 done properly, and the
async front end takes any number of slow connections without tying up a thread each.
Bolt's dispatch is synchronous, so it runs in the thread pool (run_in_threadpool), never on the
event loop.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from types import FrameType

import anyio.to_thread
import uvicorn
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import __version__, metrics

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"  # Prometheus; bind to loopback or firewall it like /healthz
MAX_BODY_BYTES = 1_000_000  # Slack payloads are a few KB; refuse anything absurd before reading
DISPATCH_THREADS = 100  # concurrent requests in Bolt's dispatch (each returns as soon as acked)


def build_asgi(app: App) -> Starlette:
    async def slack_events(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def metrics_endpoint(request: Request) -> Response:
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    async def healthz(request: Request) -> Response:
        # Serving at all means the model and index are loaded: they load before the socket opens.
        return JSONResponse({"ok": True, "version": __version__})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = DISPATCH_THREADS
        yield

    return Starlette(
        routes=[
            Route(EVENTS_PATH, slack_events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
            Route(METRICS_PATH, metrics_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def run_http(app: App, host: str, port: int) -> None:
    config = uvicorn.Config(
        build_asgi(app),
        host=host,
        port=port,
        log_config=None,  # keep our logging setup (and its secret redaction)
        access_log=True,
        server_header=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal to the handler
    # that was in place before it started. With the default one that kills the process before
    # the answer workers have drained; this one lets serve() finish and exit 0.
    previous = {sig: signal.signal(sig, _stopped) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        uvicorn.Server(config).run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stopped(signum: int, frame: FrameType | None) -> None:
    logger.info("stopped by signal %d", signum)
