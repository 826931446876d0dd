"""The programme map over the real `programme-bot serve --http` process: signed requests in
(mentions, DMs, retried events, /programme map, the tour's "See the map"), and what reached the
Web API stand-in checked: one files_upload_v2 per request, into the right conversation, a PNG at
least 1200 px wide, alt text that says the structure in words; faults on the upload included.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from slack_payloads import (
    block_action,
    command_form,
    event_body,
    mention,
    message,
    message_ts,
    send_event,
    send_form,
    uid,
)
from slack_server import Server

from bot.onboarding.map.draw import png_size
from bot.surfaces.slack.views import tour as T

pytestmark = pytest.mark.slow

COMPLETE = "files.completeUploadExternal"


def completed_in(channel: str):
    return lambda c: c.get("channel_id") == channel


def finished(server: Server, event: dict[str, Any], timeout: float = 60) -> None:
    """The 👀 came off the request's message: its job is over, whatever happened."""
    server.stand_in.wait_for(
        "reactions.remove", lambda c: c.get("timestamp") == event["ts"], timeout=timeout
    )


def one_upload(server: Server, channel: str, thread_ts: str | None) -> dict[str, Any]:
    """The one file shared in the conversation; its bytes are a PNG ≥ 1200 px wide."""
    [upload] = server.stand_in.uploads(channel, thread_ts)
    assert png_size(upload["data"])[0] >= 1200
    assert len(upload["data"]) == upload["length"]
    return upload


def test_show_me_the_programme_uploads_the_map_into_the_thread(server: Server) -> None:
    channel = uid("C")
    event = mention(channel, "Show me the programme")
    assert send_event(server.events, event_body(event)).status == 200
    server.stand_in.wait_for(COMPLETE, completed_in(channel))
    finished(server, event)
    upload = one_upload(server, channel, event["ts"])
    assert upload["name"].startswith("programme-map-") and upload["name"].endswith(".png")
    words = upload["alt_txt"]
    assert len(words) <= 1000
    for name in ("Security Council affairs", "Decolonization", "SCAD", "31 GA", "UNSCO"):
        assert name in words
    [shared] = server.stand_in.replies(channel, event["ts"])
    assert shared["files"][0]["title"] == "Programme 2: Political affairs"
    assert "subprogramme" in shared["text"]  # the comment says how to ask for one in detail
    assert server.stand_in.find("chat.postMessage", lambda c: c.get("channel") == channel) == []


def test_a_retried_event_uploads_once(server: Server) -> None:
    channel = uid("C")
    event = mention(channel, "programme map")
    body = event_body(event)
    assert send_event(server.events, body).status == 200
    for retry in (1, 2):  # Slack re-sends when it thinks the first delivery timed out
        assert send_event(server.events, body, retry=retry).status == 200
    finished(server, event)
    time.sleep(1.0)  # anything a duplicate would have started has had time to post
    one_upload(server, channel, event["ts"])
    assert len(server.stand_in.find(COMPLETE, completed_in(channel))) == 1


def test_a_chinese_request_in_a_dm_gets_the_chinese_map_there(server: Server) -> None:
    channel = uid("D")
    event = message(channel, "方案结构图", channel_type="im")
    send_event(server.events, event_body(event))
    finished(server, event)
    upload = one_upload(server, channel, None)
    assert upload["name"].startswith("programme-map-zh-")
    assert "安全理事会事务司" in upload["alt_txt"] and "政治事务部" in upload["alt_txt"]


def test_a_subprogramme_map_lists_its_mandates_in_words(server: Server) -> None:
    channel = uid("C")
    event = mention(channel, "map of subprogramme 3")
    send_event(server.events, event_body(event))
    finished(server, event)
    upload = one_upload(server, channel, event["ts"])
    assert "-sp3-" in upload["name"]
    assert upload["title"] == "Subprogramme 3: Security Council affairs"
    for symbol in ("686 (VII)", "55/222", "58/248", "1373 (2001)", "1535 (2004)"):
        assert symbol in upload["alt_txt"]


def test_a_map_of_a_subprogramme_that_does_not_exist_gets_a_notice_and_no_upload(
    server: Server,
) -> None:
    channel = uid("C")
    event = mention(channel, "map of subprogramme 9")
    send_event(server.events, event_body(event))
    finished(server, event)
    [notice] = server.stand_in.replies(channel, event["ts"])
    assert "There is no subprogramme 9; the programme has 1 to 6." in notice["text"]
    assert server.stand_in.find(COMPLETE, completed_in(channel)) == []


# ----------------------------------------------------------------------------- faults


@pytest.mark.parametrize("carried_out", [True, False], ids=["landed", "lost"])
def test_a_dropped_upload_is_looked_up_and_never_shared_twice(
    server: Server, carried_out: bool
) -> None:
    channel = uid("C")
    server.stand_in.fail_next(COMPLETE, drop=True, carried_out=carried_out, channel=channel)
    event = mention(channel, "Show me the programme")
    send_event(server.events, event_body(event))
    finished(server, event)
    one_upload(server, channel, event["ts"])  # landed: found, not repeated; lost: sent again
    assert len(server.stand_in.find(COMPLETE, completed_in(channel))) == (1 if carried_out else 2)
    lookups = server.stand_in.find("conversations.replies", lambda c: c.get("channel") == channel)
    assert lookups  # looked before uploading again


def test_an_upload_url_that_fails_is_tried_again(server: Server) -> None:
    channel = uid("C")
    before = len(server.stand_in.find("upload"))
    server.stand_in.fail_next("upload", status=500)
    event = mention(channel, "programme map")
    send_event(server.events, event_body(event))
    finished(server, event)
    one_upload(server, channel, event["ts"])
    assert len(server.stand_in.find("upload")) >= before + 2


def test_a_refused_upload_ends_in_the_apology(server: Server) -> None:
    channel = uid("C")
    server.stand_in.fail_next(
        COMPLETE, status=200, body={"ok": False, "error": "invalid_arguments"}, channel=channel
    )
    event = mention(channel, "programme map")
    send_event(server.events, event_body(event))
    finished(server, event)
    [reply] = server.stand_in.replies(channel, event["ts"])
    assert "something went wrong" in reply["text"] and "files" not in reply


# ----------------------------------------------------------------------------- /programme map


def command(server: Server, text: str, channel: str) -> tuple[Any, str]:
    hook = uid("cmd")
    form = command_form("/programme", text, channel, server.stand_in.response_url(hook))
    reply = send_form(server.events, form)
    assert reply.status == 200 and reply.seconds < 3
    return reply, hook


def test_programme_map_uploads_the_subprogramme_into_the_channel(server: Server) -> None:
    channel = uid("C")
    reply, _ = command(server, "map 3 zh", channel)
    assert reply.body == ""  # nothing visible until the map comes
    server.stand_in.wait_for(COMPLETE, completed_in(channel))
    upload = one_upload(server, channel, None)
    assert "-sp3-zh-" in upload["name"] and "安全理事会事务司" in upload["alt_txt"]


@pytest.mark.parametrize(
    "text, says",
    [("map 9", "There is no subprogramme 9"), ("map three", "/programme map 3")],
)
def test_programme_map_with_bad_arguments_says_why_in_the_ack(
    server: Server, text: str, says: str
) -> None:
    channel = uid("C")
    reply, _ = command(server, text, channel)
    answer = json.loads(reply.body)
    assert answer["response_type"] == "ephemeral" and says in answer["text"]
    time.sleep(0.5)
    assert server.stand_in.find(COMPLETE, completed_in(channel)) == []


def test_programme_map_where_the_bot_cannot_post_says_so_privately(server: Server) -> None:
    channel = uid("C")
    server.stand_in.fail_next(
        COMPLETE, status=200, body={"ok": False, "error": "not_in_channel"}, channel=channel
    )
    _, hook = command(server, "map", channel)
    told = server.stand_in.wait_for("response", lambda c: c.path.endswith(hook))[0]
    assert told.get("response_type") == "ephemeral" and "/invite" in told.get("text")
    assert server.stand_in.uploads(channel, None) == []


# ----------------------------------------------------------------------------- the tour


def see_the_map(server: Server, channel: str, ts: str, thread_ts: str | None = None) -> None:
    form = block_action(
        T.MAP_SHOW, "3:en", channel, server.stand_in.response_url(uid("hook")), message_ts_=ts
    )
    if thread_ts:  # the tour in an assistant thread: the click's message is in that thread
        payload = json.loads(parse_qs(form)["payload"][0])
        payload["message"]["thread_ts"] = thread_ts
        form = urlencode({"payload": json.dumps(payload)})
    assert send_form(server.events, form).status == 200


def test_see_the_map_uploads_the_whole_map_once_per_tour_message(server: Server) -> None:
    channel, ts = uid("D"), message_ts()
    see_the_map(server, channel, ts)
    see_the_map(server, channel, ts)  # a double click
    server.stand_in.wait_for(COMPLETE, completed_in(channel))
    time.sleep(1.0)
    upload = one_upload(server, channel, None)
    assert "Security Council Affairs Division" in upload["alt_txt"] or "SCAD" in upload["alt_txt"]
    assert len(server.stand_in.find(COMPLETE, completed_in(channel))) == 1


def test_see_the_map_in_an_assistant_thread_goes_into_that_thread(server: Server) -> None:
    channel, root = uid("D"), message_ts()
    see_the_map(server, channel, message_ts(), thread_ts=root)
    server.stand_in.wait_for(COMPLETE, completed_in(channel))
    one_upload(server, channel, root)
    statuses = server.stand_in.wait_for(  # "is reading the programme…", then cleared
        "assistant.threads.setStatus", lambda c: c.get("channel_id") == channel, count=2
    )
    assert [c.get("status") for c in statuses][-1] == ""
