"""The Redis stores (REDIS_URL) against a real redis-server: the WorkQueue contract across
replicas (each RedisWorkQueue is one replica), reclaiming a stopped replica's work, the thread
state, shared rate limits, and Redis going away and coming back. No Slack server here
(two real server processes on one Redis: test_replicas.py)."""

from __future__ import annotations

import time

import pytest
from real_servers import RedisServer
from test_stores import ANSWER

from bot.stores.redis_client import connect
from bot.stores.state.redis import RedisCooldowns, RedisSlackState
from bot.stores.work import Job, StoreUnavailable
from bot.stores.work import redis as redis_queue
from bot.stores.work.redis import RedisWorkQueue

RECLAIM_S = 0.4


def _job(job_id: str, lane: str) -> Job:
    return Job(job_id, lane, "event", {"event": {"channel": lane}})


@pytest.fixture()
def replicas(redis_server: RedisServer):
    queues = [RedisWorkQueue(connect(redis_server.url), RECLAIM_S) for _ in range(2)]
    yield queues
    for queue in queues:
        queue.close()


def test_an_event_is_admitted_once_whichever_replica_sees_it(replicas) -> None:
    a, b = replicas
    assert a.admit(_job("Ev1", "C1"))
    assert not b.admit(_job("Ev1", "C1"))  # the retry, delivered to the other replica
    assert b.seen("Ev1") and not b.seen("Ev2") and a.seen("Ev2")
    assert a.pending() == b.pending() == 1
    taken = a.take(10) + b.take(10)
    assert [j.id for j in taken] == ["Ev1"]


def test_a_lane_runs_in_order_across_replicas(replicas) -> None:
    a, b = replicas
    for job_id, lane in [("a1", "A"), ("a2", "A"), ("b1", "B")]:
        a.admit(_job(job_id, lane))
    [first] = a.take(1)  # a reads a1 only
    assert first.id == "a1"
    later_ones = b.take(10)  # b reads a2 and b1: a2 must wait for a1
    assert [j.id for j in later_ones] == ["b1"]
    first.progress = {"reply": "kept"}
    a.later(first, time.time() + 60)  # a1 waits (Retry-After): a2 still may not run
    assert b.take(10) == [] and a.take(10) == []
    a.later(first, time.time())
    [again] = a.take(10)
    assert again.progress == {"reply": "kept"} and again.attempts == 2
    a.done(again)
    time.sleep(0.25)  # b looks at a job queued behind another replica's head every 0.2 s
    assert [j.id for j in b.take(10)] == ["a2"]


def test_work_held_by_a_stopped_replica_is_taken_over_after_the_timeout(
    redis_server: RedisServer, replicas
) -> None:
    survivor, _ = replicas
    dead = RedisWorkQueue(connect(redis_server.url), RECLAIM_S)
    for i in range(5):
        dead.admit(_job(f"Ev{i}", f"C{i}"))
    taken = dead.take(10)
    assert len(taken) == 5
    taken[0].progress = {"posted": "answer"}
    dead.save_progress(taken[0])
    dead._stop.set()  # it stops touching its entries, as a killed process would
    assert survivor.take(10) == []  # held, and not yet idle for long
    time.sleep(RECLAIM_S * 1.5)
    resumed = survivor.take(10)
    assert sorted(j.id for j in resumed) == [f"Ev{i}" for i in range(5)]
    assert {j.id: j.progress for j in resumed}["Ev0"] == {"posted": "answer"}
    assert all(j.attempts == 2 for j in resumed)
    for job in resumed:
        survivor.done(job)
    assert survivor.pending() == 0


def _killed(queue: RedisWorkQueue) -> None:
    """As kill -9 leaves a replica: it stops saying it is alive and stops touching its work
    (in another process, which this test process stands for)."""
    queue._stop.set()
    redis_queue._HERE.discard(queue.consumer)


def test_a_killed_replicas_work_is_taken_over_within_seconds_not_after_the_idle_timeout(
    redis_server: RedisServer,
) -> None:
    """Issue 23: other replicas claim a dead consumer's work within a few seconds."""
    survivor = RedisWorkQueue(connect(redis_server.url), 60.0)  # the idle backstop: far off
    dead = RedisWorkQueue(connect(redis_server.url), 60.0)
    try:
        for i in range(5):
            dead.admit(_job(f"Ev{i}", f"C{i}"))
        assert len(dead.take(10)) == 5
        _killed(dead)
        killed_at = time.monotonic()
        assert survivor.take(10) == []  # still said to be alive
        resumed: list[Job] = []
        while len(resumed) < 5 and time.monotonic() - killed_at < 10:
            time.sleep(0.2)
            resumed += survivor.take(10)
        taken_s = time.monotonic() - killed_at
        assert sorted(j.id for j in resumed) == [f"Ev{i}" for i in range(5)]
        assert taken_s < redis_queue.ALIVE_S + 2.0, taken_s
    finally:
        survivor.close()


def test_a_restarted_replica_claims_its_earlier_selfs_work_at_once(
    redis_server: RedisServer,
) -> None:
    """The same host, a process that no longer exists: its work is claimed as the new process
    starts, before the earlier one's liveness has even lapsed."""
    before = RedisWorkQueue(connect(redis_server.url), 60.0)
    before.admit(_job("Ev1", "C1"))
    assert len(before.take(10)) == 1
    _killed(before)
    host = before.consumer.split(":")[0]
    gone = 2**22 + 12345  # above any pid this machine hands out
    client = connect(redis_server.url)
    entry = before._mine["Ev1"]
    client.xclaim(redis_queue.STREAM, redis_queue.GROUP, f"{host}:{gone}:abcdef", 0, [entry])
    client.set(redis_queue.ALIVE + f"{host}:{gone}:abcdef", "1", px=60_000)  # not lapsed
    after = RedisWorkQueue(connect(redis_server.url), 60.0)
    try:
        time.sleep(1.1)  # the claim needs the entry idle a second (one winner among replicas)
        assert after.release_abandoned() == 1
        assert [j.id for j in after.take(10)] == ["Ev1"]
    finally:
        after.close()


def test_a_live_replica_keeps_what_it_holds(replicas) -> None:
    a, b = replicas
    a.admit(_job("Ev1", "C1"))
    [held] = a.take(1)
    time.sleep(RECLAIM_S * 2.5)  # a's job runs long; a touches it meanwhile
    assert b.take(10) == [] and b.release_abandoned() == 0
    a.done(held)


def test_a_graceful_stop_gives_back_what_it_was_not_running(
    redis_server: RedisServer, replicas
) -> None:
    _, other = replicas
    stopping = RedisWorkQueue(connect(redis_server.url), 60)  # a long timeout: no reclaim
    stopping.admit(_job("a1", "A"))
    stopping.admit(_job("a2", "A"))
    [running] = stopping.take(10)  # a2 is read too, and waits behind a1
    stopping.done(running)
    stopping.close()
    assert [j.id for j in other.take(10)] == ["a2"]


def test_thread_state_answers_and_claims_are_shared(redis_server: RedisServer) -> None:
    one, two = (RedisSlackState(connect(redis_server.url)) for _ in range(2))
    assert one.claim_message("C1", "1.1", "Ev1")
    assert not two.claim_message("C1", "1.1", "Ev2")
    assert two.claim_message("C1", "1.1", "Ev1")  # Ev1 resumed on the other replica
    two.unclaim("message:C1:1.1", "Ev2")  # not its claim: no effect
    assert not one.claim_message("C1", "1.1", "Ev3")
    one.remember_thread("C1", "1.1", "channel")
    answer_id = one.save_answer(ANSWER, "C1", "U1")
    one.set_thread_answer("C1", "1.1", "channel", answer_id)
    assert two.thread_kind("C1", "1.1") == "channel" and two.thread_kind("C1", "9") is None
    assert two.previous_answer("C1", "1.1") == ANSWER
    assert two.previous_answer("C1", "1.1", max_age_s=-1) is None
    assert two.load_answer(answer_id) == ANSWER and two.load_answer("missing") is None
    assert one.first_welcome("U1") and not two.first_welcome("U1")
    one.save_tour("U1", 3, "zh", 2, None)
    position = two.tour_position("U1")
    assert position and (position.subprogramme, position.step, position.quiz_id) == (3, 2, None)
    two.end_tour("U1")
    assert one.tour_position("U1") is None


def test_a_retry_after_seen_by_one_replica_holds_back_the_others(
    redis_server: RedisServer,
) -> None:
    one, two = (RedisCooldowns(connect(redis_server.url)) for _ in range(2))
    one.hold("chat.postMessage", "C1", time.time() + 0.5)
    until = two.until("chat.postMessage", "C1")
    assert until and until > time.time()
    assert two.until("chat.postMessage", "C2") is None
    time.sleep(0.6)
    assert two.until("chat.postMessage", "C1") is None  # expired with the Retry-After


def test_redis_away_is_store_unavailable_and_work_resumes_after_it_restarts(
    redis_server: RedisServer, replicas
) -> None:
    a, _ = replicas
    a.admit(_job("Ev1", "C1"))
    redis_server.stop()
    with pytest.raises(StoreUnavailable):
        a.admit(_job("Ev2", "C1"))
    with pytest.raises(StoreUnavailable):
        a.take(5)
    assert not a.writable()
    redis_server.start()  # same port, same append-only file
    assert a.writable()
    assert a.admit(_job("Ev2", "C1"))
    assert not a.admit(_job("Ev1", "C1"))  # the dedupe survived the restart
    [job] = a.take(5)
    assert job.id == "Ev1"
