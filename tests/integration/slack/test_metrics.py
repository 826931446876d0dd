"""/metrics scraped over real HTTP from a real server after signed events: answers by kind,
language and outcome, latency, Slack API calls by method and status, retries, dedupe hits; and
JSON log lines carrying the answer's correlation id.

A server of this module's own, so the counters move only with what these tests send.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_payloads import event_body, mention, message, send_event, uid
from slack_server import Server, running_server
from slack_stand_in import StandIn

pytestmark = pytest.mark.slow

QUESTION = "What is resolution 1373 (2001) about?"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(scope="module")
def server(stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("metrics-server")
    with running_server(stand_in, tmp, PROGRAMME_BOT_LOG_FORMAT="json") as started:
        yield started


def scrape(server: Server) -> Samples:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/plain; version=")
        text = response.read().decode("utf-8")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def delta(
    before: Samples, after: Samples, name: str, labels: dict[str, str] | None = None, **more: str
) -> float:
    labels = (labels or {}) | more
    return value(after, name, **labels) - value(before, name, **labels)


def until_moved(
    server: Server, before: Samples, expected: list[tuple[str, dict[str, str], float]]
) -> Samples:
    """Scrape until every series moved by at least what is expected (an answer is counted just
    after it is posted; 👀 comes off after that), then return the samples to check exactly."""
    deadline = time.monotonic() + 30
    while True:
        after = scrape(server)
        if all(delta(before, after, n, **labels) >= d for n, labels, d in expected):
            return after
        if time.monotonic() > deadline:
            return after
        time.sleep(0.1)


def answered(kind: str, language: str, outcome: str) -> tuple[str, dict[str, str]]:
    return "programme_bot_answers_total", {"kind": kind, "language": language, "outcome": outcome}


def api(method: str, status: str) -> tuple[str, dict[str, str]]:
    return "programme_bot_slack_api_calls_total", {"method": method, "status": status}


def send(server: Server, event: dict[str, Any], retry: int | None = None) -> None:
    assert send_event(server.events, event_body(event), retry=retry).status == 200


def test_every_series_is_exposed_before_any_traffic(server: Server) -> None:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        text = response.read().decode("utf-8")
    for name, kind in (
        ("programme_bot_answers_total", "counter"),
        ("programme_bot_answer_seconds", "histogram"),
        ("programme_bot_slack_api_calls_total", "counter"),
        ("programme_bot_retries_total", "counter"),
        ("programme_bot_dedupe_hits_total", "counter"),
        ("programme_bot_pending_work", "gauge"),
        ("programme_bot_index_reloads_total", "counter"),
        ("programme_bot_index_built_at_seconds", "gauge"),
    ):
        assert f"# TYPE {name} {kind}\n" in text, name
    samples = scrape(server)
    # auth.test at start-up went through the metered client.
    assert value(samples, "programme_bot_slack_api_calls_total", method="auth.test", status="ok")
    assert value(samples, "programme_bot_index_built_at_seconds") > 1.7e9


def test_answers_are_counted_by_kind_language_and_outcome(server: Server) -> None:
    before = scrape(server)
    send(server, mention(uid("C"), QUESTION))
    send(server, mention(uid("C"), "法国的首都是哪里？"))  # not in the programme: abstains
    send(server, message(uid("D"), "选举援助的预期成果是什么？", channel_type="im"))
    expected = [
        (*answered("channel", "en", "answered"), 1),
        (*answered("channel", "zh", "abstained"), 1),
        (*answered("dm", "zh", "answered"), 1),
        ("programme_bot_answer_seconds_count", {"kind": "channel"}, 2),
        ("programme_bot_answer_seconds_count", {"kind": "dm"}, 1),
        (*api("chat.postMessage", "ok"), 3),
        (*api("reactions.add", "ok"), 3),
        (*api("reactions.remove", "ok"), 3),
    ]
    after = until_moved(server, before, expected)
    for name, labels, moved in expected:
        assert delta(before, after, name, **labels) == moved, (name, labels)
    assert delta(before, after, *answered("channel", "en", "error")) == 0
    # The histogram's buckets add up: every answer is in +Inf, and none took over a minute.
    bucket = "programme_bot_answer_seconds_bucket"
    count = value(after, "programme_bot_answer_seconds_count", kind="channel")
    assert value(after, bucket, kind="channel", le="+Inf") == count
    assert value(after, bucket, kind="channel", le="60.0") == count


def test_an_apology_counts_as_an_error_and_slack_errors_by_code(server: Server) -> None:
    before = scrape(server)
    server.stand_in.fail_next("chat.postMessage", body={"ok": False, "error": "internal_error"})
    send(server, mention(uid("C"), QUESTION))
    expected = [
        (*answered("channel", "en", "error"), 1),
        (*api("chat.postMessage", "internal_error"), 1),
        (*api("chat.postMessage", "ok"), 1),  # the apology
    ]
    after = until_moved(server, before, expected)
    for name, labels, moved in expected:
        assert delta(before, after, name, **labels) == moved, (name, labels)
    assert delta(before, after, *answered("channel", "en", "answered")) == 0


def test_a_rate_limited_call_is_retried_and_counted(server: Server) -> None:
    before = scrape(server)
    server.stand_in.fail_next(
        "chat.postMessage",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "1"},
    )
    send(server, mention(uid("C"), QUESTION))
    retried = {"operation": "chat.postMessage", "reason": "rate_limited"}
    expected = [
        (*answered("channel", "en", "answered"), 1),
        (*api("chat.postMessage", "http_429"), 1),
        (*api("chat.postMessage", "ok"), 1),
        ("programme_bot_retries_total", retried, 1),
    ]
    after = until_moved(server, before, expected)
    for name, labels, moved in expected:
        assert delta(before, after, name, **labels) == moved, (name, labels)


def test_duplicate_deliveries_and_slack_retries_are_counted(server: Server) -> None:
    before = scrape(server)
    event = mention(uid("C"), QUESTION)
    body = event_body(event)
    assert send_event(server.events, body).status == 200
    assert send_event(server.events, body).status == 200  # the same event id again
    # Slack re-sending the same event: a retry, of an event already handled.
    assert send_event(server.events, body, retry=1).status == 200
    after = scrape(server)  # counted before the ack returns
    # At least the plain duplicate (a dedupe that looks before the retry header counts both).
    assert delta(before, after, "programme_bot_dedupe_hits_total", what="event") >= 1
    redelivered = {"operation": "event_delivery", "reason": "http_timeout"}
    assert delta(before, after, "programme_bot_retries_total", **redelivered) == 1
    # One answer, and it has landed before the next test injects a fault.

    def in_thread(call: Any) -> bool:
        return call.get("thread_ts") == event["ts"]

    server.stand_in.wait_for("chat.postMessage", in_thread)
    time.sleep(1)
    assert len(server.stand_in.find("chat.postMessage", in_thread)) == 1


def test_json_log_lines_carry_the_correlation_id(server: Server) -> None:
    server.stand_in.fail_next("chat.postMessage", body={"ok": False, "error": "internal_error"})
    event = mention(uid("C"), QUESTION)
    send(server, event)
    apology = server.stand_in.wait_for(
        "chat.postMessage",
        lambda c: c.get("channel") == event["channel"] and "ref " in (c.get("text") or ""),
    )[0]
    cid = apology.get("text").split("ref ")[1].rstrip(")")
    deadline = time.monotonic() + 10
    while True:
        lines = server.log.read_text("utf-8").splitlines()
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        failed = [e for e in entries if e.get("cid") == cid and e["level"] == "error"]
        if failed or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert failed, lines[-20:]
    assert failed[0]["message"].startswith(f"answer failed cid={cid}")
    assert "SlackApiError" in failed[0]["exception"]
    assert {"ts", "level", "logger", "message", "cid"} <= set(failed[0])
    # Log lines after start-up are JSON, uvicorn's access log included.
    served = [line for line in lines if "/slack/events HTTP/1.1" in line]
    assert served and all(line.startswith("{") for line in served)
