"""The hardened edge (issues 15 and 23), against the real server process over real HTTP: the
hostile catalogue (hostile.py) and the deeper checks behind its numbered items.

Issue 15, item by item: 1 timestamps and signatures, 2 body size, 3 slow and vanishing clients,
4 events that cannot be read and jobs that cannot succeed, 5 a hung Redis, 6 a PostgreSQL
outage, 7 retry headers, 8 interactions that cannot be read, 9 other installations, 10 metrics
off the Slack port, 11 credentials pasted into questions, 12 (the CLI) in tests/eval/test_cli.py.

Issue 23, class by class: 1 (21 in the catalogue) fields of the wrong type where Bolt reads
them, two Content-Types; 2 (22) no workspace or a foreign one; 3 worst-case questions and the
answer deadline; 4 a poison vote and the outage warnings; 5 (25) the payload's token, assistant
threads without context, response_urls off Slack's hooks host, kill -9 and restart, PROGRAMME_BOT_
settings refused at start-up.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import sqlite3
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from edge_faults import (
    an_answer,
    database_outage,
    expensive_questions,
    hung_database,
    hung_redis,
    kill_and_restart,
    outage_warnings,
    overrun,
    poison_vote,
)
from hostile import (
    QUESTION,
    Target,
    ask_again,
    catalogue,
    chunked_flood,
    distinct_retry_reasons,
    head_of,
    run_all,
)
from prometheus_client.parser import text_string_to_metric_families
from real_servers import PostgresServer, RedisServer, running_postgres, running_redis
from slack_payloads import (
    block_action,
    command_form,
    event_body,
    mention,
    message_ts,
    send_event,
    send_form,
    uid,
    view_submission,
)
from slack_server import Server, running_server
from slack_stand_in import StandIn
from test_restarts import _start_up_refusal

from bot.surfaces.slack.runtime.middleware import RETRY_REASONS
from bot.surfaces.slack.transport.intake import Installation
from bot.surfaces.slack.transport.payloads import EventEnvelope, read
from bot.surfaces.slack.views import blocks as B

pytestmark = pytest.mark.slow

ACK_BOUND_S = 2.0  # generous for a loaded 2-core machine; `make edge` prints the real figure
RECOVERY_BOUND_S = 5.0


@pytest.fixture()
def log_since(server: Server) -> Iterator[Callable[[], str]]:
    start = len(server.log.read_text())
    yield lambda: server.log.read_text()[start:]


def rss_kib(server: Server) -> int:
    with open(f"/proc/{server.process.pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1])


# ----------------------------------------------------------------------------- the catalogue


def test_every_hostile_case_is_answered_as_it_must_be_without_a_traceback(
    server: Server, log_since: Callable[[], str]
) -> None:
    elsewhere = StandIn().start()  # where no response_url may ever lead
    try:
        target = Target(server.url, server.stand_in, elsewhere=elsewhere)
        ignored_before = ignored_requests(server)
        outcomes = run_all(target)
    finally:
        elsewhere.stop()
    assert len(outcomes) == len(catalogue()) >= 150
    failed = [o for o in outcomes if not o.passed]
    assert not failed, "\n".join(f"{o.item} {o.name}: {o.status} ({o.detail})" for o in failed)
    assert not [o for o in outcomes if o.status and o.status >= 500]
    worst = max(o.seconds for o in outcomes if o.timed and o.status is not None)
    assert worst < ACK_BOUND_S, worst

    # 4: nothing that could not be read was answered, and its channel goes on at once.
    time.sleep(1.0)
    for channel in target.poisoned + target.foreign:
        assert not server.stand_in.find(
            "chat.postMessage", lambda c, ch=channel: c.get("channel") == ch
        )
    for channel in target.poisoned[:3]:
        recovered = ask_again(target, channel)
        assert recovered is not None and recovered < RECOVERY_BOUND_S, recovered

    added = log_since()
    assert "Traceback" not in added
    assert "a question nobody may log" not in added
    assert "r" * 200 not in added and "made_up_reason" not in added
    # A handful of throttled lines, not one per case.
    warnings = [line for line in added.splitlines() if " WARNING " in line or " ERROR " in line]
    assert len(warnings) < 30, warnings

    # 21, 22, 25: what was dropped is counted, by reason (programme_bot_ignored_requests_total).
    ignored = ignored_requests(server)
    grew = {r: ignored.get(r, 0) - ignored_before.get(r, 0) for r in ignored}
    typed = [o for o in outcomes if o.item in (4, 21) and "Content-Type" not in o.name]
    assert grew["unreadable"] >= len(typed), (grew, len(typed))
    assert grew["no_workspace"] >= 4 and grew["another_workspace"] >= 3, grew
    assert grew["no_app"] >= 2 and grew["another_app"] >= 2 and grew["hook"] >= 8, grew


def ignored_requests(server: Server) -> dict[str, float]:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        text = response.read().decode("utf-8")
    return {
        s.labels["reason"]: s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "programme_bot_ignored_requests_total"
    }


# ----------------------------------------------------------------------------- 2, 3


def test_chunked_bodies_are_refused_as_they_pass_the_limit_and_memory_stays_flat(
    server: Server,
) -> None:
    target = Target(server.url, server.stand_in)
    chunked_flood(target, megabytes=5)  # warm up whatever a first refusal allocates
    before = rss_kib(server)
    for _ in range(3):
        status, seconds = chunked_flood(target, megabytes=50)
        assert status in (413, None) and seconds < 10
    grown_mib = (rss_kib(server) - before) / 1024
    assert grown_mib < 20, f"RSS grew {grown_mib:.0f} MiB after three 50 MB bodies"


def test_two_hundred_slow_connections_are_closed_and_others_are_still_served(
    server: Server,
) -> None:
    target = Target(server.url, server.stand_in)
    slow = []
    for i in range(200):
        conn = socket.create_connection(target.address, timeout=5)
        if i % 2:  # half stop in the middle of their headers, half in their body
            conn.sendall(head_of("/slack/events", {"X-Slow": "y"}))
        else:
            conn.sendall(head_of("/slack/events", {"Content-Length": "900"}) + b'\r\n\r\n{"type": ')
        slow.append(conn)
    try:
        channel = uid("C")
        event = mention(channel, QUESTION)
        reply = send_event(server.events, event_body(event))
        assert reply.status == 200 and reply.seconds < ACK_BOUND_S
        deadline = time.monotonic() + 15
        open_ = set(slow)
        while open_ and time.monotonic() < deadline:
            readable, _, _ = select.select(list(open_), [], [], 0.5)
            for conn in readable:
                try:
                    while conn.recv(65536):
                        pass
                except OSError:
                    pass
                open_.discard(conn)
        assert not open_, f"{len(open_)} of 200 slow connections still open after 15 s"
    finally:
        for conn in slow:
            conn.close()


# ----------------------------------------------------------------------------- 7


def retry_series(server: Server) -> set[str]:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        text = response.read().decode("utf-8")
    return {
        s.labels["reason"]
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "programme_bot_retries_total" and s.labels["operation"] == "event_delivery"
    }


def test_retry_reasons_nobody_signed_mint_no_series_and_stay_out_of_the_log(
    server: Server, log_since: Callable[[], str]
) -> None:
    target = Target(server.url, server.stand_in)
    statuses = distinct_retry_reasons(target, 200)
    assert statuses == [200] * 200
    reasons = retry_series(server)
    assert reasons <= RETRY_REASONS | {"other"} and "other" in reasons
    added = log_since()
    assert "made_up_reason" not in added
    logged = [line for line in added.splitlines() if " DEBUG " not in line]
    assert max(map(len, logged)) < 300  # the reason, however long, is never written


# ----------------------------------------------------------------------------- 9, 10


def test_the_installation_comes_from_auth_test_unless_set() -> None:
    identity = {"team_id": "T1", "app_id": "A1", "user_id": "U1"}
    assert Installation.of(identity) == Installation("T1", "A1")
    assert Installation.of(identity, team_id="T2", app_id="A2") == Installation("T2", "A2")
    body = {
        "type": "event_callback",
        "event_id": "Ev1",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": {"type": "app_home_opened", "user": "U1"},
    }
    assert isinstance(read(body), EventEnvelope)
    assert Installation("T1", "A1").foreign(body) is None
    assert Installation("T2", "A1").foreign(body) == "another_workspace"
    assert Installation("T1", "A2").foreign(body) == "another_app"
    org = Installation("T2", "A1", enterprise_id="E1", enterprise_install=True)
    assert org.foreign({**body, "enterprise_id": "E1"}) is None  # every workspace of the org
    assert org.foreign(body) == "no_workspace"
    # A Slack Connect channel: the event's team is the other side's, the installation ours.
    shared = {**body, "team_id": "T9", "authorizations": [{"team_id": "T1"}]}
    assert Installation("T1", "A1").foreign(shared) is None
    assert Installation("T2", "A1").foreign(shared) == "another_workspace"


def test_metrics_are_served_on_their_own_port(server: Server) -> None:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        assert response.status == 200
        assert b"programme_bot_answers_total" in response.read()


def test_a_metrics_address_in_use_stops_start_up_with_one_line(
    server: Server, tmp_path: Path
) -> None:
    from slack_server import slack_env

    taken = server.metrics_url.split("//")[1].split("/")[0]
    env = slack_env(server.stand_in, tmp_path, PROGRAMME_BOT_METRICS_ADDR=taken)
    lines = _start_up_refusal(env)
    assert len(lines) == 1 and "PROGRAMME_BOT_METRICS_ADDR" in lines[0], lines


# ----------------------------------------------------------------------------- 4: jobs


def test_jobs_that_cannot_succeed_fail_once_and_their_channel_answers_at_once(
    server: Server, log_since: Callable[[], str]
) -> None:
    """Jobs in the state file that no retry can mend (an older version's records, or a bug
    met mid-answer): each fails once with one line, the asker of a decided question gets the
    apology, and the channel's next question is answered within 5 s."""
    channel, thread = uid("C"), message_ts()
    decided = {
        "text": QUESTION,
        "user": "UHUMAN0001",
        "conversation": {"channel": channel, "thread_ts": thread, "kind": "channel"},
        "message_ts": None,
        "show_question": False,
    }
    jobs = [
        ("event", {"event": {"type": "app_mention", "channel": channel, "ts": thread}}, {}),
        ("event", {"event": "app_mention"}, {}),
        ("question", {"question": {"text": 5}}, {}),
        ("private", {"text": QUESTION, "user": "UHUMAN0001"}, {}),  # no response_url
        ("question", {"question": decided}, {"question": decided, "reply": {"kind": "?"}}),
    ]
    with sqlite3.connect(server.state_db, timeout=10) as db:
        for kind, payload, progress in jobs:
            db.execute(
                "INSERT INTO work (id, lane, kind, payload, progress, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (uid("old"), channel, kind, json.dumps(payload), json.dumps(progress), time.time()),
            )
    target = Target(server.url, server.stand_in)
    recovered = ask_again(target, channel)
    assert recovered is not None and recovered < RECOVERY_BOUND_S, recovered

    [told] = server.stand_in.replies(channel, thread)  # the decided one: its asker is told
    assert "(ref " in told["text"] and told["metadata"]["event_payload"]["kind"] == "apology"
    added = log_since()
    assert added.count("failed for good") == len(jobs), added
    assert "Traceback" not in added


# ----------------------------------------------------------------------------- 5, 6: the stores


@dataclass
class Shared:
    server: Server
    redis: RedisServer
    postgres: PostgresServer


@pytest.fixture(scope="module")
def shared(stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """A server on Redis and PostgreSQL of its own: these tests hang and stop them."""
    tmp = tmp_path_factory.mktemp("edge-stores")
    with running_redis(tmp / "redis") as redis, running_postgres() as postgres:
        env = {"REDIS_URL": redis.url, "DATABASE_URL": postgres.url}
        with running_server(stand_in, tmp, **env) as server:
            yield Shared(server, redis, postgres)


def test_a_hung_redis_still_gets_every_ack_within_a_second_and_loses_nothing(
    shared: Shared,
) -> None:
    figures = hung_redis(shared.server, shared.redis)
    assert figures.worst_ack_s < ACK_BOUND_S, figures.acks_s
    assert figures.statuses[:5] == [503] * 5  # not acked: Slack sends them again
    assert figures.statuses[5:] == [200, 200]  # the command told it is busy; the click acked
    assert figures.notes["command_told_busy"]
    status, seconds = figures.notes["healthz"]
    assert status == 503 and seconds < ACK_BOUND_S
    assert figures.notes["retries_acked"] == 5
    assert figures.notes["answered_once"] == 5 and figures.notes["duplicates"] == 0
    told = shared.server.stand_in.find(
        "response", lambda c: "could not be recorded" in str(c.params)
    )
    assert told  # the vote that could not be kept said so


def test_forty_clicks_across_a_database_outage_are_all_stored_exactly_once(
    shared: Shared,
) -> None:
    since = time.time()
    figures = database_outage(shared.server, shared.postgres, clicks=40, seconds=20.0)
    assert figures.statuses == [200] * 40
    assert figures.worst_ack_s < ACK_BOUND_S and figures.late_modals == 0
    assert figures.notes["stored"] == figures.notes["distinct"] == 40
    assert figures.notes["lost"] == 0
    log = shared.server.log.read_text()
    assert "Traceback" not in log
    # Issue 23: one warning every 10 s, not one per click (41 lines in 20 s before).
    most = outage_warnings(log, since)
    assert all(count <= 1 for count in most.values()), most
    assert sum(most.values()) >= 1  # the outage was said


def test_a_poison_vote_is_quarantined_and_five_votes_behind_it_are_stored_within_5_s(
    shared: Shared,
) -> None:
    """Issue 23, class 4: a 👍 carrying 2,000 CJK characters, and a poison vote in the outbox."""
    figures = poison_vote(shared.server, shared.redis.url, shared.postgres.url)
    assert figures.statuses == [200] * 6
    assert figures.notes["stored"] == 5 and figures.notes["stored_s"] < 5.0, figures.notes
    assert figures.notes["quarantined"] == 1 and figures.notes["poison_stored"] == 0
    assert "ProgramLimitExceeded" in figures.notes["quarantine_reason"]
    with urllib.request.urlopen(shared.server.metrics_url, timeout=10) as response:
        text = response.read().decode("utf-8")
    assert 'programme_bot_feedback_quarantined_total{kind="vote"} 1.0' in text
    log = shared.server.log.read_text()
    assert log.count("quarantined a vote") == 1 and "Traceback" not in log


def test_a_hung_database_holds_up_no_click(shared: Shared) -> None:
    figures = hung_database(shared.server, shared.postgres, clicks=8)
    assert figures.statuses == [200] * 9
    assert figures.worst_ack_s < ACK_BOUND_S and figures.late_modals == 0
    assert figures.notes["tour_shown_s"] < ACK_BOUND_S
    assert figures.notes["stored"] == 8 and figures.notes["lost"] == 0
    assert "Traceback" not in shared.server.log.read_text()


# ----------------------------------------------------------------------------- 11


PASTED = (
    "xoxb-9999-8888-pastedbytoken",
    "sk-live4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
    "8f14e45fceea167a5a36dedd4bea2543aa6d8d5e",  # random-looking: a secret by its shape
)


def test_pasted_credentials_are_masked_before_anything_is_stored(
    server: Server, log_since: Callable[[], str]
) -> None:
    channel = uid("C")
    question = f"What is resolution 1373 (2001) about? {' '.join(PASTED)}"
    answer_id = an_answer(server, question, channel)
    hook, trigger = uid("r"), uid("trigger.")
    form = block_action(
        B.FEEDBACK_DOWN, answer_id, channel, server.stand_in.response_url(hook), trigger_id=trigger
    )
    assert send_form(server.events, form).status == 200
    modal = server.stand_in.wait_for("views.open", lambda c: c.get("trigger_id") == trigger)[0]
    values = {
        B.FEEDBACK_REASON_BLOCK: {
            B.FEEDBACK_REASON_INPUT: {"type": "plain_text_input", "value": f"see {PASTED[0]}"}
        }
    }
    submission = view_submission(B.FEEDBACK_MODAL, modal.get("view")["private_metadata"], values)
    assert send_form(server.events, submission).status == 200
    form = command_form("/programme", question, channel, server.stand_in.response_url(uid("c")))
    assert send_form(server.events, form).status == 200

    deadline, stored = time.monotonic() + 15, ""
    while time.monotonic() < deadline:
        with sqlite3.connect(server.feedback_db) as db:
            row = db.execute(
                "SELECT question, reason FROM feedback WHERE answer_id = ?", (answer_id,)
            ).fetchone()
        if row and row[1]:
            stored = " ".join(row)
            break
        time.sleep(0.1)
    assert "[redacted]" in stored and "1373" in stored
    time.sleep(1.0)  # the command's answer is saved too
    with sqlite3.connect(server.state_db) as db:
        state = " ".join(
            str(v)
            for table in ("answers", "work", "outbox")
            for row in db.execute(f"SELECT * FROM {table}")  # noqa: S608
            for v in row
        )
    for secret in PASTED:
        assert secret not in stored and secret not in state and secret not in log_since()
    assert state.count("[redacted]") >= 2 * len(PASTED)


def test_a_command_whose_text_says_payload_is_answered(server: Server) -> None:
    """Bolt takes any form that contains the word "payload" for an interaction; the command
    used to go unhandled."""
    hook = uid("c")
    text = "What is the payload of resolution 1373 (2001)?"
    form = command_form("/programme", text, uid("C"), server.stand_in.response_url(hook))
    assert send_form(server.events, form).status == 200
    [reply] = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))
    assert "1373" in json.dumps(reply.params)


# ----------------------------------------------------------------------------- issue 23, class 3


def test_a_usual_question_is_answered_within_a_second_while_five_worst_case_questions_run(
    server: Server, log_since: Callable[[], str]
) -> None:
    figures = expensive_questions(server, slow=5)
    assert figures.statuses == [200] * 6 and figures.worst_ack_s < ACK_BOUND_S
    usual = figures.notes["usual_s"]
    assert usual is not None and usual < 1.0, figures.notes
    assert figures.notes["slow_replies"] == [1] * 5  # each: its answer, or "too long"
    assert "Traceback" not in log_since()


@pytest.fixture(scope="module")
def hasty(stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose answers have a one-second deadline."""
    tmp = tmp_path_factory.mktemp("hasty")
    with running_server(stand_in, tmp, PROGRAMME_BOT_ANSWER_DEADLINE_S="1") as started:
        yield started


def test_an_answer_past_its_deadline_is_told_and_its_channel_goes_on(hasty: Server) -> None:
    figures = overrun(hasty, deadline_s=1.0, slow=3)
    assert figures.statuses == [200] * 4
    assert figures.notes["replies"] == [1, 1, 1, 1], figures.notes  # once each, nothing lost
    assert figures.notes["too_long"] >= 1
    assert figures.notes["slow_last_s"] < 1.0 + 4.0, figures.notes  # the deadline, and posting
    assert figures.notes["next_answered"] and figures.notes["next_after_s"] < 3.0
    with urllib.request.urlopen(hasty.metrics_url, timeout=10) as response:
        assert b"programme_bot_answer_deadlines_total" in response.read()
    assert "Traceback" not in hasty.log.read_text()


# ----------------------------------------------------------------------------- class 5


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_acked_questions_are_answered_within_5_s_of_a_kill_and_restart(
    stand_in: StandIn, tmp_path: Path, backend: str
) -> None:
    with contextlib.ExitStack() as stack:
        env = {}
        if backend == "redis":
            redis = stack.enter_context(running_redis(tmp_path / "redis"))
            env["REDIS_URL"] = redis.url
        figures = kill_and_restart(stand_in, tmp_path, questions=33, **env)
    assert figures.statuses == [200] * 33
    assert figures.notes["answered_before_kill"] < 33  # the kill cut work short
    assert figures.notes["answered_once"] == 33 and figures.notes["duplicates"] == 0
    assert figures.notes["after_ready_s"] < 5.0, figures.notes


@pytest.mark.parametrize("value", ["0", "-1"])
def test_a_top_k_the_flag_refuses_stops_serve_with_one_line(
    stand_in: StandIn, tmp_path: Path, value: str
) -> None:
    from slack_server import slack_env

    lines = _start_up_refusal(slack_env(stand_in, tmp_path, PROGRAMME_BOT_TOP_K=value))
    assert lines == [
        f"programme-bot: PROGRAMME_BOT_TOP_K must be a whole number from 1 to 20, got '{value}'"
    ]
