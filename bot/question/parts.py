"""A question asked in several parts → its parts, in the order asked, read from the frame.

"How many territories remain, and what share of documents is on time?", "第五次级方案的目标是什么？
由哪个司负责？", "Who is responsible for SP1 and who helps them?".

Where a message could be cut is lexical: a sentence's end, a comma, or a word that may join two
questions (the registry's `joints` cue: "and", "以及", "et", …). Whether it is cut is not: a cut
is kept only when the words on each side ask something of their own, and different things (the
facet classifier reads each side). "Jordan and Lebanon" and "objective and indicators of SP2"
stay whole unless each side is a question; a piece that asks nothing ("thanks!", "hi all")
joins its neighbour.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bot.languages.cues import alternation
from bot.languages.registry import HAN, LATIN
from bot.question.facets import DOES, FILLER, ONBOARDING, Reading

Reader = Callable[[str], Reading]
# At most this many soft cuts are tried in one message: each costs two encodes, and a message
# of a hundred commas must not cost a hundred of them.
MAX_TRIES = 6
MAX_PIECES = 6
_STOP = re.compile(r"(?<=[?？;；!！\n])\s*|(?<=[.。])\s+")
# Facets that are one ask when they follow each other: "I'm new at EAD. What do we do?"
_SAME = {ONBOARDING: DOES}

_HAN = re.compile(r"[\u4e00-\u9fff]")


@cache
def _question_word() -> re.Pattern[str]:
    words = "|".join(alternation("asks", s) for s in (LATIN, "cyrillic", "arabic"))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)|{alternation('asks', HAN)}", re.IGNORECASE)


@cache
def _soft() -> re.Pattern[str]:
    latin, han = alternation("joints", LATIN), alternation("joints", HAN)
    others = "|".join(alternation("joints", s) for s in ("cyrillic", "arabic"))
    return re.compile(
        rf"\s*[,，、]\s*(?:(?:{latin}|{others})\s+|(?:{han}))?"
        rf"|\s+(?:{latin}|{others})\s+|(?:{han})"
    )


@dataclass(frozen=True)
class Part:
    text: str
    reading: Reading | None = None  # how it was read while cutting (None: read it afresh)


def split_parts(question: str, facet_of: Reader | None = None) -> list[Part]:
    """The parts of a question; one part when it asks one thing (or nothing reads facets)."""
    question = question.strip()
    if facet_of is None:
        return [Part(question)]
    sentences = [s.strip() for s in _STOP.split(question) if s.strip()]
    if len(sentences) > MAX_PIECES:  # the rest rides with the last one, unread
        sentences = [*sentences[: MAX_PIECES - 1], " ".join(sentences[MAX_PIECES - 1 :])]
    tries = [MAX_TRIES]
    parts = [
        piece
        for sentence in _merge(sentences, facet_of)
        for piece in _split_sentence(sentence, facet_of, tries)
    ]
    if len(parts) == 1:
        return [Part(question, parts[0].reading)]
    return parts


def _opens_question(text: str) -> bool:
    """A question word opens it (in the first few words), or, in Chinese, it holds one."""
    if _HAN.search(text[:2]):
        return bool(_question_word().search(text))
    return bool(_question_word().search(" ".join(text.split()[:3])))


def _long_enough(text: str) -> bool:
    """Enough words to ask something: two words, or three Chinese characters."""
    return len(text.split()) >= 2 or len(_HAN.findall(text)) >= 3


def _asks(text: str, facet_of: Reader) -> Reading | None:
    """The piece's reading when it asks something of its own."""
    if not _long_enough(text):
        return None
    reading = facet_of(text)
    return reading if reading.facet and reading.facet != FILLER else None


def _apart(left: Reading | None, right: Reading | None) -> bool:
    """Two sentences are two questions when each asks something, and not the same thing:
    "I'm new at EAD. What do we do?" is one question."""
    if left is None or right is None:
        return False
    return _SAME.get(left.facet, left.facet) != _SAME.get(right.facet, right.facet)


def _split_sentence(sentence: Part, facet_of: Reader, tries: list[int]) -> list[Part]:
    """Cut where each side holds a question word and asks its own thing ("conflict-resolution
    efforts" after an "and" is a topic, not a second question); the joint itself is dropped."""
    out: list[Part] = []
    text, start, last = sentence.text, 0, sentence.reading
    for m in _soft().finditer(text):
        if tries[0] <= 0:
            break
        left, right = text[start : m.start()].strip(), text[m.end() :].strip()
        if not (_long_enough(left) and _long_enough(right)):
            continue
        if not (_question_word().search(left) and _opens_question(right)):
            continue
        tries[0] -= 1
        ours, theirs = facet_of(left), facet_of(right)
        if FILLER in (ours.facet, theirs.facet) or not (ours.facet or theirs.facet):
            continue  # a side that asks nothing, or two sides that say nothing sure
        out.append(Part(left, ours if ours.facet else None))
        start, last = m.end(), theirs
    if not out:
        return [sentence]
    out.append(Part(text[start:].strip(), last if last.facet else None))
    return [p for p in out if p.text]


def _merge(sentences: list[str], facet_of: Reader) -> list[Part]:
    """Sentences are parts only when they ask different things, each its own: one that asks
    nothing ("thanks!", "list them all") or the same as the one before joins it."""
    if len(sentences) == 1:
        return [Part(sentences[0])]
    out: list[Part] = []
    for sentence in sentences:
        reading = _asks(sentence, facet_of)
        if out and not _apart(out[-1].reading, reading):
            # "I'm new at EAD. What do we do?": the newcomer's sentence says what is asked.
            kept = next(
                (r for r in (out[-1].reading, reading) if r and r.facet == ONBOARDING), None
            )
            out[-1] = Part(f"{out[-1].text} {sentence}", kept)
        else:
            out.append(Part(sentence, reading))
    return out
