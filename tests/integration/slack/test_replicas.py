"""Several real server processes on one real Redis (REDIS_URL), behind one Slack app: each event
and its retry reach different replicas in any order and are answered once; a replica killed
with SIGKILL after acking a burst leaves nothing unanswered; Redis restarting mid-run costs
no crash, and answers resume."""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fault_figures import QUESTIONS, _replies, _wait_answered
from real_servers import RedisServer, free_port, running_redis
from slack_payloads import event_body, mention, send_event, uid
from slack_server import Server, running_server, slack_env
from slack_stand_in import StandIn
from test_faults import _health
from test_restarts import _start_up_refusal

pytestmark = pytest.mark.slow

RECLAIM_S = "4"  # a replica's work is taken over 4 s after it stopped touching it


def _answered_once(stand_in: StandIn, events: list[dict[str, Any]]) -> None:
    counts = [_replies(stand_in, e) for e in events]
    assert counts.count(0) == 0, f"{counts.count(0)} of {len(events)} never answered"
    assert max(counts) == 1, f"{sum(c > 1 for c in counts)} answered more than once"


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def replicas(
    stand_in: StandIn, redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    env = {"REDIS_URL": redis.url, "PROGRAMME_BOT_REDIS_RECLAIM_S": RECLAIM_S}
    with (
        running_server(stand_in, tmp_path_factory.mktemp("replica-a"), **env) as a,
        running_server(stand_in, tmp_path_factory.mktemp("replica-b"), **env) as b,
    ):
        yield a, b


def test_each_event_and_its_retry_on_two_replicas_is_answered_once(
    stand_in: StandIn, replicas: tuple[Server, Server]
) -> None:
    a, b = replicas
    channels = [uid("C") for _ in range(6)]
    events = [mention(channels[i % 6], QUESTIONS[i % 4]) for i in range(30)]
    deliveries = []
    for i, event in enumerate(events):
        event_id = uid("Ev")
        first, other = (a, b) if i % 2 else (b, a)
        pair = [(first, event, event_id, None), (other, event, event_id, 1)]
        random.shuffle(pair)  # the retry may even arrive first
        deliveries += pair
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(
            pool.map(
                lambda d: send_event(d[0].events, event_body(d[1], event_id=d[2]), d[3]).status,
                deliveries,
            )
        )
    assert statuses == [200] * len(deliveries)
    _wait_answered(stand_in, events, timeout=90)
    _answered_once(stand_in, events)
    for server in replicas:  # both did some of the work, and dropped the other deliveries
        log = server.log.read_text()
        assert "answered channel=" in log and "ignored duplicate event" in log


def test_a_replica_killed_after_acking_a_burst_leaves_it_to_the_other(
    stand_in: StandIn, redis: RedisServer, replicas: tuple[Server, Server], tmp_path: Path
) -> None:
    env = {"REDIS_URL": redis.url, "PROGRAMME_BOT_REDIS_RECLAIM_S": RECLAIM_S}
    events = [mention(uid("C"), QUESTIONS[i % 4]) for i in range(24)]
    with running_server(stand_in, tmp_path, **env) as victim:
        with ThreadPoolExecutor(max_workers=12) as pool:
            replies = list(pool.map(lambda e: send_event(victim.events, event_body(e)), events))
        assert [r.status for r in replies] == [200] * len(events)
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait(timeout=10)
        before = sum(1 for e in events if _replies(stand_in, e))
    _wait_answered(stand_in, events, timeout=90)
    _answered_once(stand_in, events)
    assert before < len(events)  # the kill really left work behind
    took_over = "".join(s.log.read_text() for s in replicas)
    assert "from a replica that stopped" in took_over
    print(f"\nanswered before the kill: {before}/{len(events)}; after: {len(events)}")


def test_redis_restarting_mid_run_costs_no_crash_and_answers_resume(
    stand_in: StandIn, redis: RedisServer, replicas: tuple[Server, Server]
) -> None:
    a, b = replicas
    before = [mention(uid("C"), QUESTIONS[i % 4]) for i in range(8)]
    for i, event in enumerate(before):
        assert send_event((a, b)[i % 2].events, event_body(event)).status == 200
    redis.stop()  # mid-run: some of those are being answered
    try:
        status, body = _health(a)
        assert status == 503 and body["state_store"] == "not writable"
        during = [mention(uid("C"), QUESTIONS[0]) for _ in range(4)]
        ids = [uid("Ev") for _ in during]
        for event, event_id in zip(during, ids, strict=True):  # not acked: Slack retries
            assert send_event(b.events, event_body(event, event_id=event_id)).status == 503
    finally:
        redis.start()
    assert _health(a)[0] == _health(b)[0] == 200
    for event, event_id in zip(during, ids, strict=True):
        assert send_event(a.events, event_body(event, event_id=event_id), retry=1).status == 200
    after = [mention(uid("C"), QUESTIONS[i % 4]) for i in range(4)]
    for i, event in enumerate(after):
        assert send_event((a, b)[i % 2].events, event_body(event)).status == 200
    _wait_answered(stand_in, before + during + after, timeout=90)
    _answered_once(stand_in, before + during + after)
    assert a.process.poll() is None and b.process.poll() is None
    for server in (a, b):
        assert "Traceback" not in server.log.read_text()


def test_an_unreachable_redis_stops_start_up_with_one_line(
    stand_in: StandIn, tmp_path: Path
) -> None:
    nobody = f"redis://:secret-password@127.0.0.1:{free_port()}/0"
    lines = _start_up_refusal(slack_env(stand_in, tmp_path, REDIS_URL=nobody))
    assert len(lines) == 1 and "cannot reach Redis at redis://127.0.0.1:" in lines[0], lines
    assert "secret-password" not in lines[0]
