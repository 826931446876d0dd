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

and issue 23's "Done when":
    workspace pinning                  events and clicks with no workspace, or a foreign one
                                       behind a null authorisation: ignored, and counted
    usual question vs worst-case       five worst-case questions in five channels, a usual one
                                       in a sixth: seconds to its answer (<= 1 s)
    past the deadline                  a server with a 1 s deadline: worst-case questions each
                                       answered once ("too long" past it), the channel goes on
    votes after a poison vote          5 votes behind a poison vote: stored within 5 s, the
                                       poison quarantined and counted; outage warnings per 10 s
    kill -9 and restart                33 acked questions: seconds from the restart (ready) to
                                       the last answer (<= 5 s), on SQLite and on Redis
    the payload's token, hooks         calls made with a token a payload carried; posts to a
                                       response_url off Slack's hooks host (0 and 0)
    settings refused at start-up       PROGRAMME_BOT_TOP_K=0 or -1 and others: one line each

Bounded: about 500 requests, two or three minutes; every server stopped at the end. Usage:
    python tests/integration/slack/edge_figures.py [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: real_servers

from edge_faults import (  # noqa: E402
    database_outage,
    expensive_questions,
    hung_database,
    hung_redis,
    kill_and_restart,
    outage_warnings,
    overrun,
    poison_vote,
)
from hostile import (  # noqa: E402
    FOREIGN_TOKEN,
    STAND_IN_PATHS,
    Target,
    ask_again,
    catalogue,
    chunked_flood,
    run_all,
)
from real_servers import running_postgres, running_redis  # noqa: E402
from slack_payloads import event_body, mention, send_event, uid  # noqa: E402
from slack_server import REPO_ROOT, Server, free_port, running_server, slack_env  # noqa: E402
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


def ignored_requests(server: Server) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        text = response.read().decode("utf-8")
    return {
        f"{s.name.removeprefix('programme_bot_').removesuffix('_total')}:"
        f"{s.labels.get('reason') or s.labels.get('kind') or s.labels.get('lane')}": s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name
        in (
            "programme_bot_ignored_requests_total",
            "programme_bot_feedback_quarantined_total",
            "programme_bot_answer_deadlines_total",
        )
    }


BAD_SETTINGS = [
    ("PROGRAMME_BOT_TOP_K", "0"),
    ("PROGRAMME_BOT_TOP_K", "-1"),
    ("PROGRAMME_BOT_SLACK_WORKERS", "0"),
    ("PROGRAMME_BOT_ANSWER_DEADLINE_S", "-1"),
    ("SLACK_HOOKS_URL", "http://hooks.example.org/"),
    ("SLACK_TEAM_ID", "not-an-id"),
]


def refused_settings(stand_in: StandIn, root: Path) -> list[str]:
    """The one line `serve` stops with for each bad setting ("" when it did not stop so: it
    started serving, or said more)."""
    lines = []
    for name, value in BAD_SETTINGS:
        env = slack_env(stand_in, root, **{name: value})
        command = [sys.executable, "-m", "bot", "serve", "--http", "--port", str(free_port())]
        try:
            done = subprocess.run(
                command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=30
            )
            got = done.stderr.strip().splitlines() if done.returncode == 2 else []
        except subprocess.TimeoutExpired:  # it took the setting and served
            got = []
        lines.append(got[0] if len(got) == 1 and name in got[0] else "")
    return lines


def measure(root: Path) -> dict[str, Any]:
    stand_in = StandIn().start()
    elsewhere = StandIn().start()  # where no response_url may ever lead
    figures: dict[str, Any] = {}
    try:
        with running_redis(root / "redis") as redis, running_postgres() as postgres:
            env = {"REDIS_URL": redis.url, "DATABASE_URL": postgres.url}
            (root / "server").mkdir()
            with running_server(stand_in, root / "server", **env) as server:
                target = Target(server.url, stand_in, elsewhere=elsewhere)
                with SteadyChannel(server) as steady:
                    say(f"· {len(catalogue())} hostile cases…")
                    outcomes = run_all(target)
                    figures["cases"] = [o.__dict__ for o in outcomes]
                    time.sleep(1.5)  # what would have been answered is by now
                    figures["foreign_answered"] = sum(
                        1
                        for channel in target.foreign
                        if stand_in.find(
                            "chat.postMessage", lambda c, ch=channel: c.get("channel") == ch
                        )
                    )
                    figures["foreign_sent"] = len(target.foreign)
                    figures["foreign_token_calls"] = sum(
                        1 for c in stand_in.calls if c.token == FOREIGN_TOKEN
                    )
                    figures["off_hooks_posts"] = len(elsewhere.calls) + sum(
                        1 for c in stand_in.calls if not c.path.startswith(STAND_IN_PATHS)
                    )
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
                    figures["outage_since"] = time.time()
                    figures["db_outage"] = database_outage(server, postgres).__dict__
                    say("· PostgreSQL hung…")
                    figures["hung_db"] = hung_database(server, postgres).__dict__
                    say("· a poison vote, then five votes…")
                    figures["poison"] = poison_vote(server, redis.url, postgres.url).__dict__
                    say("· five worst-case questions and a usual one…")
                    figures["expensive"] = expensive_questions(server).__dict__
                    figures["counted"] = ignored_requests(server)
                once, twice = steady.answered()
                figures["steady"] = {
                    "worst_ack_s": max(steady.acks_s, default=0.0),
                    "asked": len(steady.events),
                    "answered_once": once,
                    "duplicates": twice,
                    "redelivered": steady.redelivered,
                }
                log = server.log.read_text()
                figures["outage_warnings"] = outage_warnings(log, figures["outage_since"])
                logs = [log]
            say("· a server with a 1 s answer deadline…")
            (root / "hasty").mkdir()
            with running_server(
                stand_in, root / "hasty", PROGRAMME_BOT_ANSWER_DEADLINE_S="1"
            ) as hasty:
                figures["overrun"] = overrun(hasty, deadline_s=1.0).__dict__
                logs.append(hasty.log.read_text())
            for backend, extra in (("sqlite", {}), ("redis", {"REDIS_URL": redis.url})):
                say(f"· kill -9 and restart ({backend})…")
                restarted = kill_and_restart(stand_in, root / f"restart-{backend}", **extra)
                figures[f"restart_{backend}"] = restarted.__dict__
                logs += [p.read_text() for p in (root / f"restart-{backend}").rglob("*.log")]
        say("· bad settings at start-up…")
        figures["settings"] = refused_settings(stand_in, root)
        figures["tracebacks"] = sum(log.count("Traceback") for log in logs)
        figures["log_lines"] = sum(len(log.splitlines()) for log in logs)
    finally:
        stand_in.stop()
        elsewhere.stop()
    return figures


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(f: dict[str, Any]) -> str:
    cases = f["cases"]
    passed = [c for c in cases if c["passed"]]
    answered = [c for c in cases if c["timed"] and c["status"] is not None]
    worst = max(answered, key=lambda c: c["seconds"])
    fault_statuses = (
        [
            status
            for key in ("db_outage", "hung_db", "poison", "expensive", "overrun")
            for status in f[key]["statuses"]
        ]
        + f["restart_sqlite"]["statuses"]
        + f["restart_redis"]["statuses"]
    )
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
        *issue_23_rows(f),
    ]
    failed = [c for c in cases if not c["passed"]]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += [
        f"  FAILED item {c['item']}: {c['name']} ({c['status']}, {c['detail']})" for c in failed
    ]
    return "\n".join(lines)


def _passed(cases: list[dict[str, Any]], item: int) -> str:
    mine = [c for c in cases if c["item"] == item]
    return f"{sum(1 for c in mine if c['passed'])} of {len(mine)} cases passed"


def issue_23_rows(f: dict[str, Any]) -> list[tuple[str, str]]:
    cases, counted = f["cases"], f["counted"]
    expensive, overran, poison = f["expensive"]["notes"], f["overrun"]["notes"], f["poison"]
    warned = f["outage_warnings"]
    usual = expensive["usual_s"]
    rows = [
        ("issue 23", ""),
        ("fields of the wrong type, two Content-Types", _passed(cases, 21)),
        (
            "events and clicks from no or another workspace ignored",
            f"{_passed(cases, 22)}; answered in {f['foreign_answered']} of "
            f"{f['foreign_sent']} channels sent such events or clicks; ignored and counted: "
            + ", ".join(
                f"{k.split(':')[1]} {v:.0f}"
                for k, v in counted.items()
                if k.startswith("ignored_requests:")
            ),
        ),
        (
            "usual question while 5 worst-case questions run (≤ 1 s)",
            ("never answered" if usual is None else f"{usual:.2f} s")
            + f" (the 5: {expensive['slow_replies']} replies, {expensive['slow_too_long']} "
            f"'too long', last {expensive['slow_last_s']} s)",
        ),
        (
            "answers past a 1 s deadline",
            f"replies {overran['replies']} (3 worst-case, then a usual one in the first's "
            f"channel), {overran['too_long']} told 'too long', last {overran['slow_last_s']} s; "
            f"the channel's next answered {overran.get('next_after_s', '?')} s after",
        ),
        (
            "votes stored after a poison vote (5 of 5 ≤ 5 s)",
            f"{poison['notes']['stored']} of 5 in {poison['notes']['stored_s']} s; poison "
            f"quarantined {poison['notes']['quarantined']} (counted "
            f"{counted.get('feedback_quarantined:vote', 0):.0f}), stored "
            f"{poison['notes']['poison_stored']}; the 6 KB click bounded at intake",
        ),
        (
            "outage warnings per 10 s (≤ 1)",
            ", ".join(f"{k.split()[-1]} {v}" for k, v in warned.items())
            + " (most lines in any 10 s of the 20 s outage)",
        ),
    ]
    for backend in ("sqlite", "redis"):
        notes = f[f"restart_{backend}"]["notes"]
        rows.append(
            (
                f"kill -9 and restart, {backend} (≤ 5 s)",
                f"{notes['answered_once']}/33 answered once, {notes['duplicates']} twice, the "
                f"last {notes['after_ready_s']:.2f} s after the restart was ready (start "
                f"{notes['start_s']:.1f} s; {notes['answered_before_kill']} answered before "
                "the kill)",
            )
        )
    refused = [line for line in f["settings"] if line]
    rows += [
        (
            "the payload's token, response_urls (0, 0)",
            f"{f['foreign_token_calls']} calls with a payload's token, {f['off_hooks_posts']} "
            f"posts off Slack's hooks host ({_passed(cases, 25)})",
        ),
        (
            "bad settings stop start-up with one line",
            f"{len(refused)} of {len(f['settings'])}"
            + (f", e.g. {refused[0]!r}" if refused else ""),
        ),
    ]
    return rows


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
