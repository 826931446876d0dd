"""Block Kit views of the tour (bot/onboarding/tour.py) and its self-check (bot/onboarding/quiz.py).

Every view is one message that the buttons replace in place: the pick list, a card, a quiz
question, its answer, the score. Button values carry all the state a click needs
("3:en:2" = subprogramme 3, English, card 2), so any click works after a restart; the
position is also saved (SlackState) so "Take the tour" resumes where it was left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot import languages
from bot.languages.messages import messages
from bot.onboarding.quiz import Shown
from bot.onboarding.tour import Card, Line, Tour, TourGuide, visible_refs
from bot.surfaces.slack.views import limits
from bot.surfaces.slack.views.blocks import (
    TOUR_START,
    Block,
    button,
    context,
    plain,
    section,
    sections,
)
from bot.surfaces.slack.views.mrkdwn import escape, link, truncate

TOUR_PICK = "tour_pick"  # + ":en" | ":zh" | ":fr"; value "3:en"
TOUR_NAV = "tour_nav"  # + ":back" | ":next"; value "3:en:2" (the card to show)
QUIZ_START = "quiz_start"  # value "3:en"
QUIZ_ANSWER = "quiz_answer"  # + ":0".."3"; value "3:en:<quiz id>:<question>:<choice>"
QUIZ_NEXT = "quiz_next"  # value "3:en:<quiz id>:<question to show>"
MAP_SHOW = "map_show"  # the first card's "See the map"; value "3:en" (the whole map, 3 marked)
# Each language's button in the pick, in the registry's order, by the language's own name.
LANGUAGE_BUTTONS = {code: languages.get(code).native for code in languages.answered()}

LETTERS = "ABCD"


@dataclass(frozen=True)
class Message:
    blocks: list[Block]
    text: str  # the notification / fallback text


def _words(lang: str) -> Mapping[str, str]:
    """The tour's Slack words in a language: the catalogue's slack.tour.*."""
    return messages(lang).section("slack.tour")


def _line(line: Line, ref: str | None) -> str:
    label = ""
    if line.label:
        label = f"*{link(line.url, line.label)}*" if line.url else f"*{escape(line.label)}*"
        label += " — "
    bullet = "    ◦ " if line.level else "• "
    return bullet + label + escape(line.text) + (f" _({escape(ref)})_" if ref else "")


def _card_lines(card: Card) -> str:
    return "\n".join(
        _line(line, ref) for line, ref in zip(card.lines, visible_refs(card), strict=True)
    )


# ----------------------------------------------------------------------------- pick


def pick_message(guide: TourGuide) -> Message:
    """Which division? Security Council Affairs Division first; a button per language."""
    # Every language at once: the pick is where one is chosen.
    header = " · ".join(_words(lang)["pick_header"] for lang in LANGUAGE_BUTTONS)
    blocks: list[Block] = [
        {"type": "header", "text": plain(header, limits.HEADER_TEXT)},
        section("\n".join(_words(lang)["pick_intro"] for lang in LANGUAGE_BUTTONS)),
    ]
    names = {lang: {sp: (u, n) for sp, u, n in guide.choices(lang)} for lang in LANGUAGE_BUTTONS}
    for sp in guide.order:
        units = dict.fromkeys(names[lang][sp][0] for lang in LANGUAGE_BUTTONS)  # once if alike
        subprogrammes = [names[lang][sp][1] for lang in LANGUAGE_BUTTONS]
        blocks.append(
            section(
                " · ".join(f"*{escape(u)}*" if i == 0 else escape(u) for i, u in enumerate(units))
                + "\n"
                + " · ".join(escape(n) for n in subprogrammes)
            )
        )
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button(label, f"{TOUR_PICK}:{lang}", f"{sp}:{lang}")
                    for lang, label in LANGUAGE_BUTTONS.items()
                ],
            }
        )
    return Message(blocks, _words(languages.default())["pick_text"])


# ----------------------------------------------------------------------------- cards


def card_message(tour: Tour, index: int, resumed: bool = False) -> Message:
    lang, words = tour.language, _words(tour.language)
    card = tour.cards[index]
    n = len(tour.cards)
    head = f"{words['tour']} · {tour.unit}"
    blocks: list[Block] = [{"type": "header", "text": plain(head, limits.HEADER_TEXT)}]
    where = words["where"].format(
        name=escape(tour.name),
        card=words["card"].format(i=index + 1, n=n),
        title=escape(card.title),
    )
    blocks.append(context(where, escape(words["resumed"]) if resumed else ""))
    blocks.append(section(f"*{escape(card.lead)}*"))
    if card.lines:
        blocks += sections(_card_lines(card))
    if card.unofficial:
        blocks.append(context(escape(card.unofficial)))
    value = f"{tour.subprogramme}:{lang}"
    actions = []
    if index > 0:
        actions.append(button(words["back"], f"{TOUR_NAV}:back", f"{value}:{index - 1}"))
    if index + 1 < n:
        actions.append(
            button(words["next"], f"{TOUR_NAV}:next", f"{value}:{index + 1}", style="primary")
        )
    else:
        actions.append(button(words["check"], QUIZ_START, value, style="primary"))
    if index == 0:  # where the division sits in the whole programme
        actions.append(button(words["map"], MAP_SHOW, f"{tour.subprogramme}:{lang}"))
    actions.append(button(words["other"], TOUR_START, "pick"))
    blocks = blocks[: limits.MESSAGE_BLOCKS - 2]
    blocks += [{"type": "divider"}, {"type": "actions", "elements": actions}]
    return Message(blocks, truncate(card.lead, limits.FALLBACK_TEXT))


# ----------------------------------------------------------------------------- quiz


def _question_blocks(tour: Tour, shown: Shown, position: int, total: int) -> list[Block]:
    words = _words(tour.language)
    blocks: list[Block] = [
        {
            "type": "header",
            "text": plain(f"{words['quiz']} · {tour.unit}", limits.HEADER_TEXT),
        },
        context(escape(words["question"].format(i=position + 1, n=total))),
        section(f"*{escape(shown.question.text)}*"),
    ]
    choices = "\n".join(
        f"*{LETTERS[i]}.* {escape(choice.text)}" for i, choice in enumerate(shown.choices)
    )
    blocks += sections(choices)
    return blocks


def question_message(tour: Tour, quiz_id: str, shown: Shown, position: int, total: int) -> Message:
    value = f"{tour.subprogramme}:{tour.language}:{quiz_id}:{position}"
    blocks = _question_blocks(tour, shown, position, total)
    blocks.append(
        {
            "type": "actions",
            "elements": [
                button(LETTERS[i], f"{QUIZ_ANSWER}:{i}", f"{value}:{i}")
                for i in range(len(shown.choices))
            ],
        }
    )
    return Message(blocks, shown.question.text)


def answer_message(
    tour: Tour, quiz_id: str, shown: Shown, position: int, total: int, chosen: int
) -> Message:
    """The question again, the verdict, the correct choice with its source and link."""
    words = _words(tour.language)
    right = shown.answer
    choice = shown.choices[right].text
    if chosen == right:
        verdict = words["right"].format(letter=LETTERS[right], choice=choice)
    else:
        verdict = words["wrong"].format(letter=LETTERS[chosen], right=LETTERS[right], choice=choice)
    q = shown.question
    explanation = escape(q.explanation)
    if q.url:
        what = choice if q.kind in ("title", "mandate") else _words(tour.language)["charter"]
        explanation += "\n" + link(q.url, words["read"].format(what=what.split(" — ")[0]))
    blocks = _question_blocks(tour, shown, position, total)
    blocks.append(section(f"*{escape(verdict)}*"))
    blocks.append(section(explanation))
    value = f"{tour.subprogramme}:{tour.language}:{quiz_id}:{position + 1}"
    label = words["next_question"] if position + 1 < total else words["score_button"]
    blocks.append(
        {"type": "actions", "elements": [button(label, QUIZ_NEXT, value, style="primary")]}
    )
    return Message(blocks, verdict)


def score_message(tour: Tour, results: list[tuple[Shown, bool]]) -> Message:
    words = _words(tour.language)
    right = sum(1 for _, ok in results if ok)
    score = words["score"].format(right=right, n=len(results))
    lines = "\n".join(
        f"{'✅' if ok else '❌'} {escape(shown.question.explanation)}" for shown, ok in results
    )
    blocks: list[Block] = [
        {"type": "header", "text": plain(f"{words['quiz']} · {tour.unit}", limits.HEADER_TEXT)},
        section(f"*{escape(score)}*"),
        *sections(lines),
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [
                button(words["again"], QUIZ_START, f"{tour.subprogramme}:{tour.language}"),
                button(words["other"], TOUR_START, "pick"),
            ],
        },
    ]
    return Message(blocks, score)


def expired_message(lang: str = languages.default()) -> Message:
    text = _words(lang)["expired"]
    return Message([section(escape(text))], text)


# ----------------------------------------------------------------------------- as text


def blocks_as_text(blocks: list[Block]) -> str:
    """What a message shows, as plain lines (docs/tour.md; the terminal's --slack view)."""
    out: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            out.append(f"# {block['text']['text']}")
        elif kind == "section":
            out.append(block["text"]["text"])
        elif kind == "context":
            out.append(" · ".join(f"_{e['text']}_" for e in block["elements"] if e.get("text")))
        elif kind == "divider":
            out.append("---")
        elif kind == "actions":
            out.append(" ".join(f"[{e['text']['text']}]" for e in block["elements"]))
    return "\n".join(out)
