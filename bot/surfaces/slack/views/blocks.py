"""Block Kit views of an Answer and its modals (the Home tab and welcome: home_blocks.py).

Every builder returns plain dicts that stay inside Slack's limits (limits.py) for any input:
long text is split on paragraph, line or sentence boundaries; what cannot fit in one message is
shortened with a visible note rather than rejected by Slack. All text from the Answer or the user
goes through mrkdwn.escape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot import languages
from bot.answer import Answer, MandateRef, Source
from bot.languages.messages import messages
from bot.languages.registry import HAN
from bot.records.labels import body_name
from bot.surfaces.slack.views import card_fit, limits
from bot.surfaces.slack.views.mrkdwn import escape, link, quote, split_text, truncate, user_mention

Block = dict[str, Any]

# action_id / callback_id values, matched by the listeners.
SHARE_ANSWER = "share_answer"
SHOW_PASSAGE = "show_passage"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
ASK_PROMPT = "ask_prompt"  # followed by ":<n>"; action ids must be unique within a block
SHOW_SECURITY_COUNCIL_PROMPTS = "show_security_council_prompts"
FEEDBACK_MODAL = "feedback_reason"
FEEDBACK_REASON_BLOCK = "reason"
FEEDBACK_REASON_INPUT = "reason_input"
TOUR_START = "tour_start"  # value "resume" (the Home tab, the welcome) or "pick" (start over)
WHOLE_CARD = "whole_card"  # a unit card's "Whole card"; value: the answer id

EXCERPT_CHARS = 280  # a source's excerpt: enough to recognise the paragraph
MAX_SOURCES_SHOWN = 5
MAX_MANDATES_SHOWN = 40
MAX_MANDATE_SECTIONS = 3
QUESTION_CHARS = 300
NOTE_CHARS = 300  # a line under the lead shorter than this is a note (quote, "See also")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _labels(language: str) -> Mapping[str, str]:
    """The answer's labels (Sources, Share in channel, …) in its language: the catalogue's
    slack.labels.*."""
    return messages(language).section("slack.labels")


def mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link names or parse mentions in text we already escaped.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _plain_truncate(text, limit), "emoji": True}


def _plain_truncate(text: str, limit: int) -> str:
    text = text.strip() or "…"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str, accessory: dict[str, Any] | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text[: limits.SECTION_TEXT] or " ")}
    if accessory:
        block["accessory"] = accessory
    return block


def context(*texts: str) -> Block:
    elements = [mrkdwn(truncate(t, limits.CONTEXT_TEXT)) for t in texts if t]
    return {"type": "context", "elements": elements[: limits.CONTEXT_ELEMENTS]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    if len(value) > limits.BUTTON_VALUE:
        raise ValueError("button value too long; store the payload and send its id")
    element = {
        "type": "button",
        "text": plain(text, limits.BUTTON_TEXT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def sections(escaped_text: str) -> list[Block]:
    return [section(chunk) for chunk in split_text(escaped_text, limits.SECTION_TEXT)]


def passage_value(answer_id: str, index: int) -> str:
    return f"{answer_id}:{index}"


def parse_passage_value(value: str) -> tuple[str, int]:
    answer_id, _, index = value.rpartition(":")
    return answer_id, int(index)


# ----------------------------------------------------------------------------- answers


def _source_block(source: Source, answer_id: str, index: int, labels: dict[str, str]) -> Block:
    heading = f"*{escape(source.ref)}*"
    if source.section:
        heading += f" · {escape(source.section)}"
    excerpt = truncate(escape(" ".join(source.text.split())), EXCERPT_CHARS)
    text = truncate(heading, 600) + "\n" + quote(excerpt)
    full = button(labels["full"], SHOW_PASSAGE, passage_value(answer_id, index))
    return section(text, accessory=full)


def _translated_title(m: MandateRef, language: str) -> str | None:
    """The unofficial title shown beside the original: in the answer's language, else
    English."""
    return m.translations.get(language) or m.title_en


def _mandate_line(m: MandateRef, language: str) -> str:
    body = body_name(m.body, language)
    symbol = f"*{link(m.url, m.symbol)}*" if m.url else f"*{escape(m.symbol)}*"
    line = f"• {symbol} · {escape(body)} — {escape(m.title)}"
    translated = _translated_title(m, language)
    if translated:
        line += f" _({escape(translated)})_"
    return line


def _mandate_blocks(mandates: list[MandateRef], language: str) -> list[Block]:
    labels = _labels(language)
    shown = mandates[:MAX_MANDATES_SHOWN]
    lines = [f"*{labels['mandates']}*"] + [_mandate_line(m, language) for m in shown]
    if len(mandates) > len(shown):
        lines.append(escape(labels["more_mandates"].format(n=len(mandates) - len(shown))))
    blocks = sections("\n".join(lines))
    if len(blocks) > MAX_MANDATE_SECTIONS:
        blocks = blocks[:MAX_MANDATE_SECTIONS]
        blocks.append(context(escape(labels["more_mandates"].format(n="…"))))
    if any(_translated_title(m, language) for m in shown):
        blocks.append(context(escape(labels["unofficial"])))
    return blocks


def answer_blocks(
    answer: Answer,
    answer_id: str,
    *,
    shareable: bool = False,
    shared_by: str | None = None,
    show_question: bool = False,
) -> list[Block]:
    """The message for one Answer: text, sources, mandates, feedback (and Share when private)."""
    labels = _labels(answer.language)
    head: list[Block] = []
    if show_question or shared_by:
        parts = [f"*{labels['question']}:* {truncate(escape(answer.question), QUESTION_CHARS)}"]
        if shared_by:
            parts.append(f"{labels['shared_by']} {user_mention(shared_by)}")
        head.append(context(*parts))

    card = answer.kind == "card" and not answer.parts
    actions = [button(labels["whole_card"], WHOLE_CARD, answer_id)] if card else []
    actions += [
        button(labels["up"], FEEDBACK_UP, answer_id),
        button(labels["down"], FEEDBACK_DOWN, answer_id),
    ]
    if shareable:
        actions.append(button(labels["share"], SHARE_ANSWER, answer_id, style="primary"))
    tail: list[Block] = [{"type": "divider"}, {"type": "actions", "elements": actions}]
    if card:
        # A newcomer's unit card: compact, within CARD_CHARS with the question shown above it;
        # the whole text and the records it rests on are one click away (whole_card_modal).
        budget = card_fit.CARD_CHARS - visible_chars(head)
        shown = _card_blocks(card_fit.fit(answer.answer, answer.language, budget))
        return head + shown[: limits.MESSAGE_BLOCKS - len(head) - len(tail)] + tail

    # A question in several parts: each part's lead is a section of its own, not a note.
    body = [b for part in answer.parts for b in _answer_body(part.answer)] or _answer_body(
        answer.answer
    )

    sources: list[Block] = []
    if answer.sources and not answer.abstained:
        sources.append(context(f"*{labels['sources']}*"))
        sources += [
            _source_block(s, answer_id, i, labels)
            for i, s in enumerate(answer.sources[:MAX_SOURCES_SHOWN])
        ]
    mandates = _mandate_blocks(answer.mandates, answer.language) if answer.mandates else []

    room = limits.MESSAGE_BLOCKS - len(head) - len(sources) - len(mandates) - len(tail)
    if len(body) > room:  # only an enormous answer gets here: keep its start, say so
        body = body[: room - 1] + [context(f"_{escape(labels['shortened'])}_")]
    return head + body + sources + mandates + tail


_LIST_LINE = re.compile(r"^\s*(•|–|-|\d+\.)\s|^\s{2,}")


def _answer_body(text: str) -> list[Block]:
    """The lead first, as its own section; a list under it stays in sections; the quote,
    "See also" and other notes go in small context blocks (answer first, details after)."""
    lines = [line for line in text.strip().splitlines() if line.strip()] or [" "]
    blocks = sections(escape(lines[0]))
    listed: list[str] = []
    notes: list[str] = []

    def flush() -> None:
        if listed:
            blocks.extend(sections(escape("\n".join(listed))))
            listed.clear()
        if notes:
            for i in range(0, len(notes), limits.CONTEXT_ELEMENTS):
                blocks.append(context(*(escape(n) for n in notes[i : i + limits.CONTEXT_ELEMENTS])))
            notes.clear()

    for line in lines[1:]:
        # A long line is content, not a note: a context block would cut it.
        if _LIST_LINE.match(line) or len(line) > NOTE_CHARS:
            if notes:
                flush()
            listed.append(line)
        else:
            if listed:
                flush()
            notes.append(line)
    flush()
    return blocks


def _card_blocks(card: card_fit.Fitted) -> list[Block]:
    """The fitted card: its header and bullets as sections, its other lines as context."""
    blocks = [section(card_fit.header_mrkdwn(card.header))]
    for kind, lines in card.runs:
        if kind == "bullets":
            blocks.append(section(escape("\n".join(lines))))
        else:
            for i in range(0, len(lines), limits.CONTEXT_ELEMENTS):
                blocks.append(context(*(escape(n) for n in lines[i : i + limits.CONTEXT_ELEMENTS])))
    return blocks


def visible_chars(blocks: list[Block]) -> int:
    """The characters Slack shows of some blocks as text: sections and context elements."""
    total = 0
    for block in blocks:
        if block["type"] == "section":
            total += len(block["text"]["text"])
        elif block["type"] == "context":
            total += sum(len(e.get("text", "")) for e in block["elements"])
    return total


def answer_fallback_text(answer: Answer) -> str:
    """The notification / screen-reader text that accompanies the blocks."""
    return truncate(escape(answer.answer), limits.FALLBACK_TEXT)


def notice_blocks(text: str) -> list[Block]:
    """A short message (an error, a hint) as blocks; `text` is plain and gets escaped."""
    return sections(escape(text))[: limits.MESSAGE_BLOCKS]


# ----------------------------------------------------------------------------- modals


def passage_modal(source: Source, language: str | None = None) -> dict[str, Any]:
    """The whole record; `language` is the answer's (None: told from the reference)."""
    if language is None:  # an old click: a reference in Han characters was a Chinese answer's
        han = [code for code in languages.answered() if languages.get(code).script == HAN]
        language = han[0] if han and _CJK.search(source.ref) else languages.default()
    words = messages(language).section("slack.modal")
    blocks: list[Block] = [context(f"*{escape(source.ref)}* · {escape(source.section)}")]
    blocks += sections(escape(source.text))[: limits.MODAL_BLOCKS - 1]
    return {
        "type": "modal",
        "title": plain(words["passage"], limits.MODAL_TITLE),
        "close": plain(words["close"], limits.MODAL_TITLE),
        "blocks": blocks,
    }


def whole_card_modal(answer: Answer) -> dict[str, Any]:
    """A unit card's whole text (the message shows it shortened), and the records it rests on."""
    labels = _labels(answer.language)
    words = messages(answer.language).section("slack.modal")
    first, _, rest = answer.answer.strip().partition("\n")
    blocks = sections(card_fit.header_mrkdwn(first) + ("\n" + escape(rest) if rest else ""))
    refs = list(dict.fromkeys(s.ref for s in answer.sources))
    if refs:
        blocks.append(context(f"*{escape(labels['sources'])}:* " + " · ".join(map(escape, refs))))
    return {
        "type": "modal",
        "title": plain(labels["whole_card"], limits.MODAL_TITLE),
        "close": plain(words["close"], limits.MODAL_TITLE),
        "blocks": blocks[: limits.MODAL_BLOCKS],
    }


def missing_answer_modal() -> dict[str, Any]:
    words = messages(languages.default()).section("slack.modal")
    return {
        "type": "modal",
        "title": plain("Programme Bot", limits.MODAL_TITLE),
        "close": plain(words["close"], limits.MODAL_TITLE),
        "blocks": notice_blocks(words["missing"]),
    }


FEEDBACK_VOTE_PREFIX = "answer:"  # private_metadata: the vote the reason belongs to


def feedback_modal(rating: str, answer_id: str, language: str = "en") -> dict[str, Any]:
    words = messages(language).section("slack.feedback")
    return {
        "type": "modal",
        "callback_id": FEEDBACK_MODAL,
        "private_metadata": FEEDBACK_VOTE_PREFIX + answer_id,
        "title": plain(words["title"], limits.MODAL_TITLE),
        "submit": plain(words["send"], limits.MODAL_TITLE),
        "close": plain(words["skip"], limits.MODAL_TITLE),
        "blocks": [
            section(escape(words["prompt"])),
            {
                "type": "input",
                "block_id": FEEDBACK_REASON_BLOCK,
                "optional": True,
                "label": plain(words[rating] if rating in ("up", "down") else words["down"], 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": FEEDBACK_REASON_INPUT,
                    "multiline": True,
                    "max_length": 2000,
                },
            },
        ],
    }
