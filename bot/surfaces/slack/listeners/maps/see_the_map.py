"""The tour's "See the map": the whole programme map, the tour's subprogramme marked, uploaded
into the conversation the tour is in (its DM, or its assistant thread).

Map requests in words ("show me the programme") arrive as questions (runtime/questions.py) and
are told apart by the worker (runtime/answering.py); /programme map is in commands/. All three
end in a "map" reply uploaded on the same exactly-once path as answers (runtime/map_upload.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack

from bot.onboarding.map.draw import MapRequest, languages_drawn
from bot.stores.work import Job
from bot.surfaces.slack.runtime import map_upload
from bot.surfaces.slack.runtime.answering import Conversation, Question
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import Click

logger = logging.getLogger(__name__)

_SUBPROGRAMME = re.compile(r"^[0-9]{1,2}$")  # str.isdigit() also takes "²" (int() then fails)


def map_request(value: str) -> MapRequest | None:
    """ "3:en" → the whole map in English with subprogramme 3 marked; None for a stale value."""
    sp, _, lang = value.partition(":")
    if not _SUBPROGRAMME.match(sp) or lang not in languages_drawn():
        return None
    return MapRequest(lang, None, highlight=int(sp))


@contained
def on_see_the_map(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    click = Click.model_validate(body)
    request = map_request(click.value)
    channel = click.channel_id
    # The library served now (a hot reload swaps it with the answers); made once per document.
    maps = map_upload.maps_for(deps.answerer.library.first)
    if request is None or channel is None or maps.problem(request):
        logger.info("ignored a See the map click: a stale value or no channel")
        ack()
        return
    user, thread_ts = click.user_id, click.thread_ts
    conversation = Conversation(channel, thread_ts, "assistant" if thread_ts else "dm")
    label = click.action.text.text if click.action.text else ""
    asked = Question(label or "See the map", user, conversation)
    # One map per tour message per person: a double click is one request.
    message_ts = click.message.ts if click.message else None
    job_id = f"map:{channel}:{message_ts}:{user}"
    payload = {"question": asked.to_json(), "map": map_upload.reply(request)}
    deps.enqueue(Job(job_id, channel, "map", payload))
    ack()  # after the request is recorded: an acked click gets its map
