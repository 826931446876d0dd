"""Is a message asking for the picture of the programme, and of which part, in which language?

"Show me the programme", "programme map", "map of subprogramme 3", "方案结构图" and
"次级方案三的结构图" ask for the map (bot/onboarding/map/draw.py) rather than an answer in
words. The Slack listeners, the /programme command and the terminal chat look here before a
question goes to the pipeline; the patterns are narrow on purpose: "which mandates map onto
subprogramme 3?" is a question.
"""

from __future__ import annotations

import re

from bot import languages
from bot.onboarding.map.draw import MapRequest
from bot.records.parser import chinese_number

_EN_SUBJECT = (
    r"(?:the\s+)?(?:whole\s+|entire\s+|full\s+)?"
    r"(?:programme|program|sub-?\s?programm?e\s*\d+|sp\s?\d+)"
)
_EN_NOUN = r"(?:map|picture|diagram|chart|org(?:ani[sz]ation(?:al)?)?\s*chart|structure\s+chart)"
_EN = (
    # "show me the programme", "draw subprogramme 3 as a diagram": the whole message
    re.compile(
        rf"(?:show|draw|give|send)(?:\s+(?:me|us))?\s+{_EN_SUBJECT}"
        rf"(?:\s+(?:as\s+)?(?:a\s+)?{_EN_NOUN})?",
        re.I,
    ),
    re.compile(rf"\b{_EN_NOUN}\s+of\s+{_EN_SUBJECT}\b", re.I),  # "a map of subprogramme 3"
    re.compile(  # "programme map", "subprogramme 3 diagram"
        rf"\b(?:programme|program|sub-?\s?programm?e\s*\d+|sp\s?\d+)\s+{_EN_NOUN}\b", re.I
    ),
)
_ZH_SUBJECT = r"(?:整个|全部)?(?:方案|次级方案\s*(?:\d+|[一二三四五六七八九十]+))"
_ZH_NOUN = r"(?:结构图|示意图|组织图|架构图|全景图|地图|图(?=$|[？?。！!，,吗呢]))"
_ZH = (
    re.compile(rf"{_ZH_SUBJECT}的?{_ZH_NOUN}"),  # "方案结构图", "次级方案3的结构图"
    re.compile(rf"(?:画出?|绘制|展示|显示|给我看看?)(?:一下|一张)?{_ZH_SUBJECT}"),  # "画出方案"
)
_POLITE = re.compile(r"^(?:please|pls|can you|could you|would you)\s+|[,\s]+please$", re.I)
_NUMBER = re.compile(
    r"sub-?\s?programm?e\s*(\d+)|\bsp\s?(\d+)\b|次级方案\s*(\d+|[一二三四五六七八九十]+)", re.I
)


def _normalised(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip("?.!。？！ ")
    return _POLITE.sub("", text).strip()


def _subprogramme(text: str) -> int | None:
    m = _NUMBER.search(text)
    if not m:
        return None
    number = next(g for g in m.groups() if g)
    return int(number) if number.isdigit() else chinese_number(number)


def detect(text: str) -> MapRequest | None:
    """The map a message asks for, in the message's language, or None for any other message.
    The subprogramme is not checked here ("map of subprogramme 9" is a map request the drawing
    refuses with a clear message)."""
    plain = _normalised(text)
    # The words that ask are English or Chinese: they say which map is asked for ("programme
    # map" is English, whatever a detector makes of two words).
    if _EN[0].fullmatch(plain) or any(p.search(plain) for p in _EN[1:]):
        return MapRequest("en", _subprogramme(plain))
    if any(p.search(plain) for p in _ZH):
        return MapRequest("zh", _subprogramme(plain))
    return None


class CommandError(ValueError):
    """`/programme map …` with arguments it does not take."""


COMMAND_USAGE = (
    "`/programme map` (the whole programme), `/programme map 3` (subprogramme 3 in detail), "
    "`/programme map 3 zh` (in Chinese)"
)
_COMMAND_WORDS = ("map", "地图", "结构图")


def _language_words() -> dict[str, str]:
    """A language named in the command by its code or its name: "fr", "french", "français"."""
    return {
        word.lower(): code
        for code in languages.answered()
        for word in (code, languages.get(code).name, languages.get(code).native)
    }


def command(text: str) -> MapRequest | None:
    """`/programme map [N] [zh|fr|…]`: the request; None when the text is not a map command (it
    may still ask for the map in words: detect); CommandError when its arguments are wrong."""
    words = _normalised(text).lower().split()
    if not words or words[0] not in _COMMAND_WORDS:
        return None
    lang = "en" if words[0] == "map" else "zh"
    number: int | None = None
    for word in words[1:]:
        digits = word.removeprefix("sp")
        if digits.isdigit() and number is None:
            number = int(digits)
        elif word in _language_words():
            lang = _language_words()[word]
        else:
            raise CommandError(f"I did not understand {word!r}. Usage: {COMMAND_USAGE}")
    return MapRequest(lang, number)
