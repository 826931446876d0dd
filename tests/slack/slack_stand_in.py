"""A local stand-in for Slack's Web API (and for response_url webhooks), in the manner of
bolt-python's tests/mock_web_api_server: a threaded HTTP server on 127.0.0.1 that answers like
Slack and records every call, so tests assert on what the app sent.

The app is pointed at it with SLACK_API_URL=<url>/api/; response_urls in test payloads point at
<url>/response/<id>.
"""

from __future__ import annotations

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
REVOKED_MARK = "revoked"  # a bot token containing this is rejected like a revoked one


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response" for a response_url post
    params: dict[str, Any]
    path: str
    at: float = field(default_factory=time.monotonic)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


class StandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._faults: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self.socket_url: str | None = None  # what apps.connections.open hands out
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                params = _parse_body(raw, parsed.query, self.headers.get("content-type", ""))
                status, body, headers = stand_in._respond(parsed.path, params, self.headers)
                data = body.encode("utf-8")
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

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    # ------------------------------------------------------------------ faults

    def fail_next(self, method: str, status: int = 200, body: dict[str, Any] | None = None,
                  headers: dict[str, str] | None = None) -> None:
        """The next call of `method` gets this answer instead of a success."""
        with self._lock:
            self._faults.setdefault(method, []).append(
                (status, body or {"ok": False, "error": "internal_error"}, headers or {})
            )

    # ------------------------------------------------------------------ answering

    def _respond(self, path: str, params: dict[str, Any], headers: Any
                 ) -> tuple[int, str, dict[str, str]]:
        if path.startswith("/response/"):
            method = "response"
        elif path.startswith("/api/"):
            method = path[len("/api/"):]
        else:
            method = path.lstrip("/")
        auth = headers.get("authorization", "") or ""
        with self._changed:
            self.calls.append(Call(method, params, path))
            self._changed.notify_all()
            faults = self._faults.get(method)
            if faults:
                status, body, extra = faults.pop(0)
                return status, json.dumps(body), extra
        if method == "response":
            return 200, "ok", {}
        if not auth.startswith("Bearer x") or REVOKED_MARK in auth:
            return 200, json.dumps({"ok": False, "error": "invalid_auth"}), {}
        return 200, json.dumps(self._success(method, params)), {}

    def _success(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url} if self.socket_url else {
                "ok": False, "error": "no_socket_stand_in"}
        if method == "auth.test":
            return {"ok": True, "url": "https://stand-in.slack.test/", "team": "Stand-in",
                    "user": "programme-bot", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID}
        if method == "chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{int(time.time())}.{next(self._ts):06d}"}
        if method == "conversations.open":  # the app's DM with a user: one per user
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))[1:]}}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": f"V{next(self._ts):08d}"}}
        return {"ok": True}

    # ------------------------------------------------------------------ assertions

    def find(self, method: str, where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and where(c)]

    def wait_for(self, method: str, where: Callable[[Call], bool] = lambda c: True,
                 count: int = 1, timeout: float = 30.0) -> list[Call]:
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
    for key in ("blocks", "view", "prompts", "attachments"):  # form-encoded JSON fields
        value = params.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            params[key] = json.loads(value)
    return params
