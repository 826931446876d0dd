"""What a worker does with a job taken from the WorkQueue (kinds are set where work is admitted).

- "event": an Events API event (middleware.py); events.question_for decides whether it asks the
  bot something, then answering.answer replies in its thread;
- "question": a question already decided on (a starter-question button);
- "private": /programme or /mandate, answered through the command's response_url.
"""

from __future__ import annotations

import logging

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
    question = _question(deps, job)
    return answer(deps, job, question) if question else None


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
