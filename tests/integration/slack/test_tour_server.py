"""The whole tour and self-check over the real `programme-bot serve --http` process: signed
block_actions requests in, and what reached the Slack Web API stand-in (or the response_url)
checked. The quiz's right answers come from bot/onboarding/quiz.py with the quiz id the app put
in its buttons, so the test answers some right and some wrong on purpose."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from slack_payloads import (
    APP_ID,
    assert_valid_blocks,
    block_action,
    event_body,
    live_mentions,
    message_ts,
    send_event,
    send_form,
    uid,
)
from slack_server import REPO_ROOT, Server, running_server
from slack_stand_in import TEAM_ID, Call, StandIn

from bot.onboarding.quiz import QuizMaker, Shown
from bot.onboarding.tour import TourGuide
from bot.records.glossary import Glossary
from bot.records.parser import load_programme
from bot.surfaces.slack.views import blocks as B
from bot.surfaces.slack.views import home as H
from bot.surfaces.slack.views import tour as T

pytestmark = pytest.mark.slow

PROGRAMME = load_programme(REPO_ROOT / "corpus" / "programme-2")
MAKER = QuizMaker(TourGuide(PROGRAMME, Glossary.load(REPO_ROOT / "corpus" / "programme-2")).read)


def elements(call: Call) -> list[dict[str, Any]]:
    found = []
    for block in call.get("blocks") or (call.get("view") or {}).get("blocks") or []:
        if block["type"] == "actions":
            found += block["elements"]
        if block.get("accessory"):
            found.append(block["accessory"])
    return found


def value_of(call: Call, action_id: str) -> str:
    for element in elements(call):
        if element.get("action_id") == action_id:
            return element["value"]
    raise AssertionError(f"no {action_id} button in {json.dumps(call.params)[:2000]}")


def text_of(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


def click_form(
    action_id: str, value: str, user: str, channel: str | None = None, thread_ts: str | None = None
) -> str:
    """A click as Slack sends it: in the Home tab (the container is the view, no channel) or
    on a message in a channel, possibly a thread (an assistant thread)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "ada", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "team": {"id": TEAM_ID, "domain": "stand-in"},
        "trigger_id": uid("trigger."),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    if channel is None:
        payload["container"] = {"type": "view", "view_id": uid("V")}
        payload["view"] = {"id": uid("V"), "type": "home", "blocks": []}
    else:
        ts = message_ts()
        payload["channel"] = {"id": channel, "name": "directmessage"}
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "thread_ts": thread_ts,
        }
        payload["message"] = {"type": "message", "ts": ts, "thread_ts": thread_ts, "text": "…"}
    return urlencode({"payload": json.dumps(payload)})


class Clicker:
    """One colleague clicking through the tour in their DM; each click's response_url is new."""

    def __init__(self, server: Server, user: str, channel: str) -> None:
        self.server, self.user, self.channel = server, user, channel

    def click(self, action_id: str, value: str) -> Call:
        hook = uid("tour")
        form = block_action(
            action_id, value, self.channel, self.server.stand_in.response_url(hook), user=self.user
        )
        reply = send_form(self.server.events, form)
        assert reply.status == 200 and reply.seconds < 3
        call = self.server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
        assert call.get("replace_original") is True  # the tour message changes in place
        assert_valid_blocks(call.get("blocks"))
        assert live_mentions(call.params) == []
        return call


PLAN = [True, False, True, True, False]  # which self-check questions to answer right: 3 of 5


SCORES = {
    "en": "You scored 3 out of 5.",
    "zh": "您答对了3题，共5题。",
    "fr": "Vous avez obtenu 3 sur 5.",
}


def take_the_self_check(me: Clicker, question: Call, lang: str = "en") -> tuple[str, list[Shown]]:
    """Answers the quiz that `question` opens as PLAN says, clicking each old question a second
    time (the first answer stands), up to the score; returns the quiz id and its questions."""
    quiz_id = value_of(question, f"{T.QUIZ_ANSWER}:0").split(":")[2]
    quiz = MAKER.quiz(3, lang, quiz_id)
    for shown, right in zip(quiz, PLAN, strict=True):
        assert shown.question.text in text_of(question)
        chosen = shown.answer if right else (shown.answer + 1) % 4
        told = me.click(
            f"{T.QUIZ_ANSWER}:{chosen}", value_of(question, f"{T.QUIZ_ANSWER}:{chosen}")
        )
        verdict = told.get("text")
        assert verdict.startswith("✅" if right else "❌")
        assert shown.choices[shown.answer].text in verdict
        assert shown.question.explanation.split(" (")[0][:60] in text_of(told)
        if shown.question.url:
            assert shown.question.url in text_of(told).replace("&amp;", "&")
        # A second click on the old question changes nothing: the first answer stands.
        again = me.click(
            f"{T.QUIZ_ANSWER}:{shown.answer}", value_of(question, f"{T.QUIZ_ANSWER}:{shown.answer}")
        )
        assert again.get("text") == verdict
        question = me.click(T.QUIZ_NEXT, value_of(told, T.QUIZ_NEXT))
    assert question.get("text") == SCORES[lang]
    return quiz_id, quiz


def stored_answers(server: Server, quiz_id: str, columns: str) -> list[tuple]:
    """A quiz's answers in the feedback store, once the outbox has delivered all of them (or
    what is there after 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        with sqlite3.connect(server.feedback_db) as db:
            rows = db.execute(
                f"SELECT {columns} FROM quiz_answers WHERE quiz_id = ? ORDER BY position",
                (quiz_id,),
            ).fetchall()
        if len(rows) >= len(PLAN) or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def feedback_summary(*args: str, **env: str) -> str:
    """`programme-bot feedback`'s output, with DATABASE_URL only if given."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    done = subprocess.run(
        [sys.executable, "-m", "bot", "feedback", *args],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_home_tab_offers_the_tour_and_it_runs_to_the_score(server: Server) -> None:
    user = uid("U")
    dm = "D" + user[1:]  # the stand-in's conversations.open answer for this user
    send_event(
        server.events,
        event_body({"type": "app_home_opened", "user": user, "channel": uid("D"), "tab": "home"}),
    )
    home = server.stand_in.wait_for("views.publish", lambda c: c.get("user_id") == user)[0]
    assert value_of(home, B.TOUR_START) == "resume"

    # "Take the tour" in the Home tab: the DM is opened and the pick is posted there.
    send_form(server.events, click_form(B.TOUR_START, "resume", user))
    pick = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm)[0]
    assert server.stand_in.find("conversations.open", lambda c: c.get("users") == user)
    assert_valid_blocks(pick.get("blocks"))
    assert value_of(pick, f"{T.TOUR_PICK}:en") == "3:en"  # Security Council Affairs first

    me = Clicker(server, user, dm)
    card = me.click(f"{T.TOUR_PICK}:en", "3:en")
    assert "Tour · Security Council Affairs Division" in text_of(card)
    assert "Card 1 of 5" in text_of(card) and "(para. 2.8)" in text_of(card)
    seen = [text_of(card)]
    for _ in range(4):
        card = me.click(f"{T.TOUR_NAV}:next", value_of(card, f"{T.TOUR_NAV}:next"))
        seen.append(text_of(card))
    for i, title in enumerate(
        [
            "What the division does",
            "Its objective",
            "How its work is measured",
            "Its mandates",
            "Where it meets the other subprogrammes",
        ]
    ):
        assert f"Card {i + 1} of 5: *{title}*" in seen[i]
    assert "<https://undocs.org/S/RES/1373(2001)|1373 (2001)>" in text_of(card)
    assert "para. 2.4" in text_of(card)
    card = me.click(f"{T.TOUR_NAV}:back", value_of(card, f"{T.TOUR_NAV}:back"))
    assert "Card 4 of 5" in text_of(card)
    assert "<https://undocs.org/A/RES/686(VII)|686 (VII)>" in text_of(card)  # mandates, linked

    # Left here; "Take the tour" again (from the welcome in the DM) resumes at card 4.
    hook = uid("tour")
    send_form(
        server.events,
        block_action(B.TOUR_START, "resume", dm, server.stand_in.response_url(hook), user=user),
    )
    posts = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm, count=2)
    assert "Card 4 of 5" in text_of(posts[1]) and "Resumed where you left off" in text_of(posts[1])
    with sqlite3.connect(server.state_db) as db:
        assert db.execute(
            "SELECT subprogramme, language, step FROM tour_positions WHERE user_id = ?", (user,)
        ).fetchone() == (3, "en", 3)

    card = me.click(f"{T.TOUR_NAV}:next", value_of(card, f"{T.TOUR_NAV}:next"))
    quiz_id, quiz = take_the_self_check(me, me.click(T.QUIZ_START, value_of(card, T.QUIZ_START)))

    rows = stored_answers(
        server, quiz_id, "position, question_key, correct, subprogramme, language"
    )
    assert rows == [
        (i, s.question.key, int(ok), 3, "en")
        for i, (s, ok) in enumerate(zip(quiz, PLAN, strict=True))
    ]
    with sqlite3.connect(server.state_db) as db:  # finished: the next tour starts at the pick
        assert (
            db.execute("SELECT * FROM tour_positions WHERE user_id = ?", (user,)).fetchone() is None
        )
    summary = feedback_summary("--db", str(server.feedback_db))
    assert "Tour self-check:" in summary


def test_the_self_check_is_kept_in_postgresql_with_database_url(
    stand_in: StandIn, tmp_path: Path, postgres_url: str
) -> None:
    """A server with DATABASE_URL keeps the self-check answers in PostgreSQL, the first answer
    standing, and `programme-bot feedback` summarises them from there."""
    user = uid("U")
    dm = "D" + user[1:]
    with running_server(stand_in, tmp_path, DATABASE_URL=postgres_url) as server:
        me = Clicker(server, user, dm)
        quiz_id, quiz = take_the_self_check(me, me.click(T.QUIZ_START, "3:en"))
        assert not server.feedback_db.exists()  # nothing went to the SQLite default
    with psycopg.connect(postgres_url) as db:
        rows = db.execute(
            "SELECT position, question_key, correct, subprogramme, language, user_id "
            "FROM quiz_answers WHERE quiz_id = %s ORDER BY position",
            (quiz_id,),
        ).fetchall()
    assert rows == [
        (i, s.question.key, ok, 3, "en", user)
        for i, (s, ok) in enumerate(zip(quiz, PLAN, strict=True))
    ]
    summary = feedback_summary(DATABASE_URL=postgres_url)
    assert "Feedback: 0 votes" in summary and "Tour self-check: 5 answers, 60% right" in summary


def test_the_tour_in_chinese_from_the_messages_tab(server: Server) -> None:
    user, dm = uid("U"), uid("D")
    send_event(
        server.events,
        event_body({"type": "app_home_opened", "user": user, "channel": dm, "tab": "messages"}),
    )
    welcome = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm)[0]
    assert value_of(welcome, B.TOUR_START) == "resume"
    me = Clicker(server, user, dm)
    hook = uid("tour")
    send_form(
        server.events,
        block_action(B.TOUR_START, "resume", dm, server.stand_in.response_url(hook), user=user),
    )
    pick = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm, count=2)[
        1
    ]
    card = me.click(f"{T.TOUR_PICK}:zh", value_of(pick, f"{T.TOUR_PICK}:zh"))
    assert "导览 · 安全理事会事务司" in text_of(card) and "（第2.8段）" in text_of(card)
    for _ in range(3):
        card = me.click(f"{T.TOUR_NAV}:next", value_of(card, f"{T.TOUR_NAV}:next"))
    assert "<https://undocs.org/zh/S/RES/1373(2001)|1373 (2001)>" in text_of(card)
    pick = me.click(B.TOUR_START, value_of(card, B.TOUR_START))  # "Other division", in place
    card = me.click(f"{T.TOUR_PICK}:zh", "4:zh")
    assert "非殖民化股" in text_of(card)

    # Into the self-check, one answer, then away: "Take the tour" comes back to that answer.
    for _ in range(4):
        card = me.click(f"{T.TOUR_NAV}:next", value_of(card, f"{T.TOUR_NAV}:next"))
    question = me.click(T.QUIZ_START, value_of(card, T.QUIZ_START))
    assert "第1题，共5题" in text_of(question)
    told = me.click(f"{T.QUIZ_ANSWER}:2", value_of(question, f"{T.QUIZ_ANSWER}:2"))
    hook = uid("tour")
    send_form(
        server.events,
        block_action(B.TOUR_START, "resume", dm, server.stand_in.response_url(hook), user=user),
    )
    resumed = server.stand_in.wait_for(
        "chat.postMessage", lambda c: c.get("channel") == dm, count=3
    )[2]
    assert resumed.get("text") == told.get("text")  # the same verdict, shown again
    assert value_of(resumed, T.QUIZ_NEXT) == value_of(told, T.QUIZ_NEXT)


def home_opened(server: Server, user: str, shown_in: str | None = None) -> None:
    """The Home tab opened; `shown_in`: the language of the view Slack holds (sent back in the
    event's view, as Slack does once a view was published)."""
    event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": uid("D")}
    event["tab"] = "home"
    if shown_in is not None:
        event["view"] = {"id": uid("V"), "type": "home", "private_metadata": shown_in}
    send_event(server.events, event_body(event))


def test_the_home_tab_in_french_then_the_tour_and_self_check_in_french(server: Server) -> None:
    user = uid("U")
    dm = "D" + user[1:]
    home_opened(server, user)

    def published(n: int) -> dict[str, Any]:
        """The n-th Home tab published for this user."""
        calls = server.stand_in.wait_for(
            "views.publish", lambda c: c.get("user_id") == user, count=n
        )
        return calls[n - 1].get("view")

    english = published(1)
    assert english["private_metadata"] == "en" and "Take the tour" in json.dumps(english)

    # Français in the switch: the tab is published again in French, and stays French.
    send_form(server.events, click_form(f"{H.HOME_LANGUAGE}:fr", "fr", user))
    french = published(2)
    assert_valid_blocks(french["blocks"], max_blocks=100)
    text = json.dumps(french, ensure_ascii=False)
    assert french["private_metadata"] == "fr"
    assert "Posez vos questions en français" in text and "Visite guidée" in text
    home_opened(server, user, shown_in="fr")
    assert published(3)["private_metadata"] == "fr"
    home_opened(server, user, shown_in="<!channel>")  # not a language of ours: English
    assert published(4)["private_metadata"] == "en"

    # The French "Visite guidée" opens the pick in the DM, with a Français button per division.
    send_form(server.events, click_form(B.TOUR_START, "resume", user))
    pick = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm)[0]
    assert value_of(pick, f"{T.TOUR_PICK}:fr") == "3:fr"
    me = Clicker(server, user, dm)
    card = me.click(f"{T.TOUR_PICK}:fr", "3:fr")
    first = text_of(card)
    assert "Visite guidée · Division des affaires du Conseil de sécurité" in first
    assert "Fiche 1 sur 5 : *Ce que fait la division*" in first and "(par. 2.8)" in first
    assert "Texte français : traduction non officielle de l'original chinois." in first
    assert value_of(card, T.MAP_SHOW) == "3:fr"  # the map is drawn in every answered language
    for _ in range(3):
        card = me.click(f"{T.TOUR_NAV}:next", value_of(card, f"{T.TOUR_NAV}:next"))
    assert "Fiche 4 sur 5 : *Ses mandats*" in text_of(card)
    assert "<https://undocs.org/fr/S/RES/1535(2004)|1535 (2004)>" in text_of(card)
    assert "Revitalisation du Comité contre le terrorisme" in text_of(card)
    card = me.click(f"{T.TOUR_NAV}:next", value_of(card, f"{T.TOUR_NAV}:next"))
    question = me.click(T.QUIZ_START, value_of(card, T.QUIZ_START))
    assert "Question 1 sur 5" in text_of(question)
    assert "Quel service est chargé du sous-programme 3 ?" in text_of(question)
    quiz_id, quiz = take_the_self_check(me, question, "fr")

    rows = stored_answers(server, quiz_id, "position, correct, language")
    assert rows == [(i, int(ok), "fr") for i, ok in enumerate(PLAN)]


def test_a_stale_or_forged_button_gets_a_notice_not_an_error(server: Server) -> None:
    me = Clicker(server, uid("U"), uid("D"))
    for action_id, value in [
        (f"{T.TOUR_NAV}:next", "3:en:99"),
        (f"{T.TOUR_PICK}:en", "9:en"),
        (f"{T.QUIZ_ANSWER}:0", "3:en:not-a-quiz:0:0"),
        (f"{T.TOUR_PICK}:en", "<!channel>:en"),
        (f"{T.TOUR_PICK}:fr", "3:de"),
        (f"{T.TOUR_NAV}:next", "3:fr:٣"),
    ]:
        reply = me.click(action_id, value)
        assert "out of date" in reply.get("text")


def test_the_assistant_thread_offers_the_tour_and_posts_it_in_the_thread(server: Server) -> None:
    user, dm, thread_ts = uid("U"), uid("D"), message_ts()
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "channel_id": dm,
            "thread_ts": thread_ts,
            "context": {"channel_id": None, "team_id": None, "enterprise_id": None},
        },
    }
    send_event(server.events, event_body(event))
    greeting = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm)[0]
    send_form(
        server.events,
        click_form(
            B.TOUR_START, value_of(greeting, B.TOUR_START), user, channel=dm, thread_ts=thread_ts
        ),
    )
    pick = server.stand_in.wait_for("chat.postMessage", lambda c: c.get("channel") == dm, count=2)[
        1
    ]
    assert pick.get("thread_ts") == thread_ts
    assert value_of(pick, f"{T.TOUR_PICK}:en") == "3:en"
