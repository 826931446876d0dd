"""The Home tab (in English, Chinese or French), the Messages tab's welcome and the assistant
thread's greeting: what the bot knows, how to ask, example questions, the tour.

The Home tab has a language switch (one button per language). Its language is kept in the
published view's private_metadata, which Slack sends back with every app_home_opened, so the tab
stays in the language picked without a store. The welcome and the greeting go to people whose
language is not known yet: they are in English and say that French and Chinese work too.
"""

from __future__ import annotations

from typing import Any

from bot.surfaces.slack.views import limits
from bot.surfaces.slack.views.blocks import (
    ASK_PROMPT,
    SHOW_SECURITY_COUNCIL_PROMPTS,
    TOUR_START,
    Block,
    button,
    context,
    plain,
    section,
)
from bot.surfaces.slack.views.mrkdwn import escape
from bot.surfaces.slack.views.prompts import (
    GENERAL_EXAMPLES,
    GENERAL_PROMPTS,
    SECURITY_COUNCIL_EXAMPLES,
    SECURITY_COUNCIL_PROMPTS,
    Prompt,
)

HOME_LANGUAGE = "home_language"  # + ":en" | ":zh" | ":fr"; value the language
HOME_LANGUAGES = {"en": "English", "zh": "中文", "fr": "Français"}  # the switch, in this order

_HOME = {
    "en": {
        "about": "I answer questions about *Programme 2 (Political affairs)* of the UN "
        "Secretariat from the programme text itself: its orientation, the six subprogrammes, "
        "objectives, expected accomplishments, indicators, strategies and the resolutions that "
        "mandate them. Every answer shows the paragraphs it rests on. When the programme does "
        "not cover a question, I say so instead of guessing. Ask in English, French or Chinese.",
        "tour": "*New here? Take the tour.* Five short cards on your division (what it does, "
        "its objective, how its work is measured, its mandates, where it meets the other "
        "subprogrammes), then a five-question self-check. In English, français or 中文.",
        "tour_button": "Take the tour",
        "how": "*How to ask*\n"
        "• *In a channel:* mention me, e.g. `@Programme Bot What does subprogramme 3 do?` "
        "I answer in the thread; follow-ups in that thread need no new mention.\n"
        "• *In a direct message:* just write your question.\n"
        "• *Privately anywhere:* `/programme <question>`, then *Share in channel* if useful.\n"
        "• *Resolutions:* `/mandate <topic or symbol>`, e.g. `/mandate Western Sahara` or "
        "`/mandate 1373 (2001)`.",
        "try": "*Try asking*",
        "council": "*New to Security Council affairs?* Start here:",
        "footer": "Answers come only from the programme text. 👍/👎 under an answer helps us "
        "improve it.",
    },
    "zh": {
        "about": "我根据方案案文本身回答有关联合国秘书处*方案2（政治事务）*的问题：总方向、六个"
        "次级方案、目标、预期成果、绩效指标、战略以及授权开展这些工作的决议。每个回答都列出所依据"
        "的段落。方案未涉及的问题，我会直说，不会猜测。可以用中文、英文或法文提问。",
        "tour": "*新同事？参加导览。* 五张简短的卡片介绍您所在的司（做什么、目标、如何衡量工作、"
        "授权文书、与其他次级方案的交汇），之后是五道自测题。提供中文、English 和 Français。",
        "tour_button": "开始导览",
        "how": "*如何提问*\n"
        "• *在频道中：* 提及我，例如 `@Programme Bot 次级方案3做什么？` "
        "我在该消息的线程中回答；线程中的后续问题无需再次提及。\n"
        "• *在私信中：* 直接写下问题。\n"
        "• *在任何地方私下提问：* `/programme <问题>`，如有用再点*分享到频道*。\n"
        "• *决议：* `/mandate <主题或文号>`，例如 `/mandate 西撒哈拉` 或 `/mandate 1373 (2001)`。",
        "try": "*试着问*",
        "council": "*初到安全理事会事务？* 从这里开始：",
        "footer": "回答只来自方案案文。回答下方的 👍/👎 帮助我们改进。",
    },
    "fr": {
        "about": "Je réponds aux questions sur le *programme 2 (Affaires politiques)* du "
        "Secrétariat de l'ONU à partir du texte même du programme : son orientation, les six "
        "sous-programmes, les objectifs, les réalisations escomptées, les indicateurs, les "
        "stratégies et les résolutions qui les prescrivent. Chaque réponse indique les "
        "paragraphes sur lesquels elle repose. Quand le programme ne traite pas d'une question, "
        "je le dis au lieu de deviner. Posez vos questions en français, en anglais ou en "
        "chinois. Le texte original est en chinois ; le français est une traduction non "
        "officielle.",
        "tour": "*Nouveau ? Faites la visite guidée.* Cinq fiches courtes sur votre division "
        "(ce qu'elle fait, son objectif, comment son travail est mesuré, ses mandats, ses "
        "points de contact avec les autres sous-programmes), puis une autoévaluation en cinq "
        "questions. En français, English ou 中文.",
        "tour_button": "Visite guidée",
        "how": "*Comment poser une question*\n"
        "• *Dans un canal :* mentionnez-moi, par exemple "
        "`@Programme Bot Que fait le sous-programme 3 ?` Je réponds dans le fil ; les "
        "questions suivantes dans ce fil n'ont pas besoin d'une nouvelle mention.\n"
        "• *En message direct :* écrivez simplement votre question.\n"
        "• *En privé, partout :* `/programme <question>`, puis *Partager dans le canal* si "
        "c'est utile.\n"
        "• *Résolutions :* `/mandate <sujet ou cote>`, par exemple `/mandate décolonisation` "
        "ou `/mandate 1373 (2001)`.",
        "try": "*Exemples de questions*",
        "council": "*Nouveau aux affaires du Conseil de sécurité ?* Commencez ici :",
        "footer": "Les réponses proviennent uniquement du texte du programme. 👍/👎 sous une "
        "réponse nous aide à l'améliorer.",
    },
}
# The welcome and the greeting are in English; this line tells French and Chinese readers.
ALSO_FRENCH_AND_CHINESE = "Vous pouvez aussi poser vos questions en français. 也可以用中文提问。"


def home_language(metadata: str | None) -> str:
    """The language a published Home tab is in (its private_metadata); English when unknown."""
    return metadata if metadata in HOME_LANGUAGES else "en"


def tour_offer(lang: str = "en") -> Block:
    """The "New here? Take the tour" offer (the tour itself: views/tour.py, listeners/tour/)."""
    words = _HOME[lang]
    return section(
        words["tour"],
        accessory=button(words["tour_button"], TOUR_START, "resume", style="primary"),
    )


def _prompt_buttons(prompts: list[Prompt], offset: int) -> Block:
    return {
        "type": "actions",
        "elements": [
            button(p.title, f"{ASK_PROMPT}:{offset + i}", p.message)
            for i, p in enumerate(prompts[: limits.ACTIONS_ELEMENTS])
        ],
    }


def _example_lines(prompts: list[Prompt]) -> str:
    return "\n".join(f"• {escape(p.message)}" for p in prompts)


def _language_switch(current: str) -> Block:
    return {
        "type": "actions",
        "elements": [
            button(label, f"{HOME_LANGUAGE}:{lang}", lang, "primary" if lang == current else None)
            for lang, label in HOME_LANGUAGES.items()
        ],
    }


def home_view(lang: str = "en") -> dict[str, Any]:
    """The Home tab in `lang`: what the bot knows, where to ask, example questions."""
    lang = home_language(lang)
    words = _HOME[lang]
    blocks: list[Block] = [
        {"type": "header", "text": plain("Programme Bot", limits.HEADER_TEXT)},
        _language_switch(lang),
        section(words["about"]),
        tour_offer(lang),
        {"type": "divider"},
        section(words["how"]),
        {"type": "divider"},
        section(words["try"] + "\n" + _example_lines(GENERAL_EXAMPLES[lang])),
        section(words["council"] + "\n" + _example_lines(SECURITY_COUNCIL_EXAMPLES[lang])),
        context(escape(words["footer"])),
    ]
    return {"type": "home", "private_metadata": lang, "blocks": blocks}


def welcome_blocks() -> list[Block]:
    """First visit to the Messages tab: how to ask, and one-click starter questions."""
    return [
        section(
            "Hi! Ask me anything about *Programme 2 (Political affairs)*: write a question "
            "here, in English, French or Chinese. I answer from the programme text and show my "
            "sources.\n" + ALSO_FRENCH_AND_CHINESE
        ),
        tour_offer(),
        section("*Try asking*"),
        _prompt_buttons(GENERAL_PROMPTS, 0),
        section("*New to Security Council affairs?*"),
        _prompt_buttons(SECURITY_COUNCIL_PROMPTS, len(GENERAL_PROMPTS)),
    ]


def assistant_greeting_blocks(thread_ts: str) -> list[Block]:
    """The first message of an assistant thread, with a switch to the newcomers' prompts."""
    return [
        section(
            "Hi! Ask me about *Programme 2 (Political affairs)*: subprogrammes, objectives, "
            "indicators and mandates. Pick a suggestion below or write your own question.\n"
            + ALSO_FRENCH_AND_CHINESE
        ),
        {
            "type": "actions",
            "elements": [
                button(
                    "New to Security Council affairs? Show starter questions",
                    SHOW_SECURITY_COUNCIL_PROMPTS,
                    thread_ts,
                ),
                button("New here? Take the tour", TOUR_START, "resume"),
            ],
        },
    ]


def all_prompts() -> list[Prompt]:
    """Prompt buttons are numbered across both sets, in this order."""
    return GENERAL_PROMPTS + SECURITY_COUNCIL_PROMPTS
