"""Buttons: Share in channel, Show full passage, Whole card, 👍/👎, and the starter-question
buttons (the tour's buttons: tour/, its map: maps/, the Home tab's language switch: home/)."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.surfaces.slack.listeners.actions.answer_buttons import (
    on_share,
    on_show_passage,
    on_whole_card,
)
from bot.surfaces.slack.listeners.actions.starter_questions import (
    on_prompt,
    on_security_council_prompts,
)
from bot.surfaces.slack.listeners.actions.votes import on_down, on_up
from bot.surfaces.slack.views.blocks import (
    ASK_PROMPT,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SHARE_ANSWER,
    SHOW_PASSAGE,
    SHOW_SECURITY_COUNCIL_PROMPTS,
    WHOLE_CARD,
)


def register(app: App) -> None:
    app.action(SHARE_ANSWER)(on_share)
    app.action(SHOW_PASSAGE)(on_show_passage)
    app.action(WHOLE_CARD)(on_whole_card)
    app.action(FEEDBACK_UP)(on_up)
    app.action(FEEDBACK_DOWN)(on_down)
    app.action(re.compile(rf"^{ASK_PROMPT}:\d+$"))(on_prompt)
    app.action(SHOW_SECURITY_COUNCIL_PROMPTS)(on_security_council_prompts)
