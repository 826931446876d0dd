"""`make load`: a bounded loopback load test of the Slack service, as Slack would drive it.

N events/s for T s (mentions across a few dozen channels), signed, against one or two real
server processes (`python -m bot serve --http`) and the Web API stand-in; with two, they
share one real Redis (REDIS_URL). Event i goes to replica i mod n. Like Slack:
- a delivery that gets no 200 (connection refused: the replica is dead) is re-delivered to the
  other replica after a second, with X-Slack-Retry-Num;
- every tenth event is also re-delivered to the other replica (a retry after a slow ack);
- optionally one replica is killed with SIGKILL mid-run, at a moment it holds work (read from
  the Redis stream, not finished), which the other must take over.

Prints ack latency p50/p99/max (every delivery that got a response), answer latency p50/p99
(first ack to the answer posted), lost (acked, never answered), duplicated (answered more than
once), and the servers' RSS (peak sampled, and at the end). Bounded in events and time; every
server started here is stopped. Defaults are issue 9's target run:

    python tests/integration/slack/load_figures.py   # 2 replicas on Redis, 600 events/60 s,
                                                     # replica 2 killed at 30 s
    python tests/integration/slack/load_figures.py --replicas 1 --kill-at 0 --rate 5 --seconds 20
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: real_servers

from real_servers import running_redis  # noqa: E402
from slack_payloads import event_body, mention, send_event, uid  # noqa: E402
from slack_server import Server, running_server  # noqa: E402
from slack_stand_in import StandIn  # noqa: E402

from bot.stores.redis_client import connect  # noqa: E402
from bot.stores.work.redis import GROUP, STREAM  # noqa: E402

QUESTIONS = [
    "What is resolution 1373 (2001) about?",
    "Which resolutions cover Western Sahara?",
    "What does subprogramme 3 do?",
    "安理会事务次级方案的目标是什么？",
    "Which division is responsible for electoral assistance?",
    "What are the indicators for Security Council affairs?",
    "Which mandates does subprogramme 4 have?",
    "What is the objective of the question of Palestine subprogramme?",
    "How is conflict prevention measured?",
    "选举援助的预期成果是什么？",
    "What does the Middle East peace process coordinator do?",
    "Which subprogrammes cite 58/109?",
]
# Said by different people in different words, so most questions are computed, not repeated.
OPENINGS = ["", "Hi, ", "Quick one: ", "Please, ", "Hello! ", "Sorry to bother: ", "Q: "]
CHANNELS = 40
SLACK_RETRY_DELAY_S = 1.0
KILL_WAIT_S = 5.0  # for the victim to hold work (it holds some most of the time)
MAX_DRAIN_S = 240.0  # after the last event: time for the answers to land


@dataclass
class Sent:
    event: dict[str, Any]
    event_id: str
    first_ack: float | None = None  # monotonic, when the first 200 came back
    acks: list[float] = field(default_factory=list)  # seconds, every delivery that got a reply
    statuses: list[int | str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _rss_kb(pid: int) -> tuple[int, int]:
    """(current, peak) resident set of a live process, in kB; (0, 0) once it is gone."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        )
    except OSError:
        return 0, 0
    if "VmRSS" not in fields:  # killed, not yet reaped
        return 0, 0
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def _deliver(sent: Sent, server: Server, retry: int | None) -> bool:
    body = event_body(sent.event, event_id=sent.event_id)
    started = time.monotonic()
    try:
        reply = send_event(server.events, body, retry=retry)
    except OSError as exc:
        with sent.lock:
            sent.statuses.append(type(exc).__name__)
        return False
    with sent.lock:
        sent.acks.append(reply.seconds)
        sent.statuses.append(reply.status)
        if reply.status == 200 and sent.first_ack is None:
            sent.first_ack = started + reply.seconds
    return reply.status == 200


def _send(sent: Sent, i: int, servers: list[Server], retry_every: int) -> None:
    """One event as Slack sends it: to its replica; re-delivered to the other when it got no
    200, and (every retry_every-th event) re-delivered to the other anyway."""
    duplicate = bool(retry_every) and i % retry_every == 0
    first = i // retry_every if duplicate else i  # duplicates go both ways, alternately
    mine, other = servers[first % len(servers)], servers[(first + 1) % len(servers)]
    acked = _deliver(sent, mine, None)
    if not acked or duplicate:
        if not acked:
            time.sleep(SLACK_RETRY_DELAY_S)
        for attempt in (1, 2, 3):
            if _deliver(sent, other, attempt) or acked:
                break
            time.sleep(SLACK_RETRY_DELAY_S * attempt)


def _question(i: int) -> str:
    opening = OPENINGS[(i // len(QUESTIONS)) % len(OPENINGS)]
    return opening + QUESTIONS[i % len(QUESTIONS)] + " " + "?" * (i // 84 % 3)


class Killer:
    """SIGKILL a replica at a moment it holds work (a job read from the stream and not yet
    finished), so the other replica must take it over; after KILL_WAIT_S, whatever it holds."""

    def __init__(self, victim: Server, redis_url: str | None) -> None:
        self.victim = victim
        self.redis_url = redis_url
        self.killed_at: float | None = None
        self.held_at_kill = 0

    def _held(self, client: Any) -> int:
        summary = client.xpending(STREAM, GROUP)
        return sum(
            int(c["pending"])
            for c in summary.get("consumers") or []
            if f":{self.victim.process.pid}:" in c["name"]
        )

    def run(self) -> None:
        client = connect(self.redis_url) if self.redis_url else None
        deadline = time.monotonic() + KILL_WAIT_S
        while client is not None and time.monotonic() < deadline:
            self.held_at_kill = self._held(client)
            if self.held_at_kill:
                break
            time.sleep(0.002)
        self.victim.process.send_signal(signal.SIGKILL)
        self.killed_at = time.monotonic()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(args: argparse.Namespace) -> dict[str, Any]:
    stand_in = StandIn().start()
    total = int(args.rate * args.seconds)
    channels = [uid("C") for _ in range(CHANNELS)]
    sent = [Sent(mention(channels[i % CHANNELS], _question(i)), uid("Ev")) for i in range(total)]
    rss: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="load-") as tmp, contextlib.ExitStack() as stack:
        root = Path(tmp)
        env = {"PROGRAMME_BOT_REDIS_RECLAIM_S": str(args.reclaim)}
        redis = None
        if args.replicas > 1:
            redis = stack.enter_context(running_redis(root / "redis"))
            env["REDIS_URL"] = redis.url
        servers = []
        for n in range(args.replicas):
            print(f"· starting replica {n + 1}…", file=sys.stderr)
            (root / f"r{n}").mkdir()
            servers.append(stack.enter_context(running_server(stand_in, root / f"r{n}", **env)))
        watched = {f"replica {n + 1}": s.process.pid for n, s in enumerate(servers)}
        if redis is not None and redis._process is not None:
            watched["redis"] = redis._process.pid
        stop_sampling = threading.Event()

        def sample() -> None:
            while not stop_sampling.wait(0.5):
                for name, pid in watched.items():
                    current, peak = _rss_kb(pid)
                    if current:
                        rss[name] = [current, max(peak, rss.get(name, [0, 0])[1])]

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        victim = servers[-1] if args.kill_at and len(servers) > 1 else None
        print(
            f"· {total} events at {args.rate}/s over {len(servers)} replica(s)"
            + (f", SIGKILL of replica {len(servers)} at {args.kill_at:.0f} s" if victim else ""),
            file=sys.stderr,
        )
        killer = Killer(victim, env.get("REDIS_URL")) if victim else None
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=64) as pool:
            for i, item in enumerate(sent):
                time.sleep(max(0.0, started + i / args.rate - time.monotonic()))
                if killer and i == int(args.kill_at * args.rate):
                    pool.submit(killer.run)
                pool.submit(_send, item, i, servers, args.retry_every)
        sending_s = time.monotonic() - started
        killed_at = killer.killed_at - started if killer and killer.killed_at else None
        acked = [s for s in sent if s.first_ack is not None]
        deadline = time.monotonic() + MAX_DRAIN_S
        while time.monotonic() < deadline and not all(
            stand_in.replies(s.event["channel"], s.event["ts"]) for s in acked
        ):
            time.sleep(0.5)
        time.sleep(3.0)  # room for a duplicate to show up
        stop_sampling.set()
        sampler.join()
        taken_over = sum(
            int(match)
            for server in servers
            for match in re.findall(r"took over (\d+) pending job", server.log.read_text())
        )
        posts: dict[tuple[str, str], list[float]] = {}
        for call in stand_in.find("chat.postMessage"):
            key = (call.get("channel"), call.get("thread_ts"))
            posts.setdefault(key, []).append(call.at)
    stand_in.stop()
    answer_s = []
    lost = duplicated = 0
    for s in acked:
        at = posts.get((s.event["channel"], s.event["ts"]), [])
        if not at:
            lost += 1
        else:
            duplicated += len(at) > 1
            answer_s.append(min(at) - (s.first_ack or 0))
    acks = [a for s in sent for a in s.acks]
    refused = sum(1 for s in sent for st in s.statuses if not isinstance(st, int))
    return {
        "replicas": args.replicas,
        "redis": args.replicas > 1,
        "events": total,
        "rate_per_s": args.rate,
        "sending_s": round(sending_s, 1),
        "killed_at_s": round(killed_at, 1) if killed_at is not None else None,
        "deliveries": len(acks) + refused,
        "deliveries_refused": refused,
        "never_acked": total - len(acked),
        "ack_ms": {
            "p50": round(1000 * _pct(acks, 0.50), 1),
            "p99": round(1000 * _pct(acks, 0.99), 1),
            "max": round(1000 * max(acks, default=float("nan")), 1),
        },
        "answer_s": {
            "p50": round(_pct(answer_s, 0.50), 2),
            "p99": round(_pct(answer_s, 0.99), 2),
            "max": round(max(answer_s, default=float("nan")), 2),
            "mean": round(statistics.fmean(answer_s), 2) if answer_s else None,
        },
        "held_at_kill": killer.held_at_kill if killer else 0,
        "taken_over": taken_over,
        "lost": lost,
        "duplicated": duplicated,
        "rss_mb": {name: {"end": v[0] // 1024, "peak": v[1] // 1024} for name, v in rss.items()},
    }


def _report(f: dict[str, Any]) -> str:
    rss = ", ".join(
        f"{name} {v['peak']} MB peak / {v['end']} MB last seen" for name, v in f["rss_mb"].items()
    )
    kill = ""
    if f["killed_at_s"] is not None:
        kill = f", replica {f['replicas']} SIGKILLed at {f['killed_at_s']} s"
    return "\n".join(
        [
            f"{f['events']} events at {f['rate_per_s']}/s over {f['replicas']} replica(s)"
            f"{' on Redis' if f['redis'] else ''}{kill}",
            f"deliveries          {f['deliveries']} ({f['deliveries_refused']} refused: dead "
            f"replica, re-delivered to the other); never acked: {f['never_acked']}",
            f"ack                 p50 {f['ack_ms']['p50']} ms · p99 {f['ack_ms']['p99']} ms · "
            f"max {f['ack_ms']['max']} ms",
            f"answer              p50 {f['answer_s']['p50']} s · p99 {f['answer_s']['p99']} s · "
            f"max {f['answer_s']['max']} s (first ack → answer posted)",
            f"taken over          {f['taken_over']} job(s) (XAUTOCLAIM; the killed replica "
            f"held {f['held_at_kill']})",
            f"lost                {f['lost']}",
            f"duplicated          {f['duplicated']}",
            f"RSS                 {rss}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=10.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send")
    parser.add_argument("--replicas", type=int, choices=(1, 2), default=2)
    parser.add_argument(
        "--kill-at", type=float, default=30.0, help="SIGKILL the last replica at (s; 0 = never)"
    )
    parser.add_argument(
        "--retry-every", type=int, default=10, help="re-deliver every Nth event (0 = never)"
    )
    parser.add_argument(
        "--reclaim", type=float, default=15.0, help="PROGRAMME_BOT_REDIS_RECLAIM_S for the servers"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (0 < args.rate <= 50 and 0 < args.seconds <= 300):
        parser.error("bounded: --rate in (0, 50], --seconds in (0, 300]")
    # Stopped early (SIGTERM): unwind, so every server started here is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = run(args)
    print(json.dumps(figures, indent=2) if args.json else _report(figures))
    return 0 if figures["lost"] == 0 and figures["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
