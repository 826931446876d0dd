"""The Home tab (in English, Chinese or French), the Messages tab's welcome and the assistant
thread's greeting: what the bot knows, how to ask, example questions, the tour.

The Home tab has a language switch (one button per language). Its language is kept in the
published view's private_metadata, which Slack sends back with every app_home_opened, so the tab
stays in the language picked without a store. The welcome and the greeting go to people whose
language is not known yet: they are in English and say that French and Chinese work too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot import languages
from bot.languages.messages import messages
from bot.records.model import Programme
from bot.settings import get_settings
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
# The switch, in the registry's order, each language by its own name.
HOME_LANGUAGES = {code: languages.get(code).native for code in languages.answered()}
_DEFAULT = languages.default()
# The welcome and the greeting are in the default language; this line tells the others.
ALSO_FRENCH_AND_CHINESE = " ".join(
    messages(code)("slack.also_ask") for code in languages.answered() if code != _DEFAULT
)


@lru_cache(maxsize=1)
def _programme_of_the_corpus() -> Programme:
    """The programme a view names when its caller gives none (tests, the docs): the library's
    first document, read once."""
    from bot.records.library import Library

    return Library.load(get_settings().corpus_dir).first.programme


def _words(lang: str, programme: Programme | None) -> dict[str, str]:
    """The Home tab's words in a language, the programme's names filled in."""
    say = messages(lang)
    programme = programme or _programme_of_the_corpus()
    manifest = programme.manifest
    count = len(programme.subprogrammes)
    fields = {
        "number": manifest.number if manifest else "",
        "title": manifest.title_in(lang) if manifest else "",
        "count": say(f"number.{count}") if f"number.{count}" in say else count,
    }
    return {key: value.format(**fields) for key, value in say.section("slack.home").items()}


def home_language(metadata: str | None) -> str:
    """The language a published Home tab is in (its private_metadata); the default when unknown."""
    return metadata if metadata in HOME_LANGUAGES else _DEFAULT


def tour_offer(lang: str = _DEFAULT, programme: Programme | None = None) -> Block:
    """The "New here? Take the tour" offer (the tour itself: views/tour.py, listeners/tour/)."""
    words = _words(lang, programme)
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


def home_view(lang: str = _DEFAULT, programme: Programme | None = None) -> dict[str, Any]:
    """The Home tab in `lang`: what the bot knows (the library's first programme), where to
    ask, example questions."""
    lang = home_language(lang)
    words = _words(lang, programme)
    blocks: list[Block] = [
        {"type": "header", "text": plain("Programme Bot", limits.HEADER_TEXT)},
        _language_switch(lang),
        section(words["about"]),
        tour_offer(lang, programme),
        {"type": "divider"},
        section(words["how"]),
        {"type": "divider"},
        section(words["try"] + "\n" + _example_lines(GENERAL_EXAMPLES[lang])),
        section(words["council"] + "\n" + _example_lines(SECURITY_COUNCIL_EXAMPLES[lang])),
        context(escape(words["footer"])),
    ]
    return {"type": "home", "private_metadata": lang, "blocks": blocks}


def ask_me(programme: Programme | None = None, lang: str = _DEFAULT) -> str:
    """ "Ask me about Programme 2 (Political affairs).": the text beside a welcome."""
    return _say(lang, "slack.ask_me", programme)


def _say(lang: str, key: str, programme: Programme | None) -> str:
    manifest = (programme or _programme_of_the_corpus()).manifest
    number, title = (manifest.number, manifest.title_in(lang)) if manifest else ("", "")
    return messages(lang)(key, number=number, title=title)


def welcome_blocks(programme: Programme | None = None) -> list[Block]:
    """First visit to the Messages tab: how to ask, and one-click starter questions."""
    say = messages(_DEFAULT)
    return [
        section(_say(_DEFAULT, "slack.welcome", programme) + "\n" + ALSO_FRENCH_AND_CHINESE),
        tour_offer(_DEFAULT, programme),
        section(say("slack.try_asking")),
        _prompt_buttons(GENERAL_PROMPTS, 0),
        section(say("slack.council_short")),
        _prompt_buttons(SECURITY_COUNCIL_PROMPTS, len(GENERAL_PROMPTS)),
    ]


def assistant_greeting_blocks(thread_ts: str, programme: Programme | None = None) -> list[Block]:
    """The first message of an assistant thread, with a switch to the newcomers' prompts."""
    say = messages(_DEFAULT)
    return [
        section(_say(_DEFAULT, "slack.greeting", programme) + "\n" + ALSO_FRENCH_AND_CHINESE),
        {
            "type": "actions",
            "elements": [
                button(say("slack.council_button"), SHOW_SECURITY_COUNCIL_PROMPTS, thread_ts),
                button(say("slack.tour_button"), TOUR_START, "resume"),
            ],
        },
    ]


def all_prompts() -> list[Prompt]:
    """Prompt buttons are numbered across both sets, in this order."""
    return GENERAL_PROMPTS + SECURITY_COUNCIL_PROMPTS
