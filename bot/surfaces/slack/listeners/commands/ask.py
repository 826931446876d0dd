"""/programme <question> (a private answer with "Share in channel") and /mandate <topic|symbol>;
/programme map [N] [zh] (the programme map, uploaded into the conversation).

Both record the question as pending work, then ack with nothing visible; a worker answers
through the command's response_url (jobs.py): that works in any channel or DM, whether or not
the bot is a member, and survives a restart between the ack and the answer. A map is a file, so
it is uploaded where the command was typed; arguments it cannot draw are refused in the ack.
"""

from __future__ import annotations

import uuid
from typing import Any

from slack_bolt import Ack

from bot import languages
from bot.languages.messages import messages
from bot.onboarding.map.draw import MapRequest
from bot.onboarding.map.request import CommandError
from bot.onboarding.map.request import command as map_command
from bot.onboarding.map.request import detect as detect_map_request
from bot.ops.redaction import redact
from bot.records.model import Programme
from bot.stores.work import Job, StoreUnavailable
from bot.surfaces.slack.runtime import map_upload
from bot.surfaces.slack.runtime.answering import Conversation, Question
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import contained
from bot.surfaces.slack.transport.payloads import SlashCommand
from bot.surfaces.slack.views.mrkdwn import from_slack


def programme_usage(programme: Programme) -> str:
    """How to use /programme, naming the programme answered."""
    manifest = programme.manifest
    lang = languages.default()
    number, title = (manifest.number, manifest.title_in(lang)) if manifest else ("", "")
    return messages(lang)("slack.programme_usage", number=number, title=title)


MANDATE_USAGE = (
    "Give a topic or a resolution symbol, e.g. `/mandate Western Sahara` or `/mandate 1373 (2001)`"
)
BUSY = "Sorry, I cannot take questions right now. Please try again in a minute."


@contained
def on_programme(ack: Ack, command: dict[str, Any], deps: Deps) -> None:
    _handle(ack, command, deps, mandates=False)


@contained
def on_mandate(ack: Ack, command: dict[str, Any], deps: Deps) -> None:
    _handle(ack, command, deps, mandates=True)


def map_job(deps: Deps, command: SlashCommand, text: str, request: MapRequest) -> Job | str:
    """The job that uploads the map a command asks for, or why it cannot be drawn."""
    problem = map_upload.maps_for(deps.answerer.library.first).problem(request)
    if problem:
        return problem
    user, channel = command.user_id, command.channel_id or ""
    asked = Question(text, user, Conversation(channel, None, "command"))
    return Job(
        id=f"command:{command.trigger_id or uuid.uuid4().hex}",
        lane=channel or user,
        kind="map",
        payload={
            "question": asked.to_json(),
            "map": map_upload.reply(request),  # drawn by the worker
            "response_url": command.response_url,
        },
    )


def _handle(ack: Ack, command: dict[str, Any], deps: Deps, mandates: bool) -> None:
    asked = SlashCommand.model_validate(command)
    text = redact(from_slack(asked.text)).strip()  # pasted credentials are never stored
    if not text:
        programme = deps.answerer.library.first.programme
        usage = MANDATE_USAGE if mandates else programme_usage(programme)
        ack(response_type="ephemeral", text=usage)
        return
    if not mandates:
        try:
            request = map_command(text) or detect_map_request(text)
        except CommandError as exc:
            ack(response_type="ephemeral", text=str(exc))
            return
        if request:
            _enqueue(ack, deps, map_job(deps, asked, text, request))
            return
    user, channel = asked.user_id, asked.channel_id
    job = Job(
        id=f"command:{asked.trigger_id or uuid.uuid4().hex}",
        lane=channel or user,
        kind="private",
        payload={
            "text": text,
            "user": user,
            "channel": channel,
            "response_url": asked.response_url,
            "mandates": mandates,
        },
    )
    _enqueue(ack, deps, job)


def _enqueue(ack: Ack, deps: Deps, job: Job | str) -> None:
    if isinstance(job, str):  # a request refused before any work
        ack(response_type="ephemeral", text=job)
        return
    try:
        deps.enqueue(job)
    except StoreUnavailable:
        ack(response_type="ephemeral", text=BUSY)
        return
    ack()
