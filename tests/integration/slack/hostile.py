"""Hostile requests, as an attacker (or a broken proxy) would send them, against the real server
process: the catalogue test_edge.py asserts on and `make edge` (edge_figures.py) counts.

Each case sends one thing over real HTTP (a raw socket where urllib would refuse to: non-Latin
header bytes, chunked bodies, trickled headers) and says whether the server answered as it
must. Items refer to the numbered failures of issue 15:

  1 malformed timestamps and signatures: 401, no traceback
  2 bodies past 1 MB (declared, chunked, lying): 413 before they are read
  3 trickled headers or body, clients that vanish mid-body: closed, 408, nothing logged
  4 signed events that cannot be read (text null, ts missing, event a string…): 200, not a job
  7 retry headers nobody signed: 200, no new metric series
  8 signed interactions that cannot be read (actions [], action_id a number…): 200
  9 signed payloads for another workspace or app: 200, nothing done
 10 /metrics on the Slack port: not there

and the classes of issue 23:

 21 signed envelopes with a field of the wrong type where Bolt reads it (an event type that is a
    list, ids that are numbers, authorizations of numbers, a reaction's channel, a view without
    its type), and two different Content-Type headers: 200 (or 400), never a 5xx
 22 signed payloads with no workspace, or a foreign one behind a null authorisation: ignored
 25 a token carried in a payload (never used), an assistant thread with a null or missing
    context (greeted), response_urls off Slack's hooks host (never posted to)

(23, bounded work per question, 24, a poison vote, and the restart are measured against the
server as a whole: test_edge.py, edge_faults.py, edge_figures.py.)

Nothing here depends on pytest.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from slack_payloads import (
    BOT_TOKEN,
    block_action,
    command_form,
    event_body,
    mention,
    message,
    message_ts,
    signed_headers,
    uid,
    view_submission,
)
from slack_stand_in import StandIn

from bot.surfaces.slack.views import blocks as B
from bot.surfaces.slack.views import home as H
from bot.surfaces.slack.views import tour as T

READ_TIMEOUT_S = 15.0
CLOSED = None  # the server closed the connection without an answer


@dataclass
class Target:
    url: str  # http://127.0.0.1:<port>
    stand_in: StandIn
    poisoned: list[str] = field(default_factory=list)  # channels sent unreadable events
    foreign: list[str] = field(default_factory=list)  # channels sent events for others
    elsewhere: StandIn | None = None  # a listener response_urls must never reach (item 25)

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        return parts.hostname or "127.0.0.1", parts.port or 80


@dataclass
class Outcome:
    item: int
    name: str
    status: int | None
    seconds: float  # until the answer (or the close)
    passed: bool
    detail: str = ""
    timed: bool = True  # an ack time: False for cases that are slow on purpose


@dataclass(frozen=True)
class Case:
    item: int
    name: str
    run: Callable[[Target], tuple[int | None, float, bool, str]]
    timed: bool = True

    def __call__(self, target: Target) -> Outcome:
        try:
            status, seconds, passed, detail = self.run(target)
        except Exception as exc:  # the case itself broke: a failure, with why
            problem = f"{type(exc).__name__}: {exc}"
            return Outcome(self.item, self.name, None, 0.0, False, problem, self.timed)
        return Outcome(self.item, self.name, status, seconds, passed, detail, self.timed)


# ----------------------------------------------------------------------------- raw HTTP


def raw_exchange(
    target: Target, head: bytes, body: bytes = b"", timeout: float = READ_TIMEOUT_S
) -> tuple[int | None, float]:
    """Send `head` (request line and headers, without the blank line) and `body`; the status
    of the answer (None when the connection was closed first) and how long it took."""
    started = time.perf_counter()
    with socket.create_connection(target.address, timeout=timeout) as conn:
        with contextlib.suppress(OSError):  # refused mid-send (too large): what did it say?
            conn.sendall(head + b"\r\n\r\n" + body)
        return _status(conn), time.perf_counter() - started


def _status(conn: socket.socket) -> int | None:
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return CLOSED
            data += chunk
    except OSError:
        return CLOSED
    parts = data.split(b"\r\n", 1)[0].split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else CLOSED


def head_of(path: str, headers: dict[str, str | bytes], method: str = "POST") -> bytes:
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: 127.0.0.1"]
    for name, value in headers.items():
        raw = value if isinstance(value, bytes) else value.encode("latin-1")
        lines.append(name.encode("ascii") + b": " + raw)
    return b"\r\n".join(lines)


def send_signed(
    target: Target,
    body: str,
    content_type: str = "application/json",
    edit: Callable[[dict[str, str | bytes]], None] | None = None,
) -> tuple[int | None, float]:
    headers: dict[str, str | bytes] = dict(signed_headers(body, content_type=content_type))
    if edit:
        edit(headers)
    data = body.encode("utf-8")
    headers["Content-Length"] = str(len(data))
    return raw_exchange(target, head_of("/slack/events", headers), data)


def expect(statuses: set[int | None]) -> Callable[[tuple[int | None, float]], tuple]:
    def judge(result: tuple[int | None, float]) -> tuple[int | None, float, bool, str]:
        status, seconds = result
        return status, seconds, status in statuses, f"expected {sorted(map(str, statuses))}"

    return judge


# ----------------------------------------------------------------------------- 1: headers


def _with_headers(timestamp: str | bytes | None, signature: str | bytes | None) -> Callable:
    def edit(headers: dict[str, str | bytes]) -> None:
        if timestamp is not None:
            headers["X-Slack-Request-Timestamp"] = timestamp
        if signature is not None:
            headers["X-Slack-Signature"] = signature

    return edit


def _header_case(name: str, timestamp: Any, signature: Any) -> Case:
    def run(target: Target) -> tuple:
        body = json.dumps(event_body(mention(uid("C"), "a question nobody may log")))
        return expect({401})(send_signed(target, body, edit=_with_headers(timestamp, signature)))

    return Case(1, name, run)


def header_cases() -> list[Case]:
    stamps: list[tuple[str, Any]] = [
        ("superscript timestamp", "²³".encode()),
        ("superscript timestamp (latin-1)", "²³"),
        ("arabic-indic timestamp", "١٧٠٠٠٠٠٠٠٠".encode()),
        ("5,000-digit timestamp", "1" * 5000),
        ("13-digit timestamp", "9" * 13),
        ("negative timestamp", "-1700000000"),
        ("float timestamp", "1700000000.5"),
        ("spaced timestamp", " 1700000000"),
        ("hex timestamp", "0x65000000"),
        ("empty timestamp", ""),
        ("stale timestamp", "1000000000"),
    ]
    signatures: list[tuple[str, Any]] = [
        ("superscript signature", "v0=²".encode()),
        ("latin-1 signature", "v0=" + "é" * 64),
        ("short signature", "v0=abc"),
        ("uppercase signature", "v0=" + "A" * 64),
        ("v1 signature", "v1=" + "0" * 64),
        ("10 KB signature", "v0=" + "0" * 10_000),
        ("wrong signature", "v0=" + "0" * 64),
    ]
    return [_header_case(n, t, None) for n, t in stamps] + [
        _header_case(n, None, s) for n, s in signatures
    ]


# ----------------------------------------------------------------------------- 2, 3: bodies


def _declared_too_large(target: Target) -> tuple:
    head = head_of(
        "/slack/events", {"Content-Type": "application/json", "Content-Length": "2000000"}
    )
    return expect({413})(raw_exchange(target, head, b"{"))


def chunked_flood(target: Target, megabytes: int = 50) -> tuple[int | None, float]:
    """`megabytes` of chunked body, no Content-Length: refused as it passes 1 MB."""
    head = head_of(
        "/slack/events", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    )
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    started = time.perf_counter()
    with socket.create_connection(target.address, timeout=READ_TIMEOUT_S) as conn:
        try:
            conn.sendall(head + b"\r\n\r\n")
            for _ in range(megabytes * 16):
                conn.sendall(chunk)
            conn.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server stopped reading and closed: what did it say first?
        return _status(conn), time.perf_counter() - started


def _chunked(target: Target) -> tuple:
    return expect({413, CLOSED})(chunked_flood(target))


def _lying_length(target: Target) -> tuple:
    # Declares 10 bytes, sends 2 MB: the rest is a second "request" of junk on the connection.
    head = head_of("/slack/events", {"Content-Type": "application/json", "Content-Length": "10"})
    return expect({401, 400, CLOSED})(raw_exchange(target, head, b"x" * 2_000_000))


def _just_over(target: Target) -> tuple:
    body = '{"type": "event_callback", "pad": "' + "x" * 1_000_000 + '"}'
    return expect({413})(send_signed(target, body))


def trickle(target: Target, head: bytes, every_s: float = 1.0, for_s: float = 20.0) -> float:
    """Send `head` a byte every `every_s`; seconds until the server closed the connection
    (for_s when it never did)."""
    started = time.perf_counter()
    with socket.create_connection(target.address, timeout=READ_TIMEOUT_S) as conn:
        for byte in head:
            if time.perf_counter() - started > for_s:
                break
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return time.perf_counter() - started
            conn.settimeout(every_s)
            try:
                if conn.recv(4096) == b"":
                    return time.perf_counter() - started
            except TimeoutError:
                continue
            except OSError:
                return time.perf_counter() - started
    return for_s


def _slow_headers(target: Target) -> tuple:
    seconds = trickle(target, head_of("/slack/events", {"X-Padding": "y" * 200}), every_s=0.5)
    return None, seconds, seconds < 10, "closed within 10 s"


def _slow_body(target: Target) -> tuple:
    head = head_of("/slack/events", {"Content-Type": "application/json", "Content-Length": "500"})
    return expect({408, CLOSED})(raw_exchange(target, head, b'{"type": '))


def _vanishing(target: Target) -> tuple:
    started = time.perf_counter()
    for _ in range(20):
        with socket.create_connection(target.address, timeout=5) as conn:
            head = head_of(
                "/slack/events", {"Content-Type": "application/json", "Content-Length": "900"}
            )
            conn.sendall(head + b"\r\n\r\n" + b'{"type": "event_')
    status = healthz(target)
    return status, time.perf_counter() - started, status == 200, "still healthy"


def _junk_line(target: Target) -> tuple:
    return expect({400, CLOSED})(raw_exchange(target, b"\x16\x03\x01\x00\xa5 junk", b""))


def body_cases() -> list[Case]:
    return [
        Case(2, "declared 2 MB", _declared_too_large),
        Case(2, "chunked 50 MB, no length", _chunked),
        Case(2, "1 MB + 40 bytes, signed", _just_over),
        Case(2, "length says 10, sends 2 MB", _lying_length),
        Case(3, "headers a byte at a time", _slow_headers, timed=False),
        Case(3, "body that stops arriving", _slow_body, timed=False),
        Case(3, "20 clients gone mid-body", _vanishing, timed=False),
        Case(3, "TLS hello on plain HTTP", _junk_line),
    ]


def healthz(target: Target) -> int | None:
    status, _ = raw_exchange(target, head_of("/healthz", {}, method="GET"), timeout=5)
    return status


# ----------------------------------------------------------------------------- 4: events

QUESTION = "What is resolution 1373 (2001) about?"


def _event_case(name: str, edit: Callable[[dict[str, Any]], Any], item: int = 4) -> Case:
    """A mention in a channel of its own, made unreadable (item 4) or foreign (item 9) by
    `edit` (on the whole body); the channel is remembered, to check nothing was posted there."""

    def run(target: Target) -> tuple:
        channel = uid("C")
        (target.poisoned if item in (4, 21) else target.foreign).append(channel)
        body = event_body(mention(channel, QUESTION))
        edit(body)
        return expect({200})(send_signed(target, json.dumps(body)))

    return Case(item, name, run)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = body
        for part in parents:
            node = node[part]
        node[last] = value

    return edit


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def edit(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = body
        for part in parents:
            node = node[part]
        del node[last]

    return edit


def event_cases() -> list[Case]:
    return [
        _event_case("text null", _set("event.text", None)),
        _event_case("text a number", _set("event.text", 12345)),
        _event_case("text a list", _set("event.text", ["What", "is", "1373?"])),
        _event_case("text an object", _set("event.text", {"q": QUESTION})),
        _event_case("text 50,000 characters", _set("event.text", "x" * 50_000)),
        _event_case("ts missing", _drop("event.ts")),
        _event_case("ts a number", _set("event.ts", 1700000000.1)),
        _event_case("ts not a timestamp", _set("event.ts", "yesterday")),
        _event_case("thread_ts a list", _set("event.thread_ts", ["1.2"])),
        _event_case("user a number", _set("event.user", 42)),
        _event_case("user an object", _set("event.user", {"id": "U1"})),
        _event_case("channel null", _set("event.channel", None)),
        _event_case("channel with spaces", _set("event.channel", "C1 C2")),
        _event_case("event a string", _set("event", "app_mention")),
        _event_case("event a list", _set("event", [])),
        _event_case("event null", _set("event", None)),
        _event_case("event type a number", _set("event.type", 7)),
        _event_case("event_id a number", _set("event_id", 123)),
        _event_case("event_id 5,000 characters", _set("event_id", "E" * 5000)),
        _event_case("team_id an object", _set("team_id", {"id": "T1"})),
        _event_case("authorizations a string", _set("authorizations", "all")),
        _event_case("type a list", _set("type", ["event_callback"])),
        _event_case("home tab, user null", _set("event", {"type": "app_home_opened"})),
        _event_case(
            "assistant thread without a thread",
            _set("event", {"type": "assistant_thread_started", "assistant_thread": "x"}),
        ),
        _event_case(
            "assistant context a string",
            _set(
                "event",
                {
                    "type": "assistant_thread_started",
                    "assistant_thread": {"channel_id": "D1", "thread_ts": "1.2", "context": "x"},
                },
            ),
        ),
    ] + [
        Case(4, f"JSON {kind}", _json_case(raw))
        for kind, raw in [("list", "[1, 2]"), ("string", '"x"'), ("null", "null"), ("number", "7")]
    ]


def _json_case(raw: str) -> Callable[[Target], tuple]:
    def run(target: Target) -> tuple:
        return expect({200})(send_signed(target, raw))

    return run


# ----------------------------------------------------------------------------- 7: retries


def _chatter(target: Target) -> str:
    """A signed event that asks nothing (top-level channel chatter): acked and dropped."""
    return json.dumps(event_body(message(uid("C"), "chatter, not for the bot")))


def _retry_case(name: str, number: str | bytes, reason: str | bytes) -> Case:
    def run(target: Target) -> tuple:
        def edit(headers: dict[str, str | bytes]) -> None:
            headers["X-Slack-Retry-Num"] = number
            headers["X-Slack-Retry-Reason"] = reason

        return expect({200})(send_signed(target, _chatter(target), edit=edit))

    return Case(7, name, run)


def retry_cases() -> list[Case]:
    return [
        _retry_case("retry number ²", "²".encode(), "http_timeout"),
        _retry_case("retry number 5,000 digits", "9" * 5000, "http_timeout"),
        _retry_case("retry number -1", "-1", "http_timeout"),
        _retry_case("retry reason 4 KB", "1", "r" * 4096),
        _retry_case("retry reason with markup", "1", '"} evil{label="x'),
        _retry_case("retry reason latin-1", "1", "é".encode("latin-1")),
    ]


def distinct_retry_reasons(target: Target, count: int = 200) -> list[int | None]:
    """`count` deliveries, each with a reason never seen before."""
    statuses = []
    for i in range(count):

        def edit(headers: dict[str, str | bytes], i: int = i) -> None:
            headers["X-Slack-Retry-Num"] = "1"
            headers["X-Slack-Retry-Reason"] = f"made_up_reason_{i}"

        statuses.append(send_signed(target, _chatter(target), edit=edit)[0])
    return statuses


# ----------------------------------------------------------------------------- 8: interactions


def _form_payload(payload: Any) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _click(target: Target, action_id: str = B.FEEDBACK_UP, value: str = "x") -> dict[str, Any]:
    form = block_action(action_id, value, uid("C"), target.stand_in.response_url(uid("r")))
    return json.loads(dict(_parse_form(form))["payload"])


def _parse_form(form: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(form, keep_blank_values=True)


def _interaction_case(
    name: str, edit: Callable[[dict[str, Any]], Any], action_id: str = B.FEEDBACK_UP
) -> Case:
    def run(target: Target) -> tuple:
        payload = _click(target, action_id)
        edit(payload)
        form = _form_payload(payload)
        return expect({200})(send_signed(target, form, "application/x-www-form-urlencoded"))

    return Case(8, name, run)


def _quiz(value: str, action_id: str = f"{T.QUIZ_ANSWER}:1") -> Callable[[dict], None]:
    return _set("actions", [{"type": "button", "action_id": action_id, "value": value}])


def _submission_case(name: str, edit: Callable[[dict[str, Any]], Any]) -> Case:
    def run(target: Target) -> tuple:
        form = view_submission(B.FEEDBACK_MODAL, "1", {})
        payload = json.loads(dict(_parse_form(form))["payload"])
        edit(payload)
        body = _form_payload(payload)
        return expect({200})(send_signed(target, body, "application/x-www-form-urlencoded"))

    return Case(8, name, run)


def _command_case(name: str, edit: Callable[[dict[str, str]], Any]) -> Case:
    def run(target: Target) -> tuple:
        fields = dict(
            _parse_form(
                command_form("/programme", QUESTION, uid("C"), target.stand_in.response_url("c"))
            )
        )
        edit(fields)
        form = urlencode(fields)
        return expect({200})(send_signed(target, form, "application/x-www-form-urlencoded"))

    return Case(8, name, run)


def interaction_cases() -> list[Case]:
    cases = [
        _interaction_case("actions []", _set("actions", [])),
        _interaction_case("actions [null]", _set("actions", [None])),
        _interaction_case("actions a string", _set("actions", "click")),
        _interaction_case("actions an object", _set("actions", {"action_id": "x"})),
        _interaction_case("action_id a number", _set("actions", [{"action_id": 7}])),
        _interaction_case(
            "action_id 5,000 characters", _set("actions", [{"action_id": "a" * 5000}])
        ),
        _interaction_case("unknown action_id", _set("actions", [{"action_id": "nobody_handles"}])),
        _interaction_case(
            "vote value null", _set("actions", [{"action_id": B.FEEDBACK_UP, "value": None}])
        ),
        _interaction_case(
            "vote value a list", _set("actions", [{"action_id": B.FEEDBACK_DOWN, "value": [1]}])
        ),
        _interaction_case("user missing", _drop("user")),
        _interaction_case("user a string", _set("user", "U1")),
        _interaction_case("user id null", _set("user", {"id": None})),
        _interaction_case("response_url missing", _drop("response_url")),
        _interaction_case("response_url a number", _set("response_url", 5)),
        _interaction_case("response_url not a URL", _set("response_url", "file:///etc/passwd")),
        _interaction_case("trigger_id a list", _set("trigger_id", ["t"])),
        _interaction_case("channel a number", _set("channel", 5)),
        _interaction_case("container a string", _set("container", "message")),
        _interaction_case("message ts a number", _set("message", {"ts": 5})),
        _interaction_case("team a list", _set("team", ["T1"])),
        _interaction_case("type a number", _set("type", 1)),
        _interaction_case("unknown type", _set("type", "nonsense")),
        _interaction_case("quiz position ²", _quiz("3:en:0123456789ab:²:1")),
        _interaction_case(
            "quiz position 5,000 digits", _quiz("3:en:0123456789ab:" + "9" * 5000 + ":1")
        ),
        _interaction_case("quiz subprogramme ³", _quiz("³:en:0123456789ab:0:1")),
        _interaction_case("tour step ²", _quiz("3:en:²", f"{T.TOUR_NAV}:next")),
        _interaction_case(
            "tour step 5,000 digits", _quiz("3:en:" + "9" * 5000, f"{T.TOUR_NAV}:next")
        ),
        _interaction_case("passage value junk", _quiz("²:x", B.SHOW_PASSAGE)),
        _interaction_case("whole card value in Arabic-Indic digits", _quiz("٣" * 32, B.WHOLE_CARD)),
        _interaction_case("whole card value 2,000 hex digits", _quiz("a" * 2000, B.WHOLE_CARD)),
        _interaction_case(
            "whole card value a number", _set("actions", [{"action_id": B.WHOLE_CARD, "value": 7}])
        ),
        _interaction_case("home language junk", _quiz("klingon", f"{H.HOME_LANGUAGE}:fr")),
        _interaction_case("French tour pick ³", _quiz("³:fr", f"{T.TOUR_PICK}:fr")),
        _interaction_case("map subprogramme ²", _quiz("²:en", T.MAP_SHOW)),
        _interaction_case(
            "map label a number", _set("actions", [{"action_id": T.MAP_SHOW, "text": 5}])
        ),
        _interaction_case(
            "prompt without a channel",
            lambda p: p.pop("channel") and p.pop("container"),
            f"{B.ASK_PROMPT}:0",
        ),
        _submission_case("view null", _set("view", None)),
        _submission_case("view a string", _set("view", "modal")),
        _submission_case("private_metadata a number", _set("view.private_metadata", 5)),
        _submission_case("private_metadata ²", _set("view.private_metadata", "²")),
        _submission_case(
            "private_metadata 5,000 digits", _set("view.private_metadata", "9" * 5000)
        ),
        _submission_case("state values a list", _set("view.state", {"values": []})),
        _submission_case(
            "reason a number", _set("view.state", {"values": {"b": {"a": {"value": 5}}}})
        ),
        _command_case("command without a user", lambda f: f.pop("user_id")),
        _command_case("command without a response_url", lambda f: f.pop("response_url")),
        _command_case("command response_url not a URL", lambda f: f.update(response_url="x")),
        _command_case("unknown command", lambda f: f.update(command="/nobody")),
        _command_case("command name junk", lambda f: f.update(command="programme;rm")),
        Case(8, "payload not JSON", _not_json),
    ]
    return cases


def _not_json(target: Target) -> tuple:
    form = urlencode({"payload": "{not json"})
    return expect({400})(send_signed(target, form, "application/x-www-form-urlencoded"))


# ----------------------------------------------------------------------------- 9: installation

OTHER_TEAM, OTHER_APP = "T0THER0001", "A0THER0001"


def _foreign_command(target: Target) -> tuple:
    hook = uid("foreign")
    fields = dict(
        _parse_form(
            command_form("/programme", QUESTION, uid("C"), target.stand_in.response_url(hook))
        )
    )
    fields["team_id"] = OTHER_TEAM
    status, seconds = send_signed(target, urlencode(fields), "application/x-www-form-urlencoded")
    time.sleep(1.0)
    answered = target.stand_in.find("response", lambda c: c.path.endswith(hook))
    return status, seconds, status == 200 and not answered, "acked, never answered"


def _foreign_click(target: Target) -> tuple:
    payload = _click(target, f"{B.ASK_PROMPT}:0", QUESTION)
    payload["api_app_id"] = OTHER_APP
    channel = payload["channel"]["id"]
    target.foreign.append(channel)
    body = _form_payload(payload)
    return expect({200})(send_signed(target, body, "application/x-www-form-urlencoded"))


def installation_cases() -> list[Case]:
    def other_team(body: dict[str, Any]) -> None:
        body["team_id"] = OTHER_TEAM
        body["authorizations"][0]["team_id"] = OTHER_TEAM

    return [
        _event_case("event from another workspace", other_team, item=9),
        _event_case("event for another app", _set("api_app_id", OTHER_APP), item=9),
        Case(9, "command from another workspace", _foreign_command, timed=False),
        Case(9, "starter button of another app", _foreign_click),
    ]


# ----------------------------------------------------------------------------- 10: metrics


def _metrics_on_slack_port(target: Target) -> tuple:
    try:
        with urllib.request.urlopen(target.url + "/metrics", timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, 0.0, status == 404, "not served on the Slack port"


def _healthz_without_version(target: Target) -> tuple:
    with urllib.request.urlopen(target.url + "/healthz", timeout=5) as response:
        body = json.loads(response.read())
    return response.status, 0.0, "version" not in body, "no version in /healthz"


def exposure_cases() -> list[Case]:
    return [
        Case(10, "GET /metrics on the Slack port", _metrics_on_slack_port),
        Case(10, "/healthz shows no version", _healthz_without_version),
    ]


# ----------------------------------------------------------------------------- 21: types


def _reaction(channel: Any, item_channel: Any) -> dict[str, Any]:
    return {
        "type": "reaction_added",
        "user": "UHUMAN0001",
        "reaction": "eyes",
        "item": {"type": "message", "channel": item_channel, "ts": "1700000000.000100"},
        "channel": channel,
    }


def type_cases() -> list[Case]:
    events = [
        ("event type a list", _set("event.type", ["app_mention"])),
        ("event type an object", _set("event.type", {"name": "app_mention"})),
        ("envelope user a number", _set("user", 42)),
        ("envelope channel a number", _set("channel", 42)),
        ("envelope team_id a number", _set("team_id", 42)),
        ("envelope enterprise a number", _set("enterprise", 42)),
        ("envelope enterprise_id a list", _set("enterprise_id", ["E1"])),
        ("api_app_id a number", _set("api_app_id", 42)),
        ("event team a number", _set("event.team", 42)),
        ("event user_team a number", _set("event.user_team", 42)),
        ("event channel a number", _set("event.channel", 42)),
        ("event channel_type a number", _set("event.channel_type", 42)),
        ("event subtype a list", _set("event.subtype", ["bot_message"])),
        ("event bot_id a number", _set("event.bot_id", 42)),
        ("event thread_ts an object", _set("event.thread_ts", {"ts": "1.2"})),
        ("event message a string", _set("event.message", "edited")),
        ("event previous_message a number", _set("event.previous_message", 7)),
        ("authorizations a number", _set("authorizations", 42)),
        ("authorizations [1, 2]", _set("authorizations", [1, 2])),
        ("authorizations [{team_id: 5}]", _set("authorizations", [{"team_id": 5}])),
        (
            "authorization is_enterprise_install a dict",
            _set("authorizations", [{"team_id": "T0000TEAM1", "is_enterprise_install": {}}]),
        ),  # noqa: E501
        ("reaction_added with a numeric channel", _set("event", _reaction(42, "C1"))),
        ("reaction_added with a numeric item channel", _set("event", _reaction("C1", 42))),
        (
            "reaction_added with an item that is a string",
            lambda b: b.update(event={**_reaction("C1", "C1"), "item": "message"}),
        ),  # noqa: E501
        ("view.app_installed_team_id a number", _set("view", {"app_installed_team_id": 5})),
        ("response_urls a number", _set("response_urls", 5)),
    ]
    interactions = [
        ("click enterprise a number", _set("enterprise", 42)),
        ("click enterprise an object with a numeric id", _set("enterprise", {"id": 42})),
        ("click team a number", _set("team", 42)),
        ("click user team_id a number", _set("user", {"id": "UHUMAN0001", "team_id": 42})),
        ("click channel id a number", _set("channel", {"id": 42})),
        ("click message a string", _set("message", "x")),
        ("click is_enterprise_install a list", _set("authorizations", [[]])),
        ("click response_urls [5]", _set("response_urls", [5])),
    ]
    submissions = [
        ("view without a type", _drop("view.type")),
        ("view type a number", _set("view.type", 5)),
        ("view team_id a number", _set("view.team_id", 5)),
        ("response_urls of numbers", _set("response_urls", [1, 2])),
    ]
    return (
        [_event_case(name, edit, item=21) for name, edit in events]
        + [_typed_click(name, edit) for name, edit in interactions]
        + [_typed_submission(name, edit) for name, edit in submissions]
        + [
            Case(21, "two Content-Types, form then JSON", _two_content_types(False)),
            Case(21, "two Content-Types, JSON then form", _two_content_types(True)),
            Case(21, "the same Content-Type twice", _same_content_type_twice),
            Case(21, "Content-Type in capitals", _content_type_in_capitals),
        ]
    )


def _typed_click(name: str, edit: Callable[[dict[str, Any]], Any]) -> Case:
    case = _interaction_case(name, edit)
    return Case(21, case.name, case.run)


def _typed_submission(name: str, edit: Callable[[dict[str, Any]], Any]) -> Case:
    case = _submission_case(name, edit)
    return Case(21, case.name, case.run)


def _command_with_content_types(
    target: Target, types: list[str], hook: str
) -> tuple[int | None, float]:
    form = command_form("/programme", QUESTION, uid("C"), target.stand_in.response_url(hook))
    headers = signed_headers(form, content_type="application/x-www-form-urlencoded")
    lines = [b"POST /slack/events HTTP/1.1", b"Host: 127.0.0.1"]
    for name, value in headers.items():
        if name.lower() != "content-type":
            lines.append(f"{name}: {value}".encode("latin-1"))
    lines += [f"Content-Type: {kind}".encode() for kind in types]
    data = form.encode("utf-8")
    lines.append(f"Content-Length: {len(data)}".encode())
    return raw_exchange(target, b"\r\n".join(lines), data)


def _two_content_types(json_first: bool) -> Callable[[Target], tuple]:
    """Headers are not signed: a captured command replayed with a second Content-Type. Read one
    way by the gate and another by Bolt, it was a 500; now it is refused, and not answered."""

    def run(target: Target) -> tuple:
        hook = uid("ctype")
        form, json_ = "application/x-www-form-urlencoded", "application/json"
        types = [json_, form] if json_first else [form, json_]
        status, seconds = _command_with_content_types(target, types, hook)
        time.sleep(0.5)
        answered = target.stand_in.find("response", lambda c: c.path.endswith(hook))
        return status, seconds, status == 400 and not answered, "400, never answered"

    return run


def _same_content_type_twice(target: Target) -> tuple:
    form = "application/x-www-form-urlencoded"
    return expect({200})(_command_with_content_types(target, [form, form], uid("ctype")))


def _content_type_in_capitals(target: Target) -> tuple:
    body = json.dumps(event_body(message(uid("C"), "chatter, not for the bot")))
    return expect({200})(send_signed(target, body, content_type="Application/JSON"))


# ----------------------------------------------------------------------------- 22: workspace


def installation_gap_cases() -> list[Case]:
    """Issue 23, class 2: the workspace check failed open where no team could be compared."""

    def null_authorisation(body: dict[str, Any]) -> None:
        body["team_id"] = OTHER_TEAM
        body["authorizations"][0]["team_id"] = None

    def authorisation_without_team(body: dict[str, Any]) -> None:
        body["team_id"] = OTHER_TEAM
        del body["authorizations"][0]["team_id"]

    def nothing(body: dict[str, Any]) -> None:
        for key in ("team_id", "authorizations", "api_app_id"):
            del body[key]

    def enterprise_only(body: dict[str, Any]) -> None:
        del body["team_id"], body["authorizations"]
        body["enterprise_id"] = "E0THER0001"

    def empty_authorisations(body: dict[str, Any]) -> None:
        body["team_id"] = OTHER_TEAM
        body["authorizations"] = []

    return [
        _event_case("another team, its authorisation's team null", null_authorisation, 22),
        _event_case(
            "another team, its authorisation without a team", authorisation_without_team, 22
        ),  # noqa: E501
        _event_case("no team, no authorisations, no app", nothing, 22),
        _event_case("no app id", _drop("api_app_id"), 22),
        _event_case("an enterprise and no team", enterprise_only, 22),
        _event_case("another team, no authorisations", empty_authorisations, 22),
        Case(22, "starter button of another workspace", _foreign_team_click),
        Case(22, "starter button with no team at all", _teamless_click),
        Case(22, "command with no team", _teamless_command, timed=False),
        Case(22, "command with no app", _appless_command, timed=False),
    ]


def _starter_click(target: Target, edit: Callable[[dict[str, Any]], Any]) -> tuple:
    payload = _click(target, f"{B.ASK_PROMPT}:0", QUESTION)
    edit(payload)
    target.foreign.append(payload["channel"]["id"])
    body = _form_payload(payload)
    return expect({200})(send_signed(target, body, "application/x-www-form-urlencoded"))


def _foreign_team_click(target: Target) -> tuple:
    return _starter_click(target, lambda p: p.update(team={"id": OTHER_TEAM}))


def _teamless_click(target: Target) -> tuple:
    def edit(payload: dict[str, Any]) -> None:
        payload["team"] = None
        payload["user"] = {"id": payload["user"]["id"]}

    return _starter_click(target, edit)


def _command_without(target: Target, field_name: str) -> tuple:
    hook = uid("foreign")
    fields = dict(
        _parse_form(
            command_form("/programme", QUESTION, uid("C"), target.stand_in.response_url(hook))
        )
    )
    del fields[field_name]
    status, seconds = send_signed(target, urlencode(fields), "application/x-www-form-urlencoded")
    time.sleep(1.0)
    answered = target.stand_in.find("response", lambda c: c.path.endswith(hook))
    return status, seconds, status == 200 and not answered, "acked, never answered"


def _teamless_command(target: Target) -> tuple:
    return _command_without(target, "team_id")


def _appless_command(target: Target) -> tuple:
    return _command_without(target, "api_app_id")


# ----------------------------------------------------------------------------- 25: smaller gaps

FOREIGN_TOKEN = "xoxb-9999-8888-notthebotstoken"


def _payload_token(target: Target) -> tuple:
    """An event carrying a function's bot_access_token: the bot publishes Home with its own."""
    user = uid("U")
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": uid("D"),
        "tab": "home",
        "function_execution_id": uid("Fx"),
        "bot_access_token": FOREIGN_TOKEN,
    }
    body = event_body(event)
    body["function_execution_id"] = event["function_execution_id"]
    body["bot_access_token"] = FOREIGN_TOKEN
    status, seconds = send_signed(target, json.dumps(body))
    published = target.stand_in.wait_for(
        "views.publish", lambda c: c.get("user_id") == user, timeout=10
    )
    ours = [c.token for c in published] == [BOT_TOKEN]
    used = [c for c in target.stand_in.calls if c.token == FOREIGN_TOKEN]
    return status, seconds, status == 200 and ours and not used, "published with its own token"


def _assistant_context(context: Any) -> Callable[[Target], tuple]:
    def run(target: Target) -> tuple:
        channel, thread = uid("D"), message_ts()
        started: dict[str, Any] = {"channel_id": channel, "thread_ts": thread}
        if context != "missing":
            started["context"] = context
        body = event_body({"type": "assistant_thread_started", "assistant_thread": started})
        status, seconds = send_signed(target, json.dumps(body))
        greeted = target.stand_in.wait_for(
            "chat.postMessage",
            lambda c: c.get("channel") == channel and c.get("thread_ts") == thread,
            timeout=10,
        )
        prompts = target.stand_in.wait_for(
            "assistant.threads.setSuggestedPrompts",
            lambda c: c.get("channel_id") == channel,
            timeout=10,
        )
        ok = status == 200 and len(greeted) == 1 and len(prompts) == 1
        return status, seconds, ok, "greeted, with the suggested prompts"

    return run


def _off_hooks(where: Callable[[Target], str]) -> Callable[[Target], tuple]:
    """A command and a click whose response_url is not on Slack's hooks host: acked, and
    nothing is ever posted there."""

    def run(target: Target) -> tuple:
        url = where(target)
        form = command_form("/programme", QUESTION, uid("C"), url)
        status, seconds = send_signed(target, form, "application/x-www-form-urlencoded")
        click = _click(target, B.SHOW_PASSAGE, "2.4")
        click["response_url"] = url
        clicked, _ = send_signed(target, _form_payload(click), "application/x-www-form-urlencoded")
        time.sleep(1.0)
        hit = [c for c in target.stand_in.calls if not c.path.startswith(STAND_IN_PATHS)]
        if target.elsewhere:
            hit += target.elsewhere.calls
        ok = status == clicked == 200 and not hit
        return status, seconds, ok, "acked, nothing posted off the hooks host"

    return run


STAND_IN_PATHS = ("/api/", "/response/", "/upload/")


def gap_cases() -> list[Case]:
    def loopback_elsewhere(target: Target) -> str:
        return (target.elsewhere.url if target.elsewhere else target.stand_in.url) + "/hook/x"

    return [
        Case(25, "a function's bot_access_token in the payload", _payload_token, timed=False),
        Case(25, "assistant thread, context null", _assistant_context(None), timed=False),
        Case(25, "assistant thread, no context", _assistant_context("missing"), timed=False),
        Case(25, "assistant thread, empty context", _assistant_context({}), timed=False),
        Case(
            25,
            "response_url on the stand-in's host, off its hooks path",
            _off_hooks(lambda t: t.stand_in.url + "/elsewhere/x"),
            timed=False,
        ),
        Case(
            25, "response_url on another loopback port", _off_hooks(loopback_elsewhere), timed=False
        ),  # noqa: E501
        Case(
            25,
            "response_url on a private address",
            _off_hooks(lambda t: "http://10.255.255.1/hooks/x"),
            timed=False,
        ),
        Case(
            25,
            "response_url on a look-alike host",
            _off_hooks(lambda t: "https://hooks.slack.com.example.org/commands/x"),
            timed=False,
        ),
        Case(
            25,
            "response_url with credentials",
            _off_hooks(lambda t: t.stand_in.hooks_url.replace("//", "//u:p@") + "x"),
            timed=False,
        ),
    ]


def catalogue() -> list[Case]:
    return [
        *header_cases(),
        *body_cases(),
        *event_cases(),
        *retry_cases(),
        *interaction_cases(),
        *installation_cases(),
        *exposure_cases(),
        *type_cases(),
        *installation_gap_cases(),
        *gap_cases(),
    ]


def run_all(target: Target, cases: list[Case] | None = None) -> list[Outcome]:
    return [case(target) for case in (cases or catalogue())]


def first_answer_after(
    stand_in: StandIn, channel: str, thread_ts: str, since: float, timeout: float = 30.0
) -> float | None:
    """Seconds from `since` (monotonic) to the first post in the thread, None if none came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = stand_in.find(
            "chat.postMessage",
            lambda c: c.get("channel") == channel and c.get("thread_ts") == thread_ts,
        )
        if found:
            return found[0].at - since
        time.sleep(0.05)
    return None


def ask_again(target: Target, channel: str) -> float | None:
    """A good question in `channel`: seconds until it is answered (None: not within 30 s)."""
    event = mention(channel, QUESTION)
    sent = time.monotonic()
    status, _ = send_signed(target, json.dumps(event_body(event)))
    if status != 200:
        return None
    return first_answer_after(target.stand_in, channel, event["ts"], sent)
