"""The programme map as a Slack reply: a PNG uploaded with files_upload_v2 into the conversation,
with alt text that says the same structure in words.

A map is one more kind of reply on the exactly-once path of answering.py: the job records
`{"kind": "map", …}` as its reply, the post is the upload, and when an upload's outcome is unknown
the thread is read first. files.completeUploadExternal takes no message metadata, so the job is
named in the file's name instead ("programme-map-sp3-<job mark>.png"), and `carries_job` finds
it among the thread's files.

Drawing takes a fraction of a second; the outline (read off the corpus) and the PNGs drawn are
kept per process and drawn again when the corpus files change.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError
from slack_sdk.web import SlackResponse

from bot.onboarding.map.draw import MapError, MapRequest, draw, graph
from bot.onboarding.map.words import describe
from bot.records.outline import Outline, load_outline
from bot.surfaces.slack.transport.calls import Refused

logger = logging.getLogger(__name__)

MAP = "map"  # the reply kind
METHOD = "files.upload_v2"  # what SlackCalls names the three calls of an upload by
COMMENT = {
    "en": {
        None: "Programme 2 at a glance: the Department, its subprogrammes, the units that carry "
        "them and the bodies they serve, with indicators and mandates. For one subprogramme in "
        "detail, ask for “map of subprogramme 3”.",
        "sp": "Subprogramme {n} in detail: every indicator and every mandate, by body.",
    },
    "zh": {
        None: "方案2结构图：政治事务部、各次级方案、负责的单位及其服务的机构，"
        "附绩效指标和授权文书。如需某一次级方案的详图，请说“次级方案3的结构图”。",
        "sp": "次级方案{n}详图：全部绩效指标和授权文书。",
    },
}
CANNOT_POST_HERE = {
    "en": "I could not post the map here: add me to this channel (/invite @Programme Bot) or ask "
    "me in a direct message.",
    "zh": "无法在此处发布结构图：请把我加入该频道（/invite @Programme Bot），或在私信中问我。",
}


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
    return f"programme-map{part}{'-zh' if request.lang == 'zh' else ''}-{job_mark(job_id)}.png"


def carries_job(message: dict[str, Any], job_id: str) -> bool:
    """Whether `message` shares the map that job `job_id` uploaded."""
    ending = f"-{job_mark(job_id)}.png"
    return any(str(f.get("name") or "").endswith(ending) for f in message.get("files") or [])


class Maps:
    """The outline of one corpus folder and the PNGs drawn from it, redrawn when it changes."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int], ...] | None = None
        self._outline: Outline | None = None
        self._png: dict[MapRequest, bytes] = {}

    def _current(self) -> Outline:
        stamp = tuple(
            sorted((p.name, p.stat().st_mtime_ns) for p in self.corpus_dir.iterdir() if p.is_file())
        )
        with self._lock:
            if stamp != self._stamp or self._outline is None:
                self._outline, self._stamp, self._png = load_outline(self.corpus_dir), stamp, {}
            return self._outline

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
            return (
                "方案2：政治事务结构图"
                if request.lang == "zh"
                else "Programme 2: Political affairs"
            )
        return outline.subprogramme(request.subprogramme).name(request.lang)


_maps: dict[Path, Maps] = {}
_maps_lock = threading.Lock()


def maps_for(corpus_dir: Path) -> Maps:
    with _maps_lock:
        return _maps.setdefault(corpus_dir, Maps(corpus_dir))


def comment(request: MapRequest) -> str:
    words = COMMENT[request.lang]
    if request.subprogramme is None:
        return words[None]
    return words["sp"].format(n=request.subprogramme)


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
            initial_comment=comment(request),
        )
    except SlackRequestError as exc:  # the upload URL answered, but not 200
        raise ConnectionError(f"file upload: {exc}") from exc
