"""The stores under faults, against the real server process (REDIS_URL and DATABASE_URL on real
Redis and PostgreSQL servers): what test_edge.py asserts and `make edge` prints.

- hung_redis: redis-server SIGSTOPped (hung, not down) while events, a command and a click
  arrive: every ack (or 503) and /healthz within a second; after SIGCONT Slack's retries are
  answered, each once (item 5);
- database_outage: PostgreSQL stopped for 20 s while 40 people click 👍/👎: every click acked and
  its modal opened at once, all 40 votes stored afterwards, exactly once (item 6);
- hung_database: PostgreSQL SIGSTOPped while votes and tour clicks arrive: acked and modals
  opened at once; stored once it answers again (item 6).

Nothing here depends on pytest.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg
from real_servers import PostgresServer, RedisServer
from slack_payloads import (
    block_action,
    command_form,
    event_body,
    mention,
    send_event,
    send_form,
    uid,
)
from slack_server import Server

from bot.surfaces.slack.views import blocks as B
from bot.surfaces.slack.views import tour as T

QUESTION = "What is resolution 1373 (2001) about?"
MODAL_LATE_S = 3.0  # Slack's trigger_id expires 3 s after the click


@dataclass
class Figures:
    acks_s: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    late_modals: int = 0
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def worst_ack_s(self) -> float:
        return max(self.acks_s, default=0.0)


def an_answer(server: Server, question: str = QUESTION, channel: str | None = None) -> str:
    """Ask a question (in a channel of its own unless given); the answer id its 👍 carries."""
    channel = channel or uid("C")
    event = mention(channel, question)
    assert send_event(server.events, event_body(event)).status == 200
    call = server.stand_in.wait_for(
        "chat.postMessage",
        lambda c: c.get("channel") == channel and c.get("thread_ts") == event["ts"],
    )[0]
    for block in call.get("blocks") or []:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == B.FEEDBACK_UP:
                return str(element["value"])
    raise AssertionError("no 👍 button on the answer")


def vote(server: Server, answer_id: str, user: str, figures: Figures, rating: str = "up") -> None:
    """One click on 👍/👎: its ack, and whether its modal opened within Slack's 3 s."""
    trigger = uid("trigger.")
    action = B.FEEDBACK_UP if rating == "up" else B.FEEDBACK_DOWN
    form = block_action(
        action,
        answer_id,
        uid("C"),
        server.stand_in.response_url(uid("v")),
        user=user,
        trigger_id=trigger,
    )
    clicked = time.monotonic()
    reply = send_form(server.events, form)
    figures.acks_s.append(reply.seconds)
    figures.statuses.append(reply.status)
    try:
        opened = server.stand_in.wait_for(
            "views.open", lambda c: c.get("trigger_id") == trigger, timeout=10
        )[0]
        if opened.at - clicked > MODAL_LATE_S:
            figures.late_modals += 1
    except AssertionError:
        figures.late_modals += 1


def stored_votes(url: str, answer_id: str) -> list[tuple[str, str]]:
    with psycopg.connect(url, connect_timeout=5) as db:
        return db.execute(
            "SELECT user_id, rating FROM feedback WHERE answer_id = %s", (answer_id,)
        ).fetchall()


def wait_stored(url: str, answer_id: str, count: int, timeout: float = 60.0) -> list[tuple]:
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        try:
            rows = stored_votes(url, answer_id)
        except psycopg.Error:
            rows = []
        if len(rows) >= count:
            break
        time.sleep(0.5)
    return rows


def healthz_seconds(server: Server) -> tuple[int, float]:
    import urllib.error
    import urllib.request

    started = time.perf_counter()
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


# ----------------------------------------------------------------------------- item 5


def hung_redis(server: Server, redis: RedisServer, events: int = 5) -> Figures:
    figures = Figures()
    channel = uid("C")
    bodies = [event_body(mention(channel, QUESTION)) for _ in range(events)]
    hook = uid("busy")
    answer_id = an_answer(server)
    redis.pause()
    try:
        with ThreadPoolExecutor(max_workers=events) as pool:  # at once, as Slack sends them
            replies = list(pool.map(lambda b: send_event(server.events, b), bodies))
        figures.acks_s += [r.seconds for r in replies]
        figures.statuses += [r.status for r in replies]
        form = command_form("/programme", QUESTION, channel, server.stand_in.response_url(hook))
        command = send_form(server.events, form)
        figures.acks_s.append(command.seconds)
        figures.statuses.append(command.status)
        figures.notes["command_told_busy"] = "cannot take questions" in command.body
        vote(server, answer_id, uid("U"), figures)  # ack first; the vote cannot be kept
        status, seconds = healthz_seconds(server)
        figures.notes["healthz"] = (status, seconds)
    finally:
        redis.resume()
    # Slack re-delivers what got a 503: each answered once.
    retried = [send_event(server.events, b, retry=1).status for b in bodies]
    figures.notes["retries_acked"] = retried.count(200)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        counts = [len(server.stand_in.replies(channel, b["event"]["ts"])) for b in bodies]
        if all(counts):
            break
        time.sleep(0.2)
    time.sleep(1.0)  # room for a duplicate
    counts = [len(server.stand_in.replies(channel, b["event"]["ts"])) for b in bodies]
    figures.notes["answered_once"] = counts.count(1)
    figures.notes["duplicates"] = sum(max(0, c - 1) for c in counts)
    return figures


# ----------------------------------------------------------------------------- item 6


def database_outage(
    server: Server, postgres: PostgresServer, clicks: int = 40, seconds: float = 20.0
) -> Figures:
    figures = Figures()
    answer_id = an_answer(server)
    users = [uid("U") for _ in range(clicks)]
    postgres.stop()
    started = time.monotonic()
    try:
        for i, user in enumerate(users):
            time.sleep(max(0.0, started + i * seconds / clicks - time.monotonic()))
            vote(server, answer_id, user, figures, "up" if i % 3 else "down")
        time.sleep(max(0.0, started + seconds - time.monotonic()))
    finally:
        postgres.start()
    rows = wait_stored(postgres.url, answer_id, clicks)
    figures.notes["down_s"] = round(time.monotonic() - started, 1)
    figures.notes["stored"] = len(rows)
    figures.notes["distinct"] = len({user for user, _ in rows})
    figures.notes["lost"] = len(set(users) - {user for user, _ in rows})
    return figures


def hung_database(server: Server, postgres: PostgresServer, clicks: int = 8) -> Figures:
    figures = Figures()
    answer_id = an_answer(server)
    users = [uid("U") for _ in range(clicks)]
    user, dm = uid("U"), uid("D")
    postgres.pause()
    try:
        with ThreadPoolExecutor(max_workers=clicks) as pool:
            list(pool.map(lambda u: vote(server, answer_id, u, figures), users))
        hook = uid("tour")  # a tour click: the self-check starts, its first question shows
        form = block_action(T.QUIZ_START, "3:en", dm, server.stand_in.response_url(hook), user=user)
        clicked = time.monotonic()
        reply = send_form(server.events, form)
        figures.acks_s.append(reply.seconds)
        figures.statuses.append(reply.status)
        shown = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook), timeout=10)
        figures.notes["tour_shown_s"] = round(shown[0].at - clicked, 2)
        time.sleep(2.0)  # the courier is now stuck on the hung database
    finally:
        postgres.resume()
    rows = wait_stored(postgres.url, answer_id, clicks)
    figures.notes["stored"] = len(rows)
    figures.notes["lost"] = len(set(users) - {u for u, _ in rows})
    return figures
