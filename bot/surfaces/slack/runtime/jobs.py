"""What a worker does with a job taken from the WorkQueue (kinds are set where work is admitted).

- "event": an Events API event (middleware.py); events.question_for decides whether it asks the
  bot something, then answering.answer replies in its thread;
- "question": a question already decided on (a starter-question button);
- "private": /programme or /mandate, answered through the command's response_url;
- "map": the programme map, asked for by the tour's button or /programme map, uploaded into the
  conversation on the same exactly-once path as answers (a command whose channel the bot cannot
  post in is told so through its response_url).

A job that fails with an error no retry can mend (input no version of intake would pass, a bug)
is finished at once: one log line, an apology where the asker is known, and its channel goes on.
Only transient errors (errors.transient: the store, the network, Slack's 5xx and 429) make it wait
and run again (dispatcher.py).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.languages import detect
from bot.ops import metrics
from bot.ops.logs import correlation_id
from bot.stores.work import Job, Later
from bot.surfaces.slack.runtime import map_upload
from bot.surfaces.slack.runtime.answering import Question, answer, answer_privately, apology
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.runtime.errors import one_line, transient
from bot.surfaces.slack.runtime.questions import question_for
from bot.surfaces.slack.transport.calls import message_metadata
from bot.surfaces.slack.transport.hooks import webhook
from bot.surfaces.slack.transport.payloads import SlashCommand
from bot.surfaces.slack.views.blocks import notice_blocks

logger = logging.getLogger(__name__)

MAX_TAKES = 30  # a job taken this often (each crash or fault counts) is dropped, loudly


def run_job(deps: Deps, job: Job) -> Later | None:
    correlation_id()  # this job's log lines (JSON logs: `cid`) until an error names its own
    if job.attempts > MAX_TAKES:
        logger.error("dropped job=%s kind=%s after %d attempts", job.id, job.kind, job.attempts)
        return None
    try:
        if job.kind == "private":
            return answer_privately(deps, job)
        if job.kind == "map":
            return _map(deps, job)
        question = _question(deps, job)
        return answer(deps, job, question) if question else None
    except Exception as exc:
        if transient(exc):
            raise  # the dispatcher puts it back: the store or the network will recover
        failed(deps, job, exc)
        return None


def _map(deps: Deps, job: Job) -> Later | None:
    question = Question.from_json(job.payload["question"])
    later = answer(deps, job, question, job.payload["map"])
    response_url = job.payload.get("response_url")
    if later is None and job.progress.get("posted") == "nothing" and response_url:
        lang = job.payload["map"].get("lang", "en")
        try:  # best effort, once: the job is over either way
            hooks, timeout = deps.settings.slack_hooks_url, deps.calls.client.timeout
            webhook(response_url, hooks, timeout).send_dict(
                {"response_type": "ephemeral", "text": map_upload.cannot_post_here(lang)}
            )
        except Exception as exc:
            logger.warning("could not tell the user the map was not posted: %s", one_line(exc))
    return later


def _question(deps: Deps, job: Job) -> Question | None:
    if "question" not in job.progress:  # decided once; a resumed job keeps its decision
        if job.kind == "question":
            question: Question | None = Question.from_json(job.payload["question"])
        else:
            question = question_for(deps, job.payload["event"], job.id)
        job.progress["question"] = question.to_json() if question else None
        deps.work.save_progress(job)
    saved = job.progress["question"]
    return Question.from_json(saved) if saved else None


def failed(deps: Deps, job: Job, exc: Exception) -> None:
    """Record a job that cannot succeed, tell its asker once (best effort), and let it go."""
    cid = correlation_id()
    logger.error(
        "job failed for good job=%s kind=%s cid=%s: %s", job.id, job.kind, cid, one_line(exc)
    )
    try:
        _tell_asker(deps, job, cid)
    except Exception as problem:  # telling is a courtesy: it never holds up the lane
        logger.warning("could not tell the asker of job=%s: %s", job.id, one_line(problem))


def _tell_asker(deps: Deps, job: Job, cid: str) -> None:
    if job.progress.get("posted"):
        return  # the reply is out already: the error came after it
    if job.kind == "private":
        command = _command(job.payload)
        if command:
            text = apology(command.text, cid)
            hooks, timeout = deps.settings.slack_hooks_url, deps.calls.client.timeout
            webhook(command.response_url, hooks, timeout).send_dict(
                {"response_type": "ephemeral", "text": text}
            )
            metrics.answer_done("command", detect(command.text), metrics.ERROR)
        return
    saved = job.progress.get("question") or (
        job.payload.get("question") if job.kind == "map" else None
    )
    if not isinstance(saved, dict):
        return  # never decided: nobody is known to have asked the bot anything
    question = Question.from_json(saved)
    conv = question.conversation
    text = apology(question.text, cid)
    deps.calls.client.chat_postMessage(
        channel=conv.channel,
        thread_ts=conv.thread_ts,
        text=text,
        blocks=notice_blocks(text),
        metadata=message_metadata(job.id, "apology"),
    )
    metrics.answer_done(conv.kind, detect(question.text), metrics.ERROR)


def _command(payload: dict[str, Any]) -> SlashCommand | None:
    """The command a private job answers, when its payload still says it readably."""
    try:
        return SlashCommand.model_validate(
            {
                "command": "/mandate" if payload.get("mandates") else "/programme",
                "text": payload.get("text"),
                "user_id": payload.get("user"),
                "response_url": payload.get("response_url"),
            }
        )
    except ValueError:
        return None
