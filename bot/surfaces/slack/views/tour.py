"""Block Kit views of the tour (bot/onboarding/tour.py) and its self-check (bot/onboarding/quiz.py).

Every view is one message that the buttons replace in place: the pick list, a card, a quiz
question, its answer, the score. Button values carry all the state a click needs
("3:en:2" = subprogramme 3, English, card 2), so any click works after a restart; the
position is also saved (SlackState) so "Take the tour" resumes where it was left.
"""

from __future__ import annotations

from dataclasses import dataclass

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
# Each language's button in the pick, in this order (the tour's languages, bot/onboarding/tour.py).
LANGUAGE_BUTTONS = {"en": "English", "zh": "中文", "fr": "Français"}

LETTERS = "ABCD"

WORDS = {
    "en": {
        "tour": "Tour",
        "card": "Card {i} of {n}",
        "back": "◀ Back",
        "next": "Next ▶",
        "map": "See the map",
        "check": "Check yourself ▶",
        "other": "Other division",
        "resumed": "Resumed where you left off.",
        "quiz": "Self-check",
        "question": "Question {i} of {n}",
        "right": "✅ Right: {letter}. {choice}",
        "wrong": "❌ Not quite: you chose {letter}. The answer is {right}. {choice}",
        "read": "Read {what}",
        "next_question": "Next question ▶",
        "score_button": "See your score",
        "score": "You scored {right} out of {n}.",
        "again": "Try the self-check again",
        "source": "Source",
        "expired": "This button is out of date. Take the tour again from the Home tab.",
    },
    "zh": {
        "tour": "导览",
        "card": "第{i}张，共{n}张",
        "back": "◀ 上一张",
        "next": "下一张 ▶",
        "map": "查看结构图",
        "check": "自我检测 ▶",
        "other": "选择其他司",
        "resumed": "已从上次离开的地方继续。",
        "quiz": "自我检测",
        "question": "第{i}题，共{n}题",
        "right": "✅ 答对了：{letter}. {choice}",
        "wrong": "❌ 不对：您选了{letter}。正确答案是{right}. {choice}",
        "read": "阅读{what}",
        "next_question": "下一题 ▶",
        "score_button": "查看得分",
        "score": "您答对了{right}题，共{n}题。",
        "again": "再做一次自我检测",
        "source": "来源",
        "expired": "此按钮已过期。请从主页重新开始导览。",
    },
    "fr": {
        "tour": "Visite guidée",
        "card": "Fiche {i} sur {n}",
        "back": "◀ Précédente",
        "next": "Suivante ▶",
        "map": "Voir la carte (en anglais)",
        "check": "Autoévaluation ▶",
        "other": "Autre division",
        "resumed": "Reprise là où vous vous étiez arrêté.",
        "quiz": "Autoévaluation",
        "question": "Question {i} sur {n}",
        "right": "✅ Exact : {letter}. {choice}",
        "wrong": "❌ Pas tout à fait : vous avez choisi {letter}. La réponse est {right}. {choice}",
        "read": "Lire {what}",
        "next_question": "Question suivante ▶",
        "score_button": "Voir votre score",
        "score": "Vous avez obtenu {right} sur {n}.",
        "again": "Refaire l'autoévaluation",
        "source": "Source",
        "expired": "Ce bouton n'est plus à jour. Reprenez la visite guidée depuis l'onglet "
        "Accueil.",
    },
}
# The programme map is drawn in English and Chinese (bot/onboarding/map/draw.py): a French tour
# shows the English one, and its button says so.
_MAP_LANGUAGE = {"fr": "en"}
_CHARTER = {"en": "Charter", "zh": "《联合国宪章》", "fr": "la Charte"}


@dataclass(frozen=True)
class Message:
    blocks: list[Block]
    text: str  # the notification / fallback text


def _words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


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
    blocks: list[Block] = [
        {
            "type": "header",
            "text": plain(
                "New here? Take the tour · 新同事导览 · Nouveau ? Visite guidée", limits.HEADER_TEXT
            ),
        },
        section(
            "Pick your division or subprogramme: five short cards on what it does, its "
            "objective, how its work is measured, its mandates and where it meets the rest of "
            "the programme, then five questions to check yourself.\n"
            "选择您所在的司或次级方案：五张简短的卡片，之后是五道自测题。\n"
            "Choisissez votre division ou sous-programme : cinq fiches courtes, puis cinq "
            "questions d'autoévaluation."
        ),
    ]
    names = {lang: {sp: (u, n) for sp, u, n in guide.choices(lang)} for lang in LANGUAGE_BUTTONS}
    for sp in names["en"]:
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
    return Message(blocks, "New here? Pick your division to take the tour.")


# ----------------------------------------------------------------------------- cards


def card_message(tour: Tour, index: int, resumed: bool = False) -> Message:
    lang, words = tour.language, _words(tour.language)
    card = tour.cards[index]
    n = len(tour.cards)
    head = f"{words['tour']} · {tour.unit}"
    blocks: list[Block] = [{"type": "header", "text": plain(head, limits.HEADER_TEXT)}]
    colon = " : " if lang == "fr" else ": "  # French typography: a space before the colon
    where = (
        f"{escape(tour.name)} · {words['card'].format(i=index + 1, n=n)}{colon}"
        f"*{escape(card.title)}*"
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
        drawn = _MAP_LANGUAGE.get(lang, lang)
        actions.append(button(words["map"], MAP_SHOW, f"{tour.subprogramme}:{drawn}"))
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
        what = choice if q.kind in ("title", "mandate") else _CHARTER[tour.language]
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


def expired_message(lang: str = "en") -> Message:
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
