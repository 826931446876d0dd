"""`make edge`: the Slack service as an attacker and a failing network would meet it, measured
against the real server process on loopback (REDIS_URL and DATABASE_URL on real Redis and
PostgreSQL servers, the Web API stand-in for Slack), while another channel keeps asking a
question every second (answered as Slack would have it: a 503 is delivered again).

    hostile cases tried / passed       hostile.py's catalogue (issue 15, items 1-4 and 7-10)
    5xx responses                      to any request but the deliberate 503s of a hung Redis
    tracebacks in the log              the server's whole log
    worst ack time                     of the hostile requests that were answered
    poisoned channel answers again     an unreadable event, and an unreadable recorded job,
                                       then a good question in the same channel
    ack time with Redis hung           redis-server SIGSTOPped: events (503), a command, a click
    clicks lost across a DB outage     PostgreSQL stopped for 20 s during 40 👍/👎
    ack time with PostgreSQL hung      PostgreSQL SIGSTOPped during 8 votes and a tour click
    steady channel                     questions asked meanwhile, answered exactly once

Bounded: about 300 requests, two minutes; every server stopped at the end. Usage:
    python tests/integration/slack/edge_figures.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: real_servers

from edge_faults import database_outage, hung_database, hung_redis  # noqa: E402
from hostile import Target, ask_again, catalogue, chunked_flood, run_all  # noqa: E402
from real_servers import running_postgres, running_redis  # noqa: E402
from slack_payloads import event_body, mention, send_event, uid  # noqa: E402
from slack_server import Server, running_server  # noqa: E402
from slack_stand_in import StandIn  # noqa: E402

from bot.stores.redis_client import connect  # noqa: E402
from bot.stores.work import Job  # noqa: E402
from bot.stores.work.redis import RedisWorkQueue  # noqa: E402

QUESTION = "What is resolution 1373 (2001) about?"
SLACK_RETRY_S = (1.0, 5.0, 10.0)  # Slack re-delivers a failed event about this often


class SteadyChannel:
    """A channel asking a question every second, re-delivering what got no 200, like Slack."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.channel = uid("C")
        self.events: list[dict[str, Any]] = []
        self.acks_s: list[float] = []
        self.redelivered = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SteadyChannel:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            body = event_body(mention(self.channel, QUESTION))
            self.events.append(body["event"])
            threading.Thread(target=self._deliver, args=(body,), daemon=True).start()

    def _deliver(self, body: dict[str, Any]) -> None:
        for attempt, wait in enumerate((0.0, *SLACK_RETRY_S)):
            time.sleep(wait)
            try:
                reply = send_event(self.server.events, body, retry=attempt or None)
            except OSError:
                self.redelivered += 1
                continue
            self.acks_s.append(reply.seconds)
            if reply.status == 200:
                return
            self.redelivered += 1

    def answered(self, timeout: float = 60.0) -> tuple[int, int]:
        """(answered exactly once, answered more than once)."""
        deadline = time.monotonic() + timeout
        stand_in = self.server.stand_in
        while time.monotonic() < deadline:
            if all(stand_in.replies(self.channel, e["ts"]) for e in self.events):
                break
            time.sleep(0.2)
        time.sleep(1.0)
        counts = [len(stand_in.replies(self.channel, e["ts"])) for e in self.events]
        return counts.count(1), sum(1 for c in counts if c > 1)


def poisoned_job_recovery(server: Server, redis_url: str) -> float | None:
    """A job no version of intake would pass, recorded in the shared store as an older version
    might have: the same channel's next question, seconds until answered."""
    channel = uid("C")
    queue = RedisWorkQueue(connect(redis_url))
    try:
        bad = {"event": {"type": "app_mention", "channel": channel, "ts": "1.2", "text": None}}
        queue.admit(Job(uid("Ev"), channel, "event", bad))
    finally:
        queue.close()
    return ask_again(Target(server.url, server.stand_in), channel)


def rss_mib(server: Server) -> float:
    with open(f"/proc/{server.process.pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def measure(root: Path) -> dict[str, Any]:
    stand_in = StandIn().start()
    figures: dict[str, Any] = {}
    try:
        with running_redis(root / "redis") as redis, running_postgres() as postgres:
            env = {"REDIS_URL": redis.url, "DATABASE_URL": postgres.url}
            (root / "server").mkdir()
            with running_server(stand_in, root / "server", **env) as server:
                target = Target(server.url, stand_in)
                with SteadyChannel(server) as steady:
                    say(f"· {len(catalogue())} hostile cases…")
                    outcomes = run_all(target)
                    figures["cases"] = [o.__dict__ for o in outcomes]
                    say("· poisoned channels…")
                    recoveries = [ask_again(target, c) for c in target.poisoned[:5]]
                    recoveries.append(poisoned_job_recovery(server, redis.url))
                    figures["recovery_s"] = recoveries
                    before = rss_mib(server)
                    for _ in range(3):
                        chunked_flood(target, megabytes=50)
                    figures["rss_growth_mib"] = round(rss_mib(server) - before, 1)
                    say("· Redis hung…")
                    figures["hung_redis"] = hung_redis(server, redis).__dict__
                    say("· PostgreSQL stopped for 20 s during 40 clicks…")
                    figures["db_outage"] = database_outage(server, postgres).__dict__
                    say("· PostgreSQL hung…")
                    figures["hung_db"] = hung_database(server, postgres).__dict__
                once, twice = steady.answered()
                figures["steady"] = {
                    "worst_ack_s": max(steady.acks_s, default=0.0),
                    "asked": len(steady.events),
                    "answered_once": once,
                    "duplicates": twice,
                    "redelivered": steady.redelivered,
                }
                log = server.log.read_text()
                figures["tracebacks"] = log.count("Traceback")
                figures["log_lines"] = len(log.splitlines())
    finally:
        stand_in.stop()
    return figures


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(f: dict[str, Any]) -> str:
    cases = f["cases"]
    passed = [c for c in cases if c["passed"]]
    answered = [c for c in cases if c["timed"] and c["status"] is not None]
    worst = max(answered, key=lambda c: c["seconds"])
    fault_statuses = f["db_outage"]["statuses"] + f["hung_db"]["statuses"]
    fives = [c for c in cases if (c["status"] or 0) >= 500] + [
        s for s in fault_statuses if s >= 500
    ]
    recovery = [r for r in f["recovery_s"] if r is not None]
    redis, outage, hung_db, steady = f["hung_redis"], f["db_outage"], f["hung_db"], f["steady"]
    health_status, health_s = redis["notes"]["healthz"]
    rows = [
        ("hostile cases tried", f"{len(cases)}"),
        ("hostile cases passed", f"{len(passed)}"),
        ("5xx responses (0)", f"{len(fives)}"),
        ("tracebacks in the log (0)", f"{f['tracebacks']} ({f['log_lines']} lines, -v)"),
        ("worst ack time", f"{worst['seconds']:.3f} s ({worst['name']})"),
        (
            "poisoned channel answers again (≤ 5 s)",
            f"{max(recovery):.2f} s worst of {len(f['recovery_s'])}"
            + (f", {len(f['recovery_s']) - len(recovery)} never" if len(recovery) < 6 else ""),
        ),
        (
            "ack time with Redis hung (≤ 1 s)",
            f"{redis_worst(redis):.3f} s worst of {len(redis['acks_s'])} "
            f"(events 503, then answered once: {redis['notes']['answered_once']}/5; "
            f"/healthz {health_status} in {health_s:.3f} s)",
        ),
        (
            "feedback clicks lost across a 20 s DB outage (0)",
            f"{outage['notes']['lost']} of 40 ({outage['notes']['stored']} stored, "
            f"{outage['notes']['distinct']} distinct; worst ack {max(outage['acks_s']):.3f} s, "
            f"{outage['late_modals']} modals late)",
        ),
        (
            "ack time with PostgreSQL hung (≤ 1 s)",
            f"{max(hung_db['acks_s']):.3f} s worst of {len(hung_db['acks_s'])} "
            f"({hung_db['late_modals']} modals late, {hung_db['notes']['lost']} votes lost)",
        ),
        ("RSS after three 50 MB chunked bodies", f"{f['rss_growth_mib']:+.1f} MiB"),
        (
            "steady channel meanwhile",
            f"{steady['answered_once']}/{steady['asked']} answered once, "
            f"{steady['duplicates']} twice, {steady['redelivered']} re-delivered after a 503, "
            f"worst ack {steady['worst_ack_s']:.3f} s",
        ),
    ]
    failed = [c for c in cases if not c["passed"]]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += [
        f"  FAILED item {c['item']}: {c['name']} ({c['status']}, {c['detail']})" for c in failed
    ]
    return "\n".join(lines)


def redis_worst(redis: dict[str, Any]) -> float:
    health_s = redis["notes"]["healthz"][1]
    return max([*redis["acks_s"], health_s])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="edge-") as tmp:
        figures = measure(Path(tmp))
    print(json.dumps(figures, ensure_ascii=False) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
