"""From a question in a conversation to an answer in the right place, after the ack.

Listeners decide *whether* and *where* to answer; this module does the slow part on the worker
threads: 👀 while working, the pipeline (with the thread's previous Answer as context), the
Block Kit message, the thread state, and a short apology with a correlation id when anything
fails. The 👀 comes off on every path.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.answer import Answer
from bot.pipeline import QuestionError
from bot.slack.blocks import answer_blocks, answer_fallback_text, notice_blocks
from bot.slack.deps import Deps
from bot.slack.logs import correlation_id
from bot.slack.mrkdwn import escape
from bot.slack.state import DM_FOLLOW_UP_WINDOW_S, DM_ROOT
from bot.text import detect_language

logger = logging.getLogger(__name__)

WORKING_REACTION = "eyes"
WORKING_STATUS = "is reading the programme…"
COMMAND = "command"  # the conversation kind of /programme and /mandate answers, in metrics
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


def apology(question: str, cid: str) -> str:
    if _CJK.search(question):
        return f"抱歉，回答时出错了，请稍后再试。（编号 {cid}）"
    return f"Sorry, something went wrong while answering. Please try again. (ref {cid})"


def _quietly(what: str, call: Callable[[], object]) -> bool:
    """Slack calls whose failure must not stop the answer (reactions, status)."""
    try:
        call()
        return True
    except SlackApiError as exc:
        logger.warning("%s failed: %s", what, exc.response.get("error", "unknown error"))
    except Exception as exc:  # network errors: same reasoning
        logger.warning("%s failed: %s", what, type(exc).__name__)
    return False


def start(deps: Deps, client: WebClient, question: Question) -> None:
    """Called by a listener once it has decided to answer: show 👀 now, answer on a worker."""
    conv = question.conversation
    if question.message_ts:
        _quietly(
            "reactions.add",
            lambda: client.reactions_add(
                channel=conv.channel, timestamp=question.message_ts, name=WORKING_REACTION
            ),
        )
    if conv.kind == "assistant" and conv.thread_ts:
        _quietly(
            "assistant.threads.setStatus",
            lambda: client.assistant_threads_setStatus(
                channel_id=conv.channel, thread_ts=conv.thread_ts, status=WORKING_STATUS
            ),
        )
    try:
        deps.workers.submit(lambda: answer(deps, client, question))
    except RuntimeError:  # shutting down: don't leave the 👀 behind
        _done(client, question, posted=False)
        raise


def answer(deps: Deps, client: WebClient, question: Question) -> None:
    conv = question.conversation
    cid = correlation_id()
    started = time.perf_counter()
    posted = False
    try:
        window = DM_FOLLOW_UP_WINDOW_S if conv.key == DM_ROOT else None
        previous = deps.state.previous_answer(conv.channel, conv.key, max_age_s=window)
        try:
            result = deps.answerer.ask(question.text, previous=previous)
        except QuestionError as exc:
            _post(client, conv, notice_blocks(str(exc)), escape(str(exc)))
            posted = True
            _count(conv.kind, question.text, metrics.INVALID, started)
            return
        answer_id = deps.state.save_answer(result, conv.channel, question.user)
        blocks = answer_blocks(result, answer_id, show_question=question.show_question)
        _post(client, conv, blocks, answer_fallback_text(result))
        posted = True
        deps.state.set_thread_answer(conv.channel, conv.key, conv.kind, answer_id)
        _log_answer(cid, conv, result, started)
    except Exception:
        logger.exception(
            "answer failed cid=%s channel=%s thread=%s", cid, conv.channel, conv.thread_ts
        )
        text = apology(question.text, cid)
        posted = _quietly("apology", lambda: _post(client, conv, notice_blocks(text), text))
        _count(conv.kind, question.text, metrics.ERROR, started)
    finally:
        _done(client, question, posted)


def _post(client: WebClient, conv: Conversation, blocks: list[dict], text: str) -> None:
    client.chat_postMessage(
        channel=conv.channel,
        thread_ts=conv.thread_ts,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
    )


def _done(client: WebClient, question: Question, posted: bool) -> None:
    conv = question.conversation
    if question.message_ts:
        _quietly(
            "reactions.remove",
            lambda: client.reactions_remove(
                channel=conv.channel, timestamp=question.message_ts, name=WORKING_REACTION
            ),
        )
    if conv.kind == "assistant" and conv.thread_ts and not posted:  # a reply clears it otherwise
        _quietly(
            "assistant.threads.setStatus",
            lambda: client.assistant_threads_setStatus(
                channel_id=conv.channel, thread_ts=conv.thread_ts, status=""
            ),
        )


def _count(kind: str, question: str, outcome: str, started: float) -> None:
    """An outcome without an Answer (invalid question, error): language from the question."""
    metrics.answer_done(kind, detect_language(question), outcome, time.perf_counter() - started)


def _log_answer(cid: str, conv: Conversation, result: Answer, started: float) -> None:
    seconds = time.perf_counter() - started
    metrics.answer_done(conv.kind, result.language, metrics.outcome_of(result), seconds)
    # No question text: what people ask stays out of the logs.
    logger.info(
        "answered cid=%s channel=%s thread=%s kind=%s lang=%s abstained=%s sources=%d "
        "mandates=%d ms=%.0f",
        cid,
        conv.channel,
        conv.thread_ts,
        conv.kind,
        result.language,
        result.abstained,
        len(result.sources),
        len(result.mandates),
        1000 * seconds,
    )


def answer_privately(
    deps: Deps,
    respond: Callable[..., object],
    text: str,
    user: str,
    channel: str | None,
    mandates: bool = False,
) -> None:
    """/programme and /mandate: an ephemeral answer through the command's response_url."""
    cid = correlation_id()
    started = time.perf_counter()
    try:
        try:
            ask = deps.answerer.ask_mandates if mandates else deps.answerer.ask
            result = ask(text)
        except QuestionError as exc:
            respond(response_type="ephemeral", text=escape(str(exc)))
            _count(COMMAND, text, metrics.INVALID, started)
            return
        answer_id = deps.state.save_answer(result, channel, user)
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=answer_fallback_text(result),
            blocks=answer_blocks(result, answer_id, shareable=True, show_question=True),
        )
        metrics.answer_done(
            COMMAND, result.language, metrics.outcome_of(result), time.perf_counter() - started
        )
        logger.info(
            "answered privately cid=%s channel=%s lang=%s abstained=%s",
            cid,
            channel,
            result.language,
            result.abstained,
        )
    except Exception:
        logger.exception("private answer failed cid=%s channel=%s", cid, channel)
        _count(COMMAND, text, metrics.ERROR, started)
        _quietly("apology", lambda: respond(response_type="ephemeral", text=apology(text, cid)))
