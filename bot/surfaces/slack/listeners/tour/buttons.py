"""Reading a tour button's value ("3:en", "3:en:2", "3:en:<quiz id>:1:0"), and putting the
next message in place of the clicked one.

A value this version cannot read (an old message, or a forged payload) gets the out-of-date
notice in place of the message, and the listener stops there (StaleButton)."""

from __future__ import annotations

import re

from slack_bolt import Respond

from bot import languages
from bot.onboarding.tour import Tour
from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.transport.payloads import Click
from bot.surfaces.slack.views.tour import Message, expired_message

QUIZ_STEP = 100  # a saved step ≥ this is a quiz question (step - QUIZ_STEP), not a card
_QUIZ_ID = re.compile(r"^[0-9a-f]{12}$")
# ASCII digits, a few: str.isdigit() also takes "²" (int() then fails) and 5,000 digits.
_POSITION = re.compile(r"^[0-9]{1,3}$")


class StaleButton(ValueError):
    """A button value this version cannot read (an old message, or a forged payload)."""


def clicked(tours: Tours, click: Click, respond: Respond, parts: int) -> tuple[Tour, list[str]]:
    """The tour a button belongs to and the rest of its value ("3:en:2" → tour, ["2"]).
    An unreadable value gets the out-of-date notice in place and raises StaleButton."""
    try:
        sp, lang, *rest = _parse(click.value, parts)
        if int(sp) not in tours.programme.subprogrammes:
            raise StaleButton(sp)
        return tours.guide.tour(int(sp), lang), rest
    except StaleButton:
        replace(respond, expired_message())
        raise


def number(text: str, limit: int, respond: Respond) -> int:
    """A position in a button value, below `limit`; else the out-of-date notice."""
    if not _POSITION.match(text) or int(text) >= limit:
        replace(respond, expired_message())
        raise StaleButton(text)
    return int(text)


def replace(respond: Respond, message: Message) -> None:
    respond(replace_original=True, blocks=message.blocks, text=message.text)


def _parse(value: str, parts: int) -> list[str]:
    fields = value.split(":")
    if len(fields) != parts:
        raise StaleButton(value)
    sp, lang = fields[0], fields[1]
    if not _POSITION.match(sp) or lang not in languages.answered():
        raise StaleButton(value)
    if parts >= 4 and not _QUIZ_ID.match(fields[2]):
        raise StaleButton(value)
    return fields
