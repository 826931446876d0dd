"""The stores under faults, against the real server process (REDIS_URL and DATABASE_URL on real
Redis and PostgreSQL servers): what test_edge.py asserts and `make edge` prints.

- hung_redis: redis-server SIGSTOPped (hung, not down) while events, a command and a click
  arrive: every ack (or 503) and /healthz within a second; after SIGCONT Slack's retries are
  answered, each once (item 5);
- database_outage: PostgreSQL stopped for 20 s while 40 people click 👍/👎: every click acked and
  its modal opened at once, all 40 votes stored afterwards, exactly once (item 6);
- hung_database: PostgreSQL SIGSTOPped while votes and tour clicks arrive: acked and modals
  opened at once; stored once it answers again (item 6).

And issue 23's classes that need the whole server:
- expensive_questions: five worst-case questions (tests/bench/adversarial.jsonl) in five
  channels, and a usual question in a sixth: answered within a second (class 3);
- overrun: with a short answer deadline, worst-case questions are each answered once, by their
  answer or "too long", and their channel's next question goes on (class 3);
- poison_vote: a 6 KB 👍 is bounded at intake, a poison vote left in the outbox (as an older
  version could leave it) is quarantined, and five votes behind it are stored within 5 s
  (class 4); outage_warnings counts the warnings of database_outage per 10 s;
- kill_and_restart: acked questions, kill -9, a restart on the same state: every question
  answered once, within seconds of the restart (class 5).

Nothing here depends on pytest.
"""

from __future__ import annotations

import json
import random
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
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
from slack_server import REPO_ROOT, Server, running_server
from slack_stand_in import StandIn

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


# ----------------------------------------------------------------------------- issue 23, class 3

ADVERSARIAL = REPO_ROOT / "tests" / "bench" / "adversarial.jsonl"
TOO_LONG = "took too long to answer"


def worst_question() -> str:
    """The costliest kind on main: the same three unit abbreviations, 2,000 characters."""
    rows = [json.loads(line) for line in ADVERSARIAL.read_text(encoding="utf-8").splitlines()]
    return max((r["q"] for r in rows if r["kind"] == "units en"), key=len)


def _reply_text(call: Any) -> str:
    return str(call.get("text") or "")


def replies_to(server: Server, events: list[dict[str, Any]], timeout: float) -> list[list[Any]]:
    """Each event's replies in its thread, once every event has one (or `timeout` passed),
    and a second more for any duplicate."""
    stand_in = server.stand_in
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(stand_in.replies(e["channel"], e["ts"]) for e in events):
            break
        time.sleep(0.05)
    time.sleep(1.0)
    return [
        stand_in.find(
            "chat.postMessage",
            lambda c, e=e: c.get("channel") == e["channel"] and c.get("thread_ts") == e["ts"],
        )
        for e in events
    ]


def expensive_questions(server: Server, slow: int = 5, wait_s: float = 120.0) -> Figures:
    """`slow` worst-case questions in as many channels, then a usual one in another channel:
    seconds until the usual one is answered, and what each slow one got."""
    figures = Figures()
    worst = worst_question()
    events = [mention(uid("C"), worst) for _ in range(slow)]
    with ThreadPoolExecutor(max_workers=slow) as pool:
        replies = list(pool.map(lambda e: send_event(server.events, event_body(e)), events))
    figures.statuses += [r.status for r in replies]
    figures.acks_s += [r.seconds for r in replies]
    time.sleep(0.5)  # they are being read now
    usual = mention(uid("C"), QUESTION)
    sent = time.monotonic()
    reply = send_event(server.events, event_body(usual))
    figures.statuses.append(reply.status)
    figures.acks_s.append(reply.seconds)
    answered = first_post(server, usual, timeout=30)
    figures.notes["usual_s"] = None if answered is None else round(answered - sent, 3)
    posts = replies_to(server, events, wait_s)
    figures.notes["slow_replies"] = [len(p) for p in posts]
    figures.notes["slow_too_long"] = sum(1 for p in posts if p and TOO_LONG in _reply_text(p[0]))
    figures.notes["slow_last_s"] = round(max((p[0].at for p in posts if p), default=sent) - sent, 1)
    return figures


def first_post(server: Server, event: dict[str, Any], timeout: float) -> float | None:
    """When (monotonic) the first reply in the event's thread was posted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = server.stand_in.find(
            "chat.postMessage",
            lambda c: c.get("channel") == event["channel"] and c.get("thread_ts") == event["ts"],
        )
        if calls:
            return calls[0].at
        time.sleep(0.02)
    return None


def overrun(server: Server, deadline_s: float, slow: int = 3) -> Figures:
    """A server whose answers have `deadline_s`: worst-case questions in `slow` channels (the
    long lane takes two at a time, so some wait past the deadline), then a usual question in
    the first of those channels. Each gets one reply; the channel goes on."""
    figures = Figures()
    worst = worst_question()
    events = [mention(uid("C"), worst) for _ in range(slow)]
    sent = time.monotonic()
    with ThreadPoolExecutor(max_workers=slow) as pool:
        replies = list(pool.map(lambda e: send_event(server.events, event_body(e)), events))
    figures.statuses += [r.status for r in replies]
    after = mention(events[0]["channel"], QUESTION)
    figures.statuses.append(send_event(server.events, event_body(after)).status)
    posts = replies_to(server, [*events, after], timeout=deadline_s + 60)
    slow_posts, after_posts = posts[:slow], posts[slow]
    figures.notes["replies"] = [len(p) for p in posts]
    figures.notes["too_long"] = sum(1 for p in slow_posts if p and TOO_LONG in _reply_text(p[0]))
    figures.notes["slow_last_s"] = round(max(p[0].at for p in slow_posts if p) - sent, 2)
    figures.notes["next_answered"] = bool(after_posts) and TOO_LONG not in _reply_text(
        after_posts[0]
    )
    if after_posts and slow_posts[0]:
        figures.notes["next_after_s"] = round(after_posts[0].at - slow_posts[0][0].at, 2)
    return figures


# ----------------------------------------------------------------------------- class 4


def random_cjk(chars: int, seed: int = 23) -> str:
    """2,000 CJK characters PostgreSQL cannot compress under its B-tree row limit (6 KB)."""
    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(chars))


def poison_vote(server: Server, redis_url: str, postgres_url: str, votes: int = 5) -> Figures:
    """A 👍 carrying a 6 KB value (within Slack's 2,000-character limit), and a poison vote
    planted in the outbox as an older version could have left it; then `votes` ordinary votes:
    how soon all are stored, what became of the poison."""
    from bot.stores.feedback import answer_fields
    from bot.stores.redis_client import connect
    from bot.stores.state.redis import RedisSlackState

    figures = Figures()
    answer_id = an_answer(server)
    poison = random_cjk(2000)
    vote(server, poison, uid("U"), figures)  # the click: bounded at intake
    state = RedisSlackState(connect(redis_url))
    try:
        dead_before = len(state.dead_letters(1000))
        planted = {  # a whole vote, as put_vote wrote them before intake bounded the id
            "rating": "up",
            "answer_id": poison,
            "fields": answer_fields(None),
            "user": "UPOISON",
            "channel": "C1",
        }
        state.outbox_put("vote", planted)
        users = [uid("U") for _ in range(votes)]
        started = time.monotonic()
        for user in users:
            vote(server, answer_id, user, figures)
        rows = wait_stored(postgres_url, answer_id, votes, timeout=30)
        figures.notes["stored_s"] = round(time.monotonic() - started, 2)
        figures.notes["stored"] = len({u for u, _ in rows} & set(users))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(state.dead_letters(1000)) == dead_before:
            time.sleep(0.2)
        dead = state.dead_letters(1000)
        figures.notes["quarantined"] = len(dead) - dead_before
        figures.notes["quarantine_reason"] = dead[0].reason[:80] if dead else ""
    finally:
        state.close()
    with psycopg.connect(postgres_url, connect_timeout=5) as db:
        kept = db.execute("SELECT count(*) FROM feedback WHERE answer_id = %s", (poison,))
        figures.notes["poison_stored"] = kept.fetchone()[0]  # type: ignore[index]
    return figures


WARNINGS = ("feedback database connection lost", "feedback store unavailable")


def outage_warnings(log: str, since: float) -> dict[str, int]:
    """For each outage warning, the most lines logged in any 10 s (line times after `since`,
    a time.time())."""
    most: dict[str, int] = {}
    for warning in WARNINGS:
        times = sorted(
            t for line in log.splitlines() if warning in line and (t := _line_time(line)) >= since
        )
        most[warning] = max((sum(1 for u in times if t <= u < t + 10.0) for t in times), default=0)
    return most


def _line_time(line: str) -> float:
    try:
        stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
    except ValueError:
        return 0.0
    return stamp.timestamp()


# ----------------------------------------------------------------------------- class 5


def kill_and_restart(
    stand_in: StandIn, tmp: Path, questions: int = 33, channels: int = 8, **env: str
) -> Figures:
    """`questions` mentions acked, the server killed (-9) at once, a new one started on the same
    state: seconds from the restart (healthy) to the last answer, each answered once."""
    figures = Figures()
    names = [uid("C") for _ in range(channels)]
    events = [mention(names[i % channels], QUESTION) for i in range(questions)]
    first_dir, second_dir = tmp / "first", tmp / "second"
    first_dir.mkdir(parents=True)
    second_dir.mkdir(parents=True)
    with running_server(stand_in, first_dir, **env) as first:
        with ThreadPoolExecutor(max_workers=16) as pool:
            replies = list(pool.map(lambda e: send_event(first.events, event_body(e)), events))
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        state_db = str(first.state_db)
    figures.statuses += [r.status for r in replies]
    before = sum(1 for e in events if stand_in.replies(e["channel"], e["ts"]))
    started = time.monotonic()
    with running_server(
        stand_in, second_dir, PROGRAMME_BOT_SLACK_STATE_DB=state_db, **env
    ) as second:
        ready = time.monotonic()
        posts = replies_to(second, events, timeout=60)
        last = max((p[0].at for p in posts if p), default=ready)
    figures.notes["answered_before_kill"] = before
    figures.notes["answered_once"] = sum(1 for p in posts if len(p) == 1)
    figures.notes["duplicates"] = sum(1 for p in posts if len(p) > 1)
    figures.notes["start_s"] = round(ready - started, 2)
    figures.notes["after_ready_s"] = round(max(0.0, last - ready), 2)
    return figures
