"""Starter questions: the suggested prompts of the Messages tab and the examples of the Home tab.

They are the catalogue's (prompts/messages/<lang>.toml, slack.examples.general and .council),
one set per language. Slack shows at most four suggested prompts in an assistant thread
(limits.SUGGESTED_PROMPTS), so each set has four. The Security Council set is for colleagues new
to Security Council affairs (subprogramme 3): what the division does, how its work is measured,
and its key mandates.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import languages
from bot.languages.messages import messages


@dataclass(frozen=True)
class Prompt:
    title: str  # short label on the button (≤ 75 characters)
    message: str  # the question sent when it is picked

    def to_slack(self) -> dict[str, str]:
        return {"title": self.title, "message": self.message}


def examples(kind: str, lang: str) -> list[Prompt]:
    """The example questions of a set ("general", "council") in a language."""
    return [Prompt(**p) for p in messages(lang).raw(f"slack.examples.{kind}")]


_DEFAULT = languages.default()
# The Messages tab and the assistant thread speak the default language.
GENERAL_PROMPTS: list[Prompt] = examples("general", _DEFAULT)
SECURITY_COUNCIL_PROMPTS: list[Prompt] = examples("council", _DEFAULT)
# The Home tab's examples in each of its languages.
GENERAL_EXAMPLES: dict[str, list[Prompt]] = {
    lang: examples("general", lang) for lang in languages.answered()
}
SECURITY_COUNCIL_EXAMPLES: dict[str, list[Prompt]] = {
    lang: examples("council", lang) for lang in languages.answered()
}

PROMPTS_TITLE = messages(_DEFAULT)("slack.prompts_title")
SECURITY_COUNCIL_TITLE = messages(_DEFAULT)("slack.council_title")
