"""The programme map as a Slack reply: a PNG uploaded with files_upload_v2 into the conversation,
with alt text that says the same structure in words.

A map is one more kind of reply on the exactly-once path of answering.py: the job records
`{"kind": "map", …}` as its reply, the post is the upload, and when an upload's outcome is unknown
the thread is read first. files.completeUploadExternal takes no message metadata, so the job is
named in the file's name instead ("programme-map-sp3-<job mark>.png"), and `carries_job` finds
it among the thread's files.

Drawing takes a fraction of a second; the outline (read off the library's document) and the
PNGs drawn are kept per document, and made again for the documents a hot reload reads anew.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from functools import lru_cache
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError
from slack_sdk.web import SlackResponse

from bot import languages
from bot.languages.messages import messages
from bot.onboarding.map.draw import MapError, MapRequest, draw, graph
from bot.onboarding.map.words import describe
from bot.records.labels import programme_name
from bot.records.library import Document
from bot.records.model import Programme
from bot.records.outline import Outline
from bot.surfaces.slack.transport.calls import Refused

logger = logging.getLogger(__name__)

MAP = "map"  # the reply kind
METHOD = "files.upload_v2"  # what SlackCalls names the three calls of an upload by


def cannot_post_here(lang: str) -> str:
    return messages(lang)("map.slack.cannot_post")


def title_of(programme: Programme, lang: str) -> str:
    """The uploaded file's title: "Programme 2: Political affairs", "方案2：政治事务结构图"."""
    return messages(lang)("map.slack.title", programme=programme_name(programme, lang))


def reply(request: MapRequest) -> dict[str, Any]:
    """The job's reply for a map request (JSON: saved in the job's progress)."""
    return {
        "kind": MAP,
        "lang": request.lang,
        "subprogramme": request.subprogramme,
        "highlight": request.highlight,
    }


def request_of(saved: dict[str, Any]) -> MapRequest:
    return MapRequest(saved["lang"], saved.get("subprogramme"), saved.get("highlight"))


def job_mark(job_id: str) -> str:
    return hashlib.sha256(job_id.encode("utf-8")).hexdigest()[:12]


def file_name(job_id: str, request: MapRequest) -> str:
    part = f"-sp{request.subprogramme}" if request.subprogramme else ""
    lang = "" if request.lang == languages.default() else f"-{request.lang}"
    return f"programme-map{part}{lang}-{job_mark(job_id)}.png"


def carries_job(message: dict[str, Any], job_id: str) -> bool:
    """Whether `message` shares the map that job `job_id` uploaded."""
    ending = f"-{job_mark(job_id)}.png"
    return any(str(f.get("name") or "").endswith(ending) for f in message.get("files") or [])


class Maps:
    """The outline of one document of the library and the PNGs drawn from it. A hot reload
    reads the library anew: its documents get new Maps (maps_for)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._lock = threading.Lock()
        self._png: dict[MapRequest, bytes] = {}

    def _current(self) -> Outline:
        return self.document.outline

    def problem(self, request: MapRequest) -> str | None:
        """Why this map cannot be drawn ("there is no subprogramme 9; …"), or None."""
        try:
            graph(self._current(), request)
        except MapError as exc:
            return str(exc)[:1].upper() + str(exc)[1:] + "."
        return None

    def png(self, request: MapRequest) -> bytes:
        outline = self._current()
        with self._lock:
            cached = self._png.get(request)
        if cached is None:
            cached = draw(outline, request, "png")
            with self._lock:
                self._png[request] = cached
        return cached

    def words(self, request: MapRequest) -> str:
        return describe(self._current(), request.lang, request.subprogramme)

    def title(self, request: MapRequest) -> str:
        outline = self._current()
        if request.subprogramme is None:
            return title_of(self.document.programme, request.lang)
        return outline.subprogramme(request.subprogramme).name(request.lang)


@lru_cache(maxsize=8)  # documents compare by identity: a reloaded library gets new Maps
def maps_for(document: Document) -> Maps:
    return Maps(document)


def comment(request: MapRequest, document: Document) -> str:
    say = messages(request.lang)
    if request.subprogramme is None:
        programme = document.programme
        manifest = document.manifest
        department = document.glossary.name_in(manifest.department, request.lang)
        example = manifest.tour[0] if manifest.tour else 1
        return say(
            "map.slack.whole",
            number=manifest.number,
            programme=programme_name(programme, request.lang),
            department=department or manifest.department,
            example=example,
        )
    return say("map.slack.detail", n=request.subprogramme)


def upload(
    client: WebClient,
    maps: Maps,
    job_id: str,
    channel: str,
    thread_ts: str | None,
    request: MapRequest,
) -> SlackResponse:
    """files_upload_v2 of the map into the conversation: the call SlackCalls makes for the
    job. Its first two steps are safe to repeat (an upload never completed is never shown);
    a failed byte upload is an outcome to look up, like a dropped connection; a map that cannot
    be drawn is refused (the job posts its apology)."""
    try:
        png = maps.png(request)
    except MapError as exc:
        logger.error("cannot draw the map %s: %s", request, exc)
        raise Refused(METHOD, "map_not_drawn") from exc
    try:
        return client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            file=png,
            filename=file_name(job_id, request),
            title=maps.title(request),
            alt_txt=maps.words(request),
            initial_comment=comment(request, maps.document),
        )
    except SlackRequestError as exc:  # the upload URL answered, but not 200
        raise ConnectionError(f"file upload: {exc}") from exc
