"""The tour's "See the map": the whole programme map, the tour's subprogramme marked, uploaded
into the conversation the tour is in (its DM, or its assistant thread).

Map requests in words ("show me the programme") arrive as questions (events.py) and are told
apart by the worker (answering.py); /programme map is in commands.py. All three end in a "map"
reply uploaded on the same exactly-once path as answers (map_upload.py).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.programme_map import LANGUAGES, MapRequest
from bot.slack import map_upload
from bot.slack.answering import Conversation, Question
from bot.slack.deps import Deps
from bot.slack.tour_blocks import MAP_SHOW
from bot.slack.work import Job

logger = logging.getLogger(__name__)


def _request(value: str) -> MapRequest | None:
    """ "3:en" → the whole map in English with subprogramme 3 marked; None for a stale value."""
    sp, _, lang = value.partition(":")
    if not sp.isdigit() or lang not in LANGUAGES:
        return None
    return MapRequest(lang, None, highlight=int(sp))


def register(app: App, deps: Deps) -> None:
    maps = map_upload.maps_for(deps.settings.corpus_dir)

    @app.action(MAP_SHOW)
    def on_see_the_map(ack: Ack, body: dict[str, Any]) -> None:
        action = (body.get("actions") or [{}])[0]
        request = _request(action.get("value", ""))
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        if request is None or channel is None or maps.problem(request):
            logger.info("ignored a See the map click with value %r", action.get("value"))
            ack()
            return
        message = body.get("message") or {}
        user = body["user"]["id"]
        thread_ts = message.get("thread_ts")
        conversation = Conversation(channel, thread_ts, "assistant" if thread_ts else "dm")
        asked = Question(action.get("text", {}).get("text") or "See the map", user, conversation)
        # One map per tour message per person: a double click is one request.
        job_id = f"map:{channel}:{message.get('ts')}:{user}"
        payload = {"question": asked.to_json(), "map": map_upload.reply(request)}
        deps.enqueue(Job(job_id, channel, "map", payload))
        ack()  # after the request is recorded: an acked click gets its map
