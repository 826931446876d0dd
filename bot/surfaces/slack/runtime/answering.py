"""From a question in a conversation to exactly one reply in the right place, after the ack.

Listeners decide *whether* and *where* to answer; this module does the slow part on the worker
threads, as a job that survives a crash: 👀 while working, the pipeline (with the thread's
previous Answer as context), one Block Kit message, the thread state, and the 👀 taken off.

Each step is recorded in the job's progress before its effect leaves the process, so a job
resumed after a crash (or retried after a fault) neither recomputes nor posts twice:
- every reply carries message metadata naming its job (a map, uploaded as a file, carries it in
  the file's name: map_upload.py); when an earlier post may have landed
  (dropped connection, timeout, 5xx, or a crash mid-post) the thread is read first, and the
  reply is posted only if it is not there;
- the apology (with a correlation id for the log) is posted only when the answer surely did
  not land: Slack refused it, or it is not in the thread after MAX_POST_ATTEMPTS tries.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import asdict, dataclass
from typing import Any

from bot.answer import Answer
from bot.languages import detect
from bot.onboarding.map.draw import MapRequest
from bot.onboarding.map.request import detect as detect_map_request
from bot.ops import metrics
from bot.ops.logs import correlation_id
from bot.ops.redaction import redact
from bot.pipeline import QuestionError
from bot.stores.state import DM_FOLLOW_UP_WINDOW_S, DM_ROOT
from bot.stores.work import Job, Later, StoreUnavailable
from bot.surfaces.slack.runtime import map_upload
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.lanes import LaneBusy
from bot.surfaces.slack.transport.calls import (
    OutcomeUnknown,
    RateLimited,
    Refused,
    backoff,
    marked_job,
    message_metadata,
    retry_after_seconds,
)
from bot.surfaces.slack.transport.hooks import webhook
from bot.surfaces.slack.views.blocks import answer_blocks, answer_fallback_text, notice_blocks
from bot.surfaces.slack.views.mrkdwn import escape

logger = logging.getLogger(__name__)

WORKING_REACTION = "eyes"
WORKING_STATUS = "is reading the programme…"
MAX_POST_ATTEMPTS = 3  # posts of one reply whose outcome was unknown, before the apology
MAX_FINISH_ATTEMPTS = 5  # taking the 👀 off when rate-limited
GIVE_UP_S = 15 * 60  # a job older than this ends (logged) instead of waiting any longer
LOOKUP_PAGES = 5
COMMAND = "command"  # the conversation kind of /programme and /mandate answers, in metrics
# Errors after which nothing at all can be posted in that conversation.
CANNOT_POST = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "channel_is_archived",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "missing_scope",
    "restricted_action",
    "team_access_not_granted",
}
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Conversation:
    channel: str
    thread_ts: str | None  # where answers go; None = the top level of a direct message
    kind: str  # "channel" | "dm" | "assistant"

    @property
    def key(self) -> str:
        return self.thread_ts or DM_ROOT


@dataclass(frozen=True)
class Question:
    text: str  # plain text, Slack markup already resolved
    user: str
    conversation: Conversation
    message_ts: str | None = None  # the user's message, which gets the 👀
    show_question: bool = False  # echo the question (it was a button, not a typed message)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        return cls(**{**data, "conversation": Conversation(**data["conversation"])})


def apology(question: str, cid: str) -> str:
    if _CJK.search(question):
        return f"抱歉，回答时出错了，请稍后再试。（编号 {cid}）"
    return f"Sorry, something went wrong while answering. Please try again. (ref {cid})"


# ----------------------------------------------------------------------------- the job


def answer(
    deps: Deps, job: Job, question: Question, reply: dict[str, Any] | None = None
) -> Later | None:
    """Run (or resume) the answer to `question`; Later when it must wait, None when finished.
    `reply`: one decided before the job ran (a map asked for by a button or /programme map)."""
    progress = job.progress
    try:
        if not progress.get("working"):
            _show_working(deps, job, question)
            progress["working"] = True
            deps.work.save_progress(job)
        if "reply" not in progress:
            progress["reply"] = reply or _compute(deps, job, question)
            deps.work.save_progress(job)
        if "posted" not in progress:
            if time.time() - job.created_at > GIVE_UP_S:
                logger.error(
                    "gave up posting job=%s channel=%s: Slack kept failing",
                    job.id,
                    question.conversation.channel,
                )
                progress["posted"] = "nothing"
            else:
                later = _post_once(deps, job, question)
                if later:
                    return later
        _count_outcome(deps, job, question)
        return _finish(deps, job, question)
    except (RateLimited, LaneBusy) as exc:  # waits holding its channel, not a thread
        return Later(exc.until, str(exc))
    except OutcomeUnknown as exc:
        return Later(time.time() + backoff(job.attempts), str(exc))


def _compute(deps: Deps, job: Job, question: Question) -> dict[str, Any]:
    """The reply to post, as data: an answer (stored, by id), a notice, or an apology."""
    conv = question.conversation
    started = time.perf_counter()
    try:
        request = detect_map_request(question.text)
        if request:  # "show me the programme": the map, not an answer in words
            return map_reply(deps, request)
        window = DM_FOLLOW_UP_WINDOW_S if conv.key == DM_ROOT else None
        previous = deps.state.previous_answer(conv.channel, conv.key, max_age_s=window)
        try:
            # Masked again: a job recorded by an older version may hold a pasted credential.
            result = deps.answerer.ask(redact(question.text), previous=previous, job=job.id)
        except QuestionError as exc:  # not a question, or past its deadline (lanes.TooLong)
            return {"kind": "notice", "text": str(exc)}
        answer_id = deps.state.save_answer(result, conv.channel, question.user)
        _log_answer(conv, result, started)
        return {"kind": "answer", "answer_id": answer_id}
    except (StoreUnavailable, LaneBusy):
        raise  # not the answer's fault: the job waits (dispatcher.py, answer above)
    except Exception:
        cid = correlation_id()
        logger.exception(
            "answer failed cid=%s channel=%s thread=%s", cid, conv.channel, conv.thread_ts
        )
        return {"kind": "apology", "cid": cid}


def map_reply(deps: Deps, request: MapRequest) -> dict[str, Any]:
    """The reply for a map request: a notice when it cannot be drawn ("there is no subprogramme
    9"), else the map, drawn now (a drawing that fails is an apology, not a failed post)."""
    maps = map_upload.maps_for(deps.answerer.library.first)
    problem = maps.problem(request)
    if problem:
        return {"kind": "notice", "text": problem}
    maps.png(request)
    return map_upload.reply(request)


def _render(deps: Deps, question: Question, reply: dict[str, Any]) -> tuple[list, str]:
    if reply["kind"] == "answer":
        result = deps.state.load_answer(reply["answer_id"])
        if result is not None:
            blocks = answer_blocks(result, reply["answer_id"], show_question=question.show_question)
            return blocks, answer_fallback_text(result)
        reply.update(kind="apology", cid=correlation_id())
        logger.error("answer %s vanished before posting cid=%s", reply["answer_id"], reply["cid"])
    if reply["kind"] == "notice":
        return notice_blocks(reply["text"]), escape(reply["text"])
    text = apology(question.text, reply["cid"])
    return notice_blocks(text), text


def _post_once(deps: Deps, job: Job, question: Question) -> Later | None:
    progress = job.progress
    conv = question.conversation
    while True:
        reply = progress["reply"]
        attempts = progress.get("post_attempts", 0)
        if attempts:  # an earlier post may have landed: look before posting again
            found = _find_reply(deps, job, conv)
            if found:
                progress["posted"] = found
                deps.work.save_progress(job)
                return None
            if attempts >= MAX_POST_ATTEMPTS:
                if reply["kind"] == "apology":
                    logger.error("could not post to channel=%s job=%s", conv.channel, job.id)
                    progress["posted"] = "nothing"
                    deps.work.save_progress(job)
                    return None
                _switch_to_apology(deps, job, conv, f"not posted after {attempts} tries")
                continue
        method, send = _sender(deps, job, question, reply)
        progress["post_attempts"] = attempts + 1
        deps.work.save_progress(job)  # before the post: a crash now means "look first"
        try:
            deps.calls.call(method, conv.channel, send, safe=False)
        except RateLimited:
            progress["post_attempts"] = attempts  # a 429 is surely not posted
            deps.work.save_progress(job)
            raise
        except OutcomeUnknown as exc:
            return Later(time.time() + backoff(progress["post_attempts"]), str(exc))
        except Refused as exc:
            if exc.error in CANNOT_POST or reply["kind"] == "apology":
                logger.error(
                    "cannot post to channel=%s job=%s: %s", conv.channel, job.id, exc.error
                )
                progress["posted"] = "nothing"
                deps.work.save_progress(job)
                return None
            _switch_to_apology(deps, job, conv, f"Slack refused it: {exc.error}", exc)
            continue
        progress["posted"] = reply["kind"]
        deps.work.save_progress(job)
        return None


def _sender(deps: Deps, job: Job, question: Question, reply: dict[str, Any]) -> tuple[str, Any]:
    """The Web API call that posts `reply`, marked with the job: a message, or the map's upload."""
    conv = question.conversation
    if reply["kind"] == map_upload.MAP:
        maps = map_upload.maps_for(deps.answerer.library.first)
        request = map_upload.request_of(reply)
        return map_upload.METHOD, lambda client: map_upload.upload(
            client, maps, job.id, conv.channel, conv.thread_ts, request
        )
    blocks, text = _render(deps, question, reply)
    return "chat.postMessage", lambda client: client.chat_postMessage(
        channel=conv.channel,
        thread_ts=conv.thread_ts,
        text=text,
        blocks=blocks,
        metadata=message_metadata(job.id, reply["kind"]),
        unfurl_links=False,
        unfurl_media=False,
    )


def _switch_to_apology(
    deps: Deps, job: Job, conv: Conversation, why: str, error: Exception | None = None
) -> None:
    cid = correlation_id()
    logger.error(
        "answer failed cid=%s channel=%s thread=%s: %s",
        cid,
        conv.channel,
        conv.thread_ts,
        why,
        exc_info=error,
    )
    job.progress["reply"] = {"kind": "apology", "cid": cid}
    job.progress["post_attempts"] = 0
    deps.work.save_progress(job)


def _find_reply(deps: Deps, job: Job, conv: Conversation) -> str | None:
    """The kind of the reply marked with this job in the conversation, if one is there."""
    cursor = None
    for _ in range(LOOKUP_PAGES):
        if conv.thread_ts:
            method = "conversations.replies"
            params = {"ts": conv.thread_ts}
        else:  # the top level of a DM: recent history
            method = "conversations.history"
            params = {"oldest": f"{job.created_at - 60:.6f}"}
        response = deps.calls.call(
            method,
            conv.channel,
            lambda client, m=method, p=params, c=cursor: client.api_call(
                m,
                http_verb="GET",
                params={
                    "channel": conv.channel,
                    "include_all_metadata": "true",
                    "limit": 200,
                    **p,
                    **({"cursor": c} if c else {}),
                },
            ),
            safe=True,
        )
        for message in response.get("messages") or []:
            if marked_job(message) == job.id:
                return (message.get("metadata") or {}).get("event_payload", {}).get("kind", "?")
            if map_upload.carries_job(message, job.id):
                return map_upload.MAP
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None


def _show_working(deps: Deps, job: Job, question: Question) -> None:
    """👀, or the assistant status: best effort, never waited for. A question typed in an
    assistant thread (an "event" job) had its status set by the Assistant's user_message
    listener (listeners/assistant/user_message.py); a button's request (a starter question, the
    map) gets it here."""
    conv = question.conversation
    if question.message_ts:
        _best_effort(
            deps,
            "reactions.add",
            conv.channel,
            lambda client: client.reactions_add(
                channel=conv.channel, timestamp=question.message_ts, name=WORKING_REACTION
            ),
            harmless=("already_reacted",),
        )
    if conv.kind == "assistant" and conv.thread_ts and job.kind != "event":
        _best_effort(
            deps,
            "assistant.threads.setStatus",
            conv.channel,
            lambda client: client.assistant_threads_setStatus(
                channel_id=conv.channel, thread_ts=conv.thread_ts, status=WORKING_STATUS
            ),
        )


def _finish(deps: Deps, job: Job, question: Question) -> Later | None:
    """Thread state, then the 👀 off (retried while rate-limited): a clear state on every path."""
    progress = job.progress
    conv = question.conversation
    reply = progress["reply"]
    if progress["posted"] == "answer" and not progress.get("thread_set"):
        deps.state.set_thread_answer(conv.channel, conv.key, conv.kind, reply["answer_id"])
        progress["thread_set"] = True
        deps.work.save_progress(job)
    try:
        if question.message_ts and progress.get("working"):
            deps.calls.call(
                "reactions.remove",
                conv.channel,
                lambda client: client.reactions_remove(
                    channel=conv.channel, timestamp=question.message_ts, name=WORKING_REACTION
                ),
                safe=True,
            )
    except RateLimited as exc:
        progress["finish_attempts"] = progress.get("finish_attempts", 0) + 1
        if progress["finish_attempts"] < MAX_FINISH_ATTEMPTS:
            return Later(exc.until, str(exc))
        logger.warning("left the 👀 on channel=%s: still rate-limited", conv.channel)
    except Refused as exc:
        if exc.error != "no_reaction":
            logger.warning("reactions.remove failed: %s", exc.error)
    except OutcomeUnknown as exc:
        logger.warning("reactions.remove failed: %s", exc)
    no_message = progress["posted"] in ("nothing", map_upload.MAP)  # a file share is no post
    if conv.kind == "assistant" and conv.thread_ts and no_message:
        _best_effort(  # a reply clears the status; without one, clear it here
            deps,
            "assistant.threads.setStatus",
            conv.channel,
            lambda client: client.assistant_threads_setStatus(
                channel_id=conv.channel, thread_ts=conv.thread_ts, status=""
            ),
        )
    return None


def _best_effort(
    deps: Deps, method: str, where: str, send: Any, harmless: tuple[str, ...] = ()
) -> bool:
    try:
        deps.calls.call(method, where, send, safe=True)
        return True
    except Refused as exc:
        if exc.error not in harmless:
            logger.warning("%s failed: %s", method, exc.error)
    except (RateLimited, OutcomeUnknown) as exc:
        logger.warning("%s skipped: %s", method, exc)
    return False


def _count_outcome(deps: Deps, job: Job, question: Question) -> None:
    """Once per job, by what was posted: the answer's outcome, invalid (a notice) or error (an
    apology, or nothing); timed from the ack to the reply posted."""
    progress = job.progress
    if progress.get("counted"):
        return
    reply, posted = progress["reply"], progress["posted"]
    result = deps.state.load_answer(reply["answer_id"]) if posted == "answer" else None
    if result is not None:
        language, outcome = result.language, metrics.outcome_of(result)
    elif posted == map_upload.MAP:
        language, outcome = reply["lang"], metrics.ANSWERED
    else:
        language = detect(question.text)
        outcome = metrics.INVALID if posted == "notice" else metrics.ERROR
    metrics.answer_done(
        question.conversation.kind, language, outcome, max(0.0, time.time() - job.created_at)
    )
    progress["counted"] = True
    deps.work.save_progress(job)


def _count(kind: str, question: str, outcome: str, started: float) -> None:
    """An outcome without an Answer (invalid question, error): language from the question."""
    metrics.answer_done(kind, detect(question), outcome, time.perf_counter() - started)


def _log_answer(conv: Conversation, result: Answer, started: float) -> None:
    seconds = time.perf_counter() - started
    # No question text: what people ask stays out of the logs.
    logger.info(
        "answered channel=%s thread=%s kind=%s lang=%s abstained=%s sources=%d mandates=%d ms=%.0f",
        conv.channel,
        conv.thread_ts,
        conv.kind,
        result.language,
        result.abstained,
        len(result.sources),
        len(result.mandates),
        1000 * seconds,
    )


# ----------------------------------------------------------------------------- private answers


def answer_privately(deps: Deps, job: Job) -> Later | None:
    """/programme and /mandate: an ephemeral answer through the command's response_url.

    Ephemeral messages cannot be looked up, so a response whose outcome is unknown is sent
    again (at most MAX_POST_ATTEMPTS times): the asker may, rarely, see it twice; nobody else.
    """
    p = job.payload
    progress = job.progress
    if "reply" not in progress:
        try:
            progress["reply"] = _compute_private(
                deps, job.id, p["text"], p["user"], p.get("channel"), p.get("mandates", False)
            )
        except LaneBusy as exc:
            return Later(exc.until, str(exc))
        deps.work.save_progress(job)
    reply = progress["reply"]
    if reply["kind"] == "answer":
        result = deps.state.load_answer(reply["answer_id"])
        if result is None:
            return None
        message: dict[str, Any] = {
            "response_type": "ephemeral",
            "replace_original": False,
            "text": answer_fallback_text(result),
            "blocks": answer_blocks(result, reply["answer_id"], shareable=True, show_question=True),
        }
    elif reply["kind"] == "notice":
        message = {"response_type": "ephemeral", "text": escape(reply["text"])}
    else:
        message = {"response_type": "ephemeral", "text": apology(p["text"], reply["cid"])}
    attempts = progress.get("post_attempts", 0) + 1
    progress["post_attempts"] = attempts
    deps.work.save_progress(job)
    # Outside the try: a job without a response_url fails for good (jobs.failed), it is not a
    # connection error to try again.
    hook = webhook(p["response_url"], deps.settings.slack_hooks_url, deps.calls.client.timeout)
    try:
        response = hook.send_dict(message)
    except Exception as exc:  # connection errors: unknown outcome
        response, problem = None, type(exc).__name__
    else:
        problem = f"HTTP {response.status_code}"
        if response.status_code == 200:
            return None
        if response.status_code == 429:
            wait = retry_after_seconds((response.headers or {}).get("retry-after"))
            progress["post_attempts"] = attempts - 1
            return Later(time.time() + wait, "response_url rate-limited")
        if response.status_code < 500:
            logger.error("response_url refused the private answer: %s", problem)
            return None
    if attempts >= MAX_POST_ATTEMPTS:
        logger.error("could not deliver a private answer channel=%s: %s", p.get("channel"), problem)
        return None
    return Later(time.time() + backoff(attempts), problem)


def _compute_private(
    deps: Deps, job_id: str, text: str, user: str, channel: str | None, mandates: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        try:
            if mandates:
                result = deps.answerer.ask_mandates(redact(text), job=job_id)
            else:
                result = deps.answerer.ask(redact(text), job=job_id)
        except QuestionError as exc:
            _count(COMMAND, text, metrics.INVALID, started)
            return {"kind": "notice", "text": str(exc)}
        answer_id = deps.state.save_answer(result, channel, user)
        metrics.answer_done(
            COMMAND, result.language, metrics.outcome_of(result), time.perf_counter() - started
        )
        logger.info(
            "answered privately channel=%s lang=%s abstained=%s",
            channel,
            result.language,
            result.abstained,
        )
        return {"kind": "answer", "answer_id": answer_id}
    except (StoreUnavailable, LaneBusy):
        raise
    except Exception:
        cid = correlation_id()
        logger.exception("private answer failed cid=%s channel=%s", cid, channel)
        _count(COMMAND, text, metrics.ERROR, started)
        return {"kind": "apology", "cid": cid}
