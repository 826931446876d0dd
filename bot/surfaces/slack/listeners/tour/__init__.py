"""The guided tour and its self-check: "Take the tour" (Home tab, Messages tab), the division
pick, Back/Next through the cards, and the quiz.

"Take the tour" posts a new message in the user's DM with the app (from the Home tab the DM
is opened first); every later click replaces that message through the click's response_url.
Nothing here touches the question pipeline: the cards and questions come from the parsed
programme (book.Tours, read once at start in milliseconds and handed over in Bolt's context as
`tours`), so each listener acks and answers on the spot.
"""

from __future__ import annotations

import re

from slack_bolt import App

from bot import languages
from bot.surfaces.slack.listeners.tour.cards import on_nav, on_pick
from bot.surfaces.slack.listeners.tour.self_check import on_answer, on_next, on_quiz_start
from bot.surfaces.slack.listeners.tour.start import on_start
from bot.surfaces.slack.views.blocks import TOUR_START
from bot.surfaces.slack.views.tour import QUIZ_ANSWER, QUIZ_NEXT, QUIZ_START, TOUR_NAV, TOUR_PICK


def register(app: App) -> None:
    app.action(TOUR_START)(on_start)
    app.action(re.compile(rf"^{TOUR_PICK}:({'|'.join(languages.answered())})$"))(on_pick)
    app.action(re.compile(rf"^{TOUR_NAV}:(back|next)$"))(on_nav)
    app.action(QUIZ_START)(on_quiz_start)
    app.action(re.compile(rf"^{QUIZ_ANSWER}:[0-3]$"))(on_answer)
    app.action(QUIZ_NEXT)(on_next)
