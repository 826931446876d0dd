"""A newcomer's unit card and French answers over the real `programme-bot serve --http`
process: signed requests in, what reached the Slack Web API stand-in checked.

- "I just joined SCAD. What does my division do?" is answered with a card that shows at most
  900 characters (counted here from the posted blocks: section and context text) and a Whole
  card button whose modal holds the whole card, as stored by the server;
- an ordinary answer is rendered as ever (lead in full, sources with their buttons);
- an answer to a French question has French labels, bodies and titles.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from slack_payloads import (
    assert_valid_blocks,
    assert_valid_view,
    block_action,
    command_form,
    event_body,
    live_mentions,
    mention,
    send_event,
    send_form,
    uid,
)
from slack_server import Server
from slack_stand_in import Call

from bot.surfaces.slack.views import blocks as B

pytestmark = pytest.mark.slow

NEWCOMER = "I just joined SCAD. What does my division do?"
CARD_CHARS = 900


def _answer(server: Server, question: str) -> Call:
    channel = uid("C")
    event = mention(channel, question)
    assert send_event(server.events, event_body(event)).status == 200
    return server.stand_in.wait_for(
        "chat.postMessage",
        lambda c: c.get("channel") == channel and c.get("thread_ts") == event["ts"],
        timeout=60,
    )[0]


def _shown(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text Slack shows of a message or view: section texts, context elements."""
    texts = []
    for block in blocks:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [e["text"] for e in block["elements"]]
    return texts


def _plain(mrkdwn: str) -> str:
    return mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _button(call: Call, action_id: str) -> dict[str, Any]:
    for block in call.get("blocks") or []:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == action_id:
                return element
        if block.get("accessory", {}).get("action_id") == action_id:
            return block["accessory"]
    raise AssertionError(f"no {action_id} in {json.dumps(call.params)[:1500]}")


def _stored(server: Server, answer_id: str) -> dict[str, Any]:
    with sqlite3.connect(server.state_db) as db:
        row = db.execute("SELECT json FROM answers WHERE id = ?", (answer_id,)).fetchone()
    assert row, answer_id
    return json.loads(row[0])


def _open(server: Server, action_id: str, value: str) -> dict[str, Any]:
    trigger = uid("trigger.")
    form = block_action(
        action_id, value, uid("C"), server.stand_in.response_url(uid("a")), trigger_id=trigger
    )
    reply = send_form(server.events, form)
    assert reply.status == 200 and reply.seconds < 3
    call = server.stand_in.wait_for("views.open", lambda c: c.get("trigger_id") == trigger)[0]
    view = call.get("view")
    assert_valid_view(view)
    return view


def test_a_newcomer_s_unit_card_is_compact_and_its_button_opens_the_whole_card(
    server: Server,
) -> None:
    posted = _answer(server, NEWCOMER)
    blocks = posted.get("blocks")
    assert_valid_blocks(blocks)
    assert live_mentions(posted.params) == []
    shown = _shown(blocks)
    assert sum(len(t) for t in shown) <= CARD_CHARS
    assert shown[0].startswith("*Security Council Affairs Division (安全理事会事务司)")

    whole = _button(posted, B.WHOLE_CARD)
    assert whole["text"]["text"] == "Whole card"
    stored = _stored(server, whole["value"])
    card = stored["answer"]
    assert stored["kind"] == "card" and len(card) > 1500  # what was shortened
    # Each clause of the card is there, cut at a word boundary where it is long.
    bullets = [line[2:] for line in card.splitlines() if line.startswith("• ")]
    shown_bullets = _plain(shown[1]).split("\n")
    assert len(shown_bullets) == len(bullets) == 9
    cut = [s for s in shown_bullets if s.endswith("…")]
    assert cut
    for s, b in zip(shown_bullets, bullets, strict=True):
        kept = s[2:].removesuffix("…")
        assert b.startswith(kept) and (kept == b or b[len(kept)] in " ,;:")
    notes = [_plain(t) for t in shown[2:]]
    assert notes[0].startswith("Objective: ") and notes[0].endswith("(Subprogramme 3, objective).")
    assert notes[1].startswith("Measured by: (a) ")
    # Six mandates: few enough to be named on the card.
    assert notes[2].startswith("Mandates: Charter") and "1373 (2001), 1535 (2004)" in notes[2]

    view = _open(server, B.WHOLE_CARD, whole["value"])
    assert view["title"]["text"] == "Whole card"
    modal = _plain("\n".join(_shown(view["blocks"])))
    for line in card.splitlines():
        assert line in modal  # the whole card, every clause in full
    assert "para. 2.8" in modal and "Subprogramme 3, legislative mandates" in modal

    # A forged value is never looked up: the "no longer stored" modal.
    for forged in ("٣" * 32, whole["value"].upper(), whole["value"] + ":0"):
        missing = _open(server, B.WHOLE_CARD, forged)
        assert "no longer stored" in json.dumps(missing)


def test_an_ordinary_answer_is_rendered_as_before(server: Server) -> None:
    posted = _answer(server, "What does the Special Committee keep under review?")
    blocks = posted.get("blocks")
    assert_valid_blocks(blocks)
    answer_id = _button(posted, B.FEEDBACK_UP)["value"]
    stored = _stored(server, answer_id)
    assert stored["kind"] != "card"
    lead = stored["answer"].splitlines()[0]
    assert blocks[0]["text"]["text"] == B.escape(lead)  # the lead in full, not a card header
    assert "*Sources*" in json.dumps(blocks)
    assert _button(posted, B.SHOW_PASSAGE)["value"] == f"{answer_id}:0"
    assert B.WHOLE_CARD not in json.dumps(blocks)


def test_a_french_question_gets_french_labels_bodies_and_titles(server: Server) -> None:
    hook = uid("cmd")
    form = command_form(
        "/programme",
        "De quoi traite la résolution 1373 (2001) ?",
        uid("C"),
        server.stand_in.response_url(hook),
    )
    assert send_form(server.events, form).status == 200
    response = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook), timeout=60)[0]
    blocks = response.get("blocks")
    assert_valid_blocks(blocks)
    text = json.dumps(blocks, ensure_ascii=False)
    assert text.count("Mesures visant à éliminer le terrorisme international") >= 2  # text, list
    for label in (
        "*Question:*",
        "*Sources*",
        "Voir le passage complet",
        "*Mandats*",
        "· Conseil de sécurité —",
        "Les titres français sont des traductions non officielles.",
        "👍 Utile",
        "👎 Pas utile",
        "Partager dans le canal",
    ):
        assert label in text, label
    assert "<https://undocs.org/fr/S/RES/1373(2001)|1373 (2001)>" in text
    for english in ("Show full passage", "Helpful", "Share in channel", "English titles"):
        assert english not in text, english

    # The passage modal and the feedback modal are in French too.
    view = _open(server, B.SHOW_PASSAGE, _button(response, B.SHOW_PASSAGE)["value"])
    assert view["title"]["text"] == "Passage complet"
    feedback = _open(server, B.FEEDBACK_UP, _button(response, B.FEEDBACK_UP)["value"])
    assert feedback["title"]["text"] == "Votre avis"
