"""HTTP mode: Bolt behind uvicorn (an ASGI server) through Bolt's Starlette adapter.

Why uvicorn + Starlette rather than gunicorn + WSGI: the pipeline (model + index, ~5–10 s to
load, a few hundred MB) must live once in one process with the worker threads that use it.
uvicorn serves one process with graceful shutdown, keep-alive and HTTP/1.1 done properly, and the
async front end takes any number of slow connections without tying up a thread each.
Bolt's dispatch is synchronous, so it runs in the thread pool (run_in_threadpool), never on the
event loop.

Every request's signature and timestamp are checked here, before anything parses its body:
unsigned, malformed or stale requests cost one HMAC and a 401, with at most one log line every
few seconds, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import time
from collections.abc import AsyncIterator
from types import FrameType

import anyio.to_thread
import uvicorn
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.ops import metrics
from bot.ops.logs import Throttled
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.transport.http_body import BodyRefused, read_body
from bot.surfaces.slack.transport.http_protocol import HeaderDeadlineProtocol
from bot.surfaces.slack.transport.intake import NotJson, admit, for_bolt, parse_body
from bot.surfaces.slack.transport.payloads import Unreadable

logger = logging.getLogger(__name__)
_rejected = Throttled(logger, every_s=10.0)
_ignored = Throttled(logger, every_s=10.0)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are a few KB; refuse anything absurd before reading
DISPATCH_THREADS = 100  # concurrent requests in Bolt's dispatch (each returns as soon as acked)
MAX_CLOCK_SKEW_S = 5 * 60  # Slack's advice: older requests may be replays
# ASCII digits only, and few of them: str.isdigit() also accepts "²³" (int() then fails) and
# any number of digits (a 5,000-digit timestamp breaks int() or the arithmetic).
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")  # hmac.compare_digest refuses non-ASCII text


def signature_problem(
    verifier: SignatureVerifier,
    body: bytes,
    timestamp: str,
    signature: str,
    now: float | None = None,
) -> str | None:
    """Why a request is not from Slack (None when it is), without parsing its body."""
    if not _TIMESTAMP.fullmatch(timestamp):
        return "no or malformed timestamp"
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_CLOCK_SKEW_S:
        return "stale timestamp"
    if not _SIGNATURE.fullmatch(signature):
        return "no or malformed signature"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if not verifier.is_valid(text, timestamp, signature):
        return "bad signature"
    return None


# The only headers Bolt and the middleware read; each is taken once, here.
BOLT_HEADERS = ("content-type", "x-slack-retry-num", "x-slack-retry-reason")


def headers_for_bolt(headers: Headers) -> dict[str, list[str]]:
    """The headers Bolt is given: one value each. Headers are not signed, so a captured request
    replayed with a second, different Content-Type must not be parsed one way here and another
    way by Bolt: such a request is refused (NotJson: 400; Slack never sends one)."""
    chosen: dict[str, list[str]] = {}
    for name in BOLT_HEADERS:
        values = headers.getlist(name)
        if name == "content-type":  # the media type alone, as both parsers compare it
            values = [v.split(";")[0].strip().lower() for v in values]
        if len(set(values)) > 1:
            raise NotJson(f"conflicting {name} headers")
        if values:
            chosen[name] = [values[0]]
    return chosen


def build_asgi(app: App, deps: Deps) -> Starlette:
    verifier = SignatureVerifier(deps.settings.slack_signing_secret)

    async def slack_events(request: Request) -> Response:
        try:
            body = await read_body(request, MAX_BODY_BYTES)
        except BodyRefused as refused:
            if refused.status != 400:  # a client that went away hears nothing anyway
                client = request.client.host if request.client else "?"
                _rejected.warning("refused a body from %s: %s", client, refused.reason)
            # Closed after the reply: the rest of a refused body is never read.
            return PlainTextResponse(
                refused.reason, status_code=refused.status, headers={"connection": "close"}
            )
        problem = signature_problem(
            verifier,
            body,
            request.headers.get("x-slack-request-timestamp", ""),
            request.headers.get("x-slack-signature", ""),
        )
        if problem:
            client = request.client.host if request.client else "?"
            _rejected.warning("rejected a request from %s: %s (401)", client, problem)
            return PlainTextResponse("invalid request", status_code=401)
        try:
            headers = headers_for_bolt(request.headers)
            content_type = headers.get("content-type", [""])[0]
            raw = for_bolt(body.decode("utf-8"), content_type)
            admit(parse_body(raw, content_type), deps.installation)
        except NotJson as exc:  # signed, yet not a Slack payload at all (Slack never sends it)
            _rejected.warning("unreadable signed request: %s (400)", exc)
            return PlainTextResponse("unreadable request", status_code=400)
        except Unreadable as exc:  # Slack needs its 200 either way; nothing runs
            metrics.ignored(exc.kind)
            _ignored.warning("ignored a signed request: %s", exc.reason)
            return PlainTextResponse("", status_code=200)
        # Bolt gets the body and the headers exactly as they were read here: the same
        # content type, so it parses what was validated (Bolt's own adapter would hand it
        # every header, and its parser takes the last Content-Type where this took the first).
        bolt_request = BoltRequest(body=raw, query=request.url.query, headers=headers)
        bolt_response = await run_in_threadpool(app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:
        # Serving at all means the model and index are loaded: they load before the socket opens.
        # Not ready when acked work could not be recorded (disk full, file locked).
        writable = await run_in_threadpool(deps.work.writable)
        # No version: it would tell anyone on the public port which fixes this build lacks.
        body = {"ok": writable, "state_store": "ok" if writable else "not writable"}
        return JSONResponse(body, status_code=200 if writable else 503)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = DISPATCH_THREADS
        yield

    return Starlette(
        routes=[
            Route(EVENTS_PATH, slack_events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


class _QuietRejections(logging.Filter):
    """No access-log line per rejected request: junk gets the throttled line above instead
    (200 unsigned requests must not write 200 lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (len(args) >= 5 and args[4] in (400, 401, 408, 413))


class _ThrottledProtocolWarnings(logging.Filter):
    """uvicorn warns once per malformed request line or unsupported upgrade: junk traffic would
    write a line each; one every few seconds says the same."""

    NOISY = ("Invalid HTTP request received.", "Unsupported upgrade request.")

    def __init__(self) -> None:
        super().__init__()
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message not in self.NOISY:
            return True
        now = time.monotonic()
        if now - self._last.get(message, -1e9) < 10.0:
            return False
        self._last[message] = now
        return True


def run_http(app: App, deps: Deps, host: str, port: int) -> None:
    logging.getLogger("uvicorn.access").addFilter(_QuietRejections())
    logging.getLogger("uvicorn.error").addFilter(_ThrottledProtocolWarnings())
    config = uvicorn.Config(
        build_asgi(app, deps),
        host=host,
        port=port,
        log_config=None,  # keep our logging setup (and its secret redaction)
        access_log=True,
        server_header=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
        http=HeaderDeadlineProtocol,  # slow or unfinished headers: the connection is closed
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
