"""A local stand-in for Slack's Web API (and for response_url webhooks), in the manner of
bolt-python's tests/mock_web_api_server: a threaded HTTP server on 127.0.0.1 that answers like
Slack and records every call, so tests assert on what the app sent.

The app is pointed at it with SLACK_API_URL=<url>/api/; response_urls in test payloads point at
<url>/response/<id>.

Like Slack, it keeps the messages posted (with their metadata) and returns them from
conversations.replies / conversations.history. Files go up as files_upload_v2 sends them:
files.getUploadURLExternal hands out <url>/upload/<file id>, the bytes are POSTed there, and
files.completeUploadExternal shares the file as a message (with its `files`) in the channel or
thread. Faults can be armed per method and channel: an
error status with headers (429 + Retry-After, 5xx), a connection dropped after the request was
read (carried out or not), or a hang before the response.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT0000001"
BOT_ID = "BBOT0000001"
TEAM_ID = "T0000TEAM1"
APP_ID = "A0000APP01"
REVOKED_MARK = "revoked"  # a bot token containing this is rejected like a revoked one


@dataclass
class Fault:
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without a response
    hang_s: float = 0.0  # wait this long before responding
    carried_out: bool = True  # for drop/hang: the call took effect (the message was posted)
    channel: str | None = None  # only calls for this channel

    def matches(self, params: dict[str, Any]) -> bool:
        return (
            self.channel is None
            or params.get("channel") == self.channel
            or params.get("channel_id") == self.channel
        )


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response" for a response_url post
    params: dict[str, Any]
    path: str
    at: float = field(default_factory=time.monotonic)
    token: str = ""  # the bearer token the call carried

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


class StandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._faults: dict[str, list[Fault]] = {}
        self.messages: list[dict[str, Any]] = []  # posted, as conversations.* return them
        self.files: dict[str, dict[str, Any]] = {}  # file id → name, alt_txt, data, …
        self.socket_url: str | None = None  # what apps.connections.open hands out
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def finish(self) -> None:
                with contextlib.suppress(OSError):  # a dropped connection, on purpose
                    super().finish()

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("content-length") or 0)
                data = self.rfile.read(length) if length else b""
                if parsed.path.startswith("/upload/"):  # a file's bytes (files_upload_v2)
                    params = {"file_id": parsed.path.rsplit("/", 1)[-1], "data": data}
                else:
                    raw = data.decode("utf-8")
                    params = _parse_body(raw, parsed.query, self.headers.get("content-type", ""))
                fault, status, body, headers = stand_in._respond(parsed.path, params, self.headers)
                if fault and fault.hang_s:
                    time.sleep(fault.hang_s)
                if fault and fault.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)  # the client sees the connection go away
                    return
                data = body.encode("utf-8")
                with contextlib.suppress(OSError):  # the client gave up (a hang, on purpose)
                    self._reply(status, data, headers)

            def _reply(self, status: int, data: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    @property
    def hooks_url(self) -> str:
        """What the app is told is Slack's hooks host (SLACK_HOOKS_URL): response_urls live here."""
        return self.url + "/response/"

    def response_url(self, name: str) -> str:
        return f"{self.hooks_url}{name}"

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        method: str,
        status: int = 200,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        *,
        drop: bool = False,
        hang_s: float = 0.0,
        carried_out: bool = True,
        channel: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` (in `channel`, if given) meet this fault.

        With drop or hang_s the call is carried out (or not) as Slack would, and then the
        connection is closed without a response, or the response comes late.
        """
        if drop or hang_s:
            body = None
        fault = Fault(
            status,
            body or {"ok": False, "error": "internal_error"},
            headers or {},
            drop,
            hang_s,
            carried_out,
            channel,
        )
        with self._lock:
            self._faults.setdefault(method, []).extend([fault] * times)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def replies(self, channel: str, thread_ts: str | None) -> list[dict[str, Any]]:
        """Messages posted in a thread (or at the top level when thread_ts is None)."""
        with self._lock:
            return [
                m
                for m in self.messages
                if m["channel"] == channel and m.get("thread_ts") == thread_ts
            ]

    # ------------------------------------------------------------------ answering

    def _respond(
        self, path: str, params: dict[str, Any], headers: Any
    ) -> tuple[Fault | None, int, str, dict[str, str]]:
        if path.startswith("/response/"):
            method = "response"
        elif path.startswith("/upload/"):
            method = "upload"
        elif path.startswith("/api/"):
            method = path[len("/api/") :]
        else:
            method = path.lstrip("/")
        auth = headers.get("authorization", "") or ""
        with self._changed:
            self.calls.append(Call(method, params, path, token=auth.removeprefix("Bearer ")))
            self._changed.notify_all()
            fault = next((f for f in self._faults.get(method, []) if f.matches(params)), None)
            if fault:
                self._faults[method].remove(fault)
                if not (fault.drop or fault.hang_s):
                    return fault, fault.status, json.dumps(fault.body), fault.headers
                if not fault.carried_out:
                    return fault, 200, "", {}
        if method == "response":
            return fault, 200, "ok", {}
        if method == "upload":
            with self._changed:
                found = self.files.get(params["file_id"])
                if found is None:
                    return fault, 404, "not found", {}
                found["data"] = params["data"]
            return fault, 200, f"OK - {len(params['data'])}", {}
        if not auth.startswith("Bearer x") or REVOKED_MARK in auth:
            return fault, 200, json.dumps({"ok": False, "error": "invalid_auth"}), {}
        with self._changed:
            result = self._success(method, params)
        return fault, 200, json.dumps(result), {}

    def _success(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return (
                {"ok": True, "url": self.socket_url}
                if self.socket_url
                else {"ok": False, "error": "no_socket_stand_in"}
            )
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://stand-in.slack.test/",
                "team": "Stand-in",
                "user": "programme-bot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "app_id": APP_ID,
            }
        if method == "chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            message = {
                "type": "message",
                "text": params.get("text"),
                "ts": ts,
                "bot_id": BOT_ID,
                "user": BOT_USER_ID,
            }
            if params.get("metadata"):
                message["metadata"] = params["metadata"]
            self.messages.append(
                {**message, "channel": params.get("channel"), "thread_ts": params.get("thread_ts")}
            )
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method in ("conversations.replies", "conversations.history"):
            channel = params.get("channel")
            if method == "conversations.replies":
                found = [
                    m
                    for m in self.messages
                    if m["channel"] == channel and m.get("thread_ts") == params.get("ts")
                ]
            else:
                oldest = float(params.get("oldest") or 0)
                found = [
                    m
                    for m in self.messages
                    if m["channel"] == channel
                    and not m.get("thread_ts")
                    and float(m["ts"]) >= oldest
                ]
            with_metadata = params.get("include_all_metadata") in ("true", "1", True)
            shown = [
                {
                    k: v
                    for k, v in m.items()
                    if k not in ("channel", "thread_ts") and (with_metadata or k != "metadata")
                }
                for m in found
            ]
            return {"ok": True, "messages": shown, "has_more": False}
        if method == "files.getUploadURLExternal":
            return self._upload_url(params)
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{int(time.time())}.{next(self._ts):06d}"}
        if method == "conversations.open":  # the app's DM with a user: one per user
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))[1:]}}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": f"V{next(self._ts):08d}"}}
        return {"ok": True}

    def _upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        if not str(params.get("length") or "").isdigit() or int(params["length"]) == 0:
            return {"ok": False, "error": "missing_argument"}
        if len(params.get("alt_txt") or "") > 1000:
            return {"ok": False, "error": "alt_txt_too_large"}
        file_id = f"F{next(self._ts):010d}"
        self.files[file_id] = {
            "id": file_id,
            "name": params.get("filename"),
            "alt_txt": params.get("alt_txt"),
            "length": int(params["length"]),
            "data": None,
        }
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        listed = params.get("files") or []
        found = [self.files.get(f.get("id", "")) for f in listed]
        if not listed or any(f is None or f["data"] is None for f in found):
            return {"ok": False, "error": "file_not_found"}
        shared = [
            {**f, "title": item.get("title"), "mimetype": "image/png"}  # type: ignore[dict-item]
            for f, item in zip(found, listed, strict=True)
        ]
        public = [{k: v for k, v in f.items() if k != "data"} for f in shared]
        if params.get("channel_id"):
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            self.messages.append(
                {
                    "type": "message",
                    "subtype": "file_share",
                    "text": params.get("initial_comment") or "",
                    "ts": ts,
                    "bot_id": BOT_ID,
                    "user": BOT_USER_ID,
                    "files": public,
                    "channel": params["channel_id"],
                    "thread_ts": params.get("thread_ts"),
                }
            )
        return {"ok": True, "files": public}

    def uploads(self, channel: str, thread_ts: str | None) -> list[dict[str, Any]]:
        """The files shared in a thread (or at the top level when thread_ts is None), with the
        bytes that were uploaded."""
        return [
            {**self.files[f["id"]], "title": f.get("title")}
            for m in self.replies(channel, thread_ts)
            for f in m.get("files") or []
        ]

    # ------------------------------------------------------------------ assertions

    def find(self, method: str, where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and where(c)]

    def wait_for(
        self,
        method: str,
        where: Callable[[Call], bool] = lambda c: True,
        count: int = 1,
        timeout: float = 30.0,
    ) -> list[Call]:
        """Calls of `method` matching `where`, once there are at least `count` of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and where(c)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} {method} call(s), got {len(found)} in {timeout}s"
                    )
                self._changed.wait(left)


def _parse_body(raw: str, query: str, content_type: str) -> dict[str, Any]:
    if raw.startswith("{"):
        return json.loads(raw)
    params: dict[str, Any] = dict(parse_qsl(raw or query, keep_blank_values=True))
    for key in ("blocks", "view", "prompts", "attachments", "files"):  # form-encoded JSON fields
        value = params.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            params[key] = json.loads(value)
    return params
