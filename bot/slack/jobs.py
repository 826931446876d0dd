"""What a worker does with a job taken from the WorkQueue (kinds are set where work is admitted).

- "event": an Events API event (middleware.py); events.question_for decides whether it asks the
  bot something, then answering.answer replies in its thread;
- "question": a question already decided on (a starter-question button);
- "private": /programme or /mandate, answered through the command's response_url;
- "map": the programme map, asked for by the tour's button or /programme map, uploaded into the
  conversation on the same exactly-once path as answers (a command whose channel the bot cannot
  post in is told so through its response_url).
"""

from __future__ import annotations

import logging

from slack_sdk.webhook import WebhookClient

from bot.slack import map_upload
from bot.slack.answering import Question, answer, answer_privately
from bot.slack.deps import Deps
from bot.slack.listeners.events import question_for
from bot.slack.logs import correlation_id
from bot.slack.work import Job, Later

logger = logging.getLogger(__name__)

MAX_TAKES = 30  # a job taken this often (each crash or fault counts) is dropped, loudly


def run_job(deps: Deps, job: Job) -> Later | None:
    correlation_id()  # this job's log lines (JSON logs: `cid`) until an error names its own
    if job.attempts > MAX_TAKES:
        logger.error("dropped job=%s kind=%s after %d attempts", job.id, job.kind, job.attempts)
        return None
    if job.kind == "private":
        return answer_privately(deps, job)
    if job.kind == "map":
        return _map(deps, job)
    question = _question(deps, job)
    return answer(deps, job, question) if question else None


def _map(deps: Deps, job: Job) -> Later | None:
    question = Question.from_json(job.payload["question"])
    later = answer(deps, job, question, job.payload["map"])
    response_url = job.payload.get("response_url")
    if later is None and job.progress.get("posted") == "nothing" and response_url:
        lang = job.payload["map"].get("lang", "en")
        try:  # best effort, once: the job is over either way
            WebhookClient(response_url, timeout=deps.calls.client.timeout).send_dict(
                {"response_type": "ephemeral", "text": map_upload.CANNOT_POST_HERE[lang]}
            )
        except Exception as exc:
            logger.warning("could not tell the user the map was not posted: %s", exc)
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
