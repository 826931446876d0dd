"""Follow-ups: read a question in the context of the conversation's previous answer.

The terminal chat and Slack threads both pass the previous Answer; this decides whether the new
question leans on it ("and its indicators?", "which resolutions mandate that?", "那它的指标呢？")
and what it inherits: the subprogramme, or the resolution, the previous answer was about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Answer
from bot.languages import cues
from bot.languages.cues import ordinal_said
from bot.languages.symbols import Symbol, find_symbols, parse_symbol

_SHORT = 40  # characters: a question this short rarely stands on its own


@dataclass(frozen=True)
class Context:
    question: str  # the previous question, as interpreted
    subprogramme: int | None  # what the previous answer was about
    symbol: Symbol | None  # the resolution, when the previous turn looked one up
    turn: bool = True  # False: an earlier part of the same question, not a previous turn


def asked_before(previous: Answer) -> str:
    """The previous question as the bot understood it (a switched follow-up: the one it
    re-asked), so that follow-ups chain."""
    return previous.scope.question if previous.scope else previous.question


def part_context(
    part: str, earlier: str, subprogramme: int | None, symbol: Symbol | None
) -> Context | None:
    """What a later part of a question inherits from an earlier one: its unit or its resolution
    ("SP5's objective? Which division is responsible?"), and its words when the part points
    back at them ("how many subprogrammes are there, and is UNSCO one of THEM?")."""
    back = points_back(part)
    words = earlier if back else ""
    # A resolution is inherited only by a part that points back at it ("…, and what is it
    # about?"); "…48/213 adopted, and how many territories remain?" asks of something else.
    symbol = symbol if back else None
    if subprogramme is None and symbol is None and not words:
        return None
    return Context(words, subprogramme, symbol, turn=False)


# A pronoun standing for something said before ("which resolutions mandate it?"). Not "this",
# "that" or "there", which also open questions of their own ("which resolutions are there?").
_STANDS_FOR = re.compile(
    r"\b(it|its|they|them|their|those|these)\b|它|这些|那些|上述", re.IGNORECASE
)


def stands_for_something_before(question: str) -> bool:
    """The question names its subject only by a pronoun ("…mandate it?", "它的…")."""
    return bool(_STANDS_FOR.search(question))


def points_back(question: str) -> bool:
    """The question refers to the previous turn ("its mandates", "那它…")."""
    return bool(cues.points_back().search(question))


def follow_up_context(question: str, previous: Answer | None) -> Context | None:
    """The context a follow-up inherits, or None when the question stands on its own."""
    if previous is None or previous.abstained:
        return None
    # A short question rarely stands on its own; nor does one about "our" unit after a turn
    # that said which it is ("Et comment mesure-t-on les résultats chez nous ?").
    if not (
        points_back(question)
        or len(question) <= _SHORT
        or cues.speaking_of_themselves().search(question)
    ):
        return None
    if previous.scope and previous.scope.subprogramme is not None:
        subprogramme: int | None = previous.scope.subprogramme
    else:
        subprogramme = next((s.subprogramme for s in previous.sources if s.subprogramme), None)
    if subprogramme is None and previous.mandates and len(previous.mandates[0].subprogrammes) == 1:
        subprogramme = previous.mandates[0].subprogrammes[0]
    symbol = None
    if previous.mandates and points_back(question) and _is_lookup(previous):
        symbol = parse_symbol(previous.mandates[0].symbol)
    return Context(asked_before(previous), subprogramme, symbol)


def _is_lookup(previous: Answer) -> bool:
    """The previous question named one resolution (its answer leads with that mandate)."""
    return len(find_symbols(asked_before(previous))) == 1


# "what about subprogramme 5?", "and for decolonization?", "那次级方案5呢？": the same question
# about another unit.
_SWITCH = re.compile(
    r"^(and |so |ok,? |okay,? )?(what|how) about\b|^and (for|in|of|on)\b|^(and|also) (the )?"
    r"(sub-?programme|division|unit|office)\b|^那.{1,30}呢[？?]?$|^.{1,24}呢[？?]?$|^还有.{1,30}[？?]?$"
    r"|^(et |et pour |et qu'en est-il (du |de la |de l')?|quid (du |de la |de l')?)"
    r"(le |la |l'|les )?(sp|sous-programme|division|groupe|bureau)(?=\s*\d|\b)",
    re.IGNORECASE,
)
_OBJECTIVE_ID = re.compile(r"^sp(\d)\.objective$")


def switched_unit(question: str, previous: Answer) -> bool:
    """The question repeats the previous one for another unit (the caller finds which)."""
    return not previous.abstained and bool(_SWITCH.search(question)) and len(question) <= 60


def ordinal_reference(question: str, previous: Answer) -> str | None:
    """'Tell me more about the fourth one' → the question with the item it points at named.

    The item is read off the previous answer's list: its mandates when it listed resolutions,
    the subprogrammes when it listed them (its sources are then their objectives, in order).
    """
    said = ordinal_said(question)
    if not said or previous.abstained:
        return None
    n, start, end = said
    objectives = [_OBJECTIVE_ID.match(s.id) for s in previous.sources]
    # The subprogrammes listed (a structured answer citing each one's objective), not one
    # objective quoted with others seen also ("what is SP6's objective?" → "its second indicator?").
    if previous.kind == "structured" and len(previous.sources) > 1 and all(objectives):
        count = 6  # the subprogrammes list names all six even when sources are capped
        number = n if n > 0 else count
        name = f"次级方案{number}" if _is_zh(question) else f"subprogramme {number}"
    elif len(previous.mandates) >= abs(n) > 0 and len(previous.mandates) > 1:
        name = previous.mandates[n - 1 if n > 0 else -1].symbol
    else:
        return None
    return question[:start] + name + question[end:]


def _is_zh(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))
